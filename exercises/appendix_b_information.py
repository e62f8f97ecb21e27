# %% [markdown]
# # Appendix B: information theory (entropy, cross-entropy, Kullback-Leibler and Jensen-Shannon).
#
# Conventions for every exercise of this module:
#
# - `p` and `q` are 1-D probability vectors of the same length (array-like of floats): entries
#   must be >= 0 and sum to 1 within 1e-8; otherwise a `ValueError` is raised (no silent
#   renormalisation). The same `ValueError` for a shape mismatch or an input that is not 1-D.
# - `0 log 0 = 0` (the limit of t log t as t -> 0): outcomes with p(x) = 0 contribute nothing.
# - Logarithms are natural (results in nats) unless a `base` is given; bits = nats / ln 2.
# - Results are Python floats; `math.inf` where the quantity is infinite (support mismatch).
#
# **How to work in this notebook.** Run the setup cell below first. Then, for each exercise, write your
# code in place of the `raise NotImplementedError(...)` line, run the cell, and run the check cell
# after it: `check("name")` runs that exercise's public checks on the definition in this kernel and
# prints `PASS` or `FAIL` for each case (a hang stops after the time limit; an error in your code is a
# `FAIL` line); `check()` runs the whole chapter. From a shell, `autograder check appendix_b` checks the
# exercises folder (this notebook, or the paired `appendix_b_information.py` file), and `autograder check
# appendix_b_information.ipynb` this notebook. Your grade comes from hidden cases with other inputs. Scratch
# cells (plots, training runs, prints) are fine: grading keeps only the imports, definitions and
# constants, and leaves the rest out.
#
# _Generated from the answer key by `autograder sync` (course maintainers edit `solutions/`)._

# %%
import math

import numpy as np

# check("name") runs an exercise's public checks on your definition; check() all of them
from autograder.notebook import Checks

check = Checks("appendix_b_information")


# %% [markdown]
# ## Exercise `entropy` (4 points)
#
# Shannon entropy H(p) = -sum_i p_i log p_i, the notes' (B.2), with `0 log 0 = 0`.
#
# **Args:**
#
# - p: probability vector, shape (n,), entries >= 0 summing to 1 (else `ValueError`).
# - base: base of the logarithm (`math.e`: nats, 2: bits); the result in base b is the
#   result in nats divided by ln b.
#
# **Returns:**
#
# - float in [0, log_base n]; 0 for a one-hot p, log_base n for the uniform law on n outcomes.
#
# Note: the notes say that a variable with more outcomes has higher entropy; that is not true in
# general (p = (.9, .05, .05) has less entropy than (.5, .5)). Only the maximum, log n, grows.

# %%
def entropy(p, base=math.e):
    """Shannon entropy H(p) = -sum_i p_i log p_i, the notes' (B.2), with ``0 log 0 = 0``.

    Args:
        p: probability vector, shape (n,), entries >= 0 summing to 1 (else ``ValueError``).
        base: base of the logarithm (``math.e``: nats, 2: bits); the result in base b is the
            result in nats divided by ln b.

    Returns:
        float in [0, log_base n]; 0 for a one-hot p, log_base n for the uniform law on n outcomes.

    Note: the notes say that a variable with more outcomes has higher entropy; that is not true in
    general (p = (.9, .05, .05) has less entropy than (.5, .5)). Only the maximum, log n, grows.
    """
    raise NotImplementedError("appendix_b_information.entropy: not implemented yet")


# %%
check("entropy")


# %% [markdown]
# ## Exercise `cross_entropy` (4 points)
#
# Cross-entropy H(p, q) = -sum_i p_i log q_i in nats (natural log), with `0 log 0 = 0`.
#
# **Args:**
#
# - p: the "true" distribution (e.g. one-hot labels), shape (n,).
# - q: the model's distribution, shape (n,). Both are validated as in the module docstring.
#
# **Returns:**
#
# - float >= H(p); `math.inf` when some p_i > 0 has q_i = 0. Terms with p_i = 0 are 0, also
#   where q_i = 0. Equals `keras.losses.categorical_crossentropy(p, q)` (which clips q to
#   [1e-7, 1 - 1e-7], so it stays finite) away from zeros of q.

# %%
def cross_entropy(p, q):
    """Cross-entropy H(p, q) = -sum_i p_i log q_i in nats (natural log), with ``0 log 0 = 0``.

    Args:
        p: the "true" distribution (e.g. one-hot labels), shape (n,).
        q: the model's distribution, shape (n,). Both are validated as in the module docstring.

    Returns:
        float >= H(p); ``math.inf`` when some p_i > 0 has q_i = 0. Terms with p_i = 0 are 0, also
        where q_i = 0. Equals ``keras.losses.categorical_crossentropy(p, q)`` (which clips q to
        [1e-7, 1 - 1e-7], so it stays finite) away from zeros of q.
    """
    raise NotImplementedError("appendix_b_information.cross_entropy: not implemented yet")


# %%
check("cross_entropy")


# %% [markdown]
# ## Exercise `kl_divergence` (5 points)
#
# Kullback-Leibler divergence KL(p || q) = sum_i p_i log(p_i / q_i) in nats, the notes' (B.3).
#
# **Args:**
#
# - p, q: probability vectors of the same shape (n,), validated as in the module docstring.
#
# **Returns:**
#
# - float >= 0, 0 iff p = q; `math.inf` on a support mismatch (some p_i > 0 with q_i = 0);
#   terms with p_i = 0 are 0. Equals H(p, q) - H(p) (cross-entropy minus entropy) and
#   `keras.losses.kl_divergence(p, q)` away from zeros of q. Not symmetric.
#
# Erratum: the notes' (B.6)/(B.7) write KL(p || q) = H(q) - H(p); that is wrong (for p = (.5, .5),
# q = (.9, .1): KL = 0.511 but H(q) - H(p) = -0.368 < 0). The correct identity is (B.8):
# KL(p || q) = H(p, q) - H(p), which this function follows through (B.3).

# %%
def kl_divergence(p, q):
    """Kullback-Leibler divergence KL(p || q) = sum_i p_i log(p_i / q_i) in nats, the notes' (B.3).

    Args:
        p, q: probability vectors of the same shape (n,), validated as in the module docstring.

    Returns:
        float >= 0, 0 iff p = q; ``math.inf`` on a support mismatch (some p_i > 0 with q_i = 0);
        terms with p_i = 0 are 0. Equals H(p, q) - H(p) (cross-entropy minus entropy) and
        ``keras.losses.kl_divergence(p, q)`` away from zeros of q. Not symmetric.

    Erratum: the notes' (B.6)/(B.7) write KL(p || q) = H(q) - H(p); that is wrong (for p = (.5, .5),
    q = (.9, .1): KL = 0.511 but H(q) - H(p) = -0.368 < 0). The correct identity is (B.8):
    KL(p || q) = H(p, q) - H(p), which this function follows through (B.3).
    """
    raise NotImplementedError("appendix_b_information.kl_divergence: not implemented yet")


# %%
check("kl_divergence")


# %% [markdown]
# ## Exercise `js_divergence` (4 points)
#
# Jensen-Shannon divergence JSD(p, q) = KL(p || m) / 2 + KL(q || m) / 2, m = (p + q) / 2, in nats.
#
# **Args:**
#
# - p, q: probability vectors of the same shape (n,), validated as in the module docstring.
#
# **Returns:**
#
# - float in [0, ln 2]: symmetric, 0 iff p = q, ln 2 for disjoint supports, and always finite
#   (m_i > 0 wherever p_i > 0 or q_i > 0). (An extension: the notes define only KL.)

# %%
def js_divergence(p, q):
    """Jensen-Shannon divergence JSD(p, q) = KL(p || m) / 2 + KL(q || m) / 2, m = (p + q) / 2, in nats.

    Args:
        p, q: probability vectors of the same shape (n,), validated as in the module docstring.

    Returns:
        float in [0, ln 2]: symmetric, 0 iff p = q, ln 2 for disjoint supports, and always finite
        (m_i > 0 wherever p_i > 0 or q_i > 0). (An extension: the notes define only KL.)
    """
    raise NotImplementedError("appendix_b_information.js_divergence: not implemented yet")


# %%
check("js_divergence")
