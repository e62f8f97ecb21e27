"""Similarity report: disguised copies score high, independent implementations low, the stub's text
never counts, pairs come from the fingerprint index; CSV and offline HTML through the CLI
(docs/architecture.md, autograder/similarity.py)."""
import ast
import builtins
import csv
import io
import json
import random
from pathlib import Path

from autograder import similarity
from autograder.similarity import K, WINDOW, Doc, Pair, compare, fingerprint, normalize, stub_hashes
from autograder.spec import CHAPTERS
from autograder.submissions import find_submissions
from helpers import INDEPENDENT, REPO, run_cli

CH2, CH3 = "ch02_linear_regression", "ch03_nonlinear_models"


def solution(chapter):
    return (REPO / "solutions" / f"{chapter}.py").read_text(encoding="utf-8")


def independent(chapter):
    return (INDEPENDENT / f"{chapter}.py").read_text(encoding="utf-8")


def stub(chapter):
    return (REPO / "exercises" / f"{chapter}.py").read_text(encoding="utf-8")


class _Rename(ast.NodeTransformer):
    def __init__(self, keep):
        self.keep, self.names = keep, {}

    def new(self, name):
        return name if name in self.keep else self.names.setdefault(name, f"my{len(self.names)}_{name[::-1]}")

    def visit_Name(self, node):
        node.id = self.new(node.id)
        return node

    def visit_arg(self, node):
        node.arg = self.new(node.arg)
        return node


def disguise(source, seed=0):
    """What a copier does: every local name and parameter renamed, functions in another order,
    docstrings and comments rewritten, the layout reformatted (ast.unparse)."""
    tree = ast.parse(source)
    keep = set(dir(builtins))
    for node in tree.body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            keep |= {a.asname or a.name.split(".")[0] for a in node.names}
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            keep.add(node.name)  # the grader needs them
    _Rename(keep).visit(tree)
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.ClassDef, ast.Module)) and ast.get_docstring(node):
            node.body[0].value = ast.Constant("My own explanation, in other words.")
    head = [n for n in tree.body if not isinstance(n, (ast.FunctionDef, ast.ClassDef))]
    defs = [n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.ClassDef))]
    random.Random(seed).shuffle(defs)
    tree.body = head + defs
    return "".join(line + ("  # I wrote this\n" if n % 3 else "\n")
                   for n, line in enumerate(ast.unparse(tree).splitlines()))


def padded(source, seed=0):
    """A disguised copy that moreover hides a dummy statement after every second statement."""
    tree = ast.parse(disguise(source, seed))
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef):
            body = []
            for n, statement in enumerate(node.body):
                body.append(statement)
                if n % 2 and not isinstance(statement, ast.Return):
                    body.append(ast.parse(f"unused_{n} = None").body[0])
            node.body = body
    return ast.unparse(tree) + "\n"


def prints(text, chapter, k=K, window=WINDOW):
    return fingerprint(Doc("x", Path("x.py"), text), stub_hashes(chapter, k) or set(), k,
                       window).fingerprints


def score(a, b):
    shared = len(a.keys() & b.keys())
    return shared / (len(a) * len(b)) ** 0.5 if a and b else 0.0


def test_normalization_ignores_names_comments_docstrings_and_layout():
    a = '''import numpy as np

def mse(y, y_hat):
    """Mean squared error."""
    residual = np.asarray(y, dtype=float) - np.asarray(y_hat, dtype=float)  # the errors
    return float(np.mean(residual ** 2))
'''
    b = '''import numpy as xp
# my version
def mse(target,
        prediction):
    'MSE, in my own words'
    # difference first
    err = xp.asarray(target, dtype=float) - \
        xp.asarray(prediction,
                   dtype=float)
    return float(xp.mean(err ** 2))
'''
    na, nb = normalize(a), normalize(b)
    assert " ".join(na.tokens) == ("import N as N NEWLINE def N ( N , N ) : NEWLINE INDENT N = N . "
                                   "asarray ( N , N = float ) - N . asarray ( N , N = float ) NEWLINE "
                                   "return float ( N . mean ( N ** 2 ) ) NEWLINE DEDENT")
    assert nb.tokens == na.tokens
    # what a library call is, and numbers, are kept: a different formula is a different stream
    assert normalize("x = np.sum(y)\n").tokens != normalize("x = np.mean(y)\n").tokens
    assert normalize("x = 1e-6\n").tokens == normalize("x = 0.000001\n").tokens
    assert normalize("x = 2\n").tokens != normalize("x = 3\n").tokens
    # a student's own attributes are names; a method called keeps its name
    assert normalize("self.w = z.mean()\n").tokens == normalize("me.weights = q.mean()\n").tokens
    assert normalize("y = f'{x:.2f}' + 'a' 'b'\n").tokens == ["N", "=", "S", "+", "S", "S", "NEWLINE"]


def test_a_disguised_copy_scores_high_and_an_independent_implementation_low():
    for chapter in (CH2, "ch05_mlp_backprop", "ch07_regularization"):
        original = prints(solution(chapter), chapter)
        assert score(original, prints(disguise(solution(chapter)), chapter)) > 0.8, chapter
        assert score(original, prints(independent(chapter), chapter)) < 0.2, chapter


def test_k_and_window_separate_copies_from_independent_work_on_every_chapter():
    """The choice of K and WINDOW (autograder/similarity.py): on the 13 chapters, the answer key,
    tests/independent and their disguised and padded copies."""
    def extremes(k, window):
        copies, independents = [], []
        for chapter in CHAPTERS:
            sol, ind = solution(chapter), independent(chapter)
            fs, fi = prints(sol, chapter, k, window), prints(ind, chapter, k, window)
            fd, fp = (prints(disguise(sol), chapter, k, window),
                      prints(padded(sol), chapter, k, window))
            fpi = prints(padded(ind, 1), chapter, k, window)
            copies += [score(fs, fd), score(fs, fp), score(fi, fpi)]
            independents += [score(fs, fi), score(fd, fi), score(fs, fpi), score(fp, fpi)]
        return min(copies), max(independents)

    weakest_copy, closest_independent = extremes(K, WINDOW)
    assert weakest_copy > 0.55 and closest_independent < 0.2, (weakest_copy, closest_independent)
    assert extremes(6, WINDOW)[1] > 0.3      # shorter k-grams: independent work looks copied
    assert extremes(20, WINDOW)[0] < 0.45    # longer ones: padding hides much of a copy


def test_independent_versions_of_one_short_formula_are_not_flagged():
    base = stub(CH2)
    mine = base.replace('raise NotImplementedError("ch02_linear_regression.mse: not implemented yet")',
                        "return float(np.mean((np.asarray(y) - np.asarray(y_hat)) ** 2))")
    theirs = base.replace('raise NotImplementedError("ch02_linear_regression.mse: not implemented yet")',
                          "d = np.subtract(y, y_hat).ravel()\n    return float(d @ d / d.size)")
    assert mine != base and theirs != base
    assert score(prints(mine, CH2), prints(theirs, CH2)) == 0


def test_the_stub_is_excluded(tmp_path):
    for name, text in {"untouched1": stub(CH2), "untouched2": stub(CH2), "key": solution(CH2)}.items():
        (tmp_path / name).mkdir()
        (tmp_path / name / f"{CH2}.py").write_text(text)
    report = compare(find_submissions(tmp_path), [CH2], stream=io.StringIO())
    assert [(p.a.student, p.b.student) for p in report.pairs] == []
    docs = {d.student: d for d in report.docs[CH2]}
    assert docs["untouched1"].fingerprints == {} and docs["key"].fingerprints
    assert stub_hashes("no_such_chapter") is None


def _planted_class(root):
    """Per chapter: the answer key, the independent version, and a planted disguised copy of each."""
    people = {"alice": lambda c: solution(c), "bob": lambda c: independent(c),
              "carol (copies alice)": lambda c: disguise(solution(c), 3),
              "dave (copies bob)": lambda c: padded(independent(c), 4)}
    for name, make in people.items():
        (root / name).mkdir(parents=True)
        for chapter in CHAPTERS:
            (root / name / f"{chapter}.py").write_text(make(chapter))
    return root


def test_every_planted_pair_ranks_above_every_independent_pair(tmp_path):
    report = compare(find_submissions(_planted_class(tmp_path)), list(CHAPTERS), stream=io.StringIO())
    planted = {("alice", "carol (copies alice)"), ("bob", "dave (copies bob)")}
    ranks = [(p.a.student, p.b.student) in planted for p in report.pairs]
    assert ranks[:2 * len(CHAPTERS)] == [True] * (2 * len(CHAPTERS)), report.pairs[:30]
    assert not any(ranks[2 * len(CHAPTERS):])


def test_pairs_come_from_the_index_and_common_material_is_ignored(tmp_path, monkeypatch):
    made = []
    monkeypatch.setattr(similarity, "Pair", lambda *args: made.append(args) or Pair(*args))
    for n in range(30):  # 30 files, and only one pair of them shares code
        (tmp_path / "class" / f"s{n:02d}").mkdir(parents=True)
        text = solution(CH2) if n < 2 else f"def mse(y, y_hat):\n    return {n} * (y - y_hat)\n"
        (tmp_path / "class" / f"s{n:02d}" / f"{CH2}.py").write_text(text)
    report = compare(find_submissions(tmp_path / "class"), [CH2], stream=io.StringIO())
    assert [(p.a.student, p.b.student) for p in report.pairs] == [("s00", "s01")] and len(made) == 1
    assert report.pairs[0].score == 1.0
    shared = solution(CH3)
    tmp_path = tmp_path / "common"
    for n in range(22):  # 22 identical files: every fingerprint is in more than 20 of them
        (tmp_path / f"s{n:02d}").mkdir(parents=True)
        (tmp_path / f"s{n:02d}" / f"{CH3}.py").write_text(shared)
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / f"{CH3}.py").write_text(independent(CH3))
    report = compare(find_submissions(tmp_path), [CH3], stream=io.StringIO())
    assert report.pairs == [] and report.common[CH3] > 0 and len(made) == 1
    assert similarity.common_limit(23) == 20 and similarity.common_limit(300) == 150


def test_files_that_do_not_tokenize_are_reported_not_a_crash(tmp_path):
    broken = solution(CH2) + '\ndef oops(:\n    return """never closed\n'
    for name, text in {"broken": broken, "key": solution(CH2)}.items():
        (tmp_path / name).mkdir()
        (tmp_path / name / f"{CH2}.py").write_text(text)
    (tmp_path / "latin1").mkdir()
    (tmp_path / "latin1" / f"{CH2}.py").write_bytes(b"# caf\xe9\nx = 1\n")
    (tmp_path / "nb").mkdir()
    cells = [{"cell_type": "markdown", "source": ["# notes"]},
             {"cell_type": "code", "source": ["%matplotlib inline\n", "!pip install x\n"]},
             {"cell_type": "code", "source": solution(CH2)}]
    (tmp_path / "nb" / f"{CH2}.ipynb").write_text(json.dumps({"cells": cells}))
    report = compare(find_submissions(tmp_path), [CH2], stream=io.StringIO())
    assert len(report.problems) == 1 and report.problems[0].startswith(f"{CH2} | broken: ")
    assert "does not tokenize" in report.problems[0] and "compared up to there" in report.problems[0]
    top = {(p.a.student, p.b.student): p.score for p in report.pairs}
    assert top[("broken", "key")] > 0.9 and top[("key", "nb")] > 0.95  # a notebook's code compared


def test_cli_writes_the_csv_and_an_offline_html_page(tmp_path):
    subs = tmp_path / "subs"
    eve = "eve <img src=x>"
    students = {"alice": solution, "bob": independent, "carol": lambda c: disguise(solution(c), 5),
                eve: lambda c: solution(c) if c == CH2 else stub(c)}
    for name, make in students.items():
        for chapter in (CH2, CH3):
            (subs / name).mkdir(parents=True, exist_ok=True)
            (subs / name / f"{chapter}.py").write_text(make(chapter))
    (subs / "alice" / "notes.txt").write_text("x")
    out = tmp_path / "out"
    proc = run_cli("similarity", subs, "--out", out, "--chapters", "ch02,ch03", timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert f"{CH2}: 4 files" in proc.stderr and "alice/notes.txt" in proc.stderr  # progress
    with open(out / "similarity.csv", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == ["chapter", "student_a", "student_b", "score", "share_a", "share_b",
                             "matched", "fingerprints_a", "fingerprints_b"]
    assert (rows[0]["chapter"], rows[0]["student_a"], rows[0]["student_b"]) == (CH2, "alice", eve)
    assert float(rows[0]["score"]) == 1.0 and rows[0]["matched"] == rows[0]["fingerprints_a"]
    high = {(r["chapter"], r["student_a"], r["student_b"]) for r in rows if float(r["score"]) > 0.5}
    assert high == {(CH2, "alice", eve), (CH2, "alice", "carol"), (CH2, "carol", eve),
                    (CH3, "alice", "carol")}
    assert all(float(r["score"]) < 0.2 for r in rows if (r["chapter"], r["student_a"], r["student_b"])
               not in high)
    assert not any(r["chapter"] == CH3 and eve in (r["student_a"], r["student_b"]) for r in rows)
    page = (out / "similarity.html").read_text()
    assert page.count('<div class="pair"') == len(rows)
    assert "carol" in page and 'class="r0"' in page and "eve &lt;img src=x&gt;" in page
    assert "<img" not in page and "<script" not in page
    assert "http" not in page.replace("http-equiv", "")  # nothing to fetch: it opens offline
    assert "alice/notes.txt" in page and (out / "unmatched.txt").read_text().count("notes.txt") == 1
    first = page[page.index('id="pair1"'):page.index('id="pair2"')]  # side by side, highlighted
    assert first.count('<pre class="code">') == 2 and "def " in first
