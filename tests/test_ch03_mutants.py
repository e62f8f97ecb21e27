"""Chapter 3's mutation table: each plausible bug loses exactly its cases (see tests/mutants.py)."""
from mutants import Mutant, MutantTable

CHAPTER = "ch03_nonlinear_models"

TABLE = MutantTable(CHAPTER, {
    # poly_features
    "vander_lowest_power_first": Mutant(
        "poly_features", "return x[:, None] ** np.arange(k, -1, -1)", "return x[:, None] ** np.arange(k + 1)",
        {"k5"}),
    "vander_without_bias_column": Mutant(
        "poly_features", "return x[:, None] ** np.arange(k, -1, -1)", "return x[:, None] ** np.arange(k, 0, -1)",
        {"k0", "k5"}),
    # fit_poly
    "fit_poly_counts_points_not_distinct_x": Mutant(
        "fit_poly", "if k + 1 > np.unique(x).size:", "if k + 1 > len(x):",
        {"too_few_points_raises"}),
    "fit_poly_degree_off_by_one": Mutant(
        "fit_poly", "np.linalg.lstsq(poly_features(x, k),", "np.linalg.lstsq(poly_features(x, k - 1),",
        {"k1", "k4", "k8"}),
    # kfold_indices
    "kfold_generator_cached_across_calls": Mutant(
        "kfold_indices", "chunks = np.array_split(np.random.default_rng(seed).permutation(n), k)",
        "rng = kfold_indices.__dict__.setdefault('rng', np.random.default_rng(seed))\n"
        "    chunks = np.array_split(rng.permutation(n), k)",
        {"n23_k5", "n10_k10", "n7_k2"}),
    "kfold_last_fold_takes_remainder": Mutant(
        "kfold_indices", "chunks = np.array_split(np.random.default_rng(seed).permutation(n), k)",
        "order = np.random.default_rng(seed).permutation(n)\n"
        "    size = n // k\n"
        "    chunks = [order[i * size:(i + 1) * size] for i in range(k - 1)] + [order[(k - 1) * size:]]",
        {"n23_k5"}),
    "kfold_without_shuffle": Mutant(
        "kfold_indices", "chunks = np.array_split(np.random.default_rng(seed).permutation(n), k)",
        "chunks = np.array_split(np.arange(n), k)",
        {"n23_k5"}),
    "kfold_rejects_leave_one_out": Mutant(
        "kfold_indices", "if not 2 <= k <= n:", "if not 2 <= k < n:",
        {"n10_k10"}),
    "kfold_np_split_needs_equal_folds": Mutant(
        "kfold_indices", "chunks = np.array_split(", "chunks = np.split(",
        {"n23_k5", "n7_k2"}),
    # cross_val_mse
    "cv_fits_on_validation_fold": Mutant(
        "cross_val_mse", "coeffs = fit_poly(x[train], y[train], degree)", "coeffs = fit_poly(x[val], y[val], degree)",
        {"classic"}),
    "cv_scores_training_part": Mutant(
        "cross_val_mse", "errors.append(np.mean((y[val] - np.polyval(coeffs, x[val])) ** 2))",
        "errors.append(np.mean((y[train] - np.polyval(coeffs, x[train])) ** 2))",
        {"classic"}),
    # ridge
    "ridge_notes_penalty_derivative_lam_theta": Mutant(
        "ridge", "penalty = np.full(X.shape[1], float(lam))", "penalty = np.full(X.shape[1], float(lam) / 2)",
        {"lam2", "bias_unpenalized", "orthonormal"}),
    "ridge_ignores_penalize_bias": Mutant(
        "ridge", "        penalty[-1] = 0.0\n", "        pass\n",
        {"bias_unpenalized"}),
    "ridge_unpenalizes_first_column": Mutant(
        "ridge", "        penalty[-1] = 0.0\n", "        penalty[0] = 0.0\n",
        {"bias_unpenalized"}),
    "ridge_identity_of_sample_size": Mutant(
        "ridge", "penalty = np.full(X.shape[1], float(lam))", "penalty = np.full(X.shape[0], float(lam))",
        {"lam0_is_ols", "lam2", "bias_unpenalized", "orthonormal"}),
    # lasso_ista
    "lasso_orthonormal_closed_form": Mutant(
        "lasso_ista", "    theta = np.zeros(X.shape[1])\n    for _ in range(iters):",
        "    u = X.T @ y\n    return np.sign(u) * np.maximum(np.abs(u) - lam / 2, 0.0)\n"
        "    theta = np.zeros(X.shape[1])\n    for _ in range(iters):",
        {"general"}),
    "lasso_subgradient_step": Mutant(
        "lasso_ista", "theta = np.sign(u) * np.maximum(np.abs(u) - lr * lam, 0.0)",
        "theta = u - lr * lam * np.sign(theta)",
        {"orthonormal"}),
    "lasso_gradient_without_factor_2": Mutant(
        "lasso_ista", "u = theta - lr * 2.0 * X.T @ (X @ theta - y)", "u = theta - lr * X.T @ (X @ theta - y)",
        {"orthonormal", "general"}),
    # sigmoid
    "sigmoid_textbook_overflows": Mutant(
        "sigmoid", "return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))", "return 1.0 / (1.0 + np.exp(-z))",
        {"extremes"}),
    "sigmoid_branches_swapped": Mutant(
        "sigmoid", "return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))",
        "return np.where(z >= 0, e / (1.0 + e), 1.0 / (1.0 + e))",
        {"extremes", "matrix"}),
    # sigmoid_grad
    "sigmoid_grad_by_hand_overflows": Mutant(
        "sigmoid_grad", "return sigmoid(z) * sigmoid(-np.asarray(z, dtype=float))",
        "z = np.asarray(z, dtype=float)\n    return np.exp(-z) / (1.0 + np.exp(-z)) ** 2",
        {"extremes"}),
    "sigmoid_grad_identity_misapplied": Mutant(
        "sigmoid_grad", "return sigmoid(z) * sigmoid(-np.asarray(z, dtype=float))",
        "return sigmoid(z) * (1.0 - sigmoid(-np.asarray(z, dtype=float)))",
        {"extremes", "random"}),
    # bce
    "bce_log_of_sigmoid": Mutant(
        "bce", "return float(np.sum(np.logaddexp(0.0, z) - np.asarray(y, dtype=float) * z))",
        "s, y = sigmoid(z), np.asarray(y, dtype=float)\n"
        "    return float(-np.sum(y * np.log(s) + (1 - y) * np.log(1 - s)))",
        {"extreme_logits"}),
    "bce_mean_not_sum": Mutant(
        "bce", "return float(np.sum(np.logaddexp(0.0, z) - np.asarray(y, dtype=float) * z))",
        "return float(np.mean(np.logaddexp(0.0, z) - np.asarray(y, dtype=float) * z))",
        {"random", "extreme_logits"}),
    # bce_grad
    "bce_grad_sign_flipped": Mutant(
        "bce_grad", "residual = sigmoid(a * x + b) - np.asarray(y, dtype=float)",
        "residual = np.asarray(y, dtype=float) - sigmoid(a * x + b)",
        {"random", "zero"}),
    "bce_grad_mean_not_sum": Mutant(
        "bce_grad", "return float(np.sum(residual * x)), float(np.sum(residual))",
        "return float(np.mean(residual * x)), float(np.mean(residual))",
        {"random", "zero"}),
    # predict
    "predict_class_1_at_zero_logit": Mutant(
        "predict", "+ b > 0).astype(int)", "+ b >= 0).astype(int)",
        {"with_zero_logit"}),
    "predict_boundary_ignores_sign_of_a": Mutant(
        "predict", "return (a * np.asarray(x, dtype=float) + b > 0).astype(int)",
        "return (np.asarray(x, dtype=float) > -b / a).astype(int)",
        {"random"}),
    # train_mse_by_degree
    "train_error_sum_not_mean": Mutant(
        "train_mse_by_degree", "return np.array([np.mean((y - np.polyval(fit_poly(x, y, k), x)) ** 2)",
        "return np.array([np.sum((y - np.polyval(fit_poly(x, y, k), x)) ** 2)",
        {"classic"}),
    # fit_logistic_gd
    "logistic_gd_sum_gradient": Mutant(
        "fit_logistic_gd", "a, b = a - lr * d_a / n, b - lr * d_b / n", "a, b = a - lr * d_a, b - lr * d_b",
        {"overlapping"}),
    "logistic_gd_ascent": Mutant(
        "fit_logistic_gd", "a, b = a - lr * d_a / n, b - lr * d_b / n", "a, b = a + lr * d_a / n, b + lr * d_b / n",
        {"overlapping"}),
})
test_mutant_loses_exactly_its_cases, test_every_hidden_case_is_caught = TABLE.tests()
