"""Grading a class in shards (one job per machine) and building the gradebook from their results."""
import json
import shutil

from autograder.grading import in_shard
from helpers import INDEPENDENT, REPO, run_cli

CH1 = "ch01_data"
STUDENTS = {f"student{i:02d}": (REPO / "solutions" / f"{CH1}.py") for i in range(4)}
STUDENTS |= {"stubs": REPO / "exercises" / f"{CH1}.py", "independent": INDEPENDENT / f"{CH1}.py",
             "Zoë O'Neil": REPO / "solutions" / f"{CH1}.py"}


def without_timing(path):
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc.pop("execution_time")
    return doc


def test_each_student_is_in_exactly_one_shard_by_their_id_alone():
    ids = [f"s{i}" for i in range(200)]
    for n in (1, 3, 8):
        parts = [[s for s in ids if in_shard(s, (k, n))] for k in range(1, n + 1)]
        assert sorted(sum(parts, [])) == sorted(ids)
        if n > 1:
            assert all(len(p) > 200 / n / 3 for p in parts)  # spread, not all in one
    assert [in_shard(s, (2, 3)) for s in ids] == [in_shard(s, (2, 3)) for s in reversed(ids)][::-1]


def test_three_shards_and_gradebook_equal_one_run(tmp_path):
    subs = tmp_path / "subs"
    for student, source in STUDENTS.items():
        (subs / student).mkdir(parents=True)
        (subs / student / f"{CH1}.py").write_bytes(source.read_bytes())
    common = ["--chapters", "ch01", "--workers", "1", "--cache", tmp_path / "cache"]
    single = tmp_path / "single"
    proc = run_cli("grade", subs, "--out", single, *common)
    assert proc.returncode == 0, proc.stderr
    shared, apart = tmp_path / "shared", tmp_path / "apart"
    for k in (1, 2, 3):  # one shared folder (as on a cluster's shared file system)
        proc = run_cli("grade", subs, "--out", shared, "--shard", f"{k}/3", *common)
        assert proc.returncode == 0, proc.stderr
        assert f"shard {k}/3" in proc.stdout and not (shared / "grades.csv").exists()
        graded = {s for s in STUDENTS if (shared / s / "results.json").exists()}
        assert graded == {s for s in STUDENTS if any(in_shard(s, (j, 3)) for j in range(1, k + 1))}
        for student in STUDENTS:  # or a folder each, copied back from the machines
            if in_shard(student, (k, 3)):
                shutil.copytree(shared / student, apart / f"shard{k}" / student)
    assert all((apart / f"shard{k}").is_dir() for k in (1, 2, 3))  # no shard empty here

    proc = run_cli("gradebook", shared)
    assert proc.returncode == 0, proc.stderr
    assert (shared / "grades.csv").read_bytes() == (single / "grades.csv").read_bytes()
    proc = run_cli("gradebook", *(apart / f"shard{k}" for k in (1, 2, 3)), "--csv", tmp_path / "g.csv")
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "g.csv").read_bytes() == (single / "grades.csv").read_bytes()
    assert "Ada" not in proc.stdout and "independent" in proc.stdout  # the gradebook table
    for student in STUDENTS:
        expected = without_timing(single / student / "results.json")
        assert without_timing(shared / student / "results.json") == expected


def test_gradebook_refuses_what_it_cannot_use(tmp_path):
    proc = run_cli("gradebook", tmp_path / "nowhere")
    assert proc.returncode == 2 and "not a results folder" in proc.stderr
    proc = run_cli("gradebook", tmp_path)
    assert proc.returncode == 2 and "no <student>/results.json" in proc.stderr
    for name, score in (("a", 1), ("b", 2)):
        (tmp_path / name / "s").mkdir(parents=True)
        (tmp_path / name / "s" / "results.json").write_text(json.dumps({"score": score, "tests": []}))
    proc = run_cli("gradebook", tmp_path / "a", tmp_path / "b")
    assert proc.returncode == 2 and "different results" in proc.stderr
    proc = run_cli("grade", tmp_path, "--out", tmp_path / "o", "--shard", "4/3")
    assert proc.returncode == 2 and "1 <= K <= N" in proc.stderr
