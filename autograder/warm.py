"""Warm grading workers, the grader's side: one zygote (:mod:`autograder.zygote`) per worker slot.

A cold worker is a new interpreter that imports numpy and Keras/TensorFlow (~4 s, ~540 MB) for
every submission; a warm one is forked from a zygote that did it once, and then enters the same
sandbox, as the same kind of user, under the same limits (:class:`Zygote`). Nothing of one
submission reaches the next: each is a fresh fork of a zygote that never ran student code.

Warm workers need Linux and the ``namespaces`` sandbox (or none, with ``--unsafe``): bubblewrap
builds its sandbox by running a program, which a fork cannot enter. :func:`warm_problem` says why
they cannot be used; the grader then starts cold workers and says so.
"""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

from . import zygote
from .sandbox import Sandbox, interpreter_path

_BOOT = ("import json, sys; sys.path[:0] = json.loads(sys.argv[1]); "
         "from autograder.zygote import main; sys.exit(main(sys.argv[2:]))")


def warm_problem(sandbox: Sandbox | None) -> str | None:
    """None when warm workers can be used with ``sandbox``, else why not."""
    if not sys.platform.startswith("linux") or not hasattr(socket, "send_fds"):
        return f"warm workers need Linux (this is {sys.platform})"
    if sandbox is not None and sandbox.mechanism != "namespaces":
        return f"warm workers need the namespaces sandbox, not {sandbox.mechanism}"
    return None


class ZygoteFailure(RuntimeError):
    """The zygote could not start or cannot fork safely: use cold workers."""


class WarmChild:
    """A worker forked by a zygote, with the part of ``subprocess.Popen``'s interface the runner
    uses (``pid``, ``returncode``, ``wait``): its exit status comes from the zygote."""

    def __init__(self, owner: Zygote, pid: int):
        self.owner, self.pid, self.returncode = owner, pid, None

    def wait(self, timeout: float | None = None) -> int:
        if self.returncode is None:
            self.returncode = self.owner.exit_status(timeout)
        return self.returncode


class Zygote:
    """One worker slot's zygote, started on first use with every worker's environment plus the
    slot's ``env_extra`` (its GPU), and restarted if it died; ``chapters``' specs are preloaded.
    Used by one grading thread at a time."""

    def __init__(self, env_extra: dict, chapters: list[str], start_timeout: float = 120.0):
        self.env_extra, self.chapters, self.start_timeout = env_extra, chapters, start_timeout
        self.proc: subprocess.Popen | None = None
        self.sock: socket.socket | None = None
        self.home: tempfile.TemporaryDirectory | None = None
        self.log = None  # the zygote's stdout and stderr (shown when it fails to start)
        self.problem = ""  # why it could not be used (then its slot grades cold)

    # -- life -------------------------------------------------------------------------------
    def _launch(self) -> None:
        """Start the zygote's process (it then imports for seconds on its own). Called from a
        thread that outlives it: the process's death signal is tied to the thread that started it."""
        from .runner import die_with_parent, worker_env
        self.home = tempfile.TemporaryDirectory(prefix="autograder-zygote-")
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        env = worker_env(Path(self.home.name), {"TMPDIR": self.home.name, **self.env_extra})
        self.log = tempfile.TemporaryFile()
        try:
            self.proc = subprocess.Popen(
                [sys.executable, "-I", "-c", _BOOT, json.dumps(interpreter_path()),
                 str(theirs.fileno()), json.dumps(self.chapters)],
                cwd=self.home.name, env=env, stdin=subprocess.DEVNULL, stdout=self.log,
                stderr=self.log, pass_fds=[theirs.fileno()], start_new_session=True,
                preexec_fn=die_with_parent)
        finally:
            theirs.close()
        self.sock = ours

    def _ready(self) -> None:
        """Wait for the spawned zygote's hello: one thread, its imports done."""
        self.sock.settimeout(self.start_timeout)
        try:
            hello, _ = zygote.receive(self.sock)
        except OSError:
            hello = None
        if not hello or hello.get("threads") != 1:
            self.log.seek(0)
            text = self.log.read().decode(errors="replace")[-2000:]
            self.close()
            raise ZygoteFailure("the warm worker's zygote did not start"
                                + (f" ({hello['threads']} threads after its imports)" if hello else "")
                                + (f": {text}" if text else ""))

    def _start(self) -> None:
        self._launch()
        self._ready()

    def close(self) -> None:
        if self.sock is not None:
            self.sock.close()
            self.sock = None
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait()
            self.proc = None
        if self.home is not None:
            self.home.cleanup()
            self.home = None
        if self.log is not None:
            self.log.close()
            self.log = None

    def _ask(self, message: dict, fds=()) -> dict:
        if self.proc is None or self.proc.poll() is not None:
            self.close()
            self._start()
        self.sock.settimeout(self.start_timeout)
        zygote.send(self.sock, message, fds)
        answer, _ = zygote.receive(self.sock)
        if answer is None:
            self.close()
            raise ZygoteFailure("the warm worker's zygote ended")
        if "error" in answer:
            raise ZygoteFailure(answer["error"])
        return answer

    def launch(self) -> None:
        """Start the zygote's process now (see :meth:`ready`); a failure becomes ``problem``."""
        if self.proc is None and not self.problem:
            try:
                self._launch()
            except OSError as exc:
                self.problem = str(exc)

    def ready(self) -> None:
        """Wait until the spawned zygote has done its imports; a failure becomes ``problem``."""
        if self.sock is not None and not self.problem:
            try:
                self._ready()
            except (ZygoteFailure, OSError) as exc:
                self.problem = str(exc)

    # -- use --------------------------------------------------------------------------------
    def status(self) -> dict:
        """The zygote's thread count and imported module names."""
        return self._ask({"op": "status"})

    def spawn(self, stdin: int, output: int, events: int, *, env: dict, flags: list[str], cwd: str,
              plan: dict | None, memory: int | None, output_bytes: int) -> WarmChild:
        """Fork a worker with these descriptors (stdin: its job; output: its stdout and stderr;
        events: its event pipe), in the sandbox ``plan`` (None: none, in ``cwd``), with address
        space capped at ``memory`` bytes (None: not capped) and files at ``output_bytes``."""
        answer = self._ask({"op": "spawn", "env": env, "flags": flags, "cwd": cwd, "plan": plan,
                            "user_namespace": os.geteuid() != 0, "address_space": memory is not None,
                            "limits": {"memory": memory or 0, "output": output_bytes}},
                           (stdin, output, events))
        return WarmChild(self, answer["pid"])

    def exit_status(self, timeout: float | None) -> int:
        """The status the zygote reports for its running child (waits up to ``timeout``)."""
        self.sock.settimeout(timeout)
        try:
            answer, _ = zygote.receive(self.sock)
        except socket.timeout:
            raise subprocess.TimeoutExpired("warm worker", timeout) from None
        except OSError:
            answer = None
        if answer is None or "exit" not in answer:  # the zygote died: so did its child
            self.close()
            return -9
        return answer["exit"]


class WarmPool:
    """One :class:`Zygote` per worker slot (``env_extras``: each slot's), closed together."""

    def __init__(self, env_extras: list[dict], chapters: list[str]):
        self.zygotes = [Zygote(extra, chapters) for extra in env_extras]

    def launch(self) -> None:
        """Start every slot's zygote (from the calling thread, which must outlive them); they import
        side by side while the caller goes on (:meth:`ready` waits for them)."""
        for z in self.zygotes:
            z.launch()

    def ready(self) -> None:
        for z in self.zygotes:
            z.ready()

    def __getitem__(self, slot: int) -> Zygote:
        return self.zygotes[slot]

    def close(self) -> None:
        for z in self.zygotes:
            z.close()
