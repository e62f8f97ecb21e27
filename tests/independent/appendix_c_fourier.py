"""An independent, correct appendix-C submission written differently from solutions/ (tests only)."""

import numpy as np


def dft_matrix(n):
    if n < 1:
        raise ValueError("n >= 1")
    # powers of the root of unity, looked up by (k m) mod n
    roots = np.cos(-2 * np.pi * np.arange(n) / n) + 1j * np.sin(-2 * np.pi * np.arange(n) / n)
    return np.array([[roots[(k * m) % n] for m in range(n)] for k in range(n)])


def _fft(x):
    """Recursive radix-2 where possible, direct sums otherwise."""
    n = len(x)
    if n % 2 == 0 and n > 1:
        even, odd = _fft(x[0::2]), _fft(x[1::2])
        tw = np.exp(-2j * np.pi * np.arange(n // 2) / n) * odd
        return np.concatenate([even + tw, even - tw])
    k = np.arange(n)
    return np.array([np.sum(x * np.exp(-2j * np.pi * kk * k / n)) for kk in range(n)])


def dft(x):
    return _fft(np.asarray(x, dtype=complex).ravel())


def circular_convolution(x, y):
    x, y = np.asarray(x), np.asarray(y)
    if x.shape != y.shape or x.size == 0:
        raise ValueError("equal non-empty lengths")
    n = len(x)
    out = np.zeros(n, dtype=np.result_type(x, y, float))
    for shift in range(n):
        out += x[shift] * np.roll(y, shift)
    return out


def fft_convolution(x, y, mode="circular"):
    x, y = np.asarray(x), np.asarray(y)
    if mode not in ("circular", "linear") or x.size == 0 or y.size == 0:
        raise ValueError("bad input")
    if mode == "circular" and len(x) != len(y):
        raise ValueError("equal lengths")
    L = len(x) if mode == "circular" else len(x) + len(y) - 1
    xp = np.concatenate([x, np.zeros(L - len(x))])
    yp = np.concatenate([y, np.zeros(L - len(y))])
    z = np.conj(np.fft.fft(np.conj(np.fft.fft(xp) * np.fft.fft(yp)))) / L  # inverse via conjugation
    return z if (np.iscomplexobj(x) or np.iscomplexobj(y)) else np.real(z)


def fourier_series_coeffs(samples, K):
    x = np.asarray(samples, dtype=float)
    N = len(x)
    if K < 0 or 2 * K >= N:
        raise ValueError("need N > 2K >= 0")
    t = 2 * np.pi * np.arange(N) / N
    # real and imaginary parts separately: mean of x cos(k t) and -mean of x sin(k t)
    return np.array([np.mean(x * np.cos(k * t)) - 1j * np.mean(x * np.sin(k * t)) for k in range(K + 1)])
