"""Chapter 4 - Stochastic gradient descent (from-scratch numpy exercises).

Conventions used throughout this file:

* Parameters are 1-D arrays ``x`` (or ``theta``) of shape ``(d,)``; a gradient function
  ``grad(x)`` returns an array of the same shape. A trajectory or history stacks the iterates as
  rows, ``(steps + 1, d)``, starting with ``x0``.
* Learning rates are positive; step ``t`` counts the updates made so far, from 0.
* Momentum is the heavy-ball method (4.5), exactly Keras' ``SGD(momentum=m)``:
  ``v <- m v - lr grad(x)``, ``x <- x + v``, starting from ``v = 0``.
* The data loss of Section 4.4 is the MEAN squared error (4.12) of a linear model ``X theta``:
  ``l(theta) = (1/n) sum_i (x_i . theta - y_i)^2``, samples as rows of ``X`` ``(n, d)``.

Use numpy only. Return Python floats where a docstring says ``float``.
"""
import math

import numpy as np


def gradient_descent(grad, x0, lr, max_iter=1000, tol=1e-8):
    """Gradient descent (4.1)/(4.2) with a fixed learning rate.

    Starting at ``x_0 = x0``, repeat: ``g = grad(x_t)``; if ``||g|| <= tol`` (Euclidean norm) stop;
    else ``x_{t+1} = x_t - lr g``. At most ``max_iter`` updates. At a stationary point (a minimum, a
    maximum or a saddle) the first test stops at once: GD cannot leave it. Unrolled,
    ``x_{t+1} = x_0 - lr sum_{i=0}^{t} grad(x_i)`` (4.7) (the notes start the sum at ``i = 1``).

    On the quadratic ``1/2 x^T A x - b^T x`` (A symmetric positive definite, largest eigenvalue
    ``L``) it converges to ``A^-1 b`` for ``lr < 2 / L`` and diverges for ``lr > 2 / L``.

    Args:
        grad: function mapping an array ``(d,)`` to the gradient ``(d,)``.
        x0: starting point ``(d,)`` (not modified).
        lr: learning rate (float > 0).
        max_iter: largest number of updates.
        tol: stop when the gradient norm is at most ``tol``.

    Returns:
        (x, history): the last iterate ``(d,)`` and every iterate ``x_0, ..., x_k`` stacked as an
        array ``(k + 1, d)`` (so ``history[-1]`` is ``x``; ``k = 0`` at a stationary ``x0``).
    """
    # BEGIN SOLUTION
    x = np.array(x0, dtype=float)
    history = [x]
    for _ in range(max_iter):
        g = np.asarray(grad(x), dtype=float)
        if np.linalg.norm(g) <= tol:
            break
        x = x - lr * g
        history.append(x)
    return x, np.array(history)
    # END SOLUTION


def backtracking_line_search(f, grad, x, alpha0=1.0, c=1e-4, beta=0.5):
    """Step length along ``-grad f(x)`` by backtracking (Armijo rule), Section 4.3.

    With ``g = grad(x)``, try ``alpha = alpha0, alpha0 beta, alpha0 beta^2, ...`` and return the
    first one that gives sufficient decrease (the Armijo condition)::

        f(x - alpha g) <= f(x) - c alpha ||g||^2

    A trial point where ``f`` is not finite (NaN, e.g. outside the domain of a logarithm, or inf)
    FAILS the test: write the loop as "while not (condition)", since every comparison with NaN is
    False. At a stationary point (``g = 0``) the condition holds at once and ``alpha0`` is returned.

    Args:
        f: function mapping an array ``(d,)`` to a float; grad: its gradient.
        x: current point ``(d,)`` where ``f`` is finite.
        alpha0: first trial step; c: sufficient-decrease constant in (0, 1); beta: shrink factor
            in (0, 1).

    Returns:
        alpha as a float.
    """
    # BEGIN SOLUTION
    x = np.asarray(x, dtype=float)
    g = np.asarray(grad(x), dtype=float)
    fx, slope = f(x), float(g @ g)
    alpha = alpha0
    while not f(x - alpha * g) <= fx - c * alpha * slope:
        alpha *= beta
    return float(alpha)
    # END SOLUTION


def lr_linear(t, a0, a_end, rho):
    """Linear decay from ``a0`` to ``a_end`` over ``rho`` steps, then constant (Section 4.3.1).

    ``a_t = (1 - t/rho) a0 + (t/rho) a_end`` for ``t <= rho`` and ``a_t = a_end`` for ``t > rho``:
    Keras ``PolynomialDecay(a0, decay_steps=rho, end_learning_rate=a_end, power=1)``. The notes'
    version assigns this value to ``a_{t+1}`` (off by one step) and does not stop at ``rho`` (past
    it the rate would fall below ``a_end`` and turn negative).

    Args:
        t: step (int >= 0); a0: initial rate; a_end: final rate; rho: number of decay steps (> 0).

    Returns:
        float.
    """
    # BEGIN SOLUTION
    frac = min(t, rho) / rho
    return float((1 - frac) * a0 + frac * a_end)
    # END SOLUTION


def lr_inverse_time(t, a0, rho):
    """Inverse-time decay ``a_t = a0 / (1 + rho t)`` (Section 4.3.1).

    Keras ``InverseTimeDecay(a0, decay_steps=1, decay_rate=rho)``. The notes write the recursion
    ``a_{t+1} = a_t / (1 + rho t)``, which COMPOUNDS the divisions (``a_t = a0 / prod_s (1 + rho s)``,
    decaying faster than any exponential); the schedule meant is the closed form above.

    Args:
        t: step (int >= 0); a0: initial rate; rho: decay rate (>= 0).

    Returns:
        float.
    """
    # BEGIN SOLUTION
    return float(a0 / (1 + rho * t))
    # END SOLUTION


def lr_exp(t, a0, rho):
    """Exponential decay ``a_t = a0 exp(-rho t)`` (Section 4.3.1).

    Keras ``ExponentialDecay(a0, decay_steps=1, decay_rate=exp(-rho))``. (The notes assign this value
    to ``a_{t+1}``, off by one step: ``a_1`` would still be ``a0``.)

    Args:
        t: step (int >= 0); a0: initial rate; rho: decay rate (>= 0).

    Returns:
        float.
    """
    # BEGIN SOLUTION
    return float(a0 * math.exp(-rho * t))
    # END SOLUTION


def momentum_gd(grad, x0, lr, momentum, steps):
    """Gradient descent with momentum (heavy ball) (4.5), the update of Keras ``SGD(momentum=m)``.

    ``v_0 = 0``; for ``t = 0 .. steps-1``: ``v_{t+1} = m v_t - lr grad(x_t)``, ``x_{t+1} = x_t + v_{t+1}``.
    Unrolled: ``x_{t+1} = x_0 - lr sum_{i=0}^{t} (1 - m^(t+1-i)) / (1 - m) grad(x_i)`` (the notes'
    (4.8)/(4.9) have the wrong sign and drop ``grad(x_0)``): in the position, OLDER gradients weigh
    MORE (each keeps pushing until its velocity has decayed). With a constant gradient ``g`` the step
    length tends to ``lr ||g|| / (1 - m)`` (4.6). ``momentum = 0`` is plain gradient descent.

    The momentum factor must be below 1 (the notes allow ``lambda <= 1``): at ``m = 1`` nothing damps
    the velocity, the terminal step ``lr ||g|| / (1 - m)`` is infinite and on a quadratic bowl the
    iterates oscillate forever instead of converging.

    Args:
        grad: gradient function ``(d,) -> (d,)``; x0: start ``(d,)``; lr: learning rate;
        momentum: ``m`` in ``[0, 1)``; steps: number of updates (no early stopping).

    Returns:
        trajectory ``x_0 .. x_steps`` as an array ``(steps + 1, d)``.

    Raises:
        ValueError: if ``momentum >= 1``.
    """
    # BEGIN SOLUTION
    if not momentum < 1:
        raise ValueError(f"momentum must be below 1, got {momentum}")
    x = np.array(x0, dtype=float)
    v = np.zeros_like(x)
    trajectory = [x]
    for _ in range(steps):
        v = momentum * v - lr * np.asarray(grad(x), dtype=float)
        x = x + v
        trajectory.append(x)
    return np.array(trajectory)
    # END SOLUTION


def minibatches(n, batch_size, rng):
    """Split the sample indices ``0 .. n-1`` into mini-batches for one epoch (Section 4.4).

    With a generator, shuffle first (``rng.permutation(n)``); with ``rng=None`` keep the order
    ``0, 1, ..., n-1``. Then cut into consecutive batches of ``batch_size``; the last batch holds the
    ``n mod batch_size`` remaining indices when that is not 0. Every index appears in exactly one
    batch, so one pass over the batches is one epoch.

    Args:
        n: number of samples (int >= 1).
        batch_size: ``m``, an int >= 1 (``m >= n`` gives one batch).
        rng: a ``np.random.Generator`` (e.g. ``np.random.default_rng(seed)``), or None.

    Returns:
        list of ``ceil(n / m)`` integer arrays.

    Raises:
        ValueError: if ``batch_size < 1``.
    """
    # BEGIN SOLUTION
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, got {batch_size}")
    order = np.arange(n) if rng is None else rng.permutation(n)
    return [order[start:start + batch_size] for start in range(0, n, batch_size)]
    # END SOLUTION


def minibatch_grad(theta, X, y, idx):
    """Gradient of the MEAN squared error (4.12) on the rows ``idx`` (the mini-batch estimate (4.14)).

    ``l_B(theta) = (1/m) sum_{i in idx} (x_i . theta - y_i)^2`` has gradient
    ``(2/m) X_B^T (X_B theta - y_B)``, with ``m = len(idx)`` (an index listed twice counts twice).
    Averaged over an equal partition of the rows, or over all subsets of one size, it is the full
    gradient: the estimate is unbiased.

    Args:
        theta: ``(d,)``; X: ``(n, d)``; y: ``(n,)``; idx: integer indices of the rows, length ``m >= 1``.

    Returns:
        gradient of shape ``(d,)``.

    Raises:
        ValueError: if ``idx`` is empty (the mean over no samples is undefined).
    """
    # BEGIN SOLUTION
    idx = np.asarray(idx, dtype=int)
    if idx.size == 0:
        raise ValueError("the mini-batch is empty")
    Xb = np.asarray(X, dtype=float)[idx]
    residual = Xb @ np.asarray(theta, dtype=float) - np.asarray(y, dtype=float)[idx]
    return 2.0 * Xb.T @ residual / idx.size
    # END SOLUTION


def sgd(X, y, grad_fn, lr, batch_size, epochs, seed, momentum=0.0):
    """Mini-batch stochastic gradient descent on the mean squared error of ``X theta`` (Section 4.4).

    ``theta`` and the velocity start at zero. Each epoch draws ``minibatches(n, batch_size, rng)``
    with ``rng = np.random.default_rng(seed)`` made ONCE before the first epoch (``seed=None``: no
    shuffling, batches in index order), and for each batch ``idx`` makes one momentum update with
    the batch gradient ``g = grad_fn(theta, X, y, idx)``::

        v <- momentum v - lr_t g,   theta <- theta + v

    where ``lr_t = lr(t)`` if ``lr`` is callable (``t`` = number of updates made so far, from 0,
    counted across epochs, as Keras counts ``optimizer.iterations``) and ``lr_t = lr`` otherwise.
    With ``batch_size >= n`` every epoch is one full gradient step: plain gradient descent.

    Args:
        X: ``(n, d)``; y: ``(n,)``.
        grad_fn: ``grad_fn(theta, X, y, idx) -> (d,)``, e.g. ``minibatch_grad``.
        lr: float, or a schedule ``t -> float`` such as ``lambda t: lr_inverse_time(t, 0.1, 0.01)``.
        batch_size: int >= 1; epochs: int >= 0; seed: int or None; momentum: in ``[0, 1)``.

    Returns:
        (theta, epoch_losses): ``theta`` ``(d,)`` and the list of the ``epochs`` full-data mean
        squared errors ``mean((X theta - y)^2)``, each measured at the end of its epoch.

    Raises:
        ValueError: if ``momentum >= 1`` (as ``momentum_gd``), before any work.
    """
    # BEGIN SOLUTION
    if not momentum < 1:
        raise ValueError(f"the momentum factor must be below 1, got {momentum}")
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    rate = lr if callable(lr) else (lambda step: lr)
    rng = None if seed is None else np.random.default_rng(seed)
    theta = np.zeros(X.shape[1])
    velocity = np.zeros(X.shape[1])
    step, losses = 0, []
    for _ in range(epochs):
        for idx in minibatches(len(X), batch_size, rng):
            velocity = momentum * velocity - rate(step) * np.asarray(grad_fn(theta, X, y, idx), dtype=float)
            theta = theta + velocity
            step += 1
        losses.append(float(np.mean((X @ theta - y) ** 2)))
    return theta, losses
    # END SOLUTION
