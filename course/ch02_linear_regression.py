"""Chapter 2 - Linear regression, convexity and gradients (reference implementations).

Samples are rows. The line model is ``y = a x + b`` (2.2) with ``theta = (a, b)``: design matrices
hold the features first and the column of ones (bias) last, as in (2.35). ``line_loss`` is the SUM
of squares (2.31); Keras' ``MeanSquaredError`` is the MEAN (2.4). Both have the same minimiser.

Importing this module is light (numpy only): Keras is imported by the functions that train, and
matplotlib by the figure functions.
"""
import numpy as np

from course.datasets import linear_data


def least_squares(X, y):
    """Least-squares solution of ``X theta ~ y``, i.e. of the normal equations (2.41).

    Uses ``np.linalg.lstsq`` (SVD) rather than the inverse of (2.42).

    Args:
        X: ``(n, p)`` design matrix; y: ``(n,)`` or ``(n, m)`` targets.

    Returns:
        theta of shape ``(p,)`` or ``(p, m)``.
    """
    theta, *_ = np.linalg.lstsq(np.asarray(X, dtype=float), np.asarray(y, dtype=float), rcond=None)
    return theta


def with_bias(X):
    """Append a column of ones (the bias, LAST) to ``X`` of shape ``(n,)`` or ``(n, d)`` (2.35)."""
    X = np.asarray(X, dtype=float).reshape(len(X), -1)
    return np.hstack([X, np.ones((len(X), 1))])


def fit_line_closed_form(x, y):
    """Least-squares line (2.34)-(2.42) for ``x``, ``y`` of shape ``(n,)``.

    This is the argmin (2.30) over ``Theta = (a, b)`` in ``R^2`` (the notes write ``Theta in R``):
    both the slope and the intercept are free, and the gradient (2.33) has two components.

    Returns:
        (a, b) as floats.
    """
    a, b = least_squares(with_bias(x), y)
    return float(a), float(b)


def fit_affine(X, Y):
    """Multi-output affine least squares (2.43)-(2.46) in row form, ``Y ~ X @ A.T + b``.

    The stacked parameter matrix of (2.44) is ``Theta = [A^T; b]`` of shape ``(d_in + 1, d_out)``;
    ``d_in`` and ``d_out`` may differ. The loss is the squared Frobenius norm of the residual.

    Args:
        X: ``(n, d_in)``; Y: ``(n, d_out)``.

    Returns:
        (A, b) of shapes ``(d_out, d_in)`` and ``(d_out,)``.
    """
    theta = least_squares(with_bias(X), Y)
    return theta[:-1].T, theta[-1]


def line_loss(a, b, x, y):
    """Sum of squares ``l(a, b) = sum_i (y_i - a x_i - b)^2`` (2.31), vectorised over ``a`` and ``b``.

    Args:
        a, b: floats or arrays of a common shape ``S`` (e.g. a grid); x, y: data of shape ``(n,)``.

    Returns:
        array of shape ``S``.
    """
    a = np.asarray(a, dtype=float)[..., None]
    b = np.asarray(b, dtype=float)[..., None]
    return np.sum((np.asarray(y) - a * np.asarray(x) - b) ** 2, axis=-1)


def fit_full_batch(model, x, y, steps, callbacks=()):
    """Full-batch gradient descent with ``model.fit``: ``steps`` epochs of one step on all of ``(x, y)``.

    The data set is laid ``steps`` times end to end and fed to
    ``fit(batch_size=n, epochs=steps, steps_per_epoch=1, shuffle=False)``: every epoch is exactly
    one step on the whole data set, the history holds one loss per step (the loss BEFORE the step:
    Keras logs the loss it differentiates) and ``callbacks`` see every step as an epoch. The same
    training as ``fit(x, y, batch_size=n, epochs=steps)``; but Keras' TensorFlow backend builds a new
    input pipeline for every epoch (~50 ms on two cores), which would cost more than the training
    itself, where ``steps_per_epoch`` keeps one pipeline for all the steps.

    Backends: any Keras 3 backend (tested under TensorFlow and JAX).

    Args:
        model: a compiled Keras model; x, y: numpy arrays whose first axis is the ``n`` samples;
            steps: number of gradient steps (>= 1); callbacks: Keras callbacks.

    Returns:
        the ``keras.callbacks.History`` of ``fit``.
    """
    n = len(x)
    return model.fit(np.tile(x, (steps,) + (1,) * (np.ndim(x) - 1)),
                     np.tile(y, (steps,) + (1,) * (np.ndim(y) - 1)), batch_size=n, epochs=steps,
                     steps_per_epoch=1, shuffle=False, verbose=0, callbacks=list(callbacks))


def train_dense(X, y, loss, lr, epochs, seed=0, kernel_regularizer=None):
    """Train ``keras.Sequential([Input((d,)), Dense(1)])`` by full-batch SGD; return its parameters.

    ``compile``, then ``fit`` with every epoch ONE step on the whole data set (``fit_full_batch``), so
    SGD is plain gradient descent and the result is deterministic. Keras is seeded with
    ``keras.utils.set_random_seed(seed)`` (initial weights: Glorot-uniform kernel, zero bias). Keras
    losses are MEANS over the batch; the logged loss of epoch ``t`` is the loss (with the penalty)
    BEFORE step ``t``.

    Backends: any Keras 3 backend (tested under TensorFlow and JAX; the initial weights, hence the
    history, differ between backends).

    Args:
        X: features ``(n, d)`` or ``(n,)``; y: targets ``(n,)``.
        loss: a Keras loss (name or object); lr: SGD learning rate; epochs: number of steps (>= 1).
        kernel_regularizer: optional Keras regularizer of the kernel (the bias is never penalised).

    Returns:
        (kernel of shape ``(d,)``, bias float, list of per-epoch training losses).
    """
    import keras

    keras.utils.set_random_seed(seed)
    X = np.asarray(X, dtype="float32").reshape(len(X), -1)
    dense = keras.layers.Dense(1, kernel_regularizer=kernel_regularizer)
    model = keras.Sequential([keras.Input((X.shape[1],)), dense])
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=lr), loss=loss)
    history = fit_full_batch(model, X, np.asarray(y, dtype="float32"), epochs)
    kernel, bias = dense.get_weights()
    return kernel[:, 0].astype(float), float(bias[0]), history.history["loss"]


def fit_line_keras(x, y, epochs=40, lr=0.3, seed=0):
    """Linear regression the Keras way: ``Dense(1)`` trained by SGD on the mean squared error (2.4).

    The Dense kernel is ``a`` and its bias ``b``. Each epoch is one full-batch gradient step (see
    ``train_dense``); with the defaults, on ``linear_data()``, it lands within 1e-2 of
    ``fit_line_closed_form``.

    Backends: any Keras 3 backend (tested under TensorFlow and JAX).

    Args:
        x, y: data of shape ``(n,)``.

    Returns:
        (a, b, history): floats and the list of per-epoch MSE values (each before its step).
    """
    import keras

    kernel, bias, history = train_dense(x, y, keras.losses.MeanSquaredError(), lr, epochs, seed=seed)
    return float(kernel[0]), bias, history


# --------------------------------------------------------------------------------------------------
# Figure data: a network as blocks (Fig 2.1), the training task (Fig 2.3)


def block_network(d_in=2, widths=(4, 3, 1), seed=0):
    """A small ``keras.Sequential`` of Dense blocks for Fig 2.1: ``f_Theta`` (2.1) as a composition.

    Every block but the last uses ReLU; ``Theta`` is the union of the blocks' kernels and biases.

    Backends: any Keras 3 backend.
    """
    import keras

    keras.utils.set_random_seed(seed)
    layers = [keras.layers.Dense(w, activation="relu" if k < len(widths) - 1 else None, name=f"block{k + 1}")
              for k, w in enumerate(widths)]
    return keras.Sequential([keras.Input((d_in,)), *layers])


def training_trace(x, y, lr=0.1, epochs=60, seed=0):
    """Fit ``Dense(1)`` to ``(x, y)`` with ``compile``/``fit`` and record ``Theta = (a, b)`` after every epoch.

    Each epoch is one full-batch SGD step on the MEAN squared error (2.4), so the trace is the path
    of gradient descent towards the minimiser (2.42). Keras reports an epoch's loss at the parameters
    the step started from.

    Returns:
        dict with ``theta`` ``(epochs + 1, 2)`` (initial parameters first) and ``loss`` ``(epochs,)``
        (``loss[k]`` is the MSE at ``theta[k]``).

    Backends: any Keras 3 backend.
    """
    import keras

    keras.utils.set_random_seed(seed)
    x = np.asarray(x, dtype="float32").reshape(-1, 1)
    dense = keras.layers.Dense(1)
    model = keras.Sequential([keras.Input((1,)), dense])
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=lr), loss="mse")

    def params():
        kernel, bias = dense.get_weights()
        return [float(kernel[0, 0]), float(bias[0])]

    thetas = [params()]
    record = keras.callbacks.LambdaCallback(on_epoch_end=lambda epoch, logs: thetas.append(params()))
    history = model.fit(x, np.asarray(y, dtype="float32"), batch_size=len(x), epochs=epochs, shuffle=False,
                        verbose=0, callbacks=[record])
    return {"theta": np.array(thetas), "loss": np.array(history.history["loss"])}


# Convexity and uniqueness (Section 2.2)


def least_squares_minimizers(X, y):
    """Every minimiser of the sum of squares ``||y - X theta||^2``: the affine set ``theta_0 + span(N)``.

    The loss is convex for every ``X``, but convexity does NOT make the minimiser unique (the notes'
    "there always exists a unique minimum", Section 2.2): the Hessian ``2 X^T X`` is only positive
    SEMI-definite, and along the null space of ``X`` the loss is flat. Uniqueness comes from STRICT
    convexity: here ``X^T X`` positive definite, i.e. ``X`` of full column rank (and a minimiser
    exists, as it always does for least squares). With a repeated feature, or fewer samples than
    parameters, the minimisers form a whole line (plane, ...) of equal loss, and gradient descent
    from ``theta`` stops at ``theta_0 + N N^T theta`` (a different minimiser for each start).

    Args:
        X: ``(n, p)``; y: ``(n,)``.

    Returns:
        (theta_0, N): the minimum-norm minimiser ``(p,)`` and an orthonormal basis ``(p, k)`` of the
        null space of ``X`` (``k = 0``: the minimiser is unique).
    """
    X = np.asarray(X, dtype=float)
    _, s, Vt = np.linalg.svd(X)
    rank = int(np.sum(s > s.max(initial=0.0) * max(X.shape) * np.finfo(float).eps))
    return least_squares(X, y), Vt[rank:].T


# --------------------------------------------------------------------------------------------------
# Figures


def _example_field(u, v):
    """The example scalar field of (2.20), ``f = 2 u^2 v + sin(u) v^2``, and its (corrected) gradient."""
    f = 2 * u ** 2 * v + np.sin(u) * v ** 2
    return f, (4 * u * v + v ** 2 * np.cos(u), 2 * u ** 2 + 2 * np.sin(u) * v)


def _draw_fit_line(fig):
    ax = fig.subplots()
    a_true, b_true = 2.0, -1.0
    x, y = linear_data(a=a_true, b=b_true)
    a, b = fit_line_closed_form(x, y)
    grid = np.linspace(x.min(), x.max(), 2)
    ax.scatter(x, y, s=15, label="data")
    ax.plot(grid, a * grid + b, "C1", label=f"least squares: y = {a:.2f} x + {b:.2f}")
    ax.plot(grid, a_true * grid + b_true, "k--", lw=1, label=f"true line: y = {a_true:g} x + {b_true:g}")
    ax.set(xlabel="x", ylabel="y", title="Linear regression (2.2)")
    ax.legend()


def _draw_jensen(fig):
    ax = fig.subplots()
    f = np.square
    x, y, alpha = -1.5, 1.0, 0.35
    m = alpha * x + (1 - alpha) * y
    secant = alpha * f(x) + (1 - alpha) * f(y)
    t = np.linspace(-2, 1.6, 200)
    ax.plot(t, f(t), label="f(t) = t^2")
    ax.plot([x, y], [f(x), f(y)], "C1o-", label="secant")
    ax.plot([m, m], [f(m), secant], "C3o-", label="Jensen gap >= 0")
    ax.set(xlabel="t", title="Jensen's inequality (2.10): the secant lies above f")
    ax.legend()


def _draw_tangent(fig):
    ax = fig.subplots()
    x0 = 0.5
    t = np.linspace(-2, 2, 200)
    ax.plot(t, np.exp(t), label="f(t) = exp(t)")
    ax.plot(t, np.exp(x0) * (1 + t - x0), "C1", label=f"tangent at t = {x0}")
    ax.plot(x0, np.exp(x0), "C1o")
    ax.set(xlabel="t", ylim=(-2, 7), title="First-order condition (2.17): tangent below f")
    ax.legend()


def _draw_gradient_field(fig):
    ax = fig.subplots()
    u, v = np.meshgrid(np.linspace(-2, 2, 200), np.linspace(-2, 2, 200))
    f, _ = _example_field(u, v)
    ax.contour(u, v, f, levels=20, cmap="viridis")
    uq, vq = np.meshgrid(np.linspace(-1.8, 1.8, 13), np.linspace(-1.8, 1.8, 13))
    _, (gu, gv) = _example_field(uq, vq)
    ax.quiver(uq, vq, gu, gv, color="C3", angles="xy")
    ax.set(xlabel="x", ylabel="y", aspect="equal",
           title="Gradient of 2x^2y + sin(x)y^2 (2.20):\northogonal to the level sets")


def _draw_loss_contour(fig):
    ax = fig.subplots()
    x, y = linear_data()
    a_star, b_star = fit_line_closed_form(x, y)
    a, b = np.meshgrid(np.linspace(a_star - 2, a_star + 2, 200), np.linspace(b_star - 2, b_star + 2, 200))
    loss = line_loss(a, b, x, y)
    levels = np.geomspace(loss.min() * 1.05, loss.max(), 15)
    ax.contour(a, b, loss, levels=levels, cmap="viridis")
    ax.plot(a_star, b_star, "r*", ms=14, label=f"closed form ({a_star:.2f}, {b_star:.2f})")
    ax.set(xlabel="a", ylabel="b", title="Loss l(a, b) (2.31) and its minimiser (2.42)")
    ax.legend()


def _draw_network_blocks(fig):
    from course.diagrams import dense_graph, draw_dense_graph

    fig.set_size_inches(8, 4)
    graph = dense_graph(block_network())
    labels = ["x in R^2"] + [f"{name}: {k.shape[0]}x{k.shape[1]} + {k.shape[1]}\n= {n} parameters"
                             for name, k, n in zip(graph["names"], graph["kernels"], graph["params"])]
    draw_dense_graph(fig.subplots(), graph["sizes"], graph["kernels"], labels=labels,
                     title=f"f_Theta (2.1) as Dense blocks: Theta = {sum(graph['params'])} numbers "
                           "(edge width ~ |w|, red > 0, blue < 0)")


def _draw_training_task(fig):
    fig.set_size_inches(13, 4)
    x, y = linear_data()
    trace = training_trace(x, y)
    a_star, b_star = fit_line_closed_form(x, y)
    data_ax, loss_ax, path_ax = fig.subplots(1, 3)
    grid = np.array([-2.0, 2.0])
    data_ax.scatter(x, y, s=10, c="k", label="examples (x_i, y_i)")
    shown = [0, 2, 5, 10, 20, len(trace["theta"]) - 1]
    for k in shown:
        a, b = trace["theta"][k]
        data_ax.plot(grid, a * grid + b, color=_colour(k / shown[-1]), lw=1, label=f"f_Theta after {k} steps")
    data_ax.set(xlabel="x", ylabel="y", title="1. fix f, here y = a x + b")
    data_ax.legend(fontsize=7)
    loss_ax.semilogy(trace["loss"], "C0")
    loss_ax.axhline(np.mean((a_star * x + b_star - y) ** 2), color="k", ls=":", label="minimum (2.42)")
    loss_ax.set(xlabel="epoch (one full-batch SGD step)", ylabel="MSE (2.4)", title="2. minimise the loss")
    loss_ax.legend(fontsize=8)
    a, b = np.meshgrid(np.linspace(-0.5, 3.5, 150), np.linspace(-3, 1.5, 150))
    path_ax.contour(a, b, line_loss(a, b, x, y) / len(x), levels=np.geomspace(0.3, 30, 14), cmap="viridis",
                    linewidths=0.8)
    path_ax.plot(*trace["theta"].T, "C3.-", ms=3, label="Theta during training")
    path_ax.plot(a_star, b_star, "k*", ms=12, label="closed form (2.42)")
    path_ax.set(xlabel="a", ylabel="b", title="3. ... over the parameters Theta = (a, b)")
    path_ax.legend(fontsize=8)
    fig.suptitle("Fig 2.3: given X and Y, choose f and a loss, then solve for Theta (Keras compile/fit)")


def _colour(value):
    from matplotlib import colormaps

    return colormaps["plasma"](0.85 * value)


FIGURES = {
    "ch02_fit_line": _draw_fit_line,
    "ch02_jensen_secant": _draw_jensen,
    "ch02_tangent_below_convex": _draw_tangent,
    "ch02_gradient_field": _draw_gradient_field,
    "ch02_loss_contour": _draw_loss_contour,
    "ch02_network_blocks": _draw_network_blocks,
    "ch02_training_task": _draw_training_task,
}
