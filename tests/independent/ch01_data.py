"""An independent, correct chapter-1 submission written differently from solutions/ (tests only)."""
import numpy as np


def summary_stats(x, y, ddof=1):
    x, y = np.asarray(x, float), np.asarray(y, float)
    n = len(x)
    mx, my = np.sum(x) / n, np.sum(y) / n
    sxx = np.sum(x * x) - n * mx * mx  # one-pass formulas (fine for these well-scaled data)
    syy = np.sum(y * y) - n * my * my
    sxy = np.sum(x * y) - n * mx * my
    # a 2x2 normal-equation solve for the line instead of the covariance ratio
    slope, intercept = np.linalg.solve([[np.sum(x * x), np.sum(x)], [np.sum(x), n]],
                                       [np.sum(x * y), np.sum(y)])
    return dict(mean_x=float(mx), mean_y=float(my), var_x=float(sxx / (n - ddof)),
                var_y=float(syy / (n - ddof)), corr=float(sxy / np.sqrt(sxx) / np.sqrt(syy)),
                slope=float(slope), intercept=float(intercept))


def match_moments(P, mean, std, corr):
    # symmetric square roots (eigendecomposition) instead of Cholesky factors
    std = np.asarray(std, float)
    if abs(corr) >= 1 or np.any(std <= 0):
        raise ValueError("invalid target statistics")
    P = np.asarray(P, float)
    D = P - P.mean(0)
    w, V = np.linalg.eigh(D.T @ D / (len(P) - 1))
    if w.min() <= 1e-12 * max(w.max(), 1e-300):
        raise ValueError("the points are collinear")
    inv_root = V @ np.diag(w ** -0.5) @ V.T
    target = np.outer(std, std) * np.array([[1.0, corr], [corr, 1.0]])
    u, U = np.linalg.eigh(target)
    root = U @ np.diag(np.sqrt(u)) @ U.T
    return D @ inv_root @ root + np.asarray(mean, float)


def fit_periodic(x, y):
    x, y = np.asarray(x, float), np.asarray(y, float)
    Q, R = np.linalg.qr(np.stack([np.sin(x), x, np.ones(len(x))], axis=1))
    return tuple(float(v) for v in np.linalg.solve(R, Q.T @ y))


def fit_spiral(x, y):
    angle = np.arctan2(y, x)
    steps = np.diff(angle)
    turns = np.concatenate([[0.0], np.cumsum(steps < -np.pi) - np.cumsum(steps > np.pi)])
    theta = angle + 2 * np.pi * turns + (2 * np.pi if angle[0] < 0 else 0.0)
    r = np.sqrt(np.asarray(x, float) ** 2 + np.asarray(y, float) ** 2)
    return float(np.dot(r, theta) / np.dot(theta, theta))


def distance_contrast(X):
    X = np.asarray(X, float)
    i, j = np.triu_indices(len(X), k=1)
    d = np.linalg.norm(X[i] - X[j], axis=1)
    spread = np.sqrt(np.mean((d - d.mean()) ** 2)) / d.mean()
    lo = d.min()
    return float(spread), float("inf") if lo == 0 else float(d.max() / lo - 1.0)


def fit_features(image, feature_images):
    F = np.array([np.ravel(f) for f in feature_images], float)
    return np.linalg.solve(F @ F.T, F @ np.ravel(image))


def make_swiss_roll(n, seed):
    rng = np.random.default_rng(seed)
    draws = rng.random((2, n))  # another draw order than the answer key
    h, t = 21 * draws[0], 1.5 * np.pi + 3 * np.pi * draws[1]
    return np.stack([t * np.cos(t), h, t * np.sin(t)], axis=1), t
