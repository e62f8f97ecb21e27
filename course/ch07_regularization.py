"""Chapter 7 - Regularization (reference code): penalties and norm balls, early stopping, double
descent, early stopping ~ L2, normalization layers, dropout.

Conventions: samples are rows, images NHWC; Keras' ``L1(lam)`` / ``L2(lam)`` are ``lam sum|w|`` and
``lam sum w^2`` (no 1/2); ``keep_prob`` is the notes' dropout ``p`` (Keras' ``rate`` is ``1 - p``);
epochs count from 0. The notes' two-layer net (7.12) ``y = V s(U x)`` reads, with samples as rows,
``Y = s(X U^T) V^T`` with ``U`` of shape ``(r, d)`` and ``V`` of shape ``(k, r)``: hidden unit ``i``
has incoming weights ``U[i]`` (row ``i`` of ``U``) and outgoing weights ``V[:, i]`` (column ``i``).

Importing this module is light (numpy only): Keras is imported by the functions that use it, and
matplotlib by ``make_figures``.
"""
import functools
import itertools

import numpy as np

from course.datasets import digits, double_descent_data, random_relu_weights

# --------------------------------------------------------------------------------------------------
# Norm balls (7.4)


def project_l2_ball(v, r):
    """Closest point of ``{u : ||u||_2 <= r}`` to ``v`` (any shape, Frobenius for matrices)."""
    v = np.asarray(v, dtype=float)
    return v * min(1.0, r / max(np.linalg.norm(v), 1e-300))


def project_l1_ball(v, r):
    """Closest point of ``{u : ||u||_1 <= r}`` to ``v`` (any shape): a soft-threshold of ``v``.

    Outside the ball the answer is ``sign(v) max(|v| - theta, 0)`` with ``theta`` chosen so that the
    result has L1 norm ``r``; over the sorted magnitudes ``u_1 >= u_2 >= ...`` it is
    ``theta = (u_1 + ... + u_k - r) / k`` for the largest ``k`` with ``u_k > theta`` (Duchi et al.).
    """
    v = np.asarray(v, dtype=float)
    if np.abs(v).sum() <= r:
        return v.copy()
    u = np.sort(np.abs(v), axis=None)[::-1]
    thetas = (np.cumsum(u) - r) / np.arange(1, u.size + 1)
    theta = thetas[np.flatnonzero(u > thetas)[-1]]
    return np.sign(v) * np.maximum(np.abs(v) - theta, 0.0)


def constrained_minimum(A, b, r, p, steps=2000):
    """Minimiser of ``1/2 theta^T A theta - b^T theta`` over the Lp ball of radius ``r`` (p = 1, 2).

    Projected gradient descent with step ``1 / lambda_max(A)`` (``A`` symmetric positive definite):
    the hard-constrained problem of (7.4) and Fig. 7.3.
    """
    project = project_l1_ball if p == 1 else project_l2_ball
    step = 1.0 / np.linalg.eigvalsh(A)[-1]
    theta = np.zeros(len(b))
    for _ in range(steps):
        theta = project(theta - step * (A @ theta - b), r)
    return theta


# --------------------------------------------------------------------------------------------------
# Early stopping (section 7.2)


def keras_early_stopping(val_losses, patience, min_delta=0.0):
    """What ``keras.callbacks.EarlyStopping(patience=..., min_delta=...)`` does with these losses.

    The callback is driven with fake logs ``{"val_loss": loss}``, one ``on_epoch_end`` per epoch,
    until it sets ``model.stop_training``.

    Backends: any Keras 3 backend (tested under TensorFlow and JAX).

    Returns:
        (stop_epoch, best_epoch): ``stop_epoch`` is None when it never stopped.
    """
    import keras

    model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)])
    callback = keras.callbacks.EarlyStopping(patience=patience, min_delta=min_delta)
    callback.set_model(model)
    model.stop_training = False
    callback.on_train_begin()
    for epoch, loss in enumerate(val_losses):
        callback.on_epoch_end(epoch, {"val_loss": float(loss)})
        if model.stop_training:
            return epoch, int(callback.best_epoch)
    return None, int(callback.best_epoch)


def mlp(input_dim=64, hidden=(256, 256), n_classes=10, dropout_rate=0.0, seed=0):
    """ReLU MLP returning logits, with ``Dropout(dropout_rate)`` after each hidden layer if > 0.

    ``dropout_rate`` is Keras' DROP probability (the notes' keep probability is ``1 - rate``).

    Backends: any Keras 3 backend (tested under TensorFlow and JAX).
    """
    import keras

    keras.utils.set_random_seed(seed)
    layers = [keras.Input((input_dim,))]
    for width in hidden:
        layers.append(keras.layers.Dense(width, activation="relu"))
        if dropout_rate:
            layers.append(keras.layers.Dropout(dropout_rate))
    layers.append(keras.layers.Dense(n_classes))
    return keras.Sequential(layers)


def fit_epochs(model, x, y, epochs, batch_size, seed=0, on_epoch_end=None):
    """Train a compiled model for ``epochs`` passes over ``(x, y)``, each in a fresh shuffled order.

    ``model.fit`` with a ``keras.callbacks.LambdaCallback`` calling ``on_epoch_end(epoch)`` (epochs
    count from 0) after each epoch, where the figures take their measurements. The shuffled orders
    (one permutation of ``range(n)`` per epoch, from ``np.random.default_rng(seed)``) are laid end to
    end and fed with ``steps_per_epoch = n / batch_size`` and ``shuffle=False``: the same training as
    ``fit(x, y, batch_size, epochs, shuffle=True)``, but with one input pipeline for all epochs (Keras'
    TensorFlow backend builds a new one per epoch, ~50 ms on two cores, more than an epoch of these
    small data sets costs) and the same shuffles under every backend. ``len(x)`` must be a multiple
    of ``batch_size`` so that epochs and batches line up.

    Backends: any Keras 3 backend (tested under TensorFlow and JAX).

    Raises:
        ValueError: if ``len(x)`` is not a multiple of ``batch_size``.
    """
    import keras

    n = len(x)
    if n % batch_size:
        raise ValueError(f"len(x) = {n} is not a multiple of batch_size = {batch_size}")
    rng = np.random.default_rng(seed)
    order = np.concatenate([rng.permutation(n) for _ in range(epochs)])
    callbacks = []
    if on_epoch_end is not None:
        callbacks.append(keras.callbacks.LambdaCallback(on_epoch_end=lambda epoch, logs=None: on_epoch_end(epoch)))
    model.fit(x[order], y[order], batch_size=batch_size, epochs=epochs, steps_per_epoch=n // batch_size,
              shuffle=False, verbose=0, callbacks=callbacks)


def validation_curve(n_train=160, epochs=150, hidden=(256, 256), dropout_rate=0.0, lr=1e-3,
                     batch_size=32, seed=0):
    """Training and validation loss per epoch of an MLP on few digits: the U-shape of Fig. 7.4.

    ``n_train`` training images of ``digits(flat=True)`` (the first ones of its training split),
    validation on its whole test split (450 images); Adam, mean sparse categorical cross-entropy on
    logits. Both losses are measured after each epoch on the whole set with ``training=False``
    (dropout off). Without dropout the validation loss reaches its minimum at epoch 16 (0.58) and
    then rises (0.75 at epoch 150) while the training loss falls to 3e-4; with
    ``dropout_rate=0.5`` the minimum comes later (epoch 46) but, on this split, is not lower (0.61).
    (Measured with TensorFlow on a CPU; ~5 s per 150 epochs on two cores.)

    Backends: any Keras 3 backend (tested under TensorFlow and JAX).

    Returns:
        dict with ``train_loss`` and ``val_loss`` (arrays of shape ``(epochs,)``).
    """
    import keras

    x_train, y_train, x_val, y_val = digits(flat=True)
    x_train, y_train = x_train[:n_train], y_train[:n_train]
    model = mlp(hidden=hidden, dropout_rate=dropout_rate, seed=seed)
    loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    model.compile(optimizer=keras.optimizers.Adam(lr), loss=loss)
    curves = {"train_loss": [], "val_loss": []}

    def record(epoch):
        curves["train_loss"].append(float(loss(y_train, model(x_train, training=False))))
        curves["val_loss"].append(float(loss(y_val, model(x_val, training=False))))

    fit_epochs(model, x_train, y_train, epochs, batch_size, seed=seed, on_epoch_end=record)
    return {key: np.array(values) for key, values in curves.items()}


def fit_with_early_stopping(n_train=160, max_epochs=200, patience=10, seed=0):
    """The idiomatic Keras way: ``fit(..., validation_data, callbacks=[EarlyStopping(...)])``.

    ``EarlyStopping(patience=patience, restore_best_weights=True)`` on ``val_loss`` stops training
    ``patience`` epochs without improvement after the best epoch and puts the best weights back, so
    the returned model's validation loss is the minimum of the history.

    Backends: any Keras 3 backend (tested under TensorFlow and JAX).

    Returns:
        (model, history dict, callback): the callback holds ``stopped_epoch`` and ``best_epoch``.
    """
    import keras

    x_train, y_train, x_val, y_val = digits(flat=True)
    model = mlp(seed=seed)
    model.compile(optimizer=keras.optimizers.Adam(1e-3),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    callback = keras.callbacks.EarlyStopping(patience=patience, restore_best_weights=True)
    history = model.fit(x_train[:n_train], y_train[:n_train], validation_data=(x_val, y_val),
                        epochs=max_epochs, batch_size=32, verbose=0, callbacks=[callback])
    return model, history.history, callback


# --------------------------------------------------------------------------------------------------
# Early stopping ~ L2 for a quadratic loss


def gd_filter(eigenvalues, alpha, tau):
    """Factor ``1 - (1 - alpha lambda)^tau`` by which ``tau`` GD steps from 0 recover each eigen-
    component of ``w*`` on the quadratic ``1/2 (w - w*)^T H (w - w*)``."""
    return 1.0 - (1.0 - alpha * np.asarray(eigenvalues, dtype=float)) ** tau


def ridge_filter(eigenvalues, lam):
    """Factor ``lambda / (lambda + lam)`` of the L2-penalized minimiser ``(H + lam I)^-1 H w*``.

    With ``lam = 1 / (alpha tau)`` it matches ``gd_filter`` to first order in ``alpha lambda tau``.
    """
    eigenvalues = np.asarray(eigenvalues, dtype=float)
    return eigenvalues / (eigenvalues + lam)


# --------------------------------------------------------------------------------------------------
# Double descent (Fig. 7.10)


def random_feature_errors(X, y, X_test, y_test, W, widths):
    """Train and test MSE of minimum-norm least squares on ``relu(X W[:, :p])`` for each width ``p``.

    ``np.linalg.lstsq`` returns the minimum-norm coefficients ``pinv(F) y``: the interpolating
    solution of smallest norm once ``p >= n`` (without forming the pseudo-inverse, which is slow for
    wide ``F``).
    """
    errors = []
    for p in widths:
        F, F_test = np.maximum(X @ W[:, :p], 0), np.maximum(X_test @ W[:, :p], 0)
        c = np.linalg.lstsq(F, y, rcond=None)[0]
        errors.append((np.mean((F @ c - y) ** 2), np.mean((F_test @ c - y_test) ** 2)))
    return np.array(errors).T


def double_descent(widths, n=100, d=10, n_test=1000, noise=0.3, seeds=range(10)):
    """Median (over data/feature seeds) train and test MSE of random ReLU features vs width.

    The test error rises towards the interpolation threshold ``p = n``, peaks there (the fitted
    coefficients blow up on the smallest singular values of ``F``) and descends again for ``p >> n``;
    the training error is ~0 from ``p = n`` on.

    Returns:
        (train_mse, test_mse): arrays of shape ``(len(widths),)``.
    """
    runs = []
    for seed in seeds:
        X, y, X_test, y_test = double_descent_data(n=n, d=d, n_test=n_test, noise=noise, seed=seed)
        W = random_relu_weights(d, max(widths), seed=seed + 1000)
        runs.append(random_feature_errors(X, y, X_test, y_test, W, widths))
    train, test = np.median(np.array(runs), axis=0)
    return train, test


# --------------------------------------------------------------------------------------------------
# Normalization layers (section 7.3, Fig. 7.13)


def keras_normalization(x, mode, groups=None, eps=1e-5):
    """Fig. 7.13 with Keras layers (scale 1, shift 0) on NHWC ``x``; returns a float32 numpy array.

    ``batch``: ``BatchNormalization`` in training mode (batch statistics); ``layer``:
    ``LayerNormalization(axis=(1, 2, 3))`` (NOT the default ``axis=-1``); ``instance``:
    ``GroupNormalization(groups=C)``; ``group``: ``GroupNormalization(groups)``.

    Backends: any Keras 3 backend (tested under TensorFlow and JAX).
    """
    import keras

    x = np.asarray(x, dtype="float32")
    if mode == "batch":
        return keras.ops.convert_to_numpy(keras.layers.BatchNormalization(epsilon=eps)(x, training=True))
    if mode == "layer":
        layer = keras.layers.LayerNormalization(axis=(1, 2, 3), epsilon=eps)
    elif mode in ("instance", "group"):
        layer = keras.layers.GroupNormalization(groups=x.shape[-1] if mode == "instance" else groups,
                                                epsilon=eps)
    else:
        raise ValueError(f"unknown mode {mode!r}")
    return keras.ops.convert_to_numpy(layer(x))


def bn_activation_percentiles(batchnorm, epochs=60, unit=0, seed=0):
    """Percentiles (15, 50, 85) of one sigmoid input of the last hidden layer during training.

    A 3 x 100 sigmoid MLP trained on 640 digits (SGD 0.5, batch 64, so 10 steps per epoch), with or
    without ``BatchNormalization(momentum=0.9)`` between each Dense layer and its sigmoid (7.11: the
    Dense layers then have no bias). After every epoch the inputs of unit ``unit`` of the last sigmoid
    layer on the 640 training images are summarized (inference mode). Without batch normalization
    their distribution drifts during training: the "internal covariate shift" of section 7.3.

    Backends: any Keras 3 backend (tested under TensorFlow and JAX).

    Returns:
        (steps, percentiles of shape ``(epochs, 3)``, final accuracy on the digits' test split).
    """
    import keras

    x_train, y_train, x_test, y_test = digits(flat=True)
    x_train, y_train = x_train[:640], y_train[:640]
    keras.utils.set_random_seed(seed)
    inputs = keras.Input((64,))
    h = inputs
    for _ in range(3):
        h = keras.layers.Dense(100, use_bias=not batchnorm)(h)
        if batchnorm:
            h = keras.layers.BatchNormalization(momentum=0.9)(h)
        pre_activation = h
        h = keras.layers.Activation("sigmoid")(h)
    model = keras.Model(inputs, keras.layers.Dense(10)(h))
    probe = keras.Model(inputs, pre_activation)
    model.compile(optimizer=keras.optimizers.SGD(0.5),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    percentiles = []

    def record(epoch):
        values = keras.ops.convert_to_numpy(probe(x_train, training=False))[:, unit]
        percentiles.append(np.percentile(values, [15, 50, 85]))

    fit_epochs(model, x_train, y_train, epochs, 64, seed=seed, on_epoch_end=record)
    accuracy = float(np.mean(np.argmax(keras.ops.convert_to_numpy(model(x_test)), axis=1) == y_test))
    return 10 * np.arange(1, epochs + 1), np.array(percentiles), accuracy


# --------------------------------------------------------------------------------------------------
# Dropout (section 7.4)


def _relu(z):
    return np.maximum(z, 0.0)


def _identity(z):
    return z


def dropout_ensemble_mean(X, U, V, keep_prob, activation=_relu, output_activation=_identity):
    """Exact mean over all ``2^r`` dropout masks of the hidden layer (the implicit ensemble).

    Network ``Y = out(act(X U^T) diag(m) V^T)`` with mask ``m`` in ``{0, 1}^r`` (each unit kept
    with probability ``keep_prob``, independently), WITHOUT inverted scaling: the notes' version,
    where the test-time network multiplies the outgoing weights by ``p`` (``weight_scaled_output``).

    Args:
        X: ``(n, d)``; U: ``(r, d)``; V: ``(k, r)``; keep_prob: the notes' ``p``.

    Returns:
        ``(n, k)``: ``sum_m P(m) out(act(X U^T) diag(m) V^T)``.
    """
    H = activation(X @ U.T)
    mean = 0.0
    for mask in itertools.product((0.0, 1.0), repeat=U.shape[0]):
        mask = np.array(mask)
        prob = np.prod(np.where(mask == 1, keep_prob, 1 - keep_prob))
        mean = mean + prob * output_activation((H * mask) @ V.T)
    return mean


def weight_scaled_output(X, U, V, keep_prob, activation=_relu, output_activation=_identity):
    """The test-time network of the notes (Fig. 7.16): outgoing weights multiplied by ``p``.

    Equal to ``dropout_ensemble_mean`` when ``output_activation`` is the identity (the mean passes
    through the linear readout); only an approximation when a nonlinearity follows.
    """
    return output_activation(activation(X @ U.T) @ (keep_prob * V).T)


def dropout_penalty(U, V, keep_prob):
    """The penalty of (7.13): ``(1 - p) / p * sum_i ||u_i||^2 ||v_i||^2``.

    ``u_i`` is ROW ``i`` of ``U`` (the incoming weights of hidden unit ``i``) and ``v_i`` COLUMN ``i``
    of ``V`` (its outgoing weights); the notes say "columns of U and V", which is wrong for ``U``.
    Exact (see ``expected_dropout_loss``) only for a LINEAR network, squared loss, inverted dropout on
    the hidden units and whitened inputs (``X^T X / n = I``).
    """
    return (1 - keep_prob) / keep_prob * float(np.sum(np.sum(U ** 2, axis=1) * np.sum(V ** 2, axis=0)))


def expected_dropout_loss(X, Y, U, V, keep_prob):
    """Exact expectation over the ``2^r`` masks of the loss of a linear net with inverted dropout.

    Loss: ``mean_samples sum_outputs (Y - (X U^T) diag(m / p) V^T)^2``. For whitened ``X`` it equals
    ``mean_samples sum_outputs (Y - X U^T V^T)^2 + dropout_penalty(U, V, p)``.
    """
    H = X @ U.T
    expected = 0.0
    for mask in itertools.product((0.0, 1.0), repeat=U.shape[0]):
        mask = np.array(mask)
        prob = np.prod(np.where(mask == 1, keep_prob, 1 - keep_prob))
        residual = Y - (H * mask / keep_prob) @ V.T
        expected += prob * np.mean(np.sum(residual ** 2, axis=1))
    return expected


# --------------------------------------------------------------------------------------------------
# Figures (quick configurations by default; ``make_figures(outdir, quick=False)`` runs the full ones)

_QUICK = {"epochs": 40, "bn_epochs": 15, "hist_epochs": 5, "dd_seeds": range(3), "dd_max_width": 1000,
          "dd_n_test": 300}
_FULL = {"epochs": 150, "bn_epochs": 60, "hist_epochs": 40, "dd_seeds": range(10), "dd_max_width": 4000,
         "dd_n_test": 1000}


@functools.lru_cache(maxsize=4)
def _curves(epochs, dropout_rate):
    return validation_curve(epochs=epochs, dropout_rate=dropout_rate)


def _draw_weight_histograms(fig, config):
    import keras

    fig.set_size_inches(10, 4)
    x_train, y_train, _, _ = digits(flat=True)
    x_train, y_train = x_train[:1344], y_train[:1344]
    axes = fig.subplots(1, 2, sharey=True)
    for ax, (name, regularizer) in zip(axes, [("L2(1e-3): shrinkage", keras.regularizers.L2(1e-3)),
                                              ("L1(1e-3): sparsity", keras.regularizers.L1(1e-3))]):
        keras.utils.set_random_seed(0)
        dense = keras.layers.Dense(10, kernel_regularizer=regularizer)
        model = keras.Sequential([keras.Input((64,)), dense])
        model.compile(optimizer=keras.optimizers.Adam(1e-2),
                      loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
        fit_epochs(model, x_train, y_train, config["hist_epochs"], 64)
        ax.hist(keras.ops.convert_to_numpy(dense.kernel).ravel(), bins=60)
        ax.set(xlabel="kernel weight", title=f"Softmax regression on digits, {name}")
    axes[0].set_ylabel("count")


def _draw_norm_balls(fig, config):
    fig.set_size_inches(10, 5)
    theta_opt = np.array([0.6, 1.6])
    A = np.array([[2.0, 0.8], [0.8, 1.0]])
    b = A @ theta_opt
    grid = np.linspace(-2, 2.5, 300)
    t1, t2 = np.meshgrid(grid, grid)
    loss = 0.5 * (A[0, 0] * (t1 - theta_opt[0]) ** 2 + 2 * A[0, 1] * (t1 - theta_opt[0]) * (t2 - theta_opt[1])
                  + A[1, 1] * (t2 - theta_opt[1]) ** 2)
    angle = np.linspace(0, 2 * np.pi, 400)
    balls = {1: (np.cos(angle) / (np.abs(np.cos(angle)) + np.abs(np.sin(angle))),
                 np.sin(angle) / (np.abs(np.cos(angle)) + np.abs(np.sin(angle)))),
             2: (np.cos(angle), np.sin(angle))}
    for ax, p in zip(fig.subplots(1, 2), (1, 2)):
        theta = constrained_minimum(A, b, 1.0, p)
        ax.contour(t1, t2, loss, levels=12, cmap="viridis", linewidths=0.8)
        ax.fill(*balls[p], alpha=0.3, color="C1")
        ax.plot(*theta_opt, "k*", ms=10, label="unconstrained optimum")
        ax.plot(*theta, "ro", label=f"constrained: ({theta[0]:.2f}, {theta[1]:.2f})")
        ax.axhline(0, color="gray", lw=0.5)
        ax.axvline(0, color="gray", lw=0.5)
        ax.set(aspect="equal", xlabel="theta_1", ylabel="theta_2", title=f"||theta||_{p} <= 1 (7.4)")
        ax.legend(loc="lower right", fontsize=8)


def _draw_early_stopping(fig, config, patience=10):
    curves = _curves(config["epochs"], 0.0)
    stop, best = keras_early_stopping(curves["val_loss"], patience)
    epochs = np.arange(len(curves["val_loss"]))
    ax = fig.subplots()
    ax.semilogy(epochs, curves["train_loss"], label="training loss")
    ax.semilogy(epochs, curves["val_loss"], label="validation loss")
    ax.axvline(best, color="g", ls="--", label=f"best epoch {best} (weights restored)")
    if stop is not None:
        ax.axvspan(best, stop, color="gray", alpha=0.2, label=f"patience {patience}: stop at {stop}")
    ax.set(xlabel="epoch", ylabel="cross-entropy",
           title="Early stopping (MLP 256-256, 160 digits)")
    ax.legend()


def _draw_double_descent(fig, config):
    n = 100
    widths = np.unique(np.append(np.geomspace(5, config["dd_max_width"], 20).astype(int), n))
    train, test = double_descent(widths, n=n, n_test=config["dd_n_test"], seeds=config["dd_seeds"])
    ax = fig.subplots()
    ax.loglog(widths, test, "o-", ms=3, label="test MSE (median over seeds)")
    ax.loglog(widths, np.maximum(train, 1e-6), "s-", ms=3, label="training MSE (floored at 1e-6)")
    ax.axvline(n, color="gray", ls="--", label="interpolation threshold p = n")
    ax.set(xlabel="number of random ReLU features p", ylabel="MSE",
           title="Double descent: minimum-norm least squares")
    ax.legend()


def _draw_filters(fig, config):
    eigenvalues = np.geomspace(1e-4, 1, 300)
    alpha = 1.0
    ax = fig.subplots()
    for i, tau in enumerate((10, 100, 1000)):
        ax.semilogx(eigenvalues, gd_filter(eigenvalues, alpha, tau), f"C{i}",
                    label=f"GD, alpha tau = {alpha * tau:g}")
        ax.semilogx(eigenvalues, ridge_filter(eigenvalues, 1 / (alpha * tau)), f"C{i}--",
                    label=f"ridge, lam = 1/(alpha tau) = {1 / (alpha * tau):g}")
    ax.set(xlabel="eigenvalue of H", ylabel="fraction of w* recovered",
           title="Early stopping vs L2: 1-(1-alpha lambda)^tau vs lambda/(lambda+lam)")
    ax.legend(fontsize=8)


def _draw_bn_activations(fig, config):
    fig.set_size_inches(10, 4)
    axes = fig.subplots(1, 2, sharey=True)
    for ax, batchnorm in zip(axes, (False, True)):
        steps, pct, accuracy = bn_activation_percentiles(batchnorm, epochs=config["bn_epochs"])
        for j, q in enumerate((15, 50, 85)):
            ax.plot(steps, pct[:, j], f"C{j}", label=f"{q}th percentile")
        ax.set(xlabel="training step", title=f"{'with' if batchnorm else 'without'} batch norm "
                                             f"(test accuracy {accuracy:.2f})")
        ax.legend()
    axes[0].set_ylabel("input of a last-layer sigmoid")


def _draw_normalization_axes(fig, config):
    fig.set_size_inches(12, 3.5)
    n, c, groups = 3, 6, 3  # 18 cells: distinct colours of tab20
    sample, channel = np.meshgrid(np.arange(n), np.arange(c), indexing="ij")
    sets = {"batch norm": channel, "layer norm": sample,
            "instance norm": sample * c + channel, f"group norm ({groups} groups)":
            sample * groups + channel // (c // groups)}
    for ax, (name, ids) in zip(fig.subplots(1, 4), sets.items()):
        ax.imshow(ids, cmap="tab20", vmin=0, vmax=19)
        ax.set_xticks(range(c))
        ax.set_yticks(range(n))
        ax.set(xlabel="channel C", ylabel="sample N", title=name)
    fig.suptitle("Cells of one colour share a mean and variance (each cell stands for its H x W values)")


def _draw_dropout_validation(fig, config):
    ax = fig.subplots()
    for rate, color in ((0.0, "C0"), (0.5, "C1")):
        curves = _curves(config["epochs"], rate)
        label = "no dropout" if rate == 0 else f"Dropout(rate={rate}) (keep p = {1 - rate})"
        ax.semilogy(curves["val_loss"], color, label=f"validation, {label}")
        ax.semilogy(curves["train_loss"], color + ":", label=f"training, {label}")
    ax.set(xlabel="epoch", ylabel="cross-entropy", title="Dropout slows overfitting down (160 digits)")
    ax.legend(fontsize=8)


FIGURES = {
    "ch07_weight_histograms": _draw_weight_histograms,
    "ch07_norm_balls": _draw_norm_balls,
    "ch07_early_stopping": _draw_early_stopping,
    "ch07_double_descent": _draw_double_descent,
    "ch07_gd_vs_ridge_filters": _draw_filters,
    "ch07_bn_activations": _draw_bn_activations,
    "ch07_normalization_axes": _draw_normalization_axes,
    "ch07_dropout_validation": _draw_dropout_validation,
}


def make_figures(outdir, quick=True):
    """Write every chapter-7 figure as ``outdir/<name>.png`` (names: the keys of ``FIGURES``).

    ``quick=True`` (the default) trains shorter: 40 instead of 150 epochs for the validation curves
    (enough to pass the minimum of the validation loss), 15 instead of 60 epochs for batch norm,
    5 instead of 40 for the weight histograms, and double descent uses 3 instead of 10 seeds, widths
    up to 1000 instead of 4000 and 300 instead of 1000 test points.

    Returns:
        list of the written paths.
    """
    from course.plots import write_figures

    config = _QUICK if quick else _FULL
    return write_figures({name: functools.partial(draw, config=config) for name, draw in FIGURES.items()},
                         outdir)
