"""Grading spec of chapter 9 (geometric deep learning: Laplacians, spectral convolution, GCNs).

Eigenvectors are graded up to sign and basis: the probe of ``laplacian_eigenbasis`` returns the
eigenvalues, ``Phi^T Phi``, the residual ``L Phi - Phi diag(lam)`` and the projector ``Phi Phi^T``
(cases cut ``k`` at an eigengap), never ``Phi`` itself. The spectral exercises receive ``Phi`` as an
input, so their outputs are determined. ``GCNLayer`` is built in the worker, given a fixed seeded
kernel with ``set_weights`` and called on ``(H, A)``.
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


_CLOSE = close(rtol=1e-8, atol=1e-10)

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
]


def torus(n_major=6, n_minor=4):
    """A triangulated torus as plain data (vertices (V, 3), faces (F, 3))."""
    from course.ch09_geometric import torus_mesh
    return torus_mesh(n_major, n_minor, R=2.0, r=1.0)


TETRA = (np.array([[0, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1.0]]),
         np.array([[0, 1, 2], [0, 1, 3], [0, 2, 3], [1, 2, 3]]))


def _signal(seed, n, c=None):
    rng = np.random.default_rng(seed)
    return rng.standard_normal(n if c is None else (n, c))


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
}
