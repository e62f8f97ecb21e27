"""Hidden cases of appendix A (the errata traps: affine maps, homogeneous-but-not-additive maps, large
scales, the (i, j) entry of a product on non-square shapes, complex products, Claim A.1 on tall and
wide matrices)."""
import numpy as np

from ..chapters.appendix_a_linear_algebra import map_case, tall_semi_orthogonal
from ..spec import Case


def _rng(seed):
    return np.random.default_rng(seed)


def _pair(seed, n, p, m, complex_=False):
    X, Y = _rng(seed).standard_normal((n, p)), _rng(seed + 1).standard_normal((p, m))
    if complex_:
        X = X + 1j * _rng(seed + 2).standard_normal((n, p))
        Y = Y + 1j * _rng(seed + 3).standard_normal((p, m))
    return {"X": X, "Y": Y}


def _partial_isometry():
    W = tall_semi_orthogonal(13, 4, 3)
    W[:, 2] = 0.0  # W W^T is a rank-2 projector, W^T W = diag(1, 1, 0) != I
    return W


CASES = {
    "is_linear_map": [
        Case("matrix_4_to_3", map_case("matrix", 10, in_dim=4, out_dim=3)),
        Case("large_scale_matrix", map_case("matrix", 11, in_dim=5, out_dim=4, scale=1e8)),
        Case("zero_map", map_case("zero", 12)),
        Case("affine_small_shift", map_case("affine", 13, b=np.array([1e-6, 0.0]))),
        Case("elementwise_square", map_case("square", 14)),
        Case("relu", map_case("relu", 15)),
        Case("norm", map_case("norm", 16)),
        Case("homogeneous_not_additive", map_case("homogeneous_not_additive", 17, in_dim=2)),
    ],
    "vector_projection": [
        Case("opposite_direction", {"a": np.array([1.0, 2.0, -1.0]), "b": np.array([-2.0, -1.0, 0.5])}),
        Case("random_6d", {"a": _rng(20).standard_normal(6), "b": 3 * _rng(21).standard_normal(6)}),
        Case("orthogonal_is_zero", {"a": np.array([0.0, 5.0]), "b": np.array([2.0, 0.0])}),
        Case("zero_b_raises", {"a": np.array([1.0, 2.0]), "b": np.array([0.0, 0.0])}),
    ],
    "scalar_projection": [
        Case("negative", {"a": np.array([-3.0, 1.0, 0.0]), "b": np.array([2.0, 0.0, 1.0])}),
        Case("random_6d", {"a": _rng(22).standard_normal(6), "b": 3 * _rng(23).standard_normal(6)}),
        Case("zero_b_raises", {"a": np.array([1.0, 2.0]), "b": np.zeros(2)}),
    ],
    "matmul_by_columns": [
        Case("5x3_3x7", _pair(30, 5, 3, 7)),
        Case("complex_2x3_3x4", _pair(31, 2, 3, 4, complex_=True)),
        Case("vector_times_row", _pair(32, 4, 1, 3)),
        Case("inner_mismatch_raises", {"X": np.ones((2, 3)), "Y": np.ones((2, 2))}),
    ],
    "matmul_by_outer_products": [
        Case("5x3_3x7", _pair(40, 5, 3, 7)),
        Case("complex_2x3_3x4", _pair(41, 2, 3, 4, complex_=True)),
        Case("row_times_column", _pair(42, 1, 6, 1)),
        Case("inner_mismatch_raises", {"X": np.ones((2, 3)), "Y": np.ones((2, 2))}),
    ],
    "semi_orthogonal_checks": [
        Case("tall_6x3", {"W": tall_semi_orthogonal(50, 6, 3)}),
        Case("wide_2x5", {"W": tall_semi_orthogonal(51, 5, 2).T}),
        Case("scaled_orthogonal", {"W": 2.0 * tall_semi_orthogonal(52, 3, 3)}),
        Case("partial_isometry", {"W": _partial_isometry()}),
        Case("random_4x4", {"W": _rng(53).standard_normal((4, 4))}),
        Case("vector_raises", {"W": np.ones(3)}),
    ],
}
