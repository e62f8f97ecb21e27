"""Readable feedback for one student, rendered from their results document (``results.json``):
``feedback.html`` (one self-contained page: inline CSS, no script, no external resource, so it
opens offline and from a zip) and ``feedback.md``. Both give the score per chapter and exercise,
every failed case with its message (the largest error and where, a timeout, a forbidden call, the
error raised, what the code printed), and what the public checks cover: which exercises and cases
the student could have run on their own machine with ``autograder check``, and which are graded on
hidden cases only. ``write_zips`` packs each student's pages and results into one zip for sending.

Everything taken from a results document is escaped: a student whose code prints ``<script>``
gets that text on the page, never a script (and the page's Content-Security-Policy forbids scripts
anyway). See ``docs/architecture.md``, "Result formats".
"""
from __future__ import annotations

import html
import json
import os
import re
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from . import outcomes, spec
from .results import KIND_LABELS, chapters_of, fmt_points, write_atomic
from .spec import short_chapter

HTML_NAME, MD_NAME, RESULTS_NAME = "feedback.html", "feedback.md", "results.json"
ZIP_DIR = "feedback-zips"  # default folder of the zips, under the results folder


# --------------------------------------------------------------------------- the model of a page

@dataclass
class CaseView:
    name: str  # the test's full name, <chapter>.<exercise>.<case>
    exercise: str
    case: str
    score: float
    max_score: float
    state: str  # "passed", "failed" or "skipped"
    kind: str
    output: str

    @property
    def label(self) -> str:
        """Why it failed, in words (``wrong result``, ``timeout``, ``forbidden``, ...)."""
        return KIND_LABELS.get(self.kind, self.kind)


@dataclass
class ExerciseView:
    name: str
    cases: list[CaseView] = field(default_factory=list)
    public: list[str] | None = None  # public case names; None: not known here

    score = property(lambda self: sum(c.score for c in self.cases))
    max_score = property(lambda self: sum(c.max_score for c in self.cases))
    failed = property(lambda self: [c for c in self.cases if c.state == "failed"])
    passed = property(lambda self: [c for c in self.cases if c.state == "passed"])


@dataclass
class ChapterView:
    name: str
    exercises: dict[str, ExerciseView] = field(default_factory=dict)
    known: bool = True  # whether this install knows the chapter's public checks

    @property
    def cases(self) -> list[CaseView]:
        return [c for ex in self.exercises.values() for c in ex.cases]

    score = property(lambda self: sum(c.score for c in self.cases))
    max_score = property(lambda self: sum(c.max_score for c in self.cases))
    failed = property(lambda self: [c for c in self.cases if c.state == "failed"])
    passed = property(lambda self: [c for c in self.cases if c.state == "passed"])
    skipped = property(lambda self: [c for c in self.cases if c.state == "skipped"])

    @property
    def public_exercises(self) -> list[ExerciseView]:
        return [ex for ex in self.exercises.values() if ex.public]

    @property
    def n_public_cases(self) -> int:
        return sum(len(ex.public or ()) for ex in self.exercises.values())

    @property
    def check_command(self) -> str:
        return f"autograder check {short_chapter(self.name)}"


def public_coverage(chapters) -> dict[str, dict[str, list[str]]]:
    """Chapter -> exercise -> the names of its public cases (what ``autograder check`` runs), for
    the chapters of the course (others are left out: their coverage shows as unknown)."""
    coverage = {}
    for chapter in chapters:
        if chapter in spec.CHAPTERS:
            try:
                cases = spec.public_cases(chapter)
            except ImportError:
                continue
            coverage[chapter] = {name: [c.name for c in found] for name, found in cases.items()}
    return coverage


def build(doc: dict, coverage: dict[str, dict[str, list[str]]]) -> list[ChapterView]:
    """The results document's cases grouped by chapter and exercise (in its order), with the
    public cases of each exercise from ``coverage`` (see :func:`public_coverage`)."""
    chapters: dict[str, ChapterView] = {}
    for t in doc.get("tests", []):
        name = str(t.get("name", ""))
        parts = name.split(".", 2)
        chapter, exercise, case = parts if len(parts) == 3 else ("other", name, "")
        kind = outcomes.kind_of({"status": (t.get("extra_data") or {}).get("kind")})
        score, most = float(t.get("score", 0)), float(t.get("max_score", 0))
        state = ("skipped" if kind == outcomes.SKIPPED else
                 "passed" if t.get("status") == "passed" else "failed")
        view = chapters.setdefault(chapter, ChapterView(chapter, known=chapter in coverage))
        ex = view.exercises.get(exercise)
        if ex is None:
            public = coverage[chapter].get(exercise, []) if chapter in coverage else None
            ex = view.exercises[exercise] = ExerciseView(exercise, public=public)
        ex.cases.append(CaseView(name, exercise, case, score, most, state, kind,
                                 str(t.get("output") or "")))
    return list(chapters.values())


# --------------------------------------------------------------------------- text hygiene

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def clean(text) -> str:
    """Text safe to put in a page: lone surrogates and control characters (ANSI colours, NUL, ...)
    shown as escapes, line ends normalized."""
    text = str(text).encode("utf-8", "backslashreplace").decode("utf-8")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def h(text) -> str:
    """HTML-escaped (text and attribute values alike)."""
    return html.escape(clean(text), quote=True)


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~&])")


def md(text) -> str:
    """Inline Markdown text: every character Markdown (or HTML within it) would act on escaped,
    on one line."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(clean(text).split()))


def md_span(text, table: bool = False) -> str:
    """Inline code in Markdown (names): literal whatever it holds; ``table``: in a table cell."""
    text = " ".join(clean(text).split())
    if not text:
        return ""
    ticks = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text[0] == "`" or text[-1] == "`" else ""
    if table:
        text = text.replace("|", "\\|")
    return f"{ticks}{pad}{text}{pad}{ticks}"


def md_code(text: str) -> str:
    """A fenced code block that nothing in ``text`` can close (the fence is longer than any run of
    backticks in it)."""
    text = clean(text)
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}text\n{text}\n{fence}"


def _pct(score: float, most: float) -> str:
    return f"{100 * score / most:.0f}%" if most else "–"


def _points(score: float, most: float) -> str:
    return f"{fmt_points(score)} / {fmt_points(most)}"


def _anchor(*parts: str) -> str:
    return "x-" + re.sub(r"[^A-Za-z0-9_.-]", "_", ".".join(parts))


def _environment_lines(doc: dict) -> list[tuple[str, str]]:
    env = (doc.get("extra_data") or {}).get("environment") or {}
    rows = []
    for key in ("python", "versions", "keras_backend", "device", "base_seed", "tf32",
                "op_determinism", "isolation"):
        if key in env:
            value = env[key]
            if isinstance(value, dict):
                value = ", ".join(f"{k} {v}" for k, v in value.items())
            rows.append((key.replace("_", " "), str(value)))
    return rows


def _public_sentence(chapter: ChapterView) -> str:
    """What the public checks of a chapter cover, as plain text (escaped by the caller)."""
    if not chapter.known:
        return "The public checks of this chapter are not known to this copy of the autograder."
    n_ex = len(chapter.exercises)
    covered = len(chapter.public_exercises)
    if not covered:
        return f"None of its {n_ex} exercises has a public check: all are graded on hidden cases only."
    hidden_only = n_ex - covered
    tail = (f"; {hidden_only} exercise{'s are' if hidden_only != 1 else ' is'} graded on hidden "
            "cases only" if hidden_only else "")
    return (f"`{chapter.check_command}` runs {chapter.n_public_cases} public case"
            f"{'s' if chapter.n_public_cases != 1 else ''} on your own machine, covering {covered} of "
            f"{n_ex} exercises{tail}. Your grade comes from the hidden cases below, with other inputs.")


def _md_inline_code(sentence: str) -> str:
    """``_public_sentence`` for Markdown: its commands stay in backticks, the rest escaped."""
    parts = sentence.split("`")
    return "".join(f"`{p}`" if i % 2 else _MD_SPECIAL.sub(r"\\\1", clean(p))
                   for i, p in enumerate(parts))


def _html_inline_code(sentence: str) -> str:
    parts = sentence.split("`")
    return "".join(f"<code>{h(p)}</code>" if i % 2 else h(p) for i, p in enumerate(parts))


# --------------------------------------------------------------------------- HTML

CSS = """
:root { color-scheme: light; --fail: #b42318; --fail-bg: #fef3f2; --pass: #067647;
        --pass-bg: #ecfdf3; --skip: #667085; --line: #d0d5dd; --muted: #475467; }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
       color: #101828; background: #fff; margin: 0 auto; max-width: 1100px; padding: 24px; }
h1 { font-size: 1.6em; margin: 0 0 4px; overflow-wrap: anywhere; }
h2 { font-size: 1.25em; margin: 32px 0 8px; padding-bottom: 4px; border-bottom: 2px solid var(--line);
     display: flex; justify-content: space-between; gap: 12px; flex-wrap: wrap; }
h3 { font-size: 1.05em; margin: 18px 0 6px; }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace;
            font-size: 0.9em; }
code { background: #f2f4f7; padding: 1px 4px; border-radius: 4px; overflow-wrap: anywhere; }
pre { background: #f9fafb; border: 1px solid var(--line); border-radius: 6px; padding: 8px 10px;
      margin: 6px 0 4px; white-space: pre-wrap; overflow-wrap: anywhere; max-height: 32em;
      overflow: auto; unicode-bidi: isolate; }
.muted { color: var(--muted); }
a { color: #175cd3; text-underline-offset: 0.25em; }
.total { font-size: 1.15em; margin: 4px 0 12px; }
.total strong { font-size: 1.3em; }
table { border-collapse: collapse; width: 100%; margin: 8px 0; }
th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: #f9fafb; font-weight: 600; }
td.num, th.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
tr.has-fail td:first-child { border-left: 4px solid var(--fail); }
tr.all-pass td:first-child { border-left: 4px solid var(--pass); }
.bar { display: inline-block; width: 80px; height: 8px; background: #eaecf0; border-radius: 4px;
       vertical-align: middle; margin-left: 6px; overflow: hidden; }
.bar > span { display: block; height: 100%; background: var(--pass); }
.tag { display: inline-block; font-size: 0.75em; font-weight: 700; padding: 1px 6px;
       border-radius: 4px; letter-spacing: 0.03em; }
.tag.fail { color: #fff; background: var(--fail); }
.tag.pass { color: #fff; background: var(--pass); }
.tag.skip { color: #fff; background: var(--skip); }
details { border: 1px solid var(--line); border-radius: 6px; margin: 6px 0; padding: 4px 10px; }
details.failed { border-color: #fda29b; background: var(--fail-bg); }
details.passed-list { background: var(--pass-bg); border-color: #abefc6; }
summary { cursor: pointer; padding: 2px 0; }
summary .pts { float: right; font-variant-numeric: tabular-nums; }
.kind { color: var(--fail); font-weight: 600; }
ul.cases { margin: 4px 0; padding-left: 20px; }
.note { border-left: 4px solid var(--line); padding: 4px 10px; color: var(--muted); margin: 8px 0; }
footer { margin-top: 40px; font-size: 0.85em; color: var(--muted); }
@media print { details > summary { list-style: none; } pre { max-height: none; } }
"""

# No script, no fetch, no form: the page is only text and inline style.
CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
       "form-action 'none'")


def render_html(student: str, doc: dict, coverage: dict[str, dict[str, list[str]]]) -> str:
    """The feedback page of ``student`` from their results document ``doc``."""
    chapters = build(doc, coverage)
    score, most = float(doc.get("score", 0)), float(doc.get("max_score", 0))
    cases = [c for ch in chapters for c in ch.cases]
    failed = [c for c in cases if c.state == "failed"]
    passed = [c for c in cases if c.state == "passed"]
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Feedback: {h(student)} ({h(_points(score, most))})</title>",
        f"<style>{CSS}</style></head><body>",
        f"<header><h1>Feedback: {h(student)}</h1>",
        f'<p class="total"><strong id="total">{h(_points(score, most))}</strong> points '
        f"({h(_pct(score, most))}) &middot; {len(passed)} of {len(passed) + len(failed)} cases "
        f"passed, {len(failed)} failed</p>",
    ]
    if doc.get("output"):
        out.append(f'<p class="muted">{h(doc["output"])}</p>')
    out.append(
        '<p class="note">Each exercise\'s points are split evenly over its hidden cases. Every '
        "failed case below says why: the largest error and where, the error your code raised, a "
        "time limit, a forbidden call, and what your code printed. The <em>public checks</em> "
        "column says which exercises you can check on your own machine with "
        "<code>autograder check CHAPTER</code> (other inputs than the hidden cases).</p></header>")

    out.append('<section id="summary"><h2>Summary</h2><table><thead><tr><th>chapter</th>'
               '<th class="num">points</th><th class="num">%</th><th class="num">cases passed</th>'
               '<th class="num">failed</th><th>public checks</th></tr></thead><tbody>')
    for ch in chapters:
        cls = "has-fail" if ch.failed else "all-pass"
        width = 100 * ch.score / ch.max_score if ch.max_score else 0
        public = (f"{len(ch.public_exercises)} of {len(ch.exercises)} exercises "
                  f"(<code>{h(ch.check_command)}</code>)" if ch.known else "unknown")
        out.append(
            f'<tr class="{cls}"><td><a href="#{_anchor(ch.name)}">{h(ch.name)}</a></td>'
            f'<td class="num">{h(_points(ch.score, ch.max_score))}</td>'
            f'<td class="num">{h(_pct(ch.score, ch.max_score))}<span class="bar">'
            f'<span style="width:{width:.0f}%"></span></span></td>'
            f'<td class="num">{len(ch.passed)} / {len(ch.passed) + len(ch.failed)}</td>'
            f'<td class="num">{len(ch.failed)}</td><td>{public}</td></tr>')
    out.append(f'<tr><th>total</th><th class="num">{h(_points(score, most))}</th>'
               f'<th class="num">{h(_pct(score, most))}</th><th class="num">{len(passed)} / '
               f'{len(passed) + len(failed)}</th><th class="num">{len(failed)}</th><th></th></tr>')
    out.append("</tbody></table>")
    if failed:
        out.append("<p>To look at first: " + ", ".join(
            f'<a href="#{_anchor(ch.name, ex.name)}"><code>{h(short_chapter(ch.name))}.'
            f"{h(ex.name)}</code></a>"
            for ch in chapters for ex in ch.exercises.values() if ex.failed) + ".</p>")
    out.append("</section>")

    for ch in chapters:
        out += _html_chapter(ch)

    env = _environment_lines(doc)
    out.append("<footer>")
    if env:
        out.append("<details><summary>Grading environment</summary><table>" + "".join(
            f"<tr><th>{h(k)}</th><td>{h(v)}</td></tr>" for k, v in env) + "</table></details>")
    out.append(f"<p>Your code ran for {float(doc.get('execution_time', 0)):.1f} s in all. "
               "Written by the course autograder from <code>results.json</code>.</p></footer>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def _html_chapter(ch: ChapterView) -> list[str]:
    out = [f'<section class="chapter" id="{_anchor(ch.name)}">',
           f"<h2><span>{h(ch.name)}</span><span>{h(_points(ch.score, ch.max_score))} "
           f"({h(_pct(ch.score, ch.max_score))})</span></h2>",
           f"<p>Public checks: {_html_inline_code(_public_sentence(ch))}</p>"]
    if ch.failed:
        out.append(f"<h3>Failed cases ({len(ch.failed)})</h3>")
        seen = set()
        for c in ch.failed:
            anchor = "" if c.exercise in seen else f' id="{_anchor(ch.name, c.exercise)}"'
            seen.add(c.exercise)
            message = (f"<pre>{h(c.output)}</pre>" if c.output.strip()
                       else '<p class="muted">(no message)</p>')
            out.append(
                f'<details class="failed" open{anchor}><summary><span class="tag fail">FAIL</span> '
                f"<code>{h(c.exercise)}</code> &middot; <code>{h(c.case)}</code> "
                f'<span class="kind">{h(c.label)}</span>'
                f'<span class="pts">{h(_points(c.score, c.max_score))}</span></summary>'
                f"{message}</details>")
    else:
        out.append('<p><span class="tag pass">ALL PASSED</span> every hidden case of this chapter '
                   "passed.</p>")
    out.append('<h3>Exercises</h3><table><thead><tr><th>exercise</th><th class="num">points</th>'
               '<th class="num">hidden cases passed</th><th>public checks</th></tr></thead><tbody>')
    for ex in ch.exercises.values():
        cls = "has-fail" if ex.failed else "all-pass"
        name = (f'<a href="#{_anchor(ch.name, ex.name)}"><code>{h(ex.name)}</code></a>'
                if ex.failed else f"<code>{h(ex.name)}</code>")
        if ex.public is None:
            public = '<span class="muted">unknown</span>'
        elif ex.public:
            public = (f"{len(ex.public)} case{'s' if len(ex.public) != 1 else ''}: " +
                      ", ".join(f"<code>{h(c)}</code>" for c in ex.public))
        else:
            public = '<span class="muted">hidden only</span>'
        counted = [c for c in ex.cases if c.state != "skipped"]
        out.append(f'<tr class="{cls}"><td>{name}</td>'
                   f'<td class="num">{h(_points(ex.score, ex.max_score))}</td>'
                   f'<td class="num">{len(ex.passed)} / {len(counted)}</td><td>{public}</td></tr>')
    out.append("</tbody></table>")
    if ch.passed:
        out.append(f'<details class="passed-list"><summary><span class="tag pass">PASS</span> '
                   f"{len(ch.passed)} passed case{'s' if len(ch.passed) != 1 else ''}</summary>"
                   '<ul class="cases">')
        for c in ch.passed:
            extra = f"<pre>{h(c.output)}</pre>" if c.output.strip() else ""
            out.append(f"<li><code>{h(c.exercise)}</code> &middot; <code>{h(c.case)}</code> "
                       f'<span class="muted">{h(_points(c.score, c.max_score))}</span>{extra}</li>')
        out.append("</ul></details>")
    if ch.skipped:
        out.append(f'<details><summary><span class="tag skip">SKIPPED</span> {len(ch.skipped)} '
                   "case(s) that could not run on the grading machine (worth no points there)"
                   '</summary><ul class="cases">')
        out += [f"<li><code>{h(c.exercise)}</code> &middot; <code>{h(c.case)}</code>: "
                f"{h(c.output)}</li>" for c in ch.skipped]
        out.append("</ul></details>")
    out.append("</section>")
    return out


# --------------------------------------------------------------------------- Markdown

def render_markdown(student: str, doc: dict, coverage: dict[str, dict[str, list[str]]]) -> str:
    """The same feedback as :func:`render_html`, in Markdown (for e-mail or a learning platform)."""
    chapters = build(doc, coverage)
    score, most = float(doc.get("score", 0)), float(doc.get("max_score", 0))
    cases = [c for ch in chapters for c in ch.cases]
    failed = [c for c in cases if c.state == "failed"]
    passed = [c for c in cases if c.state == "passed"]
    out = [f"# Feedback: {md(student)}", "",
           f"**{md(_points(score, most))} points ({_pct(score, most)})**, {len(passed)} of "
           f"{len(passed) + len(failed)} cases passed, {len(failed)} failed", ""]
    if doc.get("output"):
        out += [md(doc["output"]), ""]
    out += ["Each exercise's points are split evenly over its hidden cases. Every failed case below "
            "says why (the largest error and where, the error your code raised, a time limit, a "
            "forbidden call, what your code printed). *Public checks* are the exercises you can "
            "check on your own machine with `autograder check CHAPTER`.", "",
            "## Summary", "",
            "| chapter | points | % | cases passed | failed | public checks |",
            "| --- | ---: | ---: | ---: | ---: | --- |"]
    for ch in chapters:
        public = (f"{len(ch.public_exercises)} of {len(ch.exercises)} exercises "
                  f"(`{ch.check_command}`)" if ch.known else "unknown")
        out.append(f"| {md_span(ch.name, True)} | {md(_points(ch.score, ch.max_score))} | "
                   f"{_pct(ch.score, ch.max_score)} | {len(ch.passed)} / "
                   f"{len(ch.passed) + len(ch.failed)} | {len(ch.failed)} | {public} |")
    out.append(f"| **total** | **{md(_points(score, most))}** | {_pct(score, most)} | {len(passed)} / "
               f"{len(passed) + len(failed)} | {len(failed)} | |")
    for ch in chapters:
        out += ["", f"## {md_span(ch.name)}: {md(_points(ch.score, ch.max_score))} "
                    f"({_pct(ch.score, ch.max_score)})", "",
                f"Public checks: {_md_inline_code(_public_sentence(ch))}"]
        if ch.failed:
            out += ["", f"### Failed cases ({len(ch.failed)})"]
            for c in ch.failed:
                out += ["", f"#### FAIL {md_span(c.exercise)} · {md_span(c.case)}: {md(c.label)} "
                            f"({md(_points(c.score, c.max_score))})", ""]
                out.append(md_code(c.output) if c.output.strip() else "(no message)")
        else:
            out += ["", "Every hidden case of this chapter passed."]
        out += ["", "### Exercises", "",
                "| exercise | points | hidden cases passed | public checks |",
                "| --- | ---: | ---: | --- |"]
        for ex in ch.exercises.values():
            public = ("unknown" if ex.public is None else
                      ", ".join(md_span(c, True) for c in ex.public) if ex.public else "hidden only")
            mark = "✗ " if ex.failed else "✓ "
            counted = [c for c in ex.cases if c.state != "skipped"]
            out.append(f"| {mark}{md_span(ex.name, True)} | {md(_points(ex.score, ex.max_score))} | "
                       f"{len(ex.passed)} / {len(counted)} | {public} |")
        if ch.passed:
            out += ["", f"Passed ({len(ch.passed)}): " +
                    ", ".join(md_span(f"{c.exercise}.{c.case}") for c in ch.passed) + "."]
        if ch.skipped:
            out += ["", "Skipped (could not run on the grading machine, worth no points there): " +
                    "; ".join(f"{md_span(f'{c.exercise}.{c.case}')}: {md(c.output)}"
                              for c in ch.skipped)]
    env = _environment_lines(doc)
    if env:
        out += ["", "## Grading environment", ""] + [f"- {md(k)}: {md(v)}" for k, v in env]
    out += ["", f"Your code ran for {float(doc.get('execution_time', 0)):.1f} s in all."]
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------- files and zips

def _write_if_changed(path: Path, text: str) -> bool:
    try:
        if path.read_text(encoding="utf-8") == text:
            return False
    except (OSError, ValueError):
        pass
    write_atomic(path, text)
    return True


def write_feedback(folder: Path, student: str, doc: dict,
                   coverage: dict[str, dict[str, list[str]]]) -> list[Path]:
    """Write ``folder/feedback.html`` and ``folder/feedback.md`` (each only where it is missing or
    differs); return the paths written."""
    written = []
    for name, render in ((HTML_NAME, render_html), (MD_NAME, render_markdown)):
        if _write_if_changed(folder / name, render(student, doc, coverage)):
            written.append(folder / name)
    return written


def graded_students(out: Path) -> list[Path]:
    """The student folders of a results folder: those holding a ``results.json``."""
    if not out.is_dir():
        raise FileNotFoundError(f"{out} is not a folder (give the --out folder of `autograder grade`)")
    return sorted((p for p in out.iterdir() if p.is_dir() and not p.name.startswith(".")
                   and (p / RESULTS_NAME).is_file()), key=lambda p: p.name)


def _zip_bytes(student: str, files: dict[str, bytes]) -> bytes:
    """A zip holding ``files`` under one folder named after the student, with fixed timestamps
    (the same pages give the same zip)."""
    import io
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            info = zipfile.ZipInfo(f"{student}/{name}", date_time=(1980, 1, 1, 0, 0, 0))
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)
    return buf.getvalue()


def _write_bytes_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def feedback_folder(out: Path, zip_dir: Path | None = None) -> tuple[dict[str, Path], list[str]]:
    """(Re)write the feedback pages of every student of the results folder ``out`` from their
    ``results.json``; with ``zip_dir``, also one ``<student>.zip`` per student there (the two pages
    and ``results.json`` in a folder named after the student). Returns the pages' folders (or zips)
    by student, and a note for each results file that could not be read."""
    students = graded_students(out)
    if not students:
        raise FileNotFoundError(f"no <student>/{RESULTS_NAME} under {out}: grade first "
                                "(`autograder grade SUBMISSIONS --out DIR`)")
    if zip_dir is not None and (zip_dir / RESULTS_NAME).exists():
        raise ValueError(f"{zip_dir} is a student's results folder: choose another with --zip DIR")
    docs, problems = {}, []
    for folder in students:
        try:
            docs[folder.name] = json.loads((folder / RESULTS_NAME).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            problems.append(f"{folder.name}: {RESULTS_NAME} could not be read ({exc})")
    coverage = public_coverage(sorted({c for doc in docs.values() for c in chapters_of(doc)}))
    done = {}
    for student, doc in docs.items():
        folder = out / student
        write_feedback(folder, student, doc, coverage)
        done[student] = folder / HTML_NAME
        if zip_dir is not None:
            files = {name: (folder / name).read_bytes() for name in (HTML_NAME, MD_NAME, RESULTS_NAME)}
            target = zip_dir / f"{student}.zip"
            _write_bytes_atomic(target, _zip_bytes(student, files))
            done[student] = target
    return done, problems
