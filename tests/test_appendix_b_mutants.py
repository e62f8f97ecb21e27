"""Appendix B's mutation table: each plausible bug loses exactly its cases (see tests/mutants.py)."""
from mutants import Mutant, MutantTable

CHAPTER = "appendix_b_information"

_VALID = ("        if v.ndim != 1 or np.any(v < 0) or abs(v.sum() - 1.0) > 1e-8:\n"
          '            raise ValueError("{}: p and q must be 1-D probability vectors")\n')

TABLE = MutantTable(CHAPTER, {
    # --- entropy ---------------------------------------------------------------------------------
    "entropy_no_0log0_nan_on_zeros": Mutant(
        "entropy", "h = -np.sum(p[nz] * np.log(p[nz]))", "h = -np.sum(p * np.log(p))",
        {"zeros_0log0", "one_hot_is_zero"}),
    "entropy_base_ignored": Mutant(
        "entropy", "return float(h / math.log(base))", "return float(h)", {"skewed_bits", "base_10"}),
    "entropy_always_bits": Mutant(
        "entropy", "return float(h / math.log(base))", "return float(h / math.log(2))",
        {"uniform_8_is_log_8", "zeros_0log0", "base_10"}),
    "entropy_no_validation": Mutant(
        "entropy", "p.ndim != 1 or np.any(p < 0) or abs(p.sum() - 1.0) > 1e-8", "False",
        {"not_normalized_raises"}),
    # --- cross_entropy ---------------------------------------------------------------------------
    "cross_entropy_arguments_swapped": Mutant(
        "cross_entropy", "return float(-np.sum(p[nz] * np.log(q[nz])))",
        "return float(-np.sum(q[nz] * np.log(p[nz])))",
        {"random", "one_hot_label", "zeros_of_p_where_q_zero", "erratum_pair"}),
    "cross_entropy_sum_over_all_terms_nan": Mutant(
        "cross_entropy", "    nz = p > 0\n    if np.any(q[nz] == 0):\n        return math.inf\n"
        "    return float(-np.sum(p[nz] * np.log(q[nz])))",
        "    with np.errstate(all='ignore'):\n        return float(-np.sum(p * np.log(q)))",
        {"zeros_of_p_where_q_zero"}),
    "cross_entropy_clipped_like_keras": Mutant(
        "cross_entropy", "    if np.any(q[nz] == 0):\n        return math.inf\n    return float(-np.sum(p[nz] * np.log(q[nz])))",
        "    return float(-np.sum(p[nz] * np.log(np.clip(q[nz], 1e-7, 1.0))))",
        {"support_mismatch_inf"}),
    "cross_entropy_no_validation": Mutant(
        "cross_entropy", _VALID.replace("{}", "cross_entropy"), "        pass\n", {"negative_raises"}),
    # --- kl_divergence ---------------------------------------------------------------------------
    "kl_notes_B6_entropy_difference": Mutant(
        "kl_divergence", "return float(np.sum(p[nz] * np.log(p[nz] / q[nz])))",
        "return float(-np.sum(q[q > 0] * np.log(q[q > 0])) + np.sum(p[nz] * np.log(p[nz])))",
        {"erratum_counterexample", "zeros_of_p"}),  # right for a uniform q (reversed_not_symmetric)
    "kl_returns_cross_entropy": Mutant(
        "kl_divergence", "return float(np.sum(p[nz] * np.log(p[nz] / q[nz])))",
        "return float(-np.sum(p[nz] * np.log(q[nz])))",
        {"erratum_counterexample", "reversed_not_symmetric", "equal_is_zero", "zeros_of_p"}),
    "kl_ratio_inverted": Mutant(
        "kl_divergence", "np.log(p[nz] / q[nz])", "np.log(q[nz] / p[nz])",
        {"erratum_counterexample", "reversed_not_symmetric", "zeros_of_p"}),
    "kl_eps_smoothing_finite_on_mismatch": Mutant(
        "kl_divergence", "    if np.any(q[nz] == 0):\n        return math.inf\n    return float(np.sum(p[nz] * np.log(p[nz] / q[nz])))",
        "    return float(np.sum(p[nz] * np.log(p[nz] / (q[nz] + 1e-300))))",
        {"support_mismatch_inf"}),
    "kl_no_validation": Mutant("kl_divergence", _VALID.replace("{}", "kl_divergence"), "        pass\n", {"not_normalized_raises"}),
    # --- js_divergence ---------------------------------------------------------------------------
    "js_symmetrised_kl_instead_of_mixture": Mutant(
        "js_divergence", "    m = 0.5 * (p + q)\n", "    m = q\n",
        {"random", "disjoint_is_log_2", "partial_overlap"}),
    "js_mixture_not_halved": Mutant(
        "js_divergence", "m = 0.5 * (p + q)", "m = p + q",
        {"random", "disjoint_is_log_2", "partial_overlap", "equal_is_zero"}),
    "js_no_validation": Mutant("js_divergence", _VALID.replace("{}", "js_divergence"), "        pass\n", {"not_normalized_raises"}),
})

test_mutant_loses_exactly_its_cases, test_every_hidden_case_is_caught = TABLE.tests()
