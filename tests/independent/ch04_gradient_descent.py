"""An independent, correct chapter-4 submission written differently from solutions/ (tests only)."""
import numpy as np


def gradient_descent(grad, x0, lr, max_iter=1000, tol=1e-8):
    history = np.empty((max_iter + 1, np.size(x0)))
    history[0] = x0
    k = 0
    while k < max_iter:
        g = grad(history[k].copy())
        if np.sqrt(np.sum(np.square(g))) <= tol:
            break
        history[k + 1] = history[k] - lr * g
        k += 1
    return history[k].copy(), history[:k + 1]


def backtracking_line_search(f, grad, x, alpha0=1.0, c=1e-4, beta=0.5):
    g = grad(x)
    f0, gg = f(x), np.dot(g, g)
    k = 0
    while True:
        alpha = alpha0 * beta ** k
        trial = f(x - alpha * g)
        if np.isfinite(trial) and trial <= f0 - c * alpha * gg:
            return float(alpha)
        k += 1


def lr_linear(t, a0, a_end, rho):
    return float(a_end + (a0 - a_end) * max(0.0, 1.0 - t / rho))


def lr_inverse_time(t, a0, rho):
    return a0 * (1.0 + rho * t) ** -1.0


def lr_exp(t, a0, rho):
    return float(a0 * np.exp(-rho * t))


def momentum_gd(grad, x0, lr, momentum, steps):
    if momentum >= 1 or np.isnan(momentum):
        raise ValueError("no friction: lambda must be < 1")
    out = np.zeros((steps + 1, np.size(x0)))
    out[0] = x0
    for t in range(steps):
        previous_step = out[t] - out[t - 1] if t > 0 else 0.0  # the velocity is the last step
        out[t + 1] = out[t] + (momentum * previous_step - lr * grad(out[t].copy()))
    return out


def minibatches(n, batch_size, rng):
    if batch_size <= 0:
        raise ValueError("batch_size must be positive")
    order = np.arange(n)
    if rng is not None:
        rng.shuffle(order)
    count = -(-n // batch_size)
    return [order[k * batch_size:min(n, (k + 1) * batch_size)] for k in range(count)]


def minibatch_grad(theta, X, y, idx):
    if len(idx) == 0:
        raise ValueError("empty mini-batch")
    rows = np.take(X, idx, axis=0)
    errors = np.einsum("ij,j->i", rows, theta) - np.take(y, idx)
    return np.mean(2.0 * errors[:, None] * rows, axis=0)


def sgd(X, y, grad_fn, lr, batch_size, epochs, seed, momentum=0.0):
    momentum_gd(None, np.zeros(1), 0.0, momentum, 0)  # the same check of the momentum factor
    n, d = np.shape(X)
    generator = np.random.default_rng(seed) if seed is not None else None
    theta, v, updates, history = np.zeros(d), np.zeros(d), 0, []
    for _epoch in range(epochs):
        for batch in minibatches(n, batch_size, generator):
            step_size = lr(updates) if callable(lr) else lr
            v = momentum * v - step_size * grad_fn(theta, X, y, batch)
            theta = theta + v
            updates += 1
        history.append(float(np.mean(np.square(y - X @ theta))))
    return theta, history
