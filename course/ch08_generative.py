"""Chapter 8 - Deep generative models (reference code): PCA and the linear autoencoder, dense and
denoising autoencoders, a VAE trained with ``model.fit``, sampling, interpolation, traversals and
posterior collapse (the beta / KL experiment).

Conventions: samples are rows (the notes' scatter matrix ``X X^T`` is ``Xc^T Xc`` here); PCA maximizes
the variance (the notes' (8.18) says min); sigma is a standard deviation and the encoder outputs
``mu`` and ``logvar = log sigma^2``; the reconstruction term is SUMMED over features (Keras losses
average over them) and the closed-form KL ``0.5 sum(sigma^2 + mu^2 - 1 - log sigma^2)`` summed over
latent dimensions; ``log p(x) = ELBO + KL(q || p(z|x))``.

Everything here runs under every Keras 3 backend: the VAE's KL is a layer's ``add_loss`` and the
reconstruction a loss function given to ``compile`` (no ``GradientTape``; the TensorFlow-only train
step is the exercise ``build_vae``). Importing this module is light (numpy only): Keras is imported by
the functions that use it, matplotlib by the figure functions.
"""
import functools

import numpy as np

from course.datasets import digits, sprites

# --------------------------------------------------------------------------------------------------
# PCA (8.1)-(8.21)


def pca(X, k):
    """``(mean, W (d, k), explained_var (k,))`` by the SVD of the centred data (descending variance)."""
    X = np.asarray(X, dtype=float)
    mean = X.mean(axis=0)
    _, S, Vt = np.linalg.svd(X - mean, full_matrices=False)
    return mean, Vt[:k].T, S[:k] ** 2 / (len(X) - 1)


def pca_reconstruct(X, k):
    """Rank-k PCA reconstruction ``mean + (X - mean) W W^T``."""
    mean, W, _ = pca(X, k)
    return mean + (np.asarray(X, dtype=float) - mean) @ W @ W.T


def pca_generate(X, k, n, seed=0):
    """PCA as a generative model (8.21), corrected: ``x = mean + W (sqrt(explained_var) * N(0, I))``."""
    mean, W, var = pca(X, k)
    z = np.random.default_rng(seed).standard_normal((n, k)) * np.sqrt(var)
    return mean + z @ W.T


def principal_cosines(A, B):
    """Cosines of the principal angles between the column spaces of ``A`` and ``B`` (descending)."""
    Qa, _ = np.linalg.qr(A)
    Qb, _ = np.linalg.qr(B)
    return np.linalg.svd(Qa.T @ Qb, compute_uv=False)


# --------------------------------------------------------------------------------------------------
# Autoencoders (8.22)/(8.23)


def dense_autoencoder(input_dim, latent_dim, hidden=(64,), activation="relu", output_activation=None):
    """``(encoder, decoder, autoencoder)`` Keras models; ``hidden=()`` gives the linear autoencoder."""
    import keras

    encoder = keras.Sequential([keras.Input((input_dim,))]
                               + [keras.layers.Dense(u, activation=activation) for u in hidden]
                               + [keras.layers.Dense(latent_dim)], name="encoder")
    decoder = keras.Sequential([keras.Input((latent_dim,))]
                               + [keras.layers.Dense(u, activation=activation) for u in reversed(hidden)]
                               + [keras.layers.Dense(input_dim, activation=output_activation)], name="decoder")
    x = keras.Input((input_dim,))
    return encoder, decoder, keras.Model(x, decoder(encoder(x)), name="autoencoder")


def mask_noise(x, drop, seed=0):
    """Masking noise of a denoising autoencoder: each entry set to 0 with probability ``drop``
    (no rescaling, unlike dropout)."""
    rng = np.random.default_rng(seed)
    return np.where(rng.random(np.shape(x)) < drop, 0.0, x).astype(np.asarray(x).dtype)


def fit_autoencoder(x, latent_dim, hidden=(64,), epochs=50, batch_size=64, lr=3e-3, denoise=0.0,
                    seed=0):
    """Train a dense autoencoder with ``model.fit`` (MSE). With ``denoise > 0`` the inputs are fresh
    masked copies (one per epoch, ``mask_noise``) and the targets the clean images."""
    import keras

    keras.utils.set_random_seed(seed)
    encoder, decoder, ae = dense_autoencoder(x.shape[1], latent_dim, hidden)
    ae.compile(optimizer=keras.optimizers.Adam(lr), loss="mse")
    if denoise > 0:
        inputs = np.concatenate([mask_noise(x, denoise, seed + e) for e in range(epochs)])
        ae.fit(inputs, np.tile(x, (epochs, 1)), epochs=1, batch_size=batch_size, verbose=0)
    else:
        ae.fit(x, x, epochs=epochs, batch_size=batch_size, verbose=0)
    return encoder, decoder, ae


def linear_ae_vs_pca(X, k, steps=400, lr=0.05, seed=0):
    """Train a linear autoencoder (Adam, MSE, batches of 64) and compare it with PCA: returns
    ``(mse_ae / mse_pca, principal-angle cosines of the decoder's column space vs span(W))``. The
    linear AE finds the PCA SUBSPACE, not PCA's orthonormal basis."""
    import keras

    X = np.asarray(X, dtype="float32")
    keras.utils.set_random_seed(seed)
    _, decoder, ae = dense_autoencoder(X.shape[1], k, hidden=())
    ae.compile(optimizer=keras.optimizers.Adam(lr), loss="mse")
    reps = int(np.ceil(steps * 64 / len(X)))
    ae.fit(np.tile(X, (reps, 1)), np.tile(X, (reps, 1)), epochs=1, batch_size=64, verbose=0)
    mse = float(np.mean((keras.ops.convert_to_numpy(ae(X)) - X) ** 2))
    mse_pca = float(np.mean((pca_reconstruct(X, k) - X) ** 2))
    A = keras.ops.convert_to_numpy(decoder.layers[-1].kernel).T  # (d, k)
    return mse / mse_pca, principal_cosines(A, pca(X, k)[1])


# --------------------------------------------------------------------------------------------------
# VAE (8.28)-(8.53), backend-neutral


def kl_standard_normal(mu, logvar):
    """Closed-form ``KL(N(mu, diag exp(logvar)) || N(0, I))`` per row (numpy)."""
    return 0.5 * np.sum(np.exp(logvar) + mu ** 2 - 1.0 - logvar, axis=-1)


def vae_loss(x, logits, mu, logvar, beta=1.0):
    """Negative ELBO (numpy): BCE with logits summed over features + beta KL, batch mean."""
    bce = np.maximum(logits, 0) - logits * x + np.log1p(np.exp(-np.abs(logits)))
    return float(np.mean(bce.sum(axis=1) + beta * kl_standard_normal(mu, logvar)))


def _sampling_layer(beta, seed):
    import keras

    class Sampling(keras.layers.Layer):
        """``z = mu + exp(logvar / 2) eps``; adds ``beta * mean KL`` to the model's losses."""

        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.seed_generator = keras.random.SeedGenerator(seed)

        def call(self, mu, logvar, training=None):
            kl = 0.5 * keras.ops.sum(keras.ops.exp(logvar) + mu ** 2 - 1.0 - logvar, axis=-1)
            self.add_loss(beta * keras.ops.mean(kl))
            if not training:
                return mu
            eps = keras.random.normal(keras.ops.shape(mu), seed=self.seed_generator)
            return mu + keras.ops.exp(logvar / 2) * eps

    return Sampling()


def bce_summed(x, logits):
    """Keras loss: binary cross-entropy with logits SUMMED over features (Keras' own averages)."""
    import keras

    x = keras.ops.cast(x, logits.dtype)
    bce = keras.ops.maximum(logits, 0) - logits * x + keras.ops.log1p(keras.ops.exp(-keras.ops.abs(logits)))
    return keras.ops.sum(bce, axis=-1)


def vae(input_dim, latent_dim, hidden=(64,), beta=1.0, recon_weight=1.0, seed=0):
    """``(encoder -> [mu, logvar], decoder -> logits, model)``; ``model.fit(x, x)`` minimizes
    ``recon_weight * BCE summed over features + beta * KL`` (the KL by ``add_loss``), any backend."""
    import keras

    x = keras.Input((input_dim,))
    h = x
    for u in hidden:
        h = keras.layers.Dense(u, activation="relu")(h)
    encoder = keras.Model(x, [keras.layers.Dense(latent_dim)(h), keras.layers.Dense(latent_dim)(h)],
                          name="encoder")
    decoder = keras.Sequential([keras.Input((latent_dim,))]
                               + [keras.layers.Dense(u, activation="relu") for u in reversed(hidden)]
                               + [keras.layers.Dense(input_dim)], name="decoder")
    mu, logvar = encoder(x)
    model = keras.Model(x, decoder(_sampling_layer(beta, seed)(mu, logvar)), name="vae")
    loss = bce_summed if recon_weight == 1.0 else (lambda t, l: recon_weight * bce_summed(t, l))
    return encoder, decoder, model, loss


def fit_vae(x, latent_dim=2, hidden=(64,), beta=1.0, recon_weight=1.0, epochs=30, batch_size=64,
            lr=3e-3, seed=0):
    """Train ``vae(...)`` with ``model.fit``; returns ``(encoder, decoder, model, history dict)``."""
    import keras

    keras.utils.set_random_seed(seed)
    encoder, decoder, model, loss = vae(x.shape[1], latent_dim, hidden, beta, recon_weight, seed)
    model.compile(optimizer=keras.optimizers.Adam(lr), loss=loss)
    history = model.fit(x, x, epochs=epochs, batch_size=batch_size, verbose=0)
    return encoder, decoder, model, history.history


def encode(encoder, x):
    import keras

    return tuple(keras.ops.convert_to_numpy(t).astype(float) for t in encoder(np.asarray(x, "float32")))


def decode(decoder, z):
    """Mean images ``sigmoid(logits)`` of codes ``z``."""
    import keras

    logits = keras.ops.convert_to_numpy(decoder(np.asarray(z, "float32"))).astype(float)
    return 1 / (1 + np.exp(-logits))


def sample_prior(decoder, n, latent_dim, seed=0):
    """Generation: ``z ~ N(0, I)`` (8.48), decoded."""
    return decode(decoder, np.random.default_rng(seed).standard_normal((n, latent_dim)))


def interpolate(z0, z1, n_steps):
    t = np.linspace(0.0, 1.0, n_steps)[:, None]
    return (1 - t) * np.asarray(z0, float) + t * np.asarray(z1, float)


def traversal(z, dim, values):
    """Codes equal to ``z`` except coordinate ``dim``, which runs over ``values``."""
    codes = np.tile(np.asarray(z, float), (len(values), 1))
    codes[:, dim] = values
    return codes


def kl_per_dimension(encoder, x):
    """Average KL per latent dimension over the data, and each dimension's Var_x(mu_j)."""
    mu, logvar = encode(encoder, x)
    return (0.5 * (np.exp(logvar) + mu ** 2 - 1 - logvar)).mean(axis=0), mu.var(axis=0)


def beta_experiment(x, betas=(0.0, 1.0, 4.0, 16.0), latent_dim=4, epochs=20, seed=0, recon_weight=1.0):
    """Posterior collapse (8.53): for each beta, the KL per dimension and the number of active units
    (Var_x(mu_j) > 0.01). Large beta switches dimensions off (q(z_j|x) = p(z_j) for every x)."""
    results = {}
    for beta in betas:
        encoder, decoder, model, history = fit_vae(x, latent_dim, beta=beta, epochs=epochs, seed=seed,
                                                   recon_weight=recon_weight)
        kl, var = kl_per_dimension(encoder, x)
        results[beta] = {"kl_per_dim": kl, "active_units": int(np.sum(var > 0.01)),
                         "loss": history["loss"][-1]}
    return results


# --------------------------------------------------------------------------------------------------
# Figures

_QUICK = {"epochs": 15, "sprite_n": 1500, "sprite_epochs": 15}
_FULL = {"epochs": 60, "sprite_n": 5000, "sprite_epochs": 60}


@functools.lru_cache(maxsize=None)
def _digits():
    x_train, y_train, x_test, y_test = digits(flat=True)
    return x_train, y_train, x_test, y_test


@functools.lru_cache(maxsize=None)
def _trained(kind, epochs):
    x = _digits()[0]
    if kind == "ae":
        return fit_autoencoder(x, 2, epochs=epochs)
    if kind == "kl_only":
        return fit_vae(x, 2, recon_weight=0.0, epochs=epochs)
    return fit_vae(x, 2, epochs=epochs)


def _grid(fig, images, rows, cols, side=8, title=None, row_labels=None):
    axes = fig.subplots(rows, cols, squeeze=False)
    for ax, image in zip(axes.ravel(), images):
        ax.imshow(np.reshape(image, (side, side)), cmap="gray", vmin=0, vmax=1)
    for ax in axes.ravel():
        ax.set_xticks([])
        ax.set_yticks([])
    if row_labels:
        for ax, label in zip(axes[:, 0], row_labels):
            ax.set_ylabel(label, fontsize=8)
    if title:
        fig.suptitle(title)


def _draw_pca_axes(fig, config):
    rng = np.random.default_rng(0)
    X = rng.standard_normal((300, 2)) @ np.array([[2.0, 0.8], [0.0, 0.6]]) + [1.0, -0.5]
    mean, W, var = pca(X, 2)
    ax = fig.add_subplot()
    ax.scatter(*X.T, s=6, alpha=0.5)
    for j in range(2):
        ax.annotate("", mean + 2 * np.sqrt(var[j]) * W[:, j], mean,
                    arrowprops={"arrowstyle": "->", "color": "C3", "lw": 2})
    ax.set_aspect("equal")
    ax.set_title("principal axes: directions of MAXIMUM variance (2 std)")


def _draw_reconstructions(fig, config):
    import keras

    x_train, _, x_test, _ = _digits()
    ks, originals = (2, 5, 10, 20), x_test[:6]
    rows, labels = [originals], ["original"]
    for k in ks:
        mean, W, _ = pca(x_train, k)
        rows.append(np.clip(mean + (originals - mean) @ W @ W.T, 0, 1))
        labels.append(f"PCA k={k}")
    for k in ks:
        _, _, ae = fit_autoencoder(x_train, k, epochs=config["epochs"])
        rows.append(np.clip(keras.ops.convert_to_numpy(ae(originals)), 0, 1))
        labels.append(f"AE k={k}")
    fig.set_size_inches(5, 10)
    _grid(fig, np.concatenate(rows), len(rows), len(originals), row_labels=labels)


def _draw_latent_scatter(fig, config):
    x_train, y_train, _, _ = _digits()
    fig.set_size_inches(12, 4)
    axes = fig.subplots(1, 3)
    for ax, kind, title in zip(axes, ("ae", "kl_only", "vae"), ("autoencoder", "KL-only", "VAE")):
        encoder = _trained(kind, config["epochs"])[0]
        if kind == "ae":
            import keras

            z = keras.ops.convert_to_numpy(encoder(x_train))
        else:
            z = encode(encoder, x_train)[0]
        ax.scatter(*z.T, c=y_train, cmap="tab10", s=4)
        ax.set_title(f"{title}: 2-D codes")


def _draw_latent_grid(fig, config):
    decoder = _trained("vae", config["epochs"])[1]
    t = np.linspace(-2, 2, 10)
    codes = np.array([[a, b] for b in t[::-1] for a in t])
    fig.set_size_inches(6, 6)
    _grid(fig, decode(decoder, codes), 10, 10, title="decoded latent grid")


def _draw_prior_samples(fig, config):
    decoder = _trained("vae", config["epochs"])[1]
    _grid(fig, sample_prior(decoder, 40, 2), 5, 8, title="samples z ~ N(0, I)")


def _draw_interpolation(fig, config):
    x_train = _digits()[0]
    encoder, decoder = _trained("vae", config["epochs"])[:2]
    mu = encode(encoder, x_train[:8])[0]
    strips = [decode(decoder, interpolate(mu[2 * i], mu[2 * i + 1], 9)) for i in range(4)]
    _grid(fig, np.concatenate(strips), 4, 9, title="latent interpolation")


def _draw_traversals(fig, config):
    images, _ = sprites(config["sprite_n"], size=16, seed=0)
    x = images.reshape(len(images), -1)
    encoder, decoder, _, _ = fit_vae(x, latent_dim=4, beta=4.0, epochs=config["sprite_epochs"])
    z0 = encode(encoder, x[:1])[0][0]
    values = np.linspace(-2.5, 2.5, 9)
    rows = [decode(decoder, traversal(z0, j, values)) for j in range(4)]
    fig.set_size_inches(7, 4)
    _grid(fig, np.concatenate(rows), 4, 9, side=16, title="sprites: one latent dimension per row",
          row_labels=[f"z{j}" for j in range(4)])


FIGURES = {
    "ch08_pca_axes": _draw_pca_axes,
    "ch08_reconstructions": _draw_reconstructions,
    "ch08_latent_scatter": _draw_latent_scatter,
    "ch08_latent_grid": _draw_latent_grid,
    "ch08_prior_samples": _draw_prior_samples,
    "ch08_interpolation": _draw_interpolation,
    "ch08_traversals": _draw_traversals,
}

# quick: 15 epochs instead of 60, 1500 instead of 5000 sprites (``python -m course.plots --full``).
FIGURE_CONFIGS = {"quick": _QUICK, "full": _FULL}
