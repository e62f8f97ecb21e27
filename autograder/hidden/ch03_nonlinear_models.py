"""Hidden cases of chapter 3."""
import numpy as np

from course.datasets import classic_poly_data, logistic_1d

from ..chapters.ch03_nonlinear_models import orthonormal_design
from ..spec import Case


def _rng(seed):
    return np.random.default_rng(seed)


_x, _y = classic_poly_data(seed=30)
_lx, _ly = logistic_1d(n=60, seed=31)
_Q, _qy = orthonormal_design(32, n=20, d=5)
_X = np.column_stack([_rng(33).standard_normal((40, 3)), np.ones(40)])
_Xy = _X @ np.array([1.0, -2.0, 0.5, 3.0]) + 0.2 * _rng(34).standard_normal(40)

CASES = {
    "poly_features": [Case("k0", {"x": _rng(35).standard_normal(4), "k": 0}),
                      Case("k5", {"x": _rng(36).standard_normal(6), "k": 5})],
    "fit_poly": [Case("k1", {"x": _x, "y": _y, "k": 1}), Case("k4", {"x": _x, "y": _y, "k": 4}),
                 Case("k8", {"x": _x, "y": _y, "k": 8}),
                 Case("too_few_points_raises", {"x": np.array([0.0, 1.0, 1.0, 2.0]),
                                                "y": np.arange(4.0), "k": 3})],
    "kfold_indices": [Case("n23_k5", {"n": 23, "k": 5, "seed": 7}),
                      Case("n10_k10", {"n": 10, "k": 10, "seed": 3}),
                      Case("n7_k2", {"n": 7, "k": 2, "seed": 11})],
    "cross_val_mse": [Case("classic", {"x": _x, "y": _y, "k": 5, "seed": 1, "loo_degree": 3})],
    "ridge": [Case("lam0_is_ols", {"X": _X, "y": _Xy, "lam": 0.0}),
              Case("lam2", {"X": _X, "y": _Xy, "lam": 2.0}),
              Case("bias_unpenalized", {"X": _X, "y": _Xy, "lam": 2.0, "penalize_bias": False}),
              Case("orthonormal", {"X": _Q, "y": _qy, "lam": 1.5})],
    "lasso_ista": [Case("orthonormal", {"X": _Q, "y": _qy, "lam": 1.0, "lr": 0.25, "iters": 500}),
                   Case("general", {"X": _X, "y": _Xy, "lam": 5.0, "lr": 0.002, "iters": 3000})],
    "sigmoid": [Case("extremes", {"z": np.array([-1000.0, -50.0, -1.0, 0.0, 1.0, 50.0, 1000.0])}),
                Case("matrix", {"z": _rng(37).standard_normal((3, 4)) * 5})],
    "sigmoid_grad": [Case("extremes", {"z": np.array([-1000.0, -20.0, 0.0, 3.0, 1000.0])}),
                     Case("random", {"z": _rng(38).standard_normal(9) * 3})],
    "bce": [Case("random", {"a": 0.8, "b": -0.3, "x": _lx, "y": _ly}),
            Case("extreme_logits", {"a": 1000.0, "b": 0.0, "x": np.array([1.0, -1.0, 1.0]),
                                    "y": np.array([1.0, 1.0, 0.0])})],
    "bce_grad": [Case("random", {"a": 0.8, "b": -0.3, "x": _lx, "y": _ly}),
                 Case("zero", {"a": 0.0, "b": 0.0, "x": _lx, "y": _ly})],
    "predict": [Case("with_zero_logit", {"a": 1.0, "b": -0.5, "x": np.array([-1.0, 0.5, 0.49, 0.51, 3.0])}),
                Case("random", {"a": -2.0, "b": 0.3, "x": _lx})],
    "train_mse_by_degree": [Case("classic", {"x": _x, "y": _y, "degrees": [0, 1, 2, 4, 6]})],
    "fit_logistic_gd": [Case("overlapping", {"x": _lx, "y": _ly, "lr": 0.3, "iters": 300})],
}
