# %% [markdown]
# # Chapter 7 - Regularization: penalties, norm balls, early stopping, normalization, dropout.
#
# Conventions used throughout this file:
#
# * Samples are rows: a batch of feature vectors is `(m, D)`; images are NHWC `(N, H, W, C)`.
# * Penalties follow Keras: `L1(lam)` is `lam * sum |w|` and `L2(lam)` is `lam * sum w^2`
#   (no 1/2, so the gradient of the L2 penalty is `2 lam w`). The "L2 norm" of a matrix in the
#   notes is the Frobenius norm (7.3); an array of any shape is measured as one long vector.
# * Epochs are counted from 0, as Keras passes them to `on_epoch_end`.
# * Batch statistics use the BIASED variance (divide by `m`, Fig. 7.12), as Keras does, both for
#   normalizing and for the moving averages of `BatchNorm`.
# * Dropout: `keep_prob` is the notes' `p`, the probability of KEEPING a unit; Keras' `rate` is
#   the probability of dropping it (`rate = 1 - p`). Dropout here is inverted: kept units are scaled
#   by `1 / p` during training and nothing happens at inference.
# * Randomness comes in through arguments (a `np.random.Generator`, or random weights `W`).
#
# numpy everywhere; Keras (3 API: `keras.layers`, `keras.ops`) only in the three exercises about
# Keras objects: `BatchNorm`, `FrobeniusBall` and `MyEarlyStopping`. A function may call the
# other exercises of this file.
#
# **How to work in this notebook.** Run the setup cell below first. Then, for each exercise, write your
# code in place of the `raise NotImplementedError(...)` line, run the cell, and run the check cell
# after it: `check("name")` runs that exercise's public checks on the definition in this kernel and
# prints `PASS` or `FAIL` for each case (a hang stops after the time limit; an error in your code is a
# `FAIL` line); `check()` runs the whole chapter. From a shell, `autograder check ch07` checks the
# exercises folder (this notebook, or the paired `ch07_regularization.py` file), and `autograder check
# ch07_regularization.ipynb` this notebook. Your grade comes from hidden cases with other inputs. Scratch
# cells (plots, training runs, prints) are fine: grading keeps only the imports, definitions and
# constants, and leaves the rest out.
#
# _Generated from the answer key by `autograder sync` (course maintainers edit `solutions/`)._

# %%
import keras
import numpy as np

# check("name") runs an exercise's public checks on your definition; check() all of them
from autograder.notebook import Checks

check = Checks("ch07_regularization")


# %% [markdown]
# ## Exercise `l1_penalty` (2 points)
#
# L1 (lasso) penalty `lam * rho(Theta)` of (7.2) with `rho = sum_k sum_ij |W_k[ij]|`.
#
# Equal to `sum(keras.regularizers.L1(lam)(w) for w in weights)`.
#
# **Args:**
#
# - weights: list of arrays of any shapes (e.g. the kernels of several layers).
# - lam: penalty factor `>= 0`.
#
# **Returns:**
#
# - float.

# %%
def l1_penalty(weights, lam):
    """L1 (lasso) penalty ``lam * rho(Theta)`` of (7.2) with ``rho = sum_k sum_ij |W_k[ij]|``.

    Equal to ``sum(keras.regularizers.L1(lam)(w) for w in weights)``.

    Args:
        weights: list of arrays of any shapes (e.g. the kernels of several layers).
        lam: penalty factor ``>= 0``.

    Returns:
        float.
    """
    raise NotImplementedError("ch07_regularization.l1_penalty: not implemented yet")


# %%
check("l1_penalty")


# %% [markdown]
# ## Exercise `l2_penalty` (2 points)
#
# L2 (Tikhonov) penalty `lam * rho(Theta)` of (7.2) with `rho = sum_k sum_ij W_k[ij]^2`.
#
# Keras' convention: NO factor 1/2 (its gradient is `2 lam W`). Equal to
# `sum(keras.regularizers.L2(lam)(w) for w in weights)`.
#
# **Args:**
#
# - weights: list of arrays of any shapes.
# - lam: penalty factor `>= 0`.
#
# **Returns:**
#
# - float.

# %%
def l2_penalty(weights, lam):
    """L2 (Tikhonov) penalty ``lam * rho(Theta)`` of (7.2) with ``rho = sum_k sum_ij W_k[ij]^2``.

    Keras' convention: NO factor 1/2 (its gradient is ``2 lam W``). Equal to
    ``sum(keras.regularizers.L2(lam)(w) for w in weights)``.

    Args:
        weights: list of arrays of any shapes.
        lam: penalty factor ``>= 0``.

    Returns:
        float.
    """
    raise NotImplementedError("ch07_regularization.l2_penalty: not implemented yet")


# %%
check("l2_penalty")


# %% [markdown]
# ## Exercise `project_l2_ball` (2 points)
#
# Euclidean projection onto the L2 ball `{u : ||u||_2 <= r}` ((7.4) with p = 2, radius r).
#
# `v` is left alone when it is inside; otherwise it is scaled back onto the sphere:
# `v * min(1, r / ||v||)`. An array of any shape is treated as one vector (for a matrix that is the
# Frobenius norm (7.3)).
#
# **Args:**
#
# - v: array of any shape.
# - r: radius `>= 0`.
#
# **Returns:**
#
# - np.ndarray of the shape of `v`.
#
# **Raises:**
#
# - ValueError: if `r < 0`.

# %%
def project_l2_ball(v, r):
    """Euclidean projection onto the L2 ball ``{u : ||u||_2 <= r}`` ((7.4) with p = 2, radius r).

    ``v`` is left alone when it is inside; otherwise it is scaled back onto the sphere:
    ``v * min(1, r / ||v||)``. An array of any shape is treated as one vector (for a matrix that is the
    Frobenius norm (7.3)).

    Args:
        v: array of any shape.
        r: radius ``>= 0``.

    Returns:
        np.ndarray of the shape of ``v``.

    Raises:
        ValueError: if ``r < 0``.
    """
    raise NotImplementedError("ch07_regularization.project_l2_ball: not implemented yet")


# %%
check("project_l2_ball")


# %% [markdown]
# ## Exercise `project_l1_ball` (5 points)
#
# Euclidean projection onto the L1 ball `{u : ||u||_1 <= r}` ((7.4) with p = 1, radius r).
#
# The closest point of the ball: `argmin_u ||u - v||_2` subject to `||u||_1 <= r`. Inside the
# ball that is `v` itself. Outside, it is a soft-threshold `sign(v) max(|v| - theta, 0)` with
# the `theta > 0` that puts the result exactly on the sphere `||u||_1 = r` (find it by sorting
# `|v|` in decreasing order, Duchi et al. 2008). Entries with `|v_i| <= theta` become exact
# zeros: this is why the corners of the L1 ball give sparse solutions (Fig. 7.3). It is NOT
# `v * r / ||v||_1` (that point is on the sphere but not the closest one). An array of any shape
# is treated as one vector.
#
# **Args:**
#
# - v: array of any shape.
# - r: radius `>= 0`.
#
# **Returns:**
#
# - np.ndarray of the shape of `v`.
#
# **Raises:**
#
# - ValueError: if `r < 0`.

# %%
def project_l1_ball(v, r):
    """Euclidean projection onto the L1 ball ``{u : ||u||_1 <= r}`` ((7.4) with p = 1, radius r).

    The closest point of the ball: ``argmin_u ||u - v||_2`` subject to ``||u||_1 <= r``. Inside the
    ball that is ``v`` itself. Outside, it is a soft-threshold ``sign(v) max(|v| - theta, 0)`` with
    the ``theta > 0`` that puts the result exactly on the sphere ``||u||_1 = r`` (find it by sorting
    ``|v|`` in decreasing order, Duchi et al. 2008). Entries with ``|v_i| <= theta`` become exact
    zeros: this is why the corners of the L1 ball give sparse solutions (Fig. 7.3). It is NOT
    ``v * r / ||v||_1`` (that point is on the sphere but not the closest one). An array of any shape
    is treated as one vector.

    Args:
        v: array of any shape.
        r: radius ``>= 0``.

    Returns:
        np.ndarray of the shape of ``v``.

    Raises:
        ValueError: if ``r < 0``.
    """
    raise NotImplementedError("ch07_regularization.project_l1_ball: not implemented yet")


# %%
check("project_l1_ball")


# %% [markdown]
# ## Exercise `early_stopping` (4 points)
#
# Early stopping with patience, as `keras.callbacks.EarlyStopping(patience, min_delta)` does.
#
# Walk through the validation losses epoch by epoch (epochs count from 0), keeping the best value
# so far and a counter `wait` of epochs since the last improvement:
#
# * epoch `e` IMPROVES when `loss[e] < best - min_delta` (strictly; epoch 0 always improves, it
#   sets the first best); compare with the BEST value, not with the previous epoch;
# * on an improvement: `best = loss[e]`, `best_epoch = e`, `wait = 0`;
# * otherwise `wait += 1`, and training stops at epoch `e` when `wait >= patience` and
#   `e > 0`. So `patience = 0` and `patience = 1` both stop at the first epoch without
#   improvement, and `patience = k` tolerates `k - 1` such epochs in a row.
#
# Erratum: the notes' "stop as soon as the validation loss increases" ignores noise; patience
# counts epochs WITHOUT IMPROVEMENT (not epochs of increase), and the model to keep is the one
# of `best_epoch`, not the last one.
#
# **Args:**
#
# - val_losses: sequence of floats, one per epoch (non-empty).
# - patience: int `>= 0`.
# - min_delta: how much lower than the best a loss must be to count as an improvement (`>= 0`).
#
# **Returns:**
#
# - (stop_epoch, best_epoch): ints; `stop_epoch` is None when the losses run out before the
#   patience does (training was never stopped).
#
# Example: losses `[1.0, .8, .7, .72, .69, .71, .73, .74]` with patience 2 give `(6, 4)`.

# %%
def early_stopping(val_losses, patience, min_delta=0.0):
    """Early stopping with patience, as ``keras.callbacks.EarlyStopping(patience, min_delta)`` does.

    Walk through the validation losses epoch by epoch (epochs count from 0), keeping the best value
    so far and a counter ``wait`` of epochs since the last improvement:

    * epoch ``e`` IMPROVES when ``loss[e] < best - min_delta`` (strictly; epoch 0 always improves, it
      sets the first best); compare with the BEST value, not with the previous epoch;
    * on an improvement: ``best = loss[e]``, ``best_epoch = e``, ``wait = 0``;
    * otherwise ``wait += 1``, and training stops at epoch ``e`` when ``wait >= patience`` and
      ``e > 0``. So ``patience = 0`` and ``patience = 1`` both stop at the first epoch without
      improvement, and ``patience = k`` tolerates ``k - 1`` such epochs in a row.

    Erratum: the notes' "stop as soon as the validation loss increases" ignores noise; patience
    counts epochs WITHOUT IMPROVEMENT (not epochs of increase), and the model to keep is the one
    of ``best_epoch``, not the last one.

    Args:
        val_losses: sequence of floats, one per epoch (non-empty).
        patience: int ``>= 0``.
        min_delta: how much lower than the best a loss must be to count as an improvement (``>= 0``).

    Returns:
        (stop_epoch, best_epoch): ints; ``stop_epoch`` is None when the losses run out before the
        patience does (training was never stopped).

    Example: losses ``[1.0, .8, .7, .72, .69, .71, .73, .74]`` with patience 2 give ``(6, 4)``.
    """
    raise NotImplementedError("ch07_regularization.early_stopping: not implemented yet")


# %%
check("early_stopping")


# %% [markdown]
# ## Exercise `bn_forward` (2 points)
#
# Batch-normalization forward pass in training mode (the algorithm of Fig. 7.12, (7.10)).
#
# Per feature `j` (column), over the `m` samples of the batch::
#
#     mu_j = mean_i x_ij,   var_j = mean_i (x_ij - mu_j)^2        (BIASED variance, divide by m)
#     xhat_ij = (x_ij - mu_j) / sqrt(var_j + eps)
#     y_ij = gamma_j xhat_ij + beta_j
#
# `eps` goes INSIDE the square root. Erratum: (7.9) is a standardization (zero mean, unit
# variance per feature), not a whitening: correlations between features are left as they are.
#
# **Args:**
#
# - x: batch of shape `(m, D)`.
# - gamma, beta: scale and shift of shape `(D,)`.
# - eps: small constant added to the variance.
#
# **Returns:**
#
# - (y, cache): `y` of shape `(m, D)`; `cache` is anything you want to hand to
#   `bn_backward` (only your own `bn_backward` reads it).

# %%
def bn_forward(x, gamma, beta, eps=1e-5):
    """Batch-normalization forward pass in training mode (the algorithm of Fig. 7.12, (7.10)).

    Per feature ``j`` (column), over the ``m`` samples of the batch::

        mu_j = mean_i x_ij,   var_j = mean_i (x_ij - mu_j)^2        (BIASED variance, divide by m)
        xhat_ij = (x_ij - mu_j) / sqrt(var_j + eps)
        y_ij = gamma_j xhat_ij + beta_j

    ``eps`` goes INSIDE the square root. Erratum: (7.9) is a standardization (zero mean, unit
    variance per feature), not a whitening: correlations between features are left as they are.

    Args:
        x: batch of shape ``(m, D)``.
        gamma, beta: scale and shift of shape ``(D,)``.
        eps: small constant added to the variance.

    Returns:
        (y, cache): ``y`` of shape ``(m, D)``; ``cache`` is anything you want to hand to
        ``bn_backward`` (only your own ``bn_backward`` reads it).
    """
    raise NotImplementedError("ch07_regularization.bn_forward: not implemented yet")


# %%
check("bn_forward")


# %% [markdown]
# ## Exercise `bn_backward` (5 points)
#
# Backward pass of `bn_forward`: gradients of a scalar loss given `dy = dloss/dy`.
#
# The batch statistics depend on every sample, so `dx` is NOT just `gamma * dy / std`: with
# `g = gamma * dy` (the gradient with respect to `xhat`), per feature::
#
#     dx = (1 / (m std)) * (m g - sum_i g_i - xhat * sum_i (g_i xhat_i)),   std = sqrt(var + eps)
#     dgamma = sum_i dy_i xhat_i,   dbeta = sum_i dy_i
#
# (7.8): the normalization must be differentiable, through the statistics too. Consequences:
# `dx` sums to 0 over the batch in each column, and adding a constant to a column of `x` changes
# nothing (the reason for dropping the bias in (7.11)).
#
# **Args:**
#
# - dy: upstream gradient of shape `(m, D)`.
# - cache: what `bn_forward` returned.
#
# **Returns:**
#
# - (dx, dgamma, dbeta) with shapes `(m, D)`, `(D,)`, `(D,)`.

# %%
def bn_backward(dy, cache):
    """Backward pass of ``bn_forward``: gradients of a scalar loss given ``dy = dloss/dy``.

    The batch statistics depend on every sample, so ``dx`` is NOT just ``gamma * dy / std``: with
    ``g = gamma * dy`` (the gradient with respect to ``xhat``), per feature::

        dx = (1 / (m std)) * (m g - sum_i g_i - xhat * sum_i (g_i xhat_i)),   std = sqrt(var + eps)
        dgamma = sum_i dy_i xhat_i,   dbeta = sum_i dy_i

    (7.8): the normalization must be differentiable, through the statistics too. Consequences:
    ``dx`` sums to 0 over the batch in each column, and adding a constant to a column of ``x`` changes
    nothing (the reason for dropping the bias in (7.11)).

    Args:
        dy: upstream gradient of shape ``(m, D)``.
        cache: what ``bn_forward`` returned.

    Returns:
        (dx, dgamma, dbeta) with shapes ``(m, D)``, ``(D,)``, ``(D,)``.
    """
    raise NotImplementedError("ch07_regularization.bn_backward: not implemented yet")


# %%
check("bn_backward")


# %% [markdown]
# ## Exercise `BatchNorm` (6 points)
#
# Batch normalization as a Keras layer, with moving statistics for inference (section 7.3).
#
# Behaves like `keras.layers.BatchNormalization(axis=-1, momentum=momentum, epsilon=epsilon)`:
# the statistics are taken over every axis except the LAST one (the features, or the channels of
# NHWC images), and each of the `C = input_shape[-1]` features has its own scale and shift.
#
# `BatchNorm(momentum=0.99, epsilon=1e-3, **kwargs)`: pass `**kwargs` (e.g. `name`) on to
# `keras.layers.Layer`; keep `momentum` and `epsilon` as attributes of those names.
#
# `build(input_shape)` creates, with `self.add_weight`, four weights of shape `(C,)` stored
# as attributes of exactly these names: `gamma` (ones) and `beta` (zeros), trainable;
# `moving_mean` (zeros) and `moving_variance` (ones), NOT trainable (`trainable=False`).
#
# `call(x, training=False)`:
#
# * `training=True`: normalize with the batch mean and BIASED batch variance (Fig. 7.12), output
#   `gamma * (x - mean) / sqrt(var + epsilon) + beta`, and update the moving statistics (Keras 3
#   convention; PyTorch's `momentum` means `1 - momentum` and it uses the unbiased variance)::
#
#       moving_mean     <- momentum * moving_mean     + (1 - momentum) * mean
#       moving_variance <- momentum * moving_variance + (1 - momentum) * var
#
#   (`self.moving_mean.assign(...)`);
# * `training=False` (inference, the default when the layer is called directly): use
#   `moving_mean` and `moving_variance` instead of the batch's; change nothing.
#
# Keras passes `training=True` by itself inside `model.fit`. Use `keras.ops` (`mean`,
# `var`, `sqrt`) on tensors; `keras.ops.batch_normalization` and Keras' normalization layers
# are not allowed.
#
# `get_config()` returns the base layer's config plus `momentum` and `epsilon`, so that
# `BatchNorm.from_config(layer.get_config())` rebuilds an equivalent layer.

# %%
class BatchNorm(keras.layers.Layer):
    """Batch normalization as a Keras layer, with moving statistics for inference (section 7.3).

    Behaves like ``keras.layers.BatchNormalization(axis=-1, momentum=momentum, epsilon=epsilon)``:
    the statistics are taken over every axis except the LAST one (the features, or the channels of
    NHWC images), and each of the ``C = input_shape[-1]`` features has its own scale and shift.

    ``BatchNorm(momentum=0.99, epsilon=1e-3, **kwargs)``: pass ``**kwargs`` (e.g. ``name``) on to
    ``keras.layers.Layer``; keep ``momentum`` and ``epsilon`` as attributes of those names.

    ``build(input_shape)`` creates, with ``self.add_weight``, four weights of shape ``(C,)`` stored
    as attributes of exactly these names: ``gamma`` (ones) and ``beta`` (zeros), trainable;
    ``moving_mean`` (zeros) and ``moving_variance`` (ones), NOT trainable (``trainable=False``).

    ``call(x, training=False)``:

    * ``training=True``: normalize with the batch mean and BIASED batch variance (Fig. 7.12), output
      ``gamma * (x - mean) / sqrt(var + epsilon) + beta``, and update the moving statistics (Keras 3
      convention; PyTorch's ``momentum`` means ``1 - momentum`` and it uses the unbiased variance)::

          moving_mean     <- momentum * moving_mean     + (1 - momentum) * mean
          moving_variance <- momentum * moving_variance + (1 - momentum) * var

      (``self.moving_mean.assign(...)``);
    * ``training=False`` (inference, the default when the layer is called directly): use
      ``moving_mean`` and ``moving_variance`` instead of the batch's; change nothing.

    Keras passes ``training=True`` by itself inside ``model.fit``. Use ``keras.ops`` (``mean``,
    ``var``, ``sqrt``) on tensors; ``keras.ops.batch_normalization`` and Keras' normalization layers
    are not allowed.

    ``get_config()`` returns the base layer's config plus ``momentum`` and ``epsilon``, so that
    ``BatchNorm.from_config(layer.get_config())`` rebuilds an equivalent layer.
    """

    def __init__(self, momentum=0.99, epsilon=1e-3, **kwargs):
        """Store ``momentum`` and ``epsilon``; pass ``**kwargs`` to ``keras.layers.Layer``."""
        raise NotImplementedError("ch07_regularization.BatchNorm.__init__: not implemented yet")

    def build(self, input_shape):
        """Create ``gamma``, ``beta``, ``moving_mean`` and ``moving_variance`` of shape ``(C,)``."""
        raise NotImplementedError("ch07_regularization.BatchNorm.build: not implemented yet")

    def call(self, x, training=False):
        """Normalize ``x`` with batch (training) or moving (inference) statistics; scale and shift."""
        raise NotImplementedError("ch07_regularization.BatchNorm.call: not implemented yet")

    def get_config(self):
        """The base config plus ``momentum`` and ``epsilon``."""
        raise NotImplementedError("ch07_regularization.BatchNorm.get_config: not implemented yet")


# %%
check("BatchNorm")


# %% [markdown]
# ## Exercise `normalize` (4 points)
#
# Batch, layer, instance or group normalization of NHWC images (Fig. 7.13), without scale/shift.
#
# Each value becomes `(x - mean) / sqrt(var + eps)` with the mean and BIASED variance of the
# set of values it is normalized with:
#
# * `"batch"`: per channel, over `(N, H, W)` (all samples: the only mode that mixes samples);
# * `"layer"`: per sample, over `(H, W, C)`;
# * `"instance"`: per sample and channel, over `(H, W)`;
# * `"group"`: per sample and group, over `(H, W)` and the `C / groups` consecutive channels
#   of the group (channel `c` is in group `c // (C / groups)`: fixed blocks of channels, not the
#   notes' "within some radius" of each channel). `groups = 1` is layer norm,
#   `groups = C` instance norm; it equals `keras.layers.GroupNormalization(groups, epsilon=eps)`
#   with its initial scale 1 and shift 0.
#
# Erratum: layer norm normalizes each sample over ALL of (H, W, C); Keras' `LayerNormalization`
# defaults to the last axis only (`axis=-1`), which normalizes the C channels of each pixel
# separately; `LayerNormalization(axis=(1, 2, 3))` is the layer norm of the figure.
#
# **Args:**
#
# - x: array of shape `(N, H, W, C)`.
# - mode: `"batch"`, `"layer"`, `"instance"` or `"group"`.
# - groups: number of groups (only for `"group"`; must divide `C`).
# - eps: added to the variance.
#
# **Returns:**
#
# - np.ndarray of shape `(N, H, W, C)`.
#
# **Raises:**
#
# - ValueError: for an unknown mode, or for `"group"` without `groups` or with `groups` not
#   dividing `C`.

# %%
def normalize(x, mode="batch", groups=None, eps=1e-5):
    """Batch, layer, instance or group normalization of NHWC images (Fig. 7.13), without scale/shift.

    Each value becomes ``(x - mean) / sqrt(var + eps)`` with the mean and BIASED variance of the
    set of values it is normalized with:

    * ``"batch"``: per channel, over ``(N, H, W)`` (all samples: the only mode that mixes samples);
    * ``"layer"``: per sample, over ``(H, W, C)``;
    * ``"instance"``: per sample and channel, over ``(H, W)``;
    * ``"group"``: per sample and group, over ``(H, W)`` and the ``C / groups`` consecutive channels
      of the group (channel ``c`` is in group ``c // (C / groups)``: fixed blocks of channels, not the
      notes' "within some radius" of each channel). ``groups = 1`` is layer norm,
      ``groups = C`` instance norm; it equals ``keras.layers.GroupNormalization(groups, epsilon=eps)``
      with its initial scale 1 and shift 0.

    Erratum: layer norm normalizes each sample over ALL of (H, W, C); Keras' ``LayerNormalization``
    defaults to the last axis only (``axis=-1``), which normalizes the C channels of each pixel
    separately; ``LayerNormalization(axis=(1, 2, 3))`` is the layer norm of the figure.

    Args:
        x: array of shape ``(N, H, W, C)``.
        mode: ``"batch"``, ``"layer"``, ``"instance"`` or ``"group"``.
        groups: number of groups (only for ``"group"``; must divide ``C``).
        eps: added to the variance.

    Returns:
        np.ndarray of shape ``(N, H, W, C)``.

    Raises:
        ValueError: for an unknown mode, or for ``"group"`` without ``groups`` or with ``groups`` not
            dividing ``C``.
    """
    raise NotImplementedError("ch07_regularization.normalize: not implemented yet")


# %%
check("normalize")


# %% [markdown]
# ## Exercise `dropout_forward` (3 points)
#
# Inverted dropout (section 7.4): keep each entry with probability `keep_prob`, scale by 1/p.
#
# Training: draw an independent Bernoulli(`keep_prob`) mask entry for EVERY element of `x`
# (from `rng`, e.g. `rng.random(x.shape) < keep_prob`), and return `x / keep_prob` where the
# mask keeps and `0` where it drops, so that `E[y] = x`. Inference (`training=False`): return
# `x` unchanged (no scaling: inverted dropout moved the notes' test-time weight scaling by `p`
# into training). The same seeded `rng` gives the same mask. Do not modify `x`.
#
# `keep_prob` is the notes' `p`; Keras' `Dropout(rate)` drops with probability
# `rate = 1 - keep_prob`. The notes' "20% of the input units and 50% of the hidden units" are
# DROP rates: `keep_prob` 0.8 and 0.5.
#
# Graded by its properties (the order in which you draw the random numbers is yours): fraction of
# zeros within 5 standard errors of `1 - keep_prob` on 1e6 elements, also in every part of the
# array, kept values `x / keep_prob`, mean preserved, identity at inference, same seed same mask.
#
# **Args:**
#
# - x: array of any shape (nonzero entries, so that a zero in `y` means "dropped").
# - keep_prob: probability of keeping an entry, `0 < keep_prob <= 1`.
# - rng: `np.random.Generator`.
# - training: whether to drop.
#
# **Returns:**
#
# - np.ndarray of the shape of `x`.
#
# **Raises:**
#
# - ValueError: if `keep_prob` is not in `(0, 1]`.

# %%
def dropout_forward(x, keep_prob, rng, training=True):
    """Inverted dropout (section 7.4): keep each entry with probability ``keep_prob``, scale by 1/p.

    Training: draw an independent Bernoulli(``keep_prob``) mask entry for EVERY element of ``x``
    (from ``rng``, e.g. ``rng.random(x.shape) < keep_prob``), and return ``x / keep_prob`` where the
    mask keeps and ``0`` where it drops, so that ``E[y] = x``. Inference (``training=False``): return
    ``x`` unchanged (no scaling: inverted dropout moved the notes' test-time weight scaling by ``p``
    into training). The same seeded ``rng`` gives the same mask. Do not modify ``x``.

    ``keep_prob`` is the notes' ``p``; Keras' ``Dropout(rate)`` drops with probability
    ``rate = 1 - keep_prob``. The notes' "20% of the input units and 50% of the hidden units" are
    DROP rates: ``keep_prob`` 0.8 and 0.5.

    Graded by its properties (the order in which you draw the random numbers is yours): fraction of
    zeros within 5 standard errors of ``1 - keep_prob`` on 1e6 elements, also in every part of the
    array, kept values ``x / keep_prob``, mean preserved, identity at inference, same seed same mask.

    Args:
        x: array of any shape (nonzero entries, so that a zero in ``y`` means "dropped").
        keep_prob: probability of keeping an entry, ``0 < keep_prob <= 1``.
        rng: ``np.random.Generator``.
        training: whether to drop.

    Returns:
        np.ndarray of the shape of ``x``.

    Raises:
        ValueError: if ``keep_prob`` is not in ``(0, 1]``.
    """
    raise NotImplementedError("ch07_regularization.dropout_forward: not implemented yet")


# %%
check("dropout_forward")


# %% [markdown]
# ## Exercise `FrobeniusBall` (3 points)
#
# Keras weight constraint `W <- W min(1, c / ||W||_F)`: the bounded layer norm of (7.3).
#
# After every optimizer step Keras replaces the variable by `constraint(variable)`; this one
# projects the WHOLE weight array onto the Frobenius ball of radius `c` (`project_l2_ball` with
# Keras ops). A weight array inside the ball is left as it is; an all-zero one stays zero (no NaN).
# Contrast: `keras.constraints.MaxNorm(c)` bounds the norm of each COLUMN (each unit's incoming
# weights) separately, which is a different, LARGER set: it contains the Frobenius ball (no column
# is longer than the whole matrix), and a matrix of `k` columns each of norm `c` satisfies
# MaxNorm with Frobenius norm `c sqrt(k)`.
#
# `FrobeniusBall(c)`: keep `c` as an attribute. `__call__(w)` takes and returns a tensor of any
# shape (use `keras.ops`). `get_config()` returns `{"c": c}` so that
# `FrobeniusBall.from_config(config)` rebuilds it.

# %%
class FrobeniusBall(keras.constraints.Constraint):
    """Keras weight constraint ``W <- W min(1, c / ||W||_F)``: the bounded layer norm of (7.3).

    After every optimizer step Keras replaces the variable by ``constraint(variable)``; this one
    projects the WHOLE weight array onto the Frobenius ball of radius ``c`` (``project_l2_ball`` with
    Keras ops). A weight array inside the ball is left as it is; an all-zero one stays zero (no NaN).
    Contrast: ``keras.constraints.MaxNorm(c)`` bounds the norm of each COLUMN (each unit's incoming
    weights) separately, which is a different, LARGER set: it contains the Frobenius ball (no column
    is longer than the whole matrix), and a matrix of ``k`` columns each of norm ``c`` satisfies
    MaxNorm with Frobenius norm ``c sqrt(k)``.

    ``FrobeniusBall(c)``: keep ``c`` as an attribute. ``__call__(w)`` takes and returns a tensor of any
    shape (use ``keras.ops``). ``get_config()`` returns ``{"c": c}`` so that
    ``FrobeniusBall.from_config(config)`` rebuilds it.
    """

    def __init__(self, c):
        """Keep the radius ``c``."""
        raise NotImplementedError("ch07_regularization.FrobeniusBall.__init__: not implemented yet")

    def __call__(self, w):
        """Return ``w * min(1, c / ||w||_F)``, a tensor of the shape of ``w``."""
        raise NotImplementedError("ch07_regularization.FrobeniusBall.__call__: not implemented yet")

    def get_config(self):
        """``{"c": c}``."""
        raise NotImplementedError("ch07_regularization.FrobeniusBall.get_config: not implemented yet")


# %%
check("FrobeniusBall")


# %% [markdown]
# ## Exercise `MyEarlyStopping` (5 points)
#
# Early stopping as a Keras callback, with `restore_best_weights` (section 7.2).
#
# `MyEarlyStopping(monitor="val_loss", patience=0, min_delta=0.0, restore_best_weights=False)`
# behaves like `keras.callbacks.EarlyStopping` with the same arguments and `mode="min"`:
#
# * `on_train_begin(logs=None)`: reset `wait = 0`, `stopped_epoch = 0`, `best_epoch = 0`
#   and the best value and weights (so that one callback can serve several `fit` calls);
# * `on_epoch_end(epoch, logs)`: read `logs[monitor]` and apply the rule of
#   `early_stopping` (improvement when `current < best - min_delta`, epoch 0 always improves;
#   stop when `wait >= patience` and `epoch > 0`). On an improvement remember `best_epoch`
#   and, with `restore_best_weights`, a copy of `self.model.get_weights()`. To stop, set
#   `self.model.stop_training = True` and `stopped_epoch = epoch`;
# * `on_train_end(logs=None)`: with `restore_best_weights`, put the best epoch's weights back
#   with `self.model.set_weights`. As in Keras 3.15 this happens whenever training ends, also
#   when it ran out of epochs without an early stop.
#
# Attributes read by the grader: `stopped_epoch` (0 when training was not stopped, as in Keras)
# and `best_epoch`.

# %%
class MyEarlyStopping(keras.callbacks.Callback):
    """Early stopping as a Keras callback, with ``restore_best_weights`` (section 7.2).

    ``MyEarlyStopping(monitor="val_loss", patience=0, min_delta=0.0, restore_best_weights=False)``
    behaves like ``keras.callbacks.EarlyStopping`` with the same arguments and ``mode="min"``:

    * ``on_train_begin(logs=None)``: reset ``wait = 0``, ``stopped_epoch = 0``, ``best_epoch = 0``
      and the best value and weights (so that one callback can serve several ``fit`` calls);
    * ``on_epoch_end(epoch, logs)``: read ``logs[monitor]`` and apply the rule of
      ``early_stopping`` (improvement when ``current < best - min_delta``, epoch 0 always improves;
      stop when ``wait >= patience`` and ``epoch > 0``). On an improvement remember ``best_epoch``
      and, with ``restore_best_weights``, a copy of ``self.model.get_weights()``. To stop, set
      ``self.model.stop_training = True`` and ``stopped_epoch = epoch``;
    * ``on_train_end(logs=None)``: with ``restore_best_weights``, put the best epoch's weights back
      with ``self.model.set_weights``. As in Keras 3.15 this happens whenever training ends, also
      when it ran out of epochs without an early stop.

    Attributes read by the grader: ``stopped_epoch`` (0 when training was not stopped, as in Keras)
    and ``best_epoch``.
    """

    def __init__(self, monitor="val_loss", patience=0, min_delta=0.0, restore_best_weights=False):
        """Store the arguments (call ``super().__init__()`` first)."""
        raise NotImplementedError("ch07_regularization.MyEarlyStopping.__init__: not implemented yet")

    def on_train_begin(self, logs=None):
        """Reset the state at the start of each ``fit``."""
        raise NotImplementedError("ch07_regularization.MyEarlyStopping.on_train_begin: not implemented yet")

    def on_epoch_end(self, epoch, logs=None):
        """Apply the early-stopping rule to ``logs[monitor]``."""
        raise NotImplementedError("ch07_regularization.MyEarlyStopping.on_epoch_end: not implemented yet")

    def on_train_end(self, logs=None):
        """Restore the best weights if asked to."""
        raise NotImplementedError("ch07_regularization.MyEarlyStopping.on_train_end: not implemented yet")


# %%
check("MyEarlyStopping")


# %% [markdown]
# ## Exercise `gd_quadratic` (2 points)
#
# Gradient descent on a quadratic loss, stopped after `tau` steps (early stopping ~ L2, 7.2).
#
# Loss `J(w) = 1/2 (w - w*)^T H (w - w*)` with `H` symmetric positive semi-definite, start
# `w_0 = 0`, steps `w <- w - alpha H (w - w*)`. In the eigenbasis `H = Q Lambda Q^T` this is
# `w_tau = Q [I - (I - alpha Lambda)^tau] Q^T w*`: each eigen-direction is filtered by
# `1 - (1 - alpha lambda_i)^tau`. Compare with `ridge_solution`, whose filter is
# `lambda_i / (lambda_i + lam)`: for `lam = 1 / (alpha tau)` the two agree to first order in
# `alpha lambda_i tau` when it is small, and both tend to 1 when it is large.
#
# **Args:**
#
# - H: `(d, d)` symmetric PSD.
# - w_star: `(d,)` minimiser of the unregularized loss.
# - alpha: step size (`alpha lambda_max < 2` for convergence).
# - tau: number of steps, `>= 0` (`tau = 0` returns zeros).
#
# **Returns:**
#
# - w_tau of shape `(d,)`.

# %%
def gd_quadratic(H, w_star, alpha, tau):
    """Gradient descent on a quadratic loss, stopped after ``tau`` steps (early stopping ~ L2, 7.2).

    Loss ``J(w) = 1/2 (w - w*)^T H (w - w*)`` with ``H`` symmetric positive semi-definite, start
    ``w_0 = 0``, steps ``w <- w - alpha H (w - w*)``. In the eigenbasis ``H = Q Lambda Q^T`` this is
    ``w_tau = Q [I - (I - alpha Lambda)^tau] Q^T w*``: each eigen-direction is filtered by
    ``1 - (1 - alpha lambda_i)^tau``. Compare with ``ridge_solution``, whose filter is
    ``lambda_i / (lambda_i + lam)``: for ``lam = 1 / (alpha tau)`` the two agree to first order in
    ``alpha lambda_i tau`` when it is small, and both tend to 1 when it is large.

    Args:
        H: ``(d, d)`` symmetric PSD.
        w_star: ``(d,)`` minimiser of the unregularized loss.
        alpha: step size (``alpha lambda_max < 2`` for convergence).
        tau: number of steps, ``>= 0`` (``tau = 0`` returns zeros).

    Returns:
        w_tau of shape ``(d,)``.
    """
    raise NotImplementedError("ch07_regularization.gd_quadratic: not implemented yet")


# %%
check("gd_quadratic")


# %% [markdown]
# ## Exercise `ridge_solution` (2 points)
#
# Minimiser of the L2-penalized quadratic `1/2 (w - w*)^T H (w - w*) + lam/2 ||w||^2`.
#
# Setting the gradient `H (w - w*) + lam w` to zero gives `w~ = (H + lam I)^-1 H w*`: in the
# eigenbasis of `H` each component of `w*` is shrunk by `lambda_i / (lambda_i + lam)`
# (directions of small curvature are shrunk most). Note the 1/2 on the penalty here (the usual form
# of this derivation), unlike Keras' `L2(lam)`.
#
# **Args:**
#
# - H: `(d, d)` symmetric PSD; w_star: `(d,)`; lam: `> 0` (or `>= 0` for invertible `H`).
#
# **Returns:**
#
# - w~ of shape `(d,)`.

# %%
def ridge_solution(H, w_star, lam):
    """Minimiser of the L2-penalized quadratic ``1/2 (w - w*)^T H (w - w*) + lam/2 ||w||^2``.

    Setting the gradient ``H (w - w*) + lam w`` to zero gives ``w~ = (H + lam I)^-1 H w*``: in the
    eigenbasis of ``H`` each component of ``w*`` is shrunk by ``lambda_i / (lambda_i + lam)``
    (directions of small curvature are shrunk most). Note the 1/2 on the penalty here (the usual form
    of this derivation), unlike Keras' ``L2(lam)``.

    Args:
        H: ``(d, d)`` symmetric PSD; w_star: ``(d,)``; lam: ``> 0`` (or ``>= 0`` for invertible ``H``).

    Returns:
        w~ of shape ``(d,)``.
    """
    raise NotImplementedError("ch07_regularization.ridge_solution: not implemented yet")


# %%
check("ridge_solution")


# %% [markdown]
# ## Exercise `double_descent_curve` (3 points)
#
# Train and test MSE of random ReLU features fitted by MINIMUM-NORM least squares (Fig. 7.10).
#
# For each width `p` in `widths`: features `F = relu(X @ W[:, :p])` (the first `p` random
# directions, no bias), coefficients `c` = the minimum-norm least-squares solution of
# `F c ~ y` (`np.linalg.lstsq` or `np.linalg.pinv`; for `p > n` there are infinitely many
# interpolating solutions and the normal equations are singular), and the MEAN squared errors
# `mean((F c - y)^2)` and `mean((relu(X_test @ W[:, :p]) c - y_test)^2)`. The test error peaks
# near the interpolation threshold `p = n` and descends again beyond it, while the training
# error is ~0 for `p >= n`.
#
# **Args:**
#
# - X: `(n, d)`; y: `(n,)`; X_test: `(n_test, d)`; y_test: `(n_test,)`.
# - widths: sequence of ints, each `<= W.shape[1]`.
# - W: `(d, p_max)` random weights.
#
# **Returns:**
#
# - (train_mse, test_mse): arrays of shape `(len(widths),)`.

# %%
def double_descent_curve(X, y, X_test, y_test, widths, W):
    """Train and test MSE of random ReLU features fitted by MINIMUM-NORM least squares (Fig. 7.10).

    For each width ``p`` in ``widths``: features ``F = relu(X @ W[:, :p])`` (the first ``p`` random
    directions, no bias), coefficients ``c`` = the minimum-norm least-squares solution of
    ``F c ~ y`` (``np.linalg.lstsq`` or ``np.linalg.pinv``; for ``p > n`` there are infinitely many
    interpolating solutions and the normal equations are singular), and the MEAN squared errors
    ``mean((F c - y)^2)`` and ``mean((relu(X_test @ W[:, :p]) c - y_test)^2)``. The test error peaks
    near the interpolation threshold ``p = n`` and descends again beyond it, while the training
    error is ~0 for ``p >= n``.

    Args:
        X: ``(n, d)``; y: ``(n,)``; X_test: ``(n_test, d)``; y_test: ``(n_test,)``.
        widths: sequence of ints, each ``<= W.shape[1]``.
        W: ``(d, p_max)`` random weights.

    Returns:
        (train_mse, test_mse): arrays of shape ``(len(widths),)``.
    """
    raise NotImplementedError("ch07_regularization.double_descent_curve: not implemented yet")


# %%
check("double_descent_curve")
