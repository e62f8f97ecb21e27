# %% [markdown]
# # Appendix C - Fourier analysis (from-scratch numpy exercises).
#
# Conventions used throughout this file:
#
# * Signals are 1-D arrays indexed from 0; a length-N signal is one period of an N-periodic sequence
#   wherever a circular operation is meant.
# * The DFT uses the engineering sign and no normalisation, like `numpy.fft.fft`:
#   `X_k = sum_{n=0}^{N-1} x_n exp(-2 pi i k n / N)`; the inverse carries the factor `1/N`.
#   With `F[k, n] = exp(-2 pi i k n / N)` this is `X = F x` and `F F^H = N I`.
# * EXTENSION: the notes have no DFT. `dft_matrix`, `dft`, `circular_convolution` and
#   `fft_convolution` are extensions of appendix C (the discrete form of (C.11)-(C.15)), tied to
#   chapter 6 (convolution layers) and chapter 9 (the ring graph, whose Laplacian the DFT diagonalises).
# * The notes' convolution theorem is stated for the continuous transform. For the DFT it holds for
#   CIRCULAR convolution: `DFT(x (*) y) = DFT(x) DFT(y)`; linear convolution needs zero-padding both
#   signals to length `N + M - 1` first.
# * Fourier series (C.8)-(C.10): a real T0-periodic signal `x(t) = sum_k A_k cos(2 pi k f0 t + phi_k)`
#   (f0 = 1/T0; `2 pi k f0` is an angular frequency) has the complex coefficients
#   `X_k = (A_k / 2) exp(i phi_k)` for k >= 1, `X_{-k} = conj(X_k)`, and `X_0 = A_0 cos(phi_0)`.
#   Errata: (C.8) drops the factor 1/2 and the `i` in the exponents; (C.9) sums k = 0 in both series,
#   counting the DC term twice; (C.10) leaves X_0 undefined.
#
# Use numpy only.
#
# **How to work in this notebook.** Run the setup cell below first. Then, for each exercise, write your
# code in place of the `raise NotImplementedError(...)` line, run the cell, and run the check cell
# after it: `check("name")` runs that exercise's public checks on the definition in this kernel and
# prints `PASS` or `FAIL` for each case (a hang stops after the time limit; an error in your code is a
# `FAIL` line); `check()` runs the whole chapter. From a shell, `autograder check appendix_c` checks the
# exercises folder (this notebook, or the paired `appendix_c_fourier.py` file), and `autograder check
# appendix_c_fourier.ipynb` this notebook. Your grade comes from hidden cases with other inputs. Scratch
# cells (plots, training runs, prints) are fine: grading keeps only the imports, definitions and
# constants, and leaves the rest out.
#
# _Generated from the answer key by `autograder sync` (course maintainers edit `solutions/`)._

# %%
import numpy as np

# check("name") runs an exercise's public checks on your definition; check() all of them
from autograder.notebook import Checks

check = Checks("appendix_c_fourier")


# %% [markdown]
# ## Exercise `dft_matrix` (3 points)
#
# The n x n DFT matrix (EXTENSION: the notes have no DFT).
#
# `F[k, m] = exp(-2 pi i k m / n)` for `k, m = 0..n-1` (no normalisation), so `F @ x` equals
# `numpy.fft.fft(x)` and `F @ F.conj().T = n * I` (F / sqrt(n) is unitary). F is symmetric.
#
# **Args:**
#
# - n: int >= 1.
#
# **Returns:**
#
# - complex128 array of shape `(n, n)`.
#
# **Raises:**
#
# - ValueError: if `n < 1`.

# %%
def dft_matrix(n):
    """The n x n DFT matrix (EXTENSION: the notes have no DFT).

    ``F[k, m] = exp(-2 pi i k m / n)`` for ``k, m = 0..n-1`` (no normalisation), so ``F @ x`` equals
    ``numpy.fft.fft(x)`` and ``F @ F.conj().T = n * I`` (F / sqrt(n) is unitary). F is symmetric.

    Args:
        n: int >= 1.

    Returns:
        complex128 array of shape ``(n, n)``.

    Raises:
        ValueError: if ``n < 1``.
    """
    raise NotImplementedError("appendix_c_fourier.dft_matrix: not implemented yet")


# %%
check("dft_matrix")


# %% [markdown]
# ## Exercise `dft` (3 points)
#
# The DFT of a 1-D signal (EXTENSION): `X_k = sum_n x_n exp(-2 pi i k n / N)`.
#
# Equals `numpy.fft.fft(x)` (which the exercise may not call). Real or complex input.
#
# **Args:**
#
# - x: array of shape `(N,)`, N >= 1.
#
# **Returns:**
#
# - complex128 array of shape `(N,)`.

# %%
def dft(x):
    """The DFT of a 1-D signal (EXTENSION): ``X_k = sum_n x_n exp(-2 pi i k n / N)``.

    Equals ``numpy.fft.fft(x)`` (which the exercise may not call). Real or complex input.

    Args:
        x: array of shape ``(N,)``, N >= 1.

    Returns:
        complex128 array of shape ``(N,)``.
    """
    raise NotImplementedError("appendix_c_fourier.dft: not implemented yet")


# %%
check("dft")


# %% [markdown]
# ## Exercise `circular_convolution` (3 points)
#
# Circular convolution of two length-N signals (EXTENSION), from the definition.
#
# `z_n = sum_{m=0}^{N-1} x_m y_{(n - m) mod N}`, `n = 0..N-1` (the DFT convolution theorem
# holds for this one: `dft(z) = dft(x) * dft(y)`).
#
# **Args:**
#
# - x, y: arrays of shape `(N,)`, real or complex.
#
# **Returns:**
#
# - array of shape `(N,)`: float64 when both inputs are real, complex128 otherwise.
#
# **Raises:**
#
# - ValueError: if the lengths differ (no implicit zero-padding; pad yourself, or use
#   `fft_convolution(..., mode="linear")`), or if they are empty.

# %%
def circular_convolution(x, y):
    """Circular convolution of two length-N signals (EXTENSION), from the definition.

    ``z_n = sum_{m=0}^{N-1} x_m y_{(n - m) mod N}``, ``n = 0..N-1`` (the DFT convolution theorem
    holds for this one: ``dft(z) = dft(x) * dft(y)``).

    Args:
        x, y: arrays of shape ``(N,)``, real or complex.

    Returns:
        array of shape ``(N,)``: float64 when both inputs are real, complex128 otherwise.

    Raises:
        ValueError: if the lengths differ (no implicit zero-padding; pad yourself, or use
        ``fft_convolution(..., mode="linear")``), or if they are empty.
    """
    raise NotImplementedError("appendix_c_fourier.circular_convolution: not implemented yet")


# %%
check("circular_convolution")


# %% [markdown]
# ## Exercise `fft_convolution` (4 points)
#
# Convolution through the FFT and the convolution theorem (EXTENSION).
#
# `mode="circular"`: x and y of equal length N, `ifft(fft(x) * fft(y))` (length N).
# `mode="linear"`: x of length N and y of length M, both zero-padded to `N + M - 1` first, so
# that the circular wrap-around is empty; the result (length `N + M - 1`) equals
# `numpy.convolve(x, y)` (which the exercise may not call). Without padding the product of the
# transforms gives the circular convolution, not the linear one.
#
# **Args:**
#
# - x, y: 1-D arrays, real or complex.
# - mode: `"circular"` or `"linear"`.
#
# **Returns:**
#
# - float64 array when both inputs are real (the imaginary rounding residue dropped),
#   complex128 otherwise.
#
# **Raises:**
#
# - ValueError: unknown mode, empty input, or unequal lengths in circular mode.

# %%
def fft_convolution(x, y, mode="circular"):
    """Convolution through the FFT and the convolution theorem (EXTENSION).

    ``mode="circular"``: x and y of equal length N, ``ifft(fft(x) * fft(y))`` (length N).
    ``mode="linear"``: x of length N and y of length M, both zero-padded to ``N + M - 1`` first, so
    that the circular wrap-around is empty; the result (length ``N + M - 1``) equals
    ``numpy.convolve(x, y)`` (which the exercise may not call). Without padding the product of the
    transforms gives the circular convolution, not the linear one.

    Args:
        x, y: 1-D arrays, real or complex.
        mode: ``"circular"`` or ``"linear"``.

    Returns:
        float64 array when both inputs are real (the imaginary rounding residue dropped),
        complex128 otherwise.

    Raises:
        ValueError: unknown mode, empty input, or unequal lengths in circular mode.
    """
    raise NotImplementedError("appendix_c_fourier.fft_convolution: not implemented yet")


# %%
check("fft_convolution")


# %% [markdown]
# ## Exercise `fourier_series_coeffs` (4 points)
#
# Complex Fourier series coefficients X_0..X_K of a real periodic signal from samples.
#
# The samples are one period on the grid `t_n = n T0 / N`, `n = 0..N-1` (endpoint excluded);
# `X_k = (1/N) sum_n x_n exp(-2 pi i k n / N)`, the rectangle rule for
# `(1/T0) int_0^T0 x(t) exp(-i 2 pi k f0 t) dt`, exact when `N > 2K` and the signal has no
# harmonics above K. For `x(t) = sum_k A_k cos(2 pi k f0 t + phi_k)` this returns
# `X_k = (A_k / 2) exp(i phi_k)` for k >= 1 and `X_0 = A_0 cos(phi_0)` (the mean).
#
# Errata: the notes' (C.8) has `|X_k| = A_k` and real exponents; correct is the factor 1/2 and
# `exp(+- i ...)`. (C.9) counts the DC term twice; (C.10) leaves X_0 undefined. The negative
# frequencies are `X_{-k} = conj(X_k)` and are not returned.
#
# **Args:**
#
# - samples: real array of shape `(N,)`.
# - K: int >= 0, the highest harmonic returned.
#
# **Returns:**
#
# - complex128 array of shape `(K + 1,)`: `X_0, X_1, ..., X_K`.
#
# **Raises:**
#
# - ValueError: if `K < 0` or `N <= 2K` (too few samples: aliasing).

# %%
def fourier_series_coeffs(samples, K):
    """Complex Fourier series coefficients X_0..X_K of a real periodic signal from samples.

    The samples are one period on the grid ``t_n = n T0 / N``, ``n = 0..N-1`` (endpoint excluded);
    ``X_k = (1/N) sum_n x_n exp(-2 pi i k n / N)``, the rectangle rule for
    ``(1/T0) int_0^T0 x(t) exp(-i 2 pi k f0 t) dt``, exact when ``N > 2K`` and the signal has no
    harmonics above K. For ``x(t) = sum_k A_k cos(2 pi k f0 t + phi_k)`` this returns
    ``X_k = (A_k / 2) exp(i phi_k)`` for k >= 1 and ``X_0 = A_0 cos(phi_0)`` (the mean).

    Errata: the notes' (C.8) has ``|X_k| = A_k`` and real exponents; correct is the factor 1/2 and
    ``exp(+- i ...)``. (C.9) counts the DC term twice; (C.10) leaves X_0 undefined. The negative
    frequencies are ``X_{-k} = conj(X_k)`` and are not returned.

    Args:
        samples: real array of shape ``(N,)``.
        K: int >= 0, the highest harmonic returned.

    Returns:
        complex128 array of shape ``(K + 1,)``: ``X_0, X_1, ..., X_K``.

    Raises:
        ValueError: if ``K < 0`` or ``N <= 2K`` (too few samples: aliasing).
    """
    raise NotImplementedError("appendix_c_fourier.fourier_series_coeffs: not implemented yet")


# %%
check("fourier_series_coeffs")
