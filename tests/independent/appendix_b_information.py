"""Appendix B written differently: scipy.special.xlogy for 0 log 0, KL as cross-entropy minus
entropy (B.8), JSD as the entropy of the mixture minus the mean entropy."""
import math

import numpy as np
from scipy.special import xlogy


def _check(*vectors):
    arrays = [np.array(v, dtype=np.float64) for v in vectors]
    for a in arrays:
        if a.ndim != 1 or (a < 0).any() or not math.isclose(a.sum(), 1.0, rel_tol=0, abs_tol=1e-8):
            raise ValueError("not a probability vector")
    if len({a.shape for a in arrays}) > 1:
        raise ValueError("shape mismatch")
    return arrays


def entropy(p, base=math.e):
    (p,) = _check(p)
    return float(-xlogy(p, p).sum() / np.log(base))


def cross_entropy(p, q):
    p, q = _check(p, q)
    if ((p > 0) & (q == 0)).any():
        return math.inf
    return float(-xlogy(p, np.where(p > 0, q, 1.0)).sum())


def kl_divergence(p, q):
    p, q = _check(p, q)
    if ((p > 0) & (q == 0)).any():
        return math.inf
    # sum of p log p - p log q, term by term (more accurate than H(p, q) - H(p) near p = q)
    support = np.flatnonzero(p)
    return float(sum(p[i] * (math.log(p[i]) - math.log(q[i])) for i in support))


def js_divergence(p, q):
    p, q = _check(p, q)
    m = (p + q) / 2
    h = lambda v: -xlogy(v, v).sum()  # noqa: E731
    return float(max(h(m) - (h(p) + h(q)) / 2, 0.0))
