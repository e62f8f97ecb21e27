"""End-to-end grading through the real CLI on a class of good, broken and adversarial students."""
import csv
import json
import shutil

import pytest

from helpers import INDEPENDENT, REPO, run_cli

CH2, CH3 = "ch02_linear_regression", "ch03_nonlinear_models"


def solution(chapter):
    return (REPO / "solutions" / f"{chapter}.py").read_text(encoding="utf-8")


def with_override(chapter, code):
    """The answer key with one function redefined at the end of the file."""
    return solution(chapter) + "\n\n" + code + "\n"


STUDENTS = {
    "solution copy": {CH2: solution(CH2), CH3: solution(CH3)},
    "stubs": {c: (REPO / "exercises" / f"{c}.py").read_text() for c in (CH2, CH3)},
    "Indépendant 'quoted' \"name\"": {c: (INDEPENDENT / f"{c}.py").read_text() for c in (CH2, CH3)},
    "hangs": {CH2: with_override(CH2, "def mse(y, y_hat):\n    while True:\n        pass"),
              CH3: solution(CH3)},
    "crashes": {CH2: with_override(CH2, "def sse(y, y_hat):\n    import os\n    os._exit(3)"),
                CH3: with_override(CH3, "def predict(a, b, x):\n    import ctypes\n"
                                        "    return ctypes.string_at(0)")},
    "broken files": {CH2: solution(CH2).replace("def mse(", "def mse(:", 1),
                     CH3: "import sys\nsys.exit(1)\n" + solution(CH3)},
    "missing": {CH2: solution(CH2).replace("def mse(", "def mse_renamed(", 1)},
    "forbidden": {
        CH2: with_override(CH2, "from course.ch02_linear_regression import least_squares as _ls\n\n"
                                "def least_squares(X, y):\n    return _ls(X, y)"),
        CH3: with_override(CH3, "def fit_poly(x, y, k):\n    try:\n        return np.polyfit(x, y, k)\n"
                                "    except BaseException:\n        return np.zeros(k + 1)")},
    "cheater": {CH2: with_override(CH2, """
class Anything:
    def __eq__(self, other):
        return True
    def __float__(self):
        return 0.0
    def __array__(self, *a, **k):
        return np.zeros(1)

def mse(y, y_hat):
    return Anything()

class Sneaky(np.ndarray):
    def __eq__(self, other):
        return True

def design_matrix(x):
    return np.zeros((1, 1)).view(Sneaky)
""")},
    "noisy": {CH2: "import sys\nimport tensorflow\nprint('x' * 10**6, file=sys.stderr)\n"
                   + with_override(CH2, "_mse = mse\ndef mse(y, y_hat):\n    print('hello ' * 1000)\n"
                                        "    return _mse(y, y_hat)"),
              CH3: solution(CH3)},
    "prints a lot": {  # correct, and prints: through print, sys.stdout, os.write, a child process
        CH2: with_override(CH2, """import os, subprocess, sys
_sse, _mse, _design_matrix = sse, mse, design_matrix
def sse(y, y_hat):
    for _ in range(100):
        sys.stdout.write("progress " * 116509 + "\\n")  # 100 MB in all, per call
    return _sse(y, y_hat)
def mse(y, y_hat):
    os.write(2, b"E" * 2**20)
    subprocess.run([sys.executable, "-c", "import sys; sys.stdout.write('child ' * 10**6)"])
    return _mse(y, y_hat)
def design_matrix(x):
    for epoch in range(20000):
        print(f"epoch {epoch}: loss 0.1234", flush=True)
    return _design_matrix(x)"""),
        CH3: solution(CH3)},
    "floods and hogs": {
        CH2: with_override(CH2, "import sys\ndef sse(y, y_hat):\n    while True:\n"
                                "        sys.stdout.write('spam' * 100000)"),
        CH3: with_override(CH3, "def predict(a, b, x):\n    big = np.ones(20 * 2**30 // 8)\n"
                                "    return big[:3]")},
}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = tmp_path_factory.mktemp("class")
    subs, out = root / "submissions", root / "out"
    for student, files in STUDENTS.items():
        (subs / student).mkdir(parents=True)
        for chapter, text in files.items():
            (subs / student / f"{chapter}.py").write_text(text, encoding="utf-8")
    proc = run_cli("grade", subs, "--out", out, "--timeout", "2", "--workers", "2",
                   "--chapters", "ch02,ch03", timeout=900)
    assert proc.returncode == 0, proc.stderr
    docs = {s: json.loads((out / s / "results.json").read_text(encoding="utf-8")) for s in STUDENTS}
    return proc, out, docs


def cases_of(doc, prefix):
    return [t for t in doc["tests"] if t["name"].startswith(prefix)]


def assert_only_failed(doc, prefix, needle):
    """Every test under ``prefix`` failed mentioning ``needle``; every other test passed."""
    for t in doc["tests"]:
        if t["name"].startswith(prefix):
            assert t["status"] == "failed" and needle in t["output"], t
        else:
            assert t["status"] == "passed", t


def test_every_student_has_the_same_tests(graded):
    _, _, docs = graded
    names = [[t["name"] for t in d["tests"]] for d in docs.values()]
    assert all(n == names[0] for n in names)
    assert len({d["max_score"] for d in docs.values()}) == 1
    assert all(n.count(".") == 2 for n in names[0])


def test_answer_key_and_independent_implementation_get_full_marks(graded):
    _, _, docs = graded
    for student in ("solution copy", "Indépendant 'quoted' \"name\""):
        failed = [t for t in docs[student]["tests"] if t["status"] != "passed"]
        assert not failed, failed
        assert docs[student]["score"] == docs[student]["max_score"] > 0


def test_stubs_get_zero(graded):
    _, _, docs = graded
    assert docs["stubs"]["score"] == 0
    assert all("not implemented" in t["output"] for t in docs["stubs"]["tests"]
               if "raises" not in t["name"])


def test_a_hang_costs_only_its_exercise(graded):
    assert_only_failed(graded[2]["hangs"], f"{CH2}.mse.", "timed out after 2 s")


def test_crashes_cost_only_their_exercise(graded):
    doc = graded[2]["crashes"]
    for t in doc["tests"]:
        if t["name"].startswith(f"{CH2}.sse."):
            assert "exited with code 3" in t["output"]
        elif t["name"].startswith(f"{CH3}.predict."):
            assert "SIGSEGV" in t["output"]
        else:
            assert t["status"] == "passed", t


def test_files_that_do_not_import_zero_their_chapter_with_the_error(graded):
    doc = graded[2]["broken files"]
    assert all("SyntaxError" in t["output"] for t in cases_of(doc, CH2))
    assert all("SystemExit" in t["output"] for t in cases_of(doc, CH3))
    assert doc["score"] == 0
    assert "/tmp" not in cases_of(doc, CH2)[0]["output"]  # paths shown relative to the submission


def test_missing_file_and_function_are_reported(graded):
    doc = graded[2]["missing"]
    assert all("no file ch03_nonlinear_models.py" in t["output"] for t in cases_of(doc, CH3))
    assert all("defines no 'mse'" in t["output"] for t in cases_of(doc, f"{CH2}.mse."))
    assert all(t["status"] == "passed" for t in cases_of(doc, CH2) if ".mse." not in t["name"])


def test_forbidden_apis_are_reported_even_when_caught(graded):
    doc = graded[2]["forbidden"]
    assert all("course.ch02_linear_regression.least_squares" in t["output"]
               for t in cases_of(doc, f"{CH2}.least_squares."))
    assert all("numpy.polyfit" in t["output"] for t in cases_of(doc, f"{CH3}.fit_poly."))
    assert all(t["status"] == "passed" for t in doc["tests"]
               if ".least_squares." not in t["name"] and ".fit_poly." not in t["name"])


def test_objects_with_odd_dunder_methods_earn_nothing(graded):
    doc = graded[2]["cheater"]
    for prefix in (f"{CH2}.mse.", f"{CH2}.design_matrix."):
        for t in cases_of(doc, prefix):
            assert t["score"] == 0 and "not a number, array, list or dict" in t["output"], t


def test_stderr_and_stdout_noise_does_not_count(graded):
    doc = graded[2]["noisy"]
    assert all(t["status"] == "passed" for t in cases_of(doc, CH2))


def test_printing_any_amount_by_any_route_costs_nothing(graded):
    doc = graded[2]["prints a lot"]
    assert doc["score"] == doc["max_score"], [t for t in doc["tests"] if t["status"] != "passed"]
    for prefix, printed in ((f"{CH2}.sse.", "progress"), (f"{CH2}.mse.", "child"),
                            (f"{CH2}.design_matrix.", "epoch 19999: loss")):
        for t in cases_of(doc, prefix):
            assert printed in t["output"] and len(t["output"]) < 10_000, t["output"][:300]
    sse = cases_of(doc, f"{CH2}.sse.")
    assert all("more bytes not kept" in t["output"] for t in sse)
    assert doc["execution_time"] < 30 * len(sse)  # each 100 MB case is a matter of seconds


def test_output_flood_and_memory_blowup_cost_only_their_exercise(graded):
    doc = graded[2]["floods and hogs"]
    for t in doc["tests"]:
        if t["name"].startswith(f"{CH2}.sse."):  # prints forever: only the time limit stops it
            assert t["extra_data"]["kind"] == "timeout" and len(t["output"]) < 10_000, t
        elif t["name"].startswith(f"{CH3}.predict."):
            assert "MemoryError" in t["output"] and t["extra_data"]["kind"] == "memory limit", t
        else:
            assert t["status"] == "passed", t


def test_results_files_follow_the_documented_formats(graded):
    proc, out, docs = graded
    doc = docs["solution copy"]
    assert {"score", "max_score", "execution_time", "output", "visibility", "tests"} <= set(doc)
    assert set(doc["tests"][0]) == {"name", "score", "max_score", "status", "output", "visibility",
                                    "extra_data"}
    env = doc["extra_data"]["environment"]
    assert env["device"] == "cpu" and env["tf32"] == "off" and env["versions"]["numpy"]
    with open(out / "grades.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ["student", "score", "max_score", CH2, CH3]
    assert sorted(r[0] for r in rows[1:]) == sorted(STUDENTS)
    by_name = {r[0]: r for r in rows[1:]}
    assert float(by_name["stubs"][1]) == 0
    assert by_name["solution copy"][1] == by_name["solution copy"][2]
    assert "solution copy" in proc.stdout  # the gradebook


def test_grade_rejects_bad_input_clearly(tmp_path):
    proc = run_cli("grade", tmp_path / "nowhere", "--out", tmp_path / "out")
    assert proc.returncode == 2 and "not a folder" in proc.stderr
    proc = run_cli("grade", tmp_path, "--out", tmp_path / "out", "--chapters", "ch99")
    assert proc.returncode == 2 and "unknown chapter" in proc.stderr


def test_check_runs_public_cases_on_a_students_folder(tmp_path):
    shutil.copy(REPO / "exercises" / f"{CH2}.py", tmp_path)
    proc = run_cli("check", "ch02", "--path", tmp_path)
    assert proc.returncode == 1 and "FAIL" in proc.stdout and "0 of" in proc.stdout
    proc = run_cli("check", "ch02", "--path", REPO / "solutions")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "FAIL" not in proc.stdout


def test_forbidden_apis_of_packages_imported_later_are_still_caught():
    """A trip-wire costs no import: it is laid when the student's code imports the package."""
    import subprocess
    import sys
    code = """
import sys
from autograder.worker import ForbiddenAPI, _Tripwires
wires = _Tripwires()
sys.meta_path.insert(0, wires)
wires.install("colorsys.rgb_to_hsv")
assert "colorsys" not in sys.modules
import colorsys
from colorsys import rgb_to_hsv
wires.active = {"colorsys.rgb_to_hsv"}
for fn in (colorsys.rgb_to_hsv, rgb_to_hsv):
    try:
        fn(0.1, 0.2, 0.3)
        raise SystemExit("not caught")
    except ForbiddenAPI:
        pass
wires.active = set()
assert colorsys.rgb_to_hsv(0.0, 0.0, 0.0) == (0.0, 0.0, 0.0)
print("ok")
"""
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
    assert proc.stdout.strip() == "ok", proc.stderr
