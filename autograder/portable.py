"""Process control that works on every OS the student path runs on (Linux, macOS, Windows), with
the Linux facilities used where they exist (see ``docs/architecture.md``, "The student path").

``autograder check`` (from a shell or a notebook's check cell) runs on students' own machines and on
hosted notebook services. It needs: a subprocess, a wall-time limit, a kill that ends the process
tree, and pipes read while the worker runs. Linux gives more, and instructor grading relies on it
(the sandbox, warm workers, ``/proc``); here each facility is used only where it is there:

=========================  ================================  =======================================
what                       Linux                             elsewhere (or where it is missing)
=========================  ================================  =======================================
die with the grader        ``prctl(PR_SET_PDEATHSIG)``       nothing (the kill below still works)
resource limits            ``setrlimit`` (memory, file       each limit only where ``resource`` has
                           size, core)                       it and ``setrlimit`` accepts it
kill the worker's tree     ``/proc`` descendants + group     POSIX: the process group; Windows:
                                                             ``taskkill /T /F``, then ``kill()``
read the worker's pipes    ``select``                        a thread per pipe (:func:`threaded_pipes`)
event pipe to the worker   an inherited file descriptor      Windows: an inherited handle
=========================  ================================  =======================================

``AUTOGRADER_PORTABLE=1`` makes a POSIX machine use the portable choices (threads for the pipes, no
``/proc``), as on Windows: what the tests use to run that path on Linux.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys

LINUX = sys.platform.startswith("linux")
WINDOWS = os.name == "nt"
PROC = "/proc"  # where the process table is read on Linux (tests point it elsewhere)


def forced() -> bool:
    """Whether the portable choices are asked for (``AUTOGRADER_PORTABLE=1``)."""
    return os.environ.get("AUTOGRADER_PORTABLE") == "1"


def threaded_pipes() -> bool:
    """Whether pipes are read by threads: where ``select`` cannot wait on pipes (Windows), or when
    asked for."""
    return WINDOWS or forced()


def have_proc() -> bool:
    """Whether the Linux process table can be read."""
    return LINUX and not forced() and os.path.isdir(os.path.join(PROC, "self"))


def resource_module():
    """The ``resource`` module, or None where it does not exist (Windows) or cannot be imported."""
    try:
        import resource
    except ImportError:
        return None
    return resource


def die_with_parent() -> None:
    """Linux: the calling process gets SIGKILL when its parent dies (kill -9 included); nothing
    elsewhere, or where ``prctl`` cannot be had."""
    if not LINUX:
        return
    try:
        import ctypes
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except Exception:  # noqa: BLE001 - no libc, no prctl, a restricted ctypes: none of it matters
        pass


def set_limit(name: str, value: int) -> bool:
    """Set the resource limit ``RLIMIT_<name>`` (soft and hard) where it exists; return whether it
    was set."""
    resource = resource_module()
    which = getattr(resource, f"RLIMIT_{name}", None) if resource else None
    if which is None:
        return False
    try:
        resource.setrlimit(which, (value, value))
    except (ValueError, OSError):  # macOS refuses some (RLIMIT_AS), containers may too
        return False
    return True


def limit_child(memory_bytes: int | None, output_bytes: int):
    """The ``preexec_fn`` of a worker (POSIX; None on Windows, which has no such hook): die with the
    grader, then the memory (address space), file-size and core limits, each where it exists."""
    if WINDOWS:
        return None

    def apply():
        die_with_parent()
        if memory_bytes is not None:
            set_limit("AS", memory_bytes)
        set_limit("FSIZE", output_bytes)
        set_limit("CORE", 0)
    return apply


# --- the process table (Linux) -------------------------------------------------------------------

def process_table():
    """``(pid, fields)`` of every process, ``fields`` being /proc/PID/stat after the command name
    (state, ppid, pgrp, session, ..., rss at index 21); nothing where /proc cannot be read."""
    if not have_proc():
        return
    try:
        entries = list(os.scandir(PROC))
    except OSError:
        return
    for entry in entries:
        if entry.name.isdigit():
            try:
                with open(os.path.join(PROC, entry.name, "stat"), "rb") as fh:
                    yield int(entry.name), fh.read().rsplit(b")", 1)[1].split()
            except (OSError, IndexError):
                continue


def session_rss_mb(sid: int) -> float:
    """Resident memory of every process in session ``sid`` (0 where /proc cannot be read)."""
    pages = sum(int(fields[21]) for _, fields in process_table() if int(fields[3]) == sid)
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20 if pages else 0.0


def descendants(pid: int) -> list[int]:
    """Every process below ``pid`` in the process tree, from one scan of /proc (none without it)."""
    children: dict[int, list[int]] = {}
    for child, fields in process_table():
        children.setdefault(int(fields[1]), []).append(child)
    found, stack = [], [pid]
    while stack:
        for child in children.get(stack.pop(), ()):
            found.append(child)
            stack.append(child)
    return found


def kill_tree(pid: int) -> None:
    """Kill the worker ``pid`` and what it started.

    Linux: SIGKILL to every descendant, found in /proc before anything dies (a worker that left the
    group with ``setsid`` is still below it; a sandboxed worker is PID 1 of its namespace, and
    everything it started dies with it), then to the process group. Other POSIX systems, or no
    /proc: the process group (the worker leads its own session). Windows: ``taskkill /T /F`` (the
    tree), then ``TerminateProcess`` on the worker itself.
    """
    if WINDOWS:
        try:
            subprocess.run(["taskkill", "/T", "/F", "/PID", str(pid)], capture_output=True,
                           timeout=30)
        except (OSError, subprocess.TimeoutExpired):
            pass
        return
    for victim in [*descendants(pid), pid]:
        try:
            os.kill(victim, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def kill_process(proc) -> None:
    """:func:`kill_tree` on a started worker (``subprocess.Popen`` or a warm child), then the
    worker itself by its handle where the tree kill could not reach it."""
    kill_tree(proc.pid)
    if WINDOWS and proc.returncode is None:
        try:
            proc.kill()
        except OSError:
            pass


# --- the event pipe ------------------------------------------------------------------------------

def child_popen_options(pass_fds: list[int]) -> dict:
    """``subprocess.Popen`` options that start a worker in its own process group (POSIX: a new
    session) and let it inherit ``pass_fds`` (Windows: their handles)."""
    if not WINDOWS:
        return {"start_new_session": True, "pass_fds": pass_fds}
    import msvcrt
    handles = []
    for fd in pass_fds:
        handle = msvcrt.get_osfhandle(fd)
        os.set_handle_inheritable(handle, True)
        handles.append(handle)
    info = subprocess.STARTUPINFO()
    info.lpAttributeList = {"handle_list": handles}
    return {"creationflags": subprocess.CREATE_NEW_PROCESS_GROUP, "startupinfo": info,
            "close_fds": True}


def pipe_argument(fd: int) -> str:
    """How the worker is told where its event pipe is: the descriptor (POSIX) or ``h<handle>``."""
    if WINDOWS:
        import msvcrt
        return f"h{msvcrt.get_osfhandle(fd)}"
    return str(fd)


def open_pipe_argument(text: str) -> int:
    """The worker's side of :func:`pipe_argument`: a file descriptor to write to."""
    if text.startswith("h"):
        import msvcrt
        return msvcrt.open_osfhandle(int(text[1:]), os.O_WRONLY)
    return int(text)


def drain(fd: int, deliver) -> None:
    """Read ``fd`` to its end, handing each chunk to ``deliver`` (``b""`` last), then close it:
    the body of a thread that owns a pipe where ``select`` cannot wait on it."""
    try:
        while True:
            try:
                chunk = os.read(fd, 1 << 16)
            except OSError:
                chunk = b""
            deliver(chunk)
            if not chunk:
                return
    finally:
        try:
            os.close(fd)
        except OSError:
            pass
