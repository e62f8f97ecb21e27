"""Grading spec of appendix B (information theory: entropy, cross-entropy, KL and JS divergences).

Every exercise returns a float determined by its specification (nats unless a base is given, with
``0 log 0 = 0``), so the checks compare with the answer key within float64 tolerances; ``inf`` (a
support mismatch) must be ``inf`` exactly, and inputs that are not probability vectors must raise
``ValueError`` as the docstrings say.
"""
import numpy as np

from ..compare import compare
from ..spec import Case, Exercise
from ..verdicts import fail, ok


def FLOAT64(got, expected, inputs):
    """float64 closeness (rtol 1e-10, atol 1e-12); an infinite reference must be matched exactly
    (``compare`` alone would accept any finite value within ``atol + rtol * inf``)."""
    exp_a, got_a = np.asarray(expected), np.asarray(got)
    if exp_a.shape == () and exp_a.dtype.kind == "f" and np.isinf(exp_a):
        if got_a.shape == () and got_a.dtype.kind in "fiu" and float(got_a) == float(exp_a):
            return ok()
        return fail(f"result: expected {float(exp_a)!r} (a support mismatch), got {got!r}")
    msg = compare(got, expected, rtol=1e-10, atol=1e-12)
    return fail(msg) if msg else ok()


FLOAT64.tolerance = (1e-10, 1e-12)

# library routines that compute the exercises outright
LIBRARY = ("scipy.stats.entropy", "scipy.special.entr", "scipy.special.rel_entr", "scipy.special.kl_div",
           "scipy.spatial.distance.jensenshannon", "keras.losses.kl_divergence",
           "keras.losses.categorical_crossentropy", "keras.losses.KLDivergence",
           "keras.losses.CategoricalCrossentropy", "tensorflow.keras.losses.kl_divergence")
COURSE = tuple(f"course.appendix_b_information.{name}"
               for name in ("entropy", "cross_entropy", "kl_divergence", "js_divergence"))

EXERCISES = [
    # 0 log 0, the base of the logarithm: a one-line formula with its edge cases
    Exercise("entropy", points=4, check=FLOAT64, forbidden=LIBRARY + COURSE),
    # the loss behind categorical cross-entropy; inf on a zero of q where p > 0
    Exercise("cross_entropy", points=4, check=FLOAT64, forbidden=LIBRARY + COURSE),
    # the erratum (B.6)/(B.7) trap, inf on support mismatch, 0 iff p = q
    Exercise("kl_divergence", points=5, check=FLOAT64, forbidden=LIBRARY + COURSE),
    # the mixture, symmetry, bounded by ln 2 even on disjoint supports
    Exercise("js_divergence", points=4, check=FLOAT64, forbidden=LIBRARY + COURSE),
]


def dirichlet(seed, n, zeros=()):
    """A seeded random probability vector of length ``n`` with exact zeros at ``zeros``."""
    p = np.random.default_rng(seed).dirichlet(np.ones(n))
    p[list(zeros)] = 0.0
    return p / p.sum()


PUBLIC_CASES = {
    "entropy": [Case("fair_coin_bits", {"p": np.array([0.5, 0.5]), "base": 2}),
                Case("random_nats", {"p": dirichlet(0, 5)})],
    "cross_entropy": [Case("random", {"p": dirichlet(1, 4), "q": dirichlet(2, 4)})],
    "kl_divergence": [Case("random", {"p": dirichlet(3, 6), "q": dirichlet(4, 6)})],
    "js_divergence": [Case("random", {"p": dirichlet(5, 3), "q": dirichlet(6, 3)})],
}

