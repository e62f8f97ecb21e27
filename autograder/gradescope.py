"""Gradescope packaging: ``autograder gradescope --out autograder.zip`` and the run inside it.

Gradescope unpacks the zip into ``/autograder/source``, runs ``setup.sh`` once when building the
image, and for each submission runs ``/autograder/run_autograder`` with the student's files in
``/autograder/submission``; it reads ``/autograder/results/results.json``. The zip carries the whole
instructor copy (answer key and hidden cases included: it never reaches students).
``AUTOGRADER_ROOT`` replaces ``/autograder`` (for tests), ``PYTHON`` the interpreter.
"""
from __future__ import annotations

import time
import zipfile
from pathlib import Path

from . import results
from .grading import DEFAULT_TIMEOUT, make_plan, reference_outcomes, score
from .runner import Limits, run_tasks
from .sandbox import choose
from .seeding import fingerprint
from .sync import REPO

SETUP_SH = """#!/usr/bin/env bash
set -euo pipefail
cd /autograder/source
python3 -m pip install --no-cache-dir --upgrade pip  # an old pip backtracks for ages on Python 3.10
python3 -m pip install --no-cache-dir .
"""
RUN_AUTOGRADER = """#!/usr/bin/env bash
set -euo pipefail
ROOT="${{AUTOGRADER_ROOT:-/autograder}}"
cd "$ROOT/source"
exec "${{PYTHON:-python3}}" -m autograder gradescope-run --submission "$ROOT/submission" \\
    --results "$ROOT/results/results.json"{chapters}
"""
_SOURCES = ("course", "solutions", "exercises", "autograder", "setup.cfg", "pyproject.toml", "README.md")


def build_zip(out: Path, chapters: list[str] | None) -> Path:
    """Write the Gradescope autograder zip to ``out``."""
    flag = f" --chapters {','.join(chapters)}" if chapters else ""
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in (("setup.sh", SETUP_SH),
                           ("run_autograder", RUN_AUTOGRADER.format(chapters=flag))):
            info = zipfile.ZipInfo(name)
            info.external_attr = 0o755 << 16
            zf.writestr(info, text)
        for name in _SOURCES:
            path = REPO / name
            files = [path] if path.is_file() else sorted(path.rglob("*"))
            for f in files:
                if f.is_file() and "__pycache__" not in f.parts and not f.name.endswith(".pyc"):
                    zf.write(f, f"source/{f.relative_to(REPO).as_posix()}")
    return out


def find_files(submission: Path, chapters: list[str]) -> dict[str, Path]:
    """The chapter files anywhere under the submission folder (Gradescope keeps uploaded folders)."""
    found = {}
    for chapter in chapters:
        hits = sorted(submission.rglob(f"{chapter}.py"), key=lambda p: len(p.parts))
        if hits:
            found[chapter] = hits[0]
    return found


def run(submission: Path, results_path: Path, chapters: list[str]) -> dict:
    """Grade one Gradescope submission; write its results.json; return the document."""
    plan = make_plan(chapters, timeout=DEFAULT_TIMEOUT)
    environment = fingerprint(0)
    sandbox, why = choose(hide=(submission.resolve(), results_path.parent.resolve()))
    environment["isolation"] = sandbox.description if sandbox else f"none ({why})"
    files = find_files(submission, chapters)
    start = time.monotonic()
    expected = reference_outcomes(plan, Limits(), None, environment)
    got = run_tasks(files, plan.runnable, sandbox=sandbox)
    doc = results.results_document(score(plan, got, expected), time.monotonic() - start,
                                   {"environment": environment},
                                   output=f"Graded {len(files)} of {len(chapters)} chapter files: "
                                          f"{', '.join(sorted(files)) or 'none found'}.")
    results.write_atomic(results_path, results.dump_json(doc))
    return doc
