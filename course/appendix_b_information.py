"""Appendix B reference library: entropy, cross-entropy, KL and JS divergences in nats and bits, and
the Keras losses that compute them.

Numpy functions work on the last axis (a batch of distributions has shape (..., n)) with
``0 log 0 = 0`` and ``inf`` on a support mismatch; ``base`` chooses the unit (e: nats, 2: bits;
bits = nats / ln 2). The Keras losses work in nats and clip probabilities to [1e-7, 1] (KL) or
[1e-7, 1 - 1e-7] (cross-entropy), so they stay finite where the exact quantity is infinite.

The notes' (B.6)/(B.7), KL(p || q) = H(q) - H(p), are wrong; the identity is (B.8):
KL(p || q) = H(p, q) - H(p) (``cross_entropy - entropy``), which ``kl_divergence`` satisfies.
TensorFlow/Keras are imported lazily, inside the functions that use them; they run under every
Keras 3 backend.
"""
import math

import numpy as np


def _plogq(p, q):
    """Elementwise p log q with 0 log q = 0 for every q (also q = 0); -inf where p > 0 = q."""
    p, q = np.broadcast_arrays(np.asarray(p, dtype=float), np.asarray(q, dtype=float))
    out = np.zeros(p.shape)
    pos = p > 0
    with np.errstate(divide="ignore"):
        out[pos] = p[pos] * np.log(q[pos])
    return out


def entropy(p, base=math.e):
    """H(p) = -sum p log p (B.2) over the last axis, in units of ``base``."""
    return -np.sum(_plogq(p, p), axis=-1) / math.log(base)


def cross_entropy(p, q, base=math.e):
    """H(p, q) = -sum p log q over the last axis; inf where p > 0 = q."""
    return -np.sum(_plogq(p, q), axis=-1) / math.log(base)


def kl_divergence(p, q, base=math.e):
    """KL(p || q) = sum p log(p / q) (B.3) = H(p, q) - H(p) (B.8); inf on a support mismatch."""
    return np.sum(_plogq(p, p) - _plogq(p, q), axis=-1) / math.log(base)


def js_divergence(p, q, base=math.e):
    """JSD(p, q) = (KL(p || m) + KL(q || m)) / 2 with m = (p + q) / 2: symmetric, in [0, log_base 2]."""
    m = 0.5 * (np.asarray(p, dtype=float) + np.asarray(q, dtype=float))
    return 0.5 * (kl_divergence(p, m, base) + kl_divergence(q, m, base))


def to_bits(nats):
    """Convert nats to bits (divide by ln 2)."""
    return np.asarray(nats) / math.log(2)


def keras_cross_entropy(p, q):
    """``keras.losses.categorical_crossentropy`` (nats, per row): H(p, q) up to q's clipping."""
    import keras

    p, q = np.atleast_2d(p).astype("float32"), np.atleast_2d(q).astype("float32")
    return keras.ops.convert_to_numpy(keras.losses.categorical_crossentropy(p, q))


def keras_kl_divergence(p, q):
    """``keras.losses.kl_divergence`` (nats, per row): KL(p || q) up to clipping to [1e-7, 1]."""
    import keras

    p, q = np.atleast_2d(p).astype("float32"), np.atleast_2d(q).astype("float32")
    return keras.ops.convert_to_numpy(keras.losses.kl_divergence(p, q))


def keras_binary_cross_entropy(y, p):
    """``keras.losses.binary_crossentropy`` (nats, mean over the last axis): Bernoulli H((y, 1-y), (p, 1-p))."""
    import keras

    y, p = np.atleast_2d(y).astype("float32"), np.atleast_2d(p).astype("float32")
    return keras.ops.convert_to_numpy(keras.losses.binary_crossentropy(y, p))


def bernoulli(t):
    """Rows (t, 1 - t) for an array of success probabilities ``t``: shape (len(t), 2)."""
    t = np.asarray(t, dtype=float)
    return np.stack([t, 1 - t], axis=-1)


# --- figures ---------------------------------------------------------------------------------------

def _draw_binary_entropy(fig):
    t = np.linspace(0, 1, 401)
    ax = fig.add_subplot()
    ax.plot(t, entropy(bernoulli(t), base=2), label="H(Bernoulli(t)) [bits]")
    ax.plot(t, entropy(bernoulli(t)), "--", label="same in nats")
    ax.axhline(1.0, color="gray", lw=0.5)
    ax.set(xlabel="t = P(X = 1)", ylabel="entropy", title="Binary entropy: max 1 bit = ln 2 nats at t = 1/2")
    ax.legend(fontsize=8)


def _draw_kl_asymmetry(fig):
    t = np.linspace(0.005, 0.995, 300)
    p = bernoulli(0.3)
    ax = fig.add_subplot()
    ax.plot(t, kl_divergence(p, bernoulli(t)), label="KL(p || q_t)")
    ax.plot(t, kl_divergence(bernoulli(t), p), "--", label="KL(q_t || p)")
    ax.plot(t, js_divergence(p, bernoulli(t)), ":", label="JSD(p, q_t)")
    ax.axhline(math.log(2), color="gray", lw=0.5)
    ax.set(xlabel="t (q_t = Bernoulli(t))", ylabel="nats", ylim=(0, 2),
           title="p = Bernoulli(0.3): KL is not symmetric, JSD <= ln 2")
    ax.legend(fontsize=8)


def _draw_erratum_b6(fig):
    t = np.linspace(0.005, 0.995, 300)
    p = bernoulli(0.5)
    ax = fig.add_subplot()
    ax.plot(t, kl_divergence(p, bernoulli(t)), label="KL(p || q) = H(p, q) - H(p)  (B.8)")
    ax.plot(t, entropy(bernoulli(t)) - entropy(p), "--", label="H(q) - H(p)  (notes' B.6, wrong)")
    ax.axhline(0, color="gray", lw=0.5)
    ax.set(xlabel="t (q = Bernoulli(t)), p = Bernoulli(1/2)", ylabel="nats", ylim=(-1, 2),
           title="Erratum (B.6)/(B.7)")
    ax.legend(fontsize=8)


FIGURES = {
    "appendix_b_binary_entropy": _draw_binary_entropy,
    "appendix_b_kl_asymmetry": _draw_kl_asymmetry,
    "appendix_b_erratum_b6": _draw_erratum_b6,
}
