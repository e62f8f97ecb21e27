"""Chapter 10 answer key against independent oracles: scipy's Jensen-Shannon distance, brute-force
maximization on a grid, Keras' BinaryCrossentropy(from_logits=True), hand gradients of linear models
(FGSM, the targeted attack), tf.GradientTape with Keras losses (the GAN step); the guide's checks and
one test per erratum that the notes' version fails."""
import types

import numpy as np
import pytest
from scipy.spatial.distance import jensenshannon

from autograder.chapters import ch10_adversarial as spec
from autograder.hidden import ch10_adversarial as hidden
from solutions import ch10_adversarial as sol

keras = pytest.importorskip("keras")
tf = pytest.importorskip("tensorflow")

LOG4 = np.log(4.0)


def all_cases(exercise):
    return spec.PUBLIC_CASES[exercise] + hidden.CASES[exercise]


def test_layout(check_solution_layout):
    check_solution_layout(sol)
    modules = {v.__name__ for v in vars(sol).values() if isinstance(v, types.ModuleType)}
    assert modules == {"numpy"}  # TensorFlow is imported inside the four exercises about it


def pmfs(seed, n=6):
    rng = np.random.default_rng(seed)
    p, q = rng.uniform(0.05, 1, n), rng.uniform(0.05, 1, n)
    return p / p.sum(), q / q.sum()


# --- GAN theory on a finite support (10.5)-(10.16) ----------------------------------------------------

def test_optimal_discriminator_maximizes_pointwise_objective_on_a_grid():
    p, q = pmfs(0)
    a = np.linspace(1e-4, 1 - 1e-4, 20001)
    brute = np.array([a[np.argmax(pi * np.log(a) + qi * np.log(1 - a))] for pi, qi in zip(p, q)])
    np.testing.assert_allclose(sol.optimal_discriminator(p, q), brute, atol=1e-4)
    assert sol.optimal_discriminator([0.0, 0.3], [0.0, 0.0]).tolist() == [0.5, 1.0]


def test_erratum_maximizing_E_D_gives_an_indicator_not_p_over_p_plus_q():
    p, q = pmfs(1)
    a = np.linspace(0, 1, 101)
    without_log = np.array([a[np.argmax(pi * a + qi * (1 - a))] for pi, qi in zip(p, q)])
    assert set(without_log.tolist()) <= {0.0, 1.0}
    assert np.max(np.abs(without_log - sol.optimal_discriminator(p, q))) > 0.1


@pytest.mark.parametrize("seed", [2, 3, 4])
def test_js_divergence_equals_scipy_and_is_symmetric_and_bounded(seed):
    p, q = pmfs(seed)
    expected = jensenshannon(p, q) ** 2  # scipy returns the distance, sqrt(JSD), natural log
    assert sol.js_divergence(p, q) == pytest.approx(expected, rel=1e-10)
    assert sol.js_divergence(q, p) == pytest.approx(sol.js_divergence(p, q), rel=1e-12)  # erratum: symmetric
    assert 0 <= sol.js_divergence(p, q) <= np.log(2)
    assert sol.js_divergence([0.5, 0.5, 0, 0], [0, 0, 0.5, 0.5]) == pytest.approx(np.log(2), rel=1e-12)
    assert sol.js_divergence(p, p) == 0.0


@pytest.mark.parametrize("p, q", [([0.5, 0.6], [0.5, 0.5]), ([1.2, -0.2], [0.5, 0.5]),
                                  ([0.5, 0.5], [1.0, 0.0, 0.0])])
def test_js_divergence_rejects_non_pmfs(p, q):
    with pytest.raises(ValueError):
        sol.js_divergence(p, q)


@pytest.mark.parametrize("seed", [5, 6])
def test_value_at_optimum_is_2jsd_minus_log4_and_upper_bounds_every_D(seed):
    p, q = pmfs(seed)
    v_star = sol.gan_value(p, q)
    assert v_star == pytest.approx(2 * jensenshannon(p, q) ** 2 - LOG4, rel=1e-10)
    rng = np.random.default_rng(seed)
    for _ in range(50):
        assert sol.gan_value(p, q, rng.uniform(0.01, 0.99, len(p))) <= v_star + 1e-12
    assert sol.gan_value(p, p) == pytest.approx(-LOG4, rel=1e-12)
    # closed form of the value at a given D
    D = rng.uniform(0.1, 0.9, len(p))
    assert sol.gan_value(p, q, D) == pytest.approx(np.sum(p * np.log(D) + q * np.log(1 - D)), rel=1e-12)


def test_erratum_J_is_not_half_kl_plus_half_kl():
    p, q = pmfs(7)
    m = (p + q) / 2
    notes = 0.5 * np.sum(p * np.log(p / m)) + 0.5 * np.sum(q * np.log(q / m))  # (10.14) without const
    assert abs(sol.gan_value(p, q) - notes) > 0.5
    assert sol.gan_value(p, q) == pytest.approx(2 * notes - LOG4, rel=1e-10)


def test_gan_value_zero_mass_terms_count_zero():
    assert sol.gan_value([0.0, 1.0], [1.0, 0.0], [0.0, 1.0]) == 0.0
    assert sol.gan_value([1.0, 0.0], [0.0, 1.0]) == 0.0  # disjoint supports: 2 log 2 - log 4


# --- GAN losses ----------------------------------------------------------------------------------------

def test_all_zero_logits_give_the_guide_values():
    assert sol.discriminator_loss(np.zeros(4), np.zeros(3)) == pytest.approx(2 * np.log(2), rel=1e-12)
    assert sol.generator_loss(np.zeros(3)) == pytest.approx(np.log(2), rel=1e-12)
    assert sol.generator_loss(np.zeros(3), saturating=True) == pytest.approx(-np.log(2), rel=1e-12)


@pytest.mark.parametrize("seed", [8, 9])
def test_gan_losses_equal_keras_binary_crossentropy_from_logits(seed):
    rng = np.random.default_rng(seed)
    r, f = 3 * rng.standard_normal(7), 3 * rng.standard_normal(5)
    bce = keras.losses.BinaryCrossentropy(from_logits=True)
    ones, zeros = np.ones((7, 1)), np.zeros((5, 1))
    expected_d = float(bce(ones, r[:, None])) + float(bce(zeros, f[:, None]))
    assert sol.discriminator_loss(r, f) == pytest.approx(expected_d, rel=1e-5)
    assert sol.generator_loss(f) == pytest.approx(float(bce(np.ones((5, 1)), f[:, None])), rel=1e-5)
    assert sol.generator_loss(f, saturating=True) == pytest.approx(-float(bce(zeros, f[:, None])), rel=1e-5)
    assert sol.discriminator_loss(r[:, None], f[:, None]) == pytest.approx(sol.discriminator_loss(r, f))


def test_gan_losses_stable_for_large_logits():
    assert sol.discriminator_loss([100.0, 800.0], [-800.0]) == pytest.approx(0.0, abs=1e-40)
    assert sol.discriminator_loss([-800.0], [0.0]) == pytest.approx(800 + np.log(2))
    assert sol.generator_loss([-800.0]) == pytest.approx(800.0)
    assert sol.generator_loss([800.0], saturating=True) == pytest.approx(-800.0)


def test_saturating_generator_loss_has_vanishing_gradient_when_D_rejects_fakes():
    f = tf.Variable([-10.0], dtype=tf.float64)
    with tf.GradientTape(persistent=True) as tape:
        saturating = -tf.reduce_mean(tf.nn.softplus(f))
        non_saturating = tf.reduce_mean(tf.nn.softplus(-f))
    assert abs(float(tape.gradient(saturating, f)[0])) < 1e-4
    assert abs(float(tape.gradient(non_saturating, f)[0])) > 0.99
    assert sol.generator_loss([-10.0], saturating=True) == pytest.approx(float(saturating))
    assert sol.generator_loss([-10.0]) == pytest.approx(float(non_saturating))


# --- GAN train step ------------------------------------------------------------------------------------

def _oracle_gan_step(inputs):
    """Plain SGD by hand, gradients by tf.GradientTape with Keras' BCE, D step then G step."""
    G, D = spec.build_model(inputs["G"]), spec.build_model(inputs["D"])
    bce = keras.losses.BinaryCrossentropy(from_logits=True)
    x, z = np.asarray(inputs["x_real"], "float32"), np.asarray(inputs["z"], "float32")
    with tf.GradientTape() as tape:
        r, f = D(x), D(G(z))
        d_loss = bce(tf.ones_like(r), r) + bce(tf.zeros_like(f), f)
    for v, g in zip(D.trainable_variables, tape.gradient(d_loss, D.trainable_variables)):
        v.assign(v - inputs["d_lr"] * g)
    with tf.GradientTape() as tape:
        f = D(G(z))
        g_loss = bce(tf.ones_like(f), f)
    for v, g in zip(G.trainable_variables, tape.gradient(g_loss, G.trainable_variables)):
        v.assign(v - inputs["g_lr"] * g)
    return float(d_loss), float(g_loss), G.get_weights(), D.get_weights()


@pytest.mark.parametrize("case", all_cases("gan_train_step"), ids=lambda c: c.name)
def test_gan_step_equals_hand_sgd_and_touches_only_its_model(case):
    got = spec.probe_gan_step(sol, case.inputs)
    d_loss, g_loss, g_w, d_w = _oracle_gan_step(case.inputs)
    assert got["d_loss"] == pytest.approx(d_loss, rel=1e-5)
    assert got["g_loss"] == pytest.approx(g_loss, rel=1e-5)
    for a, b in zip(got["G"] + got["D"], g_w + d_w):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    if case.inputs["g_lr"] == 0:
        assert got["G_unchanged"]
    if case.inputs["d_lr"] == 0:
        assert got["D_unchanged"]
    assert spec.check_gan_step(got, got, case.inputs).passed


def test_gan_step_g_loss_uses_the_updated_discriminator():
    inputs = spec.gan_case(3, d_lr=1.0, g_lr=0.0)
    G, D = spec.build_model(inputs["G"]), spec.build_model(inputs["D"])
    z = np.asarray(inputs["z"], "float32")
    before = sol.generator_loss(D(G(z)).numpy())
    out = sol.gan_train_step(G, D, keras.optimizers.SGD(0.0), keras.optimizers.SGD(1.0),
                             np.asarray(inputs["x_real"], "float32"), z)
    after = sol.generator_loss(D(G(z)).numpy())
    assert out["g_loss"] == pytest.approx(after, rel=1e-5) and abs(after - before) > 1e-3


# --- FGSM ----------------------------------------------------------------------------------------------

def _softmax(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def _hand_gradient(inputs):
    """Input gradient of the cross-entropy of a one-layer (linear) model, by hand."""
    W, b = (np.asarray(w, dtype=float) for w in inputs["model"]["weights"])
    x, y = np.asarray(inputs["x"], dtype=float), np.asarray(inputs["y"])
    z = x @ W + b
    if W.shape[1] == 1:
        return (1 / (1 + np.exp(-z)) - y[:, None]) @ W.T
    return (_softmax(z) - np.eye(W.shape[1])[y]) @ W.T


LINEAR = [c for c in all_cases("fgsm") if c.inputs.get("linear")]


@pytest.mark.parametrize("case", LINEAR, ids=lambda c: c.name)
def test_fgsm_equals_hand_gradient_sign_on_linear_models(case):
    inputs = case.inputs
    model = spec.build_model(inputs["model"])
    lo, hi = inputs.get("clip_min", 0.0), inputs.get("clip_max", 1.0)
    got = sol.fgsm(model, np.asarray(inputs["x"], "float32"), inputs["y"], inputs["eps"], lo, hi)
    expected = np.clip(inputs["x"] + inputs["eps"] * np.sign(_hand_gradient(inputs)), lo, hi)
    np.testing.assert_allclose(got, expected, atol=1e-6)
    # the guide's checks: sign(x' - x) = sign(grad) where the box does not bind, L-inf, range, loss
    free = (expected > lo) & (expected < hi)
    assert np.array_equal(np.sign(got - inputs["x"])[free], np.sign(_hand_gradient(inputs))[free])
    assert np.max(np.abs(got - inputs["x"])) <= inputs["eps"] + 1e-6
    assert got.min() >= lo and got.max() <= hi
    assert np.all(spec._losses(model, got, inputs["y"]) >= spec._losses(model, inputs["x"], inputs["y"]) - 1e-6)


def test_fgsm_loss_can_decrease_on_a_nonconvex_model():
    """Erratum: FGSM increases the loss only to first order; on a deep net a large step can lower it."""
    decreased = False
    for seed in range(20):
        inputs = spec.attack_case(seed, [4, 16, 3], n=16, eps=0.8, scale=6.0)
        model = spec.build_model(inputs["model"])
        got = sol.fgsm(model, np.asarray(inputs["x"], "float32"), inputs["y"], inputs["eps"], None, None)
        drop = spec._losses(model, inputs["x"], inputs["y"]) - spec._losses(model, got, inputs["y"])
        decreased |= bool(np.max(drop) > 1e-3)
    assert decreased


# --- PGD -----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("case", [c for c in all_cases("pgd") if not c.inputs.get("random_start")],
                         ids=lambda c: c.name)
def test_every_pgd_iterate_is_inside_the_ball_and_the_box(case):
    inputs = case.inputs
    model = spec.build_model(inputs["model"])
    x = np.asarray(inputs["x"], "float32")
    for k in range(inputs["steps"] + 1):  # deterministic: pgd with k steps is the k-th iterate
        x_k = sol.pgd(model, x, inputs["y"], inputs["eps"], inputs["alpha"], k)
        assert np.max(np.abs(x_k - x)) <= inputs["eps"] + 1e-6
        assert x_k.min() >= 0 and x_k.max() <= 1


def test_pgd_on_binary_logistic_equals_fgsm():
    for name in ("binary_logistic_equals_fgsm", "random_start_binary_equals_fgsm"):
        inputs = next(c for c in hidden.CASES["pgd"] if c.name == name).inputs
        model = spec.build_model(inputs["model"])
        x = np.asarray(inputs["x"], "float32")
        rng = np.random.default_rng(inputs.get("rng_seed", 0))
        got = sol.pgd(model, x, inputs["y"], inputs["eps"], inputs["alpha"], inputs["steps"],
                      random_start=inputs.get("random_start", False), rng=rng)
        expected = np.clip(x + inputs["eps"] * np.sign(_hand_gradient(inputs)), 0, 1)
        np.testing.assert_allclose(got, expected, atol=1e-6)
        np.testing.assert_allclose(sol.fgsm(model, x, inputs["y"], inputs["eps"]), expected, atol=1e-6)


def test_pgd_random_start_is_reproducible_from_rng():
    inputs = next(c for c in hidden.CASES["pgd"] if c.name == "random_start_reproducible").inputs
    model = spec.build_model(inputs["model"])
    args = (model, np.asarray(inputs["x"], "float32"), inputs["y"], inputs["eps"], inputs["alpha"], 0)
    run = lambda s: sol.pgd(*args, random_start=True, rng=np.random.default_rng(s))
    np.testing.assert_array_equal(run(1), run(1))
    assert not np.array_equal(run(1), run(2))
    start = np.clip(inputs["x"] + np.random.default_rng(1).uniform(-inputs["eps"], inputs["eps"],
                                                                  np.shape(inputs["x"])), 0, 1)
    np.testing.assert_allclose(run(1), start, atol=1e-7)


def test_erratum_clipping_to_the_ball_only_leaves_the_box():
    """The notes' clip_eps of (10.29): without the box, iterates of the hidden case leave [0, 1]."""
    inputs = next(c for c in hidden.CASES["pgd"] if c.name == "mlp_20_steps").inputs
    model = spec.build_model(inputs["model"])
    x = np.asarray(inputs["x"], "float32")
    notes = x.copy()
    for _ in range(inputs["steps"]):
        notes = sol.fgsm(model, notes, inputs["y"], inputs["alpha"], None, None)
        notes = np.clip(notes, x - inputs["eps"], x + inputs["eps"])
    assert notes.min() < 0 or notes.max() > 1
    got = sol.pgd(model, x, inputs["y"], inputs["eps"], inputs["alpha"], inputs["steps"])
    assert got.min() >= 0 and got.max() <= 1


# --- CW margin and the targeted attack -------------------------------------------------------------------

def test_cw_margin_hand_logits():
    Z = np.array([[2.0, 1.0, 0.5], [0.1, 3.0, -1.0], [0.0, 4.0, 1.0]])
    np.testing.assert_allclose(sol.cw_margin(Z, [0, 0, 1]), [0.0, 2.9, 0.0])
    np.testing.assert_allclose(sol.cw_margin(Z, [0, 0, 1], kappa=1.0), [-1.0, 2.9, -1.0])
    np.testing.assert_allclose(sol.cw_margin(Z, 2), [1.5, 4.0, 3.0])
    assert sol.cw_margin(np.array([1.0, 7.0, 3.0]), 1, kappa=0.5) == -0.5


def test_cw_margin_brute_force():
    rng = np.random.default_rng(10)
    Z, t = rng.standard_normal((20, 6)) * 3, rng.integers(0, 6, 20)
    expected = [max(max(z[j] for j in range(6) if j != ti) - z[ti], -0.7) for z, ti in zip(Z, t)]
    np.testing.assert_allclose(sol.cw_margin(Z, t, kappa=0.7), expected, atol=1e-12)


def test_erratum_margin_on_probabilities_saturates():
    """(10.26) on F = softmax(Z): bounded by 1 and flat for confident logits; on logits it is the gap."""
    Z = np.array([[20.0, 0.0, -5.0]])
    assert sol.cw_margin(Z, [2])[0] == 25.0
    assert sol.cw_margin(_softmax(Z), [2])[0] < 1.0


def _hand_targeted(inputs):
    """Projected gradient descent on ||x' - x||^2 + c (max_{j != t} z_j - z_t)^+ for a linear model."""
    W, b = (np.asarray(w, dtype=float) for w in inputs["model"]["weights"])
    x = np.asarray(inputs["x"], dtype=float)
    t = np.broadcast_to(inputs["target"], (len(x),))
    cur = x.copy()
    for _ in range(inputs["steps"]):
        z = cur @ W + b
        other = np.where(np.eye(W.shape[1])[t] > 0, -np.inf, z)
        j = other.argmax(axis=1)
        active = (other.max(axis=1) - z[np.arange(len(x)), t]) > 0
        grad = 2 * (cur - x) + inputs["c"] * active[:, None] * (W[:, j] - W[:, t]).T
        cur = np.clip(cur - inputs["lr"] * grad, 0, 1)
    return cur


def test_targeted_attack_equals_hand_projected_gradient_on_a_linear_model():
    inputs = next(c for c in hidden.CASES["targeted_attack"] if c.name == "large_c_reaches_target").inputs
    model = spec.build_model(inputs["model"])
    got = sol.targeted_attack(model, np.asarray(inputs["x"], "float32"), inputs["target"], inputs["c"],
                              inputs["steps"], inputs["lr"])
    np.testing.assert_allclose(got, _hand_targeted(inputs), atol=1e-4)
    assert np.array_equal(np.argmax(model(got).numpy(), axis=1), inputs["target"])  # large c reaches t
    assert got.min() >= 0 and got.max() <= 1


@pytest.mark.parametrize("case", all_cases("targeted_attack"), ids=lambda c: c.name)
def test_targeted_attack_stays_in_the_box(case):
    got = spec.probe_targeted(sol, case.inputs)
    assert got["x_adv"].min() >= 0 and got["x_adv"].max() <= 1
    if case.inputs["steps"] == 0:
        np.testing.assert_allclose(got["x_adv"], case.inputs["x"], atol=1e-7)


def test_erratum_box_on_delta_cannot_lower_a_pixel():
    """delta in [0, 1]^n (the notes) forbids darkening pixels and lets x + delta exceed 1."""
    inputs = next(c for c in hidden.CASES["targeted_attack"] if c.name == "large_c_reaches_target").inputs
    got = sol.targeted_attack(spec.build_model(inputs["model"]), np.asarray(inputs["x"], "float32"),
                              inputs["target"], inputs["c"], inputs["steps"], inputs["lr"])
    assert np.min(got - inputs["x"]) < -1e-3  # the attack needs a negative delta somewhere


# --- universal perturbation ------------------------------------------------------------------------------

def test_universal_perturbation_equals_hand_sign_ascent_on_a_linear_model():
    inputs = next(c for c in hidden.CASES["universal_perturbation"] if c.name == "binary_logistic").inputs
    model = spec.build_model(inputs["model"])
    x = np.asarray(inputs["x"], "float32")
    got = sol.universal_perturbation(model, x, inputs["y"], inputs["eps"], inputs["alpha"], inputs["steps"])
    v = np.zeros(x.shape[1])
    for _ in range(inputs["steps"]):
        grad = _hand_gradient(dict(inputs, x=x + v)).sum(axis=0)  # d/dv sum_i L(x_i + v)
        v = np.clip(v + inputs["alpha"] * np.sign(grad), -inputs["eps"], inputs["eps"])
    assert got.shape == x.shape[1:]
    np.testing.assert_allclose(got, v, atol=1e-6)
    assert np.sum(spec._losses(model, x + got, inputs["y"])) > np.sum(spec._losses(model, x, inputs["y"]))


# --- linear minimal perturbation ---------------------------------------------------------------------------

def test_linear_min_perturbation_reaches_the_boundary_at_distance_f_over_norm():
    rng = np.random.default_rng(11)
    w, b, x = rng.standard_normal(5), 0.4, rng.standard_normal((6, 5))
    r = sol.linear_min_perturbation(w, b, x)
    np.testing.assert_allclose((x + r) @ w + b, 0, atol=1e-12)
    np.testing.assert_allclose(np.linalg.norm(r, axis=1), np.abs(x @ w + b) / np.linalg.norm(w), rtol=1e-12)
    np.testing.assert_allclose(np.abs(r @ w), np.linalg.norm(r, axis=1) * np.linalg.norm(w), rtol=1e-12)
    assert sol.linear_min_perturbation(w, b, x[0]).shape == (5,)


# --- grading: the key passes its own checks; checks reject wrong answers -----------------------------------

def test_checks_reject_box_and_ball_violations():
    inputs = spec.PUBLIC_CASES["fgsm"][0].inputs
    expected = spec.probe_fgsm(sol, inputs)
    assert spec.check_fgsm(expected, expected, inputs).passed
    outside = dict(expected, x_adv=expected["x_adv"] + 0.5)
    assert not spec.check_fgsm(outside, expected, inputs).passed
    reversed_ = dict(expected, loss_after=expected["loss_before"] - 1)
    assert not spec.check_fgsm(reversed_, expected, inputs).passed
