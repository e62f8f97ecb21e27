"""Chapter 2's mutation table: each plausible bug loses exactly its cases (see tests/mutants.py).

Two mutants test changes made with this table: ``directional_one_sided`` (the notes' one-sided quotient
(2.23) passed 3 of 4 cases at the old tolerance rtol 1e-6; the check is now rtol = atol = 1e-8) and
``directional_normalises_v`` (every direction of the cases was a unit vector; case ``non_unit_v`` added).
"""
from mutants import Mutant, MutantTable

CHAPTER = "ch02_linear_regression"

_MSE = ("    residual = np.asarray(y, dtype=float) - np.asarray(y_hat, dtype=float)\n"
        "    return float(np.mean(residual ** 2))\n")
_LSTSQ = "    theta, *_ = np.linalg.lstsq(np.asarray(X, dtype=float), np.asarray(y, dtype=float), rcond=None)\n"
_CENTRAL = "return float((f(x + h * v) - f(x - h * v)) / (2 * h))"

TABLE = MutantTable(CHAPTER, {
    # mse, sse
    "mse_column_targets_broadcast_to_n_by_n": Mutant(  # (n, 1) - (n,): every pair, not zero at a perfect fit
        "mse", _MSE, _MSE.replace("np.asarray(y, dtype=float)", "np.asarray(y, dtype=float).reshape(-1, 1)"),
        {"random_50", "exact"}),
    "mse_divides_by_n_minus_one": Mutant(
        "mse", "return float(np.mean(residual ** 2))",
        "return float(np.sum(residual ** 2) / (residual.size - 1))",
        {"random_50", "one_sample"}),
    "mse_notes_sum_called_mse": Mutant(
        "mse", "return float(np.mean(residual ** 2))", "return float(np.sum(residual ** 2))",
        {"random_50"}),
    "sse_mean_instead_of_sum": Mutant(
        "sse", "return float(np.sum(residual ** 2))", "return float(np.mean(residual ** 2))",
        {"random_50"}),
    "sse_loop_skips_last_sample": Mutant(
        "sse", "return float(np.sum(residual ** 2))",
        "return float(sum(residual[i] ** 2 for i in range(len(residual) - 1)))",
        {"random_50", "one_sample"}),
    # grad_line_loss
    "grad_of_the_mean_not_the_sum": Mutant(
        "grad_line_loss", "return np.array([2.0 * np.sum(residual * x), 2.0 * np.sum(residual)])",
        "return np.array([2.0 * np.sum(residual * x), 2.0 * np.sum(residual)]) / len(x)",
        {"random", "at_zero"}),
    "grad_residual_sign_flipped": Mutant(
        "grad_line_loss", "residual = a * x + b - np.asarray(y, dtype=float)",
        "residual = np.asarray(y, dtype=float) - a * x - b",
        {"random", "at_zero"}),
    # fit_line
    "fit_line_no_constant_x_check": Mutant(  # 0 / 0: returns nan instead of raising
        "fit_line",
        '    if x.size == 0 or np.ptp(x) == 0:\n'
        '        raise ValueError("fit_line needs at least two distinct x values")\n',
        "", {"constant_x_raises"}),
    "fit_line_np_cov_over_np_var": Mutant(  # np.cov divides by n - 1, np.var by n
        "fit_line", "a = np.sum(dx * (y - y.mean())) / np.sum(dx ** 2)", "a = np.cov(x, y)[0, 1] / np.var(x)",
        {"noisy_40", "two_points"}),
    # design_matrix
    "design_bias_column_first": Mutant(
        "design_matrix", "np.hstack([features, np.ones((len(x), 1))])",
        "np.hstack([np.ones((len(x), 1)), features])",
        {"vector", "matrix"}),
    "design_vstack_for_vectors_only": Mutant(
        "design_matrix",
        "    features = x.reshape(len(x), -1)\n    return np.hstack([features, np.ones((len(x), 1))])",
        "    return np.vstack([x, np.ones(len(x))]).T",
        {"matrix"}),
    # least_squares
    "lstsq_normal_equations_in_column_layout": Mutant(  # the notes' X X^T theta = X y, samples as columns
        "least_squares", _LSTSQ,
        "    X = np.asarray(X, dtype=float)\n"
        "    theta = np.linalg.solve(X @ X.T, X @ np.asarray(y, dtype=float))\n",
        {"d3", "square", "tall_d1"}),
    "lstsq_solves_X_theta_equals_y": Mutant(  # right for a square design only
        "least_squares", _LSTSQ,
        "    theta = np.linalg.solve(np.asarray(X, dtype=float), np.asarray(y, dtype=float))\n",
        {"d3", "tall_d1"}),
    # fit_affine
    "affine_notes_top_block_is_A": Mutant(
        "fit_affine", "return theta[:-1].T, theta[-1]", "return theta[:-1], theta[-1]",
        {"3_to_2", "1_to_4"}),
    "affine_ones_first_bias_read_last": Mutant(
        "fit_affine", "X1 = np.hstack([X, np.ones((len(X), 1))])", "X1 = np.hstack([np.ones((len(X), 1)), X])",
        {"3_to_2", "1_to_4"}),
    # partials_example
    "partials_notes_drop_the_square": Mutant(
        "partials_example", "df_dx = 4 * x * y + y ** 2 * np.cos(x)", "df_dx = 4 * x * y + y * np.cos(x)",
        {"point0", "point1", "point2"}),
    "partials_df_dy_forgets_the_2": Mutant(
        "partials_example", "df_dy = 2 * x ** 2 + 2 * np.sin(x) * y", "df_dy = 2 * x ** 2 + np.sin(x) * y",
        {"point0", "point1", "point2"}),
    # directional_derivative
    "directional_one_sided": Mutant(  # the notes' (2.23): O(h) = 1e-6 off
        "directional_derivative", _CENTRAL, "return float((f(x + h * v) - f(x)) / h)",
        {"quadratic", "smooth", "steepest", "non_unit_v"}),
    "directional_normalises_v": Mutant(
        "directional_derivative", "    v = np.asarray(v, dtype=float)\n",
        "    v = np.asarray(v, dtype=float)\n    v = v / np.linalg.norm(v)\n",
        {"non_unit_v"}),
    "directional_divides_by_h_not_2h": Mutant(
        "directional_derivative", _CENTRAL, "return float((f(x + h * v) - f(x - h * v)) / h)",
        {"quadratic", "smooth", "steepest", "non_unit_v"}),
    # lp_distance
    "lp_forgets_abs": Mutant(  # invisible at p = 2
        "lp_distance", "diff = np.abs(np.asarray(x, dtype=float) - np.asarray(y, dtype=float))",
        "diff = np.asarray(x, dtype=float) - np.asarray(y, dtype=float)",
        {"p1", "p3", "p_inf", "p_half"}),
    "lp_forgets_the_root": Mutant(  # invisible at p = 1
        "lp_distance", "return float(np.sum(diff ** p) ** (1.0 / p))", "return float(np.sum(diff ** p))",
        {"p2", "p3", "p_half"}),
    "lp_no_inf_branch": Mutant(  # sum(d ** inf) ** 0 = 1
        "lp_distance", "    if math.isinf(p):\n        return float(np.max(diff))\n", "",
        {"p_inf"}),
    "lp_rejects_p_below_one": Mutant(  # "not a metric" read as "not allowed"
        "lp_distance", "if not p > 0:", "if not p >= 1:",
        {"p_half"}),
    # jensen_gap
    "jensen_swaps_the_weights": Mutant(
        "jensen_gap", "alpha * f(x) + (1 - alpha) * f(y)", "alpha * f(y) + (1 - alpha) * f(x)",
        {"square", "exp", "sin", "sigmoid"}),
    "jensen_graph_minus_secant": Mutant(
        "jensen_gap", "return float(alpha * f(x) + (1 - alpha) * f(y) - f(alpha * x + (1 - alpha) * y))",
        "return float(f(alpha * x + (1 - alpha) * y) - alpha * f(x) - (1 - alpha) * f(y))",
        {"square", "exp", "sin", "sigmoid"}),
    # first_order_gap
    "first_order_tangent_at_y": Mutant(
        "first_order_gap", "return float(f(y) - f(x) - df(x) * (y - x))",
        "return float(f(y) - f(x) - df(y) * (y - x))",
        {"square", "exp", "neg_log_sigmoid", "sin"}),
    "first_order_adds_the_tangent_term": Mutant(
        "first_order_gap", "return float(f(y) - f(x) - df(x) * (y - x))",
        "return float(f(y) - f(x) + df(x) * (y - x))",
        {"square", "exp", "neg_log_sigmoid", "sin"}),
})
test_mutant_loses_exactly_its_cases, test_every_hidden_case_is_caught = TABLE.tests()
