"""Chapter 6 - Convolutional neural networks (reference code).

Images are NHWC; kernels have the Keras layout ``(kh, kw, c_in, c_out)``. Keras' ``Conv2D`` computes
CROSS-correlation, ``y[i] = sum_a x[i + a] w[a]``; the notes' (6.9), (6.18), (6.20) and (6.22) are
true convolutions, ``y[i] = sum_a x[i - a] w[a]`` (the kernel reversed): ``conv2d(..., flip=True)``.
Translation (6.4) is ``T_v f(x) = f(x - v)``: the content moves by ``+v``, as with ``np.roll``.

Importing this module is light (numpy only): Keras/TensorFlow and scipy are imported by the functions
that use them, and matplotlib by the figure functions.
"""
import functools

import numpy as np

from course.datasets import digits

# --------------------------------------------------------------------------------------------------
# Operators on images: deformation (6.6), convolution (6.20)-(6.22), pooling


def warp(f, tau):
    """Deformation (6.6), ``(L_tau f)(x) = f(x - tau(x))``, bilinear, zero outside the image.

    Args:
        f: image ``(H, W)``; tau: displacements ``(dy, dx)`` in pixels, broadcastable to ``(H, W, 2)``.

    Returns:
        float array ``(H, W)``; an integer constant ``tau = v`` translates by ``v`` (6.4).
    """
    from scipy.ndimage import map_coordinates

    f = np.asarray(f, dtype=float)
    tau = np.broadcast_to(np.asarray(tau, dtype=float), (*f.shape, 2))
    rows, cols = np.indices(f.shape)
    return map_coordinates(f, [rows - tau[..., 0], cols - tau[..., 1]], order=1, mode="grid-constant")


def smooth_field(shape, amplitude=1.0, seed=0):
    """A smooth random deformation field ``(H, W, 2)``: a few long-wavelength sines per component.

    Its largest displacement is about ``amplitude`` pixels and ``||grad tau||`` scales with it, which
    is the quantity that bounds the change of a stable model's output (6.7).
    """
    rng = np.random.default_rng(seed)
    H, W = shape
    rows, cols = np.indices(shape) / np.array([H, W])[:, None, None]
    field = np.zeros((H, W, 2))
    for component in range(2):
        for _ in range(3):
            ky, kx, phase = rng.uniform(-1.5, 1.5), rng.uniform(-1.5, 1.5), rng.uniform(0, 2 * np.pi)
            field[..., component] += np.sin(2 * np.pi * (ky * rows + kx * cols) + phase)
    return amplitude * field / np.max(np.abs(field))


def conv2d(x, w, b=None, stride=1, padding="valid", flip=False):
    """A convolution layer's linear part with ``keras.ops.conv`` (what ``keras.layers.Conv2D`` runs).

    ``padding`` is ``"valid"``, ``"same"`` (TensorFlow's rule: ``ceil(n / s)`` outputs, the odd zero at
    the end), ``"full"`` (``k - 1`` zeros per side) or an int ``p`` (``p`` zeros per side); the last two
    are explicit zero padding followed by ``"valid"``. ``flip=True`` reverses the kernel spatially: the
    true convolution (6.22), which ``scipy.signal.convolve2d`` computes for one channel.

    Backends: any Keras 3 backend (tested under TensorFlow and JAX).

    Args:
        x: ``(N, H, W, C_in)``; w: ``(kh, kw, C_in, C_out)``; b: ``(C_out,)`` or None; stride: int or pair.

    Returns:
        float32 numpy array ``(N, H_out, W_out, C_out)``.
    """
    import keras

    x = np.asarray(x, dtype="float32")
    w = np.asarray(w, dtype="float32")
    if flip:
        w = w[::-1, ::-1]
    if padding not in ("valid", "same"):
        p = (w.shape[0] - 1, w.shape[1] - 1) if padding == "full" else (padding, padding)
        x = np.pad(x, [(0, 0), (p[0], p[0]), (p[1], p[1]), (0, 0)])
        padding = "valid"
    y = keras.ops.conv(x, w, strides=stride, padding=padding)
    if b is not None:
        y = keras.ops.add(y, np.asarray(b, dtype="float32"))
    return keras.ops.convert_to_numpy(y)


def pool2d(x, size, stride=None, kind="max"):
    """Max or average pooling (``"valid"``) with ``keras.ops``: ``(N, H, W, C) -> (N, H', W', C)``.

    ``stride`` defaults to ``size`` (non-overlapping windows), as in Keras.

    Backends: any Keras 3 backend (tested under TensorFlow and JAX).
    """
    import keras

    pool = keras.ops.max_pool if kind == "max" else keras.ops.average_pool
    y = pool(np.asarray(x, dtype="float32"), size, strides=stride or size, padding="valid")
    return keras.ops.convert_to_numpy(y)


def circular_conv(x, w):
    """Periodic cross-correlation: ``y[i, j] = sum_{a, b} x[(i + a) % H, (j + b) % W] w[a, b]``.

    Args:
        x: ``(N, H, W, C_in)``; w: ``(kh, kw, C_in, C_out)``.

    Returns:
        ``(N, H, W, C_out)``. It commutes EXACTLY with ``np.roll`` over the spatial axes (6.17).
    """
    x = np.asarray(x, dtype=float)
    y = 0.0
    for a in range(w.shape[0]):
        for b in range(w.shape[1]):
            y = y + np.roll(x, (-a, -b), axis=(1, 2)) @ w[a, b]
    return y


def invariance_gap(model_fn, x, shifts):
    """How far ``model_fn`` is from translation invariance (6.5) on the batch ``x``, shift by shift.

    Args:
        model_fn: maps a batch ``(N, H, W, C)`` to outputs ``(N, ...)``.
        x: ``(N, H, W, C)``.
        shifts: list of ``(dy, dx)``; the input is shifted circularly (``np.roll``).

    Returns:
        array ``(len(shifts),)``: ``max |model_fn(T_v x) - model_fn(x)|`` for each ``v``.
    """
    reference = np.asarray(model_fn(x))
    return np.array([np.max(np.abs(np.asarray(model_fn(np.roll(x, v, axis=(1, 2)))) - reference))
                     for v in shifts])


# --------------------------------------------------------------------------------------------------
# Parameter counts and receptive fields


def param_counts(height, width, c_in, c_out, k):
    """Parameters of a layer mapping ``(height, width, c_in)`` to ``(height, width, c_out)`` feature maps.

    Returns:
        dict: ``"dense"``, a fully connected layer ``(H W c_in) (H W c_out) + H W c_out``, and
        ``"conv"``, a ``k x k`` convolution ``k^2 c_in c_out + c_out`` (weight sharing: independent of
        the image size).
    """
    n_in, n_out = height * width * c_in, height * width * c_out
    return {"dense": n_in * n_out + n_out, "conv": k * k * c_in * c_out + c_out}


def receptive_field_support(layers, size=None):
    """Measured receptive field of a stack of ``(kernel, stride)`` layers, by automatic differentiation.

    Builds ``Conv2D(1, k, strides=s, padding="valid")`` layers with all weights 1 and no bias, takes
    ``d out[center] / d input`` with ``tf.GradientTape`` and returns the number of input rows where it
    is nonzero (all paths add positive contributions, so nothing cancels).

    Backends: TensorFlow only (``tf.GradientTape``).

    Args:
        layers: list of ``(k, s)``, input side first; size: input side (default: large enough).

    Returns:
        int.
    """
    import keras
    import tensorflow as tf

    if size is None:
        size = 1
        for k, s in reversed(layers):
            size = (size + 1) * s + k  # room for two outputs at every layer
    stack = [keras.layers.Conv2D(1, k, strides=s, use_bias=False, kernel_initializer="ones")
             for k, s in layers]
    x = tf.Variable(tf.ones((1, size, size, 1)))
    with tf.GradientTape() as tape:
        y = x
        for layer in stack:
            y = layer(y)
        center = y[0, y.shape[1] // 2, y.shape[2] // 2, 0]
    grad = tape.gradient(center, x).numpy()[0, :, :, 0]
    return int(np.count_nonzero(grad.any(axis=1)))


# --------------------------------------------------------------------------------------------------
# A CNN classifier (Fig. 6.18) trained on the 8x8 digits


def make_cnn(input_shape=(8, 8, 1), n_classes=10, filters=(32, 32, 64), dropout=0.3):
    """Conv-Conv-Pool-Conv-Pool-Flatten-Dropout-Dense: ``(N, *input_shape)`` -> class probabilities.

    The convolutions are 3x3, ``"same"``, ReLU; pooling is 2x2 max pooling.

    Backends: any Keras 3 backend (tested under TensorFlow and JAX).
    """
    import keras

    layers = keras.layers
    return keras.Sequential([
        keras.Input(tuple(input_shape)),
        layers.Conv2D(filters[0], 3, padding="same", activation="relu"),
        layers.Conv2D(filters[1], 3, padding="same", activation="relu"),
        layers.MaxPooling2D(2, padding="same"),
        layers.Conv2D(filters[2], 3, padding="same", activation="relu"),
        layers.MaxPooling2D(2, padding="same"),
        layers.Flatten(),
        layers.Dropout(dropout),
        layers.Dense(n_classes, activation="softmax"),
    ], name="digits_cnn")


def train_cnn(epochs=15, batch_size=32, lr=2e-3, seed=0, n_train=None, model=None):
    """Train ``make_cnn()`` (or ``model``) on ``digits()`` with Adam and sparse categorical cross-entropy.

    The learning rate decays from ``lr`` to 0 along a cosine over all the steps (the constant rate
    ends 0.976-0.984 depending on the seed; the decay settles at 0.982-0.984 for seeds 0-3 on a CPU).
    Seeded with ``keras.utils.set_random_seed(seed)``; about 20 s on two CPU cores.

    Backends: any Keras 3 backend (tested under TensorFlow and JAX).

    Args:
        n_train: use only the first ``n_train`` training images (quick runs).

    Returns:
        (model, history dict of per-epoch ``loss``/``accuracy``, test accuracy).
    """
    import keras

    keras.utils.set_random_seed(seed)
    x_train, y_train, x_test, y_test = digits()
    x_train, y_train = x_train[:n_train], y_train[:n_train]
    model = model or make_cnn()
    steps = epochs * -(-len(x_train) // batch_size)
    model.compile(optimizer=keras.optimizers.Adam(keras.optimizers.schedules.CosineDecay(lr, steps)),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    history = model.fit(x_train, y_train, epochs=epochs, batch_size=batch_size, verbose=0)
    predicted = np.argmax(model.predict(x_test, verbose=0), axis=-1)
    return model, history.history, float(np.mean(predicted == y_test))


# --------------------------------------------------------------------------------------------------
# Index maps of real convolutions and pooling: sliding windows, receptive fields, weight sharing


def dependency_matrix(n, kernel, stride=1, padding="valid", kind="conv"):
    """Which inputs each output of a 1-D convolution or pooling reads, found by running the op itself.

    The ``n`` one-hot sequences of length ``n`` go through ``keras.ops.conv`` (kernel of ones) or
    ``keras.ops.max_pool``; output ``i`` of input ``e_p`` is nonzero exactly when position ``p`` is in
    the window of ``i``. ``padding`` is ``"valid"``, ``"same"`` (Keras' rule), an int ``p`` or
    ``"full"`` (``kernel - 1``): the last two add ``p`` explicit zeros per side first, and the
    columns then index that padded axis of length ``n + 2p`` (zeros included).

    Returns:
        (D, p): boolean ``(n_out, n + 2p)`` with ``D[i, q]`` true when output ``i`` reads position
        ``q``, and ``p`` (0 for ``"valid"`` and ``"same"``). A 2-D square op reads ``D[i] x D[j]``.

    Backends: any Keras 3 backend.
    """
    import keras

    p = 0
    if padding not in ("valid", "same"):
        p = kernel - 1 if padding == "full" else int(padding)
        padding = "valid"
    eye = np.eye(n + 2 * p, dtype="float32")[:, :, None]
    if kind == "conv":
        out = keras.ops.conv(eye, np.ones((kernel, 1, 1), "float32"), strides=stride, padding=padding)
    elif kind == "pool":
        out = keras.ops.max_pool(eye, kernel, strides=stride, padding=padding)
    else:
        raise ValueError(f"unknown kind {kind!r}: use 'conv' or 'pool'")
    return keras.ops.convert_to_numpy(out)[:, :, 0].T > 0, p


def _spatial_layers(model):
    """(layer, kind, kernel, stride, padding) for the Conv2D / pooling layers before the first Flatten."""
    import keras

    out = []
    for layer in model.layers:
        if isinstance(layer, (keras.layers.Flatten, keras.layers.Dense, keras.layers.GlobalAveragePooling2D)):
            break
        config = layer.get_config()
        if isinstance(layer, keras.layers.Conv2D):
            out.append((layer, "conv", config["kernel_size"][0], config["strides"][0], config["padding"]))
        elif isinstance(layer, (keras.layers.MaxPooling2D, keras.layers.AveragePooling2D)):
            stride = (config["strides"] or config["pool_size"])[0]
            out.append((layer, "pool", config["pool_size"][0], stride, config["padding"]))
    return out


def receptive_fields(model, n=None):
    """Receptive fields of every convolution/pooling layer of a square-input CNN, along one axis.

    Composes the ``dependency_matrix`` of each layer (read off the layer's kernel size, stride and
    padding) by boolean matrix products: row ``i`` of the result for a layer marks the input pixels
    that can influence its output ``i`` (a unit's 2-D field is the product of a row and a column).

    Returns:
        list of ``(layer name, D)`` with ``D`` boolean ``(n_out, n)``; ``n`` is the input side.
    """
    n = n or model.inputs[0].shape[1]
    total = np.eye(n, dtype=bool)
    fields = []
    for layer, kind, kernel, stride, padding in _spatial_layers(model):
        D, _ = dependency_matrix(total.shape[0], kernel, stride, padding, kind)
        total = (D.astype(int) @ total.astype(int)) > 0
        fields.append((layer.name, total))
    return fields


def field_mask(D, i, j):
    """The 2-D receptive field ``(n, n)`` of output ``(i, j)`` from a one-axis field ``D``."""
    return np.outer(D[i], D[j])


def sliding_window(image, kernel, stride=1):
    """Fig 6.12: a 2-D "valid" cross-correlation, its output and the window of every output.

    The output comes from ``conv2d`` (``keras.ops.conv``); the windows from ``dependency_matrix``.

    Returns:
        (output ``(H_out, W_out)``, rows ``(H_out, H)``, cols ``(W_out, W)``): output ``(i, j)`` reads
        the input pixels ``rows[i] x cols[j]``.
    """
    image, kernel = np.asarray(image, dtype=float), np.asarray(kernel, dtype=float)
    out = conv2d(image[None, :, :, None], kernel[:, :, None, None], stride=stride)[0, :, :, 0]
    rows, _ = dependency_matrix(image.shape[0], kernel.shape[0], stride)
    cols, _ = dependency_matrix(image.shape[1], kernel.shape[1], stride)
    return out, rows, cols


def conv1d_steps(f, g):
    """Fig 6.11: the full discrete convolution (6.18) of finite ``f`` and ``g``, shift by shift.

    ``f`` is zero-padded so that ``g[n - k]`` overlaps it for every ``n = 0 .. len(f) + len(g) - 2``.

    Returns:
        dict with ``k`` (positions of ``f``), ``reversed`` ``(n_out, len(f))`` (``g[n - k]``, 0 where
        undefined), ``products`` (``f[k] g[n - k]``) and ``y`` (their sums over ``k``).
    """
    f, g = np.asarray(f, dtype=float), np.asarray(g, dtype=float)
    k = np.arange(len(f))
    n = np.arange(len(f) + len(g) - 1)[:, None]
    index = n - k[None, :]
    inside = (index >= 0) & (index < len(g))
    shifted = np.where(inside, g[np.clip(index, 0, len(g) - 1)], 0.0)
    products = f[None, :] * shifted
    return {"k": k, "reversed": shifted, "products": products, "y": products.sum(axis=1)}


def conv_matrix(kernel, n, stride=1):
    """Fig 6.15: the matrix ``(n_out, n)`` of a ``keras.layers.Conv1D`` ("valid", no bias) with ``kernel``.

    Read off by applying the layer to the ``n`` basis vectors: column ``q`` is the layer's output for
    ``e_q``. Row ``i`` holds the SAME weights ``kernel[a]`` at columns ``i stride + a`` and zeros
    elsewhere: weight sharing and sparse interactions.

    Backends: any Keras 3 backend.
    """
    import keras

    kernel = np.asarray(kernel, dtype="float32")
    layer = keras.layers.Conv1D(1, len(kernel), strides=stride, use_bias=False)
    layer.build((None, n, 1))
    layer.set_weights([kernel[:, None, None]])
    basis = np.eye(n, dtype="float32")[:, :, None]
    return keras.ops.convert_to_numpy(layer(basis))[:, :, 0].T


def autocorrelation(image, max_lag):
    """Normalised autocorrelation of a 2-D image for lags up to ``max_lag`` (Fig 6.2).

    ``R[dy, dx] = sum_x z(x) z(x + d) / sum_x z(x)^2`` of the mean-removed image ``z`` (zeros
    outside), by FFT. 1 at lag 0; it stays high over the size of repeated parts and shows peaks
    at the periods of repeating patterns; for white noise it is ~0 at every other lag.

    Returns:
        ``(2 max_lag + 1, 2 max_lag + 1)`` array, lag ``(0, 0)`` at the centre.
    """
    from scipy.signal import fftconvolve

    z = np.asarray(image, dtype=float)
    z = z - z.mean()
    full = fftconvolve(z, z[::-1, ::-1], mode="full")
    cy, cx = z.shape[0] - 1, z.shape[1] - 1
    window = full[cy - max_lag:cy + max_lag + 1, cx - max_lag:cx + max_lag + 1]
    return window / full[cy, cx]


def sample_image(name="china.jpg", gray=True):
    """One of scikit-learn's bundled photographs (``china.jpg``, ``flower.jpg``), in [0, 1]; offline."""
    from sklearn.datasets import load_sample_image

    image = load_sample_image(name).astype(float) / 255.0
    return image @ np.array([0.299, 0.587, 0.114]) if gray else image


def fill_from_self_similarity(image, top, left, size, ring=4):
    """Fill a square hole with the block whose surrounding ring matches the hole's ring best (Fig 6.3).

    The hole is ``image[top:top+size, left:left+size]``. Every candidate block of the image (ring
    included, not overlapping the hole's ring) is scored by the sum of squared differences between
    its ring and the hole's ring, computed for all positions at once with FFT correlations; the best
    block is copied in. Data that repeats itself predicts what the hole hides.

    Returns:
        (filled image, (row, col) of the copied block's top-left corner).
    """
    from scipy.signal import fftconvolve

    image = np.asarray(image, dtype=float)
    side = size + 2 * ring
    mask = np.ones((side, side))
    mask[ring:ring + size, ring:ring + size] = 0.0
    template = image[top - ring:top - ring + side, left - ring:left - ring + side] * mask

    def correlate(a, b):
        return fftconvolve(a, b[::-1, ::-1], mode="valid")

    ssd = correlate(image ** 2, mask) - 2 * correlate(image, template) + np.sum(template ** 2)
    rows, cols = np.indices(ssd.shape)
    overlap = (np.abs(rows - (top - ring)) < side) & (np.abs(cols - (left - ring)) < side)
    ssd[overlap] = np.inf
    r, c = np.unravel_index(np.argmin(ssd), ssd.shape)
    filled = image.copy()
    filled[top:top + size, left:left + size] = image[r + ring:r + ring + size, c + ring:c + ring + size]
    return filled, (int(r + ring), int(c + ring))


def conv_stack(n_layers=4, filters=8, input_shape=(32, 32, 1)):
    """Fig 6.14: ``n_layers`` 3x3 "same" ReLU convolutions and nothing else, as a ``keras.Sequential``.

    Backends: any Keras 3 backend.
    """
    import keras

    return keras.Sequential([keras.Input(input_shape)] + [
        keras.layers.Conv2D(filters, 3, padding="same", activation="relu", name=f"conv{k + 1}")
        for k in range(n_layers)], name="conv_stack")


def conv_pool_stack(filters=(8, 16, 32), input_shape=(32, 32, 1)):
    """Fig 6.17: 3x3 "same" ReLU convolutions, each followed by 2x2 max pooling (``keras.Sequential``).

    Backends: any Keras 3 backend.
    """
    import keras

    layers = [keras.Input(input_shape)]
    for k, c in enumerate(filters):
        layers += [keras.layers.Conv2D(c, 3, padding="same", activation="relu", name=f"conv{k + 1}"),
                   keras.layers.MaxPooling2D(2, name=f"pool{k + 1}")]
    return keras.Sequential(layers, name="conv_pool_stack")


def deform_and_occlude(images, amplitude, occluded_rows, seed=0):
    """Fig 6.6: each image warped by its own smooth field (6.6) and missing a band of rows.

    Args:
        images: ``(N, H, W, 1)``; amplitude: largest displacement in pixels (``smooth_field``);
        occluded_rows: how many consecutive rows are set to 0, at a random place per image.

    Returns:
        float32 array like ``images``. ``amplitude = 0`` and ``occluded_rows = 0`` return the images.
    """
    rng = np.random.default_rng(seed)
    out = np.array(images, dtype="float32")
    H = out.shape[1]
    for k in range(len(out)):
        if amplitude:
            tau = smooth_field(out.shape[1:3], amplitude, seed=int(rng.integers(2 ** 31)))
            out[k, :, :, 0] = warp(out[k, :, :, 0], tau)
        if occluded_rows:
            start = int(rng.integers(0, H - occluded_rows + 1))
            out[k, start:start + occluded_rows] = 0.0
    return out


def robustness_grid(predict, images, labels, amplitudes, occlusions, seed=0):
    """Accuracy of ``predict`` (images -> class scores) on deformed, partial copies of ``images``.

    Returns:
        array ``(len(amplitudes), len(occlusions))`` of accuracies.
    """
    return np.array([[float(np.mean(np.argmax(predict(deform_and_occlude(images, a, o, seed)), axis=-1)
                                     == labels)) for o in occlusions] for a in amplitudes])


def top_activations(model, images, layer_name, channel, k=4):
    """The ``k`` strongest responses of one channel of one layer over ``images``, with their fields.

    Returns:
        list of ``(image index, i, j, activation, mask)`` sorted by decreasing activation; ``mask``
        ``(H, W)`` is the unit's receptive field (``receptive_fields``).

    Backends: any Keras 3 backend.
    """
    import keras

    probe = keras.Model(model.inputs[0], model.get_layer(layer_name).output)
    maps = keras.ops.convert_to_numpy(probe(np.asarray(images, dtype="float32")))[..., channel]
    D = dict(receptive_fields(model))[layer_name]
    order = np.argsort(maps.ravel())[::-1][:k]
    out = []
    for flat in order:
        index, i, j = np.unravel_index(flat, maps.shape)
        out.append((int(index), int(i), int(j), float(maps[index, i, j]), field_mask(D, i, j)))
    return out


# --------------------------------------------------------------------------------------------------
# Figures

_EDGE = np.array([[1.0, 0.0, -1.0], [2.0, 0.0, -2.0], [1.0, 0.0, -1.0]])  # Sobel, vertical edges


def _digit(index=0, upsample=4):
    """A training digit ``(8 upsample, 8 upsample)``, bilinearly enlarged so that warps are visible."""
    from scipy.ndimage import zoom

    image = digits()[0][index, :, :, 0]
    return np.clip(zoom(np.pad(image, 1), upsample, order=1, grid_mode=True, mode="grid-constant"), 0, 1)


def _show(ax, image, title, cmap="gray_r", limit=None):
    """Draw an image; the diverging map "RdBu" is centred on 0 (within +-``limit``, default its max)."""
    if cmap == "RdBu":
        limit = limit or np.abs(image).max() or 1.0
        ax.imshow(image, cmap=cmap, vmin=-limit, vmax=limit)
    else:
        ax.imshow(image, cmap=cmap)
    ax.set(title=title, xticks=[], yticks=[])


def _draw_translate_warp(fig):
    fig.set_size_inches(12, 3.2)
    f = _digit()
    tau = smooth_field(f.shape, amplitude=3.0, seed=1)
    panels = [(f, "f"), (np.roll(f, (6, -8), axis=(0, 1)), "T_v f, v = (6, -8) (6.4)"),
              (warp(f, tau), "L_tau f, smooth tau (6.6)"), (warp(f, 3 * tau), "L_tau f, 3x larger tau")]
    for ax, (image, title) in zip(fig.subplots(1, len(panels)), panels):
        _show(ax, image, title)


def _box(t):
    return (np.abs(t) < 0.5).astype(float)


def _draw_box_conv(fig):
    fig.set_size_inches(13, 3.2)
    tau = np.linspace(-2, 2, 801)
    shifts = (-1.25, -0.75, -0.25, 0.0, 0.5)
    for ax, t in zip(fig.subplots(1, len(shifts), sharey=True), shifts):
        product = _box(tau) * _box(t - tau)
        ax.plot(tau, _box(tau), "C0", label="f(tau)")
        ax.plot(tau, _box(t - tau), "C3", label="g(t - tau)")
        ax.fill_between(tau, product, color="gold", alpha=0.6, label="f(tau) g(t - tau)")
        done = tau <= t
        ax.plot(tau[done], np.maximum(1 - np.abs(tau[done]), 0), "k", lw=2, label="(f * g)(t)")
        ax.set(title=f"t = {t}: area {np.trapezoid(product, tau):.2f}", xlabel="tau", ylim=(-0.05, 1.15))
    ax.legend(loc="upper right", fontsize=7)


def _index_grid(ax, n, kernel, stride, padding, outputs, title):
    """Input cells (blue), padding zeros (white, dotted) and the windows of ``outputs`` (from the index map)."""
    from matplotlib.patches import Rectangle

    D, p = dependency_matrix(n, kernel, stride, padding)
    total = n + 2 * p
    for i in range(total):
        for j in range(total):
            inside = p <= i < p + n and p <= j < p + n
            ax.add_patch(Rectangle((j, total - 1 - i), 1, 1, edgecolor="gray", ls="-" if inside else ":",
                                   facecolor="lightsteelblue" if inside else "white"))
    for number, (i, j) in enumerate(outputs):
        rows, cols = np.flatnonzero(D[i]), np.flatnonzero(D[j])
        ax.add_patch(Rectangle((cols[0] + 0.08 * number, total - 1 - rows[-1] + 0.08 * number), len(cols) - 0.16,
                               len(rows) - 0.16, fill=False, edgecolor=f"C{3 + number}", lw=2.5))
    ax.set(xlim=(-0.2, total + 0.2), ylim=(-0.2, total + 0.2), aspect="equal",
           title=f"{title}: {n} -> {len(D)} outputs", xticks=[], yticks=[])


def _draw_padding_stride(fig):
    fig.set_size_inches(12, 4.6)
    n, k = 5, 3
    axes = fig.subplots(1, 3)
    _index_grid(axes[0], n, k, 1, "valid", [(0, 0), (0, 1)], "(a) valid, stride 1")
    _index_grid(axes[1], n, k, 1, "full", [(0, 0), (0, 1)], "(b) full: k - 1 zeros per side")
    _index_grid(axes[2], n, k, 2, 1, [(0, 0), (0, 1)], "(c) 1 zero per side, stride 2")
    fig.suptitle("Boundary conditions and stride (Fig 6.13): floor((n + 2p - k) / s) + 1 outputs\nwindows of "
                 "outputs (0, 0) in red and (0, 1) in purple, read off keras.ops.conv")


def _draw_shift_equivariance(fig):
    fig.set_size_inches(12, 3.4)
    f = _digit()[None, :, :, None]
    shifted = np.roll(f, (5, 7), axis=(1, 2))
    w = _EDGE[:, :, None, None]
    maps = circular_conv(f, w)[0, :, :, 0], circular_conv(shifted, w)[0, :, :, 0]
    gap = maps[1] - np.roll(maps[0], (5, 7), axis=(0, 1))
    panels = [(f[0, :, :, 0], "f", "gray_r"), (shifted[0, :, :, 0], "T_v f", "gray_r"),
              (maps[0], "G f (edge filter)", "RdBu"), (maps[1], "G T_v f", "RdBu"),
              (gap, f"G T_v f - T_v G f: max {np.abs(gap).max():.1g}", "RdBu")]
    limit = np.abs(maps[0]).max()
    for ax, (image, title, cmap) in zip(fig.subplots(1, len(panels)), panels):
        _show(ax, image, title, cmap, limit)
    fig.suptitle("Shift equivariance (6.17): convolving then shifting = shifting then convolving")


def _draw_pooling(fig):
    fig.set_size_inches(11, 3.4)
    f = _digit()[None, :, :, None]
    feature = np.maximum(circular_conv(f, _EDGE[:, :, None, None]), 0)
    shifted = np.roll(feature, 1, axis=2)
    side = feature.shape[1]
    panels = [(feature, f"ReLU(edge filter) ({side} x {side})"),
              (pool2d(feature, 4), f"max pool 4x4 ({side // 4} x {side // 4})"),
              (pool2d(feature, 4, kind="average"), "average pool 4x4"),
              (pool2d(shifted, 4) - pool2d(feature, 4), "max pool(1-pixel shift) - max pool")]
    for ax, (image, title) in zip(fig.subplots(1, len(panels)), panels):
        _show(ax, image[0, :, :, 0], title, "RdBu" if "shift" in title else "magma")


@functools.lru_cache(maxsize=2)
def _trained_cnn(epochs):
    return train_cnn(epochs=epochs, seed=0)


def _draw_learned_filters(fig, config):
    import keras

    fig.set_size_inches(12, 5)
    model, _, accuracy = _trained_cnn(config["epochs"])
    first = model.layers[0]
    kernels = first.get_weights()[0][:, :, 0, :]
    image = digits()[2][:1]
    maps = keras.ops.convert_to_numpy(first(image))[0]
    axes = fig.subplots(2, 8)
    for i in range(8):
        _show(axes[0, i], kernels[:, :, i], f"filter {i}", "RdBu")
        _show(axes[1, i], maps[:, :, i], f"feature map {i}", "magma")
    fig.suptitle(f"First layer of make_cnn() after {config['epochs']} epochs (test accuracy {accuracy:.3f})")


def _draw_mlp_layers(fig):
    from course.ch05_mlp_backprop import build_mlp
    from course.diagrams import dense_graph, draw_dense_graph

    fig.set_size_inches(9, 4)
    graph = dense_graph(build_mlp(4, [6, 6, 6, 3], ["relu"] * 3 + ["linear"]))
    L = len(graph["kernels"])
    labels = ["f_in = g^(0)"] + [f"g^({k}) = sigma(W^({k}) g^({k - 1}))\nW^({k}): {w.shape[1]}x{w.shape[0]}"
                                 for k, w in enumerate(graph["kernels"], 1)]
    labels[-1] = labels[-1].replace(f"g^({L})", "g_out")
    draw_dense_graph(fig.subplots(), graph["sizes"], graph["kernels"], labels=labels,
                     title=f"Fig 6.1: a feed-forward network of L = {L} Dense layers (6.1)-(6.3), "
                           f"{sum(graph['params'])} parameters")


def _draw_structure(fig):
    fig.set_size_inches(12, 5.6)
    rng = np.random.default_rng(0)
    china, flower = sample_image("china.jpg"), sample_image("flower.jpg")
    montage = np.block([[d[:, :, 0] for d in row] for row in digits()[0][:64].reshape(8, 8, 8, 8, 1)])
    images = {"photo (china.jpg)": china[140:300, 100:260], "photo (flower.jpg)": flower[130:290, 230:390],
              "digits (8x8 each)": montage, "white noise": rng.uniform(size=(160, 160))}
    axes = fig.subplots(2, 4)
    for k, (name, image) in enumerate(images.items()):
        _show(axes[0, k], image, name, "gray")
        lag = 24
        _show(axes[1, k], autocorrelation(image, lag), f"autocorrelation, lags +-{lag}", "RdBu", 1.0)
    fig.suptitle("Fig 6.2: structure = correlation between nearby (and repeated) parts; noise has none")


def _draw_self_similarity(fig):
    fig.set_size_inches(12, 4.2)
    tiles = np.tile(np.random.default_rng(1).uniform(size=(6, 9)), (12, 8))
    photo = sample_image("china.jpg")[140:300, 100:260]
    axes = fig.subplots(1, 4)
    from matplotlib.patches import Rectangle

    for (ax_hole, ax_fill), image, (top, left, size), name in (
            (axes[:2], tiles, (30, 30, 12), "periodic texture"), (axes[2:], photo, (125, 90, 16), "photo")):
        holed = image.copy()
        holed[top:top + size, left:left + size] = np.nan
        filled, (r, c) = fill_from_self_similarity(image, top, left, size)
        hidden = image[top:top + size, left:left + size]
        error = np.abs(filled[top:top + size, left:left + size] - hidden).mean()
        _show(ax_hole, holed, f"{name} with a hole", "gray")
        _show(ax_fill, filled, f"filled from itself: error {error:.3f}\n(uniform grey fill: "
                               f"{np.abs(hidden - hidden.mean()).mean():.3f})", "gray")
        ax_fill.title.set_fontsize(9)
        ax_fill.add_patch(Rectangle((c - 0.5, r - 0.5), size, size, fill=False, edgecolor="C1", lw=1.5))
        ax_fill.add_patch(Rectangle((left - 0.5, top - 0.5), size, size, fill=False, edgecolor="C3", lw=1.5))
    fig.suptitle("Fig 6.3: self-similar data predicts its hidden parts "
                 "(orange: copied block, best match of the hole's surrounding ring; red: the hole)")


def _draw_partial_deformed(fig, config):
    import keras

    fig.set_size_inches(12, 4.4)
    model = _trained_cnn(config["epochs"])[0]
    _, _, x_test, y_test = digits()
    predict = lambda x: keras.ops.convert_to_numpy(model(x))  # noqa: E731
    index = 5
    views = [x_test[index:index + 1], deform_and_occlude(x_test[index:index + 1], 1.0, 2, seed=1),
             deform_and_occlude(x_test[index:index + 1], 1.0, 2, seed=2)]
    grid = fig.add_gridspec(2, 5)
    for k, (view, name) in enumerate(zip(views, ("original", "deformed, rows missing",
                                                 "deformed differently, other rows missing"))):
        ax = fig.add_subplot(grid[:, k] if k == 0 else grid[k - 1, 1])
        scores = predict(view)[0]
        _show(ax, view[0, :, :, 0], f"{name}\nCNN: {np.argmax(scores)} ({scores.max():.2f})")
        ax.title.set_fontsize(8)
    amplitudes, occlusions = (0.0, 0.5, 1.0, 1.5, 2.0), (0, 1, 2, 3, 4)
    grid_acc = robustness_grid(predict, x_test, y_test, amplitudes, occlusions)
    ax = fig.add_subplot(grid[:, 2:])
    for o, accuracy in zip(occlusions, grid_acc.T):
        ax.plot(amplitudes, accuracy, "o-", label=f"{o} of 8 rows missing")
    ax.set(xlabel="deformation amplitude (pixels, smooth field)", ylabel="test accuracy",
           title=f"make_cnn() ({config['epochs']} epochs) on deformed, partial test digits")
    ax.legend(fontsize=8)
    fig.suptitle("Fig 6.6: deformed and partial views are still recognised, up to a point (label "
                 f"{y_test[index]})")


def _draw_receptive_fields(fig):
    from matplotlib.patches import Rectangle

    from course.diagrams import layer_table

    fig.set_size_inches(11, 4.6)
    model = make_cnn(input_shape=(32, 32, 1))
    fields = receptive_fields(model)
    image_ax, size_ax = fig.subplots(1, 2, width_ratios=[1, 1.3])
    image_ax.imshow(_digit(), cmap="gray_r")
    centre, outer, boxes = 16, np.ones(32, bool), []
    for name, D in reversed(fields):  # deepest first; each shallower unit lies inside the deeper field
        inside = ~(D & ~outer).any(axis=1)
        centres = (D * np.arange(D.shape[1])).sum(axis=1) / D.sum(axis=1)
        outer = D[np.argmin(np.where(inside, np.abs(centres - centre), np.inf))]
        boxes.append((name, np.flatnonzero(outer)))
    for k, (name, rows) in enumerate(reversed(boxes)):
        image_ax.add_patch(Rectangle((rows[0] - 0.5, rows[0] - 0.5), len(rows), len(rows), fill=False,
                                     edgecolor=f"C{k}", lw=2.5 - 0.3 * k, label=f"{name}: {len(rows)}x{len(rows)}"))
    image_ax.set(xticks=[], yticks=[], title="fields of a chain of units, one per layer")
    image_ax.legend(fontsize=7, loc="lower left")
    for model_, label in ((model, "make_cnn (pooling)"), (conv_stack(5), "convolutions only")):
        table = [row for row in layer_table(model_) if row["kind"] in ("Conv2D", "MaxPooling2D")]
        sizes = [int(D.sum(axis=1).max()) for _, D in receptive_fields(model_)]
        size_ax.plot(range(1, len(sizes) + 1), sizes, "o-", label=label)
        for k, (row, size) in enumerate(zip(table, sizes), 1):
            size_ax.annotate(row["kind"].replace("2D", "").replace("MaxPooling", "pool"), (k, size),
                             fontsize=7, xytext=(3, -10), textcoords="offset points")
    size_ax.set(xlabel="layer", ylabel="receptive field side (pixels)",
                title="fields grow with depth, faster with pooling")
    size_ax.legend(fontsize=8)
    fig.suptitle("Fig 6.7: deeper units see larger parts; local features compose into larger ones "
                 "(fields from the layers' index maps)")


def _draw_discrete_conv(fig):
    fig.set_size_inches(12, 5.5)
    f, g = np.array([1.0, 2.0, 3.0, 2.0, 1.0]), np.array([1.0, 0.5, -0.5])
    steps = conv1d_steps(f, g)
    shown = (0, 2, 4, 6)
    axes = fig.subplots(2, len(shown), sharey="row")
    for ax, n in zip(axes[0], shown):
        ax.bar(steps["k"] - 0.2, f, width=0.4, color="C0", label="f[k]")
        ax.bar(steps["k"] + 0.2, steps["reversed"][n], width=0.4, color="C3", label="g[n - k]")
        ax.set(title=f"n = {n}: sum f[k] g[n-k] = {steps['y'][n]:g}", xlabel="k", xticks=steps["k"])
    axes[0, 0].legend(fontsize=8)
    gs = axes[1, 0].get_gridspec()
    for ax in axes[1]:
        ax.remove()
    result = fig.add_subplot(gs[1, :])
    n = np.arange(len(steps["y"]))
    result.stem(n, steps["y"], label="(f * g)[n] (6.18)")
    result.plot(n, np.convolve(f, g), "kx", ms=10, label="np.convolve")
    result.set(xlabel="n", xticks=n, title=f"f = {f.tolist()}, g = {g.tolist()}, f zero-padded outside")
    result.legend(fontsize=8)
    fig.suptitle("Fig 6.11: discrete convolution, g reversed and slid along f")


def _draw_sliding_window(fig):
    from matplotlib.patches import Rectangle

    fig.set_size_inches(12, 4.2)
    image = digits()[0][0, 1:8, 1:8, 0]
    kernel = _EDGE
    output, rows, cols = sliding_window(image, kernel)
    shown = ((0, 0), (0, 3), (2, 1), (4, 4))
    axes = fig.subplots(1, len(shown) + 1)
    for ax, (i, j) in zip(axes, shown):
        ax.imshow(image, cmap="gray_r")
        r, c = np.flatnonzero(rows[i]), np.flatnonzero(cols[j])
        ax.add_patch(Rectangle((c[0] - 0.5, r[0] - 0.5), len(c), len(r), fill=False, edgecolor="C3", lw=2.5))
        window = image[r[0]:r[-1] + 1, c[0]:c[-1] + 1]
        ax.set(xticks=[], yticks=[], title=f"output ({i}, {j}) = sum(window * w)\n= {np.sum(window * kernel):.2f}")
        ax.title.set_fontsize(8)
    axes[-1].imshow(output, cmap="RdBu", vmin=-np.abs(output).max(), vmax=np.abs(output).max())
    for i, j in shown:
        axes[-1].text(j, i, f"{output[i, j]:.2f}", ha="center", va="center", fontsize=7)
    axes[-1].set(xticks=[], yticks=[], title=f"output of keras.ops.conv\n({output.shape[0]}x{output.shape[1]}, valid)")
    axes[-1].title.set_fontsize(8)
    fig.suptitle("Fig 6.12: a 3x3 kernel (vertical-edge Sobel) slides over a 7x7 image; "
                 "windows from the convolution's own index map")


def _draw_conv_stack(fig):
    from course.diagrams import draw_layer_stack, layer_table

    fig.set_size_inches(11, 4)
    model = conv_stack(4)
    draw_layer_stack(fig.subplots(), layer_table(model),
                     title=f"Fig 6.14: {model.name}, L = 4 convolutional layers (6.21), "
                           f"{model.count_params()} parameters: the layout of an MLP, with maps for vectors")


def _draw_conv_pool_stack(fig):
    from course.diagrams import draw_layer_stack, layer_table

    fig.set_size_inches(11, 4)
    model = conv_pool_stack()
    draw_layer_stack(fig.subplots(), layer_table(model),
                     title=f"Fig 6.17: convolutions interleaved with 2x2 max pooling ({model.count_params()} "
                           "parameters)")


def _draw_cnn_shape(fig):
    from course.diagrams import draw_layer_stack, layer_table

    fig.set_size_inches(12, 6)
    model = make_cnn()
    table = layer_table(model)
    stack_ax, size_ax = fig.subplots(2, 1, height_ratios=[1.5, 1])
    draw_layer_stack(stack_ax, table, title="make_cnn(): the course's digits CNN, read off its layers")
    spatial = [row["shape"][0] if len(row["shape"]) == 3 else np.nan for row in table]
    channels = [row["shape"][-1] for row in table]
    x = np.arange(len(table))
    size_ax.plot(x, spatial, "C0o-", label="spatial side H = W")
    size_ax.set_ylabel("H = W", color="C0")
    twin = size_ax.twinx()
    twin.semilogy(x, channels, "C3s-", label="channels / units")
    twin.set_ylabel("channels (maps) or units (vectors)", color="C3")
    size_ax.set_xticks(x, [row["kind"].replace("2D", "") for row in table], fontsize=7)
    size_ax.set_title("maps shrink while their number grows, then dense layers classify", fontsize=9)
    fig.suptitle(f"Fig 6.18: the typical shape of a CNN ({model.count_params()} parameters)")


def _draw_weight_sharing(fig):
    from matplotlib.colors import ListedColormap

    fig.set_size_inches(12, 4.2)
    kernel = np.array([1.0, 2.0, 3.0])
    n = 12
    M = conv_matrix(kernel, n)
    dense = np.random.default_rng(0).standard_normal(M.shape)
    conv_ax, dense_ax, count_ax = fig.subplots(1, 3, width_ratios=[1, 1, 1.1])
    shown = np.where(M == 0, np.nan, M)
    conv_ax.imshow(shown, cmap=ListedColormap(["C0", "C1", "C2"]), vmin=0.5, vmax=3.5)
    conv_ax.set(title=f"Conv1D, kernel (w1, w2, w3): {len(kernel)} parameters\n"
                      f"matrix {M.shape[0]}x{M.shape[1]} read off the layer", xlabel="input", ylabel="output")
    dense_ax.imshow(dense, cmap="RdBu")
    dense_ax.set(title=f"Dense layer of the same shape:\n{dense.size} parameters", xlabel="input")
    counts = [param_counts(s, s, 3, 16, 3) for s in (8, 16, 32, 64, 128)]
    sides = (8, 16, 32, 64, 128)
    count_ax.loglog(sides, [c["dense"] for c in counts], "o-", label="Dense, 3 -> 16 channels")
    count_ax.loglog(sides, [c["conv"] for c in counts], "s-", label="Conv 3x3, 3 -> 16: 448")
    count_ax.set(xlabel="image side", ylabel="parameters", title="parameters vs image size")
    count_ax.legend(fontsize=8)
    fig.suptitle("Fig 6.15: weight sharing (each colour is one weight, repeated along a diagonal) "
                 "and sparse interactions (white: no connection)")


def _draw_feature_hierarchy(fig, config):
    from matplotlib.patches import Rectangle

    fig.set_size_inches(12, 6.5)
    model = _trained_cnn(config["epochs"])[0]
    x_test = digits()[2]
    layers = [layer.name for layer in model.layers if type(layer).__name__ == "Conv2D"]
    channels, k = (0, 1), 4
    axes = fig.subplots(len(layers), len(channels) * k)
    for row, name in enumerate(layers):
        for c_index, channel in enumerate(channels):
            for rank, (index, i, j, value, mask) in enumerate(top_activations(model, x_test, name, channel, k)):
                ax = axes[row, c_index * k + rank]
                ax.imshow(x_test[index, :, :, 0], cmap="gray_r")
                r, c = np.flatnonzero(mask.any(axis=1)), np.flatnonzero(mask.any(axis=0))
                ax.add_patch(Rectangle((c[0] - 0.5, r[0] - 0.5), len(c), len(r), fill=False, edgecolor="C3",
                                       lw=2))
                ax.set(xticks=[], yticks=[])
                ax.set_title(f"{name} ch {channel}: {value:.1f}", fontsize=7)
    fig.suptitle(f"Fig 6.19: the test digits that excite a unit most, layer by layer (make_cnn, "
                 f"{config['epochs']} epochs); red: the unit's receptive field - strokes, then parts, "
                 "then whole digits", fontsize=10)


FIGURES = {
    "ch06_translate_warp": _draw_translate_warp,
    "ch06_box_conv": _draw_box_conv,
    "ch06_padding_stride": _draw_padding_stride,
    "ch06_shift_equivariance": _draw_shift_equivariance,
    "ch06_pooling": _draw_pooling,
    "ch06_learned_filters": _draw_learned_filters,
    "ch06_mlp_layers": _draw_mlp_layers,
    "ch06_structure": _draw_structure,
    "ch06_self_similarity": _draw_self_similarity,
    "ch06_partial_deformed": _draw_partial_deformed,
    "ch06_receptive_fields": _draw_receptive_fields,
    "ch06_discrete_conv": _draw_discrete_conv,
    "ch06_sliding_window": _draw_sliding_window,
    "ch06_conv_stack": _draw_conv_stack,
    "ch06_conv_pool_stack": _draw_conv_pool_stack,
    "ch06_cnn_shape": _draw_cnn_shape,
    "ch06_weight_sharing": _draw_weight_sharing,
    "ch06_feature_hierarchy": _draw_feature_hierarchy,
}

# The trained CNN of the learned-filter, deformation and hierarchy figures: 3 epochs by default,
# the 15 of ``train_cnn`` with ``python -m course.plots --full``.
FIGURE_CONFIGS = {"quick": {"epochs": 3}, "full": {"epochs": 15}}
