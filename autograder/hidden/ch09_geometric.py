"""Hidden cases of chapter 9: other graphs, isolated nodes, degenerate ring eigenpairs, max/mean
aggregation on isolated nodes, unknown aggregate, multi-channel signals; voxel boundaries (points on
lo, on hi, on inner cell boundaries of a dyadic grid where every floor formula is exact, outside the
box), per-axis bounds, duplicates; 3-D convolutions with anisotropic kernels and strides, strides
that do not divide, 1x1x1 kernels, a kernel filling or exceeding the volume; multi-view pooling
under a permutation of the views, with one view, with feature maps; MoNet weights with full,
diagonal and 1-D covariances on any leading shape, MoNet convolutions with self loops, an isolated
node, one 1-D Gaussian."""
from dataclasses import replace

import numpy as np

from ..chapters.ch09_geometric import (KERAS_TIMEOUT, TETRA, basis, monet_inputs, normal, path,
                                       polar_coordinates, random_graph, ring, torus)
from ..spec import Case
from . import Normal, draw


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


def _voxel_cloud(seed, m, lo, hi, n, margin=0.0, repeat=1):
    points = _cloud(seed, m, lo, hi, margin)
    return {"points": np.repeat(points, repeat, axis=0) if repeat > 1 else points, "n": n,
            "lo": lo, "hi": hi}


def _polar(seed, **fixed):
    return {"U": polar_coordinates(normal(seed, 5, 2)), **fixed}


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
    "graph_fourier": [Case.drawn("channels", draw, 21, f=Normal((10, 3)), Phi=_Phi10),
                      Case.drawn("truncated_basis", draw, 22, f=Normal(10), Phi=_Phi10[:, :4])],
    "inverse_graph_fourier": [Case.drawn("channels", draw, 23, fhat=Normal((10, 2)), Phi=_Phi10)],
    "spectral_conv": [
        Case.drawn("ring_tau", draw, 24, f=Normal(8), Phi=_PhiR, ghat=1.0 / (1.0 + _lamR)),
        Case.drawn("channels_arbitrary_ghat", draw, 25, f=Normal((10, 3)), Phi=_Phi10, ghat=Normal(10)),
    ],
    "smooth_spectral_conv": [Case.drawn(
        "ten_gaussians_channels", draw, 27, f=Normal((10, 2)), Phi=_Phi10,
        B=np.exp(-(_lam10[:, None] - np.linspace(0, _lam10[-1], 10)[None, :]) ** 2 / 0.5),
        alpha=Normal(10))],
    "cheb_conv": [
        Case.drawn("order1_is_scaling", draw, 29, f=Normal(10), L=_lap(_W10), theta=np.array([1.7]),
                   lam_max=float(_lam10[-1])),
        Case.drawn("order5_channels", draw, 30, f=Normal((10, 2)), L=_lap(_W10), theta=Normal(5),
                   lam_max=float(_lam10[-1])),
        Case.drawn("lam_max_2_normalized", draw, 32, f=Normal(8), L=np.eye(8) - _R8 / 2.0,
                   theta=np.array([0.1, 0.2, 0.3, 0.4]), lam_max=2.0),
    ],
    "GCNLayer": [
        replace(Case.drawn("weighted_relu", draw, 33, H=Normal((10, 4)), A=_W10, units=3,
                           activation="relu", kernel=Normal((4, 3))), timeout=KERAS_TIMEOUT),
        replace(Case.drawn("isolated_node", draw, 35, H=Normal((7, 2)), A=_W_iso, units=2,
                           activation="tanh", kernel=Normal((2, 2))), timeout=KERAS_TIMEOUT),
    ],
    "message_passing": [
        Case.drawn("mean_weighted_isolated", draw, 37, H=Normal((7, 3)), A=_W_iso, W_self=Normal((3, 2)),
                   W_neigh=Normal((3, 2)), aggregate="mean"),
        Case.drawn("max_isolated", draw, 40, H=Normal((7, 3)), A=_W_iso, W_self=Normal((3, 2)),
                   W_neigh=Normal((3, 2)), aggregate="max"),
        Case.drawn("max_unweighted", draw, 43, H=Normal((9, 2)), A=_Wu, W_self=Normal((2, 3)),
                   W_neigh=Normal((2, 3)), aggregate="max"),
        Case.drawn("sum_weighted", draw, 46, H=Normal((10, 2)), A=_W10, W_self=np.zeros((2, 2)),
                   W_neigh=np.eye(2), aggregate="sum"),
        Case("unknown_aggregate_raises", {"H": normal(47, 4, 2), "A": ring(4), "W_self": np.eye(2),
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
        Case.drawn("cloud_with_outside_points", _voxel_cloud, 60, 200, -1.0, 1.0, 6, margin=0.3),
        Case("points_on_bounds_and_cell_boundaries", {"points": _BOUNDARY_POINTS, "n": 4, "lo": -1.0,
                                                      "hi": 1.0}),
        Case.drawn("per_axis_bounds", _voxel_cloud, 61, 40, np.array([0.0, -2.0, 1.0]),
                   np.array([1.0, 2.0, 5.0]), 5),
        Case.drawn("duplicates_count_once", _voxel_cloud, 62, 5, 0.0, 1.0, 3, repeat=4),
        Case("all_points_outside", {"points": np.array([[1.5, 0.0, 0.0], [0.0, -1.2, 0.5],
                                                        [0.2, 0.2, 2.0]]), "n": 3, "lo": -1.0, "hi": 1.0}),
    ],
    "conv3d": [
        Case.drawn("anisotropic_kernel_channels", draw, 63, volume=Normal((5, 6, 7, 2)),
                   kernel=Normal((2, 3, 4, 2, 3))),
        Case.drawn("stride2_not_dividing", draw, 65, volume=Normal((8, 8, 8, 1)),
                   kernel=Normal((3, 3, 3, 1, 2)), stride=2),
        Case.drawn("per_axis_strides", draw, 67, volume=Normal((6, 7, 8, 1)),
                   kernel=Normal((2, 2, 2, 1, 1)), stride=[1, 2, 3]),
        Case.drawn("pointwise_1x1x1", draw, 69, volume=Normal((3, 4, 5, 4)), kernel=Normal((1, 1, 1, 4, 2))),
        Case.drawn("kernel_fills_volume", draw, 71, volume=Normal((3, 3, 3, 2)),
                   kernel=Normal((3, 3, 3, 2, 1))),
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
        Case.drawn("polar_full_covariance", _polar, 83, mu=np.array([0.8, -0.4]),
                   sigma=np.array([[0.6, 0.25], [0.25, 0.3]])),
        Case.drawn("diagonal_three_dims", draw, 84, U=Normal((4, 4, 3)), mu=np.array([0.1, 0.0, -0.3]),
                   sigma=np.diag([0.5, 2.0, 1.0])),
        Case.drawn("one_dim_flat_list", draw, 85, U=Normal((7, 1)), mu=np.array([0.3]),
                   sigma=np.array([[0.2]])),
    ],
    "monet_conv": [
        Case("polar_three_gaussians",
             monet_inputs(86, random_graph(87, n=7, p=0.5, weighted=False), d=3, K=3)),
        Case.drawn("self_loops_isolated_directed", monet_inputs, 88, _A_MONET, d=2, K=2),
        Case.drawn("one_gaussian_1d", monet_inputs, 89, ring(6), d=4, K=1, p=1),
    ],
}
