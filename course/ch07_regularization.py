"""Chapter 7 - Regularization (reference code): penalties and norm balls, early stopping, double
descent, early stopping ~ L2, normalization layers, dropout.

Conventions: samples are rows, images NHWC; Keras' ``L1(lam)`` / ``L2(lam)`` are ``lam sum|w|`` and
``lam sum w^2`` (no 1/2); ``keep_prob`` is the notes' dropout ``p`` (Keras' ``rate`` is ``1 - p``);
epochs count from 0. The notes' two-layer net (7.12) ``y = V s(U x)`` reads, with samples as rows,
``Y = s(X U^T) V^T`` with ``U`` of shape ``(r, d)`` and ``V`` of shape ``(k, r)``: hidden unit ``i``
has incoming weights ``U[i]`` (row ``i`` of ``U``) and outgoing weights ``V[:, i]`` (column ``i``).

Importing this module is light (numpy only): Keras is imported by the functions that use it, and
matplotlib by the figure functions.
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
# Figure data: model size, data regions, capacity, epoch-wise curves, dropout masks (Figs 7.4-7.16)


def validation_curves_by_size(widths, epochs, n_train=160, seed=0):
    """Fig 7.4: ``validation_curve`` of the MLP ``(w, w)`` for each width ``w`` (same data and seed).

    Returns:
        dict width -> dict of ``train_loss``, ``val_loss`` arrays ``(epochs,)``.
    """
    return {w: validation_curve(n_train=n_train, epochs=epochs, hidden=(w, w), seed=seed) for w in widths}


def regional_function(x):
    """The target of Figs 7.6-7.8, after Caruana, Lawrence and Giles (NIPS 2000); continuous at ``pi``.

    ``-cos x`` on ``[0, pi)`` (low nonlinearity) and ``cos 3(x - pi)`` on ``[pi, 2 pi]`` (high).
    """
    x = np.asarray(x, dtype=float)
    return np.where(x < np.pi, -np.cos(x), np.cos(3 * (x - np.pi)))


def regional_data(n=40, noise=0.15, seed=0):
    """``n`` noisy samples of ``regional_function``, ``x`` uniform on ``[0, 2 pi]`` (sorted)."""
    rng = np.random.default_rng(seed)
    x = np.sort(rng.uniform(0, 2 * np.pi, n))
    return x, regional_function(x) + noise * rng.standard_normal(n)


def mlp_1d_snapshots(x, y, grid, hidden, steps, record_every, lr=0.01, seed=0):
    """Full-batch Adam on a 1-D ``Dense(hidden, tanh) -> Dense(1)`` MLP; predictions on ``grid`` as it trains.

    Trained with ``compile``/``fit`` (mean squared error); every ``record_every`` steps the model's
    predictions on ``grid`` are stored. The data are passed to ``fit`` repeated ``record_every``
    times with ``batch_size = len(x)``, so one ``fit`` call runs ``record_every`` gradient steps.

    Returns:
        (step counts ``(S,)``, predictions ``(S, len(grid))``), the untrained model first (step 0).

    Backends: any Keras 3 backend.
    """
    import keras

    keras.utils.set_random_seed(seed)
    model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(hidden, activation="tanh"),
                              keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.Adam(lr), loss="mse", steps_per_execution=record_every)
    xs = np.asarray(x, dtype="float32")[:, None]
    grid = np.asarray(grid, dtype="float32")[:, None]
    x_rep, y_rep = np.tile(xs, (record_every, 1)), np.tile(np.asarray(y, dtype="float32"), record_every)

    def predict():
        return keras.ops.convert_to_numpy(model(grid))[:, 0]

    done, counts, predictions = 0, [0], [predict()]
    while done < steps:
        model.fit(x_rep, y_rep, batch_size=len(xs), epochs=1, shuffle=False, verbose=0)
        done += record_every
        counts.append(done)
        predictions.append(predict())
    return np.array(counts), np.array(predictions)


def more_parameters_fits(hidden=(1, 10, 100), degrees=(2, 10, 16), steps=3000, n=20, noise=0.1, seed=0):
    """Fig 7.5: polynomials of growing degree vs MLPs of growing width on the same few noisy points.

    Data: ``n`` points of ``sin(x)`` on ``[0, 2 pi]`` plus ``noise``; the MLPs train ``steps`` Adam
    steps (``mlp_1d_snapshots``). The notes' point: the polynomial of degree 16 overfits wildly,
    while the MLP with 100 hidden units (~300 parameters) fits about as well as the one with 10.

    Returns:
        dict with ``x``, ``y``, ``grid``, ``truth`` and ``poly`` / ``mlp``: dicts size -> predictions.
    """
    rng = np.random.default_rng(seed)
    x = np.sort(rng.uniform(0, 2 * np.pi, n))
    y = np.sin(x) + noise * rng.standard_normal(n)
    grid = np.linspace(0, 2 * np.pi, 400)
    u, u_grid = x / np.pi - 1, grid / np.pi - 1  # [-1, 1]: better conditioned polynomial fits
    poly = {k: np.polynomial.polynomial.polyval(u_grid, np.polynomial.polynomial.polyfit(u, y, k))
            for k in degrees}
    mlp = {h: mlp_1d_snapshots(x, y, grid, h, steps, steps, seed=seed)[1][-1] for h in hidden}
    return {"x": x, "y": y, "grid": grid, "truth": np.sin(grid), "poly": poly, "mlp": mlp}


def regional_training(hidden=100, steps=4000, record_every=100, n=40, noise=0.15, lr=0.03, seed=0):
    """Figs 7.6-7.8: one big MLP trained long on ``regional_data``, with errors per region over time.

    Returns:
        dict with ``x``, ``y``, ``grid``, ``steps`` ``(S,)``, ``predictions`` ``(S, G)`` and
        ``low``/``high``: the mean squared error to the TRUE function on the grid over
        ``[0, pi)`` / ``[pi, 2 pi]`` at every recorded step, shape ``(S,)``.
    """
    x, y = regional_data(n, noise, seed)
    grid = np.linspace(0, 2 * np.pi, 400)
    counts, predictions = mlp_1d_snapshots(x, y, grid, hidden, steps, record_every, lr=lr, seed=seed)
    error = (predictions - regional_function(grid)) ** 2
    return {"x": x, "y": y, "grid": grid, "steps": counts, "predictions": predictions,
            "low": error[:, grid < np.pi].mean(axis=1), "high": error[:, grid >= np.pi].mean(axis=1)}


def capacity_curve(widths, n=100, n_test=1000, seeds=range(10)):
    """Fig 7.9: training and test MSE vs the number of random ReLU features ``p < n`` (``double_descent``).

    Below the interpolation threshold the classical U appears: training error falls with ``p``
    (exactly: the feature sets are nested), test error falls, then rises towards ``p = n``.

    Returns:
        (train, test, sweet spot width).
    """
    widths = np.asarray(widths)
    if widths.max() >= n:
        raise ValueError("capacity_curve stays below the interpolation threshold: widths < n")
    train, test = double_descent(widths, n=n, n_test=n_test, seeds=seeds)
    return train, test, int(widths[np.argmin(test)])


def gd_random_features(widths, times, n=100, d=10, n_test=1000, noise=0.3, seed=0):
    """Fig 7.11: train and test MSE of gradient descent on random ReLU features, vs width AND time.

    For each width ``p`` the features ``F = relu(X W[:, :p])`` are fitted by gradient descent from 0
    on ``1/2 ||F c - y||^2`` with one step size ``alpha = 1 / max_p ||F_p||_2^2`` for all widths. Its
    iterate has a closed form on the SVD ``F = U S V^T``: ``c_t = V diag((1 - (1 - alpha s^2)^t) / s) U^T y``,
    evaluated for every ``t`` in ``times`` at once (``t -> infinity`` is the minimum-norm solution of
    ``double_descent``).

    Returns:
        (train, test): arrays ``(len(widths), len(times))``.
    """
    X, y, X_test, y_test = double_descent_data(n=n, d=d, n_test=n_test, noise=noise, seed=seed)
    W = random_relu_weights(d, max(widths), seed=seed + 1000)
    alpha = 1.0 / max(np.linalg.norm(np.maximum(X @ W[:, :p], 0), 2) ** 2 for p in widths)
    times = np.asarray(times, dtype=float)
    train, test = [], []
    for p in widths:
        F, F_test = np.maximum(X @ W[:, :p], 0), np.maximum(X_test @ W[:, :p], 0)
        U, s, Vt = np.linalg.svd(F, full_matrices=False)
        keep = s > s[0] * 1e-12
        U, s, Vt = U[:, keep], s[keep], Vt[keep]
        decay = np.clip(1 - alpha * s ** 2, 0.0, 1.0)  # alpha s^2 <= 1 up to rounding
        gains = (1 - decay[None, :] ** times[:, None]) / s[None, :]  # (T, r)
        C = (gains * (U.T @ y)[None, :]) @ Vt  # (T, p)
        train.append(np.mean((C @ F.T - y) ** 2, axis=1))
        test.append(np.mean((C @ F_test.T - y_test) ** 2, axis=1))
    return np.array(train), np.array(test)


def bn_minibatch_statistics(batches=30, batch_size=16, mean=3.0, std=2.0, gamma=1.5, beta=0.5,
                            momentum=0.9, seed=0):
    """Fig 7.12: the batch-norm algorithm box run by a real ``keras.layers.BatchNormalization``.

    Mini-batches of one feature drawn from ``N(mean, std^2)`` go through the layer in training mode
    (scale ``gamma``, shift ``beta``, ``epsilon`` 1e-3): each batch is normalized with its OWN mean and
    (biased) variance, then the moving statistics move as ``moving = momentum moving + (1 - momentum)
    batch``; at inference the layer uses the moving ones.

    Returns:
        dict with ``x`` and ``y`` ``(batches, batch_size)`` (inputs, training-mode outputs),
        ``moving_mean`` and ``moving_var`` ``(batches,)`` after each batch, and ``layer`` (the layer).

    Backends: any Keras 3 backend.
    """
    import keras

    x = np.random.default_rng(seed).normal(mean, std, (batches, batch_size, 1)).astype("float32")
    layer = keras.layers.BatchNormalization(momentum=momentum)
    layer.build((None, 1))
    layer.set_weights([np.array([gamma], "float32"), np.array([beta], "float32"), np.zeros(1, "float32"),
                       np.ones(1, "float32")])
    ys, moving_mean, moving_var = [], [], []
    for batch in x:
        ys.append(keras.ops.convert_to_numpy(layer(batch, training=True))[:, 0])
        moving_mean.append(float(keras.ops.convert_to_numpy(layer.moving_mean)[0]))
        moving_var.append(float(keras.ops.convert_to_numpy(layer.moving_variance)[0]))
    return {"x": x[..., 0], "y": np.array(ys), "moving_mean": np.array(moving_mean),
            "moving_var": np.array(moving_var), "layer": layer}


def dropout_masks(sizes, rates, draws, seed=0):
    """Figs 7.14-7.15: which units a real ``keras.layers.Dropout`` keeps, one draw per mini-batch.

    One ``Dropout(rate, seed=seed)`` layer per entry of ``sizes`` (``rate = 0`` for no dropout) is
    called ``draws`` times on a vector of ones with ``training=True``; every call draws a new mask
    (the layer's seed generator advances). Kept units come out as ``1 / (1 - rate)`` (inverted
    dropout), dropped ones as 0.

    Returns:
        list over draws of lists over layers of (kept boolean ``(size,)``, raw output ``(size,)``).

    Backends: any Keras 3 backend.
    """
    import keras

    layers = [keras.layers.Dropout(rate, seed=seed + k) if rate else None for k, rate in enumerate(rates)]
    out = []
    for _ in range(draws):
        row = []
        for size, layer in zip(sizes, layers):
            ones = np.ones((1, size), dtype="float32")
            value = ones[0] if layer is None else keras.ops.convert_to_numpy(layer(ones, training=True))[0]
            row.append((value != 0, value))
        out.append(row)
    return out


def dropout_test_time(r=8, d=3, n=200, keep_prob=0.5, samples=4000, seed=0):
    """Fig 7.16: the test-time network against the ensemble it stands for, with a Keras check.

    A net ``X -> relu(X U^T) -> dropout -> V`` with ``r`` hidden units: the exact mean over the
    ``2^r`` masks (``dropout_ensemble_mean``) is compared with the weight-scaled network
    (``weight_scaled_output``) for a linear readout and a sigmoid one; and the average of ``samples``
    forward passes through ``keras.layers.Dropout(1 - keep_prob)`` (inverted: kept units times
    ``1/p``) is compared with the exact mean of the inverted-scaled net, whose test-time network is
    the unscaled one (Keras' ``training=False``).

    Returns:
        dict with ``linear``/``sigmoid``: (exact ensemble mean, weight scaled), ``keras_mc`` (mean and
        standard error of the sampled outputs) and ``keras_exact`` (exact mean, inverted scaling).

    Backends: any Keras 3 backend.
    """
    import keras

    rng = np.random.default_rng(seed)
    X, U, V = rng.standard_normal((n, d)), rng.standard_normal((r, d)), rng.standard_normal((1, r))

    def sigmoid(z):
        return 1 / (1 + np.exp(-z))

    out = {name: (dropout_ensemble_mean(X, U, V, keep_prob, output_activation=act),
                  weight_scaled_output(X, U, V, keep_prob, output_activation=act))
           for name, act in (("linear", _identity), ("sigmoid", sigmoid))}
    layer = keras.layers.Dropout(1 - keep_prob, seed=seed)
    H = np.maximum(X[:8] @ U.T, 0).astype("float32")
    batch = np.repeat(H[None], samples, axis=0).reshape(-1, r)
    sampled = (keras.ops.convert_to_numpy(layer(batch, training=True)) @ V.T).reshape(samples, 8)
    out["keras_mc"] = (sampled.mean(axis=0), sampled.std(axis=0) / np.sqrt(samples))
    out["keras_exact"] = dropout_ensemble_mean(X[:8], U, V / keep_prob, keep_prob)[:, 0]
    return out


# --------------------------------------------------------------------------------------------------
# Figures. ``python -m course.plots`` passes FIGURE_CONFIGS["quick"] by default and ["full"] with --full:
# quick trains 40 instead of 150 epochs for the validation curves (past the validation minimum), 15
# instead of 60 for batch norm, 5 instead of 40 for the weight histograms; double descent uses 3
# instead of 10 seeds, widths up to 1000 instead of 4000 and 300 instead of 1000 test points.

_QUICK = {"epochs": 40, "bn_epochs": 15, "hist_epochs": 5, "dd_seeds": range(3), "dd_max_width": 1000,
          "dd_n_test": 300, "fit_steps": 2000, "regional_steps": 4000}
_FULL = {"epochs": 150, "bn_epochs": 60, "hist_epochs": 40, "dd_seeds": range(10), "dd_max_width": 4000,
         "dd_n_test": 1000, "fit_steps": 6000, "regional_steps": 12000}


@functools.lru_cache(maxsize=8)
def _curves(epochs, dropout_rate, width=256):
    return validation_curve(epochs=epochs, dropout_rate=dropout_rate, hidden=(width, width))


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


_SIZES = (16, 64, 256, 512)


def _draw_validation_by_size(fig, config):
    fig.set_size_inches(10, 4.5)
    val_ax, train_ax = fig.subplots(1, 2)
    for k, width in enumerate(_SIZES):
        curves = _curves(config["epochs"], 0.0, width)
        best = int(np.argmin(curves["val_loss"]))
        val_ax.plot(curves["val_loss"], f"C{k}", label=f"MLP {width}-{width}: min {curves['val_loss'][best]:.2f} "
                                                      f"at epoch {best}")
        val_ax.plot(best, curves["val_loss"][best], f"C{k}o")
        train_ax.semilogy(curves["train_loss"], f"C{k}", label=f"{width}-{width}")
    val_ax.set(xlabel="epoch", ylabel="cross-entropy", ylim=(0, 2.5), title="validation loss: U-shaped in time")
    train_ax.set(xlabel="epoch", title="training loss: always falls")
    val_ax.legend(fontsize=7)
    train_ax.legend(fontsize=7)
    fig.suptitle("Fig 7.4: validation loss vs training time for four model sizes (160 digits, Adam)")


@functools.lru_cache(maxsize=2)
def _more_parameters(steps):
    return more_parameters_fits(steps=steps)


def _draw_more_parameters(fig, config):
    fig.set_size_inches(11, 4.2)
    data = _more_parameters(config["fit_steps"])
    axes = fig.subplots(1, 2, sharey=True)
    for ax, family, label in ((axes[0], "poly", "degree"), (axes[1], "mlp", "hidden units")):
        ax.plot(data["grid"], data["truth"], "k:", label="sin x")
        ax.scatter(data["x"], data["y"], c="k", s=12, zorder=3)
        for k, (size, prediction) in enumerate(data[family].items()):
            mse = np.mean((prediction - data["truth"]) ** 2)
            ax.plot(data["grid"], prediction, f"C{k}", label=f"{label} {size}: test MSE {mse:.3f}")
        ax.set(xlabel="x", ylim=(-2, 2))
        ax.legend(fontsize=7, loc="lower left")
    axes[0].set_title("polynomials (least squares)")
    axes[1].set_title(f"MLPs (tanh, {config['fit_steps']} full-batch Adam steps)")
    fig.suptitle("Fig 7.5: more parameters overfit a polynomial, not an MLP trained by gradient descent")


@functools.lru_cache(maxsize=2)
def _regional(steps):
    return regional_training(steps=steps)


def _draw_regional_fits(fig, config):
    fig.set_size_inches(13, 4)
    data = _regional(config["regional_steps"])
    best = int(np.argmin(data["low"] + data["high"]))
    early = int(np.argmin(data["low"]))  # best for the smooth region
    shown = ((early, "best for the smooth region: underfits the wiggly one"), (best, "best overall (Fig 7.6)"),
             (len(data["steps"]) - 1, "late: overfits the smooth region"))
    for ax, (k, title) in zip(fig.subplots(1, 3, sharey=True), shown):
        ax.axvspan(np.pi, 2 * np.pi, color="0.92")
        ax.plot(data["grid"], regional_function(data["grid"]), "k:", label="target")
        ax.scatter(data["x"], data["y"], c="k", s=10, zorder=3)
        ax.plot(data["grid"], data["predictions"][k], "C3", label="MLP 100 tanh units")
        ax.set(xlabel="x", ylim=(-1.8, 1.8),
               title=f"{title}\nstep {data['steps'][k]}: MSE low {data['low'][k]:.3f}, "
                     f"high {data['high'][k]:.3f}")
        ax.title.set_fontsize(9)
    ax.legend(fontsize=7)
    fig.suptitle("Figs 7.6, 7.7: overfitting and underfitting are local (white: low nonlinearity, "
                 "grey: high)")


def _draw_regional_errors(fig, config):
    fig.set_size_inches(11, 4)
    data = _regional(config["regional_steps"])
    for ax, region, title in zip(fig.subplots(1, 2), ("high", "low"),
                                 ("(a) high nonlinearity: stopping early underfits it",
                                  "(b) low nonlinearity: training long overfits it")):
        curve = data[region]
        ax.loglog(data["steps"][1:], curve[1:], "C3")
        k = int(np.argmin(curve))
        ax.plot(data["steps"][k], curve[k], "ko", label=f"best for this region: step {data['steps'][k]}")
        ax.set(xlabel="training step", ylabel="MSE to the target in the region", title=title)
        ax.legend(fontsize=8)
    fig.suptitle("Fig 7.8: the two regions want different stopping times (MLP of Figs 7.6-7.7)")


def _draw_capacity_curve(fig, config):
    n = 100
    widths = np.unique(np.geomspace(2, 90, 18).astype(int))
    train, test, sweet = capacity_curve(widths, n=n, n_test=config["dd_n_test"], seeds=config["dd_seeds"])
    ax = fig.subplots()
    ax.semilogy(widths, train, "s-", ms=3, label="training MSE")
    ax.semilogy(widths, test, "o-", ms=3, label="test MSE")
    ax.axvline(sweet, color="g", ls="--", label=f"sweet spot p = {sweet}")
    ax.set(xlabel="capacity: random ReLU features p (n = 100)", ylabel="MSE",
           title="Fig 7.9: the classical U over capacity\n(the left part of Fig 7.10's experiment)")
    ax.legend(fontsize=8)


def _draw_epochwise_heatmaps(fig, config):
    fig.set_size_inches(14, 4.5)
    n = 100
    widths = np.unique(np.append(np.geomspace(5, config["dd_max_width"], 30).astype(int), n))
    times = np.geomspace(1, 1e7, 60)
    train, test = gd_random_features(widths, times, n=n, n_test=config["dd_n_test"])
    axes = fig.subplots(1, 3)
    for ax, values, title in zip(axes, (train, test), ("training MSE", "test MSE")):
        mesh = ax.pcolormesh(times, widths, np.log10(np.clip(values, 1e-6, None)), cmap="viridis",
                             vmax=1.0, shading="auto")
        ax.set(xscale="log", yscale="log", xlabel="gradient-descent steps", ylabel="random features p",
               title=f"{title} (log10)")
        ax.axhline(n, color="w", ls="--", lw=0.8)
        fig.colorbar(mesh, ax=ax)
    for p in (20, n, config["dd_max_width"]):
        k = int(np.argmin(np.abs(widths - p)))
        axes[2].loglog(times, test[k], label=f"p = {widths[k]}")
    axes[2].set(xlabel="gradient-descent steps", ylabel="test MSE", title="slices: test MSE vs time")
    axes[2].legend(fontsize=8)
    fig.suptitle(f"Fig 7.11: error vs capacity AND training time (gradient descent on random ReLU "
                 f"features, n = {n}; dashed: p = n)")


def _mlp_graph(sizes=(6, 8, 8, 3), seed=0):
    import keras

    from course.diagrams import dense_graph

    keras.utils.set_random_seed(seed)
    model = keras.Sequential([keras.Input((sizes[0],))] + [keras.layers.Dense(w) for w in sizes[1:]])
    return dense_graph(model)


_DROP_RATES = (0.2, 0.5, 0.5, 0.0)  # input, hidden, hidden, output: the usual 20% / 50% drop rates


def _draw_dropout_masks(fig):
    from course.diagrams import draw_dense_graph

    fig.set_size_inches(11, 4)
    graph = _mlp_graph()
    kept = [mask for mask, _ in dropout_masks(graph["sizes"], _DROP_RATES, 1)[0]]
    before, after = fig.subplots(1, 2)
    draw_dense_graph(before, graph["sizes"], graph["kernels"], title="before: the whole network")
    draw_dense_graph(after, graph["sizes"], graph["kernels"], kept=kept,
                     title="after: one mask of keras.layers.Dropout (rates 0.2 in, 0.5 hidden)")
    fig.suptitle("Fig 7.14: dropout removes units with all their connections")


def _draw_dropout_ensemble(fig):
    from course.diagrams import draw_dense_graph

    fig.set_size_inches(13, 3.6)
    graph = _mlp_graph()
    draws = dropout_masks(graph["sizes"], _DROP_RATES, 4)
    for k, (ax, row) in enumerate(zip(fig.subplots(1, 4), draws)):
        kept = [mask for mask, _ in row]
        draw_dense_graph(ax, graph["sizes"], graph["kernels"], kept=kept,
                         title=f"mini-batch {k + 1}: {sum(int(m.sum()) for m in kept[1:-1])} hidden units")
    fig.suptitle("Fig 7.15: a new thinned network per mini-batch; all share the same weights "
                 "(an edge has the same colour and width wherever it appears)")


def _draw_dropout_test_time(fig):
    from course.diagrams import draw_dense_graph

    fig.set_size_inches(13, 4)
    graph = _mlp_graph((4, 6, 1))
    p = 0.5
    kept = [mask for mask, _ in dropout_masks(graph["sizes"], (0.0, 1 - p, 0.0), 1, seed=3)[0]]
    train_ax, test_ax, scatter_ax = fig.subplots(1, 3, width_ratios=[1, 1, 1.2])
    draw_dense_graph(train_ax, graph["sizes"], graph["kernels"], kept=kept,
                     title="training: each hidden unit present with probability p")
    scaled = [graph["kernels"][0], p * graph["kernels"][1]]
    draw_dense_graph(test_ax, graph["sizes"], scaled, title="test: always present, outgoing weights x p")
    data = dropout_test_time(keep_prob=p)
    for (name, (exact, scaled_out)), colour in zip(list(data.items())[:2], ("C0", "C1")):
        gap = scaled_out - exact
        scatter_ax.scatter(exact, gap, s=6, c=colour, label=f"{name} readout: max |gap| {np.abs(gap).max():.1e}")
    scatter_ax.axhline(0, color="k", lw=0.5)
    scatter_ax.set(xlabel="exact mean over the 2^8 thinned networks",
                   ylabel="weight-scaled network - exact mean", title="weight scaling is exact only before a linear map")
    scatter_ax.title.set_fontsize(9)
    scatter_ax.legend(fontsize=8)
    fig.suptitle("Fig 7.16: dropout at training vs test time (Keras scales by 1/p during training "
                 "instead, and leaves the test network alone: the same thing)")


def _draw_bn_minibatches(fig):
    fig.set_size_inches(13, 4)
    data = bn_minibatch_statistics()
    x, y = data["x"], data["y"]
    steps = np.arange(1, len(x) + 1)
    in_ax, out_ax, moving_ax = fig.subplots(1, 3)
    for ax, values, title in ((in_ax, x, "inputs x of each mini-batch (m = 16)"),
                              (out_ax, y, "training outputs: gamma x_hat + beta (gamma 1.5, beta 0.5)")):
        ax.scatter(np.repeat(steps, x.shape[1]), values.ravel(), s=3, c="0.6")
        ax.errorbar(steps, values.mean(axis=1), yerr=values.std(axis=1), fmt="C3o", ms=3, lw=1,
                    label="batch mean +- std")
        ax.set(xlabel="mini-batch", title=title)
        ax.title.set_fontsize(9)
        ax.legend(fontsize=8)
    moving_ax.plot(steps, data["moving_mean"], "C0", label="moving_mean")
    moving_ax.plot(steps, data["moving_var"], "C1", label="moving_variance")
    moving_ax.axhline(3.0, color="C0", ls=":", label="population mean 3")
    moving_ax.axhline(4.0, color="C1", ls=":", label="population variance 4")
    moving_ax.set(xlabel="mini-batch", title="moving statistics (momentum 0.9), used at test time")
    moving_ax.title.set_fontsize(9)
    moving_ax.legend(fontsize=8)
    fig.suptitle("Fig 7.12: keras.layers.BatchNormalization normalizes each mini-batch with its own "
                 "statistics and keeps moving averages for inference")


FIGURES = {
    "ch07_weight_histograms": _draw_weight_histograms,
    "ch07_norm_balls": _draw_norm_balls,
    "ch07_early_stopping": _draw_early_stopping,
    "ch07_double_descent": _draw_double_descent,
    "ch07_gd_vs_ridge_filters": _draw_filters,
    "ch07_bn_activations": _draw_bn_activations,
    "ch07_normalization_axes": _draw_normalization_axes,
    "ch07_dropout_validation": _draw_dropout_validation,
    "ch07_validation_by_size": _draw_validation_by_size,
    "ch07_more_parameters": _draw_more_parameters,
    "ch07_regional_fits": _draw_regional_fits,
    "ch07_regional_errors": _draw_regional_errors,
    "ch07_capacity_curve": _draw_capacity_curve,
    "ch07_epochwise_heatmaps": _draw_epochwise_heatmaps,
    "ch07_dropout_masks": _draw_dropout_masks,
    "ch07_dropout_ensemble": _draw_dropout_ensemble,
    "ch07_dropout_test_time": _draw_dropout_test_time,
    "ch07_bn_minibatches": _draw_bn_minibatches,
}

FIGURE_CONFIGS = {"quick": _QUICK, "full": _FULL}
