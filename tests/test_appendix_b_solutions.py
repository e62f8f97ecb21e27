"""Appendix B answer key against independent oracles (scipy, keras.losses, closed forms)."""
import math
import types

import numpy as np
import pytest
from scipy.spatial.distance import jensenshannon
from scipy.special import rel_entr
from scipy.stats import entropy as scipy_entropy

from solutions import appendix_b_information as sol

FUNCS = (sol.entropy, sol.cross_entropy, sol.kl_divergence, sol.js_divergence)


def dist(seed, n, zeros=()):
    p = np.random.default_rng(seed).dirichlet(np.ones(n))
    p[list(zeros)] = 0.0
    return p / p.sum()


def test_layout(check_solution_layout):
    check_solution_layout(sol)
    modules = {v.__name__ for v in vars(sol).values() if isinstance(v, types.ModuleType)}
    assert modules <= {"numpy", "math"}


# --- entropy ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("n", [1, 2, 7, 64])
def test_entropy_of_uniform_is_log_n(n):
    assert sol.entropy(np.full(n, 1 / n)) == pytest.approx(math.log(n), abs=1e-12)
    assert sol.entropy(np.full(n, 1 / n), base=2) == pytest.approx(math.log2(n), abs=1e-12)


@pytest.mark.parametrize("seed", range(5))
def test_entropy_matches_scipy_in_nats_and_bits(seed):
    p = dist(seed, 9, zeros=(seed,))
    assert sol.entropy(p) == pytest.approx(scipy_entropy(p), rel=1e-12)
    assert sol.entropy(p, base=2) == pytest.approx(scipy_entropy(p, base=2), rel=1e-12)
    assert sol.entropy(p, base=2) == pytest.approx(sol.entropy(p) / math.log(2), rel=1e-12)


def test_entropy_zero_log_zero_and_one_hot():
    assert sol.entropy([0.0, 1.0, 0.0]) == 0.0
    with_zero = sol.entropy([0.25, 0.0, 0.75])
    assert np.isfinite(with_zero)
    assert with_zero == pytest.approx(sol.entropy([0.25, 0.75]), abs=1e-15)
    assert isinstance(with_zero, float)


def test_entropy_is_maximal_at_uniform():
    n = 6
    for seed in range(20):
        assert sol.entropy(dist(seed, n)) <= math.log(n) + 1e-12


def test_erratum_more_outcomes_not_always_more_entropy():
    """The notes: 'more outcomes -> higher entropy'. A 3-outcome law can have less than a fair coin."""
    assert sol.entropy([0.9, 0.05, 0.05]) < sol.entropy([0.5, 0.5])


# --- cross-entropy, KL -----------------------------------------------------------------------------

@pytest.mark.parametrize("seed", range(5))
def test_kl_matches_rel_entr_and_equals_ce_minus_h(seed):
    p, q = dist(seed, 8, zeros=(1,)), dist(seed + 100, 8)
    kl = sol.kl_divergence(p, q)
    assert kl == pytest.approx(np.sum(rel_entr(p, q)), rel=1e-12)
    assert kl == pytest.approx(sol.cross_entropy(p, q) - sol.entropy(p), rel=1e-10, abs=1e-12)
    assert sol.cross_entropy(p, q) == pytest.approx(-np.sum(p[p > 0] * np.log(q[p > 0])), rel=1e-12)
    assert kl > 0 and sol.cross_entropy(p, q) >= sol.entropy(p)


def test_kl_zero_iff_equal_and_not_symmetric():
    p, q = dist(1, 5), dist(2, 5)
    assert sol.kl_divergence(p, p) == 0.0
    assert sol.kl_divergence(p, q) > 0
    assert sol.kl_divergence(p, q) != pytest.approx(sol.kl_divergence(q, p), rel=1e-3)


def test_kl_and_ce_infinite_on_support_mismatch():
    p, q = np.array([0.2, 0.8]), np.array([1.0, 0.0])
    assert sol.kl_divergence(p, q) == math.inf
    assert sol.cross_entropy(p, q) == math.inf
    # the other direction: zeros of p cost nothing
    assert np.isfinite(sol.kl_divergence(q, p))
    assert sol.kl_divergence(q, p) == pytest.approx(math.log(1 / 0.2), rel=1e-12)


def test_erratum_B6_B7_kl_is_not_entropy_difference():
    """(B.6)/(B.7) write KL(p||q) = H(q) - H(p); the counterexample of the guide makes it negative."""
    p, q = np.array([0.5, 0.5]), np.array([0.9, 0.1])
    kl = sol.kl_divergence(p, q)
    notes = sol.entropy(q) - sol.entropy(p)
    assert kl == pytest.approx(0.5 * math.log(0.5 / 0.9) + 0.5 * math.log(0.5 / 0.1), rel=1e-14)
    assert kl == pytest.approx(0.5108256, abs=1e-6) and notes == pytest.approx(-0.3680642, abs=1e-6)
    assert abs(kl - notes) > 0.8


def test_kl_brute_force_expectation():
    """(B.5): KL is E_{x~p} log(p(x)/q(x)); a large seeded sample estimates it within 5 s.e."""
    p, q = dist(7, 4), dist(8, 4)
    x = np.random.default_rng(0).choice(4, size=200_000, p=p)
    ratio = np.log(p[x] / q[x])
    assert abs(ratio.mean() - sol.kl_divergence(p, q)) < 5 * ratio.std() / math.sqrt(len(x))


def test_cross_entropy_and_kl_match_keras_losses_in_nats():
    keras = pytest.importorskip("keras")
    p, q = dist(3, 6), dist(4, 6)
    ce = float(keras.ops.convert_to_numpy(keras.losses.categorical_crossentropy(p[None], q[None]))[0])
    kl = float(keras.ops.convert_to_numpy(keras.losses.kl_divergence(p[None], q[None]))[0])
    assert sol.cross_entropy(p, q) == pytest.approx(ce, rel=1e-5)
    assert sol.kl_divergence(p, q) == pytest.approx(kl, rel=1e-5)


# --- Jensen-Shannon --------------------------------------------------------------------------------

@pytest.mark.parametrize("seed", range(5))
def test_js_matches_scipy_and_is_symmetric_bounded(seed):
    p, q = dist(seed, 5, zeros=(0,)), dist(seed + 50, 5, zeros=(4,))
    js = sol.js_divergence(p, q)
    assert js == pytest.approx(jensenshannon(p, q) ** 2, rel=1e-10)
    assert js == pytest.approx(sol.js_divergence(q, p), rel=1e-14, abs=1e-15)
    assert 0 <= js <= math.log(2)
    assert sol.js_divergence(p, q) / math.log(2) == pytest.approx(jensenshannon(p, q, base=2) ** 2, rel=1e-10)


def test_js_extremes():
    assert sol.js_divergence([0.3, 0.7, 0, 0], [0, 0, 0.4, 0.6]) == pytest.approx(math.log(2), rel=1e-14)
    p = dist(9, 4)
    assert sol.js_divergence(p, p) == 0.0


# --- validation ------------------------------------------------------------------------------------

@pytest.mark.parametrize("bad", [[0.5, 0.4, 0.3], [1.2, -0.2], [[0.5, 0.5]]])
def test_not_a_probability_vector_raises(bad):
    with pytest.raises(ValueError):
        sol.entropy(bad)
    for f in FUNCS[1:]:
        with pytest.raises(ValueError):
            f(bad, np.full(np.size(bad), 1 / np.size(bad)).reshape(np.shape(bad)))
        with pytest.raises(ValueError):
            f([0.5, 0.5], [0.2, 0.3, 0.5])
