"""Gradescope packaging: ``autograder gradescope --out autograder.zip`` and the run inside it.

Gradescope unpacks the zip into ``/autograder/source``, runs ``setup.sh`` once when building the
image, and for each submission runs ``/autograder/run_autograder`` with the student's files in
``/autograder/submission``; it reads ``/autograder/results/results.json``. The zip carries the whole
instructor copy (answer key and hidden cases included: it never reaches students) and the answer
key's outputs on the hidden cases (``reference-cache/``, computed when the zip is built; ``setup.sh``
adds those of Gradescope's own environment where it differs), so that a submission's run executes
only the student's code. ``AUTOGRADER_ROOT`` replaces ``/autograder`` (for tests), ``PYTHON`` the
interpreter.
"""
from __future__ import annotations

import tempfile
import time
import zipfile
from pathlib import Path

from . import results
from .cache import ReferenceCache
from .grading import BASE_SEED, hidden_grading, make_plan, reference_outcomes
from .sandbox import isolation_for
from .seeding import fingerprint
from .sync import REPO

CACHE = "reference-cache"  # in the zip's source/ folder
SETUP_SH = """#!/usr/bin/env bash
set -euo pipefail
cd /autograder/source
python3 -m pip install --no-cache-dir --upgrade pip  # an old pip backtracks for ages on Python 3.10
python3 -m pip install --no-cache-dir .
# the answer key's outputs in this image's environment, where the zip's were made in another one
python3 -m autograder gradescope-run --prepare --cache /autograder/source/{cache}{chapters}
"""
RUN_AUTOGRADER = """#!/usr/bin/env bash
set -euo pipefail
ROOT="${{AUTOGRADER_ROOT:-/autograder}}"
cd "$ROOT/source"
exec "${{PYTHON:-python3}}" -m autograder gradescope-run --submission "$ROOT/submission" \\
    --results "$ROOT/results/results.json" --cache "$ROOT/source/{cache}"{chapters}
"""
_SOURCES = ("course", "solutions", "exercises", "autograder", "setup.cfg", "pyproject.toml", "README.md")


def build_zip(out: Path, chapters: list[str]) -> Path:
    """Write the Gradescope autograder zip for ``chapters`` to ``out``, with the answer key's
    outputs on their hidden cases."""
    flag = f" --chapters {','.join(chapters)}"
    with tempfile.TemporaryDirectory(prefix="autograder-gradescope-") as tmp, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in (("setup.sh", SETUP_SH.format(cache=CACHE, chapters=flag)),
                           ("run_autograder", RUN_AUTOGRADER.format(cache=CACHE, chapters=flag))):
            info = zipfile.ZipInfo(name)
            info.external_attr = 0o755 << 16
            zf.writestr(info, text)
        for name in _SOURCES:
            path = REPO / name
            files = [path] if path.is_file() else sorted(path.rglob("*"))
            for f in files:
                if f.is_file() and "__pycache__" not in f.parts and not f.name.endswith(".pyc"):
                    zf.write(f, f"source/{f.relative_to(REPO).as_posix()}")
        reference_outcomes(make_plan(chapters), cache=ReferenceCache(Path(tmp)),
                           environment=fingerprint(BASE_SEED))
        for f in sorted(Path(tmp).rglob("*.json")):
            zf.write(f, f"source/{CACHE}/{f.relative_to(tmp).as_posix()}")
    return out


def find_files(submission: Path, chapters: list[str]) -> tuple[dict[str, Path], tuple[str, ...]]:
    """The chapter files anywhere under the submission folder (Gradescope keeps uploaded folders):
    ``<chapter>.py`` or the notebook ``<chapter>.ipynb``, the shallowest of each; of both,
    :func:`autograder.nbmodule.choose`'s, with a note saying which and why."""
    from .nbmodule import choose
    found, notes = {}, []
    for chapter in chapters:
        hits = {}
        for ext in (".py", ".ipynb"):
            paths = sorted(submission.rglob(f"{chapter}{ext}"), key=lambda p: (len(p.parts), str(p)))
            if paths:
                hits[ext] = paths[0]
        if len(hits) == 2:
            found[chapter], _, why, _ = choose(hits[".py"], hits[".ipynb"], chapter)
            notes.append(f"both {chapter}.py and {chapter}.ipynb were handed in: "
                         f"{found[chapter].name} was graded ({why}).")
        elif hits:
            found[chapter] = next(iter(hits.values()))
    return found, tuple(notes)


def prepare(cache: Path, chapters: list[str]) -> int:
    """Compute the answer key's outputs that ``cache`` lacks for this environment; return how many."""
    store = ReferenceCache(cache)
    reference_outcomes(make_plan(chapters), cache=store, environment=fingerprint(BASE_SEED))
    return store.misses


def run(submission: Path, results_path: Path, chapters: list[str],
        cache: Path | None = None) -> dict:
    """Grade one Gradescope submission; write its results.json; return the document."""
    hide = (submission, results_path.parent, *([cache] if cache else []))
    isolation = isolation_for("gradescope", hide=tuple(p.resolve() for p in hide))
    store = ReferenceCache(cache) if cache else None
    start = time.monotonic()
    grading = hidden_grading(chapters, isolation, cache=store)
    files, notes = find_files(submission, chapters)
    doc = grading.grade(files, notes=notes)
    computed = store.misses if store else len(grading.plan.runnable)
    if computed:
        spent = time.monotonic() - start - doc["execution_time"]
        doc["output"] += (f"\nThe answer key's outputs on {computed} cases were computed for this "
                          f"run ({spent:.1f} s, not counted in the execution time): the package's "
                          "were made in another environment.")
    results.write_atomic(results_path, results.dump_json(doc))
    return doc
