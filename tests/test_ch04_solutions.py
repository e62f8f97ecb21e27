"""Chapter 4 answer key against independent oracles (Keras optimizers and schedules on float64
variables, tf.GradientTape, closed forms, brute force) and the notes' errata."""
import itertools
import math
import types

import numpy as np
import pytest

from course.datasets import quadratic_bowl, sparse_linear_data
from solutions import ch04_gradient_descent as sol

F32 = lambda v: float(np.float32(v))  # noqa: E731 - Keras rounds learning rate and momentum to float32


@pytest.fixture(scope="module")
def keras():
    pytest.importorskip("tensorflow")
    import keras
    return keras


@pytest.fixture
def bowl():
    A, b = quadratic_bowl(10.0)  # L = 10, minimum (1, -0.5)
    return A, b, (lambda x: A @ x - b)


@pytest.fixture
def regression():
    X, y, _ = sparse_linear_data(n=1000, d=3, n_active=3, noise=0.5, seed=0)
    return X, y


def mse_grad(theta, X, y):
    return 2 * X.T @ (X @ theta - y) / len(y)


def keras_sgd_path(keras, grad, x0, steps, **sgd_args):
    """Oracle: Keras SGD applied to a float64 variable with the given gradient function."""
    var = keras.Variable(np.asarray(x0, dtype=float), dtype="float64")
    opt = keras.optimizers.SGD(**sgd_args)
    path = [var.numpy()]
    for _ in range(steps):
        opt.apply_gradients([(keras.ops.convert_to_tensor(grad(var.numpy())), var)])
        path.append(var.numpy())
    return np.array(path)


def test_layout(check_solution_layout):
    check_solution_layout(sol)
    modules = {v.__name__ for v in vars(sol).values() if isinstance(v, types.ModuleType)}
    assert modules <= {"numpy", "math"}


# --- gradient descent (4.1) -------------------------------------------------------------------------

def test_gradient_descent_reaches_minimum(bowl):
    A, b, grad = bowl
    x, history = sol.gradient_descent(grad, np.array([-2.0, 2.0]), 0.15)
    np.testing.assert_allclose(x, np.linalg.solve(A, b), atol=1e-6)
    assert history.shape[1] == 2 and np.array_equal(history[0], [-2.0, 2.0])
    assert np.array_equal(history[-1], x)
    assert np.linalg.norm(grad(x)) <= 1e-8 < np.linalg.norm(grad(history[-2]))


def test_gradient_descent_stops_at_once_at_stationary_point():
    saddle = lambda x: np.array([2 * x[0], -2 * x[1]])  # noqa: E731 - f = x^2 - y^2
    x0 = np.zeros(2)
    x, history = sol.gradient_descent(saddle, x0, 0.1)
    assert history.shape == (1, 2) and np.array_equal(x, x0)


@pytest.mark.parametrize("factor, converges", [(0.9, True), (1.1, False)])
def test_gradient_descent_step_limit_2_over_L(bowl, factor, converges):
    A, b, grad = bowl
    L = np.linalg.eigvalsh(A).max()
    x, _ = sol.gradient_descent(grad, np.array([-2.0, 2.0]), factor * 2 / L, max_iter=300)
    distance = np.linalg.norm(x - np.linalg.solve(A, b))
    assert (distance < 1e-6) if converges else (distance > 1e3)


def test_gradient_descent_matches_keras_sgd(keras, bowl):
    _, _, grad = bowl
    lr = F32(0.15)
    expected = keras_sgd_path(keras, grad, [-2.0, 2.0], 50, learning_rate=0.15)
    _, history = sol.gradient_descent(grad, np.array([-2.0, 2.0]), lr, max_iter=50, tol=0.0)
    np.testing.assert_allclose(history, expected, rtol=1e-8, atol=1e-8)


def test_erratum_gd_unrolled_sum_starts_at_zero(bowl):
    """(4.7): x_{t+1} = x_0 - lr sum_{i=0}^{t} grad(x_i); the notes start the sum at i = 1."""
    _, _, grad = bowl
    _, history = sol.gradient_descent(grad, np.array([-2.0, 2.0]), 0.05, max_iter=20, tol=0.0)
    grads = np.array([grad(x) for x in history[:-1]])
    np.testing.assert_allclose(history[-1], history[0] - 0.05 * grads.sum(axis=0), atol=1e-12)
    notes = history[0] - 0.05 * grads[1:].sum(axis=0)
    assert np.linalg.norm(notes - history[-1]) > 0.1


# --- line search and schedules (4.3) ----------------------------------------------------------------

def rosenbrock(x):
    return (1 - x[0]) ** 2 + 100 * (x[1] - x[0] ** 2) ** 2


def rosenbrock_grad(x):
    return np.array([-2 * (1 - x[0]) - 400 * x[0] * (x[1] - x[0] ** 2), 200 * (x[1] - x[0] ** 2)])


@pytest.mark.parametrize("x", [[-1.2, 1.0], [2.0, 2.0], [0.5, -0.3]])
def test_backtracking_armijo(x):
    x = np.array(x)
    g = rosenbrock_grad(x)
    alpha = sol.backtracking_line_search(rosenbrock, rosenbrock_grad, x)
    armijo = lambda a: rosenbrock(x - a * g) <= rosenbrock(x) - 1e-4 * a * g @ g  # noqa: E731
    assert type(alpha) is float and armijo(alpha) and rosenbrock(x - alpha * g) < rosenbrock(x)
    k = round(math.log2(1 / alpha))
    assert alpha == 0.5 ** k and not any(armijo(0.5 ** j) for j in range(k))  # the FIRST such alpha


def test_backtracking_rejects_nan_trial_points():
    f = lambda x: float(np.sum(x - np.log(x)))  # noqa: E731 - NaN for x < 0
    grad = lambda x: 1 - 1 / x  # noqa: E731
    x = np.array([3.0, 2.0])
    with np.errstate(invalid="ignore"):
        alpha = sol.backtracking_line_search(f, grad, x, alpha0=10.0)
        assert np.isfinite(f(x - alpha * grad(x))) and f(x - alpha * grad(x)) < f(x)
    assert alpha == 2.5  # alpha = 10 and 5 leave the domain (3 - 5 (2/3) < 0): NaN fails the test


def test_backtracking_at_stationary_point_returns_alpha0(bowl):
    A, b, grad = bowl
    f = lambda x: 0.5 * x @ A @ x - b @ x  # noqa: E731
    assert sol.backtracking_line_search(f, lambda x: np.zeros(2), np.zeros(2), alpha0=3.0) == 3.0


def keras_schedules(keras, a0, rho, a_end, decay_steps):
    S, f64 = keras.optimizers.schedules, np.float64  # float64 numbers: computed in float64
    return {"lr_linear": S.PolynomialDecay(f64(a0), decay_steps, end_learning_rate=f64(a_end), power=1),
            "lr_inverse_time": S.InverseTimeDecay(f64(a0), 1, f64(rho)),
            "lr_exp": S.ExponentialDecay(f64(a0), 1, f64(math.exp(-rho)))}


@pytest.mark.parametrize("a0, rho, a_end, decay_steps", [(0.5, 0.1, 0.05, 40), (0.1, 0.02, 0.0, 100)])
def test_schedules_match_keras(keras, a0, rho, a_end, decay_steps):
    reference = keras_schedules(keras, a0, rho, a_end, decay_steps)
    ours = {"lr_linear": lambda t: sol.lr_linear(t, a0, a_end, decay_steps),
            "lr_inverse_time": lambda t: sol.lr_inverse_time(t, a0, rho),
            "lr_exp": lambda t: sol.lr_exp(t, a0, rho)}
    for name, schedule in reference.items():
        got = np.array([ours[name](t) for t in range(101)])
        np.testing.assert_allclose(got, [float(schedule(t)) for t in range(101)], rtol=1e-7, err_msg=name)
        assert got[0] == a0 and np.all(np.diff(got) <= 0), name


def test_lr_linear_stops_at_a_end():
    rates = [sol.lr_linear(t, 1.0, 0.2, 4) for t in (0, 2, 4, 5, 50)]
    assert rates == pytest.approx([1.0, 0.6, 0.2, 0.2, 0.2])


def test_erratum_inverse_time_does_not_compound(keras):
    """The notes' recursion a_{t+1} = a_t / (1 + rho t) divides again and again."""
    a0, rho = 0.5, 0.1
    notes = [a0]
    for t in range(30):
        notes.append(notes[-1] / (1 + rho * t))
    ours = [sol.lr_inverse_time(t, a0, rho) for t in range(31)]
    keras_rate = keras.optimizers.schedules.InverseTimeDecay(np.float64(a0), 1, np.float64(rho))
    np.testing.assert_allclose(ours, [float(keras_rate(t)) for t in range(31)], rtol=1e-12)
    assert notes[30] < 1e-6 * ours[30]


def test_erratum_schedules_are_not_shifted():
    """The notes set a_{t+1} = a0 exp(-rho t): a_1 would still be a0."""
    assert sol.lr_exp(1, 1.0, 0.5) == pytest.approx(math.exp(-0.5)) and sol.lr_exp(0, 1.0, 0.5) == 1.0


# --- momentum (4.5)-(4.9) ---------------------------------------------------------------------------

def test_momentum_zero_is_gradient_descent(bowl):
    _, _, grad = bowl
    _, history = sol.gradient_descent(grad, np.array([-2.0, 2.0]), 0.1, max_iter=40, tol=0.0)
    np.testing.assert_array_equal(sol.momentum_gd(grad, np.array([-2.0, 2.0]), 0.1, 0.0, 40), history)


@pytest.mark.parametrize("momentum", [0.5, 0.9])
def test_momentum_matches_keras_sgd(keras, momentum):
    A, b = quadratic_bowl(50.0)
    grad = lambda x: A @ x - b  # noqa: E731
    expected = keras_sgd_path(keras, grad, [-2.0, 2.0], 60, learning_rate=0.01, momentum=momentum)
    got = sol.momentum_gd(grad, np.array([-2.0, 2.0]), F32(0.01), F32(momentum), 60)
    assert got.shape == (61, 2)
    np.testing.assert_allclose(got, expected, rtol=1e-8, atol=1e-8)


def test_momentum_terminal_step_length():
    """(4.6): a constant gradient g gives steps tending to lr ||g|| / (1 - m)."""
    g = np.array([3.0, -4.0])
    path = sol.momentum_gd(lambda x: g, np.zeros(2), 0.1, 0.8, 200)
    steps = np.linalg.norm(np.diff(path, axis=0), axis=1)
    assert steps[-1] == pytest.approx(0.1 * 5 / (1 - 0.8), rel=1e-12)
    assert steps[0] == pytest.approx(0.5) and np.all(np.diff(steps[:60]) > 0)  # speeds up


def test_momentum_escapes_the_local_minimum():
    grad = lambda x: 4 * x ** 3 - 6 * x + 1  # noqa: E731 - f = x^4 - 3x^2 + x
    gd = sol.momentum_gd(grad, np.array([2.0]), 0.01, 0.0, 1000)
    heavy = sol.momentum_gd(grad, np.array([2.0]), 0.01, 0.9, 1000)
    assert gd[-1, 0] == pytest.approx(1.1309, abs=1e-4) and heavy[-1, 0] == pytest.approx(-1.3008, abs=1e-4)


def test_erratum_momentum_unrolled(bowl):
    """x_{t+1} = x_0 - lr sum_{i=0}^{t} (1 - m^(t+1-i))/(1 - m) grad_i: older gradients weigh MORE.
    The notes' (4.8) (plus sign, sum from i = 1) does not reproduce the recursion."""
    _, _, grad = bowl
    lr, m, steps = 0.02, 0.7, 25
    path = sol.momentum_gd(grad, np.array([-2.0, 2.0]), lr, m, steps)
    grads = np.array([grad(x) for x in path[:-1]])
    weights = (1 - m ** (steps - np.arange(steps))) / (1 - m)
    assert np.all(np.diff(weights) < 0)  # g_0 (oldest) has the largest weight
    np.testing.assert_allclose(path[-1], path[0] - lr * weights @ grads, atol=1e-12)
    notes = path[0] + lr * weights[1:] @ grads[1:]
    assert np.linalg.norm(notes - path[-1]) > 0.1


def test_erratum_momentum_factor_must_be_below_one(bowl):
    """lambda < 1 (the notes: "lambda <= 1"). With lambda = 1 nothing damps the velocity: on the bowl
    x^2 / 2 the notes' heavy ball keeps oscillating with its first amplitude, where lambda = 0.9
    converges; the answer key rejects lambda >= 1 with ValueError (sgd before any work)."""
    def notes_heavy_ball(m, steps, lr=0.1):  # (4.5) with nothing stopping m = 1
        x, v, path = 1.0, 0.0, []
        for _ in range(steps):
            v = m * v - lr * x
            x = x + v
            path.append(x)
        return np.array(path)
    undamped, damped = notes_heavy_ball(1.0, 3000), notes_heavy_ball(0.9, 3000)
    assert np.max(np.abs(undamped[-200:])) > 0.9 and abs(damped[-1]) < 1e-10
    _, _, grad = bowl
    for m in (1.0, 1.5, float("nan")):
        with pytest.raises(ValueError):
            sol.momentum_gd(grad, np.array([-2.0, 2.0]), 0.1, m, 5)
    X, y = np.eye(3), np.ones(3)
    with pytest.raises(ValueError):
        sol.sgd(X, y, sol.minibatch_grad, 0.1, 2, 1, None, momentum=1.0)
    assert sol.momentum_gd(grad, np.array([-2.0, 2.0]), 0.1, 0.999, 5).shape == (6, 2)


# --- mini-batches (4.12)-(4.14) ---------------------------------------------------------------------

@pytest.mark.parametrize("n, m", [(23, 5), (10, 10), (7, 20), (12, 1), (100, 32)])
def test_minibatches_partition(n, m):
    batches = sol.minibatches(n, m, np.random.default_rng(0))
    assert [len(b) for b in batches] == [m] * (n // m) + ([n % m] if n % m else [])
    assert sorted(np.concatenate(batches).tolist()) == list(range(n))
    again = sol.minibatches(n, m, np.random.default_rng(0))
    assert all(np.array_equal(a, b) for a, b in zip(batches, again))


def test_minibatches_shuffle_or_keep_order():
    assert not np.array_equal(np.concatenate(sol.minibatches(50, 8, np.random.default_rng(1))), np.arange(50))
    in_order = sol.minibatches(11, 4, None)
    assert [b.tolist() for b in in_order] == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10]]
    with pytest.raises(ValueError):
        sol.minibatches(5, 0, None)


def test_minibatch_grad_matches_gradient_tape(tf, tape_grad, regression):
    X, y = regression
    theta = np.array([0.3, -1.0, 2.0])
    idx = np.array([5, 17, 400, 999, 17])  # a repeated row counts twice
    expected, = tape_grad(lambda t: tf.reduce_mean((tf.linalg.matvec(X[idx], t) - y[idx]) ** 2), theta)
    np.testing.assert_allclose(sol.minibatch_grad(theta, X, y, idx), expected, rtol=1e-12, atol=1e-12)
    with pytest.raises(ValueError):
        sol.minibatch_grad(theta, X, y, np.array([], dtype=int))


def test_minibatch_grad_partition_mean_is_full_gradient(regression):
    X, y = regression
    theta = np.array([1.0, 0.5, -0.5])
    batches = sol.minibatches(len(y), 100, np.random.default_rng(2))
    mean = np.mean([sol.minibatch_grad(theta, X, y, b) for b in batches], axis=0)
    np.testing.assert_allclose(mean, mse_grad(theta, X, y), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("m", [1, 2, 3])
def test_minibatch_grad_is_unbiased_over_all_subsets(m):
    rng = np.random.default_rng(3)
    X, y, theta = rng.standard_normal((7, 2)), rng.standard_normal(7), rng.standard_normal(2)
    subsets = list(itertools.combinations(range(7), m))
    mean = np.mean([sol.minibatch_grad(theta, X, y, np.array(s)) for s in subsets], axis=0)
    np.testing.assert_allclose(mean, mse_grad(theta, X, y), rtol=1e-12, atol=1e-12)


# --- SGD --------------------------------------------------------------------------------------------

def test_sgd_full_batch_without_shuffling_is_gd(regression):
    X, y = regression
    theta, losses = sol.sgd(X, y, sol.minibatch_grad, 0.1, len(y), 25, None)
    x, _ = sol.gradient_descent(lambda t: mse_grad(t, X, y), np.zeros(3), 0.1, max_iter=25, tol=0.0)
    np.testing.assert_allclose(theta, x, rtol=1e-12, atol=1e-12)
    assert len(losses) == 25 and losses[-1] == pytest.approx(np.mean((X @ x - y) ** 2), rel=1e-12)


@pytest.mark.parametrize("momentum, a0", [(0.0, 0.05), (0.9, 0.005)])
def test_sgd_with_decaying_lr_lands_on_least_squares(regression, momentum, a0):
    X, y = regression
    rate = lambda t: sol.lr_inverse_time(t, a0, 0.05)  # noqa: E731
    theta, losses = sol.sgd(X, y, sol.minibatch_grad, rate, 10, 20, 0, momentum=momentum)
    best = np.linalg.lstsq(X, y, rcond=None)[0]
    np.testing.assert_allclose(theta, best, atol=1e-2)
    assert losses[-1] <= np.mean((X @ best - y) ** 2) * 1.001
    again, _ = sol.sgd(X, y, sol.minibatch_grad, rate, 10, 20, 0, momentum=momentum)
    np.testing.assert_array_equal(again, theta)


def test_sgd_schedule_counts_updates_across_epochs(regression):
    """lr(t) is called with t = 0, 1, 2, ... over all updates, as Keras' optimizer.iterations."""
    X, y = regression
    seen = []
    sol.sgd(X[:20], y[:20], sol.minibatch_grad, lambda t: seen.append(t) or 0.01, 6, 3, None)
    assert seen == list(range(12))  # 4 batches (6, 6, 6, 2) per epoch
