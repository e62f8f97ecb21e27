"""Appendix C reference library: DFT, convolution by FFT, Fourier series, ring Laplacian, Conv1D link."""

import numpy as np
import pytest

from course import plots
from course import appendix_c_fourier as fc


def test_import_is_light():
    assert "keras" not in vars(fc) and "tensorflow" not in vars(fc)


def test_dft_and_inverse_match_numpy():
    x = np.random.default_rng(0).standard_normal(11)
    np.testing.assert_allclose(fc.dft(x), np.fft.fft(x), atol=1e-10)
    np.testing.assert_allclose(fc.idft(fc.dft(x)), x, atol=1e-12)


def test_convolutions():
    rng = np.random.default_rng(1)
    x, y = rng.standard_normal(7), rng.standard_normal(7)
    brute = np.array([sum(x[m] * y[(n - m) % 7] for m in range(7)) for n in range(7)])
    np.testing.assert_allclose(fc.circular_convolution(x, y), brute, atol=1e-12)
    np.testing.assert_allclose(fc.linear_convolution(x, y[:3]), np.convolve(x, y[:3]), atol=1e-12)


def test_fourier_series_round_trip():
    t = np.arange(20) / 20
    x = 1.0 + 3 * np.cos(2 * np.pi * t + 0.5) + np.cos(6 * np.pi * t - 1)
    X = fc.fourier_series_coeffs(x, 3)
    np.testing.assert_allclose(X, [1.0, 1.5 * np.exp(0.5j), 0, 0.5 * np.exp(-1j)], atol=1e-12)
    np.testing.assert_allclose(fc.fourier_series_eval(X, t), x, atol=1e-12)


def test_ring_laplacian_spectrum():
    L = fc.ring_laplacian(9)
    np.testing.assert_allclose(L @ np.ones(9), 0, atol=0)
    np.testing.assert_allclose(np.sort(np.linalg.eigvalsh(L)), np.sort(fc.ring_laplacian_eigenvalues(9)),
                               atol=1e-12)


@pytest.mark.slow  # importing Keras costs ~4 s here
def test_conv1d_is_flipped_linear_convolution():
    x = np.random.default_rng(2).standard_normal(10)
    out, via_fft = fc.conv1d_as_fft(x, np.array([1.0, -2.0, 0.5]))
    assert out.shape == (8,)
    np.testing.assert_allclose(out, via_fft, atol=1e-5)


@pytest.mark.slow
def test_make_figures(tmp_path):
    paths = plots.make_figures("appendix_c", tmp_path)
    assert [p.stem for p in paths] == list(fc.FIGURES)
    assert all(p.stat().st_size > 1000 for p in paths)
