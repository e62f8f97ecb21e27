"""Chapter 3 answer key against independent oracles (Keras, tf.GradientTape, numpy, scikit-learn,
closed forms on orthonormal designs)."""
import types
import warnings

import numpy as np
import pytest

from course.ch03_nonlinear_models import fit_logistic_newton
from course.datasets import classic_poly_data, logistic_1d, sparse_linear_data
from solutions import ch03_nonlinear_models as sol


@pytest.fixture
def classic():
    return classic_poly_data()


@pytest.fixture
def orthonormal():
    """An orthonormal design Q (30 x 5) and targets y."""
    rng = np.random.default_rng(10)
    Q, _ = np.linalg.qr(rng.standard_normal((30, 5)))
    return Q, rng.standard_normal(30) * 3


def soft_threshold(u, t):
    return np.sign(u) * np.maximum(np.abs(u) - t, 0)


def lasso_objective(X, y, theta, lam):
    return np.sum((y - X @ theta) ** 2) + lam * np.sum(np.abs(theta))


def test_layout(check_solution_layout):
    check_solution_layout(sol)
    modules = {v.__name__ for v in vars(sol).values() if isinstance(v, types.ModuleType)}
    assert modules <= {"numpy", "math"}, "chapters 2-3 are numpy-only"


# --- polynomial regression (3.1)-(3.2) -------------------------------------------------------------

@pytest.mark.parametrize("k", [0, 1, 3, 7])
def test_poly_features_is_vandermonde(k):
    x = np.random.default_rng(11).uniform(-2, 2, 9)
    got = sol.poly_features(x, k)
    assert got.shape == (9, k + 1)
    np.testing.assert_allclose(got, np.vander(x, k + 1), rtol=1e-14)


@pytest.mark.parametrize("k, atol", [(1, 1e-10), (4, 1e-10), (15, 1e-6)])
def test_fit_poly_predictions_match_polyfit(classic, k, atol):
    # at k = 15 the Vandermonde matrix has condition ~1e11: compare fitted values, not coefficients
    x, y = classic
    coeffs = sol.fit_poly(x, y, k)
    assert coeffs.shape == (k + 1,)
    np.testing.assert_allclose(np.polyval(coeffs, x), np.polyval(np.polyfit(x, y, k), x), atol=atol)


def test_fit_poly_needs_enough_distinct_x():
    x, y = np.array([0.0, 0.0, 1.0, 1.0, 2.0]), np.arange(5.0)
    sol.fit_poly(x, y, 2)
    with pytest.raises(ValueError):
        sol.fit_poly(x, y, 3)


def test_fit_poly_does_not_call_polyfit(monkeypatch, classic):
    def forbidden(*args, **kwargs):
        raise AssertionError("np.polyfit called")
    monkeypatch.setattr(np, "polyfit", forbidden)
    sol.fit_poly(*classic, 3)


def test_train_mse_by_degree(classic):
    x, y = classic
    degrees = list(range(16))
    got = sol.train_mse_by_degree(x, y, degrees)
    assert isinstance(got, np.ndarray) and got.shape == (16,)
    expected = [np.mean((y - np.polyval(np.polyfit(x, y, k), x)) ** 2) for k in degrees]
    np.testing.assert_allclose(got, expected, rtol=1e-5)
    assert np.all(np.diff(got) <= 1e-12)  # nested models


# --- k-fold cross-validation -----------------------------------------------------------------------

@pytest.mark.parametrize("n, k", [(10, 2), (23, 5), (7, 7)])
def test_kfold_indices_partition(n, k):
    folds = sol.kfold_indices(n, k, seed=3)
    assert len(folds) == k
    vals = [val for _, val in folds]
    np.testing.assert_array_equal(np.sort(np.concatenate(vals)), np.arange(n))
    sizes = [len(v) for v in vals]
    assert max(sizes) - min(sizes) <= 1
    for train, val in folds:
        assert np.issubdtype(train.dtype, np.integer) and np.issubdtype(val.dtype, np.integer)
        np.testing.assert_array_equal(np.sort(np.concatenate([train, val])), np.arange(n))


def test_kfold_indices_seeded():
    same = zip(sol.kfold_indices(20, 4, seed=1), sol.kfold_indices(20, 4, seed=1))
    assert all(np.array_equal(a[1], b[1]) for a, b in same)
    other = zip(sol.kfold_indices(20, 4, seed=1), sol.kfold_indices(20, 4, seed=2))
    assert not all(np.array_equal(a[1], b[1]) for a, b in other)


@pytest.mark.parametrize("k", [1, 11])
def test_kfold_indices_rejects_bad_k(k):
    with pytest.raises(ValueError):
        sol.kfold_indices(10, k, seed=0)


def test_cross_val_mse_matches_manual_folds(classic):
    x, y = classic
    expected = np.mean([np.mean((y[v] - np.polyval(np.polyfit(x[t], y[t], 3), x[v])) ** 2)
                        for t, v in sol.kfold_indices(30, 5, seed=0)])
    assert sol.cross_val_mse(x, y, 3, 5, 0) == pytest.approx(expected, rel=1e-8)


def test_cross_val_mse_prefers_degree_4(classic):
    x, y = classic
    cv = {d: sol.cross_val_mse(x, y, d, 5, 0) for d in (1, 4, 15)}
    assert cv[4] < cv[1] and cv[4] < cv[15]


# --- ridge (3.5), (3.8) ----------------------------------------------------------------------------

def test_ridge_lambda_zero_is_ols():
    X, y, _ = sparse_linear_data(n=30, d=4, seed=1)
    np.testing.assert_allclose(sol.ridge(X, y, 0.0), np.linalg.lstsq(X, y, rcond=None)[0], atol=1e-10)


def test_ridge_norm_non_increasing_in_lambda():
    X, y, _ = sparse_linear_data(n=30, d=6, seed=2)
    norms = [np.linalg.norm(sol.ridge(X, y, lam)) for lam in np.geomspace(1e-3, 1e3, 25)]
    assert np.all(np.diff(norms) <= 1e-12)


def test_ridge_orthonormal_design_closed_form(orthonormal):
    Q, y = orthonormal
    for lam in (0.0, 0.5, 3.0):
        np.testing.assert_allclose(sol.ridge(Q, y, lam), Q.T @ y / (1 + lam), rtol=0, atol=1e-12)


@pytest.mark.parametrize("penalize_bias", [True, False])
def test_ridge_first_order_condition_on_tape(tape_grad, tf, penalize_bias):
    x, y = classic_poly_data(n=20, seed=4)
    X, lam = sol.poly_features(x, 3), 0.7
    mask = np.array([1.0, 1.0, 1.0, float(penalize_bias)])
    theta = sol.ridge(X, y, lam, penalize_bias=penalize_bias)
    Xt, yt, mt = tf.constant(X), tf.constant(y), tf.constant(mask)
    (grad,) = tape_grad(lambda t: tf.reduce_sum((yt - tf.linalg.matvec(Xt, t)) ** 2)
                        + lam * tf.reduce_sum(mt * t ** 2), theta)
    np.testing.assert_allclose(grad, 0, atol=1e-9)


def test_erratum_3_8_penalty_gradient_is_2_lambda_theta(tape_grad, tf):
    theta, lam = np.array([0.5, -2.0, 1.5]), 0.3
    (squared,) = tape_grad(lambda t: lam * tf.reduce_sum(t ** 2), theta)
    np.testing.assert_allclose(squared, 2 * lam * theta, atol=1e-14)
    (as_printed,) = tape_grad(lambda t: lam * tf.norm(t), theta)  # (3.8) prints ||theta||_2, no square
    assert not np.allclose(as_printed, 2 * lam * theta)


def test_ridge_unpenalised_bias_matches_sklearn():
    from sklearn.linear_model import Ridge
    X, y, _ = sparse_linear_data(n=40, d=5, seed=3)
    y = y + 4.0
    model = Ridge(alpha=2.5, fit_intercept=True, solver="cholesky").fit(X, y)
    got = sol.ridge(np.hstack([X, np.ones((40, 1))]), y, 2.5, penalize_bias=False)
    np.testing.assert_allclose(got, np.append(model.coef_, model.intercept_), atol=1e-8)


# --- lasso (3.6), (3.7) ----------------------------------------------------------------------------

def test_lasso_orthonormal_design_is_soft_threshold(orthonormal):
    Q, y = orthonormal
    lam = 2.0 * np.median(np.abs(Q.T @ y))  # half of the coefficients end exactly at 0
    expected = soft_threshold(Q.T @ y, lam / 2)
    np.testing.assert_allclose(sol.lasso_ista(Q, y, lam, lr=0.5, iters=1), expected, atol=1e-12)
    got = sol.lasso_ista(Q, y, lam, lr=0.1, iters=200)
    np.testing.assert_allclose(got, expected, atol=1e-10)
    assert np.sum(got == 0.0) >= 2  # exact zeros, not merely small values


def test_lasso_objective_non_increasing():
    X, y, _ = sparse_linear_data(n=40, d=8, seed=5)
    lam, lr = 20.0, 1 / (2 * np.linalg.norm(X, 2) ** 2)
    objectives = [lasso_objective(X, y, sol.lasso_ista(X, y, lam, lr, t), lam) for t in range(40)]
    assert np.all(np.diff(objectives) <= 1e-9 * objectives[0])


def test_lasso_matches_sklearn_with_exact_zeros():
    from sklearn.linear_model import Lasso
    X, y, _ = sparse_linear_data(n=50, d=8, seed=6)
    lam = 40.0  # sklearn minimises ||y - Xw||^2 / (2n) + alpha ||w||_1: alpha = lam / (2n)
    model = Lasso(alpha=lam / 100, fit_intercept=False, tol=1e-14, max_iter=100_000).fit(X, y)
    got = sol.lasso_ista(X, y, lam, lr=1 / (2 * np.linalg.norm(X, 2) ** 2), iters=3000)
    np.testing.assert_allclose(got, model.coef_, atol=1e-7)
    np.testing.assert_array_equal(got == 0, model.coef_ == 0)
    assert np.any(got == 0)


# --- sigmoid (3.14), (3.27)-(3.29) -----------------------------------------------------------------

def test_sigmoid_values_and_symmetry():
    from scipy.special import expit
    z = np.linspace(-30, 30, 121)
    assert float(sol.sigmoid(0.0)) == 0.5
    np.testing.assert_allclose(sol.sigmoid(z), expit(z), rtol=1e-14)
    np.testing.assert_allclose(sol.sigmoid(-z), 1 - sol.sigmoid(z), atol=1e-15)
    assert sol.sigmoid(z).shape == z.shape


def test_sigmoid_no_overflow_at_extremes():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(over="raise", invalid="raise", divide="raise"):
            s = sol.sigmoid(np.array([-1000.0, 1000.0]))
            g = sol.sigmoid_grad(np.array([-1000.0, 1000.0]))
    np.testing.assert_array_equal(s, [0.0, 1.0])
    np.testing.assert_array_equal(g, [0.0, 0.0])


def test_sigmoid_grad_formula_and_tape(tape_grad, tf):
    z = np.linspace(-8, 8, 33)
    s = sol.sigmoid(z)
    np.testing.assert_allclose(sol.sigmoid_grad(z), s * (1 - s), rtol=1e-12, atol=1e-300)
    (expected,) = tape_grad(lambda t: tf.reduce_sum(tf.sigmoid(t)), z)
    np.testing.assert_allclose(sol.sigmoid_grad(z), expected, rtol=1e-12)


# --- bce (3.22), its gradient (3.30)-(3.37), predict (3.12) ----------------------------------------

@pytest.fixture
def logistic():
    return logistic_1d(n=60, seed=7)


def test_bce_is_n_times_keras(logistic):
    keras = pytest.importorskip("keras")
    x, y = logistic
    a, b = 1.3, -0.2
    mean = keras.losses.BinaryCrossentropy(from_logits=True)(
        y.astype("float32")[:, None], (a * x + b).astype("float32")[:, None])
    got = sol.bce(a, b, x, y)
    assert isinstance(got, float)
    assert got == pytest.approx(len(x) * float(mean), rel=1e-5)


def test_bce_matches_definition(logistic):
    x, y = logistic
    s = 1 / (1 + np.exp(-(0.7 * x + 0.1)))
    expected = -np.sum(y * np.log(s) + (1 - y) * np.log(1 - s))
    assert sol.bce(0.7, 0.1, x, y) == pytest.approx(expected, rel=1e-12)


def test_bce_finite_at_large_logits():
    # z = +-1000 on the wrong side: each sample costs 1000
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        assert sol.bce(1000.0, 0.0, np.array([1.0, -1.0]), np.array([0, 1])) == pytest.approx(2000.0)
        assert sol.bce(1000.0, 0.0, np.array([1.0, -1.0]), np.array([1, 0])) == pytest.approx(0.0, abs=1e-300)


def test_bce_grad_matches_tape(logistic, tape_grad, tf):
    x, y = logistic
    xt, yt = tf.constant(x), tf.constant(y.astype(float))
    got = sol.bce_grad(0.8, -0.4, x, y)
    expected = tape_grad(lambda a, b: tf.reduce_sum(
        tf.nn.sigmoid_cross_entropy_with_logits(labels=yt, logits=a * xt + b)), 0.8, -0.4)
    assert all(isinstance(v, float) for v in got)
    np.testing.assert_allclose(got, expected, rtol=0, atol=1e-10)


def test_bce_grad_central_differences(logistic):
    x, y = logistic
    a, b, h = -0.5, 0.9, 1e-6
    numeric = [(sol.bce(a + h, b, x, y) - sol.bce(a - h, b, x, y)) / (2 * h),
               (sol.bce(a, b + h, x, y) - sol.bce(a, b - h, x, y)) / (2 * h)]
    np.testing.assert_allclose(sol.bce_grad(a, b, x, y), numeric, rtol=1e-6)


def test_predict_thresholds_at_zero():
    x = np.array([-1.0, 0.0, 0.5, 2.0])
    got = sol.predict(2.0, -1.0, x)  # z = [-3, -1, 0, 3]
    assert np.issubdtype(got.dtype, np.integer)
    np.testing.assert_array_equal(got, [0, 0, 0, 1])
    assert sol.predict(0.0, 0.0, x).tolist() == [0, 0, 0, 0]  # sigma = 0.5 -> class 0


def test_squared_sigmoid_loss_is_not_convex_but_bce_is():
    # the guide's counterexample, x = 1, y = 1, b = 0, as a function of a
    def squared(a):
        return float((1 - sol.sigmoid(a)) ** 2)

    def cross_entropy(a):
        return sol.bce(a, 0.0, np.array([1.0]), np.array([1]))

    assert squared(-3) == pytest.approx(0.9074, abs=5e-5)
    assert (squared(-4) + squared(-2)) / 2 == pytest.approx(0.8701, abs=5e-5)
    assert squared(-3) > (squared(-4) + squared(-2)) / 2
    assert cross_entropy(-3) == pytest.approx(3.0486, abs=5e-5)
    assert (cross_entropy(-4) + cross_entropy(-2)) / 2 == pytest.approx(3.0725, abs=5e-5)
    assert cross_entropy(-3) <= (cross_entropy(-4) + cross_entropy(-2)) / 2


def test_fit_logistic_gd_matches_newton():
    x, y = logistic_1d()  # overlapping classes: the minimiser is finite
    got = sol.fit_logistic_gd(x, y, lr=2.0, iters=300)
    assert all(isinstance(v, float) for v in got)
    np.testing.assert_allclose(got, fit_logistic_newton(x, y), atol=1e-8)
    np.testing.assert_array_equal(sol.fit_logistic_gd(x, y, lr=2.0, iters=0), [0.0, 0.0])
