"""Chapter 1's mutation table: each plausible bug loses exactly its cases (see tests/mutants.py).

``t_and_h_share_one_uniform`` is the test of the independence check of ``make_swiss_roll`` (added with
this table: the marginals alone let a roll collapsed onto one curve pass).
"""
from mutants import Mutant, MutantTable

CHAPTER = "ch01_data"

_PAIRWISE = ("    dists = np.concatenate([np.sqrt(np.sum((X[i + 1:] - X[i]) ** 2, axis=1)) "
             "for i in range(len(X) - 1)])\n")

TABLE = MutantTable(CHAPTER, {
    # summary_stats
    "variances_ignore_ddof": Mutant(
        "summary_stats",
        '"var_x": float(sxx / (len(x) - ddof)), "var_y": float(syy / (len(y) - ddof)),',
        '"var_x": float(sxx / (len(x) - 1)), "var_y": float(syy / (len(y) - 1)),',
        {"ddof0"}),
    "corr_from_r_squared_loses_sign": Mutant(
        "summary_stats", '"corr": float(sxy / math.sqrt(sxx * syy))',
        '"corr": float(math.sqrt(sxy * sxy / (sxx * syy)))',
        {"random_negative_corr", "two_points"}),
    "intercept_adds_slope_times_mean": Mutant(
        "summary_stats", '"intercept": float(y.mean() - slope * x.mean())',
        '"intercept": float(y.mean() + slope * x.mean())',
        {"anscombe_II", "anscombe_III", "anscombe_IV", "ddof0", "random_negative_corr", "two_points"}),
    # match_moments
    "whitens_with_population_covariance": Mutant(
        "match_moments", "centred.T @ centred / (len(P) - 1)", "centred.T @ centred / len(P)",
        {"gaussian_cloud", "structured_circle", "three_points"}),
    "colours_with_M_not_M_transposed": Mutant(  # invisible at corr = 0 (M diagonal)
        "match_moments", "return white @ M.T + np.asarray(mean, dtype=float)",
        "return white @ M + np.asarray(mean, dtype=float)",
        {"gaussian_cloud", "structured_circle"}),
    "closed_form_colouring_without_checks": Mutant(  # Cholesky of the 2x2 by hand: no LinAlgError
        "match_moments",
        '    if not (abs(corr) < 1 and s1 > 0 and s2 > 0):\n'
        '        raise ValueError("need -1 < corr < 1 and positive standard deviations")\n'
        "    P = np.asarray(P, dtype=float)\n"
        "    centred = P - P.mean(axis=0)\n"
        "    L = np.linalg.cholesky(centred.T @ centred / (len(P) - 1))\n"
        "    M = np.linalg.cholesky(np.array([[s1 * s1, corr * s1 * s2], [corr * s1 * s2, s2 * s2]]))\n",
        "    P = np.asarray(P, dtype=float)\n"
        "    centred = P - P.mean(axis=0)\n"
        "    L = np.linalg.cholesky(centred.T @ centred / (len(P) - 1))\n"
        "    M = np.array([[s1, 0.0], [corr * s2, s2 * math.sqrt(1 - corr * corr)]])\n",
        {"corr_one_raises", "zero_std_raises"}),
    # fit_periodic
    "forgets_the_intercept_column": Mutant(
        "fit_periodic",
        "    design = np.column_stack([np.sin(x), x, np.ones_like(x)])\n"
        "    a, b, c = np.linalg.lstsq(design, np.asarray(y, dtype=float), rcond=None)[0]\n",
        "    design = np.column_stack([np.sin(x), x])\n"
        "    (a, b), c = np.linalg.lstsq(design, np.asarray(y, dtype=float), rcond=None)[0], 0.0\n",
        {"noiseless_negative", "noisy_100", "three_points"}),
    # fit_spiral
    "notes_no_unwrap": Mutant(
        "fit_spiral", "np.unwrap(np.mod(np.arctan2(y, x), 2 * np.pi))", "np.mod(np.arctan2(y, x), 2 * np.pi)",
        {"three_turns", "starts_past_pi", "noisy"}),
    "unwraps_without_mod_2pi": Mutant(  # the first angle in (-pi, pi]: a turn short when t starts past pi
        "fit_spiral", "np.unwrap(np.mod(np.arctan2(y, x), 2 * np.pi))", "np.unwrap(np.arctan2(y, x))",
        {"starts_past_pi"}),
    "averages_ratios_instead_of_least_squares": Mutant(  # exact on noiseless points only
        "fit_spiral", "return float(np.sum(r * theta) / np.sum(theta * theta))",
        "return float(np.mean(r / theta))", {"noisy"}),
    # distance_contrast
    "gram_matrix_shortcut": Mutant(
        "distance_contrast", _PAIRWISE,
        "    sq = np.sum(X * X, axis=1)\n"
        "    gram = np.sqrt(np.maximum(sq[:, None] + sq[None, :] - 2 * X @ X.T, 0.0))\n"
        "    dists = gram[np.triu_indices(len(X), 1)]\n",
        {"close_pair", "concentration"}),
    "sample_std_of_distances": Mutant(
        "distance_contrast", "dists.std() / dists.mean()", "dists.std(ddof=1) / dists.mean()",
        {"gaussian_d5", "two_points", "close_pair", "duplicate_point", "concentration"}),
    "drops_zero_distances_as_the_diagonal": Mutant(
        "distance_contrast", _PAIRWISE,
        "    D = np.sqrt(np.sum((X[:, None, :] - X[None, :, :]) ** 2, axis=-1))\n"
        "    dists = D[D > 0]\n",
        {"duplicate_point"}),
    # fit_features
    "projects_instead_of_solving": Mutant(  # alpha_i = <x, f_i>: right only for orthonormal features
        "fit_features",
        "return np.linalg.lstsq(F, np.asarray(image, dtype=float).ravel(), rcond=None)[0]",
        "return F.T @ np.asarray(image, dtype=float).ravel()",
        {"noisy_example", "random_features"}),
    "reshapes_features_instead_of_transposing": Mutant(
        "fit_features", "F = features.reshape(len(features), -1).T", "F = features.reshape(-1, len(features))",
        {"noisy_example", "random_features"}),
    # make_swiss_roll
    "uniform_n_is_the_low_bound": Mutant(  # rng.uniform(n) is uniform(low=n, high=1): one number
        "make_swiss_roll", "t = 1.5 * np.pi * (1 + 2 * rng.uniform(size=n))",
        "t = 1.5 * np.pi * (1 + 2 * rng.uniform(n))", {"n2000", "n1"}),
    "roll_covers_half_the_range": Mutant(
        "make_swiss_roll", "t = 1.5 * np.pi * (1 + 2 * rng.uniform(size=n))",
        "t = 1.5 * np.pi * (1 + rng.uniform(size=n))", {"n2000"}),
    "ignores_the_seed": Mutant(
        "make_swiss_roll", "    rng = np.random.default_rng(seed)\n    t = ",
        "    rng = np.random.default_rng()\n    t = ", {"n2000", "n1"}),
    "t_and_h_share_one_uniform": Mutant(  # uniform marginals, but the sheet collapses onto a curve
        "make_swiss_roll",
        "    t = 1.5 * np.pi * (1 + 2 * rng.uniform(size=n))\n    h = rng.uniform(0.0, 21.0, size=n)\n",
        "    u = rng.uniform(size=n)\n    t = 1.5 * np.pi * (1 + 2 * u)\n    h = 21.0 * u\n",
        {"n2000"}),
})
test_mutant_loses_exactly_its_cases, test_every_hidden_case_is_caught = TABLE.tests()
