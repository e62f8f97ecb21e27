"""Grading a class: plan the cases, get the reference outputs (cached), grade each submission in an
isolated worker, in parallel, resuming where an earlier run stopped."""
from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import queue
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from . import results, spec
from .cache import ReferenceCache, case_key, chapter_digest
from .progress import Progress
from .runner import GraderFailure, Limits, Task, resume_all, run_tasks, stop_all
from .sandbox import choose
from .seeding import detect_gpus, fingerprint
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
    skipped: dict[str, str]  # task id -> why it cannot run here

    @property
    def runnable(self) -> list[Task]:
        return [t for t in self.tasks if t.id not in self.skipped]


def make_plan(chapters: list[str], public: bool = False, timeout: float = DEFAULT_TIMEOUT) -> Plan:
    tasks, exercises, skipped = [], {}, {}
    no_tf = spec.tensorflow_unavailable()
    for chapter in chapters:
        cases = spec.public_cases(chapter) if public else spec.hidden_cases(chapter)
        for name, exercise in spec.load_exercises(chapter).items():
            for case in cases.get(name, ()):
                task_id = f"{chapter}.{name}.{case.name}"
                tasks.append(Task(task_id, chapter, name, case.inputs, case.seed,
                                  case.timeout or timeout))
                exercises[task_id] = exercise
                if exercise.needs_tensorflow and no_tf:
                    skipped[task_id] = no_tf
    return Plan(chapters, tasks, exercises, "visible" if public else "after_published", skipped)


def solutions_dir() -> Path:
    found = importlib.util.find_spec("solutions")
    if found is None or not found.submodule_search_locations:
        raise RuntimeError("the answer key (package 'solutions') is not installed: grading needs the "
                           "instructor's copy of the course")
    return Path(list(found.submodule_search_locations)[0])


def chapter_files(folder: Path, chapters: list[str]) -> dict[str, Path]:
    return {c: folder / f"{c}.py" for c in chapters if (folder / f"{c}.py").is_file()}


def gpu_env(slot: int) -> dict:
    """Pin a worker slot to one GPU, round-robin, with memory growth (nothing without GPUs)."""
    gpus = detect_gpus()
    if not gpus:
        return {}
    return {"CUDA_VISIBLE_DEVICES": str(slot % len(gpus)), "TF_FORCE_GPU_ALLOW_GROWTH": "true",
            "XLA_PYTHON_CLIENT_PREALLOCATE": "false"}


def reference_keys(plan: Plan, environment: dict) -> dict[str, str]:
    """Cache key of every task (see :mod:`autograder.cache`)."""
    files = chapter_files(solutions_dir(), plan.chapters)
    missing = [c for c in plan.chapters if c not in files]
    if missing:
        raise RuntimeError(f"the answer key has no file for {', '.join(missing)}")
    digests = {c: chapter_digest(c, files[c]) for c in plan.chapters}
    return {t.id: case_key(t, digests[t.chapter], environment) for t in plan.tasks}


def reference_outcomes(plan: Plan, limits: Limits = Limits(), cache: ReferenceCache | None = None,
                       environment: dict | None = None) -> dict[str, dict]:
    """The answer key's outcome on every case (from the cache where it has them); fail loudly if
    the reference itself breaks."""
    keys = reference_keys(plan, environment or fingerprint(BASE_SEED)) if cache else {}
    outcomes = {tid: hit for tid, key in keys.items() if (hit := cache.get(key)) is not None}
    todo = [t for t in plan.runnable if t.id not in outcomes]
    if todo:
        fresh = run_tasks(chapter_files(solutions_dir(), plan.chapters), todo, limits=limits,
                          reference=True, env_extra=gpu_env(0))
        problems = [f"  {tid}: {msg}" for tid, out in fresh.items() if (msg := reference_problem(out))]
        if problems:
            raise RuntimeError("the reference solutions failed on some cases:\n" + "\n".join(problems))
        outcomes.update(fresh)
        if cache:
            for tid, outcome in fresh.items():
                cache.put(keys[tid], outcome)
    return outcomes


def score(plan: Plan, got: dict[str, dict], expected: dict[str, dict]) -> list[dict]:
    """One test entry per task; a skipped task is worth nothing here and says why."""
    tests = []
    for task in plan.tasks:
        exercise = plan.exercises[task.id]
        if task.id in plan.skipped:
            tests.append(results.test_entry(task.id, 0.0, 0.0, f"skipped: {plan.skipped[task.id]}",
                                            plan.visibility))
            continue
        verdict = judge(exercise, got[task.id], expected[task.id], task.inputs)
        tests.append(results.test_entry(task.id, round(exercise.points * verdict.score, 6),
                                        exercise.points, verdict.message, plan.visibility))
    return tests


def list_students(submissions: Path) -> list[Path]:
    if not submissions.is_dir():
        raise FileNotFoundError(f"{submissions} is not a folder of student folders")
    return sorted((p for p in submissions.iterdir() if p.is_dir() and not p.name.startswith(".")),
                  key=lambda p: p.name)


def submission_key(folder: Path, chapters: list[str], config: str) -> str:
    """Hash of a student's chapter files and of the run's configuration."""
    h = hashlib.sha256(config.encode())
    for chapter, path in sorted(chapter_files(folder, chapters).items()):
        h.update(chapter.encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


def _previous(path: Path, key: str) -> dict | None:
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return doc if doc.get("extra_data", {}).get("submission_key") == key else None


@dataclass
class Options:
    """How to grade a class (the ``grade`` command's options)."""
    chapters: list[str] | None = None
    workers: int = 0                 # 0: one per core, or one per GPU when there are GPUs
    timeout: float = DEFAULT_TIMEOUT
    limits: Limits = Limits()
    unsafe: bool = False             # grade without isolation
    sandbox: str = "auto"            # isolation mechanism (see autograder.sandbox.choose)
    force: bool = False              # regrade students whose results are up to date
    junit: bool = False              # also write <student>/junit.xml
    cache: Path | None = None        # reference cache folder (default: <out>/.cache/reference)


def default_workers() -> int:
    return len(detect_gpus()) or os.cpu_count() or 1


def grade_class(submissions: Path, out: Path, options: Options = Options(),
                stream=None) -> dict[str, dict]:
    """Grade every student folder of ``submissions`` into ``out``; return the results documents.

    Progress and notes go to ``stream`` (default: stderr).
    """
    stream = stream or sys.stderr
    chapters = options.chapters or spec.graded_chapters()
    students = list_students(submissions)
    sandbox = None
    if not options.unsafe:
        sandbox, why = choose(options.sandbox, hide=(submissions.resolve(), out.resolve()))
        if sandbox is None:
            raise RuntimeError(f"cannot isolate student code here ({why}); or pass --unsafe to "
                               "grade without isolation (trusted submissions only)")
    out.mkdir(parents=True, exist_ok=True)
    plan = make_plan(chapters, timeout=options.timeout)
    environment = fingerprint(BASE_SEED)
    environment["isolation"] = sandbox.description if sandbox else "none (--unsafe)"
    workers = options.workers or default_workers()

    def say(msg):
        print(msg, file=stream, flush=True)

    say(f"grading {len(students)} submissions on {len(chapters)} chapters ({len(plan.tasks)} cases "
        f"each) with {workers} worker(s) on {environment['device']}, isolation: "
        f"{environment['isolation']}")
    cache = ReferenceCache(options.cache or out / ".cache" / "reference")
    t0 = time.monotonic()
    expected = reference_outcomes(plan, options.limits, cache, environment)
    say(f"reference outputs ready in {time.monotonic() - t0:.1f} s")
    config = json.dumps({"keys": reference_keys(plan, environment), "timeout": options.timeout,
                         "limits": repr(options.limits), "isolation": environment["isolation"]},
                        sort_keys=True)
    slots: queue.Queue[int] = queue.Queue()
    for slot in range(workers):
        slots.put(slot)
    progress = Progress(len(students), stream)

    def one(folder: Path) -> tuple[str, dict]:
        key = submission_key(folder, chapters, config)
        target = out / folder.name / "results.json"
        doc = None if options.force else _previous(target, key)
        note = "unchanged, kept"
        if doc is None:
            slot = slots.get()
            try:
                start = time.monotonic()
                got = run_tasks(chapter_files(folder, chapters), plan.runnable, limits=options.limits,
                                sandbox=sandbox, env_extra=gpu_env(slot))
            finally:
                slots.put(slot)
            doc = results.results_document(score(plan, got, expected), time.monotonic() - start,
                                           {"environment": environment, "submission_key": key})
            results.write_atomic(target, results.dump_json(doc))
            note = f"{doc['execution_time']:.1f} s"
        if options.junit:
            results.write_atomic(out / folder.name / "junit.xml", results.junit_xml(folder.name, doc))
        progress.step(f"{folder.name}: {results.fmt_points(doc['score'])}/"
                      f"{results.fmt_points(doc['max_score'])} ({note})")
        return folder.name, doc

    pool = ThreadPoolExecutor(max_workers=workers)
    try:
        docs = dict(pool.map(one, students))
    except (KeyboardInterrupt, GraderFailure):  # stop now: finished students keep their results
        stop_all()
        pool.shutdown(wait=True, cancel_futures=True)
        resume_all()
        raise
    finally:
        pool.shutdown(wait=True)
    results.write_atomic(out / "grades.csv", results.grades_csv(docs, chapters))
    return docs
