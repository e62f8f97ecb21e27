"""An independent, correct chapter-7 submission written differently from solutions/ (tests only)."""
import keras
import numpy as np


def l1_penalty(weights, lam):
    return float(sum(lam * np.linalg.norm(np.ravel(w), 1) for w in weights))


def l2_penalty(weights, lam):
    flat = np.concatenate([np.ravel(np.asarray(w, float)) for w in weights])
    return float(lam * flat @ flat)


def project_l2_ball(v, r):
    if r < 0:
        raise ValueError("negative radius")
    v = np.array(v, dtype=float)
    norm = np.sqrt(np.sum(v * v))
    return v * (r / max(norm, r)) if norm > 0 else v


def project_l1_ball(v, r):
    if r < 0:
        raise ValueError("negative radius")
    v = np.array(v, dtype=float)
    a = np.abs(v)
    if a.sum() <= r:
        return v
    lo, hi = 0.0, a.max()  # bisection on the threshold, then the exact one on the found support
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        lo, hi = (mid, hi) if np.maximum(a - mid, 0).sum() > r else (lo, mid)
    support = a > hi
    theta = (a[support].sum() - r) / support.sum() if support.any() else a.max()
    return np.copysign(np.clip(a - theta, 0, None), v)


def early_stopping(val_losses, patience, min_delta=0.0):
    losses = list(val_losses)
    best_epoch = 0
    for epoch in range(1, len(losses)):
        if losses[epoch] < losses[best_epoch] - min_delta:
            best_epoch = epoch
        elif epoch - best_epoch >= patience:  # epochs since the best = the wait counter
            return epoch, best_epoch
    return None, best_epoch


def bn_forward(x, gamma, beta, eps=1e-5):
    x = np.asarray(x, float)
    mu = np.einsum("ij->j", x) / len(x)
    var = np.einsum("ij,ij->j", x - mu, x - mu) / len(x)
    y = np.asarray(gamma) * (x - mu) / np.sqrt(var + eps) + np.asarray(beta)
    return y, {"x": x, "mu": mu, "var": var, "gamma": np.asarray(gamma, float), "eps": eps}


def bn_backward(dy, cache):
    x, mu, var, gamma, eps = (cache[k] for k in ("x", "mu", "var", "gamma", "eps"))
    m = len(x)
    std = np.sqrt(var + eps)
    xhat = (x - mu) / std
    dbeta = dy.sum(axis=0)
    dgamma = (dy * xhat).sum(axis=0)
    dx = gamma / (m * std) * (m * dy - dbeta - xhat * dgamma)
    return dx, dgamma, dbeta


class BatchNorm(keras.layers.Layer):
    """Batch normalization with moving statistics."""

    def __init__(self, momentum=0.99, epsilon=1e-3, **kwargs):
        super().__init__(**kwargs)
        self.momentum, self.epsilon = momentum, epsilon

    def build(self, input_shape):
        c = (int(input_shape[-1]),)
        self.gamma = self.add_weight(shape=c, initializer=keras.initializers.Ones())
        self.beta = self.add_weight(shape=c, initializer=keras.initializers.Zeros())
        self.moving_mean = self.add_weight(shape=c, initializer=keras.initializers.Zeros(), trainable=False)
        self.moving_variance = self.add_weight(shape=c, initializer=keras.initializers.Ones(),
                                               trainable=False)

    def call(self, x, training=False):
        mean, variance = self.moving_mean, self.moving_variance
        if training:
            mean, variance = keras.ops.moments(x, axes=list(range(len(x.shape) - 1)))
            keep = self.momentum
            self.moving_mean.assign(self.moving_mean + (1 - keep) * (mean - self.moving_mean))
            self.moving_variance.assign(self.moving_variance + (1 - keep) * (variance - self.moving_variance))
        scale = self.gamma * keras.ops.rsqrt(variance + self.epsilon)
        return x * scale + (self.beta - mean * scale)

    def get_config(self):
        config = super().get_config()
        config.update(momentum=self.momentum, epsilon=self.epsilon)
        return config


def normalize(x, mode="batch", groups=None, eps=1e-5):
    x = np.asarray(x, float)
    n, h, w, c = x.shape
    if mode == "batch":
        z = np.moveaxis(x, 3, 0).reshape(c, -1)
        z = (z - z.mean(1, keepdims=True)) / np.sqrt(z.var(1, keepdims=True) + eps)
        return np.moveaxis(z.reshape(c, n, h, w), 0, 3)
    sizes = {"layer": 1, "instance": c, "group": groups}
    if mode not in sizes:
        raise ValueError(mode)
    g = sizes[mode]
    if not g or c % g:
        raise ValueError("groups must divide the channels")
    z = x.reshape(n, h * w, g, c // g).transpose(0, 2, 1, 3).reshape(n, g, -1)
    z = (z - z.mean(-1, keepdims=True)) / np.sqrt(z.var(-1, keepdims=True) + eps)
    return z.reshape(n, g, h * w, c // g).transpose(0, 2, 1, 3).reshape(x.shape)


def dropout_forward(x, keep_prob, rng, training=True):
    if keep_prob <= 0 or keep_prob > 1:
        raise ValueError("keep_prob")
    x = np.array(x, dtype=float)
    if training:
        x = x * rng.binomial(1, keep_prob, size=x.shape) / keep_prob
    return x


class FrobeniusBall(keras.constraints.Constraint):
    """W <- W min(1, c / ||W||_F)."""

    def __init__(self, c):
        self.c = c

    def __call__(self, w):
        norm = keras.ops.norm(keras.ops.reshape(w, (-1,)))
        return w * (self.c / keras.ops.maximum(norm, self.c))

    def get_config(self):
        return dict(c=self.c)


class MyEarlyStopping(keras.callbacks.Callback):
    """Early stopping; the wait counter is the number of epochs since the best one."""

    def __init__(self, monitor="val_loss", patience=0, min_delta=0.0, restore_best_weights=False):
        super().__init__()
        self.monitor, self.patience, self.min_delta = monitor, patience, min_delta
        self.restore_best_weights = restore_best_weights

    def on_train_begin(self, logs=None):
        self.history, self.best_epoch, self.stopped_epoch, self.saved = [], 0, 0, None

    def on_epoch_end(self, epoch, logs=None):
        value = logs[self.monitor]
        if not self.history or value < min(self.history_best()) - self.min_delta:
            self.best_epoch = epoch
            self.saved = [np.array(w) for w in self.model.get_weights()]
        elif epoch - self.best_epoch >= self.patience and epoch > 0:
            self.stopped_epoch = epoch
            self.model.stop_training = True
        self.history.append((epoch, value))

    def history_best(self):
        return [v for e, v in self.history if e == self.best_epoch]

    def on_train_end(self, logs=None):
        if self.restore_best_weights and self.saved is not None:
            self.model.set_weights(self.saved)


def gd_quadratic(H, w_star, alpha, tau):
    lam, Q = np.linalg.eigh(np.asarray(H, float))
    return Q @ ((1 - (1 - alpha * lam) ** tau) * (Q.T @ np.asarray(w_star, float)))


def ridge_solution(H, w_star, lam):
    ev, Q = np.linalg.eigh(np.asarray(H, float))
    return Q @ (ev / (ev + lam) * (Q.T @ np.asarray(w_star, float)))


def double_descent_curve(X, y, X_test, y_test, widths, W):
    out = np.zeros((2, len(widths)))
    for k, p in enumerate(widths):
        feats = [np.clip(np.asarray(A) @ np.asarray(W)[:, :p], 0, None) for A in (X, X_test)]
        c = np.linalg.pinv(feats[0]) @ y
        out[:, k] = [np.mean((feats[0] @ c - y) ** 2), np.mean((feats[1] @ c - y_test) ** 2)]
    return out[0], out[1]
