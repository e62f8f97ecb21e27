"""Chapter 5's mutation table: each plausible bug loses exactly its cases (see tests/mutants.py)."""
from mutants import Mutant, MutantTable

CHAPTER = "ch05_mlp_backprop"

TABLE = MutantTable(CHAPTER, {
    "var_overwrites_instead_of_accumulating": Mutant(
        "Var", "parent.grad += local * node.grad\n", "parent.grad = local * node.grad\n",
        {"eq_5_25_nodes", "eq_5_26", "reflected_operators", "two_inputs", "three_inputs", "reused_inputs",
         "diamonds_linear_time"}),
    "var_propagates_path_by_path": Mutant(
        "Var", "        order, visited, stack = [], set(), [(self, False)]",
        "        def push(node, g):\n"
        "            node.grad += g\n"
        "            for parent, local in node.parents:\n"
        "                push(parent, local * g)\n"
        "        return push(self, 1.0)\n"
        "        order, visited, stack = [], set(), [(self, False)]",
        {"diamonds_linear_time", "long_chain_no_recursion_limit"}),
    "relu_derivative_one_at_zero": Mutant(
        "mlp_backward", "return (z > 0).astype(float)", "return (z >= 0).astype(float)",
        {"relu_gradient_at_zero_is_zero"}),
    "forward_differences": Mutant(
        "numerical_gradient", "grad[i] = (f(theta + step) - f(theta - step)) / (2.0 * h)",
        "grad[i] = (f(theta + step) - f(theta)) / h",
        {"smooth", "mlp_loss_21_params", "matrix_theta", "step_1e-4", "one_parameter"}),
    "reverse_jacobian_by_forward_mode": Mutant(
        "jacobian_reverse", "    x = [float(v) for v in x]\n    rows = []",
        "    return jacobian_forward(f, x)\n    rows = []",
        {"chain_3_layers", "mlp", "n2_m6", "scalar_output", "mixed"}),
    "no_reflected_division": Mutant(
        "Dual", "        return Dual(other) / self", "        return NotImplemented",
        {"reflected_operators"}),
    "notes_cost_drops_last_product": Mutant(
        "chain_cost", "return dims[0] * sum(pairs[1:])", "return dims[0] * sum(pairs[1:-1])",
        {"forward_two_layers", "forward_mlp", "forward_scalar_loss", "forward_scalar_input"}),
})
test_mutant_loses_exactly_its_cases, _ = TABLE.tests()  # coverage: being completed
