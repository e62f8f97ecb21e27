"""Chapter 1 answer key against independent oracles (numpy/scipy, closed forms, brute force) and the
notes' errata."""
import itertools
import types

import numpy as np
import pytest
from scipy.optimize import least_squares as scipy_least_squares
from scipy.spatial.distance import pdist

from course import datasets
from solutions import ch01_data as sol

KEYS = ("mean_x", "mean_y", "var_x", "var_y", "corr", "slope", "intercept")


def test_layout(check_solution_layout):
    check_solution_layout(sol)
    modules = {v.__name__ for v in vars(sol).values() if isinstance(v, types.ModuleType)}
    assert modules <= {"numpy", "math"}, "chapter 1 is numpy-only"


# --- summary statistics (Fig 1.1) -------------------------------------------------------------------

def test_anscombe_sets_share_their_statistics():
    stats = {name: sol.summary_stats(x, y) for name, (x, y) in datasets.anscombe().items()}
    for a, b in itertools.combinations(stats.values(), 2):
        for key in KEYS:
            assert abs(a[key] - b[key]) < 0.01, key  # not rounding to 2 decimals: var_y is 4.12/4.13
    assert stats["I"]["var_x"] == pytest.approx(11.0) and stats["I"]["corr"] == pytest.approx(0.816, abs=1e-3)


@pytest.mark.parametrize("ddof", [0, 1])
def test_summary_stats_match_numpy(ddof):
    rng = np.random.default_rng(0)
    x = rng.normal(2.0, 3.0, 40)
    y = 0.3 * x + rng.standard_normal(40)
    got = sol.summary_stats(x, y, ddof=ddof)
    slope, intercept = np.polyfit(x, y, 1)
    expected = {"mean_x": x.mean(), "mean_y": y.mean(), "var_x": np.var(x, ddof=ddof),
                "var_y": np.var(y, ddof=ddof), "corr": np.corrcoef(x, y)[0, 1], "slope": slope,
                "intercept": intercept}
    assert set(got) == set(KEYS) and all(type(v) is float for v in got.values())
    for key in KEYS:
        assert got[key] == pytest.approx(expected[key], rel=1e-10, abs=1e-12), key


def test_summary_stats_ddof_scales_only_the_variances():
    x, y = datasets.anscombe()["III"]
    one, zero = sol.summary_stats(x, y), sol.summary_stats(x, y, ddof=0)
    assert one["var_y"] == pytest.approx(zero["var_y"] * 11 / 10, rel=1e-14)
    assert one["corr"] == pytest.approx(zero["corr"], rel=1e-14)


def test_summary_stats_uses_no_library_shortcut(monkeypatch):
    def forbidden(*args, **kwargs):
        raise AssertionError("library statistics called")
    for name in ("polyfit", "corrcoef", "cov"):
        monkeypatch.setattr(np, name, forbidden)
    sol.summary_stats(*datasets.anscombe()["IV"])


# --- same statistics, different shapes (Figs 1.2, 1.3) ---------------------------------------------

@pytest.mark.parametrize("shape", datasets.SAME_STATS_SHAPES + ("gaussian",))
def test_match_moments_gives_exact_statistics_by_an_affine_map(shape):
    P = datasets._unit_shape(shape, 60, np.random.default_rng(1))
    mean, std, corr = np.array([-2.0, 5.0]), np.array([0.7, 4.0]), -0.45
    Q = sol.match_moments(P, mean, std, corr)
    assert Q.shape == P.shape
    np.testing.assert_allclose(Q.mean(axis=0), mean, atol=1e-10)
    np.testing.assert_allclose(Q.std(axis=0, ddof=1), std, rtol=1e-10)
    assert np.corrcoef(Q, rowvar=False)[0, 1] == pytest.approx(corr, abs=1e-10)
    design = np.column_stack([P, np.ones(len(P))])
    residual = Q - design @ np.linalg.lstsq(design, Q, rcond=None)[0]
    assert np.max(np.abs(residual)) < 1e-10


def test_match_moments_is_the_cholesky_map():
    """Oracle: the lower-triangular map of the docstring, built column by column."""
    P = np.random.default_rng(2).uniform(size=(30, 2))
    mean, std, corr = (9.0, 7.5), (3.3, 2.0), 0.8
    z1 = (P[:, 0] - P[:, 0].mean()) / P[:, 0].std(ddof=1)  # first whitened coordinate
    r = np.corrcoef(P, rowvar=False)[0, 1]
    z2 = ((P[:, 1] - P[:, 1].mean()) / P[:, 1].std(ddof=1) - r * z1) / np.sqrt(1 - r * r)
    expected = np.column_stack([mean[0] + std[0] * z1,
                                mean[1] + std[1] * (corr * z1 + np.sqrt(1 - corr ** 2) * z2)])
    np.testing.assert_allclose(sol.match_moments(P, mean, std, corr), expected, atol=1e-10)


@pytest.mark.parametrize("kwargs", [{"corr": 1.0}, {"corr": -1.2}, {"std": (1.0, 0.0)}])
def test_match_moments_rejects_impossible_targets(kwargs):
    args = {"P": np.random.default_rng(3).uniform(size=(10, 2)), "mean": (0.0, 0.0), "std": (1.0, 1.0),
            "corr": 0.5, **kwargs}
    with pytest.raises(ValueError):
        sol.match_moments(**args)


def test_match_moments_rejects_collinear_points():
    t = np.arange(5.0)
    with pytest.raises(ValueError):
        sol.match_moments(np.column_stack([t, 2 * t + 1]), (0.0, 0.0), (1.0, 1.0), 0.5)


# --- prior knowledge: y = a sin x + b x + c --------------------------------------------------------

def test_fit_periodic_recovers_noiseless_weights():
    x, y = datasets.periodic_data(n=30, a=-1.5, b=0.25, c=3.0, noise=0.0, seed=4)
    np.testing.assert_allclose(sol.fit_periodic(x, y), (-1.5, 0.25, 3.0), atol=1e-10)


def test_fit_periodic_noisy_data():
    x, y = datasets.periodic_data(n=100, noise=0.1, seed=5)
    got = sol.fit_periodic(x, y)
    np.testing.assert_allclose(got, (2.0, 0.5, 1.0), atol=0.05)
    # oracle: a generic nonlinear least-squares solver on the same model
    fit = scipy_least_squares(lambda w: w[0] * np.sin(x) + w[1] * x + w[2] - y, np.zeros(3),
                              xtol=1e-15, ftol=1e-15, gtol=1e-15)
    np.testing.assert_allclose(got, fit.x, atol=1e-8)


# --- the spiral (1.3)/(1.4) -------------------------------------------------------------------------

@pytest.mark.parametrize("a, turns, t_start", [(0.5, 2.0, 0.5), (1.3, 3.0, 1.0), (0.25, 2.5, 4.0),
                                               (2.0, 4.0, 6.0)])
def test_fit_spiral_noiseless(a, turns, t_start):
    X, _ = datasets.spiral(n=300, a=a, turns=turns, t_start=t_start)
    assert sol.fit_spiral(X[:, 0], X[:, 1]) == pytest.approx(a, rel=1e-8)


def test_fit_spiral_needs_unwrapping():
    X, _ = datasets.spiral(n=300, a=0.5, turns=3.0)
    r, folded = np.hypot(X[:, 0], X[:, 1]), np.arctan2(X[:, 1], X[:, 0])
    naive = np.sum(r * folded) / np.sum(folded ** 2)
    assert abs(naive - 0.5) > 0.5  # wildly wrong without np.unwrap
    assert sol.fit_spiral(X[:, 0], X[:, 1]) == pytest.approx(0.5, rel=1e-8)


def test_erratum_spiral_parametrisation():
    """(1.3) as printed, a (cos t, sin t)(a - t), is not the spiral r = a theta; a t (cos t, sin t) is."""
    a, t = 0.5, np.linspace(0.5, 0.5 + 6 * np.pi, 400)
    printed = a * np.column_stack([np.cos(t), np.sin(t)]) * (a - t)[:, None]
    corrected, t_data = datasets.spiral(n=400, a=a, turns=3.0)
    np.testing.assert_allclose(np.hypot(*corrected.T), a * t_data, rtol=1e-12)
    assert np.max(np.abs(np.hypot(*printed.T) - a * t)) > 0.1
    a_hat = sol.fit_spiral(*printed.T)  # radius a|a - t| against an angle shifted by pi: no line
    r, theta = np.hypot(*printed.T), np.unwrap(np.mod(np.arctan2(printed[:, 1], printed[:, 0]), 2 * np.pi))
    assert np.max(np.abs(r - a_hat * theta)) > 0.1


def test_fit_spiral_noisy():
    X, _ = datasets.spiral(n=300, a=0.5, turns=3.0, noise=0.05, seed=6)
    assert sol.fit_spiral(X[:, 0], X[:, 1]) == pytest.approx(0.5, abs=0.01)


# --- curse of dimensionality ------------------------------------------------------------------------

def test_distance_contrast_matches_pdist():
    X = np.random.default_rng(7).standard_normal((30, 4))
    d = pdist(X)
    got = sol.distance_contrast(X)
    assert all(type(v) is float for v in got)
    np.testing.assert_allclose(got, (d.std() / d.mean(), (d.max() - d.min()) / d.min()), rtol=1e-10)


def test_distance_contrast_small_distances_are_accurate():
    X = np.array([[1e4, 0.0], [1e4 + 1e-3, 0.0], [0.0, 1.0]])
    d = np.array([1e-3, np.hypot(1e4, 1.0), np.hypot(1e4 + 1e-3, 1.0)])
    assert sol.distance_contrast(X)[1] == pytest.approx((d.max() - d.min()) / d.min(), rel=1e-9)


def test_distance_contrast_duplicate_points():
    X = np.array([[0.0, 1.0], [2.0, 3.0], [0.0, 1.0]])
    assert sol.distance_contrast(X)[1] == np.inf


def test_distances_concentrate():
    """Uniform points, N = 200: std/mean falls strictly, near 0.70, 0.48, 0.19, 0.06, 0.02."""
    rng = np.random.default_rng(8)
    dims = (1, 2, 10, 100, 1000)
    got = np.array([sol.distance_contrast(rng.uniform(size=(200, d))) for d in dims])
    assert np.all(np.diff(got[:, 0]) < 0) and np.all(np.diff(got[:, 1]) < 0)
    np.testing.assert_allclose(got[:, 0], [0.70, 0.48, 0.19, 0.06, 0.02], atol=0.03)


def test_erratum_equally_spaced_means_relative_spread():
    """Distances do not become equal in absolute terms: their std stays ~0.24 (sqrt(7/120)) while
    their mean grows like sqrt(d/6); only the RELATIVE spread shrinks."""
    rng = np.random.default_rng(9)
    spreads = []
    for d in (10, 1000):
        dist = pdist(rng.uniform(size=(200, d)))
        spreads.append((dist.std(), dist.std() / dist.mean()))
    assert spreads[1][0] > 0.8 * spreads[0][0] and spreads[1][0] == pytest.approx(np.sqrt(7 / 120), rel=0.1)
    assert spreads[1][1] < spreads[0][1] / 5


# --- features (Example 1.2) and the Swiss roll ------------------------------------------------------

def test_fit_features_recovers_example_1_2():
    image, features, alpha = datasets.feature_images()
    assert image.size == 1024
    np.testing.assert_allclose(sol.fit_features(image, features), alpha, atol=1e-10)


def test_fit_features_is_least_squares():
    rng = np.random.default_rng(10)
    features, image = rng.standard_normal((3, 5, 4)), rng.standard_normal((5, 4))
    got = sol.fit_features(image, features)
    # normal equations: the residual is orthogonal to every feature
    residual = image - np.tensordot(got, features, 1)
    np.testing.assert_allclose(np.tensordot(features, residual, 2), 0, atol=1e-10)


def test_make_swiss_roll_properties():
    X, t = sol.make_swiss_roll(3000, 11)
    assert X.shape == (3000, 3) and t.shape == (3000,)
    np.testing.assert_allclose(X[:, [0, 2]], np.column_stack([t * np.cos(t), t * np.sin(t)]), atol=1e-12)
    np.testing.assert_allclose(np.hypot(X[:, 0], X[:, 2]), t, rtol=1e-12)  # t: distance to the axis
    assert 1.5 * np.pi <= t.min() and t.max() < 4.5 * np.pi
    assert 0 <= X[:, 1].min() and X[:, 1].max() < 21
    u = (t / (1.5 * np.pi) - 1) / 2
    assert u.mean() == pytest.approx(0.5, abs=4.5 * np.sqrt(1 / 12 / 3000))
    for a, b in zip(sol.make_swiss_roll(3000, 11), (X, t)):
        np.testing.assert_array_equal(a, b)
    assert not np.array_equal(sol.make_swiss_roll(3000, 12)[0], X)
