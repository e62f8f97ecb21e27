"""Chapter 5 - Multi-layer perceptrons and back-propagation (reference code).

Layout: samples are rows. The notes write a layer as ``sigma(W x + b)`` with ``W`` of shape
``(out, in)`` (5.9); a Keras ``Dense`` layer stores the kernel ``W.T`` of shape ``(in, out)`` and
computes ``sigma(x @ kernel + bias)``. ``params`` are lists of ``(W, b)`` in the notes' layout.
The loss of the MLP helpers is the MEAN over samples of the squared error summed over the outputs,
``(1/n) sum_i ||y_i - g(x_i)||^2`` (5.22) (Keras' ``MeanSquaredError`` also averages over outputs).

Automatic differentiation: ``jvp``/``jacobian_forward`` use ``tf.autodiff.ForwardAccumulator``
(forward mode, one pass per input), ``vjp``/``jacobian_reverse`` use ``tf.GradientTape`` (reverse
mode, one pass per output). TensorFlow's ReLU gradient at 0 is 0. These, ``mse_gradients``,
``activation_derivatives`` and ``gradient_cost`` are TensorFlow only (TensorFlow's autodiff is the
lesson); the models, ``backprop_by_hand`` (``keras.ops``) and ``train_mlp`` (``compile``/``fit``) run
under any Keras 3 backend.

Importing this module is light (numpy only): Keras/TensorFlow are imported by the functions that
need them, matplotlib by the figure functions.
"""
import numpy as np

from course.datasets import sine_data


# --------------------------------------------------------------------------------------------------
# MLPs in Keras (5.7)-(5.18)


def build_mlp(d_in, widths, activations, seed=0, dtype="float32"):
    """``keras.Sequential`` MLP (5.7): ``Dense(widths[k], activation=activations[k])`` for each k.

    Args:
        d_in: input dimension; widths: output size of each layer; activations: names (e.g.
            ``["relu", "linear"]``, a linear last layer as in (5.17)); seed: initial weights;
            dtype: the layers' dtype (``"float64"`` for gradient checks).

    Backends: any Keras 3 backend (tested under TensorFlow and JAX).

    Returns:
        a built ``keras.Sequential``.
    """
    import keras

    keras.utils.set_random_seed(seed)
    layers = [keras.layers.Dense(w, activation=a, dtype=dtype) for w, a in zip(widths, activations)]
    return keras.Sequential([keras.Input((d_in,), dtype=dtype), *layers])


def build_mlp_functional(d_in, widths, activations, seed=0, dtype="float32"):
    """The same MLP as ``build_mlp`` with the functional API; it also outputs every hidden layer.

    Backends: any Keras 3 backend (tested under TensorFlow and JAX).

    Returns:
        ``keras.Model`` mapping ``x`` to the list ``[h_1, ..., h_l]`` (``h_l`` is the output).
    """
    import keras

    keras.utils.set_random_seed(seed)
    inputs = keras.Input((d_in,), dtype=dtype)
    h, hidden = inputs, []
    for w, a in zip(widths, activations):
        h = keras.layers.Dense(w, activation=a, dtype=dtype)(h)
        hidden.append(h)
    return keras.Model(inputs, hidden)


def dense_layers(model):
    """The ``Dense`` layers of ``model``, first layer first.

    Backends: any Keras 3 backend (tested under TensorFlow and JAX).
    """
    import keras

    return [layer for layer in model.layers if isinstance(layer, keras.layers.Dense)]


def set_params(model, params):
    """Load ``params`` (list of ``(W, b)``, ``W`` of shape ``(out, in)``) into the Dense layers.

    Backends: any Keras 3 backend (tested under TensorFlow and JAX).
    """
    for layer, (W, b) in zip(dense_layers(model), params, strict=True):
        layer.set_weights([np.asarray(W).T, np.asarray(b)])


def get_params(model):
    """The Dense layers' weights as a list of ``(W, b)`` in the notes' layout (``W = kernel.T``).

    Backends: any Keras 3 backend (tested under TensorFlow and JAX).
    """
    return [(kernel.T, bias) for kernel, bias in (layer.get_weights() for layer in dense_layers(model))]


def dense_layer(W, b, activation, dtype="float32"):
    """A built ``keras.layers.Dense`` computing ``sigma(x @ W.T + b)`` for ``W`` of shape ``(out, in)``.

    Backends: any Keras 3 backend (tested under TensorFlow and JAX).
    """
    import keras

    W = np.asarray(W)
    layer = keras.layers.Dense(W.shape[0], activation=activation, dtype=dtype)
    layer.build((None, W.shape[1]))
    layer.set_weights([W.T, np.asarray(b)])
    return layer


# --------------------------------------------------------------------------------------------------
# Forward and reverse mode in TensorFlow (5.28)-(5.44)


def jvp(f, x, v):
    """Forward mode: ``(f(x), J v)`` in ONE forward pass (a Jacobian-vector product).

    Args:
        f: TensorFlow function ``R^n -> R^m`` (tensors of shape ``(n,)`` to ``(m,)``).
        x, v: point and tangent of shape ``(n,)`` (float64 recommended for checks).

    Backends: TensorFlow only (``tf.autodiff.ForwardAccumulator`` is the lesson).

    Returns:
        (y, Jv) as numpy arrays of shapes ``(m,)``.
    """
    import tensorflow as tf

    x = tf.convert_to_tensor(x)
    with tf.autodiff.ForwardAccumulator(x, tf.cast(v, x.dtype)) as acc:
        y = f(x)
    return y.numpy(), acc.jvp(y).numpy()


def vjp(f, x, u):
    """Reverse mode: ``(f(x), u^T J)`` from one forward pass and ONE backward pass.

    Args:
        f: TensorFlow function ``R^n -> R^m``; x: ``(n,)``; u: cotangent ``(m,)``.

    Backends: TensorFlow only (``tf.GradientTape`` is the lesson).

    Returns:
        (y, uJ) as numpy arrays of shapes ``(m,)`` and ``(n,)``.
    """
    import tensorflow as tf

    x = tf.convert_to_tensor(x)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = f(x)
    return y.numpy(), tape.gradient(y, x, output_gradients=tf.cast(u, y.dtype)).numpy()


def jacobian_forward(f, x):
    """The ``(m, n)`` Jacobian (5.35) column by column: ``n`` JVPs with the basis vectors ``e_j``.

    Backends: TensorFlow only (``jvp``).
    """
    eye = np.eye(np.size(x), dtype=np.asarray(x).dtype)
    return np.stack([jvp(f, x, e)[1] for e in eye], axis=1)


def jacobian_reverse(f, x):
    """The ``(m, n)`` Jacobian row by row: ``m`` VJPs with the basis vectors ``e_i`` of the output.

    Backends: TensorFlow only (``vjp``).
    """
    import tensorflow as tf

    eye = np.eye(np.size(f(tf.convert_to_tensor(x))), dtype=np.asarray(x).dtype)
    return np.stack([vjp(f, x, e)[1] for e in eye], axis=0)


def activation_derivatives(z):
    """Values and derivatives (by ``tf.GradientTape``) of sigmoid, tanh and ReLU at the points ``z``.

    TensorFlow differentiates ReLU at 0 as 0 (the left derivative; the notes only say "one of the
    one-sided derivatives").

    Backends: TensorFlow only (``tf.GradientTape``).

    Returns:
        dict name -> (values, derivatives), numpy arrays of the shape of ``z``.
    """
    import tensorflow as tf

    z = tf.constant(np.asarray(z, dtype=float))
    out = {}
    for name, fn in (("sigmoid", tf.sigmoid), ("tanh", tf.tanh), ("relu", tf.nn.relu)):
        with tf.GradientTape() as tape:
            tape.watch(z)
            value = fn(z)
        out[name] = (value.numpy(), tape.gradient(value, z).numpy())
    return out


def example_526(x):
    """The notes' example (5.26), ``f(x) = u / x^2 - u^3 / s`` with ``s = sqrt(x^2 + 1)`` and
    ``u = ln(x + s) = asinh(x)``, in numpy.

    Its domain is every ``x != 0``: ``x + s > 0`` for all real ``x``, so the logarithm is defined for
    negative ``x`` too (unlike ``ln x`` in (5.25), which needs ``x > 0``, and ``sqrt(ln x)``, which
    needs ``x >= 1``). ``u`` is odd and ``s`` even, so ``f`` is odd: ``f(-x) = -f(x)``. ``u`` is
    computed as ``np.arcsinh(x)``: the notes' ``ln(x + sqrt(x^2 + 1))`` cancels catastrophically for
    large negative ``x`` (at ``x = -1e8`` it is ``ln 0 = -inf``).

    Raises:
        ValueError: at ``x = 0`` (``u / x^2`` has no limit there).
    """
    x = np.asarray(x, dtype=float)
    if np.any(x == 0):
        raise ValueError("(5.26) is defined for x != 0 only")
    s, u = np.sqrt(x ** 2 + 1), np.arcsinh(x)
    return u / x ** 2 - u ** 3 / s


def example_526_derivative(x):
    """The closed-form derivative of ``example_526`` for ``x != 0``:
    ``f'(x) = 1 / (x^2 s) - 2 u / x^3 - 3 u^2 / s^2 + x u^3 / s^3`` (``u' = 1 / s``, ``s' = x / s``).

    Even, like the derivative of any odd function. Raises ``ValueError`` at ``x = 0``.
    """
    x = np.asarray(x, dtype=float)
    if np.any(x == 0):
        raise ValueError("(5.26) is defined for x != 0 only")
    s, u = np.sqrt(x ** 2 + 1), np.arcsinh(x)
    return 1 / (x ** 2 * s) - 2 * u / x ** 3 - 3 * u ** 2 / s ** 2 + x * u ** 3 / s ** 3


# --------------------------------------------------------------------------------------------------
# Back-propagation (5.45)-(5.49)


def mse_gradients(model, x, y):
    """Loss (5.22) and its gradients by ``tf.GradientTape`` (the oracle for back-propagation).

    Backends: TensorFlow only (``tf.GradientTape``).

    Returns:
        (loss, grads): a float and a list of numpy arrays in the order of
        ``model.trainable_variables`` (kernel ``(in, out)``, bias ``(out,)`` per layer).
    """
    import tensorflow as tf

    dtype = model.trainable_variables[0].dtype
    x, y = tf.convert_to_tensor(x, dtype), tf.convert_to_tensor(y, dtype)
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(tf.reduce_sum((model(x) - y) ** 2, axis=-1))
    return float(loss), [g.numpy() for g in tape.gradient(loss, model.trainable_variables)]


def backprop_by_hand(model, x, y):
    """Back-propagation written out with ``keras.ops`` for a Sequential MLP, same loss as ``mse_gradients``.

    The forward pass stores every layer's input ``h_{k-1}`` and pre-activation ``z_k``; the backward
    pass walks the layers in reverse with ``delta_k = dL/dh_k * sigma'(z_k)``::

        dL/dkernel_k = h_{k-1}^T delta_k,  dL/dbias_k = sum_i delta_k,  dL/dh_{k-1} = delta_k kernel_k^T

    starting from ``dL/dy = 2 (y_hat - y) / n``. The cost is about twice that of the forward pass,
    at the price of storing the activations (``gradient_cost`` measures the factor).

    Backends: any Keras 3 backend (``keras.ops``; tested under TensorFlow and JAX).

    Returns:
        list of numpy arrays in the order of ``model.trainable_variables``.
    """
    from keras import ops

    derivative = {"relu": lambda z: ops.cast(z > 0, z.dtype),
                  "sigmoid": lambda z: ops.sigmoid(z) * (1 - ops.sigmoid(z)),
                  "tanh": lambda z: 1 - ops.tanh(z) ** 2, "linear": ops.ones_like}
    layers = dense_layers(model)
    dtype = layers[0].kernel.dtype
    h = ops.convert_to_tensor(np.asarray(x), dtype)
    stored = []
    for layer in layers:
        z = ops.matmul(h, layer.kernel) + layer.bias
        stored.append((h, z))
        h = layer.activation(z)
    grad = 2 * (h - ops.convert_to_tensor(np.asarray(y), dtype)) / ops.shape(h)[0]
    grads = []
    for layer, (h_in, z) in zip(reversed(layers), reversed(stored)):
        delta = grad * derivative[layer.activation.__name__](z)
        grads = [ops.matmul(ops.transpose(h_in), delta), ops.sum(delta, axis=0)] + grads
        grad = ops.matmul(delta, ops.transpose(layer.kernel))
    return [ops.convert_to_numpy(g) for g in grads]


def sum_squared_error(y_true, y_pred):
    """Per-sample loss of (5.22), ``||y - g(x)||^2`` summed over the outputs; Keras averages it over
    the batch (its ``MeanSquaredError`` would also average over the outputs).

    Backends: any Keras 3 backend (``keras.ops``; tested under TensorFlow and JAX).
    """
    import keras

    return keras.ops.sum(keras.ops.square(y_pred - y_true), axis=-1)


def train_mlp(x, y, widths, activations, seed=0, steps=300, lr=0.05):
    """Full-batch gradient descent on (5.22) the Keras way: ``compile`` and ``fit``.

    ``build_mlp(..., seed=seed)`` is compiled with ``SGD(lr)`` and the loss ``sum_squared_error``,
    then fitted with every epoch one gradient step on the whole data set
    (``course.ch02_linear_regression.fit_full_batch``). The loss is non-convex: different
    initialization seeds reach different losses.

    Backends: any Keras 3 backend (tested under TensorFlow and JAX; the initial weights of a seed,
    hence the losses, differ between backends).

    Args:
        x: ``(n, d)`` inputs; y: ``(n, m)`` targets; widths/activations: as in ``build_mlp``.

    Returns:
        (model, losses): the trained model and the ``steps`` losses, each measured before its step
        (``fit``'s history).
    """
    import keras

    from course.ch02_linear_regression import fit_full_batch

    model = build_mlp(x.shape[1], widths, activations, seed=seed)
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=lr), loss=sum_squared_error)
    history = fit_full_batch(model, np.asarray(x, dtype="float32"), np.asarray(y, dtype="float32"), steps)
    return model, np.array(history.history["loss"])


# Ops that only move, name or describe data: no arithmetic.
_NO_FLOPS = {"Placeholder", "Const", "ReadVariableOp", "Identity", "IdentityN", "NoOp", "Shape",
             "ShapeN", "Reshape", "StopGradient", "Fill", "ZerosLike", "OnesLike", "BroadcastTo",
             "BroadcastGradientArgs", "Cast", "Pack", "Unpack", "StridedSlice", "Size", "Rank",
             "ExpandDims", "Squeeze", "Transpose", "ConcatV2", "Tile", "VarHandleOp",
             "AssignVariableOp", "Range", "Slice"}


def graph_flops(graph):
    """Floating-point operations of a traced TensorFlow graph, counted from its ops' static shapes.

    A matrix product ``(m, k) @ (k, n)`` counts ``2 m k n``; any other op with a float input or output
    counts one operation per element of its largest one (elementwise arithmetic, activations and
    their gradients, reductions); ops that only move or describe data (constants, variable reads,
    reshapes, shapes) count nothing; the functions that ops call (``PartitionedCall``, as in the
    graphs of ``tf.autodiff.ForwardAccumulator``) are counted where they are called. A count, not a
    time: it does not depend on the machine, its load or the run, so ratios of counts make reliable
    tests.

    Backends: TensorFlow only (a ``tf.Graph``, e.g. ``tf.function(...).get_concrete_function().graph``).

    Returns:
        int.
    """
    return _graph_flops(graph, graph)


def _graph_flops(graph, root):
    total = 0
    for op in graph.get_operations():
        if op.type in ("PartitionedCall", "StatefulPartitionedCall"):
            name = op.get_attr("f").name
            called = graph._get_function(name) or root._get_function(name)
            total += _graph_flops(called.graph, root)
            continue
        if op.type in _NO_FLOPS:
            continue
        if op.type in ("MatMul", "BatchMatMulV2", "BatchMatMulV3"):
            a = op.inputs[0].shape
            transposed = op.get_attr("transpose_a" if op.type == "MatMul" else "adj_x")
            contracted = a[-2] if transposed else a[-1]
            total += 2 * op.outputs[0].shape.num_elements() * contracted
            continue
        sizes = [t.shape.num_elements() for t in (*op.inputs, *op.outputs)
                 if t.dtype.is_floating and t.shape.is_fully_defined()]
        total += max(sizes, default=0)
    return int(total)


def gradient_cost(d_in, widths, activations, n=64, seed=0):
    """The cost of back-propagation, measured: FLOPs (``graph_flops``) of the graphs ``tf.function``
    traces for the loss (5.22) of ``build_mlp(d_in, widths, activations)`` on a batch of ``n``, for the
    loss with its whole gradient by reverse mode (``tf.GradientTape``), and for the loss with ONE
    directional derivative by forward mode (``tf.autodiff.ForwardAccumulator``, all parameters along a
    random tangent).

    The notes (5.3.6) say that evaluating the gradient by back-propagation "is as fast as evaluating
    the loss". It costs a small CONSTANT factor more: a Dense layer's backward pass is two matrix
    products (``dL/dkernel = h^T delta`` and ``dL/dh = delta kernel^T``) for the forward pass's one,
    so loss and gradient together cost about three forward passes (a little less: the input needs
    no gradient), whatever the width, at the price of storing the activations. Forward mode yields
    one directional derivative per pass: the whole gradient takes ``p`` passes, a cost that grows
    with the number of parameters ``p``.

    Backends: TensorFlow only (traced ``tf.function`` graphs, ``tf.GradientTape``,
    ``tf.autodiff.ForwardAccumulator``).

    Returns:
        dict of ints: ``"forward"``, ``"reverse"`` (loss and gradient), ``"forward_mode_pass"`` (loss
        and one JVP) and ``"params"`` (``p``); the forward-mode gradient costs ``p`` passes.
    """
    import tensorflow as tf

    model = build_mlp(d_in, widths, activations, seed=seed)
    rng = np.random.default_rng(seed)
    x = tf.constant(rng.standard_normal((n, d_in)), tf.float32)
    y = tf.constant(rng.standard_normal((n, widths[-1])), tf.float32)
    variables = model.trainable_variables
    tangents = [tf.constant(rng.standard_normal(v.shape), tf.float32) for v in variables]

    def loss():
        return tf.reduce_mean(tf.reduce_sum((model(x) - y) ** 2, axis=-1))

    def reverse():
        with tf.GradientTape() as tape:
            value = loss()
        return value, tape.gradient(value, variables)

    def forward_mode():
        with tf.autodiff.ForwardAccumulator([v.value for v in variables], tangents) as acc:
            value = loss()
        return value, acc.jvp(value)

    counts = {name: graph_flops(tf.function(fn).get_concrete_function().graph)
              for name, fn in (("forward", loss), ("reverse", reverse), ("forward_mode_pass", forward_mode))}
    counts["params"] = int(model.count_params())
    return counts


# --------------------------------------------------------------------------------------------------
# Deep ReLU networks are continuous piecewise linear (5.19); universal approximation (5.20)


def relu_region_labels(model, points):
    """Label each point by the on/off pattern of all ReLU units of ``model`` (a Sequential MLP).

    On a set of constant pattern the network is one affine map, so the labels show its linear
    regions (the network is continuous across their boundaries). Layer ``k``'s boundaries are where
    some unit of layer ``k`` changes sign: straight lines for the first layer, bent lines after.

    Backends: any Keras 3 backend (tested under TensorFlow and JAX).

    Args:
        model: Sequential MLP whose hidden layers use ReLU; points: ``(n, d_in)``.

    Returns:
        int array ``(n,)``: equal labels = equal activation patterns (labels are ``0..R-1``).
    """
    import keras

    layers = [layer for layer in dense_layers(model) if layer.activation.__name__ == "relu"]
    probe = keras.Model(model.inputs[0], [layer.output for layer in layers])
    outputs = probe(np.asarray(points, dtype=layers[0].kernel.dtype))
    if not isinstance(outputs, (list, tuple)):  # a one-element list of outputs comes back bare (JAX)
        outputs = [outputs]
    patterns = np.concatenate([keras.ops.convert_to_numpy(h) > 0 for h in outputs], axis=1)
    codes = patterns @ (2 ** np.arange(patterns.shape[1], dtype=object))  # exact for any width
    return np.unique(codes, return_inverse=True)[1].ravel()


def random_units(width, d, seed=0, scale=3.0):
    """Hidden units ``(W, b)`` of shapes ``(width, d)`` and ``(width,)``, each with its OWN direction and
    offset, drawn as ``scale * N(0, 1)`` (offsets ``scale * pi * N(0, 1)``).

    The draws are nested: the first ``k`` units of a wider draw with the same seed are the units of
    width ``k``, so training errors of ``uat_fit`` cannot increase with the width.
    """
    z = np.random.default_rng(seed).standard_normal((width, d + 1))
    return scale * z[:, :d], scale * np.pi * z[:, d]


def uat_fit(x, y, width, seed=0, activation="sigmoid"):
    """Universal approximation (5.20) with the units fixed: ``g(x) = sum_k u_k sigma(w_k^T x + b_k)``.

    Theorem 5.1 needs a different ``(w_k, b_k)`` for every unit (the notes write a single
    ``sigma(W x + b)`` for all terms, whose span is one function). The units come from
    ``random_units``; only ``u`` is fitted, by least squares.

    Args:
        x: ``(n, d)``; y: ``(n,)``; width: number of units; activation: ``"sigmoid"``, ``"tanh"``
            or ``"relu"``.

    Returns:
        a function ``(m, d) -> (m,)``, the fitted network.
    """
    activations = {"sigmoid": lambda t: 0.5 * (1 + np.tanh(t / 2)), "tanh": np.tanh,
                   "relu": lambda t: np.maximum(t, 0)}
    sigma = activations[activation]
    W, b = random_units(width, x.shape[1], seed)
    u, *_ = np.linalg.lstsq(sigma(x @ W.T + b), y, rcond=None)
    return lambda points: sigma(np.asarray(points) @ W.T + b) @ u


# --------------------------------------------------------------------------------------------------
# Figures


def _draw_activations(fig):
    z = np.linspace(-4, 4, 801)
    curves = activation_derivatives(z)
    values, derivs = fig.subplots(1, 2)
    for name, (value, deriv) in curves.items():
        values.plot(z, value, label=name)
        derivs.plot(z, deriv, label=name)
    derivs.plot(0.0, curves["relu"][1][z.size // 2], "C2o")
    values.set(xlabel="z", title="Activations (5.5), (5.6)")
    derivs.set(xlabel="z", title="Derivatives (tf.GradientTape; ReLU'(0) = 0)")
    values.legend()
    fig.set_size_inches(9, 3.8)


def _draw_relu_regions(fig):
    widths = [6, 6, 1]
    model = build_mlp(2, widths, ["relu", "relu", "linear"])
    rng = np.random.default_rng(3)
    set_params(model, [(rng.standard_normal((d_out, d_in)), rng.standard_normal(d_out))
                       for d_in, d_out in zip([2] + widths, widths)])
    side = np.linspace(-3, 3, 300)
    u, v = np.meshgrid(side, side)
    grid = np.column_stack([u.ravel(), v.ravel()])
    labels = relu_region_labels(model, grid).reshape(u.shape)
    output = np.asarray(model(grid.astype("float32"))).reshape(u.shape)
    edges = np.zeros(u.shape)
    edges[:, 1:] += labels[:, 1:] != labels[:, :-1]
    edges[1:, :] += labels[1:, :] != labels[:-1, :]
    regions, surface = fig.subplots(1, 2)
    shuffled = np.random.default_rng(0).permutation(labels.max() + 1)[labels]
    regions.pcolormesh(u, v, shuffled, cmap="tab20", shading="auto")
    regions.set(aspect="equal", xlabel="x1", ylabel="x2",
                title=f"{labels.max() + 1} linear regions of a 2-layer ReLU net")
    contours = surface.contourf(u, v, output, levels=30, cmap="viridis")
    surface.contour(u, v, edges, levels=[0.5], colors="w", linewidths=0.5)
    fig.colorbar(contours, ax=surface)
    surface.set(aspect="equal", xlabel="x1", title="Its output: continuous, piecewise linear (5.19)")
    fig.set_size_inches(10, 4.3)


def _draw_uat_widths(fig):
    x = np.linspace(-np.pi, np.pi, 200)[:, None]
    y = np.sin(3 * x[:, 0]) * np.exp(-x[:, 0] ** 2 / 4)
    fits, errors = fig.subplots(1, 2)
    fits.plot(x, y, "k", lw=2, label="target")
    for width in (2, 5, 10, 50):
        fits.plot(x, uat_fit(x, y, width)(x), lw=1, label=f"width {width}")
    fits.set(xlabel="x", title="sum_k u_k sigma(w_k x + b_k), distinct units (5.20)")
    fits.legend(fontsize=8)
    widths = [1, 2, 3, 4, 6, 8, 10, 15, 20, 30, 40, 60, 80, 100]
    mse = [np.mean((uat_fit(x, y, w)(x) - y) ** 2) for w in widths]
    errors.semilogy(widths, mse, "o-")
    errors.set(xlabel="width q", ylabel="training MSE", title="Training error vs width (nested units)")
    fig.set_size_inches(10, 4)


def _draw_init_seeds(fig):
    x, y = sine_data(n=64, noise=0.1, seed=0)
    ax = fig.subplots()
    for seed in range(4):
        _, losses = train_mlp(x[:, None], y[:, None], [16, 16, 1], ["tanh", "tanh", "linear"],
                              seed=seed, steps=300, lr=0.05)
        ax.semilogy(losses, label=f"seed {seed}")
    ax.set(xlabel="gradient step", ylabel="MSE (5.22)",
           title="Non-convex loss: the initialization decides the path")
    ax.legend()


FIGURES = {
    "ch05_activations": _draw_activations,
    "ch05_relu_linear_regions": _draw_relu_regions,
    "ch05_uat_widths": _draw_uat_widths,
    "ch05_init_seeds_loss": _draw_init_seeds,
}
