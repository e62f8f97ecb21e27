"""Result files: Gradescope ``results.json`` per student, ``grades.csv``, and the gradebook table."""
from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from pathlib import Path

from . import outcomes
from .spec import short_chapter


_UMASK = os.umask(0o022)  # read once, at import (single-threaded), and put back
os.umask(_UMASK)


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so that a reader sees the old file or the new one, never a part."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.chmod(tmp, 0o666 & ~_UMASK)  # as open() would create it (mkstemp makes it private)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def test_entry(name: str, score: float, max_score: float, output: str, visibility: str,
               kind: str, variant: int | None = None) -> dict:
    """One case in Gradescope's format; ``extra_data.kind`` is its outcome's kind (see
    :mod:`autograder.outcomes`), for tools and the class summary; ``extra_data.variant`` the seed
    of the student's variant of the case, when it has one (:mod:`autograder.variants`)."""
    extra = {"kind": kind} if variant is None else {"kind": kind, "variant": variant}
    return {"name": name, "score": score, "max_score": max_score,
            "status": "passed" if score >= max_score else "failed",
            "output": output, "visibility": visibility, "extra_data": extra}


def results_document(tests: list[dict], execution_time: float, output: str,
                     extra_data: dict) -> dict:
    """The Gradescope results format; ``extra_data`` holds the environment and submission key."""
    return {
        "score": round(sum(t["score"] for t in tests), 6),
        "max_score": round(sum(t["max_score"] for t in tests), 6),
        "execution_time": round(execution_time, 3),
        "output": output,
        "visibility": "visible",
        "tests": tests,
        "extra_data": extra_data,
    }


def chapters_of(doc: dict) -> list[str]:
    """The chapters a results document has cases of, in its order."""
    return list(dict.fromkeys(str(t.get("name", "")).split(".", 1)[0] for t in doc.get("tests", [])))


def read_class(folders: list[Path]) -> tuple[dict[str, dict], list[str]]:
    """Every ``<student>/results.json`` in ``folders`` (the ``--out`` folders of ``grade`` runs:
    one shared by all shards, or one each) as student -> document, and the chapters they cover in
    course order. A student found twice must have the same results both times."""
    from .spec import CHAPTERS
    docs: dict[str, dict] = {}
    where: dict[str, Path] = {}
    for folder in folders:
        if not Path(folder).is_dir():
            raise FileNotFoundError(f"{folder} is not a results folder (the --out of `autograder grade`)")
        for path in sorted(Path(folder).glob("*/results.json")):
            student = path.parent.name
            try:
                doc = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise ValueError(f"{path} cannot be read as results: {exc}") from exc
            if student in docs and docs[student] != doc:
                raise ValueError(f"{student} has different results in {where[student]} and {folder}")
            docs[student], where[student] = doc, Path(folder)
    if not docs:
        raise FileNotFoundError(f"no <student>/results.json in {', '.join(map(str, folders))}")
    covered = {c for doc in docs.values() for c in chapters_of(doc)}
    return docs, [c for c in CHAPTERS if c in covered]


def chapter_totals(doc: dict, chapters: list[str]) -> dict[str, float]:
    totals = {c: 0.0 for c in chapters}
    for t in doc["tests"]:
        chapter = t["name"].split(".", 1)[0]
        if chapter in totals:
            totals[chapter] += t["score"]
    return totals


def grades_csv(docs: dict[str, dict], chapters: list[str]) -> str:
    """``student,score,max_score`` then one column per chapter (points scored)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["student", "score", "max_score", *chapters])
    for student in sorted(docs):
        doc = docs[student]
        totals = chapter_totals(doc, chapters)
        writer.writerow([student, fmt_points(doc["score"]), fmt_points(doc["max_score"]),
                         *(fmt_points(totals[c]) for c in chapters)])
    return buf.getvalue()


def fmt_points(x: float) -> str:
    """Points as text: 3, 2.5 -> "2.50" (sums of case shares rounded first: 30.000000000000004 -> 30)."""
    x = round(float(x), 6)
    return str(int(x)) if x.is_integer() else f"{x:.2f}"


def gradebook(docs: dict[str, dict], chapters: list[str]) -> str:
    """A plain-text table: one row per student, chapter points, total and percentage."""
    maxima = {}
    for doc in docs.values():
        for t in doc["tests"]:
            ch = t["name"].split(".", 1)[0]
            maxima.setdefault(ch, {})[t["name"]] = t["max_score"]
    header = ["student", *(f"{short_chapter(c)} /{fmt_points(sum(maxima.get(c, {}).values()))}" for c in chapters),
              "total", "%"]
    rows = []
    for student in sorted(docs):
        doc = docs[student]
        totals = chapter_totals(doc, chapters)
        pct = 100.0 * doc["score"] / doc["max_score"] if doc["max_score"] else 0.0
        rows.append([student, *(fmt_points(totals[c]) for c in chapters),
                     f"{fmt_points(doc['score'])}/{fmt_points(doc['max_score'])}", f"{pct:.0f}"])
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    line = lambda r: "  ".join(str(v).ljust(w) if i == 0 else str(v).rjust(w)  # noqa: E731
                               for i, (v, w) in enumerate(zip(r, widths)))
    return "\n".join([line(header), "  ".join("-" * w for w in widths), *map(line, rows)])


def dump_json(doc: dict) -> str:
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


_TROUBLE = (outcomes.TIMEOUT, outcomes.CRASHED, outcomes.MEMORY_LIMIT, outcomes.OUTPUT_LIMIT,
            outcomes.PROCESS_LIMIT, outcomes.DISK_LIMIT, outcomes.IMPORT_FAILED)
KIND_LABELS = {outcomes.OK: "wrong result", outcomes.RAISED: "raised an exception"}


def test_kind(test: dict) -> str:
    """The outcome kind of a test entry (written by :func:`test_entry`)."""
    return outcomes.kind_of({"status": test.get("extra_data", {}).get("kind")})


def class_summary(docs: dict[str, dict], top: int = 5) -> str:
    """Score distribution, the cases most students failed, why cases failed (cases and students per
    outcome kind), and who timed out, crashed or hit a limit."""
    if not docs:
        return "no submissions"
    lines = ["Score distribution:"]
    bins = [0] * 10
    for doc in docs.values():
        pct = doc["score"] / doc["max_score"] if doc["max_score"] else 0.0
        bins[min(9, int(pct * 10))] += 1
    for i, count in enumerate(bins):
        lines.append(f"  {i * 10:3d}-{i * 10 + 9 if i < 9 else 100:3d}%  {'#' * count} {count}")
    failures: dict[str, int] = {}
    kinds: dict[str, dict[str, int]] = {}  # kind -> student -> failed cases
    for student, doc in docs.items():
        for t in doc["tests"]:
            if t["status"] == "failed":
                failures[t["name"]] = failures.get(t["name"], 0) + 1
            if t["status"] == "failed" or test_kind(t) == outcomes.SKIPPED:
                by_student = kinds.setdefault(test_kind(t), {})
                by_student[student] = by_student.get(student, 0) + 1
    hardest = sorted(failures.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
    if hardest:
        lines.append("Cases most students failed:")
        lines += [f"  {name}: {n}/{len(docs)}" for name, n in hardest]
    if kinds:
        lines.append("Why cases failed or were skipped:")
        width = max(len(KIND_LABELS.get(k, k)) for k in kinds)
        for kind in outcomes.KINDS:
            if kind in kinds:
                n = len(kinds[kind])
                lines.append(f"  {KIND_LABELS.get(kind, kind):{width}}  {sum(kinds[kind].values()):5d} "
                             f"cases, {n} student{'s' if n != 1 else ''}")
    trouble = {s: sorted((k for k in _TROUBLE if s in kinds.get(k, {})), key=_TROUBLE.index)
               for s in sorted(docs)}
    trouble = {s: k for s, k in trouble.items() if k}
    if trouble:
        lines.append("Students whose code timed out, crashed, failed to import or hit a limit:")
        lines += [f"  {s}: {', '.join(k)}" for s, k in trouble.items()]
    return "\n".join(lines)


def junit_xml(student: str, doc: dict) -> str:
    """JUnit XML for one student: a testsuite, a testcase per case, failures with the feedback."""
    from xml.etree import ElementTree as ET
    failures = sum(t["status"] == "failed" for t in doc["tests"])
    suite = ET.Element("testsuite", name=student, tests=str(len(doc["tests"])),
                       failures=str(failures), time=f"{doc['execution_time']:.3f}")
    for t in doc["tests"]:
        classname, _, case = t["name"].rpartition(".")
        case_el = ET.SubElement(suite, "testcase", classname=classname, name=case)
        if t["status"] == "failed":
            failure = ET.SubElement(case_el, "failure", message=(t["output"] or "failed").splitlines()[0])
            failure.text = t["output"]
    return ET.tostring(suite, encoding="unicode", xml_declaration=True) + "\n"
