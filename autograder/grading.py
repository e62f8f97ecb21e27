"""Grading: the plan of cases, the answer key's outputs (cached), and the one path that grades a
submission (:meth:`Grading.grade`), used by ``grade`` (a class, in parallel, resuming where an earlier
run stopped), ``gradescope-run`` and ``check``. See ``docs/architecture.md``."""
from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import queue
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from . import feedback, nbmodule, outcomes, results, spec, wire
from .cache import ReferenceCache, case_key, chapter_digest, spec_digest
from .progress import Progress
from .runner import GraderFailure, Limits, Task, resume_all, run_tasks, stop_all
from .sandbox import Isolation, isolation_for
from .seeding import detect_gpus, fingerprint
from .submissions import Found, Student, open_submissions
from .verdicts import judge, reference_problem
from .variants import variant_seed
from .warm import WarmPool, Zygote, warm_problem

DEFAULT_TIMEOUT = 30.0
BASE_SEED = 0


@dataclass
class Plan:
    """The cases to run, in a fixed order, with the exercise and the points behind each task id."""
    chapters: list[str]
    tasks: list[Task]
    exercises: dict[str, spec.Exercise]
    points: dict[str, float]  # task id -> its share of its exercise's points
    visibility: str
    skipped: dict[str, str]  # task id -> why it cannot run here

    @property
    def runnable(self) -> list[Task]:
        return [t for t in self.tasks if t.id not in self.skipped]


def make_plan(chapters: list[str], public: bool = False, timeout: float = DEFAULT_TIMEOUT,
              variant: tuple[bytes, str] | None = None) -> Plan:
    """The hidden (or ``public``) cases of ``chapters``; each exercise's points split over its cases.
    ``variant`` = (course secret, student id): the hidden cases that can vary get that student's
    inputs (:mod:`autograder.variants`)."""
    tasks, exercises, points, skipped = [], {}, {}, {}
    no_tf = spec.tensorflow_unavailable()
    for chapter in chapters:
        cases = spec.public_cases(chapter) if public else spec.hidden_cases(chapter)
        for name, exercise in spec.load_exercises(chapter).items():
            mine = cases.get(name, ())
            for case, share in zip(mine, spec.case_points(exercise.points, len(mine))):
                task_id = f"{chapter}.{name}.{case.name}"
                inputs, seed = case.inputs, None
                if variant and case.vary and not public:
                    seed = variant_seed(*variant, task_id)
                    inputs = case.vary(seed)
                tasks.append(Task(task_id, chapter, name, inputs, case.seed,
                                  case.timeout or timeout, seed))
                exercises[task_id], points[task_id] = exercise, share
                if exercise.needs_tensorflow and no_tf:
                    skipped[task_id] = no_tf
    return Plan(chapters, tasks, exercises, points, "visible" if public else "after_published", skipped)


def solutions_dir() -> Path:
    found = importlib.util.find_spec("solutions")
    if found is None or not found.submodule_search_locations:
        raise RuntimeError("the answer key (package 'solutions') is not installed: grading needs the "
                           "instructor's copy of the course")
    return Path(list(found.submodule_search_locations)[0])


def chapter_files(folder: Path, chapters: list[str]) -> dict[str, Path]:
    return {c: folder / f"{c}.py" for c in chapters if (folder / f"{c}.py").is_file()}


def student_files(folder: Path, chapters: list[str]) -> tuple[dict[str, Path], tuple[str, ...]]:
    """A student's chapter files in ``folder``: ``<chapter>.py`` or ``<chapter>.ipynb`` (when both
    are there, :func:`autograder.nbmodule.choose` decides), and a note on each choice that is not
    the paired files' usual tie (the notebook)."""
    files, notes = {}, []
    for c in chapters:
        py, nb = folder / f"{c}.py", folder / f"{c}.ipynb"
        if py.is_file() and nb.is_file():
            files[c], _, why, by_stubs = nbmodule.choose(py, nb, c)
            if by_stubs:
                notes.append(f"both {py.name} and {nb.name} are there: {files[c].name} was "
                             f"checked ({why}).")
        elif py.is_file() or nb.is_file():
            files[c] = py if py.is_file() else nb
    return files, tuple(notes)


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
    found = {tid: hit for tid, key in keys.items() if (hit := cache.get(key)) is not None}
    todo = [t for t in plan.runnable if t.id not in found]
    if todo:
        fresh = run_tasks(chapter_files(solutions_dir(), plan.chapters), todo, limits=limits,
                          reference=True, env_extra=gpu_env(0))
        problems = [f"  {tid}: {msg}" for tid, out in fresh.items() if (msg := reference_problem(out))]
        if problems:
            raise RuntimeError("the reference solutions failed on some cases:\n" + "\n".join(problems))
        found.update(fresh)
        if cache:
            for tid, outcome in fresh.items():
                cache.put(keys[tid], outcome)
    return {t.id: found[t.id] for t in plan.tasks if t.id in found}  # in the plan's order, however
    # many came from the cache: the submission key hashes them


def score(plan: Plan, got: dict[str, dict], expected: dict[str, dict]) -> list[dict]:
    """One test entry per task, with its outcome's kind; a skipped task is worth nothing here and
    says why."""
    tests = []
    for task in plan.tasks:
        if task.id in plan.skipped:
            tests.append(results.test_entry(task.id, 0.0, 0.0, f"skipped: {plan.skipped[task.id]}",
                                            plan.visibility, outcomes.SKIPPED))
            continue
        verdict = judge(plan.exercises[task.id], got[task.id], expected[task.id], task.inputs)
        most = plan.points[task.id]
        tests.append(results.test_entry(task.id, round(most * verdict.score, 6), most,
                                        verdict.message, plan.visibility,
                                        outcomes.kind_of(got[task.id]), task.variant))
    return tests


def _digest(data) -> str:
    return hashlib.sha256(wire.encode(data).encode()).hexdigest()


def run_environment(isolation: Isolation) -> dict:
    """The environment every results file of a run records: the fingerprint and the isolation."""
    return {**fingerprint(BASE_SEED), "isolation": isolation.description}


@dataclass
class Grading:
    """What stays fixed while submissions are graded: the plan, the expected outcomes, how student
    code is isolated and limited, the environment recorded in every results file, and whether
    workers ``preload`` what the chapters need (``worker.preload``, as warm ones have: so a class
    graded warm or cold gets the same results; ``check`` does not, to start fast)."""
    plan: Plan
    expected: dict[str, dict]
    isolation: Isolation
    limits: Limits = Limits()
    environment: dict = field(default_factory=dict)
    preload: bool = True

    def __post_init__(self):
        missing = [t.id for t in self.plan.runnable if t.id not in self.expected]
        if missing:
            raise RuntimeError(f"no expected output for {missing[0]} (and {len(missing) - 1} more)")
        self.environment = self.environment or run_environment(self.isolation)
        self._config = hashlib.sha256(json.dumps({
            "tasks": _digest([[t.id, t.inputs, t.seed, t.timeout, self.plan.points[t.id]]
                              for t in self.plan.tasks]),
            "expected": _digest(self.expected),
            "specs": [spec_digest(c) for c in self.plan.chapters], "limits": repr(self.limits),
            "environment": self.environment}, sort_keys=True).encode()).hexdigest()

    def submission_key(self, files: dict[str, Path], notes: tuple[str, ...] = ()) -> str:
        """Hash of a submission's chapter files and of everything else its results depend on (a
        notebook's conversion rules, the notes on which file was taken)."""
        h = hashlib.sha256(self._config.encode())
        for chapter, path in sorted(files.items()):
            h.update(chapter.encode() + b"\0" + hashlib.sha256(Path(path).read_bytes()).digest())
            if Path(path).suffix.lower() == ".ipynb":
                h.update(f"notebook {nbmodule.VERSION}".encode())
        for note in notes:
            h.update(note.encode())
        return h.hexdigest()

    def grade(self, files: dict[str, Path], env_extra: dict | None = None,
              zygote: Zygote | None = None, notes: tuple[str, ...] = ()) -> dict:
        """Grade one submission (chapter -> ``.py`` file or notebook): run its code on the plan (in
        a worker forked from ``zygote`` when given), judge every case, and return its results
        document. A notebook is graded as the module of its code cells (:mod:`autograder.nbmodule`),
        written to a temporary folder that only the grader sees; one that is no notebook scores
        zero for its chapter. ``notes`` (which file was taken, ...) go to the document's
        ``output``. ``execution_time`` is the student's code's, nothing else."""
        key = self.submission_key(files, notes)
        with tempfile.TemporaryDirectory(prefix="autograder-notebooks-") as tmp:
            paths, decided, reports = _modules_of(files, self.plan, Path(tmp))
            tasks = [t for t in self.plan.runnable if t.id not in decided]
            start = time.monotonic()
            got = dict(decided)
            if tasks or not self.plan.runnable:
                got.update(run_tasks(
                    paths, tasks, limits=self.limits, sandbox=self.isolation.sandbox,
                    env_extra=env_extra, zygote=zygote,
                    preload=tuple(self.plan.chapters) if self.preload else ()))
            elapsed = time.monotonic() - start
        tests = score(self.plan, got, self.expected)
        found = [c + (f" (the notebook {Path(files[c]).name})"
                      if Path(files[c]).suffix.lower() == ".ipynb" else "")
                 for c in self.plan.chapters if c in files]
        output = (f"Graded {len(found)} of {len(self.plan.chapters)} chapter files: "
                  f"{', '.join(found) or 'none found'}.")
        for line in [*notes, *reports]:
            output += f"\n{line}"
        if self.isolation.note:
            output += f"\nNote: {self.isolation.note}"
        return results.results_document(tests, elapsed, output,
                                        {"environment": self.environment, "submission_key": key})


def _modules_of(files: dict[str, Path], plan: Plan, folder: Path
                ) -> tuple[dict[str, Path], dict[str, dict], list[str]]:
    """The files to run (a notebook converted to ``folder/<chapter>.py``), the outcomes already
    decided (every task of a chapter whose notebook is no notebook) and the reports of the
    conversions (what was left out)."""
    paths, decided, reports = {}, {}, []
    for chapter, path in files.items():
        if Path(path).suffix.lower() != ".ipynb" or chapter not in plan.chapters:
            paths[chapter] = path
            continue
        try:
            converted = nbmodule.convert_file(path, chapter, folder)
        except nbmodule.NotANotebook as exc:
            message = (f"{Path(path).name} is not a notebook that can be graded: {exc}. Hand in "
                       "the .ipynb file as Jupyter saves it (or the .py file).")
            reports.append(f"{chapter}: {message}")
            for t in plan.tasks:
                if t.chapter == chapter and t.id not in plan.skipped:
                    decided[t.id] = outcomes.failure(outcomes.IMPORT_FAILED, message)
            continue
        paths[chapter] = folder / f"{chapter}.py"
        reports.append(converted.report(Path(path).name))
    return paths, decided, reports


def hidden_grading(chapters: list[str], isolation: Isolation, *, limits: Limits = Limits(),
                   timeout: float = DEFAULT_TIMEOUT, cache: ReferenceCache | None = None) -> Grading:
    """A grading on the hidden cases of ``chapters``, the answer key's outputs computed (or read
    from ``cache``) now."""
    plan = make_plan(chapters, timeout=timeout)
    environment = run_environment(isolation)
    expected = reference_outcomes(plan, limits, cache, environment)
    return Grading(plan, expected, isolation, limits, environment)


def student_grading(grading: Grading, secret: bytes, student: str, timeout: float = DEFAULT_TIMEOUT,
                    cache: ReferenceCache | None = None) -> Grading:
    """``grading`` on one student's variants of the hidden cases (the answer key run on their
    inputs, or read from ``cache``): :mod:`autograder.variants`."""
    plan = make_plan(grading.plan.chapters, timeout=timeout, variant=(secret, student))
    expected = reference_outcomes(plan, grading.limits, cache, grading.environment)
    return Grading(plan, expected, grading.isolation, grading.limits, grading.environment)


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
    unsafe: bool = False             # grade without isolation where none works here
    sandbox: str = "auto"            # isolation mechanism (see autograder.sandbox.choose)
    force: bool = False              # regrade students whose results are up to date
    junit: bool = False              # also write <student>/junit.xml
    cache: Path | None = None        # reference cache folder (default: <out>/.cache/reference)
    warm: bool = True                # fork workers from a warm zygote per slot where that works
    secret: bytes | None = None      # course secret: per-student variants of the hidden cases
    shard: tuple[int, int] | None = None  # (K, N): grade only the K-th of N fixed parts of the class


def default_workers() -> int:
    return len(detect_gpus()) or os.cpu_count() or 1


def grade_class(submissions: Path, out: Path, options: Options = Options(),
                stream=None) -> dict[str, dict]:
    """Grade every student of ``submissions`` (a folder or zip in any layout that
    :mod:`autograder.submissions` recognizes) into ``out``; return the results documents.

    Writes ``out/<student>/results.json`` (kept where the student's files and the configuration are
    unchanged), the student's ``feedback.html`` and ``feedback.md`` (rewritten only where missing or
    out of date), and ``out/grades.csv`` (not for a shard: ``autograder gradebook`` writes it once
    every shard is done).

    Progress and notes go to ``stream`` (default: stderr); the files that could not be matched to a
    student's chapter are listed there and in ``out/unmatched.txt``.
    """
    with open_submissions(submissions) as found:
        return _grade_found(found, submissions, out, options, stream or sys.stderr)


def in_shard(student: str, shard: tuple[int, int]) -> bool:
    """Whether ``student`` (an id) belongs to part K of N: by a hash of the id alone, so the parts
    do not depend on the order of the class, on the machine or on Python's hash seed."""
    k, n = shard
    return int.from_bytes(hashlib.sha256(student.encode("utf-8")).digest()[:8], "big") % n == k - 1


def _grade_found(found: Found, submissions: Path, out: Path, options: Options, stream) -> dict:
    chapters = options.chapters or spec.graded_chapters()
    students = found.students
    if options.shard:
        students = [s for s in students if in_shard(s.id, options.shard)]
    isolation = isolation_for("grade", options.sandbox, hide=(
        submissions.resolve(), found.root.resolve(), out.resolve()), unsafe=options.unsafe)
    out.mkdir(parents=True, exist_ok=True)
    workers = options.workers or default_workers()

    def say(msg):
        print(msg, file=stream, flush=True)

    for line in found.summary(chapters):
        say(line)
    if options.shard:
        say(f"shard {options.shard[0]}/{options.shard[1]}: {len(students)} of "
            f"{len(found.students)} students")
    results.write_atomic(out / "unmatched.txt", found.unmatched_text())
    if isolation.note:
        say(f"note: {isolation.note}")
    t0 = time.monotonic()
    cold = "turned off (--cold)" if not options.warm else warm_problem(isolation.sandbox)
    if cold and options.warm:
        say(f"note: cold workers (a new interpreter per submission): {cold}")
    pool = None if cold else WarmPool([gpu_env(s) for s in range(workers)], chapters)
    if pool:  # the zygotes import while the answer key's outputs are computed or read
        pool.launch()
    cache = ReferenceCache(options.cache or out / ".cache" / "reference")
    try:
        grading = hidden_grading(chapters, isolation, limits=options.limits, timeout=options.timeout,
                                 cache=cache)
        if pool:
            pool.ready()
    except BaseException:
        if pool:
            pool.close()
        raise
    say(f"grading {len(students)} submissions on {len(chapters)} chapters "
        f"({len(grading.plan.tasks)} cases each) with {workers} {'cold' if cold else 'warm'} "
        f"worker(s) on {grading.environment['device']}, isolation: {isolation.description}; "
        f"reference outputs ready in {time.monotonic() - t0:.1f} s")
    if options.secret:
        say("per-student variants of the hidden cases (a course secret was given): the answer key "
            "runs on each student's inputs")
    slots: queue.Queue[int] = queue.Queue()
    for slot in range(workers):
        slots.put(slot)
    progress = Progress(len(students), stream)
    coverage = feedback.public_coverage(chapters)

    def one(student: Student) -> tuple[str, dict]:
        files = student.graded_files(chapters)
        notes = tuple(student.notes[c] for c in chapters if c in student.notes)
        slot = slots.get()
        try:
            mine = grading if not options.secret else student_grading(
                grading, options.secret, student.id, options.timeout, cache)
            key = mine.submission_key(files, notes)
            target = out / student.id / "results.json"
            doc = None if options.force else _previous(target, key)
            fresh = doc is None
            if fresh:
                doc = mine.grade(files, env_extra=gpu_env(slot), zygote=pool and pool[slot],
                                 notes=notes)
        finally:
            slots.put(slot)
        note = "unchanged, kept"
        if fresh:
            results.write_atomic(target, results.dump_json(doc))
            note = f"{doc['execution_time']:.1f} s"
        if options.junit:
            results.write_atomic(out / student.id / "junit.xml", results.junit_xml(student.id, doc))
        feedback.write_feedback(out / student.id, student.id, doc, coverage)  # where new or stale
        progress.step(f"{student.id}: {results.fmt_points(doc['score'])}/"
                      f"{results.fmt_points(doc['max_score'])} ({note})")
        return student.id, doc

    threads = ThreadPoolExecutor(max_workers=workers)
    try:
        docs = dict(threads.map(one, students))
    except (KeyboardInterrupt, GraderFailure):  # stop now: finished students keep their results
        stop_all()
        threads.shutdown(wait=True, cancel_futures=True)
        resume_all()
        raise
    finally:
        threads.shutdown(wait=True)
        if pool is not None:
            pool.close()
            for why in sorted({z.problem for z in pool.zygotes if z.problem}):
                say(f"note: some submissions were graded by cold workers: {why}")
    if not options.shard:
        results.write_atomic(out / "grades.csv", results.grades_csv(docs, chapters))
    return docs
