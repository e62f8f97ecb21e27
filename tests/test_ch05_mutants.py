"""Chapter 5's mutation table: each plausible bug loses exactly its cases (see tests/mutants.py).

Two cases were tightened so that a real bug cannot pass (see the hidden cases and the chapter spec):
``numerical_gradient.step_1e-3`` is a non-quadratic function (on a quadratic, central differences are
exact for every ``h``, so ignoring ``h`` passed), and the ``reflected_operators`` function of Dual/Var
uses ``(1 - x) * (0.5 + x)`` (in ``(1 - x) * (0.5 - x)`` a sign error in ``__rsub__`` cancels).
"""
from mutants import Mutant, MutantTable

CHAPTER = "ch05_mlp_backprop"

_Z = "z = np.asarray(x, dtype=float) @ np.asarray(W, dtype=float).T + np.asarray(b, dtype=float)"
# __rsub__ of Dual / Var: ``return (-self) + other`` (twice in the key), told apart by the next method
_RSUB = ('        return (-self) + other\n        # END SOLUTION\n\n    def __mul__(self, other):\n'
         '        """``self * other`` (product rule)."""\n        # BEGIN SOLUTION\n        {}')
_RSUB_DUAL, _RSUB_VAR = _RSUB.format("if not isinstance(other, Dual)"), _RSUB.format("other = other if")

TABLE = MutantTable(CHAPTER, {
    # --- dense_forward ---------------------------------------------------------------------------
    "dense_weights_not_transposed": Mutant(
        "dense_forward", _Z, _Z.replace(".T +", " +"),
        {"sigmoid", "tanh", "linear", "relu", "sigmoid_large_inputs"}),
    "dense_bias_forgotten": Mutant(
        "dense_forward", _Z, _Z.split(" + ")[0],
        {"sigmoid", "tanh", "linear", "relu", "sigmoid_large_inputs"}),
    "relu_np_max_reduces_axis_0": Mutant(
        "dense_forward", "return np.maximum(z, 0.0)", "return np.max(z, 0)", {"relu"}),
    "sigmoid_exp_ratio_nan_for_large_z": Mutant(
        "dense_forward", "return 0.5 * (1.0 + np.tanh(0.5 * z))", "return np.exp(z) / (1.0 + np.exp(z))",
        {"sigmoid_large_inputs"}),
    "unknown_activation_treated_as_linear": Mutant(
        "dense_forward",
        '    if activation == "linear":\n        return z\n    raise ValueError(f"unknown activation {activation!r}")',
        "    return z", {"unknown_activation_raises"}),
    # --- mlp_forward -----------------------------------------------------------------------------
    "mlp_weights_in_keras_layout": Mutant(
        "mlp_forward", "h = dense_forward(h, W, b, name)", "h = dense_forward(h, W.T, b, name)",
        {"three_layers", "deep_tanh", "one_layer"}),
    "output_activation_not_applied": Mutant(
        "mlp_forward", "    return h, cache\n", "    return z, cache\n", {"one_layer"}),
    "no_length_check_zip_truncates": Mutant(
        "mlp_forward",
        '    if len(params) != len(activations):\n'
        '        raise ValueError(f"{len(params)} layers but {len(activations)} activations")\n', "",
        {"length_mismatch_raises"}),
    # --- mlp_backward ----------------------------------------------------------------------------
    "relu_derivative_one_at_zero": Mutant(
        "mlp_backward", "return (z > 0).astype(float)", "return (z >= 0).astype(float)",
        {"relu_gradient_at_zero_is_zero"}),
    "bias_gradient_mean_over_samples": Mutant(
        "mlp_backward", "delta.sum(axis=0)", "delta.mean(axis=0)",
        {"three_layers", "deep_tanh", "sigmoid_output", "relu_gradient_at_zero_is_zero",
         "gd_10_steps_lower_loss"}),
    "tanh_derivative_not_squared": Mutant(
        "mlp_backward", "return 1.0 - np.tanh(z) ** 2", "return 1.0 - np.tanh(z)",
        {"deep_tanh", "gd_10_steps_lower_loss"}),
    "sigmoid_derivative_of_z_not_of_s": Mutant(
        "mlp_backward", "            return s * (1.0 - s)", "            return z * (1.0 - z)",
        {"three_layers", "sigmoid_output"}),
    # --- numerical_gradient ----------------------------------------------------------------------
    "forward_differences": Mutant(
        "numerical_gradient", "grad[i] = (f(theta + step) - f(theta - step)) / (2.0 * h)",
        "grad[i] = (f(theta + step) - f(theta)) / h",
        {"smooth", "mlp_loss_21_params", "matrix_theta", "step_1e-3", "one_parameter"}),
    "extra_evaluation_at_theta": Mutant(
        "numerical_gradient", "    grad = np.zeros(theta.shape)\n",
        "    grad = np.zeros(theta.shape)\n    f0 = f(theta)\n",
        {"smooth", "mlp_loss_21_params", "matrix_theta", "step_1e-3", "one_parameter"}),
    "step_argument_ignored": Mutant(
        "numerical_gradient", "    theta = np.asarray(theta, dtype=float)\n    grad",
        "    theta = np.asarray(theta, dtype=float)\n    h = 1e-6\n    grad", {"step_1e-3"}),
    # --- Dual ------------------------------------------------------------------------------------
    "dual_quotient_rule_plus": Mutant(
        "Dual", "return Dual(quotient, (self.deriv - quotient * other.deriv) / other.value)",
        "return Dual(quotient, (self.deriv + quotient * other.deriv) / other.value)",
        {"eq_5_26", "reflected_operators", "two_inputs", "three_inputs"}),
    "dual_sqrt_forgets_chain_rule": Mutant(
        "Dual", "return Dual(root, self.deriv / (2.0 * root))", "return Dual(root, 1.0 / (2.0 * root))",
        {"eq_5_25", "eq_5_26", "two_inputs"}),
    "dual_rsub_is_sub": Mutant(
        "Dual", _RSUB_DUAL, _RSUB_DUAL.replace("(-self) + other", "self - other"),
        {"reflected_operators"}),
    "dual_numpy_sqrt_nan_not_raising": Mutant(
        "Dual", "root = math.sqrt(self.value)", "root = np.sqrt(self.value)",
        {"eq_5_25_outside_domain_raises"}),
    # --- Var -------------------------------------------------------------------------------------
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
    "no_reflected_division": Mutant(
        "Var", "        return Var(other) / self", "        return NotImplemented",
        {"reflected_operators"}),
    "var_rsub_is_sub": Mutant(
        "Var", _RSUB_VAR, _RSUB_VAR.replace("(-self) + other", "self - other"),
        {"reflected_operators"}),
    "var_sqrt_as_power_half_complex": Mutant(  # (-0.7) ** 0.5 is complex: TypeError, not ValueError
        "Var", "out = Var(math.sqrt(self.value))", "out = Var(self.value ** 0.5)",
        {"eq_5_25_outside_domain_raises"}),
    "var_grad_none_until_backward_reaches_it": Mutant(  # PyTorch's convention: an unused leaf keeps None
        "Var", "    def backward(self):\n",
        "    def __init__(self, value):\n"
        "        self.value, self.grad, self.parents = float(value), None, ()\n\n"
        "    def backward(self):\n"
        "        stack, seen = [self], set()\n"
        "        while stack:\n"
        "            node = stack.pop()\n"
        "            if id(node) not in seen:\n"
        "                seen.add(id(node))\n"
        "                node.grad = 0.0\n"
        "                stack.extend(parent for parent, _ in node.parents)\n"
        "        self._backward_of_the_key()\n\n"
        "    def _backward_of_the_key(self):\n",
        {"unused_input_grad_zero"}),
    # --- jacobian_forward / jacobian_reverse -----------------------------------------------------
    "forward_jacobian_transposed": Mutant(
        "jacobian_forward", "return np.array(columns, dtype=float).T", "return np.array(columns, dtype=float)",
        {"chain_3_layers", "mlp", "n2_m6", "scalar_output", "mixed"}),
    "forward_seeds_every_input": Mutant(
        "jacobian_forward", "Dual(v, 1.0 if i == j else 0.0)", "Dual(v, 1.0)",
        {"chain_3_layers", "mlp", "n2_m6", "scalar_output", "mixed"}),
    "reverse_jacobian_by_forward_mode": Mutant(
        "jacobian_reverse", "    x = [float(v) for v in x]\n    rows = []",
        "    return jacobian_forward(f, x)\n    rows = []",
        {"chain_3_layers", "mlp", "n2_m6", "scalar_output", "mixed"}),
    # --- chain_cost ------------------------------------------------------------------------------
    "notes_cost_drops_last_product": Mutant(
        "chain_cost", "return dims[0] * sum(pairs[1:])", "return dims[0] * sum(pairs[1:-1])",
        {"forward_two_layers", "forward_mlp", "forward_scalar_loss", "forward_scalar_input"}),
    "forward_counts_product_with_identity": Mutant(
        "chain_cost", "return dims[0] * sum(pairs[1:])", "return dims[0] * sum(pairs)",
        {"forward_one_layer", "forward_two_layers", "forward_mlp", "forward_scalar_loss",
         "forward_scalar_input"}),
    "reverse_counts_product_with_identity": Mutant(
        "chain_cost", "return dims[-1] * sum(pairs[:-1])", "return dims[-1] * sum(pairs)",
        {"reverse_one_layer", "reverse_two_layers", "reverse_mlp", "reverse_scalar_loss",
         "reverse_scalar_input"}),
    "reverse_scaled_by_n_not_m": Mutant(
        "chain_cost", "return dims[-1] * sum(pairs[:-1])", "return dims[0] * sum(pairs[:-1])",
        {"reverse_two_layers", "reverse_mlp", "reverse_scalar_loss", "reverse_scalar_input"}),
    "fewer_than_two_dims_not_rejected": Mutant(
        "chain_cost",
        '    if len(dims) < 2:\n        raise ValueError("a chain needs at least an input and an output dimension")\n',
        "", {"too_few_dims_raises"}),
    "unknown_mode_counted_as_reverse": Mutant(
        "chain_cost",
        '    if mode == "reverse":\n        return dims[-1] * sum(pairs[:-1])\n'
        '    raise ValueError(f"mode must be \'forward\' or \'reverse\', got {mode!r}")',
        "    return dims[-1] * sum(pairs[:-1])", {"unknown_mode_raises"}),
    # --- collapse_linear -------------------------------------------------------------------------
    "collapse_product_in_keras_layout": Mutant(
        "collapse_linear", "return W2 @ W1, ", "return W1.T @ W2.T, ", {"4_1_3", "2_5_2"}),
    "collapse_bias_skips_W2": Mutant(
        "collapse_linear", "W2 @ np.asarray(b1, dtype=float) + np.asarray(b2, dtype=float)",
        "np.asarray(b1, dtype=float) + np.asarray(b2, dtype=float)", {"4_1_3", "2_5_2"}),
    # --- xor_relu_net ----------------------------------------------------------------------------
    "xor_and_unit_weight_minus_one": Mutant(
        "xor_relu_net", "W2, b2 = np.array([[1.0, -2.0]])", "W2, b2 = np.array([[1.0, -1.0]])", {"xor"}),
    # --- random_features_fit ---------------------------------------------------------------------
    "notes_one_unit_for_every_term": Mutant(
        "random_features_fit", "features = dense_forward(x, W, b, activation)",
        "features = np.repeat(dense_forward(x, W[:1], b[:1], activation), len(W), axis=1)",
        {"sin_width_200_sup_below_1e-2", "width_2", "tanh_noisy_width_30", "relu_width_50", "two_inputs"}),
    "normal_equations": Mutant(
        "random_features_fit", "u, *_ = np.linalg.lstsq(features, np.asarray(y, dtype=float), rcond=None)",
        "u = np.linalg.solve(features.T @ features, features.T @ np.asarray(y, dtype=float))",
        {"tanh_noisy_width_30", "relu_width_50"}),
})
test_mutant_loses_exactly_its_cases, test_every_hidden_case_is_caught = TABLE.tests()
