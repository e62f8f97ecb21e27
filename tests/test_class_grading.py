"""Class-scale grading: sandbox against adversarial students, resume, cache, determinism, outputs."""
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from xml.etree import ElementTree

import pytest

from autograder import grading
from autograder.sandbox import isolation_problem
from helpers import REPO, run_cli

CH2 = "ch02_linear_regression"
SOLUTION = (REPO / "solutions" / f"{CH2}.py").read_text(encoding="utf-8")
needs_isolation = pytest.mark.skipif(isolation_problem() is not None,
                                     reason=f"no namespace isolation here: {isolation_problem()}")


def make_class(root, students):
    for student, text in students.items():
        (root / student).mkdir(parents=True)
        (root / student / f"{CH2}.py").write_text(text, encoding="utf-8")
    return root


def override(code):
    return SOLUTION + "\n\n" + code + "\n"


# Each adversary redefines design_matrix (2 hidden cases) to return a dict whose keys say what it
# achieved: the feedback then says "got a dict with keys [...]", and the list must be empty.
SEARCHER = override('''
import importlib, os, sys
from pathlib import Path

def _search():
    found = []
    for name in ("solutions", "solutions.ch02_linear_regression", "autograder.hidden",
                 "autograder.hidden.ch02_linear_regression", "autograder.demo"):
        try:
            importlib.import_module(name)
            found.append("import " + name)
        except BaseException:
            pass
    import autograder, course
    for base in (Path(autograder.__file__).parent, Path(course.__file__).parent.parent):
        for rel in ("hidden/ch02_linear_regression.py", "solutions/ch02_linear_regression.py",
                    "../solutions/ch02_linear_regression.py", "demo.py"):
            try:
                (base / rel).read_bytes()
                found.append(str(base / rel))
            except OSError:
                pass
    mine = os.path.abspath("ch02_linear_regression.py")
    shipped = (str(Path(autograder.__file__).parent / "chapters"), str(Path(course.__file__).parent),
               str(Path(course.__file__).parent.parent / "exercises"))  # the stubs are public
    for root, dirs, files in os.walk("/"):
        if root.startswith(shipped):
            continue
        dirs[:] = [d for d in dirs if os.path.join(root, d) not in ("/proc", "/sys", "/dev")]
        for f in files:
            path = os.path.join(root, f)
            public = os.path.basename(root) in ("chapters", "course", "exercises")  # any install's
            if f in ("ch02_linear_regression.py", "results.json", "grades.csv") and path != mine \
                    and not public:
                try:
                    open(path).read(10)
                    found.append(path)
                except OSError:
                    pass
    return found

def design_matrix(x):
    return dict.fromkeys(_search(), 1)
''')


def writer(out, other):
    return override(f'''
import os

def design_matrix(x):
    done = []
    for path in ({str(out / "forged.txt")!r}, {str(out / "victim" / "results.json")!r},
                 {str(other / "ch02_linear_regression.py")!r}, "/tmp/forged.txt",
                 os.path.expanduser("~/../../../tmp/forged2.txt"), "/var/tmp/forged.txt"):
        try:
            with open(path, "w") as fh:
                fh.write("forged")
        except OSError:
            continue
        if not os.path.realpath(path).startswith(os.getcwd() + os.sep):  # /tmp: its own space
            done.append(path)
    return dict.fromkeys(done, 1)
''')


SPAWNER = override('''
import subprocess, sys

def design_matrix(x):
    subprocess.Popen([sys.executable, "-c", "import os, time; os.setsid(); time.sleep(300)",
                      "autograder-test-orphan-marker"], start_new_session=True)
    return {}
''')


def socketeer(port):
    return override(f'''
import socket

def design_matrix(x):
    done = []
    for host, port in (("127.0.0.1", {port}), ("8.8.8.8", 53), ("1.1.1.1", 443)):
        try:
            socket.create_connection((host, port), timeout=2).close()
            done.append(host)
        except OSError:
            pass
    return dict.fromkeys(done, 1)
''')


PRIVILEGED = override('''
import os

def design_matrix(x):
    status = dict(line.split(":", 1) for line in open("/proc/self/status").read().splitlines())
    held = [key for key in ("CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb")
            if int(status[key].strip(), 16)]
    if status["NoNewPrivs"].strip() != "1":
        held.append("NoNewPrivs off")
    inside, outside, _ = open("/proc/self/uid_map").read().split()[:3]
    if os.getuid() == 0 and inside == outside == "0":
        held.append("root of the machine")
    return dict.fromkeys(held, 1)
''')


def design_outputs(doc):
    return [t["output"] for t in doc["tests"] if ".design_matrix." in t["name"]]


def grade_adversarial_class(grade, subs, out):
    """Grade the adversarial students in ``subs`` into ``out`` with ``grade(*cli_args)`` (returns a
    CompletedProcess) and assert that the sandbox held against every one of them."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    listener.settimeout(0.1)
    # a stray copy of the answer key outside the repository (as an old course checkout would be)
    decoy = Path(tempfile.mkdtemp(prefix="autograder-decoy-", dir="/opt" if os.access("/opt", os.W_OK)
                                  else None))
    decoy.chmod(0o755)  # readable by anyone, like a normal checkout
    (decoy / "solutions").mkdir(mode=0o755)
    (decoy / "solutions" / f"{CH2}.py").write_text(SOLUTION)
    (decoy / "solutions" / f"{CH2}.py").chmod(0o644)
    make_class(subs, {
        "searcher": SEARCHER, "writer": writer(out, subs / "victim"), "victim": SOLUTION,
        "spawner": SPAWNER, "socketeer": socketeer(listener.getsockname()[1]),
        "privileged": PRIVILEGED})
    try:
        proc = grade("grade", subs, "--out", out, "--chapters", "ch02", "--timeout", "60",
                     "--workers", "2")
    finally:
        shutil.rmtree(decoy)
    assert proc.returncode == 0, proc.stderr
    docs = {s: json.loads((out / s / "results.json").read_text()) for s in
            ("searcher", "writer", "spawner", "socketeer", "victim", "privileged")}
    for student in ("searcher", "writer", "spawner", "socketeer", "privileged"):
        for output in design_outputs(docs[student]):
            assert "got a dict with keys []" in output, (student, output)
    assert docs["victim"]["score"] == docs["victim"]["max_score"]
    assert not (out / "forged.txt").exists()
    for host_tmp in ("/tmp/forged.txt", "/tmp/forged2.txt", "/var/tmp/forged.txt"):
        assert not os.path.exists(host_tmp)
    assert "forged" not in (subs / "victim" / f"{CH2}.py").read_text()
    with pytest.raises(socket.timeout):
        listener.accept()
    ps = subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True).stdout
    assert "autograder-test-orphan-marker" not in ps


@needs_isolation
@pytest.mark.parametrize("workers", ["warm", "cold"])
def test_sandbox_holds_against_adversarial_students(tmp_path, workers):
    """From this (editable) install as this account; every other mode: test_sandbox_accounts."""
    grade = run_cli if workers == "warm" else lambda *args: run_cli(*args, "--cold")
    grade_adversarial_class(grade, tmp_path / "subs", tmp_path / "out")


def test_grade_refuses_without_isolation_unless_unsafe(tmp_path, monkeypatch):
    from autograder import sandbox
    monkeypatch.setattr(sandbox, "choose", lambda *a, **k: (None, "no namespaces in this test"))
    subs = make_class(tmp_path / "subs", {"a": SOLUTION})
    with pytest.raises(RuntimeError, match="--unsafe"):
        grading.grade_class(subs, tmp_path / "out", grading.Options(chapters=[CH2]))
    docs = grading.grade_class(subs, tmp_path / "out", grading.Options(chapters=[CH2], unsafe=True))
    assert docs["a"]["score"] == docs["a"]["max_score"]
    assert docs["a"]["extra_data"]["environment"]["isolation"] == "none (--unsafe)"


def results_without_timing(out, student):
    doc = json.loads((out / student / "results.json").read_text())
    doc.pop("execution_time")
    return doc


def test_regrading_is_deterministic_resumable_and_cached(tmp_path):
    hang = override("def fit_line(x, y):\n    while True:\n        pass")
    subs = make_class(tmp_path / "subs", {"good": SOLUTION, "hang": hang,
                                          "buggy": SOLUTION.replace("** 2", "** 2.0001", 1)})
    out = tmp_path / "out"
    args = ("grade", subs, "--out", out, "--chapters", "ch02", "--timeout", "1", "--junit")
    first = run_cli(*args)
    assert first.returncode == 0, first.stderr
    snapshot = {s: results_without_timing(out, s) for s in ("good", "hang", "buggy")}
    cached = list((out / ".cache" / "reference").rglob("*.json"))
    assert len(cached) == len(grading.make_plan([CH2]).tasks)

    again = run_cli(*args)  # nothing changed: every student kept
    assert again.stderr.count("unchanged, kept") == 3
    assert {s: results_without_timing(out, s) for s in snapshot} == snapshot

    forced = run_cli(*args, "--force")  # regraded from scratch: identical scores and feedback
    assert "unchanged" not in forced.stderr
    assert {s: results_without_timing(out, s) for s in snapshot} == snapshot

    (subs / "buggy" / f"{CH2}.py").write_text(SOLUTION, encoding="utf-8")
    partial = run_cli(*args)
    assert partial.stderr.count("unchanged, kept") == 2
    assert results_without_timing(out, "buggy")["score"] == snapshot["good"]["score"]

    suite = ElementTree.parse(out / "hang" / "junit.xml").getroot()
    assert suite.tag == "testsuite" and int(suite.get("failures")) == 3
    assert len(suite.findall("testcase")) == len(snapshot["hang"]["tests"])


def test_cached_reference_outputs_are_used_and_keyed_by_environment(tmp_path):
    from autograder.cache import ReferenceCache
    plan = grading.make_plan([CH2])
    cache = ReferenceCache(tmp_path)
    env = {"device": "cpu"}
    first = grading.reference_outcomes(plan, cache=cache, environment=env)
    task = plan.tasks[0]
    key = grading.reference_keys(plan, env)[task.id]
    cache.put(key, {"status": "ok", "value": 12345.0})  # a planted entry is what comes back
    assert grading.reference_outcomes(plan, cache=cache, environment=env)[task.id]["value"] == 12345.0
    other = grading.reference_outcomes(plan, cache=cache, environment={"device": "gpu"})
    assert other[task.id] == first[task.id]
    assert grading.reference_keys(plan, {"device": "gpu"})[task.id] != key


def _start_grading_and_wait_for(cmd, first_result):
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    deadline = time.monotonic() + 120
    while not first_result.exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    time.sleep(0.5)  # the hanging student's worker is running now
    from autograder.runner import _descendants
    return proc, _descendants(proc.pid)  # its workers, and in the sandbox what runs below them


def _gone(pids, within=10.0):
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        alive = [p for p in pids if os.path.exists(f"/proc/{p}")
                 and "Z" not in open(f"/proc/{p}/stat").read().rsplit(")", 1)[1].split()[0]]
        if not alive:
            return True
        time.sleep(0.2)
    return False


def test_an_interrupted_run_keeps_finished_students_and_leaves_no_process(tmp_path):
    hang = override("def mse(y, y_hat):\n    while True:\n        pass")
    subs = make_class(tmp_path / "subs", {"a_first": SOLUTION, "z_hangs": hang})
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "autograder", "grade", str(subs), "--out", str(out),
           "--chapters", "ch02", "--workers", "1", "--timeout", "2"]
    # kill -9 of the grader: its workers die with it
    proc, workers = _start_grading_and_wait_for(cmd, out / "a_first" / "results.json")
    assert len(workers) >= 2  # the worker and (sandboxed) the process that runs it
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert _gone(workers)
    doc = json.loads((out / "a_first" / "results.json").read_text())
    assert doc["score"] == doc["max_score"]
    assert not (out / "z_hangs" / "results.json").exists()
    # Ctrl-C: stops at once (well before the hanging student's 3 x 2 s), exit status 130
    (out / "a_first" / "results.json").unlink()
    proc, workers = _start_grading_and_wait_for(cmd, out / "a_first" / "results.json")
    started = time.monotonic()
    os.kill(proc.pid, signal.SIGINT)
    assert proc.wait(timeout=30) == 130 and "interrupted" in proc.stderr.read()
    assert time.monotonic() - started < 4 and _gone(workers)
    assert not (out / "z_hangs" / "results.json").exists()
    resumed = run_cli(*cmd[3:])
    assert resumed.returncode == 0 and resumed.stderr.count("unchanged, kept") == 1


def test_tensorflow_only_exercises_are_skipped_under_another_backend(monkeypatch):
    from autograder import spec
    monkeypatch.setenv("KERAS_BACKEND", "jax")
    assert "KERAS_BACKEND=jax" in spec.tensorflow_unavailable()
    exercise = spec.Exercise("f", points=2, needs_tensorflow=True)
    monkeypatch.setattr(spec, "load_exercises", lambda chapter: {"f": exercise})
    monkeypatch.setattr(spec, "hidden_cases", lambda chapter: {"f": [spec.Case("one", {})]})
    plan = grading.make_plan(["chX"])
    assert plan.runnable == [] and "jax" in plan.skipped["chX.f.one"]
    (entry,) = grading.score(plan, {}, {})
    assert entry["max_score"] == 0 and entry["output"].startswith("skipped:")
    assert entry["extra_data"]["kind"] == "skipped"


def test_memory_is_watched_where_address_space_cannot_be_capped(tmp_path):
    """On GPU slots (CUDA_VISIBLE_DEVICES set) the cap is a watch on resident memory (a worker
    holds about 540 MB once numpy and TensorFlow are preloaded)."""
    from autograder.runner import Limits, run_tasks
    hog = override("def sse(y, y_hat):\n    blocks = []\n    while True:\n"
                   "        blocks.append(np.ones(2**24))")
    (tmp_path / f"{CH2}.py").write_text(hog, encoding="utf-8")
    plan = grading.make_plan([CH2])
    tasks = [t for t in plan.tasks if t.exercise in ("sse", "mse")]
    got = run_tasks({CH2: tmp_path / f"{CH2}.py"}, tasks, limits=Limits(memory_mb=1200),
                    env_extra={"CUDA_VISIBLE_DEVICES": ""})
    for task in tasks:
        if task.exercise == "sse":
            assert "1200 MB memory limit" in got[task.id]["message"], got[task.id]
        else:
            assert got[task.id]["status"] == "ok"


def _worker_pids():
    pids = set()
    for entry in os.scandir("/proc"):
        try:
            cmdline = open(f"/proc/{entry.name}/cmdline", "rb").read()
            if entry.name.isdigit() and b"autograder.worker import main" in cmdline \
                    and json.dumps(str(REPO)).encode() + b"," in cmdline:  # this checkout's
                pids.add(int(entry.name))
        except OSError:
            continue
    return pids


def test_a_worker_that_leaves_its_process_group_is_still_killed(tmp_path):
    escaper = override("import ctypes, os\n\ndef mse(y, y_hat):\n"
                       "    ctypes.CDLL(None).prctl(1, 0)  # no signal when the parent dies\n"
                       "    try:\n        os.setsid()\n    except OSError:\n        pass\n"
                       "    while True:\n        pass")
    subs = make_class(tmp_path / "subs", {"escaper": escaper})
    before = _worker_pids()
    proc = run_cli("grade", subs, "--out", tmp_path / "out", "--chapters", "ch02", "--timeout", "1")
    assert proc.returncode == 0, proc.stderr
    doc = json.loads((tmp_path / "out" / "escaper" / "results.json").read_text())
    assert all("timed out" in t["output"] for t in doc["tests"] if ".mse." in t["name"])
    time.sleep(0.5)
    assert _worker_pids() <= before
