"""Chapter 9 answer key against independent oracles: numpy FFT (a ring is circulant), closed-form
ring spectra, brute-force quadratic forms, matrix polynomials, dense normalized adjacencies; the
grading checks accept every correct answer (eigenvector signs, bases of degenerate ring pairs); one
test per erratum of the notes that the notes' version would fail."""
import types

import numpy as np
import pytest

from autograder.chapters import ch09_geometric as spec
from autograder.hidden import ch09_geometric as hidden
from solutions import ch09_geometric as sol

keras = pytest.importorskip("keras")
ring, path, random_graph = spec.ring, spec.path, spec.random_graph


def all_cases(exercise):
    return spec.PUBLIC_CASES[exercise] + hidden.CASES[exercise]


def test_layout(check_solution_layout):
    check_solution_layout(sol)
    modules = {v.__name__ for v in vars(sol).values() if isinstance(v, types.ModuleType)}
    assert modules == {"numpy", "keras"}


def test_spec_points_and_cases():
    assert sum(e.points for e in spec.EXERCISES) == 50
    for e in spec.EXERCISES:
        assert spec.PUBLIC_CASES[e.name] and hidden.CASES[e.name], e.name


# --- graph_laplacian -----------------------------------------------------------------------------

@pytest.mark.parametrize("seed", [0, 1, 2])
def test_laplacian_properties(seed):
    W = random_graph(seed, n=9)
    L = sol.graph_laplacian(W)
    np.testing.assert_allclose(L @ np.ones(9), 0, atol=1e-12)
    np.testing.assert_allclose(L, L.T)
    assert np.linalg.eigvalsh(L).min() > -1e-10
    x = np.random.default_rng(seed).standard_normal(9)
    brute = 0.5 * sum(W[i, j] * (x[i] - x[j]) ** 2 for i in range(9) for j in range(9))
    assert x @ L @ x == pytest.approx(brute, rel=1e-12)


def test_zero_eigenvalues_count_components_both_normalizations():
    W = hidden._W_iso  # a triangle, a weighted path, an isolated node: 3 components
    for normalized in (False, True):
        lam = np.linalg.eigvalsh(sol.graph_laplacian(W, normalized=normalized))
        assert np.sum(np.abs(lam) < 1e-10) == 3
    Ln = sol.graph_laplacian(W, normalized=True)
    assert np.all(Ln[6] == 0) and not np.any(np.isnan(Ln))


@pytest.mark.parametrize("n", [5, 8, 11])
def test_ring_spectrum_closed_form(n):
    lam = np.linalg.eigvalsh(sol.graph_laplacian(ring(n)))
    np.testing.assert_allclose(lam, np.sort(2 - 2 * np.cos(2 * np.pi * np.arange(n) / n)), atol=1e-12)


def test_normalized_matches_definition_and_spectrum_in_0_2():
    W = random_graph(5, n=10, p=0.6)
    d = W.sum(1)
    Ln = sol.graph_laplacian(W, normalized=True)
    np.testing.assert_allclose(Ln, np.eye(10) - W / np.sqrt(np.outer(d, d)), atol=1e-14)
    lam = np.linalg.eigvalsh(Ln)
    assert lam.min() > -1e-12 and lam.max() < 2 + 1e-12
    # bipartite graph (even ring): the normalized spectrum reaches 2
    assert np.linalg.eigvalsh(sol.graph_laplacian(ring(6), normalized=True)).max() == pytest.approx(2)


def test_erratum_combinatorial_laplacian_ignores_deformations_keeping_connectivity():
    """A mesh deformed without changing its connectivity has the SAME combinatorial Laplacian
    (the notes suggest it detects the deformation); distance-based weights would change it."""
    n = 12
    t = 2 * np.pi * np.arange(n) / n
    circle = np.c_[np.cos(t), np.sin(t)]
    ellipse = np.c_[3 * np.cos(t), 0.5 * np.sin(t)]
    W = ring(n)
    np.testing.assert_array_equal(sol.graph_laplacian(W), sol.graph_laplacian(W.copy()))

    def distance_weights(X):
        D = np.linalg.norm(X[:, None] - X[None], axis=-1)
        return np.where(W > 0, 1.0 / np.where(W > 0, D, 1.0), 0.0)
    assert not np.allclose(sol.graph_laplacian(distance_weights(circle)),
                           sol.graph_laplacian(distance_weights(ellipse)))


# --- laplacian_eigenbasis ------------------------------------------------------------------------

@pytest.mark.parametrize("k", [None, 3, 5])
def test_eigenbasis_orthonormal_and_eigen(k):
    L = sol.graph_laplacian(random_graph(3, n=8))
    lam, Phi = sol.laplacian_eigenbasis(L, k)
    m = 8 if k is None else k
    assert Phi.shape == (8, m) and np.all(np.diff(lam) >= 0)
    np.testing.assert_allclose(Phi.T @ Phi, np.eye(m), atol=1e-12)
    np.testing.assert_allclose(L @ Phi, Phi * lam, atol=1e-12)
    np.testing.assert_allclose(lam, np.linalg.eigvalsh(L)[:m], atol=1e-12)


def test_erratum_degenerate_ring_pairs_any_basis_accepted():
    """eigh returns an arbitrary basis of each degenerate ring pair: a rotated and sign-flipped basis
    is graded correct (projectors), though its raw vectors differ."""
    L = sol.graph_laplacian(ring(8))
    case = {"L": L, "k": 3}
    expected = spec.probe_eigenbasis(sol, case)
    lam, Phi = sol.laplacian_eigenbasis(L, 3)
    c, s = np.cos(0.7), np.sin(0.7)
    Phi2 = Phi.copy()
    Phi2[:, 1:3] = Phi[:, 1:3] @ np.array([[c, -s], [s, c]])
    Phi2[:, 0] *= -1
    assert not np.allclose(Phi2, Phi)
    other = types.SimpleNamespace(laplacian_eigenbasis=lambda L, k=None: (lam, Phi2))
    assert spec.check_eigenbasis(spec.probe_eigenbasis(other, case), expected, case).passed
    wrong = types.SimpleNamespace(laplacian_eigenbasis=lambda L, k=None: (lam, np.linalg.eigh(L)[1][:, -3:]))
    assert not spec.check_eigenbasis(spec.probe_eigenbasis(wrong, case), expected, case).passed


# --- Fourier -------------------------------------------------------------------------------------

def test_fourier_round_trip_and_parseval_without_2pi():
    """(9.33) erratum: discrete Parseval is ||fhat|| = ||f||, no 1/(2 pi) factor, no d omega."""
    _, Phi = np.linalg.eigh(sol.graph_laplacian(random_graph(4, n=10)))
    f = np.random.default_rng(0).standard_normal((10, 2))
    fhat = sol.graph_fourier(f, Phi)
    np.testing.assert_allclose(sol.inverse_graph_fourier(fhat, Phi), f, atol=1e-12)
    assert np.sum(fhat ** 2) == pytest.approx(np.sum(f ** 2), rel=1e-12)
    assert np.sum(fhat ** 2) != pytest.approx(np.sum(f ** 2) / (2 * np.pi), rel=1e-3)


def test_erratum_fhat_is_a_vector_of_inner_products():
    _, Phi = np.linalg.eigh(sol.graph_laplacian(path(6)))
    f = np.arange(6.0)
    fhat = sol.graph_fourier(f, Phi)
    assert fhat.shape == (6,)
    np.testing.assert_allclose(fhat, [f @ Phi[:, k] for k in range(6)], atol=1e-12)


# --- spectral_conv -------------------------------------------------------------------------------

def _ring_fft_filter(f, tau):
    n = len(f)
    mult = tau(2 - 2 * np.cos(2 * np.pi * np.arange(n) / n))
    return np.real(np.fft.ifft(np.fft.fft(f) * mult))


@pytest.mark.parametrize("n", [8, 9])
def test_ring_spectral_conv_is_circular_convolution_by_fft(n):
    tau = lambda lam: np.exp(-0.8 * lam) - 0.3 * lam  # noqa: E731
    lam, Phi = np.linalg.eigh(sol.graph_laplacian(ring(n)))
    f = np.random.default_rng(n).standard_normal(n)
    y = sol.spectral_conv(f, Phi, tau(lam))
    np.testing.assert_allclose(y, _ring_fft_filter(f, tau), atol=1e-10)
    # and it is a circular convolution with the kernel g = G e_0
    g = sol.spectral_conv(np.eye(n)[0], Phi, tau(lam))
    np.testing.assert_allclose(y, np.real(np.fft.ifft(np.fft.fft(f) * np.fft.fft(g))), atol=1e-10)


def test_addendum_ring_spectral_filter_commutes_with_shift():
    lam, Phi = np.linalg.eigh(sol.graph_laplacian(ring(10)))
    f = np.random.default_rng(1).standard_normal(10)
    g = 1 / (1 + lam)
    np.testing.assert_allclose(sol.spectral_conv(np.roll(f, 3), Phi, g),
                               np.roll(sol.spectral_conv(f, Phi, g), 3), atol=1e-12)


def test_sign_flip_invariance_and_polynomial_locality():
    L = sol.graph_laplacian(path(9))
    lam, Phi = np.linalg.eigh(L)
    f = np.random.default_rng(2).standard_normal(9)
    p = lambda x: 1 - 0.5 * x + 0.1 * x ** 2  # noqa: E731
    y = sol.spectral_conv(f, Phi, p(lam))
    np.testing.assert_allclose(sol.spectral_conv(f, Phi * np.where(np.arange(9) % 2, -1, 1), p(lam)), y,
                               atol=1e-12)
    np.testing.assert_allclose(y, (np.eye(9) - 0.5 * L + 0.1 * L @ L) @ f, atol=1e-12)
    response = sol.spectral_conv(np.eye(9)[4], Phi, p(lam))  # the filter at node 4 is G e_4
    assert np.all(response[[0, 1, 7, 8]] == pytest.approx(0, abs=1e-12)) and response[2] != 0
    nonlocal_response = sol.spectral_conv(np.eye(9)[4], Phi, np.exp(-3 * lam))
    assert np.all(np.abs(nonlocal_response) > 1e-6)


def test_domain_dependence_same_ghat_different_filters():
    ghat = np.linspace(1, 0, 8)
    _, P1 = np.linalg.eigh(sol.graph_laplacian(ring(8)))
    _, P2 = np.linalg.eigh(sol.graph_laplacian(path(8)))
    e = np.eye(8)[0]
    assert not np.allclose(sol.spectral_conv(e, P1, ghat), sol.spectral_conv(e, P2, ghat))


def test_smooth_spectral_conv_definition_and_linearity():
    lam, Phi = np.linalg.eigh(sol.graph_laplacian(random_graph(6, n=10)))
    B = np.exp(-(lam[:, None] - np.linspace(0, lam[-1], 10)) ** 2)
    rng = np.random.default_rng(3)
    f, a1, a2 = rng.standard_normal((10, 2)), rng.standard_normal(10), rng.standard_normal(10)
    y1 = sol.smooth_spectral_conv(f, Phi, B, a1)
    np.testing.assert_allclose(y1, Phi @ np.diag(B @ a1) @ Phi.T @ f, atol=1e-12)
    np.testing.assert_allclose(sol.smooth_spectral_conv(f, Phi, B, 2 * a1 - a2),
                               2 * y1 - sol.smooth_spectral_conv(f, Phi, B, a2), atol=1e-12)


# --- cheb_conv -----------------------------------------------------------------------------------

@pytest.mark.parametrize("K", [1, 2, 5])
def test_cheb_equals_eigenbasis_filter(K):
    L = sol.graph_laplacian(random_graph(7, n=10))
    lam, Phi = np.linalg.eigh(L)
    theta = np.random.default_rng(K).standard_normal(K)
    lt = 2 * lam / lam[-1] - 1
    tau = np.polynomial.chebyshev.chebval(lt, theta)
    f = np.random.default_rng(0).standard_normal((10, 3))
    np.testing.assert_allclose(sol.cheb_conv(f, L, theta, lam[-1]), Phi @ np.diag(tau) @ Phi.T @ f,
                               atol=1e-8)


def test_cheb_is_K_minus_1_hop_local():
    L = sol.graph_laplacian(path(12))
    y = sol.cheb_conv(np.eye(12)[0], L, np.ones(4), 4.0)
    assert np.all(y[4:] == 0) and y[3] != 0


# --- GCNLayer ------------------------------------------------------------------------------------

def _A_hat(A):
    At = A + np.eye(len(A))
    d = At.sum(1)
    return At / np.sqrt(np.outer(d, d))


def test_gcn_layer_vs_dense_and_spectrum():
    A = random_graph(8, n=9)
    rng = np.random.default_rng(0)
    H, Wk = rng.standard_normal((9, 4)).astype("float32"), rng.standard_normal((4, 3)).astype("float32")
    layer = sol.GCNLayer(3, activation="relu")
    layer((H, A))
    layer.set_weights([Wk])
    out = keras.ops.convert_to_numpy(layer((H, A)))
    np.testing.assert_allclose(out, np.maximum(_A_hat(A) @ H @ Wk, 0), rtol=1e-4, atol=1e-5)
    lam = np.linalg.eigvalsh(_A_hat(A))
    assert lam.max() == pytest.approx(1.0) and lam.min() > -1
    # permutation equivariance
    perm = rng.permutation(9)
    out_p = keras.ops.convert_to_numpy(layer((H[perm], A[np.ix_(perm, perm)])))
    np.testing.assert_allclose(out_p, out[perm], rtol=1e-4, atol=1e-5)


# --- message_passing -----------------------------------------------------------------------------

@pytest.mark.parametrize("aggregate", ["sum", "mean", "max"])
def test_message_passing_permutation_equivariant(aggregate):
    A = hidden._W_iso
    rng = np.random.default_rng(1)
    H, Ws, Wn = rng.standard_normal((7, 3)), rng.standard_normal((3, 2)), rng.standard_normal((3, 2))
    out = sol.message_passing(H, A, Ws, Wn, aggregate)
    perm = rng.permutation(7)
    np.testing.assert_allclose(sol.message_passing(H[perm], A[np.ix_(perm, perm)], Ws, Wn, aggregate),
                               out[perm], rtol=1e-12, atol=1e-12)
    assert np.all(np.isfinite(out))
    np.testing.assert_allclose(out[6], H[6] @ Ws, atol=1e-15)  # isolated node: zero aggregate


def test_message_passing_sum_is_A_H_and_max_is_elementwise():
    A = random_graph(9, n=8)
    H = np.random.default_rng(2).standard_normal((8, 3))
    np.testing.assert_allclose(sol.message_passing(H, A, np.zeros((3, 3)), np.eye(3), "sum"), A @ H,
                               atol=1e-12)
    mx = sol.message_passing(H, A, np.zeros((3, 3)), np.eye(3), "max")
    for i in range(8):
        nb = np.nonzero(A[i])[0]
        np.testing.assert_array_equal(mx[i], H[nb].max(0) if len(nb) else 0)
    mean = sol.message_passing(H, A, np.zeros((3, 3)), np.eye(3), "mean")
    deg = A.sum(1)
    np.testing.assert_allclose(mean[deg > 0], (A @ H)[deg > 0] / deg[deg > 0, None], atol=1e-12)


def test_erratum_order_dependent_aggregate_breaks_equivariance():
    """AGGREGATE must be permutation-invariant: 'the first neighbour's message' is not, and the
    resulting step is not permutation-equivariant (a check the key passes above)."""
    A = ring(6)
    A[0, 3] = A[3, 0] = 1
    H = np.random.default_rng(3).standard_normal((6, 2))

    def first_neighbour(H, A):
        return np.array([H[np.nonzero(A[i])[0][0]] for i in range(len(A))])
    perm = np.arange(6)[::-1]
    assert not np.allclose(first_neighbour(H[perm], A[np.ix_(perm, perm)]), first_neighbour(H, A)[perm])
    with pytest.raises(ValueError):
        sol.message_passing(H, A, np.eye(2), np.eye(2), "concat")


# --- euler_characteristic ------------------------------------------------------------------------

def test_euler_characteristic_torus_sphere_and_embedding_independence():
    from course import ch09_geometric as course
    for m, n in ((6, 4), (12, 8)):
        V, F = course.torus_mesh(m, n)
        assert sol.euler_characteristic(V, F) == 0
        assert sol.euler_characteristic(3 * V + 1, F) == 0
    for s in (0, 1, 2):
        V, F = course.icosphere(s)
        E = {tuple(sorted(e)) for f in F for e in ((f[0], f[1]), (f[1], f[2]), (f[0], f[2]))}
        assert sol.euler_characteristic(V, F) == len(V) - len(E) + len(F) == 2
    assert sol.euler_characteristic(np.eye(3), [[0, 1, 2]]) == 1


# --- voxelize ------------------------------------------------------------------------------------

def _cell_by_brute_force(x, lo, hi, n):
    """The cell of one coordinate by testing every interval [lo + i h, lo + (i + 1) h), the last
    one closed; None outside."""
    h = (hi - lo) / n
    for i in range(n):
        if lo + i * h <= x < lo + (i + 1) * h or (i == n - 1 and x == hi):
            return i
    return None


def test_voxelize_against_histogramdd_on_dyadic_grids():
    """numpy.histogramdd (forbidden in the exercise) has the same conventions; on grids whose edges
    are exact, including points on lo, on hi and on inner edges, the occupancies agree."""
    rng = np.random.default_rng(0)
    pts = np.r_[rng.uniform(-1.3, 1.3, (400, 3)), hidden._BOUNDARY_POINTS,
                np.round(rng.uniform(-1, 1, (50, 3)) * 4) / 4]  # on the edges of the n = 8 grid
    for n in (2, 4, 8):
        counts, _ = np.histogramdd(pts, bins=n, range=[(-1, 1)] * 3)
        np.testing.assert_array_equal(sol.voxelize(pts, n, -1.0, 1.0), (counts > 0).astype(float))


def test_voxelize_per_axis_bounds_by_brute_force():
    lo, hi = np.array([0.0, -2.0, 1.0]), np.array([1.0, 2.0, 5.0])
    pts = np.random.default_rng(1).uniform(lo - 0.3, hi + 0.3, (200, 3))
    expected = np.zeros((5, 5, 5))
    for p in pts:
        cell = [_cell_by_brute_force(p[a], lo[a], hi[a], 5) for a in range(3)]
        if None not in cell:
            expected[tuple(cell)] = 1.0
    np.testing.assert_array_equal(sol.voxelize(pts, 5, lo, hi), expected)


def test_voxelize_boundary_conventions():
    V = sol.voxelize(hidden._BOUNDARY_POINTS, 4, -1.0, 1.0)
    assert {tuple(i) for i in np.argwhere(V)} == {(0, 0, 0), (3, 3, 3), (3, 1, 2), (3, 3, 0), (1, 2, 3)}
    assert sol.voxelize(np.zeros((0, 3)), 3, 0.0, 1.0).sum() == 0
    assert sol.voxelize(np.full((5, 3), 0.5), 2, 0.0, 1.0).sum() == 1  # occupancy, not a count


def test_voxel_case_clouds_stay_off_the_cell_edges():
    """Random clouds of the cases are at least 1e-9 from every inner cell edge, so that floor((p - lo)
    / h), floor((p - lo) * n / (hi - lo)) and searchsorted on the edges all agree on them."""
    for case in all_cases("voxelize"):
        if case.name == "points_on_bounds_and_cell_boundaries":
            continue
        n = case.inputs["n"]
        lo, hi = (np.broadcast_to(case.inputs[k], (3,)) for k in ("lo", "hi"))
        t = (case.inputs["points"] - lo) / (hi - lo) * n
        assert np.min(np.abs(t - np.round(t))) > 1e-9, case.name


def test_occupancy_check_accepts_booleans_and_rejects_counts():
    case = hidden.CASES["voxelize"][3].inputs  # duplicates
    expected = sol.voxelize(**case)
    assert spec.check_occupancy(expected > 0, expected, case).passed
    counts, _ = np.histogramdd(case["points"], bins=3, range=[(0, 1)] * 3)
    assert counts.max() > 1 and not spec.check_occupancy(counts, expected, case).passed


# --- conv3d --------------------------------------------------------------------------------------

def _conv3d_cases():
    return [c for c in all_cases("conv3d") if not c.name.endswith("raises")]


@pytest.mark.parametrize("case", _conv3d_cases(), ids=lambda c: c.name)
def test_conv3d_matches_keras_ops_conv(case):
    x, w, stride = case.inputs["volume"], case.inputs["kernel"], case.inputs.get("stride", 1)
    oracle = keras.ops.convert_to_numpy(keras.ops.conv(x[None], w, strides=stride, padding="valid"))[0]
    np.testing.assert_allclose(sol.conv3d(x, w, stride), oracle, rtol=1e-10, atol=1e-10)


def test_conv3d_matches_conv3d_layer_and_brute_force():
    rng = np.random.default_rng(2)
    x, w = rng.standard_normal((4, 5, 6, 2)), rng.standard_normal((2, 3, 2, 2, 3))
    layer = keras.layers.Conv3D(3, (2, 3, 2), strides=(2, 1, 2), use_bias=False, dtype="float64")
    layer(x[None])
    layer.set_weights([w])
    y = sol.conv3d(x, w, (2, 1, 2))
    np.testing.assert_allclose(y, keras.ops.convert_to_numpy(layer(x[None]))[0], rtol=1e-10, atol=1e-12)
    brute = np.zeros(y.shape)
    for p, q, r, o in np.ndindex(*y.shape):
        brute[p, q, r, o] = sum(x[2 * p + a, q + b, 2 * r + c, i] * w[a, b, c, i, o]
                                for a, b, c, i in np.ndindex(2, 3, 2, 2))
    np.testing.assert_allclose(y, brute, rtol=1e-12, atol=1e-12)


def test_conv3d_is_cross_correlation_and_raises():
    """A kernel with a single 1 at (0, 0, 0) picks the window's first voxel (no flip), and a
    kernel that does not fit, or another channel count, raises ValueError."""
    x = np.random.default_rng(3).standard_normal((4, 4, 4, 1))
    w = np.zeros((2, 2, 2, 1, 1))
    w[0, 0, 0] = 1
    np.testing.assert_array_equal(sol.conv3d(x, w), x[:3, :3, :3])
    # (9.1)'s true convolution sum_m g[m] f[i - m] is the cross-correlation with the flipped kernel
    g = np.random.default_rng(4).standard_normal((2, 3, 2, 1, 1))
    true_conv = np.zeros((3, 2, 3))
    for p, q, r in np.ndindex(3, 2, 3):  # output (p, q, r) <-> the window ending at (p + 1, q + 2, r + 1)
        true_conv[p, q, r] = sum(g[a, b, c, 0, 0] * x[p + 1 - a, q + 2 - b, r + 1 - c, 0]
                                 for a, b, c in np.ndindex(2, 3, 2))
    np.testing.assert_allclose(sol.conv3d(x, g[::-1, ::-1, ::-1])[..., 0], true_conv, atol=1e-12)
    assert not np.allclose(sol.conv3d(x, g)[..., 0], true_conv)
    with pytest.raises(ValueError):
        sol.conv3d(x, np.zeros((5, 1, 1, 1, 1)))
    with pytest.raises(ValueError):
        sol.conv3d(x, np.zeros((2, 2, 2, 3, 1)))


# --- MultiViewCNN --------------------------------------------------------------------------------

def _views(seed, shape):
    return np.random.default_rng(seed).standard_normal(shape).astype("float32")


def test_multiview_equals_max_of_the_view_network_and_is_exactly_order_invariant():
    import itertools
    views = _views(0, (3, 4, 7, 7, 2))
    net = spec.view_network("vector", (7, 7, 2), seed=1)
    layer = sol.MultiViewCNN(net)
    out = keras.ops.convert_to_numpy(layer(views))
    per_view = keras.ops.convert_to_numpy(net(views.reshape(12, 7, 7, 2))).reshape(3, 4, 5)
    np.testing.assert_array_equal(out, per_view.max(axis=1))
    for perm in itertools.permutations(range(4)):  # bit for bit on the CPU
        np.testing.assert_array_equal(keras.ops.convert_to_numpy(layer(views[:, list(perm)])), out)
    one = _views(2, (2, 1, 7, 7, 2))
    np.testing.assert_array_equal(keras.ops.convert_to_numpy(layer(one)),
                                  keras.ops.convert_to_numpy(net(one[:, 0])))
    maps = spec.view_network("feature_map", (7, 7, 2), seed=3)
    assert tuple(keras.ops.convert_to_numpy(sol.MultiViewCNN(maps)(views)).shape) == (3, 5, 5, 3)


def test_multiview_in_a_functional_model_trains_the_shared_network():
    net = spec.view_network("vector", (6, 6, 1), seed=4)
    inputs = keras.Input((3, 6, 6, 1))
    layer = sol.MultiViewCNN(net)
    model = keras.Model(inputs, keras.layers.Dense(2)(layer(inputs)))
    assert len(layer.trainable_weights) == len(net.trainable_weights)  # no weights of its own
    before = [np.array(w) for w in net.get_weights()]
    model.compile(optimizer="sgd", loss="mse")
    model.fit(_views(5, (8, 3, 6, 6, 1)), np.ones((8, 2)), epochs=1, batch_size=4, verbose=0)
    assert any(not np.allclose(b, a) for b, a in zip(before, net.get_weights()))


def _case(name):
    return next(c for c in all_cases("MultiViewCNN") if c.name == name).inputs


def test_multiview_check_rejects_a_loop_over_views_and_mean_pooling():
    """A loop over the views gives the right values but calls the view network once per view;
    mean pooling is invariant too but has other values: both fail, the answer key passes."""
    ops = keras.ops

    class Loop(sol.MultiViewCNN):
        def call(self, views):
            return ops.max(ops.stack([self.view_network(views[:, v]) for v in range(views.shape[1])], 1), 1)

    class Mean(sol.MultiViewCNN):
        def call(self, views):
            flat = self.view_network(ops.reshape(views, (-1,) + tuple(views.shape[2:])))
            return ops.mean(ops.reshape(flat, (-1, views.shape[1]) + tuple(flat.shape[1:])), axis=1)
    inputs = _case("permuted_views_same_output")
    expected = spec.probe_multiview(sol, inputs)
    assert expected["view_batches"] == [12]
    assert spec.check_multiview(spec.probe_multiview(sol, inputs), expected, inputs).passed
    loop = spec.check_multiview(spec.probe_multiview(types.SimpleNamespace(MultiViewCNN=Loop), inputs),
                                expected, inputs)
    assert not loop.passed and "4 time(s)" in loop.message
    mean = spec.check_multiview(spec.probe_multiview(types.SimpleNamespace(MultiViewCNN=Mean), inputs),
                                expected, inputs)
    assert not mean.passed


# --- MoNet ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("case", all_cases("monet_weights"), ids=lambda c: c.name)
def test_monet_weights_against_scipy_gaussian_density(case):
    from scipy.stats import multivariate_normal
    U, mu, sigma = case.inputs["U"], case.inputs["mu"], case.inputs["sigma"]
    p = len(mu)
    density = multivariate_normal(mu, sigma).pdf(U.reshape(-1, p)).reshape(U.shape[:-1])
    scale = (2 * np.pi) ** (p / 2) * np.sqrt(np.linalg.det(sigma))
    np.testing.assert_allclose(sol.monet_weights(U, mu, sigma), density * scale, rtol=1e-10)


def test_erratum_9_38_drops_the_half():
    """The notes' exp(-(u - mu)^T Sigma^-1 (u - mu)) is the weight of covariance Sigma / 2, not Sigma."""
    inputs = hidden.CASES["monet_weights"][0].inputs
    U, mu, sigma = inputs["U"], inputs["mu"], inputs["sigma"]
    D = U - mu
    notes = np.exp(-np.einsum("ijp,pq,ijq->ij", D, np.linalg.inv(sigma), D))
    np.testing.assert_allclose(sol.monet_weights(U, mu, sigma / 2), notes, rtol=1e-12)
    assert not np.allclose(sol.monet_weights(U, mu, sigma), notes)
    assert sol.monet_weights(mu[None], mu, sigma)[0] == 1.0


@pytest.mark.parametrize("case", all_cases("monet_conv"), ids=lambda c: c.name)
def test_monet_conv_by_brute_force_indexed_by_nodes(case):
    """Erratum (9.41): one output per node (n != d in every case), a sum over the neighbours."""
    f, A, U, mu, sigma, g = (case.inputs[k] for k in ("f", "A", "U", "mu", "sigma", "g"))
    n, d = f.shape
    assert n != d
    y = np.zeros(n)
    for i in range(n):
        for j in range(n):
            for k in range(len(g)):
                if A[i, j]:
                    u = U[i, j] - mu[k]
                    y[i] += np.exp(-0.5 * u @ np.linalg.solve(sigma[k], u)) * (f[j] @ g[k])
    out = sol.monet_conv(f, A, U, mu, sigma, g)
    assert out.shape == (n,)
    np.testing.assert_allclose(out, y, rtol=1e-10, atol=1e-12)


def test_monet_conv_isolated_node_self_loops_permutation_and_flat_gaussian():
    inputs = dict(hidden.CASES["monet_conv"][1].inputs)  # node 0 isolated, self loops on 1 and 3
    y = sol.monet_conv(**inputs)
    assert y[0] == 0
    no_loops = dict(inputs, A=inputs["A"] * (1 - np.eye(6)))
    changed = np.nonzero(~np.isclose(sol.monet_conv(**no_loops), y))[0]
    assert set(changed) == {1, 3}
    perm = np.random.default_rng(6).permutation(6)
    permuted = dict(inputs, f=inputs["f"][perm], A=inputs["A"][np.ix_(perm, perm)],
                    U=inputs["U"][np.ix_(perm, perm)])
    np.testing.assert_allclose(sol.monet_conv(**permuted), y[perm], rtol=1e-12, atol=1e-14)
    flat = dict(inputs, mu=np.zeros((1, 2)), sigma=1e12 * np.eye(2)[None], g=inputs["g"][:1])
    np.testing.assert_allclose(sol.monet_conv(**flat), inputs["A"] @ inputs["f"] @ inputs["g"][0], atol=1e-9)


# --- Keras pieces under JAX ----------------------------------------------------------------------

# a few cases only: under JAX every new op shape compiles (a second or two per Keras case)
_JAX_CASES = {"MultiViewCNN": ("permuted_views_same_output", "feature_maps"), "GCNLayer": ("isolated_node",)}
_JAX_CODE = """
import keras
import numpy as np
from autograder import wire
from autograder.chapters import ch09_geometric as spec
from autograder.hidden import ch09_geometric as hidden
from course import ch09_geometric as course
from solutions import ch09_geometric as sol
out = {}
for name, probe in (("MultiViewCNN", spec.probe_multiview), ("GCNLayer", spec.probe_gcn)):
    for case in hidden.CASES[name]:
        if case.name in %r[name]:
            out[name + "/" + case.name] = probe(sol, case.inputs)
model = course.voxel_classifier(grid=8, seed=None)
rng = np.random.default_rng(0)
model.set_weights([0.3 * rng.standard_normal(w.shape).astype("float32") for w in model.weights])
grids = course.primitive_dataset(2, grid=8)[0]
out["voxel_classifier"] = np.asarray(keras.ops.convert_to_numpy(model(grids)))
out["voxel_classifier_params"] = model.count_params()
print(wire.encode(out))
""" % (_JAX_CASES,)


def test_keras_pieces_under_jax_match_tensorflow():
    """MultiViewCNN and GCNLayer (the answer key through the grading probes, judged by the grading
    checks against TensorFlow's outputs) and the course's Conv3D classifier (built under JAX, seeded
    weights) give the TensorFlow results under KERAS_BACKEND=jax."""
    pytest.importorskip("jax")
    from autograder import wire
    from course import ch09_geometric as course
    from helpers import run_under_backend
    got = wire.decode(run_under_backend("jax", _JAX_CODE).strip().splitlines()[-1])
    checks = {"MultiViewCNN": (spec.probe_multiview, spec.check_multiview),
              "GCNLayer": (spec.probe_gcn, next(e.check for e in spec.EXERCISES if e.name == "GCNLayer"))}
    for name, cases in _JAX_CASES.items():
        probe, check = checks[name]
        for case in (c for c in hidden.CASES[name] if c.name in cases):
            verdict = check(got[f"{name}/{case.name}"], probe(sol, case.inputs), case.inputs)
            assert verdict.passed, (case.name, verdict.message)
    model = course.voxel_classifier(grid=8, seed=None)
    rng = np.random.default_rng(0)
    model.set_weights([0.3 * rng.standard_normal(w.shape).astype("float32") for w in model.weights])
    expected = keras.ops.convert_to_numpy(model(course.primitive_dataset(2, grid=8)[0]))
    assert got["voxel_classifier_params"] == model.count_params() == 3747
    np.testing.assert_allclose(got["voxel_classifier"], expected, rtol=1e-5, atol=1e-6)
