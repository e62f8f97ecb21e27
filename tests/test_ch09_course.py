"""Chapter 9 course reference: data (karate club, meshes), Laplacians, the FFT cross-check,
Chebyshev vs eigenbasis, GCN vs dense, a short node classification; figures are slow."""
import numpy as np
import pytest

from course import plots
from course import ch09_geometric as c
from solutions import ch09_geometric as sol


def test_karate_club_data():
    W, labels = c.karate_club()
    assert W.sum() / 2 == 78 and np.allclose(W, W.T) and np.all(np.diag(W) == 0)
    assert W.sum(0)[0] == 16 and W.sum(0)[33] == 17 and np.bincount(labels).tolist() == [17, 17]
    assert np.sum(np.abs(np.linalg.eigvalsh(c.laplacian(W))) < 1e-9) == 1  # connected


def test_meshes_euler_characteristic():
    assert c.euler_characteristic(*c.torus_mesh()) == 0
    for s in (0, 1, 2):
        assert c.euler_characteristic(*c.icosphere(s)) == 2


def test_graphs_and_laplacians_match_answer_key():
    for W in (c.ring_graph(7), c.path_graph(5), c.grid_graph(3, 4), c.stochastic_block_model([5, 6], .8, .1)[0]):
        for normalized in (False, True):
            np.testing.assert_allclose(c.laplacian(W, normalized), sol.graph_laplacian(W, normalized), atol=1e-14)
    assert c.grid_graph(3, 4).sum() / 2 == 3 * 3 + 2 * 4


def test_ring_filter_fft_and_chebyshev_and_message_passing():
    W = c.ring_graph(12)
    lam, Phi = c.eigenbasis(c.laplacian(W))
    f = np.random.default_rng(0).standard_normal(12)
    tau = lambda x: np.exp(-x)  # noqa: E731
    np.testing.assert_allclose(c.spectral_filter(f, Phi, tau(lam)), c.ring_filter_fft(f, tau), atol=1e-10)
    theta = np.array([0.3, -0.2, 0.5, 0.1])
    np.testing.assert_allclose(c.chebyshev_filter(f, c.laplacian(W), theta, 4.0),
                               sol.cheb_conv(f, c.laplacian(W), theta, 4.0), atol=1e-12)
    H = np.random.default_rng(1).standard_normal((12, 2))
    for agg in ("sum", "mean", "max"):
        np.testing.assert_allclose(c.message_passing(H, W, np.eye(2), np.eye(2), agg),
                                   sol.message_passing(H, W, np.eye(2), np.eye(2), agg), atol=1e-12)


def test_gcn_layer_matches_dense():
    keras = pytest.importorskip("keras")
    W, _ = c.karate_club()
    A_hat = c.gcn_normalized_adjacency(W).astype("float32")
    layer = c.gcn_layer_class()(3)
    H = np.random.default_rng(0).standard_normal((34, 5)).astype("float32")
    layer((H, A_hat))
    K = np.random.default_rng(1).standard_normal((5, 3)).astype("float32")
    layer.set_weights([K, np.zeros(3, "float32")])
    np.testing.assert_allclose(keras.ops.convert_to_numpy(layer((H, A_hat))), A_hat @ H @ K, rtol=1e-4, atol=1e-4)


@pytest.mark.slow
def test_karate_node_classification():
    assert c.train_karate(epochs=100) >= 0.85


@pytest.mark.slow
def test_figures(tmp_path):
    paths = plots.make_figures("ch09", tmp_path)
    assert len(paths) == len(c.FIGURES) and all(p.stat().st_size > 0 for p in paths)


def test_monet_conv_indexes_nodes_erratum_9_41():
    """(9.41) writes ``i = 1..d``: the output is one value per NODE (n = 7 here, d = 3)."""
    rng = np.random.default_rng(0)
    A = c.ring_graph(7)
    X = rng.standard_normal((7, 2))
    U = X[None, :, :] - X[:, None, :]  # pseudo-coordinates of j relative to i
    f, g = rng.standard_normal((7, 3)), rng.standard_normal((2, 3))
    mus, sigmas = [np.zeros(2), np.ones(2)], [np.eye(2), np.diag([0.5, 2.0])]
    y = c.monet_conv(f, A, U, mus, sigmas, g)
    assert y.shape == (7,)
    np.testing.assert_allclose(y, sol.monet_conv(f, A, U, np.array(mus), np.array(sigmas), g), atol=1e-12)
    perm = rng.permutation(7)
    permuted = c.monet_conv(f[perm], A[np.ix_(perm, perm)], U[np.ix_(perm, perm)], mus, sigmas, g)
    np.testing.assert_allclose(permuted, y[perm], atol=1e-12)
    # one almost flat Gaussian (huge covariance): the patch is the sum over the neighbours
    np.testing.assert_allclose(c.monet_conv(f, A, U, [np.zeros(2)], [1e12 * np.eye(2)], g[:1]), A @ f @ g[0],
                               atol=1e-9)


def test_monet_weights_are_an_unnormalized_gaussian_erratum_9_38():
    """(9.38) without the 1/2 is the Gaussian of covariance Sigma / 2; with it, the weight is the
    normal density of covariance Sigma times (2 pi)^(p/2) sqrt(det Sigma) (scipy as the oracle)."""
    from scipy.stats import multivariate_normal
    rng = np.random.default_rng(1)
    U = rng.standard_normal((4, 5, 2))
    mu, sigma = np.array([0.3, -0.2]), np.array([[0.7, 0.2], [0.2, 0.4]])
    w = c.monet_weights(U, mu, sigma)
    oracle = multivariate_normal(mu, sigma).pdf(U) * 2 * np.pi * np.sqrt(np.linalg.det(sigma))
    np.testing.assert_allclose(w, oracle, rtol=1e-12)
    np.testing.assert_allclose(sol.monet_weights(U, mu, sigma), w, rtol=1e-12)
    D = U - mu
    notes = np.exp(-np.einsum("...p,pq,...q->...", D, np.linalg.inv(sigma), D))
    np.testing.assert_allclose(notes, c.monet_weights(U, mu, sigma / 2), rtol=1e-12)
    assert not np.allclose(notes, w)
    assert c.monet_weights(mu, mu, sigma) == 1.0


# --- voxels, 3-D convolution, multi-view CNNs ------------------------------------------------------

def test_primitives_are_seeded_inside_the_unit_ball_and_voxelized_like_the_answer_key():
    for kind in c.PRIMITIVES:
        P = c.sample_primitive(kind, 500, rng=3)
        assert P.shape == (500, 3) and np.linalg.norm(P, axis=1).max() < 0.95
        np.testing.assert_array_equal(P, c.sample_primitive(kind, 500, rng=3))
        for n in (8, 12, 16):
            np.testing.assert_array_equal(c.voxelize(P, n), sol.voxelize(P, n, -1.0, 1.0))
    with pytest.raises(ValueError):
        c.sample_primitive("cone")
    X, y = c.primitive_dataset(n_per_class=5, grid=8)
    assert X.shape == (15, 8, 8, 8, 1) and X.dtype == np.float32 and set(np.unique(X)) == {0.0, 1.0}
    assert np.bincount(y).tolist() == [5, 5, 5] and np.all(X.reshape(15, -1).sum(1) > 0)


def test_voxelize_boundary_conventions_against_histogramdd():
    """numpy.histogramdd has the same conventions (half-open cells, last one closed, outside points
    dropped): on a dyadic grid, where every cell edge is exact, the occupancies agree."""
    pts = np.r_[np.random.default_rng(2).uniform(-1.25, 1.25, (300, 3)),
                [[1, 1, 1], [-1, -1, -1], [0.5, -0.25, 1], [1 + 2 ** -30, 0, 0]]]
    for n in (4, 8):
        counts, _ = np.histogramdd(pts, bins=n, range=[(-1, 1)] * 3)
        np.testing.assert_array_equal(c.voxelize(pts, n), counts > 0)
    assert c.voxelize([[1.0, 1.0, 1.0]], 4)[3, 3, 3] == 1
    assert c.voxelize([[1.0, -1.0, 0.0]], 4)[3, 0, 2] == 1  # x -> first axis, z -> last
    assert c.voxelize([[1.5, 0.0, 0.0]], 4).sum() == 0


@pytest.mark.parametrize("shape, kernel, stride", [((6, 7, 8, 2), (2, 3, 4, 2, 3), 1),
                                                    ((8, 8, 8, 1), (3, 3, 3, 1, 2), 2),
                                                    ((6, 7, 8, 1), (2, 2, 2, 1, 1), (1, 2, 3))])
def test_conv3d_keras_ops_matches_answer_key_and_conv3d_layer(shape, kernel, stride):
    keras = pytest.importorskip("keras")
    rng = np.random.default_rng(4)
    x, w = rng.standard_normal(shape), rng.standard_normal(kernel)
    y = c.conv3d(x, w, stride)
    np.testing.assert_allclose(y, sol.conv3d(x, w, stride), rtol=1e-10, atol=1e-10)
    layer = keras.layers.Conv3D(kernel[-1], kernel[:3], strides=stride, use_bias=False, dtype="float64")
    layer(x[None])
    layer.set_weights([w])
    np.testing.assert_allclose(keras.ops.convert_to_numpy(layer(x[None]))[0], y, rtol=1e-10, atol=1e-10)


def test_voxel_classifier_tells_primitives_apart():
    """About 3 s: 100 grids of 12^3 per class, 15 epochs; ~0.92 on fresh primitives."""
    assert c.train_voxel_classifier() >= 0.8


@pytest.mark.slow
def test_voxel_classifier_more_data():
    assert c.train_voxel_classifier(n_per_class=300, epochs=10) >= 0.93


def test_render_views_geometry():
    """Cameras around the z axis: the top of each image is +z, the centre of the cloud's box maps
    to the centre pixel, nearer points are brighter, views of a point on the axis agree."""
    V = c.render_views(np.array([[0.0, 0.0, 0.9], [0.0, 0.0, -0.9]]), n_views=4, size=8, elevation=0.0)
    assert V.shape == (4, 8, 8, 1) and V.dtype == np.float32
    for v in range(4):
        assert V[v, 0, 4, 0] == 0.5 and V[v, 7, 4, 0] == 0.5 and V[v].sum() == 1.0
    near_far = c.render_views(np.array([[0.5, 0.0, 0.0], [-0.5, 0.0, 0.0]]), n_views=2, size=8, elevation=0.0)
    assert near_far[0, 4, 4, 0] == 0.75 and near_far[1, 4, 4, 0] == 0.75  # each camera sees its nearest point


def test_multiview_layer_matches_answer_key_and_is_view_order_invariant():
    keras = pytest.importorskip("keras")
    views = c.multiview_dataset(n_per_class=2, n_views=5, size=12)[0]
    keras.utils.set_random_seed(0)
    net = c.view_network(12)
    ours = keras.ops.convert_to_numpy(c.multiview_cnn_class()(net)(views))
    key = keras.ops.convert_to_numpy(sol.MultiViewCNN(net)(views))
    per_view = keras.ops.convert_to_numpy(net(views.reshape(-1, 12, 12, 1))).reshape(6, 5, -1)
    np.testing.assert_array_equal(ours, key)
    np.testing.assert_array_equal(ours, per_view.max(axis=1))
    perm = np.array([3, 0, 4, 1, 2])
    shuffled = c.multiview_cnn_class()(net)(views[:, perm])
    np.testing.assert_array_equal(keras.ops.convert_to_numpy(shuffled), ours)


@pytest.mark.slow
def test_multiview_classifier_tells_primitives_apart():
    model, accuracy = c.train_multiview_classifier()
    assert accuracy >= 0.8


def test_figure_data_voxels_and_view_pooling():
    data = c.voxel_figure_data(grid=12)
    assert list(data["occupancy"]) == list(c.PRIMITIVES)
    h3 = (2 / 12) ** 3
    from scipy.spatial import ConvexHull
    for kind, occ in data["occupancy"].items():
        assert occ.shape == (12, 12, 12) and set(np.unique(occ)) == {0.0, 1.0}
        np.testing.assert_array_equal(occ, sol.voxelize(data["points"][kind], 12, -1, 1))
        # the voxels cover the solid: between its volume and that of the boundary-inflated shape
        assert 0.9 <= occ.sum() * h3 / ConvexHull(data["points"][kind]).volume <= 3.0
    views = c.view_pooling_figure_data()
    assert views["views"].shape == (6, 16, 16, 1) and views["features"].shape == (6, 16)
    # each view's brightest pixel holds (1 + depth) / 2 of the point nearest its camera (render_views)
    points = c.sample_primitive("cylinder", 2000, np.random.default_rng(0))
    azimuths = 2 * np.pi * np.arange(6) / 6
    depth = (np.cos(np.pi / 6) * (np.cos(azimuths)[:, None] * points[:, 0] + np.sin(azimuths)[:, None] * points[:, 1])
             + np.sin(np.pi / 6) * points[:, 2])
    np.testing.assert_allclose(views["views"].reshape(6, -1).max(axis=1), (1 + depth.max(axis=1)) / 2, rtol=1e-6)
    assert views["views"].min() == 0.0  # background
    assert np.all(views["views"].reshape(6, -1).max(axis=1) > 0)  # the object is in every view
    np.testing.assert_array_equal(views["pooled"], views["features"].max(axis=0))
    assert sorted(views["order"]) == list(range(6)) and list(views["order"]) != list(range(6))
    np.testing.assert_array_equal(views["pooled_shuffled"], views["pooled"])
