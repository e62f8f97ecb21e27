"""Grading spec of chapter 6 (convolutional neural networks)."""
import numpy as np

from ..compare import close, compare
from ..spec import Case, Exercise
from ..verdicts import fail, ok

# --- probes and checks ------------------------------------------------------------------------------


def probe_calls(name):
    """Call the exercise once per argument list in ``inputs["calls"]``; return the list of results."""
    def probe(module, inputs):
        return [getattr(module, name)(*args) for args in inputs["calls"]]
    return probe


def _box(x):
    return (np.abs(x) < 0.5).astype(float)


# Functions handed to continuous_conv by name (vectorised, plain numpy).
FUNCTIONS = {
    "box": _box,
    "triangle": lambda x: np.maximum(1.0 - np.abs(x), 0.0),
    "gauss": lambda x: np.exp(-0.5 * x ** 2) / np.sqrt(2 * np.pi),
    "narrow_gauss": lambda x: np.exp(-2.0 * x ** 2) * np.sqrt(2.0 / np.pi),
    "decay": lambda x: np.where(x >= 0, np.exp(-np.abs(x)), 0.0),
}


def probe_continuous_conv(module, inputs):
    return module.continuous_conv(FUNCTIONS[inputs["f"]], FUNCTIONS[inputs["g"]], inputs["t"],
                                  inputs["lo"], inputs["hi"], inputs["n"])


# build_cnn: the training protocol, the parameter budget and the accuracy band
CNN_EPOCHS, CNN_BATCH, CNN_LEARNING_RATE = 10, 32, 3e-3
CNN_PARAM_BUDGET = 100_000
CNN_MARGIN = 0.05


def _conv_layers(model):
    import keras

    kinds = (keras.layers.Conv1D, keras.layers.Conv2D, keras.layers.Conv3D,
             keras.layers.SeparableConv2D, keras.layers.DepthwiseConv2D)
    count, stack = 0, list(model.layers)
    while stack:
        layer = stack.pop()
        count += isinstance(layer, kinds)
        stack.extend(getattr(layer, "layers", []))
    return count


def probe_build_cnn(module, inputs):
    """Build the model; check its outputs on random images; train and evaluate it when asked.

    With ``inputs["epochs"]``: seed everything with ``inputs["seed"]``, compile with Adam and sparse
    categorical cross-entropy, fit on ``course.datasets.digits()``'s training split, and return the
    accuracy of the argmax prediction on its test split.
    """
    import keras

    from course.datasets import digits

    from ..seeding import seed_everything

    input_shape, n_classes = tuple(inputs["input_shape"]), inputs["n_classes"]
    seed_everything(inputs["seed"])
    model = module.build_cnn(input_shape=input_shape, n_classes=n_classes)
    if not isinstance(model, keras.Model):
        raise TypeError(f"build_cnn must return a keras.Model, got {type(model).__name__}")
    x = np.random.default_rng(inputs["seed"]).uniform(size=(3, *input_shape)).astype("float32")
    probs = keras.ops.convert_to_numpy(model(x, training=False)).astype(float)
    out = {"output_shape": list(probs.shape), "params": int(model.count_params()),
           "conv_layers": _conv_layers(model),
           "prob_error": float(max(np.max(np.abs(probs.sum(axis=-1) - 1)), -np.min(probs)))}
    if inputs.get("epochs"):
        x_train, y_train, x_test, y_test = digits()
        model.compile(optimizer=keras.optimizers.Adam(inputs["learning_rate"]),
                      loss="sparse_categorical_crossentropy")
        model.fit(x_train, y_train, epochs=inputs["epochs"], batch_size=inputs["batch_size"],
                  shuffle=True, verbose=0)
        predicted = np.argmax(keras.ops.convert_to_numpy(model.predict(x_test, verbose=0)), axis=-1)
        out["test_accuracy"] = float(np.mean(predicted == y_test))
    return out


def check_build_cnn(got, expected, inputs):
    """Output shape, probabilities, a conv layer, the budget; accuracy >= answer key's - CNN_MARGIN."""
    msg = compare(got["output_shape"], expected["output_shape"], where="output shape")
    if msg:
        return fail(msg)
    if got["prob_error"] > 1e-4:
        return fail("the outputs must be class probabilities (nonnegative, summing to 1 over the last "
                    "axis): end the model with a softmax")
    if got["conv_layers"] < 1:
        return fail("the model has no convolution layer (keras.layers.Conv2D)")
    if got["params"] > CNN_PARAM_BUDGET:
        return fail(f"the model has {got['params']} parameters, more than the budget of {CNN_PARAM_BUDGET}")
    if "test_accuracy" in expected:
        band = expected["test_accuracy"] - CNN_MARGIN
        if got["test_accuracy"] < band:
            return fail(f"test accuracy {got['test_accuracy']:.3f} after training, below "
                        f"{band:.3f} (the answer key's {expected['test_accuracy']:.3f} minus {CNN_MARGIN})")
        return ok(f"test accuracy {got['test_accuracy']:.3f} (answer key {expected['test_accuracy']:.3f})")
    return ok()


EXACT = close(rtol=0, atol=0)
FLOAT64 = close(rtol=1e-10, atol=1e-12)

CONV_APIS = ("tensorflow.nn.conv2d", "tensorflow.nn.convolution", "tensorflow.nn.depthwise_conv2d",
             "keras.ops.conv", "keras.ops.depthwise_conv", "keras.ops.separable_conv",
             "scipy.signal.convolve2d", "scipy.signal.correlate2d", "scipy.signal.convolve",
             "scipy.signal.correlate", "scipy.signal.fftconvolve", "scipy.signal.oaconvolve",
             "scipy.ndimage.convolve", "scipy.ndimage.correlate")
CONV1D_APIS = ("numpy.convolve", "numpy.correlate", "scipy.signal.convolve", "scipy.signal.correlate",
               "scipy.signal.fftconvolve", "scipy.signal.oaconvolve", "scipy.ndimage.convolve1d",
               "scipy.ndimage.correlate1d")
POOL_APIS = ("keras.ops.max_pool", "keras.ops.average_pool", "tensorflow.nn.max_pool",
             "tensorflow.nn.max_pool2d", "tensorflow.nn.avg_pool", "tensorflow.nn.avg_pool2d",
             "tensorflow.nn.pool")
WARP_APIS = ("scipy.ndimage.map_coordinates", "scipy.ndimage.shift", "scipy.ndimage.affine_transform",
             "scipy.ndimage.geometric_transform", "scipy.interpolate.interpn")

EXERCISES = [
    Exercise("translate", points=2, check=EXACT),
    Exercise("conv1d", points=3, check=FLOAT64, forbidden=CONV1D_APIS),
    Exercise("toeplitz_conv_matrix", points=2, check=EXACT,
             forbidden=("scipy.linalg.toeplitz", "scipy.linalg.convolution_matrix")),
    Exercise("circulant_matrix", points=1, check=EXACT, forbidden=("scipy.linalg.circulant",)),
    Exercise("conv_output_size", points=2, probe=probe_calls("conv_output_size"), check=EXACT),
    Exercise("conv2d", points=6, check=close(rtol=1e-9, atol=1e-10), forbidden=CONV_APIS),
    Exercise("max_pool2d", points=2, check=FLOAT64, forbidden=POOL_APIS),
    Exercise("avg_pool2d", points=1, check=FLOAT64, forbidden=POOL_APIS),
    Exercise("conv_param_count", points=1, probe=probe_calls("conv_param_count"), check=EXACT),
    Exercise("receptive_field", points=2, check=EXACT),
    Exercise("build_cnn", points=5, probe=probe_build_cnn, check=check_build_cnn),
    Exercise("warp", points=2, check=FLOAT64, forbidden=WARP_APIS),
    Exercise("continuous_conv", points=1, probe=probe_continuous_conv,
             check=close(rtol=1e-9, atol=1e-12)),
]


# --- inputs -------------------------------------------------------------------------------------------


def _rng(seed):
    return np.random.default_rng(seed)


def conv_inputs(seed, x_shape, kernel, c_out, bias=True, **options):
    """Inputs of conv2d: x ``x_shape`` (NHWC), w ``(*kernel, C_in, c_out)``, optional bias."""
    rng = _rng(seed)
    x = rng.standard_normal(x_shape)
    w = rng.standard_normal((*kernel, x_shape[-1], c_out))
    return {"x": x, "w": w, "b": rng.standard_normal(c_out) if bias else None, **options}


def cnn_inputs(seed=0, input_shape=(8, 8, 1), n_classes=10, train=True):
    """Inputs of build_cnn's probe: the model's arguments, the seed and the training protocol."""
    inputs = {"input_shape": list(input_shape), "n_classes": n_classes, "seed": seed}
    if train:
        inputs.update(epochs=CNN_EPOCHS, batch_size=CNN_BATCH, learning_rate=CNN_LEARNING_RATE)
    return inputs


PUBLIC_CASES = {
    "translate": [Case("image_wrap", {"f": _rng(1).standard_normal((4, 5)), "v": [1, -2]})],
    "conv1d": [Case("full", {"f": np.array([1.0, 2.0, 3.0]), "g": np.array([0.0, 1.0, 0.5])})],
    "toeplitz_conv_matrix": [Case("k3_n4", {"g": np.array([1.0, -2.0, 0.5]), "n": 4})],
    "circulant_matrix": [Case("n4", {"g": np.array([1.0, 2.0, 3.0, 4.0])})],
    "conv_output_size": [Case("paddings", {"calls": [[8, 3, 1, "valid"], [8, 3, 1, "same"],
                                                     [8, 3, 2, "same"], [8, 3, 1, "full"], [7, 3, 2, 1]]})],
    "conv2d": [Case("valid_cross_correlation", conv_inputs(2, (1, 5, 5, 2), (3, 3), 2)),
               Case("same_stride2_flip", conv_inputs(3, (1, 7, 7, 1), (3, 3), 1, stride=2,
                                                     padding="same", flip=True))],
    "max_pool2d": [Case("size2", {"x": _rng(4).standard_normal((1, 4, 4, 2)), "size": 2, "stride": 2})],
    "avg_pool2d": [Case("size2", {"x": _rng(5).standard_normal((1, 4, 4, 2)), "size": 2, "stride": 2})],
    "conv_param_count": [Case("small", {"calls": [[3, 3, 1, 8], [5, 5, 3, 16]]})],
    "receptive_field": [Case("two_convs", {"layers": [[3, 1], [3, 1]]})],
    "build_cnn": [Case("digits", cnn_inputs(seed=0), timeout=120)],
    "warp": [Case("constant_shift", {"f": _rng(6).standard_normal((5, 6)), "tau": [1.0, 0.5]})],
    "continuous_conv": [Case("box_box", {"f": "box", "g": "box", "t": np.linspace(-1.5, 1.5, 7),
                                         "lo": -0.5, "hi": 0.5, "n": 200})],
}
