"""Appendix A's mutation table: each plausible bug loses exactly its cases (see tests/mutants.py)."""
from mutants import Mutant, MutantTable

CHAPTER = "appendix_a_linear_algebra"

_ZERO_CHECK = ("    zero_image = np.asarray(T(np.zeros(in_dim)), dtype=float)\n"
               "    if np.any(np.abs(zero_image) > 1e-12):\n"
               "        return False\n")

TABLE = MutantTable(CHAPTER, {
    # is_linear_map
    "only_checks_T_of_zero": Mutant(  # the notes' affine trap, turned around: T(0) = 0 is not enough
        "is_linear_map", "    for _ in range(n_trials):\n", "    for _ in range(0):\n",
        {"elementwise_square", "relu", "norm", "homogeneous_not_additive"}),
    "homogeneity_only": Mutant(  # T(a x) = a T(x) for every real a does not imply additivity
        "is_linear_map", "lhs = np.asarray(T(a * x + b * y), dtype=float)",
        "lhs, ty = np.asarray(T(a * x), dtype=float), 0.0 * ty", {"homogeneous_not_additive"}),
    "ratio_test_divides_by_zero": Mutant(  # relative error as a ratio: 0/0 for the zero map
        "is_linear_map", "np.any(np.abs(lhs - (tx + ty)) > 1e-9 * scale)",
        "not np.all(np.abs(lhs / (tx + ty) - 1) <= 1e-6)", {"zero_map"}),
    "exact_equality": Mutant(  # rejects true linear maps with large entries (rounding)
        "is_linear_map", "> 1e-9 * scale", "> 0.0", {"large_scale_matrix", "matrix_4_to_3"}),
    "affine_counted_as_linear": Mutant(  # the notes' erratum: y = a x + b called linear
        "is_linear_map", _ZERO_CHECK, "    T = (lambda f: (lambda x: f(x) - f(np.zeros(in_dim))))(T)\n",
        {"affine_small_shift"}),
    # vector_projection
    "divides_by_norm_not_norm_squared": Mutant(
        "vector_projection", "return (float(np.sum(a * b)) / bb) * b",
        "return (float(np.sum(a * b)) / np.sqrt(bb)) * b", {"opposite_direction", "random_6d"}),
    "projects_b_onto_a": Mutant(
        "vector_projection", "return (float(np.sum(a * b)) / bb) * b",
        "return (float(np.sum(a * b)) / float(np.sum(a * a))) * a",
        {"opposite_direction", "random_6d"}),
    "returns_the_rejection": Mutant(  # a - proj (the residual) instead of the projection
        "vector_projection", "return (float(np.sum(a * b)) / bb) * b", "return a - (float(np.sum(a * b)) / bb) * b",
        {"opposite_direction", "random_6d", "orthogonal_is_zero"}),
    "zero_b_gives_nan": Mutant(
        "vector_projection", '    if bb == 0.0:\n        raise ValueError("cannot project onto the zero vector")\n',
        "", {"zero_b_raises"}),
    # scalar_projection
    "unsigned_length": Mutant(
        "scalar_projection", "return float(np.sum(a * b)) / norm_b", "return abs(float(np.sum(a * b))) / norm_b",
        {"negative"}),
    "divides_by_norm_squared": Mutant(
        "scalar_projection", "return float(np.sum(a * b)) / norm_b",
        "return float(np.sum(a * b)) / norm_b ** 2", {"negative", "random_6d"}),
    "zero_b_scalar_gives_nan": Mutant(
        "scalar_projection", '    if norm_b == 0.0:\n        raise ValueError("cannot project onto the zero vector")\n',
        "", {"zero_b_raises"}),
    # matmul_by_columns
    "notes_A8_entry_uses_row_of_Y": Mutant(  # (A.8) as printed: x_i^T y_i-style index slip, Y[j, k]
        "matmul_by_columns", "out[:, j] += Y[k, j] * X[:, k]", "out[:, j] += Y[j % Y.shape[0], k] * X[:, k]",
        {"5x3_3x7", "complex_2x3_3x4", "vector_times_row"}),
    "casts_to_float": Mutant(
        "matmul_by_columns", "    X, Y = np.asarray(X), np.asarray(Y)\n    if X.ndim != 2 or Y.ndim != 2 or X.shape[1] != Y.shape[0]:\n"
        '        raise ValueError(f"cannot multiply shapes {X.shape} and {Y.shape}")\n    out = np.zeros((X.shape[0], Y.shape[1]), dtype=np.result_type(X, Y, float))\n    for j',
        "    X, Y = np.asarray(X), np.asarray(Y)\n    if X.ndim != 2 or Y.ndim != 2 or X.shape[1] != Y.shape[0]:\n"
        '        raise ValueError(f"cannot multiply shapes {X.shape} and {Y.shape}")\n    out = np.zeros((X.shape[0], Y.shape[1]))\n    for j',
        {"complex_2x3_3x4"}),
    "columns_no_shape_check": Mutant(
        "matmul_by_columns",
        "    if X.ndim != 2 or Y.ndim != 2 or X.shape[1] != Y.shape[0]:\n"
        '        raise ValueError(f"cannot multiply shapes {X.shape} and {Y.shape}")\n'
        "    out = np.zeros((X.shape[0], Y.shape[1]), dtype=np.result_type(X, Y, float))\n    for j",
        "    out = np.zeros((X.shape[0], Y.shape[1]), dtype=np.result_type(X, Y, float))\n"
        "    for j in range(Y.shape[1]):\n        for k in range(min(X.shape[1], Y.shape[0])):\n"
        "            out[:, j] += Y[k, j] * X[:, k]\n    return out\n    for j",
        {"inner_mismatch_raises"}),
    # matmul_by_outer_products
    "outer_of_rows_and_columns": Mutant(  # rows of X with columns of Y: the inner-product picture
        "matmul_by_outer_products", "out += np.outer(X[:, k], Y[k, :])",
        "out += np.outer(X[k % X.shape[0], :], Y[:, k % Y.shape[1]])[:X.shape[0], :Y.shape[1]]",
        {"5x3_3x7", "complex_2x3_3x4", "row_times_column"}),
    "conjugates_the_rows": Mutant(  # np.vdot-style conjugation: wrong for complex inputs only
        "matmul_by_outer_products", "out += np.outer(X[:, k], Y[k, :])",
        "out += np.outer(X[:, k], np.conj(Y[k, :]))", {"complex_2x3_3x4"}),
    "outer_no_shape_check": Mutant(
        "matmul_by_outer_products",
        "    if X.ndim != 2 or Y.ndim != 2 or X.shape[1] != Y.shape[0]:\n"
        '        raise ValueError(f"cannot multiply shapes {X.shape} and {Y.shape}")\n'
        "    out = np.zeros((X.shape[0], Y.shape[1]), dtype=np.result_type(X, Y, float))\n"
        "    for k in range(X.shape[1]):",
        "    out = np.zeros((X.shape[0], Y.shape[1]), dtype=np.result_type(X, Y, float))\n"
        "    for k in range(min(X.shape[1], Y.shape[0])):",
        {"inner_mismatch_raises"}),
    # semi_orthogonal_checks
    "notes_claim_A1_for_every_shape": Mutant(  # A^T A = I <=> A A^T = I, read for tall/wide W too
        "semi_orthogonal_checks", '"orthonormal_rows": rows_error <= 1e-8,',
        '"orthonormal_rows": columns_error <= 1e-8,', {"tall_6x3", "wide_2x5"}),
    "orthogonal_without_square": Mutant(
        "semi_orthogonal_checks", '"orthogonal": d == k and columns_error <= 1e-8',
        '"orthogonal": columns_error <= 1e-8', {"tall_6x3"}),
    "projector_means_semi_orthogonal": Mutant(  # W W^T can be a projector without W^T W = I
        "semi_orthogonal_checks", '"projector": projector_error <= 1e-8}',
        '"projector": columns_error <= 1e-8 or rows_error <= 1e-8}', {"partial_isometry"}),
    "squared_gram_for_projector": Mutant(  # |P^2 - P| with P = W^T W: same flag, other error
        "semi_orthogonal_checks", "np.abs(P @ P - P)", "np.abs(gram @ gram - gram)",
        {"random_4x4"}),
    "orthogonal_columns_not_orthonormal": Mutant(  # forgets the unit length: 2Q passes
        "semi_orthogonal_checks", "np.abs(gram - np.eye(k))", "np.abs(gram - np.diag(np.diag(gram)))",
        {"scaled_orthogonal", "wide_2x5", "random_4x4", "partial_isometry"}),
    "no_dimension_check": Mutant(
        "semi_orthogonal_checks", "    W = np.asarray(W, dtype=float)\n    if W.ndim != 2:",
        "    W = np.atleast_2d(np.asarray(W, dtype=float))\n    if W.ndim != 2:", {"vector_raises"}),
})
test_mutant_loses_exactly_its_cases, test_every_hidden_case_is_caught = TABLE.tests()
