"""Chapter 8's mutation table: each plausible bug loses exactly its cases (see tests/mutants.py).

The notes' errata are here as mutants: the least-variance directions ((8.18) with min), generation
without the mean ((8.21)), sigma read as the variance ((8.52): in the reparameterization, the KL and
the linear Gaussian ELBO), the wrong sign of the KL in log p(x) = ELBO + KL, and the Keras habit of
averaging the reconstruction over features (the VAE then collapses).
"""
from mutants import Mutant, MutantTable

CHAPTER = "ch08_generative"

_PCA_OK = {"max_variance_k1", "k3_of_6", "k_equals_d", "wide_n_less_than_d", "repeated_eigenvalue"}
_POWER = {"five_dims", "scatter_matrix_default_args", "diagonal"}

TABLE = MutantTable(CHAPTER, {
    # --- PCA ---
    "pca_least_variance_directions_notes_min": Mutant(
        "pca_fit", "return mean, Vt[:k].T.copy(), S[:k] ** 2 / (n - 1)",
        "return mean, Vt[::-1][:k].T.copy(), S[:k] ** 2 / (n - 1)",
        {"max_variance_k1", "k3_of_6", "wide_n_less_than_d", "repeated_eigenvalue"}),
    "pca_biased_variance": Mutant(
        "pca_fit", "S[:k] ** 2 / (n - 1)", "S[:k] ** 2 / n", _PCA_OK),
    "pca_not_centred": Mutant(
        "pca_fit", "np.linalg.svd(X - mean, full_matrices=False)", "np.linalg.svd(X, full_matrices=False)",
        _PCA_OK),
    "pca_no_k_check": Mutant(
        "pca_fit", "    if not 1 <= k <= min(n, d):\n", "    if False:\n",
        {"k_zero_raises", "k_too_large_raises"}),
    "encode_without_centring": Mutant(
        "pca_encode", "return (np.asarray(X, dtype=float) - np.asarray(mean, dtype=float)) @",
        "return np.asarray(X, dtype=float) @", {"k3", "k_equals_d"}),
    "decode_without_mean_notes_8_21": Mutant(
        "pca_decode", "@ np.asarray(W, dtype=float).T + np.asarray(mean, dtype=float)",
        "@ np.asarray(W, dtype=float).T", {"k3", "k_equals_d"}),
    # --- power iteration ---
    "power_iteration_three_steps": Mutant(
        "power_iteration", "    for _ in range(n_iter):\n        v = C @ w",
        "    for _ in range(min(n_iter, 3)):\n        v = C @ w", _POWER),
    "power_iteration_inverse_finds_smallest": Mutant(
        "power_iteration", "        v = C @ w\n", "        v = np.linalg.solve(C, w)\n", _POWER),
    "power_iteration_needs_rng": Mutant(
        "power_iteration", "rng = np.random.default_rng(0) if rng is None else rng", "rng = rng",
        {"scatter_matrix_default_args"}),
    # --- autoencoder ---
    "ae_relu_on_the_code": Mutant(
        "build_autoencoder", '+ [keras.layers.Dense(latent_dim)], name="encoder")',
        '+ [keras.layers.Dense(latent_dim, activation="relu")], name="encoder")',
        {"linear_vs_pca_seed3"}),
    "ae_not_the_composition": Mutant(
        "build_autoencoder", 'autoencoder = keras.Model(x, decoder(encoder(x)), name="autoencoder")',
        'autoencoder = keras.Sequential([x, keras.layers.Dense(latent_dim), keras.layers.Dense(input_dim)])',
        {"deep_shapes", "default_hidden_shapes", "linear_vs_pca_seed3"}),
    # --- KL, reparameterization, VAE loss ---
    "kl_logvar_read_as_log_sigma": Mutant(
        "kl_standard_normal", "np.sum(np.exp(logvar) + mu ** 2 - 1.0 - logvar, axis=-1)",
        "np.sum(np.exp(2 * logvar) + mu ** 2 - 1.0 - logvar, axis=-1)", {"batch_k3", "variance_only"}),
    "kl_mean_over_latent_dims": Mutant(
        "kl_standard_normal", "return 0.5 * np.sum(np.exp(logvar)", "return 0.5 * np.mean(np.exp(logvar)",
        {"batch_k3", "unit_mean_only", "variance_only"}),
    "kl_without_minus_one": Mutant(
        "kl_standard_normal", "np.sum(np.exp(logvar) + mu ** 2 - 1.0 - logvar, axis=-1)",
        "np.sum(np.exp(logvar) + mu ** 2 - logvar, axis=-1)",
        {"batch_k3", "zero_at_prior", "unit_mean_only", "variance_only"}),
    "reparameterize_sigma_is_variance_notes": Mutant(
        "reparameterize", "return mu + np.exp(logvar / 2) * eps", "return mu + np.exp(logvar) * eps",
        {"batch_k3", "sigma_is_std"}),
    "vae_loss_keras_mean_over_features": Mutant(
        "vae_loss", "recon = bce.reshape(len(x), -1).sum(axis=1)", "recon = bce.reshape(len(x), -1).mean(axis=1)",
        {"batch_k3", "beta_4", "binary_targets_large_logits"}),
    "vae_loss_ignores_beta": Mutant(
        "vae_loss", "np.mean(recon + beta * kl_standard_normal(mu, logvar))",
        "np.mean(recon + kl_standard_normal(mu, logvar))", {"beta_4"}),
    "vae_loss_unstable_log_sigmoid": Mutant(
        "vae_loss", "bce = np.maximum(logits, 0) - logits * x + np.log1p(np.exp(-np.abs(logits)))",
        "p = 1 / (1 + np.exp(-logits))\n    bce = -(x * np.log(p) + (1 - x) * np.log(1 - p))",
        {"binary_targets_large_logits"}),
    # --- linear Gaussian ELBO ---
    "elbo_s_read_as_variance": Mutant(
        "linear_gaussian_elbo", "    expected_loglik = -0.5 * np.log(2 * np.pi * s ** 2)",
        "    s = np.sqrt(s)\n    expected_loglik = -0.5 * np.log(2 * np.pi * s ** 2)",
        {"exact_posterior_is_evidence", "s_is_std_not_variance", "arrays_broadcast"}),
    "elbo_plus_kl": Mutant(
        "linear_gaussian_elbo", "elbo = expected_loglik - 0.5 * (v", "elbo = expected_loglik + 0.5 * (v",
        {"exact_posterior_is_evidence", "arrays_broadcast"}),
    "elbo_without_posterior_variance_term": Mutant(
        "linear_gaussian_elbo", "((x - a * m) ** 2 + a ** 2 * v) / (2 * s ** 2)", "(x - a * m) ** 2 / (2 * s ** 2)",
        {"exact_posterior_is_evidence", "s_is_std_not_variance", "arrays_broadcast"}),
    # --- VAE model ---
    # averaging the reconstruction over features still lowers the negative ELBO (the decoder learns
    # the mean image) but the posterior collapses: caught by the KL band
    "vae_reconstruction_averaged_over_features": Mutant(
        "build_vae", "recon = keras.ops.mean(keras.ops.sum(bce, axis=-1))", "recon = keras.ops.mean(bce)",
        {"digits_seed1_latent3"}),
    "vae_decoder_not_trained": Mutant(
        "build_vae", "grads = tape.gradient(loss, self.trainable_weights)\n"
        "            self.optimizer.apply_gradients(zip(grads, self.trainable_weights))",
        "grads = tape.gradient(loss, self.encoder.trainable_weights)\n"
        "            self.optimizer.apply_gradients(zip(grads, self.encoder.trainable_weights))",
        {"digits_seed1_latent3"}),
    "vae_kl_only_still_reconstructs": Mutant(
        "build_vae", "loss = recon_weight * recon + beta * kl", "loss = recon + beta * kl",
        {"kl_only_collapses"}),
    # --- more ---
    "interpolate_excludes_endpoint": Mutant(
        "interpolate_latents", "np.linspace(0.0, 1.0, n_steps)[:, None]",
        "np.linspace(0.0, 1.0, n_steps, endpoint=False)[:, None]", {"two_steps_endpoints", "eleven"}),
    "interpolate_accepts_one_step": Mutant(
        "interpolate_latents", "if n_steps < 2:", "if n_steps < 1:", {"one_step_raises"}),
    "active_units_unbiased_variance": Mutant(
        "active_units", "np.var(np.asarray(mu, dtype=float), axis=0)",
        "np.var(np.asarray(mu, dtype=float), axis=0, ddof=1)", {"threshold_0_1", "population_variance"}),
    "contractive_h_not_squared": Mutant(
        "contractive_penalty", "np.mean(((h * (1 - h)) ** 2) @", "np.mean((h * (1 - h)) @",
        {"wider", "saturated_units", "one_sample"}),
    "contractive_sum_over_batch": Mutant(
        "contractive_penalty", "return float(np.mean(((h * (1 - h)) ** 2)", "return float(np.sum(((h * (1 - h)) ** 2)",
        {"wider", "saturated_units"}),
    "stereographic_from_the_wrong_pole": Mutant(
        "stereographic", "denom = 1 - p[:, 2] if pole == \"north\" else 1 + p[:, 2]",
        "denom = 1 + p[:, 2] if pole == \"north\" else 1 - p[:, 2]",
        {"north_many", "south", "at_pole_raises", "south_pole_point_in_north_chart"}),
    "stereographic_onto_the_tangent_plane": Mutant(  # projects onto z = -1 instead of the equator plane
        "stereographic", "return p[:, :2] / denom[:, None]", "return 2 * p[:, :2] / denom[:, None]",
        {"north_many", "south", "equator_fixed"}),
    "inverse_stereographic_z_sign": Mutant(
        "inverse_stereographic", "z = (r2 - 1) if pole == \"north\" else (1 - r2)",
        "z = (1 - r2) if pole == \"north\" else (r2 - 1)",
        {"north_many", "south", "origin_is_opposite_pole"}),
})
test_mutant_loses_exactly_its_cases, test_every_hidden_case_is_caught = TABLE.tests()
