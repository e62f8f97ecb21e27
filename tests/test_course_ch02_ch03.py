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
    assert x.shape == (30,) and np.all(np.diff(x) >= 0) and 0 <= x.min() and x.max() <= 1
    assert np.std(y - datasets.true_poly_function(x)) == pytest.approx(0.1, rel=0.4)
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


def test_keras_line_lands_on_closed_form():
    x, y = datasets.linear_data()
    a, b, history = c2.fit_line_keras(x, y)
    np.testing.assert_allclose([a, b], c2.fit_line_closed_form(x, y), atol=1e-2)
    assert history[-1] < history[0]


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
    assert history[-1] < history[0]


def test_logistic_references():
    x, y = datasets.logistic_1d()
    a, b = c3.fit_logistic_newton(x, y)
    s = 1 / (1 + np.exp(-(a * x + b)))
    np.testing.assert_allclose([np.sum((s - y) * x), np.sum(s - y)], 0, atol=1e-10)
    a_k, b_k, history = c3.fit_logistic_keras(x, y)
    np.testing.assert_allclose([a_k, b_k], [a, b], atol=1e-3)
    assert history[-1] < history[0]


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
