# %% [markdown]
# # Appendix A: linear algebra (linear maps, projections, matrix products, semi-orthogonal matrices).
#
# Conventions: vectors are 1-D numpy arrays; matrices are 2-D; everything is float64 unless the
# inputs are complex (then the products stay complex). No Keras here: this appendix is plain numpy.
#
# Errata of the notes handled below (see each docstring):
# - y = a x + b with b != 0 is affine, not linear (T(0) = b != 0).
# - Indicator functions are a basis only of functions on a finite domain (on R they span only the
#   functions that are nonzero at finitely many points); not an exercise, stated for completeness.
# - (A.8): the (i, j) entry of X Y is x_i^T y_j (row i of X times column j of Y), not x_i^T y_i.
# - Claim A.1: A^T A = I implies A A^T = I only for a SQUARE A (then A is invertible with
#   A^{-1} = A^T); for a tall W (d > k) with W^T W = I_k, W W^T is an orthogonal projector of
#   rank k, not I_d.
#
# **How to work in this notebook.** Run the setup cell below first. Then, for each exercise, write your
# code in place of the `raise NotImplementedError(...)` line, run the cell, and run the check cell
# after it: `check("name")` runs that exercise's public checks on the definition in this kernel and
# prints `PASS` or `FAIL` for each case (a hang stops after the time limit; an error in your code is a
# `FAIL` line); `check()` runs the whole chapter. From a shell, `autograder check appendix_a` checks the
# exercises folder (this notebook, or the paired `appendix_a_linear_algebra.py` file), and `autograder check
# appendix_a_linear_algebra.ipynb` this notebook. Your grade comes from hidden cases with other inputs. Scratch
# cells (plots, training runs, prints) are fine: grading keeps only the imports, definitions and
# constants, and leaves the rest out.
#
# _Generated from the answer key by `autograder sync` (course maintainers edit `solutions/`)._

# %%
import numpy as np

# check("name") runs an exercise's public checks on your definition; check() all of them
from autograder.notebook import Checks

check = Checks("appendix_a_linear_algebra")


# %% [markdown]
# ## Exercise `is_linear_map` (4 points)
#
# Randomized test that `T` is a linear map R^in_dim -> R^m (notes A.2).
#
# `T` takes a 1-D float array of shape `(in_dim,)` and returns an array (any fixed shape).
# For `n_trials` random pairs `x, y ~ N(0, I)` and random scalars `a, b ~ N(0, 1)` (drawn from
# `rng`, a `np.random.Generator`; `None` means `np.random.default_rng(0)`) it checks
# superposition `T(a x + b y) = a T(x) + b T(y)`, and it checks `T(0) = 0`. Equality is up to
# rounding: `|lhs - rhs| <= 1e-9 * (1 + max|a T(x)| + max|b T(y)|)` elementwise (exact equality
# would reject true linear maps with large entries). Returns a Python `bool`.
#
# Erratum: the notes call `x -> a x + b` linear; with `b != 0` it is affine (T(0) = b), and this
# test returns False for it.

# %%
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
    raise NotImplementedError("appendix_a_linear_algebra.is_linear_map: not implemented yet")


# %%
check("is_linear_map")


# %% [markdown]
# ## Exercise `vector_projection` (2 points)
#
# Orthogonal projection of `a` onto the line spanned by `b` (notes A.4): `(a.b / b.b) b`.
#
# `a`, `b`: 1-D arrays of the same length; returns a 1-D float array parallel to `b` whose
# residual `a - proj` is orthogonal to `b`. Raises `ValueError` if `b` is the zero vector
# (the line is undefined) or if the shapes differ. The divisor is `||b||^2`: one `||b||` makes
# the unit vector b_hat, the other comes from the scalar projection.

# %%
def vector_projection(a, b):
    """Orthogonal projection of ``a`` onto the line spanned by ``b`` (notes A.4): ``(a.b / b.b) b``.

    ``a``, ``b``: 1-D arrays of the same length; returns a 1-D float array parallel to ``b`` whose
    residual ``a - proj`` is orthogonal to ``b``. Raises ``ValueError`` if ``b`` is the zero vector
    (the line is undefined) or if the shapes differ. The divisor is ``||b||^2``: one ``||b||`` makes
    the unit vector b_hat, the other comes from the scalar projection.
    """
    raise NotImplementedError("appendix_a_linear_algebra.vector_projection: not implemented yet")


# %%
check("vector_projection")


# %% [markdown]
# ## Exercise `scalar_projection` (2 points)
#
# Signed length of the projection of `a` onto `b` (notes A.4): `a.b / ||b||`, a float.
#
# It is `||a|| cos(theta)`: negative when the angle between `a` and `b` exceeds 90 degrees.
# `a`, `b`: 1-D arrays of the same length. Raises `ValueError` for a zero `b` or a shape
# mismatch. `scalar_projection(a, b) * b / ||b|| == vector_projection(a, b)`.

# %%
def scalar_projection(a, b):
    """Signed length of the projection of ``a`` onto ``b`` (notes A.4): ``a.b / ||b||``, a float.

    It is ``||a|| cos(theta)``: negative when the angle between ``a`` and ``b`` exceeds 90 degrees.
    ``a``, ``b``: 1-D arrays of the same length. Raises ``ValueError`` for a zero ``b`` or a shape
    mismatch. ``scalar_projection(a, b) * b / ||b|| == vector_projection(a, b)``.
    """
    raise NotImplementedError("appendix_a_linear_algebra.scalar_projection: not implemented yet")


# %%
check("scalar_projection")


# %% [markdown]
# ## Exercise `matmul_by_columns` (3 points)
#
# `X @ Y` built one column at a time: column j is `X y_j = sum_k Y[k, j] X[:, k]` (notes A.6).
#
# `X`: (n, p), `Y`: (p, m) -> (n, m). Each column of the product is a linear combination of the
# columns of X with the coefficients of column j of Y. Erratum (A.8): the (i, j) entry is
# `x_i^T y_j` (row i of X, column j of Y); the notes' first row reads x_1^T y_1, x_2^T y_2, ...
# Works for real and complex inputs (the result has `np.result_type(X, Y)`; no conjugation);
# p = 0 gives zeros. Raises `ValueError` when the inner dimensions differ or an input is not 2-D.
# Written without `@`/`np.dot`/`np.matmul`/`np.einsum`.

# %%
def matmul_by_columns(X, Y):
    """``X @ Y`` built one column at a time: column j is ``X y_j = sum_k Y[k, j] X[:, k]`` (notes A.6).

    ``X``: (n, p), ``Y``: (p, m) -> (n, m). Each column of the product is a linear combination of the
    columns of X with the coefficients of column j of Y. Erratum (A.8): the (i, j) entry is
    ``x_i^T y_j`` (row i of X, column j of Y); the notes' first row reads x_1^T y_1, x_2^T y_2, ...
    Works for real and complex inputs (the result has ``np.result_type(X, Y)``; no conjugation);
    p = 0 gives zeros. Raises ``ValueError`` when the inner dimensions differ or an input is not 2-D.
    Written without ``@``/``np.dot``/``np.matmul``/``np.einsum``.
    """
    raise NotImplementedError("appendix_a_linear_algebra.matmul_by_columns: not implemented yet")


# %%
check("matmul_by_columns")


# %% [markdown]
# ## Exercise `matmul_by_outer_products` (3 points)
#
# `X @ Y` as a sum of rank-one matrices: `sum_k outer(X[:, k], Y[k, :])`.
#
# `X`: (n, p), `Y`: (p, m) -> (n, m): column k of X times row k of Y, summed over the inner
# index k. Real or complex inputs (result dtype `np.result_type(X, Y)`, no conjugation); p = 0 gives
# zeros. Raises `ValueError` for mismatched inner dimensions or non-2-D inputs. Written without
# `@`/`np.dot`/`np.matmul`/`np.einsum`.

# %%
def matmul_by_outer_products(X, Y):
    """``X @ Y`` as a sum of rank-one matrices: ``sum_k outer(X[:, k], Y[k, :])``.

    ``X``: (n, p), ``Y``: (p, m) -> (n, m): column k of X times row k of Y, summed over the inner
    index k. Real or complex inputs (result dtype ``np.result_type(X, Y)``, no conjugation); p = 0 gives
    zeros. Raises ``ValueError`` for mismatched inner dimensions or non-2-D inputs. Written without
    ``@``/``np.dot``/``np.matmul``/``np.einsum``.
    """
    raise NotImplementedError("appendix_a_linear_algebra.matmul_by_outer_products: not implemented yet")


# %%
check("matmul_by_outer_products")


# %% [markdown]
# ## Exercise `semi_orthogonal_checks` (4 points)
#
# The orthogonality facts of a real matrix `W` of shape (d, k), as a dict.
#
# Returns a dict with the float errors (max absolute entry)
#   `"columns_error"`: `max|W^T W - I_k|`; `"rows_error"`: `max|W W^T - I_d|`;
#   `"projector_error"`: `max|P P - P|` for `P = W W^T` (P is always symmetric);
# and the booleans (a property holds when its error is <= 1e-8)
#   `"orthonormal_columns"` (W^T W = I_k), `"orthonormal_rows"` (W W^T = I_d),
#   `"orthogonal"` (square and W^T W = I: then W is invertible, W^{-1} = W^T and W W^T = I too),
#   `"projector"` (W W^T is an orthogonal projector).
# Erratum (Claim A.1 / addendum): "A^T A = I iff A A^T = I" holds only for SQUARE A; a tall W with
# orthonormal columns (d > k) has W W^T a rank-k projector, not I_d. Raises `ValueError` if `W`
# is not 2-D.

# %%
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
    raise NotImplementedError("appendix_a_linear_algebra.semi_orthogonal_checks: not implemented yet")


# %%
check("semi_orthogonal_checks")
