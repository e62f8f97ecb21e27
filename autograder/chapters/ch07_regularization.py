"""Grading spec of chapter 7 (regularization: penalties, balls, early stopping, normalization, dropout).

The numpy exercises are compared with the answer key. The Keras exercises (``BatchNorm``,
``FrobeniusBall``, ``MyEarlyStopping``) are exercised in the worker by probes that build the
student's object, drive it on seeded data and return plain numbers. ``dropout_forward`` is graded by
its properties on 1e6 seeded elements (5 standard errors), not by the exact mask.
"""
import numpy as np

from course.datasets import double_descent_data, random_relu_weights

from ..compare import close, compare
from ..spec import Case, Exercise
from ..verdicts import fail, ok

KERAS_TIMEOUT = 60.0  # the first Keras call of a worker traces functions: a few seconds


def _numpy(value):
    """A Keras tensor or variable (or array-like) -> float64 numpy array."""
    import keras

    return np.asarray(keras.ops.convert_to_numpy(value), dtype=np.float64)


def _check_fields(got, expected, fields, rtol, atol):
    """Compare ``got[key]`` with ``expected[key]`` for (key, description) in order; first failure."""
    for key, what in fields:
        msg = compare(got[key], expected[key], rtol=rtol, atol=atol, where=what)
        if msg:
            return fail(msg)
    return ok()


# --- batch normalization ----------------------------------------------------------------------------

def probe_bn_forward(module, inputs):
    y, _ = module.bn_forward(**inputs)
    return np.asarray(y, dtype=float)


def probe_bn_backward(module, inputs):
    _, cache = module.bn_forward(inputs["x"], inputs["gamma"], inputs["beta"], inputs["eps"])
    dx, dgamma, dbeta = module.bn_backward(inputs["dy"], cache)
    return {"dx": np.asarray(dx, dtype=float), "dgamma": np.asarray(dgamma, dtype=float),
            "dbeta": np.asarray(dbeta, dtype=float)}


def probe_batchnorm(module, inputs):
    """Build the layer (defaults unless the case sets momentum/epsilon), set gamma and beta, run the
    batches in training mode, then the test batch in inference mode; also inside a Sequential model."""
    import keras

    kwargs = {k: inputs[k] for k in ("momentum", "epsilon") if k in inputs}
    batches = np.asarray(inputs["batches"], dtype="float32")
    test = np.asarray(inputs["test"], dtype="float32")
    layer = module.BatchNorm(**kwargs)
    out = {"before_training": _numpy(layer(test))}  # builds the layer; initial moving statistics
    out["weights"] = {"trainable": len(layer.trainable_weights),
                      "non_trainable": len(layer.non_trainable_weights)}
    layer.gamma.assign(np.asarray(inputs["gamma"], dtype="float32"))
    layer.beta.assign(np.asarray(inputs["beta"], dtype="float32"))
    out["train"] = np.stack([_numpy(layer(b, training=True)) for b in batches])
    out["moving_mean"] = _numpy(layer.moving_mean)
    out["moving_variance"] = _numpy(layer.moving_variance)
    out["inference"] = _numpy(layer(test, training=False))
    out["default_call"] = _numpy(layer(test))
    config = layer.get_config()
    out["config"] = [float(config["momentum"]), float(config["epsilon"])]
    rebuilt = type(layer).from_config(config)
    out["from_config"] = _numpy(rebuilt(test, training=True))
    model = keras.Sequential([keras.Input(batches.shape[2:]), module.BatchNorm(**kwargs)])
    out["model_train"] = _numpy(model(batches[0], training=True))
    out["model_moving_mean"] = _numpy(model.layers[-1].moving_mean)
    return out


def check_batchnorm(got, expected, inputs):
    """Weight bookkeeping first (clear messages), then every output and statistic (rtol 1e-5)."""
    if got["weights"] != expected["weights"]:
        return fail(f"expected 2 trainable weights (gamma, beta) and 2 non-trainable ones (moving_mean, "
                    f"moving_variance), got {got['weights']}")
    return _check_fields(got, expected, [
        ("before_training", "inference output of a fresh layer (moving mean 0, variance 1)"),
        ("train", "training-mode outputs (batch statistics)"),
        ("moving_mean", "moving_mean after the training steps"),
        ("moving_variance", "moving_variance after the training steps (biased batch variance, "
                            "moving = momentum*moving + (1-momentum)*batch)"),
        ("inference", "inference output (training=False, moving statistics)"),
        ("default_call", "output of layer(x) without training= (should be inference)"),
        ("config", "[momentum, epsilon] in get_config()"),
        ("from_config", "output of BatchNorm.from_config(layer.get_config())"),
        ("model_train", "output inside a Sequential model called with training=True"),
        ("model_moving_mean", "moving_mean of the layer inside the model after one training call"),
    ], rtol=1e-5, atol=1e-5)


# --- dropout ----------------------------------------------------------------------------------------

def dropout_input(shape, seed):
    """Nonzero test values ``+-U(0.5, 2)`` (a zero in the output then means 'dropped')."""
    rng = np.random.default_rng(seed)
    return rng.choice([-1.0, 1.0], size=shape) * rng.uniform(0.5, 2.0, size=shape)


def _lag_correlation(a, b):
    a, b = a.astype(float).ravel(), b.astype(float).ravel()
    if a.std() == 0 or b.std() == 0:
        return 0.0
    return float(np.corrcoef(a, b)[0, 1])


def probe_dropout(module, inputs):
    """Statistics of the student's output on ``dropout_input(shape, x_seed)`` (computed here, so that
    only a few numbers travel back)."""
    p, seed = inputs["keep_prob"], inputs["rng_seed"]
    x = dropout_input(tuple(inputs["shape"]), inputs["x_seed"])
    x_before = x.copy()

    def run(s, training=True):
        return module.dropout_forward(x, p, np.random.default_rng(s), training=training)

    y = np.asarray(run(seed), dtype=float)
    out = {"shape": list(y.shape), "input_unchanged": bool(np.array_equal(x, x_before))}
    if y.shape != x.shape:
        return out
    kept = y != 0
    rel = np.abs(y[kept] - x[kept] / p) / np.abs(x[kept] / p)
    flat_kept = kept.reshape(kept.shape[0], -1)
    out.update({
        "n": int(y.size),
        "zero_fraction": float(1.0 - kept.mean()),
        "chunk_zero_fractions": 1.0 - np.array([c.mean() for c in np.array_split(kept.ravel(), 10)]),
        "lag_corr_within_rows": _lag_correlation(flat_kept[:, :-1], flat_kept[:, 1:]),
        "lag_corr_across_rows": _lag_correlation(flat_kept[:-1], flat_kept[1:]),
        "kept_max_rel_error": float(rel.max()) if rel.size else 0.0,
        "mean_y": float(y.mean()), "mean_x": float(x.mean()),
        "mean_standard_error": float(np.sqrt(np.sum(x ** 2) * (1 - p) / p) / y.size),
        "same_seed_same_output": bool(np.array_equal(np.asarray(run(seed), dtype=float), y)),
        "other_seed_differs": bool(p == 1.0 or not np.array_equal(np.asarray(run(seed + 1), dtype=float), y)),
        "inference_identity": bool(np.array_equal(np.asarray(run(seed, training=False), dtype=float), x)),
    })
    return out


def check_dropout(got, expected, inputs):
    """The properties of inverted dropout with keep probability p, within 5 standard errors."""
    p = inputs["keep_prob"]
    if got["shape"] != expected["shape"]:
        return fail(f"expected an output of shape {tuple(expected['shape'])}, got {tuple(got['shape'])}")
    if not got["input_unchanged"]:
        return fail("dropout_forward modified its input x in place")
    if not got["inference_identity"]:
        return fail("with training=False the output must be x itself (inverted dropout does nothing "
                    "at inference)")
    n = got["n"]
    tol = 5 * np.sqrt(p * (1 - p) / n) + 1e-12
    if abs(got["zero_fraction"] - (1 - p)) > tol:
        swapped = abs(got["zero_fraction"] - p) <= tol
        hint = " (keep_prob is the probability of KEEPING an entry)" if swapped else ""
        return fail(f"fraction of zeros {got['zero_fraction']:.5f}, expected {1 - p:.5f} +- {tol:.5f} "
                    f"(5 standard errors){hint}")
    chunk_tol = 5 * np.sqrt(p * (1 - p) / (n / 10)) + 1e-12
    bad = np.flatnonzero(np.abs(np.asarray(got["chunk_zero_fractions"]) - (1 - p)) > chunk_tol)
    if bad.size:
        return fail(f"the fraction of zeros in part {bad[0]} of 10 of the array is "
                    f"{got['chunk_zero_fractions'][bad[0]]:.4f}, expected {1 - p:.4f}: every element "
                    "needs its own independent draw")
    for key, where in (("lag_corr_within_rows", "neighbouring elements of a row"),
                       ("lag_corr_across_rows", "neighbouring rows")):
        if abs(got[key]) > 5 / np.sqrt(n) + 1e-12:
            return fail(f"the masks of {where} are correlated ({got[key]:.3f}): draw an independent "
                        "mask entry for every element (not one per row or column)")
    if got["kept_max_rel_error"] > 1e-12:
        return fail(f"kept values must be x / keep_prob (inverted dropout); max relative error "
                    f"{got['kept_max_rel_error']:.3g}")
    if abs(got["mean_y"] - got["mean_x"]) > 5 * got["mean_standard_error"] + 1e-12:
        return fail(f"mean of the output {got['mean_y']:.5f} differs from the mean of x "
                    f"{got['mean_x']:.5f} by more than 5 standard errors")
    if not got["same_seed_same_output"]:
        return fail("two generators with the same seed gave different outputs: draw the mask from rng")
    if not got["other_seed_differs"]:
        return fail("generators with different seeds gave the same output: draw the mask from rng")
    return ok()


# --- Keras constraint and callback -----------------------------------------------------------------

def probe_frobenius(module, inputs):
    """Apply the constraint to weight arrays, rebuild it from its config, and train a Dense layer
    with it (full-batch SGD, MSE)."""
    import keras

    con = module.FrobeniusBall(inputs["c"])
    out = {"is_constraint": isinstance(con, keras.constraints.Constraint)}
    weights = [np.asarray(w, dtype="float32") for w in inputs["weights"]]
    out["projected"] = [_numpy(con(keras.ops.convert_to_tensor(w))) for w in weights]
    rebuilt = type(con).from_config(con.get_config())
    out["from_config"] = [_numpy(rebuilt(keras.ops.convert_to_tensor(w))) for w in weights]
    train = inputs.get("train")
    if train is not None:
        X, Y = np.asarray(train["X"], "float32"), np.asarray(train["Y"], "float32")
        model = keras.Sequential([keras.Input((X.shape[1],)),
                                  keras.layers.Dense(Y.shape[1], kernel_constraint=con)])
        model.compile(optimizer=keras.optimizers.SGD(train["lr"]), loss="mse")
        model.fit(X, Y, epochs=train["epochs"], batch_size=len(X), shuffle=False, verbose=0)
        out["trained_kernel"] = _numpy(model.layers[-1].kernel)
    return out


def check_frobenius(got, expected, inputs):
    """A keras Constraint; projections (rtol 1e-5); trained kernel inside the ball and close to the key's."""
    if not got["is_constraint"]:
        return fail("FrobeniusBall must subclass keras.constraints.Constraint")
    verdict = _check_fields(got, expected, [
        ("projected", "constrained weights"),
        ("from_config", "weights constrained by from_config(get_config())")], rtol=1e-5, atol=1e-6)
    if not verdict.passed or "trained_kernel" not in expected:
        return verdict
    c = inputs["c"]
    norm = float(np.linalg.norm(got["trained_kernel"]))
    if norm > c * (1 + 1e-5):
        return fail(f"after training with kernel_constraint=FrobeniusBall({c}) the kernel has "
                    f"Frobenius norm {norm:.6g} > {c}")
    msg = compare(got["trained_kernel"], expected["trained_kernel"], rtol=1e-3, atol=1e-4,
                  where="kernel after training with the constraint")
    return fail(msg) if msg else ok()


def probe_my_early_stopping(module, inputs):
    """Drive the callback with fake logs; before epoch e's ``on_epoch_end`` the model's kernel is set
    to ``e + 1`` everywhere and its bias to ``-e``, so the final weights tell which epoch was restored.
    ``runs`` > 1 reuses the callback (``on_train_begin`` must reset it). With ``fit``, a real
    ``model.fit`` with the callback is run instead."""
    import keras

    callback = module.MyEarlyStopping(**inputs["kwargs"])
    if "fit" in inputs:
        return _fit_with_callback(keras, callback, inputs["fit"])
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    callback.set_model(model)
    runs = []
    for _ in range(inputs.get("runs", 1)):
        model.stop_training = False
        callback.on_train_begin()
        epochs = 0
        for epoch, logs in enumerate(inputs["logs"]):
            model.set_weights([np.full((2, 1), epoch + 1.0, "float32"), np.full((1,), -epoch, "float32")])
            callback.on_epoch_end(epoch, dict(logs))
            epochs += 1
            if model.stop_training:
                break
        callback.on_train_end()
        kernel, bias = model.get_weights()
        runs.append({"epochs_run": epochs, "stopped_epoch": int(callback.stopped_epoch),
                     "best_epoch": int(callback.best_epoch), "kernel": _numpy(kernel),
                     "bias": _numpy(bias)})
    return runs


def _fit_with_callback(keras, callback, spec):
    X, y = np.asarray(spec["X"], "float32"), np.asarray(spec["y"], "float32")
    Xv, yv = np.asarray(spec["X_val"], "float32"), np.asarray(spec["y_val"], "float32")
    model = keras.Sequential([keras.Input((X.shape[1],)), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.SGD(spec["lr"]), loss="mse")
    history = model.fit(X, y, validation_data=(Xv, yv), epochs=spec["epochs"], batch_size=len(X),
                        shuffle=False, verbose=0, callbacks=[callback])
    kernel, bias = model.get_weights()
    return [{"epochs_run": len(history.history["loss"]), "stopped_epoch": int(callback.stopped_epoch),
             "best_epoch": int(callback.best_epoch), "kernel": _numpy(kernel), "bias": _numpy(bias)}]


# --- exercises --------------------------------------------------------------------------------------

EXACT = close(rtol=1e-10, atol=1e-12)

EXERCISES = [
    Exercise("l1_penalty", points=2, check=EXACT),
    Exercise("l2_penalty", points=2, check=EXACT),
    Exercise("project_l1_ball", points=5, check=close(rtol=1e-9, atol=1e-10),
             forbidden=("course.ch07_regularization.project_l1_ball",)),
    Exercise("project_l2_ball", points=2, check=close(rtol=1e-10, atol=1e-12),
             forbidden=("course.ch07_regularization.project_l2_ball",)),
    Exercise("early_stopping", points=4, check=close(rtol=0, atol=0),
             forbidden=("course.ch07_regularization.keras_early_stopping",)),
    Exercise("bn_forward", points=2, probe=probe_bn_forward, check=close(rtol=1e-9, atol=1e-10)),
    Exercise("bn_backward", points=5, probe=probe_bn_backward, check=close(rtol=1e-8, atol=1e-10)),
    Exercise("BatchNorm", points=6, probe=probe_batchnorm, check=check_batchnorm,
             forbidden=("keras.ops.batch_normalization",)),
    Exercise("normalize", points=4, check=close(rtol=1e-9, atol=1e-10),
             forbidden=("course.ch07_regularization.keras_normalization",)),
    Exercise("dropout_forward", points=3, probe=probe_dropout, check=check_dropout),
    Exercise("FrobeniusBall", points=3, probe=probe_frobenius, check=check_frobenius),
    Exercise("MyEarlyStopping", points=5, probe=probe_my_early_stopping,
             check=close(rtol=1e-6, atol=1e-6)),
    Exercise("gd_quadratic", points=2, check=close(rtol=1e-9, atol=1e-10),
             forbidden=("course.ch07_regularization.gd_filter",)),
    Exercise("ridge_solution", points=2, check=close(rtol=1e-9, atol=1e-10),
             forbidden=("course.ch07_regularization.ridge_filter",)),
    Exercise("double_descent_curve", points=3, check=close(rtol=1e-6, atol=1e-9),
             forbidden=("course.ch07_regularization.random_feature_errors",)),
]


# --- case builders (shared with the hidden cases) --------------------------------------------------

def _rng(seed):
    return np.random.default_rng(seed)


def bn_case(seed, m=6, d=4, eps=1e-5, scale=3.0):
    """Inputs of bn_forward/bn_backward: features of different scales and offsets."""
    rng = _rng(seed)
    x = rng.standard_normal((m, d)) * rng.uniform(0.5, scale, d) + rng.uniform(-2, 2, d)
    return {"x": x, "gamma": rng.uniform(0.5, 2.0, d), "beta": rng.standard_normal(d), "eps": eps,
            "dy": rng.standard_normal((m, d))}


def batchnorm_case(seed, batch_shape=(8, 5), steps=3, **params):
    """Inputs of the BatchNorm probe: ``steps`` training batches, a test batch, gamma and beta."""
    rng = _rng(seed)
    c = batch_shape[-1]
    shift, scale = rng.uniform(-2, 2, c), rng.uniform(0.5, 3.0, c)
    batches = rng.standard_normal((steps, *batch_shape)) * scale + shift
    test = rng.standard_normal(batch_shape) * scale + shift
    return {"batches": batches, "test": test, "gamma": rng.uniform(0.5, 2.0, c),
            "beta": rng.standard_normal(c), **params}


def without(inputs, *keys):
    return {k: v for k, v in inputs.items() if k not in keys}


def images(seed, shape=(3, 4, 5, 6)):
    rng = _rng(seed)
    return rng.standard_normal(shape) * rng.uniform(0.5, 2.0, shape[-1]) + rng.uniform(-1, 1, shape[-1])


def psd_matrix(seed, d=4, eigenvalues=None):
    """Symmetric PSD ``Q diag(eigenvalues) Q^T`` (default eigenvalues spread over [0.05, 1.5])."""
    rng = _rng(seed)
    Q, _ = np.linalg.qr(rng.standard_normal((d, d)))
    lam = np.geomspace(0.05, 1.5, d) if eigenvalues is None else np.asarray(eigenvalues, dtype=float)
    return (Q * lam) @ Q.T


def double_descent_case(seed, widths, n=40, d=5, n_test=200):
    X, y, X_test, y_test = double_descent_data(n=n, d=d, n_test=n_test, seed=seed)
    return {"X": X, "y": y, "X_test": X_test, "y_test": y_test, "widths": list(widths),
            "W": random_relu_weights(d, max(widths), seed=seed + 1000)}


def fake_logs(val_losses, train_losses=None):
    """Per-epoch logs as Keras writes them (``loss`` and ``val_loss``)."""
    train_losses = train_losses or [2.0 / (e + 1) for e in range(len(val_losses))]
    return [{"loss": float(t), "val_loss": float(v)} for t, v in zip(train_losses, val_losses)]


def frobenius_train(seed, n=32, d_in=4, d_out=3, lr=0.5, epochs=20):
    """A regression whose unconstrained least-squares kernel has a large norm."""
    rng = _rng(seed)
    X = rng.standard_normal((n, d_in))
    return {"X": X, "Y": X @ (3.0 * rng.standard_normal((d_in, d_out))), "lr": lr, "epochs": epochs}


GUIDE_LOSSES = [1.0, 0.8, 0.7, 0.72, 0.69, 0.71, 0.73, 0.74, 0.75, 0.76]

PUBLIC_CASES = {
    "l1_penalty": [Case("two_layers", {"weights": [np.array([[1.0, -2.0], [0.5, 0.0]]), np.array([-3.0])],
                                       "lam": 0.1})],
    "l2_penalty": [Case("two_layers", {"weights": [np.array([[1.0, -2.0], [0.5, 0.0]]), np.array([-3.0])],
                                       "lam": 0.1})],
    "project_l1_ball": [Case("outside", {"v": np.array([3.0, -1.0, 0.5]), "r": 2.0})],
    "project_l2_ball": [Case("outside", {"v": np.array([3.0, -4.0]), "r": 2.0})],
    "early_stopping": [Case("patience_1", {"val_losses": GUIDE_LOSSES, "patience": 1})],
    "bn_forward": [Case("small", without(bn_case(1), "dy"))],
    "bn_backward": [Case("small", bn_case(1))],
    "BatchNorm": [Case("dense_defaults", batchnorm_case(2), timeout=KERAS_TIMEOUT)],
    "normalize": [Case("instance", {"x": images(3), "mode": "instance"})],
    "dropout_forward": [Case("half", {"keep_prob": 0.5, "shape": [1000, 1000], "x_seed": 4, "rng_seed": 5})],
    "FrobeniusBall": [Case("matrices", {"c": 2.0, "weights": [np.array([[3.0, 0.0], [0.0, 4.0]]),
                                                              np.array([[0.1, 0.2], [0.3, 0.4]])]},
                           timeout=KERAS_TIMEOUT)],
    "MyEarlyStopping": [Case("patience_2", {"kwargs": {"patience": 2}, "logs": fake_logs(GUIDE_LOSSES)},
                             timeout=KERAS_TIMEOUT)],
    "gd_quadratic": [Case("diagonal", {"H": np.diag([1.0, 0.1]), "w_star": np.array([1.0, 2.0]),
                                       "alpha": 0.5, "tau": 10})],
    "ridge_solution": [Case("diagonal", {"H": np.diag([1.0, 0.1]), "w_star": np.array([1.0, 2.0]),
                                         "lam": 0.2})],
    "double_descent_curve": [Case("small", double_descent_case(6, [5, 20, 40, 80, 200]))],
}
