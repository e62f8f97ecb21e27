"""Chapter 4 - Stochastic gradient descent, the Keras way.

The chapter's algorithms map onto Keras 3 optimizers:

* gradient descent (4.1) is ``keras.optimizers.SGD(learning_rate=lr)`` applied to the full-data loss;
* momentum (4.5) is ``SGD(lr, momentum=m)``: ``v <- m v - lr g``, ``x <- x + v`` (``nesterov=False``);
* the schedules of Section 4.3.1 are ``PolynomialDecay`` (linear), ``InverseTimeDecay`` and
  ``ExponentialDecay``, evaluated at ``optimizer.iterations`` (updates so far, from 0);
* mini-batch SGD (4.14) is a ``tf.function`` training step fed by a shuffled, batched ``tf.data``
  pipeline; the loss is the MEAN squared error (4.12).

Keras keeps a float ``learning_rate`` in a float32 variable (``keras.config.floatx()``) and casts
``momentum`` through float32 too, so a float64 run with ``lr=0.1, momentum=0.9`` actually uses
``float32(0.1)`` and ``float32(0.9)``; ``keras_schedule`` builds float64 schedules.

The objectives below use only indexing and arithmetic, so the same function evaluates a point
``(d,)``, a grid ``(d, H, W)`` (``x[0]``, ``x[1]`` are grids) or a TensorFlow tensor.

Importing this module is light (numpy): TensorFlow/Keras are imported by the functions that use
them, matplotlib by the figure functions.
"""
import math

import numpy as np

from course.datasets import linear_data, quadratic_bowl, sparse_linear_data


def quadratic(A, b):
    """The quadratic ``f(x) = 1/2 x^T A x - b^T x`` of ``x`` ``(d, ...)``; its gradient is ``A x - b``."""
    A, b = np.asarray(A, dtype=float), np.asarray(b, dtype=float)
    d = len(b)

    def f(x):
        return sum(0.5 * A[i, j] * x[i] * x[j] for i in range(d) for j in range(d)) - sum(
            b[i] * x[i] for i in range(d))
    return f


def rosenbrock(x, a=1.0, b=100.0):
    """Rosenbrock's banana ``(a - x0)^2 + b (x1 - x0^2)^2``; minimum 0 at ``(a, a^2)``."""
    return (a - x[0]) ** 2 + b * (x[1] - x[0] ** 2) ** 2


def double_well(x):
    """The double well ``x0^4 - 3 x0^2 + x0``: local minimum near 1.131, global near -1.301."""
    return x[0] ** 4 - 3 * x[0] ** 2 + x[0]


def kink(x):
    """``f(x, y) = x^2 y / (x^2 + y^2)``, 0 at the origin (Section 4.2.2); numpy, ``x`` of shape ``(2, ...)``.

    Both partials exist everywhere and vanish at the origin, so ``grad f(0) = 0``. But ``f`` is
    homogeneous of degree one (``f(t v) = t f(v)``), so the directional derivative at the origin is
    ``D_v f(0) = f(v)``, e.g. ``1 / (2 sqrt 2)`` along ``(1, 1)/sqrt 2``, while ``grad f(0) . v = 0``: ``f``
    is not differentiable there. (The notes argue from the discontinuity of the partials, which alone
    proves nothing: ``x^2 sin(1/x)`` has a discontinuous derivative and is differentiable.)
    Automatic differentiation of the formula gives NaN at the origin (0/0).
    """
    x = np.asarray(x, dtype=float)
    r2 = x[0] ** 2 + x[1] ** 2
    return np.where(r2 > 0, x[0] ** 2 * x[1] / np.where(r2 > 0, r2, 1.0), 0.0)


def gradient(f, x):
    """Gradient of ``f`` by ``tf.GradientTape`` in float64 at ``x`` of shape ``(d,)`` or a grid ``(d, ...)``.

    On a grid, ``f`` acts pointwise, so the gradient of the SUM of its values is the field of gradients.

    Backends: TensorFlow only (``tf.GradientTape``).
    """
    import tensorflow as tf

    x = tf.constant(np.asarray(x, dtype=float))
    with tf.GradientTape() as tape:
        tape.watch(x)
        total = tf.reduce_sum(f(x))
    return tape.gradient(total, x).numpy()


def keras_schedule(kind, a0, rho, a_end=0.0):
    """The chapter's learning-rate schedules as float64 Keras schedules ``t -> a_t``.

    * ``"linear"``: ``a_t = a0 + (a_end - a0) min(t, rho) / rho``, ``PolynomialDecay(power=1)`` over
      ``rho`` steps (the notes' formula is off by one step and does not stop at ``rho``);
    * ``"inverse_time"``: ``a_t = a0 / (1 + rho t)``, ``InverseTimeDecay(a0, 1, rho)`` (not the notes'
      compounding recursion ``a_{t+1} = a_t / (1 + rho t)``);
    * ``"exponential"``: ``a_t = a0 exp(-rho t)``, ``ExponentialDecay(a0, 1, exp(-rho))``.

    Keras computes a schedule in the dtype of its initial rate; numpy float64 numbers make it float64
    (python floats would give float32 and ~1e-6 relative error after 100 exponential steps).

    Backends: any Keras 3 backend (tested under TensorFlow and JAX; JAX computes in float32 unless
    ``jax_enable_x64`` is set).
    """
    import keras

    schedules = keras.optimizers.schedules
    a0, rho = np.float64(a0), np.float64(rho)
    if kind == "linear":
        return schedules.PolynomialDecay(a0, decay_steps=rho, end_learning_rate=np.float64(a_end), power=1)
    if kind == "inverse_time":
        return schedules.InverseTimeDecay(a0, decay_steps=1, decay_rate=rho)
    if kind == "exponential":
        return schedules.ExponentialDecay(a0, decay_steps=1, decay_rate=np.exp(-rho))
    raise ValueError(f"unknown schedule {kind!r}: use 'linear', 'inverse_time' or 'exponential'")


def keras_trajectory(f, x0, optimizer, steps):
    """Minimise ``f`` from ``x0`` with a Keras optimizer on a float64 variable; return every iterate.

    Each step takes the ``tf.GradientTape`` gradient of ``f``, then calls ``optimizer.apply_gradients``
    (eagerly: for a few hundred steps of a tiny problem, tracing a ``tf.function`` costs more than it
    saves). ``SGD(lr)`` reproduces gradient descent (4.1) and ``SGD(lr, momentum=m)`` the heavy ball (4.5).

    Backends: TensorFlow only (the ``tf.GradientTape`` loop is the lesson).

    Args:
        f: differentiable TF function of a float64 vector ``(d,)`` returning a scalar.
        x0: start ``(d,)``; optimizer: a fresh Keras optimizer; steps: number of updates.

    Returns:
        array ``(steps + 1, d)``, ``x0`` first.

    Raises:
        ValueError: if the optimizer's momentum is ``>= 1`` (see ``heavy_ball``).
    """
    import keras
    import tensorflow as tf

    check_momentum(getattr(optimizer, "momentum", 0.0))

    x = keras.Variable(np.asarray(x0, dtype="float64"), dtype="float64")
    path = [x.numpy()]
    for _ in range(steps):
        with tf.GradientTape() as tape:
            loss = f(x)
        optimizer.apply_gradients([(tape.gradient(loss, x), x)])
        path.append(x.numpy())
    return np.array(path)


def check_momentum(momentum):
    """Raise ``ValueError`` unless the momentum factor ``lambda`` is below 1 (4.5).

    ``lambda`` plays the part of ``1 - friction``: with ``lambda < 1`` the velocity forgets old
    gradients geometrically and the terminal step is ``lr ||g|| / (1 - lambda)`` (4.6). The notes
    allow ``lambda <= 1``; at ``lambda = 1`` there is no friction at all: (4.6) and the unrolled (4.8)
    divide by zero, a constant gradient accelerates the iterate without bound, and on a quadratic
    bowl the heavy ball oscillates forever with undiminished amplitude instead of converging. Keras'
    ``SGD`` accepts ``momentum=1.0``; the course's functions do not.
    """
    if not momentum < 1:
        raise ValueError(f"the momentum factor must be below 1 (lambda < 1 in (4.5)), got {momentum!r}")


def heavy_ball(grad, x0, lr, momentum, steps):
    """Gradient descent with momentum (4.5) in numpy: ``v <- m v - lr grad(x)``, ``x <- x + v``, ``v_0 = 0``.

    The update of ``SGD(lr, momentum=m)`` (``keras_trajectory`` runs the Keras optimizer itself);
    ``momentum=0`` is gradient descent (4.1). Returns the iterates ``(steps + 1, d)``, ``x0`` first.
    Raises ``ValueError`` for ``momentum >= 1`` (``check_momentum``).
    """
    check_momentum(momentum)
    x = np.array(x0, dtype=float)
    v = np.zeros_like(x)
    path = [x]
    for _ in range(steps):
        v = momentum * v - lr * grad(x)
        x = x + v
        path.append(x)
    return np.array(path)


def momentum_unrolled(grads, x0, lr, momentum):
    """Position after the heavy-ball updates with gradients ``grads`` ``(t + 1, d)``, in closed form.

    The corrected (4.8): ``x_{t+1} = x_0 - lr sum_{i=0}^{t} (1 - m^(t+1-i)) / (1 - m) grad_i``. The
    weight of ``grad_i`` grows with its AGE ``t - i`` (from 1 to ``1 / (1 - m)``): an old gradient has
    pushed for longer. The notes write ``+ lr``, start at ``i = 1`` and say old gradients fade; that
    is true of the velocity ``v_{t+1} = -lr sum_i m^(t-i) grad_i``, not of the position.
    ``momentum = 0`` gives (4.7), ``x_0 - lr sum_{i=0}^{t} grad_i``. Raises ``ValueError`` for
    ``momentum >= 1`` (the weights divide by ``1 - m``; see ``check_momentum``).
    """
    check_momentum(momentum)
    grads = np.asarray(grads, dtype=float)
    age = np.arange(len(grads))[::-1]  # t - i
    weights = (1 - momentum ** (age + 1)) / (1 - momentum)
    return np.asarray(x0, dtype=float) - lr * weights @ grads


def fit_linear_sgd(X, y, lr, batch_size, epochs, momentum=0.0, seed=None, dtype="float32"):
    """Mini-batch SGD for linear regression: ``Dense(1)``, a ``tf.function`` step, batches from ``tf.data``.

    The model ``y ~ X w + b`` starts at zero; the loss is the MEAN squared error (4.12) on the batch.
    Each epoch iterates ``tf.data.Dataset.from_tensor_slices((X, y))``, shuffled with ``seed``
    (reshuffled every epoch; ``seed=None`` keeps the order) and cut into batches of ``batch_size``
    (the last one smaller). The step is ``SGD(lr, momentum)``; ``lr`` may be a schedule
    (``keras_schedule``), evaluated at the number of updates so far.

    Backends: TensorFlow only (the ``tf.data`` pipeline and the ``tf.function`` step are the lesson).

    Args:
        X: ``(n, d)``; y: ``(n,)``; dtype: ``"float32"`` or ``"float64"`` for the model and data.

    Returns:
        (theta, epoch_losses, path): ``theta = (w, b)`` of shape ``(d + 1,)`` (bias LAST, as in a design
        matrix ``[X, 1]``), the full-data MSE after each epoch, and ``theta`` after every update
        ``(updates + 1, d + 1)``.

    Raises:
        ValueError: if ``momentum >= 1`` (``check_momentum``).
    """
    import keras
    import tensorflow as tf

    check_momentum(momentum)

    X, y = np.asarray(X, dtype=dtype), np.asarray(y, dtype=dtype)
    dense = keras.layers.Dense(1, kernel_initializer="zeros", dtype=dtype)
    model = keras.Sequential([keras.Input((X.shape[1],), dtype=dtype), dense])
    optimizer = keras.optimizers.SGD(learning_rate=lr, momentum=momentum)
    data = tf.data.Dataset.from_tensor_slices((X, y))
    if seed is not None:
        data = data.shuffle(len(X), seed=seed, reshuffle_each_iteration=True)
    data = data.batch(batch_size)

    def mse(xb, yb):
        return keras.ops.mean((model(xb)[:, 0] - yb) ** 2)

    def theta():
        return tf.concat([dense.kernel[:, 0], dense.bias], axis=0)

    @tf.function
    def train_epoch(batches):
        """One epoch (AutoGraph turns the loop over the dataset into a graph loop); theta after each step."""
        thetas = tf.TensorArray(dtype, size=0, dynamic_size=True)
        for xb, yb in batches:
            with tf.GradientTape() as tape:
                loss = mse(xb, yb)
            grads = tape.gradient(loss, model.trainable_variables)
            optimizer.apply_gradients(zip(grads, model.trainable_variables))
            thetas = thetas.write(thetas.size(), theta())
        return thetas.stack()

    path, losses = [theta().numpy()[None]], []
    for _ in range(epochs):
        path.append(train_epoch(data).numpy())
        losses.append(float(mse(X, y)))
    path = np.concatenate(path).astype(float)
    return path[-1], losses, path


# --------------------------------------------------------------------------------------------------
# Critical points in high dimension: saddles, not minima, are the rule


def critical_point_kinds(dims, samples=20000, seed=0):
    """Fractions of minima, maxima and saddles among random critical points, by dimension.

    At a critical point the Hessian decides: a minimum needs ALL ``d`` eigenvalues positive, a maximum
    all negative; mixed signs make a saddle. The experiment draws Hessians of random critical points
    from the Gaussian orthogonal ensemble, ``H = (A + A^T) / 2`` with ``A`` of independent ``N(0, 1)``
    entries, and classifies each by the signs of ``np.linalg.eigvalsh(H)``. The fraction of minima is
    1/2 in 1-D, exactly ``(2 - sqrt 2) / 4 = 0.146`` in 2-D, and falls like ``exp(-(ln 3 / 4) d^2)``
    (Dean and Majumdar, 2006): saddles become the rule as the dimension grows. The notes' footnote in
    Section 4.1 says the opposite ("exponentially more rare the higher the dimension").

    Args:
        dims: dimensions ``d`` to try; samples: Hessians per dimension; seed: numpy seed.

    Returns:
        dict of arrays ``(len(dims),)``: ``"minima"``, ``"maxima"``, ``"saddles"`` (fractions) and
        ``"standard_error"`` of the fraction of minima.
    """
    rng = np.random.default_rng(seed)
    out = {"minima": [], "maxima": [], "saddles": [], "standard_error": []}
    for d in dims:
        A = rng.standard_normal((samples, d, d))
        eigenvalues = np.linalg.eigvalsh((A + np.swapaxes(A, 1, 2)) / 2)
        minima, maxima = np.mean(np.all(eigenvalues > 0, axis=1)), np.mean(np.all(eigenvalues < 0, axis=1))
        out["minima"].append(minima)
        out["maxima"].append(maxima)
        out["saddles"].append(1.0 - minima - maxima)
        out["standard_error"].append(np.sqrt(minima * (1 - minima) / samples))
    return {key: np.array(values) for key, values in out.items()}


# --------------------------------------------------------------------------------------------------
# Figures


def _grid(xlim, ylim, num=200):
    return np.stack(np.meshgrid(np.linspace(*xlim, num), np.linspace(*ylim, num)))


def _contours(ax, f, xlim, ylim, levels=25, log=False):
    grid = _grid(xlim, ylim)
    values = f(grid)
    if log:  # levels packed near the minimum
        levels = values.min() + np.geomspace(1e-3, np.ptp(values), levels)
    ax.contour(grid[0], grid[1], values, levels=levels, cmap="viridis", linewidths=0.8)


def _bowl(kappa):
    """A quadratic bowl of ``quadratic_bowl``: (f, grad)."""
    A, b = quadratic_bowl(kappa)
    return quadratic(A, b), lambda x: A @ x - b


def _draw_gd_path(fig):
    ax = fig.subplots()
    f, grad = _bowl(10.0)
    path = heavy_ball(grad, [-2.0, 2.0], 0.15, 0.0, 40)
    _contours(ax, f, (-2.5, 2.5), (-2, 2.5))
    ax.plot(path[:, 0], path[:, 1], "C3o-", ms=3, label="SGD(lr=0.15) on the full loss")
    ax.plot(1.0, -0.5, "k*", ms=12, label="minimum")
    ax.set(aspect="equal", xlabel="x1", ylabel="x2", title="Gradient descent (4.1) on a quadratic bowl")
    ax.legend(fontsize=8)


def _draw_gradient_field(fig):
    ax = fig.subplots()

    def f(x):
        return double_well(x) + x[1] ** 2

    _contours(ax, f, (-2, 2), (-1.5, 1.5), levels=20)
    grid = _grid((-1.9, 1.9), (-1.4, 1.4), 17)
    g = gradient(f, grid)
    ax.quiver(grid[0], grid[1], -g[0], -g[1], color="C3", angles="xy")
    ax.set(xlabel="x", ylabel="y", title="-grad f for f = x^4 - 3x^2 + x + y^2 (Fig 4.2):\n"
           "the flow towards the two minima")


def _draw_level_sets(fig):
    ax = fig.subplots()
    A, b = quadratic_bowl(4.0)
    f = quadratic(A, b)
    centre = np.linalg.solve(A, b)
    _contours(ax, f, (-1.5, 3.5), (-2.5, 1.5), levels=12)
    w, V = np.linalg.eigh(A)
    angles = np.linspace(0, 2 * np.pi, 12, endpoint=False)
    points = centre[:, None] + V @ (np.stack([np.cos(angles), np.sin(angles)]) * 1.2 / np.sqrt(w)[:, None])
    g = gradient(f, points)
    ax.plot(*points, "ko", ms=3)
    ax.quiver(*points, *(g / np.linalg.norm(g, axis=0) * 0.5), color="C3", angles="xy",
              scale_units="xy", scale=1, label="grad f: orthogonal to the level set")
    tangent = np.stack([-g[1], g[0]]) / np.linalg.norm(g, axis=0) * 0.3
    for p, t in zip(points.T, tangent.T):
        ax.plot([p[0] - t[0], p[0] + t[0]], [p[1] - t[1], p[1] + t[1]], "C0", lw=1)
    ax.set(aspect="equal", xlabel="x1", ylabel="x2",
           title="Gradients are orthogonal to the level sets (Fig 4.3)")
    ax.legend(fontsize=8, loc="lower left")


def _draw_learning_rates(fig):
    axes = fig.subplots(1, 3, sharey=True)
    fig.set_size_inches(12, 4)
    f, grad = _bowl(10.0)  # L = 10: GD converges for lr < 0.2
    for ax, (lr, label) in zip(axes, [(0.01, "too small"), (0.15, "good"), (0.205, "too large")]):
        path = heavy_ball(grad, [-2.0, 2.0], lr, 0.0, 30)
        _contours(ax, f, (-3, 3), (-3, 3))
        ax.plot(path[:, 0], path[:, 1], "C3o-", ms=3)
        ax.set(xlim=(-3, 3), ylim=(-3, 3), aspect="equal", title=f"lr = {lr} ({label}; 2/L = 0.2)")
    fig.suptitle("Learning rate (Fig 4.4): 30 gradient-descent steps")


def _draw_momentum(fig):
    ax = fig.subplots()
    fig.set_size_inches(6, 5)
    f, grad = _bowl(50.0)
    start = [-1.75, -1.74]  # 3 along the flat valley, 0.3 across it
    gd = heavy_ball(grad, start, 0.004, 0.0, 150)
    heavy = heavy_ball(grad, start, 0.004, 0.9, 150)
    _contours(ax, f, (-2.2, 1.8), (-2.2, 0.3), log=True)
    ax.plot(gd[:, 0], gd[:, 1], "C3.-", ms=3, label="SGD(0.004)")
    ax.plot(heavy[:, 0], heavy[:, 1], "C0.-", ms=3, label="SGD(0.004, momentum=0.9)")
    ax.plot(1.0, -0.5, "k*", ms=12)
    ax.set(aspect="equal", xlabel="x1", ylabel="x2",
           title="Momentum with a small step (Fig 4.5):\n150 steps on a bowl with kappa = 50")
    ax.legend(fontsize=8)


def _draw_sgd_noise(fig):
    ax = fig.subplots()
    x, y = linear_data(n=200, seed=1)
    X = x[:, None]

    def loss(theta):  # the mean squared error (4.12) on a grid of (a, b)
        return np.mean((theta[0][..., None] * x + theta[1][..., None] - y) ** 2, axis=-1)

    _contours(ax, loss, (-0.3, 2.5), (-1.7, 0.3), levels=20, log=True)
    design = np.column_stack([x, np.ones_like(x)])
    full = heavy_ball(lambda theta: 2 * design.T @ (design @ theta - y) / len(y), [0.0, 0.0], 0.2, 0.0, 25)
    _, _, minibatch = fit_linear_sgd(X, y, 0.2, 5, 4, seed=0, dtype="float64")
    for path, colour, label in ((full, "C3", "full batch (GD)"), (minibatch, "C0", "batch size 5")):
        ax.plot(path[:, 0], path[:, 1], ".-", color=colour, ms=2, lw=0.6,
                label=f"{label}: {len(path) - 1} steps")
    ax.plot(*np.linalg.lstsq(design, y, rcond=None)[0], "k*", ms=12, label="least squares")
    ax.set(xlabel="slope a", ylabel="intercept b",
           title="GD settles, SGD keeps moving near the minimum\n(Fig 4.6; constant lr 0.2, from 0)")
    ax.legend(fontsize=8)


def _draw_schedules(fig):
    ax = fig.subplots()
    steps = np.arange(101)
    for kind, label in (("linear", "linear, 0.5 -> 0.05 over 80 steps"),
                        ("inverse_time", "inverse time, 0.5 / (1 + 0.05 t)"),
                        ("exponential", "exponential, 0.5 exp(-0.03 t)")):
        rho = {"linear": 80, "inverse_time": 0.05, "exponential": 0.03}[kind]
        rate = keras_schedule(kind, 0.5, rho, a_end=0.05)
        ax.plot(steps, [float(rate(t)) for t in steps], label=label)
    notes = [0.5]
    for t in steps[:-1]:
        notes.append(notes[-1] / (1 + 0.05 * t))
    ax.plot(steps, notes, "k:", label="the notes' recursion a_t / (1 + 0.05 t): compounds")
    ax.set(xlabel="step t", ylabel="learning rate", title="Learning-rate schedules (Section 4.3.1)")
    ax.legend(fontsize=8)


def _draw_batch_sizes(fig):
    ax = fig.subplots()
    X, y, _ = sparse_linear_data(n=1000, d=3, n_active=3, noise=0.5, seed=0)
    design = np.column_stack([X, np.ones(len(X))])
    floor = np.mean((design @ np.linalg.lstsq(design, y, rcond=None)[0] - y) ** 2)
    for batch in (1000, 100, 10):
        _, losses, _ = fit_linear_sgd(X, y, 0.05, batch, 6, seed=0)
        ax.semilogy(np.arange(1, 7), np.array(losses) - floor, "o-", label=f"batch size {batch}")
    ax.set(xlabel="epoch", ylabel="training MSE - least-squares MSE",
           title="Loss per epoch for several batch sizes (lr 0.05)")
    ax.legend(fontsize=8)


def _draw_kink(fig):
    left, right = fig.subplots(1, 2)
    fig.set_size_inches(10, 4)
    grid = _grid((-1, 1), (-1, 1))
    left.contourf(grid[0], grid[1], kink(grid), levels=20, cmap="RdBu_r")
    left.set(aspect="equal", xlabel="x", ylabel="y", title="f = x^2 y / (x^2 + y^2)")
    angle = np.linspace(0, 2 * np.pi, 200)
    right.plot(angle, kink(np.stack([np.cos(angle), np.sin(angle)])), label="D_v f(0) = f(v)")
    right.plot(angle, np.zeros_like(angle), "C3--", label="grad f(0) . v = 0")
    right.plot(np.pi / 4, 1 / (2 * math.sqrt(2)), "ko", label="v = (1, 1)/sqrt 2: 1/(2 sqrt 2)")
    right.set(xlabel="direction angle of v", title="Partials exist, f is not differentiable at 0")
    right.legend(fontsize=8)


FIGURES = {
    "ch04_gd_path": _draw_gd_path,
    "ch04_gradient_field": _draw_gradient_field,
    "ch04_level_sets": _draw_level_sets,
    "ch04_kink": _draw_kink,
    "ch04_learning_rates": _draw_learning_rates,
    "ch04_momentum": _draw_momentum,
    "ch04_schedules": _draw_schedules,
    "ch04_sgd_noise": _draw_sgd_noise,
    "ch04_batch_sizes": _draw_batch_sizes,
}
