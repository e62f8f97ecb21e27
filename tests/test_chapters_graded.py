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


def test_regrading_trained_exercises_gives_identical_outputs():
    """Training exercises (seeded Keras models) give bit-identical outputs when graded again."""
    import dataclasses

    from autograder.grading import chapter_files, make_plan
    from autograder.runner import run_tasks
    from autograder.wire import encode
    trained = {"build_cnn", "build_autoencoder", "build_vae", "gan_train_step", "targeted_attack"}
    chapters = ["ch06_cnn", "ch08_generative", "ch10_adversarial"]
    plan = make_plan(chapters)
    plan = dataclasses.replace(plan, tasks=[t for t in plan.runnable if t.exercise in trained])
    assert {t.exercise for t in plan.tasks} == trained
    files = chapter_files(REPO / "solutions", chapters)
    first, again = (run_tasks(files, plan.tasks) for _ in range(2))
    assert all(first[t.id]["status"] == "ok" for t in plan.tasks), first
    assert {k: encode(v) for k, v in first.items()} == {k: encode(v) for k, v in again.items()}
