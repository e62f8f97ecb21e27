# %% [markdown]
# # Chapter 2 - Linear regression, convexity and gradients (from-scratch numpy exercises).
#
# Conventions used throughout this file:
#
# * Samples are rows: `x` has shape `(n,)` (one feature) or `(n, d)`; targets `y` have shape
#   `(n,)` and multi-output targets `Y` shape `(n, d_out)`.
# * The line model is `y ~ a * x + b` (2.2); its parameter vector is `theta = (a, b)`, so the
#   design matrix has the feature columns FIRST and the column of ones (the bias) LAST, as in (2.35).
# * The notes call both the mean (2.4) and the sum (2.6)/(2.7) of squared errors "MSE". Here `mse`
#   is the mean and `sse` the sum; `grad_line_loss` differentiates the SUM (2.31)/(2.33).
#
# Use numpy only. Return Python floats where a docstring says `float`.
#
# **How to work in this notebook.** Run the setup cell below first. Then, for each exercise, write your
# code in place of the `raise NotImplementedError(...)` line, run the cell, and run the check cell
# after it: `check("name")` runs that exercise's public checks on the definition in this kernel and
# prints `PASS` or `FAIL` for each case (a hang stops after the time limit; an error in your code is a
# `FAIL` line); `check()` runs the whole chapter. From a shell, `autograder check ch02` checks the
# exercises folder (this notebook, or the paired `ch02_linear_regression.py` file), and `autograder check
# ch02_linear_regression.ipynb` this notebook. Your grade comes from hidden cases with other inputs. Scratch
# cells (plots, training runs, prints) are fine: grading keeps only the imports, definitions and
# constants, and leaves the rest out.
#
# _Generated from the answer key by `autograder sync` (course maintainers edit `solutions/`)._

# %%
import math

import numpy as np

# check("name") runs an exercise's public checks on your definition; check() all of them
from autograder.notebook import Checks

check = Checks("ch02_linear_regression")


# %% [markdown]
# ## Exercise `mse` (1 point)
#
# Mean squared error, the mean form (2.4): `(1/n) * sum_i (y_i - y_hat_i)**2`.
#
# **Args:**
#
# - y: targets, array of shape `(n,)` (any shape works, as long as `y_hat` has the same).
# - y_hat: predictions, same shape as `y`.
#
# **Returns:**
#
# - float: the mean over all entries (equals Keras `MeanSquaredError` for 1-D targets).

# %%
def mse(y, y_hat):
    """Mean squared error, the mean form (2.4): ``(1/n) * sum_i (y_i - y_hat_i)**2``.

    Args:
        y: targets, array of shape ``(n,)`` (any shape works, as long as ``y_hat`` has the same).
        y_hat: predictions, same shape as ``y``.

    Returns:
        float: the mean over all entries (equals Keras ``MeanSquaredError`` for 1-D targets).
    """
    raise NotImplementedError("ch02_linear_regression.mse: not implemented yet")


# %%
check("mse")


# %% [markdown]
# ## Exercise `sse` (1 point)
#
# Sum of squared errors, the sum form (2.6)/(2.7): `sum_i (y_i - y_hat_i)**2`.
#
# The notes call this the "MSE" too; it is `n` times `mse(y, y_hat)` and has the same
# minimiser.
#
# **Args:**
#
# - y: targets, array of shape `(n,)`.
# - y_hat: predictions, same shape as `y`.
#
# **Returns:**
#
# - float: the sum over all entries.

# %%
def sse(y, y_hat):
    """Sum of squared errors, the sum form (2.6)/(2.7): ``sum_i (y_i - y_hat_i)**2``.

    The notes call this the "MSE" too; it is ``n`` times ``mse(y, y_hat)`` and has the same
    minimiser.

    Args:
        y: targets, array of shape ``(n,)``.
        y_hat: predictions, same shape as ``y``.

    Returns:
        float: the sum over all entries.
    """
    raise NotImplementedError("ch02_linear_regression.sse: not implemented yet")


# %%
check("sse")


# %% [markdown]
# ## Exercise `grad_line_loss` (4 points)
#
# Gradient of the SUM of squares `l(a, b) = sum_i (y_i - a x_i - b)**2` (2.31), as in (2.33).
#
# **Args:**
#
# - a, b: slope and intercept (floats).
# - x, y: data, arrays of shape `(n,)`.
#
# **Returns:**
#
# - np.ndarray of shape `(2,)`: `(dl/da, dl/db)`. It is (numerically) zero at the least-squares
#   line, which is how (2.34) finds it.

# %%
def grad_line_loss(a, b, x, y):
    """Gradient of the SUM of squares ``l(a, b) = sum_i (y_i - a x_i - b)**2`` (2.31), as in (2.33).

    Args:
        a, b: slope and intercept (floats).
        x, y: data, arrays of shape ``(n,)``.

    Returns:
        np.ndarray of shape ``(2,)``: ``(dl/da, dl/db)``. It is (numerically) zero at the least-squares
        line, which is how (2.34) finds it.
    """
    raise NotImplementedError("ch02_linear_regression.grad_line_loss: not implemented yet")


# %%
check("grad_line_loss")


# %% [markdown]
# ## Exercise `fit_line` (3 points)
#
# Least-squares line `y ~ a x + b` from the scalar normal equations (2.34).
#
# Solve the two equations of (2.34) for `a` and `b` by hand (no matrices, no `np.polyfit`).
# Centring the data first is the numerically careful way to do it:
# `a = sum((x - mean x)(y - mean y)) / sum((x - mean x)**2)`, `b = mean y - a mean x`.
#
# **Args:**
#
# - x, y: arrays of shape `(n,)`.
#
# **Returns:**
#
# - (a, b) as floats.
#
# **Raises:**
#
# - ValueError: if all `x` are equal (the line is then not determined: the two normal equations
#   are proportional).

# %%
def fit_line(x, y):
    """Least-squares line ``y ~ a x + b`` from the scalar normal equations (2.34).

    Solve the two equations of (2.34) for ``a`` and ``b`` by hand (no matrices, no ``np.polyfit``).
    Centring the data first is the numerically careful way to do it:
    ``a = sum((x - mean x)(y - mean y)) / sum((x - mean x)**2)``, ``b = mean y - a mean x``.

    Args:
        x, y: arrays of shape ``(n,)``.

    Returns:
        (a, b) as floats.

    Raises:
        ValueError: if all ``x`` are equal (the line is then not determined: the two normal equations
            are proportional).
    """
    raise NotImplementedError("ch02_linear_regression.fit_line: not implemented yet")


# %%
check("fit_line")


# %% [markdown]
# ## Exercise `design_matrix` (2 points)
#
# Design matrix of the affine model (2.35): the features followed by a column of ones.
#
# **Args:**
#
# - x: array of shape `(n,)` (one feature) or `(n, d)`.
#
# **Returns:**
#
# - np.ndarray of shape `(n, 2)` resp. `(n, d + 1)`: `[x, 1]`, the bias column LAST, so that
#   `X @ (a, b) = a x + b`.

# %%
def design_matrix(x):
    """Design matrix of the affine model (2.35): the features followed by a column of ones.

    Args:
        x: array of shape ``(n,)`` (one feature) or ``(n, d)``.

    Returns:
        np.ndarray of shape ``(n, 2)`` resp. ``(n, d + 1)``: ``[x, 1]``, the bias column LAST, so that
        ``X @ (a, b) = a x + b``.
    """
    raise NotImplementedError("ch02_linear_regression.design_matrix: not implemented yet")


# %%
check("design_matrix")


# %% [markdown]
# ## Exercise `least_squares` (3 points)
#
# Least-squares parameters `theta = argmin ||y - X theta||^2`, the normal equations (2.41).
#
# The notes write the answer as `(X^T X)^-1 X^T y` (2.42). Do NOT form an inverse: it is slower and
# loses accuracy (it squares the condition number). Use `np.linalg.lstsq` (or `np.linalg.solve`
# on the normal equations). `np.polyfit` is not allowed.
#
# **Args:**
#
# - X: design matrix of shape `(n, p)` with full column rank (e.g. from `design_matrix`).
# - y: targets of shape `(n,)` (or `(n, m)` for m outputs at once).
#
# **Returns:**
#
# - theta of shape `(p,)` (resp. `(p, m)`); the residual satisfies `X^T (y - X theta) = 0`.

# %%
def least_squares(X, y):
    """Least-squares parameters ``theta = argmin ||y - X theta||^2``, the normal equations (2.41).

    The notes write the answer as ``(X^T X)^-1 X^T y`` (2.42). Do NOT form an inverse: it is slower and
    loses accuracy (it squares the condition number). Use ``np.linalg.lstsq`` (or ``np.linalg.solve``
    on the normal equations). ``np.polyfit`` is not allowed.

    Args:
        X: design matrix of shape ``(n, p)`` with full column rank (e.g. from ``design_matrix``).
        y: targets of shape ``(n,)`` (or ``(n, m)`` for m outputs at once).

    Returns:
        theta of shape ``(p,)`` (resp. ``(p, m)``); the residual satisfies ``X^T (y - X theta) = 0``.
    """
    raise NotImplementedError("ch02_linear_regression.least_squares: not implemented yet")


# %%
check("least_squares")


# %% [markdown]
# ## Exercise `fit_affine` (4 points)
#
# Multi-output affine least squares `y_i ~ A x_i + b` (2.43)-(2.46), in row form.
#
# With samples as rows the model reads `Y ~ X @ A.T + b`. Stack `[X, 1]` (bias column last) and
# solve for `Theta` of shape `(d_in + 1, d_out)`: its top block is `A.T` (not `A` as the notes'
# (2.44) suggests) and its last row is `b`. `d_in` and `d_out` need not be equal (the notes
# use one `d` for both). The loss is the squared FROBENIUS norm `||Y - [X, 1] Theta||_F^2`, the
# trace form (2.46).
#
# **Args:**
#
# - X: inputs of shape `(n, d_in)`.
# - Y: outputs of shape `(n, d_out)`.
#
# **Returns:**
#
# - (A, b): `A` of shape `(d_out, d_in)`, `b` of shape `(d_out,)`.

# %%
def fit_affine(X, Y):
    """Multi-output affine least squares ``y_i ~ A x_i + b`` (2.43)-(2.46), in row form.

    With samples as rows the model reads ``Y ~ X @ A.T + b``. Stack ``[X, 1]`` (bias column last) and
    solve for ``Theta`` of shape ``(d_in + 1, d_out)``: its top block is ``A.T`` (not ``A`` as the notes'
    (2.44) suggests) and its last row is ``b``. ``d_in`` and ``d_out`` need not be equal (the notes
    use one ``d`` for both). The loss is the squared FROBENIUS norm ``||Y - [X, 1] Theta||_F^2``, the
    trace form (2.46).

    Args:
        X: inputs of shape ``(n, d_in)``.
        Y: outputs of shape ``(n, d_out)``.

    Returns:
        (A, b): ``A`` of shape ``(d_out, d_in)``, ``b`` of shape ``(d_out,)``.
    """
    raise NotImplementedError("ch02_linear_regression.fit_affine: not implemented yet")


# %%
check("fit_affine")


# %% [markdown]
# ## Exercise `partials_example` (2 points)
#
# Partial derivatives of `f(x, y) = 2 x^2 y + sin(x) y^2`, the example of (2.20).
#
# Erratum: the notes print `df/dx = 4xy + y cos x`; the square is missing. Differentiating
# `sin(x) y^2` with `y` frozen gives `y^2 cos x`.
#
# **Args:**
#
# - x, y: floats, or arrays of the same shape (evaluated elementwise).
#
# **Returns:**
#
# - (df_dx, df_dy), each of the shape of `x`.

# %%
def partials_example(x, y):
    """Partial derivatives of ``f(x, y) = 2 x^2 y + sin(x) y^2``, the example of (2.20).

    Erratum: the notes print ``df/dx = 4xy + y cos x``; the square is missing. Differentiating
    ``sin(x) y^2`` with ``y`` frozen gives ``y^2 cos x``.

    Args:
        x, y: floats, or arrays of the same shape (evaluated elementwise).

    Returns:
        (df_dx, df_dy), each of the shape of ``x``.
    """
    raise NotImplementedError("ch02_linear_regression.partials_example: not implemented yet")


# %%
check("partials_example")


# %% [markdown]
# ## Exercise `directional_derivative` (3 points)
#
# Directional derivative of `f` at `x` along `v` (2.23), by central differences.
#
# Use the symmetric quotient `(f(x + h v) - f(x - h v)) / (2 h)`: its error is O(h^2), against
# O(h) for the one-sided quotient of (2.23). `v` is used as given (not normalised), so for a
# differentiable `f` the result approximates `grad f(x) . v` (2.24).
#
# **Args:**
#
# - f: function mapping an array of shape `(d,)` to a float.
# - x: point, array of shape `(d,)`.
# - v: direction, array of shape `(d,)`.
# - h: step size.
#
# **Returns:**
#
# - float.

# %%
def directional_derivative(f, x, v, h=1e-6):
    """Directional derivative of ``f`` at ``x`` along ``v`` (2.23), by central differences.

    Use the symmetric quotient ``(f(x + h v) - f(x - h v)) / (2 h)``: its error is O(h^2), against
    O(h) for the one-sided quotient of (2.23). ``v`` is used as given (not normalised), so for a
    differentiable ``f`` the result approximates ``grad f(x) . v`` (2.24).

    Args:
        f: function mapping an array of shape ``(d,)`` to a float.
        x: point, array of shape ``(d,)``.
        v: direction, array of shape ``(d,)``.
        h: step size.

    Returns:
        float.
    """
    raise NotImplementedError("ch02_linear_regression.directional_derivative: not implemented yet")


# %%
check("directional_derivative")


# %% [markdown]
# ## Exercise `lp_distance` (3 points)
#
# L_p distance `(sum_i |x_i - y_i|^p)^(1/p)` (2.27); `p = np.inf` gives `max_i |x_i - y_i|`.
#
# For `p >= 1` this is a metric (it satisfies the triangle inequality). For `0 < p < 1` compute
# the same formula: the result is then NOT a metric (the triangle inequality fails).
#
# **Args:**
#
# - x, y: arrays of shape `(d,)`.
# - p: a float `> 0` or `np.inf`.
#
# **Returns:**
#
# - float.
#
# **Raises:**
#
# - ValueError: if `p <= 0`.

# %%
def lp_distance(x, y, p):
    """L_p distance ``(sum_i |x_i - y_i|^p)^(1/p)`` (2.27); ``p = np.inf`` gives ``max_i |x_i - y_i|``.

    For ``p >= 1`` this is a metric (it satisfies the triangle inequality). For ``0 < p < 1`` compute
    the same formula: the result is then NOT a metric (the triangle inequality fails).

    Args:
        x, y: arrays of shape ``(d,)``.
        p: a float ``> 0`` or ``np.inf``.

    Returns:
        float.

    Raises:
        ValueError: if ``p <= 0``.
    """
    raise NotImplementedError("ch02_linear_regression.lp_distance: not implemented yet")


# %%
check("lp_distance")


# %% [markdown]
# ## Exercise `jensen_gap` (2 points)
#
# Gap in Jensen's inequality (2.10): `alpha f(x) + (1 - alpha) f(y) - f(alpha x + (1 - alpha) y)`.
#
# It is `>= 0` for every `x`, `y` and `alpha` in `[0, 1]` exactly when `f` is convex (the
# secant lies above the graph); a negative value is a certificate of non-convexity.
#
# **Args:**
#
# - f: function of one real variable.
# - x, y: floats.
# - alpha: float in `[0, 1]`.
#
# **Returns:**
#
# - float.

# %%
def jensen_gap(f, x, y, alpha):
    """Gap in Jensen's inequality (2.10): ``alpha f(x) + (1 - alpha) f(y) - f(alpha x + (1 - alpha) y)``.

    It is ``>= 0`` for every ``x``, ``y`` and ``alpha`` in ``[0, 1]`` exactly when ``f`` is convex (the
    secant lies above the graph); a negative value is a certificate of non-convexity.

    Args:
        f: function of one real variable.
        x, y: floats.
        alpha: float in ``[0, 1]``.

    Returns:
        float.
    """
    raise NotImplementedError("ch02_linear_regression.jensen_gap: not implemented yet")


# %%
check("jensen_gap")


# %% [markdown]
# ## Exercise `first_order_gap` (2 points)
#
# Gap in the first-order condition (2.17): `f(y) - f(x) - f'(x) (y - x)`.
#
# It is `>= 0` for all `x`, `y` exactly when the differentiable `f` is convex (the tangent at
# `x` lies below the graph).
#
# **Args:**
#
# - f: function of one real variable.
# - df: its derivative.
# - x, y: floats.
#
# **Returns:**
#
# - float.

# %%
def first_order_gap(f, df, x, y):
    """Gap in the first-order condition (2.17): ``f(y) - f(x) - f'(x) (y - x)``.

    It is ``>= 0`` for all ``x``, ``y`` exactly when the differentiable ``f`` is convex (the tangent at
    ``x`` lies below the graph).

    Args:
        f: function of one real variable.
        df: its derivative.
        x, y: floats.

    Returns:
        float.
    """
    raise NotImplementedError("ch02_linear_regression.first_order_gap: not implemented yet")


# %%
check("first_order_gap")
