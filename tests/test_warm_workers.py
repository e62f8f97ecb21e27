"""Warm workers: forked from a zygote that holds nothing private, single-threaded, isolated per
submission, and grading exactly as cold workers do."""
import json
import os

import pytest

from autograder import grading, wire
from autograder.runner import run_tasks
from autograder.sandbox import choose, isolation_problem
from autograder.warm import Zygote, warm_problem
from helpers import REPO, run_cli

CH2, CH6 = "ch02_linear_regression", "ch06_cnn"
SANDBOX = choose()[0]
needs_warm = pytest.mark.skipif(warm_problem(SANDBOX) is not None or isolation_problem() is not None,
                                reason=f"warm workers do not work here: {warm_problem(SANDBOX)}")


def solution(chapter):
    return (REPO / "solutions" / f"{chapter}.py").read_text(encoding="utf-8")


@needs_warm
def test_the_zygote_is_single_threaded_and_holds_nothing_private():
    zygote = Zygote({}, [CH2, CH6])
    try:
        status = zygote.status()
    finally:
        zygote.close()
    assert status["threads"] == 1
    modules = status["modules"]
    assert "keras" in modules and "numpy" in modules and "autograder.chapters.ch06_cnn" in modules
    private = ("solutions", "autograder.hidden", "autograder.demo", "tests", CH2, CH6)
    assert not [m for m in modules if m.split(".")[0] in private or m.startswith(private)]


@needs_warm
def test_a_zygote_with_threads_is_not_forked_and_grading_says_so(tmp_path):
    if (os.cpu_count() or 1) < 2:
        pytest.skip("OpenBLAS starts no thread pool on one core")
    (tmp_path / "subs" / "a").mkdir(parents=True)
    (tmp_path / "subs" / "a" / f"{CH2}.py").write_text(solution(CH2), encoding="utf-8")
    proc = run_cli("grade", tmp_path / "subs", "--out", tmp_path / "out", "--chapters", "ch02",
                   "--workers", "1", env=dict(os.environ, OMP_NUM_THREADS="2"))
    assert proc.returncode == 0, proc.stderr
    assert "graded by cold workers" in proc.stderr and "threads" in proc.stderr
    doc = json.loads((tmp_path / "out" / "a" / "results.json").read_text())
    assert doc["score"] == doc["max_score"]


PATCHER = solution(CH2) + '''

import numpy
import keras
import autograder.wire
import autograder.chapters.ch02_linear_regression as spec

numpy.mean = lambda *a, **k: 42.0
numpy.linalg.lstsq = lambda *a, **k: (numpy.zeros(1),) * 4
keras.ops.mean = lambda *a, **k: 42.0
autograder.wire.to_plain = lambda value: 0.0
for exercise in spec.EXERCISES:
    object.__setattr__(exercise, "probe", lambda module, inputs: 0.0)
'''


@needs_warm
def test_a_student_who_alters_the_zygotes_modules_affects_only_their_own_submission(tmp_path):
    """Students graded one after another by one warm slot: the first patches numpy, Keras, the
    wire format and the probes at import; the next ones grade as if it had never run."""
    subs, out = tmp_path / "subs", tmp_path / "out"
    for student, text in (("a_patcher", PATCHER), ("b_victim", solution(CH2)),
                          ("c_victim", solution(CH2))):
        (subs / student).mkdir(parents=True)
        (subs / student / f"{CH2}.py").write_text(text, encoding="utf-8")
    options = grading.Options(chapters=[CH2], workers=1)
    docs = grading.grade_class(subs, out, options, stream=open(os.devnull, "w"))
    assert docs["a_patcher"]["score"] < docs["a_patcher"]["max_score"]
    for victim in ("b_victim", "c_victim"):
        assert docs[victim]["score"] == docs[victim]["max_score"], docs[victim]["tests"]
    zygote_slots = docs["b_victim"]["extra_data"]["environment"]["isolation"]
    assert zygote_slots == docs["a_patcher"]["extra_data"]["environment"]["isolation"]


@needs_warm
def test_warm_and_cold_workers_give_identical_outcomes(tmp_path):
    """Outcomes (values, raises, a crash, a Keras model built and trained) are the same from a
    forked worker as from a new interpreter. (Hangs, limits and adversarial students are graded
    warm by default in the other tests, and cold in test_class_grading.)"""
    source = solution(CH2) + '''

def sse(y, y_hat):
    import ctypes
    return ctypes.string_at(0)
'''
    files = {CH2: tmp_path / f"{CH2}.py", CH6: REPO / "solutions" / f"{CH6}.py"}
    files[CH2].write_text(source, encoding="utf-8")
    plan = grading.make_plan([CH2, CH6], timeout=3)
    tasks = [t for t in plan.runnable if t.chapter == CH2 or t.exercise in ("conv2d", "build_cnn")]
    assert any(t.exercise == "build_cnn" for t in tasks)
    zygote = Zygote({}, [CH2, CH6])
    try:
        warm = run_tasks(files, tasks, sandbox=SANDBOX, zygote=zygote)
        assert not zygote.problem
    finally:
        zygote.close()
    cold = run_tasks(files, tasks, sandbox=SANDBOX)
    assert wire.encode(warm) == wire.encode(cold)
    kinds = {o["status"] for o in warm.values()}
    assert {"ok", "raised", "crashed"} <= kinds


@needs_warm
def test_each_slot_starts_its_zygote_once_for_the_whole_class(tmp_path, monkeypatch):
    """The zygote outlives the thread that started it (its death signal follows the starting
    thread: started from a short-lived one, it died at once and each slot restarted it)."""
    from autograder import warm
    launches = []
    original = warm.Zygote._launch
    monkeypatch.setattr(warm.Zygote, "_launch", lambda self: (launches.append(1), original(self))[1])
    for student in ("a", "b", "c"):
        (tmp_path / "subs" / student).mkdir(parents=True)
        (tmp_path / "subs" / student / f"{CH2}.py").write_text(solution(CH2), encoding="utf-8")
    docs = grading.grade_class(tmp_path / "subs", tmp_path / "out",
                               grading.Options(chapters=[CH2], workers=1), stream=open(os.devnull, "w"))
    assert all(d["score"] == d["max_score"] for d in docs.values())
    assert len(launches) == 1
