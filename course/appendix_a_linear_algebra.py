"""Appendix A reference: linear maps, projections, matrix products, semi-orthogonal matrices.

Rows are samples; vectors are 1-D arrays. Keras enters only through ``dense_as_matrix`` and
``keras_orthogonal_kernel`` (imported lazily, any Keras 3 backend): a Dense layer's kernel has shape
(in, out), so the notes' matrix ``W`` (out x in) is ``kernel.T``; with a bias the layer is affine,
not linear (the notes' erratum: x -> a x + b is linear only for b = 0).
"""
import numpy as np


def matrix_of_map(T, in_dim):
    """The matrix (m, in_dim) of a linear map in the standard bases: column j is T(e_j) (notes A.2.1)."""
    return np.column_stack([np.ravel(T(e)) for e in np.eye(in_dim)])


def project_onto_line(a, b):
    """Vector projection (a.b / b.b) b and scalar projection a.b / ||b|| of ``a`` on ``b != 0``."""
    a, b = np.asarray(a, float), np.asarray(b, float)
    return (a @ b) / (b @ b) * b, (a @ b) / np.linalg.norm(b)


def projector(W):
    """Orthogonal projector onto the column space of W (d, k), k <= d, full column rank: Q Q^T."""
    Q, _ = np.linalg.qr(np.asarray(W, float))
    return Q @ Q.T


def product_by_columns(X, Y):
    """X @ Y with column j = sum_k Y[k, j] X[:, k] (A.6); (i, j) entry x_i^T y_j (A.8 corrected)."""
    return np.einsum("ik,kj->ij", X, Y)


def product_by_outer_products(X, Y):
    """X @ Y = sum_k outer(X[:, k], Y[k, :]), the rank-one terms stacked as (p, n, m) then summed."""
    terms = np.einsum("ik,kj->kij", X, Y)
    return terms.sum(axis=0), terms


def random_semi_orthogonal(d, k, seed=0):
    """A (d, k) matrix with orthonormal columns (k <= d), Haar-distributed (QR with the sign fix)."""
    Q, R = np.linalg.qr(np.random.default_rng(seed).standard_normal((d, k)))
    return Q * np.sign(np.diag(R))


def orthogonality_report(W):
    """max|W^T W - I_k|, max|W W^T - I_d| and max|P^2 - P| for P = W W^T (Claim A.1: the first two are
    both zero only for a square orthogonal W; a tall semi-orthogonal W has P a rank-k projector)."""
    W = np.asarray(W, float)
    P = W @ W.T
    return (np.abs(W.T @ W - np.eye(W.shape[1])).max(), np.abs(P - np.eye(W.shape[0])).max(),
            np.abs(P @ P - P).max())


def dense_as_matrix(in_dim, units, use_bias=False, seed=0):
    """Build a Keras Dense layer and return (layer, W) with W = kernel.T, the notes' (out x in) matrix.

    Runs under every Keras 3 backend. ``layer(x)`` equals ``x @ W.T`` (+ bias): linear without a bias,
    affine with one."""
    import keras

    keras.utils.set_random_seed(seed)
    layer = keras.layers.Dense(units, use_bias=use_bias)
    layer.build((None, in_dim))
    return layer, keras.ops.convert_to_numpy(layer.kernel).T


def keras_orthogonal_kernel(d, k, seed=0):
    """Keras' Orthogonal initializer for a (d, k) kernel: semi-orthogonal (orthonormal columns if
    d >= k, rows otherwise). Any Keras 3 backend."""
    import keras

    return keras.ops.convert_to_numpy(keras.initializers.Orthogonal(seed=seed)((d, k)))


def _draw_projection(fig):
    ax = fig.add_subplot()
    a, b = np.array([1.0, 2.0]), np.array([3.0, 1.0])
    proj, _ = project_onto_line(a, b)
    for vec, start, colour, label in [(a, (0, 0), "C0", "a"), (b, (0, 0), "C1", "b"),
                                      (proj, (0, 0), "C2", "projection of a on b"),
                                      (a - proj, proj, "C3", "residual a - proj (orthogonal to b)")]:
        ax.annotate("", xy=np.add(start, vec), xytext=start, arrowprops=dict(color=colour, width=1.5))
        ax.plot([], [], color=colour, label=label)
    ax.set(xlim=(-0.5, 3.5), ylim=(-0.5, 2.5), aspect="equal", title="Vector projection (Fig. A.2)")
    ax.legend(loc="upper right", fontsize=7)


def _draw_outer_products(fig):
    fig.set_size_inches(9, 2.6)
    rng = np.random.default_rng(0)
    X, Y = rng.standard_normal((4, 3)), rng.standard_normal((3, 5))
    total, terms = product_by_outer_products(X, Y)
    panels = [(t, f"x_{k + 1} y_{k + 1}^T (rank 1)") for k, t in enumerate(terms)] + [(total, "sum = X Y")]
    vmax = np.abs(total).max()
    for i, (M, title) in enumerate(panels):
        ax = fig.add_subplot(1, len(panels), i + 1)
        ax.imshow(M, cmap="RdBu", vmin=-vmax, vmax=vmax)
        ax.set(title=title, xticks=[], yticks=[])


def _draw_semi_orthogonal(fig):
    ax = fig.add_subplot()
    W = random_semi_orthogonal(2, 1, seed=3)
    pts = np.random.default_rng(1).standard_normal((40, 2))
    proj = pts @ (W @ W.T)  # W W^T: a rank-1 projector, not the identity (Claim A.1 is for square W)
    ax.scatter(*pts.T, s=10, label="x")
    ax.scatter(*proj.T, s=10, label="W W^T x")
    for p, q in zip(pts, proj):
        ax.plot([p[0], q[0]], [p[1], q[1]], color="grey", lw=0.5)
    ax.set(aspect="equal", title="Tall W (2x1): W^T W = 1, W W^T projects")
    ax.legend(fontsize=7)


FIGURES = {"appendix_a_projection": _draw_projection,
           "appendix_a_outer_products": _draw_outer_products,
           "appendix_a_semi_orthogonal": _draw_semi_orthogonal}
