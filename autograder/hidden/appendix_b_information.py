"""Hidden cases of appendix B: the guide's checks, 0 log 0, support mismatch and the (B.6) erratum."""
import math

import numpy as np

from ..chapters.appendix_b_information import dirichlet
from ..spec import Case

ERRATUM = {"p": np.array([0.5, 0.5]), "q": np.array([0.9, 0.1])}  # KL 0.511, H(q) - H(p) = -0.368

def _dist(seed, n, **extra):
    """{"p": a random pmf on n points (zeros at ``zeros``)}, plus ``extra``."""
    zeros = extra.pop("zeros", ())
    return {"p": dirichlet(seed, n, zeros=zeros) if zeros else dirichlet(seed, n), **extra}


def _two(seed, n, same=False, zeros_p=(), zeros_q=(), q_seed_offset=1):
    """{"p", "q"}: random pmfs on n points (q from seed + 1, or p itself when ``same``)."""
    p = dirichlet(seed, n, zeros=zeros_p) if zeros_p else dirichlet(seed, n)
    q_seed = seed if same else seed + q_seed_offset
    return {"p": p, "q": dirichlet(q_seed, n, zeros=zeros_q) if zeros_q else dirichlet(q_seed, n)}


def _one_hot(seed):
    return {"p": np.array([0.0, 0.0, 1.0, 0.0]), "q": dirichlet(seed, 4)}


CASES = {
    "entropy": [
        Case("uniform_8_is_log_8", {"p": np.full(8, 1 / 8)}),
        Case("skewed_bits", {"p": np.array([0.7, 0.2, 0.1]), "base": 2}),
        Case.drawn("zeros_0log0", _dist, 10, 6, zeros=(1, 4)),
        Case("one_hot_is_zero", {"p": np.array([0.0, 1.0, 0.0])}),
        Case.drawn("base_10", _dist, 11, 4, base=10),
        Case("not_normalized_raises", {"p": np.array([0.5, 0.4, 0.3])}),
    ],
    "cross_entropy": [
        Case.drawn("random", _two, 12, 7),
        Case.drawn("one_hot_label", _one_hot, 14),
        Case("zeros_of_p_where_q_zero", {"p": np.array([0.6, 0.0, 0.4]), "q": np.array([0.3, 0.0, 0.7])}),
        Case("support_mismatch_inf", {"p": np.array([0.2, 0.8]), "q": np.array([1.0, 0.0])}),
        Case("erratum_pair", dict(ERRATUM)),
        Case("negative_raises", {"p": np.array([1.2, -0.2]), "q": np.array([0.5, 0.5])}),
    ],
    "kl_divergence": [
        Case("erratum_counterexample", dict(ERRATUM)),
        Case("reversed_not_symmetric", {"p": ERRATUM["q"], "q": ERRATUM["p"]}),
        Case.drawn("equal_is_zero", _two, 15, 5, same=True),
        Case.drawn("zeros_of_p", _two, 16, 6, zeros_p=(0, 3)),
        Case.drawn("support_mismatch_inf", _two, 18, 4, zeros_q=(2,)),
        Case("not_normalized_raises", {"p": np.array([0.5, 0.5]), "q": np.array([0.5, 0.6])}),
    ],
    "js_divergence": [
        Case.drawn("random", _two, 20, 6),
        Case("disjoint_is_log_2", {"p": np.array([0.3, 0.7, 0.0, 0.0]), "q": np.array([0.0, 0.0, 0.4, 0.6])}),
        Case("partial_overlap", {"p": np.array([0.5, 0.5, 0.0]), "q": np.array([0.0, 0.1, 0.9])}),
        Case.drawn("equal_is_zero", _two, 22, 3, same=True),
        Case("not_normalized_raises", {"p": np.array([0.5, 0.5, 0.0]), "q": np.array([0.2, 0.2, 0.2])}),
    ],
}

assert math.isclose(float(CASES["js_divergence"][1].inputs["p"].sum()), 1.0)
