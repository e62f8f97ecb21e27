"""Chapter 9 - Geometric deep learning: a concise reference.

Graphs and meshes as data (ring, path, grid, stochastic block model, Zachary's karate club, torus and
icosphere meshes with their Euler characteristic), graph Laplacians (combinatorial ``L = D - W`` and
normalized ``I - D^-1/2 W D^-1/2``, isolated nodes as zero rows), the Laplacian eigenbasis and the
graph Fourier transform ``fhat = Phi^T f``, spectral convolution ``Phi diag(tau(lambda)) Phi^T f``
(the corrected (9.24)), smooth spectral filters from Gaussian kernels (9.34)-(9.37), Chebyshev
filters (an EXTENSION, not in the notes), a GCN layer written with ``keras.ops`` only (runs under
every Keras 3 backend), message passing with sum/mean/max aggregation (9.42), and a small node
classification on the karate club trained with ``model.fit``.

The extrinsic approaches of section 9.2: seeded solid 3-D primitives (sphere, box, cylinder with a
random size, rotation and offset) as point clouds, a voxelizer, 3-D cross-correlation through
``keras.ops.conv`` and a small ``Conv3D`` classifier that tells the voxelized primitives apart
(3D ShapeNets-style, on the interior of the shape); orthographic depth views of the same primitives
and a multi-view CNN whose view pooling (element-wise max over the views of one shared per-view
network) makes it invariant to the order of the views. MoNet's Gaussian patch weights (9.38), with
the ``1/2`` of a Gaussian of covariance ``Sigma`` that the notes drop, and its spatial convolution.

Why spectral convolution is domain dependent and non-local: the coefficients ``ghat`` multiply the
eigenvectors of ONE graph's Laplacian; on another graph the same ``ghat`` is another operator. A
general ``tau(lambda)`` gives a dense ``G = Phi diag(tau) Phi^T`` (the filter at node ``i`` is
``G e_i``, non-local); a polynomial of degree ``p`` gives ``p(L)``, which is ``p``-hop local. On a
ring (a circulant graph) every ``tau(lambda)`` filter commutes with the cyclic shift and equals a
circular convolution (computed here by FFT as a cross-check).

Keras and matplotlib are imported lazily: importing this module stays light.
"""
import math

import numpy as np

# --- graphs ------------------------------------------------------------------------------------

# Zachary's karate club (networkx numbering), 78 undirected edges
KARATE_EDGES = (
    [(0, j) for j in (1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 17, 19, 21, 31)]
    + [(1, j) for j in (2, 3, 7, 13, 17, 19, 21, 30)]
    + [(2, j) for j in (3, 7, 8, 9, 13, 27, 28, 32)]
    + [(3, 7), (3, 12), (3, 13), (4, 6), (4, 10), (5, 6), (5, 10), (5, 16), (6, 16),
       (8, 30), (8, 32), (8, 33), (9, 33), (13, 33), (14, 32), (14, 33), (15, 32), (15, 33),
       (18, 32), (18, 33), (19, 33), (20, 32), (20, 33), (22, 32), (22, 33),
       (23, 25), (23, 27), (23, 29), (23, 32), (23, 33), (24, 25), (24, 27), (24, 31), (25, 31),
       (26, 29), (26, 33), (27, 33), (28, 31), (28, 33), (29, 32), (29, 33), (30, 32), (30, 33),
       (31, 32), (31, 33), (32, 33)])
# 0 = Mr. Hi's club, 1 = the officer's club
KARATE_CLUB = np.array([0 if i in (0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 16, 17, 19, 21) else 1
                        for i in range(34)])


def from_edges(n, edges, weights=None):
    W = np.zeros((n, n))
    for k, (i, j) in enumerate(edges):
        W[i, j] = W[j, i] = 1.0 if weights is None else weights[k]
    return W


def karate_club():
    """``(W, labels)``: the 34-node karate club adjacency and the club of each member."""
    return from_edges(34, KARATE_EDGES), KARATE_CLUB.copy()


def ring_graph(n):
    return from_edges(n, [(i, (i + 1) % n) for i in range(n)])


def path_graph(n):
    return from_edges(n, [(i, i + 1) for i in range(n - 1)])


def grid_graph(rows, cols):
    idx = np.arange(rows * cols).reshape(rows, cols)
    edges = [(idx[r, c], idx[r, c + 1]) for r in range(rows) for c in range(cols - 1)]
    edges += [(idx[r, c], idx[r + 1, c]) for r in range(rows - 1) for c in range(cols)]
    return from_edges(rows * cols, edges)


def stochastic_block_model(sizes, p_in, p_out, seed=0):
    """``(W, labels)`` of a seeded stochastic block model."""
    rng = np.random.default_rng(seed)
    labels = np.repeat(np.arange(len(sizes)), sizes)
    P = np.where(labels[:, None] == labels[None, :], p_in, p_out)
    upper = np.triu(rng.random(P.shape) < P, 1)
    return (upper | upper.T).astype(float), labels


# --- meshes ------------------------------------------------------------------------------------

def torus_mesh(n_major=12, n_minor=8, R=2.0, r=0.7):
    """``(vertices (V, 3), faces (F, 3))`` of a triangulated parametric torus."""
    u = 2 * np.pi * np.arange(n_major) / n_major
    v = 2 * np.pi * np.arange(n_minor) / n_minor
    U, V = np.meshgrid(u, v, indexing="ij")
    verts = np.stack([(R + r * np.cos(V)) * np.cos(U), (R + r * np.cos(V)) * np.sin(U), r * np.sin(V)],
                     -1).reshape(-1, 3)
    faces = []
    for i in range(n_major):
        for j in range(n_minor):
            a, b = i * n_minor + j, ((i + 1) % n_major) * n_minor + j
            c, d = ((i + 1) % n_major) * n_minor + (j + 1) % n_minor, i * n_minor + (j + 1) % n_minor
            faces += [(a, b, c), (a, c, d)]
    return verts, np.array(faces)


def icosphere(subdivisions=1):
    """``(vertices, faces)`` of an icosahedron subdivided ``subdivisions`` times, on the unit sphere."""
    t = (1 + math.sqrt(5)) / 2
    verts = [(-1, t, 0), (1, t, 0), (-1, -t, 0), (1, -t, 0), (0, -1, t), (0, 1, t), (0, -1, -t),
             (0, 1, -t), (t, 0, -1), (t, 0, 1), (-t, 0, -1), (-t, 0, 1)]
    faces = [(0, 11, 5), (0, 5, 1), (0, 1, 7), (0, 7, 10), (0, 10, 11), (1, 5, 9), (5, 11, 4),
             (11, 10, 2), (10, 7, 6), (7, 1, 8), (3, 9, 4), (3, 4, 2), (3, 2, 6), (3, 6, 8), (3, 8, 9),
             (4, 9, 5), (2, 4, 11), (6, 2, 10), (8, 6, 7), (9, 8, 1)]
    verts = [np.array(v, float) / np.linalg.norm(v) for v in verts]
    for _ in range(subdivisions):
        cache, new_faces = {}, []

        def mid(a, b):
            key = (min(a, b), max(a, b))
            if key not in cache:
                m = verts[a] + verts[b]
                verts.append(m / np.linalg.norm(m))
                cache[key] = len(verts) - 1
            return cache[key]
        for a, b, c in faces:
            ab, bc, ca = mid(a, b), mid(b, c), mid(c, a)
            new_faces += [(a, ab, ca), (b, bc, ab), (c, ca, bc), (ab, bc, ca)]
        faces = new_faces
    return np.array(verts), np.array(faces)


def mesh_edges(faces):
    return sorted({(min(a, b), max(a, b)) for f in faces for a, b in ((f[0], f[1]), (f[1], f[2]), (f[2], f[0]))})


def euler_characteristic(vertices, faces):
    """``V - E + F``: 0 for a torus, 2 for a sphere."""
    return len(vertices) - len(mesh_edges(faces)) + len(faces)


def mesh_adjacency(vertices, faces):
    return from_edges(len(vertices), mesh_edges(faces))


# --- Laplacians and spectral filters -------------------------------------------------------------

def laplacian(W, normalized=False):
    W = np.asarray(W, dtype=float)
    d = W.sum(1)
    if not normalized:
        return np.diag(d) - W
    s = np.where(d > 0, 1 / np.sqrt(np.where(d > 0, d, 1)), 0.0)
    return np.diag((d > 0).astype(float)) - s[:, None] * W * s[None, :]


def eigenbasis(L, k=None):
    lam, Phi = np.linalg.eigh(L)
    return (lam, Phi) if k is None else (lam[:k], Phi[:, :k])


def gft(f, Phi):
    return Phi.T @ f


def igft(fhat, Phi):
    return Phi @ fhat


def spectral_filter(f, Phi, ghat):
    """``Phi diag(ghat) Phi^T f`` (corrected (9.24))."""
    return Phi @ (np.asarray(ghat)[:, None] * (Phi.T @ f).reshape(len(ghat), -1)).reshape(np.shape(Phi.T @ f))


def ring_filter_fft(f, tau):
    """The same filter on a ring, as a circular convolution computed by FFT."""
    n = len(f)
    return np.real(np.fft.ifft(np.fft.fft(f) * tau(2 - 2 * np.cos(2 * np.pi * np.arange(n) / n))))


def gaussian_kernels(lam, r=10, lam_max=None, width=None):
    """``B (k, r)``: ``r`` Gaussian kernels evenly spaced on ``[0, lam_max]``, at the eigenvalues."""
    lam_max = float(np.max(lam)) if lam_max is None else lam_max
    centres = np.linspace(0, lam_max, r)
    width = (lam_max / (r - 1)) if width is None else width
    return np.exp(-((np.asarray(lam)[:, None] - centres[None]) / width) ** 2 / 2)


def chebyshev_filter(f, L, theta, lam_max):
    """EXTENSION: ``sum_k theta_k T_k(2 L / lam_max - I) f`` by the three-term recurrence."""
    Lt = 2 * L / lam_max - np.eye(len(L))
    prev, cur = f, Lt @ f
    y = theta[0] * prev + (theta[1] * cur if len(theta) > 1 else 0)
    for t in theta[2:]:
        prev, cur = cur, 2 * Lt @ cur - prev
        y = y + t * cur
    return y


def gcn_normalized_adjacency(A):
    At = np.asarray(A, float) + np.eye(len(A))
    d = At.sum(1)
    return At / np.sqrt(np.outer(d, d))


def message_passing(H, A, W_self, W_neigh, aggregate="sum"):
    """(9.42) with a permutation-invariant aggregate over neighbours (messages ``H_j W_neigh``)."""
    M = H @ W_neigh
    nb = [np.nonzero(A[i])[0] for i in range(len(A))]
    if aggregate == "sum":
        agg = A @ M
    elif aggregate == "mean":
        deg = A.sum(1)
        agg = np.where(deg[:, None] != 0, A @ M / np.where(deg == 0, 1, deg)[:, None], 0.0)
    elif aggregate == "max":
        agg = np.array([M[j].max(0) if len(j) else np.zeros(M.shape[1]) for j in nb])
    else:
        raise ValueError(aggregate)
    return H @ W_self + agg


# --- MoNet-style spatial convolution (9.38)-(9.41) -------------------------------------------------

def monet_weights(U, mu, sigma):
    """Gaussian patch weights (9.38) at pseudo-coordinates ``U`` ``(..., p)`` (e.g. ``(n, n, p)``,
    ``U[i, j]`` the coordinates of node ``j`` in the local system of node ``i``):
    ``w(u) = exp(-1/2 (u - mu)^T Sigma^-1 (u - mu))`` with ``Sigma`` the covariance ``(p, p)``.
    Erratum (9.38): the notes drop the ``1/2``; their weight is the Gaussian of covariance ``Sigma / 2``."""
    D = np.asarray(U, float) - np.asarray(mu, float)
    return np.exp(-0.5 * np.einsum("...p,pq,...q->...", D, np.linalg.inv(np.asarray(sigma, float)), D))


def monet_conv(f, A, U, mus, sigmas, g):
    """Spatial convolution: patches ``P_k(i) = sum_j a_ij w_k(u_ij) f_j`` (``f`` ``(n, d)``, ``K``
    Gaussians of means ``mus`` and covariances ``sigmas``; a weighted sum, not an average) and
    ``y_i = sum_k g_k . P_k(i)`` with the filter ``g`` ``(K, d)``. Erratum (9.41): the output is
    indexed by the NODES ``i = 1..n`` (a signal on the graph), not by ``i = 1..d``."""
    f = np.asarray(f, float)
    patches = np.stack([(np.asarray(A, float) * monet_weights(U, m, s)) @ f for m, s in zip(mus, sigmas)])
    return np.einsum("kid,kd->i", patches, np.asarray(g, float))


# --- voxels, 3-D convolution, multi-view CNNs (section 9.2) ----------------------------------------

PRIMITIVES = ("sphere", "box", "cylinder")


def random_rotation(rng):
    """A uniformly random rotation matrix ``(3, 3)`` (QR of a Gaussian matrix, signs fixed, det +1)."""
    Q, R = np.linalg.qr(rng.standard_normal((3, 3)))
    Q = Q * np.sign(np.diag(R))
    if np.linalg.det(Q) < 0:
        Q[:, 0] = -Q[:, 0]
    return Q


def sample_primitive(kind, n_points=2000, rng=None):
    """``(n_points, 3)`` points uniform in a solid primitive with a random size and pose.

    ``kind``: ``"sphere"`` (radius in [0.45, 0.75]), ``"box"`` (half sides in [0.3, 0.45]) or
    ``"cylinder"`` (radius in [0.2, 0.32], half height in [0.55, 0.7]: elongated, so that it is not
    a box of another aspect); then a uniformly random rotation and an offset in [-0.1, 0.1]^3. Every
    point lies inside the ball of radius 0.95, so inside ``[-1, 1]^3`` whatever the rotation.
    ``rng``: a ``numpy.random.Generator`` or a seed.
    """
    rng = np.random.default_rng(rng)
    if kind == "sphere":
        d = rng.standard_normal((n_points, 3))
        d /= np.linalg.norm(d, axis=1, keepdims=True)
        P = d * rng.uniform(0.45, 0.75) * np.cbrt(rng.random((n_points, 1)))
    elif kind == "box":
        P = rng.uniform(-1, 1, (n_points, 3)) * rng.uniform(0.3, 0.45, 3)
    elif kind == "cylinder":
        r, h = rng.uniform(0.2, 0.32), rng.uniform(0.55, 0.7)
        t, s = 2 * np.pi * rng.random(n_points), r * np.sqrt(rng.random(n_points))
        P = np.stack([s * np.cos(t), s * np.sin(t), h * rng.uniform(-1, 1, n_points)], axis=1)
    else:
        raise ValueError(f"unknown primitive {kind!r}; one of {PRIMITIVES}")
    return P @ random_rotation(rng).T + rng.uniform(-0.1, 0.1, 3)


def voxelize(points, n, lo=-1.0, hi=1.0):
    """Occupancy ``(n, n, n)`` (float32, 0/1; axes x, y, z) of the cells of ``[lo, hi]^3`` that hold a
    point: cells half-open, except the last one, which holds the points exactly on ``hi``; points
    outside the box ignored. ``lo``, ``hi``: scalars or one bound per axis."""
    P = np.asarray(points, float).reshape(-1, 3)
    lo, hi = np.broadcast_to(np.asarray(lo, float), (3,)), np.broadcast_to(np.asarray(hi, float), (3,))
    P = P[np.all((P >= lo) & (P <= hi), axis=1)]
    idx = np.minimum(np.floor((P - lo) / ((hi - lo) / n)).astype(int), n - 1)
    volume = np.zeros((n, n, n), np.float32)
    volume[tuple(idx.T)] = 1.0
    return volume


def primitive_dataset(n_per_class=100, grid=12, n_points=2000, seed=0):
    """``(X, y)``: ``n_per_class`` voxelized primitives of each kind of ``PRIMITIVES`` (label = index),
    shuffled; ``X`` float32 ``(N, grid, grid, grid, 1)`` (channels last, for ``Conv3D``)."""
    rng = np.random.default_rng(seed)
    labels = np.repeat(np.arange(len(PRIMITIVES)), n_per_class)
    X = np.stack([voxelize(sample_primitive(PRIMITIVES[c], n_points, rng), grid) for c in labels])
    perm = rng.permutation(len(labels))
    return X[perm, ..., None], labels[perm]


def conv3d(volume, kernel, stride=1):
    """"Valid" 3-D cross-correlation of ``volume`` ``(D, H, W, C_in)`` with ``kernel``
    ``(kd, kh, kw, C_in, C_out)`` (Keras layout), through ``keras.ops.conv``; returns numpy
    ``(D', H', W', C_out)``."""
    import keras
    x = keras.ops.convert_to_tensor(np.asarray(volume, "float64")[None])
    out = keras.ops.conv(x, keras.ops.convert_to_tensor(np.asarray(kernel, "float64")), strides=stride,
                         padding="valid")
    return np.asarray(keras.ops.convert_to_numpy(out))[0]


def voxel_classifier(grid=12, n_classes=len(PRIMITIVES), seed=0):
    """A small compiled 3-D CNN on ``(grid, grid, grid, 1)`` occupancy grids: Conv3D(8, 3) - max pool
    - Conv3D(16, 3) - global max pool - softmax (3 747 weights for 3 classes); Adam(3e-3), sparse
    categorical cross-entropy, accuracy. ``seed=None`` leaves the global seeds alone (seeding imports
    TensorFlow where it is installed, even under another backend)."""
    import keras
    if seed is not None:
        keras.utils.set_random_seed(seed)
    L = keras.layers
    model = keras.Sequential([keras.Input((grid, grid, grid, 1)), L.Conv3D(8, 3, activation="relu"),
                              L.MaxPooling3D(2), L.Conv3D(16, 3, activation="relu"), L.GlobalMaxPooling3D(),
                              L.Dense(n_classes, activation="softmax")])
    model.compile(optimizer=keras.optimizers.Adam(3e-3), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model


def train_voxel_classifier(n_per_class=100, grid=12, epochs=15, seed=0):
    """Fit ``voxel_classifier`` on ``primitive_dataset(n_per_class, grid, seed=seed)``; return the
    accuracy on 100 fresh primitives per class (seed ``seed + 1``). About 3 s on two CPU cores with
    the defaults (accuracy ~0.9); 300 per class and 10 epochs give ~0.97."""
    X, y = primitive_dataset(n_per_class, grid, seed=seed)
    X_test, y_test = primitive_dataset(100, grid, seed=seed + 1)
    model = voxel_classifier(grid, seed=seed)
    model.fit(X, y, epochs=epochs, batch_size=32, verbose=0)
    return float(np.mean(np.argmax(model.predict(X_test, verbose=0), axis=-1) == y_test))


def render_views(points, n_views=6, size=16, elevation=np.pi / 6):
    """Orthographic depth images ``(n_views, size, size, 1)`` (float32) of a point cloud in
    ``[-1, 1]^3`` seen by ``n_views`` cameras evenly spaced around the z axis (azimuth
    ``2 pi k / n_views``), raised by ``elevation``: each pixel holds ``(1 + depth) / 2`` of the
    nearest point (1 = nearest possible, 0 = background)."""
    P = np.asarray(points, float)
    ce, se = np.cos(elevation), np.sin(elevation)
    images = np.zeros((n_views, size * size))
    for k in range(n_views):
        c, s = np.cos(2 * np.pi * k / n_views), np.sin(2 * np.pi * k / n_views)
        x, y = c * P[:, 0] + s * P[:, 1], -s * P[:, 0] + c * P[:, 1]
        depth, up = ce * x + se * P[:, 2], -se * x + ce * P[:, 2]
        u = np.clip(np.floor((y + 1) / 2 * size).astype(int), 0, size - 1)
        v = np.clip(np.floor((1 - up) / 2 * size).astype(int), 0, size - 1)
        np.maximum.at(images[k], v * size + u, (1 + depth) / 2)
    return images.reshape(n_views, size, size, 1).astype(np.float32)


def multiview_dataset(n_per_class=100, n_views=6, size=16, n_points=2000, seed=0):
    """``(X, y)``: depth views ``(N, n_views, size, size, 1)`` of the primitives, shuffled."""
    rng = np.random.default_rng(seed)
    labels = np.repeat(np.arange(len(PRIMITIVES)), n_per_class)
    X = np.stack([render_views(sample_primitive(PRIMITIVES[c], n_points, rng), n_views, size)
                  for c in labels])
    perm = rng.permutation(len(labels))
    return X[perm], labels[perm]


def multiview_cnn_class():
    """The multi-view CNN layer: ``MultiViewCNN(view_network)`` called on ``(B, V, H, W, C)`` applies the
    shared ``view_network`` once to the ``B * V`` views and max-pools its outputs over the views:
    ``(B, *F)``, invariant to the order of the views. ``keras.ops`` only (every Keras 3 backend)."""
    import keras

    class MultiViewCNN(keras.layers.Layer):
        def __init__(self, view_network, **kwargs):
            super().__init__(**kwargs)
            self.view_network = view_network

        def call(self, views):
            n_views, image = views.shape[1], tuple(views.shape[2:])
            features = self.view_network(keras.ops.reshape(views, (-1,) + image))
            features = keras.ops.reshape(features, (-1, n_views) + tuple(features.shape[1:]))
            return keras.ops.max(features, axis=1)
    return MultiViewCNN


def view_network(size=16, features=16):
    """The per-view CNN of ``multiview_classifier``: Conv2D(8, 3) - max pool - Conv2D(features, 3) -
    global max pool, on ``(size, size, 1)`` views."""
    import keras
    L = keras.layers
    return keras.Sequential([keras.Input((size, size, 1)), L.Conv2D(8, 3, activation="relu"),
                             L.MaxPooling2D(2), L.Conv2D(features, 3, activation="relu"),
                             L.GlobalMaxPooling2D()])


def multiview_classifier(n_views=6, size=16, n_classes=len(PRIMITIVES), seed=0):
    """``MultiViewCNN(view_network)`` then a softmax, compiled like ``voxel_classifier``."""
    import keras
    keras.utils.set_random_seed(seed)
    views = keras.Input((n_views, size, size, 1))
    pooled = multiview_cnn_class()(view_network(size))(views)
    model = keras.Model(views, keras.layers.Dense(n_classes, activation="softmax")(pooled))
    model.compile(optimizer=keras.optimizers.Adam(3e-3), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model


def train_multiview_classifier(n_per_class=100, n_views=6, size=16, epochs=15, seed=0):
    """Fit ``multiview_classifier`` on ``multiview_dataset``; return ``(model, accuracy)`` on 100 fresh
    primitives per class (about 4 s on two CPU cores, accuracy ~0.88)."""
    X, y = multiview_dataset(n_per_class, n_views, size, seed=seed)
    X_test, y_test = multiview_dataset(100, n_views, size, seed=seed + 1)
    model = multiview_classifier(n_views, size, seed=seed)
    model.fit(X, y, epochs=epochs, batch_size=32, verbose=0)
    return model, float(np.mean(np.argmax(model.predict(X_test, verbose=0), axis=-1) == y_test))


# --- Keras ----------------------------------------------------------------------------------------

def gcn_layer_class():
    """A GCN layer ``sigma(A^ H W + b)`` written with ``keras.ops`` only (every Keras 3 backend)."""
    import keras

    class GCN(keras.layers.Layer):
        def __init__(self, units, activation=None, **kwargs):
            super().__init__(**kwargs)
            self.units, self.activation = units, keras.activations.get(activation)

        def build(self, input_shape):
            self.kernel = self.add_weight(shape=(input_shape[0][-1], self.units), name="kernel")
            self.bias = self.add_weight(shape=(self.units,), initializer="zeros", name="bias")

        def call(self, inputs):
            H, A_hat = inputs  # A_hat precomputed: (n, n), shared by every sample of the batch
            return self.activation(keras.ops.matmul(A_hat, keras.ops.matmul(H, self.kernel)) + self.bias)
    return GCN


def node_classifier(A, n_features, n_classes, hidden=16, seed=0):
    """A two-layer GCN over a fixed graph; inputs ``(1, n, n_features)``, outputs ``(1, n, n_classes)``."""
    import keras
    keras.utils.set_random_seed(seed)
    GCN = gcn_layer_class()
    A_hat = keras.ops.convert_to_tensor(gcn_normalized_adjacency(A).astype("float32"))
    x = keras.Input((A.shape[0], n_features))
    h = keras.layers.Lambda(lambda t: t[0])(x)
    h = GCN(hidden, "relu")((h, A_hat))
    h = GCN(n_classes, "softmax")((h, A_hat))
    y = keras.layers.Lambda(lambda t: t[None])(h)
    return keras.Model(x, y)


def train_karate(train_nodes=(0, 33), epochs=100, seed=0):
    """Semi-supervised club prediction: one labelled member per club, identity features; returns
    the accuracy on the other members."""
    import keras
    W, labels = karate_club()
    model = node_classifier(W, 34, 2, seed=seed)
    weights = np.zeros((1, 34), "float32")
    weights[0, list(train_nodes)] = 1.0
    model.compile(optimizer=keras.optimizers.Adam(0.05), loss="sparse_categorical_crossentropy")
    x = np.eye(34, dtype="float32")[None]
    model.fit(x, labels[None], sample_weight=weights, epochs=epochs, verbose=0)
    pred = np.argmax(keras.ops.convert_to_numpy(model(x))[0], -1)
    rest = np.setdiff1d(np.arange(34), train_nodes)
    return float(np.mean(pred[rest] == labels[rest]))


# --- figures ------------------------------------------------------------------------------------

def _draw_eigenvectors(fig):
    fig.set_size_inches(10, 6)
    graphs = {"ring": (ring_graph(40), None), "grid": (grid_graph(15, 15), (15, 15))}
    axes = fig.subplots(2, 4)
    for row, (name, (W, shape)) in enumerate(graphs.items()):
        _, Phi = eigenbasis(laplacian(W))
        for col, k in enumerate((0, 1, 3, 8)):
            ax = axes[row, col]
            if shape is None:
                ax.plot(Phi[:, k])
            else:
                ax.imshow(Phi[:, k].reshape(shape), cmap="RdBu")
            ax.set_title(f"{name}: phi_{k}")


def _draw_mesh_eigenvectors(fig):
    fig.set_size_inches(8, 4)
    for i, (name, (V, F)) in enumerate({"torus": torus_mesh(24, 12), "sphere": icosphere(2)}.items()):
        _, Phi = eigenbasis(laplacian(mesh_adjacency(V, F)))
        ax = fig.add_subplot(1, 2, i + 1, projection="3d")
        ax.scatter(*V.T, c=Phi[:, 3], cmap="RdBu", s=6)
        ax.set_title(f"{name} (chi = {euler_characteristic(V, F)}): phi_3")


def _draw_reconstructions(fig):
    fig.set_size_inches(8, 3)
    W = ring_graph(64)
    _, Phi = eigenbasis(laplacian(W))
    f = (np.arange(64) < 20).astype(float) + 0.5 * np.sin(np.arange(64) / 5)
    ax = fig.subplots()
    ax.plot(f, "k", label="f")
    for k in (3, 9, 21):
        ax.plot(Phi[:, :k] @ (Phi[:, :k].T @ f), label=f"{k} eigenvectors")
    ax.legend()


def _draw_kernels(fig):
    lam = np.linspace(0, 4, 200)
    ax = fig.subplots()
    ax.plot(lam, gaussian_kernels(lam, 10, 4.0))
    ax.set_xlabel("lambda")
    ax.set_title("10 Gaussian spectral kernels beta_j(lambda)")


def _draw_local_vs_nonlocal(fig):
    fig.set_size_inches(8, 3)
    W = path_graph(40)
    L = laplacian(W)
    lam, Phi = eigenbasis(L)
    e = np.eye(40)[20]
    ax = fig.subplots()
    ax.plot(spectral_filter(e, Phi, np.exp(-5 * lam)), label="tau = exp(-5 lambda): non-local")
    ax.plot(spectral_filter(e, Phi, (1 - lam / 4) ** 3), label="cubic polynomial: 3-hop local")
    ax.set_title("filter at node 20: G e_20")
    ax.legend()


def _draw_monet(fig):
    rho, theta = np.meshgrid(np.linspace(0, 1, 60), np.linspace(-np.pi, np.pi, 120))
    ax = fig.add_subplot(projection="polar")
    w = monet_weights(np.stack([rho, theta], -1), [0.5, 0.8], np.diag([0.01, 0.1]))
    ax.pcolormesh(theta, rho, w, shading="auto")
    ax.set_title("MoNet Gaussian patch weight (rho, theta)")


def voxel_figure_data(grid=12, n_points=2000, seed=0):
    """What ``ch09_voxelized_primitives`` draws: for each kind of ``PRIMITIVES``, the sampled points
    ``(n_points, 3)`` and their occupancy ``(grid, grid, grid)`` on ``[-1, 1]^3``."""
    rng = np.random.default_rng(seed)
    points = {kind: sample_primitive(kind, n_points, rng) for kind in PRIMITIVES}
    return {"grid": grid, "points": points, "occupancy": {k: voxelize(P, grid) for k, P in points.items()}}


def view_pooling_figure_data(kind="cylinder", n_views=6, size=16, seed=0):
    """What ``ch09_view_pooling`` draws: the depth ``views`` ``(V, size, size, 1)`` of one primitive,
    the ``features`` ``(V, 16)`` of each view under a seeded (untrained) ``view_network``, the
    ``pooled`` output ``(16,)`` of ``MultiViewCNN`` on the views (= the max of ``features`` over
    the views) and ``pooled_shuffled``, its output on the views in a shuffled order (the same)."""
    import keras
    rng = np.random.default_rng(seed)
    views = render_views(sample_primitive(kind, 2000, rng), n_views, size)
    keras.utils.set_random_seed(seed)
    net = view_network(size)
    layer = multiview_cnn_class()(net)
    order = rng.permutation(n_views)
    as_numpy = keras.ops.convert_to_numpy
    return {"views": views, "features": np.asarray(as_numpy(net(views))), "order": order,
            "pooled": np.asarray(as_numpy(layer(views[None])))[0],
            "pooled_shuffled": np.asarray(as_numpy(layer(views[None, order])))[0]}


def _draw_voxels(fig):
    fig.set_size_inches(10, 3.6)
    data = voxel_figure_data()
    for i, (kind, occupancy) in enumerate(data["occupancy"].items()):
        ax = fig.add_subplot(1, len(PRIMITIVES), i + 1, projection="3d")
        ax.voxels(occupancy > 0, edgecolor="k", linewidth=0.2)
        ax.set_title(f"{kind}: {int(occupancy.sum())} of {data['grid']}^3 voxels")


def _draw_view_pooling(fig):
    data = view_pooling_figure_data()
    V = len(data["views"])
    fig.set_size_inches(10, 4)
    grid = fig.add_gridspec(2, V)
    for v in range(V):
        ax = fig.add_subplot(grid[0, v])
        ax.imshow(data["views"][v, ..., 0], cmap="gray")
        ax.set_title(f"view {v}")
        ax.axis("off")
    ax = fig.add_subplot(grid[1, :])
    for v in range(V):
        ax.plot(data["features"][v], color="0.7", lw=1, label="per-view features" if v == 0 else None)
    ax.plot(data["pooled"], "r", lw=2, label="view pooling: element-wise max (any order of the views)")
    ax.set_xlabel("feature")
    ax.legend()


FIGURES = {"ch09_eigenvectors_ring_grid": _draw_eigenvectors,
           "ch09_eigenvectors_torus_sphere": _draw_mesh_eigenvectors,
           "ch09_partial_reconstructions": _draw_reconstructions,
           "ch09_gaussian_kernels": _draw_kernels,
           "ch09_local_vs_nonlocal": _draw_local_vs_nonlocal,
           "ch09_monet_patch_weights": _draw_monet,
           "ch09_voxelized_primitives": _draw_voxels,
           "ch09_view_pooling": _draw_view_pooling}
