"""Grading spec of chapter 4 (gradient descent, learning rates, momentum, mini-batch SGD).

Exercises that take functions get them from plain descriptions, built in the worker by
``objective`` (``f`` and its gradient), ``schedule`` (a learning rate ``t -> float``) and
``mse_batch_grad``. Mini-batches and SGD with shuffling are graded by properties, not by the answer
key's shuffle.
"""
import math

import numpy as np

from course.datasets import quadratic_bowl, sparse_linear_data

from ..compare import close, compare
from ..spec import Case, Exercise
from ..verdicts import fail, ok


def objective(spec):
    """(f, grad) on arrays of shape (d,) from a plain description (``spec["kind"]`` and numbers)."""
    kind = spec["kind"]
    if kind == "quadratic":  # 1/2 x^T A x - b^T x
        A, b = np.asarray(spec["A"], dtype=float), np.asarray(spec["b"], dtype=float)
        return (lambda x: float(0.5 * x @ A @ x - b @ x)), (lambda x: A @ x - b)
    if kind == "double_well":  # sum of x^4 - 3 x^2 + x
        return (lambda x: float(np.sum(x ** 4 - 3 * x ** 2 + x))), (lambda x: 4 * x ** 3 - 6 * x + 1)
    if kind == "rosenbrock":  # (a - x0)^2 + b (x1 - x0^2)^2
        a, b = spec["a"], spec["b"]
        return ((lambda x: float((a - x[0]) ** 2 + b * (x[1] - x[0] ** 2) ** 2)),
                (lambda x: np.array([-2 * (a - x[0]) - 4 * b * x[0] * (x[1] - x[0] ** 2),
                                     2 * b * (x[1] - x[0] ** 2)])))
    if kind == "linear":  # g . x: a constant gradient
        g = np.asarray(spec["g"], dtype=float)
        return (lambda x: float(g @ x)), (lambda x: g.copy())
    if kind == "log_barrier":  # sum of x - log x: NaN for x < 0
        return (lambda x: float(np.sum(x - np.log(x)))), (lambda x: 1 - 1 / x)
    raise ValueError(f"unknown objective {kind!r}")


def schedule(spec):
    """A learning rate: a float, or ``t -> float`` for ``{"kind": "exp" | "inverse_time", ...}``."""
    if not isinstance(spec, dict):
        return spec
    if spec["kind"] == "exp":
        return lambda t: spec["a0"] * math.exp(-spec["rho"] * t)
    if spec["kind"] == "inverse_time":
        return lambda t: spec["a0"] / (1 + spec["rho"] * t)
    raise ValueError(f"unknown schedule {spec['kind']!r}")


def mse_batch_grad(theta, X, y, idx):
    """Gradient of the mean squared error on the rows idx (the grader's own, for sgd)."""
    Xb, yb = X[np.asarray(idx)], y[np.asarray(idx)]
    return 2.0 * Xb.T @ (Xb @ theta - yb) / len(yb)


def probe_gd(module, inputs):
    _, grad = objective(inputs["f"])
    x, history = module.gradient_descent(grad, np.asarray(inputs["x0"], dtype=float), inputs["lr"],
                                         **inputs.get("options", {}))
    return {"x": np.asarray(x, dtype=float), "history": np.asarray(history, dtype=float)}


def probe_line_search(module, inputs):
    f, grad = objective(inputs["f"])
    with np.errstate(invalid="ignore", divide="ignore"):
        return float(module.backtracking_line_search(f, grad, np.asarray(inputs["x"], dtype=float),
                                                     **inputs.get("options", {})))


def probe_schedule(name):
    def probe(module, inputs):
        rate = getattr(module, name)
        return np.array([float(rate(t, **inputs["params"])) for t in inputs["steps"]])
    return probe


def probe_momentum(module, inputs):
    _, grad = objective(inputs["f"])
    return np.asarray(module.momentum_gd(grad, np.asarray(inputs["x0"], dtype=float), inputs["lr"],
                                         inputs["momentum"], inputs["steps"]), dtype=float)


def probe_minibatches(module, inputs):
    def draw():
        seed = inputs["seed"]
        rng = None if seed is None else np.random.default_rng(seed)
        return [np.asarray(b) for b in module.minibatches(inputs["n"], inputs["batch_size"], rng)]
    return {"batches": draw(), "again": draw()}


def check_minibatches(got, expected, inputs):
    """A partition of range(n) into ceil(n/m) batches of m (the last n mod m); seeded = reproducible."""
    n, m = inputs["n"], inputs["batch_size"]
    batches = got["batches"]
    if not isinstance(batches, list):
        return fail("return a list of index arrays")
    for i, batch in enumerate(batches):
        if np.asarray(batch).dtype.kind not in "iu" or np.ndim(batch) != 1:
            return fail(f"batch {i} is not a 1-D integer array")
    sizes = [len(b) for b in batches]
    wanted = [m] * (n // m) + ([n % m] if n % m else [])
    if sizes != wanted:
        return fail(f"expected batch sizes {wanted} (the last one n mod batch_size), got {sizes}")
    everything = np.concatenate(batches)
    if sorted(everything.tolist()) != list(range(n)):
        return fail(f"the batches must partition range({n}): every index exactly once")
    if inputs["seed"] is None:
        msg = compare(batches, expected["batches"], 0, 0, where="batches")
        return fail(msg + " (rng=None: no shuffling)") if msg else ok()
    if compare(got["again"], batches, 0, 0):
        return fail("the same seed gave different batches: draw the order from rng")
    if n >= 8 and np.array_equal(everything, np.arange(n)):
        return fail("the indices are not shuffled: use rng.permutation(n)")
    return ok()


def probe_sgd(module, inputs):
    def run():
        theta, losses = module.sgd(inputs["X"], inputs["y"], mse_batch_grad, schedule(inputs["lr"]),
                                   inputs["batch_size"], inputs["epochs"], inputs["seed"],
                                   inputs.get("momentum", 0.0))
        return np.asarray(theta, dtype=float), np.asarray(losses, dtype=float).reshape(-1)
    theta, losses = run()
    return {"theta": theta, "losses": losses, "again": run()[0]}


def check_sgd(got, expected, inputs):
    """Exact (to rounding) when the result does not depend on the shuffle: seed None or one batch
    per epoch. Otherwise: reproducible, and ``theta`` within ``inputs["band"]`` of least squares."""
    X, y = inputs["X"], inputs["y"]
    if inputs["seed"] is None or inputs["batch_size"] >= len(X):
        msg = compare(got, expected, rtol=1e-9, atol=1e-12)
        return fail(msg) if msg else ok()
    for key in ("theta", "losses"):
        msg = compare(got[key], expected[key], rtol=np.inf, atol=np.inf, where=key)  # shapes only
        if msg:
            return fail(msg)
    if compare(got["again"], got["theta"], 0, 0):
        return fail("the same seed gave a different theta: make one np.random.default_rng(seed)")
    best = np.linalg.lstsq(X, y, rcond=None)[0]
    msg = compare(got["theta"], best, rtol=0, atol=inputs["band"], where="theta vs least squares")
    return fail(msg) if msg else ok()


EXACT = close(rtol=1e-10, atol=1e-12)

EXERCISES = [
    Exercise("gradient_descent", points=5, probe=probe_gd, check=close(rtol=1e-9, atol=1e-12)),
    Exercise("backtracking_line_search", points=4, probe=probe_line_search, check=EXACT),
    Exercise("lr_linear", points=2, probe=probe_schedule("lr_linear"), check=EXACT),
    Exercise("lr_inverse_time", points=1, probe=probe_schedule("lr_inverse_time"), check=EXACT),
    Exercise("lr_exp", points=1, probe=probe_schedule("lr_exp"), check=EXACT),
    Exercise("momentum_gd", points=4, probe=probe_momentum, check=close(rtol=1e-9, atol=1e-12)),
    Exercise("minibatches", points=3, probe=probe_minibatches, check=check_minibatches),
    Exercise("minibatch_grad", points=3, check=EXACT),
    Exercise("sgd", points=7, probe=probe_sgd, check=check_sgd),
]


def quadratic(kappa=10.0):
    A, b = quadratic_bowl(kappa)
    return {"kind": "quadratic", "A": A, "b": b}


def regression(n, d=3, noise=0.5, seed=0):
    X, y, _ = sparse_linear_data(n=n, d=d, n_active=d, noise=noise, seed=seed)
    return {"X": X, "y": y}


PUBLIC_CASES = {
    "gradient_descent": [Case("bowl", {"f": quadratic(), "x0": np.array([-1.0, 2.0]), "lr": 0.15})],
    "backtracking_line_search": [Case("bowl", {"f": quadratic(), "x": np.array([-1.0, 2.0])})],
    "lr_linear": [Case("steps_0_20", {"steps": list(range(21)),
                                      "params": {"a0": 0.5, "a_end": 0.1, "rho": 10}})],
    "lr_inverse_time": [Case("steps_0_20", {"steps": list(range(21)), "params": {"a0": 0.5, "rho": 0.1}})],
    "lr_exp": [Case("steps_0_20", {"steps": list(range(21)), "params": {"a0": 0.5, "rho": 0.1}})],
    "momentum_gd": [Case("bowl", {"f": quadratic(), "x0": np.array([-1.0, 2.0]), "lr": 0.05,
                                  "momentum": 0.9, "steps": 30})],
    "minibatches": [Case("n10_m4", {"n": 10, "batch_size": 4, "seed": 0})],
    "minibatch_grad": [Case("small", {**regression(8, d=2, seed=1), "theta": np.array([0.5, -1.0]),
                                      "idx": np.array([0, 3, 5])})],
    "sgd": [Case("in_order", {**regression(20, d=2, seed=2), "lr": 0.05, "batch_size": 6,
                              "epochs": 5, "seed": None})],
}
