"""The data behind the figures of chapters 1-7, each against an oracle (numpy, scipy, Keras layers,
tf.GradientTape, closed forms) or a property that can fail; the figure registry and its CLI."""
import math

import numpy as np
import pytest

from course import ch01_data as c1
from course import ch02_linear_regression as c2
from course import ch03_nonlinear_models as c3
from course import ch06_cnn as c6
from course import ch07_regularization as c7
from course import datasets, diagrams, plots

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


# --- chapter 1 ------------------------------------------------------------------------------------

def test_parametric_line_with_t_equal_x_is_the_function():
    """Fig 1.4: with t = x the 4 weights of (1.2) are (1, slope), (0, intercept) of (1.1)."""
    x, y = datasets.linear_data(n=30, seed=3)
    a, b, _ = c1.fit_line_parametric(np.column_stack([x, y]), t=x)
    slope, intercept = np.polyfit(x, y, 1)
    np.testing.assert_allclose(a, [1.0, slope], atol=1e-10)
    np.testing.assert_allclose(b, [0.0, intercept], atol=1e-10)


def test_parametric_line_recovers_a_vertical_line():
    t = np.linspace(-2, 2, 9)
    P = np.column_stack([np.full(9, 2.0), 3 * t])
    a, b, t_fit = c1.fit_line_parametric(P)
    np.testing.assert_allclose(a[:, None] * t_fit + b[:, None], P.T, atol=1e-12)
    assert abs(a[0]) < 1e-12 and abs(a[1]) == pytest.approx(1.0)


def test_sheet_embeddings_are_isometric_but_not_congruent():
    """Fig 1.9: grid edges keep their lengths, so lengths along the sheet agree (scipy's Dijkstra)
    and equal the flat sheet's Manhattan distances; straight-line distances do not agree."""
    sheets = c1.sheet_embeddings(nu=25, nv=6)
    paths = {name: c1.grid_path_lengths(P) for name, P in sheets.items()}
    flat = sheets["flat"]
    manhattan = np.abs(flat[..., 0] - flat[0, 0, 0]) + np.abs(flat[..., 1] - flat[0, 0, 1])
    for name, P in sheets.items():
        for axis in (0, 1):
            np.testing.assert_allclose(np.linalg.norm(np.diff(P, axis=axis), axis=-1),
                                       np.linalg.norm(np.diff(flat, axis=axis), axis=-1), atol=1e-12)
        np.testing.assert_allclose(paths[name], manhattan, atol=1e-9)
    corner = [np.linalg.norm(P[-1, -1] - P[0, 0]) for P in sheets.values()]
    assert max(corner) - min(corner) > 1.0


def test_lambertian_images_lie_in_a_three_dimensional_subspace():
    """Fig 1.10: without shadows an image is linear in the light vector, so any number of images
    has rank 3 (3 latent numbers); the max(0, .) of attached shadows breaks that."""
    normals = c1.surface_normals(c1.face_heights(32))
    np.testing.assert_allclose(np.linalg.norm(normals, axis=-1), 1.0, atol=1e-12)
    np.testing.assert_allclose(c1.surface_normals(np.zeros((5, 5))), np.broadcast_to([0, 0, 1.0], (5, 5, 3)))
    lights = np.random.default_rng(0).standard_normal((40, 3))
    images = c1.relight(normals, lights, shadows=False).reshape(40, -1)
    s = np.linalg.svd(images, compute_uv=False)
    assert s[3] / s[0] < 1e-12 and s[2] / s[0] > 1e-2
    np.testing.assert_allclose(c1.relight(normals, lights[:1] + lights[1:2], shadows=False)[0],
                               images[0].reshape(32, 32) + images[1].reshape(32, 32), atol=1e-12)
    shadowed = np.linalg.svd(c1.relight(normals, lights).reshape(40, -1), compute_uv=False)
    assert shadowed[3] / shadowed[0] > 1e-3


def test_sphere_chart_keeps_distances_from_its_centre_and_is_locally_flat():
    """Fig 1.13: the log chart maps great-circle distances from the centre exactly; the error on
    other distances shrinks like radius^2."""
    P = c1.sphere_patch(1.0, 50, center=(0.0, 0.6, 0.8), seed=2)
    np.testing.assert_allclose(np.linalg.norm(P, axis=1), 1.0, atol=1e-12)
    chart = c1.sphere_log_chart(P, (0.0, 0.6, 0.8))
    np.testing.assert_allclose(np.linalg.norm(chart, axis=1), np.arccos(P @ [0.0, 0.6, 0.8]), atol=1e-12)
    errors = [c1.chart_distortion(r) for r in (0.4, 0.2, 0.1)]
    assert 3.0 < errors[0] / errors[1] < 5.0 and 3.0 < errors[1] / errors[2] < 5.0 and errors[2] < 1e-2


# --- chapters 2 and 3 -------------------------------------------------------------------------------

def test_block_network_graph_is_the_keras_model():
    """Fig 2.1: the drawn graph's kernels composed in numpy give the model's output, and its
    parameter counts add up to count_params()."""
    model = c2.block_network()
    graph = diagrams.dense_graph(model)
    assert graph["sizes"] == [2, 4, 3, 1] and sum(graph["params"]) == model.count_params() == 31
    biases = [layer.get_weights()[1] for layer in model.layers]
    x = np.random.default_rng(0).standard_normal((7, 2)).astype("float32")
    h = x
    for k, (kernel, bias) in enumerate(zip(graph["kernels"], biases)):
        h = h @ kernel + bias
        h = np.maximum(h, 0) if k < 2 else h
    np.testing.assert_allclose(np.asarray(model(x)), h, rtol=1e-5, atol=1e-6)


def test_training_trace_is_gradient_descent_on_the_mse():
    """Fig 2.3: loss[k] is the MSE at theta[k], and theta[k + 1] = theta[k] - lr grad MSE(theta[k])."""
    x, y = datasets.linear_data(n=40, seed=2)
    lr = 0.1
    trace = c2.training_trace(x, y, lr=lr, epochs=30)
    theta = trace["theta"]
    residual = theta[:-1, :1] * x + theta[:-1, 1:] - y  # (epochs, n)
    np.testing.assert_allclose(trace["loss"], np.mean(residual ** 2, axis=1), rtol=1e-5)
    grad = 2 * np.column_stack([np.mean(residual * x, axis=1), np.mean(residual, axis=1)])
    np.testing.assert_allclose(theta[1:], theta[:-1] - lr * grad, atol=1e-5)


def test_more_data_confutes_the_line():
    """Fig 3.1: a line explains sin on [0, 0.5] to the noise level, not on [0, 3]."""
    data = c3.more_data_example()
    for name in ("few", "many"):
        x, y, line, rms = data[name]
        slope, intercept = np.polyfit(x, y, 1)
        assert line == pytest.approx((slope, intercept), abs=1e-10)
        assert rms == pytest.approx(np.sqrt(np.mean((y - slope * x - intercept) ** 2)), rel=1e-10)
    assert data["few"][3] < 0.02 < 0.1 < data["many"][3]


# --- chapter 6 ------------------------------------------------------------------------------------

def _window(n, k, s, padding):
    """Closed form of the windows: output i reads positions [start_i, start_i + k) of the padded axis."""
    if padding == "same":
        total = max((math.ceil(n / s) - 1) * s + k - n, 0)
        before, n_out, size = total // 2, math.ceil(n / s), n
        starts = np.arange(n_out) * s - before
    else:
        p = 0 if padding == "valid" else (k - 1 if padding == "full" else padding)
        size = n + 2 * p
        n_out = (size - k) // s + 1
        starts = np.arange(n_out) * s
    q = np.arange(size)
    return (q[None, :] >= starts[:, None]) & (q[None, :] < starts[:, None] + k)


@pytest.mark.parametrize("n, k, s, padding", [(7, 3, 1, "valid"), (8, 3, 2, "valid"), (8, 3, 2, "same"),
                                               (7, 2, 2, "same"), (5, 3, 1, "full"), (5, 3, 2, 1)])
def test_dependency_matrix_matches_the_window_formula(n, k, s, padding):
    for kind in ("conv", "pool"):
        D, _ = c6.dependency_matrix(n, k, s, padding, kind)
        np.testing.assert_array_equal(D, _window(n, k, s, padding))


def test_receptive_fields_equal_the_support_of_the_gradient(tf):
    """Fig 6.7: fields composed from the layers' index maps equal the pixels where d unit / d input
    is nonzero in a copy of make_cnn with all-ones kernels, linear units and average pooling (every
    path then adds a positive amount); interior sides follow r_l = r_{l-1} + (k_l - 1) J_{l-1}."""
    import keras

    model = c6.make_cnn(input_shape=(20, 20, 1))
    fields = c6.receptive_fields(model)
    sides = [int(D.sum(axis=1).max()) for _, D in fields]
    assert sides == [3, 5, 6, 10, 12]
    layers = []
    for layer in model.layers[:5]:
        config = layer.get_config()
        if isinstance(layer, keras.layers.Conv2D):
            layers.append(keras.layers.Conv2D(1, config["kernel_size"], padding=config["padding"],
                                              kernel_initializer="ones", use_bias=False))
        else:
            layers.append(keras.layers.AveragePooling2D(config["pool_size"], padding=config["padding"]))
    x = tf.Variable(tf.ones((1, 20, 20, 1)))
    for depth, (name, D) in enumerate(fields):
        for i, j in ((0, 0), (len(D) // 2, len(D) - 1)):
            with tf.GradientTape() as tape:
                h = x
                for layer in layers[:depth + 1]:
                    h = layer(h)
                unit = h[0, i, j, 0]
            support = tape.gradient(unit, x).numpy()[0, :, :, 0] != 0
            np.testing.assert_array_equal(support, c6.field_mask(D, i, j), err_msg=f"{name} ({i}, {j})")


@pytest.mark.parametrize("stride", [1, 2])
def test_sliding_windows_produce_the_convolution(stride):
    """Fig 6.12: output (i, j) of keras.ops.conv is the sum of the window rows[i] x cols[j] times
    the kernel (cross-correlation)."""
    rng = np.random.default_rng(0)
    image, kernel = rng.standard_normal((7, 6)), rng.standard_normal((3, 3))
    out, rows, cols = c6.sliding_window(image, kernel, stride)
    assert out.shape == ((7 - 3) // stride + 1, (6 - 3) // stride + 1)
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            window = image[np.ix_(np.flatnonzero(rows[i]), np.flatnonzero(cols[j]))]
            assert out[i, j] == pytest.approx(np.sum(window * kernel), abs=1e-5)


def test_conv1d_steps_equal_np_convolve():
    f, g = np.array([1.0, 2.0, 3.0, 2.0, 1.0]), np.array([1.0, 0.5, -0.5])
    steps = c6.conv1d_steps(f, g)
    np.testing.assert_allclose(steps["y"], np.convolve(f, g), atol=1e-12)
    np.testing.assert_allclose(steps["reversed"][2], [g[2], g[1], g[0], 0, 0])


@pytest.mark.parametrize("stride", [1, 2])
def test_conv_matrix_shares_the_kernel_along_diagonals(stride):
    """Fig 6.15: the Conv1D layer's matrix holds kernel[a] at (i, i stride + a) and zeros elsewhere."""
    kernel, n = np.array([1.0, 2.0, 3.0]), 9
    M = c6.conv_matrix(kernel, n, stride)
    expected = np.zeros(((n - 3) // stride + 1, n))
    for i in range(len(expected)):
        expected[i, i * stride:i * stride + 3] = kernel
    np.testing.assert_allclose(M, expected, atol=1e-6)


def test_autocorrelation_matches_a_direct_sum():
    """Fig 6.2: R[d] = sum_x z(x) z(x + d) / sum z^2 of the mean-removed image, zeros outside."""
    z = np.random.default_rng(1).uniform(size=(9, 7))
    R = c6.autocorrelation(z, 3)
    z = z - z.mean()
    for dy in range(-3, 4):
        for dx in range(-3, 4):
            shifted = np.zeros_like(z)
            src = z[max(dy, 0):z.shape[0] + min(dy, 0), max(dx, 0):z.shape[1] + min(dx, 0)]
            shifted[max(-dy, 0):max(-dy, 0) + src.shape[0], max(-dx, 0):max(-dx, 0) + src.shape[1]] = src
            assert R[dy + 3, dx + 3] == pytest.approx(np.sum(z * shifted) / np.sum(z * z), abs=1e-12)


def test_self_similarity_fills_a_periodic_texture_exactly():
    """Fig 6.3: on a texture of period (6, 9) the copied block is the hidden one, one period away."""
    tiles = np.tile(np.random.default_rng(1).uniform(size=(6, 9)), (10, 7))
    filled, (r, c) = c6.fill_from_self_similarity(tiles, 25, 30, 10)
    np.testing.assert_allclose(filled, tiles, atol=1e-12)
    assert (r - 25) % 6 == 0 and (c - 30) % 9 == 0 and (r, c) != (25, 30)


def test_layer_table_matches_the_model(tf):
    """Figs 6.14, 6.17, 6.18: the drawn shapes are the layers' outputs on a real batch, and the
    parameter counts add up to count_params()."""
    import keras

    for model in (c6.make_cnn(), c6.conv_pool_stack(), c6.conv_stack(3)):
        table = diagrams.layer_table(model)
        assert table[0]["shape"] == tuple(model.inputs[0].shape[1:])
        assert sum(row["params"] for row in table) == model.count_params()
        probe = keras.Model(model.inputs[0], [layer.output for layer in model.layers])
        outputs = probe(np.zeros((2, *table[0]["shape"]), dtype="float32"))
        assert [tuple(o.shape[1:]) for o in outputs] == [row["shape"] for row in table[1:]]
    shapes = [row["shape"] for row in diagrams.layer_table(c6.conv_pool_stack())]
    assert shapes == [(32, 32, 1), (32, 32, 8), (16, 16, 8), (16, 16, 16), (8, 8, 16), (8, 8, 32), (4, 4, 32)]


def test_deform_and_occlude():
    x = datasets.digits()[2][:20]
    np.testing.assert_array_equal(c6.deform_and_occlude(x, 0.0, 0), x)
    occluded = c6.deform_and_occlude(x, 0.0, 3, seed=4)
    zero_rows = np.all(occluded[..., 0] == 0, axis=2) & ~np.all(x[..., 0] == 0, axis=2)
    assert np.all(zero_rows.sum(axis=1) <= 3) and np.all((occluded == x) | (occluded == 0))
    warped = c6.deform_and_occlude(x, 1.0, 0, seed=4)
    assert 0.01 < np.abs(warped - x).mean() < 0.2


def test_robustness_grid_against_a_direct_count():
    """Fig 6.6: the grid's clean cell is the classifier's plain accuracy; hiding every row leaves
    one constant image, hence one predicted class."""
    x_train, y_train, x_test, y_test = datasets.digits()
    centres = np.stack([x_train[y_train == c].mean(axis=0) for c in range(10)])

    def predict(x):
        return -np.sum((x[:, None] - centres[None]) ** 2, axis=(2, 3, 4))

    grid = c6.robustness_grid(predict, x_test, y_test, (0.0, 1.0), (0, 8))
    assert grid[0, 0] == pytest.approx(np.mean(np.argmax(predict(x_test), axis=1) == y_test))
    assert grid[0, 0] > 0.85 and grid[1, 0] < grid[0, 0]
    assert grid[0, 1] == pytest.approx(np.mean(y_test == np.argmax(predict(np.zeros_like(x_test[:1])))))


def test_top_activations_are_the_largest(tf):
    """Fig 6.19: the returned units are the k largest of a brute-force pass, with their fields."""
    import keras

    keras.utils.set_random_seed(0)
    model = c6.make_cnn()
    x = datasets.digits()[2][:40]
    name = model.layers[3].name
    top = c6.top_activations(model, x, name, channel=2, k=3)
    maps = keras.Model(model.inputs[0], model.get_layer(name).output)(x).numpy()[..., 2]
    np.testing.assert_allclose([t[3] for t in top], np.sort(maps.ravel())[::-1][:3], rtol=1e-6)
    for index, i, j, value, mask in top:
        assert maps[index, i, j] == pytest.approx(value)
        assert mask.shape == (8, 8) and mask[2 * i, 2 * j] and mask.sum() >= 16


# --- chapter 7 ------------------------------------------------------------------------------------

def test_validation_curves_by_size_are_the_single_curves(tf):
    """Fig 7.4: each size's curves are validation_curve's for that hidden layer (same seed)."""
    curves = c7.validation_curves_by_size((4, 16), epochs=2, n_train=32)
    single = c7.validation_curve(n_train=32, epochs=2, hidden=(16, 16))
    np.testing.assert_allclose(curves[16]["val_loss"], single["val_loss"], rtol=1e-5)
    assert set(curves) == {4, 16} and all(len(c["train_loss"]) == 2 for c in curves.values())


def test_regional_training_errors_are_per_region():
    """Figs 7.6-7.8: the per-region errors are those of the recorded predictions against the target."""
    data = c7.regional_training(hidden=8, steps=40, record_every=20, n=16)
    assert data["steps"].tolist() == [0, 20, 40] and data["predictions"].shape == (3, 400)
    error = (data["predictions"] - c7.regional_function(data["grid"])) ** 2
    low = data["grid"] < np.pi
    np.testing.assert_allclose(data["low"], error[:, low].mean(axis=1))
    np.testing.assert_allclose(data["high"], error[:, ~low].mean(axis=1))


def test_mlp_1d_snapshots_are_full_batch_steps(tf):
    """The repeated-data trick: 3 snapshots of 4 steps are the same as 12 epochs of full-batch fit."""
    import keras

    x, y = c7.regional_data(n=12, seed=1)
    grid = np.linspace(0, 6, 5)
    counts, predictions = c7.mlp_1d_snapshots(x, y, grid, hidden=5, steps=12, record_every=4, seed=3)
    assert counts.tolist() == [0, 4, 8, 12]
    keras.utils.set_random_seed(3)
    model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(5, activation="tanh"), keras.layers.Dense(1)])
    np.testing.assert_allclose(np.asarray(model(grid[:, None].astype("float32")))[:, 0], predictions[0], atol=1e-6)
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse")
    model.fit(x[:, None], y, batch_size=len(x), epochs=12, shuffle=False, verbose=0)
    np.testing.assert_allclose(np.asarray(model(grid[:, None].astype("float32")))[:, 0], predictions[-1],
                               atol=1e-5)


def test_more_parameters_fits_polynomials_and_mlps(tf):
    """Fig 7.5: the polynomials are numpy's least squares; the widest MLP beats the degree-16
    polynomial on the test grid."""
    data = c7.more_parameters_fits(hidden=(100,), degrees=(2, 16), steps=600)
    u = data["x"] / np.pi - 1
    fit = np.polynomial.Polynomial.fit(u, data["y"], 2)
    np.testing.assert_allclose(data["poly"][2], fit(data["grid"] / np.pi - 1), atol=1e-8)
    test_mse = {k: np.mean((v - data["truth"]) ** 2) for k, v in {**data["poly"], **data["mlp"]}.items()}
    assert test_mse[100] < 0.1 < test_mse[16]


def test_regional_function_and_errors():
    assert c7.regional_function(np.pi - 1e-12) == pytest.approx(c7.regional_function(np.pi), abs=1e-9)
    x, y = c7.regional_data(n=200, noise=0.0, seed=5)
    np.testing.assert_allclose(y, np.where(x < np.pi, -np.cos(x), np.cos(3 * x - 3 * np.pi)), atol=1e-12)


def test_capacity_curve_is_a_u_below_the_threshold():
    """Fig 7.9: nested features make the training error non-increasing in p; the test error's
    minimum lies strictly inside the range."""
    widths = np.array([2, 5, 10, 20, 40, 70, 90])
    train, test, sweet = c7.capacity_curve(widths, n_test=200, seeds=range(3))
    assert np.all(np.diff(train) <= 1e-12)
    assert widths[0] < sweet < widths[-1] and test[-1] > 2 * test.min()
    with pytest.raises(ValueError):
        c7.capacity_curve([10, 100])


def test_gd_closed_form_equals_iterated_gradient_descent():
    """Fig 7.11: the SVD formula of the GD iterate against plain numpy GD steps, and its limit
    against the minimum-norm least squares of the double-descent experiment."""
    widths, n, d = (20, 60), 30, 5
    times = np.array([0, 1, 7, 40])
    train, test = c7.gd_random_features(widths, times, n=n, d=d, n_test=50, seed=2)
    X, y, X_test, y_test = datasets.double_descent_data(n=n, d=d, n_test=50, seed=2)
    W = datasets.random_relu_weights(d, max(widths), seed=1002)
    alpha = 1 / max(np.linalg.norm(np.maximum(X @ W[:, :p], 0), 2) ** 2 for p in widths)
    for row, p in enumerate(widths):
        F, F_test = np.maximum(X @ W[:, :p], 0), np.maximum(X_test @ W[:, :p], 0)
        c = np.zeros(p)
        for column, t in enumerate(range(41)):
            if t in times:
                k = list(times).index(t)
                assert train[row, k] == pytest.approx(np.mean((F @ c - y) ** 2), rel=1e-9)
                assert test[row, k] == pytest.approx(np.mean((F_test @ c - y_test) ** 2), rel=1e-9)
            c = c - alpha * F.T @ (F @ c - y)
    limit = c7.gd_random_features(widths, [1e15], n=n, d=d, n_test=50, seed=2)
    exact = c7.random_feature_errors(X, y, X_test, y_test, W, widths)
    np.testing.assert_allclose(np.column_stack([limit[0][:, 0], limit[1][:, 0]]), exact.T, rtol=1e-6, atol=1e-12)


def test_bn_minibatch_statistics_follow_the_algorithm_box():
    """Fig 7.12: each output is gamma (x - mu_B) / sqrt(var_B + eps) + beta with the batch's own
    (biased) statistics, and moving = 0.9 moving + 0.1 batch, from (0, 1)."""
    data = c7.bn_minibatch_statistics(batches=5, batch_size=8)
    x = data["x"].astype(float)
    mu, var = x.mean(axis=1, keepdims=True), x.var(axis=1, keepdims=True)
    np.testing.assert_allclose(data["y"], 1.5 * (x - mu) / np.sqrt(var + 1e-3) + 0.5, rtol=1e-4, atol=1e-4)
    moving_mean, moving_var = 0.0, 1.0
    for k in range(5):
        moving_mean = 0.9 * moving_mean + 0.1 * mu[k, 0]
        moving_var = 0.9 * moving_var + 0.1 * var[k, 0]
        assert data["moving_mean"][k] == pytest.approx(moving_mean, rel=1e-5)
        assert data["moving_var"][k] == pytest.approx(moving_var, rel=1e-5)


def test_dropout_masks_come_from_keras_dropout():
    """Figs 7.14-7.15: kept units are scaled by exactly 1/(1 - rate), a seed repeats the masks,
    successive draws differ, and the keep rate is 1 - rate within 5 standard errors."""
    sizes, rates = (1000, 1000, 10), (0.2, 0.5, 0.0)
    draws = c7.dropout_masks(sizes, rates, 3, seed=7)
    for row in draws:
        for (kept, value), rate in zip(row, rates):
            np.testing.assert_array_equal(value, np.where(kept, np.float32(1 / (1 - rate)), 0.0))
            se = math.sqrt(rate * (1 - rate) / len(kept))
            assert abs(kept.mean() - (1 - rate)) <= 5 * se + 1e-12
    again = c7.dropout_masks(sizes, rates, 3, seed=7)
    for row, row_again in zip(draws, again):
        for (kept, _), (kept_again, _) in zip(row, row_again):
            np.testing.assert_array_equal(kept, kept_again)
    assert not np.array_equal(draws[0][1][0], draws[1][1][0])


def test_dropout_test_time_against_the_exact_ensemble():
    """Fig 7.16: weight scaling is the exact ensemble mean before a linear readout only; Keras'
    sampled Dropout outputs average to the exact mean of the inverted-scaled network."""
    data = c7.dropout_test_time(samples=3000)
    exact, scaled = data["linear"]
    np.testing.assert_allclose(exact, scaled, atol=1e-12)
    exact, scaled = data["sigmoid"]
    assert np.abs(exact - scaled).max() > 1e-3
    mean, se = data["keras_mc"]
    assert np.all(np.abs(mean - data["keras_exact"]) <= 5 * se + 1e-6)


# --- the registry -----------------------------------------------------------------------------------

NOTES_COUNTS = {1: 13, 2: 6, 3: 5, 4: 6, 5: 2, 6: 19, 7: 17}


def test_notes_figures_cover_the_68_numbers_and_name_real_figures():
    expected = {f"{c}.{k}" for c, n in NOTES_COUNTS.items() for k in range(1, n + 1)}
    assert set(plots.NOTES_FIGURES) == expected and len(expected) == 68
    names = [entry.name for entry in plots.registry()]
    assert len(names) == len(set(names))
    drawn, left = plots.coverage()
    assert len(drawn) >= 60, left
    for number, name in drawn.items():
        assert name.startswith(f"ch{int(number.split('.')[0]):02d}_")


def test_select_by_chapter_name_and_number():
    assert [e.name for e in plots.select(["6.12"])] == ["ch06_sliding_window"]
    assert [e.name for e in plots.select(["ch02"])] == list(c2.FIGURES)
    both = plots.select(["ch01_spiral", "1.5", "ch03_kfold"])
    assert [e.name for e in both] == ["ch01_spiral", "ch03_kfold"]
    assert plots.select(["1.6"])[0].numbers == ("1.6", "1.7", "1.8")
    with pytest.raises(ValueError):
        plots.select(["ch99"])


def test_run_passes_the_config_and_reports_progress_and_failures(tmp_path, monkeypatch):
    import io

    seen = []

    def with_config(fig, config):
        seen.append(config)
        fig.subplots().plot([0, 1])

    def broken(fig):
        raise RuntimeError("boom")

    monkeypatch.setattr(c7, "FIGURES", {"ch07_a": with_config, "ch07_b": broken})
    entries = plots.chapter_entries("ch07")
    log = io.StringIO()
    paths, failed = plots.run(entries, tmp_path, full=True, log=log)
    assert seen == [c7.FIGURE_CONFIGS["full"]] and failed == ["ch07_b"]
    assert paths == [tmp_path / "ch07_a.png"] and paths[0].read_bytes()[:8] == PNG_MAGIC
    lines = log.getvalue().splitlines()
    assert lines[0].startswith("[1/2] ch07_a ") and lines[0].endswith(" s")
    assert lines[1] == "[2/2] ch07_b FAILED" and "boom" in log.getvalue()
    plots.run(entries[:1], tmp_path, log=io.StringIO())
    assert seen[-1] == c7.FIGURE_CONFIGS["quick"]


def test_cli_list_and_errors(capsys):
    assert plots.main(["--list", "ch06"]) == 0
    out = capsys.readouterr().out
    assert "ch06_sliding_window" in out and "6.12" in out and "drawn:" in out
    with pytest.raises(SystemExit):
        plots.main(["7.99"])


# --- rendering (pixels are not checked, only that every new figure draws) ------------------------------

FAST_NEW = ["ch01_line_function_vs_curve", "ch01_isometric_embeddings", "ch01_latent_illumination",
            "ch01_manifold_chart", "ch02_network_blocks", "ch03_more_data", "ch06_mlp_layers",
            "ch06_structure", "ch06_self_similarity", "ch06_receptive_fields", "ch06_discrete_conv",
            "ch06_sliding_window", "ch06_conv_stack", "ch06_conv_pool_stack", "ch06_cnn_shape",
            "ch06_weight_sharing", "ch06_padding_stride", "ch07_dropout_masks", "ch07_dropout_ensemble",
            "ch07_dropout_test_time", "ch07_bn_minibatches"]


@pytest.mark.slow
def test_new_figures_render(tmp_path):
    paths, failed = plots.run(plots.select(FAST_NEW), tmp_path)
    assert not failed and all(p.read_bytes()[:8] == PNG_MAGIC and p.stat().st_size > 5000 for p in paths)
