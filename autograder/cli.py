"""Command line: ``autograder demo | check | grade | gradebook | feedback | similarity | points |
doctor | sync | release | gradescope`` (see ``docs/architecture.md``)."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path


def _chapters(text: str | None) -> list[str] | None:
    from .spec import resolve_chapter
    if not text:
        return None
    return [resolve_chapter(c) for c in text.split(",") if c.strip()]


SUBMISSIONS_HELP = ("a folder or zip: one sub-folder per student, or a learning management "
                    "system's export (Canvas, Moodle, Blackboard)")


def _shard(text: str) -> tuple[int, int]:
    try:
        k, n = (int(part) for part in text.split("/"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected K/N, such as 2/8, not {text!r}") from None
    if not 1 <= k <= n:
        raise argparse.ArgumentTypeError(f"K/N needs 1 <= K <= N, not {text!r}")
    return k, n


def _positive(kind):
    def parse(text):
        value = kind(text)
        if value <= 0:
            raise argparse.ArgumentTypeError(f"must be positive, got {text}")
        return value
    return parse


def _sandbox_option(parser) -> None:
    from .sandbox import MECHANISMS
    parser.add_argument("--sandbox", choices=("auto", *MECHANISMS), default="auto",
                        help="how to isolate student code (default: the first that works here, "
                             "or $AUTOGRADER_SANDBOX)")


def build_parser() -> argparse.ArgumentParser:
    from .runner import default_processes
    parser = argparse.ArgumentParser(prog="autograder", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    demo = sub.add_parser("demo", help="grade the built-in sample class and print a gradebook")
    demo.add_argument("--out", type=Path, help="results folder (default: a new temporary folder)")
    demo.add_argument("--timeout", type=_positive(float), default=3.0, help="seconds per case")
    demo.add_argument("--workers", type=_positive(int), help="parallel workers (default: cores)")
    demo.add_argument("--chapters", help="comma-separated (default: all)")

    check = sub.add_parser("check", help="run the public checks of one chapter on your exercises")
    check.add_argument("chapter", help="e.g. ch02 or ch02_linear_regression, or a chapter file: "
                       "a .py file or a notebook such as my_work/ch02_linear_regression.ipynb")
    check.add_argument("--path", type=Path, default=Path("exercises"),
                       help="folder holding your chapter files (default: exercises/; the .py "
                            "file or the notebook is checked), or the file itself")
    check.add_argument("--timeout", type=_positive(float), default=60.0, help="seconds per case")
    _sandbox_option(check)

    grade = sub.add_parser("grade", help="grade a class's submissions")
    grade.add_argument("submissions", type=Path, help=SUBMISSIONS_HELP)
    grade.add_argument("--out", type=Path, required=True, help="results folder")
    grade.add_argument("--chapters", help="comma-separated, e.g. ch02,ch03 (default: all)")
    grade.add_argument("--workers", type=_positive(int),
                       help="students graded at once (default: one per core, or per GPU)")
    grade.add_argument("--timeout", type=_positive(float), default=30.0, help="seconds per case")
    grade.add_argument("--memory-mb", type=_positive(int), default=4096, help="memory per worker")
    grade.add_argument("--max-processes", type=_positive(int), default=default_processes(),
                       help="processes and threads per worker (default: %(default)s)")
    grade.add_argument("--disk-mb", type=_positive(int), default=512,
                       help="writable space per worker, a tmpfs in memory (default: %(default)s)")
    grade.add_argument("--force", action="store_true", help="regrade students whose results are "
                       "up to date (default: keep them)")
    grade.add_argument("--junit", action="store_true", help="also write <student>/junit.xml")
    grade.add_argument("--unsafe", action="store_true",
                       help="grade without isolation where it is not available")
    _sandbox_option(grade)
    grade.add_argument("--cache", type=Path, help="reference cache (default: OUT/.cache/reference)")
    grade.add_argument("--shard", type=_shard, metavar="K/N",
                       help="grade only part K of N of the class (a fixed part, by a hash of each "
                            "student's id): one job per machine, then `autograder gradebook`")
    grade.add_argument("--secret", type=Path, metavar="FILE",
                       help="course secret (a file you keep, never shipped): each student gets "
                            "their own inputs for every hidden case that can vary")
    grade.add_argument("--cold", action="store_true", help="start a new interpreter for every "
                       "submission instead of forking warm workers (slower; same results)")

    fb = sub.add_parser("feedback", help="(re)write each student's feedback.html and feedback.md "
                        "from a results folder; --zip: one zip per student, for sending")
    fb.add_argument("out", type=Path, help="the --out folder of `autograder grade`")
    fb.add_argument("--zip", nargs="?", const="", metavar="DIR",
                    help="also write DIR/<student>.zip holding the student's feedback.html, "
                         "feedback.md and results.json (default DIR: OUT/feedback-zips)")

    similar = sub.add_parser("similarity", help="report the submissions that share code")
    similar.add_argument("submissions", type=Path, help=SUBMISSIONS_HELP)
    similar.add_argument("--out", type=Path, required=True,
                         help="folder for similarity.csv and similarity.html")
    similar.add_argument("--chapters", help="comma-separated, e.g. ch02,ch03 (default: all)")
    similar.add_argument("--top", type=_positive(int), default=50,
                         help="pairs shown side by side in the HTML page (default: %(default)s)")

    book = sub.add_parser("gradebook", help="grades.csv and the class summary from results folders "
                          "(the shards of `grade --shard`, or any finished run)")
    book.add_argument("out", type=Path, nargs="+", help="--out folders of `autograder grade`")
    book.add_argument("--csv", type=Path, help="where to write grades.csv (default: OUT/grades.csv, "
                      "the first OUT)")

    sub.add_parser("doctor", help="show the install, what isolates student code here, the limits")

    points = sub.add_parser("points", help="what each exercise and chapter is worth")
    points.add_argument("--chapters", help="comma-separated (default: all)")

    sync = sub.add_parser("sync", help="regenerate exercises/ and public expected outputs")
    sync.add_argument("--check", action="store_true", help="only report stale files (exit 1)")
    sync.add_argument("--chapters", help="comma-separated (default: every chapter with an answer key)")

    release = sub.add_parser("release", help="build the student bundle")
    release.add_argument("--out", type=Path, required=True)

    gs = sub.add_parser("gradescope", help="build the zip Gradescope's autograder expects")
    gs.add_argument("--out", type=Path, required=True, help="e.g. autograder.zip")
    gs.add_argument("--chapters", help="comma-separated (default: all)")

    gs_run = sub.add_parser("gradescope-run", help="(inside Gradescope) grade one submission")
    gs_run.add_argument("--submission", type=Path, help="the student's files")
    gs_run.add_argument("--results", type=Path, help="where to write results.json")
    gs_run.add_argument("--chapters", help="comma-separated (default: all)")
    gs_run.add_argument("--cache", type=Path,
                        help="the answer key's outputs (the zip's reference-cache)")
    gs_run.add_argument("--prepare", action="store_true", help="only fill --cache with the answer "
                        "key's outputs for this environment (setup.sh does, once)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return _run(args)
    except (ValueError, FileNotFoundError, FileExistsError, RuntimeError) as exc:
        print(f"autograder {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"autograder {args.command}: interrupted", file=sys.stderr)
        return 130


def _run(args) -> int:
    if args.command in ("demo", "grade", "gradescope", "gradescope-run", "sync", "release"):
        from .spec import require_instructor_copy
        require_instructor_copy(args.command)
    if args.command == "doctor":
        from .doctor import report
        text, ok = report()
        print(text)
        return 0 if ok else 1
    if args.command == "points":
        from .points import detail_table
        from .spec import graded_chapters
        print(detail_table(_chapters(args.chapters) or graded_chapters()))
        return 0
    if args.command == "demo":
        from .demo import run_demo
        from .grading import default_workers
        table, out = run_demo(args.out, args.timeout, args.workers or default_workers(),
                              _chapters(args.chapters))
        print(table)
        print(f"\nresults: {out}")
        return 0
    if args.command == "check":
        from .check import chapter_of, run_check
        from .spec import resolve_chapter
        given = Path(args.chapter)
        if given.suffix.lower() in (".py", ".ipynb") or given.is_file():
            if not given.is_file():
                raise FileNotFoundError(f"{given} does not exist")
            chapter = chapter_of(given)
            if chapter is None:
                raise ValueError(f"{given.name} is named after no chapter (name it like "
                                 "ch02_linear_regression.ipynb or ch02.py)")
            path = given
        else:
            chapter, path = resolve_chapter(args.chapter), args.path
        doc, table = run_check(chapter, path, args.timeout, args.sandbox)
        print(table)
        return 0 if all(t["status"] == "passed" for t in doc["tests"]) else 1
    if args.command == "grade":
        from .grading import Options, grade_class
        from .results import class_summary, gradebook
        from .runner import Limits
        from .spec import graded_chapters
        from .variants import read_secret
        chapters = _chapters(args.chapters) or graded_chapters()
        limits = Limits(memory_mb=args.memory_mb, processes=args.max_processes,
                        disk_mb=args.disk_mb)
        options = Options(chapters, args.workers or 0, args.timeout, limits, unsafe=args.unsafe,
                          sandbox=args.sandbox, force=args.force, junit=args.junit, cache=args.cache,
                          warm=not args.cold, shard=args.shard,
                          secret=read_secret(args.secret) if args.secret else None)
        docs = grade_class(args.submissions, args.out, options)
        if args.shard:
            print(f"shard {args.shard[0]}/{args.shard[1]}: {len(docs)} students graded into "
                  f"{args.out}; once every shard is done: autograder gradebook {args.out}")
            return 0
        print(gradebook(docs, chapters))
        print()
        print(class_summary(docs))
        print(f"\nfeedback: <student>/feedback.html and feedback.md beside each results.json "
              f"(`autograder feedback {args.out} --zip` packs one zip per student for sending)")
        print(f"results: {args.out}")
        return 0
    if args.command == "gradebook":
        from .results import class_summary, gradebook, grades_csv, read_class, write_atomic
        docs, chapters = read_class(args.out)
        target = args.csv or args.out[0] / "grades.csv"
        write_atomic(target, grades_csv(docs, chapters))
        print(gradebook(docs, chapters))
        print()
        print(class_summary(docs))
        print(f"\ngrades: {target}")
        return 0
    if args.command == "feedback":
        from .feedback import ZIP_DIR, feedback_folder
        zip_dir = None if args.zip is None else Path(args.zip) if args.zip else args.out / ZIP_DIR
        done, problems = feedback_folder(args.out, zip_dir)
        for problem in problems:
            print(f"autograder feedback: skipped {problem}", file=sys.stderr)
        where = (f"zips in {zip_dir}" if zip_dir is not None
                 else f"{args.out}/<student>/feedback.html and feedback.md")
        print(f"feedback for {len(done)} student{'s' if len(done) != 1 else ''}: {where}")
        return 1 if problems else 0
    if args.command == "similarity":
        from .similarity import run_similarity
        from .spec import CHAPTERS
        report = run_similarity(args.submissions, args.out, _chapters(args.chapters) or list(CHAPTERS),
                                args.top)
        for p in report.pairs[:10]:
            print(f"{p.score:.2f}  {p.chapter}  {p.a.student}  {p.b.student}  "
                  f"({p.matched} fingerprints shared)")
        print(f"\n{len(report.pairs)} pairs sharing code; report: {args.out / 'similarity.html'}, "
              f"{args.out / 'similarity.csv'}")
        return 0
    if args.command == "sync":
        from .sync import stale_files, sync
        if args.check:
            stale = stale_files()
            for name in stale:
                print(f"{name} is out of date (run `autograder sync`)")
            return 1 if stale else 0
        for path in sync(_chapters(args.chapters)):
            print(f"wrote {path}")
        return 0
    if args.command == "release":
        from .release import release
        out = release(args.out)
        print(f"student bundle written to {out}")
        return 0
    if args.command == "gradescope":
        from .gradescope import build_zip
        from .spec import graded_chapters
        out = build_zip(args.out, _chapters(args.chapters) or graded_chapters())
        print(f"Gradescope autograder written to {out}")
        return 0
    if args.command == "gradescope-run":
        from .gradescope import prepare, run
        from .spec import graded_chapters
        chapters = _chapters(args.chapters) or graded_chapters()
        if args.prepare:
            if args.cache is None:
                raise ValueError("--prepare needs --cache")
            computed = prepare(args.cache, chapters)
            print(f"{computed} outputs of the answer key computed into {args.cache}")
            return 0
        if args.submission is None or args.results is None:
            raise ValueError("--submission and --results are required (or --prepare)")
        doc = run(args.submission, args.results, chapters, args.cache)
        print(f"score {doc['score']}/{doc['max_score']} written to {args.results}")
        return 0
    raise AssertionError(args.command)
