"""Chapter 6's mutation table: each plausible bug loses exactly its cases (see tests/mutants.py).

The notes' errata are here as mutants: cross-correlation for convolution (conv1d, conv2d), (6.19)'s
first row (circulant_matrix), one input channel instead of the sum over channels (6.21), and a
global-average-pooling CNN (the guide's 0.77 design) that falls below the accuracy band.
"""
from mutants import Mutant, MutantTable

CHAPTER = "ch06_cnn"

TABLE = MutantTable(CHAPTER, {
    # translate
    "translate_moves_by_minus_v": Mutant(
        "translate", "source = np.arange(n) - shift", "source = np.arange(n) + shift",
        {"signal_1d", "negative_shift", "channels_untouched", "wrap_longer_than_size", "zero_mode"}),
    "translate_reduces_shift_modulo_size": Mutant(
        "translate", "source = np.arange(n) - shift",
        "source = np.arange(n) - np.sign(shift) * (abs(shift) % n)",
        {"zero_mode_out_of_range"}),
    "translate_unknown_mode_is_zero": Mutant(
        "translate", "    if mode not in (\"wrap\", \"zero\"):\n        raise ValueError",
        "    if False:\n        raise ValueError",
        {"unknown_mode_raises"}),
    # conv1d
    "conv1d_cross_correlation": Mutant(
        "conv1d", "for k, g_k in enumerate(g):", "for k, g_k in enumerate(g[::-1]):",
        {"full", "valid", "same_even_kernel", "kernel_longer_valid", "kernel_longer_same",
         "asymmetric_kernel_is_flipped"}),
    "conv1d_unknown_mode_is_same": Mutant(
        "conv1d", "    if mode not in (\"full\", \"valid\", \"same\"):\n        raise ValueError",
        "    if False:\n        raise ValueError",
        {"unknown_mode_raises"}),
    # toeplitz_conv_matrix (an (n + k - 1) x n matrix), circulant_matrix (erratum: (6.19) is the transpose)
    "toeplitz_one_row_too_many": Mutant(
        "toeplitz_conv_matrix", "M = np.zeros((n + len(g) - 1, n))", "M = np.zeros((n + len(g), n))",
        {"k4_n6", "kernel_longer_than_signal", "k1_is_scaled_identity"}),
    "circulant_notes_619_first_row": Mutant(
        "circulant_matrix", "return g[(i - j) % n]", "return g[(j - i) % n]",
        {"asymmetric_n5"}),
    "circulant_columns_rolled_one_too_far": Mutant(
        "circulant_matrix", "return g[(i - j) % n]", "return g[(i - j - 1) % n]",
        {"asymmetric_n5", "n2"}),
    # conv_output_size
    "output_size_same_floors": Mutant(
        "conv_output_size", "return -(-n // stride)", "return n // stride",
        {"grid", "same_kernel_larger_than_input"}),
    "output_size_never_raises": Mutant(
        "conv_output_size",
        "    elif isinstance(padding, (int, np.integer)) and not isinstance(padding, bool)"
        " and padding >= 0:\n"
        "        p = int(padding)\n"
        "    else:\n"
        "        raise ValueError(f\"padding must be 'valid', 'same', 'full' or an int >= 0,"
        " got {padding!r}\")\n"
        "    size = (n + 2 * p - k) // stride + 1\n"
        "    if size < 1:\n",
        "    else:\n"
        "        p = padding\n"
        "    size = (n + 2 * p - k) // stride + 1\n"
        "    if False:\n",
        {"valid_too_small_raises", "unknown_padding_raises", "negative_padding_raises"}),
    # conv2d (errata: Keras cross-correlates; (6.21) sums over the input channels)
    "conv2d_always_flips": Mutant(
        "conv2d", "    if flip:\n        w = w[::-1, ::-1]", "    if not flip:\n        w = w[::-1, ::-1]",
        {"keras_is_cross_correlation", "true_convolution_flip", "full_flip_no_bias", "same_odd_stride2",
         "same_even_stride2_tf_padding", "same_even_kernel", "valid_stride_pair", "int_padding_stride2"}),
    "conv2d_first_input_channel_only": Mutant(
        "conv2d", "y += window @ w[a, c]", "y += window[..., :1] @ w[a, c, :1]",
        {"keras_is_cross_correlation", "true_convolution_flip", "same_odd_stride2", "same_even_kernel",
         "valid_stride_pair", "sums_input_channels"}),
    "conv2d_empty_output_not_rejected": Mutant(
        "conv2d",
        "    sizes = [conv_output_size(n, k, s, padding)"
        " for n, k, s in zip(x.shape[1:3], w.shape[:2], strides)]\n",
        "    sizes = [(n + sum(pads(n, k, s)) - k) // s + 1\n"
        "             for n, k, s in zip(x.shape[1:3], w.shape[:2], strides)]\n",
        {"kernel_larger_valid_raises"}),
    # max_pool2d, avg_pool2d
    "max_pool_starts_at_zero": Mutant(
        "max_pool2d", "y = np.full((x.shape[0], oh, ow, x.shape[3]), -np.inf)",
        "y = np.zeros((x.shape[0], oh, ow, x.shape[3]))",
        {"size2_stride2", "ragged_edge_dropped", "all_negative"}),
    "max_pool_stride_is_window": Mutant(
        "max_pool2d", "(sh, sw) = (stride, stride) if np.ndim(stride) == 0 else tuple(stride)\n"
                      "    oh = conv_output_size(x.shape[1], ph, sh, \"valid\")\n"
                      "    ow = conv_output_size(x.shape[2], pw, sw, \"valid\")\n"
                      "    y = np.full(",
        "(sh, sw) = (ph, pw)\n"
        "    oh = conv_output_size(x.shape[1], ph, sh, \"valid\")\n"
        "    ow = conv_output_size(x.shape[2], pw, sw, \"valid\")\n"
        "    y = np.full(",
        {"overlapping_3_2", "rect_window_stride"}),
    "max_pool_ceil_mode": Mutant(
        "max_pool2d", "    oh = conv_output_size(x.shape[1], ph, sh, \"valid\")\n"
                      "    ow = conv_output_size(x.shape[2], pw, sw, \"valid\")\n"
                      "    y = np.full(",
        "    oh = -(-(x.shape[1] - ph) // sh) + 1\n"
        "    ow = -(-(x.shape[2] - pw) // sw) + 1\n"
        "    x = np.pad(x, [(0, 0), (0, (oh - 1) * sh + ph - x.shape[1]),"
        " (0, (ow - 1) * sw + pw - x.shape[2]), (0, 0)], constant_values=-np.inf)\n"
        "    y = np.full(",
        {"rect_window_stride", "ragged_edge_dropped", "window_too_large_raises"}),
    "avg_pool_sums": Mutant(
        "avg_pool2d", "return y / (ph * pw)", "return y",
        {"size2_stride2", "overlapping_3_2", "rect_window_stride", "ragged_edge_dropped", "all_negative"}),
    "avg_pool_window_too_large_not_rejected": Mutant(
        "avg_pool2d", "    oh = conv_output_size(x.shape[1], ph, sh, \"valid\")\n"
                      "    ow = conv_output_size(x.shape[2], pw, sw, \"valid\")\n"
                      "    y = np.zeros((x.shape[0], oh, ow, x.shape[3]))",
        "    oh = (x.shape[1] - ph) // sh + 1\n"
        "    ow = (x.shape[2] - pw) // sw + 1\n"
        "    y = np.zeros((x.shape[0], oh, ow, x.shape[3]))",
        {"window_too_large_raises"}),
    # conv_param_count, receptive_field
    "param_count_forgets_bias": Mutant(
        "conv_param_count", "return int(kh * kw * c_in * c_out + c_out)",
        "return int(kh * kw * c_in * c_out)",
        {"layers"}),
    "receptive_field_counts_own_stride": Mutant(
        "receptive_field", "        r += (k - 1) * jump\n        jump *= s\n",
        "        jump *= s\n        r += (k - 1) * jump\n",
        {"strided_stack", "conv_pool_conv_pool", "first_stride_only"}),
    "receptive_field_starts_at_zero": Mutant(
        "receptive_field", "r, jump = 1, 1", "r, jump = 0, 1",
        {"no_layers", "one_conv", "strided_stack", "conv_pool_conv_pool", "first_stride_only"}),
    # build_cnn
    "build_cnn_global_average_pooling": Mutant(
        "build_cnn",
        "        keras.layers.Conv2D(16, 3, padding=\"same\", activation=\"relu\"),\n"
        "        keras.layers.MaxPooling2D(2, padding=\"same\"),\n"
        "        keras.layers.Conv2D(32, 3, padding=\"same\", activation=\"relu\"),\n"
        "        keras.layers.MaxPooling2D(2, padding=\"same\"),\n"
        "        keras.layers.Flatten(),\n",
        "        keras.layers.Conv2D(8, 3, activation=\"relu\"),\n"
        "        keras.layers.MaxPooling2D(2),\n"
        "        keras.layers.Conv2D(16, 2, activation=\"relu\"),\n"
        "        keras.layers.GlobalAveragePooling2D(),\n",
        {"digits_seed1"}),
    "build_cnn_ten_classes_hardcoded": Mutant(
        "build_cnn", "keras.layers.Dense(n_classes, activation=\"softmax\")",
        "keras.layers.Dense(10, activation=\"softmax\")",
        {"other_shape"}),
    # warp
    "warp_clamps_to_edge": Mutant(
        "warp", "return np.where(inside if f.ndim == 2 else inside[..., None], values, 0.0)",
        "return values",
        {"integer_shift_is_translate", "fractional_shift", "random_field", "shear_field_channels",
         "out_of_image"}),
    # continuous_conv
    "continuous_conv_linspace_grid": Mutant(
        "continuous_conv", "tau = lo + (np.arange(n) + 0.5) * h", "tau = np.linspace(lo, hi, n)",
        {"box_box_triangle", "gauss_gauss", "decay_box", "scalar_t"}),
})
test_mutant_loses_exactly_its_cases, test_every_hidden_case_is_caught = TABLE.tests()
