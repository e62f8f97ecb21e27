"""A notebook as a module: what grading (and a notebook's check cells) run of a ``.ipynb``.

One conversion serves ``grade``, ``gradescope-run``, ``check NOTEBOOK`` and the check cells of a
running notebook (:mod:`autograder.notebook`, which converts the cells the kernel executed): the
code cells, top to bottom (as "Restart and run all" runs them), become a module that is then
graded as a ``.py`` file. The rules (``docs/architecture.md``, "Notebooks"):

- Markdown and raw cells are left out. IPython magics and shell escapes (``%matplotlib inline``,
  ``!pip install ...``, ``x = !ls``, ``obj?``) are removed; a cell magic's cell (``%%bash``, ...)
  is left out whole, except ``%%time`` and ``%%capture``, whose body is Python.
- Kept: imports (of modules that exist here: ``from google.colab import drive`` does not, and is
  left out), function and class definitions, and constant assignments (``LR = 0.01``, ``SIZES =
  (8, 4)``: no call in the value, and every name it reads defined above it); also ``if``/``try``
  blocks made only of these (``try: import x`` / ``except ImportError: x = None``).
- Left out: every other top-level statement, which only computes (a training run, a plot, a print,
  an ``assert``, a ``raise``, a loop) -- unless a graded definition needs what it assigns: a name
  that a graded function, class or the statements they need read (``LOG2 = np.log(2)`` used by a
  function, however many cells above it) is kept, with everything it needs in turn.
- A cell that does not parse (after the magics are removed) is left out whole.

The graded names (the exercises of the chapter) are the roots of "needed": a scratch helper that
reads a trained model is kept (defining a function costs nothing), the training it reads is not.
What was left out, and what was kept only because a definition needs it, is reported
(:meth:`Converted.report`), so that the feedback says it.

Which file is graded when a student hands in both ``<chapter>.py`` and ``<chapter>.ipynb``
(:func:`choose`): the one with fewer unfilled stubs (``raise NotImplementedError("<chapter>.<name>:
not implemented yet")`` left in its code), so that an untouched exercise file beside the notebook
the student worked in (or the other way round) never wins; when they have as many, the notebook:
paired by jupytext (Jupyter with jupytext saves both), the two hold the same cells, and read as a
notebook the scratch cells are left out, where the ``.py`` file imported as it is would run them. A
notebook that cannot be read never wins.

Everything here runs in the grader's (trusted) process on untrusted text: it parses, never runs,
what it reads, and any failure to read is reported as such.
"""
from __future__ import annotations

import ast
import builtins
import importlib.machinery
import importlib.util
import json
import re
import symtable
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

VERSION = "1"                    # of these rules: part of a submission's key (see grading.py)
MAX_NOTEBOOK_BYTES = 100 << 20   # a notebook with its outputs (plots) fits; more is not one
CELL_MAGICS_WITH_PYTHON = ("time", "capture")
_BUILTINS = set(dir(builtins)) | {"__name__", "__file__", "__doc__", "__builtins__", "__spec__",
                                  "__loader__", "__package__", "__annotations__"}
_SNIPPET = 70
_REPORT_ITEMS = 40


class NotANotebook(ValueError):
    """The file is not valid JSON, or not a Jupyter notebook."""


@dataclass
class Item:
    """A statement (or a cell, or a line) left out, or kept only because a definition needs it."""
    where: str        # "cell 4, line 2" or "cell 4, lines 2-9"
    text: str         # its first line, shortened
    reason: str

    def __str__(self) -> str:
        return f"{self.where}: {self.text}  ({self.reason})"


@dataclass
class Converted:
    """A notebook turned into a module: its ``source`` and what happened to its cells."""
    source: str
    code_cells: int
    defined: list[str] = field(default_factory=list)   # names the module defines
    left_out: list[Item] = field(default_factory=list)
    kept_needed: list[Item] = field(default_factory=list)

    def report(self, name: str) -> str:
        """For the feedback: what of ``name`` (the notebook) was graded, and what was left out."""
        lines = [f"{name} is a notebook: its {self.code_cells} code cells were graded as a module "
                 "of their imports, function and class definitions and constants"]
        if not self.kept_needed and not self.left_out:
            return lines[0] + "; nothing was left out."
        lines[0] += "."
        if self.kept_needed:
            lines.append("Kept because a graded definition uses what they assign:")
            lines += [f"  {item}" for item in self.kept_needed[:_REPORT_ITEMS]]
        if self.left_out:
            lines.append("Left out (scratch work costs neither points nor grading time):")
            lines += [f"  {item}" for item in self.left_out[:_REPORT_ITEMS]]
            if len(self.left_out) > _REPORT_ITEMS:
                lines.append(f"  ... and {len(self.left_out) - _REPORT_ITEMS} more")
        return "\n".join(lines)


# --- reading a notebook ---------------------------------------------------------------------------

def _text(source) -> str:
    if isinstance(source, list) and all(isinstance(s, str) for s in source):
        return "".join(source)
    if isinstance(source, str):
        return source
    raise NotANotebook("a cell's source is neither a string nor a list of strings")


def read_cells(data: bytes | str) -> list[tuple[str, str, str]]:
    """``(label, cell type, source)`` of every cell of the notebook ``data`` (its JSON text), the
    label being ``cell N`` (1-based, all cells counted, as a reader counts them).

    Raises:
        NotANotebook: not UTF-8 JSON, or no notebook (no ``cells`` list of cells).
    """
    if isinstance(data, bytes):
        if len(data) > MAX_NOTEBOOK_BYTES:
            raise NotANotebook(f"larger than {MAX_NOTEBOOK_BYTES >> 20} MB")
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise NotANotebook(f"not UTF-8 text ({exc})") from None
    try:
        doc = json.loads(data)
    except (ValueError, RecursionError) as exc:
        raise NotANotebook(f"not valid JSON ({exc})") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("cells"), list):
        kind = type(doc).__name__
        raise NotANotebook(f"valid JSON, but not a Jupyter notebook (a {kind} without a list of "
                           "\"cells\")")
    if isinstance(doc.get("nbformat"), int) and doc["nbformat"] < 4:
        raise NotANotebook(f"an old notebook format (nbformat {doc['nbformat']}): open and save it "
                           "in a current Jupyter")
    cells = []
    for i, cell in enumerate(doc["cells"], 1):
        if not isinstance(cell, dict) or not isinstance(cell.get("cell_type"), str):
            raise NotANotebook(f"cell {i} is not a notebook cell (no cell_type)")
        cells.append((f"cell {i}", cell["cell_type"], _text(cell.get("source", ""))))
    return cells


def notebook_metadata(data: bytes | str) -> dict:
    """The notebook's metadata (``{}`` when it has none or is unreadable)."""
    try:
        doc = json.loads(data)
        meta = doc.get("metadata") if isinstance(doc, dict) else None
    except (ValueError, RecursionError, UnicodeDecodeError):
        return {}
    return meta if isinstance(meta, dict) else {}


# --- magics --------------------------------------------------------------------------------------

_MAGIC_LINE = re.compile(r"^\s*(%|!|\?)")
_MAGIC_ASSIGN = re.compile(r"^\s*[\w.,\s\[\]()*]+=\s*[%!]")
_HELP = re.compile(r"^\s*[\w.]+\s*\?\??\s*$")


def _strip_magics(label: str, source: str, notes: list[Item]) -> str | None:
    """The cell's source with IPython magics and shell escapes turned into ``pass`` (lines kept, so
    that line numbers stay), or None when the whole cell is a cell magic's."""
    lines = source.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is not None and lines[first].lstrip().startswith("%%"):
        magic = lines[first].strip()[2:].split()[0] if lines[first].strip()[2:] else ""
        if magic not in CELL_MAGICS_WITH_PYTHON:
            notes.append(Item(label, _short(lines[first]), f"a %%{magic} cell, not Python"))
            return None
        notes.append(Item(f"{label}, line {first + 1}", _short(lines[first]), "an IPython magic"))
        lines[first] = "pass"
    try:
        ast.parse("\n".join(lines))
        return "\n".join(lines)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        pass
    for i, line in enumerate(lines):
        if _MAGIC_LINE.match(line) or _MAGIC_ASSIGN.match(line) or _HELP.match(line):
            stripped = line.lstrip()
            what = ("a shell command" if stripped.startswith("!") or re.search(r"=\s*!", line)
                    else "an IPython help request" if "?" in stripped and not stripped.startswith("%")
                    else "an IPython magic")
            notes.append(Item(f"{label}, line {i + 1}", _short(line), what))
            lines[i] = line[: len(line) - len(stripped)] + "pass"
    return "\n".join(lines)


# --- statements ----------------------------------------------------------------------------------

DEF, IMPORT, CONSTANT, BLOCK, TRIVIAL, COMPUTE = "def", "import", "constant", "block", "trivial", "compute"


@dataclass
class _Statement:
    index: int
    label: str
    lines: tuple[int, int]
    text: str
    kind: str
    binds: set[str]
    now: set[str]       # names read while it runs (they must be defined above it)
    later: set[str]     # names read when what it defines is called
    future: bool = False
    problem: str = ""   # why it cannot be kept at all (does not compile)

    def where(self) -> str:
        return _where(self.label, *self.lines)


def _where(label: str, first: int, last: int) -> str:
    return f"{label}, line {first}" if first == last else f"{label}, lines {first}-{last}"


def _short(line: str) -> str:
    line = line.strip()
    return line if len(line) <= _SNIPPET else line[: _SNIPPET - 3] + "..."


def _has_call(node: ast.AST) -> bool:
    """Whether evaluating ``node`` may run code: a call, await, yield or walrus outside a lambda."""
    if isinstance(node, ast.Lambda):
        return False
    if isinstance(node, (ast.Call, ast.Await, ast.Yield, ast.YieldFrom, ast.NamedExpr)):
        return True
    return any(_has_call(child) for child in ast.iter_child_nodes(node))


def _name_targets(targets) -> bool:
    def ok(t):
        if isinstance(t, ast.Name):
            return True
        if isinstance(t, (ast.Tuple, ast.List)):
            return all(ok(e) for e in t.elts)
        return isinstance(t, ast.Starred) and ok(t.value)
    return all(ok(t) for t in targets)


def _is_check(node: ast.stmt) -> bool:
    """The exercise notebooks' own check cells (``check("mse")``) and their setup
    (``check = Checks(...)``): part of the handed-out notebook, never reported."""
    if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
        return isinstance(node.value.func, ast.Name) and node.value.func.id == "check"
    return (isinstance(node, ast.Assign) and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name) and node.targets[0].id == "check"
            and isinstance(node.value, ast.Call) and isinstance(node.value.func, ast.Name)
            and node.value.func.id == "Checks")


def _kind(node: ast.stmt) -> str:
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return DEF
    if _is_check(node):
        return TRIVIAL
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        return IMPORT
    if isinstance(node, ast.Pass) or (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)):
        return TRIVIAL
    if isinstance(node, ast.Assign) and _name_targets(node.targets) and not _has_call(node.value):
        return CONSTANT
    if isinstance(node, ast.AnnAssign) and _name_targets([node.target]) and \
            (node.value is None or not _has_call(node.value)):
        return CONSTANT
    if isinstance(node, ast.AugAssign) and _name_targets([node.target]) and not _has_call(node.value):
        return CONSTANT
    if isinstance(node, (ast.If, ast.Try, getattr(ast, "TryStar", ast.Try))):
        test_ok = not (isinstance(node, ast.If) and _has_call(node.test))
        parts = [*node.body, *node.orelse, *getattr(node, "finalbody", []),
                 *(s for h in getattr(node, "handlers", []) for s in h.body)]
        if test_ok and all(_kind(s) in (DEF, IMPORT, CONSTANT, BLOCK, TRIVIAL) for s in parts):
            return BLOCK
    return COMPUTE


def _segment(lines: list[str], node: ast.stmt) -> tuple[int, int, str]:
    """(first line, last line, text) of a top-level statement (its decorators included; ``ast``'s
    columns count UTF-8 bytes)."""
    first = min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", []))])
    col = 0
    if first == node.lineno and node.col_offset and not getattr(node, "decorator_list", None):
        col = node.col_offset  # after a ";"
    last, end_col = node.end_lineno, node.end_col_offset
    head, tail = lines[first - 1].encode(), lines[last - 1].encode()
    if first == last:
        text = head[col:end_col].decode()
    else:
        text = "\n".join([head[col:].decode(), *lines[first:last - 1], tail[:end_col].decode()])
    return first, last, text


def _scopes(text: str) -> tuple[set[str], set[str], set[str]]:
    """(names bound, names read while running, names read later by what it defines)."""
    table = symtable.symtable(text, "<cell>", "exec")
    binds, now, later = set(), set(), set()
    for sym in table.get_symbols():
        if sym.is_assigned() or sym.is_imported() or sym.is_namespace():
            binds.add(sym.get_name())
        if sym.is_referenced():
            now.add(sym.get_name())

    def walk(t):
        for child in t.get_children():
            for sym in child.get_symbols():
                if sym.is_global() and sym.is_referenced():
                    later.add(sym.get_name())
            walk(child)
    walk(table)
    return binds, now, later


def _module_exists(node: ast.stmt) -> str | None:
    """None when the modules an import names can be found here (without importing them), else
    why not."""
    if isinstance(node, ast.ImportFrom):
        if node.level:
            return "a relative import: there is no package around the notebook"
        names = [node.module or ""]
    else:
        names = [a.name for a in node.names]
    for name in names:
        if name == "__future__":
            continue
        top, *rest = name.split(".")
        try:
            spec = importlib.util.find_spec(top)
        except (ImportError, ValueError):
            spec = None
        if spec is None:
            return f"module {top} is not installed where grading runs"
        # inside a namespace package (google, say) a submodule can be looked for without running
        # any package's code: google.colab exists only on Colab
        path, full = spec.submodule_search_locations, top
        for part in rest:
            if spec is None or spec.origin not in (None, "namespace") or path is None:
                break
            full += "." + part
            spec = importlib.machinery.PathFinder.find_spec(full, list(path))
            if spec is None:
                return f"module {full} is not installed where grading runs"
            path = spec.submodule_search_locations
    return None


def _statements(cells: list[tuple[str, str]], notes: list[Item]) -> list[_Statement]:
    out: list[_Statement] = []
    for label, source in cells:
        source = _strip_magics(label, source, notes)
        if source is None or not source.strip():
            continue
        try:
            tree = ast.parse(source)
        except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
            where = f", line {exc.lineno}" if isinstance(exc, SyntaxError) and exc.lineno else ""
            msg = exc.msg if isinstance(exc, SyntaxError) else str(exc)
            notes.append(Item(label, _short(source.strip().splitlines()[0]),
                              f"does not parse: {type(exc).__name__}: {msg}{where}"))
            continue
        lines = source.split("\n")
        for node in tree.body:
            first, last, text = _segment(lines, node)
            kind = _kind(node)
            problem = ""
            try:
                binds, now, later = _scopes(text)
            except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
                binds, now, later = set(), set(), set()
                problem = f"does not compile: {getattr(exc, 'msg', exc)}"
            if kind == IMPORT and not problem:
                problem = _module_exists(node) or ""
            future = isinstance(node, ast.ImportFrom) and node.module == "__future__"
            out.append(_Statement(len(out), label, (first, last), text, kind, binds, now, later,
                                  future, problem))
    return out


def _select(statements: list[_Statement], roots: set[str] | None
            ) -> tuple[set[int], set[int], dict[int, str]]:
    """Indices of the statements kept, of those kept only because a graded definition needs them,
    and why some that would have been kept were not."""
    usable = [s for s in statements if not s.problem]
    kept = {s.index for s in usable if s.kind in (DEF, IMPORT, BLOCK)}
    if roots is None:
        roots = {n for s in usable if s.kind == DEF for n in s.binds}
    needed = set(roots)
    pulled: set[int] = set()
    changed = True
    while changed:
        changed = False
        for s in usable:  # the closure of what the graded names need
            if s.binds & needed and s.kind != TRIVIAL:
                grown = (s.now | s.later) - needed
                if grown:
                    needed |= grown
                    changed = True
                if s.index not in kept:
                    kept.add(s.index)
                    if s.kind == COMPUTE:
                        pulled.add(s.index)
                    changed = True
        bound: set[str] = set()
        for s in usable:  # constants whose names are all defined above them
            if s.index in kept:
                bound |= s.binds
            elif s.kind == CONSTANT and s.now - _BUILTINS <= bound:
                kept.add(s.index)
                bound |= s.binds
                changed = True
    # what would fail while the module is imported (it reads a name nothing above it defines)
    # is left out, so that it costs only what uses it, never the whole chapter
    bound, dropped = set(), {}
    for s in usable:
        if s.index not in kept:
            continue
        missing = s.now - _BUILTINS - bound if s.kind != IMPORT else set()
        if missing:
            kept.discard(s.index)
            pulled.discard(s.index)
            dropped[s.index] = (f"reads {', '.join(sorted(missing))}, which nothing kept above it "
                                "defines")
        else:
            bound |= s.binds
    return kept, pulled, dropped


def cells_to_module(cells: list[tuple[str, str]], roots: set[str] | None = None,
                    origin: str = "the notebook") -> Converted:
    """The module of the code cells ``cells`` (``(label, source)`` in order); ``roots``: the graded
    names (default: every function and class it defines)."""
    notes: list[Item] = []
    statements = _statements(cells, notes)
    kept, pulled, dropped = _select(statements, roots)
    left = list(notes)
    previous = None  # (label, first line, item): consecutive statements of a cell left out for
    for s in statements:  # the same reason make one item
        if s.index in kept or s.kind == TRIVIAL:
            previous = None
            continue
        if s.problem:
            reason = s.problem
        elif s.index in dropped:
            reason = dropped[s.index]
        elif s.kind == CONSTANT:
            reason = "reads a name that nothing above it defines"
        else:
            reason = "only computes: no graded definition uses it"
        if previous is not None and previous[0] == s.label and previous[2].reason == reason:
            item = previous[2]
            item.where = _where(s.label, previous[1], s.lines[1])
            item.text += "" if item.text.endswith(" ...") else " ..."
            continue
        item = Item(s.where(), _short(s.text.splitlines()[0]), reason)
        left.append(item)
        previous = (s.label, s.lines[0], item)
    order = {label: i for i, (label, _) in enumerate(cells)}
    left.sort(key=lambda item: (order.get(item.where.split(",")[0], 0), _line_of(item.where)))
    body = [f"# {origin} as the grader reads it: imports, definitions and constants (see the "
            "feedback for what was left out)"]
    futures = [s.text for s in statements if s.index in kept and s.future]
    body += futures
    label = None
    for s in statements:
        if s.index not in kept or s.future:
            continue
        if s.label != label:
            body.append(f"\n# {s.label}")
            label = s.label
        body.append(s.text)
    defined = sorted({n for s in statements if s.index in kept for n in s.binds})
    return Converted("\n".join(body) + "\n", sum(1 for _ in cells), defined, left,
                     [Item(s.where(), _short(s.text.splitlines()[0]), "a graded definition uses "
                           + ", ".join(sorted(s.binds)))
                      for s in statements if s.index in pulled])


def _line_of(where: str) -> int:
    m = re.search(r"lines? (\d+)", where)
    return int(m.group(1)) if m else 0


def notebook_to_module(data: bytes | str, roots: set[str] | None = None,
                       origin: str = "the notebook") -> Converted:
    """The module of a notebook's code cells (see the module's docstring).

    Raises:
        NotANotebook: the data is no notebook.
    """
    cells = [(label, source) for label, kind, source in read_cells(data) if kind == "code"]
    return cells_to_module(cells, roots, origin)


def graded_names(chapter: str) -> set[str] | None:
    """The chapter's exercises (the roots of what a notebook's module must keep), or None when the
    chapter has no grading spec here."""
    try:
        from .spec import load_exercises
        return set(load_exercises(chapter))
    except ImportError:
        return None


def convert_file(path: Path, chapter: str, folder: Path) -> Converted:
    """Write the module of the notebook ``path`` to ``folder/<chapter>.py``; return the conversion.

    Raises:
        NotANotebook: the file is no notebook (or cannot be read).
    """
    path = Path(path)
    if path.is_symlink():
        raise NotANotebook("a symbolic link, not a file")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise NotANotebook(f"cannot be read ({exc.strerror or exc})") from None
    converted = notebook_to_module(data, graded_names(chapter), path.name)
    (Path(folder) / f"{chapter}.py").write_text(converted.source, encoding="utf-8")
    return converted


# --- .py or .ipynb ---------------------------------------------------------------------------------

def unfilled_stubs(path: Path, chapter: str) -> int | None:
    """How many of the chapter's generated stubs (``raise NotImplementedError("<chapter>.<name>:
    not implemented yet")``) are left in the code of ``path`` (a ``.py`` file or a notebook's code
    cells); None when it cannot be read."""
    pattern = re.compile(re.escape(chapter) + r"\.[A-Za-z_][\w.]*: not implemented yet")
    try:
        data = Path(path).read_bytes()
    except OSError:
        return None
    if Path(path).suffix.lower() == ".ipynb":
        try:
            text = "\n".join(src for _, kind, src in read_cells(data) if kind == "code")
        except NotANotebook:
            return None
    else:
        text = data.decode("utf-8", errors="replace")
    return len(pattern.findall(text))


class Choice(NamedTuple):
    """Which of a ``.py`` file and a notebook is graded, and why; ``by_stubs``: whether their
    unfilled stubs decided it (else it is the usual tie of the paired files: the notebook)."""
    graded: Path
    aside: Path
    why: str
    by_stubs: bool


def choose(py: Path, notebook: Path, chapter: str) -> Choice:
    """Of a student's ``.py`` and ``.ipynb`` for ``chapter``, the one graded (see the module's
    docstring)."""
    in_py, in_nb = unfilled_stubs(py, chapter), unfilled_stubs(notebook, chapter)
    if in_nb is not None and in_py is not None and in_nb != in_py:
        graded, aside, fewer, more = (notebook, py, in_nb, in_py) if in_nb < in_py else \
            (py, notebook, in_py, in_nb)
        return Choice(graded, aside, f"{graded.name} has fewer unfilled stubs ({fewer}) than "
                                     f"{aside.name} ({more})", True)
    if in_nb is None:
        return Choice(py, notebook, f"{notebook.name} is not a readable notebook", False)
    return Choice(notebook, py, "both have as many unfilled stubs, and then the notebook is graded "
                  "(its scratch cells left out)", False)
