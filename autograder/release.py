"""Build the student bundle: course/, exercises/, the autograder without hidden cases or demo."""
from __future__ import annotations

import shutil
from pathlib import Path

from .spec import private_files
from .sync import REPO, solution_chapters, write_public_expected

_IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")

STUDENT_README = """\
# Deep-learning course: exercises

Set up once (Python 3.10 to 3.13):

    python3 -m venv .venv && .venv/bin/pip install -U pip && .venv/bin/pip install -e .

Fill in the stubs in `exercises/` (each `raise NotImplementedError(...)` line), then check a chapter:

    .venv/bin/autograder check ch02

Each chapter is also a notebook, `exercises/chNN_*.ipynb`, paired with `exercises/chNN_*.py` (the
same cells; with jupytext in Jupyter, saving one rewrites the other). Run its setup cell, fill in an
exercise, run it and the check cell below it: `check("mse")` checks that exercise on the definition
in your kernel, `check()` the whole chapter (`.venv/bin/pip install notebook`, then
`.venv/bin/jupyter notebook exercises/`). From a shell, `autograder check exercises/ch02_linear_regression.ipynb`
checks a notebook file. Hand in the notebook or the `.py` file: a notebook is graded on its imports,
definitions and constants; magics, shell commands and code that only computes (training runs, plots,
prints) are left out, and your feedback says what was.

On a hosted notebook service with TensorFlow preinstalled (Colab, Kaggle, JupyterHub), install this
folder without reinstalling TensorFlow, in a notebook cell:

    !pip install --no-deps ./dl-course && pip install jupytext nbformat

The checks here are the public ones; your grade comes from hidden cases run by your instructor
(grading a class, `autograder grade`, needs the instructor's copy and refuses here).
The reference library is importable as `course` (e.g. `from course import ch02_linear_regression`);
some exercises forbid calling the course's own implementation of the same thing.

## Points

What each exercise is worth (split evenly over its hidden cases; `autograder points` prints it too):

{points}
"""


def release(out: Path) -> Path:
    """Write the student bundle to ``out`` (which must not exist or be empty); return it."""
    if out.exists() and any(out.iterdir()):
        raise FileExistsError(f"{out} exists and is not empty")
    out.mkdir(parents=True, exist_ok=True)
    for name in ("course", "exercises"):
        shutil.copytree(REPO / name, out / name, ignore=_IGNORE)
    private = set(private_files(REPO))

    def ignore(folder, names):  # the private modules, and expected outputs (written fresh below)
        return {n for n in names if Path(folder, n) in private or n.endswith(".json")} | \
            set(_IGNORE(folder, names))
    shutil.copytree(REPO / "autograder", out / "autograder", ignore=ignore)
    for name in ("setup.cfg", "pyproject.toml"):
        shutil.copyfile(REPO / name, out / name)
    from .points import summary_table
    from .spec import graded_chapters
    (out / "README.md").write_text(STUDENT_README.format(points=summary_table(graded_chapters())),
                                   encoding="utf-8")
    write_public_expected([c for c in solution_chapters() if c in graded_chapters()],
                          out / "autograder" / "public")
    return out
