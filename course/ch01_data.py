"""Chapter 1 - Data: summary statistics, models of a curve, the curse of dimensionality.

Samples are rows: a 2-D data set is ``(n, 2)`` or two arrays ``x``, ``y`` of shape ``(n,)``. Variances
and standard deviations are SAMPLE ones (``ddof=1``) unless an argument says otherwise. The spiral is
the corrected (1.3), ``a t (cos t, sin t)``, i.e. ``r = a theta`` (1.4).

Importing this module is light (numpy; scipy for distances and the normal CDF); matplotlib is imported
by the figure functions.
"""
import numpy as np
from scipy.spatial.distance import pdist
from scipy.special import ndtr

from course.datasets import anscombe, feature_images, periodic_data, same_stats_sets, spiral, swiss_roll


def summary_stats(x, y, ddof=1):
    """Mean, variance, correlation and least-squares line of paired data ``x``, ``y`` of shape ``(n,)``.

    Returns:
        dict with float values ``mean_x``, ``mean_y``, ``var_x``, ``var_y`` (with ``ddof``), ``corr``
        (Pearson) and ``slope``, ``intercept`` of ``y ~ slope x + intercept``.
    """
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    slope, intercept = np.polyfit(x, y, 1)
    return {"mean_x": float(x.mean()), "mean_y": float(y.mean()),
            "var_x": float(x.var(ddof=ddof)), "var_y": float(y.var(ddof=ddof)),
            "corr": float(np.corrcoef(x, y)[0, 1]), "slope": float(slope),
            "intercept": float(intercept)}


def match_moments(P, mean, std, corr):
    """Affine image of the points ``P`` ``(n, 2)`` with exactly the given statistics.

    Whitens ``P`` with the Cholesky factor ``L`` of its sample covariance, then colours it with the
    factor ``M`` of the target covariance: ``Q = (P - mean(P)) L^-T M^T + mean``.

    Args:
        P: ``(n, 2)`` points, not all on one line; mean: ``(2,)``; std: ``(2,)`` sample stds (ddof=1),
            positive; corr: target correlation in ``(-1, 1)``.

    Returns:
        Q of shape ``(n, 2)``.
    """
    P = np.asarray(P, dtype=float)
    s1, s2 = std
    target = np.array([[s1 * s1, corr * s1 * s2], [corr * s1 * s2, s2 * s2]])
    L = np.linalg.cholesky(np.cov(P, rowvar=False))
    M = np.linalg.cholesky(target)
    white = np.linalg.solve(L, (P - P.mean(axis=0)).T)
    return (M @ white).T + np.asarray(mean, dtype=float)


def fit_periodic(x, y):
    """Least-squares fit of the prior-knowledge model ``y = a sin x + b x + c``; returns ``(a, b, c)``."""
    design = np.column_stack([np.sin(x), x, np.ones_like(x)])
    return tuple(float(v) for v in np.linalg.lstsq(design, y, rcond=None)[0])


def spiral_polar(x, y):
    """Polar coordinates of spiral points ``(x, y)``, each ``(n,)``, ordered along the curve.

    The angle starts in ``[0, 2 pi)`` and is unwrapped (``np.unwrap``) so that it keeps growing over
    the turns; ``arctan2`` alone folds it into ``(-pi, pi]`` and ``r = a theta`` (1.4) is lost.

    Returns:
        (r, theta), each of shape ``(n,)``.
    """
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    return np.hypot(x, y), np.unwrap(np.mod(np.arctan2(y, x), 2 * np.pi))


def fit_spiral(x, y):
    """Growth ``a`` of the spiral ``r = a theta`` (1.4) by least squares through the origin."""
    r, theta = spiral_polar(x, y)
    return float(r @ theta / (theta @ theta))


# --------------------------------------------------------------------------------------------------
# The curse of dimensionality


def distance_contrast(X):
    """Spread of the pairwise Euclidean distances of the rows of ``X`` ``(N, d)``.

    Returns:
        (std / mean, (max - min) / min) over the ``N (N - 1) / 2`` distances (population std). Both
        shrink as ``d`` grows for i.i.d. points: distances concentrate around their mean.
    """
    D = pdist(np.asarray(X, dtype=float).reshape(len(X), -1))
    return float(D.std() / D.mean()), float((D.max() - D.min()) / D.min())


def distance_concentration(dims, n=200, seed=0):
    """``distance_contrast`` of ``n`` points uniform in the unit cube ``[0, 1]^d`` for each ``d``.

    Returns:
        (std_over_mean, relative_contrast), arrays of shape ``(len(dims),)``. For ``n = 200`` they fall
        from about 0.71 (d = 1) to 0.02 (d = 1000): "equally spaced" points in high dimension.
    """
    rng = np.random.default_rng(seed)
    pairs = [distance_contrast(rng.uniform(size=(n, d))) for d in dims]
    return np.array([p[0] for p in pairs]), np.array([p[1] for p in pairs])


def nearest_centroid_accuracy(d, n_per_class=10, seed=0):
    """One run of the Hughes experiment: nearest-centroid classifier in ``d`` dimensions.

    Two Gaussian classes ``N(+mu, I)`` and ``N(-mu, I)`` with ``mu_j = 1 / j`` (each new feature
    carries less signal); the class means are estimated from ``n_per_class`` samples each. The
    accuracy on the true distributions is exact: with ``w = c+ - c-`` and threshold
    ``t = (|c+|^2 - |c-|^2) / 2``, ``P(correct | +) = Phi((w . mu - t) / |w|)`` and
    ``P(correct | -) = Phi((w . mu + t) / |w|)``; their average is returned.
    """
    rng = np.random.default_rng(seed)
    mu = 1.0 / np.arange(1, d + 1)
    c_plus = (mu + rng.standard_normal((n_per_class, d))).mean(axis=0)
    c_minus = (-mu + rng.standard_normal((n_per_class, d))).mean(axis=0)
    w = c_plus - c_minus
    threshold = (c_plus @ c_plus - c_minus @ c_minus) / 2
    norm = np.linalg.norm(w)
    return float((ndtr((w @ mu - threshold) / norm) + ndtr((w @ mu + threshold) / norm)) / 2)


def hughes_curve(dims, n_per_class=10, seeds=30):
    """Mean accuracy of ``nearest_centroid_accuracy`` over ``seeds`` runs for each ``d`` (Fig 1.11).

    With 10 samples per class: about 0.84 (d = 1), 0.86 (5), 0.78 (50), 0.59 (1000). Accuracy first
    rises (more signal), then falls: the weak features add more estimation noise than signal.

    Returns:
        array of shape ``(len(dims),)``.
    """
    return np.array([np.mean([nearest_centroid_accuracy(d, n_per_class, s) for s in range(seeds)])
                     for d in dims])


# --------------------------------------------------------------------------------------------------
# Figures

HUGHES_DIMS = (1, 2, 3, 5, 8, 13, 20, 30, 50, 100, 200, 500, 1000)


def _draw_anscombe(fig):
    axes = fig.subplots(2, 2, sharex=True, sharey=True)
    fig.set_size_inches(8, 6)
    grid = np.array([3.0, 20.0])
    for ax, (name, (x, y)) in zip(axes.flat, anscombe().items()):
        stats = summary_stats(x, y)
        ax.scatter(x, y, s=20)
        ax.plot(grid, stats["slope"] * grid + stats["intercept"], "C1", lw=1)
        ax.set_title(f"{name}: mean y {stats['mean_y']:.2f}, var y {stats['var_y']:.2f}, "
                     f"r {stats['corr']:.3f}", fontsize=9)
    fig.suptitle("Anscombe's quartet (Fig 1.1): same statistics, same line y = 3 + x/2")


def _draw_point_sets(fig, sets, title):
    axes = fig.subplots(1, len(sets), sharex=True, sharey=True)
    fig.set_size_inches(2.6 * len(sets), 3)
    for ax, (name, Q) in zip(axes, sets.items()):
        ax.scatter(Q[:, 0], Q[:, 1], s=6)
        ax.set_title(name)
    fig.suptitle(title)


def _draw_unstructured(fig):
    sets = {f"cloud {i + 1}": same_stats_sets(("gaussian",), seed=i)["gaussian"] for i in range(4)}
    _draw_point_sets(fig, sets, "Unstructured quartet (Fig 1.2): same statistics, no visible difference")


def _draw_same_stats(fig):
    _draw_point_sets(fig, same_stats_sets(),
                     "Same mean, std and correlation (Fig 1.3), different structure")


def _draw_periodic(fig):
    ax = fig.subplots()
    x, y = periodic_data()
    a, b, c = fit_periodic(x, y)
    grid = np.linspace(x.min(), x.max(), 400)
    ax.scatter(x, y, s=10, label="data")
    ax.plot(grid, a * np.sin(grid) + b * grid + c, "C1",
            label=f"fit: {a:.2f} sin x + {b:.2f} x + {c:.2f}")
    ax.set(xlabel="x", ylabel="y", title="Prior knowledge: y = a sin x + b x + c")
    ax.legend()


def _draw_spiral(fig):
    left, right = fig.subplots(1, 2)
    fig.set_size_inches(9, 4)
    X, _ = spiral(noise=0.05)
    r, theta = spiral_polar(X[:, 0], X[:, 1])
    a = fit_spiral(X[:, 0], X[:, 1])
    left.scatter(X[:, 0], X[:, 1], s=6)
    left.set(aspect="equal", xlabel="x", ylabel="y", title="Spiral (1.3): a t (cos t, sin t)")
    right.scatter(theta, r, s=6, label="unwrapped angle")
    right.scatter(np.arctan2(X[:, 1], X[:, 0]), r, s=4, alpha=0.4, label="arctan2 alone")
    right.plot(theta, a * theta, "C3", label=f"r = {a:.3f} theta (1.4)")
    right.set(xlabel="theta", ylabel="r", title="Polar coordinates: a line")
    right.legend(fontsize=8)


def _draw_pixel_spaces(fig):
    fig.set_size_inches(11, 3.5)
    rng = np.random.default_rng(0)
    ax1 = fig.add_subplot(1, 3, 1)
    ax1.scatter(rng.uniform(size=20), np.zeros(20), s=15)
    ax1.set(xlim=(0, 1), yticks=[], xlabel="pixel 1", title="1x1 images (Fig 1.6)")
    ax2 = fig.add_subplot(1, 3, 2)
    ax2.scatter(*rng.uniform(size=(2, 20)), s=15)
    ax2.set(xlim=(0, 1), ylim=(0, 1), aspect="equal", xlabel="pixel 1", ylabel="pixel 2",
            title="2x1 images (Fig 1.7)")
    ax3 = fig.add_subplot(1, 3, 3, projection="3d")
    ax3.scatter(*rng.uniform(size=(3, 20)), s=15)
    ax3.set(xlim=(0, 1), ylim=(0, 1), zlim=(0, 1), title="3x1 images (Fig 1.8)")


def _draw_concentration(fig):
    ax = fig.subplots()
    dims = (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000)
    spread, _ = distance_concentration(dims)
    ax.loglog(dims, spread, "o-")
    ax.set(xlabel="dimension d", ylabel="std / mean of pairwise distances",
           title="Curse of dimensionality: distances concentrate\n(200 uniform points in [0, 1]^d)")


def _draw_hughes(fig):
    ax = fig.subplots()
    ax.semilogx(HUGHES_DIMS, hughes_curve(HUGHES_DIMS), "o-")
    ax.set(xlabel="number of features d", ylabel="test accuracy",
           title="Hughes phenomenon (Fig 1.11): nearest centroid,\n10 samples per class, mu_j = 1/j")


def _draw_features(fig):
    image, features, alpha = feature_images()
    axes = fig.subplots(1, 4)
    fig.set_size_inches(10, 3)
    axes[0].imshow(image, cmap="gray", vmin=0, vmax=1)
    axes[0].set_title("image")
    for ax, feature, a in zip(axes[1:], features, alpha):
        ax.imshow(feature, cmap="gray", vmin=0, vmax=1)
        ax.set_title(f"feature, alpha = {a:+.1f}")
    for ax in axes:
        ax.set(xticks=[], yticks=[])
    fig.suptitle("Example 1.2: 3 coefficients instead of 1024 pixels")


def _draw_swiss_roll(fig):
    X, t = swiss_roll()
    ax = fig.add_subplot(projection="3d")
    ax.scatter(X[:, 0], X[:, 1], X[:, 2], c=t, s=5, cmap="viridis")
    ax.set(xlabel="t cos t", ylabel="h", zlabel="t sin t", title="Swiss roll (Fig 1.12)")
    ax.view_init(elev=12, azim=-70)


FIGURES = {
    "ch01_anscombe": _draw_anscombe,
    "ch01_unstructured_quartet": _draw_unstructured,
    "ch01_same_stats": _draw_same_stats,
    "ch01_periodic_fit": _draw_periodic,
    "ch01_spiral": _draw_spiral,
    "ch01_pixel_spaces": _draw_pixel_spaces,
    "ch01_distance_concentration": _draw_concentration,
    "ch01_feature_images": _draw_features,
    "ch01_hughes": _draw_hughes,
    "ch01_swiss_roll": _draw_swiss_roll,
}
