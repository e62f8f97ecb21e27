"""Chapter 10's mutation table: each plausible bug loses exactly its cases (see tests/mutants.py).

The notes' errata are mutants here: the hard indicator for E[D] instead of E[log D], J(G) read as
JSD instead of 2 JSD - log 4, the box on delta instead of on x + delta, probabilities instead of
logits in the CW margin, and clipping to the eps-ball only (or to the box only).
"""
from mutants import Mutant, MutantTable

CHAPTER = "ch10_adversarial"

_ALL_GAN = {"one_sgd_step", "d_step_leaves_G_untouched", "g_step_leaves_D_untouched"}

TABLE = MutantTable(CHAPTER, {
    # --- optimal_discriminator -----------------------------------------------------------------------
    "zero_where_both_pmfs_vanish": Mutant(
        "optimal_discriminator", "return np.where(total > 0, p_d / safe, 0.5)",
        "return np.where(total > 0, p_d / safe, 0.0)", {"both_zero_is_half"}),
    "hard_indicator_from_maximizing_E_D": Mutant(
        "optimal_discriminator", "return np.where(total > 0, p_d / safe, 0.5)",
        "return (p_d > p_g).astype(float)", {"pmfs", "both_zero_is_half", "density_grid_2d"}),
    "roles_swapped": Mutant(
        "optimal_discriminator", "return np.where(total > 0, p_d / safe, 0.5)",
        "return np.where(total > 0, p_g / safe, 0.5)",
        {"pmfs", "both_zero_is_half", "disjoint_supports", "density_grid_2d"}),
    # --- js_divergence -------------------------------------------------------------------------------
    "kl_to_mixture_not_symmetric": Mutant(
        "js_divergence", "return 0.5 * kl_to_m(p) + 0.5 * kl_to_m(q)", "return kl_to_m(p)",
        {"pmfs", "symmetric_swapped"}),
    "bits_not_nats": Mutant(
        "js_divergence", "np.log(a[mask] / m[mask])", "np.log2(a[mask] / m[mask])",
        {"pmfs", "symmetric_swapped", "disjoint_is_log2"}),
    "mixture_not_halved": Mutant(
        "js_divergence", "m = 0.5 * (p + q)", "m = p + q",
        {"pmfs", "symmetric_swapped", "disjoint_is_log2", "equal_is_zero"}),
    "renormalizes_silently": Mutant(
        "js_divergence", '    if abs(p.sum() - 1.0) > 1e-8 or abs(q.sum() - 1.0) > 1e-8:\n'
                         '        raise ValueError("pmfs must sum to 1")\n', "",
        {"not_normalized_raises"}),
    "negative_entries_accepted": Mutant(
        "js_divergence", '    if np.any(p < 0) or np.any(q < 0):\n'
                         '        raise ValueError("pmfs must be nonnegative")\n', "",
        {"negative_raises"}),
    # --- gan_value -----------------------------------------------------------------------------------
    "J_is_jsd_as_in_the_notes": Mutant(
        "gan_value", "    if D is None:  # the optimal discriminator (10.10), 1/2 where both pmfs vanish\n",
        "    if D is None:\n        return js_divergence(p_d, p_g)\n    if D is None:\n",
        {"optimal_D", "equal_pmfs_minus_log4", "disjoint_optimal_is_zero"}),
    "zero_log_zero_is_nan": Mutant(
        "gan_value", "real = np.where(p_d > 0, p_d * np.log(np.where(p_d > 0, D, 1.0)), 0.0)",
        "real = p_d * np.log(D)", {"given_D_zero_where_no_mass", "disjoint_optimal_is_zero"}),
    "log_D_for_fakes": Mutant(
        "gan_value", "p_g * np.log(np.where(p_g > 0, 1.0 - D, 1.0))", "p_g * np.log(np.where(p_g > 0, D, 1.0))",
        {"optimal_D", "given_D", "given_D_zero_where_no_mass", "disjoint_optimal_is_zero"}),
    # --- discriminator_loss --------------------------------------------------------------------------
    "log_of_sigmoid_overflows": Mutant(
        "discriminator_loss", "return float(np.mean(np.logaddexp(0.0, -r)) + np.mean(np.logaddexp(0.0, f)))",
        "return float(-np.mean(np.log(1 / (1 + np.exp(-r)))) - np.mean(np.log(1 - 1 / (1 + np.exp(-f)))))",
        {"large_logits_stable"}),
    "one_mean_over_both_batches": Mutant(
        "discriminator_loss", "return float(np.mean(np.logaddexp(0.0, -r)) + np.mean(np.logaddexp(0.0, f)))",
        "return float(np.mean(np.concatenate([np.logaddexp(0.0, -r).ravel(), np.logaddexp(0.0, f).ravel()])))",
        {"different_batch_sizes", "column_logits", "large_logits_stable"}),
    # --- generator_loss ------------------------------------------------------------------------------
    "saturating_by_default": Mutant(
        "generator_loss", "    if saturating:\n", "    if not saturating:\n",
        {"non_saturating", "saturating", "large_logits_stable"}),
    "saturating_sign_flipped": Mutant(
        "generator_loss", "return float(-np.mean(np.logaddexp(0.0, f)))",
        "return float(np.mean(np.logaddexp(0.0, f)))", {"saturating", "large_logits_stable"}),
    "non_saturating_log_of_sigmoid": Mutant(
        "generator_loss", "return float(np.mean(np.logaddexp(0.0, -f)))",
        "return float(-np.mean(np.log(1 / (1 + np.exp(-f)))))", {"large_logits_stable"}),
    # --- gan_train_step ------------------------------------------------------------------------------
    "d_step_updates_G_too": Mutant(
        "gan_train_step", "d_vars = D.trainable_variables",
        "d_vars = D.trainable_variables + G.trainable_variables",
        {"one_sgd_step", "d_step_leaves_G_untouched"}),
    "g_step_updates_D_too": Mutant(
        "gan_train_step", "g_vars = G.trainable_variables",
        "g_vars = G.trainable_variables + D.trainable_variables",
        {"one_sgd_step", "g_step_leaves_D_untouched"}),
    "saturating_generator_loss": Mutant(
        "gan_train_step", "g_loss = tf.reduce_mean(tf.nn.softplus(-fake))",
        "g_loss = -tf.reduce_mean(tf.nn.softplus(fake))", _ALL_GAN),
    # --- fgsm ----------------------------------------------------------------------------------------
    "descends_the_loss": Mutant(
        "fgsm", "x_adv = (x + eps * tf.sign(", "x_adv = (x - eps * tf.sign(",
        {"linear_softmax", "binary_logistic", "mlp", "wider_box"}),
    "gradient_not_its_sign": Mutant(
        "fgsm", "x_adv = (x + eps * tf.sign(tape.gradient(loss, x))).numpy()",
        "x_adv = (x + eps * tape.gradient(loss, x)).numpy()",
        {"linear_softmax", "binary_logistic", "mlp", "wider_box"}),
    "no_clip_to_the_box": Mutant(
        "fgsm", "        x_adv = np.clip(x_adv, clip_min, clip_max)\n", "        pass\n",
        {"linear_softmax", "binary_logistic", "mlp", "wider_box"}),
    # --- pgd -----------------------------------------------------------------------------------------
    "clip_to_the_ball_only": Mutant(
        "pgd", "lo, hi = np.maximum(x - eps, 0.0), np.minimum(x + eps, 1.0)", "lo, hi = x - eps, x + eps",
        {"mlp_20_steps", "binary_logistic_equals_fgsm", "random_start_reproducible",
         "random_start_binary_equals_fgsm"}),
    "clip_to_the_box_only": Mutant(
        "pgd", "lo, hi = np.maximum(x - eps, 0.0), np.minimum(x + eps, 1.0)", "lo, hi = 0.0, 1.0",
        {"mlp_20_steps", "binary_logistic_equals_fgsm", "random_start_reproducible",
         "random_start_binary_equals_fgsm"}),
    "random_start_ignores_rng": Mutant(
        "pgd", "start = x.astype(float) + rng.uniform(", "start = x.astype(float) + np.random.uniform(",
        {"random_start_reproducible"}),
    "one_step_too_many": Mutant(
        "pgd", "    for _ in range(int(steps)):\n        x_var", "    for _ in range(int(steps) + 1):\n        x_var",
        {"random_start_reproducible", "zero_steps_is_identity"}),
    # --- cw_margin -----------------------------------------------------------------------------------
    "hinge_form_max_m_plus_kappa": Mutant(
        "cw_margin", "margin = np.maximum(others.max(axis=1) - Z[rows, t], -kappa)",
        "margin = np.maximum(others.max(axis=1) - Z[rows, t] + kappa, 0.0)", {"kappa_floor"}),
    "probabilities_not_logits": Mutant(
        "cw_margin", "    Z = np.asarray(logits, dtype=float)\n",
        "    Z = np.exp(logits) / np.exp(logits).sum(axis=-1, keepdims=True)\n",
        {"random_batch", "kappa_floor", "single_sample_scalar_target", "confident_logits_not_probabilities"}),
    "margin_not_floored": Mutant(
        "cw_margin", "margin = np.maximum(others.max(axis=1) - Z[rows, t], -kappa)",
        "margin = others.max(axis=1) - Z[rows, t]", {"target_wins_is_zero", "kappa_floor"}),
    "max_over_all_classes": Mutant(
        "cw_margin", "    others[rows, t] = -np.inf\n", "", {"kappa_floor"}),
    # --- targeted_attack -----------------------------------------------------------------------------
    "margin_on_probabilities": Mutant(
        "targeted_attack", "logits = model(x_adv, training=False)",
        "logits = tf.nn.softmax(model(x_adv, training=False))",
        {"mlp", "large_c_reaches_target", "box_binds", "scalar_target"}),
    "box_on_delta_not_on_x": Mutant(
        "targeted_attack", "x_adv = tf.clip_by_value(x_adv - lr * tape.gradient(objective, x_adv), 0.0, 1.0)",
        "x_adv = x0 + tf.clip_by_value(x_adv - lr * tape.gradient(objective, x_adv) - x0, 0.0, 1.0)",
        {"mlp", "large_c_reaches_target", "box_binds", "scalar_target"}),
    "one_step_too_many_targeted": Mutant(
        "targeted_attack", "    for _ in range(int(steps)):\n        with tf.GradientTape() as tape:",
        "    for _ in range(int(steps) + 1):\n        with tf.GradientTape() as tape:",
        {"mlp", "large_c_reaches_target", "box_binds", "scalar_target", "zero_steps_is_identity"}),
    # --- universal_perturbation ----------------------------------------------------------------------
    "universal_descends_the_loss": Mutant(
        "universal_perturbation", "v = np.clip(v + alpha * np.sign(", "v = np.clip(v - alpha * np.sign(",
        {"mlp", "binary_logistic"}),
    "universal_not_projected": Mutant(
        "universal_perturbation",
        "v = np.clip(v + alpha * np.sign(tape.gradient(loss, v_var).numpy()), -eps, eps)",
        "v = (v + alpha * np.sign(tape.gradient(loss, v_var).numpy()))", {"mlp", "binary_logistic"}),
    "one_perturbation_per_sample": Mutant(
        "universal_perturbation", "v = np.zeros(x.shape[1:], dtype=\"float32\")",
        "v = np.zeros(x.shape, dtype=\"float32\")", {"mlp", "binary_logistic", "zero_steps_is_zero"}),
    # --- linear_min_perturbation ---------------------------------------------------------------------
    "norm_not_squared": Mutant(
        "linear_min_perturbation", "/ (w @ w)", "/ np.sqrt(w @ w)", {"batch", "single_point"}),
})
test_mutant_loses_exactly_its_cases, test_every_hidden_case_is_caught = TABLE.tests()
