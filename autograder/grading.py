"""Grading a class: plan the cases, compute the reference once, grade each submission in a worker."""
from __future__ import annotations

import importlib.util
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from . import results, spec
from .runner import Limits, Task, run_tasks
from .seeding import fingerprint
from .verdicts import judge, reference_problem

DEFAULT_TIMEOUT = 30.0
BASE_SEED = 0


@dataclass
class Plan:
    """The cases to run, in a fixed order, with the exercise behind each task id."""
    chapters: list[str]
    tasks: list[Task]
    exercises: dict[str, spec.Exercise]
    visibility: str

    @property
    def max_score(self) -> float:
        return sum(self.exercises[t.id].points for t in self.tasks)


def make_plan(chapters: list[str], public: bool = False, timeout: float = DEFAULT_TIMEOUT) -> Plan:
    tasks, exercises = [], {}
    for chapter in chapters:
        cases = spec.public_cases(chapter) if public else spec.hidden_cases(chapter)
        for name, exercise in spec.load_exercises(chapter).items():
            for case in cases.get(name, ()):
                task_id = f"{chapter}.{name}.{case.name}"
                tasks.append(Task(task_id, chapter, name, case.inputs, case.seed,
                                  case.timeout or timeout))
                exercises[task_id] = exercise
    return Plan(chapters, tasks, exercises, "visible" if public else "after_published")


def solutions_dir() -> Path:
    found = importlib.util.find_spec("solutions")
    if found is None or not found.submodule_search_locations:
        raise RuntimeError("the answer key (package 'solutions') is not installed: grading needs the "
                           "instructor's copy of the course")
    return Path(list(found.submodule_search_locations)[0])


def chapter_files(folder: Path, chapters: list[str]) -> dict[str, Path]:
    return {c: folder / f"{c}.py" for c in chapters if (folder / f"{c}.py").is_file()}


def reference_outcomes(plan: Plan, limits: Limits = Limits()) -> dict[str, dict]:
    """Run the answer key on every case once; fail loudly if the reference itself breaks."""
    outcomes = run_tasks(chapter_files(solutions_dir(), plan.chapters), plan.tasks,
                         limits=limits, reference=True)
    problems = [f"  {tid}: {msg}" for tid, out in outcomes.items() if (msg := reference_problem(out))]
    if problems:
        raise RuntimeError("the reference solutions failed on some cases:\n" + "\n".join(problems))
    return outcomes


def score(plan: Plan, got: dict[str, dict], expected: dict[str, dict]) -> list[dict]:
    tests = []
    for task in plan.tasks:
        exercise = plan.exercises[task.id]
        verdict = judge(exercise, got[task.id], expected[task.id], task.inputs)
        points = exercise.points
        tests.append(results.test_entry(task.id, round(points * verdict.score, 6), points,
                                        verdict.message, plan.visibility))
    return tests


def grade_submission(folder: Path, plan: Plan, expected: dict[str, dict], environment: dict,
                     limits: Limits = Limits()) -> dict:
    """Grade one student's folder; return its results document."""
    start = time.monotonic()
    got = run_tasks(chapter_files(folder, plan.chapters), plan.tasks, limits=limits)
    return results.results_document(score(plan, got, expected), time.monotonic() - start, environment)


def list_students(submissions: Path) -> list[Path]:
    if not submissions.is_dir():
        raise FileNotFoundError(f"{submissions} is not a folder of student folders")
    return sorted((p for p in submissions.iterdir() if p.is_dir() and not p.name.startswith(".")),
                  key=lambda p: p.name)


def grade_class(submissions: Path, out: Path, chapters: list[str] | None = None,
                workers: int = 1, timeout: float = DEFAULT_TIMEOUT, limits: Limits = Limits(),
                log=lambda msg: print(msg, file=sys.stderr, flush=True)) -> dict[str, dict]:
    """Grade every student folder of ``submissions``; write results under ``out``; return the docs."""
    chapters = chapters or spec.graded_chapters()
    students = list_students(submissions)
    plan = make_plan(chapters, timeout=timeout)
    environment = fingerprint(BASE_SEED)
    log(f"grading {len(students)} submissions on {len(chapters)} chapters "
        f"({len(plan.tasks)} cases each, {workers} worker(s), device {environment['device']})")
    t0 = time.monotonic()
    expected = reference_outcomes(plan, limits)
    log(f"reference outputs computed in {time.monotonic() - t0:.1f} s")
    docs: dict[str, dict] = {}

    def one(folder: Path) -> tuple[str, dict]:
        doc = grade_submission(folder, plan, expected, environment, limits)
        results.write_atomic(out / folder.name / "results.json", results.dump_json(doc))
        return folder.name, doc

    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        for i, (name, doc) in enumerate(pool.map(one, students), 1):
            docs[name] = doc
            log(f"[{i}/{len(students)}] {name}: {results.fmt_points(doc['score'])}/"
                f"{results.fmt_points(doc['max_score'])} ({doc['execution_time']:.1f} s)")
    results.write_atomic(out / "grades.csv", results.grades_csv(docs, chapters))
    return docs
