"""Chapter 7 - Regularization: penalties, norm balls, early stopping, normalization, dropout.

Conventions used throughout this file:

* Samples are rows: a batch of feature vectors is ``(m, D)``; images are NHWC ``(N, H, W, C)``.
* Penalties follow Keras: ``L1(lam)`` is ``lam * sum |w|`` and ``L2(lam)`` is ``lam * sum w^2``
  (no 1/2, so the gradient of the L2 penalty is ``2 lam w``). The "L2 norm" of a matrix in the
  notes is the Frobenius norm (7.3); an array of any shape is measured as one long vector.
* Epochs are counted from 0, as Keras passes them to ``on_epoch_end``.
* Batch statistics use the BIASED variance (divide by ``m``, Fig. 7.12), as Keras does, both for
  normalizing and for the moving averages of ``BatchNorm``.
* Dropout: ``keep_prob`` is the notes' ``p``, the probability of KEEPING a unit; Keras' ``rate`` is
  the probability of dropping it (``rate = 1 - p``). Dropout here is inverted: kept units are scaled
  by ``1 / p`` during training and nothing happens at inference.
* Randomness comes in through arguments (a ``np.random.Generator``, or random weights ``W``).

numpy everywhere; Keras (3 API: ``keras.layers``, ``keras.ops``) only in the three exercises about
Keras objects: ``BatchNorm``, ``FrobeniusBall`` and ``MyEarlyStopping``. A function may call the
other exercises of this file.
"""
import keras
import numpy as np


def l1_penalty(weights, lam):
    """L1 (lasso) penalty ``lam * rho(Theta)`` of (7.2) with ``rho = sum_k sum_ij |W_k[ij]|``.

    Equal to ``sum(keras.regularizers.L1(lam)(w) for w in weights)``.

    Args:
        weights: list of arrays of any shapes (e.g. the kernels of several layers).
        lam: penalty factor ``>= 0``.

    Returns:
        float.
    """
    # BEGIN SOLUTION
    return float(lam * sum(np.sum(np.abs(np.asarray(w, dtype=float))) for w in weights))
    # END SOLUTION


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
    # BEGIN SOLUTION
    return float(lam * sum(np.sum(np.square(np.asarray(w, dtype=float))) for w in weights))
    # END SOLUTION


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
    # BEGIN SOLUTION
    if r < 0:
        raise ValueError(f"radius must be >= 0, got {r}")
    v = np.asarray(v, dtype=float)
    norm = np.linalg.norm(v)
    return v.copy() if norm <= r else v * (r / norm)
    # END SOLUTION


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
    # BEGIN SOLUTION
    if r < 0:
        raise ValueError(f"radius must be >= 0, got {r}")
    v = np.asarray(v, dtype=float)
    flat = v.ravel()
    if np.sum(np.abs(flat)) <= r:
        return v.copy()
    if r == 0:
        return np.zeros_like(v)
    u = np.sort(np.abs(flat))[::-1]
    css = np.cumsum(u)
    j = np.arange(1, u.size + 1)
    rho = np.flatnonzero(u * j > css - r)[-1]
    theta = (css[rho] - r) / (rho + 1)
    return (np.sign(flat) * np.maximum(np.abs(flat) - theta, 0.0)).reshape(v.shape)
    # END SOLUTION


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
    # BEGIN SOLUTION
    best, best_epoch, wait = None, 0, 0
    for epoch, loss in enumerate(val_losses):
        if best is None or loss < best - min_delta:
            best, best_epoch, wait = loss, epoch, 0
            continue
        wait += 1
        if wait >= patience and epoch > 0:
            return epoch, best_epoch
    return None, best_epoch
    # END SOLUTION


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
    # BEGIN SOLUTION
    x = np.asarray(x, dtype=float)
    gamma = np.asarray(gamma, dtype=float)
    mu = x.mean(axis=0)
    inv_std = 1.0 / np.sqrt(x.var(axis=0) + eps)
    xhat = (x - mu) * inv_std
    return gamma * xhat + np.asarray(beta, dtype=float), (xhat, inv_std, gamma)
    # END SOLUTION


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
    # BEGIN SOLUTION
    xhat, inv_std, gamma = cache
    dy = np.asarray(dy, dtype=float)
    m = dy.shape[0]
    g = dy * gamma
    dx = inv_std / m * (m * g - g.sum(axis=0) - xhat * np.sum(g * xhat, axis=0))
    return dx, np.sum(dy * xhat, axis=0), dy.sum(axis=0)
    # END SOLUTION


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
        # BEGIN SOLUTION
        super().__init__(**kwargs)
        self.momentum = float(momentum)
        self.epsilon = float(epsilon)
        # END SOLUTION

    def build(self, input_shape):
        """Create ``gamma``, ``beta``, ``moving_mean`` and ``moving_variance`` of shape ``(C,)``."""
        # BEGIN SOLUTION
        shape = (input_shape[-1],)
        self.gamma = self.add_weight(shape=shape, initializer="ones", name="gamma")
        self.beta = self.add_weight(shape=shape, initializer="zeros", name="beta")
        self.moving_mean = self.add_weight(shape=shape, initializer="zeros", trainable=False,
                                           name="moving_mean")
        self.moving_variance = self.add_weight(shape=shape, initializer="ones", trainable=False,
                                               name="moving_variance")
        # END SOLUTION

    def call(self, x, training=False):
        """Normalize ``x`` with batch (training) or moving (inference) statistics; scale and shift."""
        # BEGIN SOLUTION
        if training:
            axes = tuple(range(len(x.shape) - 1))
            mean = keras.ops.mean(x, axis=axes)
            var = keras.ops.var(x, axis=axes)
            self.moving_mean.assign(self.momentum * self.moving_mean + (1.0 - self.momentum) * mean)
            self.moving_variance.assign(self.momentum * self.moving_variance
                                        + (1.0 - self.momentum) * var)
        else:
            mean, var = self.moving_mean, self.moving_variance
        return self.gamma * (x - mean) / keras.ops.sqrt(var + self.epsilon) + self.beta
        # END SOLUTION

    def get_config(self):
        """The base config plus ``momentum`` and ``epsilon``."""
        # BEGIN SOLUTION
        return {**super().get_config(), "momentum": self.momentum, "epsilon": self.epsilon}
        # END SOLUTION


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
    # BEGIN SOLUTION
    x = np.asarray(x, dtype=float)
    n, h, w, c = x.shape
    if mode == "batch":
        view, axes = x, (0, 1, 2)
    elif mode == "layer":
        view, axes = x, (1, 2, 3)
    elif mode == "instance":
        view, axes = x, (1, 2)
    elif mode == "group":
        if groups is None or groups < 1 or c % groups:
            raise ValueError(f"groups={groups} must divide the {c} channels")
        view, axes = x.reshape(n, h, w, groups, c // groups), (1, 2, 4)
    else:
        raise ValueError(f"unknown mode {mode!r}")
    mean = view.mean(axis=axes, keepdims=True)
    var = view.var(axis=axes, keepdims=True)
    return ((view - mean) / np.sqrt(var + eps)).reshape(x.shape)
    # END SOLUTION


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
    # BEGIN SOLUTION
    if not 0 < keep_prob <= 1:
        raise ValueError(f"keep_prob must be in (0, 1], got {keep_prob}")
    x = np.asarray(x, dtype=float)
    if not training:
        return x.copy()
    keep = rng.random(x.shape) < keep_prob
    return np.where(keep, x / keep_prob, 0.0)
    # END SOLUTION


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
        # BEGIN SOLUTION
        self.c = float(c)
        # END SOLUTION

    def __call__(self, w):
        """Return ``w * min(1, c / ||w||_F)``, a tensor of the shape of ``w``."""
        # BEGIN SOLUTION
        norm = keras.ops.sqrt(keras.ops.sum(keras.ops.square(w)))
        return w * keras.ops.minimum(1.0, self.c / keras.ops.maximum(norm, 1e-30))
        # END SOLUTION

    def get_config(self):
        """``{"c": c}``."""
        # BEGIN SOLUTION
        return {"c": self.c}
        # END SOLUTION


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
        # BEGIN SOLUTION
        super().__init__()
        self.monitor = monitor
        self.patience = patience
        self.min_delta = abs(min_delta)
        self.restore_best_weights = restore_best_weights
        # END SOLUTION

    def on_train_begin(self, logs=None):
        """Reset the state at the start of each ``fit``."""
        # BEGIN SOLUTION
        self.wait = 0
        self.stopped_epoch = 0
        self.best_epoch = 0
        self.best = None
        self.best_weights = None
        # END SOLUTION

    def on_epoch_end(self, epoch, logs=None):
        """Apply the early-stopping rule to ``logs[monitor]``."""
        # BEGIN SOLUTION
        current = float((logs or {})[self.monitor])
        if self.best is None or current < self.best - self.min_delta:
            self.best, self.best_epoch, self.wait = current, epoch, 0
            if self.restore_best_weights:
                self.best_weights = self.model.get_weights()
            return
        self.wait += 1
        if self.wait >= self.patience and epoch > 0:
            self.stopped_epoch = epoch
            self.model.stop_training = True
        # END SOLUTION

    def on_train_end(self, logs=None):
        """Restore the best weights if asked to."""
        # BEGIN SOLUTION
        if self.restore_best_weights and self.best_weights is not None:
            self.model.set_weights(self.best_weights)
        # END SOLUTION


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
    # BEGIN SOLUTION
    H = np.asarray(H, dtype=float)
    w_star = np.asarray(w_star, dtype=float)
    w = np.zeros_like(w_star)
    for _ in range(tau):
        w = w - alpha * H @ (w - w_star)
    return w
    # END SOLUTION


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
    # BEGIN SOLUTION
    H = np.asarray(H, dtype=float)
    return np.linalg.solve(H + lam * np.eye(len(H)), H @ np.asarray(w_star, dtype=float))
    # END SOLUTION


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
    # BEGIN SOLUTION
    X, X_test, W = (np.asarray(a, dtype=float) for a in (X, X_test, W))
    y, y_test = np.asarray(y, dtype=float), np.asarray(y_test, dtype=float)
    train, test = [], []
    for p in widths:
        F = np.maximum(X @ W[:, :p], 0.0)
        c = np.linalg.lstsq(F, y, rcond=None)[0]
        train.append(np.mean((F @ c - y) ** 2))
        test.append(np.mean((np.maximum(X_test @ W[:, :p], 0.0) @ c - y_test) ** 2))
    return np.array(train), np.array(test)
    # END SOLUTION
