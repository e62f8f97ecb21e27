"""Hidden cases of chapter 2."""
import numpy as np

from ..chapters.ch02_linear_regression import line_data
from ..spec import Case


def _rng(seed):
    return np.random.default_rng(seed)


def _pred_pair(seed, n):
    rng = _rng(seed)
    y = rng.standard_normal(n)
    return {"y": y, "y_hat": y + rng.standard_normal(n)}


def _design(seed, n, d):
    X = np.column_stack([_rng(seed).standard_normal((n, d)), np.ones(n)])
    theta = np.arange(1.0, d + 2)
    return {"X": X, "y": X @ theta + 0.1 * _rng(seed + 1).standard_normal(n)}


def _affine(seed, n, d_in, d_out):
    rng = _rng(seed)
    X = rng.standard_normal((n, d_in))
    A, b = rng.standard_normal((d_out, d_in)), rng.standard_normal(d_out)
    return {"X": X, "Y": X @ A.T + b + 0.05 * rng.standard_normal((n, d_out))}


def _with(seed, make, a, b, **kwargs):
    return {"a": a, "b": b, **make(seed, **kwargs)}


def _normal(seed, name, shape):
    return {name: _rng(seed).standard_normal(shape)}


def _point(seed, i):
    x, y = _rng(seed).uniform(-3, 3, (3, 2))[i]
    return {"x": float(x), "y": float(y)}


def _lp_pair(seed, p):
    return {"x": _rng(seed).standard_normal(6), "y": _rng(seed + 1).standard_normal(6), "p": p}


_SMOOTH = {"kind": "smooth", "w": np.array([0.7, -1.2, 0.4])}
_QUAD = {"kind": "quadratic", "A": np.array([[3.0, 1.0, 0.0], [1.0, 2.0, 0.5], [0.0, 0.5, 1.0]]),
         "b": np.array([1.0, 0.0, -2.0])}

CASES = {
    "mse": [Case.drawn("random_50", _pred_pair, 10, 50), Case.drawn("one_sample", _pred_pair, 11, 1),
            Case("exact", {"y": np.arange(5.0), "y_hat": np.arange(5.0)})],
    "sse": [Case.drawn("random_50", _pred_pair, 12, 50), Case.drawn("one_sample", _pred_pair, 13, 1)],
    "grad_line_loss": [Case.drawn("random", _with, 14, line_data, n=30, a=-0.7, b=2.0),
                       Case.drawn("at_zero", _with, 15, line_data, n=8, a=0.0, b=0.0)],
    "fit_line": [Case.drawn("noisy_40", line_data, 16, n=40, a=-3.0, b=4.0),
                 Case("two_points", {"x": np.array([1.0, 3.0]), "y": np.array([2.0, 6.0])}),
                 Case("constant_x_raises", {"x": np.full(5, 2.0), "y": np.arange(5.0)})],
    "design_matrix": [Case.drawn("vector", _normal, 17, "x", 7),
                      Case.drawn("matrix", _normal, 18, "x", (6, 3))],
    "least_squares": [Case.drawn("d3", _design, 19, 40, 3), Case.drawn("square", _design, 20, 5, 4),
                      Case.drawn("tall_d1", _design, 21, 200, 1)],
    "fit_affine": [Case.drawn("3_to_2", _affine, 22, 30, 3, 2),
                   Case.drawn("1_to_4", _affine, 23, 25, 1, 4)],
    "partials_example": [Case.drawn(f"point{i}", _point, 24, i) for i in range(3)],
    "directional_derivative": [
        Case("quadratic", {"f": _QUAD, "x": np.array([0.5, -1.0, 2.0]),
                           "v": np.array([1.0, 2.0, 2.0]) / 3.0}),
        Case("smooth", {"f": _SMOOTH, "x": np.array([0.2, 0.1, -0.4]),
                        "v": np.array([0.0, 0.6, 0.8])}),
        Case("steepest", {"f": _SMOOTH, "x": np.array([1.0, 0.0, 0.5]),
                          "v": np.array([1.0, 0.0, 0.0])}),
        # v is used as given: every other direction is a unit vector, so normalising v would pass
        Case("non_unit_v", {"f": _QUAD, "x": np.array([-0.3, 0.8, 0.1]),
                            "v": np.array([2.0, -1.0, 0.5])})],
    "lp_distance": [Case.drawn(name, _lp_pair, 25, p)
                    for name, p in (("p1", 1), ("p2", 2), ("p3", 3), ("p_inf", np.inf), ("p_half", 0.5))],
    "jensen_gap": [Case(f, {"f": f, "points": [[-1.0, 2.0, 0.3], [0.5, 3.0, 0.5], [-2.0, -0.5, 0.9]]})
                   for f in ("square", "exp", "sin", "sigmoid")],
    "first_order_gap": [Case(f, {"f": f, "points": [[-1.0, 2.0], [0.5, 3.0], [1.0, -0.5]]})
                        for f in ("square", "exp", "neg_log_sigmoid", "sin")],
}
