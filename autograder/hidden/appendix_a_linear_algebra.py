"""Hidden cases of appendix A (the errata traps: affine maps, homogeneous-but-not-additive maps, large
scales, the (i, j) entry of a product on non-square shapes, complex products, Claim A.1 on tall and
wide matrices)."""
import numpy as np

from ..chapters.appendix_a_linear_algebra import map_case, tall_semi_orthogonal
from ..spec import Case
from . import Normal, draw


def _rng(seed):
    return np.random.default_rng(seed)


def _pair(seed, n, p, m, complex_=False):
    X, Y = _rng(seed).standard_normal((n, p)), _rng(seed + 1).standard_normal((p, m))
    if complex_:
        X = X + 1j * _rng(seed + 2).standard_normal((n, p))
        Y = Y + 1j * _rng(seed + 3).standard_normal((p, m))
    return {"X": X, "Y": Y}


def _partial_isometry(seed):
    W = tall_semi_orthogonal(seed, 4, 3)
    W[:, 2] = 0.0  # W W^T is a rank-2 projector, W^T W = diag(1, 1, 0) != I
    return W


def _map(seed, kind, **options):
    """The map's case (its random trials seeded below 2**31, as the case hands the seed on)."""
    return map_case(kind, seed % 2**31, **options)


def _ab(seed):
    return {"a": _rng(seed).standard_normal(6), "b": 3 * _rng(seed + 1).standard_normal(6)}


def _semi(seed, d, k, transpose=False, scale=1.0):
    W = tall_semi_orthogonal(seed, d, k)
    return {"W": scale * (W.T if transpose else W)}


def _partial(seed):
    return {"W": _partial_isometry(seed)}


CASES = {
    "is_linear_map": [
        Case.drawn("matrix_4_to_3", _map, 10, "matrix", in_dim=4, out_dim=3),
        Case.drawn("large_scale_matrix", _map, 11, "matrix", in_dim=5, out_dim=4, scale=1e8),
        Case("zero_map", map_case("zero", 12)),
        Case("affine_small_shift", map_case("affine", 13, b=np.array([1e-6, 0.0]))),
        Case("elementwise_square", map_case("square", 14)),
        Case("relu", map_case("relu", 15)),
        Case("norm", map_case("norm", 16)),
        Case("homogeneous_not_additive", map_case("homogeneous_not_additive", 17, in_dim=2)),
    ],
    "vector_projection": [
        Case("opposite_direction", {"a": np.array([1.0, 2.0, -1.0]), "b": np.array([-2.0, -1.0, 0.5])}),
        Case.drawn("random_6d", _ab, 20),
        Case("orthogonal_is_zero", {"a": np.array([0.0, 5.0]), "b": np.array([2.0, 0.0])}),
        Case("zero_b_raises", {"a": np.array([1.0, 2.0]), "b": np.array([0.0, 0.0])}),
    ],
    "scalar_projection": [
        Case("negative", {"a": np.array([-3.0, 1.0, 0.0]), "b": np.array([2.0, 0.0, 1.0])}),
        Case.drawn("random_6d", _ab, 22),
        Case("zero_b_raises", {"a": np.array([1.0, 2.0]), "b": np.zeros(2)}),
    ],
    "matmul_by_columns": [
        Case.drawn("5x3_3x7", _pair, 30, 5, 3, 7),
        Case.drawn("complex_2x3_3x4", _pair, 31, 2, 3, 4, complex_=True),
        Case.drawn("vector_times_row", _pair, 32, 4, 1, 3),
        Case("inner_mismatch_raises", {"X": np.ones((2, 3)), "Y": np.ones((2, 2))}),
    ],
    "matmul_by_outer_products": [
        Case.drawn("5x3_3x7", _pair, 40, 5, 3, 7),
        Case.drawn("complex_2x3_3x4", _pair, 41, 2, 3, 4, complex_=True),
        Case.drawn("row_times_column", _pair, 42, 1, 6, 1),
        Case("inner_mismatch_raises", {"X": np.ones((2, 3)), "Y": np.ones((2, 2))}),
    ],
    "semi_orthogonal_checks": [
        Case.drawn("tall_6x3", _semi, 50, 6, 3),
        Case.drawn("wide_2x5", _semi, 51, 5, 2, transpose=True),
        Case.drawn("scaled_orthogonal", _semi, 52, 3, 3, scale=2.0),
        Case.drawn("partial_isometry", _partial, 13),
        Case.drawn("random_4x4", draw, 53, W=Normal((4, 4))),
        Case("vector_raises", {"W": np.ones(3)}),
    ],
}
