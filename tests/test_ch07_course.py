"""The chapter-7 reference library: Keras cross-checks, the dropout and early-stopping errata, the
experiments (small versions by default, full ones marked slow) and the figures."""
import numpy as np
import pytest

from autograder.chapters import ch07_regularization as spec
from course import ch07_regularization as c7
from course import datasets, plots
from solutions import ch07_regularization as sol

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def test_double_descent_data_shapes_and_seeding():
    X, y, X_test, y_test = datasets.double_descent_data(n=20, d=4, n_test=30, noise=0.0, seed=1)
    assert (X.shape, y.shape, X_test.shape, y_test.shape) == ((20, 4), (20,), (30, 4), (30,))
    assert np.all(np.abs(y) < 2) and np.array_equal(datasets.double_descent_data(seed=1)[0],
                                                    datasets.double_descent_data(seed=1)[0])
    W = datasets.random_relu_weights(4, 50, seed=2)
    assert W.shape == (4, 50) and np.std(W) == pytest.approx(0.5, rel=0.2)


# --- norm balls -------------------------------------------------------------------------------------

def test_course_projections_agree_with_answer_key():
    rng = np.random.default_rng(0)
    for _ in range(20):
        v, r = rng.standard_normal((2, 5)) * 2, rng.uniform(0.1, 4)
        np.testing.assert_allclose(c7.project_l1_ball(v, r), sol.project_l1_ball(v, r), atol=1e-12)
        np.testing.assert_allclose(c7.project_l2_ball(v, r), sol.project_l2_ball(v, r), atol=1e-12)


def test_l1_constraint_gives_a_sparse_minimum():
    """Fig. 7.3: the same quadratic loss, constrained to the L1 ball, lands on a corner (one exact 0);
    constrained to the L2 ball, on the arc (no zero). Checked against a brute-force grid."""
    A, theta_opt = np.array([[2.0, 0.3], [0.3, 1.0]]), np.array([0.4, 2.0])
    b = A @ theta_opt
    l1, l2 = c7.constrained_minimum(A, b, 1.0, p=1), c7.constrained_minimum(A, b, 1.0, p=2)
    assert l1[0] == 0.0 and l1[1] == pytest.approx(1.0) and np.all(l2 != 0)
    t = np.linspace(-1, 1, 1001)
    a1, a2 = np.meshgrid(t, t, indexing="ij")
    loss = 0.5 * (A[0, 0] * a1 ** 2 + 2 * A[0, 1] * a1 * a2 + A[1, 1] * a2 ** 2) - b[0] * a1 - b[1] * a2
    for theta, inside in ((l1, np.abs(a1) + np.abs(a2) <= 1), (l2, a1 ** 2 + a2 ** 2 <= 1)):
        value = 0.5 * theta @ A @ theta - b @ theta
        assert value <= loss[inside].min() + 1e-12 and loss[inside].min() - value < 1e-2


# --- early stopping ---------------------------------------------------------------------------------

def test_erratum_gd_reach_is_a_ball_of_radius_alpha_tau_g():
    """tau steps of size alpha with gradients of norm <= G stay within RADIUS alpha tau G of theta_0
    (the notes say a sphere of VOLUME proportional to alpha tau); a linear loss reaches the radius."""
    rng = np.random.default_rng(1)
    d, alpha = 3, 0.05
    center = rng.standard_normal(d) * 5
    G = np.sqrt(d)  # |tanh| <= 1 in each coordinate
    theta = theta0 = rng.standard_normal(d)
    for tau in range(1, 200):
        theta = theta - alpha * np.tanh(theta - center)  # gradient of sum log cosh(theta - center)
        assert np.linalg.norm(theta - theta0) <= alpha * tau * G + 1e-12
    g = rng.standard_normal(d)
    g *= G / np.linalg.norm(g)
    assert np.linalg.norm(theta0 - alpha * 50 * g - theta0) == pytest.approx(alpha * 50 * G)


def test_fit_epochs_calls_back_once_per_epoch_and_needs_aligned_batches():
    """One callback per epoch, n / batch optimizer steps per epoch, the same weights for the same
    seed and other weights for another seed (another shuffle)."""
    keras = pytest.importorskip("keras")
    x = np.random.default_rng(2).standard_normal((16, 4)).astype("float32")
    y = (x[:, 0] > 0).astype("int64")
    runs = []
    for seed in (0, 0, 1):
        model = c7.mlp(input_dim=4, hidden=(8,), n_classes=2)
        model.compile(optimizer="sgd", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
        epochs = []
        c7.fit_epochs(model, x, y, 3, 8, seed=seed, on_epoch_end=epochs.append)
        assert epochs == [0, 1, 2] and int(model.optimizer.iterations) == 3 * 2
        runs.append(model.get_weights())
    for a, b in zip(runs[0], runs[1]):
        np.testing.assert_array_equal(a, b)
    assert any(not np.array_equal(a, b) for a, b in zip(runs[0], runs[2]))
    with pytest.raises(ValueError):
        c7.fit_epochs(model, x, y, 1, 5)


def test_validation_curve_small_is_the_cross_entropy_of_the_trained_model():
    """Each point of the curves is the mean cross-entropy (scikit-learn's log_loss of the softmax)
    of the model after that epoch: replaying the seeded training for 3 and for 6 epochs gives the
    models whose losses the curves hold at epochs 2 and 5."""
    keras = pytest.importorskip("keras")
    from sklearn.metrics import log_loss
    curves = c7.validation_curve(n_train=64, epochs=6, hidden=(32,))
    assert curves["train_loss"].shape == curves["val_loss"].shape == (6,)
    x_train, y_train, x_val, y_val = datasets.digits(flat=True)
    for epochs in (3, 6):
        model = c7.mlp(hidden=(32,), seed=0)
        model.compile(optimizer=keras.optimizers.Adam(1e-3),
                      loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
        c7.fit_epochs(model, x_train[:64], y_train[:64], epochs, 32, seed=0)
        for key, x, y in (("train_loss", x_train[:64], y_train[:64]), ("val_loss", x_val, y_val)):
            probs = keras.ops.convert_to_numpy(keras.ops.softmax(model(x, training=False))).astype(float)
            expected = log_loss(y, probs / probs.sum(axis=1, keepdims=True), labels=range(10))
            assert curves[key][epochs - 1] == pytest.approx(expected, rel=1e-5), (key, epochs)


@pytest.mark.slow
def test_validation_curve_is_u_shaped_and_dropout_delays_overfitting():
    """Guide: MLP 256-256, Adam 1e-3, batch 32, 150 epochs on 150 digits: validation minimum 0.219 at
    epoch 34, 0.186 at epoch 71 with Dropout(0.5). Measured here (160 digits, validation = the 450
    test digits, a fresh shuffle every epoch): minimum 0.578 at epoch 16, rising to 0.75 while the
    training loss falls to 3e-4; with Dropout(0.5) the minimum comes later (epoch 46) but is not
    lower (0.606)."""
    plain = c7.validation_curve(epochs=150)
    best = int(np.argmin(plain["val_loss"]))
    assert 5 < best < 100
    assert plain["val_loss"][-1] > plain["val_loss"][best] * 1.1
    assert plain["train_loss"][-1] < 1e-2 and np.all(np.diff(plain["train_loss"][best:]) < 0.05)
    dropout = c7.validation_curve(epochs=150, dropout_rate=0.5)
    assert int(np.argmin(dropout["val_loss"])) > best


@pytest.mark.slow
def test_fit_with_early_stopping_restores_the_best_epoch():
    model, history, callback = c7.fit_with_early_stopping()
    val = np.array(history["val_loss"])
    assert callback.best_epoch == int(np.argmin(val)) and callback.stopped_epoch == len(val) - 1
    assert len(val) == callback.best_epoch + 11  # patience 10
    keras = pytest.importorskip("keras")
    _, _, x_val, y_val = datasets.digits(flat=True)
    loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)(y_val, model(x_val))
    assert float(loss) == pytest.approx(val.min(), rel=1e-4)


# --- early stopping ~ L2, double descent ------------------------------------------------------------

def test_filters_agree_with_answer_key_on_a_diagonal_quadratic():
    eigenvalues = np.array([1e-3, 0.05, 0.4, 1.2])
    H, w_star = np.diag(eigenvalues), np.ones(4)
    np.testing.assert_allclose(c7.gd_filter(eigenvalues, 0.7, 30), sol.gd_quadratic(H, w_star, 0.7, 30),
                               atol=1e-12)
    np.testing.assert_allclose(c7.ridge_filter(eigenvalues, 0.2), sol.ridge_solution(H, w_star, 0.2),
                               atol=1e-12)


def test_double_descent_small():
    train, test = c7.double_descent([10, 40, 400], n=40, d=5, n_test=200, seeds=range(3))
    assert train[0] > 1e-3 and np.all(train[1:] < 1e-20)
    assert test[1] > 5 * test[0] and test[1] > 5 * test[2]


@pytest.mark.slow
def test_double_descent_guide_setting():
    """Guide (n = 100, d = 10, 0.3 noise): median test MSE .42 / 35.5 / .325 at p = 25 / 100 / 4000.
    This data generator measured .55 / 69 / .46 (10 seeds): the same shape."""
    train, test = c7.double_descent([25, 100, 4000])
    assert test[1] > 20 * max(test[0], test[2]) and test[2] < 1.0 and train[2] < 1e-20


# --- normalization ----------------------------------------------------------------------------------

@pytest.mark.parametrize("mode, groups", [("batch", None), ("layer", None), ("instance", None), ("group", 3)])
def test_keras_normalization_layers_match_answer_key(mode, groups):
    x = spec.images(3, (4, 3, 5, 6))
    np.testing.assert_allclose(c7.keras_normalization(x, mode, groups), sol.normalize(x, mode, groups),
                               rtol=1e-4, atol=1e-4)


# --- dropout ----------------------------------------------------------------------------------------

def small_net(seed, n=6, d=3, r=4, k=2):
    rng = np.random.default_rng(seed)
    return (rng.standard_normal((n, d)), rng.standard_normal((r, d)), rng.standard_normal((k, r)),
            rng.standard_normal((n, k)))


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def test_erratum_weight_scaling_is_exact_only_before_a_linear_map():
    X, U, V, _ = small_net(4)
    p = 0.6
    np.testing.assert_allclose(c7.dropout_ensemble_mean(X, U, V, p), c7.weight_scaled_output(X, U, V, p),
                               atol=1e-12)
    exact = c7.dropout_ensemble_mean(X, U, V, p, output_activation=sigmoid)
    scaled = c7.weight_scaled_output(X, U, V, p, output_activation=sigmoid)
    assert np.abs(exact - scaled).max() > 1e-2


def test_dropout_ensemble_mean_matches_monte_carlo_of_answer_key_dropout():
    """The exact 2^r average equals the Monte Carlo average of inverted dropout (answer key) times p."""
    X, U, V, _ = small_net(5)
    p, draws = 0.5, 20000
    rng = np.random.default_rng(6)
    H = np.maximum(X @ U.T, 0)
    mc = np.mean([sol.dropout_forward(H, p, rng) @ V.T for _ in range(draws)], axis=0) * p
    exact = c7.dropout_ensemble_mean(X, U, V, p)
    spread = np.sqrt((1 - p) / p * (H ** 2) @ (V.T ** 2)) * p / np.sqrt(draws)
    assert np.all(np.abs(mc - exact) <= 5 * spread + 1e-12)


def test_erratum_dropout_penalty_rows_of_u_exact_for_whitened_linear_nets():
    rng = np.random.default_rng(7)
    n, d, r, k, p = 12, 3, 3, 2, 0.7
    Q, _ = np.linalg.qr(rng.standard_normal((n, d)))
    X = Q * np.sqrt(n)  # whitened: X^T X / n = I
    U, V, Y = rng.standard_normal((r, d)), rng.standard_normal((k, r)), rng.standard_normal((n, k))
    plain = np.mean(np.sum((Y - X @ U.T @ V.T) ** 2, axis=1))
    expected = c7.expected_dropout_loss(X, Y, U, V, p)
    assert expected == pytest.approx(plain + c7.dropout_penalty(U, V, p), rel=1e-12)
    notes = (1 - p) / p * np.sum(np.sum(U ** 2, axis=0) * np.sum(V ** 2, axis=0))  # columns of U
    assert abs(expected - plain - notes) > 1e-2
    X_raw = rng.standard_normal((n, d)) * [1.0, 3.0, 0.2]  # not whitened: no longer exact
    plain_raw = np.mean(np.sum((Y - X_raw @ U.T @ V.T) ** 2, axis=1))
    gap = c7.expected_dropout_loss(X_raw, Y, U, V, p) - plain_raw
    assert abs(gap - c7.dropout_penalty(U, V, p)) > 1e-2


# --- figures ----------------------------------------------------------------------------------------

FAST_FIGURES = ("ch07_norm_balls", "ch07_double_descent", "ch07_gd_vs_ridge_filters",
                "ch07_normalization_axes")


def test_fast_figures_write_pngs(tmp_path):
    tiny = {**c7._QUICK, "dd_seeds": range(1), "dd_max_width": 300, "dd_n_test": 100}
    for name in FAST_FIGURES:
        fig = plots.new_figure()
        c7.FIGURES[name](fig, config=tiny)
        path = plots.save_figure(fig, tmp_path, name)
        assert path.read_bytes()[:8] == PNG_MAGIC and path.stat().st_size > 5000


@pytest.mark.slow
def test_make_figures_writes_every_png(tmp_path):
    paths = plots.make_figures("ch07", tmp_path / "figs")
    assert [p.stem for p in paths] == list(c7.FIGURES)
    for path in paths:
        assert path.parent == tmp_path / "figs"
        assert path.read_bytes()[:8] == PNG_MAGIC and path.stat().st_size > 5000
