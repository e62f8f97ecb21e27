"""Benchmark of class grading (a script, not a test): prints times and ratios measured in one run.

    python benchmarks/bench_grading.py [--students 20] [--chapters ch02,ch03] [--workers N]

(a) ``autograder grade`` end to end on a generated class of N copies of the answer key (isolated
    workers, in parallel);
(b) the bare compute: the same probes called in one process, once per student, no isolation;
(c) a straightforward per-submission pytest harness: one pytest process per student that imports
    the student's module and the answer key and compares them case by case in-process.
Prints (a)/(b) and (c)/(a), and whether (a) and (c) gave identical scores.
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


def time_grade(subs: Path, out: Path, chapters: list[str], workers: int | None) -> tuple[float, dict]:
    cmd = [sys.executable, "-m", "autograder", "grade", str(subs), "--out", str(out),
           "--chapters", ",".join(chapters), "--force"]
    if workers:
        cmd += ["--workers", str(workers)]
    start = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True, cwd=REPO)
    elapsed = time.perf_counter() - start
    scores = {p.parent.name: json.loads(p.read_text())["score"] for p in out.glob("*/results.json")}
    return elapsed, scores


def time_bare(subs: Path, chapters: list[str], folders: list[Path] | None = None) -> float:
    """The probes of every hidden case run in this process on ``folders`` (default: all of them)."""
    plan = make_plan(chapters)
    start = time.perf_counter()
    for folder in folders or sorted(subs.iterdir()):
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


def time_pytest(subs: Path, root: Path, chapters: list[str]) -> tuple[float, dict]:
    plan = make_plan(chapters)
    points = {t.id: plan.points[t.id] for t in plan.runnable}
    scores = {}
    start = time.perf_counter()
    for folder in sorted(subs.iterdir()):
        test_file = root / "harness" / folder.name / "test_submission.py"
        test_file.parent.mkdir(parents=True)
        test_file.write_text(HARNESS.format(folder=str(folder), solutions=str(solutions_dir()),
                                            chapters=chapters))
        report = test_file.parent / "report.json"
        proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                               f"--junitxml={report}", str(test_file)], capture_output=True,
                              text=True, cwd=test_file.parent)
        from xml.etree import ElementTree
        suite = ElementTree.parse(report).getroot().find("testsuite")
        passed = [case.get("name")[len("test_case["):-1] for case in suite.iter("testcase")
                  if not list(case)]
        scores[folder.name] = round(sum(points[p] for p in passed), 6)
        assert proc.returncode in (0, 1), proc.stdout[-2000:]
    return time.perf_counter() - start, scores


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--students", type=int, default=20)
    parser.add_argument("--chapters", help="comma-separated (default: every graded chapter)")
    parser.add_argument("--workers", type=int, help="grade --workers (default: grade's default)")
    args = parser.parse_args()
    chapters = ([spec.resolve_chapter(c) for c in args.chapters.split(",")] if args.chapters
                else spec.graded_chapters())
    with tempfile.TemporaryDirectory(prefix="bench-grading-") as tmp:
        root = Path(tmp)
        subs = make_class(root / "subs", args.students, chapters)
        print(f"{args.students} students x {len(make_plan(chapters).tasks)} cases "
              f"({', '.join(chapters)}), {os.cpu_count()} cores", flush=True)
        # warm the reference cache so that (a) measures grading, as on a class after the first run
        time_grade(make_class(root / "warm", 1, chapters), root / "out", chapters, args.workers)
        a, scores_a = time_grade(subs, root / "out", chapters, args.workers)
        print(f"(a) autograder grade:       {a:8.2f} s  ({a / args.students:.2f} s per submission)", flush=True)
        b = time_bare(subs, chapters)
        print(f"(b) bare compute:           {b:8.2f} s  ({b / args.students:.2f} s per submission)", flush=True)
        import keras  # noqa: F401 - once, as a warm worker would have it
        first = sorted(subs.iterdir())[:1]
        per_chapter = {c: time_bare(subs, [c], first) for c in chapters}
        print("    one submission's hidden cases, bare, per chapter (Keras imported): "
              + ", ".join(f"{c.split('_')[0]} {t:.2f} s" for c, t in per_chapter.items()), flush=True)
        c, scores_c = time_pytest(subs, root, chapters)
        print(f"(c) pytest per submission:  {c:8.2f} s  ({c / args.students:.2f} s per submission)")
        print(f"(a)/(b) = {a / b:.2f}   (target <= 1.3)")
        print(f"(c)/(a) = {c / a:.2f}   (target >= 2)")
        same = scores_a == scores_c
        print(f"identical scores from (a) and (c): {same}")
        if not same:
            diff = {s: (scores_a.get(s), scores_c.get(s)) for s in scores_a if scores_a.get(s) != scores_c.get(s)}
            print(f"  differences: {dict(list(diff.items())[:5])}")


if __name__ == "__main__":
    main()
