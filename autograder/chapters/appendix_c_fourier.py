"""Grading spec of appendix C (Fourier analysis: the DFT, convolution by FFT, Fourier series).

Complex outputs are compared as complex (real and imaginary parts both), with tolerances that admit
any correct summation order (loops, matrix products, recursive FFTs). The DFT exercises are
extensions of the notes (which have no DFT): ``numpy.fft``/``scipy.fft`` are forbidden where the
exercise IS the DFT or the direct convolution, and allowed in ``fft_convolution`` (its lesson is the
zero-padding of the convolution theorem, not the transform).
"""
import numpy as np

from ..compare import close
from ..spec import Case, Exercise

_FFT_NAMES = ("numpy.fft.fft", "numpy.fft.ifft", "numpy.fft.rfft", "numpy.fft.irfft", "numpy.fft.fftn",
              "numpy.fft.fft2", "scipy.fft.fft", "scipy.fft.ifft", "scipy.fftpack.fft", "scipy.linalg.dft")
_CONV_NAMES = ("numpy.convolve", "numpy.correlate", "scipy.signal.convolve", "scipy.signal.fftconvolve",
               "scipy.signal.oaconvolve", "scipy.ndimage.convolve1d", "scipy.ndimage.convolve")

EXERCISES = [
    # a definition, but the phase has to be exact (k*m reduced or not: 1e-9 admits both at n <= 64)
    Exercise("dft_matrix", points=3, check=close(rtol=1e-9, atol=1e-9),
             forbidden=_FFT_NAMES + ("course.appendix_c_fourier.dft_matrix",)),
    Exercise("dft", points=3, check=close(rtol=1e-9, atol=1e-9),
             forbidden=_FFT_NAMES + ("course.appendix_c_fourier.dft",)),
    Exercise("circular_convolution", points=3, check=close(rtol=1e-9, atol=1e-9),
             forbidden=_FFT_NAMES + _CONV_NAMES + ("scipy.linalg.circulant",
                                                   "course.appendix_c_fourier.circular_convolution")),
    Exercise("fft_convolution", points=4, check=close(rtol=1e-9, atol=1e-9),
             forbidden=_CONV_NAMES + ("course.appendix_c_fourier.fft_convolution",)),
    Exercise("fourier_series_coeffs", points=4, check=close(rtol=1e-9, atol=1e-9),
             forbidden=("course.appendix_c_fourier.fourier_series_coeffs",)),
]


def _rng(seed):
    return np.random.default_rng(seed)


def cosine_sum(N, amplitudes, phases):
    """One period of ``sum_k A_k cos(2 pi k t / T0 + phi_k)`` on ``t_n = n T0 / N`` (endpoint
    excluded); ``amplitudes[k]`` is A_k (k = 0 is the DC term A_0 cos(phi_0))."""
    t = np.arange(N) / N
    return sum(a * np.cos(2 * np.pi * k * t + p) for k, (a, p) in enumerate(zip(amplitudes, phases)))


PUBLIC_CASES = {
    "dft_matrix": [Case("n4", {"n": 4})],
    "dft": [Case("random_8", {"x": _rng(1).standard_normal(8)})],
    "circular_convolution": [Case("n5", {"x": _rng(2).standard_normal(5), "y": _rng(3).standard_normal(5)})],
    "fft_convolution": [
        Case("linear_5_3", {"x": _rng(4).standard_normal(5), "y": _rng(5).standard_normal(3), "mode": "linear"})],
    "fourier_series_coeffs": [
        Case("two_harmonics", {"samples": cosine_sum(16, [0.5, 2.0, 0.0, 1.0], [0.0, 0.7, 0.0, -1.0]), "K": 3})],
}
