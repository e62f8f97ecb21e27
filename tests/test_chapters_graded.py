"""Every graded chapter: the answer key scores full marks, the stubs zero, and an independent
correct implementation (tests/independent/) full marks, through the real CLI."""
import json

import pytest

from autograder.spec import graded_chapters
from helpers import INDEPENDENT, REPO, run_cli

CHAPTERS = graded_chapters()
STUDENTS = {"answer key": REPO / "solutions", "stubs": REPO / "exercises",
            "independent": INDEPENDENT}


@pytest.fixture(scope="module")
def docs(tmp_path_factory):
    root = tmp_path_factory.mktemp("chapters")
    for student, source in STUDENTS.items():
        (root / "subs" / student).mkdir(parents=True)
        for chapter in CHAPTERS:
            (root / "subs" / student / f"{chapter}.py").write_bytes(
                (source / f"{chapter}.py").read_bytes())
    proc = run_cli("grade", root / "subs", "--out", root / "out", "--workers", "2", timeout=1800)
    assert proc.returncode == 0, proc.stderr
    return {s: json.loads((root / "out" / s / "results.json").read_text()) for s in STUDENTS}


def test_every_chapter_has_an_independent_implementation():
    assert [c for c in CHAPTERS if not (INDEPENDENT / f"{c}.py").is_file()] == []


@pytest.mark.parametrize("student", ["answer key", "independent"])
def test_correct_implementations_get_full_marks(docs, student):
    failed = [(t["name"], t["output"]) for t in docs[student]["tests"] if t["status"] != "passed"]
    assert not failed
    chapters = {t["name"].split(".")[0] for t in docs[student]["tests"]}
    assert chapters == set(CHAPTERS)


def test_stubs_get_zero(docs):
    scored = [(t["name"], t["output"]) for t in docs["stubs"]["tests"] if t["score"] > 0]
    assert not scored
