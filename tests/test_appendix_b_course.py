"""Appendix B reference library: batched numpy measures against the answer key, the Keras losses in
nats, the (B.8) identity, figures (slow)."""
import math

import numpy as np
import pytest

from course import plots
from course import appendix_b_information as cb
from solutions import appendix_b_information as sol

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def batch(seed, rows=4, n=5):
    P = np.random.default_rng(seed).dirichlet(np.ones(n), size=rows)
    P[0, 1] = 0.0
    return P / P.sum(axis=1, keepdims=True)


def test_batched_measures_equal_the_answer_key_row_by_row():
    P, Q = batch(0), batch(1)
    for i in range(len(P)):
        assert cb.entropy(P)[i] == pytest.approx(sol.entropy(P[i]), rel=1e-12)
        assert cb.entropy(P, base=2)[i] == pytest.approx(sol.entropy(P[i], base=2), rel=1e-12)
        assert cb.cross_entropy(P, Q)[i] == pytest.approx(sol.cross_entropy(P[i], Q[i]), rel=1e-12)
        assert cb.kl_divergence(P, Q)[i] == pytest.approx(sol.kl_divergence(P[i], Q[i]), rel=1e-12)
        assert cb.js_divergence(P, Q)[i] == pytest.approx(sol.js_divergence(P[i], Q[i]), rel=1e-12)
    np.testing.assert_allclose(cb.kl_divergence(P, Q), cb.cross_entropy(P, Q) - cb.entropy(P), rtol=1e-10)
    np.testing.assert_allclose(cb.to_bits(cb.js_divergence(P, Q)), cb.js_divergence(P, Q, base=2), rtol=1e-12)


def test_support_mismatch_and_zero_log_zero():
    assert cb.kl_divergence([0.5, 0.5], [1.0, 0.0]) == math.inf
    assert cb.entropy([1.0, 0.0]) == 0.0
    assert cb.js_divergence([1.0, 0.0], [0.0, 1.0]) == pytest.approx(math.log(2))


def test_keras_losses_compute_them_in_nats():
    pytest.importorskip("keras")
    P, Q = batch(2), batch(3)
    np.testing.assert_allclose(cb.keras_cross_entropy(P, Q), cb.cross_entropy(P, Q), rtol=1e-5)
    np.testing.assert_allclose(cb.keras_kl_divergence(P, Q), cb.kl_divergence(P, Q), rtol=1e-4, atol=1e-6)
    y, p = np.array([[1.0], [0.0], [1.0]]), np.array([[0.8], [0.3], [0.6]])
    expected = cb.cross_entropy(cb.bernoulli(y[:, 0]), cb.bernoulli(p[:, 0]))
    np.testing.assert_allclose(cb.keras_binary_cross_entropy(y, p), expected, rtol=1e-5)
    # clipping: Keras stays finite where KL is infinite
    assert np.isfinite(cb.keras_kl_divergence([0.5, 0.5], [1.0, 0.0])).all()


@pytest.mark.slow
def test_make_figures_writes_every_figure(tmp_path):
    paths = plots.make_figures("appendix_b", tmp_path)
    assert [p.stem for p in paths] == list(cb.FIGURES)
    for p in paths:
        assert p.read_bytes()[:8] == PNG_MAGIC
