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
# Representations and embeddings (Figs 1.4, 1.9, 1.10, 1.13)


def fit_line_parametric(P, t=None):
    """Least-squares parametric line (1.2), ``p(t) = a t + b`` with ``a, b`` in R^2, through ``P`` ``(n, 2)``.

    With ``t`` given, each coordinate is regressed on ``t`` on its own (4 weights); ``t = x`` gives
    ``a = (1, slope)``, ``b = (0, intercept)``: the function (1.1) again. With ``t=None`` the parameter
    is the coordinate along the principal direction of the centred points (orthogonal regression), so
    any line, vertical ones included, is recovered; ``y = a x + b`` cannot describe a vertical line.

    Returns:
        (a, b, t): arrays ``(2,)``, ``(2,)`` and ``(n,)``.
    """
    P = np.asarray(P, dtype=float)
    if t is None:
        centred = P - P.mean(axis=0)
        direction = np.linalg.svd(centred, full_matrices=False)[2][0]
        t = centred @ direction
    t = np.asarray(t, dtype=float)
    coeffs = np.linalg.lstsq(np.column_stack([t, np.ones_like(t)]), P, rcond=None)[0]
    return coeffs[0], coeffs[1], t


def _curve_by_turning(phi, step):
    """Polyline of unit-speed steps: point k is ``sum_{j<k} step (cos phi_j, sin phi_j)``."""
    steps = step * np.column_stack([np.cos(phi), np.sin(phi)])
    return np.vstack([np.zeros(2), np.cumsum(steps, axis=0)])


def sheet_embeddings(nu=40, nv=12, length=12.0, width=4.0):
    """Example 1.3 / Fig 1.9: one rectangular sheet ``[0, length] x [0, width]`` embedded three ways in R^3.

    The sheet is a grid of ``nu x nv`` points. Along ``u`` it follows a plane curve made of equal
    steps of length ``length / (nu - 1)`` whose direction turns by ``phi``: not at all (flat), at a
    constant rate (rolled into a cylinder of radius 2) or by a sine (a wave). The steps keep their
    length and ``v`` is untouched, so every edge of the grid has the same length in all three
    embeddings: they are isometric, though their 3-D shapes and straight-line distances differ.

    Returns:
        dict name -> points ``(nu, nv, 3)`` for ``"flat"``, ``"rolled"`` and ``"wave"``.
    """
    step = length / (nu - 1)
    s = step * np.arange(nu - 1)
    turning = {"flat": np.zeros(nu - 1), "rolled": s / 2.0, "wave": 1.2 * np.sin(2 * np.pi * s / length)}
    v = np.linspace(0.0, width, nv)
    out = {}
    for name, phi in turning.items():
        curve = _curve_by_turning(phi, step)
        out[name] = np.stack(np.broadcast_arrays(curve[:, None, 0], v[None, :], curve[:, None, 1]), axis=-1)
    return out


def grid_path_lengths(points, source=(0, 0)):
    """Shortest-path lengths from ``source`` along the edges of a point grid ``(nu, nv, 3)``.

    Each point is joined to its 4 grid neighbours by an edge of its Euclidean length in R^3; the
    lengths come from ``scipy.sparse.csgraph.dijkstra``. They only depend on the edge lengths, so
    isometric embeddings (``sheet_embeddings``) give the same values.

    Returns:
        array ``(nu, nv)``.
    """
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import dijkstra

    nu, nv, _ = points.shape
    index = np.arange(nu * nv).reshape(nu, nv)
    flat = points.reshape(-1, 3)
    pairs = np.concatenate([np.column_stack([index[:-1].ravel(), index[1:].ravel()]),
                            np.column_stack([index[:, :-1].ravel(), index[:, 1:].ravel()])])
    lengths = np.linalg.norm(flat[pairs[:, 0]] - flat[pairs[:, 1]], axis=1)
    graph = coo_matrix((lengths, (pairs[:, 0], pairs[:, 1])), shape=(nu * nv,) * 2)
    return dijkstra(graph, directed=False, indices=index[source]).reshape(nu, nv)


def face_heights(size=64):
    """A smooth face-like relief ``(size, size)`` on ``[-1, 1]^2``: a dome, a nose, brows, eye sockets, lips."""
    y, x = np.mgrid[-1:1:size * 1j, -1:1:size * 1j]

    def bump(cx, cy, sx, sy, h):
        return h * np.exp(-((x - cx) ** 2 / (2 * sx ** 2) + (y - cy) ** 2 / (2 * sy ** 2)))

    head = 0.8 * np.sqrt(np.clip(1 - (x / 0.8) ** 2 - (y / 0.95) ** 2, 0, None))
    return (head + bump(0, 0.05, 0.07, 0.22, 0.25) + bump(-0.3, -0.35, 0.16, 0.05, 0.08)
            + bump(0.3, -0.35, 0.16, 0.05, 0.08) + bump(-0.3, -0.2, 0.12, 0.08, -0.15)
            + bump(0.3, -0.2, 0.12, 0.08, -0.15) + bump(0, 0.45, 0.2, 0.05, 0.06))


def surface_normals(heights):
    """Unit normals ``(H, W, 3)`` of ``z = heights`` on ``[-1, 1]^2`` (x along columns, y down the rows)."""
    gy, gx = np.gradient(heights, 2.0 / (heights.shape[0] - 1), 2.0 / (heights.shape[1] - 1))
    n = np.stack([-gx, -gy, np.ones_like(heights)], axis=-1)
    return n / np.linalg.norm(n, axis=-1, keepdims=True)


def relight(normals, lights, shadows=True):
    """Lambertian images of a surface under distant lights (Example 1.4, Fig 1.10).

    Pixel value ``max(0, n . l)``: ``l`` is the light's direction times its intensity, so the 3
    numbers of ``l`` are the latent parameters of every image. Without the ``max`` (``shadows=False``)
    the image is LINEAR in ``l``: all images of the surface lie in a 3-D subspace of pixel space.

    Args:
        normals: ``(H, W, 3)``; lights: ``(k, 3)``.

    Returns:
        images ``(k, H, W)``.
    """
    images = np.einsum("hwc,kc->khw", normals, np.asarray(lights, dtype=float))
    return np.maximum(images, 0.0) if shadows else images


def light_path(k=5, elevation=0.6, intensity=1.0):
    """``k`` light vectors ``(k, 3)`` of one intensity moving from left to right above the face.

    Coordinates as in ``surface_normals``: x to the right, y DOWN the image rows, z towards the
    viewer; ``elevation`` (radians) lifts the light above the face (negative y).
    """
    azimuth = np.linspace(-0.8 * np.pi, 0.8 * np.pi, k) / 2
    return intensity * np.column_stack([np.sin(azimuth) * np.cos(elevation), -np.sin(elevation) * np.ones(k),
                                        np.cos(azimuth) * np.cos(elevation)])


def sphere_log_chart(points, center):
    """Chart of the unit sphere around ``center`` (the log map / azimuthal equidistant projection).

    A point ``p`` at great-circle distance ``d = arccos(c . p)`` goes to ``d u`` in the tangent plane
    at ``c``, where ``u`` is the unit tangent pointing to ``p``: distances FROM the centre are kept
    exactly; other distances only approximately, better and better near the centre (Def 1.1: locally,
    a manifold looks like R^n).

    Args:
        points: ``(n, 3)`` unit vectors; center: ``(3,)`` unit vector (not antipodal to any point).

    Returns:
        chart coordinates ``(n, 2)`` in an orthonormal basis of the tangent plane at ``center``.
    """
    c = np.asarray(center, dtype=float)
    helper = np.eye(3)[np.argmin(np.abs(c))]
    e1 = np.cross(c, helper)
    e1 /= np.linalg.norm(e1)
    e2 = np.cross(c, e1)
    points = np.asarray(points, dtype=float)
    cos = np.clip(points @ c, -1.0, 1.0)
    tangent = points - cos[:, None] * c
    norm = np.linalg.norm(tangent, axis=1)
    d = np.arccos(cos)
    scale = np.where(norm > 1e-15, d / np.where(norm > 1e-15, norm, 1.0), 1.0)
    return np.column_stack([tangent @ e1, tangent @ e2]) * scale[:, None]


def sphere_patch(radius, n=200, center=(0.0, 0.0, 1.0), seed=0):
    """``n`` points of the unit sphere within great-circle distance ``radius`` of ``center``, ``(n, 3)``."""
    rng = np.random.default_rng(seed)
    c = np.asarray(center, dtype=float)
    helper = np.eye(3)[np.argmin(np.abs(c))]
    e1 = np.cross(c, helper)
    e1 /= np.linalg.norm(e1)
    e2 = np.cross(c, e1)
    d = radius * np.sqrt(rng.uniform(size=n))
    angle = rng.uniform(0, 2 * np.pi, n)
    direction = np.cos(angle)[:, None] * e1 + np.sin(angle)[:, None] * e2
    return np.cos(d)[:, None] * c + np.sin(d)[:, None] * direction


def chart_distortion(radius, n=200, seed=0):
    """Largest relative error of chart distances vs great-circle distances over a patch of ``radius``.

    For the log chart the error grows like ``radius^2``: small patches are almost flat.
    """
    from scipy.spatial.distance import pdist

    P = sphere_patch(radius, n, seed=seed)
    chart = sphere_log_chart(P, (0.0, 0.0, 1.0))
    geodesic = np.arccos(np.clip(1 - pdist(P, "sqeuclidean") / 2, -1, 1))
    planar = pdist(chart)
    keep = geodesic > 1e-12
    return float(np.max(np.abs(planar[keep] - geodesic[keep]) / geodesic[keep]))


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


def _draw_line_two_ways(fig):
    fig.set_size_inches(10, 4)
    left, right = fig.subplots(1, 2)
    rng = np.random.default_rng(0)
    x = rng.uniform(0, 4, 30)
    y = 0.8 * x + 1 + 0.3 * rng.standard_normal(30)
    slope, intercept = np.polyfit(x, y, 1)
    a, b, _ = fit_line_parametric(np.column_stack([x, y]), t=x)
    grid = np.array([0.0, 4.0])
    left.scatter(x, y, s=12, label="data")
    left.plot(grid, slope * grid + intercept, "C1", lw=4, alpha=0.5,
              label=f"function (1.1): y = {slope:.2f} x + {intercept:.2f}")
    left.plot(a[0] * grid + b[0], a[1] * grid + b[1], "k--",
              label=f"curve (1.2), t = x: a = ({a[0]:.0f}, {a[1]:.2f}), b = ({b[0]:.0f}, {b[1]:.2f})")
    left.set(xlabel="x", ylabel="y", title="A line: 2 weights (1.1) or 4 weights (1.2)")
    left.legend(fontsize=7, loc="upper left")
    t = rng.uniform(-2, 2, 30)
    P = np.column_stack([2 + 0.05 * t, t]) + 0.08 * rng.standard_normal((30, 2))
    slope, intercept = np.polyfit(P[:, 0], P[:, 1], 1)
    a, b, t_fit = fit_line_parametric(P)
    span = np.array([t_fit.min(), t_fit.max()])
    xs = np.linspace(P[:, 0].min() - 0.1, P[:, 0].max() + 0.1, 2)
    right.scatter(P[:, 0], P[:, 1], s=12)
    right.plot(xs, slope * xs + intercept, "C1", label=f"best function y = a x + b (a = {slope:.1f})")
    right.plot(a[0] * span + b[0], a[1] * span + b[1], "k--", label="best parametric curve (t along the data)")
    right.set(xlabel="x", ylabel="y", xlim=(1.5, 2.5), ylim=(-2.5, 2.5),
              title="A nearly vertical line: only (1.2) describes it")
    right.legend(fontsize=7)


def _draw_isometric_embeddings(fig):
    fig.set_size_inches(13, 3.8)
    sheets = sheet_embeddings()
    corner = (-1, -1)
    for k, (name, points) in enumerate(sheets.items()):
        ax = fig.add_subplot(1, 4, k + 1, projection="3d")
        u = np.broadcast_to(np.arange(points.shape[0])[:, None], points.shape[:2])
        ax.plot_surface(points[..., 0], points[..., 1], points[..., 2], facecolors=_viridis(u / u.max()),
                        shade=False, rstride=1, cstride=1, linewidth=0)
        ax.plot(*points[0, 0], "ko")
        ax.plot(*points[corner], "ro")
        euclid = np.linalg.norm(points[corner] - points[0, 0])
        path = grid_path_lengths(points)[corner]
        ax.set(title=f"{name}: straight {euclid:.1f}, along the sheet {path:.1f}", aspect="equal")
        ax.title.set_fontsize(9)
        ax.set_axis_off()
    ax = fig.add_subplot(1, 4, 4)
    for name, points in sheets.items():
        euclid = np.linalg.norm(points - points[0, 0], axis=-1).ravel()
        ax.scatter(grid_path_lengths(points).ravel(), euclid, s=4, label=name)
    ax.set(xlabel="length along the sheet's grid (all equal)", ylabel="straight-line distance in R^3",
           title="Same intrinsic distances, different embeddings")
    ax.title.set_fontsize(9)
    ax.legend(fontsize=8)
    fig.suptitle("Fig 1.9: one sheet, three isometric embeddings in R^3 (black -> red corner)")


def _viridis(values):
    from matplotlib import colormaps

    return colormaps["viridis"](values)


def _draw_latent_illumination(fig):
    fig.set_size_inches(13, 3.4)
    normals = surface_normals(face_heights())
    lights = light_path(5)
    images = relight(normals, lights)
    axes = fig.subplots(1, 6, width_ratios=[1] * 5 + [1.6])
    for ax, image, light in zip(axes, images, lights):
        ax.imshow(image, cmap="gray", vmin=0, vmax=1)
        ax.annotate("", xy=(32 + 26 * light[0], 32 + 26 * light[1]), xytext=(32, 32),
                    arrowprops={"arrowstyle": "->", "color": "C1"})
        ax.set(xticks=[], yticks=[], title=f"l = ({light[0]:.2f}, {light[1]:.2f}, {light[2]:.2f})")
        ax.title.set_fontsize(8)
    rng = np.random.default_rng(0)
    many = rng.standard_normal((300, 3))
    many[:, 2] = np.abs(many[:, 2])
    for shadows, label in ((False, "n . l (no shadows): rank 3"), (True, "max(0, n . l)")):
        s = np.linalg.svd(relight(normals, many, shadows).reshape(300, -1), compute_uv=False)
        axes[5].semilogy(np.arange(1, 21), s[:20] / s[0], "o-", ms=3, label=label)
    axes[5].set(xlabel="index", title="singular values of 300 relit images")
    axes[5].title.set_fontsize(9)
    axes[5].legend(fontsize=7)
    fig.suptitle("Fig 1.10: 64x64 = 4096 pixels, 3 latent numbers (the light vector l)")


def _draw_manifold_chart(fig):
    fig.set_size_inches(12, 4)
    radius = 0.9
    ax = fig.add_subplot(1, 3, 1, projection="3d")
    u, v = np.mgrid[0:2 * np.pi:40j, 0:np.pi:20j]
    ax.plot_wireframe(np.cos(u) * np.sin(v), np.sin(u) * np.sin(v), np.cos(v), color="0.8", lw=0.4)
    rings = [np.column_stack([np.sin(r) * np.cos(np.linspace(0, 2 * np.pi, 60)),
                              np.sin(r) * np.sin(np.linspace(0, 2 * np.pi, 60)), np.full(60, np.cos(r))])
             for r in np.linspace(0.15, radius, 6)]
    spokes = [np.column_stack([np.sin(np.linspace(0, radius, 30)) * np.cos(a),
                               np.sin(np.linspace(0, radius, 30)) * np.sin(a),
                               np.cos(np.linspace(0, radius, 30))]) for a in np.linspace(0, 2 * np.pi, 12,
                                                                                         endpoint=False)]
    for curve in rings + spokes:
        ax.plot(*curve.T, "C0", lw=1)
    ax.set(title="a patch of the sphere S^2 (a 2-manifold)", aspect="equal")
    ax.set_axis_off()
    chart = fig.add_subplot(1, 3, 2)
    for curve in rings + spokes:
        chart.plot(*sphere_log_chart(curve, (0.0, 0.0, 1.0)).T, "C0", lw=1)
    chart.set(aspect="equal", title="its chart in R^2 (log map)", xticks=[], yticks=[])
    errors = fig.add_subplot(1, 3, 3)
    radii = np.geomspace(0.02, 1.2, 12)
    distortion = [chart_distortion(r) for r in radii]
    errors.loglog(radii, distortion, "o-", label="measured")
    errors.loglog(radii, distortion[-1] * (radii / radii[-1]) ** 2, "k:", label="~ radius^2")
    errors.set(xlabel="patch radius (radians)", ylabel="max relative distance error",
               title="locally Euclidean: error -> 0")
    errors.legend(fontsize=8)
    fig.suptitle("Fig 1.13, Def 1.1: every point has a neighbourhood that looks like R^2")


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
    "ch01_line_function_vs_curve": _draw_line_two_ways,
    "ch01_isometric_embeddings": _draw_isometric_embeddings,
    "ch01_latent_illumination": _draw_latent_illumination,
    "ch01_manifold_chart": _draw_manifold_chart,
}
