"""Mutation tables: proof that a chapter's hidden cases discriminate.

A mutant is the answer key with one plausible bug (the notes' erratum, sum for mean, a wrong axis, a
transposed layout, an off-by-one, a sign) written as a text replacement. Graded through the real
engine on its exercise's hidden cases, it must fail exactly the cases listed and pass all others;
and every hidden case must be failed by at least one mutant (a case that no mutant fails proves
nothing and gets a mutant or goes). The correct implementations written differently
(``tests/independent/``) keep full marks in ``test_chapters_graded.py``.

For speed, mutants are graded in batches, one file and one worker each (a worker's start costs more
than most cases, and seconds where the answer key imports Keras): a batch holds at most one mutant
per exercise, and never two where one's exercise uses the other's (through the answer key's calls
or the probe), so that every mutant's cases see its own bug only, as when it is graded alone
(``MUTANTS_ALONE=1`` grades each alone, to tell a batch's doing from a mutant's).

A chapter's table (``tests/test_chNN_mutants.py``)::

    TABLE = MutantTable("ch05_mlp_backprop", {
        "relu_derivative_one_at_zero": Mutant(
            "mlp_backward", "return (z > 0).astype(float)", "return (z >= 0).astype(float)",
            {"relu_gradient_at_zero_is_zero"}),
    })
    test_mutant_loses_exactly_its_cases, test_every_hidden_case_is_caught = TABLE.tests()
"""
from __future__ import annotations

import ast
import dataclasses
import functools
import importlib
import inspect
import os
import re
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

    @functools.cached_property
    def _spans(self) -> dict[str, ast.AST]:
        """The answer key's top-level functions and classes by name."""
        return {node.name: node for node in ast.parse(self._graded[2]).body
                if isinstance(node, (ast.FunctionDef, ast.ClassDef))}

    @functools.cached_property
    def _uses(self) -> dict[str, set[str]]:
        """Top-level name -> the answer key's top-level names it uses, directly or not: those in
        its body and, for an exercise, any its probe (with the spec's functions the probe calls)
        names: ``module.fit_line``, ``"fit_line"``."""
        key = set(self._spans)
        direct = {name: {n.id for n in ast.walk(node) if isinstance(n, ast.Name)} & key
                  for name, node in self._spans.items()}
        spec = importlib.import_module(f"autograder.chapters.{self.chapter}")
        helpers = {node.name: node for node in ast.parse(inspect.getsource(spec)).body
                   if isinstance(node, ast.FunctionDef)}
        for name, exercise in load_exercises(self.chapter).items():
            if exercise.probe is None:
                continue
            words = {str(c.cell_contents) for c in exercise.probe.__closure__ or ()}
            seen, todo = set(), [exercise.probe.__qualname__.split(".")[0]]
            while todo:  # the probe's function and the spec's functions it calls
                node = helpers.get(todo.pop())
                if node is None or node.name in seen:
                    continue
                seen.add(node.name)
                for n in ast.walk(node):
                    if isinstance(n, ast.Name):
                        words.add(n.id)
                        todo.append(n.id)
                    elif isinstance(n, ast.Attribute):
                        words.add(n.attr)
                    elif isinstance(n, ast.Constant) and isinstance(n.value, str):
                        words.add(n.value)
            direct.setdefault(name, set()).update(words & key)
        uses = {}
        for name in direct:
            seen, todo = set(), [name]
            while todo:
                for used in direct.get(todo.pop(), ()):
                    if used not in seen:
                        seen.add(used)
                        todo.append(used)
            uses[name] = seen - {name}
        return uses

    def _touches(self, mutant: Mutant) -> set[str] | None:
        """What a mutant's cases depend on (its exercise, what that uses, what its new text
        names); None when its change lies outside its exercise (then it is graded alone)."""
        source, node = self._graded[2], self._spans.get(mutant.exercise)
        line = source[:source.find(mutant.old)].count("\n") + 1
        if node is None or not node.lineno <= line <= node.end_lineno:
            return None
        return ({mutant.exercise} | self._uses.get(mutant.exercise, set())
                | (set(re.findall(r"\w+", mutant.new)) & set(self._spans)))

    def batches(self) -> list[list[str]]:
        """Mutant names in batches graded together (see the module's docstring)."""
        if os.environ.get("MUTANTS_ALONE"):
            return [[name] for name in sorted(self.mutants)]
        batches: list[tuple[list[str], set[str], set[str]]] = []  # names, exercises, what they touch
        for name in sorted(self.mutants):
            mutant = self.mutants[name]
            touched = self._touches(mutant)
            for names, exercises, used in batches if touched is not None else ():
                if used is not None and mutant.exercise not in used and not touched & exercises:
                    names.append(name)
                    exercises.add(mutant.exercise)
                    used |= touched
                    break
            else:
                batches.append(([name], {mutant.exercise}, touched))
        return [names for names, _, _ in batches]

    def grade(self, folder, names: list[str]) -> dict[str, dict[str, dict]]:
        """Grade the mutants ``names`` together in one file under ``folder``, each on its
        exercise's hidden cases: mutant -> case -> test entry."""
        plan, expected, source = self._graded
        text = source
        for name in names:
            old = self.mutants[name].old
            assert source.count(old) == 1, f"{name}: must occur once in the answer key: {old!r}"
            assert text.count(old) == 1, f"{name}: its text overlaps another mutant's"
            text = text.replace(old, self.mutants[name].new)
        (folder / f"{self.chapter}.py").write_text(text)
        exercises = {self.mutants[name].exercise for name in names}
        sub = dataclasses.replace(plan, tasks=[t for t in plan.tasks if t.exercise in exercises])
        tests = score(sub, run_tasks(chapter_files(folder, sub.chapters), sub.runnable), expected)
        out = {}
        for name in names:
            prefix = f"{self.chapter}.{self.mutants[name].exercise}."
            out[name] = {t["name"][len(prefix):]: t for t in tests if t["name"].startswith(prefix)}
            assert out[name], f"no hidden cases for {self.mutants[name].exercise}"
        return out

    @functools.cached_property
    def graded(self) -> dict[str, dict[str, dict] | Exception]:
        """Mutant name -> case -> test entry, every batch graded once, one per core at a time."""
        self._graded  # the answer key's outcomes first, once
        with tempfile.TemporaryDirectory(prefix="mutants-") as tmp, \
                ThreadPoolExecutor(os.cpu_count() or 1) as pool:
            def one(batch):  # a broken batch fails its own mutants' tests only
                folder = Path(tmp, batch[0])
                folder.mkdir()
                try:
                    return self.grade(folder, batch)
                except Exception as exc:  # noqa: BLE001 - reported by each mutant's test
                    return dict.fromkeys(batch, exc)
            return {name: got for part in pool.map(one, self.batches()) for name, got in part.items()}

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
