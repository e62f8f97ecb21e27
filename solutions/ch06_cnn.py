"""Chapter 6 - Convolutional neural networks (from-scratch numpy exercises, and one Keras model).

Conventions used throughout this file:

* Images are NHWC: a batch ``x`` has shape ``(N, H, W, C)``. Kernels have the Keras layout
  ``(kh, kw, c_in, c_out)`` and biases shape ``(c_out,)``.
* Convolution vs cross-correlation. The notes' (6.9), (6.18), (6.20) and (6.22) are TRUE
  convolutions: the kernel is reversed, ``(f * g)[n] = sum_k f[k] g[n - k]``. Keras/TensorFlow's
  ``Conv2D`` computes the CROSS-CORRELATION ``y[n] = sum_k x[n + k] w[k]`` (kernel not reversed).
  ``conv1d``, ``toeplitz_conv_matrix``, ``circulant_matrix`` and ``continuous_conv`` follow the notes;
  ``conv2d`` follows Keras by default (``flip=False``) and computes the true convolution with
  ``flip=True``. For a kernel symmetric under ``w[::-1, ::-1]`` the two agree.
* Translation (6.4): ``T_v f(x) = f(x - v)``: the content moves by ``+v`` (towards higher indices),
  as with ``np.roll(f, v)``.
* Padding of ``conv2d`` (Fig. 6.13): ``"valid"`` (none), ``"full"`` (``k - 1`` zeros on each side),
  an int ``p`` (``p`` zeros on each side) or TensorFlow's ``"same"`` (output ``ceil(n / s)``; when the
  padding needed is odd, the extra zero goes at the END, i.e. bottom/right).

Use numpy (and math); ``build_cnn`` uses Keras 3 (``keras.layers``, ``keras.Model``). A function may
call the other exercises of this file.
"""
import keras
import numpy as np


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
    # BEGIN SOLUTION
    f = np.asarray(f)
    shifts = np.atleast_1d(np.asarray(v, dtype=int))
    if mode not in ("wrap", "zero"):
        raise ValueError(f"mode must be 'wrap' or 'zero', got {mode!r}")
    if shifts.ndim != 1 or len(shifts) > f.ndim:
        raise ValueError(f"{len(shifts)} shifts for an array with {f.ndim} axes")
    out = f
    for axis, shift in enumerate(shifts):
        n = f.shape[axis]
        source = np.arange(n) - shift  # (T_v f)[x] = f[x - v]
        if mode == "wrap":
            out = np.take(out, source % n, axis=axis)
        else:
            inside = (source >= 0) & (source < n)
            out = np.take(out, np.clip(source, 0, n - 1), axis=axis)
            mask_shape = [1] * f.ndim
            mask_shape[axis] = n
            out = np.where(inside.reshape(mask_shape), out, np.zeros((), dtype=f.dtype))
    return out
    # END SOLUTION


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
    # BEGIN SOLUTION
    f = np.asarray(f, dtype=float)
    g = np.asarray(g, dtype=float)
    if f.ndim != 1 or g.ndim != 1 or f.size == 0 or g.size == 0:
        raise ValueError("conv1d needs two non-empty 1-D arrays")
    if mode not in ("full", "valid", "same"):
        raise ValueError(f"mode must be 'full', 'valid' or 'same', got {mode!r}")
    full = np.zeros(len(f) + len(g) - 1)
    for k, g_k in enumerate(g):  # g[k] contributes f[n - k] g[k] to entry n
        full[k:k + len(f)] += g_k * f
    short, long = sorted((len(f), len(g)))
    if mode == "full":
        return full
    if mode == "valid":
        return full[short - 1:long]
    start = (short - 1) // 2
    return full[start:start + long]
    # END SOLUTION


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
    # BEGIN SOLUTION
    g = np.asarray(g, dtype=float)
    M = np.zeros((n + len(g) - 1, n))
    for j in range(n):
        M[j:j + len(g), j] = g
    return M
    # END SOLUTION


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
    # BEGIN SOLUTION
    g = np.asarray(g, dtype=float)
    n = len(g)
    i, j = np.indices((n, n))
    return g[(i - j) % n]
    # END SOLUTION


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
    # BEGIN SOLUTION
    if padding == "same":
        return -(-n // stride)
    if padding == "valid":
        p = 0
    elif padding == "full":
        p = k - 1
    elif isinstance(padding, (int, np.integer)) and not isinstance(padding, bool) and padding >= 0:
        p = int(padding)
    else:
        raise ValueError(f"padding must be 'valid', 'same', 'full' or an int >= 0, got {padding!r}")
    size = (n + 2 * p - k) // stride + 1
    if size < 1:
        raise ValueError(f"a window of {k} does not fit into {n} inputs with padding {padding!r}")
    return int(size)
    # END SOLUTION


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
    # BEGIN SOLUTION
    x = np.asarray(x, dtype=float)
    w = np.asarray(w, dtype=float)
    if x.ndim != 4 or w.ndim != 4 or w.shape[2] != x.shape[3]:
        raise ValueError(f"need x (N, H, W, C) and w (kh, kw, C, C_out), got {x.shape} and {w.shape}")
    if flip:
        w = w[::-1, ::-1]
    strides = (stride, stride) if np.ndim(stride) == 0 else tuple(stride)

    def pads(n, k, s):
        if padding == "same":
            total = max((conv_output_size(n, k, s, "same") - 1) * s + k - n, 0)
            return total // 2, total - total // 2
        p = {"valid": 0, "full": k - 1}.get(padding, padding)
        return p, p

    sizes = [conv_output_size(n, k, s, padding) for n, k, s in zip(x.shape[1:3], w.shape[:2], strides)]
    x = np.pad(x, [(0, 0), pads(x.shape[1], w.shape[0], strides[0]),
                   pads(x.shape[2], w.shape[1], strides[1]), (0, 0)])
    (oh, ow), (sh, sw) = sizes, strides
    y = np.zeros((x.shape[0], oh, ow, w.shape[3]))
    for a in range(w.shape[0]):
        for c in range(w.shape[1]):
            window = x[:, a:a + sh * (oh - 1) + 1:sh, c:c + sw * (ow - 1) + 1:sw, :]
            y += window @ w[a, c]  # (N, oh, ow, C_in) @ (C_in, C_out)
    if b is not None:
        y += np.asarray(b, dtype=float)
    return y
    # END SOLUTION


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
    # BEGIN SOLUTION
    x = np.asarray(x, dtype=float)
    (ph, pw) = (size, size) if np.ndim(size) == 0 else tuple(size)
    (sh, sw) = (stride, stride) if np.ndim(stride) == 0 else tuple(stride)
    oh = conv_output_size(x.shape[1], ph, sh, "valid")
    ow = conv_output_size(x.shape[2], pw, sw, "valid")
    y = np.full((x.shape[0], oh, ow, x.shape[3]), -np.inf)
    for a in range(ph):
        for c in range(pw):
            y = np.maximum(y, x[:, a:a + sh * (oh - 1) + 1:sh, c:c + sw * (ow - 1) + 1:sw, :])
    return y
    # END SOLUTION


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
    # BEGIN SOLUTION
    x = np.asarray(x, dtype=float)
    (ph, pw) = (size, size) if np.ndim(size) == 0 else tuple(size)
    (sh, sw) = (stride, stride) if np.ndim(stride) == 0 else tuple(stride)
    oh = conv_output_size(x.shape[1], ph, sh, "valid")
    ow = conv_output_size(x.shape[2], pw, sw, "valid")
    y = np.zeros((x.shape[0], oh, ow, x.shape[3]))
    for a in range(ph):
        for c in range(pw):
            y += x[:, a:a + sh * (oh - 1) + 1:sh, c:c + sw * (ow - 1) + 1:sw, :]
    return y / (ph * pw)
    # END SOLUTION


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
    # BEGIN SOLUTION
    return int(kh * kw * c_in * c_out + c_out)
    # END SOLUTION


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
    # BEGIN SOLUTION
    r, jump = 1, 1
    for k, s in layers:
        r += (k - 1) * jump
        jump *= s
    return int(r)
    # END SOLUTION


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
    # BEGIN SOLUTION
    return keras.Sequential([
        keras.Input(tuple(input_shape)),
        keras.layers.Conv2D(16, 3, padding="same", activation="relu"),
        keras.layers.MaxPooling2D(2, padding="same"),
        keras.layers.Conv2D(32, 3, padding="same", activation="relu"),
        keras.layers.MaxPooling2D(2, padding="same"),
        keras.layers.Flatten(),
        keras.layers.Dense(n_classes, activation="softmax"),
    ])
    # END SOLUTION


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
    # BEGIN SOLUTION
    f = np.asarray(f, dtype=float)
    H, W = f.shape[:2]
    tau = np.broadcast_to(np.asarray(tau, dtype=float), (H, W, 2))
    rows = np.arange(H)[:, None] - tau[..., 0]
    cols = np.arange(W)[None, :] - tau[..., 1]
    r0, c0 = np.floor(rows), np.floor(cols)
    a, b = rows - r0, cols - c0
    r0, c0 = r0.astype(int), c0.astype(int)
    if f.ndim == 3:
        a, b = a[..., None], b[..., None]

    def pixel(r, c):
        inside = (r >= 0) & (r < H) & (c >= 0) & (c < W)
        values = f[np.clip(r, 0, H - 1), np.clip(c, 0, W - 1)]
        return np.where(inside if f.ndim == 2 else inside[..., None], values, 0.0)

    return ((1 - a) * (1 - b) * pixel(r0, c0) + (1 - a) * b * pixel(r0, c0 + 1)
            + a * (1 - b) * pixel(r0 + 1, c0) + a * b * pixel(r0 + 1, c0 + 1))
    # END SOLUTION


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
    # BEGIN SOLUTION
    h = (hi - lo) / n
    tau = lo + (np.arange(n) + 0.5) * h
    t = np.asarray(t, dtype=float)
    return h * np.sum(f(tau) * g(t[..., None] - tau), axis=-1)
    # END SOLUTION
