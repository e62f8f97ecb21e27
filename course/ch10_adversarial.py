"""Chapter 10 reference library: GANs and adversarial attacks with Keras 3 / TensorFlow.

* GANs: the 1-D Gaussian case, where a logistic discriminator on the features ``(x, x^2)`` can
  represent the analytic optimum ``D* = p_d / (p_d + p_g)`` (10.10) exactly (the log-ratio of two
  Gaussians is quadratic), first against a fixed generator, then in a full 1-D GAN with an affine
  generator (``train_1d_gan``); a small MLP GAN on a ring of Gaussians (2-D) and on the 8x8 digits, trained
  with a ``tf.function`` train step (BCE on logits, non-saturating generator loss).
* Attacks: FGSM (10.27), PGD (10.29) projected onto the eps-ball AND the data box, the targeted attack
  in the penalty form with the CW margin on logits; accuracy vs eps; adversarial training of the
  chapter-6 CNN on the digits (FGSM examples mixed into each batch).

The attacks and GAN steps use ``tf.GradientTape`` (TensorFlow-only). TensorFlow/Keras are imported
inside the functions so that importing ``course`` stays light. Models here may output logits or
probabilities (``from_logits``); the chapter-6 CNN ends with a softmax.
"""
import numpy as np

from course.datasets import digits

# --------------------------------------------------------------------------------------------------
# Data


def ring_of_gaussians(n=512, modes=8, radius=2.0, std=0.05, seed=0):
    """``n`` points of a mixture of ``modes`` isotropic Gaussians (std ``std``) evenly spaced on a
    circle of radius ``radius``: float32 ``(n, 2)``. The classic mode-collapse test of GANs."""
    rng = np.random.default_rng(seed)
    angle = 2 * np.pi * rng.integers(0, modes, n) / modes
    centres = radius * np.stack([np.cos(angle), np.sin(angle)], axis=1)
    return (centres + std * rng.standard_normal((n, 2))).astype("float32")


def gaussian_pdf(x, mu, sigma):
    return np.exp(-0.5 * ((np.asarray(x) - mu) / sigma) ** 2) / (sigma * np.sqrt(2 * np.pi))


def analytic_dstar(x, data=(0.0, 1.0), generator=(2.0, 0.7)):
    """D*(x) = p_d / (p_d + p_g) (10.10) for two 1-D Gaussians given as (mean, std)."""
    p_d, p_g = gaussian_pdf(x, *data), gaussian_pdf(x, *generator)
    return p_d / (p_d + p_g)


def train_1d_discriminator(data=(0.0, 1.0), generator=(2.0, 0.7), n=4000, epochs=60, seed=0):
    """Fit a logistic discriminator on features ``(x, x^2)`` to real (label 1) vs generated (label 0)
    samples of two fixed 1-D Gaussians, with Keras (Adam, BCE on logits).

    Returns:
        ``predict(x) -> D(x)`` (probabilities, numpy in and out).
    """
    import keras

    keras.utils.set_random_seed(seed)
    rng = np.random.default_rng(seed)
    x = np.concatenate([rng.normal(*data, n), rng.normal(*generator, n)])
    y = np.concatenate([np.ones(n), np.zeros(n)]).astype("float32")
    features = lambda t: np.stack([t, t ** 2], axis=1).astype("float32")
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.Adam(0.05), loss=keras.losses.BinaryCrossentropy(from_logits=True))
    model.fit(features(x), y, epochs=epochs, batch_size=512, verbose=0)
    return lambda t: 1 / (1 + np.exp(-model.predict(features(np.asarray(t, float)), verbose=0)[:, 0]))


def train_1d_gan(data=(0.0, 1.0), steps=300, batch=256, lr=0.02, d_steps=5, seed=0):
    """A 1-D Gaussian GAN: affine generator ``G(z) = a z + b`` (so ``p_g = N(b, a^2)``) against a
    logistic discriminator on ``(x, x^2)``, which can represent ``D*`` of two Gaussians exactly.
    ``d_steps`` discriminator steps (Adam, BCE on logits) per non-saturating generator step.

    Returns:
        dict with the generator's ``mean`` and ``std``, and ``D(x)`` / ``dstar(x)``: the trained
        discriminator and the analytic optimum (10.10) for the final generator.
    """
    import keras
    import tensorflow as tf

    keras.utils.set_random_seed(seed)
    rng = np.random.default_rng(seed)
    a, b = tf.Variable(0.5), tf.Variable(-2.0)
    w, c = tf.Variable([0.0, 0.0]), tf.Variable(0.0)
    d_opt, g_opt = keras.optimizers.Adam(lr), keras.optimizers.Adam(lr)
    logit = lambda t: w[0] * t + w[1] * t ** 2 + c

    @tf.function
    def step(real, noise, z):
        for k in range(d_steps):
            with tf.GradientTape() as tape:
                fake = a * noise[k] + b
                d_loss = tf.reduce_mean(tf.nn.softplus(-logit(real[k]))) + tf.reduce_mean(tf.nn.softplus(logit(fake)))
            d_opt.apply_gradients(zip(tape.gradient(d_loss, [w, c]), [w, c]))
        with tf.GradientTape() as tape:
            g_loss = tf.reduce_mean(tf.nn.softplus(-logit(a * z + b)))
        g_opt.apply_gradients(zip(tape.gradient(g_loss, [a, b]), [a, b]))

    for _ in range(steps):
        step(rng.normal(*data, (d_steps, batch)).astype("float32"),
             rng.standard_normal((d_steps, batch)).astype("float32"), rng.standard_normal(batch).astype("float32"))
    mean, std = float(b), abs(float(a))
    return {"mean": mean, "std": std,
            "D": lambda t: 1 / (1 + np.exp(-logit(np.asarray(t, "float32")).numpy())),
            "dstar": lambda t: analytic_dstar(t, data, (mean, std))}


# --------------------------------------------------------------------------------------------------
# GANs


def make_mlp(sizes, activation="relu", final=None, name=None):
    """A Dense MLP ``sizes[0] -> ... -> sizes[-1]`` (``final`` activation on the last layer)."""
    import keras

    layers = [keras.Input((sizes[0],))]
    layers += [keras.layers.Dense(s, activation=activation) for s in sizes[1:-1]]
    layers.append(keras.layers.Dense(sizes[-1], activation=final))
    return keras.Sequential(layers, name=name)


def make_gan_step(G, D, g_opt, d_opt):
    """A compiled (``tf.function``) GAN step ``step(x_real, z) -> (d_loss, g_loss)``: D step (BCE on
    logits, real 1 / fake 0), then the non-saturating G step through the updated D."""
    import tensorflow as tf

    @tf.function
    def step(x_real, z):
        with tf.GradientTape() as tape:
            real, fake = D(x_real, training=True), D(G(z, training=True), training=True)
            d_loss = tf.reduce_mean(tf.nn.softplus(-real)) + tf.reduce_mean(tf.nn.softplus(fake))
        d_opt.apply_gradients(zip(tape.gradient(d_loss, D.trainable_variables), D.trainable_variables))
        with tf.GradientTape() as tape:
            g_loss = tf.reduce_mean(tf.nn.softplus(-D(G(z, training=True), training=True)))
        g_opt.apply_gradients(zip(tape.gradient(g_loss, G.trainable_variables), G.trainable_variables))
        return d_loss, g_loss

    return step


def train_gan(data, z_dim=2, g_sizes=(64, 64), d_sizes=(64, 64), steps=2000, batch=128, lr=1e-3,
              seed=0, snapshot_every=None, g_final=None):
    """Train an MLP GAN on the rows of ``data`` with Adam (beta_1 = 0.5).

    Returns:
        (G, D, history ``{"d_loss", "g_loss"}``, snapshots ``{step: G(z_fixed)}``).
    """
    import keras

    keras.utils.set_random_seed(seed)
    data = np.asarray(data, dtype="float32")
    d = data.shape[1]
    G = make_mlp([z_dim, *g_sizes, d], final=g_final, name="generator")
    D = make_mlp([d, *d_sizes, 1], activation="leaky_relu", name="discriminator")
    step = make_gan_step(G, D, keras.optimizers.Adam(lr, beta_1=0.5), keras.optimizers.Adam(lr, beta_1=0.5))
    rng = np.random.default_rng(seed)
    z_fixed = rng.standard_normal((512, z_dim)).astype("float32")
    history, snapshots = {"d_loss": [], "g_loss": []}, {}
    for i in range(steps + 1):
        if snapshot_every and i % snapshot_every == 0:
            snapshots[i] = np.asarray(G(z_fixed, training=False))
        if i == steps:
            break
        x = data[rng.integers(0, len(data), batch)]
        z = rng.standard_normal((batch, z_dim)).astype("float32")
        d_loss, g_loss = step(x, z)
        history["d_loss"].append(float(d_loss))
        history["g_loss"].append(float(g_loss))
    return G, D, history, snapshots


# --------------------------------------------------------------------------------------------------
# Attacks


def _loss(model, x, y, from_logits):
    import keras

    out = model(x, training=False)
    if out.shape[-1] == 1:
        return keras.ops.sum(keras.losses.binary_crossentropy(
            keras.ops.reshape(keras.ops.cast(y, out.dtype), (-1, 1)), out, from_logits=from_logits))
    return keras.ops.sum(keras.losses.sparse_categorical_crossentropy(y, out, from_logits=from_logits))


def input_gradient(model, x, y, from_logits=True):
    """grad_x of the summed cross-entropy of ``model`` at ``x`` (float32 numpy)."""
    import tensorflow as tf

    x = tf.convert_to_tensor(np.asarray(x, dtype="float32"))
    with tf.GradientTape() as tape:
        tape.watch(x)
        loss = _loss(model, x, np.asarray(y), from_logits)
    return tape.gradient(loss, x).numpy()


def fgsm(model, x, y, eps, from_logits=True, box=(0.0, 1.0)):
    """FGSM (10.27), clipped to the data box."""
    return np.clip(x + eps * np.sign(input_gradient(model, x, y, from_logits)), *box).astype("float32")


def pgd(model, x, y, eps, alpha, steps, from_logits=True, random_start=False, rng=None):
    """L-inf PGD (10.29): FGSM steps of size ``alpha``, each projected onto the eps-ball around ``x``
    AND the box [0, 1]."""
    x = np.asarray(x, dtype="float32")
    lo, hi = np.maximum(x - eps, 0), np.minimum(x + eps, 1)
    adv = np.clip(x + rng.uniform(-eps, eps, x.shape), 0, 1).astype("float32") if random_start else x
    for _ in range(steps):
        adv = np.clip(adv + alpha * np.sign(input_gradient(model, adv, y, from_logits)), lo, hi)
    return adv.astype("float32")


def targeted_attack(model, x, target, c=10.0, steps=100, lr=0.01, kappa=0.0):
    """Penalty form (10.19)/(10.26): projected gradient descent on ``||x' - x||^2 + c max(max_{i != t}
    Z_i - Z_t, -kappa)`` over x' in [0, 1] (``model`` returns logits)."""
    import tensorflow as tf

    x0 = tf.convert_to_tensor(np.asarray(x, dtype="float32"))
    t = np.broadcast_to(np.asarray(target), (x0.shape[0],))
    adv = tf.identity(x0)
    for _ in range(steps):
        with tf.GradientTape() as tape:
            tape.watch(adv)
            z = model(adv, training=False)
            onehot = tf.one_hot(t, z.shape[-1], dtype=z.dtype)
            margin = tf.reduce_max(z - 1e9 * onehot, axis=-1) - tf.reduce_sum(z * onehot, axis=-1)
            dist = tf.reduce_sum(tf.reshape(tf.square(adv - x0), (x0.shape[0], -1)), axis=-1)
            objective = tf.reduce_sum(dist + c * tf.maximum(margin, -kappa))
        adv = tf.clip_by_value(adv - lr * tape.gradient(objective, adv), 0.0, 1.0)
    return adv.numpy()


def accuracy_under_attack(model, x, y, eps_values, attack="fgsm", from_logits=False, steps=10):
    """Test accuracy on adversarial examples for each eps (PGD: ``steps`` steps of 2.5 eps / steps)."""
    accs = []
    for eps in eps_values:
        if eps == 0:
            adv = x
        elif attack == "fgsm":
            adv = fgsm(model, x, y, eps, from_logits)
        else:
            adv = pgd(model, x, y, eps, 2.5 * eps / steps, steps, from_logits)
        accs.append(float(np.mean(np.argmax(np.asarray(model(adv, training=False)), axis=-1) == y)))
    return np.array(accs)


def adversarial_training(epochs=5, eps=0.1, batch_size=32, lr=2e-3, seed=0, n_train=None, mix=0.5):
    """Train the chapter-6 CNN on digits where a fraction ``mix`` of each batch is replaced by its
    FGSM(eps) version against the current model (``mix=0``: clean training). Adam, constant rate.

    Returns:
        (model, clean test accuracy).
    """
    import keras
    import tensorflow as tf

    from course.ch06_cnn import make_cnn

    keras.utils.set_random_seed(seed)
    x_train, y_train, x_test, y_test = digits()
    x_train, y_train = x_train[:n_train], y_train[:n_train]
    model = make_cnn()
    opt = keras.optimizers.Adam(lr)
    loss_fn = keras.losses.SparseCategoricalCrossentropy()
    rng = np.random.default_rng(seed)

    @tf.function
    def train_step(xb, yb):
        with tf.GradientTape() as tape:
            loss = loss_fn(yb, model(xb, training=True))
        opt.apply_gradients(zip(tape.gradient(loss, model.trainable_variables), model.trainable_variables))

    @tf.function
    def attack(xb, yb):
        with tf.GradientTape() as tape:
            tape.watch(xb)
            loss = loss_fn(yb, model(xb, training=False))
        return tf.clip_by_value(xb + eps * tf.sign(tape.gradient(loss, xb)), 0.0, 1.0)

    for _ in range(epochs):
        order = rng.permutation(len(x_train))
        for start in range(0, len(order), batch_size):
            idx = order[start:start + batch_size]
            xb, yb = tf.constant(x_train[idx]), tf.constant(y_train[idx])
            if mix > 0:
                k = int(round(mix * len(idx)))
                xb = tf.concat([attack(xb[:k], yb[:k]), xb[k:]], axis=0)
            train_step(xb, yb)
    predicted = np.argmax(np.asarray(model(x_test, training=False)), axis=-1)
    return model, float(np.mean(predicted == y_test))


# --------------------------------------------------------------------------------------------------
# Figures

EPS_GRID = (0.0, 0.05, 0.1, 0.15, 0.2, 0.3)


def _draw_dstar_1d(fig):
    t = np.linspace(-4, 5, 400)
    D = train_1d_discriminator()
    ax = fig.add_subplot()
    ax.plot(t, gaussian_pdf(t, 0.0, 1.0), label="p_data = N(0, 1)", alpha=0.6)
    ax.plot(t, gaussian_pdf(t, 2.0, 0.7), label="p_g = N(2, 0.7^2)", alpha=0.6)
    ax.plot(t, analytic_dstar(t), "k", lw=2, label="D* = p_d / (p_d + p_g)")
    ax.plot(t, D(t), "r--", lw=2, label="trained logistic D on (x, x^2)")
    ax.set(xlabel="x", title="Optimal discriminator (10.10) vs a trained one")
    ax.legend(fontsize=7)


def _draw_ring_gan(fig):
    data = ring_of_gaussians(2048)
    _, _, _, snaps = train_gan(data, steps=1500, snapshot_every=500)
    fig.set_size_inches(12, 3.2)
    for i, (step, pts) in enumerate(snaps.items()):
        ax = fig.add_subplot(1, len(snaps), i + 1)
        ax.scatter(data[:, 0], data[:, 1], s=2, c="0.7")
        ax.scatter(pts[:, 0], pts[:, 1], s=2, c="C3")
        ax.set(xlim=(-3, 3), ylim=(-3, 3), aspect="equal", title=f"step {step}")


def _draw_generated_digits(fig):
    x_train = digits(flat=True)[0]
    G, _, _, _ = train_gan(x_train, z_dim=32, g_sizes=(256,), d_sizes=(256,), steps=4000, batch=64, lr=2e-4,
                           g_final="sigmoid")
    images = np.asarray(G(np.random.default_rng(1).standard_normal((32, 32)).astype("float32")))
    fig.set_size_inches(8, 4)
    for i, image in enumerate(images):
        ax = fig.add_subplot(4, 8, i + 1)
        ax.imshow(image.reshape(8, 8), cmap="gray_r", vmin=0, vmax=1)
        ax.axis("off")
    fig.suptitle("Digits from an MLP GAN (4000 steps)")


_STATE = {}


def _clean_cnn():
    if "cnn" not in _STATE:
        from course.ch06_cnn import train_cnn

        _STATE["cnn"] = train_cnn(epochs=8)[0]
    return _STATE["cnn"]


def _draw_fgsm_example(fig):
    model = _clean_cnn()
    _, _, x_test, y_test = digits()
    adv_all = fgsm(model, x_test[:100], y_test[:100], 0.15, from_logits=False)
    predict = lambda a: np.argmax(np.asarray(model(a, training=False)), axis=-1)
    flipped = (predict(x_test[:100]) == y_test[:100]) & (predict(adv_all) != y_test[:100])
    i = int(np.argmax(flipped))  # the first well-classified test image that FGSM misleads (0 if none)
    x, adv = x_test[i:i + 1], adv_all[i:i + 1]
    p0, p1 = (np.asarray(model(a, training=False))[0] for a in (x, adv))
    fig.set_size_inches(10, 3)
    for j, (img, title, cmap) in enumerate([(x[0, ..., 0], f"original: {np.argmax(p0)} ({p0.max():.2f})", "gray_r"),
                                            (adv[0, ..., 0] - x[0, ..., 0], "perturbation (eps = 0.15)", "RdBu"),
                                            (adv[0, ..., 0], f"adversarial: {np.argmax(p1)} ({p1.max():.2f})",
                                             "gray_r")]):
        ax = fig.add_subplot(1, 4, j + 1)
        ax.imshow(img, cmap=cmap, vmin=-0.15 if cmap == "RdBu" else 0, vmax=0.15 if cmap == "RdBu" else 1)
        ax.set_title(title, fontsize=8)
        ax.axis("off")
    ax = fig.add_subplot(1, 4, 4)
    ax.bar(np.arange(10) - 0.2, p0, 0.4, label="original")
    ax.bar(np.arange(10) + 0.2, p1, 0.4, label="adversarial")
    ax.set(xticks=range(10), title="class probabilities")
    ax.legend(fontsize=7)


def _draw_accuracy_vs_eps(fig):
    _, _, x_test, y_test = digits()
    robust, _ = adversarial_training(epochs=8, eps=0.1)
    ax = fig.add_subplot()
    for model, name in ((_clean_cnn(), "clean training"), (robust, "FGSM adversarial training")):
        for attack, style in (("fgsm", "-o"), ("pgd", "--s")):
            acc = accuracy_under_attack(model, x_test, y_test, EPS_GRID, attack)
            ax.plot(EPS_GRID, acc, style, label=f"{name}, {attack.upper()}")
    ax.set(xlabel="eps (L-inf)", ylabel="test accuracy", ylim=(0, 1), title="Digits CNN under attack")
    ax.legend(fontsize=7)


FIGURES = {
    "ch10_dstar_1d": _draw_dstar_1d,
    "ch10_ring_gan": _draw_ring_gan,
    "ch10_generated_digits": _draw_generated_digits,
    "ch10_fgsm_example": _draw_fgsm_example,
    "ch10_accuracy_vs_eps": _draw_accuracy_vs_eps,
}
