"""The chapter-5 hidden cases catch the classic mistakes: copies of the answer key with one bug each
are graded through the real engine (isolated workers) and must lose exactly the points the bug costs."""
import dataclasses

import pytest

from autograder.grading import chapter_files, make_plan, reference_outcomes, score, solutions_dir
from autograder.runner import run_tasks

CHAPTER = "ch05_mlp_backprop"

# name -> (exercise, answer-key text, replacement, cases that must fail (all others must pass))
MUTANTS = {
    "var_overwrites_instead_of_accumulating": (
        "Var", "parent.grad += local * node.grad\n", "parent.grad = local * node.grad\n",
        {"eq_5_25_nodes", "eq_5_26", "reflected_operators", "two_inputs", "three_inputs", "reused_inputs",
         "diamonds_linear_time"}),
    "var_propagates_path_by_path": (
        "Var", "        order, visited, stack = [], set(), [(self, False)]",
        "        def push(node, g):\n"
        "            node.grad += g\n"
        "            for parent, local in node.parents:\n"
        "                push(parent, local * g)\n"
        "        return push(self, 1.0)\n"
        "        order, visited, stack = [], set(), [(self, False)]",
        {"diamonds_linear_time", "long_chain_no_recursion_limit"}),
    "relu_derivative_one_at_zero": (
        "mlp_backward", "return (z > 0).astype(float)", "return (z >= 0).astype(float)",
        {"relu_gradient_at_zero_is_zero"}),
    "forward_differences": (
        "numerical_gradient", "grad[i] = (f(theta + step) - f(theta - step)) / (2.0 * h)",
        "grad[i] = (f(theta + step) - f(theta)) / h",
        {"smooth", "mlp_loss_21_params", "matrix_theta", "step_1e-4", "one_parameter"}),
    "reverse_jacobian_by_forward_mode": (
        "jacobian_reverse", "    x = [float(v) for v in x]\n    rows = []",
        "    return jacobian_forward(f, x)\n    rows = []",
        {"chain_3_layers", "mlp", "n2_m6", "scalar_output", "mixed"}),
    "no_reflected_division": (
        "Dual", "        return Dual(other) / self", "        return NotImplemented",
        {"reflected_operators"}),
    "notes_cost_drops_last_product": (
        "chain_cost", "return dims[0] * sum(pairs[1:])", "return dims[0] * sum(pairs[1:-1])",
        {"forward_two_layers", "forward_mlp", "forward_scalar_loss", "forward_scalar_input"}),
}


@pytest.fixture(scope="module")
def graded():
    plan = make_plan([CHAPTER])
    # a bug that hangs needs no 10 s to show it: 3 s is ~1000 times the answer key's time
    plan = dataclasses.replace(plan, tasks=[dataclasses.replace(t, timeout=min(t.timeout, 3.0))
                                            for t in plan.tasks])
    expected = reference_outcomes(plan)
    source = (solutions_dir() / f"{CHAPTER}.py").read_text()

    def grade(tmp_path, exercise, old, new):
        assert source.count(old) == 1, old
        folder = tmp_path / "student"
        folder.mkdir()
        (folder / f"{CHAPTER}.py").write_text(source.replace(old, new))
        sub = dataclasses.replace(plan, tasks=[t for t in plan.tasks if t.exercise == exercise])
        got = run_tasks(chapter_files(folder, sub.chapters), sub.tasks)
        return {t["name"].split(".")[-1]: t for t in score(sub, got, expected)}
    return grade


@pytest.mark.parametrize("mutant", sorted(MUTANTS))
def test_buggy_answer_key_loses_exactly_the_buggy_cases(graded, tmp_path, mutant):
    exercise, old, new, must_fail = MUTANTS[mutant]
    tests = graded(tmp_path, exercise, old, new)
    failed = {name for name, t in tests.items() if t["status"] != "passed"}
    assert failed == must_fail, {name: tests[name]["output"][:200] for name in failed ^ must_fail}
