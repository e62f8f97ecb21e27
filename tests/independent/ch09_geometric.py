"""An independent, correct chapter-9 submission written differently from solutions/ (tests only):
the Laplacian from the edge incidence matrix (L = B diag(w) B^T), normalization by D^-1/2 L D^-1/2,
eigenpairs by scipy.linalg.eigh with a subset, spectral filters with einsum, Chebyshev polynomials
as explicit matrices, a GCN layer that normalizes with a diagonal matrix, and message passing by a
loop over the nodes; voxels by searchsorted on the cell edges and linear indices (boolean output),
3-D convolution on a sliding-window view with tensordot, view pooling with a dynamic batch size and
the view axis moved last, MoNet weights by a Cholesky factor and MoNet patches by loops."""
import keras
import numpy as np
import scipy.linalg


def graph_laplacian(W, normalized=False):
    W = np.array(W, dtype=float)
    n = W.shape[0]
    ii, jj = np.nonzero(np.triu(W, 1))
    Bm = np.zeros((n, len(ii)))
    Bm[ii, np.arange(len(ii))] = 1.0
    Bm[jj, np.arange(len(ii))] = -1.0
    L = (Bm * W[ii, jj]) @ Bm.T
    if normalized:
        d = np.diag(L).copy()
        s = np.array([1.0 / np.sqrt(x) if x > 0 else 0.0 for x in d])
        L = np.diag(s) @ L @ np.diag(s)
    return L


def laplacian_eigenbasis(L, k=None):
    L = np.array(L, dtype=float)
    n = L.shape[0]
    if k is None:
        return scipy.linalg.eigh(L)
    return scipy.linalg.eigh(L, subset_by_index=[0, k - 1])


def graph_fourier(f, Phi):
    f = np.array(f, dtype=float)
    return np.einsum("nk,n...->k...", np.array(Phi, dtype=float), f)


def inverse_graph_fourier(fhat, Phi):
    return np.einsum("nk,k...->n...", np.array(Phi, dtype=float), np.array(fhat, dtype=float))


def spectral_conv(f, Phi, ghat):
    Phi = np.array(Phi, dtype=float)
    G = Phi @ np.diag(np.array(ghat, dtype=float)) @ Phi.T
    return G @ np.array(f, dtype=float)


def smooth_spectral_conv(f, Phi, B, alpha):
    tau = np.einsum("kr,r->k", np.array(B, dtype=float), np.array(alpha, dtype=float))
    return spectral_conv(f, Phi, tau)


def cheb_conv(f, L, theta, lam_max):
    L = np.array(L, dtype=float)
    n = L.shape[0]
    Lt = (2.0 / lam_max) * L - np.eye(n)
    Ts = [np.eye(n), Lt]
    while len(Ts) < len(theta):
        Ts.append(2.0 * Lt @ Ts[-1] - Ts[-2])
    G = sum(t * T for t, T in zip(theta, Ts))
    return G @ np.array(f, dtype=float)


class GCNLayer(keras.layers.Layer):
    def __init__(self, units, activation=None, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.act = keras.activations.get(activation)

    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[0][-1], self.units), name="w")

    def call(self, inputs):
        H, A = inputs
        n = keras.ops.shape(A)[0]
        At = keras.ops.cast(A, "float32") + keras.ops.eye(n)
        Dm = keras.ops.diag(keras.ops.power(keras.ops.sum(At, axis=0), -0.5))
        return self.act(Dm @ At @ Dm @ keras.ops.cast(H, "float32") @ self.w)


def message_passing(H, A, W_self, W_neigh, aggregate="sum"):
    if aggregate not in ("sum", "mean", "max"):
        raise ValueError(aggregate)
    H = np.array(H, dtype=float)
    A = np.array(A, dtype=float)
    out = []
    for i in range(len(H)):
        nb = [j for j in range(len(H)) if A[i, j] != 0]
        msgs = [A[i, j] * (H[j] @ W_neigh) for j in nb]
        if not nb:
            agg = np.zeros(np.shape(W_neigh)[1])
        elif aggregate == "sum":
            agg = np.sum(msgs, axis=0)
        elif aggregate == "mean":
            agg = np.sum(msgs, axis=0) / A[i, nb].sum()
        else:
            agg = np.max([H[j] @ W_neigh for j in nb], axis=0)
        out.append(H[i] @ W_self + agg)
    return np.array(out)


def euler_characteristic(vertices, faces):
    F = np.asarray(faces).reshape(-1, 3)
    E = np.unique(np.sort(np.concatenate([F[:, [0, 1]], F[:, [1, 2]], F[:, [0, 2]]]), axis=1), axis=0)
    return len(vertices) - len(E) + len(F)


def voxelize(points, n, lo, hi):
    P = np.array(points, dtype=float).reshape(-1, 3)
    lo = np.ones(3) * lo
    hi = np.ones(3) * hi
    keep = ~np.any((P < lo) | (P > hi), axis=1)
    P = P[keep]
    cells = []
    for axis in range(3):
        edges = lo[axis] + (hi[axis] - lo[axis]) * np.arange(n + 1) / n
        cells.append(np.clip(np.searchsorted(edges, P[:, axis], side="right") - 1, 0, n - 1))
    occupied = np.zeros(n ** 3, dtype=bool)
    occupied[np.unique(np.ravel_multi_index(cells, (n, n, n)))] = True
    return occupied.reshape(n, n, n)


def conv3d(volume, kernel, stride=1):
    x = np.array(volume, dtype=float)
    w = np.array(kernel, dtype=float)
    sd, sh, sw = np.broadcast_to(np.asarray(stride, dtype=int), (3,))
    if w.shape[3] != x.shape[3]:
        raise ValueError("channel mismatch")
    windows = np.lib.stride_tricks.sliding_window_view(x, w.shape[:3], axis=(0, 1, 2))
    windows = windows[::sd, ::sh, ::sw]  # (D', H', W', C_in, kd, kh, kw)
    return np.tensordot(windows, w, axes=([4, 5, 6, 3], [0, 1, 2, 3]))


class MultiViewCNN(keras.layers.Layer):
    def __init__(self, view_network, **kwargs):
        super().__init__(**kwargs)
        self.net = view_network

    def call(self, views):
        shape = keras.ops.shape(views)
        b, v = shape[0], shape[1]
        feats = self.net(keras.ops.reshape(views, (b * v, *shape[2:])))
        feats = keras.ops.reshape(feats, (b, v, *keras.ops.shape(feats)[1:]))
        return keras.ops.max(keras.ops.moveaxis(feats, 1, -1), axis=-1)


def monet_weights(U, mu, sigma):
    U = np.array(U, dtype=float)
    C = np.linalg.cholesky(np.array(sigma, dtype=float))
    z = scipy.linalg.solve_triangular(C, (U - mu).reshape(-1, U.shape[-1]).T, lower=True)
    return np.exp(-0.5 * (z ** 2).sum(axis=0)).reshape(U.shape[:-1])


def monet_conv(f, A, U, mu, sigma, g):
    f, U, g = np.array(f, dtype=float), np.array(U, dtype=float), np.array(g, dtype=float)
    n = len(f)
    y = np.zeros(n)
    for i in range(n):
        for j in range(n):
            if A[i][j] != 0:
                for k in range(len(g)):
                    y[i] += monet_weights(U[i, j], mu[k], sigma[k]) * (f[j] @ g[k])
    return y
