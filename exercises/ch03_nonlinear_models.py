# %% [markdown]
# # Chapter 3 - Nonlinear models, overfitting, regularization, classification (numpy exercises).
#
# Conventions used throughout this file:
#
# * Samples are rows; 1-D inputs `x` and targets `y` have shape `(n,)`.
# * Polynomial features follow the Vandermonde layout of (3.2): columns `[x^k, ..., x, 1]`, highest
#   power first and the bias (column of ones) LAST; coefficient vectors are ordered the same way, as
#   `np.polyval` expects.
# * Losses: `mse` means the MEAN of squared errors; ridge, lasso and the binary cross-entropy `bce`
#   use SUMS over the samples, as (3.5), (3.6) and (3.22) do. Each docstring says which.
# * Logistic regression is 1-D: `z = a x + b`, labels `y` in `{0, 1}` (3.10)-(3.14).
#
# Use numpy only. A function may call the other exercises of this file.
#
# **How to work in this notebook.** Run the setup cell below first. Then, for each exercise, write your
# code in place of the `raise NotImplementedError(...)` line, run the cell, and run the check cell
# after it: `check("name")` runs that exercise's public checks on the definition in this kernel and
# prints `PASS` or `FAIL` for each case (a hang stops after the time limit; an error in your code is a
# `FAIL` line); `check()` runs the whole chapter. From a shell, `autograder check ch03` checks the
# exercises folder (this notebook, or the paired `ch03_nonlinear_models.py` file), and `autograder check
# ch03_nonlinear_models.ipynb` this notebook. Your grade comes from hidden cases with other inputs. Scratch
# cells (plots, training runs, prints) are fine: grading keeps only the imports, definitions and
# constants, and leaves the rest out.
#
# _Generated from the answer key by `autograder sync` (course maintainers edit `solutions/`)._

# %%
import numpy as np

# check("name") runs an exercise's public checks on your definition; check() all of them
from autograder.notebook import Checks

check = Checks("ch03_nonlinear_models")


# %% [markdown]
# ## Exercise `poly_features` (1 point)
#
# Polynomial feature matrix of degree `k` (3.2): columns `[x^k, x^(k-1), ..., x, 1]`.
#
# **Args:**
#
# - x: array of shape `(n,)`.
# - k: degree, an int `>= 0`.
#
# **Returns:**
#
# - np.ndarray of shape `(n, k + 1)` (the same as `np.vander(x, k + 1)`).

# %%
def poly_features(x, k):
    """Polynomial feature matrix of degree ``k`` (3.2): columns ``[x^k, x^(k-1), ..., x, 1]``.

    Args:
        x: array of shape ``(n,)``.
        k: degree, an int ``>= 0``.

    Returns:
        np.ndarray of shape ``(n, k + 1)`` (the same as ``np.vander(x, k + 1)``).
    """
    raise NotImplementedError("ch03_nonlinear_models.poly_features: not implemented yet")


# %%
check("poly_features")


# %% [markdown]
# ## Exercise `fit_poly` (2 points)
#
# Least-squares polynomial of degree `k` (polynomial regression (3.1)-(3.2)).
#
# Solve the least-squares problem on `poly_features(x, k)` with `np.linalg.lstsq` (`np.polyfit`
# is not allowed). At high degree the Vandermonde matrix is badly conditioned (about 1e11 at k = 15
# on [0, 1]): the coefficients are then unstable, but the fitted values are not.
#
# **Args:**
#
# - x, y: arrays of shape `(n,)`.
# - k: degree.
#
# **Returns:**
#
# - coefficients of shape `(k + 1,)`, HIGHEST degree first (use `np.polyval(coeffs, x)`).
#
# **Raises:**
#
# - ValueError: if `k + 1` exceeds the number of distinct `x` values (the polynomial is then
#   not determined by the data).

# %%
def fit_poly(x, y, k):
    """Least-squares polynomial of degree ``k`` (polynomial regression (3.1)-(3.2)).

    Solve the least-squares problem on ``poly_features(x, k)`` with ``np.linalg.lstsq`` (``np.polyfit``
    is not allowed). At high degree the Vandermonde matrix is badly conditioned (about 1e11 at k = 15
    on [0, 1]): the coefficients are then unstable, but the fitted values are not.

    Args:
        x, y: arrays of shape ``(n,)``.
        k: degree.

    Returns:
        coefficients of shape ``(k + 1,)``, HIGHEST degree first (use ``np.polyval(coeffs, x)``).

    Raises:
        ValueError: if ``k + 1`` exceeds the number of distinct ``x`` values (the polynomial is then
            not determined by the data).
    """
    raise NotImplementedError("ch03_nonlinear_models.fit_poly: not implemented yet")


# %%
check("fit_poly")


# %% [markdown]
# ## Exercise `train_mse_by_degree` (1 point)
#
# Training MSE of the least-squares polynomial for each degree (uses `fit_poly`).
#
# The models are nested (degree k is degree k + 1 with a zero leading coefficient), so the training
# error cannot increase with the degree: it says nothing about overfitting on its own.
#
# **Args:**
#
# - x, y: arrays of shape `(n,)`.
# - degrees: sequence of ints.
#
# **Returns:**
#
# - np.ndarray of shape `(len(degrees),)`: the MEAN squared error on `(x, y)` for each degree.

# %%
def train_mse_by_degree(x, y, degrees):
    """Training MSE of the least-squares polynomial for each degree (uses ``fit_poly``).

    The models are nested (degree k is degree k + 1 with a zero leading coefficient), so the training
    error cannot increase with the degree: it says nothing about overfitting on its own.

    Args:
        x, y: arrays of shape ``(n,)``.
        degrees: sequence of ints.

    Returns:
        np.ndarray of shape ``(len(degrees),)``: the MEAN squared error on ``(x, y)`` for each degree.
    """
    raise NotImplementedError("ch03_nonlinear_models.train_mse_by_degree: not implemented yet")


# %%
check("train_mse_by_degree")


# %% [markdown]
# ## Exercise `kfold_indices` (3 points)
#
# Index sets of k-fold cross-validation (Fig. 3.4).
#
# Shuffle `range(n)` with `np.random.default_rng(seed).permutation(n)`, cut the permutation into
# `k` consecutive chunks with `np.array_split` (so sizes differ by at most one), and let fold
# `i` validate on chunk `i` and train on the rest.
#
# **Args:**
#
# - n: number of samples.
# - k: number of folds, `2 <= k <= n`.
# - seed: seed of the shuffle.
#
# **Returns:**
#
# - list of `k` pairs `(train_idx, val_idx)` of sorted int arrays; the `val_idx` partition
#   `range(n)` and each `train_idx` is the complement of its `val_idx`.
#
# **Raises:**
#
# - ValueError: if `k < 2` or `k > n`.

# %%
def kfold_indices(n, k, seed):
    """Index sets of k-fold cross-validation (Fig. 3.4).

    Shuffle ``range(n)`` with ``np.random.default_rng(seed).permutation(n)``, cut the permutation into
    ``k`` consecutive chunks with ``np.array_split`` (so sizes differ by at most one), and let fold
    ``i`` validate on chunk ``i`` and train on the rest.

    Args:
        n: number of samples.
        k: number of folds, ``2 <= k <= n``.
        seed: seed of the shuffle.

    Returns:
        list of ``k`` pairs ``(train_idx, val_idx)`` of sorted int arrays; the ``val_idx`` partition
        ``range(n)`` and each ``train_idx`` is the complement of its ``val_idx``.

    Raises:
        ValueError: if ``k < 2`` or ``k > n``.
    """
    raise NotImplementedError("ch03_nonlinear_models.kfold_indices: not implemented yet")


# %%
check("kfold_indices")


# %% [markdown]
# ## Exercise `cross_val_mse` (3 points)
#
# k-fold cross-validated MSE of polynomial regression of the given degree.
#
# For each fold of `kfold_indices(len(x), k, seed)`: fit `fit_poly` on the training part, compute
# the MEAN squared error of its predictions on the validation part. Return the average of the `k`
# validation MSEs (each fold weighs the same).
#
# **Args:**
#
# - x, y: arrays of shape `(n,)`.
# - degree: polynomial degree.
# - k: number of folds.
# - seed: seed passed to `kfold_indices`.
#
# **Returns:**
#
# - float.

# %%
def cross_val_mse(x, y, degree, k, seed):
    """k-fold cross-validated MSE of polynomial regression of the given degree.

    For each fold of ``kfold_indices(len(x), k, seed)``: fit ``fit_poly`` on the training part, compute
    the MEAN squared error of its predictions on the validation part. Return the average of the ``k``
    validation MSEs (each fold weighs the same).

    Args:
        x, y: arrays of shape ``(n,)``.
        degree: polynomial degree.
        k: number of folds.
        seed: seed passed to ``kfold_indices``.

    Returns:
        float.
    """
    raise NotImplementedError("ch03_nonlinear_models.cross_val_mse: not implemented yet")


# %%
check("cross_val_mse")


# %% [markdown]
# ## Exercise `ridge` (4 points)
#
# Ridge regression (3.5): minimise `||y - X theta||^2 + lam * ||theta||^2` (SUM of squares).
#
# Setting the gradient `-2 X^T (y - X theta) + 2 lam theta` to zero gives
# `(X^T X + lam I) theta = X^T y`; solve it with `np.linalg.solve`. Erratum: the notes' (3.8)
# writes the penalty without its square; the derivative of `lam ||theta||^2` is `2 lam theta`.
#
# The bias is the LAST column of `X` (the column of ones, as `design_matrix` and
# `poly_features` build it). The notes penalise it; Keras and scikit-learn do not. With
# `penalize_bias=False` the last diagonal entry of `I` is 0 (`I'` in the guide).
#
# **Args:**
#
# - X: design matrix of shape `(n, p)`, bias column last.
# - y: targets of shape `(n,)`.
# - lam: regularisation strength `>= 0`.
# - penalize_bias: whether the last coefficient is penalised.
#
# **Returns:**
#
# - theta of shape `(p,)`.

# %%
def ridge(X, y, lam, penalize_bias=True):
    """Ridge regression (3.5): minimise ``||y - X theta||^2 + lam * ||theta||^2`` (SUM of squares).

    Setting the gradient ``-2 X^T (y - X theta) + 2 lam theta`` to zero gives
    ``(X^T X + lam I) theta = X^T y``; solve it with ``np.linalg.solve``. Erratum: the notes' (3.8)
    writes the penalty without its square; the derivative of ``lam ||theta||^2`` is ``2 lam theta``.

    The bias is the LAST column of ``X`` (the column of ones, as ``design_matrix`` and
    ``poly_features`` build it). The notes penalise it; Keras and scikit-learn do not. With
    ``penalize_bias=False`` the last diagonal entry of ``I`` is 0 (``I'`` in the guide).

    Args:
        X: design matrix of shape ``(n, p)``, bias column last.
        y: targets of shape ``(n,)``.
        lam: regularisation strength ``>= 0``.
        penalize_bias: whether the last coefficient is penalised.

    Returns:
        theta of shape ``(p,)``.
    """
    raise NotImplementedError("ch03_nonlinear_models.ridge: not implemented yet")


# %%
check("ridge")


# %% [markdown]
# ## Exercise `lasso_ista` (5 points)
#
# Lasso (3.6) by proximal gradient descent (ISTA), starting from `theta = 0`.
#
# Minimises `||y - X theta||^2 + lam * ||theta||_1` (SUM of squares; every coefficient is
# penalised, as in the notes). Each iteration takes a gradient step on the smooth part, whose
# gradient is `2 X^T (X theta - y)`, then applies the proximal map of `lr * lam * ||.||_1`, the
# soft-threshold `S(u, t) = sign(u) * max(|u| - t, 0)` with `t = lr * lam`::
#
#     theta <- S(theta - lr * 2 X^T (X theta - y), lr * lam)
#
# Lasso has no closed form in general. The soft-threshold sets coefficients to EXACT zeros; the
# plain subgradient step of (3.7) would only make them oscillate around 0 (at 0 the subgradient of
# `lam |theta|` is the whole interval `[-lam, lam]`). With `lr <= 1 / (2 sigma_max(X)^2)` the
# objective never increases.
#
# **Args:**
#
# - X: design matrix of shape `(n, p)`.
# - y: targets of shape `(n,)`.
# - lam: regularisation strength `>= 0`.
# - lr: step size.
# - iters: number of iterations (0 returns the starting point).
#
# **Returns:**
#
# - theta of shape `(p,)`.

# %%
def lasso_ista(X, y, lam, lr, iters):
    """Lasso (3.6) by proximal gradient descent (ISTA), starting from ``theta = 0``.

    Minimises ``||y - X theta||^2 + lam * ||theta||_1`` (SUM of squares; every coefficient is
    penalised, as in the notes). Each iteration takes a gradient step on the smooth part, whose
    gradient is ``2 X^T (X theta - y)``, then applies the proximal map of ``lr * lam * ||.||_1``, the
    soft-threshold ``S(u, t) = sign(u) * max(|u| - t, 0)`` with ``t = lr * lam``::

        theta <- S(theta - lr * 2 X^T (X theta - y), lr * lam)

    Lasso has no closed form in general. The soft-threshold sets coefficients to EXACT zeros; the
    plain subgradient step of (3.7) would only make them oscillate around 0 (at 0 the subgradient of
    ``lam |theta|`` is the whole interval ``[-lam, lam]``). With ``lr <= 1 / (2 sigma_max(X)^2)`` the
    objective never increases.

    Args:
        X: design matrix of shape ``(n, p)``.
        y: targets of shape ``(n,)``.
        lam: regularisation strength ``>= 0``.
        lr: step size.
        iters: number of iterations (0 returns the starting point).

    Returns:
        theta of shape ``(p,)``.
    """
    raise NotImplementedError("ch03_nonlinear_models.lasso_ista: not implemented yet")


# %%
check("lasso_ista")


# %% [markdown]
# ## Exercise `sigmoid` (2 points)
#
# Logistic sigmoid `1 / (1 + exp(-z))` (3.14), numerically stable.
#
# The textbook formula overflows for large negative `z` (`exp(1000)`). Evaluate it with
# `exp(-|z|)`, which never overflows: `1 / (1 + e)` for `z >= 0` and `e / (1 + e)` for
# `z < 0`, where `e = exp(-|z|)`. Mathematically sigma maps onto the open interval (0, 1);
# in floating point it rounds to 0 or 1 far out. `sigmoid(0) = 0.5`.
#
# **Args:**
#
# - z: float or array.
#
# **Returns:**
#
# - np.ndarray of the shape of `z` (0-d for a scalar); no overflow warning at `z = +-1000`.

# %%
def sigmoid(z):
    """Logistic sigmoid ``1 / (1 + exp(-z))`` (3.14), numerically stable.

    The textbook formula overflows for large negative ``z`` (``exp(1000)``). Evaluate it with
    ``exp(-|z|)``, which never overflows: ``1 / (1 + e)`` for ``z >= 0`` and ``e / (1 + e)`` for
    ``z < 0``, where ``e = exp(-|z|)``. Mathematically sigma maps onto the open interval (0, 1);
    in floating point it rounds to 0 or 1 far out. ``sigmoid(0) = 0.5``.

    Args:
        z: float or array.

    Returns:
        np.ndarray of the shape of ``z`` (0-d for a scalar); no overflow warning at ``z = +-1000``.
    """
    raise NotImplementedError("ch03_nonlinear_models.sigmoid: not implemented yet")


# %%
check("sigmoid")


# %% [markdown]
# ## Exercise `sigmoid_grad` (1 point)
#
# Derivative of the sigmoid, `sigma(z) (1 - sigma(z))` (3.27)-(3.29).
#
# `1 - sigma(z)` equals `sigma(-z)`; computing it that way keeps full relative accuracy when
# `sigma(z)` is close to 1.
#
# **Args:**
#
# - z: float or array.
#
# **Returns:**
#
# - array of the shape of `z`.

# %%
def sigmoid_grad(z):
    """Derivative of the sigmoid, ``sigma(z) (1 - sigma(z))`` (3.27)-(3.29).

    ``1 - sigma(z)`` equals ``sigma(-z)``; computing it that way keeps full relative accuracy when
    ``sigma(z)`` is close to 1.

    Args:
        z: float or array.

    Returns:
        array of the shape of ``z``.
    """
    raise NotImplementedError("ch03_nonlinear_models.sigmoid_grad: not implemented yet")


# %%
check("sigmoid_grad")


# %% [markdown]
# ## Exercise `bce` (2 points)
#
# Binary cross-entropy of the 1-D logistic model, the SUM form (3.22).
#
# `l(a, b) = - sum_i [ y_i ln sigma(z_i) + (1 - y_i) ln(1 - sigma(z_i)) ]` with `z_i = a x_i + b`.
# Do not take the log of a computed sigmoid: it gives `log(0) = -inf` for large `|z|`. Use the
# identity `-y ln sigma(z) - (1 - y) ln(1 - sigma(z)) = ln(1 + e^z) - y z` and evaluate
# `ln(1 + e^z)` as `np.logaddexp(0, z)`.
#
# **Args:**
#
# - a, b: floats.
# - x: inputs, shape `(n,)`.
# - y: labels in `{0, 1}`, shape `(n,)`.
#
# **Returns:**
#
# - float (n times Keras' `BinaryCrossentropy(from_logits=True)`, which is a mean).

# %%
def bce(a, b, x, y):
    """Binary cross-entropy of the 1-D logistic model, the SUM form (3.22).

    ``l(a, b) = - sum_i [ y_i ln sigma(z_i) + (1 - y_i) ln(1 - sigma(z_i)) ]`` with ``z_i = a x_i + b``.
    Do not take the log of a computed sigmoid: it gives ``log(0) = -inf`` for large ``|z|``. Use the
    identity ``-y ln sigma(z) - (1 - y) ln(1 - sigma(z)) = ln(1 + e^z) - y z`` and evaluate
    ``ln(1 + e^z)`` as ``np.logaddexp(0, z)``.

    Args:
        a, b: floats.
        x: inputs, shape ``(n,)``.
        y: labels in ``{0, 1}``, shape ``(n,)``.

    Returns:
        float (n times Keras' ``BinaryCrossentropy(from_logits=True)``, which is a mean).
    """
    raise NotImplementedError("ch03_nonlinear_models.bce: not implemented yet")


# %%
check("bce")


# %% [markdown]
# ## Exercise `bce_grad` (2 points)
#
# Gradient of the SUM binary cross-entropy `bce` (3.22) with respect to `(a, b)`.
#
# Following the chain rule of (3.30)-(3.37) through both terms: `dl/dz_i = sigma(z_i) - y_i`, hence
# `dl/da = sum_i (sigma(z_i) - y_i) x_i` and `dl/db = sum_i (sigma(z_i) - y_i)`.
#
# **Args:**
#
# - a, b: floats.
# - x: inputs, shape `(n,)`.
# - y: labels in `{0, 1}`, shape `(n,)`.
#
# **Returns:**
#
# - (dA, dB) as floats.

# %%
def bce_grad(a, b, x, y):
    """Gradient of the SUM binary cross-entropy ``bce`` (3.22) with respect to ``(a, b)``.

    Following the chain rule of (3.30)-(3.37) through both terms: ``dl/dz_i = sigma(z_i) - y_i``, hence
    ``dl/da = sum_i (sigma(z_i) - y_i) x_i`` and ``dl/db = sum_i (sigma(z_i) - y_i)``.

    Args:
        a, b: floats.
        x: inputs, shape ``(n,)``.
        y: labels in ``{0, 1}``, shape ``(n,)``.

    Returns:
        (dA, dB) as floats.
    """
    raise NotImplementedError("ch03_nonlinear_models.bce_grad: not implemented yet")


# %%
check("bce_grad")


# %% [markdown]
# ## Exercise `predict` (1 point)
#
# Class predictions of the logistic model (3.12): 1 iff `sigma(a x + b) > 0.5`, i.e. `z > 0`.
#
# At `z = 0` (`sigma = 0.5`) the prediction is class 0.
#
# **Args:**
#
# - a, b: floats.
# - x: inputs, shape `(n,)`.
#
# **Returns:**
#
# - np.ndarray of ints (0 or 1), shape `(n,)`.

# %%
def predict(a, b, x):
    """Class predictions of the logistic model (3.12): 1 iff ``sigma(a x + b) > 0.5``, i.e. ``z > 0``.

    At ``z = 0`` (``sigma = 0.5``) the prediction is class 0.

    Args:
        a, b: floats.
        x: inputs, shape ``(n,)``.

    Returns:
        np.ndarray of ints (0 or 1), shape ``(n,)``.
    """
    raise NotImplementedError("ch03_nonlinear_models.predict: not implemented yet")


# %%
check("predict")


# %% [markdown]
# ## Exercise `fit_logistic_gd` (3 points)
#
# Logistic regression by gradient descent on the MEAN binary cross-entropy, from `(0, 0)`.
#
# The loss is `bce(a, b, x, y) / n`; each step is `(a, b) <- (a, b) - lr * bce_grad(a, b, x, y) / n`.
# The BCE is convex, so with a small enough `lr` this converges to the minimiser, which exists
# only when the classes OVERLAP: on linearly separable data the loss keeps decreasing as
# `|a| -> infinity`.
#
# **Args:**
#
# - x: inputs, shape `(n,)`.
# - y: labels in `{0, 1}`, shape `(n,)`.
# - lr: step size.
# - iters: number of steps.
#
# **Returns:**
#
# - (a, b) as floats.

# %%
def fit_logistic_gd(x, y, lr, iters):
    """Logistic regression by gradient descent on the MEAN binary cross-entropy, from ``(0, 0)``.

    The loss is ``bce(a, b, x, y) / n``; each step is ``(a, b) <- (a, b) - lr * bce_grad(a, b, x, y) / n``.
    The BCE is convex, so with a small enough ``lr`` this converges to the minimiser, which exists
    only when the classes OVERLAP: on linearly separable data the loss keeps decreasing as
    ``|a| -> infinity``.

    Args:
        x: inputs, shape ``(n,)``.
        y: labels in ``{0, 1}``, shape ``(n,)``.
        lr: step size.
        iters: number of steps.

    Returns:
        (a, b) as floats.
    """
    raise NotImplementedError("ch03_nonlinear_models.fit_logistic_gd: not implemented yet")


# %%
check("fit_logistic_gd")
