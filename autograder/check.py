"""Student self-check: the public cases of one chapter against precomputed expected outputs."""
from __future__ import annotations

from pathlib import Path

from .grading import make_plan, score
from .runner import run_tasks
from .sandbox import choose
from .sync import load_public_expected


def run_check(chapter: str, folder: Path, timeout: float = 60.0,
              sandbox: str = "auto") -> tuple[list[dict], str]:
    """Grade ``folder/<chapter>.py`` on the public cases; return the tests and a printable table.

    Runs isolated where this machine allows it (``sandbox``: see ``autograder.sandbox.choose``),
    and says so in the table where it does not.
    """
    path = folder / f"{chapter}.py"
    if not path.is_file():
        raise FileNotFoundError(f"{path} does not exist (use --path to point at your exercises folder)")
    expected = load_public_expected(chapter)
    plan = make_plan([chapter], public=True, timeout=timeout)
    missing = [t.id for t in plan.tasks if t.id not in expected]
    if missing:
        raise RuntimeError(f"the expected outputs are out of date (no {missing[0]}); "
                           "the course maintainer runs `autograder sync`")
    isolated, why = choose(sandbox)
    tests = score(plan, run_tasks({chapter: path}, plan.runnable, sandbox=isolated), expected)
    table = format_table(tests)
    if isolated is None:
        table += f"\n(note: your code ran without isolation: {why})"
    return tests, table


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
