"""Hidden cases of chapter 9: other graphs, isolated nodes, degenerate ring eigenpairs, max/mean
aggregation on isolated nodes, unknown aggregate, multi-channel signals."""
import numpy as np

from ..chapters.ch09_geometric import KERAS_TIMEOUT, TETRA, basis, path, random_graph, ring, torus
from ..spec import Case


def _s(seed, *shape):
    return np.random.default_rng(seed).standard_normal(shape)


def _lap(W):
    return np.diag(W.sum(1)) - W


_W10 = random_graph(11, n=10)
_lam10, _Phi10 = basis(_W10)
_R8 = ring(8)
_lamR, _PhiR = basis(_R8)
# two components and one isolated node (node 6)
_W_iso = np.zeros((7, 7))
_W_iso[:3, :3] = ring(3)
_W_iso[3:6, 3:6] = path(3) * 2.0
_Wu = random_graph(12, n=9, p=0.5, weighted=False)

CASES = {
    "graph_laplacian": [
        Case("weighted_combinatorial", {"W": _W10}),
        Case("weighted_normalized", {"W": _W10, "normalized": True}),
        Case("isolated_node_normalized", {"W": _W_iso, "normalized": True}),
    ],
    "laplacian_eigenbasis": [
        Case("ring_degenerate_all", {"L": _lap(_R8)}),
        Case("ring_k3_at_gap", {"L": _lap(_R8), "k": 3}),
        Case("weighted_k4", {"L": _lap(_W10), "k": 4}),
    ],
    "graph_fourier": [Case("channels", {"f": _s(21, 10, 3), "Phi": _Phi10}),
                      Case("truncated_basis", {"f": _s(22, 10), "Phi": _Phi10[:, :4]})],
    "inverse_graph_fourier": [Case("channels", {"fhat": _s(23, 10, 2), "Phi": _Phi10})],
    "spectral_conv": [
        Case("ring_tau", {"f": _s(24, 8), "Phi": _PhiR, "ghat": 1.0 / (1.0 + _lamR)}),
        Case("channels_arbitrary_ghat", {"f": _s(25, 10, 3), "Phi": _Phi10, "ghat": _s(26, 10)}),
    ],
    "smooth_spectral_conv": [Case("ten_gaussians_channels", {
        "f": _s(27, 10, 2), "Phi": _Phi10,
        "B": np.exp(-(_lam10[:, None] - np.linspace(0, _lam10[-1], 10)[None, :]) ** 2 / 0.5),
        "alpha": _s(28, 10)})],
    "cheb_conv": [
        Case("order1_is_scaling", {"f": _s(29, 10), "L": _lap(_W10), "theta": np.array([1.7]),
                                   "lam_max": float(_lam10[-1])}),
        Case("order5_channels", {"f": _s(30, 10, 2), "L": _lap(_W10), "theta": _s(31, 5),
                                 "lam_max": float(_lam10[-1])}),
        Case("lam_max_2_normalized", {"f": _s(32, 8), "L": np.eye(8) - _R8 / 2.0,
                                      "theta": np.array([0.1, 0.2, 0.3, 0.4]), "lam_max": 2.0}),
    ],
    "GCNLayer": [
        Case("weighted_relu", {"H": _s(33, 10, 4), "A": _W10, "units": 3, "activation": "relu",
                               "kernel": _s(34, 4, 3)}, timeout=KERAS_TIMEOUT),
        Case("isolated_node", {"H": _s(35, 7, 2), "A": _W_iso, "units": 2, "activation": "tanh",
                               "kernel": _s(36, 2, 2)}, timeout=KERAS_TIMEOUT),
    ],
    "message_passing": [
        Case("mean_weighted_isolated", {"H": _s(37, 7, 3), "A": _W_iso, "W_self": _s(38, 3, 2),
                                        "W_neigh": _s(39, 3, 2), "aggregate": "mean"}),
        Case("max_isolated", {"H": _s(40, 7, 3), "A": _W_iso, "W_self": _s(41, 3, 2),
                              "W_neigh": _s(42, 3, 2), "aggregate": "max"}),
        Case("max_unweighted", {"H": _s(43, 9, 2), "A": _Wu, "W_self": _s(44, 2, 3),
                                "W_neigh": _s(45, 2, 3), "aggregate": "max"}),
        Case("sum_weighted", {"H": _s(46, 10, 2), "A": _W10, "W_self": np.zeros((2, 2)),
                              "W_neigh": np.eye(2), "aggregate": "sum"}),
        Case("unknown_aggregate_raises", {"H": _s(47, 4, 2), "A": ring(4), "W_self": np.eye(2),
                                          "W_neigh": np.eye(2), "aggregate": "concat"}),
    ],
    "euler_characteristic": [
        Case("torus_is_0", {"vertices": torus()[0], "faces": torus()[1]}),
        Case("one_triangle_is_1", {"vertices": np.eye(3), "faces": np.array([[0, 1, 2]])}),
        Case("two_tetrahedra_and_a_loose_vertex_is_5", {
            "vertices": np.vstack([TETRA[0], TETRA[0] + 5, np.zeros((1, 3))]),
            "faces": np.vstack([TETRA[1], TETRA[1] + 4])}),
    ],
}
