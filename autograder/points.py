"""What each exercise and chapter is worth: ``autograder points``, the README's table and the
student bundle's. Each exercise declares its points (``spec.Exercise.points``), split evenly over
its hidden cases, so adding or removing a case changes no weight."""
from __future__ import annotations

from . import spec
from .results import fmt_points

README_BEGIN = "<!-- points: written by `autograder sync` from autograder/chapters/ -->"
README_END = "<!-- /points -->"


def weights(chapters: list[str]) -> dict[str, dict[str, float]]:
    """Chapter -> exercise -> points, in course order."""
    return {c: {name: ex.points for name, ex in spec.load_exercises(c).items()} for c in chapters}


def summary_table(chapters: list[str]) -> str:
    """A Markdown table: one row per chapter with its total and its exercises' points."""
    rows = ["| chapter | points | exercises (points) |", "| --- | ---: | --- |"]
    table = weights(chapters)
    for chapter, exercises in table.items():
        listed = ", ".join(f"`{name}` {fmt_points(p)}" for name, p in exercises.items())
        rows.append(f"| `{chapter}` | {fmt_points(sum(exercises.values()))} | {listed} |")
    total = sum(sum(ex.values()) for ex in table.values())
    rows.append(f"| **total** | **{fmt_points(total)}** | |")
    return "\n".join(rows)


def detail_table(chapters: list[str]) -> str:
    """Plain text: every exercise's points and, where the hidden cases are installed (the
    instructor's copy), how many cases share them."""
    try:
        cases = {c: spec.hidden_cases(c) for c in chapters}
    except ImportError:  # the student bundle
        cases = None
    lines = []
    for chapter, exercises in weights(chapters).items():
        lines.append(f"{chapter}: {fmt_points(sum(exercises.values()))} points")
        width = max(map(len, exercises))
        for name, p in exercises.items():
            line = f"  {name:{width}}  {fmt_points(p):>4}"
            if cases is not None:
                n = len(cases[chapter].get(name, ()))
                line += f"  over {n} hidden case{'s' if n != 1 else ''}"
            lines.append(line)
    total = sum(sum(ex.values()) for ex in weights(chapters).values())
    lines.append(f"total: {fmt_points(total)} points")
    return "\n".join(lines)


def with_readme_table(readme: str, chapters: list[str]) -> str:
    """``readme`` with the table between its markers replaced by the current one."""
    start, end = readme.find(README_BEGIN), readme.find(README_END)
    if start < 0 or end < start:
        raise ValueError(f"README.md has no {README_BEGIN} ... {README_END} block")
    return (readme[:start + len(README_BEGIN)] + "\n" + summary_table(chapters) + "\n"
            + readme[end:])
