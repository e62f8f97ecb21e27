"""Chapter 2 answer key against independent oracles (Keras, tf.GradientTape, numpy, closed forms)."""
import types

import numpy as np
import pytest
from scipy.special import expit

from course.datasets import affine_data, linear_data
from solutions import ch02_linear_regression as sol


@pytest.fixture
def line():
    return linear_data(n=40, seed=3)


def test_layout(check_solution_layout):
    check_solution_layout(sol)
    modules = {v.__name__ for v in vars(sol).values() if isinstance(v, types.ModuleType)}
    assert modules <= {"numpy", "math"}, "chapters 2-3 are numpy-only"


# --- mse, sse --------------------------------------------------------------------------------------

def test_sse_is_n_times_mse():
    rng = np.random.default_rng(0)
    y, y_hat = rng.standard_normal((2, 17))
    assert sol.sse(y, y_hat) == pytest.approx(17 * sol.mse(y, y_hat), rel=1e-14)
    assert sol.sse(y, y_hat) == pytest.approx(np.sum((y - y_hat) ** 2), rel=1e-14)
    assert isinstance(sol.mse(y, y_hat), float) and isinstance(sol.sse(y, y_hat), float)


def test_mse_matches_keras():
    keras = pytest.importorskip("keras")
    rng = np.random.default_rng(1)
    y, y_hat = rng.standard_normal((2, 25))
    expected = float(keras.losses.MeanSquaredError()(y.astype("float32"), y_hat.astype("float32")))
    assert sol.mse(y, y_hat) == pytest.approx(expected, rel=1e-6)


# --- grad_line_loss (2.33) -------------------------------------------------------------------------

def test_grad_line_loss_matches_tape(line, tape_grad, tf):
    x, y = (tf.constant(v) for v in line)
    got = sol.grad_line_loss(0.7, -0.3, *line)
    expected = tape_grad(lambda a, b: tf.reduce_sum((y - a * x - b) ** 2), 0.7, -0.3)
    assert isinstance(got, np.ndarray) and got.shape == (2,)
    np.testing.assert_allclose(got, expected, rtol=0, atol=1e-10)


def test_grad_line_loss_central_differences(line):
    x, y = line
    loss = lambda a, b: np.sum((y - a * x - b) ** 2)  # noqa: E731
    a, b, h = 1.3, 0.4, 1e-6
    numeric = [(loss(a + h, b) - loss(a - h, b)) / (2 * h), (loss(a, b + h) - loss(a, b - h)) / (2 * h)]
    np.testing.assert_allclose(sol.grad_line_loss(a, b, x, y), numeric, rtol=1e-6)


def test_grad_line_loss_vanishes_at_least_squares(line):
    x, y = line
    a, b = np.polyfit(x, y, 1)
    scale = np.linalg.norm(sol.grad_line_loss(0.0, 0.0, x, y))
    assert np.linalg.norm(sol.grad_line_loss(a, b, x, y)) <= 1e-10 * scale


# --- fit_line, design_matrix, least_squares (2.34)-(2.42) ------------------------------------------

def test_fit_line_matches_polyfit(line):
    x, y = line
    got = sol.fit_line(x, y)
    np.testing.assert_allclose(got, np.polyfit(x, y, 1), rtol=0, atol=1e-10)
    assert all(isinstance(v, float) for v in got)


@pytest.mark.parametrize("x", [[2.0, 2.0, 2.0], [0.1, 0.1, 0.1], [5.0]])
def test_fit_line_rejects_constant_x(x):
    with pytest.raises(ValueError):
        sol.fit_line(np.array(x), np.arange(len(x), dtype=float))


def test_design_matrix():
    x = np.array([1.5, -2.0, 3.0])
    np.testing.assert_array_equal(sol.design_matrix(x), [[1.5, 1], [-2.0, 1], [3.0, 1]])
    X = np.arange(12.0).reshape(4, 3)
    got = sol.design_matrix(X)
    assert got.shape == (4, 4)
    np.testing.assert_array_equal(got, np.hstack([X, np.ones((4, 1))]))


def test_least_squares_matches_lstsq_and_normal_equations():
    rng = np.random.default_rng(2)
    X, y = rng.standard_normal((30, 4)), rng.standard_normal(30)
    theta = sol.least_squares(X, y)
    np.testing.assert_allclose(theta, np.linalg.lstsq(X, y, rcond=None)[0], rtol=0, atol=1e-8)
    np.testing.assert_allclose(X.T @ (y - X @ theta), 0, atol=1e-10)


def test_least_squares_recovers_line(line):
    x, y = line
    np.testing.assert_allclose(sol.least_squares(sol.design_matrix(x), y), np.polyfit(x, y, 1), atol=1e-10)


def test_least_squares_uses_no_inverse_or_polyfit(monkeypatch, line):
    def forbidden(*args, **kwargs):
        raise AssertionError("forbidden API called")
    for name in ("inv", "pinv"):
        monkeypatch.setattr(np.linalg, name, forbidden)
    monkeypatch.setattr(np, "polyfit", forbidden)
    sol.least_squares(sol.design_matrix(line[0]), line[1])


# --- fit_affine (2.43)-(2.46) ----------------------------------------------------------------------

def test_fit_affine_matches_lstsq_and_trace_form():
    X, Y, _, _ = affine_data(n=40, d_in=3, d_out=2, noise=0.3, seed=4)
    A, b = sol.fit_affine(X, Y)
    assert A.shape == (2, 3) and b.shape == (2,)
    X1 = np.hstack([X, np.ones((40, 1))])
    Theta = np.linalg.lstsq(X1, Y, rcond=None)[0]
    np.testing.assert_allclose(np.vstack([A.T, b]), Theta, rtol=0, atol=1e-8)
    # (2.46) in row form: ||Y - X1 Theta||_F^2 = tr(Y^T Y) - 2 tr(Y^T X1 Theta) + tr(Theta^T X1^T X1 Theta)
    Theta = np.vstack([A.T, b])
    trace_form = np.trace(Y.T @ Y) - 2 * np.trace(Y.T @ X1 @ Theta) + np.trace(Theta.T @ X1.T @ X1 @ Theta)
    frobenius = np.linalg.norm(Y - (X @ A.T + b), "fro") ** 2
    assert trace_form == pytest.approx(frobenius, rel=1e-9)


def test_fit_affine_recovers_noiseless_map():
    X, Y, A, b = affine_data(n=20, d_in=4, d_out=2, noise=0.0, seed=5)
    got_A, got_b = sol.fit_affine(X, Y)
    np.testing.assert_allclose(got_A, A, atol=1e-10)
    np.testing.assert_allclose(got_b, b, atol=1e-10)


# --- partials_example (2.20) -----------------------------------------------------------------------

def _tape_partials(tape_grad, tf, x, y):
    return tape_grad(lambda u, v: tf.reduce_sum(2 * u ** 2 * v + tf.sin(u) * v ** 2), x, y)


def test_partials_example_matches_tape(tape_grad, tf):
    x, y = np.random.default_rng(6).uniform(-3, 3, (2, 10))
    got = sol.partials_example(x, y)
    for g, e in zip(got, _tape_partials(tape_grad, tf, x, y)):
        np.testing.assert_allclose(g, e, rtol=0, atol=1e-10)
    scalar = sol.partials_example(0.5, -1.2)
    expected = [e[0] for e in _tape_partials(tape_grad, tf, [0.5], [-1.2])]
    np.testing.assert_allclose(scalar, expected, atol=1e-12)


def test_erratum_2_20_notes_formula_drops_a_square(tape_grad, tf):
    x, y = 0.8, 2.0
    tape_dx = _tape_partials(tape_grad, tf, x, y)[0]
    notes_dx = 4 * x * y + y * np.cos(x)  # as printed in (2.20)
    assert abs(notes_dx - tape_dx) > 1.0
    assert sol.partials_example(x, y)[0] == pytest.approx(float(tape_dx), abs=1e-12)


# --- directional_derivative (2.23)-(2.26) ----------------------------------------------------------

def test_directional_derivative_is_gradient_dot_v(tape_grad, tf):
    f = lambda p: np.sum(np.sin(p) * p[::-1]) + p[0] ** 2 * p[1]  # noqa: E731
    rng = np.random.default_rng(7)
    x, v = rng.standard_normal((2, 3))
    (grad,) = tape_grad(lambda p: tf.reduce_sum(tf.sin(p) * tf.reverse(p, [0])) + p[0] ** 2 * p[1], x)
    got = sol.directional_derivative(f, x, v)
    assert isinstance(got, float)
    assert got == pytest.approx(grad @ v, rel=1e-6)
    # steepest ascent: no unit direction beats the gradient's norm, the gradient direction attains it
    units = rng.standard_normal((200, 3))
    units /= np.linalg.norm(units, axis=1, keepdims=True)
    best = max(sol.directional_derivative(f, x, u) for u in units)
    assert best <= np.linalg.norm(grad) * (1 + 1e-6)
    assert sol.directional_derivative(f, x, grad / np.linalg.norm(grad)) == pytest.approx(
        np.linalg.norm(grad), rel=1e-6)


# --- lp_distance (2.27)-(2.29) ---------------------------------------------------------------------

@pytest.mark.parametrize("p", [0.5, 1, 1.5, 2, 3, np.inf])
def test_lp_distance_matches_numpy(p):
    x, y = np.random.default_rng(8).standard_normal((2, 6))
    got = sol.lp_distance(x, y, p)
    assert isinstance(got, float)
    assert got == pytest.approx(np.linalg.norm(x - y, ord=p), rel=1e-12)


@pytest.mark.parametrize("p", [1, 1.5, 2, 4, np.inf])
def test_lp_distance_triangle_inequality(p):
    pts = np.random.default_rng(9).standard_normal((30, 3, 4))
    for a, b, c in pts:
        assert sol.lp_distance(a, c, p) <= sol.lp_distance(a, b, p) + sol.lp_distance(b, c, p) + 1e-12


def test_lp_distance_below_one_is_not_a_metric():
    a, b, c = np.array([0.0, 0.0]), np.array([1.0, 0.0]), np.array([1.0, 1.0])
    assert sol.lp_distance(a, c, 0.5) == pytest.approx(4.0)
    assert sol.lp_distance(a, c, 0.5) > sol.lp_distance(a, b, 0.5) + sol.lp_distance(b, c, 0.5)


@pytest.mark.parametrize("p", [0, -1])
def test_lp_distance_rejects_non_positive_p(p):
    with pytest.raises(ValueError):
        sol.lp_distance(np.zeros(2), np.ones(2), p)


# --- jensen_gap (2.10), first_order_gap (2.17) -----------------------------------------------------

def _squared_sigmoid(z):
    return (1 - expit(z)) ** 2


CONVEX = {  # name: (f, f')
    "x^2": (np.square, lambda t: 2 * t),
    "exp": (np.exp, np.exp),
    "abs": (np.abs, np.sign),
    "-ln sigma": (lambda t: np.logaddexp(0, -t), lambda t: expit(t) - 1),
}
NOT_CONVEX = {  # name: (f, f', interval)
    "sin on [0, pi]": (np.sin, np.cos, (0, np.pi)),
    "sigma": (expit, lambda t: expit(t) * (1 - expit(t)), (-5, 5)),
    "squared-sigmoid loss": (_squared_sigmoid, lambda t: -2 * _squared_sigmoid(t) * expit(t), (-5, 5)),
}
ALPHAS = (0.0, 0.1, 0.5, 0.75, 1.0)


def _jensen_gaps(f, lo, hi):
    grid = np.linspace(lo, hi, 15)
    return [sol.jensen_gap(f, x, y, al) for x in grid for y in grid for al in ALPHAS]


def _first_order_gaps(f, df, lo, hi):
    grid = np.linspace(lo, hi, 15)
    return [sol.first_order_gap(f, df, x, y) for x in grid for y in grid]


@pytest.mark.parametrize("name", CONVEX)
def test_gaps_non_negative_for_convex(name):
    f, df = CONVEX[name]
    assert min(_jensen_gaps(f, -4, 4)) >= -1e-12
    assert min(_first_order_gaps(f, df, -4, 4)) >= -1e-12


@pytest.mark.parametrize("name", NOT_CONVEX)
def test_gaps_negative_somewhere_for_non_convex(name):
    f, df, (lo, hi) = NOT_CONVEX[name]
    assert min(_jensen_gaps(f, lo, hi)) < -1e-3
    assert min(_first_order_gaps(f, df, lo, hi)) < -1e-3


def test_gap_values():
    assert sol.jensen_gap(np.square, 1.0, 3.0, 0.25) == pytest.approx(0.25 * 1 + 0.75 * 9 - 2.5 ** 2)
    assert sol.first_order_gap(np.square, lambda t: 2 * t, 1.0, 3.0) == pytest.approx(9 - 1 - 2 * 2)
    assert isinstance(sol.jensen_gap(np.square, 1.0, 3.0, 0.25), float)
