"""Mutation tables: proof that a chapter's hidden cases discriminate.

A mutant is the answer key with one plausible bug (the notes' erratum, sum for mean, a wrong axis, a
transposed layout, an off-by-one, a sign) written as a text replacement. Graded through the real
engine on its exercise's hidden cases, it must fail exactly the cases listed and pass all others;
and every hidden case must be failed by at least one mutant (a case that no mutant fails proves
nothing and gets a mutant or goes). The correct implementations written differently
(``tests/independent/``) keep full marks in ``test_chapters_graded.py``.

A chapter's table (``tests/test_chNN_mutants.py``)::

    TABLE = MutantTable("ch05_mlp_backprop", {
        "relu_derivative_one_at_zero": Mutant(
            "mlp_backward", "return (z > 0).astype(float)", "return (z >= 0).astype(float)",
            {"relu_gradient_at_zero_is_zero"}),
    })
    test_mutant_loses_exactly_its_cases, test_every_hidden_case_is_caught = TABLE.tests()
"""
from __future__ import annotations

import dataclasses
import functools
import os
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from autograder.grading import (DEFAULT_TIMEOUT, chapter_files, make_plan, reference_outcomes, score,
                                solutions_dir)
from autograder.runner import run_tasks
from autograder.spec import hidden_cases, load_exercises

# seconds per case on the default time limit: a bug that hangs shows in 3 s (~1000 times the key's
# time); cases with a limit of their own (training a model) keep it
MUTANT_TIMEOUT = 3.0


@dataclass(frozen=True)
class Mutant:
    """The answer key with ``old`` (which occurs exactly once) replaced by ``new``; graded on
    ``exercise``'s hidden cases it must fail exactly ``fails`` (case names)."""
    exercise: str
    old: str
    new: str
    fails: frozenset[str] | set[str]


class MutantTable:
    def __init__(self, chapter: str, mutants: dict[str, Mutant], timeout: float = MUTANT_TIMEOUT):
        self.chapter, self.mutants, self.timeout = chapter, mutants, timeout

    @functools.cached_property
    def _graded(self):
        """The plan for the mutants (hidden cases; those on the default time limit get a short
        one, those with their own keep it), the answer key's outcomes and its source."""
        plan = make_plan([self.chapter])
        expected = reference_outcomes(plan)
        plan = dataclasses.replace(plan, tasks=[
            dataclasses.replace(t, timeout=self.timeout) if t.timeout == DEFAULT_TIMEOUT else t
            for t in plan.tasks])
        return plan, expected, (solutions_dir() / f"{self.chapter}.py").read_text()

    def grade(self, folder, mutant: Mutant) -> dict[str, dict]:
        """Grade ``mutant`` (written under ``folder``) on its exercise's hidden cases: case -> test."""
        plan, expected, source = self._graded
        assert source.count(mutant.old) == 1, f"must occur once in the answer key: {mutant.old!r}"
        (folder / f"{self.chapter}.py").write_text(source.replace(mutant.old, mutant.new))
        sub = dataclasses.replace(plan, tasks=[t for t in plan.tasks if t.exercise == mutant.exercise])
        assert sub.tasks, f"no hidden cases for {mutant.exercise}"
        got = run_tasks(chapter_files(folder, sub.chapters), sub.runnable)
        return {t["name"].split(".")[-1]: t for t in score(sub, got, expected)}

    @functools.cached_property
    def graded(self) -> dict[str, dict[str, dict]]:
        """Mutant name -> case -> test entry, every mutant graded once, one per core at a time."""
        self._graded  # the answer key's outcomes first, once
        with tempfile.TemporaryDirectory(prefix="mutants-") as tmp, \
                ThreadPoolExecutor(os.cpu_count() or 1) as pool:
            def one(name):  # a broken mutant fails its own test only
                folder = Path(tmp, name)
                folder.mkdir()
                try:
                    return name, self.grade(folder, self.mutants[name])
                except Exception as exc:  # noqa: BLE001 - reported by the mutant's test
                    return name, exc
            return dict(pool.map(one, sorted(self.mutants)))

    def uncaught(self) -> dict[str, set[str]]:
        """Exercise -> hidden cases that no mutant of the table is declared to fail."""
        cases = hidden_cases(self.chapter)
        out = {}
        for exercise in load_exercises(self.chapter):
            caught = set().union(*(m.fails for m in self.mutants.values() if m.exercise == exercise))
            missing = {c.name for c in cases.get(exercise, ())} - caught
            if missing:
                out[exercise] = missing
        return out

    def tests(self):
        """The two tests of a table, to assign at a test module's top level."""
        table = self

        @pytest.mark.parametrize("name", sorted(self.mutants))
        def test_mutant_loses_exactly_its_cases(name):
            mutant = table.mutants[name]
            tests = table.graded[name]
            if isinstance(tests, Exception):
                raise tests
            unknown = set(mutant.fails) - set(tests)
            assert not unknown, f"no such hidden cases of {mutant.exercise}: {unknown}"
            failed = {case for case, t in tests.items() if t["status"] != "passed"}
            assert failed == set(mutant.fails), {case: tests[case]["output"][:300]
                                                 for case in failed ^ set(mutant.fails)}

        def test_every_hidden_case_is_caught():
            uncaught = table.uncaught()
            assert uncaught == {}, f"hidden cases no mutant fails: {uncaught}"

        return test_mutant_loses_exactly_its_cases, test_every_hidden_case_is_caught
