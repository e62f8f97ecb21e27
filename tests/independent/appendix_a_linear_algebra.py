"""An independent, correct appendix-A submission written differently from solutions/ (tests only)."""
import numpy as np


def is_linear_map(T, in_dim, n_trials=20, rng=None):
    # separate additivity and (real, signed) homogeneity tests on a random basis-free sample,
    # compared in norm rather than elementwise
    rng = np.random.default_rng(1) if rng is None else rng
    if np.linalg.norm(np.ravel(T(np.zeros(in_dim)))) > 1e-12:
        return False
    for _ in range(n_trials):
        u, v = rng.normal(size=(2, in_dim))
        c = rng.normal() * 3
        Tu, Tv = np.ravel(T(u)).astype(float), np.ravel(T(v)).astype(float)
        add = np.ravel(T(u + v)).astype(float)
        hom = np.ravel(T(c * u)).astype(float)
        tol = 1e-9 * (1 + np.linalg.norm(Tu) + np.linalg.norm(Tv)) * (1 + abs(c))
        if add.shape != Tu.shape or np.linalg.norm(add - Tu - Tv) > tol:
            return False
        if np.linalg.norm(hom - c * Tu) > tol:
            return False
    return True


def vector_projection(a, b):
    a, b = np.array(a, float), np.array(b, float)
    if a.shape != b.shape or a.ndim != 1 or not np.any(b):
        raise ValueError("bad input")
    unit = b / np.linalg.norm(b)  # a_1 b_hat with a_1 = a . b_hat
    return (a @ unit) * unit


def scalar_projection(a, b):
    a, b = np.array(a, float), np.array(b, float)
    if a.shape != b.shape or a.ndim != 1 or not np.any(b):
        raise ValueError("bad input")
    cos = (a @ b) / (np.linalg.norm(a) * np.linalg.norm(b)) if np.any(a) else 0.0
    return float(np.linalg.norm(a) * cos)


def _check(X, Y):
    X, Y = np.asarray(X), np.asarray(Y)
    if X.ndim != 2 or Y.ndim != 2 or X.shape[1] != Y.shape[0]:
        raise ValueError("shapes")
    return X, Y


def matmul_by_columns(X, Y):
    X, Y = _check(X, Y)
    cols = [(X * Y[:, j][None, :]).sum(axis=1) for j in range(Y.shape[1])]
    if not cols:
        return np.zeros((X.shape[0], 0), dtype=np.result_type(X, Y, float))
    return np.stack(cols, axis=1).astype(np.result_type(X, Y, float))


def matmul_by_outer_products(X, Y):
    X, Y = _check(X, Y)
    # all rank-one terms at once by broadcasting, then summed over the inner index
    terms = X.T[:, :, None] * Y[:, None, :]
    return terms.sum(axis=0) + np.zeros((X.shape[0], Y.shape[1]), dtype=np.result_type(X, Y, float))


def semi_orthogonal_checks(W):
    W = np.asarray(W, float)
    if W.ndim != 2:
        raise ValueError("2-D only")
    d, k = W.shape
    gram = np.array([[W[:, i] @ W[:, j] for j in range(k)] for i in range(k)]).reshape(k, k)
    P = np.array([[W[i] @ W[j] for j in range(d)] for i in range(d)]).reshape(d, d)
    ce = np.abs(gram - np.eye(k)).max() if k else 0.0
    re = np.abs(P - np.eye(d)).max() if d else 0.0
    pe = np.abs(np.linalg.matrix_power(P, 2) - P).max() if d else 0.0
    return dict(orthonormal_columns=bool(ce <= 1e-8), orthonormal_rows=bool(re <= 1e-8),
                orthogonal=bool(d == k and ce <= 1e-8), projector=bool(pe <= 1e-8),
                columns_error=float(ce), rows_error=float(re), projector_error=float(pe))
