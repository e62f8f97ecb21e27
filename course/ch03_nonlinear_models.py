"""Chapter 3 - Nonlinear models, overfitting, regularization, classification (reference code).

Polynomial features use the Vandermonde layout of (3.2), ``[x^k, ..., x, 1]``: highest power first,
bias LAST, coefficients in ``np.polyval`` order. Ridge and lasso objectives are SUMS of squares plus
the penalty, as in (3.5)/(3.6); Keras losses are MEANS (see ``fit_poly_keras`` for the translation).
Logistic regression is 1-D with ``z = a x + b`` and labels in ``{0, 1}`` (3.10)-(3.22).

Importing this module is light (numpy only): Keras is imported by the functions that train, and
matplotlib by the figure functions.
"""
import numpy as np

from course.ch02_linear_regression import least_squares, train_dense
from course.datasets import classic_poly_data, sparse_linear_data, true_poly_function


def poly_features(x, k):
    """Vandermonde features of degree ``k`` (3.2): ``(n,)`` -> ``(n, k + 1)``, columns ``x^k ... x 1``."""
    return np.vander(np.asarray(x, dtype=float), k + 1)


def fit_poly(x, y, k):
    """Least-squares polynomial of degree ``k`` (3.1); coefficients ``(k + 1,)``, highest first."""
    return least_squares(poly_features(x, k), y)


def poly_mse(coeffs, x, y):
    """MEAN squared error of the polynomial ``coeffs`` (highest first) on data ``x``, ``y``."""
    return float(np.mean((np.asarray(y) - np.polyval(coeffs, x)) ** 2))


def ridge(X, y, lam, penalize_bias=True):
    """Ridge regression (3.5): ``argmin ||y - X theta||^2 + lam ||theta||^2`` (SUM of squares).

    The minimiser solves ``(X^T X + lam I') theta = X^T y`` (the penalty's gradient is
    ``2 lam theta``; the notes' (3.8) drops the square). ``I'`` is the identity, with its last
    diagonal entry set to 0 when ``penalize_bias=False``: the bias is the LAST column of ``X``.
    Computed as the equivalent least-squares problem ``[X; sqrt(lam) I'] theta ~ [y; 0]``, which
    avoids forming ``X^T X``.

    Args:
        X: ``(n, p)`` design matrix, bias column last; y: ``(n,)``; lam: ``>= 0``.

    Returns:
        theta of shape ``(p,)``.
    """
    X = np.asarray(X, dtype=float)
    root = np.full(X.shape[1], np.sqrt(lam))
    if not penalize_bias:
        root[-1] = 0.0
    y_padded = np.concatenate([np.asarray(y, dtype=float), np.zeros(X.shape[1])])
    return least_squares(np.vstack([X, np.diag(root)]), y_padded)


def ridge_path(X, y, lams, penalize_bias=True):
    """Ridge coefficients for each ``lam`` in ``lams``: array ``(len(lams), p)``."""
    return np.array([ridge(X, y, lam, penalize_bias) for lam in lams])


def lasso(X, y, lam, theta0=None, sweeps=1000, tol=1e-12):
    """Lasso (3.6): ``argmin ||y - X theta||^2 + lam ||theta||_1`` (SUM of squares) by coordinate descent.

    Every coefficient is penalised. One coordinate at a time, with the others fixed, the minimiser is
    a soft-threshold: ``theta_j = S(X_j . r_j, lam / 2) / ||X_j||^2`` where ``r_j`` is the residual
    without feature ``j`` and ``S(u, t) = sign(u) max(|u| - t, 0)``, hence exact zeros. Stops after
    ``sweeps`` passes or when no coefficient moves by more than ``tol``.

    Args:
        X: ``(n, p)`` with nonzero columns; y: ``(n,)``; lam: ``>= 0``; theta0: warm start (default 0).

    Returns:
        theta of shape ``(p,)``.
    """
    X = np.asarray(X, dtype=float)
    theta = np.zeros(X.shape[1]) if theta0 is None else np.array(theta0, dtype=float)
    residual = np.asarray(y, dtype=float) - X @ theta
    col_sq = np.sum(X ** 2, axis=0)
    for _ in range(sweeps):
        largest_step = 0.0
        for j in range(X.shape[1]):
            u = X[:, j] @ residual + col_sq[j] * theta[j]
            new = np.sign(u) * max(abs(u) - lam / 2, 0.0) / col_sq[j]
            residual -= X[:, j] * (new - theta[j])
            largest_step = max(largest_step, abs(new - theta[j]))
            theta[j] = new
        if largest_step <= tol:
            break
    return theta


def lasso_path(X, y, lams, sweeps=1000):
    """Lasso coefficients for each ``lam`` in ``lams`` (warm-started in the given order): ``(len(lams), p)``.

    ``theta = 0`` exactly when ``lam >= 2 max_j |X_j . y|``.
    """
    thetas, theta = [], None
    for lam in lams:
        theta = lasso(X, y, lam, theta0=theta, sweeps=sweeps)
        thetas.append(theta)
    return np.array(thetas)


def soft_threshold(u, t):
    """``S(u, t) = sign(u) max(|u| - t, 0)``, elementwise: the proximal map of ``t |.|``."""
    u = np.asarray(u, dtype=float)
    return np.sign(u) * np.maximum(np.abs(u) - t, 0.0)


def lasso_orthonormal(X, y, lam):
    """The lasso (3.6) in closed form, ``theta = S(X^T y, lam / 2)``: valid ONLY when ``X^T X = I``.

    With orthonormal columns the objective separates into one scalar problem per coefficient, and
    each is solved by a soft-threshold. In general the lasso has NO closed form (the notes' (3.9)
    suggests that convexity gives one): setting a gradient to zero is impossible where ``|theta_j|``
    has a kink, the minimiser is piecewise linear in ``lam`` with a new piece wherever a coefficient
    enters or leaves the active set, and it is computed iteratively (``lasso``: coordinate descent).
    On correlated columns this formula is not the minimiser; ``lasso_kkt_violation`` says by how much.
    """
    return soft_threshold(np.asarray(X, dtype=float).T @ np.asarray(y, dtype=float), lam / 2)


def lasso_kkt_violation(X, y, theta, lam):
    """Largest violation of the lasso's optimality conditions at ``theta`` (0 exactly at the minimiser).

    ``theta`` minimises ``||y - X theta||^2 + lam ||theta||_1`` (SUM of squares) iff, with
    ``g = 2 X^T (y - X theta)``: ``g_j = lam sign(theta_j)`` where ``theta_j != 0`` and
    ``|g_j| <= lam`` where ``theta_j = 0`` (the subgradient of ``|.|`` at 0 is ``[-1, 1]``).

    Returns:
        float ``>= 0``, in the units of ``lam``.
    """
    X, theta = np.asarray(X, dtype=float), np.asarray(theta, dtype=float)
    g = 2 * X.T @ (np.asarray(y, dtype=float) - X @ theta)
    violation = np.where(theta != 0, np.abs(g - lam * np.sign(theta)), np.maximum(np.abs(g) - lam, 0.0))
    return float(violation.max())


def fit_poly_keras(x, y, k, lam, epochs=200, lr=0.5, seed=0):
    """Polynomial regression in Keras: ``Dense(1, kernel_regularizer=keras.regularizers.L2(lam))``.

    The inputs are the features ``[x^k, ..., x]`` (the Dense bias plays the column of ones) and the
    loss is Keras' MEAN squared error, trained by full-batch SGD (one step per epoch, see
    ``train_dense``; at high degree the features are badly conditioned and gradient descent needs
    many more steps than at low degree). Keras' ``L2(lam)`` adds
    ``lam * ||w||^2`` for the kernel only, so the objective is
    ``(1/n) ||y - X theta||^2 + lam ||w||^2`` and its minimiser solves
    ``(X^T X + n lam I') theta = X^T y`` with the bias unpenalised, i.e.
    ``ridge(poly_features(x, k), y, n * lam, penalize_bias=False)``.

    Backends: any Keras 3 backend (tested under TensorFlow and JAX).

    Args:
        x, y: data ``(n,)``; k: degree; lam: L2 factor.

    Returns:
        (theta, history): coefficients ``(k + 1,)`` highest first (bias last) and per-epoch losses.
    """
    import keras

    kernel, bias, history = train_dense(poly_features(x, k)[:, :-1], y, "mse", lr, epochs, seed=seed,
                                        kernel_regularizer=keras.regularizers.L2(lam))
    return np.append(kernel, bias), history


def sigmoid(z):
    """Logistic sigmoid (3.14), computed as ``exp(-ln(1 + exp(-z)))`` with ``np.logaddexp``.

    No overflow for any ``z``, and full relative accuracy in both tails.
    """
    return np.exp(-np.logaddexp(0.0, -np.asarray(z, dtype=float)))


def log_sigmoid(z):
    """``ln sigma(z) = -ln(1 + exp(-z))``, computed without overflow; strictly negative for finite ``z``.

    The sigmoid maps the real line onto the OPEN interval ``(0, 1)``: ``sigma(z)`` is never 0 or 1
    (the notes' "within the values 0 and 1"; (5.16) has it right). Hence the BCE (3.22) is positive
    at every finite ``(a, b)``, and on separable classes its infimum 0 is approached only as
    ``|a| -> infinity``: no finite minimiser. In float64 ``sigmoid(z)`` ROUNDS to 1.0 from
    about ``z = 37`` on (and ``1 - sigmoid(z)`` to 0), while ``log_sigmoid(-z)`` stays finite and
    ``log_sigmoid(z)`` nonzero up to ``z ~ 745``.
    """
    return -np.logaddexp(0.0, -np.asarray(z, dtype=float))


def logit(p):
    """Inverse of the sigmoid, ``ln(p / (1 - p))``, on ``(0, 1)``; ``-inf`` at 0 and ``+inf`` at 1.

    The infinities are the open range of ``sigmoid`` read backwards: no finite ``z`` has
    ``sigmoid(z) = 0`` or ``1``. NaN outside ``[0, 1]``.
    """
    p = np.asarray(p, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.log(p) - np.log1p(-p)


def fit_logistic_keras(x, y, epochs=100, lr=2.0, seed=0):
    """Logistic regression in Keras: ``Dense(1)`` logits, ``BinaryCrossentropy(from_logits=True)``.

    The loss is the MEAN of (3.21), i.e. (3.22) divided by ``n``; ``from_logits=True`` evaluates it
    stably (no clipping of probabilities). Trained by full-batch SGD (``train_dense``).

    Backends: any Keras 3 backend (tested under TensorFlow and JAX).

    Args:
        x: inputs ``(n,)``; y: labels in ``{0, 1}``, ``(n,)``.

    Returns:
        (a, b, history): slope, intercept and per-epoch losses.
    """
    import keras

    kernel, bias, history = train_dense(x, y, keras.losses.BinaryCrossentropy(from_logits=True), lr,
                                        epochs, seed=seed)
    return float(kernel[0]), bias, history


def fit_logistic_newton(x, y, iters=50, tol=1e-12):
    """Float64 reference for 1-D logistic regression: Newton's method (IRLS) on the BCE (3.22).

    A finite minimiser exists only when the classes overlap; on separable data ``|a|`` grows without
    bound. Starts from ``(0, 0)``; stops when the Newton step is below ``tol``.

    Returns:
        (a, b) as floats.
    """
    X = np.column_stack([x, np.ones(len(x))])
    theta = np.zeros(2)
    for _ in range(iters):
        s = sigmoid(X @ theta)
        step = np.linalg.solve(X.T @ (X * (s * (1 - s))[:, None]), X.T @ (s - y))
        theta -= step
        if np.max(np.abs(step)) < tol:
            break
    return float(theta[0]), float(theta[1])


# --------------------------------------------------------------------------------------------------
# Figure data: more data confutes the linear assumption (Fig 3.1)


def more_data_example(n_few=8, n_many=60, noise=0.01, seed=0):
    """``y = sin x`` seen on ``[0, 0.5]`` (``n_few`` points) and on ``[0, 3]`` (``n_many``), with lines fitted.

    On the short range ``sin x = x - x^3/6 + ...`` is a line up to about 0.02, so a line explains
    the few points to the noise level; the wider sample shows the curvature, and its best line
    leaves residuals far above the noise.

    Returns:
        dict ``"few"``, ``"many"`` -> ``(x, y, (slope, intercept), rms_residual)``.
    """
    rng = np.random.default_rng(seed)
    out = {}
    for name, n, high in (("few", n_few, 0.5), ("many", n_many, 3.0)):
        x = np.sort(rng.uniform(0.0, high, n))
        y = np.sin(x) + noise * rng.standard_normal(n)
        line = fit_poly(x, y, 1)
        out[name] = (x, y, (float(line[0]), float(line[1])), float(np.sqrt(poly_mse(line, x, y))))
    return out


# --------------------------------------------------------------------------------------------------
# Figures

_DEGREES_SHOWN = (1, 4, 15)
# The x of the default seed 0 happen to cover [0, 1] evenly, which tames degree 15; seed 1 leaves gaps
# as in the notes' Fig. 3.3, where the overfit polynomial swings away from the data.
_FIGURE_SEED = 1


def _draw_poly_fits(fig):
    fig.set_size_inches(13, 4)
    x, y = classic_poly_data(seed=_FIGURE_SEED)
    grid = np.linspace(0, 1, 400)
    for ax, k in zip(fig.subplots(1, len(_DEGREES_SHOWN), sharey=True), _DEGREES_SHOWN):
        coeffs = fit_poly(x, y, k)
        ax.plot(grid, true_poly_function(grid), "k--", lw=1, label="true function")
        ax.plot(grid, np.polyval(coeffs, grid), "C1", label=f"degree {k}")
        ax.scatter(x, y, s=15, label="data")
        ax.set(xlabel="x", ylim=(-2, 2), title=f"degree {k}: train MSE {poly_mse(coeffs, x, y):.2e}")
        ax.legend(loc="lower left")


def _draw_train_val(fig):
    x, y = classic_poly_data(seed=_FIGURE_SEED)
    x_val, y_val = classic_poly_data(n=200, seed=100)
    degrees = np.arange(16)
    fits = [fit_poly(x, y, k) for k in degrees]
    ax = fig.subplots()
    ax.semilogy(degrees, [poly_mse(c, x, y) for c in fits], "o-", label="training")
    ax.semilogy(degrees, [poly_mse(c, x_val, y_val) for c in fits], "s-", label="validation")
    ax.set(xlabel="polynomial degree", ylabel="MSE", title="Underfitting (left), overfitting (right)")
    ax.legend()


def _draw_kfold(fig):
    k, n = 5, 20
    ax = fig.subplots()
    role = np.repeat(np.arange(k), n // k)[None, :] == np.arange(k)[:, None]
    ax.imshow(role, cmap="coolwarm", aspect="auto", vmin=-0.5, vmax=1.5)
    ax.set_xticks(np.arange(n + 1) - 0.5, minor=True)
    ax.set_yticks(np.arange(k + 1) - 0.5, minor=True)
    ax.grid(which="minor", color="w", lw=2)
    ax.tick_params(which="minor", length=0)
    ax.set_xticks([])
    ax.set_yticks(range(k), [f"fold {i + 1}" for i in range(k)])
    ax.set(xlabel="samples (after shuffling)",
           title=f"{k}-fold cross-validation: red validates, blue trains")


def _draw_sigmoid(fig):
    z = np.linspace(-8, 8, 400)
    s = sigmoid(z)
    ax = fig.subplots()
    ax.plot(z, s, label="sigma(z) = 1 / (1 + exp(-z))")
    ax.plot(z, s * (1 - s), label="sigma'(z) = sigma(z) (1 - sigma(z))")
    ax.axhline(0.5, color="gray", lw=0.8, ls=":")
    ax.set(xlabel="z", title="Logistic sigmoid (3.14) and its derivative (3.29)")
    ax.legend()


def _draw_paths(fig):
    fig.set_size_inches(10, 4)
    X, y, _ = sparse_linear_data()
    lam_max = 2 * np.max(np.abs(X.T @ y))
    lams = np.geomspace(lam_max, lam_max * 1e-4, 60)
    ax_ridge, ax_lasso = fig.subplots(1, 2)
    panels = ((ax_ridge, "Ridge path (3.5): shrinks, never exactly 0", ridge_path(X, y, lams)),
              (ax_lasso, "Lasso path (3.6): exact zeros", lasso_path(X, y, lams)))
    for ax, title, thetas in panels:
        ax.semilogx(lams, thetas)
        ax.axhline(0, color="k", lw=0.5)
        ax.set(xlabel="lambda", ylabel="coefficients", title=title)


def _draw_bce_vs_squared(fig):
    z = np.linspace(-6, 6, 400)
    ax = fig.subplots()
    ax.plot(z, np.logaddexp(0, -z), label="BCE: -ln sigma(z) (convex)")
    ax.plot(z, (1 - sigmoid(z)) ** 2, label="squared: (1 - sigma(z))^2 (not convex)")
    ax.set(xlabel="z = a x + b", ylabel="loss for a sample with y = 1",
           title="Losses of logistic regression: (3.13) vs (3.16)")
    ax.legend()


def _draw_more_data(fig):
    fig.set_size_inches(10, 4)
    data = more_data_example()
    grid = np.linspace(0, 3, 300)
    for ax, name in zip(fig.subplots(1, 2, sharey=True), ("few", "many")):
        x, y, (slope, intercept), rms = data[name]
        ax.plot(grid, np.sin(grid), "k:", lw=1, label="true: sin x")
        ax.scatter(x, y, s=15, zorder=3, label=f"{len(x)} samples")
        ax.plot(grid, slope * grid + intercept, "C1", label=f"line fit, rms residual {rms:.3f}")
        ax.set(xlabel="x", title=f"x in [0, {x.max():.1f}]: " + ("a line looks right" if name == "few"
                                                                  else "the line is wrong"))
        ax.legend(fontsize=8)
    fig.suptitle("Fig 3.1: more data confutes the linear assumption")


FIGURES = {
    "ch03_poly_fits": _draw_poly_fits,
    "ch03_train_val_mse": _draw_train_val,
    "ch03_kfold": _draw_kfold,
    "ch03_sigmoid": _draw_sigmoid,
    "ch03_regularization_paths": _draw_paths,
    "ch03_bce_vs_squared": _draw_bce_vs_squared,
    "ch03_more_data": _draw_more_data,
}
