"""The reference library for chapters 2-3: datasets, closed forms, Keras references, figures."""
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from course import ch02_linear_regression as c2
from course import ch03_nonlinear_models as c3
from course import datasets, plots
from solutions import ch02_linear_regression as sol2
from solutions import ch03_nonlinear_models as sol3

ROOT = Path(__file__).resolve().parents[1]
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


# --- datasets ---------------------------------------------------------------------------------------

def test_datasets_shapes_and_seeding():
    x, y = datasets.linear_data()
    assert x.shape == y.shape == (50,)
    np.testing.assert_array_equal(datasets.linear_data()[1], y)
    assert not np.array_equal(datasets.linear_data(seed=1)[1], y)

    X, Y, A, b = datasets.affine_data(n=12, d_in=3, d_out=2, noise=0.0, seed=1)
    assert (X.shape, Y.shape, A.shape, b.shape) == ((12, 3), (12, 2), (2, 3), (2,))
    np.testing.assert_allclose(Y, X @ A.T + b)

    x, y = datasets.classic_poly_data()
    assert x.shape == (30,) and np.all(np.diff(x) >= 0)
    np.testing.assert_array_equal(datasets.classic_poly_data(noise=0.0)[1], datasets.true_poly_function(x))
    from scipy.stats import kstest  # x ~ U[0, 1], noise ~ 0.1 N(0, 1): Kolmogorov-Smirnov on many draws
    x_big, y_big = datasets.classic_poly_data(n=5000, seed=1)
    assert kstest(x_big, "uniform").pvalue > 1e-3
    assert kstest((y_big - datasets.true_poly_function(x_big)) / 0.1, "norm").pvalue > 1e-3
    np.testing.assert_allclose(datasets.true_poly_function([0.0, 1 / 3]), [1.0, 0.0], atol=1e-15)

    X, y, theta = datasets.sparse_linear_data(n=20, d=6, n_active=2, noise=0.0)
    assert np.count_nonzero(theta) == 2 and np.allclose(y, X @ theta)

    x, y = datasets.logistic_1d(n=101)
    assert x.shape == y.shape == (101,) and set(np.unique(y)) == {0, 1}
    assert np.sum(y == 0) == 50
    assert x[y == 0].mean() < 0 < x[y == 1].mean()


# --- chapter 2 --------------------------------------------------------------------------------------

def test_closed_forms_agree_with_answer_key():
    x, y = datasets.linear_data(seed=2)
    np.testing.assert_allclose(c2.fit_line_closed_form(x, y), np.polyfit(x, y, 1), atol=1e-10)
    np.testing.assert_allclose(c2.with_bias(x), sol2.design_matrix(x))
    X, Y, _, _ = datasets.affine_data(n=30, d_in=2, d_out=3, noise=0.2, seed=2)
    for got, expected in zip(c2.fit_affine(X, Y), sol2.fit_affine(X, Y)):
        np.testing.assert_allclose(got, expected, atol=1e-10)


def test_line_loss_is_sum_of_squares_on_a_grid():
    x, y = datasets.linear_data(n=10)
    a, b = np.meshgrid([0.0, 1.0, 2.0], [-1.0, 0.5])
    got = c2.line_loss(a, b, x, y)
    assert got.shape == (2, 3)
    assert got[1, 2] == pytest.approx(sol2.sse(y, 2.0 * x + 0.5), rel=1e-14)


def initial_dense(d, seed):
    """The kernel (d,) and bias that ``train_dense`` starts from (same seed, same construction)."""
    import keras
    keras.utils.set_random_seed(seed)
    dense = keras.layers.Dense(1)
    keras.Sequential([keras.Input((d,)), dense])
    kernel, bias = dense.get_weights()
    return kernel[:, 0].astype(float), float(bias[0])


def numpy_dense_gd(X, y, lr, epochs, seed, loss="mse", l2=0.0):
    """Float64 full-batch gradient descent on the MEAN loss (+ l2 ||w||^2) from train_dense's start:
    the losses before each step and the final (w, b)."""
    X = np.asarray(X, dtype=float).reshape(len(X), -1)
    w, b = initial_dense(X.shape[1], seed)
    losses = []
    for _ in range(epochs):
        z = X @ w + b
        if loss == "mse":
            losses.append(np.mean((z - y) ** 2) + l2 * w @ w)
            dz = 2 * (z - y) / len(y)
        else:  # binary cross-entropy on logits
            losses.append(np.mean(np.logaddexp(0, z) - y * z) + l2 * w @ w)
            dz = (sol3.sigmoid(z) - y) / len(y)
        w, b = w - lr * (X.T @ dz + 2 * l2 * w), b - lr * dz.sum()
    return np.array(losses), w, b


def test_keras_line_is_gradient_descent_and_lands_on_closed_form():
    x, y = datasets.linear_data()
    a, b, history = c2.fit_line_keras(x, y)
    np.testing.assert_allclose([a, b], c2.fit_line_closed_form(x, y), atol=1e-2)
    losses, w, b_gd = numpy_dense_gd(x, y, 0.3, 40, seed=0)
    np.testing.assert_allclose(history, losses, rtol=1e-4)
    np.testing.assert_allclose([a, b], [w[0], b_gd], rtol=1e-5, atol=1e-6)


def test_erratum_convex_does_not_imply_a_unique_minimizer():
    """Least squares is convex for every design (Jensen's gap >= 0), yet with a repeated feature its
    minimisers form a whole line of equal loss, and gradient descent from two starts ends at two
    of them; the notes' "there always exists a unique minimum" fails. Strict convexity (X^T X
    positive definite) is what gives uniqueness."""
    rng = np.random.default_rng(4)
    x = rng.standard_normal(20)
    y = 1.5 * x + 0.3 + 0.1 * rng.standard_normal(20)
    X = np.column_stack([x, x, np.ones(20)])  # the feature twice: theta_1 + theta_2 is all that matters
    theta0, N = c2.least_squares_minimizers(X, y)
    assert N.shape == (3, 1)
    np.testing.assert_allclose(np.abs(N[:, 0]), [np.sqrt(0.5), np.sqrt(0.5), 0.0], atol=1e-12)

    def loss(theta):
        return float(np.sum((y - X @ theta) ** 2))
    minimum = loss(theta0)
    np.testing.assert_allclose(X.T @ (y - X @ theta0), 0, atol=1e-10)  # normal equations
    others = [theta0 + t * N[:, 0] for t in (-3.0, 1.0, 10.0)]
    np.testing.assert_allclose([loss(t) for t in others], minimum, rtol=1e-12)
    assert min(np.linalg.norm(t - theta0) for t in others) >= 1.0  # distinct minimisers
    for _ in range(50):  # convex all the same: the secant lies above the graph
        a, b, alpha = rng.standard_normal(3), rng.standard_normal(3), rng.uniform()
        assert sol2.jensen_gap(lambda t: loss(np.asarray(t)), a, b, alpha) >= -1e-9
    assert np.linalg.eigvalsh(2 * X.T @ X)[0] == pytest.approx(0, abs=1e-10)  # PSD, not PD

    lr = 0.4 / np.linalg.eigvalsh(X.T @ X)[-1]
    ends = []
    for start in ([0.0, 0.0, 0.0], [4.0, -4.0, 0.0]):
        theta = np.array(start)
        for _ in range(3000):
            theta = theta + lr * 2 * X.T @ (y - X @ theta)  # a gradient step on the sum of squares
        projected = theta0 + N @ (N.T @ np.array(start))
        np.testing.assert_allclose(theta, projected, atol=1e-8)
        ends.append(theta)
    assert loss(ends[0]) == pytest.approx(loss(ends[1]), rel=1e-10)
    assert np.linalg.norm(ends[0] - ends[1]) > 5

    full = X[:, 1:]  # full column rank: strictly convex, one minimiser
    theta_full, N_full = c2.least_squares_minimizers(full, y)
    assert N_full.shape == (2, 0) and np.linalg.eigvalsh(full.T @ full)[0] > 1
    np.testing.assert_allclose(theta_full, np.polyfit(x, y, 1), atol=1e-10)


def test_erratum_2_30_theta_lives_in_r2():
    """(2.30) minimises over Theta = (a, b) in R^2: a general-purpose 2-D minimiser lands on the
    closed form, while any minimisation over one real parameter (the notes' "Theta in R": the slope
    alone, or the intercept alone) leaves a strictly larger loss."""
    from scipy.optimize import minimize, minimize_scalar
    x, y = datasets.linear_data(a=2.0, b=-1.0, seed=3)
    closed = np.array(c2.fit_line_closed_form(x, y))
    found = minimize(lambda t: c2.line_loss(t[0], t[1], x, y), np.zeros(2), method="BFGS", tol=1e-12).x
    np.testing.assert_allclose(found, closed, atol=1e-5)
    best = float(c2.line_loss(*closed, x, y))
    slope_only = minimize_scalar(lambda a: float(c2.line_loss(a, 0.0, x, y))).fun
    intercept_only = minimize_scalar(lambda b: float(c2.line_loss(0.0, b, x, y))).fun
    assert slope_only > best + 10 and intercept_only > best + 10


# --- chapter 3 --------------------------------------------------------------------------------------

def test_poly_and_ridge_agree_with_answer_key():
    x, y = datasets.classic_poly_data()
    np.testing.assert_array_equal(c3.poly_features(x, 5), np.vander(x, 6))
    np.testing.assert_allclose(np.polyval(c3.fit_poly(x, y, 4), x), np.polyval(np.polyfit(x, y, 4), x),
                               atol=1e-10)
    X = c3.poly_features(x, 4)
    for penalize_bias in (True, False):
        np.testing.assert_allclose(c3.ridge(X, y, 0.01, penalize_bias),
                                   sol3.ridge(X, y, 0.01, penalize_bias), atol=1e-8)
    assert c3.ridge_path(X, y, [0.1, 1.0]).shape == (2, 5)


def test_lasso_coordinate_descent_agrees_with_ista():
    X, y, _ = datasets.sparse_linear_data(n=40, d=6, seed=3)
    lam = 30.0
    theta = c3.lasso(X, y, lam)
    ista = sol3.lasso_ista(X, y, lam, lr=1 / (2 * np.linalg.norm(X, 2) ** 2), iters=3000)
    np.testing.assert_allclose(theta, ista, atol=1e-7)
    # optimality (subgradient) conditions: 2 X_j^T r = lam sign(theta_j), |2 X_j^T r| <= lam at zeros
    corr = 2 * X.T @ (y - X @ theta)
    active = theta != 0
    np.testing.assert_allclose(corr[active], lam * np.sign(theta[active]), atol=1e-6)
    assert np.all(np.abs(corr[~active]) <= lam + 1e-6) and np.any(~active)


def test_lasso_path_reaches_exact_zero():
    X, y, _ = datasets.sparse_linear_data()
    lam_max = 2 * np.max(np.abs(X.T @ y))
    path = c3.lasso_path(X, y, [lam_max * 1.01, lam_max * 0.99, lam_max * 0.3, 1e-3])
    assert np.all(path[0] == 0) and np.any(path[1] != 0)
    assert 0 < np.sum(path[2] == 0) < X.shape[1]


def test_erratum_lasso_has_no_closed_form_in_general():
    """The soft-threshold formula is the lasso's minimiser for an orthonormal design only. On
    correlated columns it (and soft-thresholding the least-squares coefficients, the other natural
    "closed form") violates the optimality conditions and has a larger objective than coordinate
    descent, whose answer satisfies them (checked independently by ISTA)."""
    rng = np.random.default_rng(5)
    y = rng.standard_normal(30)
    Q, _ = np.linalg.qr(rng.standard_normal((30, 4)))
    lam = 1.0
    np.testing.assert_allclose(c3.lasso(Q, y, lam), c3.lasso_orthonormal(Q, y, lam), atol=1e-12)
    assert c3.lasso_kkt_violation(Q, y, c3.lasso_orthonormal(Q, y, lam), lam) < 1e-12

    base = rng.standard_normal((30, 1))
    X = base + 0.3 * rng.standard_normal((30, 4))  # strongly correlated columns
    y = X @ np.array([2.0, 0.0, -1.0, 0.5]) + 0.1 * rng.standard_normal(30)
    lam = 4.0

    def objective(theta):
        return float(np.sum((y - X @ theta) ** 2) + lam * np.abs(theta).sum())
    theta = c3.lasso(X, y, lam)
    ista = sol3.lasso_ista(X, y, lam, lr=1 / (2 * np.linalg.norm(X, 2) ** 2), iters=20000)
    np.testing.assert_allclose(theta, ista, atol=1e-6)
    assert c3.lasso_kkt_violation(X, y, theta, lam) < 1e-6
    ols = np.linalg.lstsq(X, y, rcond=None)[0]
    candidates = [c3.lasso_orthonormal(X, y, lam),
                  c3.soft_threshold(ols, lam / (2 * np.sum(X ** 2, axis=0)))]
    for candidate in candidates:
        assert c3.lasso_kkt_violation(X, y, candidate, lam) > 0.5 * lam
        assert objective(candidate) > objective(theta) + 1e-3


def test_erratum_sigmoid_range_is_open():
    """sigma maps R onto the OPEN (0, 1): logit inverts it there and sends 0 and 1 to -inf and +inf
    (no finite preimage); ln sigma(z) < 0 for every finite z; so on separable classes the BCE (3.22)
    keeps falling along a ray and never reaches 0, and Newton's method diverges. With a closed range
    a finite (a, b) would reach BCE 0."""
    z = np.linspace(-15, 15, 61)  # beyond, sigma(z) is too close to 1 for float64 to invert it well
    np.testing.assert_allclose(c3.logit(c3.sigmoid(z)), z, rtol=1e-8, atol=1e-8)
    assert c3.logit(0.0) == -np.inf and c3.logit(1.0) == np.inf and np.isnan(c3.logit(1.5))
    assert np.all((c3.sigmoid(z) > 0) & (c3.sigmoid(z) < 1))
    far = np.array([-700.0, -40.0, 0.0, 40.0, 700.0])
    assert np.all(c3.log_sigmoid(far) < 0) and np.all(np.isfinite(c3.log_sigmoid(far)))
    np.testing.assert_allclose(c3.log_sigmoid([-40.0, 0.0, 10.0]), np.log(c3.sigmoid([-40.0, 0.0, 10.0])),
                               rtol=1e-12)
    # float64 rounds sigma(40) to 1.0 (log 0); the mathematics keeps it below 1: ln sigma(40) ~ -e^-40
    assert c3.sigmoid(40.0) == 1.0 and c3.log_sigmoid(40.0) == pytest.approx(-np.exp(-40.0), rel=1e-12)

    x = np.array([-2.0, -1.0, -0.5, 0.5, 1.0, 2.0])
    y = (x > 0).astype(float)  # separable

    def bce(a, b):
        z = a * x + b
        return float(-np.sum(y * c3.log_sigmoid(z) + (1 - y) * c3.log_sigmoid(-z)))
    along_ray = np.array([bce(t, 0.0) for t in (1, 2, 4, 8, 16, 32, 64, 128)])
    assert np.all(along_ray > 0) and np.all(np.diff(along_ray) < 0)
    np.testing.assert_allclose(along_ray[-1], 2 * np.exp(-64.0), rtol=1e-6)  # the two |x| = 0.5 terms
    slopes = [abs(c3.fit_logistic_newton(x, y, iters=k)[0]) for k in (5, 10, 20)]
    assert slopes[0] < slopes[1] < slopes[2]


def test_keras_l2_poly_regression_is_ridge_with_n_lambda():
    rng = np.random.default_rng(0)
    x = rng.uniform(-1, 1, 40)
    y = np.cos(2 * x) + 0.1 * rng.standard_normal(40)
    k, lam, n = 2, 0.05, len(x)
    theta, history = c3.fit_poly_keras(x, y, k, lam, epochs=100, lr=0.8)
    X = np.vander(x, k + 1)
    eye_prime = np.diag([1.0] * k + [0.0])  # the bias (last column) is not penalised
    expected = np.linalg.solve(X.T @ X + n * lam * eye_prime, X.T @ y)
    np.testing.assert_allclose(theta, expected, atol=1e-4)
    losses, w, b = numpy_dense_gd(X[:, :-1], y, 0.8, 100, seed=0, l2=lam)
    np.testing.assert_allclose(history, losses, rtol=1e-4)
    np.testing.assert_allclose(theta, np.append(w, b), atol=1e-5)


def test_logistic_references():
    x, y = datasets.logistic_1d()
    a, b = c3.fit_logistic_newton(x, y)
    s = 1 / (1 + np.exp(-(a * x + b)))
    np.testing.assert_allclose([np.sum((s - y) * x), np.sum(s - y)], 0, atol=1e-10)
    a_k, b_k, history = c3.fit_logistic_keras(x, y)
    np.testing.assert_allclose([a_k, b_k], [a, b], atol=1e-3)
    losses, w, b_gd = numpy_dense_gd(x, y, 2.0, 100, seed=0, loss="bce")
    np.testing.assert_allclose(history, losses, rtol=1e-4)
    np.testing.assert_allclose([a_k, b_k], [w[0], b_gd], atol=1e-5)


def test_course_sigmoid_is_stable():
    from scipy.special import expit
    z = np.array([-1000.0, -20.0, 0.0, 3.0, 1000.0])
    with np.errstate(over="raise", invalid="raise"):
        np.testing.assert_allclose(c3.sigmoid(z), expit(z), rtol=1e-12, atol=1e-300)


# --- figures ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("chapter, module", [("ch02", c2), ("ch03_nonlinear_models", c3)])
def test_make_figures_writes_pngs(tmp_path, chapter, module):
    paths = plots.make_figures(chapter, tmp_path / "figs")
    assert [p.stem for p in paths] == list(module.FIGURES)
    for path in paths:
        assert path.parent == tmp_path / "figs"
        assert path.read_bytes()[:8] == PNG_MAGIC and path.stat().st_size > 5000


def test_chapter_names_resolve():
    assert plots.resolve_chapter("ch02") == "ch02_linear_regression"
    assert plots.resolve_chapter("3") == "ch03_nonlinear_models"
    assert plots.resolve_chapter("ch03_nonlinear_models.py") == "ch03_nonlinear_models"
    with pytest.raises(ValueError):
        plots.resolve_chapter("ch99")
    assert {"ch02_linear_regression", "ch03_nonlinear_models"} <= set(plots.chapters_with_figures())


def test_command_line(tmp_path):
    # chapter 3's figures need no Keras: the command line is tested without TensorFlow's start-up
    run = subprocess.run([sys.executable, "-m", "course.plots", "ch03", "--out", str(tmp_path)],
                         cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    printed = [Path(line) for line in run.stdout.split()]
    assert [p.name for p in printed] == [f"{name}.png" for name in c3.FIGURES]
    assert all(p.is_file() and p.parent == tmp_path for p in printed)

    bad = subprocess.run([sys.executable, "-m", "course.plots", "ch99", "--out", str(tmp_path)],
                         cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2 and "unknown chapter" in bad.stderr
