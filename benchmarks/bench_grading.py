"""Benchmark of class grading (a script, not a test): prints times and ratios measured in one run.

    python benchmarks/bench_grading.py [--students 6] [--chapters ch02,ch03] [--workers 1,2]

For each parallelism N (default: 1 and the number of cores), on a generated class of copies of the
answer key, with the reference cache warm (as for a class after its first run):
(a) ``autograder grade --workers N`` end to end (isolated warm workers; ``--cold`` adds a line for
    cold workers);
(b) the bare compute: the same probes called with no isolation, the students spread over N
    processes (each a new interpreter that imports what its chapters need once, as a warm slot);
(c) a straightforward per-submission pytest harness: one pytest process per student, N at a time,
    that imports the student's module and the answer key and compares them case by case in-process.
Prints (a)/(b) and (c)/(a) for each N, the fixed overhead per submission ((a) - (b), divided by the
students), the bare compute of one submission per chapter, and whether (a) and (c) gave identical
scores. Like is compared with like: the same students, the same parallelism, all cold at the start.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")  # TensorFlow noise on stderr
REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from autograder import spec  # noqa: E402
from autograder.grading import make_plan, solutions_dir  # noqa: E402
from autograder.seeding import seed_everything  # noqa: E402

HARNESS = '''
import importlib.util, sys
import pytest
from autograder import wire
from autograder.grading import make_plan
from autograder.seeding import seed_everything
from autograder.verdicts import judge

FOLDER, SOLUTIONS, CHAPTERS = {folder!r}, {solutions!r}, {chapters!r}
PLAN = make_plan(CHAPTERS)


def load(path, name):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def outcome(module, task):
    seed_everything(task.seed)
    try:
        return {{"status": "ok",
                 "value": wire.decode(wire.encode(PLAN.exercises[task.id].run_probe(module, task.inputs)))}}
    except Exception as exc:
        return {{"status": "raised", "error": {{"type": type(exc).__name__,
                 "mro": [c.__name__ for c in type(exc).__mro__], "message": str(exc)}}}}


@pytest.mark.parametrize("task", PLAN.runnable, ids=lambda t: t.id)
def test_case(task):
    student = load(f"{{FOLDER}}/{{task.chapter}}.py", "student_" + task.chapter)
    reference = load(f"{{SOLUTIONS}}/{{task.chapter}}.py", "reference_" + task.chapter)
    verdict = judge(PLAN.exercises[task.id], outcome(student, task), outcome(reference, task),
                    task.inputs)
    assert verdict.passed, verdict.message
'''


def make_class(root: Path, n: int, chapters: list[str]) -> Path:
    for i in range(n):
        folder = root / f"student{i:03d}"
        folder.mkdir(parents=True)
        for chapter in chapters:
            (folder / f"{chapter}.py").write_bytes((solutions_dir() / f"{chapter}.py").read_bytes())
    return root


def time_grade(subs: Path, out: Path, chapters: list[str], workers: int,
               *extra: str) -> tuple[float, dict]:
    cmd = [sys.executable, "-m", "autograder", "grade", str(subs), "--out", str(out),
           "--chapters", ",".join(chapters), "--force", "--workers", str(workers), *extra]
    start = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True, cwd=REPO)
    elapsed = time.perf_counter() - start
    scores = {p.parent.name: json.loads(p.read_text())["score"] for p in out.glob("*/results.json")}
    return elapsed, scores


def bare(folders: list[Path], chapters: list[str]) -> float:
    """The probes of every hidden case run in this process on ``folders``; returns the seconds."""
    plan = make_plan(chapters)
    start = time.perf_counter()
    for folder in folders:
        for chapter in chapters:
            found = importlib.util.spec_from_file_location(f"bare_{chapter}", folder / f"{chapter}.py")
            module = importlib.util.module_from_spec(found)
            found.loader.exec_module(module)
            for task in plan.runnable:
                if task.chapter == chapter:
                    seed_everything(task.seed)
                    try:
                        plan.exercises[task.id].run_probe(module, task.inputs)
                    except Exception:  # noqa: BLE001 - cases where the exercise must raise
                        pass
    return time.perf_counter() - start


def time_bare(subs: Path, chapters: list[str], processes: int) -> float:
    """Wall time of the bare compute of every student, spread over ``processes`` new interpreters."""
    folders = sorted(subs.iterdir())
    groups = [folders[i::processes] for i in range(processes)]
    start = time.perf_counter()
    procs = [subprocess.Popen([sys.executable, __file__, "--bare", ",".join(chapters), *map(str, g)],
                              cwd=REPO) for g in groups if g]
    for proc in procs:
        if proc.wait():
            raise RuntimeError("a bare compute process failed")
    return time.perf_counter() - start


def time_pytest(subs: Path, root: Path, chapters: list[str], parallel: int) -> tuple[float, dict]:
    """One pytest process per student, ``parallel`` at a time; returns (seconds, scores)."""
    from xml.etree import ElementTree
    plan = make_plan(chapters)
    points = {t.id: plan.points[t.id] for t in plan.runnable}
    jobs = []
    for folder in sorted(subs.iterdir()):
        test_file = root / f"harness-{parallel}" / folder.name / "test_submission.py"
        test_file.parent.mkdir(parents=True)
        test_file.write_text(HARNESS.format(folder=str(folder), solutions=str(solutions_dir()),
                                            chapters=chapters))
        jobs.append((folder.name, test_file))
    running, scores = [], {}
    start = time.perf_counter()

    def finish(name, test_file, proc):
        assert proc.wait() in (0, 1), f"pytest failed for {name}"
        suite = ElementTree.parse(test_file.parent / "report.xml").getroot().find("testsuite")
        passed = [case.get("name")[len("test_case["):-1] for case in suite.iter("testcase")
                  if not list(case)]
        scores[name] = round(sum(points[p] for p in passed), 6)

    for name, test_file in jobs:
        if len(running) == parallel:
            finish(*running.pop(0))
        running.append((name, test_file, subprocess.Popen(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
             f"--junitxml={test_file.parent / 'report.xml'}", str(test_file)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=test_file.parent)))
    for job in running:
        finish(*job)
    return time.perf_counter() - start, scores


def main() -> None:
    if sys.argv[1:2] == ["--bare"]:  # one process of (b)
        bare([Path(p) for p in sys.argv[3:]], sys.argv[2].split(","))
        return
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--students", type=int, default=6)
    parser.add_argument("--chapters", help="comma-separated (default: every graded chapter)")
    parser.add_argument("--workers", help="comma-separated parallelisms (default: 1 and the cores)")
    parser.add_argument("--cold", action="store_true", help="also time grade --cold")
    args = parser.parse_args()
    chapters = ([spec.resolve_chapter(c) for c in args.chapters.split(",")] if args.chapters
                else spec.graded_chapters())
    cores = os.cpu_count() or 1
    parallelisms = ([int(n) for n in args.workers.split(",")] if args.workers
                    else sorted({1, cores}))
    with tempfile.TemporaryDirectory(prefix="bench-grading-") as tmp:
        root = Path(tmp)
        subs = make_class(root / "subs", args.students, chapters)
        print(f"{args.students} students x {len(make_plan(chapters).tasks)} cases "
              f"({len(chapters)} chapters), {cores} cores", flush=True)
        # the reference cache warm, as for a class after its first run
        time_grade(make_class(root / "warm", 1, chapters), root / "out", chapters, 1)
        same = True
        for n in parallelisms:
            a, scores_a = time_grade(subs, root / "out", chapters, n)
            print(f"N={n}  (a) autograder grade:      {a:8.2f} s  ({a / args.students:.2f} s per "
                  f"submission)", flush=True)
            if args.cold:
                cold, _ = time_grade(subs, root / "out", chapters, n, "--cold")
                print(f"N={n}      grade --cold:           {cold:8.2f} s  "
                      f"({cold / args.students:.2f} s per submission)", flush=True)
            b = time_bare(subs, chapters, n)
            print(f"N={n}  (b) bare compute:          {b:8.2f} s  ({b / args.students:.2f} s per "
                  f"submission)", flush=True)
            c, scores_c = time_pytest(subs, root, chapters, n)
            print(f"N={n}  (c) pytest per submission: {c:8.2f} s  ({c / args.students:.2f} s per "
                  f"submission)", flush=True)
            print(f"N={n}  (a)/(b) = {a / b:.2f} (target <= 1.3)   (c)/(a) = {c / a:.2f} (target >= 2)"
                  f"   fixed overhead per submission: {(a - b) * n / args.students:.2f} s of a "
                  f"worker's time (target <= 1)", flush=True)
            same &= scores_a == scores_c and len(scores_a) == args.students
        import keras  # noqa: F401 - imported once, as in a warm worker
        first = sorted(subs.iterdir())[:1]
        print("one submission's hidden cases, bare, per chapter (Keras imported): "
              + ", ".join(f"{spec.short_chapter(c)} {bare(first, [c]):.2f} s" for c in chapters))
        print(f"identical scores from (a) and (c): {same}")


if __name__ == "__main__":
    main()
