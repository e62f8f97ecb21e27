"""Chapter 8 answer key against independent oracles: numpy.linalg.eigh, brute force over unit
vectors, scipy's Gaussian densities, Monte Carlo, Keras' BinaryCrossentropy, tf.GradientTape; the
grading checks accept every correct answer (signs, bases of repeated eigenvalues); one test per
erratum of the notes that the notes' version would fail."""
import types

import numpy as np
import pytest
from scipy import stats

from autograder.chapters import ch08_generative as spec
from autograder.hidden import ch08_generative as hidden
from solutions import ch08_generative as sol

keras = pytest.importorskip("keras")


def all_cases(exercise):
    return spec.PUBLIC_CASES[exercise] + hidden.CASES[exercise]


def test_layout(check_solution_layout):
    check_solution_layout(sol)
    modules = {v.__name__ for v in vars(sol).values() if isinstance(v, types.ModuleType)}
    assert modules == {"numpy", "keras"}


def test_spec_points_and_cases():
    names = [e.name for e in spec.EXERCISES]
    assert 30 <= sum(e.points for e in spec.EXERCISES) <= 40
    assert set(spec.PUBLIC_CASES) == set(names) == set(hidden.CASES)
    assert all(spec.PUBLIC_CASES[n] and hidden.CASES[n] for n in names)
    assert {e.name for e in spec.EXERCISES if e.needs_tensorflow} == {"build_vae"}


def _projector(W):
    return W @ W.T


def _eigh_pca(X, k):
    Xc = X - X.mean(axis=0)
    lam, vecs = np.linalg.eigh(Xc.T @ Xc)  # the scatter matrix C = Xc^T Xc (rows are samples)
    return vecs[:, ::-1][:, :k], lam[::-1][:k] / (len(X) - 1)


# --- PCA ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("case", [c for c in all_cases("pca_fit") if "raises" not in c.name],
                         ids=lambda c: c.name)
def test_pca_fit_against_eigh_of_scatter_matrix(case):
    X, k = case.inputs["X"], case.inputs["k"]
    mean, W, var = sol.pca_fit(X, k)
    W_ref, var_ref = _eigh_pca(X, k)
    np.testing.assert_allclose(mean, X.mean(axis=0), atol=1e-12)
    np.testing.assert_allclose(W.T @ W, np.eye(k), atol=1e-10)
    np.testing.assert_allclose(_projector(W), _projector(W_ref), atol=1e-8)
    np.testing.assert_allclose(var, var_ref, rtol=1e-8, atol=1e-10)
    assert np.all(np.diff(var) <= 1e-12)
    # explained variances are the (unbiased) variances of the codes
    np.testing.assert_allclose(np.var(sol.pca_encode(X, mean, W), axis=0, ddof=1), var, rtol=1e-8, atol=1e-10)
    # Eckart-Young: the residual is the sum of the discarded squared singular values (8.13)
    Xc = X - mean
    S = np.linalg.svd(Xc, compute_uv=False)
    assert np.linalg.norm(Xc - Xc @ W @ W.T) ** 2 == pytest.approx(np.sum(S[k:] ** 2), abs=1e-8)


def test_pca_w_is_semi_orthogonal_not_orthogonal():
    """(8.3) claims W W^T = I_d; for k < d it is a rank-k projector (8.9)."""
    _, W, _ = sol.pca_fit(spec.pca_data(3), 2)
    P = W @ W.T
    np.testing.assert_allclose(P @ P, P, atol=1e-12)
    assert np.linalg.matrix_rank(P) == 2
    assert not np.allclose(P, np.eye(5))


def test_erratum_pca_maximizes_variance():
    """The notes' (8.18)-(8.20) minimize w^T C w: that is the least-variance direction. PCA's first
    direction maximizes it: brute force over 20000 random unit vectors never beats it, and the
    notes' minimizer (eigenvector of the smallest eigenvalue) gives a different projector."""
    X = spec.pca_data(21, n=30, d=4)
    mean, W, _ = sol.pca_fit(X, 1)
    C = (X - mean).T @ (X - mean)
    w = W[:, 0]
    u = np.random.default_rng(0).standard_normal((20000, 4))
    u /= np.linalg.norm(u, axis=1, keepdims=True)
    assert np.max(np.einsum("ni,ij,nj->n", u, C, u)) <= w @ C @ w + 1e-9
    w_notes = np.linalg.eigh(C)[1][:, 0]  # argmin w^T C w, ||w|| = 1
    assert w_notes @ C @ w_notes < 0.1 * (w @ C @ w)
    assert not np.allclose(np.outer(w_notes, w_notes), np.outer(w, w), atol=1e-3)


def test_erratum_generation_needs_the_mean():
    """(8.21) x = W z forgets the mean: pca_decode adds it back, so decoding code 0 gives the mean."""
    X = spec.pca_data(3)
    mean, W, _ = sol.pca_fit(X, 2)
    np.testing.assert_allclose(sol.pca_decode(np.zeros((1, 2)), mean, W)[0], mean, atol=1e-12)
    assert np.linalg.norm(W @ np.zeros(2) - mean) > 1


def test_pca_fit_raises_on_bad_k():
    X = spec.pca_data(3)
    for k in (0, 6):
        with pytest.raises(ValueError):
            sol.pca_fit(X, k)


@pytest.mark.parametrize("seed", [0, 1])
def test_encode_decode_is_a_projector_and_exact_at_full_rank(seed):
    X = spec.pca_data(30 + seed, n=25, d=5)
    mean, W, _ = sol.pca_fit(X, 2)
    R = sol.pca_decode(sol.pca_encode(X, mean, W), mean, W)
    np.testing.assert_allclose(sol.pca_decode(sol.pca_encode(R, mean, W), mean, W), R, atol=1e-10)
    np.testing.assert_allclose(R - mean, (X - mean) @ W @ W.T, atol=1e-10)
    mean, W, _ = sol.pca_fit(X, 5)
    np.testing.assert_allclose(sol.pca_decode(sol.pca_encode(X, mean, W), mean, W), X, atol=1e-10)


def test_pca_check_accepts_every_basis():
    """Signs flipped and a rotation inside a repeated eigenvalue's space still get full marks, the
    least-variance subspace fails."""
    case = next(c for c in hidden.CASES["pca_fit"] if c.name == "repeated_eigenvalue")
    expected = spec.probe_pca_fit(sol, case.inputs)
    mean, W, var = sol.pca_fit(**case.inputs)
    c, s = np.cos(0.7), np.sin(0.7)
    rotated = W.copy()
    rotated[:, 1], rotated[:, 2] = c * W[:, 1] + s * W[:, 2], -s * W[:, 1] + c * W[:, 2]
    for W_alt in (-W, rotated):
        alt = types.SimpleNamespace(pca_fit=lambda X, k, W_alt=W_alt: (mean, W_alt, var))
        assert spec.check_pca_fit(spec.probe_pca_fit(alt, case.inputs), expected, case.inputs).passed
    worst = np.linalg.svd(case.inputs["X"] - mean)[2][-3:].T
    bad = types.SimpleNamespace(pca_fit=lambda X, k: (mean, worst, var))
    assert not spec.check_pca_fit(spec.probe_pca_fit(bad, case.inputs), expected, case.inputs).passed


# --- power iteration --------------------------------------------------------------------------------------

@pytest.mark.parametrize("case", all_cases("power_iteration"), ids=lambda c: c.name)
def test_power_iteration_finds_the_top_eigenvector(case):
    C = case.inputs["C"]
    w = spec.probe_power_iteration(sol, case.inputs)
    lam, vecs = np.linalg.eigh(C)
    assert abs(w @ vecs[:, -1]) > 1 - 1e-6
    assert np.linalg.norm(w) == pytest.approx(1, abs=1e-12)
    assert w @ C @ w == pytest.approx(lam[-1], rel=1e-8)
    assert spec.check_power_iteration(-w, w, case.inputs).passed  # the sign is free
    assert not spec.check_power_iteration(vecs[:, 0], w, case.inputs).passed


# --- autoencoder ---------------------------------------------------------------------------------------------

def test_autoencoder_shapes_and_composition():
    encoder, decoder, ae = sol.build_autoencoder(7, 3, hidden_units=(16, 8))
    x = np.random.default_rng(0).uniform(size=(4, 7)).astype("float32")
    z = keras.ops.convert_to_numpy(encoder(x))
    assert z.shape == (4, 3)
    assert keras.ops.convert_to_numpy(decoder(z)).shape == (4, 7)
    np.testing.assert_allclose(keras.ops.convert_to_numpy(ae(x)),
                               keras.ops.convert_to_numpy(decoder(encoder(x))), atol=1e-6)
    assert [l.units for l in encoder.layers] == [16, 8, 3]
    assert [l.units for l in decoder.layers] == [8, 16, 7]
    assert encoder.layers[-1].activation.__name__ == "linear"
    assert decoder.layers[-1].activation.__name__ == "linear"


def test_linear_autoencoder_spans_the_pca_subspace():
    """The guide's Keras cross-check, through the grading probe (seed 0, protocol of the spec)."""
    case = spec.PUBLIC_CASES["build_autoencoder"][0]
    out = spec.probe_build_autoencoder(sol, case.inputs)
    assert out["mse_ratio"] < 1.01
    assert np.min(out["cosines"]) > 0.999
    assert spec.check_build_autoencoder(out, out, case.inputs).passed


# --- VAE pieces -----------------------------------------------------------------------------------------------

def _kl_numpy(mu, logvar):
    """KL(N(mu, sigma^2) || N(0, 1)) per dimension from the Gaussian entropy/cross-entropy."""
    var = np.exp(logvar)
    cross_entropy = 0.5 * np.log(2 * np.pi) + 0.5 * (var + mu ** 2)
    entropy = 0.5 * np.log(2 * np.pi * np.e * var)
    return (cross_entropy - entropy).sum(axis=-1)


@pytest.mark.parametrize("case", all_cases("kl_standard_normal"), ids=lambda c: c.name)
def test_kl_closed_form(case):
    got = sol.kl_standard_normal(**case.inputs)
    assert got.shape == (case.inputs["mu"].shape[0],)
    np.testing.assert_allclose(got, _kl_numpy(**case.inputs), atol=1e-12)
    assert np.all(got >= 0)


def test_kl_zero_at_prior_and_monte_carlo():
    assert np.all(sol.kl_standard_normal(np.zeros((2, 3)), np.zeros((2, 3))) == 0)
    mu, logvar = np.array([[0.7, -1.2]]), np.array([[-0.5, 0.8]])
    sigma = np.exp(logvar / 2)
    z = mu + sigma * np.random.default_rng(0).standard_normal((200_000, 2))
    log_ratio = (stats.norm.logpdf(z, mu, sigma) - stats.norm.logpdf(z)).sum(axis=1)
    se = log_ratio.std(ddof=1) / np.sqrt(len(z))
    assert abs(log_ratio.mean() - sol.kl_standard_normal(mu, logvar)[0]) < 4 * se


@pytest.mark.parametrize("case", all_cases("reparameterize"), ids=lambda c: c.name)
def test_reparameterize_exact(case):
    mu, logvar, eps = case.inputs["mu"], case.inputs["logvar"], case.inputs["eps"]
    np.testing.assert_allclose(sol.reparameterize(mu, logvar, eps), mu + np.sqrt(np.exp(logvar)) * eps,
                               rtol=1e-12, atol=1e-14)


def test_erratum_sigma_is_the_standard_deviation():
    """z = mu + sigma eps has standard deviation sigma = exp(logvar/2); with the notes' 'sigma is the
    variance' (exp(logvar)) the spread would be sigma^2."""
    eps = np.random.default_rng(1).standard_normal(100_000)
    z = sol.reparameterize(np.full_like(eps, 1.0), np.full_like(eps, np.log(4.0)), eps)
    assert z.std() == pytest.approx(2.0, rel=0.01)
    assert abs(z.std() - 4.0) > 1


def test_reparameterize_gradients_with_tape():
    tf = pytest.importorskip("tensorflow")
    mu = tf.Variable([[0.3, -1.0]], dtype=tf.float64)
    logvar = tf.Variable([[0.4, -0.6]], dtype=tf.float64)
    eps = tf.constant([[1.5, -0.7]], dtype=tf.float64)
    with tf.GradientTape(persistent=True) as tape:
        z = sol.reparameterize(mu, logvar, eps)
        total = tf.reduce_sum(z)
    np.testing.assert_allclose(tape.gradient(total, mu).numpy(), [[1.0, 1.0]])
    np.testing.assert_allclose(tape.gradient(total, logvar).numpy(),
                               np.exp(logvar.numpy() / 2) * eps.numpy() / 2, rtol=1e-12)


@pytest.mark.parametrize("case", all_cases("vae_loss"), ids=lambda c: c.name)
def test_vae_loss_against_keras_bce(case):
    x, logits = case.inputs["x"], case.inputs["x_logits"]
    mu, logvar, beta = case.inputs["mu"], case.inputs["logvar"], case.inputs.get("beta", 1.0)
    bce = keras.losses.BinaryCrossentropy(from_logits=True, reduction=None)
    per_sample_mean = keras.ops.convert_to_numpy(bce(x[..., None], logits[..., None])).astype(float)
    recon = per_sample_mean.sum(axis=1)  # Keras averages over the (trailing) feature axis
    expected = np.mean(recon + beta * _kl_numpy(mu, logvar))
    assert sol.vae_loss(x, logits, mu, logvar, beta) == pytest.approx(expected, rel=1e-5)
    # the same with float64 numpy (the probability form, fine for moderate logits)
    if np.max(np.abs(logits)) < 20:
        p = 1 / (1 + np.exp(-logits))
        nll = -(x * np.log(p) + (1 - x) * np.log(1 - p)).sum(axis=1)
        assert sol.vae_loss(x, logits, mu, logvar, beta) == pytest.approx(
            np.mean(nll + beta * _kl_numpy(mu, logvar)), rel=1e-10)


def test_erratum_reconstruction_summed_not_averaged():
    """Keras' BCE averages over features: that version weighs the KL d times too much."""
    v = spec.vae_arrays(1)
    bce = keras.losses.BinaryCrossentropy(from_logits=True)
    keras_version = float(bce(v["x"], v["x_logits"])) + np.mean(_kl_numpy(v["mu"], v["logvar"]))
    assert abs(sol.vae_loss(v["x"], v["x_logits"], v["mu"], v["logvar"]) - keras_version) > 1


# --- linear Gaussian ELBO -----------------------------------------------------------------------------------

def _posterior(x, a, s):
    return a * x / (a ** 2 + s ** 2), s ** 2 / (a ** 2 + s ** 2)


def _kl_gauss(m1, v1, m2, v2):
    return 0.5 * (np.log(v2 / v1) + (v1 + (m1 - m2) ** 2) / v2 - 1)


@pytest.mark.parametrize("x,a,s", [(-0.8, 1.3, 0.7), (2.0, 0.5, 1.5), (0.1, -2.0, 0.3)])
def test_elbo_equals_evidence_at_the_exact_posterior(x, a, s):
    m, v = _posterior(x, a, s)
    evidence = stats.norm.logpdf(x, 0, np.sqrt(a ** 2 + s ** 2))
    assert sol.linear_gaussian_elbo(x, a, s, m, v) == pytest.approx(evidence, abs=1e-12)


@pytest.mark.parametrize("m,v", [(0.0, 1.0), (0.3, 0.2), (-1.0, 2.0)])
def test_erratum_log_evidence_is_elbo_plus_kl(m, v):
    """log p(x) = ELBO + KL(q || p(z|x)) (the notes' sign is wrong): the gap is the KL, > 0."""
    x, a, s = 1.5, 2.0, 0.5
    evidence = stats.norm.logpdf(x, 0, np.sqrt(a ** 2 + s ** 2))
    pm, pv = _posterior(x, a, s)
    elbo = sol.linear_gaussian_elbo(x, a, s, m, v)
    assert elbo < evidence
    assert evidence - elbo == pytest.approx(_kl_gauss(m, v, pm, pv), abs=1e-12)


def test_elbo_monte_carlo_and_s_is_a_standard_deviation():
    x, a, s, m, v = 0.4, 0.5, 2.0, 0.2, 0.6
    z = m + np.sqrt(v) * np.random.default_rng(0).standard_normal(400_000)
    terms = stats.norm.logpdf(x, a * z, s) + stats.norm.logpdf(z) - stats.norm.logpdf(z, m, np.sqrt(v))
    se = terms.std(ddof=1) / np.sqrt(len(z))
    elbo = sol.linear_gaussian_elbo(x, a, s, m, v)
    assert abs(terms.mean() - elbo) < 4 * se
    # read as a variance, s = 2.0 would give another value
    assert abs(sol.linear_gaussian_elbo(x, a, np.sqrt(s), m, v) - elbo) > 0.1


def test_elbo_broadcasts():
    case = next(c for c in hidden.CASES["linear_gaussian_elbo"] if c.name == "arrays_broadcast")
    got = sol.linear_gaussian_elbo(**case.inputs)
    single = [sol.linear_gaussian_elbo(x, 1.0, 0.3, m, v) for x, m, v in
              zip(case.inputs["x"], case.inputs["m"], case.inputs["v"])]
    np.testing.assert_allclose(got, single, rtol=1e-14)


# --- VAE model --------------------------------------------------------------------------------------------------

def test_vae_trains_and_kl_only_collapses():
    """The guide's checks, through the grading probe (protocol and seeds of the spec): the negative
    ELBO falls >= 20% in 100 steps; the KL-only variant drives mean |mu| < 0.05."""
    pytest.importorskip("tensorflow")
    case = spec.PUBLIC_CASES["build_vae"][0]
    out = spec.probe_build_vae(sol, case.inputs)
    assert out["shapes"] == [[450, 2], [450, 2], [450, 64]]
    assert 1 - out["loss_after"] / out["loss_before"] >= 0.2
    assert out["kl_after"] > 0.5  # not collapsed
    kl_case = next(c for c in hidden.CASES["build_vae"] if c.name == "kl_only_collapses")
    out = spec.probe_build_vae(sol, kl_case.inputs)
    assert out["mean_abs_mu"] < 0.05


def test_vae_train_step_reports_the_loss_terms():
    pytest.importorskip("tensorflow")
    encoder, decoder, vae = sol.build_vae(6, 2, (8,), beta=2.0)
    x = np.random.default_rng(0).uniform(size=(16, 6)).astype("float32")
    vae.compile(optimizer=keras.optimizers.Adam(1e-3))
    logs = vae.fit(x, epochs=1, batch_size=16, verbose=0).history
    assert logs["loss"][0] == pytest.approx(logs["reconstruction"][0] + 2.0 * logs["kl"][0], rel=1e-5)
    mu, logvar = encoder(x)
    assert keras.ops.convert_to_numpy(vae(x)).shape == (16, 6)
    np.testing.assert_allclose(keras.ops.convert_to_numpy(vae(x)), keras.ops.convert_to_numpy(decoder(mu)),
                               atol=1e-6)


# --- more -----------------------------------------------------------------------------------------------------

def test_interpolate_latents():
    z = sol.interpolate_latents([0.0, 1.0], [2.0, -1.0], 5)
    np.testing.assert_allclose(z, [[0, 1], [0.5, 0.5], [1, 0], [1.5, -0.5], [2, -1]], atol=1e-15)
    with pytest.raises(ValueError):
        sol.interpolate_latents([0.0], [1.0], 1)


def test_active_units():
    mu = np.random.default_rng(0).standard_normal((500, 3)) * [1.0, 0.01, 0.3]
    count, var = sol.active_units(mu)
    assert count == 2
    np.testing.assert_allclose(var, mu.var(axis=0), rtol=1e-12)


# --- contractive penalty and the sphere's charts ---------------------------------------------------------------

@pytest.mark.parametrize("case", all_cases("contractive_penalty"), ids=lambda c: c.name)
def test_contractive_penalty_against_batch_jacobian(case):
    tf = pytest.importorskip("tensorflow")
    x, W, b = (tf.constant(case.inputs[k]) for k in ("x", "W", "b"))
    with tf.GradientTape() as tape:
        tape.watch(x)
        h = tf.sigmoid(x @ W + b)
    J = tape.batch_jacobian(h, x).numpy()  # (n, m, d)
    expected = np.mean(np.sum(J ** 2, axis=(1, 2)))
    assert sol.contractive_penalty(**case.inputs) == pytest.approx(expected, rel=1e-10)


@pytest.mark.parametrize("pole", ["north", "south"])
def test_stereographic_round_trip_and_atlas(pole):
    p = spec.sphere_points(0, 200)
    u = sol.stereographic(p, pole)
    np.testing.assert_allclose(sol.inverse_stereographic(u, pole), p, atol=1e-10)
    q = sol.inverse_stereographic(np.random.default_rng(1).standard_normal((50, 2)) * 4, pole)
    np.testing.assert_allclose(np.linalg.norm(q, axis=1), 1, atol=1e-12)
    np.testing.assert_allclose(sol.inverse_stereographic(sol.stereographic(q, pole), pole), q, atol=1e-10)
    # geometric definition: N, p and (u, 0) are collinear
    pole_point = np.array([0, 0, 1.0 if pole == "north" else -1.0])
    plane = np.hstack([u, np.zeros((len(u), 1))])
    np.testing.assert_allclose(np.cross(p - pole_point, plane - pole_point), 0, atol=1e-9)
    with pytest.raises(ValueError):
        sol.stereographic(pole_point[None], pole)


def test_transition_map_between_the_charts_is_inversion():
    """On the overlap, south chart o north chart^-1 is u -> u / |u|^2 (a smooth atlas)."""
    u = np.random.default_rng(2).standard_normal((20, 2))
    v = sol.stereographic(sol.inverse_stereographic(u, "north"), "south")
    np.testing.assert_allclose(v, u / np.sum(u ** 2, axis=1, keepdims=True), atol=1e-12)
