"""Grading spec of chapter 1 (data: summary statistics, curves, curse of dimensionality)."""
import numpy as np

from course.datasets import anscombe, feature_images, periodic_data, spiral

from ..compare import close, compare
from ..spec import Case, Exercise
from ..verdicts import fail, ok


def probe_match_moments(module, inputs):
    return np.asarray(module.match_moments(**inputs), dtype=float)


def check_match_moments(got, expected, inputs):
    """Exact target statistics (ddof=1) and an affine image of P; the map itself is not unique."""
    P = np.asarray(inputs["P"], dtype=float)
    msg = compare(got, expected, rtol=np.inf, atol=np.inf, where="Q")  # kind and shape only
    if msg:
        return fail(msg)
    s1, s2 = inputs["std"]
    stats = {"mean": got.mean(axis=0), "std": got.std(axis=0, ddof=1),
             "corr": np.corrcoef(got, rowvar=False)[0, 1]}
    target = {"mean": np.asarray(inputs["mean"], dtype=float), "std": np.array([s1, s2]),
              "corr": inputs["corr"]}
    for key in ("mean", "std", "corr"):
        msg = compare(stats[key], target[key], rtol=1e-9, atol=1e-9, where=f"{key} of Q")
        if msg:
            return fail(msg + " (std: sample std, ddof=1)")
    design = np.column_stack([P, np.ones(len(P))])
    residual = got - design @ np.linalg.lstsq(design, got, rcond=None)[0]
    if np.max(np.abs(residual)) > 1e-8 * (1 + np.max(np.abs(got))):
        return fail("Q is not an affine image of P (Q = P B + c): the points were not moved by one "
                    f"affine map (max residual {np.max(np.abs(residual)):.3g})")
    return ok()


def probe_distance_contrast(module, inputs):
    """On given points, or on uniform points in [0, 1]^d for several d (the concentration curve)."""
    if "X" in inputs:
        return [float(v) for v in module.distance_contrast(inputs["X"])]
    rng = np.random.default_rng(inputs["seed"])
    clouds = [rng.uniform(size=(inputs["n"], d)) for d in inputs["dims"]]
    return [[float(v) for v in module.distance_contrast(X)] for X in clouds]


def probe_swiss_roll(module, inputs):
    X, t = module.make_swiss_roll(inputs["n"], inputs["seed"])
    X2, t2 = module.make_swiss_roll(inputs["n"], inputs["seed"])
    X3, _ = module.make_swiss_roll(inputs["n"], inputs["seed"] + 1)
    arrays = {"X": X, "t": t, "X_again": X2, "t_again": t2, "X_other_seed": X3}
    return {key: np.asarray(value, dtype=float) for key, value in arrays.items()}


def _uniform_misfit(u):
    """Kolmogorov-Smirnov distance of a sample from the uniform law on [0, 1]."""
    u = np.sort(u)
    k = np.arange(1, len(u) + 1)
    return max(np.max(k / len(u) - u), np.max(u - (k - 1) / len(u)))


def check_swiss_roll(got, expected, inputs):
    """The points lie on the roll, t and h are independent and uniform on their ranges, seeding is
    reproducible."""
    n = inputs["n"]
    for key, shape in (("X", (n, 3)), ("t", (n,))):
        msg = compare(got[key], expected[key], rtol=np.inf, atol=np.inf, where=key)
        if msg:
            return fail(msg)
    X, t = got["X"], got["t"]
    msg = compare(X[:, [0, 2]], np.column_stack([t * np.cos(t), t * np.sin(t)]), rtol=1e-12, atol=1e-12,
                  where="(X[:, 0], X[:, 2]) against (t cos t, t sin t)")
    if msg:
        return fail(msg)
    u, h = (t / (1.5 * np.pi) - 1) / 2, X[:, 1] / 21.0
    for name, sample in (("t", u), ("h", h)):
        if np.min(sample) < 0 or np.max(sample) >= 1:
            return fail(f"{name} leaves its range (t in [1.5 pi, 4.5 pi), h in [0, 21))")
        if _uniform_misfit(sample) > 2.0 / np.sqrt(n):
            return fail(f"{name} does not look uniformly distributed on its range "
                        f"(Kolmogorov-Smirnov distance {_uniform_misfit(sample):.3f})")
    if n >= 10:  # independent: about N(0, 1/n); 5 standard errors
        corr = np.corrcoef(u, h)[0, 1]
        if not abs(corr) <= 5.0 / np.sqrt(n):
            return fail(f"t and h are correlated (correlation {corr:.3f}): draw them independently, "
                        "the roll is a 2-D sheet, not a curve on it")
    if compare([got["X_again"], got["t_again"]], [X, t], 0, 0):
        return fail("calling again with the same seed gave different points")
    if np.array_equal(got["X_other_seed"], X):
        return fail("another seed gave the same points: use np.random.default_rng(seed)")
    return ok()


SOLVE = close(rtol=1e-8, atol=1e-10)

EXERCISES = [
    Exercise("summary_stats", points=3, check=close(rtol=1e-10, atol=1e-12),
             forbidden=("numpy.polyfit", "numpy.corrcoef", "numpy.cov",
                        "course.ch01_data.summary_stats")),
    Exercise("match_moments", points=5, probe=probe_match_moments, check=check_match_moments,
             forbidden=("course.ch01_data.match_moments",)),
    Exercise("fit_periodic", points=2, check=SOLVE, forbidden=("course.ch01_data.fit_periodic",)),
    Exercise("fit_spiral", points=3, check=SOLVE,
             forbidden=("course.ch01_data.fit_spiral", "course.ch01_data.spiral_polar")),
    Exercise("distance_contrast", points=3, probe=probe_distance_contrast,
             check=close(rtol=1e-9, atol=1e-12),
             forbidden=("course.ch01_data.distance_contrast",)),
    Exercise("fit_features", points=2, check=SOLVE),
    Exercise("make_swiss_roll", points=2, probe=probe_swiss_roll, check=check_swiss_roll,
             forbidden=("course.datasets.swiss_roll", "sklearn.datasets.make_swiss_roll")),
]


def anscombe_set(name):
    x, y = anscombe()[name]
    return {"x": x, "y": y}


def spiral_points(a, turns, t_start, n=300, noise=0.0, seed=0):
    X, _ = spiral(n=n, a=a, turns=turns, t_start=t_start, noise=noise, seed=seed)
    return {"x": X[:, 0], "y": X[:, 1]}


def periodic_points(n, noise, seed, a=2.0, b=0.5, c=1.0):
    x, y = periodic_data(n=n, a=a, b=b, c=c, noise=noise, seed=seed)
    return {"x": x, "y": y}


def moments_inputs(seed, n=50, mean=(9.0, 7.5), std=(3.3, 2.03), corr=0.816):
    return {"P": np.random.default_rng(seed).uniform(size=(n, 2)), "mean": np.array(mean),
            "std": np.array(std), "corr": corr}


_image, _features, _ = feature_images(16)

PUBLIC_CASES = {
    "summary_stats": [Case("anscombe_I", anscombe_set("I"))],
    "match_moments": [Case("uniform_square", moments_inputs(1))],
    "fit_periodic": [Case("noiseless", periodic_points(20, 0.0, 2))],
    "fit_spiral": [Case("two_turns", spiral_points(0.5, 2.0, 0.5))],
    "distance_contrast": [Case("small", {"X": np.random.default_rng(3).uniform(size=(10, 3))})],
    "fit_features": [Case("example_1_2", {"image": _image, "feature_images": _features})],
    "make_swiss_roll": [Case("n200", {"n": 200, "seed": 0})],
}
