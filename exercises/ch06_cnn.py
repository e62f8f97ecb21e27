# %% [markdown]
# # Chapter 6 - Convolutional neural networks (from-scratch numpy exercises, and one Keras model).
#
# Conventions used throughout this file:
#
# * Images are NHWC: a batch `x` has shape `(N, H, W, C)`. Kernels have the Keras layout
#   `(kh, kw, c_in, c_out)` and biases shape `(c_out,)`.
# * Convolution vs cross-correlation. The notes' (6.9), (6.18), (6.20) and (6.22) are TRUE
#   convolutions: the kernel is reversed, `(f * g)[n] = sum_k f[k] g[n - k]`. Keras/TensorFlow's
#   `Conv2D` computes the CROSS-CORRELATION `y[n] = sum_k x[n + k] w[k]` (kernel not reversed).
#   `conv1d`, `toeplitz_conv_matrix`, `circulant_matrix` and `continuous_conv` follow the notes;
#   `conv2d` follows Keras by default (`flip=False`) and computes the true convolution with
#   `flip=True`. For a kernel symmetric under `w[::-1, ::-1]` the two agree.
# * Translation (6.4): `T_v f(x) = f(x - v)`: the content moves by `+v` (towards higher indices),
#   as with `np.roll(f, v)`.
# * Padding of `conv2d` (Fig. 6.13): `"valid"` (none), `"full"` (`k - 1` zeros on each side),
#   an int `p` (`p` zeros on each side) or TensorFlow's `"same"` (output `ceil(n / s)`; when the
#   padding needed is odd, the extra zero goes at the END, i.e. bottom/right).
#
# Use numpy (and math); `build_cnn` uses Keras 3 (`keras.layers`, `keras.Model`). A function may
# call the other exercises of this file.
#
# **How to work in this notebook.** Run the setup cell below first. Then, for each exercise, write your
# code in place of the `raise NotImplementedError(...)` line, run the cell, and run the check cell
# after it: `check("name")` runs that exercise's public checks on the definition in this kernel and
# prints `PASS` or `FAIL` for each case (a hang stops after the time limit; an error in your code is a
# `FAIL` line); `check()` runs the whole chapter. From a shell, `autograder check ch06` checks the
# exercises folder (this notebook, or the paired `ch06_cnn.py` file), and `autograder check
# ch06_cnn.ipynb` this notebook. Your grade comes from hidden cases with other inputs. Scratch
# cells (plots, training runs, prints) are fine: grading keeps only the imports, definitions and
# constants, and leaves the rest out.
#
# _Generated from the answer key by `autograder sync` (course maintainers edit `solutions/`)._

# %%
import keras
import numpy as np

# check("name") runs an exercise's public checks on your definition; check() all of them
from autograder.notebook import Checks

check = Checks("ch06_cnn")


# %% [markdown]
# ## Exercise `translate` (2 points)
#
# The translation operator (6.4), `(T_v f)[x] = f[x - v]`, on a sampled signal or image.
#
# The content moves by `+v`: `translate(f, 1)[1] == f[0]`. `v` shifts the leading axes of
# `f`, one integer per axis (an image `(H, W)` or `(H, W, C)` takes `v = (dy, dx)`: rows
# first, so `dy > 0` moves the content down). With `mode="wrap"` indices are taken modulo the
# size (`np.roll(f, v, axis=(0, 1))`), so translations form a group: `T_u T_v = T_(u + v)` and
# `T_(-v) T_v` is the identity. With `mode="zero"` the vacated entries are 0 and what leaves
# the array is lost (then `T_(-v) T_v` is not the identity).
#
# **Args:**
#
# - f: array of any shape (at least `len(v)` axes).
# - v: int (shift of axis 0) or sequence of ints (shifts of axes 0, 1, ...).
# - mode: `"wrap"` or `"zero"`.
#
# **Returns:**
#
# - np.ndarray of the shape and dtype of `f`.
#
# **Raises:**
#
# - ValueError: for an unknown mode, or more shifts than `f` has axes.

# %%
def translate(f, v, mode="wrap"):
    """The translation operator (6.4), ``(T_v f)[x] = f[x - v]``, on a sampled signal or image.

    The content moves by ``+v``: ``translate(f, 1)[1] == f[0]``. ``v`` shifts the leading axes of
    ``f``, one integer per axis (an image ``(H, W)`` or ``(H, W, C)`` takes ``v = (dy, dx)``: rows
    first, so ``dy > 0`` moves the content down). With ``mode="wrap"`` indices are taken modulo the
    size (``np.roll(f, v, axis=(0, 1))``), so translations form a group: ``T_u T_v = T_(u + v)`` and
    ``T_(-v) T_v`` is the identity. With ``mode="zero"`` the vacated entries are 0 and what leaves
    the array is lost (then ``T_(-v) T_v`` is not the identity).

    Args:
        f: array of any shape (at least ``len(v)`` axes).
        v: int (shift of axis 0) or sequence of ints (shifts of axes 0, 1, ...).
        mode: ``"wrap"`` or ``"zero"``.

    Returns:
        np.ndarray of the shape and dtype of ``f``.

    Raises:
        ValueError: for an unknown mode, or more shifts than ``f`` has axes.
    """
    raise NotImplementedError("ch06_cnn.translate: not implemented yet")


# %%
check("translate")


# %% [markdown]
# ## Exercise `conv1d` (3 points)
#
# Discrete 1-D convolution (6.18), `(f * g)[n] = sum_k f[k] g[n - k]`, written with loops.
#
# The sequences are zero outside their samples. `"full"` returns every `n` where the two
# overlap (length `len(f) + len(g) - 1`); `"valid"` the part where the shorter one lies entirely
# inside the longer (length `max - min + 1`); `"same"` a centred part of the full result of
# length `max(len(f), len(g))` starting at index `(min(len(f), len(g)) - 1) // 2`. These are
# exactly `np.convolve(f, g, mode)`'s conventions (which you may not call). Convolution is
# commutative (6.10): `conv1d(f, g) == conv1d(g, f)`.
#
# **Args:**
#
# - f, g: non-empty 1-D arrays.
# - mode: `"full"`, `"valid"` or `"same"`.
#
# **Returns:**
#
# - float np.ndarray of the length given above.
#
# **Raises:**
#
# - ValueError: for an unknown mode, or inputs that are not non-empty 1-D arrays.

# %%
def conv1d(f, g, mode="full"):
    """Discrete 1-D convolution (6.18), ``(f * g)[n] = sum_k f[k] g[n - k]``, written with loops.

    The sequences are zero outside their samples. ``"full"`` returns every ``n`` where the two
    overlap (length ``len(f) + len(g) - 1``); ``"valid"`` the part where the shorter one lies entirely
    inside the longer (length ``max - min + 1``); ``"same"`` a centred part of the full result of
    length ``max(len(f), len(g))`` starting at index ``(min(len(f), len(g)) - 1) // 2``. These are
    exactly ``np.convolve(f, g, mode)``'s conventions (which you may not call). Convolution is
    commutative (6.10): ``conv1d(f, g) == conv1d(g, f)``.

    Args:
        f, g: non-empty 1-D arrays.
        mode: ``"full"``, ``"valid"`` or ``"same"``.

    Returns:
        float np.ndarray of the length given above.

    Raises:
        ValueError: for an unknown mode, or inputs that are not non-empty 1-D arrays.
    """
    raise NotImplementedError("ch06_cnn.conv1d: not implemented yet")


# %%
check("conv1d")


# %% [markdown]
# ## Exercise `toeplitz_conv_matrix` (2 points)
#
# The matrix of the full linear convolution with `g` (6.18): `M @ f == np.convolve(f, g)`.
#
# With zero padding, `(f * g)[i] = sum_j g[i - j] f[j]`, so `M[i, j] = g[i - j]` when
# `0 <= i - j < len(g)` and 0 otherwise: a banded Toeplitz matrix of shape
# `(n + len(g) - 1, n)` whose column `j` is `g` shifted down by `j`. Erratum: the notes'
# (6.19) is a square circulant matrix; that one wraps around (see `circulant_matrix`), while the
# zero-padded linear convolution is this rectangular one. `scipy.linalg.toeplitz` and
# `scipy.linalg.convolution_matrix` are not allowed.
#
# **Args:**
#
# - g: kernel, 1-D array of length `k >= 1`.
# - n: length of the signals `f` it will multiply, `n >= 1`.
#
# **Returns:**
#
# - float np.ndarray of shape `(n + k - 1, n)`.

# %%
def toeplitz_conv_matrix(g, n):
    """The matrix of the full linear convolution with ``g`` (6.18): ``M @ f == np.convolve(f, g)``.

    With zero padding, ``(f * g)[i] = sum_j g[i - j] f[j]``, so ``M[i, j] = g[i - j]`` when
    ``0 <= i - j < len(g)`` and 0 otherwise: a banded Toeplitz matrix of shape
    ``(n + len(g) - 1, n)`` whose column ``j`` is ``g`` shifted down by ``j``. Erratum: the notes'
    (6.19) is a square circulant matrix; that one wraps around (see ``circulant_matrix``), while the
    zero-padded linear convolution is this rectangular one. ``scipy.linalg.toeplitz`` and
    ``scipy.linalg.convolution_matrix`` are not allowed.

    Args:
        g: kernel, 1-D array of length ``k >= 1``.
        n: length of the signals ``f`` it will multiply, ``n >= 1``.

    Returns:
        float np.ndarray of shape ``(n + k - 1, n)``.
    """
    raise NotImplementedError("ch06_cnn.toeplitz_conv_matrix: not implemented yet")


# %%
check("toeplitz_conv_matrix")


# %% [markdown]
# ## Exercise `circulant_matrix` (1 point)
#
# The matrix of circular convolution with `g`: `C @ f == np.real(ifft(fft(f) * fft(g)))`.
#
# Circular convolution of two length-`n` signals is `(f * g)[i] = sum_j g[(i - j) mod n] f[j]`,
# so `C[i, j] = g[(i - j) mod n]`: the first COLUMN is `g` and each column is the previous one
# rolled down by one. `C` commutes with the cyclic shift `S = np.roll(np.eye(n), 1, axis=0)`
# (shift equivariance (6.17)), and the DFT diagonalises it with eigenvalues `fft(g)`. Conversely,
# every LINEAR operator that commutes with `S` is such a matrix: its first column is its response
# to the unit impulse. The notes drop "linear" when they call equivariance a defining property of
# convolution: the elementwise ReLU commutes with shifts too, and is no convolution.
#
# Erratum: the notes' (6.19) puts `g_1, g_2, ..., g_n` along the first ROW, i.e. `g[(j - i) mod n]`;
# that is circular CROSS-correlation, the transpose of this matrix. `scipy.linalg.circulant` is not
# allowed.
#
# **Args:**
#
# - g: 1-D array of length `n >= 1`.
#
# **Returns:**
#
# - float np.ndarray of shape `(n, n)`.

# %%
def circulant_matrix(g):
    """The matrix of circular convolution with ``g``: ``C @ f == np.real(ifft(fft(f) * fft(g)))``.

    Circular convolution of two length-``n`` signals is ``(f * g)[i] = sum_j g[(i - j) mod n] f[j]``,
    so ``C[i, j] = g[(i - j) mod n]``: the first COLUMN is ``g`` and each column is the previous one
    rolled down by one. ``C`` commutes with the cyclic shift ``S = np.roll(np.eye(n), 1, axis=0)``
    (shift equivariance (6.17)), and the DFT diagonalises it with eigenvalues ``fft(g)``. Conversely,
    every LINEAR operator that commutes with ``S`` is such a matrix: its first column is its response
    to the unit impulse. The notes drop "linear" when they call equivariance a defining property of
    convolution: the elementwise ReLU commutes with shifts too, and is no convolution.

    Erratum: the notes' (6.19) puts ``g_1, g_2, ..., g_n`` along the first ROW, i.e. ``g[(j - i) mod n]``;
    that is circular CROSS-correlation, the transpose of this matrix. ``scipy.linalg.circulant`` is not
    allowed.

    Args:
        g: 1-D array of length ``n >= 1``.

    Returns:
        float np.ndarray of shape ``(n, n)``.
    """
    raise NotImplementedError("ch06_cnn.circulant_matrix: not implemented yet")


# %%
check("circulant_matrix")


# %% [markdown]
# ## Exercise `conv_output_size` (2 points)
#
# Output length of a convolution (or pooling) along one axis (Fig. 6.13).
#
# With `p` zeros on each side the window of size `k` fits `floor((n + 2p - k) / stride) + 1`
# times: `p = 0` for `"valid"`, `p = k - 1` for `"full"`, `p` itself for an int. TensorFlow's
# `"same"` is defined by its output instead, `ceil(n / stride)` (for stride 1: `n`), whatever
# `k` is; it pads as many zeros as that needs, possibly an odd number (see `conv2d`). These are
# the sizes `keras.layers.Conv2D` produces.
#
# **Args:**
#
# - n: input length `>= 1`; k: kernel size `>= 1`; stride: `>= 1`.
# - padding: `"valid"`, `"same"`, `"full"` or an int `p >= 0`.
#
# **Returns:**
#
# - int `>= 1`.
#
# **Raises:**
#
# - ValueError: for an unknown padding, a negative `p`, or when the window does not fit even once
#   (e.g. `"valid"` with `k > n`).

# %%
def conv_output_size(n, k, stride, padding):
    """Output length of a convolution (or pooling) along one axis (Fig. 6.13).

    With ``p`` zeros on each side the window of size ``k`` fits ``floor((n + 2p - k) / stride) + 1``
    times: ``p = 0`` for ``"valid"``, ``p = k - 1`` for ``"full"``, ``p`` itself for an int. TensorFlow's
    ``"same"`` is defined by its output instead, ``ceil(n / stride)`` (for stride 1: ``n``), whatever
    ``k`` is; it pads as many zeros as that needs, possibly an odd number (see ``conv2d``). These are
    the sizes ``keras.layers.Conv2D`` produces.

    Args:
        n: input length ``>= 1``; k: kernel size ``>= 1``; stride: ``>= 1``.
        padding: ``"valid"``, ``"same"``, ``"full"`` or an int ``p >= 0``.

    Returns:
        int ``>= 1``.

    Raises:
        ValueError: for an unknown padding, a negative ``p``, or when the window does not fit even once
            (e.g. ``"valid"`` with ``k > n``).
    """
    raise NotImplementedError("ch06_cnn.conv_output_size: not implemented yet")


# %%
check("conv_output_size")


# %% [markdown]
# ## Exercise `conv2d` (6 points)
#
# A convolution layer's linear part (6.21)/(6.22) on NHWC batches, as `keras.layers.Conv2D`.
#
# With `flip=False` (Keras' convention, cross-correlation)::
#
#     y[n, i, j, o] = b[o] + sum_{a, c, ch} xp[n, i * sh + a, j * sw + c, ch] * w[a, c, ch, o]
#
# where `xp` is `x` zero-padded as `padding` says. `flip=True` uses the reversed kernel
# `w[::-1, ::-1]` instead, which is the true convolution of the notes: for one channel, stride 1
# and `"full"` padding, `y[m, n] = sum_{i, j} x[m - i, n - j] w[i, j]`. It then equals
# `scipy.signal.convolve2d` in `"full"` and `"valid"` modes (and `"same"` for odd kernels).
#
# Errata of the notes: (6.22) sums `g[i, j] w[m - i, n - j]` with `i, j` spanning the filter;
# with `i, j` indexing the FILTER it reads `sum_{i, j} g[m - i, n - j] w[i, j]`, and a layer
# adds a bias. (6.21) SUMS over the input channels `ch`; treating each channel independently (as
# the notes say for RGB images) would be a depthwise convolution, a different layer.
#
# Padding per spatial axis (input `n`, kernel `k`, stride `s`): `"valid"` none; `"full"`
# `k - 1` zeros on both sides; an int `p`: `p` on both sides; `"same"` (TensorFlow's rule)
# `total = max((ceil(n / s) - 1) * s + k - n, 0)` zeros, `total // 2` before and the rest after.
# Trap: for an EVEN `n`, `k = 3` and `s = 2` that is 0 before and 1 after, so the stride-2
# output is the stride-1 output at `[1::2]`, not `[::2]`.
#
# `tf.nn.conv*`, `keras.ops.conv` (hence Keras' conv layers), `scipy.signal` and
# `scipy.ndimage` convolutions are not allowed.
#
# **Args:**
#
# - x: `(N, H, W, C_in)`.
# - w: `(kh, kw, C_in, C_out)`.
# - b: `(C_out,)` or None (no bias).
# - stride: int, or pair `(sh, sw)`.
# - padding: `"valid"`, `"same"`, `"full"` or an int `p >= 0`.
# - flip: reverse the kernel spatially (true convolution) instead of cross-correlating.
#
# **Returns:**
#
# - float np.ndarray `(N, H_out, W_out, C_out)`, sizes as in `conv_output_size`.
#
# **Raises:**
#
# - ValueError: if `x` or `w` is not 4-D, the channels differ, or the output would be empty.

# %%
def conv2d(x, w, b=None, stride=1, padding="valid", flip=False):
    """A convolution layer's linear part (6.21)/(6.22) on NHWC batches, as ``keras.layers.Conv2D``.

    With ``flip=False`` (Keras' convention, cross-correlation)::

        y[n, i, j, o] = b[o] + sum_{a, c, ch} xp[n, i * sh + a, j * sw + c, ch] * w[a, c, ch, o]

    where ``xp`` is ``x`` zero-padded as ``padding`` says. ``flip=True`` uses the reversed kernel
    ``w[::-1, ::-1]`` instead, which is the true convolution of the notes: for one channel, stride 1
    and ``"full"`` padding, ``y[m, n] = sum_{i, j} x[m - i, n - j] w[i, j]``. It then equals
    ``scipy.signal.convolve2d`` in ``"full"`` and ``"valid"`` modes (and ``"same"`` for odd kernels).

    Errata of the notes: (6.22) sums ``g[i, j] w[m - i, n - j]`` with ``i, j`` spanning the filter;
    with ``i, j`` indexing the FILTER it reads ``sum_{i, j} g[m - i, n - j] w[i, j]``, and a layer
    adds a bias. (6.21) SUMS over the input channels ``ch``; treating each channel independently (as
    the notes say for RGB images) would be a depthwise convolution, a different layer.

    Padding per spatial axis (input ``n``, kernel ``k``, stride ``s``): ``"valid"`` none; ``"full"``
    ``k - 1`` zeros on both sides; an int ``p``: ``p`` on both sides; ``"same"`` (TensorFlow's rule)
    ``total = max((ceil(n / s) - 1) * s + k - n, 0)`` zeros, ``total // 2`` before and the rest after.
    Trap: for an EVEN ``n``, ``k = 3`` and ``s = 2`` that is 0 before and 1 after, so the stride-2
    output is the stride-1 output at ``[1::2]``, not ``[::2]``.

    ``tf.nn.conv*``, ``keras.ops.conv`` (hence Keras' conv layers), ``scipy.signal`` and
    ``scipy.ndimage`` convolutions are not allowed.

    Args:
        x: ``(N, H, W, C_in)``.
        w: ``(kh, kw, C_in, C_out)``.
        b: ``(C_out,)`` or None (no bias).
        stride: int, or pair ``(sh, sw)``.
        padding: ``"valid"``, ``"same"``, ``"full"`` or an int ``p >= 0``.
        flip: reverse the kernel spatially (true convolution) instead of cross-correlating.

    Returns:
        float np.ndarray ``(N, H_out, W_out, C_out)``, sizes as in ``conv_output_size``.

    Raises:
        ValueError: if ``x`` or ``w`` is not 4-D, the channels differ, or the output would be empty.
    """
    raise NotImplementedError("ch06_cnn.conv2d: not implemented yet")


# %%
check("conv2d")


# %% [markdown]
# ## Exercise `max_pool2d` (2 points)
#
# Max pooling on NHWC batches, `"valid"` padding, as `keras.layers.MaxPooling2D`.
#
# `y[n, i, j, ch] = max_{0 <= a < ph, 0 <= c < pw} x[n, i * sh + a, j * sw + c, ch]`, channel by
# channel. Output sizes `floor((H - ph) / sh) + 1` and likewise for W. Max pooling is
# equivariant to shifts by multiples of the stride, but only approximately invariant to small
# shifts: the notes' "invariant to small translations" holds for some inputs only.
# `keras.ops.max_pool` and `tf.nn.max_pool*` are not allowed.
#
# **Args:**
#
# - x: `(N, H, W, C)`.
# - size: int or pair `(ph, pw)`: the pooling window.
# - stride: int or pair `(sh, sw)`.
#
# **Returns:**
#
# - np.ndarray `(N, H_out, W_out, C)` (float).
#
# **Raises:**
#
# - ValueError: if the window does not fit into the input.

# %%
def max_pool2d(x, size, stride):
    """Max pooling on NHWC batches, ``"valid"`` padding, as ``keras.layers.MaxPooling2D``.

    ``y[n, i, j, ch] = max_{0 <= a < ph, 0 <= c < pw} x[n, i * sh + a, j * sw + c, ch]``, channel by
    channel. Output sizes ``floor((H - ph) / sh) + 1`` and likewise for W. Max pooling is
    equivariant to shifts by multiples of the stride, but only approximately invariant to small
    shifts: the notes' "invariant to small translations" holds for some inputs only.
    ``keras.ops.max_pool`` and ``tf.nn.max_pool*`` are not allowed.

    Args:
        x: ``(N, H, W, C)``.
        size: int or pair ``(ph, pw)``: the pooling window.
        stride: int or pair ``(sh, sw)``.

    Returns:
        np.ndarray ``(N, H_out, W_out, C)`` (float).

    Raises:
        ValueError: if the window does not fit into the input.
    """
    raise NotImplementedError("ch06_cnn.max_pool2d: not implemented yet")


# %%
check("max_pool2d")


# %% [markdown]
# ## Exercise `avg_pool2d` (1 point)
#
# Average pooling on NHWC batches, `"valid"` padding, as `keras.layers.AveragePooling2D`.
#
# `y[n, i, j, ch] = (1 / (ph pw)) sum_{a < ph, c < pw} x[n, i * sh + a, j * sw + c, ch]`. It is a
# convolution with the constant kernel `1 / (ph pw)` applied to each channel separately (a depthwise
# convolution), followed by striding. `keras.ops.average_pool` and `tf.nn.avg_pool*` are not
# allowed.
#
# **Args:**
#
# - x: `(N, H, W, C)`.
# - size: int or pair `(ph, pw)`.
# - stride: int or pair `(sh, sw)`.
#
# **Returns:**
#
# - float np.ndarray `(N, H_out, W_out, C)`, sizes as for `max_pool2d`.
#
# **Raises:**
#
# - ValueError: if the window does not fit into the input.

# %%
def avg_pool2d(x, size, stride):
    """Average pooling on NHWC batches, ``"valid"`` padding, as ``keras.layers.AveragePooling2D``.

    ``y[n, i, j, ch] = (1 / (ph pw)) sum_{a < ph, c < pw} x[n, i * sh + a, j * sw + c, ch]``. It is a
    convolution with the constant kernel ``1 / (ph pw)`` applied to each channel separately (a depthwise
    convolution), followed by striding. ``keras.ops.average_pool`` and ``tf.nn.avg_pool*`` are not
    allowed.

    Args:
        x: ``(N, H, W, C)``.
        size: int or pair ``(ph, pw)``.
        stride: int or pair ``(sh, sw)``.

    Returns:
        float np.ndarray ``(N, H_out, W_out, C)``, sizes as for ``max_pool2d``.

    Raises:
        ValueError: if the window does not fit into the input.
    """
    raise NotImplementedError("ch06_cnn.avg_pool2d: not implemented yet")


# %%
check("avg_pool2d")


# %% [markdown]
# ## Exercise `conv_param_count` (1 point)
#
# Trainable parameters of `keras.layers.Conv2D(c_out, (kh, kw))` on `c_in` input channels.
#
# One `kh x kw x c_in` filter per output channel plus one bias each: weight sharing makes the
# count independent of the image size, whereas a Dense layer between two `H x W` feature maps
# would need `(H W c_in) (H W c_out) + H W c_out` parameters.
#
# **Args:**
#
# - kh, kw: kernel size; c_in, c_out: input and output channels (all ints `>= 1`).
#
# **Returns:**
#
# - int.

# %%
def conv_param_count(kh, kw, c_in, c_out):
    """Trainable parameters of ``keras.layers.Conv2D(c_out, (kh, kw))`` on ``c_in`` input channels.

    One ``kh x kw x c_in`` filter per output channel plus one bias each: weight sharing makes the
    count independent of the image size, whereas a Dense layer between two ``H x W`` feature maps
    would need ``(H W c_in) (H W c_out) + H W c_out`` parameters.

    Args:
        kh, kw: kernel size; c_in, c_out: input and output channels (all ints ``>= 1``).

    Returns:
        int.
    """
    raise NotImplementedError("ch06_cnn.conv_param_count: not implemented yet")


# %%
check("conv_param_count")


# %% [markdown]
# ## Exercise `receptive_field` (2 points)
#
# Receptive field of one output unit of a stack of convolution/pooling layers (no padding effects).
#
# Each layer is a pair `(k, s)`: kernel (or pooling window) size and stride along one axis. A unit
# of layer `L` sees `r_L` consecutive inputs, with `r_0 = 1` and
# `r_L = r_(L-1) + (k_L - 1) * prod_(i < L) s_i`: each layer widens the view by `k - 1` of its
# INPUT's units, and one such unit is `prod_(i < L) s_i` input pixels apart from the next.
# This is the support of `d out[center] / d input`.
#
# **Args:**
#
# - layers: sequence of pairs `(k, s)` of ints `>= 1`, input side first (may be empty).
#
# **Returns:**
#
# - int `r_L`.

# %%
def receptive_field(layers):
    """Receptive field of one output unit of a stack of convolution/pooling layers (no padding effects).

    Each layer is a pair ``(k, s)``: kernel (or pooling window) size and stride along one axis. A unit
    of layer ``L`` sees ``r_L`` consecutive inputs, with ``r_0 = 1`` and
    ``r_L = r_(L-1) + (k_L - 1) * prod_(i < L) s_i``: each layer widens the view by ``k - 1`` of its
    INPUT's units, and one such unit is ``prod_(i < L) s_i`` input pixels apart from the next.
    This is the support of ``d out[center] / d input``.

    Args:
        layers: sequence of pairs ``(k, s)`` of ints ``>= 1``, input side first (may be empty).

    Returns:
        int ``r_L``.
    """
    raise NotImplementedError("ch06_cnn.receptive_field: not implemented yet")


# %%
check("receptive_field")


# %% [markdown]
# ## Exercise `build_cnn` (5 points)
#
# A small CNN classifier in Keras 3 (6.21), Fig. 6.18: convolutions and pooling, then Dense.
#
# Build and return an UNcompiled `keras.Model` (e.g. `keras.Sequential`) that maps a batch
# `(N, *input_shape)` of images in `[0, 1]` to class PROBABILITIES `(N, n_classes)` (end with a
# softmax). It must contain at least one convolution layer and have at most 100,000 parameters.
# Keep the spatial information until the classifier: a net that global-average-pools 8 filters
# learns the digits slowly (about 0.77 after 20 epochs); Flatten or more filters work much better.
#
# Grading: the grader seeds everything (`keras.utils.set_random_seed(seed)`, op determinism), builds
# your model, compiles it with `Adam(3e-3)` and sparse categorical cross-entropy, trains it for
# 10 epochs (batch 32) on `course.datasets.digits()`'s training split and measures the accuracy on
# its test split. Your accuracy must be at least the answer key's (about 0.97 with seed 0 on a CPU)
# minus 0.05, with the same seed. Other shapes are checked for the output shape only.
#
# **Args:**
#
# - input_shape: `(H, W, C)`.
# - n_classes: number of classes.
#
# **Returns:**
#
# - keras.Model.

# %%
def build_cnn(input_shape=(8, 8, 1), n_classes=10):
    """A small CNN classifier in Keras 3 (6.21), Fig. 6.18: convolutions and pooling, then Dense.

    Build and return an UNcompiled ``keras.Model`` (e.g. ``keras.Sequential``) that maps a batch
    ``(N, *input_shape)`` of images in ``[0, 1]`` to class PROBABILITIES ``(N, n_classes)`` (end with a
    softmax). It must contain at least one convolution layer and have at most 100,000 parameters.
    Keep the spatial information until the classifier: a net that global-average-pools 8 filters
    learns the digits slowly (about 0.77 after 20 epochs); Flatten or more filters work much better.

    Grading: the grader seeds everything (``keras.utils.set_random_seed(seed)``, op determinism), builds
    your model, compiles it with ``Adam(3e-3)`` and sparse categorical cross-entropy, trains it for
    10 epochs (batch 32) on ``course.datasets.digits()``'s training split and measures the accuracy on
    its test split. Your accuracy must be at least the answer key's (about 0.97 with seed 0 on a CPU)
    minus 0.05, with the same seed. Other shapes are checked for the output shape only.

    Args:
        input_shape: ``(H, W, C)``.
        n_classes: number of classes.

    Returns:
        keras.Model.
    """
    raise NotImplementedError("ch06_cnn.build_cnn: not implemented yet")


# %%
check("build_cnn")


# %% [markdown]
# ## Exercise `warp` (2 points)
#
# The deformation operator (6.6), `(L_tau f)(x) = f(x - tau(x))`, by bilinear interpolation.
#
# `tau` is a displacement field in pixels, `tau[i, j] = (dy, dx)` (rows first); a constant
# `tau = v` is the translation `T_v` of (6.4). The image is zero outside its pixels, and between
# pixels it is interpolated bilinearly: at `(r, c) = (i - dy, j - dx)` with `r0 = floor(r)`,
# `c0 = floor(c)`, `a = r - r0`, `b = c - c0`::
#
#     (1 - a)(1 - b) f[r0, c0] + (1 - a) b f[r0, c0 + 1] + a (1 - b) f[r0 + 1, c0] + a b f[r0 + 1, c0 + 1]
#
# with `f[...] = 0` at indices outside the image. So an integer constant `tau` gives exactly
# `translate(f, tau, mode="zero")`. (This is `scipy.ndimage.map_coordinates` with `order=1`
# and `mode="grid-constant"`, which you may not call.) Note the notes' (6.7) is not an
# approximate equality: a stable model satisfies the upper bound
# `||y(L_tau f) - y(f)|| <= C ||f|| ||grad tau||`.
#
# **Args:**
#
# - f: image `(H, W)` or `(H, W, C)` (the same field moves every channel).
# - tau: displacements, broadcastable to `(H, W, 2)` (a pair `(dy, dx)` for a constant shift).
#
# **Returns:**
#
# - float np.ndarray of the shape of `f`.

# %%
def warp(f, tau):
    """The deformation operator (6.6), ``(L_tau f)(x) = f(x - tau(x))``, by bilinear interpolation.

    ``tau`` is a displacement field in pixels, ``tau[i, j] = (dy, dx)`` (rows first); a constant
    ``tau = v`` is the translation ``T_v`` of (6.4). The image is zero outside its pixels, and between
    pixels it is interpolated bilinearly: at ``(r, c) = (i - dy, j - dx)`` with ``r0 = floor(r)``,
    ``c0 = floor(c)``, ``a = r - r0``, ``b = c - c0``::

        (1 - a)(1 - b) f[r0, c0] + (1 - a) b f[r0, c0 + 1] + a (1 - b) f[r0 + 1, c0] + a b f[r0 + 1, c0 + 1]

    with ``f[...] = 0`` at indices outside the image. So an integer constant ``tau`` gives exactly
    ``translate(f, tau, mode="zero")``. (This is ``scipy.ndimage.map_coordinates`` with ``order=1``
    and ``mode="grid-constant"``, which you may not call.) Note the notes' (6.7) is not an
    approximate equality: a stable model satisfies the upper bound
    ``||y(L_tau f) - y(f)|| <= C ||f|| ||grad tau||``.

    Args:
        f: image ``(H, W)`` or ``(H, W, C)`` (the same field moves every channel).
        tau: displacements, broadcastable to ``(H, W, 2)`` (a pair ``(dy, dx)`` for a constant shift).

    Returns:
        float np.ndarray of the shape of ``f``.
    """
    raise NotImplementedError("ch06_cnn.warp: not implemented yet")


# %%
check("warp")


# %% [markdown]
# ## Exercise `continuous_conv` (1 point)
#
# Continuous convolution (6.9), `(f * g)(t) = integral f(tau) g(t - tau) dtau`, by a Riemann sum.
#
# Use the midpoint rule on `[lo, hi]`, which must contain the support of `f`: with
# `h = (hi - lo) / n` and `tau_i = lo + (i + 1/2) h` for `i = 0, ..., n - 1`::
#
#     (f * g)(t) ~ h * sum_i f(tau_i) g(t - tau_i)
#
# Example: the unit box (1 on `|x| < 1/2`) convolved with itself is the triangle
# `max(1 - |t|, 0)`, with peak 1 at `t = 0` and area 1 (areas multiply under convolution).
#
# **Args:**
#
# - f, g: vectorised functions of a float array (return an array of the same shape).
# - t: float or array of points where to evaluate.
# - lo, hi: integration interval, `lo < hi`.
# - n: number of subintervals.
#
# **Returns:**
#
# - float np.ndarray of the shape of `t`.

# %%
def continuous_conv(f, g, t, lo, hi, n=1000):
    """Continuous convolution (6.9), ``(f * g)(t) = integral f(tau) g(t - tau) dtau``, by a Riemann sum.

    Use the midpoint rule on ``[lo, hi]``, which must contain the support of ``f``: with
    ``h = (hi - lo) / n`` and ``tau_i = lo + (i + 1/2) h`` for ``i = 0, ..., n - 1``::

        (f * g)(t) ~ h * sum_i f(tau_i) g(t - tau_i)

    Example: the unit box (1 on ``|x| < 1/2``) convolved with itself is the triangle
    ``max(1 - |t|, 0)``, with peak 1 at ``t = 0`` and area 1 (areas multiply under convolution).

    Args:
        f, g: vectorised functions of a float array (return an array of the same shape).
        t: float or array of points where to evaluate.
        lo, hi: integration interval, ``lo < hi``.
        n: number of subintervals.

    Returns:
        float np.ndarray of the shape of ``t``.
    """
    raise NotImplementedError("ch06_cnn.continuous_conv: not implemented yet")


# %%
check("continuous_conv")
