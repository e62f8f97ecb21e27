"""Hidden cases of chapter 7 (the guide's checks, the Keras conventions and the notes' errata)."""
from dataclasses import replace

import numpy as np

from ..chapters.ch07_regularization import (
    GUIDE_LOSSES, KERAS_TIMEOUT, batchnorm_case, bn_case, double_descent_case, fake_logs,
    frobenius_train, images, psd_matrix, without)
from ..spec import Case
from . import Normal, draw


def _rng(seed):
    return np.random.default_rng(seed)


def _keras(name, inputs):
    return Case(name, inputs, timeout=KERAS_TIMEOUT)


def _keras_drawn(name, make, seed, *args, **kwargs):
    return replace(Case.drawn(name, make, seed, *args, **kwargs), timeout=KERAS_TIMEOUT)


def _weight_list(seed):
    return [_rng(seed).standard_normal((5, 3)), _rng(seed + 1).standard_normal(3),
            _rng(seed + 2).standard_normal((2, 2, 3, 4))]


def _penalty(seed, lam):
    return {"weights": _weight_list(seed), "lam": lam}


def _scaled(seed, shape, scale, r):
    return {"v": _rng(seed).standard_normal(shape) * scale, "r": r}


def _noisy_losses(seed):
    return {"val_losses": list(1 / np.arange(1, 41) + 0.02 * _rng(seed).standard_normal(40)
                               + 0.004 * np.arange(40)), "patience": 5, "min_delta": 0.001}


def _bn_forward(seed, **params):
    return without(bn_case(seed, **params), "dy")


def _normalize(seed, *shape, scale=1.0, **fixed):
    return {"x": images(seed, *shape) * scale, **fixed}


def _not_maxnorm(seed):
    return {"c": 1.0, "weights": [_rng(seed).standard_normal((4, 3)), _rng(seed + 1).standard_normal((2, 2, 3, 4)),
                                  0.05 * _rng(seed + 2).standard_normal((3, 3)), np.zeros((2, 2))]}


def _quadratic(seed, **fixed):
    """H (seed) with the default spectrum and w* (seed + 2): case seed 43 is H 43, w* 45."""
    return {"H": psd_matrix(seed, d=5), "w_star": _rng(seed + 2).standard_normal(5), **fixed}


def _singular(seed, **fixed):
    """A singular H (seed) and w* (seed + 1): case seed 44 is H 44, w* 45 (its first 4 entries)."""
    return {"H": psd_matrix(seed, d=4, eigenvalues=[0.0, 0.1, 0.5, 1.0]),
            "w_star": _rng(seed + 1).standard_normal(5)[:4], **fixed}


# a slow decline by 0.01 per epoch: with min_delta 0.015 only every second epoch improves on the BEST
_slow = [1.0 - 0.01 * e for e in range(10)]


def _fit_spec(seed):
    """A regression whose validation targets disagree with the training ones: val_loss rises."""
    rng = _rng(seed)
    X, X_val = rng.standard_normal((32, 3)), rng.standard_normal((16, 3))
    w = np.array([1.0, -2.0, 0.5])
    return {"X": X, "y": X @ w + 0.1 * rng.standard_normal(32), "X_val": X_val,
            "y_val": X_val @ (0.3 * w) + 0.1 * rng.standard_normal(16), "lr": 0.1, "epochs": 25}


CASES = {
    "l1_penalty": [Case.drawn("three_arrays", _penalty, 40, 0.01),
                   Case.drawn("lam_zero", _penalty, 40, 0.0),
                   Case("one_matrix", {"weights": [np.arange(-4.0, 5.0).reshape(3, 3)], "lam": 2.5})],
    "l2_penalty": [Case.drawn("three_arrays_no_half", _penalty, 40, 0.01),
                   Case("one_matrix", {"weights": [np.arange(-4.0, 5.0).reshape(3, 3)], "lam": 2.5})],
    "project_l1_ball": [
        Case("inside_unchanged", {"v": np.array([0.2, -0.3, 0.1]), "r": 1.0}),
        # inside the L2 ball and with induced 1-norm (max column sum) 0.9 <= r, but entrywise L1 norm 1.6 > r:
        # catches an "inside" test with the wrong norm (np.linalg.norm(v) or np.linalg.norm(v, 1) of a matrix)
        Case("matrix_inside_l2_outside_l1", {"v": np.array([[0.6, -0.5], [0.3, 0.2]]), "r": 1.0}),
        Case("sparse_corner", {"v": np.array([5.0, 0.3, -0.2, 0.1]), "r": 1.0}),
        Case("ties", {"v": np.array([1.0, -1.0, 1.0, 0.0]), "r": 1.5}),
        Case.drawn("random_8", _scaled, 46, 8, 2, 1.7),
        Case.drawn("matrix", draw, 47, v=Normal((3, 4)), r=2.0),
        Case("radius_zero", {"v": np.array([1.0, -2.0]), "r": 0.0}),
        Case("negative_radius_raises", {"v": np.array([1.0, 2.0]), "r": -1.0})],
    "project_l2_ball": [
        Case("inside_unchanged", {"v": np.array([0.3, -0.4, 0.1]), "r": 1.0}),
        Case.drawn("random_6", _scaled, 48, 6, 3, 1.5),
        Case.drawn("matrix_frobenius", _scaled, 49, (3, 4), 2, 1.0),
        Case("zero_vector", {"v": np.zeros(3), "r": 1.0}),
        Case("negative_radius_raises", {"v": np.array([1.0, 2.0]), "r": -0.5})],
    "early_stopping": [
        Case("guide_patience_2", {"val_losses": GUIDE_LOSSES[:8], "patience": 2}),
        Case("guide_patience_3", {"val_losses": GUIDE_LOSSES[:8], "patience": 3}),
        Case("guide_min_delta", {"val_losses": GUIDE_LOSSES[:8], "patience": 2, "min_delta": 0.02}),
        Case("patience_0", {"val_losses": GUIDE_LOSSES, "patience": 0}),
        Case("patience_1", {"val_losses": GUIDE_LOSSES, "patience": 1}),
        Case("never_stops", {"val_losses": [1.0, 0.9, 0.85, 0.86, 0.8, 0.7], "patience": 2}),
        Case("constant_is_no_improvement", {"val_losses": [0.5] * 6, "patience": 3}),
        Case("min_delta_compares_with_best", {"val_losses": _slow, "patience": 2, "min_delta": 0.015}),
        Case.drawn("noisy_long", _noisy_losses, 50)],
    "bn_forward": [Case.drawn("tall", _bn_forward, 51, m=16, d=3),
                   Case.drawn("square_batch", _bn_forward, 52, m=5, d=5),
                   Case.drawn("large_eps", _bn_forward, 53, m=4, d=3, eps=1.0),
                   Case.drawn("batch_of_one", _bn_forward, 54, m=1, d=3)],
    "bn_backward": [Case.drawn("tall", bn_case, 55, m=16, d=3),
                    Case.drawn("square_batch", bn_case, 56, m=5, d=5),
                    Case.drawn("large_eps", bn_case, 57, m=4, d=3, eps=1.0),
                    Case.drawn("two_samples", bn_case, 58, m=2, d=4)],
    "BatchNorm": [
        _keras_drawn("dense_momentum_09", batchnorm_case, 60, steps=5, momentum=0.9, epsilon=1e-3),
        _keras_drawn("small_batch_biased_variance", batchnorm_case, 61, batch_shape=(4, 3), steps=4,
                     momentum=0.5, epsilon=1e-5),
        _keras_drawn("images_nhwc", batchnorm_case, 62, batch_shape=(4, 3, 3, 2), steps=3,
                     momentum=0.8),
        _keras_drawn("large_epsilon", batchnorm_case, 63, batch_shape=(6, 2), steps=2, epsilon=1.0)],
    "normalize": [
        Case.drawn("batch", _normalize, 64, mode="batch"),
        Case.drawn("layer_all_axes", _normalize, 65, mode="layer"),
        Case.drawn("instance", _normalize, 66, (2, 3, 4, 5), mode="instance"),
        Case.drawn("group_3", _normalize, 67, mode="group", groups=3),
        Case.drawn("group_1_is_layer", _normalize, 68, mode="group", groups=1),
        Case.drawn("group_c_is_instance", _normalize, 69, mode="group", groups=6),
        Case.drawn("eps", _normalize, 70, scale=0.01, mode="layer", eps=1e-3),
        Case("group_not_dividing_raises", {"x": images(71), "mode": "group", "groups": 4}),
        Case("unknown_mode_raises", {"x": images(72), "mode": "weight"})],
    "dropout_forward": [
        Case("keep_08_is_drop_rate_02", {"keep_prob": 0.8, "shape": [1000, 1000], "x_seed": 73,
                                         "rng_seed": 74}),
        Case("keep_02", {"keep_prob": 0.2, "shape": [500, 2000], "x_seed": 75, "rng_seed": 76}),
        Case("three_dims", {"keep_prob": 0.5, "shape": [100, 100, 100], "x_seed": 77, "rng_seed": 78}),
        Case("keep_all", {"keep_prob": 1.0, "shape": [1000, 1000], "x_seed": 79, "rng_seed": 80}),
        Case("keep_zero_raises", {"keep_prob": 0.0, "shape": [10, 10], "x_seed": 81, "rng_seed": 82})],
    "FrobeniusBall": [
        _keras_drawn("not_maxnorm", _not_maxnorm, 83),
        _keras("dense_training", {"c": 1.5, "weights": [_rng(86).standard_normal((4, 3))],
                                  "train": frobenius_train(87)})],
    "MyEarlyStopping": [
        _keras("guide_patience_3", {"kwargs": {"patience": 3}, "logs": fake_logs(GUIDE_LOSSES)}),
        _keras("patience_0_equals_1", {"kwargs": {"patience": 0}, "logs": fake_logs(GUIDE_LOSSES)}),
        _keras("restore_best", {"kwargs": {"patience": 2, "restore_best_weights": True},
                                "logs": fake_logs(GUIDE_LOSSES)}),
        _keras("restore_without_stop", {"kwargs": {"patience": 5, "restore_best_weights": True},
                                        "logs": fake_logs([1.0, 0.9, 0.95, 0.85, 0.88, 0.9])}),
        _keras("min_delta_monitor_loss", {"kwargs": {"monitor": "loss", "patience": 2, "min_delta": 0.015,
                                                     "restore_best_weights": True},
                                          "logs": fake_logs(list(reversed(_slow)), _slow)}),
        _keras("reused_for_two_fits", {"kwargs": {"patience": 1, "restore_best_weights": True},
                                       "logs": fake_logs(GUIDE_LOSSES), "runs": 2}),
        _keras("inside_fit", {"kwargs": {"patience": 3, "restore_best_weights": True},
                              "fit": _fit_spec(88)})],
    "gd_quadratic": [Case.drawn("tau_0", _quadratic, 43, alpha=0.5, tau=0),
                     Case.drawn("general", _quadratic, 43, alpha=0.8, tau=25),
                     Case.drawn("long", _quadratic, 43, alpha=1.0, tau=2000),
                     Case.drawn("singular", _singular, 44, alpha=0.5, tau=30)],
    "ridge_solution": [Case.drawn("general", _quadratic, 43, lam=0.3),
                       Case.drawn("lam_zero", _quadratic, 43, lam=0.0),
                       Case.drawn("singular", _singular, 44, lam=0.1)],
    "double_descent_curve": [Case("around_threshold", double_descent_case(89, [5, 10, 30, 38, 40, 42, 60,
                                                                             120, 400])),
                             Case("wide", double_descent_case(90, [40, 1000], n=40, d=8))],
}
