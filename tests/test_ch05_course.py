"""The chapter-5 reference library: Keras MLPs against the answer key, TF forward/reverse mode
against tape.jacobian and the Dual/Var classes, hand-written back-propagation against the tape,
ReLU regions, universal approximation, training and figures."""
import numpy as np
import pytest

from course import ch05_mlp_backprop as c5
from course import datasets, plots
from solutions import ch05_mlp_backprop as sol

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def tf():
    tf = pytest.importorskip("tensorflow")
    tf.config.experimental.enable_tensor_float_32_execution(False)  # float32 comparisons on GPUs too
    return tf


def random_params(seed, dims):
    rng = np.random.default_rng(seed)
    return [(rng.standard_normal((o, i)), rng.standard_normal(o)) for i, o in zip(dims, dims[1:])]


def test_sine_data():
    x, y = datasets.sine_data(n=40, noise=0.0, seed=1)
    assert x.shape == y.shape == (40,) and np.all(np.diff(x) >= 0)
    assert -np.pi <= x.min() and x.max() <= np.pi
    np.testing.assert_allclose(y, np.sin(x))
    np.testing.assert_array_equal(datasets.sine_data(seed=2)[1], datasets.sine_data(seed=2)[1])


# --- Keras MLPs in the notes' layout ------------------------------------------------------------------

@pytest.mark.parametrize("activation", ["relu", "sigmoid", "tanh", "linear"])
def test_dense_layer_equals_dense_forward(tf, activation):
    (W, b), = random_params(1, [4, 3])
    x = np.random.default_rng(2).standard_normal((5, 4))
    layer = c5.dense_layer(W, b, activation)
    np.testing.assert_allclose(np.asarray(layer(x.astype("float32"))), sol.dense_forward(x, W, b, activation),
                               rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("build", [c5.build_mlp, c5.build_mlp_functional])
def test_keras_mlps_equal_mlp_forward(tf, build):
    dims, acts = [3, 6, 4, 2], ["relu", "tanh", "linear"]
    params = random_params(3, dims)
    model = build(3, dims[1:], acts, dtype="float64")
    c5.set_params(model, params)
    for (W, b), (W2, b2) in zip(c5.get_params(model), params):
        np.testing.assert_array_equal(W, W2)
        np.testing.assert_array_equal(b, b2)
    x = np.random.default_rng(4).standard_normal((7, 3))
    out = model(x)
    y = out[-1] if isinstance(out, list) else out
    expected, _ = sol.mlp_forward(x, params, acts)
    np.testing.assert_allclose(np.asarray(y), expected, rtol=1e-12, atol=1e-12)


# --- forward and reverse mode in TF -------------------------------------------------------------------

def test_tf_jacobians_by_jvp_and_vjp_equal_tape_jacobian(tf):
    W = tf.constant(np.random.default_rng(5).standard_normal((4, 3)))

    def f(v):
        return tf.tanh(tf.linalg.matvec(W, v)) * tf.reduce_sum(v ** 2)
    x = np.array([0.2, -0.5, 0.9])
    xt = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(xt)
        y = f(xt)
    expected = tape.jacobian(y, xt).numpy()
    for J in (c5.jacobian_forward(f, x), c5.jacobian_reverse(f, x)):
        assert J.shape == (4, 3)
        np.testing.assert_allclose(J, expected, rtol=1e-12, atol=1e-14)


def test_dual_and_var_agree_with_tf_forward_and_reverse_mode(tf):
    """The guide's (5.26) through tf.autodiff.ForwardAccumulator (jvp) and GradientTape (vjp)."""
    def tf_526(v):
        s = tf.sqrt(v ** 2 + 1)
        u = tf.math.log(v + s)
        return u / v ** 2 - u ** 3 / s

    for x0 in (0.5, 1.7, 3.0, -2.0):
        value, tangent = c5.jvp(tf_526, np.array([x0]), np.array([1.0]))
        _, cotangent = c5.vjp(tf_526, np.array([x0]), np.array([1.0]))
        dual = sol.Dual(x0, 1.0)
        s = (dual ** 2 + 1).sqrt()
        u = (dual + s).log()
        out = u / dual ** 2 - u ** 3 / s
        assert out.value == pytest.approx(value[0], rel=1e-13)
        assert out.deriv == pytest.approx(tangent[0], rel=1e-12)
        assert cotangent[0] == pytest.approx(tangent[0], rel=1e-12)


def test_erratum_tf_relu_gradient_at_zero_is_zero(tf):
    """Erratum: the notes say software returns "one of the one-sided derivatives"; TF's is 0 at 0."""
    curves = c5.activation_derivatives(np.array([-1.0, 0.0, 1.0]))
    np.testing.assert_array_equal(curves["relu"][1], [0.0, 0.0, 1.0])
    values, derivs = curves["sigmoid"]
    np.testing.assert_allclose(derivs, values * (1 - values), rtol=1e-12)
    np.testing.assert_allclose(curves["tanh"][1], 1 - curves["tanh"][0] ** 2, rtol=1e-12)


# --- back-propagation --------------------------------------------------------------------------------

@pytest.mark.parametrize("acts", [["relu", "sigmoid", "linear"], ["tanh", "tanh", "sigmoid"]])
def test_backprop_by_hand_equals_tape_and_answer_key(tf, acts):
    dims = [3, 5, 4, 2]
    params = random_params(6, dims)
    model = c5.build_mlp(3, dims[1:], acts, dtype="float64")
    c5.set_params(model, params)
    rng = np.random.default_rng(7)
    x, y = rng.standard_normal((8, 3)), rng.standard_normal((8, 2))
    loss, tape_grads = c5.mse_gradients(model, x, y)
    by_hand = c5.backprop_by_hand(model, x, y)
    for g, e in zip(by_hand, tape_grads):
        np.testing.assert_allclose(g, e, rtol=1e-10, atol=1e-14)
    out, cache = sol.mlp_forward(x, params, acts)
    assert loss == pytest.approx(np.mean(np.sum((out - y) ** 2, axis=1)), rel=1e-12)
    key = sol.mlp_backward(cache, 2 * (out - y) / len(x))
    for (dW, db), kernel, bias in zip(key, tape_grads[::2], tape_grads[1::2]):
        np.testing.assert_allclose(dW.T, kernel, rtol=1e-8, atol=1e-12)  # Keras kernel = W.T
        np.testing.assert_allclose(db, bias, rtol=1e-8, atol=1e-12)


def numpy_gradient_descent(x, y, params, activations, lr, steps):
    """The answer key's float64 forward/backward pass as full-batch GD on (5.22): losses before
    each step and the final parameters."""
    losses = []
    for _ in range(steps):
        out, cache = sol.mlp_forward(x, params, activations)
        losses.append(np.mean(np.sum((out - y) ** 2, axis=1)))
        grads = sol.mlp_backward(cache, 2 * (out - y) / len(x))
        params = [(W - lr * dW, b - lr * db) for (W, b), (dW, db) in zip(params, grads)]
    return np.array(losses), params


def test_train_mlp_is_full_batch_gradient_descent_on_5_22():
    """compile/fit with SGD and the summed squared error is exactly GD on (5.22): its losses and
    final weights equal the answer key's float64 forward/backward GD from the same initial weights
    (float32 rounding apart); different seeds end at different losses (non-convex)."""
    x, y = datasets.sine_data(n=32, seed=3)
    x, y = x[:, None], np.column_stack([y, np.cos(x)])  # two outputs: the sum over outputs matters
    widths, acts = [8, 2], ["tanh", "linear"]
    finals = []
    for seed in (0, 1):
        model, losses = c5.train_mlp(x, y, widths, acts, seed=seed, steps=60, lr=0.05)
        start = [(W.astype(float), b.astype(float))
                 for W, b in c5.get_params(c5.build_mlp(1, widths, acts, seed=seed))]
        expected, params = numpy_gradient_descent(x, y, start, acts, 0.05, 60)
        assert losses.shape == (60,)
        np.testing.assert_allclose(losses, expected, rtol=1e-4)
        for (W, b), (W2, b2) in zip(c5.get_params(model), params):
            np.testing.assert_allclose(W, W2, rtol=1e-4, atol=1e-5)
            np.testing.assert_allclose(b, b2, rtol=1e-4, atol=1e-5)
        finals.append(losses[-1])
    assert abs(finals[0] - finals[1]) > 1e-3


# --- (5.26) and the cost of back-propagation ---------------------------------------------------------

def test_erratum_5_26_is_defined_for_every_nonzero_x(tf):
    """(5.26) is defined for all x != 0 (x + sqrt(x^2 + 1) > 0), negative x included: the closed-form
    derivative matches forward and reverse mode of the notes' formula at negative points too; f is
    odd (to rounding, even at -1e8 where the notes' ln(x + sqrt(x^2 + 1)) gives ln 0); x = 0 is
    outside the domain."""
    def notes_526(v):
        s = tf.sqrt(v ** 2 + 1)
        u = tf.math.log(v + s)
        return u / v ** 2 - u ** 3 / s

    for x0 in (-3.0, -2.0, -0.5, -0.1, 0.1, 0.5, 1.7, 3.0):
        value, tangent = c5.jvp(notes_526, np.array([x0]), np.array([1.0]))
        _, cotangent = c5.vjp(notes_526, np.array([x0]), np.array([1.0]))
        assert float(c5.example_526(x0)) == pytest.approx(value[0], rel=1e-12)
        assert float(c5.example_526_derivative(x0)) == pytest.approx(tangent[0], rel=1e-10)
        assert cotangent[0] == pytest.approx(tangent[0], rel=1e-12)
    x = np.geomspace(1e-3, 1e8, 23)
    np.testing.assert_allclose(c5.example_526(-x), -c5.example_526(x), rtol=1e-14)
    np.testing.assert_allclose(c5.example_526_derivative(-x), c5.example_526_derivative(x), rtol=1e-14)
    with np.errstate(divide="ignore"):
        assert np.log(-1e8 + np.sqrt(1e16 + 1)) == -np.inf  # the notes' form at -1e8
    with pytest.raises(ValueError):
        c5.example_526(0.0)


def test_erratum_backprop_costs_a_constant_factor_of_the_forward_pass(tf):
    """Counted FLOPs of the traced graphs: loss + reverse-mode gradient costs between 2 and ~3
    forward passes at every width, from 8 to 512 (1250 times the parameters); the notes say "as
    fast as evaluating the loss", a factor of 1. The forward-mode gradient (p passes) costs more
    and more forward passes as p grows."""
    d_in, n = 16, 64
    ratios, forward_mode, params = [], [], []
    for width in (8, 32, 128, 512):
        widths = [width, width, 1]
        cost = c5.gradient_cost(d_in, widths, ["relu", "relu", "linear"], n=n)
        dims = [d_in] + widths
        matmuls = 2 * n * sum(a * b for a, b in zip(dims, dims[1:]))
        assert matmuls <= cost["forward"] <= matmuls + 20 * n * sum(widths)  # + elementwise work
        assert cost["params"] == sum(a * b + b for a, b in zip(dims, dims[1:]))
        ratios.append(cost["reverse"] / cost["forward"])
        forward_mode.append(cost["params"] * cost["forward_mode_pass"] / cost["forward"])
        params.append(cost["params"])
    assert all(2.0 < r < 3.2 for r in ratios), ratios  # bounded: at most ~3 forward passes
    # forward mode: each pass costs a few forward passes, and it takes p of them
    assert np.all(np.diff(forward_mode) > 0) and forward_mode[0] > params[0]
    assert forward_mode[-1] / forward_mode[0] > 0.5 * params[-1] / params[0]


# --- deep ReLU networks and universal approximation ------------------------------------------------------

def test_relu_regions_are_affine_pieces_of_a_continuous_function(tf):
    """(5.19): constant activation pattern -> one affine map (midpoints interpolate exactly);
    across boundaries the output is continuous (the notes' "piecewise-linear" is CONTINUOUS)."""
    widths = [5, 4, 1]
    params = random_params(8, [2] + widths)
    model = c5.build_mlp(2, widths, ["relu", "relu", "linear"], dtype="float64")
    c5.set_params(model, params)
    rng = np.random.default_rng(9)
    points = rng.uniform(-2, 2, (4000, 2))
    labels = c5.relu_region_labels(model, points)
    assert labels.min() == 0 and 3 < labels.max() + 1 <= 2 ** 9

    def net(p):
        return sol.mlp_forward(p, params, ["relu", "relu", "linear"])[0][:, 0]
    first = {}
    for i, lab in enumerate(labels):
        first.setdefault(lab, i)
    b = np.arange(len(labels))[:500]
    a = np.array([first[lab] for lab in labels[b]])  # a point of the same region as b
    np.testing.assert_allclose(net((points[a] + points[b]) / 2), (net(points[a]) + net(points[b])) / 2,
                               rtol=1e-10, atol=1e-10)
    line = np.column_stack([np.linspace(-2, 2, 20001), np.full(20001, 0.3)])
    assert len(np.unique(c5.relu_region_labels(model, line))) > 1
    lipschitz = np.prod([np.linalg.norm(W, 2) for W, _ in params])
    assert np.max(np.abs(np.diff(net(line)))) <= lipschitz * 4 / 20000 + 1e-12


def test_uat_fit_distinct_units_converge_and_nest():
    x = np.linspace(-np.pi, np.pi, 400)[:, None]
    y = np.sin(x[:, 0])
    W5, _ = c5.random_units(5, 1, seed=1)
    np.testing.assert_array_equal(c5.random_units(50, 1, seed=1)[0][:5], W5)
    mse = [np.mean((c5.uat_fit(x, y, w, seed=1)(x) - y) ** 2) for w in (1, 3, 10, 30, 100, 200)]
    assert np.all(np.diff(mse) <= 1e-12)
    assert np.max(np.abs(c5.uat_fit(x, y, 200, seed=1)(x) - y)) < 1e-2


def test_make_figures_writes_pngs(tf, tmp_path):
    paths = plots.make_figures("ch05", tmp_path / "figs")
    assert [p.name for p in paths] == [f"{name}.png" for name in c5.FIGURES]
    for path in paths:
        data = path.read_bytes()
        assert data.startswith(PNG_MAGIC) and len(data) > 5000
