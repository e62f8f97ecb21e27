"""Chapter 4's mutation table: each plausible bug loses exactly its cases (see tests/mutants.py)."""
from mutants import Mutant, MutantTable

CHAPTER = "ch04_gradient_descent"

TABLE = MutantTable(CHAPTER, {
    # gradient_descent
    "gd_in_place_update_aliases_history": Mutant(
        "gradient_descent", "        x = x - lr * g\n        history.append(x)",
        "        x -= lr * g\n        history.append(x)",
        {"converges_0_9_of_2_over_L", "diverges_1_1_of_2_over_L", "double_well_from_2", "rosenbrock_500",
         "loose_tolerance"}),
    "gd_tests_gradient_after_the_step": Mutant(
        "gradient_descent",
        "        if np.linalg.norm(g) <= tol:\n            break\n        x = x - lr * g\n        history.append(x)\n",
        "        x = x - lr * g\n        history.append(x)\n        if np.linalg.norm(g) <= tol:\n            break\n",
        {"converges_0_9_of_2_over_L", "saddle_is_stationary", "starts_at_minimum", "double_well_from_2",
         "loose_tolerance"}),
    "gd_one_update_too_many": Mutant(
        "gradient_descent", "for _ in range(max_iter):", "for _ in range(max_iter + 1):",
        {"diverges_1_1_of_2_over_L", "rosenbrock_500", "max_iter_0"}),
    "gd_tolerance_on_squared_norm": Mutant(
        "gradient_descent", "if np.linalg.norm(g) <= tol:", "if g @ g <= tol:",
        {"converges_0_9_of_2_over_L", "double_well_from_2", "loose_tolerance"}),
    # backtracking_line_search
    "armijo_loop_accepts_nan": Mutant(
        "backtracking_line_search", "while not f(x - alpha * g) <= fx - c * alpha * slope:",
        "while f(x - alpha * g) > fx - c * alpha * slope:",
        {"nan_outside_domain"}),
    "line_search_steps_uphill": Mutant(
        "backtracking_line_search", "while not f(x - alpha * g) <= fx - c * alpha * slope:",
        "while not f(x + alpha * g) <= fx - c * alpha * slope:",
        {"bowl_far", "rosenbrock", "nan_outside_domain", "custom_c_beta"}),
    "line_search_ignores_alpha0": Mutant(
        "backtracking_line_search", "    alpha = alpha0\n", "    alpha = 1.0\n",
        {"nan_outside_domain", "stationary_returns_alpha0"}),
    "line_search_halves_whatever_beta": Mutant(
        "backtracking_line_search", "alpha *= beta", "alpha *= 0.5",
        {"custom_c_beta"}),
    "armijo_with_gradient_norm_not_squared": Mutant(
        "backtracking_line_search", "fx, slope = f(x), float(g @ g)", "fx, slope = f(x), float(np.linalg.norm(g))",
        {"custom_c_beta"}),
    # lr_linear
    "linear_decay_not_clamped_at_rho": Mutant(
        "lr_linear", "frac = min(t, rho) / rho", "frac = t / rho",
        {"steps_0_100", "past_rho_stays_at_a_end", "rho_1"}),
    "linear_decay_notes_off_by_one": Mutant(
        "lr_linear", "frac = min(t, rho) / rho", "frac = min(max(t - 1, 0), rho) / rho",
        {"steps_0_100", "past_rho_stays_at_a_end", "rho_1"}),
    # lr_inverse_time
    "inverse_time_notes_recursion_compounds": Mutant(
        "lr_inverse_time", "return float(a0 / (1 + rho * t))",
        "return float(a0 / np.prod(1 + rho * np.arange(1, t + 1)))",
        {"steps_0_100", "not_compounding"}),
    "inverse_time_rho_as_decay_steps": Mutant(
        "lr_inverse_time", "return float(a0 / (1 + rho * t))", "return float(a0 / (1 + t / rho))",
        {"steps_0_100", "not_compounding", "rho_0_constant"}),
    # lr_exp
    "exp_decay_notes_off_by_one": Mutant(
        "lr_exp", "return float(a0 * math.exp(-rho * t))", "return float(a0 * math.exp(-rho * max(t - 1, 0)))",
        {"steps_0_100", "step_1_already_decayed"}),
    "exp_decay_rho_as_keras_decay_rate": Mutant(
        "lr_exp", "return float(a0 * math.exp(-rho * t))", "return float(a0 * rho ** t)",
        {"steps_0_100", "step_1_already_decayed"}),
    # momentum_gd
    "momentum_notes_sign": Mutant(
        "momentum_gd", "v = momentum * v - lr * np.asarray(grad(x), dtype=float)",
        "v = momentum * v + lr * np.asarray(grad(x), dtype=float)",
        {"ill_conditioned", "momentum_0_is_gd", "constant_gradient", "double_well_gd", "double_well_momentum"}),
    "momentum_dampened_ema_velocity": Mutant(
        "momentum_gd", "v = momentum * v - lr * np.asarray(grad(x), dtype=float)",
        "v = momentum * v - (1 - momentum) * lr * np.asarray(grad(x), dtype=float)",
        {"ill_conditioned", "constant_gradient", "double_well_momentum"}),
    "momentum_notes_allow_lambda_1": Mutant(
        "momentum_gd", "    if not momentum < 1:\n        raise ValueError(f\"momentum must",
        "    if momentum > 1:\n        raise ValueError(f\"momentum must",
        {"momentum_1_raises"}),
    # minibatches
    "minibatches_always_shuffle": Mutant(
        "minibatches", "order = np.arange(n) if rng is None else rng.permutation(n)", "order = rng.permutation(n)",
        {"no_rng_in_order"}),
    "minibatches_never_shuffle": Mutant(
        "minibatches", "order = np.arange(n) if rng is None else rng.permutation(n)", "order = np.arange(n)",
        {"n23_m5", "n10_m10", "n100_m1"}),
    "minibatches_drop_last_partial_batch": Mutant(
        "minibatches", "for start in range(0, n, batch_size)]", "for start in range(0, n - batch_size + 1, batch_size)]",
        {"n23_m5", "n7_m20", "no_rng_in_order"}),
    "minibatches_array_split_into_ceil_chunks": Mutant(
        "minibatches", "return [order[start:start + batch_size] for start in range(0, n, batch_size)]",
        "return np.array_split(order, -(-n // batch_size))",
        {"n23_m5"}),
    "minibatches_no_batch_size_check": Mutant(
        "minibatches",
        "    if batch_size < 1:\n        raise ValueError(f\"batch_size must be at least 1, got {batch_size}\")\n"
        "    order = np.arange(n) if rng is None else rng.permutation(n)\n"
        "    return [order[start:start + batch_size] for start in range(0, n, batch_size)]",
        "    order = np.arange(n) if rng is None else rng.permutation(n)\n"
        "    return [order[i * batch_size:(i + 1) * batch_size] for i in range(math.ceil(n / batch_size))]",
        {"batch_size_0_raises"}),
    # minibatch_grad
    "batch_grad_sum_not_mean": Mutant(
        "minibatch_grad", "return 2.0 * Xb.T @ residual / idx.size", "return 2.0 * Xb.T @ residual",
        {"three_rows", "all_rows", "repeated_row"}),
    "batch_grad_divides_by_n": Mutant(
        "minibatch_grad", "return 2.0 * Xb.T @ residual / idx.size", "return 2.0 * Xb.T @ residual / len(X)",
        {"three_rows", "one_row", "repeated_row"}),
    "batch_grad_boolean_mask_drops_repeats": Mutant(
        "minibatch_grad", "Xb = np.asarray(X, dtype=float)[idx]",
        "mask = np.zeros(len(X), dtype=bool)\n    mask[idx] = True\n    idx = np.flatnonzero(mask)\n"
        "    Xb = np.asarray(X, dtype=float)[idx]",
        {"repeated_row"}),
    "batch_grad_no_empty_check": Mutant(
        "minibatch_grad", "    if idx.size == 0:\n        raise", "    if False:\n        raise",
        {"empty_raises"}),
    # sgd
    "sgd_records_initial_loss": Mutant(
        "sgd", "step, losses = 0, []", "step, losses = 0, [float(np.mean(y ** 2))]",
        {"full_batch_no_shuffle_is_gd", "full_batch_shuffled", "in_order_momentum_schedule",
         "shuffled_decaying_lr", "shuffled_momentum", "zero_epochs"}),
    "sgd_schedule_indexed_by_epoch": Mutant(
        "sgd", "    for _ in range(epochs):\n        for idx in minibatches(len(X), batch_size, rng):\n"
               "            velocity = momentum * velocity - rate(step)",
        "    for epoch in range(epochs):\n        for idx in minibatches(len(X), batch_size, rng):\n"
        "            velocity = momentum * velocity - rate(epoch)",
        {"in_order_momentum_schedule", "shuffled_decaying_lr", "shuffled_momentum"}),
    "sgd_accepts_momentum_1": Mutant(
        "sgd", "    if not momentum < 1:\n        raise ValueError(f\"the momentum",
        "    if False:\n        raise ValueError(f\"the momentum",
        {"momentum_1_raises"}),
    "sgd_ignores_momentum": Mutant(
        "sgd", "velocity = momentum * velocity - rate(step)", "velocity = - rate(step)",
        {"in_order_momentum_schedule", "shuffled_momentum"}),
    "sgd_pytorch_momentum_with_schedule": Mutant(
        "sgd", "            velocity = momentum * velocity - rate(step) * np.asarray(grad_fn(theta, X, y, idx), dtype=float)\n"
               "            theta = theta + velocity\n",
        "            velocity = momentum * velocity + np.asarray(grad_fn(theta, X, y, idx), dtype=float)\n"
        "            theta = theta - rate(step) * velocity\n",
        {"in_order_momentum_schedule"}),
    "sgd_loss_per_batch": Mutant(
        "sgd", "            step += 1\n        losses.append(float(np.mean((X @ theta - y) ** 2)))",
        "            step += 1\n            losses.append(float(np.mean((X @ theta - y) ** 2)))",
        {"in_order_momentum_schedule", "shuffled_decaying_lr", "shuffled_momentum"}),
})
test_mutant_loses_exactly_its_cases, test_every_hidden_case_is_caught = TABLE.tests()
