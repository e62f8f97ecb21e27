"""Hidden cases of chapter 9: other graphs, isolated nodes, degenerate ring eigenpairs, max/mean
aggregation on isolated nodes, unknown aggregate, multi-channel signals; voxel boundaries (points on
lo, on hi, on inner cell boundaries of a dyadic grid where every floor formula is exact, outside the
box), per-axis bounds, duplicates; 3-D convolutions with anisotropic kernels and strides, strides
that do not divide, 1x1x1 kernels, a kernel filling or exceeding the volume; multi-view pooling
under a permutation of the views, with one view, with feature maps; MoNet weights with full,
diagonal and 1-D covariances on any leading shape, MoNet convolutions with self loops, an isolated
node, one 1-D Gaussian."""
import numpy as np

from ..chapters.ch09_geometric import (KERAS_TIMEOUT, TETRA, basis, monet_inputs, normal, path,
                                       polar_coordinates, random_graph, ring, torus)
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


def _cloud(seed, m, lo, hi, margin=0.0):
    """``m`` points uniform in the box ``[lo - margin, hi + margin]`` (some outside when margin > 0)."""
    rng = np.random.default_rng(seed)
    lo, hi = np.broadcast_to(lo, (3,)), np.broadcast_to(hi, (3,))
    return rng.uniform(lo - margin, hi + margin, (m, 3))


# on the grid n = 4 over [-1, 1] (cells of 0.5) every coordinate below is exact: lo, hi, inner
# boundaries, and points just outside
_BOUNDARY_POINTS = np.array([
    [-1.0, -1.0, -1.0],   # on lo: cell (0, 0, 0)
    [1.0, 1.0, 1.0],      # on hi: the last cell (3, 3, 3)
    [1.0, -0.5, 0.0],     # hi on x, inner boundaries on y and z: (3, 1, 2)
    [0.5, 0.75, -1.0],    # (3, 3, 0)
    [-0.5, 0.25, 0.5],    # (1, 2, 3)
    [1.0 + 2 ** -20, 0.0, 0.0],  # just above hi: ignored
    [0.0, -1.0 - 2 ** -20, 0.0],  # just below lo: ignored
    [-3.0, 0.1, 0.1],     # far outside: ignored
])
# the MoNet graph: node 0 isolated, self loops on nodes 1 and 3, a directed edge 4 -> 5
_A_MONET = np.zeros((6, 6))
for _i, _j in ((1, 2), (2, 3), (3, 4), (1, 4), (2, 5)):
    _A_MONET[_i, _j] = _A_MONET[_j, _i] = 1.0
_A_MONET[1, 1] = _A_MONET[3, 3] = _A_MONET[4, 5] = 1.0
_A_MONET[5, 4] = 0.0

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
    "voxelize": [
        Case("cloud_with_outside_points", {"points": _cloud(60, 200, -1.0, 1.0, margin=0.3), "n": 6,
                                           "lo": -1.0, "hi": 1.0}),
        Case("points_on_bounds_and_cell_boundaries", {"points": _BOUNDARY_POINTS, "n": 4, "lo": -1.0,
                                                      "hi": 1.0}),
        Case("per_axis_bounds", {"points": _cloud(61, 40, [0.0, -2.0, 1.0], [1.0, 2.0, 5.0]), "n": 5,
                                 "lo": np.array([0.0, -2.0, 1.0]), "hi": np.array([1.0, 2.0, 5.0])}),
        Case("duplicates_count_once", {"points": np.repeat(_cloud(62, 5, 0.0, 1.0), 4, axis=0), "n": 3,
                                       "lo": 0.0, "hi": 1.0}),
        Case("all_points_outside", {"points": np.array([[1.5, 0.0, 0.0], [0.0, -1.2, 0.5],
                                                        [0.2, 0.2, 2.0]]), "n": 3, "lo": -1.0, "hi": 1.0}),
    ],
    "conv3d": [
        Case("anisotropic_kernel_channels", {"volume": normal(63, 5, 6, 7, 2),
                                             "kernel": normal(64, 2, 3, 4, 2, 3)}),
        Case("stride2_not_dividing", {"volume": normal(65, 8, 8, 8, 1), "kernel": normal(66, 3, 3, 3, 1, 2),
                                      "stride": 2}),
        Case("per_axis_strides", {"volume": normal(67, 6, 7, 8, 1), "kernel": normal(68, 2, 2, 2, 1, 1),
                                  "stride": [1, 2, 3]}),
        Case("pointwise_1x1x1", {"volume": normal(69, 3, 4, 5, 4), "kernel": normal(70, 1, 1, 1, 4, 2)}),
        Case("kernel_fills_volume", {"volume": normal(71, 3, 3, 3, 2), "kernel": normal(72, 3, 3, 3, 2, 1)}),
        Case("kernel_larger_than_volume_raises", {"volume": normal(73, 2, 5, 5, 1),
                                                  "kernel": normal(74, 3, 3, 3, 1, 1)}),
    ],
    "MultiViewCNN": [
        Case("permuted_views_same_output", {"views": normal(75, 3, 4, 7, 7, 2), "network": "vector",
                                            "weight_seed": 76, "permutation": [2, 0, 3, 1]},
             timeout=KERAS_TIMEOUT),
        Case("one_view", {"views": normal(77, 2, 1, 6, 6, 1), "network": "vector", "weight_seed": 78},
             timeout=KERAS_TIMEOUT),
        Case("feature_maps", {"views": normal(79, 2, 3, 5, 6, 1), "network": "feature_map",
                              "weight_seed": 80, "permutation": [1, 2, 0]}, timeout=KERAS_TIMEOUT),
        Case("one_object_five_views", {"views": normal(81, 1, 5, 6, 6, 1), "network": "vector",
                                       "weight_seed": 82}, timeout=KERAS_TIMEOUT),
    ],
    "monet_weights": [
        Case("polar_full_covariance", {"U": polar_coordinates(normal(83, 5, 2)), "mu": np.array([0.8, -0.4]),
                                       "sigma": np.array([[0.6, 0.25], [0.25, 0.3]])}),
        Case("diagonal_three_dims", {"U": normal(84, 4, 4, 3), "mu": np.array([0.1, 0.0, -0.3]),
                                     "sigma": np.diag([0.5, 2.0, 1.0])}),
        Case("one_dim_flat_list", {"U": normal(85, 7, 1), "mu": np.array([0.3]), "sigma": np.array([[0.2]])}),
    ],
    "monet_conv": [
        Case("polar_three_gaussians",
             monet_inputs(86, random_graph(87, n=7, p=0.5, weighted=False), d=3, K=3)),
        Case("self_loops_isolated_directed", monet_inputs(88, _A_MONET, d=2, K=2)),
        Case("one_gaussian_1d", monet_inputs(89, ring(6), d=4, K=1, p=1)),
    ],
}
