"""Appendix C answer key against independent oracles (numpy.fft, scipy, quadrature, closed forms),
with one test per erratum of the notes ((C.8)-(C.10), (C.16)-(C.17), the DFT convolution theorem)."""
import types

import numpy as np
import pytest
import scipy.linalg
import scipy.signal
from scipy.integrate import quad

from solutions import appendix_c_fourier as sol


def _rng(seed):
    return np.random.default_rng(seed)


def test_layout(check_solution_layout):
    check_solution_layout(sol)
    modules = {v.__name__ for v in vars(sol).values() if isinstance(v, types.ModuleType)}
    assert modules <= {"numpy", "math"}


# --- dft_matrix, dft (extensions) -------------------------------------------------------------------

@pytest.mark.parametrize("n", [1, 2, 5, 8, 31])
def test_dft_matrix_matches_scipy_and_is_n_times_unitary(n):
    F = sol.dft_matrix(n)
    assert F.shape == (n, n) and np.iscomplexobj(F)
    np.testing.assert_allclose(F, scipy.linalg.dft(n), atol=1e-12)
    np.testing.assert_allclose(F @ F.conj().T, n * np.eye(n), atol=1e-10)
    np.testing.assert_allclose(F, F.T, atol=0)  # symmetric


def test_dft_matrix_rejects_n0():
    with pytest.raises(ValueError):
        sol.dft_matrix(0)


@pytest.mark.parametrize("n", [1, 6, 13, 64])
def test_dft_equals_numpy_fft_real_and_complex(n):
    rng = _rng(n)
    for x in (rng.standard_normal(n), rng.standard_normal(n) + 1j * rng.standard_normal(n)):
        X = sol.dft(x)
        assert np.iscomplexobj(X) and X.shape == (n,)
        np.testing.assert_allclose(X, np.fft.fft(x), atol=1e-10)
        np.testing.assert_allclose(np.fft.ifft(X), x, atol=1e-12)  # round trip


def test_dft_closed_forms():
    n = 10
    np.testing.assert_allclose(sol.dft(np.ones(n)), n * np.eye(n)[0], atol=1e-12)  # constant -> DC
    m = 3  # shifted impulse -> pure phase ramp
    np.testing.assert_allclose(sol.dft(np.eye(n)[m]), np.exp(-2j * np.pi * m * np.arange(n) / n), atol=1e-12)
    # Parseval for the unnormalised DFT: sum |x|^2 = (1/N) sum |X|^2
    x = _rng(1).standard_normal(n)
    assert np.sum(np.abs(sol.dft(x)) ** 2) / n == pytest.approx(np.sum(x ** 2), rel=1e-12)


# --- convolutions -----------------------------------------------------------------------------------

def _brute_circular(x, y):
    n = len(x)
    return np.array([sum(x[m] * y[(k - m) % n] for m in range(n)) for k in range(n)])


@pytest.mark.parametrize("n", [1, 4, 9])
def test_circular_convolution_brute_force_and_theorem(n):
    rng = _rng(10 + n)
    x, y = rng.standard_normal(n), rng.standard_normal(n)
    z = sol.circular_convolution(x, y)
    np.testing.assert_allclose(z, _brute_circular(x, y), atol=1e-12)
    np.testing.assert_allclose(z, scipy.linalg.circulant(y) @ x, atol=1e-12)  # circulant matrix of y
    np.testing.assert_allclose(np.fft.fft(z), np.fft.fft(x) * np.fft.fft(y), atol=1e-10)
    np.testing.assert_allclose(z, sol.circular_convolution(y, x), atol=1e-12)  # commutative
    assert not np.iscomplexobj(z)


def test_circular_convolution_complex_and_unequal():
    rng = _rng(3)
    x = rng.standard_normal(6) + 1j * rng.standard_normal(6)
    y = rng.standard_normal(6)
    np.testing.assert_allclose(sol.circular_convolution(x, y), _brute_circular(x, y), atol=1e-12)
    with pytest.raises(ValueError):
        sol.circular_convolution(np.ones(4), np.ones(3))


def test_circular_convolution_with_impulse_is_a_shift():
    y = np.arange(1.0, 8.0)
    np.testing.assert_allclose(sol.circular_convolution(np.eye(7)[2], y), np.roll(y, 2), atol=0)


@pytest.mark.parametrize("n,m", [(5, 3), (4, 4), (1, 6), (8, 1)])
def test_fft_convolution_linear_equals_numpy_convolve(n, m):
    rng = _rng(20 + n + m)
    x, y = rng.standard_normal(n), rng.standard_normal(m)
    z = sol.fft_convolution(x, y, mode="linear")
    assert z.shape == (n + m - 1,) and not np.iscomplexobj(z)
    np.testing.assert_allclose(z, np.convolve(x, y), atol=1e-12)
    np.testing.assert_allclose(z, scipy.signal.convolve(x, y, method="direct"), atol=1e-12)


def test_fft_convolution_circular_and_complex_and_errors():
    rng = _rng(5)
    x, y = rng.standard_normal(7), rng.standard_normal(7)
    np.testing.assert_allclose(sol.fft_convolution(x, y), _brute_circular(x, y), atol=1e-12)
    xc = x + 1j * rng.standard_normal(7)
    zc = sol.fft_convolution(xc, y[:3], mode="linear")
    assert np.iscomplexobj(zc)
    np.testing.assert_allclose(zc, np.convolve(xc, y[:3]), atol=1e-12)
    for bad in ({"mode": "same"}, {"mode": "valid"}):
        with pytest.raises(ValueError):
            sol.fft_convolution(x, y, **bad)
    with pytest.raises(ValueError):
        sol.fft_convolution(x, y[:3], mode="circular")


def test_erratum_dft_theorem_is_for_circular_convolution():
    """Multiplying unpadded DFTs gives the circular convolution, which differs from the linear one
    (the notes' continuous theorem read for the DFT): zero-padding to N + M - 1 is needed."""
    rng = _rng(6)
    x, y = rng.standard_normal(6), rng.standard_normal(6)
    unpadded = np.fft.ifft(np.fft.fft(x) * np.fft.fft(y)).real
    np.testing.assert_allclose(unpadded, sol.circular_convolution(x, y), atol=1e-12)
    assert not np.allclose(unpadded, np.convolve(x, y)[:6])
    np.testing.assert_allclose(sol.fft_convolution(x, y, mode="linear"), np.convolve(x, y), atol=1e-12)


def test_chapter6_conv_layer_is_a_linear_correlation():
    """Chapter 6's 'valid' cross-correlation is the middle of the linear convolution with the
    flipped kernel."""
    rng = _rng(7)
    x, w = rng.standard_normal(10), rng.standard_normal(3)
    corr_valid = np.array([x[i:i + 3] @ w for i in range(8)])
    np.testing.assert_allclose(sol.fft_convolution(x, w[::-1], mode="linear")[2:10], corr_valid, atol=1e-12)


# --- Fourier series -----------------------------------------------------------------------------------

def _cosines(t, A, phi):
    return sum(a * np.cos(2 * np.pi * k * t + p) for k, (a, p) in enumerate(zip(A, phi)))


def test_fourier_series_coeffs_closed_form():
    A, phi = [0.7, 2.0, 0.0, 1.3, 0.4], [np.pi, 0.5, 0.0, -2.0, 1.0]
    N, K = 20, 4
    X = sol.fourier_series_coeffs(_cosines(np.arange(N) / N, A, phi), K)
    assert X.shape == (K + 1,) and np.iscomplexobj(X)
    expected = np.array([A[0] * np.cos(phi[0])] + [A[k] / 2 * np.exp(1j * phi[k]) for k in range(1, 5)])
    np.testing.assert_allclose(X, expected, atol=1e-12)


def test_fourier_series_coeffs_against_quadrature():
    """Against (1/T0) int_0^T0 x(t) e^{-i 2 pi k t / T0} dt by scipy quad, T0 = 1."""
    f = lambda t: np.exp(np.sin(2 * np.pi * t))  # smooth: the rectangle rule converges fast
    X = sol.fourier_series_coeffs(f(np.arange(64) / 64), 5)
    for k in range(6):
        re = quad(lambda t: f(t) * np.cos(2 * np.pi * k * t), 0, 1)[0]
        im = -quad(lambda t: f(t) * np.sin(2 * np.pi * k * t), 0, 1)[0]
        assert X[k] == pytest.approx(re + 1j * im, abs=1e-10)


def test_fourier_series_reconstruction_and_fft_cross_check():
    rng = _rng(8)
    N, K = 21, 10
    x = rng.standard_normal(N)
    X = sol.fourier_series_coeffs(x, K)
    np.testing.assert_allclose(X, np.fft.fft(x)[:K + 1] / N, atol=1e-12)
    t = np.arange(N) / N
    rec = X[0].real + 2 * sum((X[k] * np.exp(2j * np.pi * k * t)).real for k in range(1, K + 1))
    np.testing.assert_allclose(rec, x, atol=1e-12)  # sum over k = -K..K with X_{-k} = conj(X_k)


def test_fourier_series_errors():
    with pytest.raises(ValueError):
        sol.fourier_series_coeffs(np.ones(6), 3)  # N <= 2K
    with pytest.raises(ValueError):
        sol.fourier_series_coeffs(np.ones(6), -1)


def test_erratum_c8_factor_half_and_i():
    """(C.8) as printed: X_k = A_k e^{phi_k} (no 1/2, no i). Its reconstruction misses x(t); the
    correct X_k = (A_k/2) e^{i phi_k} rebuilds it."""
    A, phi = [0.0, 1.5, 0.8], [0.0, 0.4, -1.2]
    N = 16
    t = np.arange(N) / N
    x = _cosines(t, A, phi)
    X = sol.fourier_series_coeffs(x, 2)
    notes = np.array([0.0] + [A[k] * np.exp(phi[k]) for k in (1, 2)])
    assert not np.allclose(X, notes)
    assert np.abs(X[1]) == pytest.approx(A[1] / 2, rel=1e-12)  # |X_k| = A_k / 2, not A_k
    assert np.angle(X[1]) == pytest.approx(phi[1], rel=1e-12)
    rec_notes = sum(2 * (notes[k] * np.exp(2j * np.pi * k * t)).real for k in (1, 2))
    assert not np.allclose(rec_notes, x)


def test_erratum_c9_c10_dc_term_counted_once():
    """(C.9) sums k = 0 in both one-sided series (DC twice); (C.10) leaves X_0 undefined. Correct:
    X_0 = A_0 cos(phi_0), the mean, counted once."""
    A, phi = [2.0, 1.0], [np.pi, 0.3]  # A_0 cos(phi_0) = -2
    N = 12
    t = np.arange(N) / N
    x = _cosines(t, A, phi)
    X = sol.fourier_series_coeffs(x, 1)
    assert X[0] == pytest.approx(-2.0 + 0j, abs=1e-12) and X[0] == pytest.approx(x.mean(), abs=1e-12)
    notes_c9 = 2 * X[0].real + 2 * (X[1] * np.exp(2j * np.pi * t)).real  # k = 0 in both halves
    assert not np.allclose(notes_c9, x)


def test_erratum_c17_limit_of_T0_Xk_has_no_extra_1_over_T0():
    """(C.14): X(k f0) = T0 X_k. For a rectangular pulse of width tau, T0 X_k tends to the transform
    tau sinc(f tau) whatever T0; the notes' (C.17) with an extra 1/T0 would depend on T0."""
    tau, N = 0.5, 4000
    for T0 in (1.0, 2.0, 4.0):
        t = np.arange(N) / N * T0
        pulse = ((t < tau / 2) | (t > T0 - tau / 2)).astype(float)  # centred at 0, one period
        X = sol.fourier_series_coeffs(pulse, 3)
        f = np.arange(4) / T0
        np.testing.assert_allclose(T0 * X, tau * np.sinc(f * tau), atol=2e-3)
        if T0 != 1.0:
            assert not np.allclose(X, tau * np.sinc(f * tau), atol=2e-3)  # the notes' scaling


# --- chapter 9: the DFT diagonalises the ring Laplacian -------------------------------------------------

def test_dft_diagonalises_ring_laplacian_projectors():
    """Ring of n nodes: L = 2I - S - S^T. F L F^H / n = diag(2 - 2 cos(2 pi k / n)). Eigenvalues k and
    n - k are equal, so eigh's basis differs from the Fourier one: compare projectors per eigenvalue."""
    n = 8
    S = np.roll(np.eye(n), 1, axis=0)
    L = 2 * np.eye(n) - S - S.T
    F = sol.dft_matrix(n)
    lam = 2 - 2 * np.cos(2 * np.pi * np.arange(n) / n)
    np.testing.assert_allclose(F @ L @ F.conj().T / n, np.diag(lam), atol=1e-12)
    w, V = np.linalg.eigh(L)
    for value in np.unique(np.round(lam, 10)):
        U = F.conj().T[:, np.isclose(lam, value)] / np.sqrt(n)  # orthonormal Fourier columns
        P_fourier = U @ U.conj().T
        Ve = V[:, np.isclose(w, value)]
        np.testing.assert_allclose(P_fourier, Ve @ Ve.T, atol=1e-10)
    # a spectral filter on the ring commutes with the shift
    H = F.conj().T @ np.diag(np.exp(-lam)) @ F / n
    np.testing.assert_allclose(H @ S, S @ H, atol=1e-12)
