"""Grading spec of appendix A (linear algebra: linear maps, projections, products, semi-orthogonality).

``is_linear_map`` receives a function: the inputs name the map (``kind`` and its matrices) and the
probe builds it in the worker, with ``rng = np.random.default_rng(seed)``. Products are compared as
complex when the inputs are complex. ``semi_orthogonal_checks``: booleans must agree; the errors
(max absolute entries) within rtol 1e-6, atol 1e-12 (they are rounding-level for orthonormal input).
"""
import numpy as np

from ..compare import close, compare
from ..spec import Case, Exercise
from ..verdicts import fail, ok


def _homogeneous_not_additive(x):
    """x -> x_0^3 / (x_0^2 + x_1^2) (0 at 0): T(a x) = a T(x) for every real a, yet not additive."""
    r2 = x[0] * x[0] + x[1] * x[1]
    return np.array([0.0 if r2 == 0 else x[0] ** 3 / r2])


def build_map(inputs):
    """The map named by ``inputs["kind"]`` (plain data -> a Python function of a 1-D array)."""
    kind = inputs["kind"]
    A = np.asarray(inputs.get("A", np.zeros((1, inputs["in_dim"]))), dtype=float)
    b = np.asarray(inputs.get("b", np.zeros(len(A))), dtype=float)
    maps = {
        "matrix": lambda x: A @ x,
        "affine": lambda x: A @ x + b,
        "square": lambda x: A @ (x * x),
        "relu": lambda x: A @ np.maximum(x, 0.0),
        "norm": lambda x: A[:, 0] * np.sqrt(np.sum(x * x)),
        "homogeneous_not_additive": _homogeneous_not_additive,
        "zero": lambda x: np.zeros(3),
    }
    return maps[kind]


def probe_is_linear_map(module, inputs):
    rng = np.random.default_rng(inputs["seed"])
    return bool(module.is_linear_map(build_map(inputs), inputs["in_dim"], inputs["n_trials"], rng))


def check_is_linear_map(got, expected, inputs):
    if got != expected:
        return fail(f"is_linear_map said {got} for the map {inputs['kind']!r}; it is "
                    f"{'linear' if expected else 'not linear'} (check T(0) = 0 and "
                    "T(a x + b y) = a T(x) + b T(y) for random real a, b, up to rounding)")
    return ok()


def probe_product(name):
    def probe(module, inputs):
        return np.asarray(getattr(module, name)(**inputs))
    return probe


def check_product(got, expected, inputs):
    """Equal to X @ Y (rtol 1e-10, atol 1e-10), complex stays complex."""
    if np.iscomplexobj(expected) and not np.iscomplexobj(got):
        return fail("the inputs are complex: the product must be complex (do not cast to float)")
    msg = compare(got, expected, rtol=1e-10, atol=1e-10, where="X @ Y")
    return fail(msg) if msg else ok()


_BOOLS = ("orthonormal_columns", "orthonormal_rows", "orthogonal", "projector")
_ERRORS = ("columns_error", "rows_error", "projector_error")


def probe_semi_orthogonal(module, inputs):
    out = module.semi_orthogonal_checks(**inputs)
    return {key: (bool(out[key]) if key in _BOOLS else float(out[key])) for key in _BOOLS + _ERRORS}


def check_semi_orthogonal(got, expected, inputs):
    for key in _BOOLS:
        if got[key] != expected[key]:
            return fail(f"{key!r} is {got[key]}, expected {expected[key]} (W has shape "
                        f"{np.shape(inputs['W'])}; Claim A.1 holds for square matrices only)")
    for key in _ERRORS:
        msg = compare(got[key], expected[key], rtol=1e-6, atol=1e-12, where=key)
        if msg:
            return fail(msg)
    return ok()


_NO_MATMUL = ("numpy.matmul", "numpy.dot", "numpy.einsum", "numpy.tensordot", "numpy.inner",
              "numpy.linalg.multi_dot", "numpy.vdot")

EXERCISES = [
    Exercise("is_linear_map", points=4, probe=probe_is_linear_map, check=check_is_linear_map),
    Exercise("vector_projection", points=2, check=close(rtol=1e-10, atol=1e-12)),
    Exercise("scalar_projection", points=2, check=close(rtol=1e-10, atol=1e-12)),
    Exercise("matmul_by_columns", points=3, probe=probe_product("matmul_by_columns"),
             check=check_product, forbidden=_NO_MATMUL),
    Exercise("matmul_by_outer_products", points=3, probe=probe_product("matmul_by_outer_products"),
             check=check_product, forbidden=_NO_MATMUL),
    Exercise("semi_orthogonal_checks", points=4, probe=probe_semi_orthogonal,
             check=check_semi_orthogonal),
]


def _rng(seed):
    return np.random.default_rng(seed)


def map_case(kind, seed, in_dim=3, out_dim=2, n_trials=10, scale=1.0, **extra):
    inputs = {"kind": kind, "in_dim": in_dim, "n_trials": n_trials, "seed": seed,
              "A": scale * _rng(seed + 100).standard_normal((out_dim, in_dim))}
    inputs.update(extra)
    return inputs


def tall_semi_orthogonal(seed, d, k):
    Q, _ = np.linalg.qr(_rng(seed).standard_normal((d, k)))
    return Q


PUBLIC_CASES = {
    "is_linear_map": [Case("matrix", map_case("matrix", 0)),
                      Case("affine", map_case("affine", 1, b=np.array([0.5, -1.0])))],
    "vector_projection": [Case("plane", {"a": np.array([2.0, 1.0]), "b": np.array([3.0, 0.0])})],
    "scalar_projection": [Case("plane", {"a": np.array([2.0, 1.0]), "b": np.array([3.0, 4.0])})],
    "matmul_by_columns": [Case("3x4_4x2", {"X": _rng(2).standard_normal((3, 4)),
                                           "Y": _rng(3).standard_normal((4, 2))})],
    "matmul_by_outer_products": [Case("3x4_4x2", {"X": _rng(2).standard_normal((3, 4)),
                                                  "Y": _rng(3).standard_normal((4, 2))})],
    "semi_orthogonal_checks": [Case("square_orthogonal", {"W": tall_semi_orthogonal(4, 3, 3)}),
                               Case("tall_5x2", {"W": tall_semi_orthogonal(5, 5, 2)})],
}
