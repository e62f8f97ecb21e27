"""Student self-check: the public cases of one chapter against precomputed expected outputs, graded
through the same path as a class (``grading.Grading.grade``): a ``.py`` file, or a notebook graded
as the module of its code cells (:mod:`autograder.nbmodule`). A notebook's check cells come here
too (:mod:`autograder.notebook`)."""
from __future__ import annotations

import dataclasses
from pathlib import Path

from .grading import Grading, make_plan, student_files
from .sandbox import isolation_for
from .sync import load_public_expected


def chapter_of(path: Path) -> str | None:
    """The chapter a file is for, by its name (``ch02_linear_regression.ipynb``, ``ch02.py``), or by
    a notebook's metadata (``autograder.chapter``, which the exercise notebooks carry)."""
    from .submissions import match_original
    found = match_original(Path(path).name)
    if found:
        return found.chapter
    if Path(path).suffix.lower() == ".ipynb" and Path(path).is_file():
        from .nbmodule import notebook_metadata
        chapter = notebook_metadata(Path(path).read_bytes()).get("autograder", {}).get("chapter")
        from .spec import CHAPTERS
        return chapter if chapter in CHAPTERS else None
    return None


def _files(chapter: str, path: Path) -> tuple[dict[str, Path], tuple[str, ...]]:
    """What to check: ``path`` itself (a ``.py`` file or a notebook), or the chapter's file in the
    folder ``path`` (the ``.py`` or the notebook; of both, :func:`autograder.nbmodule.choose`'s)."""
    if path.is_file():
        if path.suffix.lower() not in (".py", ".ipynb"):
            raise ValueError(f"{path} is neither a .py file nor a notebook (.ipynb)")
        return {chapter: path}, ()
    if not path.is_dir():
        raise FileNotFoundError(f"{path} does not exist (use --path to point at your exercises "
                                "folder, or give the file)")
    files, notes = student_files(path, [chapter])
    if not files:
        raise FileNotFoundError(f"{path / (chapter + '.py')} does not exist (nor {chapter}.ipynb; "
                                "use --path to point at your exercises folder, or give the file)")
    return files, notes


def run_check(chapter: str, path: Path, timeout: float = 60.0, sandbox: str = "auto",
              exercises: list[str] | None = None) -> tuple[dict, str]:
    """Grade the chapter's file in the folder ``path`` (or the file ``path``: a ``.py`` file or a
    notebook) on the public cases (of ``exercises`` only, when given); return its results document
    and a printable table.

    Runs isolated where this machine allows it (``sandbox``: see ``autograder.sandbox.choose``),
    and says so under the table where it does not.
    """
    files, notes = _files(chapter, Path(path))
    plan = make_plan([chapter], public=True, timeout=timeout)
    if exercises is not None:
        keep = [t for t in plan.tasks if t.exercise in exercises]
        plan = dataclasses.replace(plan, tasks=keep,
                                   skipped={k: v for k, v in plan.skipped.items()
                                            if any(t.id == k for t in keep)})
    try:
        grading = Grading(plan, load_public_expected(chapter), isolation_for("check", sandbox),
                          preload=False)
    except RuntimeError as exc:
        raise RuntimeError(f"the expected outputs are out of date ({exc}); the course maintainer "
                           "runs `autograder sync`") from None
    doc = grading.grade(files, notes=notes)
    table = format_table(doc["tests"])
    extra = [line for line in doc["output"].splitlines()[1:]
             if not line.startswith("Note: ") and not line.endswith("nothing was left out.")]
    if extra:
        table += "\n\n" + "\n".join(extra)
    if grading.isolation.note:
        table += f"\n(note: {grading.isolation.note})"
    return doc, table


def format_table(tests: list[dict]) -> str:
    if not tests:
        return "no public checks to run."
    width = max(len(t["name"]) for t in tests)
    rows = []
    for t in tests:
        mark = "PASS" if t["status"] == "passed" else "FAIL"
        first, *rest = (t["output"] or "").splitlines() or [""]
        rows.append(f"{t['name'].ljust(width)}  {mark}  {first}")
        rows.extend(f"{'':{width}}        {line}" for line in rest[:12])
    passed = sum(t["status"] == "passed" for t in tests)
    rows.append(f"\n{passed} of {len(tests)} public checks pass.")
    return "\n".join(rows)
