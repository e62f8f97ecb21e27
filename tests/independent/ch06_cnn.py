"""An independent, correct chapter-6 submission written differently from solutions/ (tests only)."""
import math

import keras
import numpy as np
from numpy.lib.stride_tricks import sliding_window_view


def translate(f, v, mode="wrap"):
    if mode not in ("wrap", "zero"):
        raise ValueError(mode)
    f = np.asarray(f)
    v = [int(s) for s in np.ravel(v)]
    if len(v) > f.ndim:
        raise ValueError("too many shifts")
    if mode == "wrap":
        return np.roll(f, v, axis=tuple(range(len(v))))
    out = np.zeros_like(f)
    dst, src = [], []
    for s, n in zip(v, f.shape):
        lo, hi = max(s, 0), min(n + s, n)
        if lo >= hi:
            return out
        dst.append(slice(lo, hi))
        src.append(slice(lo - s, hi - s))
    out[tuple(dst)] = f[tuple(src)]
    return out


def conv1d(f, g, mode="full"):
    f, g = np.asarray(f, float), np.asarray(g, float)
    if f.ndim != 1 or g.ndim != 1 or len(f) == 0 or len(g) == 0:
        raise ValueError("need 1-D inputs")
    full = np.array([sum(f[k] * g[n - k] for k in range(len(f)) if 0 <= n - k < len(g))
                     for n in range(len(f) + len(g) - 1)])
    m, M = min(len(f), len(g)), max(len(f), len(g))
    if mode == "full":
        return full
    if mode == "valid":
        return full[m - 1:m - 1 + M - m + 1]
    if mode == "same":
        return full[(m - 1) // 2:(m - 1) // 2 + M]
    raise ValueError(mode)


def toeplitz_conv_matrix(g, n):
    g = np.asarray(g, float)
    diff = np.subtract.outer(np.arange(n + len(g) - 1), np.arange(n))
    return np.where((diff >= 0) & (diff < len(g)), g[np.clip(diff, 0, len(g) - 1)], 0.0)


def circulant_matrix(g):
    g = np.asarray(g, float)
    return np.stack([np.roll(g, j) for j in range(len(g))], axis=1)


def _pad_amounts(n, k, s, padding):
    if padding == "same":
        out = math.ceil(n / s)
        need = max(0, (out - 1) * s + k - n)
        return need // 2, need - need // 2
    if padding == "valid":
        return 0, 0
    if padding == "full":
        return k - 1, k - 1
    if type(padding) is int and padding >= 0:
        return padding, padding
    raise ValueError(f"bad padding {padding!r}")


def conv_output_size(n, k, stride, padding):
    if padding == "same":
        return math.ceil(n / stride)
    before, after = _pad_amounts(n, k, stride, padding)
    size = math.floor((n + before + after - k) / stride) + 1
    if size <= 0:
        raise ValueError("empty output")
    return size


def _pair(v):
    return tuple(v) if np.ndim(v) else (v, v)


def conv2d(x, w, b=None, stride=1, padding="valid", flip=False):
    x, w = np.asarray(x, float), np.asarray(w, float)
    if x.ndim != 4 or w.ndim != 4 or x.shape[-1] != w.shape[2]:
        raise ValueError("shapes")
    if flip:
        w = np.flip(w, axis=(0, 1))
    kh, kw = w.shape[:2]
    sh, sw = _pair(stride)
    oh = conv_output_size(x.shape[1], kh, sh, padding)
    ow = conv_output_size(x.shape[2], kw, sw, padding)
    xp = np.pad(x, ((0, 0), _pad_amounts(x.shape[1], kh, sh, padding),
                    _pad_amounts(x.shape[2], kw, sw, padding), (0, 0)))
    patches = sliding_window_view(xp, (kh, kw), axis=(1, 2))[:, ::sh, ::sw][:, :oh, :ow]
    out = np.einsum("nijcab,abco->nijo", patches, w)
    return out if b is None else out + np.asarray(b, float)


def _pool(x, size, stride, reduce):
    x = np.asarray(x, float)
    ph, pw = _pair(size)
    sh, sw = _pair(stride)
    if ph > x.shape[1] or pw > x.shape[2]:
        raise ValueError("window larger than input")
    windows = sliding_window_view(x, (ph, pw), axis=(1, 2))[:, ::sh, ::sw]
    return reduce(windows, axis=(-2, -1))


def max_pool2d(x, size, stride):
    return _pool(x, size, stride, np.max)


def avg_pool2d(x, size, stride):
    return _pool(x, size, stride, np.mean)


def conv_param_count(kh, kw, c_in, c_out):
    return (kh * kw * c_in + 1) * c_out


def receptive_field(layers):
    r = 1
    for k, s in reversed(list(layers)):  # back from one output unit to the input
        r = (r - 1) * s + k
    return r


def build_cnn(input_shape=(8, 8, 1), n_classes=10):
    inputs = keras.Input(shape=tuple(input_shape))
    h = keras.layers.Conv2D(32, 3, activation="relu", padding="same")(inputs)
    h = keras.layers.Conv2D(32, 3, activation="relu", padding="same")(h)
    h = keras.layers.MaxPooling2D(2, padding="same")(h)
    h = keras.layers.Flatten()(h)
    h = keras.layers.Dense(32, activation="relu")(h)
    return keras.Model(inputs, keras.layers.Dense(n_classes, activation="softmax")(h))


def warp(f, tau):
    f = np.asarray(f, float)
    H, W = f.shape[:2]
    tau = np.broadcast_to(np.asarray(tau, float), (H, W, 2))
    out = np.zeros_like(f)
    for i in range(H):
        for j in range(W):
            r, c = i - tau[i, j, 0], j - tau[i, j, 1]
            r0, c0 = math.floor(r), math.floor(c)
            for rr, wr in ((r0, 1 - (r - r0)), (r0 + 1, r - r0)):
                for cc, wc in ((c0, 1 - (c - c0)), (c0 + 1, c - c0)):
                    if 0 <= rr < H and 0 <= cc < W:
                        out[i, j] += wr * wc * f[rr, cc]
    return out


def continuous_conv(f, g, t, lo, hi, n=1000):
    h = (hi - lo) / n
    tau = np.linspace(lo + h / 2, hi - h / 2, n)
    t = np.asarray(t, float)
    values = [h * np.dot(f(tau), g(ti - tau)) for ti in t.ravel()]
    return np.array(values).reshape(t.shape)
