"""Hidden cases of appendix B: the guide's checks, 0 log 0, support mismatch and the (B.6) erratum."""
import math

import numpy as np

from ..chapters.appendix_b_information import dirichlet
from ..spec import Case

ERRATUM = {"p": np.array([0.5, 0.5]), "q": np.array([0.9, 0.1])}  # KL 0.511, H(q) - H(p) = -0.368

CASES = {
    "entropy": [
        Case("uniform_8_is_log_8", {"p": np.full(8, 1 / 8)}),
        Case("skewed_bits", {"p": np.array([0.7, 0.2, 0.1]), "base": 2}),
        Case("zeros_0log0", {"p": dirichlet(10, 6, zeros=(1, 4))}),
        Case("one_hot_is_zero", {"p": np.array([0.0, 1.0, 0.0])}),
        Case("base_10", {"p": dirichlet(11, 4), "base": 10}),
        Case("not_normalized_raises", {"p": np.array([0.5, 0.4, 0.3])}),
    ],
    "cross_entropy": [
        Case("random", {"p": dirichlet(12, 7), "q": dirichlet(13, 7)}),
        Case("one_hot_label", {"p": np.array([0.0, 0.0, 1.0, 0.0]), "q": dirichlet(14, 4)}),
        Case("zeros_of_p_where_q_zero", {"p": np.array([0.6, 0.0, 0.4]), "q": np.array([0.3, 0.0, 0.7])}),
        Case("support_mismatch_inf", {"p": np.array([0.2, 0.8]), "q": np.array([1.0, 0.0])}),
        Case("erratum_pair", dict(ERRATUM)),
        Case("negative_raises", {"p": np.array([1.2, -0.2]), "q": np.array([0.5, 0.5])}),
    ],
    "kl_divergence": [
        Case("erratum_counterexample", dict(ERRATUM)),
        Case("reversed_not_symmetric", {"p": ERRATUM["q"], "q": ERRATUM["p"]}),
        Case("equal_is_zero", {"p": dirichlet(15, 5), "q": dirichlet(15, 5)}),
        Case("zeros_of_p", {"p": dirichlet(16, 6, zeros=(0, 3)), "q": dirichlet(17, 6)}),
        Case("support_mismatch_inf", {"p": dirichlet(18, 4), "q": dirichlet(19, 4, zeros=(2,))}),
        Case("not_normalized_raises", {"p": np.array([0.5, 0.5]), "q": np.array([0.5, 0.6])}),
    ],
    "js_divergence": [
        Case("random", {"p": dirichlet(20, 6), "q": dirichlet(21, 6)}),
        Case("disjoint_is_log_2", {"p": np.array([0.3, 0.7, 0.0, 0.0]), "q": np.array([0.0, 0.0, 0.4, 0.6])}),
        Case("partial_overlap", {"p": np.array([0.5, 0.5, 0.0]), "q": np.array([0.0, 0.1, 0.9])}),
        Case("equal_is_zero", {"p": dirichlet(22, 3), "q": dirichlet(22, 3)}),
        Case("not_normalized_raises", {"p": np.array([0.5, 0.5, 0.0]), "q": np.array([0.2, 0.2, 0.2])}),
    ],
}

assert math.isclose(float(CASES["js_divergence"][1].inputs["p"].sum()), 1.0)
