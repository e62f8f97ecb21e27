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


def test_train_mlp_lowers_loss_and_depends_on_the_seed(tf):
    x, y = datasets.sine_data(n=32, seed=3)
    runs = [c5.train_mlp(x[:, None], y[:, None], [8, 1], ["tanh", "linear"], seed=s, steps=60, lr=0.05)[1]
            for s in (0, 1)]
    for losses in runs:
        assert losses.shape == (60,) and losses[-1] < 0.5 * losses[0]
    assert abs(runs[0][-1] - runs[1][-1]) > 1e-4


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
