"""Hidden cases of chapter 5."""
import numpy as np

from ..chapters.ch05_mlp_backprop import collapse_case, dense_case, mlp_case, mlp_loss_field, sine_features
from ..spec import Case


def _rng(seed):
    return np.random.default_rng(seed)


def _relu_at_zero(seed):
    """A ReLU layer whose first unit has weights and bias 0: its pre-activation is exactly 0, where
    TensorFlow's (and the exercise's) ReLU derivative is 0, so that unit gets zero gradients."""
    case = mlp_case(seed, [3, 4, 2], ["relu", "linear"])
    W, b = case["params"][0]
    W[0], b[0] = 0.0, 0.0
    return case


def _chain(seed, dims):
    rng = _rng(seed)
    return {"kind": "chain",
            "mats": [rng.standard_normal((d_out, d_in)) for d_in, d_out in zip(dims, dims[1:])]}


def _jacobian_mlp(seed, n=3, q=5, m=2):
    rng = _rng(seed)
    return {"kind": "mlp", "params": [[rng.standard_normal((q, n)), rng.standard_normal(q)],
                                      [rng.standard_normal((m, q)), rng.standard_normal(m)]]}


def _chain_case(seed, dims, x=None):
    """A chain of matrices (seed) at a point (seed + 1, unless ``x`` is given)."""
    return {"f": _chain(seed, dims),
            "x": _rng(seed + 1).standard_normal(dims[0]) if x is None else x}


def _mlp_jacobian_case(seed):
    return {"f": _jacobian_mlp(seed), "x": _rng(seed + 1).standard_normal(3)}


def _mlp_plus(seed, dims, activations, n, **extra):
    return {**mlp_case(seed, dims, activations, n=n), **extra}


def _loss_field(seed, size):
    return {"f": mlp_loss_field(seed), "theta": _rng(seed + 1).standard_normal(size)}


def _matrix_theta(seed):
    return {"f": {"kind": "matrix", "v": np.array([1.0, -0.5, 2.0])},
            "theta": _rng(seed).standard_normal((2, 3))}


def _two_inputs(seed):
    x = _rng(seed).uniform(-1, 1, (150, 2))
    return {"x": x, "y": np.prod(np.cos(np.pi * x), axis=1), "W": _rng(seed + 1).normal(0, 2, (40, 2)),
            "b": _rng(seed + 2).uniform(-2, 2, 40), "activation": "tanh"}


def _points(*rows):
    return [list(r) for r in rows]


_JACOBIAN_CASES = [
    Case.drawn("chain_3_layers", _chain_case, 60, [4, 3, 5, 2]),
    Case.drawn("mlp", _mlp_jacobian_case, 62),
    Case.drawn("n2_m6", _chain_case, 64, [2, 6], x=[0.4, -1.1]),
    Case.drawn("scalar_output", _chain_case, 65, [5, 3, 1]),
    Case("mixed", {"f": {"kind": "mixed"}, "x": [1.3, 0.2, -0.6]}),
]

CASES = {
    "dense_forward": [Case.drawn("sigmoid", dense_case, 10, 4, 3, "sigmoid"),
                      Case.drawn("tanh", dense_case, 11, 2, 5, "tanh"),
                      Case.drawn("linear", dense_case, 12, 3, 1, "linear", n=1),
                      Case.drawn("relu", dense_case, 13, 5, 4, "relu", n=7),
                      Case.drawn("sigmoid_large_inputs", dense_case, 14, 2, 3, "sigmoid", scale=400.0),
                      Case("unknown_activation_raises", dense_case(15, 2, 2, "softsign"))],
    "mlp_forward": [Case.drawn("three_layers", mlp_case, 20, [3, 5, 4, 2], ["relu", "sigmoid", "linear"]),
                    Case.drawn("deep_tanh", mlp_case, 21, [2, 6, 6, 6, 1], ["tanh", "tanh", "tanh", "linear"]),
                    Case.drawn("one_layer", mlp_case, 22, [4, 3], ["sigmoid"], n=1),
                    Case("length_mismatch_raises", {**mlp_case(23, [3, 4, 2], ["relu", "linear"]),
                                                    "activations": ["relu"]})],
    "mlp_backward": [Case.drawn("three_layers", mlp_case, 30, [3, 5, 4, 2], ["relu", "sigmoid", "linear"]),
                     Case.drawn("deep_tanh", mlp_case, 31, [2, 6, 6, 6, 1], ["tanh", "tanh", "tanh", "linear"]),
                     Case.drawn("sigmoid_output", mlp_case, 32, [4, 3, 2], ["relu", "sigmoid"], n=9),
                     Case.drawn("relu_gradient_at_zero_is_zero", _relu_at_zero, 50),
                     Case.drawn("gd_10_steps_lower_loss", _mlp_plus, 33, [2, 8, 1], ["tanh", "linear"],
                                20, gd_steps=10, lr=0.1)],
    "numerical_gradient": [
        Case("smooth", {"f": {"kind": "smooth", "w": np.array([0.7, -1.2, 0.4])},
                        "theta": np.array([0.2, 0.1, -0.4])}),
        Case.drawn("mlp_loss_21_params", _loss_field, 40, 21),
        Case.drawn("matrix_theta", _matrix_theta, 42),
        # not a quadratic (central differences are exact there, whatever h): here the truncation error
        # at h = 1e-3 (h^2/6 times the third derivative) is ~16x the tolerance, so ignoring h fails
        Case("step_1e-3", {"f": {"kind": "smooth", "w": np.array([3.0, -2.0])},
                           "theta": np.array([1.5, -0.5]), "h": 1e-3}),
        Case("one_parameter", {"f": {"kind": "smooth", "w": np.array([2.0])}, "theta": np.array([0.3])})],
    "Dual": [Case("eq_5_25", {"function": "eq_5_25", "points": _points([1.5], [2.5], [10.0])}),
             Case("eq_5_26", {"function": "eq_5_26", "points": _points([0.5], [1.7], [3.0], [-2.0])}),
             Case("reflected_operators", {"function": "reflected", "points": _points([0.7], [2.3])}),
             Case("two_inputs", {"function": "mix2", "points": _points([1.2, 0.7], [2.0, 3.0])}),
             Case("three_inputs", {"function": "mix3", "points": _points([0.3, -0.4, 0.8], [1.0, 0.5, -0.2])}),
             Case("eq_5_25_outside_domain_raises", {"function": "eq_5_25", "points": _points([0.5])})],
    "Var": [Case("eq_5_25_nodes", {"function": "eq_5_25_nodes", "points": [1.5, 2.5, 10.0]}),
            Case("eq_5_26", {"function": "eq_5_26", "points": _points([0.5], [1.7], [3.0], [-2.0])}),
            Case("reflected_operators", {"function": "reflected", "points": _points([0.7], [2.3])}),
            Case("two_inputs", {"function": "mix2", "points": _points([1.2, 0.7], [2.0, 3.0])}),
            Case("three_inputs", {"function": "mix3", "points": _points([0.3, -0.4, 0.8], [1.0, 0.5, -0.2])}),
            Case("reused_inputs", {"function": "repeat", "points": _points([1.3, -0.4], [-2.0, 0.5])}),
            Case("unused_input_grad_zero", {"function": "unused_input", "points": _points([0.5, 2.0])}),
            Case("diamonds_linear_time", {"function": "diamonds", "depth": 40, "points": _points([0.8])},
                 timeout=10),
            Case("long_chain_no_recursion_limit", {"function": "long_chain", "depth": 3000,
                                                   "points": _points([2.0])}),
            Case("eq_5_25_outside_domain_raises", {"function": "eq_5_25", "points": _points([0.5])})],
    "jacobian_forward": _JACOBIAN_CASES,
    "jacobian_reverse": _JACOBIAN_CASES,
    "chain_cost": [Case(f"{mode}_{name}", {"dims": dims, "mode": mode})
                   for mode in ("forward", "reverse")
                   for name, dims in (("one_layer", [3, 2]), ("two_layers", [4, 6, 3]),
                                      ("mlp", [784, 256, 128, 10]), ("scalar_loss", [50, 40, 30, 1]),
                                      ("scalar_input", [1, 30, 40, 50]))]
                  + [Case("unknown_mode_raises", {"dims": [3, 4, 2], "mode": "backward"}),
                     Case("too_few_dims_raises", {"dims": [5], "mode": "forward"})],
    "collapse_linear": [Case.drawn("4_1_3", collapse_case, 70, 4, 1, 3),
                        Case.drawn("2_5_2", collapse_case, 74, 2, 5, 2)],
    "xor_relu_net": [Case("xor", {})],
    "random_features_fit": [Case("sin_width_200_sup_below_1e-2", {**sine_features(80, 200), "max_sup": 1e-2}),
                            Case.drawn("width_2", sine_features, 81, 2),
                            Case.drawn("tanh_noisy_width_30", sine_features, 82, 30, activation="tanh",
                                       noise=0.1),
                            Case.drawn("relu_width_50", sine_features, 83, 50, activation="relu"),
                            Case.drawn("two_inputs", _two_inputs, 84)],
}
