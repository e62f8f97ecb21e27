"""The README's backend claim, tested: the Keras-level course functions of chapters 2-8 run under
JAX and give what the oracles (closed forms, the answer key, numpy gradient descent from the same
initial weights) give; the answer key gets full marks under JAX on every Keras-level exercise of
the chapters whose grading uses Keras (6-10), except the TensorFlow-only ones
(``needs_tensorflow``), which are reported as skipped; ``needs_tensorflow`` marks exactly the
exercises whose answer key or probe uses TensorFlow; every Keras-level course function of chapters
1-7 names its backends.

Keras holds one backend per interpreter, so the JAX side runs in subprocesses: one child for the
course functions (``start_under_backend``, started with the module so that it runs while the
exercises are graded), and grading workers started with ``KERAS_BACKEND=jax``. The same functions
run under TensorFlow in the chapters' own test modules. About 75 s of CPU in all (two cores: about
40 s of wall time when nothing else runs).
"""
import dataclasses
import importlib
import importlib.util
import inspect
import io
import re
import textwrap
import threading
import tokenize

import numpy as np
import pytest

from autograder import grading, spec, wire
from autograder.chapters import ch07_regularization as spec7
from autograder.runner import run_tasks
from autograder.sandbox import isolation_for
from course import datasets
from helpers import finish_under_backend, start_under_backend
from solutions import ch03_nonlinear_models as sol3
from solutions import ch04_gradient_descent as sol4
from solutions import ch05_mlp_backprop as sol5
from solutions import ch06_cnn as sol6
from solutions import ch07_regularization as sol7

pytestmark = pytest.mark.skipif(importlib.util.find_spec("jax") is None,
                                reason="JAX (the dev extra's second backend) is not installed")

# What the JAX child runs: every Keras-level course function of chapters 2-7 (and chapter 8's
# Keras models) on small inputs; it prints one wire-encoded line of results.
_COURSE_UNDER_JAX = r'''
import numpy as np
import keras
from autograder import wire
from autograder.chapters import ch07_regularization as spec7
from course import datasets
from course import ch02_linear_regression as c2, ch03_nonlinear_models as c3
from course import ch04_gradient_descent as c4, ch05_mlp_backprop as c5
from course import ch06_cnn as c6, ch07_regularization as c7, ch08_generative as c8

def initial_dense(d, seed):
    keras.utils.set_random_seed(seed)
    dense = keras.layers.Dense(1)
    keras.Sequential([keras.Input((d,)), dense])
    kernel, bias = dense.get_weights()
    return kernel[:, 0], bias[0]

out = {}
x, y = datasets.linear_data()
a, b, history = c2.fit_line_keras(x, y)
out["line"] = {"a": a, "b": b, "history": np.array(history), "start": initial_dense(1, 0)}
xp = np.random.default_rng(0).uniform(-1, 1, 40)
yp = np.cos(2 * xp) + 0.1 * np.random.default_rng(1).standard_normal(40)
theta, history = c3.fit_poly_keras(xp, yp, 2, 0.05, epochs=100, lr=0.8)
out["poly"] = {"theta": theta, "history": np.array(history), "start": initial_dense(2, 0)}
xl, yl = datasets.logistic_1d()
a, b, history = c3.fit_logistic_keras(xl, yl)
out["logistic"] = {"a": a, "b": b, "history": np.array(history), "start": initial_dense(1, 0)}

out["schedules"] = {kind: np.array([float(c4.keras_schedule(kind, 0.4, rho, a_end=0.02)(t)) for t in range(101)])
                    for kind, rho in (("linear", 60), ("inverse_time", 0.2), ("exponential", 0.04))}

rng = np.random.default_rng(3)
dims, acts = [3, 6, 4, 2], ["relu", "tanh", "linear"]
params = [(rng.standard_normal((o, i)), rng.standard_normal(o)) for i, o in zip(dims, dims[1:])]
xm, ym = rng.standard_normal((7, 3)), rng.standard_normal((7, 2))
model = c5.build_mlp(3, dims[1:], acts)
c5.set_params(model, params)
functional = c5.build_mlp_functional(3, dims[1:], acts)
c5.set_params(functional, params)
out["mlp"] = {"params": params, "x": xm, "y": ym,
              "sequential": keras.ops.convert_to_numpy(model(xm.astype("float32"))),
              "functional": keras.ops.convert_to_numpy(functional(xm.astype("float32"))[-1]),
              "dense_layer": keras.ops.convert_to_numpy(c5.dense_layer(*params[0], "relu")(xm.astype("float32"))),
              "backprop": c5.backprop_by_hand(model, xm, ym)}
out["mlp"]["region_points"] = rng.uniform(-2, 2, (300, 3))
out["mlp"]["region_labels"] = c5.relu_region_labels(model, out["mlp"]["region_points"])
xs, ys = datasets.sine_data(n=32, seed=3)
trained, losses = c5.train_mlp(xs[:, None], ys[:, None], [8, 1], ["tanh", "linear"], seed=0, steps=40, lr=0.05)
out["train_mlp"] = {"losses": losses, "final": c5.get_params(trained),
                    "start": c5.get_params(c5.build_mlp(1, [8, 1], ["tanh", "linear"], seed=0))}

ri = np.random.default_rng(4)
images, kernel, bias = ri.standard_normal((2, 7, 6, 3)), ri.standard_normal((3, 2, 3, 4)), ri.standard_normal(4)
out["conv"] = {"x": images, "w": kernel, "b": bias,
               "valid": c6.conv2d(images, kernel, bias), "flip_full": c6.conv2d(images, kernel, flip=True, padding="full"),
               "stride2": c6.conv2d(images, kernel, stride=2), "max": c6.pool2d(images, 2),
               "avg": c6.pool2d(images, 3, stride=1, kind="avg")}
cnn = c6.make_cnn()
out["cnn"] = {"params": cnn.count_params(), "probs": keras.ops.convert_to_numpy(cnn(np.zeros((2, 8, 8, 1), "float32")))}

out["early_stopping"] = [list(c7.keras_early_stopping(spec7.GUIDE_LOSSES, p, d)) for p, d in ((2, 0.0), (3, 0.0), (2, 0.02))]
nx = spec7.images(3, (4, 3, 5, 6))
out["normalization"] = {"x": nx, **{m: c7.keras_normalization(nx, m, 3 if m == "group" else None)
                                    for m in ("batch", "layer", "instance", "group")}}
seen = []
small = c7.mlp(input_dim=4, hidden=(8,), n_classes=2)
small.compile(optimizer="sgd", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
xe = np.random.default_rng(2).standard_normal((16, 4)).astype("float32")
c7.fit_epochs(small, xe, (xe[:, 0] > 0).astype("int64"), 3, 8, on_epoch_end=seen.append)
out["fit_epochs"] = seen
curves = c7.validation_curve(n_train=64, epochs=3, hidden=(16,))
x_train, y_train, x_val, y_val = datasets.digits(flat=True)
replay = c7.mlp(hidden=(16,), seed=0)  # the same seeded training, to measure its model independently
replay.compile(optimizer=keras.optimizers.Adam(1e-3), loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
c7.fit_epochs(replay, x_train[:64], y_train[:64], 3, 32, seed=0)
out["validation_curve"] = {**curves, "val_logits": keras.ops.convert_to_numpy(replay(x_val, training=False))}
model, history, callback = c7.fit_with_early_stopping(n_train=64, max_epochs=60, patience=3)
_, _, x_val, y_val = datasets.digits(flat=True)
logits = keras.ops.convert_to_numpy(model(x_val)).astype(float)
out["fit_with_early_stopping"] = {"val_loss": np.array(history["val_loss"]), "best": int(callback.best_epoch),
                                  "stopped": int(callback.stopped_epoch), "logits": logits, "y": y_val}

xd = datasets.digits(flat=True)[0][:64]
keras.utils.set_random_seed(0)
encoder, decoder, vae_model, loss = c8.vae(64, 3, hidden=(16,), beta=2.0)
vae_model.compile(optimizer="adam", loss=loss)
keras_loss = vae_model.evaluate(xd, xd, batch_size=64, verbose=0)
mu, logvar = c8.encode(encoder, xd)
out["vae"] = {"keras_loss": keras_loss, "x": xd, "mu": mu, "logvar": logvar,
              "logits": keras.ops.convert_to_numpy(decoder(mu.astype("float32")))}

out["figures"] = {  # the Keras-level figure data of chapters 2, 6 and 7
    "block_params": c2.block_network().count_params(),
    "trace": c2.training_trace(np.linspace(-1, 1, 20), 2 * np.linspace(-1, 1, 20) + 1, epochs=3),
    "dependency": c6.dependency_matrix(8, 3, 2, "same", "conv")[0],
    "conv_matrix": c6.conv_matrix(np.array([1.0, -2.0, 0.5]), 7, 2),
    "stacks": [c6.conv_stack().count_params(), c6.conv_pool_stack().count_params()],
    "dropout": c7.dropout_masks([200], [0.25], 2)}
print(wire.encode(out))
'''


@pytest.fixture(scope="module", autouse=True)
def jax_course_child():
    """The JAX child of the course functions, started when the module starts so that it runs while
    the exercises are graded (the first tests below)."""
    child = start_under_backend("jax", _COURSE_UNDER_JAX)
    yield child
    if child.poll() is None:
        child.kill()
        child.communicate()


@pytest.fixture(scope="module")
def jax_course(jax_course_child):
    return wire.decode(finish_under_backend(jax_course_child, timeout=600).strip().splitlines()[-1])


def test_every_keras_level_course_function_names_its_backends():
    """Chapters 1-7 and the data sets: each public function whose code uses Keras or TensorFlow
    says in its docstring which backends it runs under ("Backends: any Keras 3 backend" or
    "Backends: TensorFlow only")."""
    import ast
    from pathlib import Path
    root = Path(__file__).resolve().parents[1] / "course"
    missing, found = [], 0
    for path in sorted(root.glob("ch0[1-7]_*.py")) + [root / "datasets.py"]:
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if not isinstance(node, ast.FunctionDef) or node.name.startswith("_"):
                continue
            names = {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}
            names |= {a.name.split(".")[0] for n in ast.walk(node) if isinstance(n, ast.Import) for a in n.names}
            if names & {"keras", "tf", "tensorflow", "tfds"}:
                found += 1
                doc = ast.get_docstring(node) or ""
                if not re.search(r"Backends: (any Keras 3 backend|TensorFlow only)", " ".join(doc.split())):
                    missing.append(f"{path.stem}.{node.name}")
    assert found > 30 and not missing


# --- the exercises: needs_tensorflow, and grading under JAX ------------------------------------------

def _answer_key_object(chapter, name):
    return getattr(importlib.import_module(f"solutions.{chapter}"), name)


def _uses_tensorflow(obj) -> bool:
    """Whether the code of ``obj`` (not its docstrings or comments) imports or calls TensorFlow."""
    code = [tok.string for tok in tokenize.generate_tokens(io.StringIO(textwrap.dedent(
        inspect.getsource(obj))).readline) if tok.type in (tokenize.NAME, tokenize.OP)]
    return any(a in ("tensorflow", "tf") and (b == "." or prev in ("import", "from"))
               for prev, a, b in zip(["", *code], code, [*code[1:], ""]))


def test_needs_tensorflow_marks_exactly_the_tensorflow_exercises():
    """An exercise is marked TensorFlow-only iff its answer key uses TensorFlow (the lesson is
    tf.GradientTape and friends); every other exercise, Keras ones included, runs on any backend."""
    marked, uses = set(), set()
    for chapter in spec.graded_chapters():
        for name, exercise in spec.load_exercises(chapter).items():
            if exercise.needs_tensorflow:
                marked.add(f"{chapter}.{name}")
            if _uses_tensorflow(_answer_key_object(chapter, name)) or (
                    exercise.probe is not None and _uses_tensorflow(exercise.probe)):
                uses.add(f"{chapter}.{name}")
    assert marked == uses
    assert marked >= {"ch08_generative.build_vae", "ch10_adversarial.gan_train_step", "ch10_adversarial.fgsm"}


# Left out of the JAX grading to keep it short (~15 s each on two cores): chapter 8's trained
# autoencoder case (Keras training under JAX is graded through build_cnn's digits case).
LEFT_OUT = {"ch08_generative.build_autoencoder.linear_vs_pca_seed3"}


def _names(obj) -> set:
    """The names in the code of ``obj``."""
    source = textwrap.dedent(inspect.getsource(obj))
    return {tok.string for tok in tokenize.generate_tokens(io.StringIO(source).readline)
            if tok.type == tokenize.NAME}


def keras_level(chapter, exercise) -> bool:
    """Whether the answer key or the probe of an exercise uses Keras or TensorFlow."""
    names = _names(_answer_key_object(chapter, exercise.name))
    if exercise.probe is not None:
        names |= _names(exercise.probe)
    return bool(names & {"keras", "tensorflow", "tf"})


@pytest.fixture(scope="module")
def jax_grades():
    """The answer key graded under KERAS_BACKEND=jax on every Keras-level exercise (every case) of
    the chapters whose grading uses Keras: the reference outcomes (computed once, by a JAX worker)
    and the answer key's run as a submission, run at the same time, then scored by the engine."""
    chapters = [c for c in spec.graded_chapters() if spec.uses_keras(c)]
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("KERAS_BACKEND", "jax")  # the plan's skips, and the workers' backend
        plan = grading.make_plan(chapters)
        plan = dataclasses.replace(plan, tasks=[t for t in plan.tasks if t.id not in LEFT_OUT
                                                and keras_level(t.chapter, plan.exercises[t.id])])
        isolation = isolation_for("grade", unsafe=True)
        files = grading.chapter_files(grading.solutions_dir(), chapters)
        found = {}

        def submission():
            try:
                found["got"] = run_tasks(files, plan.runnable, sandbox=isolation.sandbox,
                                         preload=tuple(chapters))
            except BaseException as exc:  # noqa: BLE001 - raised again below, in the test's thread
                found["error"] = exc
        thread = threading.Thread(target=submission)
        thread.start()
        try:
            expected = grading.reference_outcomes(plan)
        finally:
            thread.join()
    if "error" in found:
        raise found["error"]
    return plan, grading.score(plan, found["got"], expected)


def _skipped(test):
    return test["extra_data"]["kind"] == "skipped"


def test_answer_key_gets_full_marks_under_jax(jax_grades):
    plan, tests = jax_grades
    assert {t.chapter for t in plan.tasks} >= {"ch06_cnn", "ch07_regularization"}
    failed = [(t["name"], t["output"][:300]) for t in tests if not _skipped(t) and t["score"] < t["max_score"]]
    assert not failed
    graded = {t["name"].rsplit(".", 1)[0] for t in tests if not _skipped(t)}
    assert graded >= {"ch06_cnn.build_cnn", "ch07_regularization.BatchNorm", "ch07_regularization.FrobeniusBall",
                      "ch07_regularization.MyEarlyStopping", "ch08_generative.build_autoencoder",
                      "ch09_geometric.GCNLayer", "ch09_geometric.MultiViewCNN"}


def test_tensorflow_exercises_are_skipped_under_jax(jax_grades):
    plan, tests = jax_grades
    skipped = {t["name"].rsplit(".", 1)[0] for t in tests if _skipped(t)}
    marked = {f"{t.chapter}.{t.exercise}" for t in plan.tasks if plan.exercises[t.id].needs_tensorflow}
    assert skipped == marked and marked
    assert all(t["max_score"] == 0 and "KERAS_BACKEND=jax" in t["output"] for t in tests if _skipped(t))


# --- the course functions under JAX ------------------------------------------------------------------

def numpy_dense_gd(X, y, start, lr, epochs, loss="mse", l2=0.0):
    """Float64 full-batch GD on the mean loss (+ l2 ||w||^2) from ``start``: losses before each step
    and the final (w, b)."""
    X = np.asarray(X, dtype=float).reshape(len(X), -1)
    w, b = np.asarray(start[0], dtype=float), float(start[1])
    losses = []
    for _ in range(epochs):
        z = X @ w + b
        if loss == "mse":
            losses.append(np.mean((z - y) ** 2) + l2 * w @ w)
            dz = 2 * (z - y) / len(y)
        else:
            losses.append(np.mean(np.logaddexp(0, z) - y * z) + l2 * w @ w)
            dz = (sol3.sigmoid(z) - y) / len(y)
        w, b = w - lr * (X.T @ dz + 2 * l2 * w), b - lr * dz.sum()
    return np.array(losses), w, b


def test_jax_dense_regressions_are_gradient_descent(jax_course):
    """ch02/ch03: fit_line_keras, fit_poly_keras (L2) and fit_logistic_keras under JAX equal float64
    GD from the JAX initial weights, and land on the closed forms as under TensorFlow."""
    from course import ch02_linear_regression as c2
    from course import ch03_nonlinear_models as c3
    line = jax_course["line"]
    x, y = datasets.linear_data()
    losses, w, b = numpy_dense_gd(x, y, line["start"], 0.3, 40)
    np.testing.assert_allclose(line["history"], losses, rtol=1e-4)
    np.testing.assert_allclose([line["a"], line["b"]], [w[0], b], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose([line["a"], line["b"]], c2.fit_line_closed_form(x, y), atol=1e-2)

    poly = jax_course["poly"]
    xp = np.random.default_rng(0).uniform(-1, 1, 40)
    yp = np.cos(2 * xp) + 0.1 * np.random.default_rng(1).standard_normal(40)
    X = np.vander(xp, 3)
    losses, w, b = numpy_dense_gd(X[:, :-1], yp, poly["start"], 0.8, 100, l2=0.05)
    np.testing.assert_allclose(poly["history"], losses, rtol=1e-4)
    np.testing.assert_allclose(poly["theta"], np.append(w, b), atol=1e-5)
    np.testing.assert_allclose(poly["theta"], c3.ridge(X, yp, 40 * 0.05, penalize_bias=False), atol=1e-4)

    logistic = jax_course["logistic"]
    xl, yl = datasets.logistic_1d()
    losses, w, b = numpy_dense_gd(xl, yl, logistic["start"], 2.0, 100, loss="bce")
    np.testing.assert_allclose(logistic["history"], losses, rtol=1e-4)
    np.testing.assert_allclose([logistic["a"], logistic["b"]], c3.fit_logistic_newton(xl, yl), atol=1e-3)


def test_jax_schedules_equal_answer_key(jax_course):
    """ch04: keras_schedule under JAX (float32 there unless jax_enable_x64) equals the answer key."""
    for kind, name, rho, extra in (("linear", "lr_linear", 60, {"a_end": 0.02}),
                                   ("inverse_time", "lr_inverse_time", 0.2, {}),
                                   ("exponential", "lr_exp", 0.04, {})):
        expected = [getattr(sol4, name)(t, 0.4, rho=rho, **extra) for t in range(101)]
        np.testing.assert_allclose(jax_course["schedules"][kind], expected, rtol=1e-6)


def test_jax_mlps_and_backprop_equal_answer_key(jax_course):
    """ch05: the Sequential and functional MLPs, dense_layer, backprop_by_hand and the ReLU region
    labels under JAX equal the answer key's numpy forward/backward pass."""
    mlp = jax_course["mlp"]
    params = [tuple(p) for p in mlp["params"]]
    acts = ["relu", "tanh", "linear"]
    out, cache = sol5.mlp_forward(mlp["x"], params, acts)
    for key in ("sequential", "functional"):
        np.testing.assert_allclose(mlp[key], out, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(mlp["dense_layer"], sol5.dense_forward(mlp["x"], *params[0], "relu"),
                               rtol=1e-5, atol=1e-5)
    grads = sol5.mlp_backward(cache, 2 * (out - mlp["y"]) / len(mlp["x"]))
    for (dW, db), kernel, bias in zip(grads, mlp["backprop"][::2], mlp["backprop"][1::2]):
        np.testing.assert_allclose(kernel, dW.T, rtol=1e-4, atol=1e-5)
        np.testing.assert_allclose(bias, db, rtol=1e-4, atol=1e-5)
    # region labels: equal labels <=> equal on/off patterns of the ReLU units (numpy)
    h = np.maximum(mlp["region_points"] @ params[0][0].T + params[0][1], 0)
    pattern = h > 0
    _, expected = np.unique(pattern, axis=0, return_inverse=True)
    labels = mlp["region_labels"]
    assert len(np.unique(np.column_stack([labels, expected.ravel()]), axis=0)) == len(np.unique(labels)) \
        == len(np.unique(expected))


def test_jax_train_mlp_is_gradient_descent(jax_course):
    """ch05: train_mlp's compile/fit under JAX equals the answer key's GD from the same start."""
    run = jax_course["train_mlp"]
    xs, ys = datasets.sine_data(n=32, seed=3)
    x, y = xs[:, None], ys[:, None]
    params = [(np.asarray(W, float), np.asarray(b, float)) for W, b in run["start"]]
    losses = []
    for _ in range(40):
        out, cache = sol5.mlp_forward(x, params, ["tanh", "linear"])
        losses.append(np.mean(np.sum((out - y) ** 2, axis=1)))
        grads = sol5.mlp_backward(cache, 2 * (out - y) / len(x))
        params = [(W - 0.05 * dW, b - 0.05 * db) for (W, b), (dW, db) in zip(params, grads)]
    np.testing.assert_allclose(run["losses"], losses, rtol=1e-4)
    for (W, b), (W2, b2) in zip(run["final"], params):
        np.testing.assert_allclose(W, W2, rtol=1e-4, atol=1e-5)
        np.testing.assert_allclose(b, b2, rtol=1e-4, atol=1e-5)


def test_jax_convolutions_and_cnn(jax_course):
    """ch06: conv2d (flip, padding, stride) and pool2d under JAX equal the answer key's loops;
    make_cnn has TensorFlow's parameter count and outputs probabilities (training a CNN under JAX:
    build_cnn's graded case below)."""
    conv = jax_course["conv"]
    x, w, b = conv["x"], conv["w"], conv["b"]
    np.testing.assert_allclose(conv["valid"], sol6.conv2d(x, w, b), rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(conv["flip_full"], sol6.conv2d(x, w, padding="full", flip=True),
                               rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(conv["stride2"], sol6.conv2d(x, w, stride=2), rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(conv["max"], sol6.max_pool2d(x, 2, 2), rtol=1e-6)
    np.testing.assert_allclose(conv["avg"], sol6.avg_pool2d(x, 3, 1), rtol=1e-5, atol=1e-6)
    cnn = jax_course["cnn"]
    from course import ch06_cnn as c6
    assert cnn["params"] == c6.make_cnn().count_params()  # this process runs TensorFlow
    np.testing.assert_allclose(cnn["probs"].sum(axis=1), 1, atol=1e-6)


def test_jax_figure_data_equals_tensorflows(jax_course):
    """The Keras-level figure data of chapters 2, 6 and 7 computed under JAX equal this process's
    (TensorFlow): index maps, a Conv1D layer read off as a matrix, parameter counts; dropout keeps
    what it keeps scaled by 1 / (1 - rate); a fit trace is gradient descent on the MSE."""
    from course import ch02_linear_regression as c2
    from course import ch06_cnn as c6
    from course import ch07_regularization as c7
    fig = jax_course["figures"]
    assert fig["block_params"] == c2.block_network().count_params()
    assert fig["stacks"] == [c6.conv_stack().count_params(), c6.conv_pool_stack().count_params()]
    np.testing.assert_array_equal(fig["dependency"], c6.dependency_matrix(8, 3, 2, "same", "conv")[0])
    np.testing.assert_allclose(fig["conv_matrix"], c6.conv_matrix(np.array([1.0, -2.0, 0.5]), 7, 2),
                               rtol=1e-6)
    x = np.linspace(-1, 1, 20)
    theta, loss = fig["trace"]["theta"], fig["trace"]["loss"]
    for k in range(3):  # each loss is the MSE at the parameters its step started from
        assert loss[k] == pytest.approx(np.mean((theta[k, 0] * x + theta[k, 1] - (2 * x + 1)) ** 2),
                                        rel=1e-5)
    outputs = [_dropout_outputs(fig["dropout"]), _dropout_outputs(c7.dropout_masks([200], [0.25], 2))]
    assert outputs[0] == outputs[1] == {0.0, round(1 / 0.75, 6)}


def _dropout_outputs(draws):
    """The distinct values a ``dropout_masks`` run put out (rounded): 0 and 1 / (1 - rate)."""
    return {round(float(v), 6) for row in draws for _, value in row for v in np.unique(value)}


def cross_entropy(logits, labels):
    """Mean sparse categorical cross-entropy of float64 logits (numpy)."""
    logits = np.asarray(logits, dtype=float)
    log_softmax = logits - np.logaddexp.reduce(logits, axis=1, keepdims=True)
    return float(-np.mean(log_softmax[np.arange(len(logits)), labels]))


def test_jax_regularization_functions_equal_answer_key(jax_course):
    """ch07: the EarlyStopping callback, the normalization layers, fit_epochs' callback,
    validation_curve and fit_with_early_stopping (restored best weights) under JAX."""
    expected = [list(sol7.early_stopping(spec7.GUIDE_LOSSES, p, d)) for p, d in ((2, 0.0), (3, 0.0), (2, 0.02))]
    assert jax_course["early_stopping"] == expected == [[6, 4], [7, 4], [4, 2]]
    norm = jax_course["normalization"]
    for mode in ("batch", "layer", "instance", "group"):
        np.testing.assert_allclose(norm[mode], sol7.normalize(norm["x"], mode, 3 if mode == "group" else None),
                                   rtol=1e-4, atol=1e-4)
    assert jax_course["fit_epochs"] == [0, 1, 2]
    curves = jax_course["validation_curve"]
    assert curves["train_loss"].shape == curves["val_loss"].shape == (3,)
    _, _, _, y_val = datasets.digits(flat=True)
    assert curves["val_loss"][-1] == pytest.approx(cross_entropy(curves["val_logits"], y_val), rel=1e-5)
    stopped = jax_course["fit_with_early_stopping"]
    val = stopped["val_loss"]
    assert stopped["best"] == int(np.argmin(val)) and len(val) == stopped["best"] + 4  # patience 3
    assert cross_entropy(stopped["logits"], stopped["y"]) == pytest.approx(val.min(), rel=1e-4)


def test_jax_vae_loss_is_the_negative_elbo(jax_course):
    """ch08: the Keras VAE's compiled loss under JAX is the answer key's negative ELBO (at eps = 0)."""
    from solutions import ch08_generative as sol8
    vae = jax_course["vae"]
    expected = sol8.vae_loss(vae["x"], vae["logits"].astype(float), vae["mu"], vae["logvar"], beta=2.0)
    assert vae["keras_loss"] == pytest.approx(expected, rel=1e-4)


