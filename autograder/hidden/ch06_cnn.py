"""Hidden cases of chapter 6."""
import numpy as np

from ..chapters.ch06_cnn import cnn_inputs, conv_inputs
from ..spec import Case
from . import Normal, draw


def _rng(seed):
    return np.random.default_rng(seed)


def _pool_cases(seed):
    """Pooling inputs: non-overlapping, overlapping, rectangular, ragged edges, all-negative values."""
    return [
        Case.drawn("size2_stride2", draw, seed, x=Normal((2, 6, 6, 3)), size=2, stride=2),
        Case.drawn("overlapping_3_2", draw, seed + 1, x=Normal((1, 7, 9, 2)), size=3, stride=2),
        Case.drawn("rect_window_stride", draw, seed + 2, x=Normal((2, 5, 8, 1)), size=[2, 3],
                   stride=[1, 2]),
        Case.drawn("ragged_edge_dropped", draw, seed + 3, x=Normal((1, 7, 7, 2)), size=2,
                   stride=2),
        Case.drawn("all_negative", _negative, seed + 4),
        Case("window_too_large_raises", {"x": np.zeros((1, 2, 5, 1)), "size": 3, "stride": 1}),
    ]


def _negative(seed):
    return {"x": -1.0 - _rng(seed).uniform(size=(1, 4, 6, 2)), "size": 2, "stride": 2}


def _random_field(seed):
    return {"f": _rng(seed).standard_normal((6, 7)), "tau": _rng(seed + 1).uniform(-1.5, 1.5, (6, 7, 2))}


_ramp = np.arange(6.0)[:, None] * np.ones((6, 7))  # a field that varies along rows

CASES = {
    "translate": [
        Case.drawn("signal_1d", draw, 10, f=Normal(7), v=3),
        Case.drawn("negative_shift", draw, 11, f=Normal((5, 6)), v=[-2, -4]),
        Case.drawn("channels_untouched", draw, 12, f=Normal((4, 5, 3)), v=[1, 2]),
        Case.drawn("wrap_longer_than_size", draw, 13, f=Normal((4, 5)), v=[9, -7]),
        Case.drawn("zero_mode", draw, 14, f=Normal((5, 6)), v=[2, -1], mode="zero"),
        Case.drawn("zero_mode_out_of_range", draw, 15, f=Normal((3, 3)), v=[5, 0], mode="zero"),
        Case("unknown_mode_raises", {"f": np.ones((2, 2)), "v": [1, 1], "mode": "reflect"}),
    ],
    "conv1d": [
        Case.drawn("full", draw, 20, f=Normal(9), g=Normal(4)),
        Case.drawn("valid", draw, 22, f=Normal(9), g=Normal(4), mode="valid"),
        Case.drawn("same_even_kernel", draw, 24, f=Normal(8), g=Normal(4), mode="same"),
        Case.drawn("kernel_longer_valid", draw, 26, f=Normal(3), g=Normal(7), mode="valid"),
        Case.drawn("kernel_longer_same", draw, 28, f=Normal(4), g=Normal(7), mode="same"),
        Case("asymmetric_kernel_is_flipped", {"f": np.array([0.0, 0.0, 1.0, 0.0, 0.0]),
                                              "g": np.array([1.0, 2.0, 3.0]), "mode": "same"}),
        Case("unknown_mode_raises", {"f": np.ones(3), "g": np.ones(2), "mode": "circular"}),
    ],
    "toeplitz_conv_matrix": [
        Case.drawn("k4_n6", draw, 30, g=Normal(4), n=6),
        Case.drawn("kernel_longer_than_signal", draw, 31, g=Normal(5), n=2),
        Case("k1_is_scaled_identity", {"g": np.array([2.5]), "n": 3}),
    ],
    "circulant_matrix": [
        Case.drawn("asymmetric_n5", draw, 32, g=Normal(5)),
        Case("n2", {"g": np.array([1.0, -3.0])}),
    ],
    "conv_output_size": [
        Case("grid", {"calls": [[n, k, s, p] for n in (5, 8, 9) for k in (1, 2, 3) for s in (1, 2, 3)
                                for p in ("valid", "same", "full", 2)]}),
        Case("same_kernel_larger_than_input", {"calls": [[3, 5, 1, "same"], [3, 5, 2, "same"]]}),
        Case("valid_too_small_raises", {"calls": [[2, 3, 1, "valid"]]}),
        Case("unknown_padding_raises", {"calls": [[8, 3, 1, "causal"]]}),
        Case("negative_padding_raises", {"calls": [[8, 3, 1, -1]]}),
    ],
    "conv2d": [
        Case.drawn("keras_is_cross_correlation", conv_inputs, 40, (2, 6, 7, 3), (3, 3), 4),
        Case.drawn("true_convolution_flip", conv_inputs, 41, (1, 6, 6, 2), (3, 2), 3, flip=True),
        Case.drawn("full_flip_no_bias", conv_inputs, 42, (1, 5, 4, 1), (2, 3), 1, bias=False,
                   padding="full", flip=True),
        Case.drawn("same_odd_stride2", conv_inputs, 43, (2, 7, 9, 2), (3, 3), 2, stride=2,
                   padding="same"),
        Case.drawn("same_even_stride2_tf_padding", conv_inputs, 44, (1, 8, 8, 1), (3, 3), 2, stride=2,
                   padding="same"),
        Case.drawn("same_even_kernel", conv_inputs, 45, (1, 6, 5, 2), (2, 4), 2, padding="same"),
        Case.drawn("valid_stride_pair", conv_inputs, 46, (1, 9, 8, 2), (3, 2), 3, stride=[2, 3]),
        Case.drawn("int_padding_stride2", conv_inputs, 47, (1, 6, 6, 1), (3, 3), 2, stride=2,
                   padding=1),
        Case.drawn("sums_input_channels", conv_inputs, 48, (1, 5, 5, 3), (1, 1), 1),
        Case("kernel_larger_valid_raises", conv_inputs(49, (1, 2, 5, 1), (3, 3), 1)),
    ],
    "max_pool2d": _pool_cases(50),
    "avg_pool2d": _pool_cases(60),
    "conv_param_count": [Case("layers", {"calls": [[1, 1, 1, 1], [3, 3, 64, 128], [7, 7, 3, 64],
                                                   [3, 5, 2, 1], [1, 1, 256, 10]]})],
    "receptive_field": [
        Case("no_layers", {"layers": []}),
        Case("one_conv", {"layers": [[5, 1]]}),
        Case("strided_stack", {"layers": [[3, 2], [3, 2], [3, 1]]}),
        Case("conv_pool_conv_pool", {"layers": [[3, 1], [2, 2], [3, 1], [2, 2]]}),
        Case("first_stride_only", {"layers": [[7, 2], [1, 1], [3, 1]]}),
    ],
    "build_cnn": [
        Case("digits_seed1", cnn_inputs(seed=1), timeout=120),
        Case("other_shape", cnn_inputs(seed=2, input_shape=(12, 10, 3), n_classes=4, train=False),
             timeout=60),
    ],
    "warp": [
        Case.drawn("integer_shift_is_translate", draw, 70, f=Normal((5, 6)), tau=[2.0, -1.0]),
        Case.drawn("fractional_shift", draw, 71, f=Normal((6, 6)), tau=[-0.25, 1.75]),
        Case.drawn("random_field", _random_field, 72),
        Case.drawn("shear_field_channels", draw, 74, f=Normal((6, 7, 2)),
                   tau=np.stack([np.zeros((6, 7)), 0.3 * _ramp], axis=-1)),
        Case.drawn("out_of_image", draw, 75, f=Normal((4, 4)), tau=[10.0, 0.5]),
    ],
    "continuous_conv": [
        Case("box_box_triangle", {"f": "box", "g": "box", "t": np.linspace(-1.2, 1.2, 13),
                                  "lo": -0.5, "hi": 0.5, "n": 1000}),
        Case("gauss_gauss", {"f": "gauss", "g": "narrow_gauss", "t": np.linspace(-3, 3, 9),
                             "lo": -8.0, "hi": 8.0, "n": 800}),
        Case("decay_box", {"f": "decay", "g": "box", "t": np.linspace(-1, 4, 11), "lo": 0.0,
                           "hi": 20.0, "n": 2000}),
        Case("scalar_t", {"f": "triangle", "g": "box", "t": 0.3, "lo": -1.0, "hi": 1.0, "n": 500}),
    ],
}
