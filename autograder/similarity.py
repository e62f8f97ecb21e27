"""Similarity report: which submissions of a chapter share code (``autograder similarity``).

Each chapter file becomes a stream of normalized tokens (Python's :mod:`tokenize`): comments,
docstrings (any statement that is only a string) and line breaks inside brackets are dropped; the
names a student chooses (variables, parameters, functions, classes, attributes such as ``self.w``)
become one placeholder ``N``; strings become ``S``. Kept as they are: keywords, operators, numbers
(one spelling each: ``1e-6`` is ``1e-06``), the logical line structure (``NEWLINE``, ``INDENT``,
``DEDENT``), Python's builtins (``len``, ``float``), the names reached from an imported module
(``np.linalg.solve``, ``keras.layers.Dense``) and the names of methods called (``x.mean()``,
``model.fit(...)``): those name what the code does with a library, not a student's choice, and they
are what tells two independent implementations of one formula apart. Each definition (and each
top-level statement) is fingerprinted on its own. So renaming, reordering functions, reformatting,
rewording comments and docstrings change nothing.

Winnowing (Schleimer, Wilkerson and Aiken, SIGMOD 2003, the algorithm of MOSS): every run of
:data:`K` consecutive tokens is hashed, and in each window of :data:`WINDOW` consecutive hashes the
smallest is kept as a fingerprint, so that any common run of at least ``K + WINDOW - 1`` tokens is
found, and none shorter than ``K``. Fingerprints of the stub (every k-gram of ``exercises/<chapter>.py``,
which every student starts from) are removed, and so are fingerprints shared by more than
:func:`common_limit` submissions of a chapter (common material, such as a hint given in class, as
MOSS's ``-m``). Candidate pairs come from an inverted index, fingerprint -> submissions: only pairs
that share a fingerprint are ever considered, and the count of what they share falls out of the
index.

Scores of a pair (a, b) sharing ``m`` fingerprints, with ``|a|`` and ``|b|`` fingerprints each:
``share_a = m / |a|`` (how much of a is found in b), ``share_b = m / |b|``, and the ranking score
``m / sqrt(|a| |b|)`` (their geometric mean), which stays low when a tiny file meets a large one.

Why K = 12 and WINDOW = 6 (``tests/test_similarity.py`` checks it on the course's 13 chapters, the
answer key against ``tests/independent/`` and against disguised copies): independent
implementations of the same exercises then score at most about 0.17 (the same short formulas, such
as ``N = N . asarray ( N , N = float )``, are under 12 tokens), while copies with renamed names,
reordered functions, rewritten comments and docstrings and a reformatted layout score above 0.8, and
copies that moreover have a dummy statement inserted after every second statement still score
about 0.6. With K = 6, independent work scores up to 0.37; with K = 20, the padded copies fall to
0.4. The window changes little; 6 keeps about one k-gram in 3.5 and finds every common run of 17
tokens (about one line of numpy code).
"""
from __future__ import annotations

import ast
import builtins
import csv
import functools
import hashlib
import html
import io
import keyword
import math
import sys
import time
import tokenize
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from scipy import sparse

from .nbmodule import NotANotebook, read_cells
from .submissions import Found, Unmatched, open_submissions

K = 12
WINDOW = 6
MAX_FILE_BYTES = 2 << 20
TOP = 50

_KEEP_NAMES = set(dir(builtins)) - {"_"}
_DEFINITION = {"def", "class", "async", "@"}
_MASK = (1 << 64) - 1


@dataclass
class Normalized:
    tokens: list[str]
    lines: list[tuple[int, int]]      # (first, last) source line of each token
    starts: list[int]                 # where each definition (or top-level statement) starts
    error: str | None = None          # where tokenizing stopped, if it did


def _number(text: str) -> str:
    """One spelling per number: ``1e-6`` and ``1e-06`` alike, ``2`` and ``2.0`` not."""
    try:
        return repr(ast.literal_eval(text.replace("_", "")))
    except (ValueError, SyntaxError):
        return text


def _imported(raw: list[str]) -> set[str]:
    """The names an ``import`` / ``from ... import`` line binds."""
    names = set()
    if raw[0] == "import":
        for part in " ".join(raw[1:]).split(","):
            words = part.split()
            names.add(words[-1] if "as" in words else words[0].split(".")[0] if words else "")
    elif "import" in raw:
        for part in " ".join(raw[raw.index("import") + 1:]).strip("() ").split(","):
            words = part.split()
            if words:
                names.add(words[-1])
    return names - {"", "*"}


class _Line:
    """The tokens of one logical line, normalized as they come."""

    def __init__(self):
        self.norm: list[str] = []
        self.raw: list[str] = []
        self.rows: list[tuple[int, int]] = []
        self.strings = 0
        self.module_chain = False   # the dotted chain being read starts at an imported name
        self.attribute = -1         # index of the last attribute name, until the next token

    def add(self, norm: str, raw: str, first: int, last: int) -> None:
        self.norm.append(norm)
        self.raw.append(raw)
        self.rows.append((first, last))

    def docstring(self) -> bool:
        return self.strings == len(self.norm)


def normalize(source: str) -> Normalized:
    """The normalized token stream of Python ``source`` (see the module's docstring). A tokenizing
    error ends the stream where it happened and is returned in ``error``."""
    tokens: list[str] = []
    lines: list[tuple[int, int]] = []
    starts: list[int] = []
    modules: set[str] = set()
    depth = 0
    line = _Line()
    fstring_depth = fstring_start = 0
    error = None
    fs_start = getattr(tokenize, "FSTRING_START", -1)  # Python 3.12+
    fs_end = getattr(tokenize, "FSTRING_END", -1)

    def flush() -> None:
        if line.norm and not line.docstring():
            if depth == 0 or line.norm[0] in _DEFINITION:
                starts.append(len(tokens))
            tokens.extend(line.norm)
            lines.extend(line.rows)
            if line.raw[0] in ("import", "from"):
                modules.update(_imported(line.raw))

    try:
        for kind, text, (row, _), (end_row, _), _ in tokenize.generate_tokens(
                io.StringIO(source).readline):
            if fstring_depth:  # inside an f-string (Python 3.12+): one S for the whole of it
                fstring_depth += (kind == fs_start) - (kind == fs_end)
                if not fstring_depth:
                    line.add("S", "S", fstring_start, end_row)
                    line.strings += 1
                continue
            if kind == fs_start or kind == tokenize.STRING:
                if kind == fs_start:
                    fstring_depth, fstring_start = 1, row
                else:
                    line.add("S", "S", row, end_row)
                    line.strings += 1
                line.module_chain, line.attribute = False, -1
                continue
            if kind in (tokenize.COMMENT, tokenize.NL, tokenize.ENCODING, tokenize.ENDMARKER) \
                    or kind == tokenize.ERRORTOKEN and not text.strip():
                continue
            if kind in (tokenize.INDENT, tokenize.DEDENT):
                depth += 1 if kind == tokenize.INDENT else -1
                tokens.append(tokenize.tok_name[kind])
                lines.append(lines[-1] if lines else (row, row))  # the line the block follows
                continue
            if kind == tokenize.NEWLINE:
                if line.norm:
                    doc = line.docstring()
                    line.add("NEWLINE", "", row, row)
                    line.strings += doc  # a docstring's NEWLINE goes with it
                flush()
                line = _Line()
                continue
            after_dot = bool(line.raw) and line.raw[-1] == "."
            if kind == tokenize.NAME and after_dot:  # an attribute
                line.add(text if line.module_chain else "N", text, row, end_row)
                line.attribute = len(line.norm) - 1
                continue
            if text == "(" and line.attribute >= 0:  # a method call: its name is kept
                line.norm[line.attribute] = line.raw[line.attribute]
            if kind == tokenize.NAME:
                keep = keyword.iskeyword(text) or text in _KEEP_NAMES
                line.add(text if keep else "N", text, row, end_row)
                line.module_chain = text in modules
            else:
                line.add(_number(text) if kind == tokenize.NUMBER else text, text, row, end_row)
                if text != ".":
                    line.module_chain = False
            line.attribute = -1
    except (tokenize.TokenError, SyntaxError) as exc:
        where = exc.args[1][0] if isinstance(exc, tokenize.TokenError) and len(exc.args) > 1 \
            and isinstance(exc.args[1], tuple) else getattr(exc, "lineno", "?")
        error = f"line {where}: {exc.args[0] if exc.args else exc}"
    flush()
    if not starts or starts[0] != 0:
        starts.insert(0, 0)
    return Normalized(tokens, lines, starts, error)


_TOKEN_IDS: dict[str, int] = {}


def _token_id(text: str) -> int:
    value = _TOKEN_IDS.get(text)
    if value is None:
        value = int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "little")
        _TOKEN_IDS[text] = value
    return value


def kgram_hashes(tokens: list[str], k: int = K) -> np.ndarray:
    """A 64-bit hash of every run of ``k`` tokens (stable across runs and machines)."""
    n = len(tokens) - k + 1
    if n <= 0:
        return np.zeros(0, dtype=np.uint64)
    ids = np.fromiter((_token_id(t) for t in tokens), dtype=np.uint64, count=len(tokens))
    h = np.zeros(n, dtype=np.uint64)
    base = np.uint64(0x100000001B3)
    with np.errstate(over="ignore"):
        for j in range(k):
            h = h * base + ids[j:j + n]
        h ^= h >> np.uint64(33)  # a finalizer (splitmix64's): winnowing wants well-mixed values
        h *= np.uint64(0xFF51AFD7ED558CCD)
        h ^= h >> np.uint64(33)
    return h


def winnow(hashes: np.ndarray, window: int = WINDOW) -> np.ndarray:
    """Positions of the fingerprints: in each window of ``window`` hashes the smallest (the
    rightmost of equal ones), each position once."""
    if len(hashes) == 0:
        return np.zeros(0, dtype=np.int64)
    if len(hashes) <= window:
        return np.array([len(hashes) - 1 - int(np.argmin(hashes[::-1]))])
    views = np.lib.stride_tricks.sliding_window_view(hashes, window)
    picks = np.arange(len(views)) + (window - 1 - np.argmin(views[:, ::-1], axis=1))
    return np.unique(picks)


def common_limit(n: int) -> int:
    """Fingerprints found in more than this many of a chapter's ``n`` submissions are common
    material (given in class, or the notes'), not a copy: more than half the class, and more than
    20 students (so no small class loses a group of copies to this rule)."""
    return max(20, n // 2)


@dataclass
class Doc:
    """One student's file of one chapter, fingerprinted."""
    student: str
    path: Path
    text: str
    lines: list[tuple[int, int]] = field(default_factory=list)
    fingerprints: dict[int, list[int]] = field(default_factory=dict)   # hash -> token positions
    problem: str | None = None


@dataclass
class Pair:
    """Two files of a chapter that share ``matched`` fingerprints (``a`` before ``b`` by name)."""
    chapter: str
    a: Doc
    b: Doc
    matched: int
    size_a: int
    size_b: int
    common: set[int] = field(default_factory=set, repr=False)   # the chapter's, not counted
    k: int = K
    window: int = WINDOW

    @functools.cached_property
    def shared(self) -> set[int]:
        return (self.a.fingerprints.keys() & self.b.fingerprints.keys()) - self.common

    @functools.cached_property
    def regions(self) -> list[tuple[tuple[int, int], tuple[int, int]]]:
        """Matched regions: (a's first and last line, b's first and last line), in a's order."""
        return _regions(self, self.k, self.window)

    def matched_lines(self, side: int) -> set[int]:
        """The lines of a (side 0) or b (side 1) that hold a token of a shared fingerprint."""
        doc, k = (self.a, self.b)[side], self.k
        rows = set()
        for h in self.shared:
            for pos in doc.fingerprints[h]:
                for first, last in doc.lines[pos:pos + k]:
                    rows.update(range(first, last + 1))
        return rows

    @property
    def share_a(self) -> float:
        return self.matched / self.size_a if self.size_a else 0.0

    @property
    def share_b(self) -> float:
        return self.matched / self.size_b if self.size_b else 0.0

    @property
    def score(self) -> float:
        return self.matched / math.sqrt(self.size_a * self.size_b) if self.size_a and self.size_b else 0.0


@dataclass
class Report:
    chapters: list[str]
    pairs: list[Pair]
    docs: dict[str, list[Doc]]
    problems: list[str]                # files not compared, or compared up to an error
    unmatched: list[Unmatched]
    common: dict[str, int]             # chapter -> fingerprints ignored as common
    stub_found: dict[str, bool]
    k: int = K
    window: int = WINDOW
    origin: str = ""


def notebook_code(data: bytes | str) -> str:
    """The code cells of a notebook (read by :func:`autograder.nbmodule.read_cells`), one after the
    other; IPython's ``%magic`` and ``!shell`` lines become comments."""
    out = []
    for _, kind, source in read_cells(data):
        if kind == "code":
            out.append("\n".join("# " + line if line.lstrip().startswith(("%", "!")) else line
                                 for line in source.splitlines()))
    return "\n\n".join(out) + "\n"


def read_source(path: Path) -> str:
    """The Python source of a chapter file (a ``.py`` file, or a notebook's code cells).

    Raises:
        ValueError: a symbolic link, too large, or unreadable.
    """
    if path.is_symlink():
        raise ValueError("a symbolic link, not read")
    data = path.read_bytes()
    if len(data) > MAX_FILE_BYTES:
        raise ValueError(f"larger than {MAX_FILE_BYTES >> 20} MB, not compared")
    if path.suffix.lower() == ".ipynb":
        try:
            return notebook_code(data)
        except NotANotebook as exc:
            raise ValueError(f"not a readable notebook ({exc})") from None
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        return data.decode(encoding)
    except (SyntaxError, LookupError, UnicodeDecodeError):
        return data.decode("utf-8", errors="replace")


def fingerprint(doc: Doc, exclude: set[int], k: int = K, window: int = WINDOW) -> Doc:
    norm = normalize(doc.text)
    if norm.error:
        doc.problem = f"does not tokenize ({norm.error}); compared up to there"
    doc.lines = norm.lines
    hashes = kgram_hashes(norm.tokens, k)
    prints: dict[int, list[int]] = {}
    for start, end in zip(norm.starts, norm.starts[1:] + [len(norm.tokens)]):
        # each definition on its own: reordering them changes no fingerprint
        for pos in winnow(hashes[start:max(start, end - k + 1)], window).tolist():
            h = int(hashes[start + pos])
            if h not in exclude:
                prints.setdefault(h, []).append(start + pos)
    doc.fingerprints = prints
    return doc


def stub_hashes(chapter: str, k: int = K) -> set[int] | None:
    """Every k-gram hash of the chapter's stub (``exercises/<chapter>.py``), or None without one."""
    import importlib.util
    found = importlib.util.find_spec("exercises")
    if found is None or not found.submodule_search_locations:
        return None
    path = Path(list(found.submodule_search_locations)[0]) / f"{chapter}.py"
    if not path.is_file():
        return None
    return set(kgram_hashes(normalize(path.read_text(encoding="utf-8")).tokens, k).tolist())


def _regions(pair: Pair, k: int, window: int) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """Matched regions as (a's first and last line, b's first and last line), in a's order: shared
    fingerprints whose places follow one another in both files make one region. A fingerprint
    found at several places of b (a line repeated in many functions) is taken at the place that
    continues the region being read."""
    gap = k + window
    places = sorted((pa, h) for h in pair.shared for pa in pair.a.fingerprints[h])
    runs: list[list[int]] = []   # [a_start, a_end, b_start, b_end] in tokens (end exclusive)
    for pa, h in places:
        candidates = pair.b.fingerprints[h]
        if runs and pa <= runs[-1][1] + gap:
            run = runs[-1]
            expected = run[3] + (pa - run[1])
            pb = min(candidates, key=lambda p: abs(p - expected))
            if abs(pb - expected) <= gap:
                run[1], run[3] = max(run[1], pa + k), max(run[3], pb + k)
                run[2] = min(run[2], pb)
                continue
        pb = next((p for p in candidates if not any(r[2] <= p < r[3] for r in runs)), candidates[0])
        runs.append([pa, pa + k, pb, pb + k])
    merged: list[list[int]] = []
    for run in sorted(runs):
        last = merged[-1] if merged else None
        if last and run[0] <= last[1] and run[2] <= last[3] and last[2] <= run[3]:
            last[1], last[2], last[3] = max(last[1], run[1]), min(last[2], run[2]), max(last[3], run[3])
        elif not any(m[0] <= run[0] and run[1] <= m[1] and m[2] <= run[2] and run[3] <= m[3]
                     for m in merged):
            merged.append(run)

    def span(lines, start, end):
        return lines[start][0], lines[min(end, len(lines)) - 1][1]
    return [(span(pair.a.lines, a0, a1), span(pair.b.lines, b0, b1)) for a0, a1, b0, b1 in merged]


class _Progress:
    """Progress on stderr: a counter on a terminal, a line per chapter otherwise."""

    def __init__(self, stream):
        self.stream = stream or sys.stderr
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()

    def tick(self, text: str) -> None:
        if self.tty:
            self.stream.write(f"\r\x1b[K{text}")
            self.stream.flush()

    def line(self, text: str) -> None:
        self.stream.write(("\r\x1b[K" if self.tty else "") + text + "\n")
        self.stream.flush()


def _pairs(chapter: str, docs: list[Doc], k: int, window: int) -> tuple[list[Pair], int]:
    """The pairs of ``docs`` that share fingerprints, and how many fingerprints were common.

    The inverted index (fingerprint -> the files holding it) is the columns of a sparse
    file x fingerprint matrix M; M Mᵀ adds up, over each fingerprint's files, one per pair of them:
    the number of fingerprints each pair shares, for the pairs that share any and no others."""
    columns: dict[int, int] = {}
    rows, cols = [], []
    for i, doc in enumerate(docs):
        for h in doc.fingerprints:
            rows.append(i)
            cols.append(columns.setdefault(h, len(columns)))
    if not columns:
        return [], 0
    m = sparse.csr_matrix((np.ones(len(rows), dtype=np.int32), (rows, cols)),
                          shape=(len(docs), len(columns)))
    per_print = np.asarray(m.sum(axis=0)).ravel()
    keep = per_print <= common_limit(len(docs))
    hashes = np.fromiter(columns, dtype=np.uint64, count=len(columns))
    common = set(hashes[~keep].tolist())
    m = m[:, np.flatnonzero(keep & (per_print > 1))].tocsc()
    sizes = np.asarray([len(d.fingerprints) - len(d.fingerprints.keys() & common) if common
                        else len(d.fingerprints) for d in docs])
    shared = sparse.triu(m @ m.T, k=1).tocoo()
    pairs = []
    for i, j, matched in zip(shared.row.tolist(), shared.col.tolist(), shared.data.tolist()):
        a, b, size_a, size_b = docs[i], docs[j], int(sizes[i]), int(sizes[j])
        if b.student < a.student:
            a, b, size_a, size_b = b, a, size_b, size_a
        pairs.append(Pair(chapter, a, b, matched, size_a, size_b, common, k, window))
    return pairs, len(common)


def compare(found: Found, chapters: list[str], k: int = K, window: int = WINDOW,
            stream=None) -> Report:
    """Fingerprint every chapter file of ``found`` and pair the submissions of each chapter that
    share fingerprints (see the module's docstring)."""
    progress = _Progress(stream)
    pairs: list[Pair] = []
    all_docs: dict[str, list[Doc]] = {}
    problems: list[str] = []
    common: dict[str, int] = {}
    stub_found: dict[str, bool] = {}
    for chapter in chapters:
        t0 = time.monotonic()
        entries = [(s.id, s.files[chapter]) for s in found.students if chapter in s.files]
        if not entries:
            continue
        stub = stub_hashes(chapter, k)
        stub_found[chapter] = stub is not None
        docs: list[Doc] = []
        for i, (student, path) in enumerate(entries):
            rel = f"{student}: {path.name}"
            try:
                doc = fingerprint(Doc(student, path, read_source(path)), stub or set(), k, window)
            except (OSError, ValueError) as exc:
                problems.append(f"{chapter} | {rel}: {exc}")
                continue
            if doc.problem:
                problems.append(f"{chapter} | {rel}: {doc.problem}")
            docs.append(doc)
            if i % 20 == 0:
                progress.tick(f"{chapter}: {i + 1}/{len(entries)} files fingerprinted")
        all_docs[chapter] = docs
        found_pairs, ignored = _pairs(chapter, docs, k, window)
        pairs += found_pairs
        common[chapter] = ignored
        progress.line(f"{chapter}: {len(docs)} files, {len(found_pairs)} pairs sharing code, "
                      f"{ignored} common fingerprints ignored ({time.monotonic() - t0:.1f} s)")
    pairs.sort(key=lambda p: (-p.score, -p.matched, p.chapter, p.a.student, p.b.student))
    return Report(chapters, pairs, all_docs, problems, list(found.unmatched), common, stub_found,
                  k, window, str(found.origin))


# --- output --------------------------------------------------------------------------------------

def report_csv(report: Report) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["chapter", "student_a", "student_b", "score", "share_a", "share_b", "matched",
                "fingerprints_a", "fingerprints_b"])
    for p in report.pairs:
        w.writerow([p.chapter, p.a.student, p.b.student, f"{p.score:.4f}", f"{p.share_a:.4f}",
                    f"{p.share_b:.4f}", p.matched, p.size_a, p.size_b])
    return buf.getvalue()


_CSS = """
body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222}
table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2em .5em;text-align:left}
th{background:#f0f0f0}td.n{text-align:right;font-variant-numeric:tabular-nums}
.pair{margin-top:2.5em;border-top:2px solid #888}
.side{display:flex;gap:1em;align-items:flex-start}.side>div{flex:1;min-width:0;overflow-x:auto}
pre{margin:0;font:12px/1.35 ui-monospace,monospace}
.code{border:1px solid #ddd}.ln{color:#999;display:inline-block;width:4em;text-align:right;
margin-right:.8em;user-select:none}.gap{color:#999;font-style:italic;padding:.2em 0}
.r0{background:#ffe08a}.r1{background:#b6e3ff}.r2{background:#c7f0c2}.r3{background:#ffc9c9}
.r4{background:#e2d1ff}.r5{background:#ffd8b0}
.muted{color:#777}
"""


def _code_block(pair: Pair, side: int, context: int = 2) -> str:
    """The file's matched lines (coloured by region) with ``context`` lines around; the lines
    between are folded."""
    doc = (pair.a, pair.b)[side]
    lines = doc.text.splitlines()
    matched = pair.matched_lines(side)
    colour: dict[int, int] = {}
    for r, region in enumerate(pair.regions):
        first, last = region[side]
        for n in range(first, last + 1):
            if n in matched:
                colour.setdefault(n, r % 6)
    shown = sorted({m for n in colour for m in range(n - context, n + context + 1)
                    if 1 <= m <= len(lines)})
    out, last = [], 0
    for n in shown:
        if n > last + 1:
            out.append(f'<div class="gap">… {n - last - 1} lines …</div>')
        cls = f' class="r{colour[n]}"' if n in colour else ""
        out.append(f'<div{cls}><span class="ln">{n}</span>{html.escape(lines[n - 1])}</div>')
        last = n
    if last < len(lines):
        out.append(f'<div class="gap">… {len(lines) - last} lines …</div>')
    return '<pre class="code">' + "".join(out) + "</pre>"


def report_html(report: Report, top: int = TOP) -> str:
    esc = html.escape
    shown = report.pairs[:top]
    rows = []
    for n, p in enumerate(shown, 1):
        rows.append(f'<tr><td class="n">{n}</td><td>{esc(p.chapter)}</td>'
                    f'<td><a href="#pair{n}">{esc(p.a.student)}</a></td>'
                    f'<td><a href="#pair{n}">{esc(p.b.student)}</a></td>'
                    f'<td class="n">{p.score:.2f}</td><td class="n">{p.share_a:.0%}</td>'
                    f'<td class="n">{p.share_b:.0%}</td><td class="n">{p.matched}</td></tr>')
    sections = []
    for n, p in enumerate(shown, 1):
        regions = "; ".join(f'<span class="r{r % 6}">{a[0]}–{a[1]} ↔ {b[0]}–{b[1]}</span>'
                            for r, (a, b) in enumerate(p.regions))
        sections.append(
            f'<div class="pair" id="pair{n}"><h3>{n}. {esc(p.chapter)}: {esc(p.a.student)} and '
            f'{esc(p.b.student)} (score {p.score:.2f})</h3>'
            f'<p>{p.matched} fingerprints shared: {p.share_a:.0%} of {esc(p.a.student)}\'s '
            f'{p.size_a}, {p.share_b:.0%} of {esc(p.b.student)}\'s {p.size_b}. Matched lines '
            f'({esc(p.a.student)} ↔ {esc(p.b.student)}): {regions}</p><div class="side">'
            f'<div><b>{esc(p.a.student)}</b> <span class="muted">{esc(p.a.path.name)}</span>'
            f'{_code_block(p, 0)}</div>'
            f'<div><b>{esc(p.b.student)}</b> <span class="muted">{esc(p.b.path.name)}</span>'
            f'{_code_block(p, 1)}</div></div></div>')
    counts = "".join(
        f"<li>{esc(c)}: {len(report.docs.get(c, []))} files, "
        f"{sum(p.chapter == c for p in report.pairs)} pairs sharing code, "
        f"{report.common.get(c, 0)} common fingerprints ignored"
        f"{'' if report.stub_found.get(c) else ' (no stub found: nothing excluded)'}</li>"
        for c in report.chapters if c in report.docs)
    problems = "".join(f"<li>{esc(p)}</li>" for p in report.problems) or "<li>none</li>"
    unmatched = "".join(f"<li>{esc(str(u))}</li>" for u in report.unmatched) or "<li>none</li>"
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>Similarity report</title><style>{_CSS}</style></head><body>
<h1>Similarity report</h1>
<p class="muted">{esc(report.origin)}. Winnowed fingerprints of normalized token streams (names,
comments, docstrings and layout ignored; the stub's text excluded): k = {report.k} tokens, window
{report.window}. Score = shared fingerprints / √(fingerprints of a × of b). A high score says where
to look; it is not a verdict.</p>
<ul>{counts}</ul>
<h2>The {len(shown)} most similar pairs (of {len(report.pairs)})</h2>
<table><tr><th>#</th><th>chapter</th><th>student a</th><th>student b</th><th>score</th>
<th>of a</th><th>of b</th><th>shared</th></tr>{''.join(rows)}</table>
{''.join(sections)}
<h2>Files not compared, or compared in part</h2><ul>{problems}</ul>
<h2>Files not matched to a student's chapter</h2><ul>{unmatched}</ul>
</body></html>
"""


def run_similarity(submissions: Path, out: Path, chapters: list[str], top: int = TOP,
                   stream=None) -> Report:
    """Compare the submissions (a folder or zip in any layout :mod:`autograder.submissions` knows)
    and write ``out/similarity.csv``, ``out/similarity.html`` and ``out/unmatched.txt``."""
    from .results import write_atomic
    stream = stream or sys.stderr
    with open_submissions(submissions) as found:
        for line in found.summary(chapters):
            print(line, file=stream, flush=True)
        report = compare(found, chapters, stream=stream)
        out.mkdir(parents=True, exist_ok=True)
        write_atomic(out / "similarity.csv", report_csv(report))
        write_atomic(out / "similarity.html", report_html(report, top))
        write_atomic(out / "unmatched.txt", found.unmatched_text())
    return report
