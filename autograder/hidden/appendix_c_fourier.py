"""Hidden cases of appendix C."""
import numpy as np

from ..chapters.appendix_c_fourier import cosine_sum
from ..spec import Case


def _rng(seed):
    return np.random.default_rng(seed)


def _complex(seed, n):
    rng = _rng(seed)
    return rng.standard_normal(n) + 1j * rng.standard_normal(n)


CASES = {
    "dft_matrix": [Case("n1", {"n": 1}), Case("n6", {"n": 6}), Case("n33", {"n": 33}),
                   Case("n0_raises", {"n": 0})],
    "dft": [Case("random_12", {"x": _rng(10).standard_normal(12)}),
            Case("complex_7", {"x": _complex(11, 7)}),
            Case("impulse_shifted", {"x": np.eye(9)[2]}),
            Case("one_sample", {"x": np.array([3.5])})],
    "circular_convolution": [
        Case("n8", {"x": _rng(12).standard_normal(8), "y": _rng(13).standard_normal(8)}),
        Case("complex_6", {"x": _complex(14, 6), "y": _rng(15).standard_normal(6)}),
        Case("delayed_impulse", {"x": np.eye(7)[3], "y": np.arange(1.0, 8.0)}),
        Case("unequal_raises", {"x": np.ones(4), "y": np.ones(3)})],
    "fft_convolution": [
        Case("circular_9", {"x": _rng(16).standard_normal(9), "y": _rng(17).standard_normal(9),
                            "mode": "circular"}),
        Case("linear_7_4", {"x": _rng(18).standard_normal(7), "y": _rng(19).standard_normal(4),
                            "mode": "linear"}),
        Case("linear_equal_6", {"x": _rng(20).standard_normal(6), "y": _rng(21).standard_normal(6),
                                "mode": "linear"}),
        Case("linear_complex", {"x": _complex(22, 5), "y": _complex(23, 3), "mode": "linear"}),
        Case("default_mode_is_circular", {"x": _rng(24).standard_normal(5), "y": _rng(25).standard_normal(5)}),
        Case("bad_mode_raises", {"x": np.ones(3), "y": np.ones(3), "mode": "same"})],
    "fourier_series_coeffs": [
        # X_k = (A_k / 2) e^{i phi_k}; X_0 = A_0 cos(phi_0): the notes' (C.8) gives A_k, no i
        Case("three_harmonics", {"samples": cosine_sum(32, [1.0, 3.0, 0.5, 0.0, 2.0],
                                                       [0.0, -0.4, 2.0, 0.0, 1.1]), "K": 5}),
        Case("dc_only", {"samples": cosine_sum(10, [2.5], [0.0]), "K": 2}),
        Case("negative_dc", {"samples": cosine_sum(12, [1.5, 1.0], [np.pi, 0.3]), "K": 1}),
        Case("noise_odd_N", {"samples": _rng(26).standard_normal(15), "K": 7}),
        Case("k0", {"samples": _rng(27).standard_normal(6), "K": 0}),
        Case("too_few_samples_raises", {"samples": np.ones(6), "K": 3})],
}
