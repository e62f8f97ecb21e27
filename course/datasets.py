"""Datasets of the course. Everything here is offline and seeded with ``np.random.default_rng(seed)``.

Arrays have samples as rows. Generators are grouped by the chapter that introduces them.
"""
import numpy as np

# --------------------------------------------------------------------------------------------------
# Chapter 2 - linear regression


def linear_data(n=50, a=2.0, b=-1.0, noise=0.5, seed=0):
    """Noisy line (2.2): ``y = a x + b + noise * N(0, 1)`` with ``x`` uniform on ``[-2, 2]``.

    Returns:
        (x, y), float64 arrays of shape ``(n,)``.
    """
    rng = np.random.default_rng(seed)
    x = rng.uniform(-2.0, 2.0, n)
    return x, a * x + b + noise * rng.standard_normal(n)


def affine_data(n=100, d_in=3, d_out=2, noise=0.1, seed=0):
    """Multi-output affine data (2.43) in row form: ``Y = X A^T + b + noise * N(0, 1)``.

    ``X``, ``A`` and ``b`` have standard normal entries.

    Returns:
        (X, Y, A, b) with shapes ``(n, d_in)``, ``(n, d_out)``, ``(d_out, d_in)``, ``(d_out,)``.
    """
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d_in))
    A = rng.standard_normal((d_out, d_in))
    b = rng.standard_normal(d_out)
    return X, X @ A.T + b + noise * rng.standard_normal((n, d_out)), A, b


# --------------------------------------------------------------------------------------------------
# Chapter 3 - nonlinear models, regularization, classification


def true_poly_function(x):
    """The function behind ``classic_poly_data``: ``cos(1.5 pi x)``."""
    return np.cos(1.5 * np.pi * np.asarray(x, dtype=float))


def classic_poly_data(n=30, noise=0.1, seed=0):
    """The classic under/overfitting data (Fig. 3.3): ``y = cos(1.5 pi x) + noise * N(0, 1)``.

    Returns:
        (x, y), arrays of shape ``(n,)``; ``x`` is uniform on ``[0, 1]`` and sorted.
    """
    rng = np.random.default_rng(seed)
    x = np.sort(rng.uniform(0.0, 1.0, n))
    return x, true_poly_function(x) + noise * rng.standard_normal(n)


def sparse_linear_data(n=50, d=8, n_active=3, noise=0.5, seed=0):
    """Linear data with a sparse truth, for regularization paths: ``y = X theta + noise * N(0, 1)``.

    ``X`` is standard normal; ``theta`` has ``n_active`` nonzero entries (the first ones), each
    ``+-`` uniform on ``[1, 3]``, and zeros elsewhere.

    Returns:
        (X, y, theta) with shapes ``(n, d)``, ``(n,)``, ``(d,)``.
    """
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d))
    theta = np.zeros(d)
    theta[:n_active] = rng.choice([-1.0, 1.0], n_active) * rng.uniform(1.0, 3.0, n_active)
    return X, X @ theta + noise * rng.standard_normal(n), theta


def logistic_1d(n=200, seed=0):
    """Two overlapping 1-D classes: ``x ~ N(-1, 1)`` with label 0 and ``x ~ N(1, 1)`` with label 1.

    The first ``n // 2`` samples are drawn for class 0, the rest for class 1, then all are shuffled.

    Returns:
        (x, y): ``x`` float64 of shape ``(n,)``, ``y`` int64 labels in ``{0, 1}``.
    """
    rng = np.random.default_rng(seed)
    y = np.repeat([0, 1], [n // 2, n - n // 2])
    x = rng.standard_normal(n) + np.where(y == 1, 1.0, -1.0)
    order = rng.permutation(n)
    return x[order], y[order]
