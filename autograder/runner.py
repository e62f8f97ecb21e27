"""Parent side of a grading worker: start it, feed it tasks, enforce limits, survive its crashes.

``run_tasks`` grades one submission (or the reference): it starts a worker
(:mod:`autograder.worker`) on copies of the chapter files, in its own session (process group), in a
sandbox (:mod:`autograder.sandbox`) when given one, with a scrubbed environment and resource limits;
it sends the tasks on the worker's stdin and reads its events from a pipe. A task that runs past its
wall-time limit, or a worker that dies (``os._exit``, segfault, memory or output limit), costs only
the task or chapter import in progress: the worker is killed with its whole process tree and a new
one is started for the tasks that remain. A worker that fails before it reports ``ready`` (before
any student code runs) is the grader's failure: :class:`GraderFailure`, never a student's zero.
"""
from __future__ import annotations

import ctypes
import json
import os
import resource
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import wire
from .sandbox import WORKDIR, Sandbox, interpreter_path

_LOG_TAIL = 1500
# Isolated mode (no environment, no current folder on the path), with the path of this install: the
# worker imports this very copy of the package, and finds what the grader finds.
_BOOT = ("import json, sys; sys.path[:0] = json.loads(sys.argv[1]); "
         "from autograder.worker import main; sys.exit(main(sys.argv[2:]))")
_MAX_EVENT_BYTES = 256 * 2**20


@dataclass(frozen=True)
class Task:
    """One probe call: ``id`` is ``<chapter>.<exercise>.<case>``."""
    id: str
    chapter: str
    exercise: str
    inputs: object
    seed: int
    timeout: float


def default_processes() -> int:
    """Processes and threads per sandboxed worker: room for TensorFlow's thread pools (about
    2 per core) and a student's own, far from what would slow the machine down."""
    return 256 + 4 * (os.cpu_count() or 1)


@dataclass(frozen=True)
class Limits:
    """Per-worker resource limits (``processes`` and ``disk_mb`` hold in a sandbox only)."""
    memory_mb: int = 4096          # address space (RLIMIT_AS)
    output_mb: int = 16            # largest file the worker may write (stdout/stderr log included)
    import_timeout: float = 60.0   # seconds to import one chapter file (TensorFlow takes ~4 s)
    processes: int = field(default_factory=default_processes)  # RLIMIT_NPROC, threads included
    disk_mb: int = 512             # the writable tmpfs: working folder, /tmp, /dev/shm


class GraderFailure(RuntimeError):
    """A worker failed before running any student code: the grader cannot work here."""


@dataclass
class _Phase:
    kind: str = "start"     # "start", "ready", "import", "task"
    key: str = ""            # chapter or task id
    deadline: float = 0.0


def die_with_parent() -> None:
    """Linux: the worker gets SIGKILL when the grader dies (kill -9 included)."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


class Interrupted(Exception):
    """Grading was stopped (``stop_all``) while this submission was being graded."""


_ACTIVE: set[subprocess.Popen] = set()
_STOP = threading.Event()


def stop_all() -> None:
    """Stop every running worker now; grading threads then raise :class:`Interrupted`."""
    _STOP.set()
    for proc in list(_ACTIVE):
        kill_tree(proc.pid)


def resume_all() -> None:
    """Allow grading again after ``stop_all``."""
    _STOP.clear()


def _limit_child(limits: Limits, address_space: bool):
    def apply():
        die_with_parent()
        if address_space:
            mem = limits.memory_mb * 2**20
            resource.setrlimit(resource.RLIMIT_AS, (mem, mem))
        out = limits.output_mb * 2**20
        resource.setrlimit(resource.RLIMIT_FSIZE, (out, out))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    return apply


def worker_env(home: Path, extra: dict | None = None) -> dict:
    """A scrubbed environment: no secrets, no PYTHONPATH, quiet TensorFlow, fixed hashing."""
    keep = ("PATH", "LANG", "LC_ALL", "KERAS_BACKEND", "CUDA_VISIBLE_DEVICES", "OPENBLAS_CORETYPE",
            "OPENBLAS_L2_SIZE", "SYSTEMROOT")
    env = {k: os.environ[k] for k in keep if k in os.environ}
    env.update(HOME=str(home), PYTHONHASHSEED="0", PYTHONDONTWRITEBYTECODE="1",
               TF_CPP_MIN_LOG_LEVEL="3", MPLBACKEND="Agg", PYTHONUNBUFFERED="1",
               OMP_NUM_THREADS=os.environ.get("OMP_NUM_THREADS", "1"))
    env.update(extra or {})
    return env


def _process_table():
    """``(pid, fields)`` of every process, ``fields`` being /proc/PID/stat after the command name
    (state, ppid, pgrp, session, ..., rss at index 21)."""
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                with open(f"/proc/{entry.name}/stat", "rb") as fh:
                    yield int(entry.name), fh.read().rsplit(b")", 1)[1].split()
            except (OSError, IndexError):
                continue


def session_rss_mb(sid: int) -> float:
    """Resident memory of every process in session ``sid`` (the worker and what it started)."""
    pages = sum(int(fields[21]) for _, fields in _process_table() if int(fields[3]) == sid)
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def _descendants(pid: int) -> list[int]:
    """Every process below ``pid`` in the process tree, from one scan of /proc."""
    children: dict[int, list[int]] = {}
    for child, fields in _process_table():
        children.setdefault(int(fields[1]), []).append(child)
    found, stack = [], [pid]
    while stack:
        for child in children.get(stack.pop(), ()):
            found.append(child)
            stack.append(child)
    return found


def kill_tree(pid: int) -> None:
    """SIGKILL the worker's process group and every descendant, found before anything dies: a
    worker that left the group (``setsid``) is still below it, and killing a sandboxed worker (PID 1
    of its namespace) ends everything it started."""
    for victim in [*_descendants(pid), pid]:
        try:
            os.kill(victim, signal.SIGKILL)
        except ProcessLookupError:
            pass
    try:
        os.killpg(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def _kill_group(proc: subprocess.Popen) -> None:
    kill_tree(proc.pid)
    proc.wait()


def _describe_exit(code: int) -> str:
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = str(-code)
        return f"was killed by signal {name}" + (" (segmentation fault)" if name == "SIGSEGV" else "")
    return f"exited with code {code}"


def _log_tail(log: Path) -> str:
    try:
        with open(log, "rb") as fh:
            fh.seek(max(0, log.stat().st_size - _LOG_TAIL))
            return fh.read().decode("utf-8", "replace").strip()
    except OSError:
        return ""


def _failure(kind: str, message: str) -> dict:
    return {"status": kind, "message": message}


def run_tasks(paths: dict[str, Path], tasks: list[Task], *, limits: Limits = Limits(),
              reference: bool = False, env_extra: dict | None = None,
              sandbox: Sandbox | None = None) -> dict[str, dict]:
    """Run ``tasks`` on the chapter files ``paths`` (chapter -> file); return id -> outcome.

    A chapter whose file is missing from ``paths`` gets a ``missing`` outcome for each task.
    With ``sandbox``, each worker runs inside it (see :mod:`autograder.sandbox`). With no tasks at
    all, one worker is started and stopped: a check that workers start here.

    Raises:
        GraderFailure: a worker could not start (before any student code ran).
    """
    results: dict[str, dict] = {}
    for t in tasks:
        if t.chapter not in paths:
            results[t.id] = _failure("missing", f"the submission has no file {t.chapter}.py")
        elif Path(paths[t.chapter]).is_symlink():  # it could point at anything the grader may read
            results[t.id] = _failure("missing", f"{t.chapter}.py is a symbolic link, not a file")
    remaining = [t for t in tasks if t.id not in results]
    if tasks and not remaining:
        return results
    with tempfile.TemporaryDirectory(prefix="autograder-") as tmp:
        tmp = Path(tmp)
        (tmp / "files").mkdir()
        files = {}
        for chapter in {t.chapter for t in remaining}:  # copies the worker cannot change
            files[f"{chapter}.py"] = tmp / "files" / f"{chapter}.py"
            shutil.copyfile(paths[chapter], files[f"{chapter}.py"])
        attempt = 0
        while True:  # each worker makes progress: the task it dies or hangs in is decided
            _run_worker(remaining, files, tmp, attempt, limits, reference, env_extra, sandbox, results)
            if _STOP.is_set():  # what the killed worker reported is not the student's doing
                raise Interrupted()
            remaining = [t for t in remaining if t.id not in results]
            if not remaining:
                return results
            attempt += 1


def _workspace(files: dict[str, Path], tmp: Path, attempt: int, sandbox: Sandbox | None):
    """The worker's folder and, in a sandbox, an empty host folder for its new root. Unsandboxed,
    the folder is on the host: fresh home and temp folders each attempt, so that nothing an earlier
    worker left there (a Keras config, say) reaches the next one's start."""
    if sandbox is not None:
        root = tmp / f"root-{attempt}"
        root.mkdir()
        return WORKDIR, root
    workdir = tmp / "work"
    workdir.mkdir(exist_ok=True)
    for name, path in files.items():
        shutil.copyfile(path, workdir / name)
    for sub in (".home", ".tmp"):
        shutil.rmtree(workdir / sub, ignore_errors=True)
        (workdir / sub).mkdir()
    return str(workdir), None


def _run_worker(tasks, files, tmp, attempt, limits, reference, env_extra, sandbox, results):
    """Start one worker for ``tasks``; record outcomes in ``results`` until it ends or is killed."""
    by_id = {t.id: t for t in tasks}
    job = {"chapters": {}, "paths": {}}
    workdir, root = _workspace(files, tmp, attempt, sandbox)
    for t in tasks:
        job["chapters"].setdefault(t.chapter, []).append(
            {"id": t.id, "exercise": t.exercise, "inputs": t.inputs, "seed": t.seed})
        job["paths"][t.chapter] = f"{workdir}/{t.chapter}.py"
    job_file = tmp / f"job-{attempt}.json"  # outside the worker's folder: it arrives on stdin
    job_file.write_text(wire.encode(job), encoding="utf-8")
    log = tmp / f"worker-{attempt}.log"
    read_fd, write_fd = os.pipe()
    cmd = [sys.executable, "-I", "-c", _BOOT, json.dumps(interpreter_path()), str(write_fd)]
    if reference:
        cmd.append("--reference")
    fds, uid = [write_fd], None
    if sandbox is not None:
        cmd += ["--sandboxed", str(limits.processes)]
        uid = sandbox.take_uid()
        cmd, extra = sandbox.wrap(cmd, files, root, limits.disk_mb, uid)
        fds += extra
    env = worker_env(Path(workdir, ".home"), {"TMPDIR": f"{workdir}/.tmp", **(env_extra or {})})
    # CUDA maps far more address space than it uses: on a GPU, memory is watched, not capped.
    watch_memory = "CUDA_VISIBLE_DEVICES" in env
    try:
        with open(log, "wb") as log_fh, open(job_file, "rb") as job_fh:
            proc = subprocess.Popen(cmd, cwd=workdir if sandbox is None else tmp, env=env,
                                    stdin=job_fh, stdout=log_fh, stderr=subprocess.STDOUT,
                                    pass_fds=fds, start_new_session=True,
                                    preexec_fn=_limit_child(limits, address_space=not watch_memory))
    except BaseException:
        os.close(read_fd)
        if sandbox is not None:
            sandbox.give_uid(uid)
        raise
    finally:
        for fd in fds:
            os.close(fd)
    _ACTIVE.add(proc)
    phase = _Phase(deadline=time.monotonic() + limits.import_timeout)
    buffer = b""
    try:
        while True:
            wait = max(0.0, phase.deadline - time.monotonic())
            ready, _, _ = select.select([read_fd], [], [], min(wait, 0.5) if watch_memory else wait)
            if watch_memory and session_rss_mb(proc.pid) > limits.memory_mb:
                _on_death(phase, by_id, tasks, f"used more than the {limits.memory_mb} MB memory "
                          "limit", results, log)
                return
            if not ready and time.monotonic() >= phase.deadline:
                _on_timeout(phase, by_id, tasks, limits, results, log)
                return
            if not ready:
                continue
            chunk = os.read(read_fd, 1 << 16)
            if not chunk:
                break
            buffer += chunk
            if len(buffer) > _MAX_EVENT_BYTES:
                _on_death(phase, by_id, tasks, "sent more than 256 MiB of output", results, log)
                return
            *lines, buffer = buffer.split(b"\n")
            for line in lines:
                _on_event(line, phase, by_id, tasks, limits, results)
        try:  # the pipe closed: let the sandbox's own processes report how the worker ended
            proc.wait(timeout=2)
        except subprocess.TimeoutExpired:
            pass
        _kill_group(proc)
        if phase.kind == "ready" and not tasks:
            return  # a start-up check: it started
        if phase.kind != "start" and phase.key in by_id and phase.key in results:
            return  # finished normally
        code = proc.returncode
        if sandbox is not None and sandbox.mechanism == "bubblewrap" and code > 128:
            code = 128 - code  # bwrap exits with 128 + the signal that killed the worker
        how = _describe_exit(code)
        if code == -signal.SIGXFSZ:
            how += f" (wrote more than the {limits.output_mb} MB output limit)"
        _on_death(phase, by_id, tasks, f"the grading process {how}", results, log)
    finally:
        _ACTIVE.discard(proc)
        os.close(read_fd)
        if proc.returncode is None:  # not reaped yet, so its pid cannot belong to anyone else
            _kill_group(proc)
        if sandbox is not None:
            sandbox.give_uid(uid)


def _on_event(line, phase, by_id, tasks, limits, results):
    try:
        event = wire.decode(line)
        kind = event["ev"]
    except Exception:  # noqa: BLE001 - anything malformed is ignored, never trusted
        return
    now = time.monotonic()
    if kind == "ready" and phase.kind == "start":
        phase.kind, phase.deadline = "ready", now + limits.import_timeout
    elif phase.kind == "start":
        return  # nothing counts before the worker is ready
    elif kind == "import":
        phase.kind, phase.key, phase.deadline = "import", event.get("chapter", ""), now + limits.import_timeout
    elif kind == "imported" and not event.get("ok"):
        error = event.get("error") or {}
        for t in tasks:
            if t.chapter == phase.key and t.id not in results:
                results[t.id] = {"status": "import_error", "error": error}
    elif kind == "start" and event.get("id") in by_id:
        task = by_id[event["id"]]
        phase.kind, phase.key, phase.deadline = "task", task.id, now + task.timeout
    elif kind == "done" and event.get("id") in by_id and event["id"] not in results:
        outcome = event.get("outcome")
        results[event["id"]] = outcome if isinstance(outcome, dict) else _failure(
            "error", "the grading process sent a malformed result")


def _grader_failure(how: str, log: Path) -> GraderFailure:
    tail = _log_tail(log)
    return GraderFailure(f"a grading worker could not start ({how}); no student code had run. "
                         + (f"Its output:\n{tail}" if tail else "It printed nothing."))


def _on_timeout(phase, by_id, tasks, limits, results, log):
    if phase.kind == "start":
        raise _grader_failure(f"not ready after {limits.import_timeout:g} s", log)
    if phase.kind == "task":
        task = by_id[phase.key]
        if task.id not in results:  # else it hung between tasks: the rest is rerun
            results[task.id] = _failure("timeout", f"timed out after {task.timeout:g} s")
    else:
        _fail_chapter(phase, tasks, results, _failure(
            "import_timeout", f"importing the file took more than {limits.import_timeout:g} s"))


def _on_death(phase, by_id, tasks, detail, results, log):
    if phase.kind == "start":
        raise _grader_failure(detail, log)
    tail = _log_tail(log)
    detail += f"; last output:\n{tail}" if tail else ""
    if phase.kind == "task" and phase.key not in results:
        results[phase.key] = _failure("crash", detail)
    elif phase.kind in ("import", "ready"):
        _fail_chapter(phase, tasks, results, _failure("crash", detail))


def _fail_chapter(phase, tasks, results, outcome):
    """A failure outside any task: the chapter being imported (or everything, before the first)."""
    for t in tasks:
        if t.id not in results and (phase.kind == "ready" or t.chapter == phase.key):
            results[t.id] = outcome
