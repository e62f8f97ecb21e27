"""Appendix C's mutation table: each plausible bug loses exactly its cases (see tests/mutants.py)."""
from mutants import Mutant, MutantTable

CHAPTER = "appendix_c_fourier"

_FS = "    return np.exp(-2j * np.pi * ((k * n) % N) / N) @ x / N\n"
_FFT_TAIL = ("    if not (np.iscomplexobj(x) or np.iscomplexobj(y)):\n"
             "        return z.real\n"
             "    return z\n")
_ALL_FFT = {"circular_9", "linear_7_4", "linear_equal_6", "linear_complex", "default_mode_is_circular"}

TABLE = MutantTable(CHAPTER, {
    # dft_matrix
    "dft_matrix_positive_exponent": Mutant(  # the inverse transform's kernel
        "dft_matrix", "np.exp(-2j * np.pi * (np.outer(k, k) % n) / n)",
        "np.exp(2j * np.pi * (np.outer(k, k) % n) / n)", {"n6", "n33"}),
    "dft_matrix_unitary_scaling": Mutant(  # F / sqrt(n): F F^H = I instead of n I
        "dft_matrix", "(np.outer(k, k) % n) / n)", "(np.outer(k, k) % n) / n) / np.sqrt(n)", {"n6", "n33"}),
    "dft_matrix_no_size_check": Mutant(
        "dft_matrix", "    if n < 1:\n        raise ValueError(\"dft_matrix needs n >= 1\")\n", "",
        {"n0_raises"}),
    "dft_matrix_rejects_n1": Mutant("dft_matrix", "if n < 1:", "if n < 2:", {"n1"}),
    # dft
    "dft_inverse_sign": Mutant(
        "dft", "return dft_matrix(len(x)) @ x", "return dft_matrix(len(x)).conj() @ x",
        {"random_12", "complex_7", "impulse_shifted"}),
    "dft_sum_from_one": Mutant(  # 1-based loop that skips x_0
        "dft", "return dft_matrix(len(x)) @ x", "return dft_matrix(len(x))[:, 1:] @ x[1:]",
        {"random_12", "complex_7", "one_sample"}),
    "dft_real_input_only": Mutant(
        "dft", "x = np.asarray(x).astype(np.complex128).ravel()",
        "x = np.asarray(x).real.astype(np.complex128).ravel()", {"complex_7"}),
    # circular_convolution
    "circular_correlation_not_convolution": Mutant(
        "circular_convolution", "(np.arange(n)[:, None] - np.arange(n)[None, :]) % n",
        "(np.arange(n)[:, None] + np.arange(n)[None, :]) % n", {"n8", "complex_6", "delayed_impulse"}),
    "circular_no_length_check": Mutant(  # IndexError (or silent garbage) instead of ValueError
        "circular_convolution", "if len(x) != len(y) or len(x) == 0:", "if len(x) == 0:",
        {"unequal_raises"}),
    "circular_conjugates_x": Mutant(
        "circular_convolution", "return y[idx] @ x", "return y[idx] @ x.conj()", {"complex_6"}),
    # fft_convolution
    "linear_without_zero_padding": Mutant(  # the erratum: the DFT theorem gives circular convolution
        "fft_convolution", "size = len(x) + len(y) - 1", "size = max(len(x), len(y))",
        {"linear_7_4", "linear_equal_6", "linear_complex"}),
    "linear_pads_to_n_plus_m": Mutant(
        "fft_convolution", "size = len(x) + len(y) - 1", "size = len(x) + len(y)",
        {"linear_7_4", "linear_equal_6", "linear_complex"}),
    "fft_convolution_always_real": Mutant(
        "fft_convolution", _FFT_TAIL, "    return z.real\n", {"linear_complex"}),
    "fft_convolution_default_linear": Mutant(
        "fft_convolution", 'def fft_convolution(x, y, mode="circular"):',
        'def fft_convolution(x, y, mode="linear"):', {"default_mode_is_circular"}),
    "fft_convolution_unknown_mode_is_circular": Mutant(
        "fft_convolution", 'if mode == "circular":', 'if mode != "linear":', {"bad_mode_raises"}),
    "fft_convolution_forward_twice": Mutant(  # fft instead of ifft, scaled: time-reversed output
        "fft_convolution", "z = np.fft.ifft(np.fft.fft(x, size) * np.fft.fft(y, size))",
        "z = np.fft.fft(np.fft.fft(x, size) * np.fft.fft(y, size)) / size", _ALL_FFT),
    # fourier_series_coeffs
    "series_notes_c8_no_half": Mutant(  # (C.8): |X_k| = A_k for k >= 1
        "fourier_series_coeffs", _FS,
        "    c = np.exp(-2j * np.pi * ((k * n) % N) / N) @ x / N\n    c[1:] *= 2\n    return c\n",
        {"three_harmonics", "negative_dc", "noise_odd_N"}),
    "series_notes_missing_i_sign": Mutant(  # e^{+i...}: the conjugate, phases flipped
        "fourier_series_coeffs", _FS, _FS.replace("-2j", "2j"),
        {"three_harmonics", "negative_dc", "noise_odd_N"}),
    "series_notes_c9_dc_twice": Mutant(
        "fourier_series_coeffs", _FS,
        "    c = np.exp(-2j * np.pi * ((k * n) % N) / N) @ x / N\n    c[0] *= 2\n    return c\n",
        {"three_harmonics", "dc_only", "negative_dc", "noise_odd_N", "k0"}),
    "series_no_aliasing_check": Mutant(
        "fourier_series_coeffs", "if K < 0 or N <= 2 * K:", "if K < 0:", {"too_few_samples_raises"}),
})
test_mutant_loses_exactly_its_cases, test_every_hidden_case_is_caught = TABLE.tests()
