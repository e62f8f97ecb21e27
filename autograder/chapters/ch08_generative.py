"""Grading spec of chapter 8 (deep generative models: PCA, autoencoders, VAEs).

PCA is graded up to sign and basis: the probe returns the projector ``W W^T`` and ``W^T W``, never
``W`` itself, and power iteration is checked against ``numpy.linalg.eigh`` by ``|w . w_ref|`` and the
Rayleigh quotient. The Keras builders are exercised in the worker: shapes, composition, and short
seeded training runs graded by bands calibrated on the answer key (protocols below).
"""
import numpy as np

from ..compare import close, compare
from ..spec import Case, Exercise
from ..verdicts import fail, ok

KERAS_TIMEOUT = 60.0  # the first Keras call of a worker traces functions: a few seconds

# --- data ---------------------------------------------------------------------------------------------


def _rng(seed):
    return np.random.default_rng(seed)


def pca_data(seed, n=40, d=5, singular_values=None, offset=3.0):
    """``mean + U diag(S) V^T`` with ``U`` orthonormal AND orthogonal to the ones vector (so the data
    are exactly centred around ``mean``) and prescribed, well-separated singular values ``S``."""
    rng = _rng(seed)
    r = min(n - 1, d)
    S = np.geomspace(8.0, 0.5, r) if singular_values is None else np.asarray(singular_values, float)
    A = rng.standard_normal((n, len(S)))
    A -= A.mean(axis=0)
    U, _ = np.linalg.qr(A)
    V, _ = np.linalg.qr(rng.standard_normal((d, d)))
    return (U * S) @ V[:, :len(S)].T + offset * rng.standard_normal(d)


def eigengap_data(seed, n=256, d=6, scales=(3.0, 2.0, 0.5, 0.45, 0.4, 0.35)):
    """Gaussian data with a clear eigengap after the second direction, randomly rotated and shifted."""
    rng = _rng(seed)
    Q, _ = np.linalg.qr(rng.standard_normal((d, d)))
    return (rng.standard_normal((n, d)) * np.asarray(scales)) @ Q.T + rng.uniform(-1, 1, d)


def psd_matrix(seed, eigenvalues):
    rng = _rng(seed)
    Q, _ = np.linalg.qr(rng.standard_normal((len(eigenvalues), len(eigenvalues))))
    return (Q * np.asarray(eigenvalues, float)) @ Q.T


# --- PCA ------------------------------------------------------------------------------------------------


def probe_pca_fit(module, inputs):
    """Only sign- and basis-free quantities of W travel back: the projector and W^T W."""
    mean, W, var = module.pca_fit(inputs["X"], inputs["k"])
    W = np.asarray(W, dtype=float)
    return {"W_shape": list(W.shape), "projector": W @ W.T, "WtW": W.T @ W,
            "mean": np.asarray(mean, dtype=float), "explained_var": np.asarray(var, dtype=float)}


def check_pca_fit(got, expected, inputs):
    """Shape; W^T W = I_k (1e-8); mean (1e-10); explained variances S^2/(n-1), descending (1e-8);
    the projector W W^T equal to the answer key's (1e-8: it is unique when the k-th and (k+1)-th
    singular values differ)."""
    k = inputs["k"]
    for key, where, rtol, atol in (
            ("W_shape", "shape of W (d, k)", 0, 0),
            ("mean", "mean", 1e-10, 1e-10)):
        msg = compare(got[key], expected[key], rtol=rtol, atol=atol, where=where)
        if msg:
            return fail(msg)
    msg = compare(got["WtW"], np.eye(k), rtol=0, atol=1e-8, where="W^T W (orthonormal columns)")
    if msg:
        return fail(msg)
    msg = compare(got["explained_var"], expected["explained_var"], rtol=1e-8, atol=1e-10,
                  where="explained variances (S_i^2 / (n - 1), descending)")
    if msg:
        return fail(msg)
    msg = compare(got["projector"], expected["projector"], rtol=0, atol=1e-8,
                  where="projector W W^T onto the principal subspace (largest variances)")
    return fail(msg) if msg else ok()


def probe_power_iteration(module, inputs):
    kwargs = {}
    if "rng_seed" in inputs:
        kwargs["rng"] = np.random.default_rng(inputs["rng_seed"])
    if "n_iter" in inputs:
        kwargs["n_iter"] = inputs["n_iter"]
    return np.asarray(module.power_iteration(np.array(inputs["C"], dtype=float), **kwargs), dtype=float)


def check_power_iteration(got, expected, inputs):
    """A unit vector (1e-8) with ``|w . w_ref| > 1 - 1e-6`` (w_ref: numpy.linalg.eigh's eigenvector
    of the largest eigenvalue) and Rayleigh quotient lambda_max (relative 1e-6)."""
    C = np.asarray(inputs["C"], dtype=float)
    got = np.asarray(got, dtype=float)
    if got.shape != (len(C),):
        return fail(f"expected a vector of shape ({len(C)},), got shape {got.shape}")
    if abs(np.linalg.norm(got) - 1) > 1e-8:
        return fail(f"w must be a unit vector; ||w|| = {np.linalg.norm(got):.10g}")
    lam, vecs = np.linalg.eigh(C)
    overlap = abs(float(got @ vecs[:, -1]))
    if overlap <= 1 - 1e-6:
        return fail(f"|w . w_1| = {overlap:.8f}: w is not the eigenvector of the LARGEST eigenvalue "
                    f"{lam[-1]:.6g} (Rayleigh quotient {got @ C @ got:.6g})")
    if abs(got @ C @ got - lam[-1]) > 1e-6 * abs(lam[-1]):
        return fail(f"Rayleigh quotient {got @ C @ got:.10g}, expected lambda_max = {lam[-1]:.10g}")
    return ok()


# --- autoencoder ------------------------------------------------------------------------------------------

AE_LEARNING_RATE, AE_REPEATS, AE_BATCH = 0.05, 50, 64  # one epoch of 200 steps
AE_MSE_RATIO, AE_MIN_COSINE = 1.05, 0.99


def _numpy(value):
    import keras

    return np.asarray(keras.ops.convert_to_numpy(value), dtype=np.float64)


def probe_build_autoencoder(module, inputs):
    """Build (seeded), check the three models on random inputs; with ``train``: fit the LINEAR
    autoencoder on ``eigengap_data(seed)`` (Adam, lr AE_LEARNING_RATE, MSE, one epoch over the data
    repeated AE_REPEATS times in order, batches of AE_BATCH: 200 steps), then return its MSE divided
    by PCA's (same k) and the cosines of the principal angles between the decoder's column space
    (read off by decoding the unit codes) and PCA's subspace."""
    import keras

    from ..seeding import seed_everything

    d, k, seed = inputs["input_dim"], inputs["latent_dim"], inputs["seed"]
    seed_everything(seed)
    kwargs = {} if inputs.get("hidden_units") is None else {"hidden_units": tuple(inputs["hidden_units"])}
    encoder, decoder, ae = module.build_autoencoder(d, k, **kwargs)
    x = _rng(seed).uniform(size=(5, d)).astype("float32")
    codes = _numpy(encoder(x))
    out = {"code_shape": list(codes.shape), "decoded_shape": list(_numpy(decoder(codes.astype("float32"))).shape),
           "output_shape": list(_numpy(ae(x)).shape)}
    out["compose_error"] = float(np.max(np.abs(_numpy(ae(x)) - _numpy(decoder(encoder(x))))))
    if inputs.get("train"):
        X = eigengap_data(seed).astype("float32")
        ae.compile(optimizer=keras.optimizers.Adam(AE_LEARNING_RATE), loss="mse")
        tiled = np.tile(X, (AE_REPEATS, 1))
        ae.fit(tiled, tiled, epochs=1, batch_size=AE_BATCH, shuffle=False, verbose=0)
        mse = float(np.mean((_numpy(ae(X)) - X) ** 2))
        Xc = X.astype(float) - X.mean(axis=0)
        _, S, Vt = np.linalg.svd(Xc, full_matrices=False)
        pca_mse = float(np.sum(S[k:] ** 2) / X.size)
        basis = np.vstack([np.zeros(k), np.eye(k)]).astype("float32")
        dec = _numpy(decoder(basis))
        A = (dec[1:] - dec[0]).T  # (d, k) linear part of the affine decoder
        Q, _ = np.linalg.qr(A)
        out.update({"mse_ratio": mse / pca_mse,
                    "cosines": np.linalg.svd(Q.T @ Vt[:k].T, compute_uv=False)})
    return out


def check_build_autoencoder(got, expected, inputs):
    """Shapes; ``autoencoder(x) == decoder(encoder(x))`` (1e-5); trained linear AE: MSE at most
    AE_MSE_RATIO times PCA's and principal-angle cosines with PCA's subspace > AE_MIN_COSINE (the
    answer key: ratio ~1.00, cosines ~1.0 on these seeds)."""
    for key, where in (("code_shape", "shape of encoder(x)"), ("decoded_shape", "shape of decoder(z)"),
                       ("output_shape", "shape of autoencoder(x)")):
        msg = compare(got[key], expected[key], where=where)
        if msg:
            return fail(msg)
    if got["compose_error"] > 1e-5:
        return fail(f"autoencoder(x) differs from decoder(encoder(x)) by {got['compose_error']:.3g}: "
                    "the autoencoder must be the composition of the two returned models")
    if "mse_ratio" in expected:
        if got["mse_ratio"] > AE_MSE_RATIO:
            return fail(f"trained linear autoencoder: MSE {got['mse_ratio']:.3f} times PCA's (allowed "
                        f"{AE_MSE_RATIO}; the answer key: {expected['mse_ratio']:.3f})")
        if np.min(got["cosines"]) < AE_MIN_COSINE:
            return fail(f"decoder column space vs PCA subspace: principal-angle cosines "
                        f"{np.round(got['cosines'], 4)}, expected > {AE_MIN_COSINE}")
        return ok(f"MSE / PCA's = {got['mse_ratio']:.4f}; cosines {np.round(got['cosines'], 4)}")
    return ok()


# --- VAE ----------------------------------------------------------------------------------------------------

VAE_LEARNING_RATE, VAE_EPOCHS, VAE_BATCH, VAE_N = 3e-3, 10, 128, 1280  # 100 steps
VAE_MIN_DROP, VAE_BAND = 0.20, 1.10
VAE_MAX_MEAN_ABS_MU = 0.05
VAE_MIN_KL_FRACTION = 0.4  # the answer key ends near 1.2 nats; a collapsed posterior near 0


def probe_build_vae(module, inputs):
    """Build (seeded by ``inputs["seed"]``), check shapes; evaluate the negative ELBO (numpy formula:
    BCE-with-logits summed over features + KL, batch mean; eps drawn from default_rng(seed)) on the
    test split of ``course.datasets.digits(flat=True)``; fit on the first VAE_N training images
    (Adam VAE_LEARNING_RATE, batch VAE_BATCH, VAE_EPOCHS epochs = 100 steps, shuffled); evaluate
    again; also the mean |mu| and the mean KL(q(z|x) || p(z)) on the test split. ``recon_weight`` (if given) is passed to build_vae;
    ``learning_rate`` (if given) replaces VAE_LEARNING_RATE (the KL-only case uses 1e-2)."""
    import keras

    from course.datasets import digits

    from ..seeding import seed_everything

    seed = inputs["seed"]
    x_train, _, x_test, _ = digits(flat=True)
    d, k = x_train.shape[1], inputs["latent_dim"]
    seed_everything(seed)
    kwargs = {key: inputs[key] for key in ("recon_weight",) if key in inputs}
    encoder, decoder, vae = module.build_vae(d, k, tuple(inputs["hidden_units"]), **kwargs)
    eps = _rng(seed).standard_normal((len(x_test), k))

    def evaluate():
        mu, logvar = (_numpy(t) for t in encoder(x_test))
        logits = _numpy(decoder((mu + np.exp(logvar / 2) * eps).astype("float32")))
        bce = np.maximum(logits, 0) - logits * x_test + np.log1p(np.exp(-np.abs(logits)))
        kl = 0.5 * np.sum(np.exp(logvar) + mu ** 2 - 1 - logvar, axis=1)
        return {"loss": float(np.mean(bce.sum(axis=1) + kl)), "mean_abs_mu": float(np.mean(np.abs(mu))),
                "kl": float(np.mean(kl)),
                "shapes": [list(mu.shape), list(logvar.shape), list(logits.shape)]}

    before = evaluate()
    vae.compile(optimizer=keras.optimizers.Adam(inputs.get("learning_rate", VAE_LEARNING_RATE)))
    vae.fit(x_train[:VAE_N], epochs=VAE_EPOCHS, batch_size=VAE_BATCH, shuffle=True, verbose=0)
    after = evaluate()
    return {"shapes": before["shapes"], "loss_before": before["loss"], "loss_after": after["loss"],
            "mean_abs_mu": after["mean_abs_mu"], "kl_after": after["kl"]}


def check_build_vae(got, expected, inputs):
    """Shapes of mu, logvar, logits. With reconstruction: the test negative ELBO falls by at least
    VAE_MIN_DROP in the 100 steps and ends at most VAE_BAND times the answer key's (same seed and
    protocol), and the posterior has not collapsed: test KL at least VAE_MIN_KL_FRACTION of the answer
    key's (averaging the reconstruction over features instead of summing it lowers the loss too, by
    learning the mean image, but its KL ends near 0). KL-only (``recon_weight=0``): the posteriors
    collapse, mean |mu| < VAE_MAX_MEAN_ABS_MU."""
    msg = compare(got["shapes"], expected["shapes"], where="shapes of [mu, logvar, decoder logits]")
    if msg:
        return fail(msg)
    if inputs.get("recon_weight", 1.0) == 0:
        if got["mean_abs_mu"] >= VAE_MAX_MEAN_ABS_MU:
            return fail(f"KL-only training: mean |mu| = {got['mean_abs_mu']:.4f} on the test images, "
                        f"expected < {VAE_MAX_MEAN_ABS_MU} (the KL term alone pulls q(z|x) onto N(0, I))")
        return ok(f"KL-only: mean |mu| = {got['mean_abs_mu']:.4f}")
    drop = 1 - got["loss_after"] / got["loss_before"]
    if drop < VAE_MIN_DROP:
        return fail(f"the negative ELBO fell by {drop:.1%} in 100 steps ({got['loss_before']:.2f} -> "
                    f"{got['loss_after']:.2f}), expected at least {VAE_MIN_DROP:.0%}")
    band = VAE_BAND * expected["loss_after"]
    if got["loss_after"] > band:
        return fail(f"negative ELBO after training {got['loss_after']:.2f}, above {band:.2f} ("
                    f"{VAE_BAND} x the answer key's {expected['loss_after']:.2f}): is the reconstruction "
                    "summed over features and sigma = exp(logvar / 2)?")
    if got["kl_after"] < VAE_MIN_KL_FRACTION * expected["kl_after"]:
        return fail(f"posterior collapse: the mean KL(q(z|x) || p(z)) on the test images is "
                    f"{got['kl_after']:.3f} nats after training (answer key {expected['kl_after']:.3f}): "
                    "sum the reconstruction over the features (Keras losses average over them)")
    return ok(f"negative ELBO {got['loss_before']:.2f} -> {got['loss_after']:.2f}, KL {got['kl_after']:.2f} "
              f"(answer key {expected['loss_after']:.2f}, KL {expected['kl_after']:.2f})")


def probe_active_units(module, inputs):
    count, variances = module.active_units(**inputs)
    return {"count": int(count), "variances": np.asarray(variances, dtype=float)}


# --- exercises --------------------------------------------------------------------------------------------

FLOAT64 = close(rtol=1e-10, atol=1e-12)

EXERCISES = [
    Exercise("pca_fit", points=5, probe=probe_pca_fit, check=check_pca_fit,
             forbidden=("sklearn.decomposition.PCA", "course.ch08_generative.pca",
                        "course.ch08_generative.pca_reconstruct")),
    Exercise("pca_encode", points=1, check=FLOAT64),
    Exercise("pca_decode", points=1, check=FLOAT64),
    Exercise("power_iteration", points=3, probe=probe_power_iteration, check=check_power_iteration,
             forbidden=("numpy.linalg.eig", "numpy.linalg.eigh", "numpy.linalg.svd", "scipy.linalg.eigh",
                        "scipy.linalg.eig", "scipy.linalg.svd", "scipy.sparse.linalg.eigsh")),
    Exercise("build_autoencoder", points=5, probe=probe_build_autoencoder, check=check_build_autoencoder,
             forbidden=("course.ch08_generative.dense_autoencoder",)),
    Exercise("kl_standard_normal", points=2, check=FLOAT64,
             forbidden=("course.ch08_generative.kl_standard_normal",)),
    Exercise("reparameterize", points=2, check=close(rtol=1e-12, atol=1e-14)),
    Exercise("vae_loss", points=3, check=close(rtol=1e-9, atol=1e-10),
             forbidden=("keras.losses.binary_crossentropy", "keras.losses.BinaryCrossentropy",
                        "keras.ops.binary_crossentropy", "course.ch08_generative.vae_loss",
                        "course.ch08_generative.bce_summed")),
    Exercise("linear_gaussian_elbo", points=3, check=FLOAT64),
    Exercise("build_vae", points=7, probe=probe_build_vae, check=check_build_vae, needs_tensorflow=True,
             forbidden=("course.ch08_generative.vae", "course.ch08_generative.fit_vae")),
    Exercise("interpolate_latents", points=1, check=FLOAT64,
             forbidden=("course.ch08_generative.interpolate",)),
    Exercise("active_units", points=2, probe=probe_active_units, check=close(rtol=1e-10, atol=1e-12)),
    Exercise("contractive_penalty", points=2, check=close(rtol=1e-10, atol=1e-12)),
    Exercise("stereographic", points=1, check=FLOAT64),
    Exercise("inverse_stereographic", points=1, check=FLOAT64),
]


def vae_arrays(seed, batch=4, d=6, k=2):
    """Inputs of kl_standard_normal / reparameterize / vae_loss."""
    rng = _rng(seed)
    return {"x": rng.uniform(size=(batch, d)), "x_logits": 3 * rng.standard_normal((batch, d)),
            "mu": rng.standard_normal((batch, k)), "logvar": rng.uniform(-2, 1, (batch, k)),
            "eps": rng.standard_normal((batch, k))}


def pick(inputs, *keys):
    return {key: inputs[key] for key in keys}


def pca_codes(seed, n=6, d=4, k=2):
    """Inputs of pca_encode/pca_decode: data, a mean and an orthonormal W."""
    rng = _rng(seed)
    W, _ = np.linalg.qr(rng.standard_normal((d, k)))
    return {"X": rng.standard_normal((n, d)), "Z": rng.standard_normal((n, k)),
            "mean": rng.standard_normal(d), "W": W}


def contractive_inputs(seed, n=5, d=4, m=3, scale=1.0):
    rng = _rng(seed)
    return {"x": rng.uniform(size=(n, d)), "W": scale * rng.standard_normal((d, m)),
            "b": rng.standard_normal(m)}


def sphere_points(seed, n):
    p = _rng(seed).standard_normal((n, 3))
    return p / np.linalg.norm(p, axis=1, keepdims=True)


def _keras(name, inputs):
    return Case(name, inputs, timeout=KERAS_TIMEOUT)


_v = vae_arrays(1)
_c = pca_codes(2)

PUBLIC_CASES = {
    "pca_fit": [Case("separated", {"X": pca_data(3), "k": 2})],
    "pca_encode": [Case("small", pick(_c, "X", "mean", "W"))],
    "pca_decode": [Case("small", pick(_c, "Z", "mean", "W"))],
    "power_iteration": [Case("gap", {"C": psd_matrix(4, [5.0, 2.0, 1.0, 0.5]), "n_iter": 200, "rng_seed": 0})],
    "build_autoencoder": [_keras("linear_vs_pca", {"input_dim": 6, "latent_dim": 2, "hidden_units": [],
                                                   "seed": 0, "train": True})],
    "kl_standard_normal": [Case("batch", pick(_v, "mu", "logvar"))],
    "reparameterize": [Case("batch", pick(_v, "mu", "logvar", "eps"))],
    "vae_loss": [Case("batch", pick(_v, "x", "x_logits", "mu", "logvar"))],
    "linear_gaussian_elbo": [Case("not_posterior", {"x": 1.5, "a": 2.0, "s": 0.5, "m": 0.3, "v": 0.2})],
    "build_vae": [_keras("digits_seed0", {"latent_dim": 2, "hidden_units": [32], "seed": 0})],
    "interpolate_latents": [Case("five", {"z0": np.array([0.0, 1.0]), "z1": np.array([2.0, -1.0]),
                                          "n_steps": 5})],
    "active_units": [Case("two_of_three", {"mu": _rng(5).standard_normal((50, 3)) * [1.0, 0.001, 0.5]})],
    "contractive_penalty": [Case("small", contractive_inputs(6))],
    "stereographic": [Case("north", {"p": sphere_points(7, 5)})],
    "inverse_stereographic": [Case("north", {"u": _rng(8).standard_normal((5, 2))})],
}
