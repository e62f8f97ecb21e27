"""Grading spec of chapter 10 (adversarial training: GANs and adversarial attacks).

Attacks and the GAN step are graded on small FIXED-WEIGHT Keras models (weights drawn from a seeded
numpy generator and set with ``set_weights``), never on trained ones: the attacks by their defining
properties (inside the eps-ball and the box [0, 1], the loss not decreasing on a linear model, the
target reached) and by the answer key's output on the same model; the GAN step by the weights after
one plain-SGD step (rtol 1e-5) and by bit-identical variables of the model that a step must not
touch (a zero learning rate on the other optimizer).
"""
import numpy as np

from ..compare import close, compare
from ..spec import Case, Exercise
from ..verdicts import fail, ok

# --- fixed-weight models -------------------------------------------------------------------------


def mlp_spec(seed, sizes, activation="tanh", scale=1.0):
    """A plain-data description of a Dense network ``sizes[0] -> ... -> sizes[-1]`` (linear output):
    ``{"weights": [W1, b1, ...], "activation": ...}`` with Keras layouts (kernel ``(in, out)``)."""
    rng = np.random.default_rng(seed)
    weights = []
    for n_in, n_out in zip(sizes, sizes[1:]):
        weights += [scale * rng.standard_normal((n_in, n_out)) / np.sqrt(n_in),
                    0.3 * rng.standard_normal(n_out)]
    return {"weights": weights, "activation": activation}


def build_model(spec):
    """The Keras model of ``mlp_spec``: Dense layers with ``activation`` between them, logits out."""
    import keras

    weights = [np.asarray(w, dtype="float32") for w in spec["weights"]]
    kernels = weights[0::2]
    layers = [keras.Input((kernels[0].shape[0],))]
    for i, kernel in enumerate(kernels):
        last = i == len(kernels) - 1
        layers.append(keras.layers.Dense(kernel.shape[1], activation=None if last else spec["activation"]))
    model = keras.Sequential(layers)
    model.set_weights(weights)
    return model


def _numpy(value):
    import keras

    return np.asarray(keras.ops.convert_to_numpy(value), dtype=float)


def _losses(model, x, y):
    """Per-sample cross-entropy on logits (binary for one unit), float64, for the checks."""
    z = _numpy(model(np.asarray(x, dtype="float32"), training=False))
    y = np.asarray(y).astype(int).reshape(-1)
    if z.shape[-1] == 1:
        z = z[:, 0]
        return np.logaddexp(0.0, z) - y * z
    zmax = z.max(axis=1, keepdims=True)
    lse = zmax[:, 0] + np.log(np.exp(z - zmax).sum(axis=1))
    return lse - z[np.arange(len(y)), y]


def probe_fgsm(module, inputs):
    model = build_model(inputs["model"])
    kwargs = {k: inputs[k] for k in ("clip_min", "clip_max") if k in inputs}
    x_adv = _numpy(module.fgsm(model, np.asarray(inputs["x"], "float32"), np.asarray(inputs["y"]),
                               inputs["eps"], **kwargs))
    return {"x_adv": x_adv, "loss_before": _losses(model, inputs["x"], inputs["y"]),
            "loss_after": _losses(model, x_adv, inputs["y"]) if x_adv.shape == np.shape(inputs["x"]) else None}


def _check_box_ball(got_x, inputs, eps, lo=0.0, hi=1.0):
    x = np.asarray(inputs["x"], dtype=float)
    if got_x.shape != x.shape:
        return f"the adversarial example has shape {got_x.shape}, expected {x.shape} (shaped like x)"
    if not np.all(np.isfinite(got_x)):
        return "the adversarial example has non-finite entries"
    if lo is not None and got_x.min() < lo - 1e-6 or hi is not None and got_x.max() > hi + 1e-6:
        return (f"the adversarial example leaves the data box [{lo}, {hi}] (min {got_x.min():.6g}, max "
                f"{got_x.max():.6g}): clip x + delta to the box")
    dist = float(np.max(np.abs(got_x - x)))
    if dist > eps + 1e-5:
        return f"||x' - x||_inf = {dist:.6g} > eps = {eps}: project onto the eps-ball around the original x"
    return None


def check_fgsm(got, expected, inputs):
    """Shape, box, ball; loss not decreased on a linear model; equal to the key's (atol 1e-5)."""
    x_adv = np.asarray(got["x_adv"], dtype=float)
    msg = _check_box_ball(x_adv, inputs, inputs["eps"], inputs.get("clip_min", 0.0), inputs.get("clip_max", 1.0))
    if msg:
        return fail(msg)
    if inputs.get("linear"):
        drop = np.asarray(got["loss_before"]) - np.asarray(got["loss_after"])
        if np.max(drop) > 1e-5:
            return fail(f"on a linear model (a loss convex in x) FGSM must not decrease the loss; it fell "
                        f"by {np.max(drop):.3g} for sample {int(np.argmax(drop))}: step along +sign(grad)")
    msg = compare(x_adv, expected["x_adv"], rtol=0, atol=1e-5, where="adversarial example")
    return fail(msg) if msg else ok()


def probe_pgd(module, inputs):
    model = build_model(inputs["model"])
    x, y = np.asarray(inputs["x"], "float32"), np.asarray(inputs["y"])
    args = (model, x, y, inputs["eps"], inputs["alpha"], inputs["steps"])
    if not inputs.get("random_start"):
        return {"x_adv": _numpy(module.pgd(*args))}
    seed = inputs["rng_seed"]
    run = lambda s: _numpy(module.pgd(*args, random_start=True, rng=np.random.default_rng(s)))
    first = run(seed)
    return {"x_adv": first, "same_seed_same_output": bool(np.array_equal(first, run(seed))),
            "other_seed_differs": bool(not np.array_equal(first, run(seed + 1)))}


def check_pgd(got, expected, inputs):
    """Box and ball; random start reproducible from rng; equal to the key's (atol 1e-5)."""
    x_adv = np.asarray(got["x_adv"], dtype=float)
    msg = _check_box_ball(x_adv, inputs, inputs["eps"])
    if msg:
        return fail(msg)
    if inputs.get("random_start"):
        if not got["same_seed_same_output"]:
            return fail("two generators with the same seed gave different results: draw the start from rng")
        if expected["other_seed_differs"] and not got["other_seed_differs"]:
            return fail("generators with different seeds gave the same result: draw the random start from rng")
    msg = compare(x_adv, expected["x_adv"], rtol=0, atol=1e-5, where="PGD result")
    return fail(msg) if msg else ok()


def probe_targeted(module, inputs):
    model = build_model(inputs["model"])
    x = np.asarray(inputs["x"], "float32")
    x_adv = _numpy(module.targeted_attack(model, x, inputs["target"], inputs["c"], inputs["steps"],
                                          inputs["lr"]))
    out = {"x_adv": x_adv}
    if x_adv.shape == x.shape:
        out["predicted"] = np.argmax(_numpy(model(x_adv.astype("float32"), training=False)), axis=-1)
    return out


def check_targeted(got, expected, inputs):
    """Box; the target reached where the case says so; equal to the key's (rtol 1e-4, atol 1e-4)."""
    x_adv = np.asarray(got["x_adv"], dtype=float)
    msg = _check_box_ball(x_adv, inputs, np.inf)
    if msg:
        return fail(msg)
    if inputs.get("must_reach"):
        target = np.broadcast_to(np.asarray(inputs["target"]), (len(x_adv),))
        if not np.array_equal(got["predicted"], target):
            return fail(f"the attack did not reach the target: predicted {list(got['predicted'])}, "
                        f"target {list(target)}")
    msg = compare(x_adv, expected["x_adv"], rtol=1e-4, atol=1e-4, where="adversarial example")
    return fail(msg) if msg else ok()


def probe_universal(module, inputs):
    model = build_model(inputs["model"])
    x, y = np.asarray(inputs["x"], "float32"), np.asarray(inputs["y"])
    v = _numpy(module.universal_perturbation(model, x, y, inputs["eps"], inputs["alpha"], inputs["steps"]))
    out = {"v": v}
    if v.shape == x.shape[1:]:
        out["loss_gain"] = float(np.sum(_losses(model, x + v, y)) - np.sum(_losses(model, x, y)))
    return out


def check_universal(got, expected, inputs):
    """One perturbation of a sample's shape, inside the eps-ball; equal to the key's (atol 1e-5)."""
    v, shape = np.asarray(got["v"], dtype=float), np.shape(inputs["x"])[1:]
    if v.shape != shape:
        return fail(f"the perturbation has shape {v.shape}; a universal perturbation is ONE array of a "
                    f"sample's shape {shape}, shared by every input")
    if np.max(np.abs(v), initial=0.0) > inputs["eps"] + 1e-6:
        return fail(f"max |v| = {np.max(np.abs(v)):.6g} > eps = {inputs['eps']}: project onto the eps-ball")
    msg = compare(v, expected["v"], rtol=0, atol=1e-5, where="universal perturbation")
    return fail(msg) if msg else ok()


def probe_gan_step(module, inputs):
    """Build G and D from fixed weights, run one step with plain SGD (learning rates ``g_lr`` and
    ``d_lr``), return the losses, the weights after the step and whether G's / D's weights are
    bit-identical to their initial values."""
    import keras

    G, D = build_model(inputs["G"]), build_model(inputs["D"])
    g0, d0 = [np.array(w) for w in G.get_weights()], [np.array(w) for w in D.get_weights()]
    g_opt, d_opt = keras.optimizers.SGD(inputs["g_lr"]), keras.optimizers.SGD(inputs["d_lr"])
    losses = module.gan_train_step(G, D, g_opt, d_opt, np.asarray(inputs["x_real"], "float32"),
                                   np.asarray(inputs["z"], "float32"))
    g1, d1 = G.get_weights(), D.get_weights()
    return {"d_loss": float(losses["d_loss"]), "g_loss": float(losses["g_loss"]),
            "G": [np.asarray(w, dtype=float) for w in g1], "D": [np.asarray(w, dtype=float) for w in d1],
            "G_unchanged": all(np.array_equal(a, b) for a, b in zip(g0, g1)),
            "D_unchanged": all(np.array_equal(a, b) for a, b in zip(d0, d1))}


def check_gan_step(got, expected, inputs):
    """Untouched variables bit-identical where a learning rate is 0; losses and weights rtol 1e-5."""
    if inputs["g_lr"] == 0 and not got["G_unchanged"]:
        return fail("with g_opt's learning rate 0 the generator changed: the discriminator step must "
                    "update D.trainable_variables only")
    if inputs["d_lr"] == 0 and not got["D_unchanged"]:
        return fail("with d_opt's learning rate 0 the discriminator changed: the generator step must "
                    "update G.trainable_variables only")
    for key, where in (("d_loss", "discriminator loss"), ("g_loss", "generator loss"),
                       ("D", "discriminator weights after the step"), ("G", "generator weights after the step")):
        msg = compare(got[key], expected[key], rtol=1e-5, atol=1e-6, where=where)
        if msg:
            return fail(msg)
    return ok()


def probe_gan_losses(name):
    """Call the loss once per keyword set in ``inputs["calls"]``; return the list of floats."""
    def probe(module, inputs):
        return [float(getattr(module, name)(**call)) for call in inputs["calls"]]
    return probe


# --- exercises ------------------------------------------------------------------------------------

FLOAT64 = close(rtol=1e-10, atol=1e-12)
LOSS_APIS = ("keras.losses.binary_crossentropy", "keras.losses.BinaryCrossentropy",
             "tensorflow.nn.sigmoid_cross_entropy_with_logits")
JSD_APIS = ("scipy.spatial.distance.jensenshannon", "scipy.stats.entropy", "scipy.special.rel_entr",
            "scipy.special.kl_div")
COURSE_ATTACKS = ("course.ch10_adversarial.fgsm", "course.ch10_adversarial.pgd",
                  "course.ch10_adversarial.targeted_attack", "course.ch10_adversarial.input_gradient")

EXERCISES = [
    Exercise("optimal_discriminator", points=1, check=FLOAT64,
             forbidden=("course.ch10_adversarial.analytic_dstar",)),
    Exercise("js_divergence", points=2, check=FLOAT64, forbidden=JSD_APIS),
    Exercise("gan_value", points=2, check=FLOAT64, forbidden=JSD_APIS),
    Exercise("discriminator_loss", points=2, probe=probe_gan_losses("discriminator_loss"),
             check=close(rtol=1e-9, atol=1e-12), forbidden=LOSS_APIS),
    Exercise("generator_loss", points=2, probe=probe_gan_losses("generator_loss"),
             check=close(rtol=1e-9, atol=1e-12), forbidden=LOSS_APIS),
    Exercise("gan_train_step", points=6, probe=probe_gan_step, check=check_gan_step, needs_tensorflow=True,
             forbidden=("course.ch10_adversarial.make_gan_step",)),
    Exercise("fgsm", points=4, probe=probe_fgsm, check=check_fgsm, needs_tensorflow=True,
             forbidden=COURSE_ATTACKS),
    Exercise("pgd", points=5, probe=probe_pgd, check=check_pgd, needs_tensorflow=True,
             forbidden=COURSE_ATTACKS),
    Exercise("cw_margin", points=2, check=FLOAT64),
    Exercise("targeted_attack", points=5, probe=probe_targeted, check=check_targeted, needs_tensorflow=True,
             forbidden=COURSE_ATTACKS),
    Exercise("universal_perturbation", points=2, probe=probe_universal, check=check_universal,
             needs_tensorflow=True, forbidden=COURSE_ATTACKS),
    Exercise("linear_min_perturbation", points=1, check=FLOAT64),
]


# --- case builders (shared with the hidden cases) -------------------------------------------------

# seconds for a case that builds Keras models (the first one in a worker imports TensorFlow)
TF_TIMEOUT = 60


def _rng(seed):
    return np.random.default_rng(seed)


def pmf(seed, n, zeros=()):
    p = _rng(seed).uniform(0.1, 1.0, n)
    p[list(zeros)] = 0.0
    return p / p.sum()


def attack_case(seed, sizes, n=4, eps=0.1, activation="tanh", scale=2.0, **extra):
    """A fixed model and ``n`` points of [0, 1]^d (some at the box's edges) with labels."""
    rng = _rng(seed)
    d, k = sizes[0], sizes[-1]
    x = rng.uniform(0.0, 1.0, (n, d))
    x[0, : d // 2] = 0.0
    x[-1, d // 2:] = 1.0
    y = rng.integers(0, 2 if k == 1 else k, n)
    return {"model": mlp_spec(seed + 100, sizes, activation, scale), "x": x, "y": y, "eps": eps, **extra}


def gan_case(seed, x_dim=2, z_dim=3, hidden=5, n=6, m=5, g_lr=0.1, d_lr=0.1):
    rng = _rng(seed)
    return {"G": mlp_spec(seed + 1, [z_dim, hidden, x_dim], "tanh"),
            "D": mlp_spec(seed + 2, [x_dim, hidden, 1], "tanh"),
            "x_real": rng.normal(1.0, 0.5, (n, x_dim)), "z": rng.standard_normal((m, z_dim)),
            "g_lr": g_lr, "d_lr": d_lr}


def targeted_case(seed, sizes=(6, 8, 4), n=3, c=5.0, steps=30, lr=0.05, must_reach=False, target=None):
    rng = _rng(seed)
    k = sizes[-1]
    x = rng.uniform(0.05, 0.95, (n, sizes[0]))
    if target is None:
        target = rng.integers(0, k, n)
    return {"model": mlp_spec(seed + 100, list(sizes), "tanh", 2.0), "x": x, "target": target, "c": c,
            "steps": steps, "lr": lr, "must_reach": must_reach}


PUBLIC_CASES = {
    "optimal_discriminator": [Case("pmfs", {"p_d": pmf(1, 5), "p_g": pmf(2, 5)})],
    "js_divergence": [Case("pmfs", {"p": pmf(3, 6), "q": pmf(4, 6)})],
    "gan_value": [Case("optimal_D", {"p_d": pmf(5, 5), "p_g": pmf(6, 5)})],
    "discriminator_loss": [Case("zeros_and_random", {"calls": [
        {"real_logits": np.zeros(4), "fake_logits": np.zeros(3)},
        {"real_logits": _rng(7).standard_normal(5), "fake_logits": _rng(8).standard_normal(4)}]})],
    "generator_loss": [Case("zeros_and_random", {"calls": [
        {"fake_logits": np.zeros(3)}, {"fake_logits": _rng(9).standard_normal(6)}]})],
    "gan_train_step": [Case("one_sgd_step", gan_case(10), timeout=TF_TIMEOUT)],
    "fgsm": [Case("linear_softmax", attack_case(11, [5, 3], linear=True), timeout=TF_TIMEOUT)],
    "pgd": [Case("mlp_10_steps", attack_case(12, [5, 6, 3], eps=0.1, alpha=0.02, steps=10), timeout=TF_TIMEOUT)],
    "cw_margin": [Case("hand_logits", {"logits": np.array([[2.0, 1.0, 0.5], [0.1, 3.0, -1.0]]),
                                       "target": np.array([0, 0])})],
    "targeted_attack": [Case("mlp", targeted_case(13), timeout=TF_TIMEOUT)],
    "universal_perturbation": [Case("mlp", attack_case(16, [5, 6, 3], n=8, eps=0.1, alpha=0.02, steps=8),
                                    timeout=TF_TIMEOUT)],
    "linear_min_perturbation": [Case("batch", {"w": _rng(14).standard_normal(4), "b": 0.3,
                                               "x": _rng(15).standard_normal((3, 4))})],
}
