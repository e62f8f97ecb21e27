"""Hidden cases of chapter 1."""
import numpy as np

from course.datasets import feature_images, same_stats_sets

from ..chapters.ch01_data import anscombe_set, moments_inputs, periodic_points, spiral_points
from ..spec import Case


def _rng(seed):
    return np.random.default_rng(seed)


def _random_pairs(seed, n):
    rng = _rng(seed)
    x = rng.standard_normal(n) * 3 + 1
    return {"x": x, "y": -0.7 * x + rng.standard_normal(n)}


def _noisy_features(seed, size=12):
    image, features, _ = feature_images(size)
    return {"image": image + 0.05 * _rng(seed).standard_normal(image.shape), "feature_images": features}


def _random_features(seed, k=4, shape=(6, 5)):
    rng = _rng(seed)
    features = rng.standard_normal((k, *shape))
    return {"image": np.tensordot([1.5, -2.0, 0.25, 3.0][:k], features, 1), "feature_images": features}


def _circle(seed):
    return {**moments_inputs(seed), "P": same_stats_sets(("circle",), n=80, seed=seed + 1)["circle"]}


def _periodic(seed, n, noise, **params):
    return periodic_points(n, noise, seed, **params)


def _noisy_spiral(seed):
    return spiral_points(0.5, 2.0, 0.3, noise=0.05, seed=seed)


def _normal(seed, name, shape):
    return {name: _rng(seed).standard_normal(shape)}


def _seeded(seed, **inputs):
    """Inputs that hand the student's function a seed (kept below 2**31: legacy numpy seeding)."""
    return {**inputs, "seed": seed % 2**31}


_DUPLICATE = _rng(40).uniform(size=(6, 2))
_DUPLICATE[4] = _DUPLICATE[1]

CASES = {
    "summary_stats": [Case(f"anscombe_{name}", anscombe_set(name)) for name in ("II", "III", "IV")] + [
        Case("ddof0", {**anscombe_set("I"), "ddof": 0}),
        Case.drawn("random_negative_corr", _random_pairs, 41, 30),
        Case("two_points", {"x": np.array([1.0, 3.0]), "y": np.array([2.0, -2.0])})],
    "match_moments": [
        Case.drawn("gaussian_cloud", moments_inputs, 42, n=200, mean=(-1.0, 4.0), std=(0.5, 7.0),
                   corr=-0.3),
        Case.drawn("structured_circle", _circle, 43),
        Case.drawn("three_points", moments_inputs, 45, n=3, corr=0.0),
        Case("corr_one_raises", moments_inputs(46, corr=1.0)),
        Case("zero_std_raises", moments_inputs(47, std=(1.0, 0.0)))],
    "fit_periodic": [Case.drawn("noiseless_negative", _periodic, 48, 40, 0.0, a=-1.5, b=0.2, c=-3.0),
                     Case.drawn("noisy_100", _periodic, 49, 100, 0.1),
                     Case.drawn("three_points", _periodic, 50, 3, 0.0)],
    "fit_spiral": [Case("three_turns", spiral_points(1.3, 3.0, 1.0, n=400)),
                   Case("starts_past_pi", spiral_points(0.25, 2.5, 4.0)),
                   Case.drawn("noisy", _noisy_spiral, 51)],
    "distance_contrast": [
        Case.drawn("gaussian_d5", _normal, 52, "X", (40, 5)),
        Case("two_points", {"X": np.array([[0.0, 0.0], [3.0, 4.0]])}),
        Case("close_pair", {"X": np.array([[1e4, 0.0], [1e4 + 1e-3, 0.0], [0.0, 1.0]])}),
        Case("duplicate_point", {"X": _DUPLICATE}),
        Case.drawn("concentration", _seeded, 53, dims=[1, 2, 10, 100, 1000], n=200)],
    "fit_features": [Case.drawn("noisy_example", _noisy_features, 54),
                     Case.drawn("random_features", _random_features, 55)],
    "make_swiss_roll": [Case.drawn("n2000", _seeded, 56, n=2000), Case("n1", {"n": 1, "seed": 57})],
}
