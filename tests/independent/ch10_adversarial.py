"""An independent, correct chapter-10 submission written differently from solutions/ (tests only).

Differences from the answer key: D* as 1 / (1 + p_g / p_d); JSD as the entropy form
H(m) - (H(p) + H(q)) / 2; GAN losses by the stable BCE max(s, 0) - s y + log1p(exp(-|s|)); the GAN
step with keras.losses.BinaryCrossentropy(from_logits=True) and Keras 3's ``optimizer.apply``; the
attacks with Keras losses (MEANS over the batch, not sums), PGD written without calling fgsm; the CW
margin by sorting; the targeted attack with a boolean mask for the other classes.
"""
import numpy as np
import tensorflow as tf
import keras


def optimal_discriminator(p_d, p_g):
    p_d, p_g = np.asarray(p_d, dtype=float), np.asarray(p_g, dtype=float)
    out = np.full(np.broadcast(p_d, p_g).shape, 0.5)
    pos = p_d > 0
    ratio = np.divide(p_g, p_d, out=np.zeros_like(out), where=pos)
    out[pos] = 1.0 / (1.0 + ratio[pos])
    out[(p_d == 0) & (p_g > 0)] = 0.0
    return out


def _entropy(p):
    p = p[p > 0]
    return -float(np.dot(p, np.log(p)))


def js_divergence(p, q):
    p, q = np.asarray(p, dtype=float), np.asarray(q, dtype=float)
    if p.shape != q.shape or (p < 0).any() or (q < 0).any():
        raise ValueError("bad pmfs")
    if not (np.isclose(p.sum(), 1, rtol=0, atol=1e-8) and np.isclose(q.sum(), 1, rtol=0, atol=1e-8)):
        raise ValueError("pmfs must sum to 1")
    return max(_entropy((p + q) / 2) - (_entropy(p) + _entropy(q)) / 2, 0.0)


def gan_value(p_d, p_g, D=None):
    p_d, p_g = np.asarray(p_d, dtype=float), np.asarray(p_g, dtype=float)
    D = optimal_discriminator(p_d, p_g) if D is None else np.asarray(D, dtype=float)
    total = 0.0
    for a, b, d in zip(p_d.ravel(), p_g.ravel(), D.ravel()):
        if a > 0:
            total += a * (np.log(d) if d > 0 else -np.inf)
        if b > 0:
            total += b * (np.log1p(-d) if d < 1 else -np.inf)
    return float(total)


def _bce(s, y):
    s = np.asarray(s, dtype=float).ravel()
    return np.maximum(s, 0) - s * y + np.log1p(np.exp(-np.abs(s)))


def discriminator_loss(real_logits, fake_logits):
    return float(_bce(real_logits, 1.0).mean() + _bce(fake_logits, 0.0).mean())


def generator_loss(fake_logits, saturating=False):
    if saturating:
        return float(-_bce(fake_logits, 0.0).mean())
    return float(_bce(fake_logits, 1.0).mean())


def gan_train_step(G, D, g_opt, d_opt, x_real, z):
    bce = keras.losses.BinaryCrossentropy(from_logits=True)
    x_real, z = tf.constant(x_real, tf.float32), tf.constant(z, tf.float32)
    with tf.GradientTape() as tape:
        r = D(x_real, training=True)
        f = D(G(z, training=True), training=True)
        d_loss = bce(tf.ones_like(r), r) + bce(tf.zeros_like(f), f)
    d_opt.apply(tape.gradient(d_loss, D.trainable_variables), D.trainable_variables)
    with tf.GradientTape() as tape:
        f = D(G(z, training=True), training=True)
        g_loss = bce(tf.ones_like(f), f)
    g_opt.apply(tape.gradient(g_loss, G.trainable_variables), G.trainable_variables)
    return {"d_loss": d_loss.numpy().item(), "g_loss": g_loss.numpy().item()}


def _grad_sign(model, x, y):
    x = tf.Variable(np.asarray(x, np.float32))
    with tf.GradientTape() as tape:
        z = model(x)
        if z.shape[-1] == 1:
            loss = keras.losses.BinaryCrossentropy(from_logits=True)(
                np.asarray(y, np.float32).reshape(-1, 1), z)
        else:
            loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)(np.asarray(y), z)
    return np.sign(tape.gradient(loss, x).numpy())


def fgsm(model, x, y, eps, clip_min=0.0, clip_max=1.0):
    out = np.asarray(x, np.float32) + np.float32(eps) * _grad_sign(model, x, y)
    if clip_min is not None:
        out = np.maximum(out, clip_min)
    if clip_max is not None:
        out = np.minimum(out, clip_max)
    return out.astype(np.float32)


def pgd(model, x, y, eps, alpha, steps, random_start=False, rng=None):
    x = np.asarray(x, np.float32)
    cur = x.copy()
    if random_start:
        cur = np.clip(x + rng.uniform(low=-eps, high=eps, size=x.shape), 0, 1).astype(np.float32)
    for _ in range(steps):
        cur = cur + np.float32(alpha) * _grad_sign(model, cur, y)
        cur = np.clip(np.clip(cur, x - np.float32(eps), x + np.float32(eps)), 0, 1).astype(np.float32)
    return cur


def universal_perturbation(model, x, y, eps, alpha, steps):
    x = np.asarray(x, np.float32)
    v = tf.Variable(np.zeros(x.shape[1:], np.float32))
    for _ in range(steps):
        with tf.GradientTape() as tape:
            z = model(x + v)
            if z.shape[-1] == 1:
                loss = keras.losses.BinaryCrossentropy(from_logits=True)(
                    np.asarray(y, np.float32).reshape(-1, 1), z)
            else:
                loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)(np.asarray(y), z)
        step = v + np.float32(alpha) * tf.sign(tape.gradient(loss, v))
        v.assign(tf.minimum(tf.maximum(step, -np.float32(eps)), np.float32(eps)))
    return v.numpy()


def cw_margin(logits, target, kappa=0.0):
    Z = np.asarray(logits, dtype=float)
    one = Z.ndim == 1
    Z = Z.reshape(1, -1) if one else Z
    t = np.zeros(len(Z), dtype=int) + np.asarray(target, dtype=int)
    z_t = np.take_along_axis(Z, t[:, None], axis=1)[:, 0]
    top2 = np.sort(Z, axis=1)[:, -2:]
    best_other = np.where(top2[:, 1] == z_t, top2[:, 0], top2[:, 1])
    m = best_other - z_t
    m[m < -kappa] = -kappa
    return float(m[0]) if one else m


def targeted_attack(model, x, target, c, steps, lr):
    x = tf.constant(np.asarray(x, np.float32))
    n = int(x.shape[0])
    t = np.zeros(n, dtype=int) + np.asarray(target, dtype=int)
    cur = tf.Variable(x)
    for _ in range(steps):
        with tf.GradientTape() as tape:
            z = model(cur)
            mask = tf.constant(np.eye(z.shape[-1], dtype=bool)[t])
            z_t = tf.boolean_mask(z, mask)
            z_o = tf.reduce_max(tf.reshape(tf.boolean_mask(z, ~mask), (n, -1)), axis=1)
            obj = tf.reduce_sum(tf.square(cur - x)) + c * tf.reduce_sum(tf.maximum(z_o - z_t, 0.0))
        cur.assign(tf.clip_by_value(cur - lr * tape.gradient(obj, cur), 0.0, 1.0))
    return cur.numpy()


def linear_min_perturbation(w, b, x):
    w, x = np.asarray(w, dtype=float), np.asarray(x, dtype=float)
    unit = w / np.linalg.norm(w)
    dist = (np.atleast_2d(x) @ unit + b / np.linalg.norm(w))
    r = -dist[:, None] * unit
    return r[0] if x.ndim == 1 else r
