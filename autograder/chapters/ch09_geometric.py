"""Grading spec of chapter 9 (geometric deep learning: Laplacians, spectral convolution, GCNs).

Eigenvectors are graded up to sign and basis: the probe of ``laplacian_eigenbasis`` returns the
eigenvalues, ``Phi^T Phi``, the residual ``L Phi - Phi diag(lam)`` and the projector ``Phi Phi^T``
(cases cut ``k`` at an eigengap), never ``Phi`` itself. The spectral exercises receive ``Phi`` as an
input, so their outputs are determined. ``GCNLayer`` is built in the worker, given a fixed seeded
kernel with ``set_weights`` and called on ``(H, A)``.

``MultiViewCNN`` wraps a small per-view network that the probe builds (``view_network``: a named
architecture with weights drawn from a seeded numpy generator, the same for student and answer
key), behind a pass-through layer that records the batch size of each call. The probe returns the
pooled output, the batch sizes of the calls made by one forward pass (one call on ``B * V`` views
is required, no loop over the views) and, where a case names a permutation, the output on the
permuted views, which must equal the output on the original ones (view-order invariance).
"""
import numpy as np

from ..compare import close, compare
from ..spec import Case, Exercise
from ..verdicts import fail, ok

KERAS_TIMEOUT = 60.0


def ring(n):
    W = np.zeros((n, n))
    for i in range(n):
        W[i, (i + 1) % n] = W[(i + 1) % n, i] = 1.0
    return W


def path(n):
    W = np.zeros((n, n))
    for i in range(n - 1):
        W[i, i + 1] = W[i + 1, i] = 1.0
    return W


def random_graph(seed, n=8, p=0.4, weighted=True):
    rng = np.random.default_rng(seed)
    mask = np.triu(rng.random((n, n)) < p, 1)
    W = np.where(mask, rng.uniform(0.5, 2.0, (n, n)) if weighted else 1.0, 0.0)
    return W + W.T


def basis(W):
    D = np.diag(W.sum(axis=1))
    return np.linalg.eigh(D - W)


def probe_eigenbasis(module, inputs):
    lam, Phi = module.laplacian_eigenbasis(**inputs)
    lam, Phi = np.asarray(lam, dtype=float), np.asarray(Phi, dtype=float)
    L = np.asarray(inputs["L"], dtype=float)
    return {"lam": lam, "PtP": Phi.T @ Phi, "residual": float(np.abs(L @ Phi - Phi * lam).max()),
            "projector": Phi @ Phi.T}


def check_eigenbasis(got, expected, inputs):
    for key, tol in (("lam", 1e-9), ("PtP", 1e-9), ("projector", 1e-8)):
        msg = compare(got[key], expected[key], rtol=tol, atol=tol, where=key)
        if msg:
            return fail(msg)
    if got["residual"] > 1e-8:
        return fail(f"L Phi != Phi diag(lam): max residual {got['residual']:.3g}")
    return ok()


def probe_gcn(module, inputs):
    import keras
    H = np.asarray(inputs["H"], dtype="float32")
    A = np.asarray(inputs["A"], dtype="float32")
    layer = module.GCNLayer(inputs["units"], activation=inputs["activation"])
    layer((H, A))
    layer.set_weights([np.asarray(inputs["kernel"], dtype="float32")])
    return np.asarray(keras.ops.convert_to_numpy(layer((H, A))), dtype=float)


def view_network(kind, image_shape, seed):
    """The per-view network of a ``MultiViewCNN`` case: ``"vector"`` (conv 3x3 relu, flatten, dense
    to 5 features) or ``"feature_map"`` (conv 3x3 tanh, 3 channels: a feature map per view), with
    weights ``0.5 * N(0, 1)`` from ``numpy.random.default_rng(seed)``."""
    import keras
    layers = {"vector": lambda: [keras.layers.Conv2D(4, 3, activation="relu"), keras.layers.Flatten(),
                                 keras.layers.Dense(5)],
              "feature_map": lambda: [keras.layers.Conv2D(3, 3, activation="tanh")]}[kind]()
    net = keras.Sequential([keras.Input(tuple(image_shape)), *layers])
    rng = np.random.default_rng(seed)
    net.set_weights([0.5 * rng.standard_normal(tuple(w.shape)).astype("float32") for w in net.weights])
    return net


def counting_layer(network):
    """A layer that applies ``network`` and records the batch size of every call in ``.batches``."""
    import keras

    class CountingViews(keras.layers.Layer):
        def __init__(self):
            super().__init__()
            self.network, self.batches = network, []

        def call(self, x, *args, **kwargs):
            self.batches.append(x.shape[0])
            return self.network(x)
    return CountingViews()


def probe_multiview(module, inputs):
    import keras
    views = np.asarray(inputs["views"], dtype="float32")
    counting = counting_layer(view_network(inputs["network"], views.shape[2:], inputs["weight_seed"]))
    layer = module.MultiViewCNN(counting)
    layer(views)  # the first call builds
    counting.batches.clear()
    out = {"pooled": np.asarray(keras.ops.convert_to_numpy(layer(views)), dtype=float),
           "view_batches": [int(-1 if b is None else b) for b in counting.batches]}
    if "permutation" in inputs:
        permuted = views[:, np.asarray(inputs["permutation"], dtype=int)]
        out["pooled_permuted"] = np.asarray(keras.ops.convert_to_numpy(layer(permuted)), dtype=float)
    return out


def check_multiview(got, expected, inputs):
    """The pooled output (float32: rtol 1e-5, atol 1e-6); the output on permuted views equal to it
    (1e-6: exact on the CPU, float32 kernels may differ in the last bits between the positions of
    a batch on a GPU); one call of the view network on all ``B * V`` views."""
    msg = compare(got["pooled"], expected["pooled"], rtol=1e-5, atol=1e-6, where="output")
    if msg:
        return fail(msg)
    if "pooled_permuted" in expected:
        msg = compare(got["pooled_permuted"], got["pooled"], rtol=1e-6, atol=1e-7,
                      where="output on permuted views vs output on the views")
        if msg:
            return fail(f"not invariant to the order of the views: {msg}")
    if got["view_batches"] != expected["view_batches"]:
        return fail(f"the view network was called {len(got['view_batches'])} time(s), on batches of "
                    f"{got['view_batches']} views; call it once, on all B * V = "
                    f"{expected['view_batches'][0]} views reshaped into one batch")
    return ok()


def check_occupancy(got, expected, inputs):
    """Exact 0/1 occupancy; booleans stand for 0 and 1."""
    if isinstance(got, np.ndarray) and got.dtype.kind == "b":
        got = got.astype(float)
    msg = compare(got, expected, rtol=0, atol=0, where="occupancy")
    return fail(msg) if msg else ok()


_CLOSE = close(rtol=1e-8, atol=1e-10)
CONV3D_APIS = ("keras.ops.conv", "keras.ops.depthwise_conv", "keras.ops.separable_conv",
               "tensorflow.nn.conv3d", "tensorflow.nn.convolution", "tensorflow.nn.conv",
               "scipy.signal.convolve", "scipy.signal.correlate", "scipy.signal.fftconvolve",
               "scipy.signal.oaconvolve", "scipy.ndimage.convolve", "scipy.ndimage.correlate",
               "course.ch09_geometric.conv3d")

EXERCISES = [
    Exercise("graph_laplacian", points=4, check=_CLOSE,
             forbidden=("scipy.sparse.csgraph.laplacian", "networkx.laplacian_matrix",
                        "networkx.normalized_laplacian_matrix", "course.ch09_geometric.graph_laplacian")),
    Exercise("laplacian_eigenbasis", points=3, probe=probe_eigenbasis, check=check_eigenbasis,
             forbidden=("course.ch09_geometric.laplacian_eigenbasis",)),
    Exercise("graph_fourier", points=1, check=_CLOSE),
    Exercise("inverse_graph_fourier", points=1, check=_CLOSE),
    Exercise("spectral_conv", points=5, check=_CLOSE,
             forbidden=("course.ch09_geometric.spectral_conv",)),
    Exercise("smooth_spectral_conv", points=3, check=_CLOSE,
             forbidden=("course.ch09_geometric.smooth_spectral_conv",)),
    Exercise("cheb_conv", points=5, check=close(rtol=1e-8, atol=1e-9),
             forbidden=("course.ch09_geometric.cheb_conv", "numpy.linalg.eigh", "numpy.linalg.eig",
                        "scipy.linalg.eigh")),
    Exercise("GCNLayer", points=5, probe=probe_gcn, check=close(rtol=1e-4, atol=1e-5),
             forbidden=("course.ch09_geometric.GCNLayer",)),
    Exercise("message_passing", points=6, check=_CLOSE,
             forbidden=("course.ch09_geometric.message_passing",)),
    Exercise("euler_characteristic", points=1, check=close(rtol=0, atol=0),
             forbidden=("course.ch09_geometric.euler_characteristic",)),
    Exercise("voxelize", points=3, check=check_occupancy,
             forbidden=("course.ch09_geometric.voxelize", "numpy.histogramdd",
                        "scipy.stats.binned_statistic_dd")),
    Exercise("conv3d", points=5, check=close(rtol=1e-9, atol=1e-10), forbidden=CONV3D_APIS),
    Exercise("MultiViewCNN", points=4, probe=probe_multiview, check=check_multiview,
             forbidden=("course.ch09_geometric.multiview_cnn_class",)),
    Exercise("monet_weights", points=2, check=close(rtol=1e-9, atol=1e-12),
             forbidden=("course.ch09_geometric.monet_weights",)),
    Exercise("monet_conv", points=2, check=close(rtol=1e-9, atol=1e-12),
             forbidden=("course.ch09_geometric.monet_conv", "course.ch09_geometric.monet_weights")),
]


def torus(n_major=6, n_minor=4):
    """A triangulated torus as plain data (vertices (V, 3), faces (F, 3))."""
    from course.ch09_geometric import torus_mesh
    return torus_mesh(n_major, n_minor, R=2.0, r=1.0)


TETRA = (np.array([[0, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1.0]]),
         np.array([[0, 1, 2], [0, 1, 3], [0, 2, 3], [1, 2, 3]]))


def normal(seed, *shape):
    return np.random.default_rng(seed).standard_normal(shape)


def _signal(seed, n, c=None):
    rng = np.random.default_rng(seed)
    return rng.standard_normal(n if c is None else (n, c))


def polar_coordinates(X):
    """``U (n, n, 2)``: ``U[i, j] = (rho, theta)`` of ``X[j] - X[i]`` (planar positions ``X (n, 2)``),
    the local polar system of node ``i`` (angle from the x axis): MoNet's pseudo-coordinates."""
    D = X[None, :, :] - X[:, None, :]
    return np.stack([np.hypot(D[..., 0], D[..., 1]), np.arctan2(D[..., 1], D[..., 0])], axis=-1)


def monet_inputs(seed, A, d, K, p=2):
    """Inputs of ``monet_conv``: positions of the nodes in the plane (``p = 2``: polar
    pseudo-coordinates) or on a line (``p = 1``: signed offsets), ``K`` Gaussians with random means
    and symmetric positive definite covariances, random features and filter."""
    rng = np.random.default_rng(seed)
    n = len(A)
    X = rng.standard_normal((n, 2))
    U = polar_coordinates(X) if p == 2 else (X[None, :, :1] - X[:, None, :1])
    M = rng.standard_normal((K, p, p))
    return {"f": rng.standard_normal((n, d)), "A": np.asarray(A, dtype=float), "U": U,
            "mu": rng.standard_normal((K, p)), "sigma": M @ M.transpose(0, 2, 1) + 0.5 * np.eye(p),
            "g": rng.standard_normal((K, d))}


_W8 = random_graph(0)
_lam8, _Phi8 = basis(_W8)
_R6 = ring(6)
_lamR, _PhiR = basis(_R6)

PUBLIC_CASES = {
    "graph_laplacian": [Case("random_weighted", {"W": _W8}),
                        Case("ring_normalized", {"W": _R6, "normalized": True})],
    "laplacian_eigenbasis": [Case("path_all", {"L": np.diag(path(5).sum(1)) - path(5)})],
    "graph_fourier": [Case("random", {"f": _signal(1, 8), "Phi": _Phi8})],
    "inverse_graph_fourier": [Case("random", {"fhat": _signal(2, 8), "Phi": _Phi8})],
    "spectral_conv": [Case("heat_kernel", {"f": _signal(3, 8), "Phi": _Phi8, "ghat": np.exp(-_lam8)})],
    "smooth_spectral_conv": [Case("gaussians", {
        "f": _signal(4, 8), "Phi": _Phi8,
        "B": np.exp(-(_lam8[:, None] - np.linspace(0, _lam8[-1], 3)[None, :]) ** 2),
        "alpha": np.array([1.0, -0.5, 0.25])})],
    "cheb_conv": [Case("order3", {"f": _signal(5, 8), "L": np.diag(_W8.sum(1)) - _W8,
                                  "theta": np.array([0.5, -1.0, 0.3]), "lam_max": float(_lam8[-1])})],
    "GCNLayer": [Case("ring_linear", {"H": _signal(6, 6, 3), "A": _R6, "units": 2, "activation": None,
                                      "kernel": _signal(7, 3, 2)}, timeout=KERAS_TIMEOUT)],
    "message_passing": [Case("sum", {"H": _signal(8, 8, 3), "A": _W8, "W_self": _signal(9, 3, 2),
                                     "W_neigh": _signal(10, 3, 2), "aggregate": "sum"})],
    "euler_characteristic": [Case("tetrahedron", {"vertices": TETRA[0], "faces": TETRA[1]})],
    "voxelize": [Case("cloud_in_cube", {"points": np.random.default_rng(50).uniform(-1, 1, (30, 3)),
                                        "n": 4, "lo": -1.0, "hi": 1.0})],
    "conv3d": [Case("valid_2x2x2", {"volume": normal(51, 4, 4, 4, 1), "kernel": normal(52, 2, 2, 2, 1, 2)})],
    "MultiViewCNN": [Case("vector_features", {"views": normal(53, 2, 3, 6, 6, 1), "network": "vector",
                                              "weight_seed": 54}, timeout=KERAS_TIMEOUT)],
    "monet_weights": [Case("polar_isotropic", {"U": polar_coordinates(normal(55, 4, 2)),
                                               "mu": np.array([0.5, 0.0]), "sigma": 0.5 * np.eye(2)})],
    "monet_conv": [Case("ring_two_gaussians", monet_inputs(56, ring(5), d=2, K=2))],
}
