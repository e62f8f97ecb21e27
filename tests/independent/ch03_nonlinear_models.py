"""An independent, correct chapter-3 submission written differently from solutions/ (tests only)."""
import numpy as np


def poly_features(x, k):
    return np.asarray(x, float)[:, None] ** np.arange(k, -1, -1)


def fit_poly(x, y, k):
    if len(set(np.asarray(x).tolist())) < k + 1:
        raise ValueError("not enough distinct points")
    Q, R = np.linalg.qr(poly_features(x, k))
    return np.linalg.solve(R, Q.T @ np.asarray(y, float))


def train_mse_by_degree(x, y, degrees):
    return np.array([np.mean((np.polyval(fit_poly(x, y, d), x) - y) ** 2) for d in degrees])


def kfold_indices(n, k, seed):
    order = np.random.default_rng(seed).permutation(n)
    label = np.arange(n) % k
    return [(np.sort(order[label != j]), order[label == j]) for j in range(k)]


def cross_val_mse(x, y, degree, k, seed):
    x, y = np.asarray(x, float), np.asarray(y, float)
    errors = [np.mean((np.polyval(fit_poly(x[tr], y[tr], degree), x[va]) - y[va]) ** 2)
              for tr, va in kfold_indices(len(x), k, seed)]
    return float(np.mean(errors))


def ridge(X, y, lam, penalize_bias=True):
    X = np.asarray(X, float)
    weights = np.full(X.shape[1], np.sqrt(lam))
    if not penalize_bias:
        weights[-1] = 0.0
    augmented = np.vstack([X, np.diag(weights)])
    target = np.concatenate([np.asarray(y, float), np.zeros(X.shape[1])])
    return np.linalg.lstsq(augmented, target, rcond=None)[0]


def lasso_ista(X, y, lam, lr, iters):
    X, y = np.asarray(X, float), np.asarray(y, float)
    theta = np.zeros(X.shape[1])
    t = lr * lam
    for _ in range(iters):
        u = theta + 2 * lr * X.T @ (y - X @ theta)
        theta = u - np.clip(u, -t, t)
    return theta


def sigmoid(z):
    return 0.5 * (1.0 + np.tanh(0.5 * np.asarray(z, float)))


def sigmoid_grad(z):
    z = np.asarray(z, float)
    return sigmoid(z) * sigmoid(-z)


def _softplus(t):
    return np.maximum(t, 0) + np.log1p(np.exp(-np.abs(t)))


def bce(a, b, x, y):
    z = a * np.asarray(x, float) + b
    y = np.asarray(y, float)
    return float(np.sum(y * _softplus(-z) + (1 - y) * _softplus(z)))


def bce_grad(a, b, x, y):
    x = np.asarray(x, float)
    r = sigmoid(a * x + b) - np.asarray(y, float)
    return float(r @ x), float(r.sum())


def predict(a, b, x):
    return np.where(a * np.asarray(x, float) + b > 0, 1, 0)


def fit_logistic_gd(x, y, lr, iters):
    params = np.zeros(2)
    for _ in range(iters):
        params -= lr * np.array(bce_grad(params[0], params[1], x, y)) / len(x)
    return float(params[0]), float(params[1])
