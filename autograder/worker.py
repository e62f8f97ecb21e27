"""Grading worker: imports one submission's chapter files and runs probes on them.

Started by :mod:`autograder.runner` (``main(TASKFILE, FD)`` in ``python -I``) in a temporary
directory that holds only the submission's files. It reads its tasks (then deletes the file), blocks
imports of the answer key and the hidden cases, puts trip-wires on the forbidden APIs, and for each
task seeds everything, runs the exercise's probe and writes one JSON line (``wire`` format) to the
inherited pipe FD. Everything here runs next to untrusted code: the parent trusts none of it beyond
"these are plain data", and enforces time, crashes and limits from outside.

Events written: ``{"ev": "import", "chapter"}``, ``{"ev": "imported", "chapter", "ok", "error"?}``,
``{"ev": "start", "id"}``, ``{"ev": "done", "id", "outcome"}`` with ``outcome`` one of
``{"status": "ok", "value"}``, ``{"status": "error", "type", "mro", "message", "traceback"}``,
``{"status": "forbidden", "api"}``, ``{"status": "missing", "message"}``.
"""
from __future__ import annotations

import importlib.abc
import importlib.util
import os
import sys
import traceback

PRIVATE_PACKAGES = ("solutions", "autograder.hidden", "autograder.demo")
_TRACEBACK_CHARS = 3000


class ForbiddenAPI(BaseException):
    """Raised by a trip-wire; a BaseException so that ``except Exception`` does not swallow it."""


class _BlockPrivate(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if any(name == p or name.startswith(p + ".") for p in PRIVATE_PACKAGES):
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
        for mod in list(sys.modules.values()):  # every alias of the same function
            try:
                if getattr(mod, attr, None) is original:
                    setattr(mod, attr, wire)
            except Exception:  # noqa: BLE001 - odd modules refuse setattr; skip them
                continue


def _student_traceback(exc: BaseException, workdir: str) -> str:
    """The traceback frames inside the submission only (the grader's frames say nothing useful)."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__)
              if f.filename.startswith(workdir + os.sep)]
    text = "".join(traceback.format_list(frames)) + "".join(
        traceback.format_exception_only(type(exc), exc))
    return text.replace(workdir + os.sep, "")[-_TRACEBACK_CHARS:]


def _error_outcome(exc: BaseException, workdir: str) -> dict:
    return {"status": "error", "type": type(exc).__name__,
            "mro": [c.__name__ for c in type(exc).__mro__],
            "message": str(exc)[:_TRACEBACK_CHARS], "traceback": _student_traceback(exc, workdir)}


def main(argv: list[str]) -> int:
    from .runner import die_with_parent
    die_with_parent()  # again: changing to user nobody cleared the one the sandbox's parent set
    task_file, fd = argv[0], int(argv[1])
    reference = "--reference" in argv
    out = os.fdopen(fd, "w", buffering=1, encoding="utf-8")
    from . import wire
    with open(task_file, encoding="utf-8") as fh:
        job = wire.decode(fh.read())
    if not reference:
        os.unlink(task_file)
        sys.meta_path.insert(0, _BlockPrivate())
    from .seeding import seed_everything
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

    for chapter, tasks in job["chapters"].items():
        path = job["paths"][chapter]
        emit(ev="import", chapter=chapter)
        try:
            spec = importlib.util.spec_from_file_location(chapter, path)
            module = importlib.util.module_from_spec(spec)
            sys.modules[chapter] = module
            spec.loader.exec_module(module)
        except BaseException as exc:  # noqa: BLE001 - SystemExit at import included
            emit(ev="imported", chapter=chapter, ok=False, error=_error_outcome(exc, workdir))
            continue
        emit(ev="imported", chapter=chapter, ok=True)
        for task in tasks:
            emit(ev="start", id=task["id"])
            exercise = specs[chapter][task["exercise"]]
            if not hasattr(module, exercise.name):
                outcome = {"status": "missing",
                           "message": f"{chapter}.py defines no {exercise.name!r}"}
            else:
                wires.active, wires.used = set(exercise.forbidden), None
                try:
                    seed_everything(task["seed"])
                    value = wire.to_plain(exercise.run_probe(module, task["inputs"]))
                    outcome = {"status": "ok", "value": value}
                except ForbiddenAPI as exc:
                    outcome = {"status": "forbidden", "api": str(exc)}
                except BaseException as exc:  # noqa: BLE001 - SystemExit, KeyboardInterrupt too
                    outcome = _error_outcome(exc, workdir)
                finally:
                    wires.active = set()
                if wires.used:  # caught by the student's own code: still forbidden
                    outcome = {"status": "forbidden", "api": wires.used}
            try:
                emit(ev="done", id=task["id"], outcome=outcome)
            except (TypeError, ValueError) as exc:
                emit(ev="done", id=task["id"], outcome=_error_outcome(exc, workdir))
    out.flush()
    return 0

