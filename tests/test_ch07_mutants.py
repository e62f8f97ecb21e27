"""Chapter 7's mutation table: each plausible bug loses exactly its cases (see tests/mutants.py)."""
from mutants import Mutant, MutantTable

CHAPTER = "ch07_regularization"

_L1_BALL_CHECKS = (
    '    if r < 0:\n        raise ValueError(f"radius must be >= 0, got {r}")\n'
    "    v = np.asarray(v, dtype=float)\n    flat = v.ravel()\n"
    "    if np.sum(np.abs(flat)) <= r:\n        return v.copy()\n"
    "    if r == 0:\n        return np.zeros_like(v)\n")
_L2_BALL = (
    '    if r < 0:\n        raise ValueError(f"radius must be >= 0, got {r}")\n'
    "    v = np.asarray(v, dtype=float)\n    norm = np.linalg.norm(v)\n"
    "    return v.copy() if norm <= r else v * (r / norm)")
_NORMALIZE_GROUP_AND_ELSE = (
    "        if groups is None or groups < 1 or c % groups:\n"
    '            raise ValueError(f"groups={groups} must divide the {c} channels")\n'
    "        view, axes = x.reshape(n, h, w, groups, c // groups), (1, 2, 4)\n"
    "    else:\n"
    '        raise ValueError(f"unknown mode {mode!r}")\n')
_DROPOUT = (
    "    if not 0 < keep_prob <= 1:\n"
    '        raise ValueError(f"keep_prob must be in (0, 1], got {keep_prob}")\n'
    "    x = np.asarray(x, dtype=float)\n    if not training:\n        return x.copy()\n"
    "    keep = rng.random(x.shape) < keep_prob\n"
    "    return np.where(keep, x / keep_prob, 0.0)")

TABLE = MutantTable(CHAPTER, {
    # --- penalties (7.2) ---
    "l1_matrix_norm_is_max_column_sum": Mutant(
        "l1_penalty", "np.sum(np.abs(np.asarray(w, dtype=float)))",
        "np.linalg.norm(np.asarray(w, dtype=float), 1)",  # induced 1-norm of a matrix; raises on 4-D
        {"three_arrays", "lam_zero", "one_matrix"}),
    "l2_with_one_half": Mutant(
        "l2_penalty", "return float(lam * sum(np.sum(np.square(",
        "return float(0.5 * lam * sum(np.sum(np.square(",
        {"three_arrays_no_half", "one_matrix"}),
    # --- norm balls (7.4) ---
    "l1_ball_scales_onto_sphere": Mutant(  # on the sphere, but not the closest point
        "project_l1_ball", "    u = np.sort(np.abs(flat))[::-1]\n",
        "    return v * (r / np.sum(np.abs(flat)))\n    u = np.sort(np.abs(flat))[::-1]\n",
        {"sparse_corner", "random_8", "matrix", "matrix_inside_l2_outside_l1"}),
    "l1_ball_bare_algorithm_without_edge_cases": Mutant(
        "project_l1_ball", _L1_BALL_CHECKS, "    v = np.asarray(v, dtype=float)\n    flat = v.ravel()\n",
        {"inside_unchanged", "radius_zero", "negative_radius_raises"}),
    "l1_ball_sort_not_reversed": Mutant(
        "project_l1_ball", "u = np.sort(np.abs(flat))[::-1]", "u = np.sort(np.abs(flat))",
        {"sparse_corner", "ties", "random_8", "matrix"}),
    "l1_ball_inside_test_with_matrix_norm": Mutant(
        "project_l1_ball", "if np.sum(np.abs(flat)) <= r:", "if np.linalg.norm(v, 1) <= r:",
        {"matrix_inside_l2_outside_l1"}),
    "l2_ball_always_rescales_no_checks": Mutant(
        "project_l2_ball", _L2_BALL, "    v = np.asarray(v, dtype=float)\n    return v * (r / np.linalg.norm(v))",
        {"inside_unchanged", "zero_vector", "negative_radius_raises"}),
    "l2_ball_norm_without_sqrt": Mutant(
        "project_l2_ball", "norm = np.linalg.norm(v)", "norm = np.sum(v ** 2)",
        {"random_6", "matrix_frobenius"}),
    # --- early stopping (notes' errata: patience counts epochs without improvement; keep the best) ---
    "es_compares_with_previous_epoch": Mutant(
        "early_stopping", "        wait += 1\n        if wait >= patience",
        "        wait, best = wait + 1, loss\n        if wait >= patience",
        {"guide_min_delta", "min_delta_compares_with_best", "noisy_long"}),
    "es_returns_last_epoch_as_best": Mutant(
        "early_stopping", "            return epoch, best_epoch", "            return epoch, epoch",
        {"guide_patience_2", "guide_patience_3", "guide_min_delta", "patience_0", "patience_1",
         "constant_is_no_improvement", "noisy_long"}),
    "es_wait_greater_than_patience": Mutant(
        "early_stopping", "if wait >= patience and epoch > 0:", "if wait > patience and epoch > 0:",
        {"guide_patience_2", "guide_patience_3", "guide_min_delta", "patience_1",
         "constant_is_no_improvement", "noisy_long"}),
    "es_never_stopped_returns_last_epoch": Mutant(
        "early_stopping", "    return None, best_epoch", "    return len(val_losses) - 1, best_epoch",
        {"never_stops", "min_delta_compares_with_best"}),
    # --- batch normalization ---
    "bn_forward_unbiased_variance": Mutant(
        "bn_forward", "x.var(axis=0) + eps", "x.var(axis=0, ddof=1) + eps",
        {"tall", "square_batch", "large_eps", "batch_of_one"}),
    "bn_backward_ignores_batch_statistics": Mutant(
        "bn_backward", "dx = inv_std / m * (m * g - g.sum(axis=0) - xhat * np.sum(g * xhat, axis=0))",
        "dx = g * inv_std", {"tall", "square_batch", "large_eps", "two_samples"}),
    "batchnorm_unbiased_variance": Mutant(
        "BatchNorm", "            var = keras.ops.var(x, axis=axes)\n",
        "            m = float(np.prod(x.shape[:-1]))\n"
        "            var = keras.ops.var(x, axis=axes) * m / (m - 1)\n",
        {"dense_momentum_09", "small_batch_biased_variance", "images_nhwc", "large_epsilon"}),
    "normalize_unbiased_variance": Mutant(
        "normalize", "var = view.var(axis=axes, keepdims=True)", "var = view.var(axis=axes, ddof=1, keepdims=True)",
        {"batch", "layer_all_axes", "instance", "group_3", "group_1_is_layer", "group_c_is_instance", "eps"}),
    "normalize_layer_norm_over_last_axis_only": Mutant(  # Keras' LayerNormalization default
        "normalize", "view, axes = x, (1, 2, 3)", "view, axes = x, (3,)", {"layer_all_axes", "eps"}),
    "normalize_validates_no_arguments": Mutant(
        "normalize", _NORMALIZE_GROUP_AND_ELSE,
        "        view, axes = x.reshape(n, h, w, -1, c // groups), (1, 2, 4)\n",
        {"group_not_dividing_raises", "unknown_mode_raises"}),
    # --- dropout (notes' erratum: p keeps, Keras' rate drops) ---
    "dropout_keep_prob_read_as_keras_rate": Mutant(
        "dropout_forward", _DROPOUT,
        "    if not 0 <= keep_prob < 1:\n"
        '        raise ValueError(f"rate must be in [0, 1), got {keep_prob}")\n'
        "    x = np.asarray(x, dtype=float)\n    if not training:\n        return x.copy()\n"
        "    keep = rng.random(x.shape) >= keep_prob\n"
        "    return np.where(keep, x / (1 - keep_prob), 0.0)",
        {"keep_08_is_drop_rate_02", "keep_02", "keep_all", "keep_zero_raises"}),
    "dropout_not_inverted": Mutant(
        "dropout_forward", "return np.where(keep, x / keep_prob, 0.0)", "return np.where(keep, x, 0.0)",
        {"keep_08_is_drop_rate_02", "keep_02", "three_dims"}),
    # --- Keras constraint and callback ---
    "frobenius_maxnorm_per_column": Mutant(
        "FrobeniusBall", "norm = keras.ops.sqrt(keras.ops.sum(keras.ops.square(w)))",
        "norm = keras.ops.sqrt(keras.ops.sum(keras.ops.square(w), axis=0, keepdims=True))",
        {"not_maxnorm", "dense_training"}),
    "mes_keeps_variables_not_copies": Mutant(
        "MyEarlyStopping", "self.best_weights = self.model.get_weights()", "self.best_weights = self.model.weights",
        {"restore_best", "restore_without_stop", "min_delta_monitor_loss", "reused_for_two_fits", "inside_fit"}),
    "mes_wait_greater_than_patience": Mutant(
        "MyEarlyStopping", "if self.wait >= self.patience and epoch > 0:", "if self.wait > self.patience and epoch > 0:",
        {"guide_patience_3", "restore_best", "reused_for_two_fits", "inside_fit"}),
    "mes_stop_check_also_after_improvement": Mutant(
        "MyEarlyStopping", "            return\n        self.wait += 1\n", "        else:\n            self.wait += 1\n",
        {"patience_0_equals_1"}),
    # --- early stopping ~ L2, double descent ---
    "gd_one_step_too_many": Mutant(
        "gd_quadratic", "for _ in range(tau):", "for _ in range(tau + 1):", {"tau_0", "general", "singular"}),
    "gd_gradient_of_loss_without_half": Mutant(  # twice the step: diverges for alpha lambda_max > 1
        "gd_quadratic", "w = w - alpha * H @ (w - w_star)", "w = w - 2 * alpha * H @ (w - w_star)",
        {"general", "long", "singular"}),
    "ridge_forgets_H_on_the_right": Mutant(
        "ridge_solution", "H @ np.asarray(w_star, dtype=float))", "np.asarray(w_star, dtype=float))",
        {"general", "lam_zero", "singular"}),
    "dd_normal_equations": Mutant(  # singular for p > n
        "double_descent_curve", "c = np.linalg.lstsq(F, y, rcond=None)[0]",
        "c = np.linalg.solve(F.T @ F, F.T @ y)", {"around_threshold", "wide"}),
})
test_mutant_loses_exactly_its_cases, test_every_hidden_case_is_caught = TABLE.tests()
