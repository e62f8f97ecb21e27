"""The chapter-6 reference library: Keras ops against the answer key, invariance, the digits CNN, figures."""
import inspect

import numpy as np
import pytest

from autograder.chapters.ch06_cnn import conv_inputs
from course import ch06_cnn as c6
from course import datasets, plots
from solutions import ch06_cnn as sol

keras = pytest.importorskip("keras")
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("stride, padding, flip", [(1, "valid", False), (2, "same", True), (1, "full", True),
                                                   ((2, 1), 1, False), (2, "same", False)])
def test_conv2d_with_keras_ops_equals_answer_key(stride, padding, flip):
    inputs = conv_inputs(30, (2, 8, 7, 3), (3, 2), 4, stride=stride, padding=padding, flip=flip)
    np.testing.assert_allclose(c6.conv2d(**inputs), sol.conv2d(**inputs), rtol=1e-5, atol=1e-5)


def test_pool2d_equals_answer_key():
    x = np.random.default_rng(31).standard_normal((2, 7, 8, 3))
    np.testing.assert_allclose(c6.pool2d(x, 2), sol.max_pool2d(x, 2, 2), atol=1e-6)
    np.testing.assert_allclose(c6.pool2d(x, 3, 2, kind="average"), sol.avg_pool2d(x, 3, 2), atol=1e-6)


def test_warp_equals_answer_key_and_smooth_field():
    f = np.random.default_rng(32).standard_normal((9, 10))
    tau = c6.smooth_field(f.shape, amplitude=2.0, seed=3)
    assert tau.shape == (9, 10, 2) and np.abs(tau).max() == pytest.approx(2.0)
    np.testing.assert_allclose(c6.warp(f, tau), sol.warp(f, tau), atol=1e-12)


def test_circular_conv_gap_is_invariant_and_dense_is_not():
    """(6.5): circular conv + ReLU + global average pooling is exactly invariant to np.roll;
    Flatten -> Dense is not (guide, invariance_gap)."""
    rng = np.random.default_rng(33)
    x = rng.uniform(size=(4, 8, 8, 1))
    w = rng.standard_normal((3, 3, 1, 5))
    dense = rng.standard_normal((64, 5))
    shifts = [(1, 0), (0, 3), (-2, 5)]
    equivariant = np.roll(c6.circular_conv(x, w), (2, 3), axis=(1, 2))
    np.testing.assert_allclose(c6.circular_conv(np.roll(x, (2, 3), axis=(1, 2)), w), equivariant, atol=1e-12)
    gap = c6.invariance_gap(lambda b: np.maximum(c6.circular_conv(b, w), 0).mean(axis=(1, 2)), x, shifts)
    assert gap.shape == (3,) and np.all(gap < 1e-12)
    assert np.all(c6.invariance_gap(lambda b: b.reshape(len(b), -1) @ dense, x, shifts) > 0.1)


def test_param_counts_equal_keras():
    counts = c6.param_counts(6, 5, 2, 3, 3)
    conv = keras.layers.Conv2D(3, 3)
    conv.build((None, 6, 5, 2))
    dense = keras.layers.Dense(6 * 5 * 3)
    dense.build((None, 6 * 5 * 2))
    assert counts == {"conv": conv.count_params(), "dense": dense.count_params()}


def test_receptive_field_support_matches_closed_form():
    assert c6.receptive_field_support([(3, 1), (3, 1)]) == 5
    assert c6.receptive_field_support([(3, 2), (3, 2)], size=21) == 7


# Measured on a CPU (TF 2.21, Keras 3.15): 2 epochs on the digits, seed 1, give a test accuracy of
# 0.924 (seeds 0-3: 0.88-0.92; chance is 0.1); the band leaves a margin for other machines and
# versions. (The old quick run, 2 epochs on 256 digits, stayed at chance: 0.116.)
CNN_QUICK_ACCURACY, CNN_QUICK_MARGIN = 0.924, 0.1


def test_quick_cnn_reports_its_models_accuracy_within_the_calibrated_band():
    from sklearn.metrics import accuracy_score
    model = c6.make_cnn()
    probs = np.asarray(model(np.zeros((2, 8, 8, 1), "float32")))
    assert probs.shape == (2, 10) and np.allclose(probs.sum(axis=1), 1, atol=1e-6)
    trained, history, accuracy = c6.train_cnn(epochs=2, seed=1)
    _, _, x_test, y_test = datasets.digits()
    predicted = np.argmax(trained.predict(x_test, verbose=0), axis=-1)
    assert accuracy == accuracy_score(y_test, predicted)  # the accuracy of the returned model
    assert len(history["loss"]) == 2
    assert accuracy >= CNN_QUICK_ACCURACY - CNN_QUICK_MARGIN, accuracy


@pytest.mark.slow
def test_reference_cnn_reaches_98_percent_on_digits():
    _, history, accuracy = c6.train_cnn()
    assert accuracy >= 0.98, accuracy
    assert history["accuracy"][-1] > 0.98


@pytest.mark.slow
def test_make_figures_writes_pngs(tmp_path):
    paths = plots.make_figures("ch06", tmp_path / "figs")
    assert [p.stem for p in paths] == list(c6.FIGURES)
    for path in paths:
        assert path.parent == tmp_path / "figs"
        assert path.read_bytes()[:8] == PNG_MAGIC and path.stat().st_size > 5000


def test_figures_without_training_write_pngs(tmp_path):
    quick = [entry for entry in plots.chapter_entries("ch06")
             if "config" not in inspect.signature(entry.draw).parameters]  # those train a CNN
    for path in [entry.render(tmp_path) for entry in quick]:
        assert path.read_bytes()[:8] == PNG_MAGIC and path.stat().st_size > 5000
