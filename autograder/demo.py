"""The built-in sample class: five students made from the answer key, graded end to end.

- ``Ada Lovelace``: the answer key itself (full marks);
- ``Ben Oduya``: the stubs with the first half of each chapter's exercises done;
- ``Cleo Martín``: the answer key with classic bugs (sum instead of mean, the notes' (2.20) typo,
  a naive sigmoid that overflows, class 1 at z = 0);
- ``Dan "loops" Ng``: an exercise that never returns and no chapter-3 file;
- ``Eve d'Arc``: ``os._exit`` in one exercise, a segfault in another, a chapter file that does not
  parse;
- ``Fay Jupyter``: notebooks (``<chapter>.ipynb``), the exercise notebooks filled in from the answer
  key, with the scratch cells of a real notebook (``%matplotlib inline``, ``!pip install``, a plot,
  a long training loop, a cell that raises): full marks, and grading time is not the loop's.
Instructor copy only (it reads solutions/): never part of the student bundle.
"""
from __future__ import annotations

import ast
import copy
import json
import tempfile
from pathlib import Path

from .sync import REPO, exercise_notebook, solution_regions, stub_source

BUGS = {
    "ch02_linear_regression": '''
def mse(y, y_hat):  # bug: the sum, not the mean
    return float(np.sum((np.asarray(y) - np.asarray(y_hat)) ** 2))


def partials_example(x, y):  # bug: the notes' (2.20) typo
    return 4 * x * y + y * np.cos(x), 2 * x ** 2 + 2 * np.sin(x) * y
''',
    "ch03_nonlinear_models": '''
def sigmoid(z):  # bug: overflows for large negative z
    return 1.0 / (1.0 + np.exp(-np.asarray(z, dtype=float)))


def predict(a, b, x):  # bug: class 1 at z = 0
    return (a * np.asarray(x) + b >= 0).astype(int)
''',
}
HANG = '''
def fit_line(x, y):  # never returns
    while True:
        pass
'''
CRASH = '''
def sse(y, y_hat):  # kills the whole process
    import os
    os._exit(3)


def lp_distance(x, y, p):  # segmentation fault
    import ctypes
    return ctypes.string_at(0)
'''


def _solution(chapter: str) -> str:
    return (REPO / "solutions" / f"{chapter}.py").read_text(encoding="utf-8")


SCRATCH = [
    "%matplotlib inline\n!pip install --quiet tqdm",
    "import matplotlib.pyplot as plt\n\nxs = np.linspace(-3, 3, 200)\nplt.plot(xs, np.tanh(xs))\n"
    "plt.title(\"scratch plot\")\nplt.show()",
    "# a long training run: hours if it ran (grading leaves it out)\nlosses = []\n"
    "for epoch in range(10**9):\n    losses.append(1.0 / (epoch + 1))\nprint(losses[-1])",
    "raise RuntimeError(\"a scratch cell that fails\")",
]


def filled_notebook(chapter: str, scratch: list[str] = ()) -> dict:
    """The chapter's exercise notebook with every stub cell replaced by the answer key's code, and
    the code cells ``scratch`` inserted after the setup cell (what a student's notebook holds
    besides the exercises)."""
    source = _solution(chapter)
    lines = source.splitlines()
    solved = {}
    for node in ast.parse(source).body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
            solved[node.name] = "\n".join(lines[first - 1:node.end_lineno])
    notebook = copy.deepcopy(exercise_notebook(chapter, source))
    for cell in notebook["cells"]:
        if cell["id"].endswith("-code"):
            cell["source"] = solved[cell["id"][: -len("-code")]]
    extra = [{"cell_type": "code", "id": f"scratch-{i}", "metadata": {}, "execution_count": None,
              "outputs": [], "source": text} for i, text in enumerate(scratch)]
    notebook["cells"][2:2] = extra
    return notebook


def build_class(dest: Path, chapters: list[str]) -> Path:
    """Write the sample submissions under ``dest`` (one folder per student); return ``dest``."""
    students = {name: {} for name in
                ("Ada Lovelace", "Ben Oduya", "Cleo Martín", 'Dan "loops" Ng', "Eve d'Arc")}
    notebooks = {chapter: json.dumps(filled_notebook(chapter, SCRATCH), indent=1)
                 for chapter in chapters}
    for chapter in chapters:
        source = _solution(chapter)
        names = list(dict.fromkeys(name for _, _, name in solution_regions(source)))
        students["Ada Lovelace"][chapter] = source
        students["Ben Oduya"][chapter] = stub_source(source, chapter, keep=set(names[: len(names) // 2]))
        students["Cleo Martín"][chapter] = source + BUGS.get(chapter, "")
        if chapter == "ch02_linear_regression":
            students['Dan "loops" Ng'][chapter] = source + HANG
            students["Eve d'Arc"][chapter] = source + CRASH
        elif chapter == "ch03_nonlinear_models":
            students["Eve d'Arc"][chapter] = source.replace("def ", "def def ", 1)  # syntax error
        else:
            students['Dan "loops" Ng'][chapter] = source
            students["Eve d'Arc"][chapter] = source
    for student, files in students.items():
        folder = dest / student
        folder.mkdir(parents=True, exist_ok=True)
        for chapter, text in files.items():
            (folder / f"{chapter}.py").write_text(text, encoding="utf-8")
    (dest / "Fay Jupyter").mkdir(parents=True, exist_ok=True)
    for chapter, text in notebooks.items():
        (dest / "Fay Jupyter" / f"{chapter}.ipynb").write_text(text, encoding="utf-8")
    return dest


def run_demo(out: Path | None, timeout: float, workers: int,
             chapters: list[str] | None = None) -> tuple[str, Path]:
    """Build the sample class on ``chapters`` (default: all) and grade it into ``out`` (default: a
    new temporary folder), isolated when this machine allows it. Returns the gradebook with a few
    feedback lines per student, a summary, and the results folder."""
    from .grading import Options, grade_class
    from .results import class_summary, gradebook
    from .spec import graded_chapters
    from .sync import solution_chapters
    chapters = [c for c in graded_chapters() if c in solution_chapters()
                and (chapters is None or c in chapters)]
    out = out or Path(tempfile.mkdtemp(prefix="autograder-demo-"))
    with tempfile.TemporaryDirectory(prefix="autograder-demo-class-") as tmp:
        options = Options(chapters, workers, timeout, unsafe=True, force=True)  # isolated if it can
        docs = grade_class(build_class(Path(tmp), chapters), out, options)
    lines = [gradebook(docs, chapters), "", class_summary(docs), "",
             "Sample feedback (first failures of each student):"]
    for student, doc in sorted(docs.items()):
        failed = [t for t in doc["tests"] if t["status"] == "failed"]
        for t in failed[:3]:
            lines.append(f"  {student} | {t['name']}: {t['output'].splitlines()[0] if t['output'] else ''}")
        if len(failed) > 3:
            lines.append(f"  {student} | ... and {len(failed) - 3} more")
    return "\n".join(lines), out
