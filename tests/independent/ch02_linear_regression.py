"""An independent, correct chapter-2 submission written differently from solutions/ (tests only)."""
import numpy as np


def mse(y, y_hat):
    d = (np.asarray(y, float) - np.asarray(y_hat, float)).ravel()
    return float(d @ d / d.size)


def sse(y, y_hat):
    d = (np.asarray(y, float) - np.asarray(y_hat, float)).ravel()
    return float(d @ d)


def grad_line_loss(a, b, x, y):
    r = a * np.asarray(x, float) + b - np.asarray(y, float)
    return 2.0 * np.array([r @ x, r.sum()])


def fit_line(x, y):
    x, y = np.asarray(x, float), np.asarray(y, float)
    xc = x - x.mean()
    if not np.any(xc):
        raise ValueError("all x are equal")
    a = (xc @ (y - y.mean())) / (xc @ xc)
    return a, y.mean() - a * x.mean()


def design_matrix(x):
    x = np.asarray(x, float)
    return np.hstack([x.reshape(len(x), -1), np.ones((len(x), 1))])


def least_squares(X, y):
    Q, R = np.linalg.qr(np.asarray(X, float))
    return np.linalg.solve(R, Q.T @ np.asarray(y, float))


def fit_affine(X, Y):
    theta = least_squares(design_matrix(X), Y)
    return theta[:-1].T, theta[-1]


def partials_example(x, y):
    return 4 * x * y + y * y * np.cos(x), 2 * x * x + 2 * np.sin(x) * y


def directional_derivative(f, x, v, h=1e-6):
    step = h * np.asarray(v, float)
    return (f(x + step) - f(x - step)) / (2 * h)


def lp_distance(x, y, p):
    d = np.abs(np.asarray(x, float) - np.asarray(y, float))
    return float(d.max()) if np.isinf(p) else float(np.power(np.power(d, p).sum(), 1.0 / p))


def jensen_gap(f, x, y, alpha):
    return alpha * f(x) + (1 - alpha) * f(y) - f(alpha * x + (1 - alpha) * y)


def first_order_gap(f, df, x, y):
    return f(y) - (f(x) + df(x) * (y - x))
