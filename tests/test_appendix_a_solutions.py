"""Appendix A answer key against independent oracles (numpy @, scipy, closed forms, brute force) and
the notes' errata (affine is not linear; (A.8)'s (i, j) entry; Claim A.1 only for square matrices)."""
import types

import numpy as np
import pytest
from scipy.linalg import orth, null_space
from scipy.stats import ortho_group

from solutions import appendix_a_linear_algebra as sol


def test_layout(check_solution_layout):
    check_solution_layout(sol)
    modules = {v.__name__ for v in vars(sol).values() if isinstance(v, types.ModuleType)}
    assert modules <= {"numpy", "math"}, "appendix A is numpy-only"


# --- linear maps ------------------------------------------------------------------------------------

@pytest.mark.parametrize("shape", [(1, 1), (2, 3), (4, 4), (5, 2)])
def test_matrix_maps_are_linear(shape):
    A = np.random.default_rng(0).standard_normal(shape)
    assert sol.is_linear_map(lambda x: A @ x, shape[1], 20, np.random.default_rng(1)) is True


def test_linear_with_large_entries_and_matrix_valued_output():
    A = 1e9 * np.random.default_rng(2).standard_normal((3, 4))
    assert sol.is_linear_map(lambda x: A @ x, 4, 30, np.random.default_rng(3))
    assert sol.is_linear_map(lambda x: np.outer(x, [1.0, -2.0]), 3, 10, np.random.default_rng(4))
    assert sol.is_linear_map(np.cumsum, 5, 10, np.random.default_rng(5))  # a triangular matrix


def test_erratum_affine_is_not_linear():
    """The notes call y = a x + b linear: with b != 0 it is affine (T(0) = b)."""
    for b in (1.0, -3.0, 1e-6):
        assert sol.is_linear_map(lambda x: 2.0 * x + b, 1, 10, np.random.default_rng(6)) is False
    assert sol.is_linear_map(lambda x: 2.0 * x + 0.0, 1, 10, np.random.default_rng(6)) is True


@pytest.mark.parametrize("T", [np.square, np.sin, lambda x: np.maximum(x, 0), np.abs,
                               lambda x: np.array([np.linalg.norm(x)]),
                               lambda x: np.array([x[0] ** 3 / (x @ x) if x @ x else 0.0])])
def test_nonlinear_maps_with_T0_zero(T):
    assert sol.is_linear_map(T, 2, 20, np.random.default_rng(7)) is False


def test_default_rng_and_reproducible():
    calls = []
    sol.is_linear_map(lambda x: calls.append(x.copy()) or x, 3, 2, None)
    again = []
    sol.is_linear_map(lambda x: again.append(x.copy()) or x, 3, 2, None)
    np.testing.assert_array_equal(np.array(calls), np.array(again))


# --- projections ------------------------------------------------------------------------------------

@pytest.mark.parametrize("seed", range(5))
def test_projection_against_least_squares_and_residual_orthogonal(seed):
    rng = np.random.default_rng(seed)
    a, b = rng.standard_normal(6), 5 * rng.standard_normal(6)
    coef = np.linalg.lstsq(b[:, None], a, rcond=None)[0][0]  # the closest point of the line span(b)
    proj = sol.vector_projection(a, b)
    np.testing.assert_allclose(proj, coef * b, rtol=1e-10, atol=1e-12)
    assert abs((a - proj) @ b) < 1e-10 * np.linalg.norm(a) * np.linalg.norm(b)
    s = sol.scalar_projection(a, b)
    theta = np.arccos(a @ b / np.linalg.norm(a) / np.linalg.norm(b))
    assert s == pytest.approx(np.linalg.norm(a) * np.cos(theta), rel=1e-9)
    np.testing.assert_allclose(s * b / np.linalg.norm(b), proj, rtol=1e-10, atol=1e-12)
    # projecting twice changes nothing; a multiple of b projects to itself
    np.testing.assert_allclose(sol.vector_projection(proj, b), proj, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(sol.vector_projection(-2.5 * b, b), -2.5 * b, rtol=1e-12)


def test_scalar_projection_is_signed():
    assert sol.scalar_projection(np.array([-3.0, 0.0]), np.array([2.0, 0.0])) == -3.0
    assert sol.scalar_projection(np.array([3.0, 4.0]), np.array([0.0, 2.0])) == 4.0


@pytest.mark.parametrize("fn", [sol.vector_projection, sol.scalar_projection])
def test_projection_onto_zero_vector_or_mismatched_shapes_raises(fn):
    with pytest.raises(ValueError):
        fn(np.ones(3), np.zeros(3))
    with pytest.raises(ValueError):
        fn(np.ones(3), np.ones(2))


# --- products ---------------------------------------------------------------------------------------

SHAPES = [(3, 4, 2), (1, 5, 1), (4, 1, 3), (2, 2, 2), (6, 3, 5), (2, 0, 3)]


@pytest.mark.parametrize("fn", [sol.matmul_by_columns, sol.matmul_by_outer_products])
@pytest.mark.parametrize("n, p, m", SHAPES)
def test_products_equal_matmul(fn, n, p, m):
    rng = np.random.default_rng(n * 100 + p * 10 + m)
    X, Y = rng.standard_normal((n, p)), rng.standard_normal((p, m))
    got = fn(X, Y)
    assert got.shape == (n, m)
    np.testing.assert_allclose(got, X @ Y, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("fn", [sol.matmul_by_columns, sol.matmul_by_outer_products])
def test_products_complex_stay_complex(fn):
    rng = np.random.default_rng(9)
    X = rng.standard_normal((3, 4)) + 1j * rng.standard_normal((3, 4))
    Y = rng.standard_normal((4, 2)) - 1j * rng.standard_normal((4, 2))
    got = fn(X, Y)
    assert np.iscomplexobj(got)
    np.testing.assert_allclose(got, X @ Y, rtol=1e-12, atol=1e-12)


def test_erratum_A8_entry_i_j_is_row_i_times_column_j():
    """(A.8) prints the first row of X Y as x_1^T y_1, x_2^T y_2, ...; it is x_1^T y_1, x_1^T y_2, ..."""
    rng = np.random.default_rng(10)
    X, Y = rng.standard_normal((3, 4)), rng.standard_normal((4, 3))
    got = sol.matmul_by_columns(X, Y)
    brute = np.array([[sum(X[i, k] * Y[k, j] for k in range(4)) for j in range(3)] for i in range(3)])
    np.testing.assert_allclose(got, brute, rtol=1e-12)
    notes_row = np.array([X[j] @ Y[:, j] for j in range(3)])  # the notes' printed first row
    assert not np.allclose(got[0], notes_row)


def test_outer_product_terms_are_rank_one_and_columns_are_combinations():
    rng = np.random.default_rng(11)
    X, Y = rng.standard_normal((4, 3)), rng.standard_normal((3, 5))
    for k in range(3):  # one term alone: the product of column k and row k, rank one
        term = sol.matmul_by_outer_products(X[:, k:k + 1], Y[k:k + 1, :])
        assert np.linalg.matrix_rank(term) == 1
    # each column of the product lies in the column space of X (A.6)
    P = sol.matmul_by_columns(X, Y)
    assert null_space(np.column_stack([orth(X), P])).shape[1] == 5


@pytest.mark.parametrize("fn", [sol.matmul_by_columns, sol.matmul_by_outer_products])
def test_products_reject_mismatched_shapes(fn):
    with pytest.raises(ValueError):
        fn(np.ones((2, 3)), np.ones((2, 2)))
    with pytest.raises(ValueError):
        fn(np.ones(3), np.ones((3, 2)))


# --- semi-orthogonal matrices -----------------------------------------------------------------------

def test_square_orthogonal_claim_A1():
    Q = ortho_group.rvs(5, random_state=12)
    out = sol.semi_orthogonal_checks(Q)
    assert out["orthonormal_columns"] and out["orthonormal_rows"] and out["orthogonal"] and out["projector"]
    np.testing.assert_allclose(np.linalg.inv(Q), Q.T, atol=1e-12)  # invertible with inverse Q^T


def test_erratum_claim_A1_fails_for_tall_matrices():
    """Addendum: W^T W = I_k for a tall W, but W W^T is a rank-k projector, not I_d."""
    W = ortho_group.rvs(6, random_state=13)[:, :2]
    out = sol.semi_orthogonal_checks(W)
    assert out["orthonormal_columns"] and not out["orthonormal_rows"] and not out["orthogonal"]
    assert out["projector"]
    P = W @ W.T
    assert np.linalg.matrix_rank(P) == 2
    assert out["rows_error"] == pytest.approx(np.abs(P - np.eye(6)).max(), rel=1e-12)
    assert out["rows_error"] > 0.1
    # the notes' "A^T A = I implies A A^T = I" would claim orthonormal rows here
    assert out["orthonormal_rows"] != out["orthonormal_columns"]
    wide = sol.semi_orthogonal_checks(W.T)
    assert wide["orthonormal_rows"] and not wide["orthonormal_columns"] and wide["projector"]


def test_errors_against_brute_force_on_generic_matrices():
    rng = np.random.default_rng(14)
    for shape in [(3, 3), (4, 2), (2, 4)]:
        W = rng.standard_normal(shape)
        out = sol.semi_orthogonal_checks(W)
        d, k = shape
        gram = np.array([[W[:, i] @ W[:, j] for j in range(k)] for i in range(k)])
        P = np.array([[W[i] @ W[j] for j in range(d)] for i in range(d)])
        assert out["columns_error"] == pytest.approx(np.abs(gram - np.eye(k)).max(), rel=1e-12)
        assert out["projector_error"] == pytest.approx(np.abs(P @ P - P).max(), rel=1e-10)
        assert not (out["orthonormal_columns"] or out["orthonormal_rows"] or out["projector"])


def test_partial_isometry_is_a_projector_without_orthonormal_columns():
    W = ortho_group.rvs(4, random_state=15)[:, :3].copy()
    W[:, 1] = 0.0
    out = sol.semi_orthogonal_checks(W)
    assert out["projector"] and not out["orthonormal_columns"]
    assert not sol.semi_orthogonal_checks(2 * ortho_group.rvs(3, random_state=16))["projector"]


def test_semi_orthogonal_rejects_vectors():
    with pytest.raises(ValueError):
        sol.semi_orthogonal_checks(np.ones(3))
