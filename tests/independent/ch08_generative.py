"""An independent, correct chapter-8 submission written differently from solutions/ (tests only):
PCA by the eigendecomposition of the covariance, power iteration with a Rayleigh-quotient stop,
a functional autoencoder, a VAE whose loss uses TensorFlow's sigmoid cross-entropy and the
``-0.5 * sum(1 + logvar - mu^2 - exp(logvar))`` form of the KL."""
import math

import keras
import numpy as np


def pca_fit(X, k):
    X = np.array(X, dtype=float)
    n, d = X.shape
    if k < 1 or k > min(n, d):
        raise ValueError("bad k")
    mean = X.sum(axis=0) / n
    C = np.cov(X, rowvar=False, ddof=1).reshape(d, d)
    lam, vecs = np.linalg.eigh(C)
    order = np.argsort(lam)[::-1][:k]
    return mean, vecs[:, order], np.clip(lam[order], 0, None)


def pca_encode(X, mean, W):
    return np.einsum("nd,dk->nk", np.asarray(X, float) - mean, np.asarray(W, float))


def pca_decode(Z, mean, W):
    return np.einsum("nk,dk->nd", np.asarray(Z, float), np.asarray(W, float)) + np.asarray(mean, float)


def power_iteration(C, n_iter=1000, rng=None):
    C = np.array(C, dtype=float)
    if rng is None:
        rng = np.random.default_rng(0)
    w = rng.normal(size=len(C))
    w = w / math.sqrt(w @ w)
    for _ in range(n_iter):
        w_new = C @ w
        w_new = w_new / math.sqrt(w_new @ w_new)
        if abs(w_new @ w) > 1 - 1e-15 and np.allclose(w_new, w, atol=1e-14):
            return w_new
        w = w_new
    return w


def build_autoencoder(input_dim, latent_dim, hidden_units=(64,), activation="relu"):
    z_in = keras.Input(shape=(latent_dim,))
    h = z_in
    for units in reversed(list(hidden_units)):
        h = keras.layers.Dense(units, activation=activation)(h)
    decoder = keras.Model(z_in, keras.layers.Dense(input_dim)(h))
    x_in = keras.Input(shape=(input_dim,))
    h = x_in
    for units in hidden_units:
        h = keras.layers.Dense(units, activation=activation)(h)
    encoder = keras.Model(x_in, keras.layers.Dense(latent_dim)(h))
    return encoder, decoder, keras.Sequential([encoder, decoder])


def kl_standard_normal(mu, logvar):
    mu, logvar = np.asarray(mu, float), np.asarray(logvar, float)
    return -0.5 * (1 + logvar - np.square(mu) - np.exp(logvar)).sum(axis=-1)


def reparameterize(mu, logvar, eps):
    sigma = np.sqrt(np.exp(np.asarray(logvar, float)))
    return np.asarray(mu, float) + sigma * np.asarray(eps, float)


def vae_loss(x, x_logits, mu, logvar, beta=1.0):
    x, l = np.asarray(x, float), np.asarray(x_logits, float)
    log_p = -np.logaddexp(0, -l)       # log sigmoid(l)
    log_1mp = -np.logaddexp(0, l)      # log (1 - sigmoid(l))
    nll = -(x * log_p + (1 - x) * log_1mp).sum(axis=1)
    return float((nll + beta * kl_standard_normal(mu, logvar)).mean())


def linear_gaussian_elbo(x, a, s, m, v):
    x, a, s, m, v = np.broadcast_arrays(*(np.asarray(t, float) for t in (x, a, s, m, v)))
    var = s * s
    # E_q log p(x|z) + E_q log p(z) + entropy of q
    loglik = -0.5 * np.log(2 * np.pi * var) - (np.square(x - a * m) + a * a * v) / (2 * var)
    logprior = -0.5 * np.log(2 * np.pi) - 0.5 * (m * m + v)
    entropy = 0.5 * np.log(2 * np.pi * np.e * v)
    out = loglik + logprior + entropy
    return out.item() if out.ndim == 0 else out


def build_vae(input_dim, latent_dim, hidden_units=(64,), beta=1.0, recon_weight=1.0):
    import tensorflow as tf

    x_in = keras.Input((input_dim,))
    h = x_in
    for units in hidden_units:
        h = keras.layers.Dense(units, activation="relu")(h)
    stats = keras.layers.Dense(2 * latent_dim)(h)
    encoder = keras.Model(x_in, [stats[:, :latent_dim], stats[:, latent_dim:]])
    z_in = keras.Input((latent_dim,))
    h = z_in
    for units in reversed(list(hidden_units)):
        h = keras.layers.Dense(units, activation="relu")(h)
    decoder = keras.Model(z_in, keras.layers.Dense(input_dim)(h))

    class Vae(keras.Model):
        def __init__(self, **kw):
            super().__init__(**kw)
            self.enc, self.dec = encoder, decoder

        def call(self, x):
            return self.dec(self.enc(x)[0])

        def train_step(self, data):
            x = tf.cast(data, tf.float32)
            with tf.GradientTape() as tape:
                mu, logvar = self.enc(x, training=True)
                z = mu + tf.sqrt(tf.exp(logvar)) * tf.random.normal(tf.shape(mu))
                logits = self.dec(z, training=True)
                nll = tf.reduce_sum(tf.nn.sigmoid_cross_entropy_with_logits(labels=x, logits=logits), 1)
                kl = -0.5 * tf.reduce_sum(1 + logvar - mu * mu - tf.exp(logvar), 1)
                loss = tf.reduce_mean(recon_weight * nll + beta * kl)
            variables = self.trainable_variables
            self.optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables))
            return {"loss": loss}

    vae = Vae()
    vae(np.zeros((1, input_dim), "float32"))
    return encoder, decoder, vae


def interpolate_latents(z0, z1, n_steps):
    if n_steps <= 1:
        raise ValueError("need two steps")
    z0, z1 = np.asarray(z0, float), np.asarray(z1, float)
    return np.stack([z0 + (z1 - z0) * (i / (n_steps - 1)) for i in range(n_steps)])


def active_units(mu, threshold=0.01):
    mu = np.asarray(mu, float)
    v = ((mu - mu.mean(axis=0)) ** 2).mean(axis=0)
    return int((v > threshold).sum()), v


def contractive_penalty(x, W, b):
    x, W, b = (np.asarray(a, float) for a in (x, W, b))
    total = 0.0
    for row in x:
        h = 0.5 * (1 + np.tanh(0.5 * (row @ W + b)))  # sigmoid
        J = (h * (1 - h))[:, None] * W.T            # (m, d): dh_j / dx_i
        total += np.sum(J * J)
    return total / len(x)


def stereographic(p, pole="north"):
    sign = {"north": 1.0, "south": -1.0}[pole] if pole in ("north", "south") else None
    if sign is None:
        raise ValueError(pole)
    p = np.asarray(p, float)
    scale = 1.0 / (1.0 - sign * p[:, 2:3])
    if not np.all(np.isfinite(scale)) or np.any(np.abs(1.0 - sign * p[:, 2]) < 1e-12):
        raise ValueError("pole")
    return scale * p[:, :2]


def inverse_stereographic(u, pole="north"):
    if pole not in ("north", "south"):
        raise ValueError(pole)
    sign = 1.0 if pole == "north" else -1.0
    u = np.asarray(u, float)
    s = (u ** 2).sum(axis=1)
    return np.column_stack([2 * u[:, 0] / (1 + s), 2 * u[:, 1] / (1 + s), sign * (s - 1) / (s + 1)])
