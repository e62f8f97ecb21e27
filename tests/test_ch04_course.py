"""The reference library of chapter 4: Keras optimizers and schedules against the answer key, the
tf.data/tf.function training loop, the differentiability erratum, figures."""
import math

import numpy as np
import pytest

from course import ch04_gradient_descent as c4
from course import plots
from course.datasets import quadratic_bowl, sparse_linear_data
from solutions import ch04_gradient_descent as sol

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def keras(tf):
    import keras
    return keras


@pytest.fixture
def small_regression():
    X, y, _ = sparse_linear_data(n=50, d=2, n_active=2, noise=0.3, seed=1)
    return X, y, np.column_stack([X, np.ones(len(X))])


# --- Keras optimizers and schedules -----------------------------------------------------------------

@pytest.mark.parametrize("momentum", [0.0, 0.75])
def test_keras_trajectory_is_momentum_gd(keras, momentum):
    A, b = quadratic_bowl(20.0)
    path = c4.keras_trajectory(c4.quadratic(A, b), [-2.0, 2.0],
                               keras.optimizers.SGD(learning_rate=0.03125, momentum=momentum), 50)
    expected = sol.momentum_gd(lambda x: A @ x - b, np.array([-2.0, 2.0]), 0.03125, momentum, 50)
    np.testing.assert_allclose(path, expected, rtol=1e-8, atol=1e-8)
    np.testing.assert_array_equal(c4.heavy_ball(lambda x: A @ x - b, [-2.0, 2.0], 0.03125, momentum, 50),
                                  expected)


@pytest.mark.parametrize("kind, name, rho", [("linear", "lr_linear", 60),
                                             ("inverse_time", "lr_inverse_time", 0.2),
                                             ("exponential", "lr_exp", 0.04)])
def test_keras_schedules_match_answer_key(keras, kind, name, rho):
    schedule = c4.keras_schedule(kind, 0.4, rho, a_end=0.02)
    extra = {"a_end": 0.02} if kind == "linear" else {}
    expected = [getattr(sol, name)(t, 0.4, rho=rho, **extra) for t in range(101)]
    got = [float(schedule(t)) for t in range(101)]
    np.testing.assert_allclose(got, expected, rtol=1e-7)
    assert np.all(np.diff(got) <= 0)
    with pytest.raises(ValueError):
        c4.keras_schedule("cosine", 0.4, rho)


def test_optimizer_uses_schedule_per_update(keras):
    """SGD(learning_rate=schedule) evaluates it at optimizer.iterations = 0, 1, 2, ...: as sgd's lr(t)."""
    A, b = quadratic_bowl(5.0)
    schedule = c4.keras_schedule("inverse_time", 0.1, 0.3)
    path = c4.keras_trajectory(c4.quadratic(A, b), [1.5, 1.5], keras.optimizers.SGD(schedule), 20)
    x, expected = np.array([1.5, 1.5]), [np.array([1.5, 1.5])]
    for t in range(20):
        x = x - sol.lr_inverse_time(t, 0.1, 0.3) * (A @ x - b)
        expected.append(x)
    np.testing.assert_allclose(path, expected, rtol=1e-12, atol=1e-12)


def test_momentum_unrolled_closed_form():
    A, b = quadratic_bowl(10.0)
    grad = lambda x: A @ x - b  # noqa: E731
    for m in (0.0, 0.6, 0.9):
        path = c4.heavy_ball(grad, [-2.0, 2.0], 0.02, m, 30)
        grads = np.array([grad(x) for x in path[:-1]])
        np.testing.assert_allclose(c4.momentum_unrolled(grads, path[0], 0.02, m), path[-1], atol=1e-12)


def test_erratum_course_rejects_momentum_one(keras, small_regression):
    """lambda < 1: every course entry point of momentum refuses lambda >= 1 (Keras' SGD itself
    accepts momentum=1.0, which keras_trajectory catches)."""
    A, b = quadratic_bowl(5.0)
    grad = lambda x: A @ x - b  # noqa: E731
    X, y, _ = small_regression
    calls = [lambda m: c4.heavy_ball(grad, [1.0, 1.0], 0.1, m, 3),
             lambda m: c4.momentum_unrolled(np.ones((3, 2)), [0.0, 0.0], 0.1, m),
             lambda m: c4.fit_linear_sgd(X, y, 0.1, 10, 1, momentum=m),
             lambda m: c4.keras_trajectory(c4.quadratic(A, b), [1.0, 1.0],
                                           keras.optimizers.SGD(0.1, momentum=m), 3)]
    for call in calls:
        with pytest.raises(ValueError, match="below 1"):
            call(1.0)
    assert c4.heavy_ball(grad, [1.0, 1.0], 0.1, 0.99, 3).shape == (4, 2)


def test_erratum_saddles_outnumber_minima_as_the_dimension_grows():
    """Random critical points (GOE Hessians): the fraction of minima is 1/2 in 1-D and exactly
    (2 - sqrt 2)/4 in 2-D (both within 5 standard errors), then keeps falling: saddles become the
    rule. The notes' footnote (saddles "exponentially more rare the higher the dimension") predicts
    the fraction of saddles to fall; it rises from 0 to nearly 1."""
    dims = [1, 2, 3, 4, 6]
    kinds = c4.critical_point_kinds(dims, samples=20000, seed=0)
    exact = np.array([0.5, (2 - math.sqrt(2)) / 4])
    assert np.all(np.abs(kinds["minima"][:2] - exact) <= 5 * kinds["standard_error"][:2])
    np.testing.assert_allclose(kinds["minima"] + kinds["maxima"] + kinds["saddles"], 1.0, atol=1e-12)
    assert np.all(np.diff(kinds["minima"]) < 0) and np.all(np.diff(kinds["saddles"]) > 0)
    assert kinds["saddles"][0] == 0.0 and kinds["saddles"][-1] > 0.99
    # minima and maxima are mirror images (H -> -H): equal fractions within 5 standard errors
    assert np.all(np.abs(kinds["minima"] - kinds["maxima"]) <= 5 * np.sqrt(2) * kinds["standard_error"] + 1e-12)


# --- the tf.data / tf.function training loop -------------------------------------------------------

def test_fit_linear_sgd_in_order_equals_answer_key(small_regression):
    X, y, design = small_regression
    theta, losses, path = c4.fit_linear_sgd(X, y, 0.0625, 7, 4, momentum=0.5, dtype="float64")
    expected, expected_losses = sol.sgd(design, y, sol.minibatch_grad, 0.0625, 7, 4, None, momentum=0.5)
    np.testing.assert_allclose(theta, expected, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(losses, expected_losses, rtol=1e-10)
    assert path.shape == (4 * 8 + 1, 3) and np.array_equal(path[0], np.zeros(3))


def test_fit_linear_sgd_schedule_equals_answer_key(small_regression):
    X, y, design = small_regression
    schedule = c4.keras_schedule("exponential", 0.1, 0.05)
    theta, _, _ = c4.fit_linear_sgd(X, y, schedule, 10, 3, dtype="float64")
    expected, _ = sol.sgd(design, y, sol.minibatch_grad, lambda t: sol.lr_exp(t, 0.1, 0.05), 10, 3, None)
    np.testing.assert_allclose(theta, expected, rtol=1e-10, atol=1e-12)


def test_fit_linear_sgd_shuffled_lands_on_least_squares():
    X, y, _ = sparse_linear_data(n=1000, d=3, n_active=3, noise=0.5, seed=2)
    design = np.column_stack([X, np.ones(len(X))])
    schedule = c4.keras_schedule("inverse_time", 0.05, 0.05)
    theta, losses, _ = c4.fit_linear_sgd(X, y, schedule, 10, 8, seed=0)
    np.testing.assert_allclose(theta, np.linalg.lstsq(design, y, rcond=None)[0], atol=1e-2)
    assert losses[-1] == pytest.approx(np.mean((design @ theta - y) ** 2), rel=1e-5)  # full-data MSE
    again, _, _ = c4.fit_linear_sgd(X, y, schedule, 10, 8, seed=0)
    np.testing.assert_array_equal(again, theta)


# --- differentiability (Section 4.2) ---------------------------------------------------------------

def test_erratum_partials_exist_but_directional_derivative_is_not_grad_dot_v(tf):
    """f = x^2 y / (x^2 + y^2): both partials are 0 at the origin, yet D_v f(0) = 1/(2 sqrt 2) along
    v = (1, 1)/sqrt 2; grad f(0) . v = 0, so f is not differentiable there."""
    h = 1e-7
    partials = [c4.kink(np.array(e) * h) / h for e in ([1.0, 0.0], [0.0, 1.0])]
    assert partials == [0.0, 0.0]
    v = np.array([1.0, 1.0]) / math.sqrt(2)
    for t in (1e-3, 1e-6, -1e-6):
        assert c4.kink(t * v) / t == pytest.approx(1 / (2 * math.sqrt(2)), rel=1e-12)
    assert float(c4.kink(v)) == pytest.approx(1 / (2 * math.sqrt(2)), rel=1e-15)  # D_v f(0) = f(v)

    x = tf.Variable([0.0, 0.0], dtype=tf.float64)
    with tf.GradientTape() as tape:
        y = x[0] ** 2 * x[1] / (x[0] ** 2 + x[1] ** 2)
    assert np.all(np.isnan(tape.gradient(y, x).numpy()))  # autodiff of the formula: 0/0
    primal = tf.constant([0.0, 0.0], dtype=tf.float64)
    with tf.autodiff.ForwardAccumulator(primal, tf.constant(v)) as acc:
        y = primal[0] ** 2 * primal[1] / (primal[0] ** 2 + primal[1] ** 2)
    assert np.isnan(acc.jvp(y).numpy())


def test_erratum_directional_derivative_example(tf):
    """f = x^3 + y^2 along v = (1, 1)/sqrt 2: the final (sqrt2/2)(3x^2 + 2y) is right (ForwardAccumulator),
    the notes' intermediate d/dt (sqrt2/2)(t^3 + t^2) is not the derivative along the line."""
    v = tf.constant([1.0, 1.0], dtype=tf.float64) / math.sqrt(2)
    for point in np.random.default_rng(0).uniform(-2, 2, (5, 2)):
        x = tf.constant(point)
        with tf.autodiff.ForwardAccumulator(x, v) as acc:
            f = x[0] ** 3 + x[1] ** 2
        assert acc.jvp(f).numpy() == pytest.approx(math.sqrt(2) / 2 * (3 * point[0] ** 2 + 2 * point[1]),
                                                   rel=1e-12)
    t = 1.3
    along_line = 3 * (math.sqrt(2) / 2) ** 3 * t ** 2 + t  # d/dt f(t v)
    notes = math.sqrt(2) / 2 * (3 * t ** 2 + 2 * t)
    assert abs(notes - along_line) > 0.5


def test_gradient_on_a_grid():
    grid = np.stack(np.meshgrid(np.linspace(-1, 1, 5), np.linspace(-2, 2, 4)))
    got = c4.gradient(lambda x: c4.rosenbrock(x, 1.0, 10.0), grid)
    x, y = grid
    np.testing.assert_allclose(got, [-2 * (1 - x) - 40 * x * (y - x ** 2), 20 * (y - x ** 2)], atol=1e-12)
    assert c4.double_well(np.array([1.1309011226])) == pytest.approx(1.1309011226 ** 4 - 3 * 1.1309011226 ** 2
                                                                     + 1.1309011226)


def test_make_figures_writes_pngs(tmp_path):
    paths = plots.make_figures("ch04", tmp_path)
    assert [p.stem for p in paths] == list(c4.FIGURES)
    for path in paths:
        assert path.parent == tmp_path
        assert path.read_bytes()[:8] == PNG_MAGIC and path.stat().st_size > 5000
