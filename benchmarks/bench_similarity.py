"""Time ``autograder similarity`` on a large synthetic class (default: 300 students x 7 chapters).

Each student's chapter file takes every function from the answer key or from tests/independent (a
coin flip per function and student), with the student's own names, function order and comments;
a few students are planted copies of another (renamed, reordered, padded). The class is thus much
more alike than a real one (every function exists in only two versions), which makes this a hard
case for the index (fingerprints shared by about half the class: nearly every pair shares code),
and it times the tool only: with two versions of each function, any two students share whole
functions, so the ranking says nothing here (tests/test_similarity.py checks it on real, independent
implementations).

    python benchmarks/bench_similarity.py [--students 300] [--chapters 7] [--keep DIR]
"""
from __future__ import annotations

import argparse
import ast
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from autograder.similarity import compare, report_csv, report_html  # noqa: E402
from autograder.spec import CHAPTERS  # noqa: E402
from autograder.submissions import find_submissions  # noqa: E402
from test_similarity import disguise, padded  # noqa: E402


def functions(source: str) -> tuple[list[str], dict[str, str]]:
    """The module's non-definition lines and its top-level definitions' sources by name."""
    tree = ast.parse(source)
    lines = source.splitlines(keepends=True)
    head, defs = [], {}
    for node in tree.body:
        start = (node.decorator_list[0].lineno if getattr(node, "decorator_list", None)
                 else node.lineno) - 1
        text = "".join(lines[start:node.end_lineno])
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            defs[node.name] = text
        else:
            head.append(text)
    return head, defs


def build(root: Path, students: int, chapters: list[str], planted: int, seed: int = 0) -> list:
    rng = random.Random(seed)
    sources = {}
    for c in chapters:
        head, sol = functions((REPO / "solutions" / f"{c}.py").read_text(encoding="utf-8"))
        _, ind = functions((REPO / "tests" / "independent" / f"{c}.py").read_text(encoding="utf-8"))
        sources[c] = head, sol, ind
    names = [f"student{n:03d}" for n in range(students)]
    pairs = []
    for n, name in enumerate(names):
        folder = root / name
        folder.mkdir(parents=True)
        for c in chapters:
            head, sol, ind = sources[c]
            body = "".join(head) + "\n\n" + "\n\n".join(
                (ind if f in ind and rng.random() < 0.5 else sol)[f] for f in sol)
            (folder / f"{c}.py").write_text(disguise(body, seed=n), encoding="utf-8")
    for n in range(planted):
        victim, copier = names[2 * n], names[2 * n + 1]
        pairs.append((victim, copier))
        for c in chapters:
            text = (root / victim / f"{c}.py").read_text(encoding="utf-8")
            (root / copier / f"{c}.py").write_text(padded(text, seed=n), encoding="utf-8")
    return pairs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=300)
    parser.add_argument("--chapters", type=int, default=7)
    parser.add_argument("--planted", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="write the class there and keep it")
    args = parser.parse_args()
    chapters = list(CHAPTERS[:args.chapters])
    root = args.keep or Path(tempfile.mkdtemp(prefix="bench-similarity-"))
    try:
        t0 = time.monotonic()
        build(root, args.students, chapters, args.planted)
        print(f"class of {args.students} x {len(chapters)} written in {time.monotonic() - t0:.1f} s")
        t0 = time.monotonic()
        report = compare(find_submissions(root), chapters, stream=sys.stderr)
        t1 = time.monotonic()
        csv_text, page = report_csv(report), report_html(report)
        t2 = time.monotonic()
        print(f"compared in {t1 - t0:.1f} s, report written in {t2 - t1:.1f} s "
              f"({len(report.pairs)} pairs, csv {len(csv_text) >> 10} KB, html {len(page) >> 10} KB)")
    finally:
        if not args.keep:
            shutil.rmtree(root)


if __name__ == "__main__":
    main()
