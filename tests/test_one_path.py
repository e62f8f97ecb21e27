"""The engine's one grading path and its typed outcomes (see docs/architecture.md, "Outcomes"):
every kind is produced by a real submission, carried in each test entry and counted by the class
summary; grade, gradescope-run and check give the same verdicts; a required raise is the student's."""
import json
import os
import re
import subprocess
import sys
import zipfile

import pytest

from autograder import grading, outcomes, results
from autograder.check import run_check
from autograder.runner import Limits
from autograder.sandbox import isolation_for, isolation_problem
from helpers import REPO, run_cli

CH2, CH3 = "ch02_linear_regression", "ch03_nonlinear_models"
SOLUTION = (REPO / "solutions" / f"{CH2}.py").read_text(encoding="utf-8")
ISOLATED = isolation_problem() is None


def override(code, base=SOLUTION):
    return base + "\n\n" + code + "\n"


def mse_doing(body):
    return override("def mse(y, y_hat):\n" + "".join(f"    {line}\n" for line in body.splitlines()))


# student -> (file, the kind every case of `mse` (or of the file, for import and stub kinds) gets)
KINDS = {
    "correct": (SOLUTION, outcomes.OK),
    "raises": (mse_doing("raise ValueError('nope')"), outcomes.RAISED),
    "stubs": ((REPO / "exercises" / f"{CH2}.py").read_text(encoding="utf-8"), outcomes.NOT_IMPLEMENTED),
    "uses polyfit": (override("def fit_line(x, y):\n    return list(np.polyfit(x, y, 1))[::-1]"),
                     outcomes.FORBIDDEN),
    "returns an object": (mse_doing("return object()"), outcomes.NOT_PLAIN_DATA),
    "renamed mse": (SOLUTION.replace("def mse(", "def mse_renamed(", 1), outcomes.MISSING),
    "syntax error": (SOLUTION.replace("def mse(", "def mse(:", 1), outcomes.IMPORT_FAILED),
    "hangs": (mse_doing("while True:\n    pass"), outcomes.TIMEOUT),
    "exits": (mse_doing("import os\nos._exit(3)"), outcomes.CRASHED),
    "hogs memory": (mse_doing("return np.ones(2**34)"), outcomes.MEMORY_LIMIT),
    "writes a big file": (mse_doing("with open('big.bin', 'wb') as fh:\n"
                                    "    fh.write(b'x' * 20 * 2**20)"), outcomes.OUTPUT_LIMIT),
}
if ISOLATED:  # process and disk limits hold in a sandbox only
    KINDS["forks"] = (mse_doing("import os, time\nwhile True:\n    if os.fork() == 0:\n"
                                "        time.sleep(30)\n        os._exit(0)"), outcomes.PROCESS_LIMIT)
    KINDS["fills the disk"] = (mse_doing("for i in range(64):\n"
                                         "    with open(f'f{i}', 'wb') as fh:\n"
                                         "        fh.write(b'x' * 2**20)"), outcomes.DISK_LIMIT)
WHOLE_FILE = (outcomes.NOT_IMPLEMENTED, outcomes.IMPORT_FAILED)


@pytest.fixture(scope="module")
def kinds_graded(tmp_path_factory):
    root = tmp_path_factory.mktemp("kinds")
    for student, (text, _) in KINDS.items():
        (root / "subs" / student).mkdir(parents=True)
        (root / "subs" / student / f"{CH2}.py").write_text(text, encoding="utf-8")
    options = grading.Options(chapters=[CH2], workers=2, timeout=2, unsafe=True,
                              limits=Limits(memory_mb=2048, processes=24, disk_mb=32))
    return grading.grade_class(root / "subs", root / "out", options, stream=open(os.devnull, "w"))


@pytest.mark.parametrize("student", sorted(KINDS))
def test_each_kind_is_produced_and_carried_in_the_test_entries(kinds_graded, student):
    _, kind = KINDS[student]
    exercise = "fit_line" if kind == outcomes.FORBIDDEN else "mse"
    for t in kinds_graded[student]["tests"]:
        mine = kind in WHOLE_FILE or f".{exercise}." in t["name"]
        if mine:
            assert t["extra_data"]["kind"] == kind, t
            assert t["status"] == ("passed" if kind == outcomes.OK else "failed"), t
        else:  # untouched: a value, or a required raise
            assert t["extra_data"]["kind"] in (outcomes.OK, outcomes.RAISED), t
            assert t["status"] == "passed", t


def test_the_class_summary_counts_each_kind(kinds_graded):
    summary = results.class_summary(kinds_graded)
    for student, (_, kind) in KINDS.items():
        if kind == outcomes.OK:
            continue
        failed = [t for doc in kinds_graded.values() for t in doc["tests"]
                  if t["status"] == "failed" and t["extra_data"]["kind"] == kind]
        students = {s for s, doc in kinds_graded.items()
                    if any(t["status"] == "failed" and t["extra_data"]["kind"] == kind for t in doc["tests"])}
        assert re.search(rf"^  {re.escape(results.KIND_LABELS.get(kind, kind))} +{len(failed)} cases, "
                         rf"{len(students)} students?$", summary, re.M), (kind, summary)
    trouble = summary.split("Students whose code")[1]
    for student in ("hangs", "exits", "hogs memory", "writes a big file", "syntax error"):
        assert f"  {student}: {KINDS[student][1]}" in trouble
    assert "  raises:" not in trouble and "  correct" not in trouble


def test_skipped_cases_are_counted_too(monkeypatch):
    from autograder import spec
    monkeypatch.setenv("KERAS_BACKEND", "jax")
    exercise = spec.Exercise("f", points=2, needs_tensorflow=True)
    monkeypatch.setattr(spec, "load_exercises", lambda chapter: {"f": exercise})
    monkeypatch.setattr(spec, "hidden_cases", lambda chapter: {"f": [spec.Case("one", {})]})
    plan = grading.make_plan(["chX"])
    doc = results.results_document(grading.score(plan, {}, {}), 0.0, "", {})
    assert re.search(r"^  skipped +1 cases, 1 student$", results.class_summary({"s": doc}), re.M)


def grade_public(folder, chapter, isolation):
    """The public cases of ``chapter`` graded against the answer key run now (not the stored
    expected outputs that `check` reads)."""
    plan = grading.make_plan([chapter], public=True, timeout=60.0)
    return grading.Grading(plan, grading.reference_outcomes(plan), isolation).grade(
        {chapter: folder / f"{chapter}.py"})


def test_a_deliberate_not_implemented_error_shows_its_message(tmp_path):
    text = override("def lp_distance(x, y, p):\n"
                    "    raise NotImplementedError('p below 1 is not supported here')")
    (tmp_path / f"{CH2}.py").write_text(text, encoding="utf-8")
    doc, table = run_check(CH2, tmp_path)
    (t,) = [t for t in doc["tests"] if ".lp_distance." in t["name"]]
    assert t["extra_data"]["kind"] == outcomes.RAISED
    assert "NotImplementedError: p below 1 is not supported here" in t["output"]
    assert "not implemented yet" not in t["output"]


def test_an_unusable_result_never_passes_for_a_required_raise(tmp_path):
    """fit_line must raise ValueError on constant x, and fit_poly on too few points; a function
    whose result cannot be used (an object, a ragged list the probe cannot convert) gets nothing."""
    (tmp_path / "subs" / "s").mkdir(parents=True)
    (tmp_path / "subs" / "s" / f"{CH2}.py").write_text(
        override("def fit_line(x, y):\n    return object()"), encoding="utf-8")
    ch3 = (REPO / "solutions" / f"{CH3}.py").read_text(encoding="utf-8")
    (tmp_path / "subs" / "s" / f"{CH3}.py").write_text(
        override("def fit_poly(x, y, k):\n    return [[1.0, 2.0], [3.0]]", base=ch3), encoding="utf-8")
    docs = grading.grade_class(tmp_path / "subs", tmp_path / "out", grading.Options(
        chapters=[CH2, CH3], unsafe=True), stream=open(os.devnull, "w"))
    for name in (f"{CH2}.fit_line.constant_x_raises", f"{CH3}.fit_poly.too_few_points_raises"):
        (t,) = [t for t in docs["s"]["tests"] if t["name"] == name]
        assert t["score"] == 0 and t["extra_data"]["kind"] == outcomes.NOT_PLAIN_DATA, t
        assert "should raise ValueError" in t["output"] and "could not be used" in t["output"], t


BUGGY = SOLUTION.replace("return float(np.mean(residual", "return float(np.sum(residual", 1) + \
    "\n\ndef lp_distance(x, y, p):\n    print('computing', p)\n    raise ValueError('mine')\n"


def test_grade_gradescope_run_and_check_share_one_path(tmp_path):
    assert "np.sum(residual" in BUGGY  # mse's bug: the sum, not the mean
    student = tmp_path / "subs" / "student"
    student.mkdir(parents=True)
    (student / f"{CH2}.py").write_text(BUGGY, encoding="utf-8")
    # grade
    graded = run_cli("grade", tmp_path / "subs", "--out", tmp_path / "out", "--chapters", "ch02")
    assert graded.returncode == 0, graded.stderr
    by_grade = json.loads((tmp_path / "out" / "student" / "results.json").read_text())
    # gradescope-run, from the package, on the same file in Gradescope's layout
    zip_path = tmp_path / "autograder.zip"
    assert run_cli("gradescope", "--out", zip_path, "--chapters", "ch02").returncode == 0
    root = tmp_path / "autograder"
    with zipfile.ZipFile(zip_path) as zf:
        names = zf.namelist()
        zf.extractall(root)
    assert {"setup.sh", "run_autograder"} <= set(names)
    assert any(n.startswith("source/autograder/hidden/") for n in names)
    cached = [n for n in names if n.startswith("source/reference-cache/") and n.endswith(".json")]
    assert len(cached) == len(grading.make_plan([CH2]).tasks)  # the answer key's outputs, made now
    (root / "submission" / "upload").mkdir(parents=True)
    (root / "submission" / "upload" / f"{CH2}.py").write_text(BUGGY, encoding="utf-8")
    (root / "results").mkdir()
    env = dict(os.environ, AUTOGRADER_ROOT=str(root), PYTHON=sys.executable)
    proc = subprocess.run(["bash", str(root / "run_autograder")], env=env, capture_output=True,
                          text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    by_gradescope = json.loads((root / "results" / "results.json").read_text())
    assert "computed for this run" not in by_gradescope["output"]  # only the student's code ran
    for doc in (by_grade, by_gradescope):
        doc.pop("execution_time")
    assert by_gradescope == by_grade
    assert 0 < by_grade["score"] < by_grade["max_score"]
    (lp,) = [t for t in by_grade["tests"] if t["name"] == f"{CH2}.lp_distance.p2"]
    assert "printed:\ncomputing 2" in lp["output"] and "ValueError: mine" in lp["output"]
    # without the package's outputs the run computes them, and says so; the student's time is apart
    for f in (root / "source" / "reference-cache").rglob("*.json"):
        f.unlink()
    proc = subprocess.run(["bash", str(root / "run_autograder")], env=env, capture_output=True,
                          text=True, timeout=600)
    again = json.loads((root / "results" / "results.json").read_text())
    assert f"outputs on {len(cached)} cases were computed for this run" in again["output"]
    assert [t["output"] for t in again["tests"]] == [t["output"] for t in by_grade["tests"]]
    # check --path: the same verdicts on the public cases as a grading of them
    doc, _ = run_check(CH2, student)
    public = grade_public(student, CH2, isolation_for("check"))
    assert doc["tests"] == public["tests"]
    statuses = {t["status"] for t in doc["tests"]}
    assert statuses == {"passed", "failed"}


def test_gradescope_setup_completes_the_packages_outputs_once(tmp_path):
    """setup.sh runs `gradescope-run --prepare` in Gradescope's image: it computes what the cache
    lacks for that environment, and nothing the second time."""
    n_cases = len(grading.make_plan([CH2]).tasks)
    first = run_cli("gradescope-run", "--prepare", "--cache", tmp_path, "--chapters", "ch02")
    assert first.returncode == 0 and first.stdout.startswith(f"{n_cases} outputs"), first.stderr
    again = run_cli("gradescope-run", "--prepare", "--cache", tmp_path, "--chapters", "ch02")
    assert again.returncode == 0 and again.stdout.startswith("0 outputs"), again.stderr
    assert run_cli("gradescope-run", "--chapters", "ch02").returncode == 2  # no submission given
