# %% [markdown]
# # Chapter 8 - Deep generative models: PCA, autoencoders and variational autoencoders.
#
# Conventions used throughout this file:
#
# * Samples are ROWS: `X.shape == (n, d)`. The notes stack samples as columns, so their
#   `Z^T = X^T W` (8.2) reads `Z = Xc W` here, their reconstruction `X ~ W Z` (8.12) reads
#   `Xc ~ Z W^T`, and their scatter matrix `C = X X^T` (8.17) reads `C = Xc^T Xc` (shape
#   `(d, d)`), always with the CENTRED data `Xc = X - mean`.
# * `W` (d, k) has orthonormal columns: `W^T W = I_k` but `W W^T` is a rank-k projector, not
#   `I_d` (8.9; the notes' (8.3) claims both). Principal directions are defined up to sign (and up to a
#   rotation inside the space of a repeated eigenvalue): compare projectors `W W^T`, never columns.
# * Erratum (8.18)-(8.20): PCA MAXIMIZES the variance `w^T C w` subject to `||w|| = 1`; the notes
#   write `min` (which gives the LEAST-variance direction). The solution is an eigenvector of the
#   largest eigenvalue (spectral theorem / Rayleigh quotient; the problem is not convex: the constraint
#   set is a sphere).
# * VAE (8.48)-(8.52): prior `p(z) = N(0, I)`; the Gaussian encoder outputs `mu` and
#   `logvar = log sigma^2`; sigma is the STANDARD DEVIATION (the notes call it the variance), so
#   `z = mu + exp(logvar / 2) * eps`. The notes do not give the KL term of (8.50): it is
#   `0.5 * sum_j (sigma_j^2 + mu_j^2 - 1 - log sigma_j^2)`. And `log p(x) = ELBO + KL(q || p(z|x))`
#   (so the ELBO is a lower bound and `(phi*, theta*) = argmax ELBO`; the notes' (8.32)-(8.39)
#   minimize the KL over theta as well and drop `log p_theta(x)` although it depends on theta).
# * Keras' losses AVERAGE over features while the KL SUMS over latent dimensions: the reconstruction
#   term here is summed over features (otherwise the KL dominates and the posterior collapses).
#
# `build_autoencoder` runs under every Keras 3 backend. `build_vae`'s `train_step` uses
# `tf.GradientTape`: it is TensorFlow-only.
#
# **How to work in this notebook.** Run the setup cell below first. Then, for each exercise, write your
# code in place of the `raise NotImplementedError(...)` line, run the cell, and run the check cell
# after it: `check("name")` runs that exercise's public checks on the definition in this kernel and
# prints `PASS` or `FAIL` for each case (a hang stops after the time limit; an error in your code is a
# `FAIL` line); `check()` runs the whole chapter. From a shell, `autograder check ch08` checks the
# exercises folder (this notebook, or the paired `ch08_generative.py` file), and `autograder check
# ch08_generative.ipynb` this notebook. Your grade comes from hidden cases with other inputs. Scratch
# cells (plots, training runs, prints) are fine: grading keeps only the imports, definitions and
# constants, and leaves the rest out.
#
# _Generated from the answer key by `autograder sync` (course maintainers edit `solutions/`)._

# %%
import keras
import numpy as np

# check("name") runs an exercise's public checks on your definition; check() all of them
from autograder.notebook import Checks

check = Checks("ch08_generative")


# %% [markdown]
# ## Exercise `pca_fit` (5 points)
#
# Principal component analysis of the rows of `X` by the SVD of the centred data.
#
# `Xc = X - mean = U S V^T`; the principal directions are the first `k` right singular vectors
# (the eigenvectors of the scatter matrix `C = Xc^T Xc` of the largest eigenvalues, the notes'
# (8.17)-(8.20) in row form, with max instead of the notes' min) and the explained variances are
# `S_i^2 / (n - 1)` (the eigenvalues of the sample covariance, unbiased), in descending order.
# Eckart-Young: `||Xc - Xc W W^T||_F^2 = sum_{i > k} S_i^2` (the error (8.13)).
#
# **Args:**
#
# - X: (n, d) data, samples as rows.
# - k: number of components, `1 <= k <= min(n, d)`.
#
# **Returns:**
#
# - `(mean (d,), W (d, k) with orthonormal columns, explained_var (k,) descending)`.
#
# **Raises:**
#
# - ValueError: if `k` is not in `1..min(n, d)`.

# %%
def pca_fit(X, k):
    """Principal component analysis of the rows of ``X`` by the SVD of the centred data.

    ``Xc = X - mean = U S V^T``; the principal directions are the first ``k`` right singular vectors
    (the eigenvectors of the scatter matrix ``C = Xc^T Xc`` of the largest eigenvalues, the notes'
    (8.17)-(8.20) in row form, with max instead of the notes' min) and the explained variances are
    ``S_i^2 / (n - 1)`` (the eigenvalues of the sample covariance, unbiased), in descending order.
    Eckart-Young: ``||Xc - Xc W W^T||_F^2 = sum_{i > k} S_i^2`` (the error (8.13)).

    Args:
        X: (n, d) data, samples as rows.
        k: number of components, ``1 <= k <= min(n, d)``.

    Returns:
        ``(mean (d,), W (d, k) with orthonormal columns, explained_var (k,) descending)``.

    Raises:
        ValueError: if ``k`` is not in ``1..min(n, d)``.
    """
    raise NotImplementedError("ch08_generative.pca_fit: not implemented yet")


# %%
check("pca_fit")


# %% [markdown]
# ## Exercise `pca_encode` (1 point)
#
# Codes of the rows of `X`: `Z = (X - mean) W` (the notes' (8.2) in row form), shape (n, k).

# %%
def pca_encode(X, mean, W):
    """Codes of the rows of ``X``: ``Z = (X - mean) W`` (the notes' (8.2) in row form), shape (n, k)."""
    raise NotImplementedError("ch08_generative.pca_encode: not implemented yet")


# %%
check("pca_encode")


# %% [markdown]
# ## Exercise `pca_decode` (1 point)
#
# Reconstruction (generation, 8.12/8.21) from codes: `X_hat = Z W^T + mean`, shape (n, d).
#
# Erratum (8.21): the notes generate `x = W z`; the mean must be added back (and a new code
# `z` should be drawn with the scale of the codes, e.g. `sqrt(explained_var) * N(0, 1)`).
# `pca_decode(pca_encode(X))` is the projection of `X - mean` onto the span of `W`, plus the
# mean: a projector (idempotent), and the identity when `k = d`.

# %%
def pca_decode(Z, mean, W):
    """Reconstruction (generation, 8.12/8.21) from codes: ``X_hat = Z W^T + mean``, shape (n, d).

    Erratum (8.21): the notes generate ``x = W z``; the mean must be added back (and a new code
    ``z`` should be drawn with the scale of the codes, e.g. ``sqrt(explained_var) * N(0, 1)``).
    ``pca_decode(pca_encode(X))`` is the projection of ``X - mean`` onto the span of ``W``, plus the
    mean: a projector (idempotent), and the identity when ``k = d``.
    """
    raise NotImplementedError("ch08_generative.pca_decode: not implemented yet")


# %%
check("pca_decode")


# %% [markdown]
# ## Exercise `power_iteration` (3 points)
#
# First principal direction of a symmetric PSD matrix `C` by power iteration.
#
# `w <- C w / ||C w||` from a random unit start drawn from `rng` (default
# `np.random.default_rng(0)`), `n_iter` times (default 1000). Converges to the eigenvector of the
# LARGEST eigenvalue (the maximizer of the Rayleigh quotient `w^T C w / w^T w`, notes (8.18)-(8.19)
# with max for the notes' min) when it is strictly larger than the others. The sign is arbitrary.
#
# **Args:**
#
# - C: (d, d) symmetric positive semi-definite matrix (e.g. `Xc^T Xc`).
# - n_iter: number of iterations.
# - rng: `np.random.Generator` for the start vector.
#
# **Returns:**
#
# - (d,) unit vector.

# %%
def power_iteration(C, n_iter=1000, rng=None):
    """First principal direction of a symmetric PSD matrix ``C`` by power iteration.

    ``w <- C w / ||C w||`` from a random unit start drawn from ``rng`` (default
    ``np.random.default_rng(0)``), ``n_iter`` times (default 1000). Converges to the eigenvector of the
    LARGEST eigenvalue (the maximizer of the Rayleigh quotient ``w^T C w / w^T w``, notes (8.18)-(8.19)
    with max for the notes' min) when it is strictly larger than the others. The sign is arbitrary.

    Args:
        C: (d, d) symmetric positive semi-definite matrix (e.g. ``Xc^T Xc``).
        n_iter: number of iterations.
        rng: ``np.random.Generator`` for the start vector.

    Returns:
        (d,) unit vector.
    """
    raise NotImplementedError("ch08_generative.power_iteration: not implemented yet")


# %%
check("power_iteration")


# %% [markdown]
# ## Exercise `build_autoencoder` (5 points)
#
# A dense autoencoder (8.22)/(8.23): `encoder`, `decoder` and `autoencoder = decoder o encoder`.
#
# The encoder maps `(batch, input_dim)` through Dense layers of `hidden_units` (with
# `activation`) to a LINEAR code layer of `latent_dim` units; the decoder mirrors it (hidden
# layers in reverse order) and ends with a LINEAR Dense layer of `input_dim` units. With
# `hidden_units=()` both maps are affine: a linear autoencoder, which trained with the squared error
# spans the PCA subspace (its decoder's column space equals `span(W)`, not `W` itself). The three
# are `keras.Model`s sharing their layers; compile and fit `autoencoder` (e.g. loss `"mse"`).
# Runs under every Keras 3 backend.
#
# Graded by shapes, `autoencoder(x) == decoder(encoder(x))`, and a seeded run (the case's seed,
# `hidden_units=()`, 6-D Gaussian data with an eigengap after 2 directions, Adam lr 0.05, MSE,
# 200 steps of 64): MSE at most 1.05 times PCA's and principal-angle cosines between the decoder's
# column space and PCA's subspace above 0.99 (the answer key: about 1.000 and 1.0).
#
# **Returns:**
#
# - `(encoder, decoder, autoencoder)`.

# %%
def build_autoencoder(input_dim, latent_dim, hidden_units=(64,), activation="relu"):
    """A dense autoencoder (8.22)/(8.23): ``encoder``, ``decoder`` and ``autoencoder = decoder o encoder``.

    The encoder maps ``(batch, input_dim)`` through Dense layers of ``hidden_units`` (with
    ``activation``) to a LINEAR code layer of ``latent_dim`` units; the decoder mirrors it (hidden
    layers in reverse order) and ends with a LINEAR Dense layer of ``input_dim`` units. With
    ``hidden_units=()`` both maps are affine: a linear autoencoder, which trained with the squared error
    spans the PCA subspace (its decoder's column space equals ``span(W)``, not ``W`` itself). The three
    are ``keras.Model``s sharing their layers; compile and fit ``autoencoder`` (e.g. loss ``"mse"``).
    Runs under every Keras 3 backend.

    Graded by shapes, ``autoencoder(x) == decoder(encoder(x))``, and a seeded run (the case's seed,
    ``hidden_units=()``, 6-D Gaussian data with an eigengap after 2 directions, Adam lr 0.05, MSE,
    200 steps of 64): MSE at most 1.05 times PCA's and principal-angle cosines between the decoder's
    column space and PCA's subspace above 0.99 (the answer key: about 1.000 and 1.0).

    Returns:
        ``(encoder, decoder, autoencoder)``.
    """
    raise NotImplementedError("ch08_generative.build_autoencoder: not implemented yet")


# %%
check("build_autoencoder")


# %% [markdown]
# ## Exercise `kl_standard_normal` (2 points)
#
# `KL(N(mu, diag(sigma^2)) || N(0, I))` per sample, in closed form (the notes omit it).
#
# `0.5 * sum_j (sigma_j^2 + mu_j^2 - 1 - log sigma_j^2)` with `logvar = log sigma^2` (sigma is
# the standard deviation), SUMMED over the latent axis (last), one value per row: shape (batch,).
# Zero iff `mu = 0` and `logvar = 0`; nonnegative.
#
# **Args:**
#
# - mu, logvar: (batch, latent) arrays.

# %%
def kl_standard_normal(mu, logvar):
    """``KL(N(mu, diag(sigma^2)) || N(0, I))`` per sample, in closed form (the notes omit it).

    ``0.5 * sum_j (sigma_j^2 + mu_j^2 - 1 - log sigma_j^2)`` with ``logvar = log sigma^2`` (sigma is
    the standard deviation), SUMMED over the latent axis (last), one value per row: shape (batch,).
    Zero iff ``mu = 0`` and ``logvar = 0``; nonnegative.

    Args:
        mu, logvar: (batch, latent) arrays.
    """
    raise NotImplementedError("ch08_generative.kl_standard_normal: not implemented yet")


# %%
check("kl_standard_normal")


# %% [markdown]
# ## Exercise `reparameterize` (2 points)
#
# The reparameterization trick (8.52): `z = mu + sigma * eps` with `sigma = exp(logvar / 2)`.
#
# Erratum: sigma is the standard deviation, `exp(logvar / 2)`, not the variance `exp(logvar)`.
# `eps ~ N(0, I)` is passed in so that the result is deterministic. numpy inputs give a float64
# numpy array; Keras/TF tensors give a tensor (`keras.ops`), so gradients flow:
# `dz/dmu = 1` and `dz/dlogvar = sigma * eps / 2`.

# %%
def reparameterize(mu, logvar, eps):
    """The reparameterization trick (8.52): ``z = mu + sigma * eps`` with ``sigma = exp(logvar / 2)``.

    Erratum: sigma is the standard deviation, ``exp(logvar / 2)``, not the variance ``exp(logvar)``.
    ``eps ~ N(0, I)`` is passed in so that the result is deterministic. numpy inputs give a float64
    numpy array; Keras/TF tensors give a tensor (``keras.ops``), so gradients flow:
    ``dz/dmu = 1`` and ``dz/dlogvar = sigma * eps / 2``.
    """
    raise NotImplementedError("ch08_generative.reparameterize: not implemented yet")


# %%
check("reparameterize")


# %% [markdown]
# ## Exercise `vae_loss` (3 points)
#
# The negative ELBO (8.50) of a Bernoulli decoder, a float.
#
# Per sample: the binary cross-entropy of `x` (targets in [0, 1]) with the decoder's LOGITS,
# SUMMED over the features (the negative log-likelihood `-log p(x|z)`), plus `beta` times the
# closed-form `KL(q(z|x) || N(0, I))` summed over latent dimensions; then AVERAGED over the batch.
# The cross-entropy with logits is computed stably: `max(l, 0) - l x + log(1 + exp(-|l|))`.
# (Keras' `BinaryCrossentropy` averages over features: multiply it by `d` to get this sum.)
#
# **Args:**
#
# - x, x_logits: (batch, d); mu, logvar: (batch, latent); beta: KL weight (beta-VAE).

# %%
def vae_loss(x, x_logits, mu, logvar, beta=1.0):
    """The negative ELBO (8.50) of a Bernoulli decoder, a float.

    Per sample: the binary cross-entropy of ``x`` (targets in [0, 1]) with the decoder's LOGITS,
    SUMMED over the features (the negative log-likelihood ``-log p(x|z)``), plus ``beta`` times the
    closed-form ``KL(q(z|x) || N(0, I))`` summed over latent dimensions; then AVERAGED over the batch.
    The cross-entropy with logits is computed stably: ``max(l, 0) - l x + log(1 + exp(-|l|))``.
    (Keras' ``BinaryCrossentropy`` averages over features: multiply it by ``d`` to get this sum.)

    Args:
        x, x_logits: (batch, d); mu, logvar: (batch, latent); beta: KL weight (beta-VAE).
    """
    raise NotImplementedError("ch08_generative.vae_loss: not implemented yet")


# %%
check("vae_loss")


# %% [markdown]
# ## Exercise `linear_gaussian_elbo` (3 points)
#
# ELBO of the linear Gaussian model `p(z) = N(0, 1)`, `p(x|z) = N(a z, s^2)`, `q(z) = N(m, v)`.
#
# `s` is a STANDARD DEVIATION, `v` a VARIANCE. In closed form
# `ELBO = -0.5 log(2 pi s^2) - ((x - a m)^2 + a^2 v) / (2 s^2) - 0.5 (v + m^2 - 1 - log v)`
# (expected log-likelihood minus `KL(q || p(z))`, (8.47)). The evidence is
# `log p(x) = log N(x; 0, a^2 + s^2) = ELBO + KL(q || p(z|x)) >= ELBO` (8.41); the exact posterior
# `N(a x / (a^2 + s^2), s^2 / (a^2 + s^2))` attains equality. Erratum (8.32)-(8.39): the notes
# minimize `KL(q || p(z|x))` over `(phi, theta)` and then drop `log p_theta(x)`, which depends
# on theta; correct is the identity above, so `(phi*, theta*) = argmax ELBO` (over phi it closes
# the gap, over theta it raises the bound). Inputs broadcast elementwise (scalars give a float).

# %%
def linear_gaussian_elbo(x, a, s, m, v):
    """ELBO of the linear Gaussian model ``p(z) = N(0, 1)``, ``p(x|z) = N(a z, s^2)``, ``q(z) = N(m, v)``.

    ``s`` is a STANDARD DEVIATION, ``v`` a VARIANCE. In closed form
    ``ELBO = -0.5 log(2 pi s^2) - ((x - a m)^2 + a^2 v) / (2 s^2) - 0.5 (v + m^2 - 1 - log v)``
    (expected log-likelihood minus ``KL(q || p(z))``, (8.47)). The evidence is
    ``log p(x) = log N(x; 0, a^2 + s^2) = ELBO + KL(q || p(z|x)) >= ELBO`` (8.41); the exact posterior
    ``N(a x / (a^2 + s^2), s^2 / (a^2 + s^2))`` attains equality. Erratum (8.32)-(8.39): the notes
    minimize ``KL(q || p(z|x))`` over ``(phi, theta)`` and then drop ``log p_theta(x)``, which depends
    on theta; correct is the identity above, so ``(phi*, theta*) = argmax ELBO`` (over phi it closes
    the gap, over theta it raises the bound). Inputs broadcast elementwise (scalars give a float).
    """
    raise NotImplementedError("ch08_generative.linear_gaussian_elbo: not implemented yet")


# %%
check("linear_gaussian_elbo")


# %% [markdown]
# ## Exercise `build_vae` (7 points)
#
# A VAE with a Gaussian encoder and a Bernoulli (logit) decoder, trained by a GradientTape step.
#
# * `encoder`: `keras.Model` mapping `(batch, input_dim)` to `[mu, logvar]` (two
#   `(batch, latent_dim)` outputs; ReLU hidden layers `hidden_units`; linear heads).
# * `decoder`: `keras.Model` mapping `(batch, latent_dim)` to LOGITS `(batch, input_dim)`
#   (mirror hidden layers; `sigmoid(logits)` is the mean image).
# * `vae`: a `keras.Model` whose `call(x)` returns the logits of `decoder(mu(x))` and whose
#   `train_step` draws `eps ~ N(0, I)` (a seeded `keras.random.SeedGenerator(seed)`), forms
#   `z = mu + exp(logvar / 2) eps` and minimizes, under `tf.GradientTape`,
#   `recon_weight * BCE summed over features + beta * KL`, averaged over the batch (`vae_loss`);
#   it returns `{"loss", "reconstruction", "kl"}`. `recon_weight=0` is the KL-only model (every
#   posterior collapses onto the prior: `mu -> 0`, `logvar -> 0`). Compile with an optimizer
#   only (`vae.compile(optimizer=...)`) and `vae.fit(x, ...)`.
#
# TensorFlow-only (`tf.GradientTape`); `course.ch08_generative` has a backend-neutral version.
#
# Graded on `course.datasets.digits(flat=True)` (seeded by the case; Adam 3e-3, batch 128, 100
# steps on the first 1280 training images; negative ELBO measured on the test images with fixed
# eps): it must fall by at least 20%, end at most 1.1 times the answer key's, with a test KL at
# least 0.4 times the answer key's (no posterior collapse); the KL-only model (`recon_weight=0`,
# Adam 1e-2) must reach mean `|mu| < 0.05`.

# %%
def build_vae(input_dim, latent_dim, hidden_units=(64,), beta=1.0, recon_weight=1.0, seed=0):
    """A VAE with a Gaussian encoder and a Bernoulli (logit) decoder, trained by a GradientTape step.

    * ``encoder``: ``keras.Model`` mapping ``(batch, input_dim)`` to ``[mu, logvar]`` (two
      ``(batch, latent_dim)`` outputs; ReLU hidden layers ``hidden_units``; linear heads).
    * ``decoder``: ``keras.Model`` mapping ``(batch, latent_dim)`` to LOGITS ``(batch, input_dim)``
      (mirror hidden layers; ``sigmoid(logits)`` is the mean image).
    * ``vae``: a ``keras.Model`` whose ``call(x)`` returns the logits of ``decoder(mu(x))`` and whose
      ``train_step`` draws ``eps ~ N(0, I)`` (a seeded ``keras.random.SeedGenerator(seed)``), forms
      ``z = mu + exp(logvar / 2) eps`` and minimizes, under ``tf.GradientTape``,
      ``recon_weight * BCE summed over features + beta * KL``, averaged over the batch (``vae_loss``);
      it returns ``{"loss", "reconstruction", "kl"}``. ``recon_weight=0`` is the KL-only model (every
      posterior collapses onto the prior: ``mu -> 0``, ``logvar -> 0``). Compile with an optimizer
      only (``vae.compile(optimizer=...)``) and ``vae.fit(x, ...)``.

    TensorFlow-only (``tf.GradientTape``); ``course.ch08_generative`` has a backend-neutral version.

    Graded on ``course.datasets.digits(flat=True)`` (seeded by the case; Adam 3e-3, batch 128, 100
    steps on the first 1280 training images; negative ELBO measured on the test images with fixed
    eps): it must fall by at least 20%, end at most 1.1 times the answer key's, with a test KL at
    least 0.4 times the answer key's (no posterior collapse); the KL-only model (``recon_weight=0``,
    Adam 1e-2) must reach mean ``|mu| < 0.05``.
    """
    raise NotImplementedError("ch08_generative.build_vae: not implemented yet")


# %%
check("build_vae")


# %% [markdown]
# ## Exercise `interpolate_latents` (1 point)
#
# `n_steps` codes on the segment from `z0` to `z1` (endpoints included), shape (n_steps, k).
#
# Row `i` is `(1 - t_i) z0 + t_i z1` with `t_i = i / (n_steps - 1)`; `n_steps >= 2`
# (ValueError otherwise). Decoding the rows gives an interpolation strip.

# %%
def interpolate_latents(z0, z1, n_steps):
    """``n_steps`` codes on the segment from ``z0`` to ``z1`` (endpoints included), shape (n_steps, k).

    Row ``i`` is ``(1 - t_i) z0 + t_i z1`` with ``t_i = i / (n_steps - 1)``; ``n_steps >= 2``
    (ValueError otherwise). Decoding the rows gives an interpolation strip.
    """
    raise NotImplementedError("ch08_generative.interpolate_latents: not implemented yet")


# %%
check("interpolate_latents")


# %% [markdown]
# ## Exercise `active_units` (2 points)
#
# Active latent units (Burda et al.): dimension `j` is active when `Var_x(mu_j(x)) > threshold`.
#
# `mu` (n, k) holds the encoder means of n data points; the variance is the population variance
# over the rows (ddof 0). Returns `(number of active units, variances (k,))`. Collapsed
# dimensions (posterior equal to the prior for every x, (8.53)) have variance ~0.

# %%
def active_units(mu, threshold=0.01):
    """Active latent units (Burda et al.): dimension ``j`` is active when ``Var_x(mu_j(x)) > threshold``.

    ``mu`` (n, k) holds the encoder means of n data points; the variance is the population variance
    over the rows (ddof 0). Returns ``(number of active units, variances (k,))``. Collapsed
    dimensions (posterior equal to the prior for every x, (8.53)) have variance ~0.
    """
    raise NotImplementedError("ch08_generative.active_units: not implemented yet")


# %%
check("active_units")


# %% [markdown]
# ## Exercise `contractive_penalty` (2 points)
#
# The contractive autoencoder's penalty `||J_h(x)||_F^2` for a sigmoid encoder layer, batch mean.
#
# `h = sigmoid(x W + b)` with the Keras kernel layout `W (d, m)` (input rows, hidden columns),
# so `dh_j/dx_i = h_j (1 - h_j) W_ij` and, per sample,
# `||J||_F^2 = sum_j (h_j (1 - h_j))^2 sum_i W_ij^2`. Returns the MEAN over the rows of `x`
# (a float).
#
# **Args:**
#
# - x: (n, d); W: (d, m); b: (m,).

# %%
def contractive_penalty(x, W, b):
    """The contractive autoencoder's penalty ``||J_h(x)||_F^2`` for a sigmoid encoder layer, batch mean.

    ``h = sigmoid(x W + b)`` with the Keras kernel layout ``W (d, m)`` (input rows, hidden columns),
    so ``dh_j/dx_i = h_j (1 - h_j) W_ij`` and, per sample,
    ``||J||_F^2 = sum_j (h_j (1 - h_j))^2 sum_i W_ij^2``. Returns the MEAN over the rows of ``x``
    (a float).

    Args:
        x: (n, d); W: (d, m); b: (m,).
    """
    raise NotImplementedError("ch08_generative.contractive_penalty: not implemented yet")


# %%
check("contractive_penalty")


# %% [markdown]
# ## Exercise `stereographic` (1 point)
#
# Stereographic chart of the unit sphere S^2 (a chart of its atlas, (8.24)-(8.27)).
#
# From the north pole `N = (0, 0, 1)`: `u = (x, y) / (1 - z)`; from the south pole
# `S = (0, 0, -1)`: `u = (x, y) / (1 + z)`. Each chart covers the sphere minus its pole; the two
# together form an atlas.
#
# **Args:**
#
# - p: (n, 3) points on the unit sphere; pole: `"north"` or `"south"`.
#
# **Returns:**
#
# - (n, 2) chart coordinates.
#
# **Raises:**
#
# - ValueError: for an unknown pole, or a point at the pole (`|1 -+ z| < 1e-12`).

# %%
def stereographic(p, pole="north"):
    """Stereographic chart of the unit sphere S^2 (a chart of its atlas, (8.24)-(8.27)).

    From the north pole ``N = (0, 0, 1)``: ``u = (x, y) / (1 - z)``; from the south pole
    ``S = (0, 0, -1)``: ``u = (x, y) / (1 + z)``. Each chart covers the sphere minus its pole; the two
    together form an atlas.

    Args:
        p: (n, 3) points on the unit sphere; pole: ``"north"`` or ``"south"``.

    Returns:
        (n, 2) chart coordinates.

    Raises:
        ValueError: for an unknown pole, or a point at the pole (``|1 -+ z| < 1e-12``).
    """
    raise NotImplementedError("ch08_generative.stereographic: not implemented yet")


# %%
check("stereographic")


# %% [markdown]
# ## Exercise `inverse_stereographic` (1 point)
#
# Inverse of `stereographic`: the parametrization `R^2 -> S^2 minus the pole`.
#
# North: `p = (2 u, |u|^2 - 1) / (|u|^2 + 1)`; south: `p = (2 u, 1 - |u|^2) / (|u|^2 + 1)`.
# `u` has shape (n, 2); returns (n, 3) unit vectors. ValueError for an unknown pole.

# %%
def inverse_stereographic(u, pole="north"):
    """Inverse of ``stereographic``: the parametrization ``R^2 -> S^2 minus the pole``.

    North: ``p = (2 u, |u|^2 - 1) / (|u|^2 + 1)``; south: ``p = (2 u, 1 - |u|^2) / (|u|^2 + 1)``.
    ``u`` has shape (n, 2); returns (n, 3) unit vectors. ValueError for an unknown pole.
    """
    raise NotImplementedError("ch08_generative.inverse_stereographic: not implemented yet")


# %%
check("inverse_stereographic")
