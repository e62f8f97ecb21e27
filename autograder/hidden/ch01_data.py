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


_DUPLICATE = _rng(40).uniform(size=(6, 2))
_DUPLICATE[4] = _DUPLICATE[1]

CASES = {
    "summary_stats": [Case(f"anscombe_{name}", anscombe_set(name)) for name in ("II", "III", "IV")] + [
        Case("ddof0", {**anscombe_set("I"), "ddof": 0}),
        Case("random_negative_corr", _random_pairs(41, 30)),
        Case("two_points", {"x": np.array([1.0, 3.0]), "y": np.array([2.0, -2.0])})],
    "match_moments": [
        Case("gaussian_cloud", moments_inputs(42, n=200, mean=(-1.0, 4.0), std=(0.5, 7.0), corr=-0.3)),
        Case("structured_circle", {**moments_inputs(43), "P": same_stats_sets(("circle",), n=80,
                                                                             seed=44)["circle"]}),
        Case("three_points", moments_inputs(45, n=3, corr=0.0)),
        Case("corr_one_raises", moments_inputs(46, corr=1.0)),
        Case("zero_std_raises", moments_inputs(47, std=(1.0, 0.0)))],
    "fit_periodic": [Case("noiseless_negative", periodic_points(40, 0.0, 48, a=-1.5, b=0.2, c=-3.0)),
                     Case("noisy_100", periodic_points(100, 0.1, 49)),
                     Case("three_points", periodic_points(3, 0.0, 50))],
    "fit_spiral": [Case("three_turns", spiral_points(1.3, 3.0, 1.0, n=400)),
                   Case("starts_past_pi", spiral_points(0.25, 2.5, 4.0)),
                   Case("noisy", spiral_points(0.5, 2.0, 0.3, noise=0.05, seed=51))],
    "distance_contrast": [
        Case("gaussian_d5", {"X": _rng(52).standard_normal((40, 5))}),
        Case("two_points", {"X": np.array([[0.0, 0.0], [3.0, 4.0]])}),
        Case("close_pair", {"X": np.array([[1e4, 0.0], [1e4 + 1e-3, 0.0], [0.0, 1.0]])}),
        Case("duplicate_point", {"X": _DUPLICATE}),
        Case("concentration", {"dims": [1, 2, 10, 100, 1000], "n": 200, "seed": 53})],
    "fit_features": [Case("noisy_example", _noisy_features(54)),
                     Case("random_features", _random_features(55))],
    "make_swiss_roll": [Case("n2000", {"n": 2000, "seed": 56}), Case("n1", {"n": 1, "seed": 57})],
}
