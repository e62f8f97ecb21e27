"""Grading worker: imports one submission's chapter files and runs probes on them.

Started by :mod:`autograder.runner` (``main([FD, "--reference"?, "--preload" CHAPTERS?, "--sandboxed" NPROC?])`` in
``python -I``) in a folder that holds only the submission's files. It reads its tasks from stdin
(then closes it), blocks imports of the private modules (``spec.PRIVATE_MODULES``), puts trip-wires
on the forbidden APIs, reports ``ready``, and for each task seeds everything, runs the exercise's
probe and writes one JSON line (``wire`` format) to the inherited pipe FD. Its stdout and stderr are
a pipe the runner drains (printing never fails). In a sandbox it also sets its process limit and,
after each task, ends every process the task left behind and deletes the files it wrote, so that a
fork bomb or a full disk costs only that task. Everything here runs next to untrusted code: the
parent trusts none of it beyond "these are plain data", and enforces time, crashes and limits from
outside.

Events written: ``{"ev": "ready"}``, ``{"ev": "import", "chapter"}``,
``{"ev": "imported", "chapter", "ok", "error"?}``, ``{"ev": "start", "id"}``,
``{"ev": "done", "id", "outcome"}`` with an outcome of :mod:`autograder.outcomes`.
"""
from __future__ import annotations

import errno
import importlib.abc
import importlib.util
import os
import shutil
import signal
import sys
import traceback

from . import outcomes, wire
from .output import marker
from .spec import PRIVATE_MODULES, is_stub_raise

_TRACEBACK_CHARS = 3000
RUNNING = False  # set by main(): this process is a grading worker (the notebook's checks do nothing)


class ForbiddenAPI(BaseException):
    """Raised by a trip-wire; a BaseException so that ``except Exception`` does not swallow it."""


class _BlockPrivate(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if any(name == p or name.startswith(p + ".") for p in PRIVATE_MODULES):
            raise ImportError(f"{name} is not available while grading")
        return None


class _Tripwires(importlib.abc.MetaPathFinder):
    """Replaces forbidden functions by wrappers that fail while a forbidding exercise runs.

    A function of a package that is not imported yet (say ``tensorflow.nn.conv2d``) is wired as soon
    as something imports the package, so guarding an API never costs its import.
    """

    def __init__(self):
        self.active: set[str] = set()
        self.used: str | None = None
        self.pending: dict[str, list[str]] = {}  # top-level package -> dotted names

    def install(self, dotted: str) -> None:
        top = dotted.split(".", 1)[0]
        if top in sys.modules:
            self._wire(dotted)
        else:
            self.pending.setdefault(top, []).append(dotted)

    def find_spec(self, name, path=None, target=None):
        if name not in self.pending:
            return None
        for finder in sys.meta_path:
            if finder is not self and hasattr(finder, "find_spec"):
                spec = finder.find_spec(name, path, target)
                if spec is not None and spec.loader is not None:
                    break
        else:
            return None
        run_module, wires = spec.loader.exec_module, self

        def exec_module(module):
            run_module(module)
            for dotted in wires.pending.pop(name, []):
                wires._wire(dotted)
        spec.loader.exec_module = exec_module
        return spec

    def _wire(self, dotted: str) -> None:
        module_name, _, attr = dotted.rpartition(".")
        try:
            original = getattr(importlib.import_module(module_name), attr)
        except (ImportError, AttributeError):
            return  # nothing to guard: the API does not exist here
        wires = self

        def wire(*args, **kwargs):
            if dotted in wires.active:
                wires.used = dotted
                raise ForbiddenAPI(dotted)
            return original(*args, **kwargs)

        wire.__name__ = getattr(original, "__name__", attr)
        wire.__doc__ = getattr(original, "__doc__", None)
        for mod in list(sys.modules.values()):  # every alias of the same function: looked up in
            try:  # the module's namespace (fast), or through a lazy module's own __getattr__
                namespace = vars(mod)
                found = getattr(mod, attr, None) if "__getattr__" in namespace else namespace.get(attr)
                if found is original:
                    setattr(mod, attr, wire)
            except Exception:  # noqa: BLE001 - odd modules refuse setattr or have no __dict__
                continue


def _student_frames(exc: BaseException, workdir: str) -> list:
    """The traceback frames inside the submission (the grader's frames say nothing useful)."""
    return [f for f in traceback.extract_tb(exc.__traceback__)
            if f.filename.startswith(workdir + os.sep)]


def _student_traceback(exc: BaseException, workdir: str) -> str:
    text = "".join(traceback.format_list(_student_frames(exc, workdir))) + "".join(
        traceback.format_exception_only(type(exc), exc))
    return text.replace(workdir + os.sep, "")[-_TRACEBACK_CHARS:]


_LIMITS = {errno.EAGAIN: outcomes.PROCESS_LIMIT, errno.ENOSPC: outcomes.DISK_LIMIT,
           getattr(errno, "EDQUOT", errno.ENOSPC): outcomes.DISK_LIMIT,  # (no EDQUOT on Windows)
           errno.EFBIG: outcomes.OUTPUT_LIMIT}


def _limit_hit(exc: BaseException) -> str | None:
    """The limit behind ``exc`` or the errors it was raised from, if any (an outcome kind)."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, MemoryError):
            return outcomes.MEMORY_LIMIT
        if isinstance(exc, OSError) and exc.errno in _LIMITS:
            if exc.errno != errno.EAGAIN or isinstance(exc, BlockingIOError):
                return _LIMITS[exc.errno]
        exc = exc.__cause__ or exc.__context__
    return None


def error_outcome(exc: BaseException, workdir: str) -> dict:
    """The outcome of an exception: a limit hit, the stub's own raise, the student's own raise (it
    passed through their file), or else a result the probe or the wire could not use after the
    student's code returned (not plain data: never taken for a required raise)."""
    kind = _limit_hit(exc)
    if kind is None:
        if is_stub_raise(exc):
            kind = outcomes.NOT_IMPLEMENTED
        elif isinstance(exc, wire.NotPlainData) or not _student_frames(exc, workdir):
            kind = outcomes.NOT_PLAIN_DATA
        else:
            kind = outcomes.RAISED
    return {"status": kind, "error": {
        "type": type(exc).__name__, "mro": [c.__name__ for c in type(exc).__mro__],
        "message": str(exc)[:_TRACEBACK_CHARS], "traceback": _student_traceback(exc, workdir)}}


class _Cleanup:
    """In a sandbox (its own PID namespace): after each task, end the processes it left behind and
    delete the files it wrote in the working folder."""

    def __init__(self, workdir: str):
        self.workdir, self.keep = workdir, set()

    def snapshot(self):
        """What is there now stays (the chapter file, what its import wrote)."""
        self.keep = set(self._paths(self.workdir))

    @staticmethod
    def _paths(root):
        for path, dirs, files in os.walk(root):
            yield path
            yield from (os.path.join(path, name) for name in dirs + files)

    def __call__(self):
        try:
            os.kill(-1, signal.SIGKILL)  # every process of this namespace that is not us or PID 1
        except ProcessLookupError:
            pass
        while True:
            try:
                if os.waitpid(-1, os.WNOHANG)[0] == 0:
                    break
            except ChildProcessError:
                break
        for path in sorted(set(self._paths(self.workdir)) - self.keep, key=len):
            if os.path.islink(path) or not os.path.isdir(path):
                _quietly(os.unlink, path)
            else:
                shutil.rmtree(path, ignore_errors=True)


def _quietly(fn, *args):
    try:
        fn(*args)
    except OSError:
        pass


class _Phases:
    """Marks where each import and task starts and ends in the output pipe (see
    :mod:`autograder.output`), through a copy of the pipe that child processes do not inherit."""

    def __init__(self, token: str):
        self.fd, self.token = os.dup(1), token

    def _write(self, kind: str) -> None:
        try:
            os.write(self.fd, marker(self.token, kind))
        except OSError:  # the student closed it: their feedback loses its printed output
            pass

    def start(self) -> None:
        self._write("S")

    def end(self) -> None:
        for stream in (sys.stdout, sys.stderr):  # what the phase printed goes first
            try:
                stream.flush()
            except Exception:  # noqa: BLE001 - the student may have replaced or closed it
                pass
        self._write("E")


def run_task(module, exercise, task: dict, wires: _Tripwires, workdir: str) -> dict:
    """Run one case's probe on the imported chapter ``module``; return its outcome."""
    if not hasattr(module, exercise.name):
        return outcomes.failure(outcomes.MISSING, f"{module.__name__}.py defines no {exercise.name!r}")
    from .seeding import seed_everything
    wires.active, wires.used = set(exercise.forbidden), None
    try:
        seed_everything(task["seed"])
        outcome = {"status": outcomes.OK,
                   "value": wire.to_plain(exercise.run_probe(module, task["inputs"]))}
    except ForbiddenAPI as exc:
        outcome = {"status": outcomes.FORBIDDEN, "api": str(exc)}
    except BaseException as exc:  # noqa: BLE001 - SystemExit, KeyboardInterrupt too
        outcome = error_outcome(exc, workdir)
    finally:
        wires.active = set()
    if wires.used:  # caught by the student's own code: still forbidden
        outcome = {"status": outcomes.FORBIDDEN, "api": wires.used}
    return outcome


def _import_chapter(chapter: str, path: str):
    spec = importlib.util.spec_from_file_location(chapter, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[chapter] = module
    spec.loader.exec_module(module)
    return module


def preload(chapters) -> None:
    """Import what nearly every submission of a plan of ``chapters`` needs, before any student code
    runs (``--preload``): ``spec.preload_modules`` (numpy; Keras with its backend and scikit-learn's
    datasets for chapters that use Keras), then the modules of the chapters' forbidden APIs that
    belong to a package now loaded (wiring their trip-wires would import them anyway). A cold worker
    thus starts from the same modules and address space (which the memory limit counts) as a warm
    one (:mod:`autograder.zygote`, which did this once), whatever the student's file imports."""
    from .spec import load_exercises, preload_modules
    for name in preload_modules(chapters):
        importlib.import_module(name)
    for chapter in chapters:
        for exercise in load_exercises(chapter).values():
            for dotted in exercise.forbidden:
                if dotted.split(".", 1)[0] in sys.modules:
                    try:
                        importlib.import_module(dotted.rpartition(".")[0])
                    except ImportError:
                        pass


def main(argv: list[str]) -> int:
    global RUNNING
    RUNNING = True
    from .portable import die_with_parent, open_pipe_argument
    die_with_parent()  # again: changing to user nobody cleared the one the sandbox's parent set
    out = os.fdopen(open_pipe_argument(argv[0]), "w", buffering=1, encoding="utf-8")
    reference = "--reference" in argv
    sandboxed = "--sandboxed" in argv
    if sandboxed:
        import resource
        nproc = int(argv[argv.index("--sandboxed") + 1])
        resource.setrlimit(resource.RLIMIT_NPROC, (nproc, nproc))
    job = wire.decode(sys.stdin.buffer.read().decode("utf-8"))
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)  # the tasks are gone once read
    os.close(null)
    if not reference:
        sys.meta_path.insert(0, _BlockPrivate())
    if "--preload" in argv:
        preload(argv[argv.index("--preload") + 1].split(","))  # the plan's chapters
    from .spec import load_exercises

    def emit(**event):
        out.write(wire.encode(event) + "\n")

    workdir = os.path.abspath(os.getcwd())
    specs = {ch: load_exercises(ch) for ch in job["chapters"]}
    wires = _Tripwires()
    sys.meta_path.insert(0, wires)
    for ch, tasks in job["chapters"].items():
        for name in {t["exercise"] for t in tasks}:
            for dotted in specs[ch][name].forbidden:
                wires.install(dotted)

    emit(ev="ready")
    phases = _Phases(job["token"])
    cleanup = _Cleanup(workdir) if sandboxed else None
    for chapter, tasks in job["chapters"].items():
        emit(ev="import", chapter=chapter)
        phases.start()
        try:
            module = _import_chapter(chapter, job["paths"][chapter])
        except BaseException as exc:  # noqa: BLE001 - SystemExit at import included
            phases.end()
            emit(ev="imported", chapter=chapter, ok=False, error=error_outcome(exc, workdir)["error"])
            continue
        phases.end()
        emit(ev="imported", chapter=chapter, ok=True)
        if cleanup:
            cleanup.snapshot()
        for task in tasks:
            emit(ev="start", id=task["id"])
            phases.start()
            outcome = run_task(module, specs[chapter][task["exercise"]], task, wires, workdir)
            if cleanup:
                cleanup()
            phases.end()
            try:
                emit(ev="done", id=task["id"], outcome=outcome)
            except (TypeError, ValueError) as exc:
                emit(ev="done", id=task["id"], outcome=error_outcome(exc, workdir))
    out.flush()
    return 0
