"""Hidden cases of appendix C."""
import numpy as np

from ..chapters.appendix_c_fourier import cosine_sum
from ..spec import Case
from . import Normal, draw


def _rng(seed):
    return np.random.default_rng(seed)


def _complex(seed, n):
    rng = _rng(seed)
    return rng.standard_normal(n) + 1j * rng.standard_normal(n)


def _complex_input(seed, n, **fixed):
    return {"x": _complex(seed, n), **fixed}


def _complex_pair(seed, n, m, real_y=False, **fixed):
    y = _rng(seed + 1).standard_normal(m) if real_y else _complex(seed + 1, m)
    return {"x": _complex(seed, n), "y": y, **fixed}


CASES = {
    "dft_matrix": [Case("n1", {"n": 1}), Case("n6", {"n": 6}), Case("n33", {"n": 33}),
                   Case("n0_raises", {"n": 0})],
    "dft": [Case.drawn("random_12", draw, 10, x=Normal(12)),
            Case.drawn("complex_7", _complex_input, 11, 7),
            Case("impulse_shifted", {"x": np.eye(9)[2]}),
            Case("one_sample", {"x": np.array([3.5])})],
    "circular_convolution": [
        Case.drawn("n8", draw, 12, x=Normal(8), y=Normal(8)),
        Case.drawn("complex_6", _complex_pair, 14, 6, 6, real_y=True),
        Case("delayed_impulse", {"x": np.eye(7)[3], "y": np.arange(1.0, 8.0)}),
        Case("unequal_raises", {"x": np.ones(4), "y": np.ones(3)})],
    "fft_convolution": [
        Case.drawn("circular_9", draw, 16, x=Normal(9), y=Normal(9), mode="circular"),
        Case.drawn("linear_7_4", draw, 18, x=Normal(7), y=Normal(4), mode="linear"),
        Case.drawn("linear_equal_6", draw, 20, x=Normal(6), y=Normal(6), mode="linear"),
        Case.drawn("linear_complex", _complex_pair, 22, 5, 3, mode="linear"),
        Case.drawn("default_mode_is_circular", draw, 24, x=Normal(5), y=Normal(5)),
        Case("bad_mode_raises", {"x": np.ones(3), "y": np.ones(3), "mode": "same"})],
    "fourier_series_coeffs": [
        # X_k = (A_k / 2) e^{i phi_k}; X_0 = A_0 cos(phi_0): the notes' (C.8) gives A_k, no i
        Case("three_harmonics", {"samples": cosine_sum(32, [1.0, 3.0, 0.5, 0.0, 2.0],
                                                       [0.0, -0.4, 2.0, 0.0, 1.1]), "K": 5}),
        Case("dc_only", {"samples": cosine_sum(10, [2.5], [0.0]), "K": 2}),
        Case("negative_dc", {"samples": cosine_sum(12, [1.5, 1.0], [np.pi, 0.3]), "K": 1}),
        Case.drawn("noise_odd_N", draw, 26, samples=Normal(15), K=7),
        Case.drawn("k0", draw, 27, samples=Normal(6), K=0),
        Case("too_few_samples_raises", {"samples": np.ones(6), "K": 3})],
}
