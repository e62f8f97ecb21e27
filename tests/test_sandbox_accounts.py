"""Grading from a regular install, as root and as an unprivileged account, with each isolation
mechanism: the adversarial students, the demo, the public checks, a fork bomb and a disk filler."""
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from helpers import (REPO, account_folder, assert_usual_demo, regular_install,
                     unprivileged_account)
from test_class_grading import SOLUTION, grade_adversarial_class, make_class, override

MODES = ["root/namespaces", "user/namespaces", "user/bubblewrap"]
DESCRIPTIONS = {"root/namespaces": "namespaces (root, one user per worker)",
                "user/namespaces": "user namespaces", "user/bubblewrap": "bubblewrap (user namespace)"}


class Grader:
    """The installed ``autograder`` run as one account with one mechanism."""

    def __init__(self, mode):
        self.mode = mode
        account, mechanism = mode.split("/")
        python, why = regular_install()
        if python is None:
            pytest.skip(why)
        if account == "root":
            if os.geteuid() != 0:
                pytest.skip("the suite does not run as root")
            self.prefix, self.env = [], dict(os.environ)
        else:
            found = unprivileged_account()
            if found is None:
                pytest.skip("no unprivileged account can be used here (needs setpriv and useradd)")
            self.prefix, self.env = found
        self.env = {**self.env, "AUTOGRADER_SANDBOX": mechanism}
        self.python = python
        doctor = self.run("doctor")
        line = next((x for x in doctor.stdout.splitlines() if x.strip().startswith(mechanism)), "")
        if "works" not in line:
            pytest.skip(f"{mechanism} does not work for this account here: {line.strip()}")

    def run(self, *args, timeout=600):
        return subprocess.run([*self.prefix, str(self.python), "-m", "autograder", *map(str, args)],
                              env=self.env, cwd="/", capture_output=True, text=True, timeout=timeout)

    def folder(self, prefix):
        return account_folder(prefix)

    @property
    def site(self) -> Path:
        return Path(self.run_python("import course, pathlib; print(pathlib.Path(course.__file__).parent.parent)"))

    def run_python(self, code):
        return subprocess.run([*self.prefix, str(self.python), "-c", code], env=self.env, cwd="/",
                              capture_output=True, text=True, check=True).stdout.strip()


@pytest.fixture(params=MODES)
def grader(request):
    return Grader(request.param)


def test_a_regular_install_grades_the_demo_and_checks_the_answer_key(grader):
    out = grader.folder("autograder-demo-")
    demo = grader.run("demo", "--out", out, "--chapters", "ch02,ch03")
    assert_usual_demo(demo, out)
    doc = json.loads(next(out.glob("*/results.json")).read_text())
    assert doc["extra_data"]["environment"]["isolation"] == DESCRIPTIONS[grader.mode]
    for chapter in ("ch02", "ch06"):  # numpy only; Keras training
        check = grader.run("check", chapter, "--path", grader.site / "solutions")
        assert check.returncode == 0, check.stdout + check.stderr
        assert "(note:" not in check.stdout  # it ran isolated


def test_the_sandbox_holds_against_adversarial_students_in_every_mode(grader):
    grade_adversarial_class(grader.run, grader.folder("autograder-subs-"),
                            grader.folder("autograder-out-"))


FORKER = override('''
import os, time

def design_matrix(x):  # a bounded fork bomb: 5000 sleepers
    for _ in range(5000):
        if os.fork() == 0:
            time.sleep(60)
            os._exit(0)
    return None
''')
FILLER = override('''
import os

def fit_line(x, y):  # a disk filler: 40 files of 15 MB here, then in /tmp
    block = b"x" * (15 * 2**20)
    for folder in (".", "/tmp"):
        for i in range(40):
            with open(os.path.join(folder, f"fill-{i}"), "wb") as fh:
                fh.write(block)
    return 0.0, 0.0
''')


def _watch(stop, peaks, disk_path):
    base_procs = len([d for d in os.listdir("/proc") if d.isdigit()])
    base_disk = shutil.disk_usage(disk_path).used
    while not stop.is_set():
        peaks["procs"] = max(peaks.get("procs", 0), len([d for d in os.listdir("/proc") if d.isdigit()]) - base_procs)
        peaks["disk"] = max(peaks.get("disk", 0), shutil.disk_usage(disk_path).used - base_disk)
        time.sleep(0.02)


def test_a_fork_bomb_and_a_disk_filler_cost_only_their_cases(grader):
    out = grader.folder("autograder-out-")
    subs = make_class(grader.folder("autograder-subs-"), {"forker": FORKER, "filler": FILLER})
    stop, peaks = threading.Event(), {}
    watch = threading.Thread(target=_watch, args=(stop, peaks, str(out)))
    watch.start()
    try:
        proc = grader.run("grade", subs, "--out", out, "--chapters", "ch02", "--timeout", "60",
                          "--workers", "2", "--max-processes", "100", "--disk-mb", "64")
    finally:
        stop.set()
        watch.join()
    assert proc.returncode == 0, proc.stderr
    assert peaks["procs"] < 300, peaks  # two workers of at most 100 processes each, and the grader
    # the filler tried 1200 MB; the margin is for whatever else writes to this disk meanwhile
    assert peaks["disk"] < 200 * 2**20, peaks
    for student, exercise, limit in (("forker", "design_matrix", "hit the limit on processes"),
                                     ("filler", "fit_line", "ran out of writable space")):
        doc = json.loads((out / student / "results.json").read_text())
        for t in doc["tests"]:
            if f".{exercise}." in t["name"]:
                assert t["status"] == "failed" and limit in t["output"], (student, t)
            else:
                assert t["status"] == "passed", (student, t)
    ps = subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True).stdout
    assert "sandbox_setup" not in ps  # nothing of the sandboxes outlived the grading


def test_a_worker_that_cannot_import_the_grader_stops_grading_without_zeros(tmp_path):
    subs = make_class(tmp_path / "subs", {"a": SOLUTION, "b": SOLUTION})
    out = tmp_path / "out"
    broken = ("import sys, autograder.runner as r; "
              "r._BOOT = 'import autograder_is_not_here'; "
              "from autograder.cli import main; sys.exit(main(sys.argv[1:]))")
    for args in (["grade", subs, "--out", out, "--chapters", "ch02"],
                 ["check", "ch02", "--path", REPO / "solutions"]):
        proc = subprocess.run([sys.executable, "-c", broken, *map(str, args)],
                              capture_output=True, text=True, timeout=300)
        assert proc.returncode == 2, proc.stdout + proc.stderr
        assert "could not start" in proc.stderr and "autograder_is_not_here" in proc.stderr
    assert not list(out.glob("*/results.json")) and not (out / "grades.csv").exists()
