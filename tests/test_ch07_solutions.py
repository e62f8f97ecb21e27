"""Chapter 7 answer key against independent oracles: Keras regularizers, callbacks and normalization
layers, tf.GradientTape in float64, brute force on grids, closed forms and statistics; the grading
probes of the Keras exercises run on Keras' own classes; one test per trap of the chapter."""
import types

import numpy as np
import pytest

from autograder.chapters import ch07_regularization as spec
from autograder.hidden import ch07_regularization as hidden
from course.ch07_regularization import keras_early_stopping, random_feature_errors
from course.datasets import double_descent_data, random_relu_weights
from solutions import ch07_regularization as sol

keras = pytest.importorskip("keras")


def all_cases(exercise):
    return spec.PUBLIC_CASES[exercise] + hidden.CASES[exercise]


def test_layout(check_solution_layout):
    check_solution_layout(sol)
    modules = {v.__name__ for v in vars(sol).values() if isinstance(v, types.ModuleType)}
    assert modules == {"numpy", "keras"}


# --- penalties (7.2) --------------------------------------------------------------------------------

@pytest.mark.parametrize("lam", [0.0, 0.01, 2.5])
def test_penalties_equal_keras_regularizers(lam):
    rng = np.random.default_rng(0)
    weights = [rng.standard_normal((5, 3)), rng.standard_normal(3), rng.standard_normal((2, 2, 3, 4))]
    for mine, reg in ((sol.l1_penalty, keras.regularizers.L1), (sol.l2_penalty, keras.regularizers.L2)):
        expected = sum(float(reg(lam)(w.astype("float32"))) for w in weights)
        got = mine(weights, lam)
        assert isinstance(got, float)
        assert got == pytest.approx(expected, rel=1e-6, abs=1e-7)


def test_l2_penalty_has_no_half_and_gradient_2_lam_w(tape_grad):
    w = np.array([[1.0, -2.0], [0.5, 3.0]])
    assert sol.l2_penalty([w], 0.1) == pytest.approx(0.1 * 14.25)
    (grad,) = tape_grad(lambda v: 0.1 * sum(v[i, j] ** 2 for i in range(2) for j in range(2)), w)
    np.testing.assert_allclose(grad, 2 * 0.1 * w)


# --- projections onto norm balls (7.4) -------------------------------------------------------------

def brute_force_projection(v, r, p, step=1e-3):
    """Closest point to v among the grid points of [-r, r]^2 inside the Lp ball, and its distance."""
    t = np.arange(-r, r + step / 2, step)
    a, b = np.meshgrid(t, t, indexing="ij")
    inside = (np.abs(a) + np.abs(b) <= r) if p == 1 else (a ** 2 + b ** 2 <= r ** 2)
    dist = np.where(inside, np.hypot(a - v[0], b - v[1]), np.inf)
    i = np.unravel_index(np.argmin(dist), dist.shape)
    return np.array([a[i], b[i]]), dist[i]


@pytest.mark.parametrize("v, r", [([2.0, 0.3], 1.0), ([1.5, 1.0], 1.0), ([-0.3, 0.2], 1.0),
                                  ([0.7, -2.4], 1.5), ([-3.0, -2.9], 0.8)])
@pytest.mark.parametrize("p", [1, 2])
def test_projection_matches_brute_force_on_grid(v, r, p):
    """No feasible grid point is closer, the best one is within 1e-3 in distance, and the points
    agree (to 1e-3 at the L1 ball's corners and edges; along the L2 sphere the distance is flat to
    first order, so grid points 0.01 away along it are as close)."""
    v = np.array(v)
    project = sol.project_l1_ball if p == 1 else sol.project_l2_ball
    u = project(v, r)
    point, dist = brute_force_projection(v, r, p)
    assert np.linalg.norm(u - v) <= dist + 1e-12
    assert dist - np.linalg.norm(u - v) <= 1e-3
    np.testing.assert_allclose(u, point, atol=1e-3 if p == 1 else 1e-2)


@pytest.mark.parametrize("p", [1, 2])
def test_projection_feasible_idempotent_and_fixed_inside(p):
    project, norm = ((sol.project_l1_ball, lambda u: np.abs(u).sum()) if p == 1
                     else (sol.project_l2_ball, lambda u: np.sqrt((u ** 2).sum())))
    rng = np.random.default_rng(1)
    for _ in range(20):
        v, r = rng.standard_normal((3, 4)) * 3, rng.uniform(0.1, 3.0)
        u = project(v, r)
        assert u.shape == v.shape and norm(u) <= r * (1 + 1e-12)
        np.testing.assert_allclose(project(u, r), u, atol=1e-12)
        if norm(v) > r:
            assert norm(u) == pytest.approx(r)
        inside = v * (0.5 * r / norm(v))
        np.testing.assert_allclose(project(inside, r), inside, atol=1e-15)
    with pytest.raises(ValueError):
        project(np.ones(2), -1.0)


def test_l1_projection_is_a_soft_threshold_with_exact_zeros():
    v = np.array([5.0, 0.3, -0.2, 0.1])
    u = sol.project_l1_ball(v, 1.0)
    np.testing.assert_array_equal(u, [1.0, 0.0, 0.0, 0.0])  # the corner of the ball: sparse
    # optimality: v - u = theta sign(u) on the support, |v_i| <= theta off it
    rng = np.random.default_rng(2)
    v = rng.standard_normal(12)
    u = sol.project_l1_ball(v, 2.0)
    support = u != 0
    theta = (v - u)[support] / np.sign(u[support])
    np.testing.assert_allclose(theta, theta[0], atol=1e-12)
    assert np.all(np.abs(v[~support]) <= theta[0] + 1e-12)
    # and it is not the radial rescaling v r / ||v||_1
    assert np.linalg.norm(u - v) < np.linalg.norm(v * 2.0 / np.abs(v).sum() - v)


# --- early stopping ---------------------------------------------------------------------------------

GUIDE = [1.0, 0.8, 0.7, 0.72, 0.69, 0.71, 0.73, 0.74]


@pytest.mark.parametrize("patience, min_delta, expected", [(2, 0.0, (6, 4)), (3, 0.0, (7, 4)),
                                                           (2, 0.02, (4, 2))])
def test_early_stopping_guide_examples(patience, min_delta, expected):
    assert sol.early_stopping(GUIDE, patience, min_delta) == expected
    assert keras_early_stopping(GUIDE, patience, min_delta) == expected


def test_early_stopping_agrees_with_keras_callback():
    rng = np.random.default_rng(3)
    for trial in range(40):
        n = int(rng.integers(2, 25))
        losses = list(np.exp(-rng.uniform(0, 0.3, n).cumsum()) + rng.uniform(0, 0.2, n) * np.arange(n) / n)
        patience, min_delta = int(rng.integers(0, 5)), float(rng.choice([0.0, 0.005, 0.05]))
        assert sol.early_stopping(losses, patience, min_delta) == \
            keras_early_stopping(losses, patience, min_delta), (losses, patience, min_delta)


def test_early_stopping_patience_0_and_1_agree():
    rng = np.random.default_rng(4)
    for _ in range(20):
        losses = list(rng.uniform(0, 1, 12))
        assert sol.early_stopping(losses, 0) == sol.early_stopping(losses, 1)


def test_erratum_early_stopping_uses_patience_and_returns_best():
    # the notes' "stop when the validation loss increases" would stop at epoch 3 and keep epoch 3
    stop, best = sol.early_stopping(GUIDE, patience=2)
    assert (stop, best) == (6, 4) and GUIDE[best] == min(GUIDE[:stop + 1])
    # improvement is measured against the BEST value, not the previous epoch
    slow = [1.0 - 0.01 * e for e in range(10)]
    assert sol.early_stopping(slow, 2, min_delta=0.015) == (None, 8)


def test_my_early_stopping_probe_matches_keras_early_stopping():
    """The grader's probe gives the same result on keras.callbacks.EarlyStopping for every case,
    including the restore at train end without an early stop (Keras 3.15) and a real fit."""
    keras_module = types.SimpleNamespace(
        MyEarlyStopping=lambda **kw: keras.callbacks.EarlyStopping(mode="min", **kw))
    for case in all_cases("MyEarlyStopping"):
        keras.utils.set_random_seed(case.seed)
        got = spec.probe_my_early_stopping(sol, case.inputs)
        keras.utils.set_random_seed(case.seed)
        expected = spec.probe_my_early_stopping(keras_module, case.inputs)
        assert spec.close(1e-6, 1e-6)(got, expected, case.inputs).passed, case.name


def test_my_early_stopping_restores_best_weights_inside_fit():
    rng = np.random.default_rng(5)
    X, X_val = rng.standard_normal((32, 3)), rng.standard_normal((16, 3))
    w = np.array([1.0, -2.0, 0.5])
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
    saved = []
    record = keras.callbacks.LambdaCallback(on_epoch_end=lambda e, logs: saved.append(model.get_weights()))
    callback = sol.MyEarlyStopping(patience=3, restore_best_weights=True)
    history = model.fit(X, X @ w, validation_data=(X_val, X_val @ (0.3 * w)), epochs=30, verbose=0,
                        batch_size=32, callbacks=[record, callback])
    val = history.history["val_loss"]
    assert callback.best_epoch == int(np.argmin(val)) and callback.stopped_epoch == len(val) - 1 > 0
    for got, expected in zip(model.get_weights(), saved[callback.best_epoch]):
        np.testing.assert_array_equal(got, expected)


# --- batch normalization ----------------------------------------------------------------------------

@pytest.mark.parametrize("m, d, eps", [(6, 4, 1e-5), (16, 3, 1e-5), (4, 3, 1.0), (2, 5, 1e-3)])
def test_bn_backward_matches_gradient_tape(tape_grad, tf, m, d, eps):
    inputs = spec.bn_case(m * 10 + d, m=m, d=d, eps=eps)
    dy = inputs.pop("dy")
    y, cache = sol.bn_forward(**inputs)
    dx, dgamma, dbeta = sol.bn_backward(dy, cache)

    def loss(x, gamma, beta):
        mean, var = tf.nn.moments(x, axes=[0])
        return tf.reduce_sum(dy * (gamma * (x - mean) / tf.sqrt(var + eps) + beta))

    expected = tape_grad(loss, inputs["x"], inputs["gamma"], inputs["beta"])
    for got, exp in zip((dx, dgamma, dbeta), expected):
        np.testing.assert_allclose(got, exp, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(dx.sum(axis=0), 0, atol=1e-12)


def test_bn_forward_properties_and_keras_training_mode():
    inputs = spec.bn_case(7, m=32, d=4)
    inputs.pop("dy")
    x, gamma, beta = inputs["x"], inputs["gamma"], inputs["beta"]
    y, _ = sol.bn_forward(x, gamma, beta, eps=1e-3)
    np.testing.assert_allclose(y.mean(axis=0), beta, atol=1e-12)
    layer = keras.layers.BatchNormalization(epsilon=1e-3)
    layer.build(x.shape)
    layer.gamma.assign(gamma.astype("float32"))
    layer.beta.assign(beta.astype("float32"))
    np.testing.assert_allclose(y, keras.ops.convert_to_numpy(layer(x.astype("float32"), training=True)),
                               rtol=1e-5, atol=1e-5)
    # gamma = sqrt(var + eps), beta = mu undo the normalization: y = x
    identity, _ = sol.bn_forward(x, np.sqrt(x.var(axis=0) + 1e-5), x.mean(axis=0))
    np.testing.assert_allclose(identity, x, atol=1e-12)


def test_bn_makes_the_bias_redundant():
    """(7.11): BN(Wx + b) == BN(Wx), and the gradient reaching b (the column sums of dx) is 0."""
    rng = np.random.default_rng(8)
    wx, b = rng.standard_normal((10, 3)), rng.standard_normal(3)
    gamma, beta = rng.uniform(0.5, 2, 3), rng.standard_normal(3)
    y1, cache = sol.bn_forward(wx + b, gamma, beta)
    y2, _ = sol.bn_forward(wx, gamma, beta)
    np.testing.assert_allclose(y1, y2, atol=1e-12)
    dx, _, _ = sol.bn_backward(rng.standard_normal((10, 3)), cache)
    np.testing.assert_allclose(dx.sum(axis=0), 0, atol=1e-12)


def test_erratum_bn_standardizes_but_does_not_whiten():
    rng = np.random.default_rng(9)
    z = rng.standard_normal((5000, 2))
    x = z @ np.array([[1.0, 0.9], [0.0, 0.4]]) * [3.0, 0.5] + [1.0, -2.0]  # strongly correlated features
    y, _ = sol.bn_forward(x, np.ones(2), np.zeros(2), eps=0.0)
    cov = np.cov(y.T, bias=True)
    np.testing.assert_allclose(np.diag(cov), 1.0, atol=1e-10)  # unit variance per feature ...
    assert abs(cov[0, 1] - np.corrcoef(x.T)[0, 1]) < 1e-10 and abs(cov[0, 1]) > 0.8  # ... correlated


def keras_batchnorm_module():
    return types.SimpleNamespace(BatchNorm=lambda **kw: keras.layers.BatchNormalization(**kw))


def test_batchnorm_probe_matches_keras_batch_normalization():
    """The answer key's layer equals keras.layers.BatchNormalization(momentum, epsilon) in every graded
    output: training and inference, moving statistics, defaults, NHWC, inside a model (1e-5)."""
    for case in all_cases("BatchNorm"):
        got = spec.probe_batchnorm(sol, case.inputs)
        expected = spec.probe_batchnorm(keras_batchnorm_module(), case.inputs)
        verdict = spec.check_batchnorm(got, expected, case.inputs)
        assert verdict.passed, (case.name, verdict.message)


class UnbiasedMovingVariance(sol.BatchNorm):
    """PyTorch's choice: the moving variance averages the UNBIASED batch variance."""

    def call(self, x, training=False):
        if not training:
            return super().call(x, training)
        m = int(np.prod(x.shape[:-1]))
        var = keras.ops.var(x, axis=tuple(range(len(x.shape) - 1)))
        before = self.moving_variance.numpy()
        out = super().call(x, training)
        self.moving_variance.assign(self.momentum * before + (1 - self.momentum) * var * m / (m - 1))
        return out


class SwappedMomentum(sol.BatchNorm):
    """PyTorch's momentum convention: moving = (1 - momentum) moving + momentum batch."""

    def __init__(self, momentum=0.99, epsilon=1e-3, **kwargs):
        super().__init__(1 - momentum, epsilon, **kwargs)

    def get_config(self):
        return {**super().get_config(), "momentum": 1 - self.momentum}


@pytest.mark.parametrize("wrong, case_name", [(UnbiasedMovingVariance, "small_batch_biased_variance"),
                                              (SwappedMomentum, "dense_momentum_09")])
def test_batchnorm_hidden_cases_catch_the_conventions(wrong, case_name):
    (case,) = [c for c in hidden.CASES["BatchNorm"] if c.name == case_name]
    expected = spec.probe_batchnorm(sol, case.inputs)
    got = spec.probe_batchnorm(types.SimpleNamespace(BatchNorm=wrong), case.inputs)
    verdict = spec.check_batchnorm(got, expected, case.inputs)
    assert not verdict.passed and "moving" in verdict.message


# --- normalization variants (Fig. 7.13) -------------------------------------------------------------

@pytest.mark.parametrize("mode, groups", [("layer", None), ("instance", None), ("group", 1), ("group", 3),
                                          ("group", 6)])
def test_normalize_equals_keras_group_normalization(mode, groups):
    x = spec.images(10, (3, 4, 5, 6))
    keras_groups = {"layer": 1, "instance": 6}.get(mode, groups)
    layer = keras.layers.GroupNormalization(groups=keras_groups, epsilon=1e-5)
    expected = keras.ops.convert_to_numpy(layer(x.astype("float32")))
    np.testing.assert_allclose(sol.normalize(x, mode, groups), expected, rtol=1e-5, atol=1e-5)


def test_normalize_batch_equals_keras_batchnorm_training():
    x = spec.images(11, (5, 3, 3, 4))
    expected = keras.layers.BatchNormalization(epsilon=1e-5)(x.astype("float32"), training=True)
    np.testing.assert_allclose(sol.normalize(x, "batch"), keras.ops.convert_to_numpy(expected),
                               rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("mode, groups", [("batch", None), ("layer", None), ("instance", None), ("group", 2)])
def test_only_batch_mode_mixes_samples(mode, groups):
    x = spec.images(12, (4, 3, 3, 6))
    changed = x.copy()
    changed[2] = changed[2] * 3 + 1
    moved = np.abs(sol.normalize(changed, mode, groups) - sol.normalize(x, mode, groups)).max(axis=(1, 2, 3))
    assert (moved[[0, 1, 3]] > 1e-3).all() if mode == "batch" else (moved[[0, 1, 3]] < 1e-12).all()


def test_erratum_layer_norm_is_over_h_w_c_not_keras_default_axis():
    x = spec.images(13, (2, 3, 4, 5)).astype("float32")
    ours = sol.normalize(x, "layer")
    all_axes = keras.layers.LayerNormalization(axis=(1, 2, 3), epsilon=1e-5)(x)
    default = keras.layers.LayerNormalization(epsilon=1e-5)(x)  # axis=-1 only
    np.testing.assert_allclose(ours, keras.ops.convert_to_numpy(all_axes), rtol=1e-4, atol=1e-4)
    assert np.abs(ours - keras.ops.convert_to_numpy(default)).max() > 0.1


@pytest.mark.parametrize("mode, groups", [("group", None), ("group", 4), ("weight", None)])
def test_normalize_rejects_bad_arguments(mode, groups):
    with pytest.raises(ValueError):
        sol.normalize(spec.images(14), mode, groups)


# --- dropout ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("p", [0.2, 0.5, 0.8])
def test_dropout_statistics_on_a_million_elements(p):
    x = spec.dropout_input((1000, 1000), 15)
    y = sol.dropout_forward(x, p, np.random.default_rng(16))
    kept = y != 0
    assert abs(kept.mean() - p) <= 5 * np.sqrt(p * (1 - p) / x.size)
    np.testing.assert_array_equal(y[kept], x[kept] / p)
    assert abs(y.mean() - x.mean()) <= 5 * np.sqrt(np.sum(x ** 2) * (1 - p) / p) / x.size
    np.testing.assert_array_equal(sol.dropout_forward(x, p, np.random.default_rng(16)), y)
    np.testing.assert_array_equal(sol.dropout_forward(x, p, np.random.default_rng(16), training=False), x)


def test_erratum_keep_probability_vs_keras_rate():
    """The notes' p keeps; Keras' Dropout(rate) drops: dropout_forward(p) ~ keras Dropout(1 - p)."""
    x = np.ones((1000, 1000), dtype="float32")
    p = 0.8  # "20% of the input units" dropped
    ours = sol.dropout_forward(x, p, np.random.default_rng(17))
    keras.utils.set_random_seed(0)
    theirs = keras.ops.convert_to_numpy(keras.layers.Dropout(rate=1 - p)(x, training=True))
    tol = 5 * np.sqrt(p * (1 - p) / x.size)
    assert abs(np.mean(ours == 0) - 0.2) < tol and abs(np.mean(theirs == 0) - 0.2) < tol
    np.testing.assert_allclose(np.unique(theirs), [0.0, 1 / p], rtol=1e-6)
    np.testing.assert_allclose(np.unique(ours), [0.0, 1 / p], rtol=1e-15)


def wrong_dropout(kind):
    def dropout_forward(x, keep_prob, rng, training=True):
        x = np.asarray(x, dtype=float)
        if not training:
            return x
        if kind == "drop_prob":
            return np.where(rng.random(x.shape) < 1 - keep_prob, x / keep_prob, 0.0)
        if kind == "not_inverted":
            return np.where(rng.random(x.shape) < keep_prob, x, 0.0)
        if kind == "one_mask_per_column":
            return np.where(rng.random(x.shape[-1]) < keep_prob, x / keep_prob, 0.0)
        if kind == "global_rng":
            return np.where(np.random.random(x.shape) < keep_prob, x / keep_prob, 0.0)
        raise AssertionError(kind)
    return types.SimpleNamespace(dropout_forward=dropout_forward)


@pytest.mark.parametrize("kind", ["drop_prob", "not_inverted", "one_mask_per_column", "global_rng"])
def test_dropout_check_rejects_wrong_implementations(kind):
    (case,) = [c for c in hidden.CASES["dropout_forward"] if c.name == "keep_08_is_drop_rate_02"]
    expected = spec.probe_dropout(sol, case.inputs)
    assert spec.check_dropout(expected, expected, case.inputs).passed
    got = spec.probe_dropout(wrong_dropout(kind), case.inputs)
    assert not spec.check_dropout(got, expected, case.inputs).passed


# --- FrobeniusBall ----------------------------------------------------------------------------------

def test_frobenius_ball_is_the_l2_projection_not_maxnorm():
    rng = np.random.default_rng(18)
    constraint = sol.FrobeniusBall(1.0)
    for w in (rng.standard_normal((4, 3)), rng.standard_normal((2, 2, 3, 4)),
              0.05 * rng.standard_normal((3, 3)), np.zeros((2, 2))):
        got = keras.ops.convert_to_numpy(constraint(keras.ops.convert_to_tensor(w.astype("float32"))))
        np.testing.assert_allclose(got, sol.project_l2_ball(w, 1.0), rtol=1e-5, atol=1e-6)
    # every column has norm < 1 (MaxNorm leaves it alone), but the Frobenius norm is 1.6
    w = np.full((4, 4), 0.4, dtype="float32")
    maxnorm = keras.ops.convert_to_numpy(keras.constraints.MaxNorm(1.0)(w))
    ours = keras.ops.convert_to_numpy(constraint(w))
    np.testing.assert_allclose(maxnorm, w, rtol=1e-6)
    assert np.linalg.norm(ours) == pytest.approx(1.0, rel=1e-6)
    assert isinstance(constraint, keras.constraints.Constraint)
    assert sol.FrobeniusBall.from_config(constraint.get_config()).c == 1.0


def test_erratum_maxnorm_set_contains_the_frobenius_ball():
    """MaxNorm(c)'s set (every column of norm <= c) is the LARGER one: whatever FrobeniusBall(c)
    returns, MaxNorm(c) leaves as it is, while a matrix of k columns each of norm c satisfies
    MaxNorm with Frobenius norm c sqrt(k) and FrobeniusBall moves it (the docstring said smaller)."""
    rng = np.random.default_rng(21)
    c, maxnorm, ball = 1.5, keras.constraints.MaxNorm(1.5), sol.FrobeniusBall(1.5)
    for _ in range(20):
        w = (rng.standard_normal((5, 4)) * rng.uniform(0.1, 3.0)).astype("float32")
        inside = keras.ops.convert_to_numpy(ball(w))
        np.testing.assert_allclose(keras.ops.convert_to_numpy(maxnorm(inside)), inside, rtol=1e-5, atol=1e-6)
    columns = rng.standard_normal((5, 4))
    columns = (columns * c / np.linalg.norm(columns, axis=0)).astype("float32")
    np.testing.assert_allclose(keras.ops.convert_to_numpy(maxnorm(columns)), columns, rtol=1e-5)
    assert np.linalg.norm(columns) == pytest.approx(c * 2, rel=1e-6)  # c sqrt(4)
    assert np.linalg.norm(keras.ops.convert_to_numpy(ball(columns))) == pytest.approx(c, rel=1e-6)
    doc = " ".join(sol.FrobeniusBall.__doc__.lower().split())
    assert "larger set" in doc and "smaller" not in doc


def test_frobenius_check_rejects_maxnorm():
    maxnorm_module = types.SimpleNamespace(FrobeniusBall=lambda c: keras.constraints.MaxNorm(c))
    (case,) = [c for c in hidden.CASES["FrobeniusBall"] if c.name == "not_maxnorm"]
    expected = spec.probe_frobenius(sol, case.inputs)
    got = spec.probe_frobenius(maxnorm_module, case.inputs)
    assert not spec.check_frobenius(got, expected, case.inputs).passed


def test_frobenius_ball_bounds_a_trained_kernel():
    case = [c for c in hidden.CASES["FrobeniusBall"] if c.name == "dense_training"][0]
    keras.utils.set_random_seed(case.seed)
    out = spec.probe_frobenius(sol, case.inputs)
    assert np.linalg.norm(out["trained_kernel"]) == pytest.approx(case.inputs["c"], rel=1e-5)  # on the sphere


# --- early stopping ~ L2 on a quadratic -------------------------------------------------------------

def test_gd_quadratic_closed_form_and_ridge_solution():
    H, w_star = spec.psd_matrix(19, d=5), np.random.default_rng(20).standard_normal(5)
    lam, Q = np.linalg.eigh(H)
    for alpha, tau in ((0.5, 0), (0.8, 7), (1.0, 300)):
        expected = Q @ np.diag(1 - (1 - alpha * lam) ** tau) @ Q.T @ w_star
        np.testing.assert_allclose(sol.gd_quadratic(H, w_star, alpha, tau), expected, atol=1e-12)
    for penalty in (0.0, 0.1, 3.0):
        w = sol.ridge_solution(H, w_star, penalty)
        np.testing.assert_allclose(H @ (w - w_star) + penalty * w, 0, atol=1e-12)  # stationary point


def test_early_stopping_matches_ridge_to_first_order():
    """For lam = 1/(alpha tau): the filters agree to first order in alpha*lambda*tau (when small)."""
    d = 6
    eigenvalues = np.geomspace(1e-5, 1e-3, d)
    H, w_star = spec.psd_matrix(21, d=d, eigenvalues=eigenvalues), np.ones(d)
    alpha, tau = 1.0, 50  # alpha lambda tau <= 0.05
    gd = sol.gd_quadratic(H, w_star, alpha, tau)
    ridge = sol.ridge_solution(H, w_star, 1 / (alpha * tau))
    x = alpha * eigenvalues * tau
    np.testing.assert_allclose(gd, ridge, atol=2 * np.linalg.norm(x ** 2))
    # and both recover w* where alpha lambda tau >> 1
    H = spec.psd_matrix(22, d=3, eigenvalues=[0.5, 0.8, 1.0])
    np.testing.assert_allclose(sol.gd_quadratic(H, np.ones(3), 1.0, 200), np.ones(3), atol=1e-12)
    np.testing.assert_allclose(sol.ridge_solution(H, np.ones(3), 1 / 200), np.ones(3), atol=2e-2)


# --- double descent ---------------------------------------------------------------------------------

def test_double_descent_curve_matches_pseudo_inverse_and_peaks_at_threshold():
    n, widths = 40, [5, 10, 20, 40, 80, 400]
    X, y, X_test, y_test = double_descent_data(n=n, d=5, n_test=300, seed=23)
    W = random_relu_weights(5, 400, seed=24)
    train, test = sol.double_descent_curve(X, y, X_test, y_test, widths, W)
    ref_train, ref_test = random_feature_errors(X, y, X_test, y_test, W, widths)
    pinv = [np.mean((np.maximum(X_test @ W[:, :p], 0) @ np.linalg.pinv(np.maximum(X @ W[:, :p], 0)) @ y
                     - y_test) ** 2) for p in widths]
    np.testing.assert_allclose(test, pinv, rtol=1e-7)
    np.testing.assert_allclose(train, ref_train, rtol=1e-7, atol=1e-20)
    np.testing.assert_allclose(test, ref_test, rtol=1e-7)
    assert np.all(train[widths.index(n):] < 1e-20)
    assert test[widths.index(n)] > 5 * max(test[widths.index(10)], test[-1])
