"""Check cells of the exercise notebooks: ``check("mse")`` inside Jupyter.

The first code cell of an exercise notebook (written by ``autograder sync``) is::

    from autograder.notebook import Checks
    check = Checks("ch02_linear_regression")

and a check cell follows each exercise: ``check("mse")`` runs that exercise's public cases,
``check()`` the whole chapter's, and prints the same PASS/FAIL lines as ``autograder check``.

What is checked is the definitions currently in the kernel, not a file on disk: the cells this
kernel executed (IPython's input history, in the order they ran) are turned into a module by the
conversion that grading applies to a notebook (:mod:`autograder.nbmodule`: magics, shell commands
and top-level code that only computes are left out) and graded on the public cases through the
path of ``autograder check`` (:func:`autograder.check.run_check`): in a separate worker process
with a time limit per case. So a hang stops after the timeout with a message and the kernel stays
usable, an exception raised by the student's code is a FAIL line, and nothing a check does raises
into the notebook (a check that cannot run at all says why, in one line).

Outside IPython (the paired ``.py`` file imported by a grading worker or by ``autograder check``, or
run as a script) the calls do nothing: this module imports nothing heavy, so that importing it
costs a grading worker nothing.
"""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

DEFAULT_TIMEOUT = 60.0
_hinted = False


def _in_worker() -> bool:
    return bool(getattr(sys.modules.get("autograder.worker"), "RUNNING", False))


def _shell():
    """The running IPython shell (a notebook's kernel, or the IPython terminal), else None; None
    inside a grading worker, whatever the student's file imported."""
    if _in_worker():
        return None
    ipython = sys.modules.get("IPython")
    if ipython is None:
        return None
    try:
        return ipython.get_ipython()
    except Exception:  # noqa: BLE001 - an odd IPython: no checks, never an error
        return None


def kernel_cells(shell) -> list[tuple[str, str]]:
    """``(label, source)`` of every cell the kernel executed, in the order they ran (raw input, as
    typed: magics included, which the conversion removes)."""
    history = getattr(getattr(shell, "history_manager", None), "input_hist_raw", None)
    if history is None:
        history = shell.user_ns.get("In", [])
    return [(f"In [{i}]", src) for i, src in enumerate(history) if i and isinstance(src, str)]


class Checks:
    """The check function of one chapter's notebook: ``check = Checks("ch02_linear_regression")``,
    then ``check("mse")`` or ``check()``. ``timeout``: seconds per case (a hang stops then)."""

    def __init__(self, chapter: str, timeout: float = DEFAULT_TIMEOUT, sandbox: str = "auto"):
        self.chapter, self.timeout, self.sandbox = chapter, timeout, sandbox
        self.last: dict | None = None  # the last check's results document (for tests and the curious)

    def __repr__(self) -> str:
        return f"Checks({self.chapter!r})"

    def __call__(self, name: str | None = None, timeout: float | None = None) -> None:
        """Run the public cases of the exercise ``name`` (all the chapter's when None) on the
        definitions in this kernel, and print one line per case."""
        shell = _shell()
        if shell is None:
            self._hint()
            return None
        try:
            self._check(shell, name, timeout or self.timeout)
        except Exception as exc:  # noqa: BLE001 - a check never stops the notebook
            print(f"check could not run: {type(exc).__name__}: {exc}")
        return None

    def _hint(self) -> None:
        global _hinted
        if _in_worker() or _hinted:
            return
        _hinted = True
        from .spec import short_chapter
        print(f"(check() runs inside a Jupyter notebook; from a shell, run: autograder check "
              f"{short_chapter(self.chapter)})", file=sys.stderr)

    def _check(self, shell, name: str | None, timeout: float) -> None:
        from .check import format_table, run_check
        from .nbmodule import cells_to_module, graded_names
        exercises = graded_names(self.chapter)
        if exercises is None:
            print(f"check could not run: no chapter {self.chapter!r} in this course")
            return
        if name is not None and name not in exercises:
            print(f"check: {self.chapter} has no exercise {name!r} (its exercises: "
                  f"{', '.join(sorted(exercises))})")
            return
        converted = cells_to_module(kernel_cells(shell), exercises, "this notebook's kernel")
        with tempfile.TemporaryDirectory(prefix="autograder-check-") as tmp:
            path = Path(tmp) / f"{self.chapter}.py"
            path.write_text(converted.source, encoding="utf-8")
            doc, _ = run_check(self.chapter, path, timeout, self.sandbox,
                               exercises=None if name is None else [name])
        self.last = doc
        table = format_table(doc["tests"])
        note = next((line[len("Note: "):] for line in doc["output"].splitlines()
                     if line.startswith("Note: ")), "")
        print(table + (f"\n(note: {note})" if note else ""))
