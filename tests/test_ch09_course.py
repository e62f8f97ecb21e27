"""Chapter 9 course reference: data (karate club, meshes), Laplacians, the FFT cross-check,
Chebyshev vs eigenbasis, GCN vs dense, a short node classification; figures are slow."""
import numpy as np
import pytest

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
    paths = c.make_figures(tmp_path)
    assert len(paths) == len(c.FIGURES) and all(p.stat().st_size > 0 for p in paths)


def test_monet_conv_indexes_nodes_erratum_9_41():
    """(9.41) writes ``i = 1..d``: the output is one value per NODE (n = 7 here, d = 3)."""
    rng = np.random.default_rng(0)
    A = c.ring_graph(7)
    X = rng.standard_normal((7, 2))
    U = X[None, :, :] - X[:, None, :]  # pseudo-coordinates of j relative to i
    f, g = rng.standard_normal((7, 3)), rng.standard_normal((2, 3))
    mus, sinvs = [np.zeros(2), np.ones(2)], [np.eye(2), 2 * np.eye(2)]
    y = c.monet_conv(f, A, U, mus, sinvs, g)
    assert y.shape == (7,)
    perm = rng.permutation(7)
    np.testing.assert_allclose(c.monet_conv(f[perm], A[np.ix_(perm, perm)], U[np.ix_(perm, perm)], mus, sinvs, g),
                               y[perm], atol=1e-12)
    # one flat Gaussian (Sigma^-1 = 0): the patch is the sum over neighbours
    np.testing.assert_allclose(c.monet_conv(f, A, U, [np.zeros(2)], [np.zeros((2, 2))], g[:1]), A @ f @ g[0],
                               atol=1e-12)
    w = c.monet_weights(U, np.zeros(2), np.eye(2))
    np.testing.assert_allclose(w, np.exp(-np.sum(U ** 2, -1)), atol=1e-15)
