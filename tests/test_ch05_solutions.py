"""Chapter 5 answer key against independent oracles: Keras layers with copied weights,
tf.GradientTape / tf.autodiff.ForwardAccumulator in float64, central differences, closed forms and
brute-force operation counts. One test per erratum of the guide (marked "Erratum")."""
import math
import types
import warnings

import numpy as np
import pytest

from solutions import ch05_mlp_backprop as sol

ACTS = ["relu", "sigmoid", "tanh", "linear"]


def random_params(seed, dims, scale=1.0):
    rng = np.random.default_rng(seed)
    return [(scale * rng.standard_normal((o, i)) / np.sqrt(i), 0.3 * rng.standard_normal(o))
            for i, o in zip(dims, dims[1:])]


def keras_mlp(keras, params, activations, dtype="float64"):
    """A Sequential of Dense layers holding ``params`` (kernel = W.T)."""
    model = keras.Sequential([keras.Input((params[0][0].shape[1],), dtype=dtype)]
                             + [keras.layers.Dense(W.shape[0], activation=a, dtype=dtype)
                                for (W, _), a in zip(params, activations)])
    for layer, (W, b) in zip(model.layers, params):
        layer.set_weights([W.T, b])
    return model


@pytest.fixture(scope="module")
def keras(tf):
    import keras
    tf.config.experimental.enable_tensor_float_32_execution(False)  # float32 comparisons on GPUs too
    return keras


def test_layout(check_solution_layout):
    check_solution_layout(sol)
    modules = {v.__name__ for v in vars(sol).values() if isinstance(v, types.ModuleType)}
    assert modules <= {"numpy", "math"}, "chapter 5 solutions are numpy/math only"


# --- dense_forward and mlp_forward (5.7)-(5.9) -----------------------------------------------------

@pytest.mark.parametrize("activation", ACTS)
def test_dense_forward_matches_keras_dense(keras, activation):
    rng = np.random.default_rng(1)
    x, W, b = rng.standard_normal((6, 4)), rng.standard_normal((3, 4)), rng.standard_normal(3)
    layer = keras.layers.Dense(3, activation=activation)
    layer.build((None, 4))
    layer.set_weights([W.T, b])
    got = sol.dense_forward(x, W, b, activation)
    assert got.shape == (6, 3)
    np.testing.assert_allclose(got, np.asarray(layer(x.astype("float32"))), rtol=1e-5, atol=1e-6)


def test_dense_forward_sigmoid_is_stable_and_rejects_unknown_names():
    z = np.array([[-1000.0], [0.0], [1000.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = sol.dense_forward(z, np.ones((1, 1)), np.zeros(1), "sigmoid")
    np.testing.assert_array_equal(got.ravel(), [0.0, 0.5, 1.0])
    with pytest.raises(ValueError):
        sol.dense_forward(z, np.ones((1, 1)), np.zeros(1), "softsign")


def test_mlp_forward_matches_keras_sequential(keras):
    params = random_params(2, [3, 5, 4, 2])
    acts = ["relu", "tanh", "linear"]
    x = np.random.default_rng(3).standard_normal((7, 3))
    y, _ = sol.mlp_forward(x, params, acts)
    np.testing.assert_allclose(y, np.asarray(keras_mlp(keras, params, acts)(x)), rtol=1e-12, atol=1e-12)
    with pytest.raises(ValueError):
        sol.mlp_forward(x, params, acts[:2])


# --- back-propagation (5.45)-(5.49) -----------------------------------------------------------------

def mse_and_grads(params, acts, x, t):
    y, cache = sol.mlp_forward(x, params, acts)
    return np.mean(np.sum((y - t) ** 2, axis=1)), sol.mlp_backward(cache, 2 * (y - t) / len(x))


def tape_mse_grads(tf, params, acts, x, t):
    """Oracle: tf.GradientTape in float64 on the same loss (5.22)."""
    variables = [tf.Variable(p) for pair in params for p in pair]
    with tf.GradientTape() as tape:
        h = tf.constant(x)
        for k, act in enumerate(acts):
            z = tf.matmul(h, variables[2 * k], transpose_b=True) + variables[2 * k + 1]
            h = {"relu": tf.nn.relu, "sigmoid": tf.sigmoid, "tanh": tf.tanh, "linear": tf.identity}[act](z)
        loss = tf.reduce_mean(tf.reduce_sum((h - t) ** 2, axis=1))
    return [g.numpy() for g in tape.gradient(loss, variables)]


@pytest.mark.parametrize("dims, acts", [([3, 4, 2], ["tanh", "linear"]),
                                        ([4, 6, 5, 3], ["relu", "sigmoid", "linear"]),
                                        ([2, 3], ["sigmoid"]),
                                        ([5, 8, 8, 8, 1], ["relu", "tanh", "relu", "linear"])])
def test_mlp_backward_matches_gradient_tape(tf, dims, acts):
    params = random_params(4, dims)
    rng = np.random.default_rng(5)
    x, t = rng.standard_normal((9, dims[0])), rng.standard_normal((9, dims[-1]))
    _, grads = mse_and_grads(params, acts, x, t)
    assert [(dW.shape, db.shape) for dW, db in grads] == [(W.shape, b.shape) for W, b in params]
    expected = tape_mse_grads(tf, params, acts, x, t)
    got = [g for pair in grads for g in pair]
    for g, e in zip(got, expected):
        np.testing.assert_allclose(g, e, rtol=1e-8, atol=1e-12)


def test_mlp_backward_matches_central_differences():
    params, acts = random_params(6, [3, 4, 2]), ["sigmoid", "linear"]
    rng = np.random.default_rng(7)
    x, t = rng.standard_normal((5, 3)), rng.standard_normal((5, 2))
    _, grads = mse_and_grads(params, acts, x, t)
    h = 1e-6
    for k, (dW, db) in enumerate(grads):
        for which, analytic in ((0, dW), (1, db)):
            numeric = np.zeros_like(analytic)
            for idx in np.ndindex(analytic.shape):
                shifted = []
                for sign in (1, -1):
                    p = [[W.copy(), b.copy()] for W, b in params]
                    p[k][which][idx] += sign * h
                    shifted.append(mse_and_grads(p, acts, x, t)[0])
                numeric[idx] = (shifted[0] - shifted[1]) / (2 * h)
            np.testing.assert_allclose(analytic, numeric, rtol=1e-5, atol=1e-9)


def test_ten_gradient_steps_lower_the_loss():
    params, acts = random_params(8, [2, 8, 1]), ["tanh", "linear"]
    rng = np.random.default_rng(9)
    x = rng.standard_normal((20, 2))
    t = np.sin(x[:, :1])
    losses = []
    for _ in range(10):
        loss, grads = mse_and_grads(params, acts, x, t)
        losses.append(loss)
        params = [(W - 0.1 * dW, b - 0.1 * db) for (W, b), (dW, db) in zip(params, grads)]
    assert np.all(np.diff(losses) < 0)


def test_erratum_relu_gradient_at_zero_matches_tensorflow(tf):
    """Erratum: the notes leave ReLU'(0) to "one of the one-sided derivatives"; TF uses 0."""
    z = tf.constant([-1.0, 0.0, 1.0], tf.float64)
    with tf.GradientTape() as tape:
        tape.watch(z)
        r = tf.nn.relu(z)
    np.testing.assert_array_equal(tape.gradient(r, z).numpy(), [0.0, 0.0, 1.0])
    params = random_params(10, [3, 4, 2])
    params[0][0][0], params[0][1][0] = 0.0, 0.0  # unit 0: pre-activation exactly 0
    rng = np.random.default_rng(11)
    x, t = rng.standard_normal((6, 3)), rng.standard_normal((6, 2))
    _, grads = mse_and_grads(params, ["relu", "linear"], x, t)
    assert np.all(grads[0][0][0] == 0) and grads[0][1][0] == 0
    expected = tape_mse_grads(tf, params, ["relu", "linear"], x, t)
    np.testing.assert_allclose(grads[0][0], expected[0], atol=1e-14)
    np.testing.assert_allclose(grads[0][1], expected[1], atol=1e-14)


# --- numerical gradient -----------------------------------------------------------------------------

@pytest.mark.parametrize("shape", [(1,), (5,), (2, 3)])
def test_numerical_gradient_cost_and_accuracy(tape_grad, shape):
    v = np.linspace(-1, 1, int(np.prod(shape)))
    theta = np.random.default_rng(12).standard_normal(shape)
    original = theta.copy()
    calls = []

    def f(t):
        calls.append(t.shape)
        return float(np.sin(t.ravel() @ v) + np.sum(t ** 3) / 3)
    got = sol.numerical_gradient(f, theta)
    assert len(calls) == 2 * theta.size and set(calls) == {shape}
    np.testing.assert_array_equal(theta, original)
    import tensorflow as tf
    (expected,) = tape_grad(
        lambda t: tf.sin(tf.reduce_sum(tf.reshape(t, [-1]) * v)) + tf.reduce_sum(t ** 3) / 3, theta)
    assert got.shape == shape
    assert np.max(np.abs(got - expected)) <= 1e-6 * np.max(np.abs(expected))


# --- forward mode: Dual (5.28)-(5.29) -----------------------------------------------------------------

def eq_5_25(x):
    y = x.log()
    return y + y.sqrt()


def eq_5_26(x):
    s = (x ** 2 + 1).sqrt()
    u = (x + s).log()
    return u / x ** 2 - u ** 3 / s


@pytest.mark.parametrize("x", [1.5, 2.5, 10.0])
def test_dual_eq_5_25_closed_form(x):
    out = eq_5_25(sol.Dual(x, 1.0))
    assert out.value == pytest.approx(math.log(x) + math.sqrt(math.log(x)), rel=1e-14)
    assert out.deriv == pytest.approx(1 / x + 1 / (2 * x * math.sqrt(math.log(x))), rel=1e-12)


@pytest.mark.parametrize("x", [0.5, 1.7, 3.0, -2.0])
def test_dual_eq_5_26_closed_form(x):
    s, u = math.sqrt(x * x + 1), math.asinh(x)
    closed = 1 / (x * x * s) - 2 * u / x ** 3 - 3 * u * u / s ** 2 + x * u ** 3 / s ** 3
    out = eq_5_26(sol.Dual(x, 1.0))
    assert out.value == pytest.approx(u / x ** 2 - u ** 3 / s, rel=1e-12)
    assert out.deriv == pytest.approx(closed, rel=1e-12)


def test_erratum_eq_5_25_domain():
    """Erratum: (5.25) is real only for x >= 1 (sqrt(log x)) and differentiable for x > 1."""
    for cls in (sol.Dual, sol.Var):
        with pytest.raises(ValueError):
            eq_5_25(cls(0.5) if cls is sol.Var else cls(0.5, 1.0))
    assert eq_5_25(sol.Dual(1.0 + 1e-12, 1.0)).deriv > 1e5  # blows up at the boundary x = 1


def reflected(x):
    return (2 * x - 1) / (1 + x ** 2) + 3 / x - (1 - x) * (0.5 - x) + 2 ** x - x ** -1.5


def tf_reflected(tf, x):
    two = tf.constant(2.0, x.dtype)
    return (2 * x - 1) / (1 + x ** 2) + 3 / x - (1 - x) * (0.5 - x) + tf.pow(two, x) - x ** -1.5


def test_dual_agrees_with_forward_accumulator(tf):
    for x0 in (0.7, 2.3):
        x = tf.constant(x0, tf.float64)
        with tf.autodiff.ForwardAccumulator(x, tf.constant(1.0, tf.float64)) as acc:
            y = tf_reflected(tf, x)
        out = reflected(sol.Dual(x0, 1.0))
        assert out.value == pytest.approx(float(y), rel=1e-13)
        assert out.deriv == pytest.approx(float(acc.jvp(y)), rel=1e-12)
    # a two-input function: one forward pass per input direction
    point = np.array([1.2, 0.7])
    xt = tf.constant(point)
    for j in range(2):
        with tf.autodiff.ForwardAccumulator(xt, tf.constant(np.eye(2)[j])) as acc:
            y = xt[0] * xt[1] + xt[0] / xt[1] - tf.math.log(xt[0] * xt[1]) + tf.sqrt(xt[0] ** 2 + xt[1] ** 2)
        a, b = (sol.Dual(v, float(i == j)) for i, v in enumerate(point))
        out = a * b + a / b - (a * b).log() + (a ** 2 + b ** 2).sqrt()
        assert out.deriv == pytest.approx(float(acc.jvp(y)), rel=1e-12)


# --- reverse mode: Var (5.30) -----------------------------------------------------------------------

def test_var_eq_5_25_adjoints_of_every_node():
    """(5.30): df/dz = 1, df/dy = 1 + 1/(2 sqrt y), df/dx = df/dy / x; y feeds two nodes."""
    x = sol.Var(2.5)
    y = x.log()
    z = y.sqrt()
    f = y + z
    f.backward()
    assert (f.grad, z.grad) == (1.0, 1.0)
    assert y.grad == pytest.approx(1 + 1 / (2 * math.sqrt(math.log(2.5))), rel=1e-14)
    assert x.grad == pytest.approx(y.grad / 2.5, rel=1e-14)


def mixed3(a, b, c):
    """R^3 -> R with every operation of Var; ``a`` is used many times."""
    return ((a * b * c).exp() / (1 + a ** 2) - c * (b - a) + (a + b + c) ** 3 / 7 + a * a - 3 / c
            + (a * a + 1).log() * (b * b + c * c).sqrt() - 2 ** b)


def test_var_matches_gradient_tape_in_one_backward_pass(tf, tape_grad):
    point = [0.3, -0.4, 0.8]
    xs = [sol.Var(v) for v in point]
    out = mixed3(*xs)
    out.backward()  # once: every input gradient at the same time

    def tf_mixed3(a, b, c):
        return (tf.exp(a * b * c) / (1 + a ** 2) - c * (b - a) + (a + b + c) ** 3 / 7 + a * a - 3 / c
                + tf.math.log(a * a + 1) * tf.sqrt(b * b + c * c) - tf.pow(tf.constant(2.0, tf.float64), b))
    expected = tape_grad(tf_mixed3, *point)
    np.testing.assert_allclose([x.grad for x in xs], expected, rtol=1e-12)
    assert out.value == pytest.approx(float(tf_mixed3(*(tf.constant(v, tf.float64) for v in point))),
                                      rel=1e-13)


def test_var_linear_time_and_deep_graphs():
    x = sol.Var(0.8)
    h = x
    for _ in range(60):  # 2^60 paths: only a once-per-node traversal finishes
        h = h + 0.5 * h
    h.backward()
    assert x.grad == pytest.approx(1.5 ** 60, rel=1e-12)
    x = sol.Var(2.0)
    h = x
    for _ in range(5000):  # deeper than Python's recursion limit
        h = h * 0.999 + 0.001
    h.backward()
    assert x.grad == pytest.approx(0.999 ** 5000, rel=1e-10)


# --- Jacobians (5.31)-(5.44) --------------------------------------------------------------------------

def chain_function(mats):
    def f(h):
        for A in mats:
            h = [sum(a * v for a, v in zip(row, h)) for row in A.tolist()]
        return h
    return f


def counted(f):
    calls = []

    def wrapper(v):
        calls.append({type(a).__name__ for a in v})
        return f(v)
    return wrapper, calls


def test_jacobians_match_tape_jacobian_and_count_passes(tf):
    rng = np.random.default_rng(13)
    W1, b1, W2 = rng.standard_normal((5, 3)), rng.standard_normal(5), rng.standard_normal((2, 5))
    x0 = rng.standard_normal(3)

    def f(v):
        z = [sum(w * a for w, a in zip(row, v)) + c for row, c in zip(W1.tolist(), b1.tolist())]
        s = [1 / (1 + (-t).exp()) for t in z]
        return [sum(w * a for w, a in zip(row, s)) for row in W2.tolist()]
    xt = tf.constant(x0)
    with tf.GradientTape() as tape:
        tape.watch(xt)
        y = tf.linalg.matvec(W2, tf.sigmoid(tf.linalg.matvec(W1, xt) + b1))
    expected = tape.jacobian(y, xt).numpy()
    for name, cls, passes in (("jacobian_forward", "Dual", 3), ("jacobian_reverse", "Var", 2)):
        fn, calls = counted(f)
        J = getattr(sol, name)(fn, x0)
        assert J.shape == (2, 3)
        np.testing.assert_allclose(J, expected, rtol=1e-10, atol=1e-12)
        assert len(calls) == passes and all(c == {cls} for c in calls)


def test_erratum_jacobian_of_a_chain_has_one_factor_per_layer():
    """Erratum: J = J_l ... J_1 with J_k = d f_k / d h_{k-1} (l factors); the notes' (5.37) writes
    J_{l-1} ... J_1 and so drops a layer."""
    rng = np.random.default_rng(14)
    mats = [rng.standard_normal((d_out, d_in)) for d_in, d_out in zip([4, 3, 5, 2], [3, 5, 2])]
    x0 = rng.standard_normal(4).tolist()
    full = mats[2] @ mats[1] @ mats[0]
    for name in ("jacobian_forward", "jacobian_reverse"):
        J = getattr(sol, name)(chain_function(mats), x0)
        np.testing.assert_allclose(J, full, rtol=1e-12, atol=1e-12)
    assert (mats[1] @ mats[0]).shape != full.shape  # the notes' l-1 factors are not even (m, n)


class CountingMatrix:
    """A matrix that counts the scalar multiplications of its products (brute force)."""
    count = 0

    def __init__(self, rows, cols):
        self.shape = (rows, cols)

    def __matmul__(self, other):
        (a, b), (b2, c) = self.shape, other.shape
        assert b == b2
        for _ in range(a * c):
            CountingMatrix.count += sum(1 for _ in range(b))
        return CountingMatrix(a, c)


def brute_force_cost(dims, mode):
    jacobians = [CountingMatrix(dims[k], dims[k - 1]) for k in range(1, len(dims))]  # J_1 .. J_l
    CountingMatrix.count = 0
    if mode == "forward":
        acc = jacobians[0]
        for J in jacobians[1:]:
            acc = J @ acc
    else:
        acc = jacobians[-1]
        for J in reversed(jacobians[:-1]):
            acc = acc @ J
    return CountingMatrix.count


@pytest.mark.parametrize("dims", [[3, 2], [4, 6, 3], [3, 4, 5, 2], [1, 7, 5, 9, 4], [6, 2, 8, 1]])
@pytest.mark.parametrize("mode", ["forward", "reverse"])
def test_chain_cost_brute_force(dims, mode):
    got = sol.chain_cost(dims, mode)
    assert isinstance(got, int) and got == brute_force_cost(dims, mode)
    n, m, l = dims[0], dims[-1], len(dims) - 1
    formula = (n * sum(dims[k] * dims[k - 1] for k in range(2, l + 1)) if mode == "forward"
               else m * sum(dims[k] * dims[k - 1] for k in range(1, l)))
    assert got == formula


def test_erratum_notes_cost_totals_undercount():
    """Erratum: the notes' approximate totals (5.42) n sum_{k=1}^{l-2} d_k d_{k+1} and (5.44)
    m sum_{k=2}^{l-1} d_k d_{k+1} leave out products that the brute-force count includes."""
    dims = [3, 4, 5, 6, 2]
    n, m, l = dims[0], dims[-1], len(dims) - 1
    d = dims
    notes_forward = n * sum(d[k] * d[k + 1] for k in range(1, l - 1))
    notes_reverse = m * sum(d[k] * d[k + 1] for k in range(2, l))
    assert sol.chain_cost(dims, "forward") == brute_force_cost(dims, "forward") != notes_forward
    assert sol.chain_cost(dims, "reverse") == brute_force_cost(dims, "reverse") != notes_reverse
    # reverse mode wins for a scalar loss of many parameters (5.49)
    assert 40 * sol.chain_cost([1000, 50, 50, 1], "reverse") < sol.chain_cost([1000, 50, 50, 1], "forward")
    with pytest.raises(ValueError):
        sol.chain_cost(dims, "backward")
    with pytest.raises(ValueError):
        sol.chain_cost([4], "forward")


# --- more: collapse_linear, XOR, random features (5.2), (5.20) ------------------------------------

def test_collapse_linear_equals_two_keras_dense_layers(keras):
    params = random_params(15, [4, 3, 2])
    W, b = sol.collapse_linear(*params[0], *params[1])
    x = np.random.default_rng(16).standard_normal((8, 4))
    two = keras_mlp(keras, params, ["linear", "linear"])
    one = keras_mlp(keras, [(W, b)], ["linear"])
    np.testing.assert_allclose(np.asarray(one(x)), np.asarray(two(x)), rtol=1e-12, atol=1e-12)
    assert W.shape == (2, 4) and b.shape == (2,)


def test_xor_relu_net_solves_xor_which_no_affine_map_does():
    params = sol.xor_relu_net()
    assert [(np.shape(W), np.shape(b)) for W, b in params] == [((2, 2), (2,)), ((1, 2), (1,))]
    x = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    y, _ = sol.mlp_forward(x, params, ["relu", "linear"])
    np.testing.assert_allclose(y.ravel(), [0, 1, 1, 0], atol=1e-12)
    X = np.column_stack([x, np.ones(4)])
    residual = np.array([0, 1, 1, 0]) - X @ np.linalg.lstsq(X, [0, 1, 1, 0], rcond=None)[0]
    assert np.mean(residual ** 2) == pytest.approx(0.25)


def sine_units(width, seed=0):
    z = np.random.default_rng(seed).standard_normal((width, 2))
    return 3 * z[:, :1], 3 * np.pi * z[:, 1]


def test_random_features_uat_on_sine():
    x = np.linspace(-np.pi, np.pi, 400)[:, None]
    y = np.sin(x[:, 0])
    mse = []
    for width in (1, 2, 5, 10, 20, 50, 200):
        W, b = sine_units(width)  # nested: the first units are the same for every width
        u = sol.random_features_fit(x, y, W, b)
        fitted = sol.dense_forward(x, W, b, "sigmoid") @ u
        mse.append(np.mean((fitted - y) ** 2))
    assert np.all(np.diff(mse) <= 1e-12)
    assert np.max(np.abs(fitted - y)) < 1e-2


def test_erratum_uat_needs_distinct_units():
    """Erratum: Thm 5.1 must read sum_k u_k sigma(w_k^T x + b_k); with one (W, b) shared by all q
    terms, as the notes write it, the span is a single function and width does not help."""
    x = np.linspace(-np.pi, np.pi, 400)[:, None]
    y = np.sin(x[:, 0])
    W, b = sine_units(200)

    def sup_error(W, b):
        u = sol.random_features_fit(x, y, W, b)
        return np.max(np.abs(sol.dense_forward(x, W, b, "sigmoid") @ u - y))
    shared = sup_error(np.repeat(W[:1], 200, axis=0), np.repeat(b[:1], 200))
    assert sup_error(W, b) < 1e-2
    assert shared == pytest.approx(sup_error(W[:1], b[:1]), rel=1e-6) and shared > 0.5
