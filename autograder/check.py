"""Student self-check: the public cases of one chapter against precomputed expected outputs, graded
through the same path as a class (``grading.Grading.grade``)."""
from __future__ import annotations

from pathlib import Path

from .grading import Grading, make_plan
from .sandbox import isolation_for
from .sync import load_public_expected


def run_check(chapter: str, folder: Path, timeout: float = 60.0,
              sandbox: str = "auto") -> tuple[dict, str]:
    """Grade ``folder/<chapter>.py`` on the public cases; return its results document and a
    printable table.

    Runs isolated where this machine allows it (``sandbox``: see ``autograder.sandbox.choose``),
    and says so under the table where it does not.
    """
    path = folder / f"{chapter}.py"
    if not path.is_file():
        raise FileNotFoundError(f"{path} does not exist (use --path to point at your exercises folder)")
    plan = make_plan([chapter], public=True, timeout=timeout)
    try:
        grading = Grading(plan, load_public_expected(chapter), isolation_for("check", sandbox),
                          preload=False)
    except RuntimeError as exc:
        raise RuntimeError(f"the expected outputs are out of date ({exc}); the course maintainer "
                           "runs `autograder sync`") from None
    doc = grading.grade({chapter: path})
    table = format_table(doc["tests"])
    if grading.isolation.note:
        table += f"\n(note: {grading.isolation.note})"
    return doc, table


def format_table(tests: list[dict]) -> str:
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
