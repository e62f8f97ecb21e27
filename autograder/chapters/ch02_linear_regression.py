"""Grading spec of chapter 2 (linear regression, convexity, gradients)."""
import numpy as np

from course.datasets import linear_data

from ..compare import close
from ..spec import Case, Exercise

# Scalar test functions handed to the exercises that take a function (name -> f, f').
SCALAR_FUNCTIONS = {
    "square": (lambda t: t * t, lambda t: 2 * t),
    "exp": (np.exp, np.exp),
    "abs": (np.abs, np.sign),
    "neg_log_sigmoid": (lambda t: np.logaddexp(0.0, -t), lambda t: -1.0 / (1.0 + np.exp(t))),
    "sin": (np.sin, np.cos),
    "sigmoid": (lambda t: 1.0 / (1.0 + np.exp(-t)),
                lambda t: np.exp(-t) / (1.0 + np.exp(-t)) ** 2),
}


def vector_function(spec):
    """f: R^d -> R from a plain description: quadratic 1/2 x^T A x - b^T x, or a smooth mix."""
    if spec["kind"] == "quadratic":
        A, b = np.asarray(spec["A"]), np.asarray(spec["b"])
        return lambda x: 0.5 * x @ A @ x - b @ x
    w = np.asarray(spec["w"])
    return lambda x: float(np.sin(w @ x) + np.sum(x ** 2) * np.exp(-0.1 * (w @ x) ** 2))


def probe_directional(module, inputs):
    f = vector_function(inputs["f"])
    return module.directional_derivative(f, np.asarray(inputs["x"]), np.asarray(inputs["v"]),
                                         inputs.get("h", 1e-6))


def probe_jensen(module, inputs):
    f, _ = SCALAR_FUNCTIONS[inputs["f"]]
    return [float(module.jensen_gap(f, x, y, a)) for x, y, a in inputs["points"]]


def probe_first_order(module, inputs):
    f, df = SCALAR_FUNCTIONS[inputs["f"]]
    return [float(module.first_order_gap(f, df, x, y)) for x, y in inputs["points"]]


EXACT = close(rtol=1e-12, atol=1e-12)
SOLVE = close(rtol=1e-8, atol=1e-8)

EXERCISES = [
    Exercise("mse", points=1, check=close(rtol=1e-10, atol=1e-12)),
    Exercise("sse", points=1, check=close(rtol=1e-10, atol=1e-12)),
    Exercise("grad_line_loss", points=4, check=close(rtol=1e-9, atol=1e-9)),
    Exercise("fit_line", points=3, check=SOLVE, forbidden=("numpy.polyfit",)),
    Exercise("design_matrix", points=2, check=EXACT),
    Exercise("least_squares", points=3, check=SOLVE,
             forbidden=("course.ch02_linear_regression.least_squares", "numpy.polyfit")),
    Exercise("fit_affine", points=4, check=SOLVE,
             forbidden=("course.ch02_linear_regression.fit_affine",)),
    Exercise("partials_example", points=2, check=close(rtol=1e-10, atol=1e-10)),
    # The same symmetric quotient as the reference: rounding (~1e-10) apart, it agrees to 1e-8 while the
    # one-sided quotient of the notes' (2.23) is O(h) = 1e-6 off (rtol 1e-6 let it pass 3 of 4 cases).
    Exercise("directional_derivative", points=3, probe=probe_directional,
             check=close(rtol=1e-8, atol=1e-8)),
    Exercise("lp_distance", points=3, check=close(rtol=1e-10, atol=1e-12)),
    Exercise("jensen_gap", points=2, probe=probe_jensen, check=close(rtol=1e-9, atol=1e-12)),
    Exercise("first_order_gap", points=2, probe=probe_first_order,
             check=close(rtol=1e-9, atol=1e-12)),
]


def _rng(seed):
    return np.random.default_rng(seed)


def line_data(seed, n=20, a=1.5, b=-0.5):
    x, y = linear_data(n=n, a=a, b=b, noise=0.3, seed=seed)
    return {"x": x, "y": y}


PUBLIC_CASES = {
    "mse": [Case("small", {"y": np.array([1.0, 2.0, 3.0]), "y_hat": np.array([1.5, 2.0, 2.0])})],
    "sse": [Case("small", {"y": np.array([1.0, 2.0, 3.0]), "y_hat": np.array([1.5, 2.0, 2.0])})],
    "grad_line_loss": [Case("small", {"a": 0.5, "b": 1.0, **line_data(1, n=5)})],
    "fit_line": [Case("noisy_line", line_data(2))],
    "design_matrix": [Case("vector", {"x": np.array([0.0, 1.0, 2.0])})],
    "least_squares": [Case("line", {"X": np.column_stack([line_data(3)["x"], np.ones(20)]),
                                    "y": line_data(3)["y"]})],
    "fit_affine": [Case("2_to_3", {"X": _rng(4).standard_normal((10, 2)),
                                   "Y": _rng(5).standard_normal((10, 3))})],
    "partials_example": [Case("point", {"x": 1.0, "y": 2.0})],
    "directional_derivative": [Case("quadratic", {
        "f": {"kind": "quadratic", "A": np.array([[2.0, 0.5], [0.5, 1.0]]), "b": np.array([1.0, -1.0])},
        "x": np.array([0.3, -0.7]), "v": np.array([0.6, 0.8])})],
    "lp_distance": [Case("p2", {"x": np.array([0.0, 0.0]), "y": np.array([3.0, 4.0]), "p": 2})],
    "jensen_gap": [Case("square", {"f": "square", "points": [[0.0, 2.0, 0.5]]})],
    "first_order_gap": [Case("square", {"f": "square", "points": [[1.0, 3.0]]})],
}
