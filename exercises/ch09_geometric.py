# %% [markdown]
# # Chapter 9 - Geometric deep learning (graph Laplacians, spectral convolution, GCNs, message passing,
#
# voxels and 3-D convolution, multi-view CNNs, MoNet).
#
# Conventions used throughout this file:
#
# * A graph on `n` nodes is given by a symmetric, non-negative weight (adjacency) matrix `W` of
#   shape `(n, n)` with a zero diagonal. Node signals `f` have shape `(n,)` or `(n, c)` (rows
#   are nodes, columns are channels).
# * Sign convention: the graph Laplacian is `(Delta x)_i = sum_j w_ij (x_i - x_j)`, i.e.
#   `L = D - W`, a positive SEMI-definite operator (it discretizes `-nabla^2`, not `nabla^2`).
# * Eigenvectors are only defined up to sign, and within a repeated eigenvalue (the degenerate pairs
#   of a ring) up to any orthonormal basis of the eigenspace: `numpy.linalg.eigh` returns an
#   arbitrary one. Every quantity graded here (projectors, filtered outputs `Phi diag(g) Phi^T f`
#   with `g` a function of the eigenvalue) is independent of that choice.
# * Erratum (9.24)/(9.25): the graph convolution is `f * g = Phi diag(ghat) Phi^T f` (a matrix applied
#   to `f`), with `fhat_k = <f, phi_k>` (a vector of coefficients, not a sum).
# * Addendum erratum: on a ring (a circulant graph) a spectral filter `tau(lambda)` DOES commute
#   with the cyclic shift; what fails on a general graph is that there is no shift at all, and the
#   same coefficients `ghat` mean different filters on different graphs (domain dependence).
#
# * Voxel grids are indexed `volume[i, j, k]` with `i` along x, `j` along y, `k` along z, and
#   3-D feature volumes are channels-last `(D, H, W, C)` like Keras' `Conv3D`.
#
# Use numpy (and math); `GCNLayer` and `MultiViewCNN` use Keras 3 (`keras.ops` only: they run
# under every backend).
#
# **How to work in this notebook.** Run the setup cell below first. Then, for each exercise, write your
# code in place of the `raise NotImplementedError(...)` line, run the cell, and run the check cell
# after it: `check("name")` runs that exercise's public checks on the definition in this kernel and
# prints `PASS` or `FAIL` for each case (a hang stops after the time limit; an error in your code is a
# `FAIL` line); `check()` runs the whole chapter. From a shell, `autograder check ch09` checks the
# exercises folder (this notebook, or the paired `ch09_geometric.py` file), and `autograder check
# ch09_geometric.ipynb` this notebook. Your grade comes from hidden cases with other inputs. Scratch
# cells (plots, training runs, prints) are fine: grading keeps only the imports, definitions and
# constants, and leaves the rest out.
#
# _Generated from the answer key by `autograder sync` (course maintainers edit `solutions/`)._

# %%
import keras
import numpy as np

# check("name") runs an exercise's public checks on your definition; check() all of them
from autograder.notebook import Checks

check = Checks("ch09_geometric")


# %% [markdown]
# ## Exercise `graph_laplacian` (4 points)
#
# The graph Laplacian of the weight matrix `W` (notes (9.26)-(9.27)).
#
# `normalized=False`: the combinatorial Laplacian `L = D - W` with `D = diag(W 1)`; then
# `L 1 = 0`, `L` is symmetric PSD and `x^T L x = 1/2 sum_ij w_ij (x_i - x_j)^2`.
# `normalized=True`: the symmetric normalized Laplacian `I - D^-1/2 W D^-1/2`, spectrum in
# `[0, 2]`. An isolated node (degree 0) gets a ZERO row and column (networkx's convention), so the
# number of zero eigenvalues still equals the number of connected components. `L 1 = 0` holds for
# the combinatorial Laplacian only.
#
# **Args:**
#
# - W: array `(n, n)`, symmetric, non-negative.
# - normalized: bool.
#
# **Returns:**
#
# - float array `(n, n)`.

# %%
def graph_laplacian(W, normalized=False):
    """The graph Laplacian of the weight matrix ``W`` (notes (9.26)-(9.27)).

    ``normalized=False``: the combinatorial Laplacian ``L = D - W`` with ``D = diag(W 1)``; then
    ``L 1 = 0``, ``L`` is symmetric PSD and ``x^T L x = 1/2 sum_ij w_ij (x_i - x_j)^2``.
    ``normalized=True``: the symmetric normalized Laplacian ``I - D^-1/2 W D^-1/2``, spectrum in
    ``[0, 2]``. An isolated node (degree 0) gets a ZERO row and column (networkx's convention), so the
    number of zero eigenvalues still equals the number of connected components. ``L 1 = 0`` holds for
    the combinatorial Laplacian only.

    Args:
        W: array ``(n, n)``, symmetric, non-negative.
        normalized: bool.
    Returns:
        float array ``(n, n)``.
    """
    raise NotImplementedError("ch09_geometric.graph_laplacian: not implemented yet")


# %%
check("graph_laplacian")


# %% [markdown]
# ## Exercise `laplacian_eigenbasis` (3 points)
#
# Eigenvalues (ascending) and orthonormal eigenvectors of a symmetric Laplacian `L`.
#
# Returns `(lam, Phi)` with `lam` shape `(k,)` ascending and `Phi` shape `(n, k)` whose
# columns are orthonormal (`Phi^T Phi = I`) and `L Phi = Phi diag(lam)`. `k=None` keeps all
# `n`; otherwise the `k` smallest. Signs and the basis inside a repeated eigenvalue are
# arbitrary (ring eigenvalues come in degenerate pairs `2 - 2 cos(2 pi k / n)`).

# %%
def laplacian_eigenbasis(L, k=None):
    """Eigenvalues (ascending) and orthonormal eigenvectors of a symmetric Laplacian ``L``.

    Returns ``(lam, Phi)`` with ``lam`` shape ``(k,)`` ascending and ``Phi`` shape ``(n, k)`` whose
    columns are orthonormal (``Phi^T Phi = I``) and ``L Phi = Phi diag(lam)``. ``k=None`` keeps all
    ``n``; otherwise the ``k`` smallest. Signs and the basis inside a repeated eigenvalue are
    arbitrary (ring eigenvalues come in degenerate pairs ``2 - 2 cos(2 pi k / n)``).
    """
    raise NotImplementedError("ch09_geometric.laplacian_eigenbasis: not implemented yet")


# %%
check("laplacian_eigenbasis")


# %% [markdown]
# ## Exercise `graph_fourier` (1 point)
#
# Graph Fourier transform `fhat = Phi^T f` (9.23): `fhat_k = <f, phi_k>`, a VECTOR of
# coefficients (the notes' erratum writes it as a sum). `f` `(n,)` or `(n, c)`; returns
# `(k,)` or `(k, c)`. With a full orthonormal basis, Parseval holds: `||fhat|| = ||f||`.

# %%
def graph_fourier(f, Phi):
    """Graph Fourier transform ``fhat = Phi^T f`` (9.23): ``fhat_k = <f, phi_k>``, a VECTOR of
    coefficients (the notes' erratum writes it as a sum). ``f`` ``(n,)`` or ``(n, c)``; returns
    ``(k,)`` or ``(k, c)``. With a full orthonormal basis, Parseval holds: ``||fhat|| = ||f||``."""
    raise NotImplementedError("ch09_geometric.graph_fourier: not implemented yet")


# %%
check("graph_fourier")


# %% [markdown]
# ## Exercise `inverse_graph_fourier` (1 point)
#
# Inverse graph Fourier transform `f = Phi fhat`; `fhat` `(k,)` or `(k, c)`.

# %%
def inverse_graph_fourier(fhat, Phi):
    """Inverse graph Fourier transform ``f = Phi fhat``; ``fhat`` ``(k,)`` or ``(k, c)``."""
    raise NotImplementedError("ch09_geometric.inverse_graph_fourier: not implemented yet")


# %%
check("inverse_graph_fourier")


# %% [markdown]
# ## Exercise `spectral_conv` (5 points)
#
# Spectral convolution `y = Phi diag(ghat) Phi^T f` (the corrected (9.24)).
#
# `ghat` `(k,)` holds one multiplier per column of `Phi`. `f` `(n,)` or `(n, c)` (each
# channel filtered alike). Only when `ghat = tau(lambda)` is a function of the eigenvalue is the
# result independent of the eigenbasis chosen; then on a ring it equals a circular convolution and
# commutes with the shift (addendum erratum).

# %%
def spectral_conv(f, Phi, ghat):
    """Spectral convolution ``y = Phi diag(ghat) Phi^T f`` (the corrected (9.24)).

    ``ghat`` ``(k,)`` holds one multiplier per column of ``Phi``. ``f`` ``(n,)`` or ``(n, c)`` (each
    channel filtered alike). Only when ``ghat = tau(lambda)`` is a function of the eigenvalue is the
    result independent of the eigenbasis chosen; then on a ring it equals a circular convolution and
    commutes with the shift (addendum erratum).
    """
    raise NotImplementedError("ch09_geometric.spectral_conv: not implemented yet")


# %%
check("spectral_conv")


# %% [markdown]
# ## Exercise `smooth_spectral_conv` (3 points)
#
# Smooth spectral filter (9.34)-(9.37): `tau(lambda_k) = sum_j alpha_j beta_j(lambda_k)`.
#
# `B` `(k, r)` holds the basis functions evaluated at the eigenvalues (``B[k, j] =
# beta_j(lambda_k)`, e.g. Gaussian kernels), `alpha` `(r,)``. Returns
# `Phi diag(B alpha) Phi^T f`: linear in `alpha`.

# %%
def smooth_spectral_conv(f, Phi, B, alpha):
    """Smooth spectral filter (9.34)-(9.37): ``tau(lambda_k) = sum_j alpha_j beta_j(lambda_k)``.

    ``B`` ``(k, r)`` holds the basis functions evaluated at the eigenvalues (``B[k, j] =
    beta_j(lambda_k)``, e.g. Gaussian kernels), ``alpha`` ``(r,)``. Returns
    ``Phi diag(B alpha) Phi^T f``: linear in ``alpha``.
    """
    raise NotImplementedError("ch09_geometric.smooth_spectral_conv: not implemented yet")


# %%
check("smooth_spectral_conv")


# %% [markdown]
# ## Exercise `cheb_conv` (5 points)
#
# Chebyshev filter (an EXTENSION: not in the notes; Defferrard et al. 2016).
#
# `y = sum_{k=0}^{K-1} theta_k T_k(L~) f` with `L~ = 2 L / lam_max - I` and the recurrence
# `T_0 = I`, `T_1 = L~`, `T_k = 2 L~ T_{k-1} - T_{k-2}`, applied to `f` without forming
# matrices. Equals `Phi diag(sum_k theta_k T_k(lam~)) Phi^T f` and is `(K-1)`-hop localized.
# `f` `(n,)` or `(n, c)`; `theta` `(K,)`, `K >= 1`.

# %%
def cheb_conv(f, L, theta, lam_max):
    """Chebyshev filter (an EXTENSION: not in the notes; Defferrard et al. 2016).

    ``y = sum_{k=0}^{K-1} theta_k T_k(L~) f`` with ``L~ = 2 L / lam_max - I`` and the recurrence
    ``T_0 = I``, ``T_1 = L~``, ``T_k = 2 L~ T_{k-1} - T_{k-2}``, applied to ``f`` without forming
    matrices. Equals ``Phi diag(sum_k theta_k T_k(lam~)) Phi^T f`` and is ``(K-1)``-hop localized.
    ``f`` ``(n,)`` or ``(n, c)``; ``theta`` ``(K,)``, ``K >= 1``.
    """
    raise NotImplementedError("ch09_geometric.cheb_conv: not implemented yet")


# %%
check("cheb_conv")


# %% [markdown]
# ## Exercise `GCNLayer` (5 points)
#
# Graph convolution layer (Kipf & Welling; an extension): `H' = sigma(A^ H W)`.
#
# `A^ = D~^-1/2 (A + I) D~^-1/2` with `D~` the degrees of `A + I`; its spectrum lies in
# `(-1, 1]`. Called on `(H, A)`: `H` `(n, c_in)` node features, `A` `(n, n)` adjacency
# WITHOUT self loops (the layer adds `I`). One weight, `kernel` `(c_in, units)`, no bias;
# `activation` any Keras activation (default linear). Uses `keras.ops` only: runs under every
# Keras 3 backend.

# %%
class GCNLayer(keras.layers.Layer):
    """Graph convolution layer (Kipf & Welling; an extension): ``H' = sigma(A^ H W)``.

    ``A^ = D~^-1/2 (A + I) D~^-1/2`` with ``D~`` the degrees of ``A + I``; its spectrum lies in
    ``(-1, 1]``. Called on ``(H, A)``: ``H`` ``(n, c_in)`` node features, ``A`` ``(n, n)`` adjacency
    WITHOUT self loops (the layer adds ``I``). One weight, ``kernel`` ``(c_in, units)``, no bias;
    ``activation`` any Keras activation (default linear). Uses ``keras.ops`` only: runs under every
    Keras 3 backend.
    """

    def __init__(self, units, activation=None, **kwargs):
        raise NotImplementedError("ch09_geometric.GCNLayer.__init__: not implemented yet")

    def build(self, input_shape):
        raise NotImplementedError("ch09_geometric.GCNLayer.build: not implemented yet")

    def call(self, inputs):
        raise NotImplementedError("ch09_geometric.GCNLayer.call: not implemented yet")


# %%
check("GCNLayer")


# %% [markdown]
# ## Exercise `message_passing` (6 points)
#
# One message-passing step (9.42): `h_i' = h_i W_self + AGG_{j: a_ij != 0} (h_j W_neigh)`.
#
# Conventions: the neighbour transform comes BEFORE aggregation (messages `m_j = h_j W_neigh`;
# for sum and mean this equals aggregating first, for max it does not); no bias, no activation.
# `"sum"`: `sum_j a_ij m_j` (weighted; `A @ H @ W_neigh`); `"mean"`: weighted mean
# `sum_j a_ij m_j / sum_j a_ij`; `"max"`: elementwise max of `m_j` over the neighbours
# (`a_ij != 0`; weights ignored). An isolated node aggregates to zeros, never NaN or -inf.
# AGG must be permutation-invariant (the notes' erratum), so the step is permutation-equivariant.
# Unknown `aggregate`: `ValueError`. Shapes: `H` `(n, c)`, `A` `(n, n)`, `W_self`,
# `W_neigh` `(c, c')`; returns `(n, c')`.

# %%
def message_passing(H, A, W_self, W_neigh, aggregate="sum"):
    """One message-passing step (9.42): ``h_i' = h_i W_self + AGG_{j: a_ij != 0} (h_j W_neigh)``.

    Conventions: the neighbour transform comes BEFORE aggregation (messages ``m_j = h_j W_neigh``;
    for sum and mean this equals aggregating first, for max it does not); no bias, no activation.
    ``"sum"``: ``sum_j a_ij m_j`` (weighted; ``A @ H @ W_neigh``); ``"mean"``: weighted mean
    ``sum_j a_ij m_j / sum_j a_ij``; ``"max"``: elementwise max of ``m_j`` over the neighbours
    (``a_ij != 0``; weights ignored). An isolated node aggregates to zeros, never NaN or -inf.
    AGG must be permutation-invariant (the notes' erratum), so the step is permutation-equivariant.
    Unknown ``aggregate``: ``ValueError``. Shapes: ``H`` ``(n, c)``, ``A`` ``(n, n)``, ``W_self``,
    ``W_neigh`` ``(c, c')``; returns ``(n, c')``.
    """
    raise NotImplementedError("ch09_geometric.message_passing: not implemented yet")


# %%
check("message_passing")


# %% [markdown]
# ## Exercise `euler_characteristic` (1 point)
#
# Euler characteristic `chi = V - E + F` of a triangle mesh (a "More" item of the chapter).
#
# `vertices` `(V, 3)` (every row counts, referenced by a face or not), `faces` `(F, 3)`
# integer vertex indices; `E` is the number of DISTINCT undirected edges (an edge shared by two
# triangles counts once). Returns an int: 2 for a sphere (e.g. an icosphere), 0 for a torus, 1 for
# a single triangle; it only depends on the topology, not on the embedding.

# %%
def euler_characteristic(vertices, faces):
    """Euler characteristic ``chi = V - E + F`` of a triangle mesh (a "More" item of the chapter).

    ``vertices`` ``(V, 3)`` (every row counts, referenced by a face or not), ``faces`` ``(F, 3)``
    integer vertex indices; ``E`` is the number of DISTINCT undirected edges (an edge shared by two
    triangles counts once). Returns an int: 2 for a sphere (e.g. an icosphere), 0 for a torus, 1 for
    a single triangle; it only depends on the topology, not on the embedding.
    """
    raise NotImplementedError("ch09_geometric.euler_characteristic: not implemented yet")


# %%
check("euler_characteristic")


# %% [markdown]
# ## Exercise `voxelize` (3 points)
#
# Occupancy grid of a point cloud: the voxels of an `n x n x n` grid that hold a point.
#
# The box `[lo, hi]` (`lo`, `hi` scalars, the same bounds on the three axes, or length-3
# sequences, one bound per axis x, y, z) is cut into `n` equal cells per axis of size
# `h = (hi - lo) / n`. A point `p` falls in cell `floor((p - lo) / h)` along each axis, with
# these boundary conventions:
#
# * a point on an inner cell boundary belongs to the upper cell (cells are half-open
#   `[lo + i h, lo + (i + 1) h)`), a point exactly on `lo` to cell `0`;
# * a point exactly on the upper bound `hi` belongs to the LAST cell `n - 1` (the last cell
#   is closed);
# * a point outside the box (`p < lo` or `p > hi` along any axis) is ignored, not clamped
#   into a border voxel.
#
# **Args:**
#
# - points: array `(m, 3)` of x, y, z coordinates (`m` may be 0).
# - n: cells per axis, an int >= 1.
# - lo, hi: bounds of the box, `lo < hi` on every axis.
#
# **Returns:**
#
# - float array `(n, n, n)`: `volume[i, j, k] = 1.0` where cell `(i, j, k)` (x, y, z)
#   holds at least one point, `0.0` elsewhere: occupancy, not a count (any numeric or
#   boolean dtype with these values is accepted).

# %%
def voxelize(points, n, lo, hi):
    """Occupancy grid of a point cloud: the voxels of an ``n x n x n`` grid that hold a point.

    The box ``[lo, hi]`` (``lo``, ``hi`` scalars, the same bounds on the three axes, or length-3
    sequences, one bound per axis x, y, z) is cut into ``n`` equal cells per axis of size
    ``h = (hi - lo) / n``. A point ``p`` falls in cell ``floor((p - lo) / h)`` along each axis, with
    these boundary conventions:

    * a point on an inner cell boundary belongs to the upper cell (cells are half-open
      ``[lo + i h, lo + (i + 1) h)``), a point exactly on ``lo`` to cell ``0``;
    * a point exactly on the upper bound ``hi`` belongs to the LAST cell ``n - 1`` (the last cell
      is closed);
    * a point outside the box (``p < lo`` or ``p > hi`` along any axis) is ignored, not clamped
      into a border voxel.

    Args:
        points: array ``(m, 3)`` of x, y, z coordinates (``m`` may be 0).
        n: cells per axis, an int >= 1.
        lo, hi: bounds of the box, ``lo < hi`` on every axis.
    Returns:
        float array ``(n, n, n)``: ``volume[i, j, k] = 1.0`` where cell ``(i, j, k)`` (x, y, z)
        holds at least one point, ``0.0`` elsewhere: occupancy, not a count (any numeric or
        boolean dtype with these values is accepted).
    """
    raise NotImplementedError("ch09_geometric.voxelize: not implemented yet")


# %%
check("voxelize")


# %% [markdown]
# ## Exercise `conv3d` (5 points)
#
# A 3-D convolution layer's operation, from scratch: "valid" cross-correlation, no bias.
#
# `out[p, q, r, o] = sum_{a, b, c, i} volume[s_d p + a, s_h q + b, s_w r + c, i] kernel[a, b, c, i, o]`
# (cross-correlation, the kernel is NOT flipped, as in Keras' `Conv3D`, indexed from the window's
# corner). The notes' grid convolution (9.1) is a true convolution, `f[i - m, j - n]`: it equals
# this operation with the kernel flipped along its spatial axes (`kernel[::-1, ::-1, ::-1]`).
# "valid": only the positions where the kernel fits entirely inside the volume, so the output
# has `(D - kd) // s_d + 1` positions along the first axis (likewise for the others).
#
# Do not call a library convolution (`keras.ops.conv`, `keras.layers.Conv3D`,
# `tf.nn.conv3d`, `scipy.signal`/`scipy.ndimage` convolutions): they are rejected.
#
# **Args:**
#
# - volume: array `(D, H, W, C_in)` (channels last, no batch axis).
# - kernel: array `(kd, kh, kw, C_in, C_out)` (Keras' `Conv3D` kernel layout).
# - stride: an int (the same step along the three axes) or a sequence `(s_d, s_h, s_w)`.
#
# **Returns:**
#
# - float array `(D', H', W', C_out)`.
#
# **Raises:**
#
# - ValueError: when the kernel is larger than the volume along some axis, or the channel
#   counts `C_in` of volume and kernel differ.

# %%
def conv3d(volume, kernel, stride=1):
    """A 3-D convolution layer's operation, from scratch: "valid" cross-correlation, no bias.

    ``out[p, q, r, o] = sum_{a, b, c, i} volume[s_d p + a, s_h q + b, s_w r + c, i] kernel[a, b, c, i, o]``
    (cross-correlation, the kernel is NOT flipped, as in Keras' ``Conv3D``, indexed from the window's
    corner). The notes' grid convolution (9.1) is a true convolution, ``f[i - m, j - n]``: it equals
    this operation with the kernel flipped along its spatial axes (``kernel[::-1, ::-1, ::-1]``).
    "valid": only the positions where the kernel fits entirely inside the volume, so the output
    has ``(D - kd) // s_d + 1`` positions along the first axis (likewise for the others).

    Do not call a library convolution (``keras.ops.conv``, ``keras.layers.Conv3D``,
    ``tf.nn.conv3d``, ``scipy.signal``/``scipy.ndimage`` convolutions): they are rejected.

    Args:
        volume: array ``(D, H, W, C_in)`` (channels last, no batch axis).
        kernel: array ``(kd, kh, kw, C_in, C_out)`` (Keras' ``Conv3D`` kernel layout).
        stride: an int (the same step along the three axes) or a sequence ``(s_d, s_h, s_w)``.
    Returns:
        float array ``(D', H', W', C_out)``.
    Raises:
        ValueError: when the kernel is larger than the volume along some axis, or the channel
            counts ``C_in`` of volume and kernel differ.
    """
    raise NotImplementedError("ch09_geometric.conv3d: not implemented yet")


# %%
check("conv3d")


# %% [markdown]
# ## Exercise `MultiViewCNN` (4 points)
#
# Multi-view CNN with view pooling (section 9.2): one shared network for every view, then an
# element-wise max across the views, so the output does not depend on the order of the views.
#
# `MultiViewCNN(view_network)` wraps `view_network`, any Keras layer or model that maps a batch
# of images `(N, H, W, C)` to features `(N, *F)` (a vector per image, or a feature map: any
# trailing shape `F`). Called on views `(B, V, H, W, C)` (`V` views of each of `B`
# objects), it returns `(B, *F)`: `out[b] = max_v view_network(views[b, v])` element-wise.
#
# Requirements: weight sharing comes from applying the SAME `view_network`; apply it ONCE, to
# the `B * V` views reshaped into one batch `(B * V, H, W, C)` (no Python loop over the
# views, no `keras.layers.TimeDistributed`, which maps the network over the views one at a
# time: the grader counts the calls and their batch sizes), then reshape the features back to
# `(B, V, *F)` and pool over axis 1. `V` and the image shape are static (known when the layer
# is called); `B` may be unknown (`None` in a functional model). No weights of its own.
# Use `keras.ops` only: the layer runs under every Keras 3 backend.
#
# The notes speak of combining the per-view PREDICTIONS by some pooling; the multi-view CNN of Su
# et al. (2015) pools the per-view FEATURES (element-wise max, "view pooling") and classifies the
# pooled features: this layer returns them, a classifier head goes after it. The pooling gives
# invariance to the order of the views (e.g. to turning the object about the cameras' axis by a
# multiple of the angle between views), not to rotations in general.

# %%
class MultiViewCNN(keras.layers.Layer):
    """Multi-view CNN with view pooling (section 9.2): one shared network for every view, then an
    element-wise max across the views, so the output does not depend on the order of the views.

    ``MultiViewCNN(view_network)`` wraps ``view_network``, any Keras layer or model that maps a batch
    of images ``(N, H, W, C)`` to features ``(N, *F)`` (a vector per image, or a feature map: any
    trailing shape ``F``). Called on views ``(B, V, H, W, C)`` (``V`` views of each of ``B``
    objects), it returns ``(B, *F)``: ``out[b] = max_v view_network(views[b, v])`` element-wise.

    Requirements: weight sharing comes from applying the SAME ``view_network``; apply it ONCE, to
    the ``B * V`` views reshaped into one batch ``(B * V, H, W, C)`` (no Python loop over the
    views, no ``keras.layers.TimeDistributed``, which maps the network over the views one at a
    time: the grader counts the calls and their batch sizes), then reshape the features back to
    ``(B, V, *F)`` and pool over axis 1. ``V`` and the image shape are static (known when the layer
    is called); ``B`` may be unknown (``None`` in a functional model). No weights of its own.
    Use ``keras.ops`` only: the layer runs under every Keras 3 backend.

    The notes speak of combining the per-view PREDICTIONS by some pooling; the multi-view CNN of Su
    et al. (2015) pools the per-view FEATURES (element-wise max, "view pooling") and classifies the
    pooled features: this layer returns them, a classifier head goes after it. The pooling gives
    invariance to the order of the views (e.g. to turning the object about the cameras' axis by a
    multiple of the angle between views), not to rotations in general.
    """

    def __init__(self, view_network, **kwargs):
        raise NotImplementedError("ch09_geometric.MultiViewCNN.__init__: not implemented yet")

    def call(self, views):
        raise NotImplementedError("ch09_geometric.MultiViewCNN.call: not implemented yet")


# %%
check("MultiViewCNN")


# %% [markdown]
# ## Exercise `monet_weights` (2 points)
#
# Gaussian patch weights of MoNet (9.38): `w(u) = exp(-1/2 (u - mu)^T Sigma^-1 (u - mu))`.
#
# Erratum: the notes write `exp(-(u - mu)^T Sigma^-1 (u - mu))`, without the `1/2`; with
# `Sigma` the covariance of the Gaussian (the notes call `mu` and `Sigma` its mean and
# variances), correct is the `1/2` (Monti et al. 2017, eq. 11); the notes' version is the
# Gaussian of covariance `Sigma / 2`.
#
# **Args:**
#
# - U: pseudo-coordinates `(..., p)`, any leading shape; typically `(n, n, p)` with
#   `U[i, j]` the coordinates `u_ij` of node `j` in the local system of node `i`.
# - mu: mean `(p,)`.
# - sigma: covariance `(p, p)`, symmetric positive definite (not its inverse).
#
# **Returns:**
#
# - float array `U.shape[:-1]` of weights in `(0, 1]` (1 exactly at `u = mu`).

# %%
def monet_weights(U, mu, sigma):
    """Gaussian patch weights of MoNet (9.38): ``w(u) = exp(-1/2 (u - mu)^T Sigma^-1 (u - mu))``.

    Erratum: the notes write ``exp(-(u - mu)^T Sigma^-1 (u - mu))``, without the ``1/2``; with
    ``Sigma`` the covariance of the Gaussian (the notes call ``mu`` and ``Sigma`` its mean and
    variances), correct is the ``1/2`` (Monti et al. 2017, eq. 11); the notes' version is the
    Gaussian of covariance ``Sigma / 2``.

    Args:
        U: pseudo-coordinates ``(..., p)``, any leading shape; typically ``(n, n, p)`` with
            ``U[i, j]`` the coordinates ``u_ij`` of node ``j`` in the local system of node ``i``.
        mu: mean ``(p,)``.
        sigma: covariance ``(p, p)``, symmetric positive definite (not its inverse).
    Returns:
        float array ``U.shape[:-1]`` of weights in ``(0, 1]`` (1 exactly at ``u = mu``).
    """
    raise NotImplementedError("ch09_geometric.monet_weights: not implemented yet")


# %%
check("monet_weights")


# %% [markdown]
# ## Exercise `monet_conv` (2 points)
#
# MoNet spatial convolution (9.39)-(9.41) with `K` Gaussian kernels.
#
# Patches: `P_k(i) = sum_{j: A[i, j] != 0} w_k(u_ij) f_j` (a vector of `d` features per node
# and kernel), with `w_k` the Gaussian weight of `monet_weights` for `mu[k]`, `sigma[k]`;
# output: `y_i = sum_k g_k . P_k(i)` (the filter `g_k` holds one coefficient per kernel and
# feature). The patch is the weighted SUM over the neighbours (Monti et al. 2017, eq. 9), not
# normalized by the total weight (the notes say "averaging"). The neighbours of `i` are the
# `j` with `A[i, j] != 0`; node `i` belongs to its own patch only where `A[i, i] != 0`,
# and an isolated node gets `y_i = 0`.
#
# Erratum (9.41): the notes write `(f * g)_i = f_i^T g` for `i = 1, ..., d`; the output is a
# signal on the graph, one value per NODE `i = 1, ..., n` (`d` counts the features).
#
# **Args:**
#
# - f: node features `(n, d)`.
# - A: adjacency `(n, n)` with entries 0 and 1 (need not be symmetric).
# - U: pseudo-coordinates `(n, n, p)`, `U[i, j] = u_ij` (used where `A[i, j] != 0`).
# - mu: means `(K, p)`; sigma: covariances `(K, p, p)`.
# - g: filter `(K, d)`.
#
# **Returns:**
#
# - float array `(n,)`.

# %%
def monet_conv(f, A, U, mu, sigma, g):
    """MoNet spatial convolution (9.39)-(9.41) with ``K`` Gaussian kernels.

    Patches: ``P_k(i) = sum_{j: A[i, j] != 0} w_k(u_ij) f_j`` (a vector of ``d`` features per node
    and kernel), with ``w_k`` the Gaussian weight of ``monet_weights`` for ``mu[k]``, ``sigma[k]``;
    output: ``y_i = sum_k g_k . P_k(i)`` (the filter ``g_k`` holds one coefficient per kernel and
    feature). The patch is the weighted SUM over the neighbours (Monti et al. 2017, eq. 9), not
    normalized by the total weight (the notes say "averaging"). The neighbours of ``i`` are the
    ``j`` with ``A[i, j] != 0``; node ``i`` belongs to its own patch only where ``A[i, i] != 0``,
    and an isolated node gets ``y_i = 0``.

    Erratum (9.41): the notes write ``(f * g)_i = f_i^T g`` for ``i = 1, ..., d``; the output is a
    signal on the graph, one value per NODE ``i = 1, ..., n`` (``d`` counts the features).

    Args:
        f: node features ``(n, d)``.
        A: adjacency ``(n, n)`` with entries 0 and 1 (need not be symmetric).
        U: pseudo-coordinates ``(n, n, p)``, ``U[i, j] = u_ij`` (used where ``A[i, j] != 0``).
        mu: means ``(K, p)``; sigma: covariances ``(K, p, p)``.
        g: filter ``(K, d)``.
    Returns:
        float array ``(n,)``.
    """
    raise NotImplementedError("ch09_geometric.monet_conv: not implemented yet")


# %%
check("monet_conv")
