"""A warm worker's zygote: an interpreter that imported the heavy modules once and forks a fresh
grading worker for each submission (the process side; :mod:`autograder.warm` is the grader's side).

Started by the grader as ``python -I -c BOOT PATH FD CHAPTERS`` with a scrubbed environment (the one
every worker gets) and nothing of the course's private material: it imports what every worker
imports before it is ready (:func:`autograder.worker.preload`: numpy, and for chapters that use it
Keras with its backend; the chapters' public grading specs and the modules of their forbidden APIs),
never the answer key,
the hidden cases or a submission. Then it serves requests on the socket ``FD`` (``SOCK_SEQPACKET``,
one JSON message each, file descriptors attached), one at a time:

- ``{"op": "status"}`` -> ``{"threads", "modules"}`` (what tests check: one thread, nothing private);
- ``{"op": "spawn", ...}`` with the worker's stdin (its job), stdout/stderr and event pipe ->
  ``{"pid"}`` at once, then ``{"exit": code}`` when that worker has ended (``code`` as
  ``subprocess`` gives it: negative for a signal), or ``{"error"}`` when forking would be unsafe.

The forked child is the worker ``subprocess`` would have started cold: a new session, the same
resource limits, then (``plan`` given) new mount, PID, network, IPC and UTS namespaces (and a user
namespace when the grader is not root), where a grandchild is PID 1 and builds the same file system
and drops privileges as :mod:`autograder.sandbox_setup` does for a cold worker, before
:func:`autograder.worker.main` runs with the submission's environment. Fork happens only while the
zygote has a single thread (TensorFlow and JAX start their thread pools lazily, on first use, which
never happens here); otherwise it answers ``error`` and the grader starts cold workers.
"""
from __future__ import annotations

import ctypes
import json
import os
import signal
import socket
import sys
import traceback

CLONE_NEWNS, CLONE_NEWUTS, CLONE_NEWIPC = 0x00020000, 0x04000000, 0x08000000
CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNET = 0x10000000, 0x20000000, 0x40000000
EVENT_FD = 3  # where a forked worker finds its event pipe
MAX_MESSAGE = 1 << 20
_SETUP_FAILED = 121  # as sandbox_setup's: the sandbox could not be built (no student code ran)


def send(sock: socket.socket, message: dict, fds=()) -> None:
    socket.send_fds(sock, [json.dumps(message).encode()], list(fds))


def receive(sock: socket.socket, max_fds: int = 0) -> tuple[dict | None, list[int]]:
    """The next message and its file descriptors; ``(None, [])`` once the other side closed."""
    data, fds, _, _ = socket.recv_fds(sock, MAX_MESSAGE, max_fds)
    return (json.loads(data) if data else None), fds


def thread_count() -> int:
    return len(os.listdir("/proc/self/task"))


def preload(chapters: list[str]) -> None:
    """What every worker of a plan of ``chapters`` imports before it is ready
    (:func:`autograder.worker.preload`), and the seeding helpers every task uses."""
    from . import seeding  # noqa: F401
    from .worker import preload as worker_preload
    worker_preload(chapters)


def main(argv: list[str]) -> int:
    from .runner import die_with_parent
    die_with_parent()
    sock = socket.socket(fileno=int(argv[0]))
    preload(json.loads(argv[1]))
    send(sock, {"ready": True, "threads": thread_count()})
    while True:
        message, fds = receive(sock, max_fds=3)
        if message is None:
            return 0
        if message.get("op") == "status":
            send(sock, {"threads": thread_count(), "modules": sorted(sys.modules)})
            continue
        if thread_count() != 1:
            for fd in fds:
                os.close(fd)
            send(sock, {"error": f"the zygote runs {thread_count()} threads: forking it is unsafe"})
            continue
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            code = _SETUP_FAILED
            try:
                sock.close()
                code = _worker(message, fds)
            except BaseException:  # noqa: BLE001 - shown in the worker's output; the runner judges
                traceback.print_exc()  # by the phase (before "ready": the grader's failure)
            finally:
                for stream in (sys.stdout, sys.stderr):
                    try:
                        stream.flush()
                    except Exception:  # noqa: BLE001 - the student may have closed it
                        pass
                os._exit(code)
        for fd in fds:
            os.close(fd)
        send(sock, {"pid": pid})
        _, status = os.waitpid(pid, 0)
        send(sock, {"exit": os.waitstatus_to_exitcode(status)})


def _worker(message: dict, fds: list[int]) -> int:
    """In the forked child: become the worker a cold start would have made, and run it."""
    import resource

    from .runner import die_with_parent
    job, output, events = fds
    os.setsid()
    for fd, target in ((job, 0), (output, 1), (output, 2), (events, EVENT_FD)):
        os.dup2(fd, target)
    os.closerange(EVENT_FD + 1, os.sysconf("SC_OPEN_MAX"))
    die_with_parent()
    limits = message["limits"]
    if message["address_space"]:
        resource.setrlimit(resource.RLIMIT_AS, (limits["memory"], limits["memory"]))
    resource.setrlimit(resource.RLIMIT_FSIZE, (limits["output"], limits["output"]))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if message["plan"] is not None:
        _enter_sandbox(message["plan"], message["user_namespace"])
    else:
        os.chdir(message["cwd"])
    _adopt_environment(message["env"])
    from .worker import main as worker_main
    return worker_main([str(EVENT_FD), *message["flags"]])


def _enter_sandbox(plan: dict, user_namespace: bool) -> None:
    """As ``unshare --fork --kill-child`` + ``sandbox_setup`` do for a cold worker: this process
    stays outside, waits for its child (PID 1 of the new namespaces) and exits as it did."""
    from .runner import die_with_parent
    from .sandbox_setup import build_root, drop_privileges
    libc = ctypes.CDLL(None, use_errno=True)
    uid, gid = os.getuid(), os.getgid()
    flags = CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS
    if libc.unshare(flags | (CLONE_NEWUSER if user_namespace else 0)) != 0:
        raise OSError(ctypes.get_errno(), "unshare failed")
    if user_namespace:  # the grader's user becomes namespace root (as unshare --map-root-user)
        for name, text in (("setgroups", "deny"), ("uid_map", f"0 {uid} 1"), ("gid_map", f"0 {gid} 1")):
            with open(f"/proc/self/{name}", "w") as fh:
                fh.write(text)
    pid = os.fork()
    if pid:
        code = os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])
        if code < 0:  # die the same way, so that the grader sees the signal
            signal.signal(-code, signal.SIG_DFL)
            os.kill(os.getpid(), -code)
        os._exit(code)
    die_with_parent()
    build_root(plan)
    drop_privileges(plan["uid"])


def _adopt_environment(env: dict) -> None:
    """The submission's environment, and what the preloaded modules derived from the zygote's."""
    import tempfile
    os.environ.clear()
    os.environ.update(env)
    tempfile.tempdir = None
    config = sys.modules.get("keras.src.backend.config")
    if config is not None and "KERAS_HOME" not in env:  # Keras fixes its folder at import
        config._KERAS_DIR = os.path.join(env["HOME"], ".keras")
