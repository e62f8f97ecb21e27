"""Chapter 6 - Convolutional neural networks (reference code).

Images are NHWC; kernels have the Keras layout ``(kh, kw, c_in, c_out)``. Keras' ``Conv2D`` computes
CROSS-correlation, ``y[i] = sum_a x[i + a] w[a]``; the notes' (6.9), (6.18), (6.20) and (6.22) are
true convolutions, ``y[i] = sum_a x[i - a] w[a]`` (the kernel reversed): ``conv2d(..., flip=True)``.
Translation (6.4) is ``T_v f(x) = f(x - v)``: the content moves by ``+v``, as with ``np.roll``.

Importing this module is light (numpy only): Keras/TensorFlow and scipy are imported by the functions
that use them, and matplotlib by ``make_figures``.
"""
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


def _grid(ax, n, pad, kernel_at, k, title):
    """Cells of an n x n input (blue) inside `pad` rings of zeros (white); kernel windows in red."""
    from matplotlib.patches import Rectangle

    total = n + 2 * pad
    for i in range(total):
        for j in range(total):
            inside = pad <= i < pad + n and pad <= j < pad + n
            ax.add_patch(Rectangle((j, total - 1 - i), 1, 1, edgecolor="gray", ls="-" if inside else ":",
                                   facecolor="lightsteelblue" if inside else "white"))
    for number, (i, j) in enumerate(kernel_at):
        ax.add_patch(Rectangle((j, total - i - k), k, k, fill=False, edgecolor=f"C{3 + number}", lw=2.5))
    ax.set(xlim=(-0.2, total + 0.2), ylim=(-0.2, total + 0.2), aspect="equal", title=title,
           xticks=[], yticks=[])


def _draw_padding_stride(fig):
    fig.set_size_inches(12, 4.2)
    n, k = 5, 3
    axes = fig.subplots(1, 3)
    _grid(axes[0], n, 0, [(0, 0), (0, 1)], k, "(a) valid: 5 -> 3 (stride 1)")
    _grid(axes[1], n, k - 1, [(0, 0), (0, 1)], k, "(b) full, k - 1 zeros: 5 -> 7")
    _grid(axes[2], n, 1, [(0, 0), (0, 2)], k, "(c) 1 zero, stride 2: 5 -> 3")
    fig.suptitle("Boundary conditions and stride (Fig. 6.13): floor((n + 2p - k) / s) + 1 outputs")


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


def _draw_learned_filters(fig):
    import keras

    fig.set_size_inches(12, 5)
    model, _, accuracy = train_cnn(epochs=3, seed=0)
    first = model.layers[0]
    kernels = first.get_weights()[0][:, :, 0, :]
    image = digits()[2][:1]
    maps = keras.ops.convert_to_numpy(first(image))[0]
    axes = fig.subplots(2, 8)
    for i in range(8):
        _show(axes[0, i], kernels[:, :, i], f"filter {i}", "RdBu")
        _show(axes[1, i], maps[:, :, i], f"feature map {i}", "magma")
    fig.suptitle(f"First layer of make_cnn() after 3 epochs (test accuracy {accuracy:.3f})")


def _draw_param_counts(fig):
    sizes = np.array([8, 16, 32, 64, 128, 256])
    counts = [param_counts(n, n, 3, 16, 3) for n in sizes]
    ax = fig.subplots()
    ax.loglog(sizes, [c["dense"] for c in counts], "o-", label="Dense: (H W 3)(H W 16) + H W 16")
    ax.loglog(sizes, [c["conv"] for c in counts], "s-", label="Conv 3x3: 3 * 3 * 3 * 16 + 16 = 448")
    ax.set(xlabel="image side H = W", ylabel="parameters",
           title="One layer, 3 -> 16 channels: weight sharing")
    ax.legend()


FIGURES = {
    "ch06_translate_warp": _draw_translate_warp,
    "ch06_box_conv": _draw_box_conv,
    "ch06_padding_stride": _draw_padding_stride,
    "ch06_shift_equivariance": _draw_shift_equivariance,
    "ch06_pooling": _draw_pooling,
    "ch06_learned_filters": _draw_learned_filters,
    "ch06_param_counts": _draw_param_counts,
}


def make_figures(outdir):
    """Write every chapter-6 figure as ``outdir/<name>.png`` (names: the keys of ``FIGURES``).

    Returns:
        list of the written paths.
    """
    from course.plots import write_figures

    return write_figures(FIGURES, outdir)
