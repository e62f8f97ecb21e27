"""A class's submissions as they come: a folder of student folders, a zip of one, or the export of a
learning management system, grouped by student and matched to chapters (see ``docs/architecture.md``).

Layouts recognized, in any mix, directly in the folder (or zip) or under one top folder:

- **student folders**: ``<student>/ch02_linear_regression.py`` (the folder name is the student);
- **Moodle**: ``Jane Smith_12345_assignsubmission_file_/ch02_linear_regression.py`` (or flat,
  ``Jane Smith_12345_assignsubmission_file_ch02_linear_regression.py``);
- **Canvas**: flat files ``smithjane_12345_67890_ch02_linear_regression.py``, with a ``LATE`` marker
  (``smithjane_LATE_12345_67890_...``) and resubmission suffixes (``ch02_linear_regression-1.py``);
- **Blackboard**: flat files ``<assignment>_<user>_attempt_<YYYY-MM-DD-HH-MM-SS>_<original name>``;
- any flat ``<student>_<original name>``.

A file is matched to a chapter by its original name: the chapter's name (``ch02_linear_regression``)
or its short name (``ch02``, ``appendix_a``), any case, with ``.py`` or ``.ipynb`` (a notebook is
graded through :mod:`autograder.nbmodule`), and an optional resubmission suffix ``-N`` or `` (N)``.
Of several files for one student's chapter, one is taken: a later Blackboard attempt, then the
shallower file in a student's folder, then the highest resubmission suffix; between a ``.py`` and
an ``.ipynb`` that tie so far, the one with fewer unfilled stubs, the notebook on a tie
(:func:`autograder.nbmodule.choose`; the student's ``notes`` say which and why); then the full name
over the short one; the others
and whatever matches nothing are returned as :class:`Unmatched`, never dropped without a word.
Hidden files and system clutter (``__MACOSX``, ``.DS_Store``, ``__pycache__``, ...) are skipped and
counted.

Student ids: the student folder's name; in Moodle folders the name before ``_<id>_assignsubmission``;
in flat files the name part (Canvas's ``smithjane``, Blackboard's user name). When one name comes
with two different ids (two Jane Smiths), each gets ``_<id>`` appended. Ids are then made safe as a
folder name: NFC-normalized, control characters, ``/`` and ``\\`` replaced by ``_``, leading dots
and spaces removed, at most 100 characters. The same export always gives the same ids.

A zip is extracted into a temporary folder that is deleted afterwards; members with an absolute
path or ``..``, symbolic links and encrypted members are not extracted (they are listed), and the
extraction stops at :data:`MAX_UNZIPPED_BYTES` and :data:`MAX_ZIP_MEMBERS`.
"""
from __future__ import annotations

import os
import re
import shutil
import stat
import tempfile
import unicodedata
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Iterator

from .spec import CHAPTERS, short_chapter

MAX_UNZIPPED_BYTES = 4 << 30   # a class's notebooks with their outputs fit; a zip bomb does not
MAX_ZIP_MEMBERS = 200_000
MAX_DEPTH = 6                  # folders below a student folder that are searched for chapter files
JUNK = {"__MACOSX", ".DS_Store", "Thumbs.db", "desktop.ini", "__pycache__", ".ipynb_checkpoints"}
EXTENSIONS = (".py", ".ipynb")

LAYOUTS = ("a folder (or zip) of student folders, each holding chapter files such as "
           "ch02_linear_regression.py or .ipynb; Moodle's <Name>_<id>_assignsubmission_file_/ "
           "folders; flat exports named <student>_<ids>_<file> (Canvas: "
           "smithjane_12345_67890_ch02_linear_regression.py, also with _LATE_ and -1 suffixes) or "
           "<assignment>_<user>_attempt_<date>_<file> (Blackboard)")


class NoSubmissions(ValueError):
    """The path holds no file that could be matched to a student and a chapter."""


@dataclass(frozen=True)
class Unmatched:
    path: str                     # relative to the submissions folder (or zip), POSIX separators
    reason: str
    student: str | None = None    # whose it is, where that is known

    def __str__(self) -> str:
        who = f" [{self.student}]" if self.student else ""
        return f"{self.path}{who}: {self.reason}"


@dataclass
class Student:
    id: str
    files: dict[str, Path]        # chapter -> file (.py, or .ipynb: a notebook)
    late: bool = False            # a Canvas LATE marker on one of the files taken
    notes: dict[str, str] = field(default_factory=dict)  # chapter -> why that file was taken

    def graded_files(self, chapters: list[str]) -> dict[str, Path]:
        """The chapter files among ``chapters`` (what ``grade`` runs: ``.py`` files as they are,
        notebooks converted to modules)."""
        return {c: p for c, p in self.files.items() if c in chapters}

    def notebooks(self, chapters: list[str]) -> dict[str, Path]:
        return {c: p for c, p in self.files.items() if c in chapters and p.suffix.lower() == ".ipynb"}


@dataclass
class Found:
    root: Path                    # the folder searched (a temporary one for a zip)
    origin: Path                  # what was given: the folder or the zip
    students: list[Student]
    unmatched: list[Unmatched] = field(default_factory=list)
    layouts: list[str] = field(default_factory=list)  # e.g. ["student folders", "Canvas"]
    skipped: int = 0              # hidden files and system clutter

    def summary(self, chapters: list[str] | None = None, limit: int = 20) -> list[str]:
        """Lines for the progress output: what was found, and each unmatched file (up to ``limit``)."""
        chapters = list(chapters or CHAPTERS)
        files = sum(len([c for c in s.files if c in chapters]) for s in self.students)
        notebooks = sum(len(s.notebooks(chapters)) for s in self.students)
        late = sum(s.late for s in self.students)
        text = (f"found {len(self.students)} students in {self.origin} "
                f"({', '.join(self.layouts) or 'no known layout'}): {files} chapter files")
        if notebooks:
            text += f", {notebooks} of them notebooks"
        if late:
            text += f"; {late} marked late"
        if self.skipped:
            text += f"; {self.skipped} hidden or system files skipped"
        lines = [text]
        if self.unmatched:
            lines.append(f"{len(self.unmatched)} files not matched to a student's chapter:")
            lines += [f"  {u}" for u in self.unmatched[:limit]]
            if len(self.unmatched) > limit:
                lines.append(f"  ... and {len(self.unmatched) - limit} more")
        return lines

    def unmatched_text(self) -> str:
        """The content of ``unmatched.txt``: one line per file, or a line saying there is none."""
        if not self.unmatched:
            return f"# every file in {self.origin} was matched\n"
        return (f"# files in {self.origin} not matched to a student's chapter\n"
                + "".join(f"{u}\n" for u in self.unmatched))


# --- names ---------------------------------------------------------------------------------------

_NAMES = {**{short_chapter(c): c for c in CHAPTERS}, **{c: c for c in CHAPTERS}}
_CHAPTER = (r"(?P<chapter>" + "|".join(sorted(map(re.escape, _NAMES), key=len, reverse=True)) + r")"
            r"(?:-(?P<n>\d+)| ?\((?P<m>\d+)\))?\.(?P<ext>py|ipynb)")
_CHAPTER_RE = re.compile(_CHAPTER, re.IGNORECASE)
_TRAILING_CHAPTER_RE = re.compile(r"^(?P<prefix>.*?)_?" + _CHAPTER + "$", re.IGNORECASE)
_CANVAS_RE = re.compile(r"^(?P<student>.+?)_(?:(?P<late>late)_)?(?P<ids>\d+_\d+)_(?P<orig>.+)$",
                        re.IGNORECASE)
_MOODLE_FLAT_RE = re.compile(r"^(?P<student>.+?)_(?P<id>\d+)_assignsubmission_file_(?P<orig>.+)$")
_BLACKBOARD_RE = re.compile(r"^(?P<assignment>.+)_(?P<student>[^_]+)_attempt_"
                            r"(?P<ts>\d{4}(?:-\d\d){5})(?:_(?P<orig>.+)|\.txt)$")
_MOODLE_RE = re.compile(r"^(?P<student>.+?)_(?P<id>\d+)_assignsubmission_(?P<plugin>[a-z]+)_?$")


@dataclass(frozen=True)
class Original:
    """A file's original name matched to a chapter."""
    chapter: str
    version: int          # resubmission suffix (0 without)
    ext: str              # ".py" or ".ipynb"
    full: bool            # the full chapter name, not the short one


def match_original(name: str) -> Original | None:
    """``ch02_linear_regression-1.py`` -> Original("ch02_linear_regression", 1, ".py", True)."""
    m = _CHAPTER_RE.fullmatch(name)
    if not m:
        return None
    key = m["chapter"].lower()
    return Original(_NAMES[key], int(m["n"] or m["m"] or 0), "." + m["ext"].lower(), key in CHAPTERS)


def safe_id(text: str) -> str:
    """A student id usable as a folder name (see the module's docstring)."""
    text = unicodedata.normalize("NFC", text)
    text = "".join("_" if c in "/\\" or not c.isprintable() else c for c in text)
    text = text.lstrip(". ").rstrip()[:100].rstrip()
    return text or "student"


# --- scanning ------------------------------------------------------------------------------------

@dataclass
class _Candidate:
    student: str          # raw student name
    sid: str              # raw id ("" when none), to tell apart two students of the same name
    chapter: str | None   # None: the student is known, the file matched no chapter
    path: Path
    rel: str
    rank: tuple = ()      # (Blackboard attempt, -depth, resubmission): the higher, the later
    ext: str = ""
    full: bool = False
    late: bool = False
    layout: str = ""
    reason: str = ""


def _visible(entries) -> tuple[list[os.DirEntry], int]:
    keep, skipped = [], 0
    for e in entries:
        if e.name.startswith(".") or e.name in JUNK:
            skipped += 1
        else:
            keep.append(e)
    return sorted(keep, key=lambda e: e.name), skipped


def _is_student_folder(path: Path) -> bool:
    """A folder holding chapter files directly (not a class folder wrapped around student folders)."""
    if _MOODLE_RE.match(path.name):
        return True
    with os.scandir(path) as it:
        return any(match_original(e.name) for e in it if not e.is_dir(follow_symlinks=False))


def _unwrap(root: Path) -> tuple[Path, int]:
    """Descend through single top folders (``class.zip`` -> ``class/``) that are no student folder."""
    skipped = 0
    for _ in range(5):
        with os.scandir(root) as it:
            entries, n = _visible(it)
        if len(entries) != 1 or not entries[0].is_dir(follow_symlinks=False) \
                or _is_student_folder(Path(entries[0].path)):
            break
        skipped += n
        root = Path(entries[0].path)
    return root, skipped


def _flat(entry: os.DirEntry, rel: str) -> _Candidate | Unmatched:
    """A file directly in the class folder: a flat export's ``<student>_..._<original name>``."""
    name = entry.name
    late, sid, layout, rank_ts = False, "", "", ""
    m = _BLACKBOARD_RE.match(name)
    if m:
        student, orig, layout, rank_ts = m["student"], m["orig"], "Blackboard", m["ts"]
        if orig is None:
            return _Candidate(student, "", None, Path(entry.path), rel, layout=layout,
                              reason="Blackboard's record of the attempt (not a chapter file)")
    elif _MOODLE_FLAT_RE.match(name):
        m = _MOODLE_FLAT_RE.match(name)
        student, sid, orig, layout = m["student"], m["id"], m["orig"], "Moodle"
    else:
        m = _CANVAS_RE.match(name)
        if m:
            student, orig, layout = m["student"], m["orig"], "Canvas"
            late, sid = bool(m["late"]), m["ids"].split("_")[0]
        else:
            m = _TRAILING_CHAPTER_RE.match(name)
            if not m:
                return Unmatched(rel, "neither a student folder nor a file named "
                                      "<student>_..._<chapter file>")
            if not m["prefix"]:
                return Unmatched(rel, "a chapter file outside any student folder, with no student "
                                      "in its name")
            student, orig, layout = m["prefix"], name[len(m["prefix"]):].lstrip("_"), "flat"
    if name.lower().endswith(".zip"):
        return _Candidate(student, sid, None, Path(entry.path), rel, layout=layout,
                          reason="a zip inside the submissions is not opened: extract it first")
    original = match_original(orig)
    if original is None:
        return _Candidate(student, sid, None, Path(entry.path), rel, late=late, layout=layout,
                          reason=f"original name {orig!r} is no chapter file ({', '.join(EXTENSIONS)})")
    return _Candidate(student, sid, original.chapter, Path(entry.path), rel, late=late, layout=layout,
                      rank=(rank_ts, 0, original.version), ext=original.ext, full=original.full)


def _folder(folder: Path, rel: str, student: str, sid: str, layout: str,
            out: list, depth: int = 0) -> int:
    """Chapter files in a student's folder and its subfolders (symbolic links to folders are not
    followed; a symbolic link named as a chapter file is kept: grading reports it)."""
    skipped = 0
    with os.scandir(folder) as it:
        entries, skipped = _visible(it)
    for e in entries:
        path, erel = Path(e.path), f"{rel}/{e.name}"
        if e.is_dir(follow_symlinks=False):
            if depth + 1 > MAX_DEPTH:
                out.append(_Candidate(student, sid, None, path, erel, layout=layout,
                                      reason=f"more than {MAX_DEPTH} folders deep, not searched"))
            else:
                skipped += _folder(path, erel, student, sid, layout, out, depth + 1)
            continue
        if e.is_symlink() and e.is_dir():
            out.append(_Candidate(student, sid, None, path, erel, layout=layout,
                                  reason="a symbolic link to a folder, not followed"))
            continue
        original = match_original(e.name)
        if original is None:
            reason = ("a zip inside the submissions is not opened: extract it first"
                      if e.name.lower().endswith(".zip") else "no chapter file name")
            out.append(_Candidate(student, sid, None, path, erel, layout=layout, reason=reason))
        else:
            out.append(_Candidate(student, sid, original.chapter, path, erel, layout=layout,
                                  rank=("", -depth, original.version), ext=original.ext,
                                  full=original.full))
    return skipped


def _scan(root: Path, origin: Path, prefix_unmatched: list[Unmatched] = ()) -> Found:
    top, skipped = _unwrap(root)
    base = "" if top == root else top.relative_to(root).as_posix() + "/"
    candidates: list[_Candidate] = []
    unmatched: list[Unmatched] = list(prefix_unmatched)
    with os.scandir(top) as it:
        entries, n = _visible(it)
    skipped += n
    for e in entries:
        rel = base + e.name
        if e.is_dir():  # a student folder (a symbolic link to one is followed here, as ever)
            m = _MOODLE_RE.match(e.name)
            student, sid, layout = (m["student"], m["id"], "Moodle") if m else \
                (e.name, "", "student folders")
            before = len(candidates)
            skipped += _folder(Path(e.path), rel, student, sid, layout, candidates)
            if len(candidates) == before:  # an empty student folder: the student is still listed
                candidates.append(_Candidate(student, sid, None, Path(e.path), rel, layout=layout))
        else:
            got = _flat(e, rel)
            (unmatched if isinstance(got, Unmatched) else candidates).append(got)
    return _group(candidates, unmatched, root, origin, skipped)


def _group(candidates: list[_Candidate], unmatched: list[Unmatched], root: Path, origin: Path,
           skipped: int) -> Found:
    ids_of: dict[str, set[str]] = {}
    for c in candidates:
        ids_of.setdefault(c.student, set()).add(c.sid)

    def student_id(c: _Candidate) -> str:
        clash = len(ids_of[c.student] - {""}) > 1
        return safe_id(f"{c.student}_{c.sid}" if clash and c.sid else c.student)

    students: dict[str, Student] = {}
    of: dict[tuple[str, str], list[_Candidate]] = {}
    layouts: list[str] = []
    for c in candidates:
        sid = student_id(c)
        students.setdefault(sid, Student(sid, {}))
        if c.layout and c.layout not in layouts:
            layouts.append(c.layout)
        if c.chapter is None:
            if c.reason:
                unmatched.append(Unmatched(c.rel, c.reason, sid))
            continue
        of.setdefault((sid, c.chapter), []).append(c)
    for (sid, chapter), found in of.items():
        c, others, note = _choose(chapter, found)
        for other, why in others:
            unmatched.append(Unmatched(other.rel, why, sid))
        students[sid].files[chapter] = c.path
        students[sid].late |= c.late
        if note:
            students[sid].notes[chapter] = note
    for s in students.values():
        s.files = {c: s.files[c] for c in CHAPTERS if c in s.files}
    unmatched.sort(key=lambda u: u.path)
    return Found(root, origin, sorted(students.values(), key=lambda s: s.id), unmatched, layouts,
                 skipped)


def _choose(chapter: str, found: list[_Candidate]
            ) -> tuple[_Candidate, list[tuple[_Candidate, str]], str]:
    """The file taken of one student's files for ``chapter``, the others with why they were not,
    and a note for the student when a ``.py`` and a notebook competed (see the module docstring)."""
    def order(c):
        return c.full, c.rel
    latest = max(c.rank for c in found)
    top = [c for c in found if c.rank == latest]
    by_ext = {ext: max((c for c in top if c.ext == ext), key=order)
              for ext in {c.ext for c in top}}
    note = ""
    if len(by_ext) == 2:
        from .nbmodule import choose
        py, nb = by_ext[".py"], by_ext[".ipynb"]
        graded, _, why, _ = choose(py.path, nb.path, chapter)
        best = py if graded == py.path else nb
        aside = nb if best is py else py
        note = (f"both {py.rel.rsplit('/', 1)[-1]} and {nb.rel.rsplit('/', 1)[-1]} were handed in "
                f"for {chapter}: {best.rel.rsplit('/', 1)[-1]} was graded ({why}).")
    else:
        best = next(iter(by_ext.values()))
    others = []
    for c in found:
        if c is best:
            continue
        if note and c is aside:
            others.append((c, f"left aside for {best.rel} ({why})"))
        else:
            others.append((c, f"superseded by {best.rel}"))
    return best, others, note


def _require(found: Found) -> Found:
    if any(s.files for s in found.students):
        return found
    seen = "".join(f"\n  {u}" for u in found.unmatched[:10])
    more = f"\n  ... and {len(found.unmatched) - 10} more" if len(found.unmatched) > 10 else ""
    raise NoSubmissions(f"no submission found in {found.origin}: no file there could be matched to "
                        f"a student and a chapter. Expected {LAYOUTS}."
                        + (f"\nFound instead:{seen}{more}" if seen else " The folder is empty."))


def find_submissions(folder: Path) -> Found:
    """The students of a submissions folder with their chapter files, and what was not matched.

    Raises:
        NoSubmissions: nothing in ``folder`` could be matched (the message names the layouts).
        FileNotFoundError: ``folder`` is not a folder.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise FileNotFoundError(f"{folder} is not a folder of submissions (nor a zip of one)")
    return _require(_scan(folder, folder))


@contextmanager
def open_submissions(path: Path) -> Iterator[Found]:
    """:func:`find_submissions` on a folder, or on a zip extracted (safely) into a temporary folder
    that is deleted when the ``with`` block ends."""
    path = Path(path)
    if path.is_dir():
        yield find_submissions(path)
        return
    if not path.is_file() or not zipfile.is_zipfile(path):
        raise FileNotFoundError(f"{path} is not a folder of submissions (nor a zip of one)")
    tmp = Path(tempfile.mkdtemp(prefix="autograder-submissions-"))
    try:
        refused = extract_zip(path, tmp)
        yield _require(_scan(tmp, path, refused))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


# --- zips ----------------------------------------------------------------------------------------

def _member_name(info: zipfile.ZipInfo) -> str:
    name = info.filename
    if not info.flag_bits & 0x800:  # not flagged UTF-8: zipfile read it as cp437; most tools wrote UTF-8
        try:
            name = name.encode("cp437").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            pass
    return name.replace("\\", "/")


def _safe_parts(name: str) -> tuple[str, ...] | None:
    """The member's path as parts, or None when it could land outside the extraction folder."""
    if name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        return None
    parts = tuple(p for p in PurePosixPath(name).parts if p not in ("", "."))
    if not parts or ".." in parts or any("\0" in p for p in parts):
        return None
    return parts


def extract_zip(archive: Path, dest: Path, max_bytes: int = MAX_UNZIPPED_BYTES,
                max_members: int = MAX_ZIP_MEMBERS) -> list[Unmatched]:
    """Extract ``archive`` into the empty folder ``dest``: regular files and folders only, never
    outside ``dest``, at most ``max_bytes`` written (counted as written, whatever the zip claims) and
    ``max_members`` members. Returns the members not extracted, with the reason.

    Raises:
        ValueError: the zip is larger than the limits, or unreadable.
    """
    refused: list[Unmatched] = []
    written = 0
    dest = dest.resolve()
    try:
        zf = zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, OSError) as exc:
        raise ValueError(f"{archive}: not a readable zip file ({exc})") from None
    with zf:
        members = zf.infolist()
        if len(members) > max_members:
            raise ValueError(f"{archive} has {len(members)} members, more than the {max_members} "
                             "allowed: extract it yourself and pass the folder")
        for info in members:
            name = _member_name(info)
            parts = _safe_parts(name)
            if parts is None:
                refused.append(Unmatched(name, "a path outside the zip's folder, not extracted"))
                continue
            if parts[0] in JUNK or any(p.startswith(".") for p in parts):
                continue
            mode = info.external_attr >> 16
            if stat.S_ISLNK(mode):
                refused.append(Unmatched(name, "a symbolic link, not extracted"))
                continue
            target = dest.joinpath(*parts)
            if info.is_dir():
                target.mkdir(parents=True, exist_ok=True)
                continue
            if info.flag_bits & 0x1:
                refused.append(Unmatched(name, "encrypted, not extracted"))
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            if target.parent.resolve() != target.parent or not str(target).startswith(str(dest)):
                refused.append(Unmatched(name, "a path outside the zip's folder, not extracted"))
                continue
            try:
                with zf.open(info) as src, open(target, "xb") as dst:
                    while chunk := src.read(1 << 20):
                        written += len(chunk)
                        if written > max_bytes:
                            raise ValueError(f"{archive} holds more than {max_bytes >> 20} MB once "
                                             "extracted: extract it yourself and pass the folder")
                        dst.write(chunk)
            except FileExistsError:
                refused.append(Unmatched(name, "the same path twice in the zip, the first kept"))
            except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError) as exc:
                refused.append(Unmatched(name, f"could not be extracted ({exc})"))
    return refused
