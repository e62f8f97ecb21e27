"""exercises/ and the public expected outputs stay in sync; the student bundle; the demo."""
import os
import subprocess
import sys
import textwrap

import pytest

from autograder import sync
from autograder.grading import make_plan, reference_outcomes
from autograder.spec import graded_chapters
from autograder.verdicts import judge
from helpers import REPO, assert_usual_demo, run_cli


def test_exercises_and_the_readme_points_are_generated():
    assert sync.stale_files() == [], "run `autograder sync` and commit exercises/ and README.md"
    assert run_cli("sync", "--check").returncode == 0


def test_points_are_explicit_and_shown_in_one_table():
    """Every exercise declares its points; the README's table and `autograder points` show them."""
    from autograder.points import summary_table, weights
    table = weights(graded_chapters())
    assert all(p > 0 for ex in table.values() for p in ex.values())
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert summary_table(graded_chapters()) in readme
    proc = run_cli("points", "--chapters", "ch02")
    assert proc.returncode == 0, proc.stderr
    mse = next(line for line in proc.stdout.splitlines() if line.split()[:1] == ["mse"])
    n_cases = sum(t.exercise == "mse" for t in make_plan(["ch02_linear_regression"]).tasks)
    assert mse.split()[1] == f"{table['ch02_linear_regression']['mse']:g}"
    assert mse.endswith(f"over {n_cases} hidden cases")


def test_an_exercise_weighs_its_points_whatever_its_number_of_cases(monkeypatch):
    from autograder import spec
    from autograder.results import fmt_points
    exercises = {"a": spec.Exercise("a", points=10), "b": spec.Exercise("b", points=2)}
    monkeypatch.setattr(spec, "load_exercises", lambda chapter: exercises)
    for n in (1, 3, 7):
        monkeypatch.setattr(spec, "hidden_cases", lambda chapter: {
            "a": [spec.Case(f"c{i}", {}) for i in range(n)], "b": [spec.Case("only", {})]})
        plan = make_plan(["chX"])
        by_exercise = {}
        for t in plan.tasks:
            by_exercise[t.exercise] = by_exercise.get(t.exercise, 0) + plan.points[t.id]
        assert {k: round(v, 6) for k, v in by_exercise.items()} == {"a": 10, "b": 2}
        assert fmt_points(sum(plan.points.values())) == "12"  # as the gradebook shows it
    assert spec.case_points(10, 3) == [3.3334, 3.3333, 3.3333]
    with pytest.raises(TypeError):
        spec.Exercise("c")  # points are required


@pytest.mark.parametrize("chapter", graded_chapters())
def test_public_expected_outputs_are_current(chapter):
    """The stored outputs are what the answer key gives now (within each check's tolerance)."""
    stored = sync.load_public_expected(chapter)
    plan = make_plan([chapter], public=True)
    assert sorted(stored) == sorted(t.id for t in plan.tasks), "run `autograder sync`"
    fresh = reference_outcomes(plan)
    for task in plan.tasks:
        verdict = judge(plan.exercises[task.id], fresh[task.id], stored[task.id], task.inputs)
        assert verdict.passed, (task.id, verdict.message)


def test_every_exercise_has_hidden_and_public_cases():
    for chapter in graded_chapters():
        hidden, public = make_plan([chapter]), make_plan([chapter], public=True)
        from autograder.spec import load_exercises
        for name in load_exercises(chapter):
            assert any(t.exercise == name for t in hidden.tasks), (chapter, name)
            assert any(t.exercise == name for t in public.tasks), (chapter, name)


def test_stub_generation_names_the_enclosing_function_and_keeps_the_rest():
    source = textwrap.dedent('''\
        """Doc."""
        import numpy as np


        def f(x):
            """Say what f does."""
            # BEGIN SOLUTION
            return 2 * x
            # END SOLUTION


        class Dual:
            def __add__(self, other):
                # BEGIN SOLUTION
                return other
                # END SOLUTION
        ''')
    stub = sync.stub_source(source, "chX")
    assert 'raise NotImplementedError("chX.f: not implemented yet")' in stub
    assert '        raise NotImplementedError("chX.Dual.__add__: not implemented yet")' in stub
    assert "2 * x" not in stub and '"""Say what f does."""' in stub
    compile(stub, "stub", "exec")
    assert "2 * x" in sync.stub_source(source, "chX", keep={"f"})


@pytest.mark.parametrize("bad", ["    # BEGIN SOLUTION\n", "    # END SOLUTION\n",
                                 "    # BEGIN SOLUTION\n    # BEGIN SOLUTION\n"])
def test_unpaired_markers_are_errors(bad):
    with pytest.raises(sync.SyncError):
        sync.solution_regions("def f():\n" + bad + "    pass\n")


def test_release_bundle_has_no_answers_and_its_checks_work(tmp_path):
    out = tmp_path / "bundle"
    proc = run_cli("release", "--out", out)
    assert proc.returncode == 0, proc.stderr
    files = [p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()]
    assert not [f for f in files if f.startswith(("solutions", "tests", "autograder/hidden"))]
    assert "autograder/demo.py" not in files
    assert f"autograder/public/{graded_chapters()[0]}.json" in files
    assert f"exercises/{graded_chapters()[0]}.ipynb" in files  # the exercise notebooks
    assert {f.split("/")[0] for f in files} == {"course", "exercises", "autograder", "README.md",
                                                 "setup.cfg", "pyproject.toml"}
    for chapter in sync.solution_chapters():
        source = (REPO / "solutions" / f"{chapter}.py").read_text(encoding="utf-8")
        lines = source.splitlines()
        answer = {line.strip() for begin, end, _ in sync.solution_regions(source)
                  for line in lines[begin + 1:end] if len(line.strip()) >= 25}
        stub = (out / "exercises" / f"{chapter}.py").read_text(encoding="utf-8")
        assert not answer & {line.strip() for line in stub.splitlines()}
    # The bundle's check works where the answer key cannot be imported at all.
    blocker = tmp_path / "blocker"
    blocker.mkdir()
    (blocker / "sitecustomize.py").write_text(textwrap.dedent('''\
        import sys
        class Block:
            def find_spec(self, name, path=None, target=None):
                if name.split(".")[0] == "solutions" or name.startswith("autograder.hidden"):
                    raise ImportError("blocked: " + name)
        sys.meta_path.insert(0, Block())
        '''))
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(blocker), str(out)]))
    proc = subprocess.run([sys.executable, "-m", "autograder", "check", "ch02"], cwd=out, env=env,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 1 and "public checks pass" in proc.stdout, proc.stderr
    assert str(out) in subprocess.run(
        [sys.executable, "-c", "import autograder; print(autograder.__file__)"], cwd=out, env=env,
        capture_output=True, text=True).stdout
    assert "## Points" in (out / "README.md").read_text(encoding="utf-8")
    points = subprocess.run([sys.executable, "-m", "autograder", "points"], cwd=out, env=env,
                            capture_output=True, text=True, timeout=300)
    assert points.returncode == 0 and "total:" in points.stdout and "hidden" not in points.stdout
    assert run_cli("release", "--out", out).returncode == 2  # never overwrites
    grade = subprocess.run([sys.executable, "-m", "autograder", "grade", out, "--out", out / "g"],
                           cwd=out, env=env, capture_output=True, text=True, timeout=300)
    assert grade.returncode == 2 and "needs the instructor's copy" in grade.stderr, grade.stderr
    assert "Traceback" not in grade.stderr


def test_demo_grades_the_sample_class(tmp_path):
    proc = run_cli("demo", "--out", tmp_path, "--chapters", "ch02,ch03")  # where its bugs are
    assert_usual_demo(proc, tmp_path)
