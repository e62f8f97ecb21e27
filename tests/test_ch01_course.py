"""The reference library of chapter 1: datasets, the curse-of-dimensionality and Hughes experiments,
agreement with the answer key, figures."""
import numpy as np
import pytest
from scipy.special import ndtr

from course import ch01_data as c1
from course import datasets, plots
from solutions import ch01_data as sol

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def test_anscombe_is_the_published_quartet():
    quartet = datasets.anscombe()
    assert list(quartet) == ["I", "II", "III", "IV"]
    assert sum(x.size + y.size for x, y in quartet.values()) == 88  # 44 points
    np.testing.assert_array_equal(quartet["I"][0], quartet["III"][0])
    assert quartet["IV"][0].tolist().count(8.0) == 10 and quartet["III"][1].max() == 12.74
    totals = [float(np.sum(y)) for _, y in quartet.values()]
    np.testing.assert_allclose(totals, [82.51, 82.51, 82.50, 82.51], atol=1e-9)
    for x, y in quartet.values():
        stats = c1.summary_stats(x, y)
        assert stats["mean_x"] == 9.0 and stats["var_x"] == pytest.approx(11.0)
        assert stats["slope"] == pytest.approx(0.5, abs=1e-3)
        assert stats["intercept"] == pytest.approx(3.0, abs=3e-3)


def test_same_stats_sets_have_identical_statistics():
    sets = datasets.same_stats_sets(shapes=datasets.SAME_STATS_SHAPES + ("gaussian",), n=70, seed=1)
    target = datasets.ANSCOMBE_STATS
    for name, Q in sets.items():
        assert Q.shape == (70, 2), name
        stats = sol.summary_stats(Q[:, 0], Q[:, 1])
        np.testing.assert_allclose([stats["mean_x"], stats["mean_y"]], target["mean"], atol=1e-10)
        np.testing.assert_allclose(np.sqrt([stats["var_x"], stats["var_y"]]), target["std"], rtol=1e-10)
        assert stats["corr"] == pytest.approx(target["corr"], abs=1e-10)
    assert not np.allclose(sets["circle"], sets["cross"])


def test_course_agrees_with_answer_key():
    x, y = datasets.anscombe()["II"]
    assert c1.summary_stats(x, y, ddof=0) == pytest.approx(sol.summary_stats(x, y, ddof=0), rel=1e-10)
    P = np.random.default_rng(0).uniform(size=(25, 2))
    np.testing.assert_allclose(c1.match_moments(P, (1.0, 2.0), (3.0, 4.0), -0.5),
                               sol.match_moments(P, (1.0, 2.0), (3.0, 4.0), -0.5), atol=1e-10)
    x, y = datasets.periodic_data(seed=1)
    np.testing.assert_allclose(c1.fit_periodic(x, y), sol.fit_periodic(x, y), atol=1e-10)
    X, _ = datasets.spiral(noise=0.05, seed=2)
    assert c1.fit_spiral(X[:, 0], X[:, 1]) == pytest.approx(sol.fit_spiral(X[:, 0], X[:, 1]), rel=1e-12)
    X = np.random.default_rng(3).standard_normal((40, 6))
    np.testing.assert_allclose(c1.distance_contrast(X), sol.distance_contrast(X), rtol=1e-10)
    for a, b in zip(datasets.swiss_roll(n=50, seed=4), sol.make_swiss_roll(50, 4)):
        np.testing.assert_array_equal(a, b)


def test_feature_images_compose_the_image():
    image, features, alpha = datasets.feature_images(32)
    np.testing.assert_array_equal(image, np.tensordot(alpha, features, 1))
    assert set(np.unique(image)) == {0.0, 0.5, 1.0}  # background/line black, square grey, inner white


def test_distance_concentration_curve():
    spread, contrast = c1.distance_concentration((1, 2, 10, 100, 1000))
    assert np.all(np.diff(spread) < 0) and np.all(np.diff(contrast) < 0)
    np.testing.assert_allclose(spread, [0.70, 0.48, 0.19, 0.06, 0.02], atol=0.03)


def test_hughes_curve_rises_then_falls():
    acc = c1.hughes_curve((1, 5, 50, 1000))
    np.testing.assert_allclose(acc, [0.84, 0.86, 0.78, 0.59], atol=0.01)
    assert acc[1] > acc[0] > acc[2] > acc[3]


def test_hughes_exact_accuracy_matches_sampling():
    """The closed-form accuracy of the nearest-centroid rule against a large test sample."""
    d, n_test = 20, 200_000
    rng = np.random.default_rng(5)
    mu = 1.0 / np.arange(1, d + 1)
    c_plus = (mu + rng.standard_normal((10, d))).mean(axis=0)
    c_minus = (-mu + rng.standard_normal((10, d))).mean(axis=0)
    tests = np.vstack([mu + rng.standard_normal((n_test, d)), -mu + rng.standard_normal((n_test, d))])
    labels = np.repeat([True, False], n_test)
    nearer_plus = np.sum((tests - c_plus) ** 2, 1) < np.sum((tests - c_minus) ** 2, 1)
    sampled = np.mean(nearer_plus == labels)
    w, t = c_plus - c_minus, (c_plus @ c_plus - c_minus @ c_minus) / 2
    exact = (ndtr((w @ mu - t) / np.linalg.norm(w)) + ndtr((w @ mu + t) / np.linalg.norm(w))) / 2
    assert sampled == pytest.approx(exact, abs=5 * np.sqrt(0.25 / (2 * n_test)))
    # and the library's run with the same draws
    assert c1.nearest_centroid_accuracy(d, 10, 5) == pytest.approx(exact, rel=1e-12)


def test_swiss_roll_dataset():
    X, t = datasets.swiss_roll(n=200, noise=0.0, seed=6)
    np.testing.assert_allclose(np.hypot(X[:, 0], X[:, 2]), t, rtol=1e-12)
    assert 0 <= X[:, 1].min() and X[:, 1].max() < 21


def test_make_figures_writes_pngs(tmp_path):
    paths = plots.make_figures("ch01", tmp_path)
    assert [p.stem for p in paths] == list(c1.FIGURES)
    for path in paths:
        assert path.parent == tmp_path
        assert path.read_bytes()[:8] == PNG_MAGIC and path.stat().st_size > 5000
