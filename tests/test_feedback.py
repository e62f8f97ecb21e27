"""Per-student feedback pages (autograder/feedback.py, docs/architecture.md "Result formats"): written
by `grade` beside results.json from a real graded class, everything escaped, the Markdown twin, the
zips of `autograder feedback OUT --zip`, and the page as a real headless browser renders it."""
import html
import io
import json
import re
import shutil
import subprocess
import zipfile
from html.parser import HTMLParser

import pytest

from autograder import feedback, grading, outcomes, results
from helpers import REPO, run_cli

CH1 = "ch01_data"
SOLUTION = (REPO / "solutions" / f"{CH1}.py").read_text(encoding="utf-8")
INJECT = ("<script>document.title='pwned'</script><img src=x onerror=\"document.title='pwned'\">"
          "</pre></details><h1>fake</h1>")
GOOD, BAD = "good", "Bob <b>\"O'Brien\" & co <i>"  # the folder name is the student id
BUGGY = SOLUTION + f'''

_summary_stats = summary_stats


def summary_stats(x, y, ddof=1):  # bug: ignores ddof; prints markup
    print({INJECT!r})
    return _summary_stats(x, y, 1)


def fit_periodic(x, y):  # forbidden: the course's own
    from course.ch01_data import fit_periodic as theirs
    return theirs(x, y)


def distance_contrast(X):
    raise ValueError("no <contrast> & no luck")


def make_swiss_roll(n, seed):  # never returns
    while True:
        pass
'''
CHROMIUM = next((p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome"))
                 if p), None)


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """A two-student class graded on chapter 1 through the CLI: (out folder, results by student)."""
    root = tmp_path_factory.mktemp("feedback")
    subs, out = root / "subs", root / "out"
    for student, text in ((GOOD, SOLUTION), (BAD, BUGGY)):
        (subs / student).mkdir(parents=True)
        (subs / student / f"{CH1}.py").write_text(text, encoding="utf-8")
    proc = run_cli("grade", subs, "--out", out, "--chapters", "ch01", "--timeout", "2",
                   "--workers", "2", "--unsafe")  # isolated where this machine allows it
    assert proc.returncode == 0, proc.stderr
    assert f"autograder feedback {out} --zip" in proc.stdout
    docs = {s: json.loads((out / s / "results.json").read_text(encoding="utf-8")) for s in (GOOD, BAD)}
    return subs, out, docs


def failed(doc):
    return [t for t in doc["tests"] if t["status"] == "failed"]


def test_grade_writes_pages_with_scores_failures_and_public_coverage(graded):
    _, out, docs = graded
    bad = docs[BAD]
    kinds = {t["extra_data"]["kind"] for t in failed(bad)}
    assert kinds == {outcomes.OK, outcomes.FORBIDDEN, outcomes.RAISED, outcomes.TIMEOUT}, kinds
    assert not failed(docs[GOOD])
    page = (out / BAD / "feedback.html").read_text(encoding="utf-8")
    assert f"<h1>Feedback: {html.escape(BAD)}</h1>" in page
    assert f">{results.fmt_points(bad['score'])} / {results.fmt_points(bad['max_score'])}<" in page
    for t in failed(bad):  # every failed case, with its whole message, in an open <details>
        assert html.escape(feedback.clean(t["output"])) in page, t["name"]
    assert page.count('<details class="failed" open') == len(failed(bad))
    for text in ("timed out after 2 s", "which this exercise forbids", "ValueError",
                 "max abs error", "wrong result", "raised an exception", "forbidden", "timeout"):
        assert text in page, text
    # what the public checks cover: the command and each exercise's public case
    assert "<code>autograder check ch01</code> runs 7 public cases" in page
    assert "7 of 7 exercises" in page and "<code>anscombe_I</code>" in page
    good = (out / GOOD / "feedback.html").read_text(encoding="utf-8")
    assert "ALL PASSED" in good and 'class="failed"' not in good
    md = (out / BAD / "feedback.md").read_text(encoding="utf-8")
    assert "`autograder check ch01` runs 7 public cases" in md
    # the pages are what rendering the results document gives (nothing else goes in)
    coverage = feedback.public_coverage([CH1])
    assert page == feedback.render_html(BAD, bad, coverage)
    assert md == feedback.render_markdown(BAD, bad, coverage)


def test_kept_students_get_missing_or_stale_pages_back(graded, tmp_path):
    subs, out, _ = graded
    mine = tmp_path / "out"
    shutil.copytree(out, mine)
    before = {s: (mine / s / "results.json").read_bytes() for s in (GOOD, BAD)}
    pages = {s: (mine / s / "feedback.html").read_text(encoding="utf-8") for s in (GOOD, BAD)}
    (mine / GOOD / "feedback.html").unlink()
    (mine / BAD / "feedback.md").unlink()
    (mine / BAD / "feedback.html").write_text("stale", encoding="utf-8")
    docs = grading.grade_class(subs, mine, grading.Options(chapters=[CH1], timeout=2.0, unsafe=True),
                               stream=io.StringIO())
    assert {s: (mine / s / "results.json").read_bytes() for s in (GOOD, BAD)} == before  # kept
    for s in (GOOD, BAD):
        assert (mine / s / "feedback.html").read_text(encoding="utf-8") == pages[s]
        assert (mine / s / "feedback.md").is_file()
    assert set(docs) == {GOOD, BAD}


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.attrs, self.text = [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs += attrs

    def handle_data(self, data):
        self.text.append(data)


def hostile_document():
    name = f"ch02_linear_regression.mse.{INJECT}"  # even a test name from elsewhere
    output = (f"printed:\n{INJECT}\n```\n````\nend\x1b[31m red \x00 nul \udc80 surrogate\r\nline"
              " & \"quoted\" 'single' | pipe")
    tests = [results.test_entry(name, 0.0, 1.0, output, "after_published", outcomes.OK),
             results.test_entry("ch02_linear_regression.sse.fine", 1.0, 1.0, INJECT,
                                "after_published", outcomes.OK),
             results.test_entry("ch99_unknown.f.case", 0.0, 2.0, "timed out after 1 s",
                                "after_published", outcomes.TIMEOUT),
             results.test_entry("ch02_linear_regression.fit_line.tf_only", 0.0, 0.0,
                                "skipped: needs TensorFlow", "after_published", outcomes.SKIPPED)]
    env = {"environment": {"device": INJECT, "versions": {"numpy": INJECT}}, "submission_key": "k"}
    return results.results_document(tests, 1.5, INJECT, env)


def test_everything_from_a_results_document_is_escaped():
    doc = hostile_document()
    coverage = feedback.public_coverage(["ch02_linear_regression", "ch99_unknown"])
    page = feedback.render_html(INJECT, doc, coverage)
    assert not re.search(r"<(script|img|iframe|object|embed|link)\b", page, re.I)
    assert "<h1>fake" not in page and "onerror=" not in page.replace("onerror=&quot;", "")
    assert "&lt;script&gt;document.title=&#x27;pwned&#x27;&lt;/script&gt;" in page
    parser = _Tags()
    parser.feed(page)
    allowed = {"html", "head", "meta", "title", "style", "body", "header", "h1", "h2", "h3", "p",
               "strong", "em", "code", "pre", "section", "table", "thead", "tbody", "tr", "th",
               "td", "a", "span", "details", "summary", "ul", "li", "footer"}
    assert set(parser.tags) <= allowed, set(parser.tags) - allowed
    assert parser.tags.count("h1") == 1
    assert not [a for a, _ in parser.attrs if a.startswith("on") or a in ("src", "srcdoc", "action")]
    assert {v for a, v in parser.attrs if a == "href"} <= {f"#{x}" for x in re.findall(r'id="([^"]+)"', page)}
    assert 'http-equiv="Content-Security-Policy"' in page and "default-src 'none'" in page
    text = "".join(parser.text)
    assert INJECT in text  # shown as text, whole
    assert "\\x1b[31m red \\x00 nul \\udc80 surrogate" in text  # controls visible, not raw
    assert "\x1b" not in page and "\x00" not in page and "\r" not in page
    page.encode("utf-8")  # no lone surrogate left
    assert "unknown" in page  # the chapter this install does not know: coverage unknown
    assert "SKIPPED" in page and "needs TensorFlow" in page
    assert "http://" not in page and "https://" not in page  # offline: nothing to fetch


def test_markdown_keeps_messages_in_fences_and_names_inert():
    doc = hostile_document()
    coverage = feedback.public_coverage(["ch02_linear_regression"])
    text = feedback.render_markdown(INJECT, doc, coverage)
    text.encode("utf-8")
    lines = text.splitlines()
    assert lines[0].startswith("# Feedback: ") and "<script>" not in lines[0]
    assert "\\<script\\>" in lines[0]
    # outside code (fenced blocks and backtick spans) nothing could act as HTML
    fence, outside = None, []
    for line in lines:
        if fence is None and (m := re.match(r"^(`{3,})text$", line)):
            fence = m.group(1)
        elif fence is not None and line == fence:
            fence = None
        elif fence is None:
            outside.append(re.sub(r"(`+)(?!`).*?(?<!`)\1(?!`)", "", line))
    assert fence is None
    assert not [line for line in outside if re.search(r"(?<!\\)<", line)]
    assert "`````text" in text  # longer than the four backticks of the message: never closed early
    assert "\n````\nend" in text
    assert "| `ch02_linear_regression` | 1 / 2 | 50% | 1 / 2 | 1 |" in text
    assert "#### FAIL `mse` · " in text and "wrong result (0 / 1)" in text


def test_feedback_command_rewrites_pages_and_zips_one_per_student(graded, tmp_path):
    _, out, docs = graded
    mine = tmp_path / "out"
    shutil.copytree(out, mine)
    (mine / BAD / "feedback.html").unlink()
    proc = run_cli("feedback", mine, "--zip")
    assert proc.returncode == 0, proc.stderr
    assert "feedback for 2 students" in proc.stdout
    assert (mine / BAD / "feedback.html").read_bytes() == (out / BAD / "feedback.html").read_bytes()
    zips = mine / feedback.ZIP_DIR
    assert sorted(p.name for p in zips.iterdir()) == sorted([f"{GOOD}.zip", f"{BAD}.zip"])
    for student in (GOOD, BAD):
        with zipfile.ZipFile(zips / f"{student}.zip") as zf:
            assert zf.testzip() is None
            assert sorted(zf.namelist()) == sorted(f"{student}/{n}" for n in
                                                   ("feedback.html", "feedback.md", "results.json"))
            for name in ("feedback.html", "feedback.md", "results.json"):
                assert zf.read(f"{student}/{name}") == (mine / student / name).read_bytes()
    first = (zips / f"{BAD}.zip").read_bytes()
    again = run_cli("feedback", mine, "--zip", tmp_path / "elsewhere")
    assert again.returncode == 0, again.stderr
    assert (tmp_path / "elsewhere" / f"{BAD}.zip").read_bytes() == first  # the same zip, byte for byte
    # a results file that cannot be read is named and skipped; the others still get their pages
    (mine / GOOD / "results.json").write_text("{not json", encoding="utf-8")
    (mine / BAD / "feedback.md").unlink()
    broken = run_cli("feedback", mine)
    assert broken.returncode == 1 and f"skipped {GOOD}: results.json could not be read" in broken.stderr
    assert (mine / BAD / "feedback.md").is_file()
    # a student's own folder is no place for the zips
    refused = run_cli("feedback", mine, "--zip", mine / BAD)
    assert refused.returncode == 2 and "choose another" in refused.stderr
    empty = run_cli("feedback", tmp_path / "elsewhere")
    assert empty.returncode == 2 and "grade first" in empty.stderr
    assert run_cli("feedback", tmp_path / "nowhere").returncode == 2


def _chromium(tmp_path, *args):
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
           "--disable-component-update", "--disable-sync", "--no-first-run",
           f"--user-data-dir={tmp_path / 'profile'}", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=180)


@pytest.mark.skipif(CHROMIUM is None, reason="no chromium here (.ci/run installs it)")
def test_page_renders_in_headless_chromium(graded, tmp_path):
    matplotlib_image = pytest.importorskip("matplotlib.image")
    _, out, docs = graded
    page = out / BAD / "feedback.html"
    url = page.resolve().as_uri()
    png = tmp_path / "page.png"
    shot = _chromium(tmp_path, f"--screenshot={png}", "--window-size=1200,1600", url)
    assert shot.returncode == 0 and png.is_file(), shot.stderr[-2000:]
    pixels = matplotlib_image.imread(str(png))[..., :3]
    assert pixels.shape[:2] == (1600, 1200)
    ink = (pixels.min(axis=2) < 0.9).mean()  # text, tables, tags: a page, not a blank
    assert 0.02 < ink < 0.6 and pixels.std() > 0.05, (ink, pixels.std())
    r, g, b = pixels[..., 0], pixels[..., 1], pixels[..., 2]
    assert ((r > 0.55) & (g < 0.3) & (b < 0.3)).sum() > 200  # the red FAIL tags: styles applied
    assert ((g > 0.35) & (r < 0.2) & (b < 0.4)).sum() > 200  # the green score bar

    dom = _chromium(tmp_path, "--dump-dom", url)
    assert dom.returncode == 0, dom.stderr[-2000:]
    text = dom.stdout
    assert f"<title>Feedback: {html.escape(BAD, quote=False)}" in text  # no script renamed it
    assert html.escape(BAD, quote=False) in text
    bad = docs[BAD]
    assert f"{results.fmt_points(bad['score'])} / {results.fmt_points(bad['max_score'])}" in text
    for t in failed(bad):
        first = t["output"].splitlines()[0]
        assert html.escape(first, quote=False) in text, t["name"]
    assert "timed out after 2 s" in text and "which this exercise forbids" in text
    assert not re.search(r"<(script|img)\b", text, re.I) and "pwned'</title>" not in text
    assert "&lt;script&gt;document.title='pwned'&lt;/script&gt;" in text
