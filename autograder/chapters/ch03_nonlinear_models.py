"""Grading spec of chapter 3 (nonlinear models, overfitting, regularization, classification)."""
import numpy as np

from course.datasets import classic_poly_data, logistic_1d

from ..compare import close, compare
from ..spec import Case, Exercise
from ..verdicts import fail, ok


def probe_fit_poly(module, inputs):
    """Predictions at the training inputs and on a grid: coefficients are ill-conditioned."""
    coeffs = np.asarray(module.fit_poly(inputs["x"], inputs["y"], inputs["k"]), dtype=float)
    grid = np.linspace(np.min(inputs["x"]), np.max(inputs["x"]), 25)
    return {"train": np.polyval(coeffs, inputs["x"]), "grid": np.polyval(coeffs, grid)}


def probe_kfold(module, inputs):
    first = module.kfold_indices(inputs["n"], inputs["k"], inputs["seed"])
    again = module.kfold_indices(inputs["n"], inputs["k"], inputs["seed"])
    return {"folds": [[np.asarray(tr), np.asarray(va)] for tr, va in first],
            "again": [[np.asarray(tr), np.asarray(va)] for tr, va in again]}


def check_kfold(got, expected, inputs):
    """Folds partition range(n); each train set is the complement; sizes differ by <= 1; seeded =
    reproducible; shuffled (with n >= 10 and folds of 3 or more, not every fold a run of consecutive indices)."""
    n, k = inputs["n"], inputs["k"]
    folds = got["folds"]
    if len(folds) != k:
        return fail(f"expected {k} folds, got {len(folds)}")
    vals = []
    for i, (train, val) in enumerate(folds):
        train, val = np.asarray(train), np.asarray(val)
        if train.dtype.kind not in "iu" or val.dtype.kind not in "iu":
            return fail(f"fold {i}: indices must be integer arrays")
        if sorted(np.concatenate([train, val]).tolist()) != list(range(n)):
            return fail(f"fold {i}: train and validation indices together must be range({n}), "
                        "each index once")
        vals.append(val)
    if sorted(np.concatenate(vals).tolist()) != list(range(n)):
        return fail("the validation folds must partition range(n): every index in exactly one fold")
    sizes = [len(v) for v in vals]
    if max(sizes) - min(sizes) > 1:
        return fail(f"fold sizes {sizes} differ by more than 1")
    if compare(got["again"], folds, 0, 0):
        return fail("calling again with the same seed gave different folds")
    if n >= 10 and min(sizes) >= 3 and all(np.ptp(v) == len(v) - 1 for v in vals):
        return fail("the indices are not shuffled (every validation fold is a run of consecutive "
                    "indices): use np.random.default_rng(seed).permutation(n)")
    return ok()


def probe_cv(module, inputs):
    x, y = inputs["x"], inputs["y"]
    out = {"loo": float(module.cross_val_mse(x, y, inputs["loo_degree"], len(x), 0))}
    out["by_degree"] = {str(d): float(module.cross_val_mse(x, y, d, inputs["k"], inputs["seed"]))
                        for d in (1, 4, 15)}
    return out


def check_cv(got, expected, inputs):
    """Leave-one-out CV does not depend on the shuffle: compare it; else the U-shape of Fig 3.4."""
    msg = compare(got["loo"], expected["loo"], rtol=1e-5, atol=1e-9, where="leave-one-out CV")
    if msg:
        return fail(msg)
    cv = got["by_degree"]
    if not (cv["4"] < cv["1"] and cv["4"] < cv["15"]):
        return fail(f"expected CV(4) below CV(1) and CV(15) on this data, got "
                    f"CV(1)={cv['1']:.4g}, CV(4)={cv['4']:.4g}, CV(15)={cv['15']:.4g}")
    return ok()


def probe_sigmoid_like(name):
    def probe(module, inputs):
        with np.errstate(over="raise", invalid="raise", divide="raise"):
            return getattr(module, name)(inputs["z"])
    return probe


EXERCISES = [
    Exercise("poly_features", points=1, check=close(rtol=1e-12, atol=1e-12)),
    Exercise("fit_poly", points=2, probe=probe_fit_poly, check=close(rtol=1e-6, atol=1e-6),
             forbidden=("numpy.polyfit", "numpy.polynomial.polynomial.polyfit")),
    Exercise("kfold_indices", points=3, probe=probe_kfold, check=check_kfold),
    Exercise("cross_val_mse", points=3, probe=probe_cv, check=check_cv),
    Exercise("ridge", points=4, check=close(rtol=1e-8, atol=1e-8),
             forbidden=("course.ch03_nonlinear_models.ridge",)),
    Exercise("lasso_ista", points=5, check=close(rtol=1e-6, atol=1e-8)),
    Exercise("sigmoid", points=2, probe=probe_sigmoid_like("sigmoid"),
             check=close(rtol=1e-12, atol=1e-15)),
    Exercise("sigmoid_grad", points=1, probe=probe_sigmoid_like("sigmoid_grad"),
             check=close(rtol=1e-10, atol=1e-15)),
    Exercise("bce", points=2, check=close(rtol=1e-9, atol=1e-12)),
    Exercise("bce_grad", points=2, check=close(rtol=1e-9, atol=1e-10)),
    Exercise("predict", points=1, check=close(rtol=0, atol=0)),
    Exercise("train_mse_by_degree", points=1, check=close(rtol=1e-6, atol=1e-9)),
    Exercise("fit_logistic_gd", points=3, check=close(rtol=1e-6, atol=1e-9)),
]


def orthonormal_design(seed, n=12, d=4):
    rng = np.random.default_rng(seed)
    Q, _ = np.linalg.qr(rng.standard_normal((n, d)))
    return Q, Q @ rng.standard_normal(d) * 2 + 0.1 * rng.standard_normal(n)


_x, _y = classic_poly_data(seed=1)
_lx, _ly = logistic_1d(n=10, seed=2)
_Q, _qy = orthonormal_design(3)

PUBLIC_CASES = {
    "poly_features": [Case("k3", {"x": np.array([0.0, 1.0, 2.0]), "k": 3})],
    "fit_poly": [Case("k3", {"x": _x, "y": _y, "k": 3})],
    "kfold_indices": [Case("n10_k3", {"n": 10, "k": 3, "seed": 0})],
    "cross_val_mse": [Case("classic", {"x": _x, "y": _y, "k": 5, "seed": 0, "loo_degree": 2})],
    "ridge": [Case("orthonormal", {"X": _Q, "y": _qy, "lam": 0.5})],
    "lasso_ista": [Case("orthonormal", {"X": _Q, "y": _qy, "lam": 0.5, "lr": 0.25, "iters": 200})],
    "sigmoid": [Case("grid", {"z": np.linspace(-5, 5, 11)})],
    "sigmoid_grad": [Case("grid", {"z": np.linspace(-5, 5, 11)})],
    "bce": [Case("small", {"a": 1.0, "b": 0.5, "x": _lx, "y": _ly})],
    "bce_grad": [Case("small", {"a": 1.0, "b": 0.5, "x": _lx, "y": _ly})],
    "predict": [Case("small", {"a": 2.0, "b": -1.0, "x": np.array([0.0, 0.5, 1.0])})],
    "train_mse_by_degree": [Case("classic", {"x": _x, "y": _y, "degrees": [1, 2, 3]})],
    "fit_logistic_gd": [Case("small", {"x": _lx, "y": _ly, "lr": 0.5, "iters": 100})],
}
