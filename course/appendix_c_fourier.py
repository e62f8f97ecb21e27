"""Appendix C - Fourier analysis: a concise reference (numpy; Keras only for the chapter-6 link).

* ``dft_matrix``/``dft``/``idft``: the DFT as a matrix, ``X = F x`` with ``F[k, n] = exp(-2 pi i k n/N)``
  (equals ``numpy.fft.fft``; ``F F^H = N I``). The notes have no DFT: this is an extension.
* ``circular_convolution``/``linear_convolution``: by FFT and the convolution theorem, which for
  the DFT holds for CIRCULAR convolution; linear convolution zero-pads to ``N + M - 1``.
* ``fourier_series_coeffs``: ``X_k = (A_k/2) e^{i phi_k}`` (k >= 1), ``X_0 = A_0 cos(phi_0)`` from
  one period of samples (endpoint excluded), correcting (C.8)-(C.10) (factor 1/2, the ``i``, the
  DC term counted once).
* ``ring_laplacian``: chapter 9's ring graph; the DFT diagonalises it (eigenvalues
  ``2 - 2 cos(2 pi k / n)``), and spectral filters on the ring commute with the shift.
* ``conv1d_as_fft``: chapter 6's Keras ``Conv1D`` ("valid", one channel) is a cross-correlation:
  the linear convolution with the flipped kernel, cropped. Runs under every Keras 3 backend.
"""
import numpy as np


def dft_matrix(n):
    """``(n, n)`` complex DFT matrix ``F[k, m] = exp(-2 pi i k m / n)``."""
    k = np.arange(n)
    return np.exp(-2j * np.pi * (np.outer(k, k) % n) / n)


def dft(x):
    """DFT of a 1-D signal as a matrix product (equals ``numpy.fft.fft``)."""
    x = np.asarray(x, dtype=complex)
    return dft_matrix(len(x)) @ x


def idft(X):
    """Inverse DFT: ``x = F^H X / N``."""
    X = np.asarray(X, dtype=complex)
    return dft_matrix(len(X)).conj().T @ X / len(X)


def circular_convolution(x, y):
    """Circular convolution of equal-length signals by the convolution theorem (real in, real out)."""
    z = np.fft.ifft(np.fft.fft(x) * np.fft.fft(y))
    return z if np.iscomplexobj(x) or np.iscomplexobj(y) else z.real


def linear_convolution(x, y):
    """Linear convolution (``numpy.convolve``) by FFT after zero-padding both to ``N + M - 1``."""
    size = len(x) + len(y) - 1
    z = np.fft.ifft(np.fft.fft(x, size) * np.fft.fft(y, size))
    return z if np.iscomplexobj(x) or np.iscomplexobj(y) else z.real


def fourier_series_coeffs(samples, K):
    """``X_0..X_K`` of a real periodic signal sampled on ``t_n = n T0 / N`` (one period)."""
    x = np.asarray(samples, dtype=float)
    return np.fft.fft(x)[:K + 1] / len(x)


def fourier_series_eval(coeffs, t, T0=1.0):
    """``x(t) = X_0 + 2 Re sum_{k>=1} X_k exp(i 2 pi k t / T0)`` (real signal, X_{-k} = conj X_k)."""
    t = np.asarray(t, dtype=float)
    k = np.arange(1, len(coeffs))
    return coeffs[0].real + 2 * np.real(np.exp(2j * np.pi * np.outer(t, k) / T0) @ coeffs[1:])


def ring_laplacian(n):
    """Combinatorial Laplacian ``L = 2I - S - S^T`` of the ring graph with n >= 3 nodes."""
    S = np.roll(np.eye(n), 1, axis=0)
    return 2 * np.eye(n) - S - S.T


def ring_laplacian_eigenvalues(n):
    """Eigenvalue of the k-th Fourier mode: ``2 - 2 cos(2 pi k / n)``, ``k = 0..n-1``."""
    return 2 - 2 * np.cos(2 * np.pi * np.arange(n) / n)


def conv1d_as_fft(x, w):
    """Keras ``Conv1D(1, len(w), padding="valid", use_bias=False)`` with kernel ``w`` on signal ``x``,
    and the same by FFT: returns ``(keras_output, fft_output)`` (they agree to float32 rounding)."""
    import keras

    x, w = np.asarray(x, dtype="float32"), np.asarray(w, dtype="float32")
    layer = keras.layers.Conv1D(1, len(w), padding="valid", use_bias=False)
    layer.build((1, len(x), 1))
    layer.set_weights([w.reshape(len(w), 1, 1)])
    out = keras.ops.convert_to_numpy(layer(x.reshape(1, -1, 1))).ravel()
    via_fft = linear_convolution(x.astype(float), w[::-1].astype(float))[len(w) - 1:len(x)]
    return out, via_fft


# --- figures -------------------------------------------------------------------------------------------

def _draw_dft_matrix(fig):
    F = dft_matrix(16)
    for i, (part, name) in enumerate(((F.real, "Re F"), (F.imag, "Im F"))):
        ax = fig.add_subplot(1, 2, i + 1)
        ax.imshow(part, cmap="RdBu", vmin=-1, vmax=1)
        ax.set_title(f"{name} (N = 16)")


def _draw_convolution_theorem(fig):
    rng = np.random.default_rng(0)
    x, y = rng.standard_normal(12), np.exp(-np.arange(12) / 2.0)
    ax = fig.add_subplot(1, 1, 1)
    ax.plot(np.convolve(x, y), "k-", label="linear (numpy.convolve)")
    ax.plot(linear_convolution(x, y), "o", mfc="none", label="FFT, zero-padded to N+M-1")
    ax.plot(circular_convolution(x, y), "x", label="FFT, unpadded = circular")
    ax.set_xlabel("n")
    ax.legend()


def _draw_fourier_series(fig):
    t = np.linspace(0, 1, 400, endpoint=False)
    square = np.sign(np.sin(2 * np.pi * t))
    X = fourier_series_coeffs(np.sign(np.sin(2 * np.pi * np.arange(512) / 512)), 40)
    ax = fig.add_subplot(1, 1, 1)
    ax.plot(t, square, "k", lw=1, label="square wave")
    for K in (1, 5, 40):
        ax.plot(t, fourier_series_eval(X[:K + 1], t), label=f"K = {K}")
    ax.set_xlabel("t / T0")
    ax.legend()


def _draw_ring_spectrum(fig):
    n = 12
    ax = fig.add_subplot(1, 1, 1)
    ax.plot(np.sort(np.linalg.eigvalsh(ring_laplacian(n))), "o", label="eigvalsh(L)")
    ax.plot(np.sort(ring_laplacian_eigenvalues(n)), "x", label="2 - 2 cos(2 pi k / n)")
    ax.set_title("ring Laplacian: the Fourier modes are its eigenvectors")
    ax.legend()


FIGURES = {
    "appendix_c_dft_matrix": _draw_dft_matrix,
    "appendix_c_convolution_theorem": _draw_convolution_theorem,
    "appendix_c_fourier_series": _draw_fourier_series,
    "appendix_c_ring_laplacian_spectrum": _draw_ring_spectrum,
}
