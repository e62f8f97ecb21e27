"""Per-student variants of the hidden cases, from a course secret."""
import json

import numpy as np
import pytest

from autograder import spec, wire
from autograder.grading import make_plan, reference_outcomes, score
from autograder.runner import run_tasks
from autograder.variants import read_secret, variant_seed
from helpers import INDEPENDENT, REPO, run_cli

SECRET = b"0123456789abcdef-course-secret"
CH2 = "ch02_linear_regression"


def shapes(value):
    """The structure of plain data: types, keys, array shapes and dtypes (not the values)."""
    if isinstance(value, dict):
        return {k: shapes(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [shapes(v) for v in value]
    if isinstance(value, np.ndarray):
        return ("array", value.shape, value.dtype.str)
    return type(value).__name__


def test_seeds_are_per_student_and_case_and_need_a_real_secret(tmp_path):
    seeds = {variant_seed(SECRET, s, c) for s in ("alice", "bob") for c in ("a.b.c", "a.b.d")}
    assert len(seeds) == 4 and all(0 <= s < 2**63 for s in seeds)
    assert variant_seed(SECRET, "alice", "a.b.c") == variant_seed(SECRET, "alice", "a.b.c")
    assert variant_seed(SECRET + b"!", "alice", "a.b.c") != variant_seed(SECRET, "alice", "a.b.c")
    (tmp_path / "short").write_text("abc\n")
    with pytest.raises(ValueError, match="at least 16"):
        read_secret(tmp_path / "short")
    with pytest.raises(FileNotFoundError):
        read_secret(tmp_path / "missing")
    (tmp_path / "ok").write_bytes(SECRET + b"\n")
    assert read_secret(tmp_path / "ok") == SECRET


@pytest.mark.parametrize("chapter", spec.graded_chapters())
def test_variants_keep_sizes_and_structure_and_only_vary_what_can(chapter):
    plain = make_plan([chapter])
    cases = {f"{chapter}.{e}.{c.name}": c for e, cs in spec.hidden_cases(chapter).items() for c in cs}
    for student in ("alice", "bob"):
        varied = make_plan([chapter], variant=(SECRET, student))
        for a, b in zip(plain.tasks, varied.tasks):
            assert (a.id, a.seed, a.timeout) == (b.id, b.seed, b.timeout)
            assert a.variant is None
            if cases[a.id].vary is None:
                assert b.variant is None and wire.encode(b.inputs) == wire.encode(a.inputs)
            else:
                assert b.variant == variant_seed(SECRET, student, a.id)
                assert shapes(b.inputs) == shapes(a.inputs), a.id
                assert wire.encode(b.inputs) != wire.encode(a.inputs), a.id
    public = make_plan([chapter], public=True)
    assert all(t.variant is None for t in public.tasks)


def test_the_answer_key_and_an_independent_implementation_pass_every_variant():
    """One student's variants of every hidden case of every chapter: the answer key computes them
    without failing, and the independent implementations earn full marks on them."""
    chapters = spec.graded_chapters()
    plan = make_plan(chapters, variant=(SECRET, "variant-student"))
    assert sum(t.variant is not None for t in plan.tasks) > len(plan.tasks) // 3
    expected = reference_outcomes(plan)
    got = run_tasks({c: INDEPENDENT / f"{c}.py" for c in chapters}, plan.runnable,
                    preload=tuple(chapters))
    failed = [(t["name"], t["output"][:300]) for t in score(plan, got, expected)
              if t["status"] != "passed"]
    assert not failed


def test_grading_with_a_secret_end_to_end(tmp_path):
    subs = tmp_path / "subs"
    for student, folder in (("alice", "solutions"), ("bob", "solutions"), ("stubs", "exercises")):
        (subs / student).mkdir(parents=True)
        (subs / student / f"{CH2}.py").write_bytes((REPO / folder / f"{CH2}.py").read_bytes())
    (tmp_path / "secret").write_bytes(SECRET)
    common = ["--chapters", "ch02", "--workers", "1", "--cache", tmp_path / "cache"]

    def grade(out, *extra):
        proc = run_cli("grade", subs, "--out", out, *common, *extra)
        assert proc.returncode == 0, proc.stderr
        docs = {s: json.loads((out / s / "results.json").read_text()) for s in ("alice", "bob", "stubs")}
        for doc in docs.values():
            doc.pop("execution_time")
        return docs

    plain = grade(tmp_path / "plain")
    assert not any("variant" in t["extra_data"] for d in plain.values() for t in d["tests"])
    docs = grade(tmp_path / "secret-out", "--secret", tmp_path / "secret")
    assert docs["alice"]["score"] == docs["bob"]["score"] == docs["alice"]["max_score"] > 0
    assert docs["stubs"]["score"] == 0
    seeds = {s: {t["name"]: t["extra_data"].get("variant") for t in docs[s]["tests"]} for s in docs}
    varying = [name for name, seed in seeds["alice"].items() if seed is not None]
    assert varying and all(seeds["alice"][n] != seeds["bob"][n] for n in varying)
    assert all(seeds["alice"][n] == variant_seed(SECRET, "alice", n) for n in varying)
    assert SECRET.decode() not in (tmp_path / "secret-out" / "alice" / "results.json").read_text()
    assert grade(tmp_path / "secret-out", "--secret", tmp_path / "secret", "--force") == docs
