# %% [markdown]
# # Chapter 1 - Data (from-scratch numpy exercises).
#
# Conventions used throughout this file:
#
# * Samples are rows: paired data are two arrays `x`, `y` of shape `(n,)`; a cloud of points is
#   `(n, d)`; images are 2-D arrays `(h, w)` of pixel values.
# * Variances, standard deviations and covariances are SAMPLE ones (`ddof=1`, divide by `n - 1`)
#   unless an argument says otherwise.
# * The spiral is the corrected (1.3), `(x, y) = a t (cos t, sin t)`: the notes print
#   `a (cos t, sin t) (a - t)`, whose radius `a |a - t|` is not `a t`. In polar coordinates it is
#   the line `r = a theta` (1.4).
#
# Use numpy only. Return Python floats where a docstring says `float`.
#
# **How to work in this notebook.** Run the setup cell below first. Then, for each exercise, write your
# code in place of the `raise NotImplementedError(...)` line, run the cell, and run the check cell
# after it: `check("name")` runs that exercise's public checks on the definition in this kernel and
# prints `PASS` or `FAIL` for each case (a hang stops after the time limit; an error in your code is a
# `FAIL` line); `check()` runs the whole chapter. From a shell, `autograder check ch01` checks the
# exercises folder (this notebook, or the paired `ch01_data.py` file), and `autograder check
# ch01_data.ipynb` this notebook. Your grade comes from hidden cases with other inputs. Scratch
# cells (plots, training runs, prints) are fine: grading keeps only the imports, definitions and
# constants, and leaves the rest out.
#
# _Generated from the answer key by `autograder sync` (course maintainers edit `solutions/`)._

# %%
import math

import numpy as np

# check("name") runs an exercise's public checks on your definition; check() all of them
from autograder.notebook import Checks

check = Checks("ch01_data")


# %% [markdown]
# ## Exercise `summary_stats` (3 points)
#
# Summary statistics of paired data, those that Anscombe's quartet shares (Fig 1.1).
#
# **Args:**
#
# - x, y: arrays of shape `(n,)`, `n >= 2`, `x` not constant.
# - ddof: delta degrees of freedom of the variances: divide the sum of squared deviations by
#   `n - ddof` (1: sample variance, 0: population variance).
#
# **Returns:**
#
# - dict of floats with keys
#   `mean_x`, `mean_y`: the means;
#   `var_x`, `var_y`: the variances with `ddof`;
#   `corr`: Pearson's correlation `cov(x, y) / (std x std y)` (it does not depend on ddof);
#   `slope`, `intercept`: the least-squares line `y ~ slope x + intercept`
#   (`slope = cov(x, y) / var(x)`, `intercept = mean_y - slope mean_x`).
#   `np.polyfit`, `np.corrcoef` and `np.cov` are not allowed.

# %%
def summary_stats(x, y, ddof=1):
    """Summary statistics of paired data, those that Anscombe's quartet shares (Fig 1.1).

    Args:
        x, y: arrays of shape ``(n,)``, ``n >= 2``, ``x`` not constant.
        ddof: delta degrees of freedom of the variances: divide the sum of squared deviations by
            ``n - ddof`` (1: sample variance, 0: population variance).

    Returns:
        dict of floats with keys
        ``mean_x``, ``mean_y``: the means;
        ``var_x``, ``var_y``: the variances with ``ddof``;
        ``corr``: Pearson's correlation ``cov(x, y) / (std x std y)`` (it does not depend on ddof);
        ``slope``, ``intercept``: the least-squares line ``y ~ slope x + intercept``
        (``slope = cov(x, y) / var(x)``, ``intercept = mean_y - slope mean_x``).
        ``np.polyfit``, ``np.corrcoef`` and ``np.cov`` are not allowed.
    """
    raise NotImplementedError("ch01_data.summary_stats: not implemented yet")


# %%
check("summary_stats")


# %% [markdown]
# ## Exercise `match_moments` (5 points)
#
# Move a 2-D point cloud by an affine map onto EXACT target statistics (Figs 1.2, 1.3).
#
# This is how data sets with identical summary statistics and different shapes are made:
#
# 1. centre `P` and whiten it: with `C = L L^T` the Cholesky factorisation of the sample
#    covariance of `P`, the rows of `Z = (P - mean(P)) L^-T` have identity covariance;
# 2. colour it: with `S = M M^T` the target covariance
#    `[[s1^2, corr s1 s2], [corr s1 s2, s2^2]]`, return `Q = Z M^T + mean`.
#
# **Args:**
#
# - P: points of shape `(n, 2)`, not all on one line (else the covariance is singular).
# - mean: target means `(m1, m2)`.
# - std: target SAMPLE standard deviations `(s1, s2)` (ddof=1), both positive.
# - corr: target correlation, `-1 < corr < 1`.
#
# **Returns:**
#
# - Q of shape `(n, 2)` whose column means are `mean`, sample stds `std` and correlation
#   `corr` (to rounding), and which is an affine image of `P` (`Q = P B + c`).
#
# **Raises:**
#
# - ValueError: if `|corr| >= 1` or a target std is not positive (the target covariance is
#   then not positive definite), or if `P`'s covariance is singular
#   (`np.linalg.LinAlgError` is a ValueError).

# %%
def match_moments(P, mean, std, corr):
    """Move a 2-D point cloud by an affine map onto EXACT target statistics (Figs 1.2, 1.3).

    This is how data sets with identical summary statistics and different shapes are made:

    1. centre ``P`` and whiten it: with ``C = L L^T`` the Cholesky factorisation of the sample
       covariance of ``P``, the rows of ``Z = (P - mean(P)) L^-T`` have identity covariance;
    2. colour it: with ``S = M M^T`` the target covariance
       ``[[s1^2, corr s1 s2], [corr s1 s2, s2^2]]``, return ``Q = Z M^T + mean``.

    Args:
        P: points of shape ``(n, 2)``, not all on one line (else the covariance is singular).
        mean: target means ``(m1, m2)``.
        std: target SAMPLE standard deviations ``(s1, s2)`` (ddof=1), both positive.
        corr: target correlation, ``-1 < corr < 1``.

    Returns:
        Q of shape ``(n, 2)`` whose column means are ``mean``, sample stds ``std`` and correlation
        ``corr`` (to rounding), and which is an affine image of ``P`` (``Q = P B + c``).

    Raises:
        ValueError: if ``|corr| >= 1`` or a target std is not positive (the target covariance is
            then not positive definite), or if ``P``'s covariance is singular
            (``np.linalg.LinAlgError`` is a ValueError).
    """
    raise NotImplementedError("ch01_data.match_moments: not implemented yet")


# %%
check("match_moments")


# %% [markdown]
# ## Exercise `fit_periodic` (2 points)
#
# Fit the prior-knowledge model `y = a sin x + b x + c` (Section 1.1) by least squares.
#
# The model is nonlinear in `x` but LINEAR in the weights: regress `y` on the three columns
# `[sin x, x, 1]` (use `np.linalg.lstsq`).
#
# **Args:**
#
# - x, y: arrays of shape `(n,)`, `n >= 3`.
#
# **Returns:**
#
# - (a, b, c) as floats.

# %%
def fit_periodic(x, y):
    """Fit the prior-knowledge model ``y = a sin x + b x + c`` (Section 1.1) by least squares.

    The model is nonlinear in ``x`` but LINEAR in the weights: regress ``y`` on the three columns
    ``[sin x, x, 1]`` (use ``np.linalg.lstsq``).

    Args:
        x, y: arrays of shape ``(n,)``, ``n >= 3``.

    Returns:
        (a, b, c) as floats.
    """
    raise NotImplementedError("ch01_data.fit_periodic: not implemented yet")


# %%
check("fit_periodic")


# %% [markdown]
# ## Exercise `fit_spiral` (3 points)
#
# Growth `a` of an Archimedean spiral `r = a theta` (1.4) from its points (1.3).
#
# The points are ordered along the curve (increasing `t`), turn counter-clockwise and start
# within the first turn (`0 <= t < 2 pi`). Then:
#
# * `r = sqrt(x^2 + y^2)`;
# * `theta`: take `np.arctan2(y, x) mod 2 pi` (so that the first angle lies in `[0, 2 pi)`)
#   and `np.unwrap` it, which adds `2 pi` at each completed turn. Without unwrapping the angle
#   folds back into one turn and the estimate is wildly wrong;
# * least squares through the origin: `a = sum(r theta) / sum(theta^2)`.
#
# **Args:**
#
# - x, y: arrays of shape `(n,)` (consecutive points less than half a turn apart).
#
# **Returns:**
#
# - a as a float.

# %%
def fit_spiral(x, y):
    """Growth ``a`` of an Archimedean spiral ``r = a theta`` (1.4) from its points (1.3).

    The points are ordered along the curve (increasing ``t``), turn counter-clockwise and start
    within the first turn (``0 <= t < 2 pi``). Then:

    * ``r = sqrt(x^2 + y^2)``;
    * ``theta``: take ``np.arctan2(y, x) mod 2 pi`` (so that the first angle lies in ``[0, 2 pi)``)
      and ``np.unwrap`` it, which adds ``2 pi`` at each completed turn. Without unwrapping the angle
      folds back into one turn and the estimate is wildly wrong;
    * least squares through the origin: ``a = sum(r theta) / sum(theta^2)``.

    Args:
        x, y: arrays of shape ``(n,)`` (consecutive points less than half a turn apart).

    Returns:
        a as a float.
    """
    raise NotImplementedError("ch01_data.fit_spiral: not implemented yet")


# %%
check("fit_spiral")


# %% [markdown]
# ## Exercise `distance_contrast` (3 points)
#
# How much the pairwise distances of a point cloud differ (curse of dimensionality, 1.2).
#
# Over the `N (N - 1) / 2` Euclidean distances `D` between distinct rows of `X`, return
#
# * `std_over_mean = std(D) / mean(D)` (population std, `ddof=0`), and
# * `relative_contrast = (max(D) - min(D)) / min(D)` (`inf` when two rows coincide).
#
# For i.i.d. points both shrink as the dimension grows: all points become nearly equally far from
# each other (that is what the notes' "points become equally spaced" means). Compute each distance
# from the coordinate differences (the Gram-matrix shortcut `|x|^2 + |y|^2 - 2 x.y` loses the
# small distances to rounding, and `min(D)` is one of them).
#
# **Args:**
#
# - X: points of shape `(N, d)`, `N >= 2`.
#
# **Returns:**
#
# - (std_over_mean, relative_contrast) as floats.

# %%
def distance_contrast(X):
    """How much the pairwise distances of a point cloud differ (curse of dimensionality, 1.2).

    Over the ``N (N - 1) / 2`` Euclidean distances ``D`` between distinct rows of ``X``, return

    * ``std_over_mean = std(D) / mean(D)`` (population std, ``ddof=0``), and
    * ``relative_contrast = (max(D) - min(D)) / min(D)`` (``inf`` when two rows coincide).

    For i.i.d. points both shrink as the dimension grows: all points become nearly equally far from
    each other (that is what the notes' "points become equally spaced" means). Compute each distance
    from the coordinate differences (the Gram-matrix shortcut ``|x|^2 + |y|^2 - 2 x.y`` loses the
    small distances to rounding, and ``min(D)`` is one of them).

    Args:
        X: points of shape ``(N, d)``, ``N >= 2``.

    Returns:
        (std_over_mean, relative_contrast) as floats.
    """
    raise NotImplementedError("ch01_data.distance_contrast: not implemented yet")


# %%
check("distance_contrast")


# %% [markdown]
# ## Exercise `fit_features` (2 points)
#
# Example 1.2: write an image as a combination of a few feature images, `x = sum_i alpha_i f_i` (1.6).
#
# Flatten the image and each feature into vectors of `h * w` pixels and solve the least-squares
# problem `min ||x - F alpha||` where the columns of `F` are the flattened features: `k`
# coefficients describe the image instead of `h * w` pixel values.
#
# **Args:**
#
# - image: array of shape `(h, w)`.
# - feature_images: array of shape `(k, h, w)`, linearly independent features.
#
# **Returns:**
#
# - alpha of shape `(k,)`.

# %%
def fit_features(image, feature_images):
    """Example 1.2: write an image as a combination of a few feature images, ``x = sum_i alpha_i f_i`` (1.6).

    Flatten the image and each feature into vectors of ``h * w`` pixels and solve the least-squares
    problem ``min ||x - F alpha||`` where the columns of ``F`` are the flattened features: ``k``
    coefficients describe the image instead of ``h * w`` pixel values.

    Args:
        image: array of shape ``(h, w)``.
        feature_images: array of shape ``(k, h, w)``, linearly independent features.

    Returns:
        alpha of shape ``(k,)``.
    """
    raise NotImplementedError("ch01_data.fit_features: not implemented yet")


# %%
check("fit_features")


# %% [markdown]
# ## Exercise `make_swiss_roll` (2 points)
#
# Sample the Swiss roll (Fig 1.12), a 2-D manifold (Definition 1.1) rolled up in R^3.
#
# With `rng = np.random.default_rng(seed)`: `u` uniform on `[0, 1)`, roll coordinate
# `t = 1.5 pi (1 + 2 u)` (from 1.5 pi to 4.5 pi), height `h` uniform on `[0, 21)`, and the point
# `(t cos t, h, t sin t)`. The pair `(t, h)` is the flat sheet that the roll hides; `t` is also
# the distance of the point from the roll's axis.
#
# **Args:**
#
# - n: number of points.
# - seed: integer seed; the same seed gives the same points.
#
# **Returns:**
#
# - (X, t): points of shape `(n, 3)` and their roll coordinates of shape `(n,)`.

# %%
def make_swiss_roll(n, seed):
    """Sample the Swiss roll (Fig 1.12), a 2-D manifold (Definition 1.1) rolled up in R^3.

    With ``rng = np.random.default_rng(seed)``: ``u`` uniform on ``[0, 1)``, roll coordinate
    ``t = 1.5 pi (1 + 2 u)`` (from 1.5 pi to 4.5 pi), height ``h`` uniform on ``[0, 21)``, and the point
    ``(t cos t, h, t sin t)``. The pair ``(t, h)`` is the flat sheet that the roll hides; ``t`` is also
    the distance of the point from the roll's axis.

    Args:
        n: number of points.
        seed: integer seed; the same seed gives the same points.

    Returns:
        (X, t): points of shape ``(n, 3)`` and their roll coordinates of shape ``(n,)``.
    """
    raise NotImplementedError("ch01_data.make_swiss_roll: not implemented yet")


# %%
check("make_swiss_roll")
