"""Appendix A: linear algebra (linear maps, projections, matrix products, semi-orthogonal matrices).

Conventions: vectors are 1-D numpy arrays; matrices are 2-D; everything is float64 unless the
inputs are complex (then the products stay complex). No Keras here: this appendix is plain numpy.

Errata of the notes handled below (see each docstring):
- y = a x + b with b != 0 is affine, not linear (T(0) = b != 0).
- Indicator functions are a basis only of functions on a finite domain (on R they span only the
  functions that are nonzero at finitely many points); not an exercise, stated for completeness.
- (A.8): the (i, j) entry of X Y is x_i^T y_j (row i of X times column j of Y), not x_i^T y_i.
- Claim A.1: A^T A = I implies A A^T = I only for a SQUARE A (then A is invertible with
  A^{-1} = A^T); for a tall W (d > k) with W^T W = I_k, W W^T is an orthogonal projector of
  rank k, not I_d.
"""
import numpy as np


def is_linear_map(T, in_dim, n_trials=20, rng=None):
    """Randomized test that ``T`` is a linear map R^in_dim -> R^m (notes A.2).

    ``T`` takes a 1-D float array of shape ``(in_dim,)`` and returns an array (any fixed shape).
    For ``n_trials`` random pairs ``x, y ~ N(0, I)`` and random scalars ``a, b ~ N(0, 1)`` (drawn from
    ``rng``, a ``np.random.Generator``; ``None`` means ``np.random.default_rng(0)``) it checks
    superposition ``T(a x + b y) = a T(x) + b T(y)``, and it checks ``T(0) = 0``. Equality is up to
    rounding: ``|lhs - rhs| <= 1e-9 * (1 + max|a T(x)| + max|b T(y)|)`` elementwise (exact equality
    would reject true linear maps with large entries). Returns a Python ``bool``.

    Erratum: the notes call ``x -> a x + b`` linear; with ``b != 0`` it is affine (T(0) = b), and this
    test returns False for it.
    """
    # BEGIN SOLUTION
    rng = np.random.default_rng(0) if rng is None else rng
    zero_image = np.asarray(T(np.zeros(in_dim)), dtype=float)
    if np.any(np.abs(zero_image) > 1e-12):
        return False
    for _ in range(n_trials):
        x, y = rng.standard_normal(in_dim), rng.standard_normal(in_dim)
        a, b = rng.standard_normal(2)
        tx, ty = a * np.asarray(T(x), dtype=float), b * np.asarray(T(y), dtype=float)
        lhs = np.asarray(T(a * x + b * y), dtype=float)
        scale = 1.0 + np.max(np.abs(tx), initial=0.0) + np.max(np.abs(ty), initial=0.0)
        if lhs.shape != tx.shape or np.any(np.abs(lhs - (tx + ty)) > 1e-9 * scale):
            return False
    return True
    # END SOLUTION


def vector_projection(a, b):
    """Orthogonal projection of ``a`` onto the line spanned by ``b`` (notes A.4): ``(a.b / b.b) b``.

    ``a``, ``b``: 1-D arrays of the same length; returns a 1-D float array parallel to ``b`` whose
    residual ``a - proj`` is orthogonal to ``b``. Raises ``ValueError`` if ``b`` is the zero vector
    (the line is undefined) or if the shapes differ. The divisor is ``||b||^2``: one ``||b||`` makes
    the unit vector b_hat, the other comes from the scalar projection.
    """
    # BEGIN SOLUTION
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if a.shape != b.shape or a.ndim != 1:
        raise ValueError("a and b must be 1-D vectors of the same length")
    bb = float(np.sum(b * b))
    if bb == 0.0:
        raise ValueError("cannot project onto the zero vector")
    return (float(np.sum(a * b)) / bb) * b
    # END SOLUTION


def scalar_projection(a, b):
    """Signed length of the projection of ``a`` onto ``b`` (notes A.4): ``a.b / ||b||``, a float.

    It is ``||a|| cos(theta)``: negative when the angle between ``a`` and ``b`` exceeds 90 degrees.
    ``a``, ``b``: 1-D arrays of the same length. Raises ``ValueError`` for a zero ``b`` or a shape
    mismatch. ``scalar_projection(a, b) * b / ||b|| == vector_projection(a, b)``.
    """
    # BEGIN SOLUTION
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if a.shape != b.shape or a.ndim != 1:
        raise ValueError("a and b must be 1-D vectors of the same length")
    norm_b = float(np.sqrt(np.sum(b * b)))
    if norm_b == 0.0:
        raise ValueError("cannot project onto the zero vector")
    return float(np.sum(a * b)) / norm_b
    # END SOLUTION


def matmul_by_columns(X, Y):
    """``X @ Y`` built one column at a time: column j is ``X y_j = sum_k Y[k, j] X[:, k]`` (notes A.6).

    ``X``: (n, p), ``Y``: (p, m) -> (n, m). Each column of the product is a linear combination of the
    columns of X with the coefficients of column j of Y. Erratum (A.8): the (i, j) entry is
    ``x_i^T y_j`` (row i of X, column j of Y); the notes' first row reads x_1^T y_1, x_2^T y_2, ...
    Works for real and complex inputs (the result has ``np.result_type(X, Y)``; no conjugation);
    p = 0 gives zeros. Raises ``ValueError`` when the inner dimensions differ or an input is not 2-D.
    Written without ``@``/``np.dot``/``np.matmul``/``np.einsum``.
    """
    # BEGIN SOLUTION
    X, Y = np.asarray(X), np.asarray(Y)
    if X.ndim != 2 or Y.ndim != 2 or X.shape[1] != Y.shape[0]:
        raise ValueError(f"cannot multiply shapes {X.shape} and {Y.shape}")
    out = np.zeros((X.shape[0], Y.shape[1]), dtype=np.result_type(X, Y, float))
    for j in range(Y.shape[1]):
        for k in range(X.shape[1]):
            out[:, j] += Y[k, j] * X[:, k]
    return out
    # END SOLUTION


def matmul_by_outer_products(X, Y):
    """``X @ Y`` as a sum of rank-one matrices: ``sum_k outer(X[:, k], Y[k, :])``.

    ``X``: (n, p), ``Y``: (p, m) -> (n, m): column k of X times row k of Y, summed over the inner
    index k. Real or complex inputs (result dtype ``np.result_type(X, Y)``, no conjugation); p = 0 gives
    zeros. Raises ``ValueError`` for mismatched inner dimensions or non-2-D inputs. Written without
    ``@``/``np.dot``/``np.matmul``/``np.einsum``.
    """
    # BEGIN SOLUTION
    X, Y = np.asarray(X), np.asarray(Y)
    if X.ndim != 2 or Y.ndim != 2 or X.shape[1] != Y.shape[0]:
        raise ValueError(f"cannot multiply shapes {X.shape} and {Y.shape}")
    out = np.zeros((X.shape[0], Y.shape[1]), dtype=np.result_type(X, Y, float))
    for k in range(X.shape[1]):
        out += np.outer(X[:, k], Y[k, :])
    return out
    # END SOLUTION


def semi_orthogonal_checks(W):
    """The orthogonality facts of a real matrix ``W`` of shape (d, k), as a dict.

    Returns a dict with the float errors (max absolute entry)
      ``"columns_error"``: ``max|W^T W - I_k|``; ``"rows_error"``: ``max|W W^T - I_d|``;
      ``"projector_error"``: ``max|P P - P|`` for ``P = W W^T`` (P is always symmetric);
    and the booleans (a property holds when its error is <= 1e-8)
      ``"orthonormal_columns"`` (W^T W = I_k), ``"orthonormal_rows"`` (W W^T = I_d),
      ``"orthogonal"`` (square and W^T W = I: then W is invertible, W^{-1} = W^T and W W^T = I too),
      ``"projector"`` (W W^T is an orthogonal projector).
    Erratum (Claim A.1 / addendum): "A^T A = I iff A A^T = I" holds only for SQUARE A; a tall W with
    orthonormal columns (d > k) has W W^T a rank-k projector, not I_d. Raises ``ValueError`` if ``W``
    is not 2-D.
    """
    # BEGIN SOLUTION
    W = np.asarray(W, dtype=float)
    if W.ndim != 2:
        raise ValueError("W must be a 2-D matrix")
    d, k = W.shape
    gram = W.T @ W
    P = W @ W.T
    columns_error = float(np.max(np.abs(gram - np.eye(k)), initial=0.0))
    rows_error = float(np.max(np.abs(P - np.eye(d)), initial=0.0))
    projector_error = float(np.max(np.abs(P @ P - P), initial=0.0))
    return {"columns_error": columns_error, "rows_error": rows_error,
            "projector_error": projector_error,
            "orthonormal_columns": columns_error <= 1e-8, "orthonormal_rows": rows_error <= 1e-8,
            "orthogonal": d == k and columns_error <= 1e-8, "projector": projector_error <= 1e-8}
    # END SOLUTION
