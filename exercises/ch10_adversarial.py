# %% [markdown]
# # Chapter 10 - Adversarial training: GANs and adversarial attacks.
#
# Conventions used throughout this file:
#
# * Samples are rows: a batch `x` has shape `(n, d)` (or `(n, H, W, C)` for images); `y` holds
#   integer labels of shape `(n,)`.
# * Models are Keras models that return LOGITS (no final softmax/sigmoid). A model with ONE output
#   unit is a binary logistic classifier: `P(y = 1 | x) = sigmoid(z)`, labels in `{0, 1}`, loss the
#   binary cross-entropy on logits. A model with `k >= 2` outputs is a softmax classifier, loss the
#   sparse categorical cross-entropy on logits. The attacks only use the SIGN of input gradients or
#   per-sample objectives, so a sum or a mean over the batch gives the same answer; the answer key
#   sums.
# * Discriminators output a logit `s`; `D(x) = sigmoid(s)` is the probability that `x` is real.
# * Discrete GAN exercises take probability vectors (pmfs) over the same finite support; logs are
#   natural (nats), with `0 log 0 = 0`.
# * Input gradients (`fgsm`, `pgd`, `targeted_attack`) and the GAN train step use
#   `tf.GradientTape`: these four exercises are TensorFlow-only. Everything else is plain numpy.
#
# A function may call the other exercises of this file.
#
# **How to work in this notebook.** Run the setup cell below first. Then, for each exercise, write your
# code in place of the `raise NotImplementedError(...)` line, run the cell, and run the check cell
# after it: `check("name")` runs that exercise's public checks on the definition in this kernel and
# prints `PASS` or `FAIL` for each case (a hang stops after the time limit; an error in your code is a
# `FAIL` line); `check()` runs the whole chapter. From a shell, `autograder check ch10` checks the
# exercises folder (this notebook, or the paired `ch10_adversarial.py` file), and `autograder check
# ch10_adversarial.ipynb` this notebook. Your grade comes from hidden cases with other inputs. Scratch
# cells (plots, training runs, prints) are fine: grading keeps only the imports, definitions and
# constants, and leaves the rest out.
#
# _Generated from the answer key by `autograder sync` (course maintainers edit `solutions/`)._

# %%
import numpy as np

# check("name") runs an exercise's public checks on your definition; check() all of them
from autograder.notebook import Checks

check = Checks("ch10_adversarial")


# %% [markdown]
# ## Exercise `optimal_discriminator` (1 point)
#
# The optimal discriminator (10.10) for fixed data and generator pmfs: `D* = p_d / (p_d + p_g)`.
#
# It maximizes `p log a + q log (1 - a)` pointwise (10.7)-(10.9). Where `p_d = p_g = 0` the
# point carries no weight and any value is optimal: return 1/2 there (the limit along
# `p_d = p_g`). Note (erratum): the notes say maximizing `E[D]` or `E[log D]` is "the same
# thing"; it is not: without the log the pointwise maximizer of `p a + q (1 - a)` is the hard
# indicator `a = 1[p > q]`, not `p / (p + q)`.
#
# **Args:**
#
# - p_d, p_g: arrays of the same shape, nonnegative (pmf values or densities).
#
# **Returns:**
#
# - float array of that shape, values in [0, 1].

# %%
def optimal_discriminator(p_d, p_g):
    """The optimal discriminator (10.10) for fixed data and generator pmfs: ``D* = p_d / (p_d + p_g)``.

    It maximizes ``p log a + q log (1 - a)`` pointwise (10.7)-(10.9). Where ``p_d = p_g = 0`` the
    point carries no weight and any value is optimal: return 1/2 there (the limit along
    ``p_d = p_g``). Note (erratum): the notes say maximizing ``E[D]`` or ``E[log D]`` is "the same
    thing"; it is not: without the log the pointwise maximizer of ``p a + q (1 - a)`` is the hard
    indicator ``a = 1[p > q]``, not ``p / (p + q)``.

    Args:
        p_d, p_g: arrays of the same shape, nonnegative (pmf values or densities).
    Returns:
        float array of that shape, values in [0, 1].
    """
    raise NotImplementedError("ch10_adversarial.optimal_discriminator: not implemented yet")


# %%
check("optimal_discriminator")


# %% [markdown]
# ## Exercise `js_divergence` (2 points)
#
# Jensen-Shannon divergence `JSD(p, q) = 1/2 KL(p || m) + 1/2 KL(q || m)`, `m = (p + q) / 2`.
#
# In nats (natural log), with `0 log 0 = 0`. JSD is symmetric (erratum: the notes call it
# not symmetric), finite even where the supports differ, and lies in `[0, log 2]`.
#
# **Args:**
#
# - p, q: 1-D pmfs of the same length (nonnegative, each summing to 1 within 1e-8).
#
# **Returns:**
#
# - float.
#
# **Raises:**
#
# - ValueError: shapes differ, a negative entry, or a vector that does not sum to 1 (no
#   renormalization).

# %%
def js_divergence(p, q):
    """Jensen-Shannon divergence ``JSD(p, q) = 1/2 KL(p || m) + 1/2 KL(q || m)``, ``m = (p + q) / 2``.

    In nats (natural log), with ``0 log 0 = 0``. JSD is symmetric (erratum: the notes call it
    not symmetric), finite even where the supports differ, and lies in ``[0, log 2]``.

    Args:
        p, q: 1-D pmfs of the same length (nonnegative, each summing to 1 within 1e-8).
    Returns:
        float.
    Raises:
        ValueError: shapes differ, a negative entry, or a vector that does not sum to 1 (no
        renormalization).
    """
    raise NotImplementedError("ch10_adversarial.js_divergence: not implemented yet")


# %%
check("js_divergence")


# %% [markdown]
# ## Exercise `gan_value` (2 points)
#
# The GAN value `V(D, G) = E_{p_d}[log D] + E_{p_g}[log(1 - D)]` (10.5)/(10.6) on a finite support.
#
# `D=None` means the optimal discriminator `D*` (`optimal_discriminator`; 1/2 where both
# pmfs vanish). Terms with zero probability count 0 (`0 log 0 = 0`), even where `D` is 0 or 1.
# At `D*`, `V(D*, G) = J(G) = 2 JSD(p_d, p_g) - log 4` (erratum: the notes' (10.14)-(10.16)
# write `1/2 KL(p_d || rho) + 1/2 KL(p_g || rho)` + const, which is JSD itself, not 2 JSD - log 4);
# so `V(D, G) <= V(D*, G)` for every `D` and `V(D*, G) = -log 4` when `p_d = p_g`.
#
# **Args:**
#
# - p_d, p_g: 1-D pmfs of the same length.
# - D: None, or an array of the same length with values in [0, 1].
#
# **Returns:**
#
# - float (`-inf` if `D` is 0 where `p_d > 0` or 1 where `p_g > 0`).

# %%
def gan_value(p_d, p_g, D=None):
    """The GAN value ``V(D, G) = E_{p_d}[log D] + E_{p_g}[log(1 - D)]`` (10.5)/(10.6) on a finite support.

    ``D=None`` means the optimal discriminator ``D*`` (``optimal_discriminator``; 1/2 where both
    pmfs vanish). Terms with zero probability count 0 (``0 log 0 = 0``), even where ``D`` is 0 or 1.
    At ``D*``, ``V(D*, G) = J(G) = 2 JSD(p_d, p_g) - log 4`` (erratum: the notes' (10.14)-(10.16)
    write ``1/2 KL(p_d || rho) + 1/2 KL(p_g || rho)`` + const, which is JSD itself, not 2 JSD - log 4);
    so ``V(D, G) <= V(D*, G)`` for every ``D`` and ``V(D*, G) = -log 4`` when ``p_d = p_g``.

    Args:
        p_d, p_g: 1-D pmfs of the same length.
        D: None, or an array of the same length with values in [0, 1].
    Returns:
        float (``-inf`` if ``D`` is 0 where ``p_d > 0`` or 1 where ``p_g > 0``).
    """
    raise NotImplementedError("ch10_adversarial.gan_value: not implemented yet")


# %%
check("gan_value")


# %% [markdown]
# ## Exercise `discriminator_loss` (2 points)
#
# The discriminator's loss: binary cross-entropy on logits, real labelled 1, fake labelled 0.
#
# `L_D = mean_i softplus(-r_i) + mean_j softplus(f_j)` where `softplus(s) = log(1 + e^s)`, i.e.
# `-(mean log D(x) + mean log(1 - D(G(z))))`: the negative of the empirical (10.3), a MEAN over
# each batch (the two means are added, so all-zero logits give `2 log 2`). It equals
# `BCE(1, r) + BCE(0, f)` with `keras.losses.BinaryCrossentropy(from_logits=True)`. Compute it
# from the logits with a stable softplus (`np.logaddexp(0, s)`): `log(sigmoid(s))` overflows to
# `-inf` for large logits.
#
# **Args:**
#
# - real_logits: array (n,) or (n, 1), the discriminator's logits on real data.
# - fake_logits: array (m,) or (m, 1), its logits on generated data.
#
# **Returns:**
#
# - float.

# %%
def discriminator_loss(real_logits, fake_logits):
    """The discriminator's loss: binary cross-entropy on logits, real labelled 1, fake labelled 0.

    ``L_D = mean_i softplus(-r_i) + mean_j softplus(f_j)`` where ``softplus(s) = log(1 + e^s)``, i.e.
    ``-(mean log D(x) + mean log(1 - D(G(z))))``: the negative of the empirical (10.3), a MEAN over
    each batch (the two means are added, so all-zero logits give ``2 log 2``). It equals
    ``BCE(1, r) + BCE(0, f)`` with ``keras.losses.BinaryCrossentropy(from_logits=True)``. Compute it
    from the logits with a stable softplus (``np.logaddexp(0, s)``): ``log(sigmoid(s))`` overflows to
    ``-inf`` for large logits.

    Args:
        real_logits: array (n,) or (n, 1), the discriminator's logits on real data.
        fake_logits: array (m,) or (m, 1), its logits on generated data.
    Returns:
        float.
    """
    raise NotImplementedError("ch10_adversarial.discriminator_loss: not implemented yet")


# %%
check("discriminator_loss")


# %% [markdown]
# ## Exercise `generator_loss` (2 points)
#
# The generator's loss on the discriminator's logits `f` for generated samples (a MEAN).
#
# Non-saturating (default, the one used in practice): `mean softplus(-f) = -mean log D(G(z))`,
# `log 2` at `f = 0`. Saturating (the minimax (10.4) literally): ``mean log(1 - D(G(z))) =
# -mean softplus(f)`, `-log 2` at `f = 0``; its gradient vanishes when the discriminator
# confidently rejects the fakes (`f -> -inf`), hence the default. Stable softplus, as in
# `discriminator_loss`.
#
# **Args:**
#
# - fake_logits: array (m,) or (m, 1).
# - saturating: which loss (see above).
#
# **Returns:**
#
# - float.

# %%
def generator_loss(fake_logits, saturating=False):
    """The generator's loss on the discriminator's logits ``f`` for generated samples (a MEAN).

    Non-saturating (default, the one used in practice): ``mean softplus(-f) = -mean log D(G(z))``,
    ``log 2`` at ``f = 0``. Saturating (the minimax (10.4) literally): ``mean log(1 - D(G(z))) =
    -mean softplus(f)``, ``-log 2`` at ``f = 0``; its gradient vanishes when the discriminator
    confidently rejects the fakes (``f -> -inf``), hence the default. Stable softplus, as in
    ``discriminator_loss``.

    Args:
        fake_logits: array (m,) or (m, 1).
        saturating: which loss (see above).
    Returns:
        float.
    """
    raise NotImplementedError("ch10_adversarial.generator_loss: not implemented yet")


# %%
check("generator_loss")


# %% [markdown]
# ## Exercise `gan_train_step` (6 points)
#
# One GAN training step with `tf.GradientTape` (TensorFlow-only): a D step, then a G step.
#
# 1. Discriminator: `x_fake = G(z)`; `d_loss` = the discriminator loss (BCE on logits, real 1,
#    fake 0, mean over each batch, summed as in `discriminator_loss`) of `D(x_real)` and
#    `D(x_fake)`; its gradient w.r.t. `D.trainable_variables` ONLY is applied with `d_opt`.
#    G's variables must stay bit-identical.
# 2. Generator: with the SAME `z` and the UPDATED discriminator, `g_loss` = the non-saturating
#    generator loss `mean softplus(-D(G(z)))`; its gradient w.r.t. `G.trainable_variables`
#    ONLY is applied with `g_opt`. D's variables must stay bit-identical.
#
# Call the models with `training=True`. Use a stable BCE on logits (`tf.nn.softplus` or
# `tf.nn.sigmoid_cross_entropy_with_logits`).
#
# **Args:**
#
# - G: Keras model mapping z (m, k) to samples shaped like `x_real[1:]`.
# - D: Keras model mapping samples to logits (·, 1).
# - g_opt, d_opt: Keras optimizers (distinct objects), for G and D.
# - x_real: array (n, ...), float32.
# - z: array (m, k), float32 (injected noise).
#
# **Returns:**
#
# - `{"d_loss": float, "g_loss": float}`: each loss as computed BEFORE its own update.

# %%
def gan_train_step(G, D, g_opt, d_opt, x_real, z):
    """One GAN training step with ``tf.GradientTape`` (TensorFlow-only): a D step, then a G step.

    1. Discriminator: ``x_fake = G(z)``; ``d_loss`` = the discriminator loss (BCE on logits, real 1,
       fake 0, mean over each batch, summed as in ``discriminator_loss``) of ``D(x_real)`` and
       ``D(x_fake)``; its gradient w.r.t. ``D.trainable_variables`` ONLY is applied with ``d_opt``.
       G's variables must stay bit-identical.
    2. Generator: with the SAME ``z`` and the UPDATED discriminator, ``g_loss`` = the non-saturating
       generator loss ``mean softplus(-D(G(z)))``; its gradient w.r.t. ``G.trainable_variables``
       ONLY is applied with ``g_opt``. D's variables must stay bit-identical.

    Call the models with ``training=True``. Use a stable BCE on logits (``tf.nn.softplus`` or
    ``tf.nn.sigmoid_cross_entropy_with_logits``).

    Args:
        G: Keras model mapping z (m, k) to samples shaped like ``x_real[1:]``.
        D: Keras model mapping samples to logits (·, 1).
        g_opt, d_opt: Keras optimizers (distinct objects), for G and D.
        x_real: array (n, ...), float32.
        z: array (m, k), float32 (injected noise).
    Returns:
        ``{"d_loss": float, "g_loss": float}``: each loss as computed BEFORE its own update.
    """
    raise NotImplementedError("ch10_adversarial.gan_train_step: not implemented yet")


# %%
check("gan_train_step")


# %% [markdown]
# ## Exercise `fgsm` (4 points)
#
# Fast gradient sign method (10.27): `x' = clip(x + eps * sign(grad_x L(x, y)), clip_min, clip_max)`.
#
# TensorFlow-only (the input gradient by `tf.GradientTape`). `L` is the cross-entropy on the
# model's logits (binary for one output unit, sparse categorical otherwise; see the module
# docstring); `sign(0) = 0`. The result is clipped to the data box `[clip_min, clip_max]`
# (`None` for no bound on that side), so `||x' - x||_inf <= eps` when `x` is inside the box.
# FGSM is an UNTARGETED one-step attack: it increases the loss to first order; for a loss convex
# in `x` (a linear model) the loss does not decrease, for a deep net it may (erratum: not
# "always increases the loss").
#
# **Args:**
#
# - model: Keras model, x (n, ...) -> logits (n, k) or (n, 1).
# - x: array (n, ...) in the box; y: int array (n,).
# - eps: float >= 0.
#
# **Returns:**
#
# - float32 array shaped like `x`.

# %%
def fgsm(model, x, y, eps, clip_min=0.0, clip_max=1.0):
    """Fast gradient sign method (10.27): ``x' = clip(x + eps * sign(grad_x L(x, y)), clip_min, clip_max)``.

    TensorFlow-only (the input gradient by ``tf.GradientTape``). ``L`` is the cross-entropy on the
    model's logits (binary for one output unit, sparse categorical otherwise; see the module
    docstring); ``sign(0) = 0``. The result is clipped to the data box ``[clip_min, clip_max]``
    (``None`` for no bound on that side), so ``||x' - x||_inf <= eps`` when ``x`` is inside the box.
    FGSM is an UNTARGETED one-step attack: it increases the loss to first order; for a loss convex
    in ``x`` (a linear model) the loss does not decrease, for a deep net it may (erratum: not
    "always increases the loss").

    Args:
        model: Keras model, x (n, ...) -> logits (n, k) or (n, 1).
        x: array (n, ...) in the box; y: int array (n,).
        eps: float >= 0.
    Returns:
        float32 array shaped like ``x``.
    """
    raise NotImplementedError("ch10_adversarial.fgsm: not implemented yet")


# %%
check("fgsm")


# %% [markdown]
# ## Exercise `pgd` (5 points)
#
# Projected gradient descent (10.29), L-inf: `steps` FGSM steps of size `alpha`, each projected.
#
# TensorFlow-only (uses input gradients). Start `x_0 = x`, or with `random_start` ``x_0 =
# clip(x + rng.uniform(-eps, eps, size=x.shape), 0, 1)`` (one draw, float64, then float32). Each
# step `x_{i+1} = P(x_i + alpha sign(grad L(x_i, y)))` where `P` clips to the eps-ball around
# the ORIGINAL `x` (`[x - eps, x + eps]`) AND to the data box `[0, 1]` (erratum: the notes'
# `clip_eps` in (10.29) names only the ball; every iterate must also be a valid image). `L` as
# in `fgsm`. On a binary logistic (one-unit linear) model with `steps * alpha >= eps`
# (`>= 2 eps` from a random start) PGD returns FGSM's answer.
#
# **Args:**
#
# - model, x, y: as in `fgsm` (`x` inside [0, 1]).
# - eps: ball radius; alpha: step size; steps: int >= 0.
# - random_start: start at a uniform random point of the ball (needs `rng`).
# - rng: `np.random.Generator`.
#
# **Returns:**
#
# - float32 array shaped like `x`.

# %%
def pgd(model, x, y, eps, alpha, steps, random_start=False, rng=None):
    """Projected gradient descent (10.29), L-inf: ``steps`` FGSM steps of size ``alpha``, each projected.

    TensorFlow-only (uses input gradients). Start ``x_0 = x``, or with ``random_start`` ``x_0 =
    clip(x + rng.uniform(-eps, eps, size=x.shape), 0, 1)`` (one draw, float64, then float32). Each
    step ``x_{i+1} = P(x_i + alpha sign(grad L(x_i, y)))`` where ``P`` clips to the eps-ball around
    the ORIGINAL ``x`` (``[x - eps, x + eps]``) AND to the data box ``[0, 1]`` (erratum: the notes'
    ``clip_eps`` in (10.29) names only the ball; every iterate must also be a valid image). ``L`` as
    in ``fgsm``. On a binary logistic (one-unit linear) model with ``steps * alpha >= eps``
    (``>= 2 eps`` from a random start) PGD returns FGSM's answer.

    Args:
        model, x, y: as in ``fgsm`` (``x`` inside [0, 1]).
        eps: ball radius; alpha: step size; steps: int >= 0.
        random_start: start at a uniform random point of the ball (needs ``rng``).
        rng: ``np.random.Generator``.
    Returns:
        float32 array shaped like ``x``.
    """
    raise NotImplementedError("ch10_adversarial.pgd: not implemented yet")


# %%
check("pgd")


# %% [markdown]
# ## Exercise `cw_margin` (2 points)
#
# The Carlini-Wagner targeted margin on LOGITS: `max(max_{i != t} Z_i - Z_t, -kappa)`.
#
# Zero (at `kappa = 0`) exactly when the target already wins, positive otherwise: the `f` of
# (10.23)/(10.26). This is the CW form with confidence `kappa` (the other common form,
# `max(m + kappa, 0)`, agrees only at `kappa = 0`). Erratum: (10.26) writes it on `F`
# (the softmax probabilities); use the logits `Z`: probabilities saturate, so the margin and its
# gradient vanish for confident predictions.
#
# **Args:**
#
# - logits: array (n, k) (or (k,) for one sample), k >= 2.
# - target: int or int array (n,).
# - kappa: float >= 0.
#
# **Returns:**
#
# - float array (n,) (a float for 1-D logits).

# %%
def cw_margin(logits, target, kappa=0.0):
    """The Carlini-Wagner targeted margin on LOGITS: ``max(max_{i != t} Z_i - Z_t, -kappa)``.

    Zero (at ``kappa = 0``) exactly when the target already wins, positive otherwise: the ``f`` of
    (10.23)/(10.26). This is the CW form with confidence ``kappa`` (the other common form,
    ``max(m + kappa, 0)``, agrees only at ``kappa = 0``). Erratum: (10.26) writes it on ``F``
    (the softmax probabilities); use the logits ``Z``: probabilities saturate, so the margin and its
    gradient vanish for confident predictions.

    Args:
        logits: array (n, k) (or (k,) for one sample), k >= 2.
        target: int or int array (n,).
        kappa: float >= 0.
    Returns:
        float array (n,) (a float for 1-D logits).
    """
    raise NotImplementedError("ch10_adversarial.cw_margin: not implemented yet")


# %%
check("cw_margin")


# %% [markdown]
# ## Exercise `targeted_attack` (5 points)
#
# Targeted attack in the penalty form (10.19)/(10.26) by projected gradient descent.
#
# TensorFlow-only (input gradients). Minimizes, per sample, `||x' - x||_2^2 + c * m(x')` with `m`
# the CW margin on logits at `kappa = 0` (`cw_margin`), over `x'` in the box `[0, 1]`:
# start `x'_0 = x`, then `steps` times `x' <- clip(x' - lr * grad, 0, 1)` (plain gradient
# descent; the objective is summed over the batch, which leaves each sample's gradient its own).
# Erratum: the box constraint is on the IMAGE `x' = x + delta`, not on `delta` as (10.20)-(10.26)
# write `delta in [0, 1]^n`.
#
# **Args:**
#
# - model: Keras model returning logits (n, k).
# - x: array (n, ...) in [0, 1]; target: int or int array (n,).
# - c: penalty weight; steps: int; lr: step size.
#
# **Returns:**
#
# - float32 array shaped like `x`.

# %%
def targeted_attack(model, x, target, c, steps, lr):
    """Targeted attack in the penalty form (10.19)/(10.26) by projected gradient descent.

    TensorFlow-only (input gradients). Minimizes, per sample, ``||x' - x||_2^2 + c * m(x')`` with ``m``
    the CW margin on logits at ``kappa = 0`` (``cw_margin``), over ``x'`` in the box ``[0, 1]``:
    start ``x'_0 = x``, then ``steps`` times ``x' <- clip(x' - lr * grad, 0, 1)`` (plain gradient
    descent; the objective is summed over the batch, which leaves each sample's gradient its own).
    Erratum: the box constraint is on the IMAGE ``x' = x + delta``, not on ``delta`` as (10.20)-(10.26)
    write ``delta in [0, 1]^n``.

    Args:
        model: Keras model returning logits (n, k).
        x: array (n, ...) in [0, 1]; target: int or int array (n,).
        c: penalty weight; steps: int; lr: step size.
    Returns:
        float32 array shaped like ``x``.
    """
    raise NotImplementedError("ch10_adversarial.targeted_attack: not implemented yet")


# %%
check("targeted_attack")


# %% [markdown]
# ## Exercise `universal_perturbation` (2 points)
#
# One L-inf perturbation `v` for a whole batch (a "universal" perturbation), by projected
# sign-gradient ascent on the summed loss: `v_0 = 0`, `v <- clip(v + alpha sign(g), -eps, eps)`
# with `g = grad_v sum_i L(x_i + v, y_i)` (`L` as in `fgsm`; the loss is taken at `x_i + v`
# unclipped; apply `v` to an image as `clip(x + v, 0, 1)`). TensorFlow-only (input gradients).
#
# A simplified, gradient-sign version of the universal perturbations of Moosavi-Dezfooli et al.:
# the same small `v` must fool many inputs at once.
#
# **Args:**
#
# - model, x, y: as in `fgsm`; eps: ball radius; alpha: step size; steps: int >= 0.
#
# **Returns:**
#
# - float32 array of shape `x.shape[1:]` (one sample's shape), `|v| <= eps` everywhere.

# %%
def universal_perturbation(model, x, y, eps, alpha, steps):
    """One L-inf perturbation ``v`` for a whole batch (a "universal" perturbation), by projected
    sign-gradient ascent on the summed loss: ``v_0 = 0``, ``v <- clip(v + alpha sign(g), -eps, eps)``
    with ``g = grad_v sum_i L(x_i + v, y_i)`` (``L`` as in ``fgsm``; the loss is taken at ``x_i + v``
    unclipped; apply ``v`` to an image as ``clip(x + v, 0, 1)``). TensorFlow-only (input gradients).

    A simplified, gradient-sign version of the universal perturbations of Moosavi-Dezfooli et al.:
    the same small ``v`` must fool many inputs at once.

    Args:
        model, x, y: as in ``fgsm``; eps: ball radius; alpha: step size; steps: int >= 0.
    Returns:
        float32 array of shape ``x.shape[1:]`` (one sample's shape), ``|v| <= eps`` everywhere.
    """
    raise NotImplementedError("ch10_adversarial.universal_perturbation: not implemented yet")


# %%
check("universal_perturbation")


# %% [markdown]
# ## Exercise `linear_min_perturbation` (1 point)
#
# Smallest L2 perturbation onto the decision boundary of a linear classifier `f(x) = w.x + b`.
#
# `r = -f(x) w / ||w||^2` (so `f(x + r) = 0` and `||r|| = |f(x)| / ||w||` is the distance to
# the hyperplane). Rows of `x` are samples.
#
# **Args:**
#
# - w: array (d,); b: float; x: array (d,) or (n, d).
#
# **Returns:**
#
# - array shaped like `x`.

# %%
def linear_min_perturbation(w, b, x):
    """Smallest L2 perturbation onto the decision boundary of a linear classifier ``f(x) = w.x + b``.

    ``r = -f(x) w / ||w||^2`` (so ``f(x + r) = 0`` and ``||r|| = |f(x)| / ||w||`` is the distance to
    the hyperplane). Rows of ``x`` are samples.

    Args:
        w: array (d,); b: float; x: array (d,) or (n, d).
    Returns:
        array shaped like ``x``.
    """
    raise NotImplementedError("ch10_adversarial.linear_min_perturbation: not implemented yet")


# %%
check("linear_min_perturbation")
