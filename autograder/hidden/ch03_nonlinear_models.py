"""Hidden cases of chapter 3."""
import numpy as np

from course.datasets import classic_poly_data, logistic_1d

from ..chapters.ch03_nonlinear_models import orthonormal_design
from ..spec import Case


def _rng(seed):
    return np.random.default_rng(seed)


def _poly(seed, **inputs):
    x, y = classic_poly_data(seed=seed)
    return {"x": x, "y": y, **inputs}


def _cv(seed):
    """The classic data (seed + 29) and the folds' seed (seed): case seed 1 is data 30, split 1."""
    return {**_poly(seed + 29, k=5), "seed": seed % 2**31, "loo_degree": 3}


def _linear(seed, **inputs):
    X = np.column_stack([_rng(seed).standard_normal((40, 3)), np.ones(40)])
    y = X @ np.array([1.0, -2.0, 0.5, 3.0]) + 0.2 * _rng(seed + 1).standard_normal(40)
    return {"X": X, "y": y, **inputs}


def _orthonormal(seed, **inputs):
    Q, y = orthonormal_design(seed, n=20, d=5)
    return {"X": Q, "y": y, **inputs}


def _logistic(seed, **inputs):
    x, y = logistic_1d(n=60, seed=seed)
    return {**inputs, "x": x, "y": y}


def _logistic_x(seed, **inputs):
    return {**inputs, "x": logistic_1d(n=60, seed=seed)[0]}


def _normal(seed, shape, **inputs):
    return {"x": _rng(seed).standard_normal(shape), **inputs}


def _z(seed, shape, scale):
    return {"z": _rng(seed).standard_normal(shape) * scale}


def _logistic_fit(seed, **inputs):
    x, y = logistic_1d(n=60, seed=seed)
    return {"x": x, "y": y, **inputs}


def _seeded(seed, **inputs):
    """Inputs that hand the student's function a seed (kept below 2**31: legacy numpy seeding)."""
    return {**inputs, "seed": seed % 2**31}


CASES = {
    "poly_features": [Case.drawn("k0", _normal, 35, 4, k=0), Case.drawn("k5", _normal, 36, 6, k=5)],
    "fit_poly": [Case.drawn("k1", _poly, 30, k=1), Case.drawn("k4", _poly, 30, k=4),
                 Case.drawn("k8", _poly, 30, k=8),
                 Case("too_few_points_raises", {"x": np.array([0.0, 1.0, 1.0, 2.0]),
                                                "y": np.arange(4.0), "k": 3})],
    "kfold_indices": [Case.drawn("n23_k5", _seeded, 7, n=23, k=5),
                      Case.drawn("n10_k10", _seeded, 3, n=10, k=10),
                      Case.drawn("n7_k2", _seeded, 11, n=7, k=2)],
    "cross_val_mse": [Case.drawn("classic", _cv, 1)],
    "ridge": [Case.drawn("lam0_is_ols", _linear, 33, lam=0.0),
              Case.drawn("lam2", _linear, 33, lam=2.0),
              Case.drawn("bias_unpenalized", _linear, 33, lam=2.0, penalize_bias=False),
              Case.drawn("orthonormal", _orthonormal, 32, lam=1.5)],
    "lasso_ista": [Case.drawn("orthonormal", _orthonormal, 32, lam=1.0, lr=0.25, iters=500),
                   Case.drawn("general", _linear, 33, lam=5.0, lr=0.002, iters=3000)],
    "sigmoid": [Case("extremes", {"z": np.array([-1000.0, -50.0, -1.0, 0.0, 1.0, 50.0, 1000.0])}),
                Case.drawn("matrix", _z, 37, (3, 4), 5)],
    "sigmoid_grad": [Case("extremes", {"z": np.array([-1000.0, -20.0, 0.0, 3.0, 1000.0])}),
                     Case.drawn("random", _z, 38, 9, 3)],
    "bce": [Case.drawn("random", _logistic, 31, a=0.8, b=-0.3),
            Case("extreme_logits", {"a": 1000.0, "b": 0.0, "x": np.array([1.0, -1.0, 1.0]),
                                    "y": np.array([1.0, 1.0, 0.0])})],
    "bce_grad": [Case.drawn("random", _logistic, 31, a=0.8, b=-0.3),
                 Case.drawn("zero", _logistic, 31, a=0.0, b=0.0)],
    "predict": [Case("with_zero_logit", {"a": 1.0, "b": -0.5, "x": np.array([-1.0, 0.5, 0.49, 0.51, 3.0])}),
                Case.drawn("random", _logistic_x, 31, a=-2.0, b=0.3)],
    "train_mse_by_degree": [Case.drawn("classic", _poly, 30, degrees=[0, 1, 2, 4, 6])],
    "fit_logistic_gd": [Case.drawn("overlapping", _logistic_fit, 31, lr=0.3, iters=300)],
}
