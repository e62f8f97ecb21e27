"""Parent side of a grading worker: start it, feed it tasks, enforce limits, survive its crashes.

``run_tasks`` runs one submission (or the answer key) on a list of tasks: it starts a worker
(:mod:`autograder.worker`) on copies of the chapter files, in its own session (process group), in a
sandbox (:mod:`autograder.sandbox`) when given one, with a scrubbed environment and resource limits;
it sends the tasks on the worker's stdin and reads its events from one pipe and what it prints from
another, which it drains all along (:mod:`autograder.output`: printing never blocks or fails, and
each task keeps the first and last few KB of what it printed). A task that runs past its wall-time limit, or a worker that dies
(``os._exit``, segfault, memory or file-size limit), costs only the task or chapter import in
progress: the worker is killed with its whole process tree and a new one is started for the tasks
that remain. A worker that fails before it reports ``ready`` (before any student code runs) is the
grader's failure: :class:`GraderFailure`, never a student's zero. Outcomes: :mod:`autograder.outcomes`.

The process control is portable (:mod:`autograder.portable`): where Linux's facilities are missing
(macOS, Windows: no ``/proc``, no ``prctl``, no ``select`` on pipes, some or no resource limits) the
same run works with what the OS has, so that ``check`` runs on students' own machines.
"""
from __future__ import annotations

import json
import os
import queue
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import outcomes, portable, wire
from .output import Printed, WorkerOutput
from .sandbox import WORKDIR, Sandbox, interpreter_path
from .warm import WarmChild, Zygote, ZygoteFailure

# Isolated mode (no environment, no current folder on the path), with the path of this install: the
# worker imports this very copy of the package, and finds what the grader finds.
_BOOT = ("import json, sys; sys.path[:0] = json.loads(sys.argv[1]); "
         "from autograder.worker import main; sys.exit(main(sys.argv[2:]))")
_MAX_EVENT_BYTES = 256 * 2**20


@dataclass(frozen=True)
class Task:
    """One probe call: ``id`` is ``<chapter>.<exercise>.<case>``; ``variant``: the seed its inputs
    were drawn from for one student (None: the case's own inputs)."""
    id: str
    chapter: str
    exercise: str
    inputs: object
    seed: int
    timeout: float
    variant: int | None = None


def default_processes() -> int:
    """Processes and threads per sandboxed worker: room for TensorFlow's thread pools (about
    2 per core) and a student's own, far from what would slow the machine down."""
    return 256 + 4 * (os.cpu_count() or 1)


@dataclass(frozen=True)
class Limits:
    """Per-worker resource limits (``processes`` and ``disk_mb`` hold in a sandbox only)."""
    memory_mb: int = 4096          # address space (RLIMIT_AS)
    output_mb: int = 16            # largest file the student's code may write (RLIMIT_FSIZE)
    import_timeout: float = 60.0   # seconds to import one chapter file (TensorFlow takes ~4 s)
    processes: int = field(default_factory=default_processes)  # RLIMIT_NPROC, threads included
    disk_mb: int = 512             # the writable tmpfs: working folder, /tmp, /dev/shm


class GraderFailure(RuntimeError):
    """A worker failed before running any student code: the grader cannot work here."""


die_with_parent = portable.die_with_parent  # Linux: the worker dies with the grader
session_rss_mb = portable.session_rss_mb
kill_tree = portable.kill_tree
_descendants = portable.descendants


class Interrupted(Exception):
    """Grading was stopped (``stop_all``) while this submission was being graded."""


_ACTIVE: set[subprocess.Popen] = set()
_STOP = threading.Event()


def stop_all() -> None:
    """Stop every running worker now; grading threads then raise :class:`Interrupted`."""
    _STOP.set()
    for proc in list(_ACTIVE):
        portable.kill_process(proc)


def resume_all() -> None:
    """Allow grading again after ``stop_all``."""
    _STOP.clear()


def _limit_child(limits: Limits, address_space: bool):
    """The worker's limits, set in the child before it runs (each where the OS has it)."""
    return portable.limit_child(limits.memory_mb * 2**20 if address_space else None,
                                limits.output_mb * 2**20)


def worker_env(home: Path, extra: dict | None = None) -> dict:
    """A scrubbed environment: no secrets, no PYTHONPATH, quiet TensorFlow, fixed hashing."""
    keep = ("PATH", "LANG", "LC_ALL", "KERAS_BACKEND", "CUDA_VISIBLE_DEVICES", "OPENBLAS_CORETYPE",
            "OPENBLAS_L2_SIZE", "SYSTEMROOT", "AUTOGRADER_PORTABLE",
            # what Python and its libraries need to start on Windows
            "WINDIR", "COMSPEC", "PATHEXT", "NUMBER_OF_PROCESSORS", "PROCESSOR_ARCHITECTURE")
    env = {k: os.environ[k] for k in keep if k in os.environ}
    env.update(HOME=str(home), PYTHONHASHSEED="0", PYTHONDONTWRITEBYTECODE="1",
               TF_CPP_MIN_LOG_LEVEL="3", MPLBACKEND="Agg", PYTHONUNBUFFERED="1",
               OMP_NUM_THREADS=os.environ.get("OMP_NUM_THREADS", "1"))
    if portable.WINDOWS:  # where Windows looks for the home and temp folders
        env.update(USERPROFILE=str(home))
    env.update(extra or {})
    if portable.WINDOWS and "TMPDIR" in env:
        env.update(TEMP=env["TMPDIR"], TMP=env["TMPDIR"])
    return env


def _kill_group(proc: subprocess.Popen) -> None:
    portable.kill_process(proc)
    proc.wait()


def _describe_exit(code: int) -> str:
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = str(-code)
        return f"was killed by signal {name}" + (" (segmentation fault)" if name == "SIGSEGV" else "")
    return f"exited with code {code}"


def run_tasks(paths: dict[str, Path], tasks: list[Task], *, limits: Limits = Limits(),
              reference: bool = False, env_extra: dict | None = None,
              sandbox: Sandbox | None = None, zygote: Zygote | None = None,
              preload: tuple[str, ...] = ()) -> dict[str, dict]:
    """Run ``tasks`` on the chapter files ``paths`` (chapter -> file); return id -> outcome.

    A chapter whose file is missing from ``paths`` gets a ``missing`` outcome for each task.
    With ``sandbox``, each worker runs inside it (see :mod:`autograder.sandbox`). With no tasks at
    all, one worker is started and stopped: a check that workers start here. With ``zygote`` (not
    for the answer key), workers are forked from it warm (:mod:`autograder.warm`), or started cold
    where it cannot (its ``problem`` says why). With ``preload`` (the plan's chapters), a cold worker
    imports what those chapters need before it is ready, as a warm one has
    (:func:`autograder.worker.preload`).

    Raises:
        GraderFailure: a worker could not start (before any student code ran).
    """
    results: dict[str, dict] = {}
    for t in tasks:
        if t.chapter not in paths:
            results[t.id] = outcomes.failure(outcomes.MISSING, f"the submission has no file {t.chapter}.py")
        elif Path(paths[t.chapter]).is_symlink():  # it could point at anything the grader may read
            results[t.id] = outcomes.failure(outcomes.MISSING, f"{t.chapter}.py is a symbolic link, not a file")
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
        batch = _Batch(files, tmp, limits, reference, env_extra or {}, sandbox, results,
                       None if reference else zygote, preload)
        attempt = 0
        while True:  # each worker makes progress: the task it dies or hangs in is decided
            _Worker(batch, remaining, attempt).run()
            if _STOP.is_set():  # what the killed worker reported is not the student's doing
                raise Interrupted()
            remaining = [t for t in remaining if t.id not in results]
            if not remaining:
                return results
            attempt += 1


@dataclass
class _Batch:
    """One ``run_tasks`` call: the chapter files' copies, its temporary folder, its settings and
    the outcomes decided so far (task id -> outcome)."""
    files: dict[str, Path]
    tmp: Path
    limits: Limits
    reference: bool
    env_extra: dict
    sandbox: Sandbox | None
    results: dict[str, dict]
    zygote: Zygote | None = None
    preload: tuple[str, ...] = ()


class _EventReader:
    """The event pipe read by a thread (where ``select`` cannot wait on pipes): chunks in a queue,
    ``b""`` at the end. The thread owns the descriptor and closes it at the end of the pipe."""

    def __init__(self, fd: int):
        self.fd, self.chunks = fd, queue.Queue()
        self.thread = threading.Thread(target=portable.drain, args=(fd, self.chunks.put), name="worker-events",
                                       daemon=True)
        self.thread.start()

    def get(self, timeout: float) -> bytes | None:
        """The next chunk (``b""``: the end), or None when nothing came within ``timeout`` s."""
        try:
            return self.chunks.get(timeout=max(0.0, timeout))
        except queue.Empty:
            return None

    def close(self, wait: float = 2.0) -> None:
        self.thread.join(wait)


class _Worker:
    """One worker process serving ``tasks`` of a run until it ends, dies or is killed.

    ``phase`` is where it is: ``start`` (before ``ready``: no student code has run), ``ready``,
    ``import`` (of chapter ``key``) or ``task`` (``key``: the task id), each with its ``deadline``.
    """

    def __init__(self, batch: _Batch, tasks: list[Task], attempt: int):
        self.batch, self.tasks, self.attempt = batch, tasks, attempt
        self.by_id = {t.id: t for t in tasks}
        self.phase, self.key = "start", ""
        self.deadline = time.monotonic() + batch.limits.import_timeout

    # -- starting ---------------------------------------------------------------------------
    def _workspace(self):
        """The worker's folder and, in a sandbox, an empty host folder for its new root. Unsandboxed,
        the folder is on the host: fresh home and temp folders each attempt, so that nothing an
        earlier worker left there (a Keras config, say) reaches the next one's start."""
        tmp = self.batch.tmp
        if self.batch.sandbox is not None:
            root = tmp / f"root-{self.attempt}"
            root.mkdir()
            return WORKDIR, root
        workdir = tmp / "work"
        workdir.mkdir(exist_ok=True)
        for name, path in self.batch.files.items():
            shutil.copyfile(path, workdir / name)
        for sub in (".home", ".tmp"):
            shutil.rmtree(workdir / sub, ignore_errors=True)
            (workdir / sub).mkdir()
        return str(workdir), None

    def _start(self) -> None:
        batch = self.batch
        workdir, root = self._workspace()
        token = secrets.token_hex(8)
        job = {"chapters": {}, "paths": {}, "token": token}
        for t in self.tasks:
            job["chapters"].setdefault(t.chapter, []).append(
                {"id": t.id, "exercise": t.exercise, "inputs": t.inputs, "seed": t.seed})
            job["paths"][t.chapter] = f"{workdir}/{t.chapter}.py"
        job_file = batch.tmp / f"job-{self.attempt}.json"  # outside the worker's folder: sent on stdin
        job_file.write_text(wire.encode(job), encoding="utf-8")
        self.event_fd, event_w = os.pipe()
        output_r, output_w = os.pipe()
        self.threaded = portable.threaded_pipes() and self.batch.zygote is None
        if not self.threaded:
            os.set_blocking(output_r, False)
        flags = ["--reference"] if batch.reference else []
        if batch.preload:
            flags += ["--preload", ",".join(batch.preload)]
        self.uid = None
        if batch.sandbox is not None:
            flags += ["--sandboxed", str(batch.limits.processes)]
            self.uid = batch.sandbox.take_uid()
        env = worker_env(Path(workdir, ".home"), {"TMPDIR": f"{workdir}/.tmp", **batch.env_extra})
        # CUDA maps far more address space than it uses: on a GPU, memory is watched, not capped.
        self.watch_memory = "CUDA_VISIBLE_DEVICES" in env
        fds = [event_w]
        try:
            with open(job_file, "rb") as job_fh:
                self.proc = self._warm(job_fh, output_w, event_w, env, flags, workdir, root)
                if self.proc is None:
                    cmd = [sys.executable, "-I", "-c", _BOOT, json.dumps(interpreter_path()),
                           portable.pipe_argument(event_w), *flags]
                    if batch.sandbox is not None:
                        cmd, extra = batch.sandbox.wrap(cmd, batch.files, root, batch.limits.disk_mb,
                                                        self.uid)
                        fds += extra
                    self.proc = subprocess.Popen(
                        cmd, cwd=workdir if batch.sandbox is None else batch.tmp, env=env,
                        stdin=job_fh, stdout=output_w, stderr=output_w,
                        preexec_fn=_limit_child(batch.limits, address_space=not self.watch_memory),
                        **portable.child_popen_options(fds))
        except BaseException:
            os.close(self.event_fd)
            os.close(output_r)
            if batch.sandbox is not None:
                batch.sandbox.give_uid(self.uid)
            raise
        finally:
            for fd in (*fds, output_w):
                os.close(fd)
        # read only once the worker runs (and holds the write ends): a reading thread then owns
        # the read end until every writer is gone
        self.output = WorkerOutput(output_r, token, threaded=self.threaded)
        self.events = _EventReader(self.event_fd) if self.threaded else None

    def _warm(self, job_fh, output_w: int, event_w: int, env: dict, flags: list[str], workdir: str,
              root: Path | None) -> WarmChild | None:
        """The worker forked by the batch's zygote, or None where it cannot be (start it cold)."""
        batch = self.batch
        if batch.zygote is None or batch.zygote.problem:
            return None
        plan = None if batch.sandbox is None else batch.sandbox.plan(
            batch.files, root, batch.limits.disk_mb, self.uid)
        try:
            return batch.zygote.spawn(
                job_fh.fileno(), output_w, event_w, env=env, flags=flags, cwd=workdir, plan=plan,
                memory=None if self.watch_memory else batch.limits.memory_mb * 2**20,
                output_bytes=batch.limits.output_mb * 2**20)
        except (ZygoteFailure, OSError) as exc:
            batch.zygote.problem = str(exc)
            return None

    # -- serving ----------------------------------------------------------------------------
    def run(self) -> None:
        """Start the worker and record outcomes until it ends or is killed."""
        self._start()
        _ACTIVE.add(self.proc)
        try:
            self._serve()
        finally:
            _ACTIVE.discard(self.proc)
            if self.proc.returncode is None:  # not reaped yet, so its pid cannot be anyone else's
                _kill_group(self.proc)
            if self.events is None:
                os.close(self.event_fd)
            else:  # the reading threads close their pipes once every writer is gone
                self.events.close()
            self.output.close()
            if self.batch.sandbox is not None:
                self.batch.sandbox.give_uid(self.uid)

    def _wait(self, watched: list[int], timeout: float) -> tuple[list[int], bytes | None]:
        """Wait up to ``timeout`` s for one of the pipes; return those ready to read, and (threaded)
        the next chunk of events already read (``b""`` at their end)."""
        if self.events is not None:
            chunk = self.events.get(timeout)
            return ([self.event_fd] if chunk is not None else []), chunk
        import select
        return select.select(watched, [], [], timeout)[0], None

    def _serve(self) -> None:
        limits, buffer = self.batch.limits, b""
        watched = [self.event_fd] if self.threaded else [self.event_fd, self.output.fd]
        while True:
            wait = max(0.0, self.deadline - time.monotonic())
            ready, chunk = self._wait(watched, min(wait, 0.5) if self.watch_memory else wait)
            if self.watch_memory and session_rss_mb(self.proc.pid) > limits.memory_mb:
                return self._on_death(outcomes.MEMORY_LIMIT,
                                      f"used more than the {limits.memory_mb} MB memory limit")
            if self.output.fd in ready:
                self.output.read()
                if not self.output.open:
                    watched.remove(self.output.fd)  # every writer is gone
            if self.event_fd in ready:
                if chunk is None:
                    chunk = os.read(self.event_fd, 1 << 16)
                if not chunk:
                    break
                buffer += chunk
                if len(buffer) > _MAX_EVENT_BYTES:
                    return self._on_death(outcomes.OUTPUT_LIMIT, "returned more than 256 MiB of data")
                *lines, buffer = buffer.split(b"\n")
                for line in lines:
                    self._on_event(line)
            if time.monotonic() >= self.deadline:
                return self._on_timeout()
        self.output.read()
        if self.threaded:  # what the worker printed last reaches us once its writers are gone
            self.output.close(wait=1.0)
        try:  # the pipe closed: let the sandbox's own processes report how the worker ended
            self.proc.wait(timeout=2)
        except subprocess.TimeoutExpired:
            pass
        _kill_group(self.proc)
        if self.phase == "ready" and not self.tasks:
            return  # a start-up check: it started
        if self.phase != "start" and self.key in self.by_id and self.key in self.batch.results:
            return  # finished normally
        code = self.proc.returncode
        if self.batch.sandbox is not None and self.batch.sandbox.mechanism == "bubblewrap" and code > 128:
            code = 128 - code  # bwrap exits with 128 + the signal that killed the worker
        if code == -getattr(signal, "SIGXFSZ", 25):
            return self._on_death(outcomes.OUTPUT_LIMIT, f"the grading process {_describe_exit(code)} "
                                  f"(wrote a file larger than the {limits.output_mb} MB limit)")
        self._on_death(outcomes.CRASHED, f"the grading process {_describe_exit(code)}")

    def _on_event(self, line: bytes) -> None:
        try:
            event = wire.decode(line)
            kind = event["ev"]
        except Exception:  # noqa: BLE001 - anything malformed is ignored, never trusted
            return
        now, results = time.monotonic(), self.batch.results
        if kind == "ready" and self.phase == "start":
            self.phase, self.deadline = "ready", now + self.batch.limits.import_timeout
        elif self.phase == "start":
            return  # nothing counts before the worker is ready
        elif kind == "import":
            self.phase, self.key = "import", event.get("chapter", "")
            self.deadline = now + self.batch.limits.import_timeout
        elif kind == "imported":  # each import and each task ends its printed phase
            printed = self.output.take()
            if not event.get("ok"):
                error = event.get("error") if isinstance(event.get("error"), dict) else {}
                self._fail_chapter({"status": outcomes.IMPORT_FAILED, "error": error}, printed)
        elif kind == "start" and event.get("id") in self.by_id:
            task = self.by_id[event["id"]]
            self.phase, self.key, self.deadline = "task", task.id, now + task.timeout
        elif kind == "done":
            printed = self.output.take()
            if event.get("id") in self.by_id and event["id"] not in results:
                outcome = event.get("outcome")
                if not isinstance(outcome, dict) or outcome.get("status") not in outcomes.KINDS:
                    outcome = outcomes.failure(outcomes.CRASHED,
                                               "the grading process sent a malformed result")
                self._record(event["id"], outcome, printed)

    def _record(self, task_id: str, outcome: dict, printed: Printed) -> None:
        """Decide a task, with what it printed (the answer key's printing is not kept)."""
        if printed.total and not self.batch.reference:
            outcome = {**outcome, "printed": printed.text()}
        self.batch.results[task_id] = outcome

    def _fail_chapter(self, outcome: dict, printed: Printed) -> None:
        """A failure outside any task: the chapter being imported (or everything, before the first)."""
        for t in self.tasks:
            if t.id not in self.batch.results and (self.phase == "ready" or t.chapter == self.key):
                self._record(t.id, outcome, printed)

    def _grader_failure(self, how: str) -> GraderFailure:
        text = self.output.so_far().text()
        return GraderFailure(f"a grading worker could not start ({how}); no student code had run. "
                             + (f"Its output:\n{text}" if text else "It printed nothing."))

    def _on_timeout(self) -> None:
        if self.phase == "start":
            raise self._grader_failure(f"not ready after {self.batch.limits.import_timeout:g} s")
        if self.phase == "task":
            task = self.by_id[self.key]
            if task.id not in self.batch.results:  # else it hung between tasks: the rest is rerun
                self._record(task.id, outcomes.failure(outcomes.TIMEOUT,
                                                       f"timed out after {task.timeout:g} s"),
                             self.output.so_far())
        else:
            self._fail_chapter(outcomes.failure(
                outcomes.IMPORT_FAILED,
                f"importing the file took more than {self.batch.limits.import_timeout:g} s"),
                self.output.so_far())

    def _on_death(self, kind: str, detail: str) -> None:
        if self.phase == "start":
            raise self._grader_failure(detail)
        printed = self.output.so_far()
        if self.phase == "task" and self.key not in self.batch.results:
            self._record(self.key, outcomes.failure(kind, detail), printed)
        elif self.phase == "import":
            self._fail_chapter(outcomes.failure(outcomes.IMPORT_FAILED,
                                                f"{detail} while importing the file"), printed)
        elif self.phase == "ready":
            self._fail_chapter(outcomes.failure(kind, detail), printed)
