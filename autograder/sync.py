"""Generate the student exercises in exercises/ (and the public checks' expected outputs, and the
README's table of points) from solutions/ and the grading specs.

Every region between ``# BEGIN SOLUTION`` and ``# END SOLUTION`` of a solution file becomes one
``raise NotImplementedError("<chapter>.<exercise>: ...")`` line at the region's indentation; the
rest of the file (signatures, docstrings) is kept (:func:`stub_source`).

Each chapter's exercises are one notebook in two paired files (jupytext pairing: the same cells,
so that the two never drift): ``exercises/<chapter>.ipynb`` and ``exercises/<chapter>.py``, the
notebook in jupytext's "percent" format (``# %%`` marks a cell), which is also a plain module that
``autograder check`` and grading import. The cells (:func:`exercise_cells`): the module's
introduction as markdown, with how to work in the notebook; a setup cell (the module's imports and
``check = Checks("<chapter>")``, see :mod:`autograder.notebook`); then for each exercise its
docstring as markdown (``code`` spans kept, ``:math:`` roles as LaTeX), its stub as a code cell and
a check cell, ``check("<name>")``. Notebooks are written without outputs, with fixed cell ids and
metadata, so that regenerating them changes nothing. The notebook's metadata names its chapter
(``autograder.chapter``) and the pairing (``jupytext.formats``): where Jupyter runs with jupytext,
saving the notebook rewrites the ``.py`` file, and the other way round. ``exercises/`` is never
edited by hand; ``sync --check`` reports a file that differs from what sync would write (the
``.py`` file compared cell by cell as jupytext reads it, so another jupytext version's spacing is
no difference).
"""
from __future__ import annotations

import ast
import inspect
import json
import re
from pathlib import Path

from . import wire
from .spec import CHAPTERS, short_chapter, stub_message

BEGIN, END = "# BEGIN SOLUTION", "# END SOLUTION"
REPO = Path(__file__).resolve().parent.parent
PUBLIC_DIR = Path(__file__).resolve().parent / "public"
PAIRING = "ipynb,py:percent"
HOW_TO = """\
**How to work in this notebook.** Run the setup cell below first. Then, for each exercise, write your
code in place of the `raise NotImplementedError(...)` line, run the cell, and run the check cell
after it: `check("name")` runs that exercise's public checks on the definition in this kernel and
prints `PASS` or `FAIL` for each case (a hang stops after the time limit; an error in your code is a
`FAIL` line); `check()` runs the whole chapter. From a shell, `autograder check {short}` checks the
exercises folder (this notebook, or the paired `{chapter}.py` file), and `autograder check
{chapter}.ipynb` this notebook. Your grade comes from hidden cases with other inputs. Scratch
cells (plots, training runs, prints) are fine: grading keeps only the imports, definitions and
constants, and leaves the rest out.

_Generated from the answer key by `autograder sync` (course maintainers edit `solutions/`)._"""


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


_SECTION = re.compile(r"^(Args|Arguments|Parameters|Returns|Raises|Yields|Attributes|Note|Notes|"
                      r"Example|Examples|Warning|See also)\b[^:]*:\s*$")


_ITEM = re.compile(r"^[\w*][\w*, .()\[\]]*:(\s|$)")


def docstring_markdown(doc: str) -> str:
    """A docstring as markdown: ````code```` spans as `code`, ``:math:`x``` as ``$x$``, and the
    items of a section (``Args:``, ``Returns:``, ...) as a bulleted list under a bold heading."""
    doc = re.sub(r":math:`([^`]+)`", r"$\1$", doc)
    doc = re.sub(r"``(.+?)``", r"`\1`", doc)
    out, in_section, first = [], False, False
    for line in doc.splitlines():
        stripped, indent = line.strip(), len(line) - len(line.lstrip())
        if indent == 0 and _SECTION.match(stripped):
            out += ["", f"**{stripped}**", ""]
            in_section, first = True, True
        elif in_section and stripped and indent > 0:  # an item ("name: ...") or its continuation
            item = first or (indent <= 4 and bool(_ITEM.match(stripped)))
            out.append(("- " if item else "  ") + stripped)
            first = False
        else:
            in_section = in_section and bool(stripped)
            out.append(line)
    text = "\n".join(out).strip()
    return re.sub(r"\n{3,}", "\n\n", text)


def _segment(lines: list[str], node: ast.stmt) -> str:
    first = min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", []))])
    return "\n".join(lines[first - 1:node.end_lineno])


def exercise_cells(chapter: str, source: str) -> list[dict]:
    """The cells of the chapter's exercise notebook, from its answer key's ``source``: dicts with
    ``cell_type``, ``id`` and ``source`` (see the module's docstring)."""
    from .points import weights
    stub = stub_source(source, chapter)
    tree, lines = ast.parse(stub), stub.splitlines()
    points = weights([chapter]).get(chapter, {}) if _graded(chapter) else {}
    doc = inspect.cleandoc(ast.get_docstring(tree, clean=False) or chapter)
    title, _, rest = doc.partition("\n")
    intro = f"# {docstring_markdown(title)}\n\n{docstring_markdown(rest)}".rstrip()
    intro += "\n\n" + HOW_TO.format(short=short_chapter(chapter), chapter=chapter)
    setup, defs = [], []
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            defs.append(node)
        elif not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
                  and node is tree.body[0]):
            setup.append(node)
    if setup and (not defs or setup[-1].end_lineno < defs[0].lineno):  # the module's head, as it is
        setup_code = "\n".join(lines[setup[0].lineno - 1:setup[-1].end_lineno])
    else:
        setup_code = "\n\n".join(_segment(lines, node) for node in setup)
    setup_code = (setup_code + "\n\n" if setup_code else "") + (
        "# check(\"name\") runs an exercise's public checks on your definition; check() all of them\n"
        "from autograder.notebook import Checks\n\n"
        f'check = Checks("{chapter}")')
    cells = [_cell("markdown", "intro", intro), _cell("code", "setup", setup_code)]
    for node in defs:
        name = node.name
        worth = points.get(name)
        heading = f"## Exercise `{name}`" + (f" ({worth:g} point{'s' if worth != 1 else ''})"
                                               if worth is not None else "")
        text = docstring_markdown(inspect.cleandoc(ast.get_docstring(node, clean=False) or ""))
        cells.append(_cell("markdown", f"{name}-text", f"{heading}\n\n{text}".rstrip()))
        cells.append(_cell("code", f"{name}-code", _segment(lines, node)))
        if worth is not None:
            cells.append(_cell("code", f"{name}-check", f'check("{name}")'))
    return cells


def _graded(chapter: str) -> bool:
    from .spec import graded_chapters
    return chapter in graded_chapters()


def _cell(kind: str, cell_id: str, source: str) -> dict:
    cell = {"cell_type": kind, "id": re.sub(r"[^A-Za-z0-9_-]", "-", cell_id)[:64], "metadata": {},
            "source": source}
    if kind == "code":
        cell.update(execution_count=None, outputs=[])
    return cell


def exercise_notebook(chapter: str, source: str) -> dict:
    """The chapter's exercise notebook (nbformat 4.5, no outputs, fixed ids and metadata)."""
    return {"cells": exercise_cells(chapter, source), "metadata": {
        "autograder": {"chapter": chapter},
        "jupytext": {"formats": PAIRING, "notebook_metadata_filter": "-all",
                     "cell_metadata_filter": "-all"},
        "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python",
                       "name": "python3"},
        "language_info": {"name": "python"}}, "nbformat": 4, "nbformat_minor": 5}


def notebook_text(notebook: dict) -> str:
    """The notebook as Jupyter writes it (validated by nbformat)."""
    import nbformat
    node = nbformat.from_dict(notebook)
    nbformat.validate(node)
    return nbformat.writes(node) + "\n"


def percent_text(notebook: dict) -> str:
    """The notebook's paired ``.py`` file, as jupytext writes it."""
    import jupytext
    import nbformat
    return jupytext.writes(nbformat.from_dict(notebook), fmt="py:percent")


def _cells_of_py(text: str) -> list[tuple[str, str]]:
    import jupytext
    notebook = jupytext.reads(text, fmt="py:percent")
    return [(c.cell_type, c.source) for c in notebook.cells]


def _same_cells(notebook: dict, text: str) -> bool:
    """Whether the ``.py`` file ``text`` holds the notebook's cells (as jupytext reads it)."""
    try:
        return _cells_of_py(text) == [(c["cell_type"], c["source"]) for c in notebook["cells"]]
    except Exception:  # noqa: BLE001 - whatever jupytext cannot read differs
        return False


def exercise_files(chapter: str, source: str) -> dict[str, tuple[str, dict]]:
    """``{".py": (text, notebook), ".ipynb": (text, notebook)}``: the chapter's exercise files.

    Raises:
        SyncError: jupytext does not read the ``.py`` file back as the notebook's cells.
    """
    notebook = exercise_notebook(chapter, source)
    py = percent_text(notebook)
    if not _same_cells(notebook, py):
        raise SyncError(f"{chapter}: jupytext does not read the paired .py file back as the "
                        "notebook's cells")
    return {".py": (py, notebook), ".ipynb": (notebook_text(notebook), notebook)}


def exercise_file(chapter: str, source: str) -> str:
    """The chapter's exercise ``.py`` file (the notebook in jupytext's percent format)."""
    return exercise_files(chapter, source)[".py"][0]


def _stale(path: Path, ext: str, text: str, notebook: dict) -> bool:
    """Whether the file at ``path`` differs from the generated one: a notebook by its JSON (outputs
    and metadata included), the ``.py`` file by its cells as jupytext reads them."""
    if not path.is_file():
        return True
    current = path.read_text(encoding="utf-8")
    if current == text:
        return False
    if ext == ".ipynb":
        try:
            return json.loads(current) != json.loads(text)
        except ValueError:
            return True
    return not _same_cells(notebook, current)


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
    """The generated files that differ from what sync would write (``exercises/chNN.py`` and
    ``.ipynb``, ``README.md``'s table of points)."""
    stale = stale_exercise_files()
    readme, text = _readme_with_points()
    if readme.read_text(encoding="utf-8") != text:
        stale.append("README.md (table of points)")
    return stale


def stale_exercise_files() -> list[str]:
    """The exercises/ files (``exercises/<chapter>.py``, ``.ipynb``) that differ from what sync
    would write."""
    stale = []
    for chapter in solution_chapters():
        source = (REPO / "solutions" / f"{chapter}.py").read_text(encoding="utf-8")
        for ext, (text, notebook) in exercise_files(chapter, source).items():
            if _stale(REPO / "exercises" / f"{chapter}{ext}", ext, text, notebook):
                stale.append(f"exercises/{chapter}{ext}")
    return stale


def stale_exercises() -> list[str]:
    """Chapters with an exercises/ file that differs from what sync would write."""
    return list(dict.fromkeys(f.split("/")[1].rsplit(".", 1)[0] for f in stale_exercise_files()))


def sync(chapters: list[str] | None = None, with_expected: bool = True) -> list[Path]:
    """Regenerate exercises/ (and the public expected outputs) of ``chapters`` (default: all with
    an answer key); return the files written."""
    from .results import write_atomic
    written = []
    chapters = [c for c in solution_chapters() if chapters is None or c in chapters]
    for chapter in chapters:
        source = (REPO / "solutions" / f"{chapter}.py").read_text(encoding="utf-8")
        for ext, (text, notebook) in exercise_files(chapter, source).items():
            target = REPO / "exercises" / f"{chapter}{ext}"
            if _stale(target, ext, text, notebook):
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
