"""Class exports as they come: student folders, zips, Canvas, Moodle and Blackboard exports, notebooks;
what cannot be matched is listed, and a path with no submission is an error (docs/architecture.md)."""
import csv
import io
import json
import stat
import zipfile
from pathlib import Path

import pytest

from autograder.submissions import (NoSubmissions, extract_zip, find_submissions, match_original,
                                    open_submissions, safe_id)
from helpers import run_cli

CH1, CH2, CH3 = "ch01_data", "ch02_linear_regression", "ch03_nonlinear_models"


def write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def make_zip(path: Path, files: dict[str, str]) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        for rel, text in files.items():
            zf.writestr(rel, text)
    return path


def summary(found):
    """student -> {chapter: file name}"""
    return {s.id: {c: p.name for c, p in s.files.items()} for s in found.students}


def unmatched(found):
    return {u.path: (u.student, u.reason) for u in found.unmatched}


def test_original_names_match_chapters():
    assert match_original(f"{CH2}.py").chapter == CH2
    assert match_original("CH02.PY").chapter == CH2
    assert match_original("appendix_a.py").chapter == "appendix_a_linear_algebra"
    got = match_original(f"{CH2}-3.ipynb")
    assert (got.chapter, got.version, got.ext) == (CH2, 3, ".ipynb")
    assert match_original(f"{CH2} (2).py").version == 2
    for name in ("ch02_notes.py", "ch99.py", f"{CH2}.txt", f"old_{CH2}.py", "ch02_linear_regression.py.bak"):
        assert match_original(name) is None, name


def test_student_ids_are_safe_folder_names():
    assert safe_id("Dan \"loops\" Ng") == "Dan \"loops\" Ng"
    assert safe_id("../../etc") == "_.._etc"
    assert safe_id("a/b\\c\x00d\ne") == "a_b_c_d_e"
    assert safe_id("...") == safe_id("") == "student"
    assert len(safe_id("x" * 500)) == 100
    assert safe_id("Cle\u0301o") == "Cléo"  # one spelling (NFC) for the same name


def test_student_folders_as_ever_with_extra_files_listed(tmp_path):
    found = find_submissions(write(tmp_path, {
        f"Ada Lovelace/{CH2}.py": "a", f"Ada Lovelace/{CH3}.py": "a", "Ada Lovelace/notes.txt": "",
        f"Eve d'Arc/work/{CH2}.py": "e",                     # in a subfolder: found
        f"Eve d'Arc/{CH2}.py": "e2",                          # ... but the one on top is taken
        "Empty/.keep": "", ".hidden/x.py": "", "Ben/__pycache__/x.pyc": "", "Ben/CH03.py": "b",
        "README.md": "the instructor's own notes"}))
    assert summary(found) == {"Ada Lovelace": {CH2: f"{CH2}.py", CH3: f"{CH3}.py"},
                              "Ben": {CH3: "CH03.py"}, "Empty": {},
                              "Eve d'Arc": {CH2: f"{CH2}.py"}}
    assert (found.students[-1].files[CH2]).read_text() == "e2"
    assert unmatched(found) == {
        "Ada Lovelace/notes.txt": ("Ada Lovelace", "no chapter file name"),
        f"Eve d'Arc/work/{CH2}.py": ("Eve d'Arc", f"superseded by Eve d'Arc/{CH2}.py"),
        "README.md": (None, "neither a student folder nor a file named <student>_..._<chapter file>")}
    assert found.layouts == ["student folders"] and found.skipped == 3  # .keep, .hidden, __pycache__
    lines = found.summary([CH2, CH3])
    assert "found 4 students" in lines[0] and "3 files not matched" in lines[1]
    assert any("notes.txt" in line for line in lines)


CANVAS = {
    f"smithjane_12345_67890_{CH2}.py": "jane ch02 first",
    f"smithjane_12345_67890_{CH2}-1.py": "jane ch02 resubmitted",
    f"smithjane_12345_67890_{CH2}-2.py": "jane ch02 latest",
    f"smithjane_12345_67890_{CH3}.py": "jane ch03",
    f"doejohn_LATE_22222_33333_{CH2}.py": "john ch02 late",
    "doejohn_LATE_22222_33333_homework.pdf": "%PDF",
    f"leeann_44444_55555_{CH2}.ipynb": json.dumps({"cells": []}),
}


def test_canvas_flat_export_with_late_marker_and_resubmissions(tmp_path):
    found = find_submissions(write(tmp_path, CANVAS))
    assert summary(found) == {"doejohn": {CH2: f"doejohn_LATE_22222_33333_{CH2}.py"},
                              "leeann": {CH2: f"leeann_44444_55555_{CH2}.ipynb"},
                              "smithjane": {CH2: f"smithjane_12345_67890_{CH2}-2.py",
                                            CH3: f"smithjane_12345_67890_{CH3}.py"}}
    late = {s.id: s.late for s in found.students}
    assert late == {"doejohn": True, "leeann": False, "smithjane": False}
    assert unmatched(found) == {
        "doejohn_LATE_22222_33333_homework.pdf":
            ("doejohn", "original name 'homework.pdf' is no chapter file (.py, .ipynb)"),
        f"smithjane_12345_67890_{CH2}-1.py": ("smithjane", f"superseded by smithjane_12345_67890_{CH2}-2.py"),
        f"smithjane_12345_67890_{CH2}.py": ("smithjane", f"superseded by smithjane_12345_67890_{CH2}-2.py")}
    assert found.layouts == ["Canvas"]
    leeann = next(s for s in found.students if s.id == "leeann")
    assert list(leeann.graded_files([CH2])) == list(leeann.notebooks([CH2])) == [CH2]
    assert "1 of them notebooks" in found.summary([CH2])[0]


def test_moodle_folders_and_two_students_of_the_same_name(tmp_path):
    found = find_submissions(write(tmp_path, {
        f"Jane Smith_12345_assignsubmission_file_/{CH2}.py": "jane",
        "Jane Smith_12345_assignsubmission_onlinetext_/onlinetext.html": "<p>hi</p>",
        f"Jane Smith_777_assignsubmission_file_/{CH2}.py": "the other jane",
        "Bob Lee_55_assignsubmission_file_/hw/ch02.py": "bob",
        f"Ana Ruiz_66_assignsubmission_file_{CH3}.py": "flat moodle",
    }))
    assert summary(found) == {"Ana Ruiz": {CH3: f"Ana Ruiz_66_assignsubmission_file_{CH3}.py"},
                              "Bob Lee": {CH2: "ch02.py"},
                              "Jane Smith_12345": {CH2: f"{CH2}.py"},
                              "Jane Smith_777": {CH2: f"{CH2}.py"}}
    assert unmatched(found) == {"Jane Smith_12345_assignsubmission_onlinetext_/onlinetext.html":
                                ("Jane Smith_12345", "no chapter file name")}
    assert found.layouts == ["Moodle"]


def test_blackboard_export_takes_the_latest_attempt(tmp_path):
    found = find_submissions(write(tmp_path, {
        f"HW 2_jsmith_attempt_2024-03-01-10-00-00_{CH2}.py": "first",
        f"HW 2_jsmith_attempt_2024-03-02-09-00-00_{CH2}.py": "second",
        "HW 2_jsmith_attempt_2024-03-02-09-00-00.txt": "Name: J Smith",
    }))
    assert [s.id for s in found.students] == ["jsmith"]
    assert found.students[0].files[CH2].read_text() == "second"
    assert unmatched(found)["HW 2_jsmith_attempt_2024-03-02-09-00-00.txt"][1].startswith("Blackboard")


def test_zips_flat_and_with_a_top_folder_are_extracted_then_removed(tmp_path):
    flat = make_zip(tmp_path / "canvas.zip", CANVAS)
    with open_submissions(flat) as found:
        assert set(summary(found)) == {"doejohn", "leeann", "smithjane"}
        root = found.root
        assert found.students[-1].files[CH2].read_text() == "jane ch02 latest"
    assert not root.exists()
    nested = make_zip(tmp_path / "class.zip", {f"class2024/section A/Ada/{CH2}.py": "ada",
                                               f"class2024/section A/Ben/{CH3}.py": "ben",
                                               "__MACOSX/class2024/._Ada": "junk"})
    with open_submissions(nested) as found:
        assert summary(found) == {"Ada": {CH2: f"{CH2}.py"}, "Ben": {CH3: f"{CH3}.py"}}
        assert found.unmatched == []
    one_student = make_zip(tmp_path / "one.zip", {f"Ada/{CH2}.py": "ada"})  # a class of one
    with open_submissions(one_student) as found:
        assert summary(found) == {"Ada": {CH2: f"{CH2}.py"}}


def test_zip_extraction_refuses_traversal_links_and_bombs(tmp_path):
    archive = tmp_path / "evil.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr(f"Ada/{CH2}.py", "ada")
        zf.writestr("../escaped.py", "x")
        zf.writestr("/abs/escaped.py", "x")
        zf.writestr("Ben/..\\..\\escaped2.py", "x")
        link = zipfile.ZipInfo(f"Ben/{CH3}.py")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        zf.writestr(link, "/etc/passwd")
    with open_submissions(archive) as found:
        assert summary(found) == {"Ada": {CH2: f"{CH2}.py"}}
        reasons = unmatched(found)
        assert reasons[f"Ben/{CH3}.py"][1] == "a symbolic link, not extracted"
        assert {p for p, (_, r) in reasons.items() if "outside" in r} == {
            "../escaped.py", "/abs/escaped.py", "Ben/../../escaped2.py"}
        assert not any(p.is_symlink() for p in found.root.rglob("*"))
    assert not list(tmp_path.parent.rglob("escaped*.py")) and not Path("/abs").exists()
    bomb = make_zip(tmp_path / "bomb.zip", {f"Ada/{CH2}.py": "x" * 3_000_000})
    dest = tmp_path / "dest"
    dest.mkdir()
    with pytest.raises(ValueError, match="more than 1 MB"):
        extract_zip(bomb, dest, max_bytes=1 << 20)


def test_no_submission_is_an_error_that_names_the_layouts(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(NoSubmissions, match="The folder is empty"):
        find_submissions(empty)
    garbage = write(tmp_path / "garbage", {"report.pdf": "", "data/x.csv": "", "notes_ch02.txt": ""})
    with pytest.raises(NoSubmissions) as err:
        find_submissions(garbage)
    assert "Canvas" in str(err.value) and "Moodle" in str(err.value) and "report.pdf" in str(err.value)
    with pytest.raises(FileNotFoundError, match="not a folder"):
        with open_submissions(garbage / "report.pdf"):
            pass


def test_cli_refuses_a_path_without_submissions(tmp_path):
    garbage = write(tmp_path / "garbage", {"report.pdf": "", "data/x.csv": ""})
    for command in ("grade", "similarity"):
        proc = run_cli(command, garbage, "--out", tmp_path / "out", "--chapters", "ch01", timeout=120)
        assert proc.returncode == 2, proc.stderr
        assert "no submission found" in proc.stderr and "student folders" in proc.stderr
    flat = write(tmp_path / "flat", {f"{CH2}.py": "print()"})  # the case: no student at all
    proc = run_cli("grade", flat, "--out", tmp_path / "out", "--chapters", "ch02", timeout=120)
    assert proc.returncode == 2 and "outside any student folder" in proc.stderr


def _demo_layouts(tmp_path):
    """The demo class on chapter 1 as plain folders, a Canvas zip and a Moodle folder tree."""
    from autograder.demo import build_class
    plain = build_class(tmp_path / "plain", [CH1])
    canvas, moodle = {}, tmp_path / "moodle"
    for n, folder in enumerate(sorted(plain.iterdir())):
        key = "".join(ch for ch in folder.name.lower() if ch.isalpha())
        for f in folder.iterdir():
            late = "_LATE" if n == 1 else ""
            canvas[f"{key}{late}_{1000 + n}_{2000 + n}_{f.name}"] = f.read_text(encoding="utf-8")
            target = moodle / f"{folder.name}_{300 + n}_assignsubmission_file_" / f.name
            target.parent.mkdir(parents=True)
            target.write_text(f.read_text(encoding="utf-8"), encoding="utf-8")
    canvas["doejohn_3000_4000_notes.txt"] = "not code"
    return plain, make_zip(tmp_path / "canvas.zip", canvas), moodle


def test_canvas_and_moodle_exports_of_the_demo_class_find_the_same_files(tmp_path):
    plain, canvas, moodle = _demo_layouts(tmp_path)
    expected = [sorted(p.read_text() for p in s.files.values())
                for s in find_submissions(plain).students]
    with open_submissions(canvas) as found:
        assert [sorted(p.read_text() for p in s.files.values()) for s in found.students
                if s.files] == expected
    assert [sorted(p.read_text() for p in s.files.values())
            for s in find_submissions(moodle).students] == expected
    assert [s.id for s in find_submissions(moodle).students] == \
        [s.id for s in find_submissions(plain).students]


def test_canvas_zipped_and_unzipped_and_moodle_exports_grade_to_the_plain_gradebook(tmp_path):
    """The issue's case: flat exports graded through the CLI (one chapter, to stay quick)."""
    plain, canvas, moodle = _demo_layouts(tmp_path)
    unzipped = tmp_path / "canvas-unzipped"
    with zipfile.ZipFile(canvas) as archive:
        archive.extractall(unzipped)
    cache = tmp_path / "cache"
    runs = {}
    for name, path in (("plain", plain), ("canvas", canvas), ("canvas-unzipped", unzipped),
                       ("moodle", moodle)):
        out = tmp_path / f"out-{name}"
        proc = run_cli("grade", path, "--out", out, "--chapters", "ch01", "--timeout", "3",
                       "--unsafe", "--workers", "2", "--cache", cache, timeout=300)
        assert proc.returncode == 0, proc.stderr
        with open(out / "grades.csv", newline="") as fh:
            runs[name] = (list(csv.reader(fh)), proc, out)
    plain_rows = runs["plain"][0]
    assert runs["moodle"][0] == plain_rows  # the same ids: the same gradebook, row for row
    plain_scores = sorted(r[1:] for r in plain_rows[1:])
    for name in ("canvas", "canvas-unzipped"):
        canvas_rows, proc, out = runs[name]
        assert canvas_rows[0] == plain_rows[0]  # the header
        assert sorted(r[1:] for r in canvas_rows[1:] if r[0] != "doejohn") == plain_scores
        assert {r[0] for r in canvas_rows[1:]} == {"adalovelace", "benoduya", "cleomartín",
                                                   "danloopsng", "evedarc", "fayjupyter", "doejohn"}
        assert "doejohn_3000_4000_notes.txt" in proc.stderr and "1 marked late" in proc.stderr
        assert "notes.txt" in (out / "unmatched.txt").read_text()
        assert (out / "adalovelace" / "results.json").is_file()


def test_a_notebook_is_matched_and_graded(tmp_path):
    """(tests/test_notebooks.py grades real notebooks.)"""
    from autograder import grading
    subs = write(tmp_path / "subs", {f"Ada/{CH1}.ipynb": json.dumps({"cells": []})})
    docs = grading.grade_class(subs, tmp_path / "out", grading.Options(chapters=[CH1], unsafe=True),
                               stream=io.StringIO())
    assert docs["Ada"]["score"] == 0  # an empty notebook defines nothing
    assert f"{CH1} (the notebook {CH1}.ipynb)" in docs["Ada"]["output"]
    assert all("defines no" in t["output"] for t in docs["Ada"]["tests"])


def test_of_a_py_and_a_notebook_of_one_attempt_the_one_with_fewer_stubs_is_taken(tmp_path):
    stub = f'raise NotImplementedError("{CH2}.mse: not implemented yet")'
    notebook = json.dumps({"cells": [{"cell_type": "code", "source": "def mse(y, y_hat):\n    return 0"}]})
    found = find_submissions(write(tmp_path, {f"Ada/{CH2}.py": f"def mse(y, y_hat):\n    {stub}\n",
                                              f"Ada/{CH2}.ipynb": notebook,
                                              f"Ben/{CH2}.py": "def mse(y, y_hat):\n    return 0\n",
                                              f"Ben/{CH2}.ipynb": notebook}))
    ada, ben = found.students
    assert ada.files[CH2].suffix == ".ipynb" and "fewer unfilled stubs" in ada.notes[CH2]
    assert ben.files[CH2].suffix == ".ipynb" and "as many" in ben.notes[CH2]
    assert unmatched(found)[f"Ada/{CH2}.py"][1].startswith(f"left aside for Ada/{CH2}.ipynb")
