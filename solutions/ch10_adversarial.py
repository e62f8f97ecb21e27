"""Chapter 10 - Adversarial training: GANs and adversarial attacks.

Conventions used throughout this file:

* Samples are rows: a batch ``x`` has shape ``(n, d)`` (or ``(n, H, W, C)`` for images); ``y`` holds
  integer labels of shape ``(n,)``.
* Models are Keras models that return LOGITS (no final softmax/sigmoid). A model with ONE output
  unit is a binary logistic classifier: ``P(y = 1 | x) = sigmoid(z)``, labels in ``{0, 1}``, loss the
  binary cross-entropy on logits. A model with ``k >= 2`` outputs is a softmax classifier, loss the
  sparse categorical cross-entropy on logits. The attacks only use the SIGN of input gradients or
  per-sample objectives, so a sum or a mean over the batch gives the same answer; the answer key
  sums.
* Discriminators output a logit ``s``; ``D(x) = sigmoid(s)`` is the probability that ``x`` is real.
* Discrete GAN exercises take probability vectors (pmfs) over the same finite support; logs are
  natural (nats), with ``0 log 0 = 0``.
* Input gradients (``fgsm``, ``pgd``, ``targeted_attack``) and the GAN train step use
  ``tf.GradientTape``: these four exercises are TensorFlow-only. Everything else is plain numpy.

A function may call the other exercises of this file.
"""
import numpy as np


def optimal_discriminator(p_d, p_g):
    """The optimal discriminator (10.10) for fixed data and generator pmfs: ``D* = p_d / (p_d + p_g)``.

    It maximizes ``p log a + q log (1 - a)`` pointwise (10.7)-(10.9). Where ``p_d = p_g = 0`` the
    point carries no weight and any value is optimal: return 1/2 there (the limit along
    ``p_d = p_g``). Note (erratum): the notes say maximizing ``E[D]`` or ``E[log D]`` is "the same
    thing"; it is not: without the log the pointwise maximizer of ``p a + q (1 - a)`` is the hard
    indicator ``a = 1[p > q]``, not ``p / (p + q)``.

    Args:
        p_d, p_g: arrays of the same shape, nonnegative (pmf values or densities).
    Returns:
        float array of that shape, values in [0, 1].
    """
    # BEGIN SOLUTION
    p_d = np.asarray(p_d, dtype=float)
    p_g = np.asarray(p_g, dtype=float)
    total = p_d + p_g
    safe = np.where(total > 0, total, 1.0)
    return np.where(total > 0, p_d / safe, 0.5)
    # END SOLUTION


def js_divergence(p, q):
    """Jensen-Shannon divergence ``JSD(p, q) = 1/2 KL(p || m) + 1/2 KL(q || m)``, ``m = (p + q) / 2``.

    In nats (natural log), with ``0 log 0 = 0``. JSD is symmetric (erratum: the notes call it
    not symmetric), finite even where the supports differ, and lies in ``[0, log 2]``.

    Args:
        p, q: 1-D pmfs of the same length (nonnegative, each summing to 1 within 1e-8).
    Returns:
        float.
    Raises:
        ValueError: shapes differ, a negative entry, or a vector that does not sum to 1 (no
        renormalization).
    """
    # BEGIN SOLUTION
    p = np.asarray(p, dtype=float)
    q = np.asarray(q, dtype=float)
    if p.shape != q.shape:
        raise ValueError(f"shapes differ: {p.shape} and {q.shape}")
    if np.any(p < 0) or np.any(q < 0):
        raise ValueError("pmfs must be nonnegative")
    if abs(p.sum() - 1.0) > 1e-8 or abs(q.sum() - 1.0) > 1e-8:
        raise ValueError("pmfs must sum to 1")
    m = 0.5 * (p + q)

    def kl_to_m(a):
        mask = a > 0
        return float(np.sum(a[mask] * np.log(a[mask] / m[mask])))

    return 0.5 * kl_to_m(p) + 0.5 * kl_to_m(q)
    # END SOLUTION


def gan_value(p_d, p_g, D=None):
    """The GAN value ``V(D, G) = E_{p_d}[log D] + E_{p_g}[log(1 - D)]`` (10.5)/(10.6) on a finite support.

    ``D=None`` means the optimal discriminator ``D*`` (``optimal_discriminator``; 1/2 where both
    pmfs vanish). Terms with zero probability count 0 (``0 log 0 = 0``), even where ``D`` is 0 or 1.
    At ``D*``, ``V(D*, G) = J(G) = 2 JSD(p_d, p_g) - log 4`` (erratum: the notes' (10.14)-(10.16)
    write ``1/2 KL(p_d || rho) + 1/2 KL(p_g || rho)`` + const, which is JSD itself, not 2 JSD - log 4);
    so ``V(D, G) <= V(D*, G)`` for every ``D`` and ``V(D*, G) = -log 4`` when ``p_d = p_g``.

    Args:
        p_d, p_g: 1-D pmfs of the same length.
        D: None, or an array of the same length with values in [0, 1].
    Returns:
        float (``-inf`` if ``D`` is 0 where ``p_d > 0`` or 1 where ``p_g > 0``).
    """
    # BEGIN SOLUTION
    p_d = np.asarray(p_d, dtype=float)
    p_g = np.asarray(p_g, dtype=float)
    if D is None:  # the optimal discriminator (10.10), 1/2 where both pmfs vanish
        total = p_d + p_g
        D = np.where(total > 0, p_d / np.where(total > 0, total, 1.0), 0.5)
    D = np.asarray(D, dtype=float)
    with np.errstate(divide="ignore"):
        real = np.where(p_d > 0, p_d * np.log(np.where(p_d > 0, D, 1.0)), 0.0)
        fake = np.where(p_g > 0, p_g * np.log(np.where(p_g > 0, 1.0 - D, 1.0)), 0.0)
    return float(np.sum(real) + np.sum(fake))
    # END SOLUTION


def discriminator_loss(real_logits, fake_logits):
    """The discriminator's loss: binary cross-entropy on logits, real labelled 1, fake labelled 0.

    ``L_D = mean_i softplus(-r_i) + mean_j softplus(f_j)`` where ``softplus(s) = log(1 + e^s)``, i.e.
    ``-(mean log D(x) + mean log(1 - D(G(z))))``: the negative of the empirical (10.3), a MEAN over
    each batch (the two means are added, so all-zero logits give ``2 log 2``). It equals
    ``BCE(1, r) + BCE(0, f)`` with ``keras.losses.BinaryCrossentropy(from_logits=True)``. Compute it
    from the logits with a stable softplus (``np.logaddexp(0, s)``): ``log(sigmoid(s))`` overflows to
    ``-inf`` for large logits.

    Args:
        real_logits: array (n,) or (n, 1), the discriminator's logits on real data.
        fake_logits: array (m,) or (m, 1), its logits on generated data.
    Returns:
        float.
    """
    # BEGIN SOLUTION
    r = np.asarray(real_logits, dtype=float)
    f = np.asarray(fake_logits, dtype=float)
    return float(np.mean(np.logaddexp(0.0, -r)) + np.mean(np.logaddexp(0.0, f)))
    # END SOLUTION


def generator_loss(fake_logits, saturating=False):
    """The generator's loss on the discriminator's logits ``f`` for generated samples (a MEAN).

    Non-saturating (default, the one used in practice): ``mean softplus(-f) = -mean log D(G(z))``,
    ``log 2`` at ``f = 0``. Saturating (the minimax (10.4) literally): ``mean log(1 - D(G(z))) =
    -mean softplus(f)``, ``-log 2`` at ``f = 0``; its gradient vanishes when the discriminator
    confidently rejects the fakes (``f -> -inf``), hence the default. Stable softplus, as in
    ``discriminator_loss``.

    Args:
        fake_logits: array (m,) or (m, 1).
        saturating: which loss (see above).
    Returns:
        float.
    """
    # BEGIN SOLUTION
    f = np.asarray(fake_logits, dtype=float)
    if saturating:
        return float(-np.mean(np.logaddexp(0.0, f)))
    return float(np.mean(np.logaddexp(0.0, -f)))
    # END SOLUTION


def gan_train_step(G, D, g_opt, d_opt, x_real, z):
    """One GAN training step with ``tf.GradientTape`` (TensorFlow-only): a D step, then a G step.

    1. Discriminator: ``x_fake = G(z)``; ``d_loss`` = the discriminator loss (BCE on logits, real 1,
       fake 0, mean over each batch, summed as in ``discriminator_loss``) of ``D(x_real)`` and
       ``D(x_fake)``; its gradient w.r.t. ``D.trainable_variables`` ONLY is applied with ``d_opt``.
       G's variables must stay bit-identical.
    2. Generator: with the SAME ``z`` and the UPDATED discriminator, ``g_loss`` = the non-saturating
       generator loss ``mean softplus(-D(G(z)))``; its gradient w.r.t. ``G.trainable_variables``
       ONLY is applied with ``g_opt``. D's variables must stay bit-identical.

    Call the models with ``training=True``. Use a stable BCE on logits (``tf.nn.softplus`` or
    ``tf.nn.sigmoid_cross_entropy_with_logits``).

    Args:
        G: Keras model mapping z (m, k) to samples shaped like ``x_real[1:]``.
        D: Keras model mapping samples to logits (·, 1).
        g_opt, d_opt: Keras optimizers (distinct objects), for G and D.
        x_real: array (n, ...), float32.
        z: array (m, k), float32 (injected noise).
    Returns:
        ``{"d_loss": float, "g_loss": float}``: each loss as computed BEFORE its own update.
    """
    # BEGIN SOLUTION
    import tensorflow as tf

    x_real = tf.convert_to_tensor(np.asarray(x_real, dtype="float32"))
    z = tf.convert_to_tensor(np.asarray(z, dtype="float32"))
    with tf.GradientTape() as tape:
        real = D(x_real, training=True)
        fake = D(G(z, training=True), training=True)
        d_loss = tf.reduce_mean(tf.nn.softplus(-real)) + tf.reduce_mean(tf.nn.softplus(fake))
    d_vars = D.trainable_variables
    d_opt.apply_gradients(zip(tape.gradient(d_loss, d_vars), d_vars))
    with tf.GradientTape() as tape:
        fake = D(G(z, training=True), training=True)
        g_loss = tf.reduce_mean(tf.nn.softplus(-fake))
    g_vars = G.trainable_variables
    g_opt.apply_gradients(zip(tape.gradient(g_loss, g_vars), g_vars))
    return {"d_loss": float(d_loss), "g_loss": float(g_loss)}
    # END SOLUTION


def fgsm(model, x, y, eps, clip_min=0.0, clip_max=1.0):
    """Fast gradient sign method (10.27): ``x' = clip(x + eps * sign(grad_x L(x, y)), clip_min, clip_max)``.

    TensorFlow-only (the input gradient by ``tf.GradientTape``). ``L`` is the cross-entropy on the
    model's logits (binary for one output unit, sparse categorical otherwise; see the module
    docstring); ``sign(0) = 0``. The result is clipped to the data box ``[clip_min, clip_max]``
    (``None`` for no bound on that side), so ``||x' - x||_inf <= eps`` when ``x`` is inside the box.
    FGSM is an UNTARGETED one-step attack: it increases the loss to first order; for a loss convex
    in ``x`` (a linear model) the loss does not decrease, for a deep net it may (erratum: not
    "always increases the loss").

    Args:
        model: Keras model, x (n, ...) -> logits (n, k) or (n, 1).
        x: array (n, ...) in the box; y: int array (n,).
        eps: float >= 0.
    Returns:
        float32 array shaped like ``x``.
    """
    # BEGIN SOLUTION
    import tensorflow as tf

    x = tf.convert_to_tensor(np.asarray(x, dtype="float32"))
    y = np.asarray(y).astype("int64").reshape(-1)
    with tf.GradientTape() as tape:
        tape.watch(x)
        logits = model(x, training=False)
        if logits.shape[-1] == 1:
            labels = tf.reshape(tf.constant(y, dtype=logits.dtype), (-1, 1))
            loss = tf.reduce_sum(tf.nn.sigmoid_cross_entropy_with_logits(labels=labels, logits=logits))
        else:
            loss = tf.reduce_sum(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))
    x_adv = (x + eps * tf.sign(tape.gradient(loss, x))).numpy()
    if clip_min is not None or clip_max is not None:
        x_adv = np.clip(x_adv, clip_min, clip_max)
    return x_adv.astype("float32")
    # END SOLUTION


def pgd(model, x, y, eps, alpha, steps, random_start=False, rng=None):
    """Projected gradient descent (10.29), L-inf: ``steps`` FGSM steps of size ``alpha``, each projected.

    TensorFlow-only (uses input gradients). Start ``x_0 = x``, or with ``random_start`` ``x_0 =
    clip(x + rng.uniform(-eps, eps, size=x.shape), 0, 1)`` (one draw, float64, then float32). Each
    step ``x_{i+1} = P(x_i + alpha sign(grad L(x_i, y)))`` where ``P`` clips to the eps-ball around
    the ORIGINAL ``x`` (``[x - eps, x + eps]``) AND to the data box ``[0, 1]`` (erratum: the notes'
    ``clip_eps`` in (10.29) names only the ball; every iterate must also be a valid image). ``L`` as
    in ``fgsm``. On a binary logistic (one-unit linear) model with ``steps * alpha >= eps``
    (``>= 2 eps`` from a random start) PGD returns FGSM's answer.

    Args:
        model, x, y: as in ``fgsm`` (``x`` inside [0, 1]).
        eps: ball radius; alpha: step size; steps: int >= 0.
        random_start: start at a uniform random point of the ball (needs ``rng``).
        rng: ``np.random.Generator``.
    Returns:
        float32 array shaped like ``x``.
    """
    # BEGIN SOLUTION
    import tensorflow as tf

    x = np.asarray(x, dtype="float32")
    lo, hi = np.maximum(x - eps, 0.0), np.minimum(x + eps, 1.0)
    x_adv = x.copy()
    if random_start:
        start = x.astype(float) + rng.uniform(-eps, eps, size=x.shape)
        x_adv = np.clip(start, 0.0, 1.0).astype("float32")
    labels = np.asarray(y).astype("int64").reshape(-1)
    for _ in range(int(steps)):
        x_var = tf.convert_to_tensor(x_adv)
        with tf.GradientTape() as tape:
            tape.watch(x_var)
            logits = model(x_var, training=False)
            if logits.shape[-1] == 1:
                target = tf.reshape(tf.constant(labels, dtype=logits.dtype), (-1, 1))
                loss = tf.reduce_sum(tf.nn.sigmoid_cross_entropy_with_logits(labels=target, logits=logits))
            else:
                loss = tf.reduce_sum(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels,
                                                                                    logits=logits))
        x_adv = x_adv + alpha * np.sign(tape.gradient(loss, x_var).numpy())
        x_adv = np.clip(x_adv, lo, hi).astype("float32")
    return x_adv
    # END SOLUTION


def cw_margin(logits, target, kappa=0.0):
    """The Carlini-Wagner targeted margin on LOGITS: ``max(max_{i != t} Z_i - Z_t, -kappa)``.

    Zero (at ``kappa = 0``) exactly when the target already wins, positive otherwise: the ``f`` of
    (10.23)/(10.26). This is the CW form with confidence ``kappa`` (the other common form,
    ``max(m + kappa, 0)``, agrees only at ``kappa = 0``). Erratum: (10.26) writes it on ``F``
    (the softmax probabilities); use the logits ``Z``: probabilities saturate, so the margin and its
    gradient vanish for confident predictions.

    Args:
        logits: array (n, k) (or (k,) for one sample), k >= 2.
        target: int or int array (n,).
        kappa: float >= 0.
    Returns:
        float array (n,) (a float for 1-D logits).
    """
    # BEGIN SOLUTION
    Z = np.asarray(logits, dtype=float)
    single = Z.ndim == 1
    Z = np.atleast_2d(Z)
    t = np.broadcast_to(np.asarray(target, dtype=int), (Z.shape[0],))
    rows = np.arange(Z.shape[0])
    others = Z.copy()
    others[rows, t] = -np.inf
    margin = np.maximum(others.max(axis=1) - Z[rows, t], -kappa)
    return float(margin[0]) if single else margin
    # END SOLUTION


def targeted_attack(model, x, target, c, steps, lr):
    """Targeted attack in the penalty form (10.19)/(10.26) by projected gradient descent.

    TensorFlow-only (input gradients). Minimizes, per sample, ``||x' - x||_2^2 + c * m(x')`` with ``m``
    the CW margin on logits at ``kappa = 0`` (``cw_margin``), over ``x'`` in the box ``[0, 1]``:
    start ``x'_0 = x``, then ``steps`` times ``x' <- clip(x' - lr * grad, 0, 1)`` (plain gradient
    descent; the objective is summed over the batch, which leaves each sample's gradient its own).
    Erratum: the box constraint is on the IMAGE ``x' = x + delta``, not on ``delta`` as (10.20)-(10.26)
    write ``delta in [0, 1]^n``.

    Args:
        model: Keras model returning logits (n, k).
        x: array (n, ...) in [0, 1]; target: int or int array (n,).
        c: penalty weight; steps: int; lr: step size.
    Returns:
        float32 array shaped like ``x``.
    """
    # BEGIN SOLUTION
    import tensorflow as tf

    x0 = tf.convert_to_tensor(np.asarray(x, dtype="float32"))
    n = x0.shape[0]
    t = np.broadcast_to(np.asarray(target, dtype=int), (n,))
    x_adv = tf.identity(x0)
    for _ in range(int(steps)):
        with tf.GradientTape() as tape:
            tape.watch(x_adv)
            logits = model(x_adv, training=False)
            onehot = tf.one_hot(t, logits.shape[-1], dtype=logits.dtype)
            z_t = tf.reduce_sum(logits * onehot, axis=-1)
            z_other = tf.reduce_max(tf.where(onehot > 0, tf.constant(-np.inf, logits.dtype), logits), axis=-1)
            margin = tf.nn.relu(z_other - z_t)
            distance = tf.reduce_sum(tf.reshape(tf.square(x_adv - x0), (n, -1)), axis=-1)
            objective = tf.reduce_sum(distance + c * margin)
        x_adv = tf.clip_by_value(x_adv - lr * tape.gradient(objective, x_adv), 0.0, 1.0)
    return x_adv.numpy().astype("float32")
    # END SOLUTION


def universal_perturbation(model, x, y, eps, alpha, steps):
    """One L-inf perturbation ``v`` for a whole batch (a "universal" perturbation), by projected
    sign-gradient ascent on the summed loss: ``v_0 = 0``, ``v <- clip(v + alpha sign(g), -eps, eps)``
    with ``g = grad_v sum_i L(x_i + v, y_i)`` (``L`` as in ``fgsm``; the loss is taken at ``x_i + v``
    unclipped; apply ``v`` to an image as ``clip(x + v, 0, 1)``). TensorFlow-only (input gradients).

    A simplified, gradient-sign version of the universal perturbations of Moosavi-Dezfooli et al.:
    the same small ``v`` must fool many inputs at once.

    Args:
        model, x, y: as in ``fgsm``; eps: ball radius; alpha: step size; steps: int >= 0.
    Returns:
        float32 array of shape ``x.shape[1:]`` (one sample's shape), ``|v| <= eps`` everywhere.
    """
    # BEGIN SOLUTION
    import tensorflow as tf

    x = tf.convert_to_tensor(np.asarray(x, dtype="float32"))
    labels = np.asarray(y).astype("int64").reshape(-1)
    v = np.zeros(x.shape[1:], dtype="float32")
    for _ in range(int(steps)):
        v_var = tf.convert_to_tensor(v)
        with tf.GradientTape() as tape:
            tape.watch(v_var)
            logits = model(x + v_var, training=False)
            if logits.shape[-1] == 1:
                target = tf.reshape(tf.constant(labels, dtype=logits.dtype), (-1, 1))
                loss = tf.reduce_sum(tf.nn.sigmoid_cross_entropy_with_logits(labels=target, logits=logits))
            else:
                loss = tf.reduce_sum(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels,
                                                                                    logits=logits))
        v = np.clip(v + alpha * np.sign(tape.gradient(loss, v_var).numpy()), -eps, eps).astype("float32")
    return v
    # END SOLUTION


def linear_min_perturbation(w, b, x):
    """Smallest L2 perturbation onto the decision boundary of a linear classifier ``f(x) = w.x + b``.

    ``r = -f(x) w / ||w||^2`` (so ``f(x + r) = 0`` and ``||r|| = |f(x)| / ||w||`` is the distance to
    the hyperplane). Rows of ``x`` are samples.

    Args:
        w: array (d,); b: float; x: array (d,) or (n, d).
    Returns:
        array shaped like ``x``.
    """
    # BEGIN SOLUTION
    w = np.asarray(w, dtype=float)
    x = np.asarray(x, dtype=float)
    f = x @ w + b
    return -np.multiply.outer(f, w) / (w @ w)
    # END SOLUTION
