"""Generate the student stubs in exercises/ (and the public checks' expected outputs, and the
README's table of points) from solutions/ and the grading specs.

Every region between ``# BEGIN SOLUTION`` and ``# END SOLUTION`` of a solution file becomes one
``raise NotImplementedError("<chapter>.<exercise>: ...")`` line at the region's indentation; the
rest of the file (signatures, docstrings) is kept. ``exercises/`` is never edited by hand.
"""
from __future__ import annotations

import ast
from pathlib import Path

from . import wire
from .spec import CHAPTERS, stub_message

BEGIN, END = "# BEGIN SOLUTION", "# END SOLUTION"
REPO = Path(__file__).resolve().parent.parent
PUBLIC_DIR = Path(__file__).resolve().parent / "public"
HEADER = ('# Exercises: replace each `raise NotImplementedError(...)` line with your code, then run\n'
          '#     autograder check {short}\n'
          '# (Generated from the answer key by `autograder sync`; course maintainers edit solutions/.)\n')


class SyncError(ValueError):
    """A solution file whose markers do not pair up."""


def _enclosing_names(tree: ast.AST) -> list[tuple[int, int, str]]:
    """(first line, last line, dotted name) of every function and class."""
    spans = []

    def walk(node, prefix):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                name = f"{prefix}{child.name}"
                spans.append((child.lineno, child.end_lineno, name))
                walk(child, name + ".")
            else:
                walk(child, prefix)
    walk(tree, "")
    return spans


def solution_regions(source: str) -> list[tuple[int, int, str]]:
    """(begin index, end index, exercise name) of each region, 0-based line indices."""
    lines = source.splitlines()
    spans = _enclosing_names(ast.parse(source))
    regions, begin = [], None
    for i, line in enumerate(lines):
        marker = line.strip()
        if marker == BEGIN:
            if begin is not None:
                raise SyncError(f"line {i + 1}: {BEGIN} inside another region (line {begin + 1})")
            begin = i
        elif marker == END:
            if begin is None:
                raise SyncError(f"line {i + 1}: {END} without {BEGIN}")
            inside = [s for s in spans if s[0] <= begin + 1 <= s[1]]
            name = max(inside, key=lambda s: s[0])[2] if inside else "module"
            regions.append((begin, i, name))
            begin = None
    if begin is not None:
        raise SyncError(f"line {begin + 1}: {BEGIN} is never closed")
    return regions


def stub_source(source: str, chapter: str, keep: set[str] = frozenset()) -> str:
    """Replace every solution region (except those of exercises in ``keep``) by a stub."""
    lines = source.splitlines(keepends=True)
    out, pos = [], 0
    for begin, end, name in solution_regions(source):
        out.extend(lines[pos:begin])
        if name in keep:
            out.extend(lines[begin + 1:end])
        else:
            indent = lines[begin][: len(lines[begin]) - len(lines[begin].lstrip())]
            out.append(f'{indent}raise NotImplementedError("{stub_message(chapter, name)}")\n')
        pos = end + 1
    out.extend(lines[pos:])
    return "".join(out)


def exercise_file(chapter: str, source: str) -> str:
    return HEADER.format(short=chapter.split("_")[0]) + stub_source(source, chapter)


def solution_chapters() -> list[str]:
    return [c for c in CHAPTERS if (REPO / "solutions" / f"{c}.py").is_file()]



def write_public_expected(chapters: list[str], folder: Path = PUBLIC_DIR) -> list[Path]:
    """Run the answer key on the public cases; store its outcomes (plain data) per chapter."""
    from .grading import make_plan, reference_outcomes
    from .results import write_atomic
    written = []
    for chapter in chapters:
        plan = make_plan([chapter], public=True)
        outcomes = reference_outcomes(plan)
        path = folder / f"{chapter}.json"
        write_atomic(path, wire.encode(outcomes, indent=1) + "\n")
        written.append(path)
    return written


def load_public_expected(chapter: str, folder: Path = PUBLIC_DIR) -> dict:
    path = folder / f"{chapter}.json"
    if not path.is_file():
        raise FileNotFoundError(f"no expected outputs for {chapter} ({path}); the course maintainer "
                                "runs `autograder sync` to make them")
    return wire.decode(path.read_text(encoding="utf-8"))


def _readme_with_points() -> tuple[Path, str]:
    from .points import with_readme_table
    from .spec import graded_chapters
    readme = REPO / "README.md"
    return readme, with_readme_table(readme.read_text(encoding="utf-8"), graded_chapters())


def stale_files() -> list[str]:
    """The generated files that differ from what sync would write (``exercises/chNN.py``,
    ``README.md``'s table of points)."""
    stale = [f"exercises/{c}.py" for c in stale_exercises()]
    readme, text = _readme_with_points()
    if readme.read_text(encoding="utf-8") != text:
        stale.append("README.md (table of points)")
    return stale


def stale_exercises() -> list[str]:
    """Chapters whose exercises/ file differs from what sync would write."""
    stale = []
    for chapter in solution_chapters():
        source = (REPO / "solutions" / f"{chapter}.py").read_text(encoding="utf-8")
        target = REPO / "exercises" / f"{chapter}.py"
        if not target.is_file() or target.read_text(encoding="utf-8") != exercise_file(chapter, source):
            stale.append(chapter)
    return stale


def sync(chapters: list[str] | None = None, with_expected: bool = True) -> list[Path]:
    """Regenerate exercises/ (and the public expected outputs) of ``chapters`` (default: all with
    an answer key); return the files written."""
    from .results import write_atomic
    written = []
    chapters = [c for c in solution_chapters() if chapters is None or c in chapters]
    for chapter in chapters:
        source = (REPO / "solutions" / f"{chapter}.py").read_text(encoding="utf-8")
        target = REPO / "exercises" / f"{chapter}.py"
        text = exercise_file(chapter, source)
        if not target.is_file() or target.read_text(encoding="utf-8") != text:
            write_atomic(target, text)
            written.append(target)
    init = REPO / "exercises" / "__init__.py"
    if not init.exists():
        write_atomic(init, '"""Student exercise stubs (generated by `autograder sync`)."""\n')
    readme, text = _readme_with_points()
    if readme.read_text(encoding="utf-8") != text:
        write_atomic(readme, text)
        written.append(readme)
    if with_expected:
        from .spec import graded_chapters
        written += write_public_expected([c for c in chapters if c in graded_chapters()])
    return written
