"""Chapter 1 - Data (from-scratch numpy exercises).

Conventions used throughout this file:

* Samples are rows: paired data are two arrays ``x``, ``y`` of shape ``(n,)``; a cloud of points is
  ``(n, d)``; images are 2-D arrays ``(h, w)`` of pixel values.
* Variances, standard deviations and covariances are SAMPLE ones (``ddof=1``, divide by ``n - 1``)
  unless an argument says otherwise.
* The spiral is the corrected (1.3), ``(x, y) = a t (cos t, sin t)``: the notes print
  ``a (cos t, sin t) (a - t)``, whose radius ``a |a - t|`` is not ``a t``. In polar coordinates it is
  the line ``r = a theta`` (1.4).

Use numpy only. Return Python floats where a docstring says ``float``.
"""
import math

import numpy as np


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
    # BEGIN SOLUTION
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    dx, dy = x - x.mean(), y - y.mean()
    sxx, syy, sxy = dx @ dx, dy @ dy, dx @ dy
    slope = sxy / sxx
    return {"mean_x": float(x.mean()), "mean_y": float(y.mean()),
            "var_x": float(sxx / (len(x) - ddof)), "var_y": float(syy / (len(y) - ddof)),
            "corr": float(sxy / math.sqrt(sxx * syy)), "slope": float(slope),
            "intercept": float(y.mean() - slope * x.mean())}
    # END SOLUTION


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
    # BEGIN SOLUTION
    s1, s2 = (float(s) for s in std)
    if not (abs(corr) < 1 and s1 > 0 and s2 > 0):
        raise ValueError("need -1 < corr < 1 and positive standard deviations")
    P = np.asarray(P, dtype=float)
    centred = P - P.mean(axis=0)
    L = np.linalg.cholesky(centred.T @ centred / (len(P) - 1))
    M = np.linalg.cholesky(np.array([[s1 * s1, corr * s1 * s2], [corr * s1 * s2, s2 * s2]]))
    white = np.linalg.solve(L, centred.T).T
    return white @ M.T + np.asarray(mean, dtype=float)
    # END SOLUTION


def fit_periodic(x, y):
    """Fit the prior-knowledge model ``y = a sin x + b x + c`` (Section 1.1) by least squares.

    The model is nonlinear in ``x`` but LINEAR in the weights: regress ``y`` on the three columns
    ``[sin x, x, 1]`` (use ``np.linalg.lstsq``).

    Args:
        x, y: arrays of shape ``(n,)``, ``n >= 3``.

    Returns:
        (a, b, c) as floats.
    """
    # BEGIN SOLUTION
    x = np.asarray(x, dtype=float)
    design = np.column_stack([np.sin(x), x, np.ones_like(x)])
    a, b, c = np.linalg.lstsq(design, np.asarray(y, dtype=float), rcond=None)[0]
    return float(a), float(b), float(c)
    # END SOLUTION


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
    # BEGIN SOLUTION
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    r = np.hypot(x, y)
    theta = np.unwrap(np.mod(np.arctan2(y, x), 2 * np.pi))
    return float(np.sum(r * theta) / np.sum(theta * theta))
    # END SOLUTION


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
    # BEGIN SOLUTION
    X = np.asarray(X, dtype=float)
    dists = np.concatenate([np.sqrt(np.sum((X[i + 1:] - X[i]) ** 2, axis=1)) for i in range(len(X) - 1)])
    smallest = dists.min()
    contrast = math.inf if smallest == 0 else (dists.max() - smallest) / smallest
    return float(dists.std() / dists.mean()), float(contrast)
    # END SOLUTION


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
    # BEGIN SOLUTION
    features = np.asarray(feature_images, dtype=float)
    F = features.reshape(len(features), -1).T
    return np.linalg.lstsq(F, np.asarray(image, dtype=float).ravel(), rcond=None)[0]
    # END SOLUTION


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
    # BEGIN SOLUTION
    rng = np.random.default_rng(seed)
    t = 1.5 * np.pi * (1 + 2 * rng.uniform(size=n))
    h = rng.uniform(0.0, 21.0, size=n)
    return np.column_stack([t * np.cos(t), h, t * np.sin(t)]), t
    # END SOLUTION
