"""Datasets of the course. Everything here is offline and seeded with ``np.random.default_rng(seed)``,
except mnist, fashion_mnist and cifar10, which ``load`` reads through tensorflow-datasets (chapter 6).

Arrays have samples as rows. Generators are grouped by the chapter that introduces them.
"""
import numpy as np

# --------------------------------------------------------------------------------------------------
# Chapter 1 - data

# Anscombe (1973), "Graphs in statistical analysis", The American Statistician 27(1): 17-21.
_ANSCOMBE_X = (10.0, 8.0, 13.0, 9.0, 11.0, 14.0, 6.0, 4.0, 12.0, 7.0, 5.0)
_ANSCOMBE = {
    "I": (_ANSCOMBE_X, (8.04, 6.95, 7.58, 8.81, 8.33, 9.96, 7.24, 4.26, 10.84, 4.82, 5.68)),
    "II": (_ANSCOMBE_X, (9.14, 8.14, 8.74, 8.77, 9.26, 8.10, 6.13, 3.10, 9.13, 7.26, 4.74)),
    "III": (_ANSCOMBE_X, (7.46, 6.77, 12.74, 7.11, 7.81, 8.84, 6.08, 5.39, 8.15, 6.42, 5.73)),
    "IV": ((8.0, 8.0, 8.0, 8.0, 8.0, 8.0, 8.0, 19.0, 8.0, 8.0, 8.0),
           (6.58, 5.76, 7.71, 8.84, 8.47, 7.04, 5.25, 12.50, 5.56, 7.91, 6.89)),
}
# Their common statistics (Fig 1.1): mean, sample std (ddof=1) of x and y, and the correlation.
ANSCOMBE_STATS = {"mean": (9.0, 7.5), "std": (11.0 ** 0.5, 4.125 ** 0.5), "corr": 0.816}


def anscombe():
    """Anscombe's quartet (Fig 1.1): four sets of 11 points with (almost) the same statistics.

    Every set has mean x 9, mean y 7.50, sample variance of x 11, of y 4.12-4.13, correlation 0.816
    and least-squares line ``y = 3.00 + 0.500 x``; plotted, they look nothing alike.

    Returns:
        dict ``"I"``, ``"II"``, ``"III"``, ``"IV"`` -> ``(x, y)``, float64 arrays of shape ``(11,)``.
    """
    return {name: (np.array(x), np.array(y)) for name, (x, y) in _ANSCOMBE.items()}


def _unit_shape(name, n, rng):
    """``n`` points of a named 2-D shape, before its statistics are fixed."""
    t = rng.uniform(0.0, 2.0 * np.pi, n)
    s = rng.uniform(-1.0, 1.0, n)
    jitter = 0.03 * rng.standard_normal((n, 2))
    if name == "circle":
        points = np.column_stack([np.cos(t), np.sin(t)])
    elif name == "cross":
        arm = rng.integers(0, 2, n)
        points = np.column_stack([np.where(arm == 0, s, 0.0), np.where(arm == 1, s, 0.0)])
    elif name == "lines":
        points = np.column_stack([s, rng.integers(0, 3, n) - 1.0])
    elif name == "clusters":
        centres = np.array([[-1.0, -1.0], [1.0, -0.5], [0.0, 1.0]])
        points = centres[rng.integers(0, 3, n)] + 0.15 * rng.standard_normal((n, 2))
    elif name == "parabola":
        points = np.column_stack([s, s ** 2])
    elif name == "gaussian":
        points = rng.standard_normal((n, 2))
    else:
        raise ValueError(f"unknown shape {name!r}")
    return points + jitter


SAME_STATS_SHAPES = ("circle", "cross", "lines", "clusters", "parabola")


def same_stats_sets(shapes=SAME_STATS_SHAPES, n=120, mean=ANSCOMBE_STATS["mean"],
                    std=ANSCOMBE_STATS["std"], corr=ANSCOMBE_STATS["corr"], seed=0):
    """Point clouds of different shapes with EXACTLY the same statistics (Figs 1.2, 1.3).

    Each shape (``"circle"``, ``"cross"``, ``"lines"``, ``"clusters"``, ``"parabola"``, or
    ``"gaussian"`` for the unstructured clouds of Fig 1.2) is drawn, then moved by the affine map of
    ``course.ch01_data.match_moments`` onto the target mean, sample std (ddof=1) and correlation
    (default: Anscombe's). An affine map keeps straight lines straight, so the shapes stay visible.

    Returns:
        dict shape name -> ``(n, 2)`` float64 array.
    """
    from course.ch01_data import match_moments

    rng = np.random.default_rng(seed)
    return {name: match_moments(_unit_shape(name, n, rng), mean, std, corr) for name in shapes}


def periodic_data(n=100, a=2.0, b=0.5, c=1.0, noise=0.1, seed=0):
    """Data from the prior-knowledge model ``y = a sin x + b x + c`` plus ``noise * N(0, 1)``.

    Returns:
        (x, y), arrays of shape ``(n,)``; ``x`` uniform on ``[0, 4 pi]`` and sorted.
    """
    rng = np.random.default_rng(seed)
    x = np.sort(rng.uniform(0.0, 4.0 * np.pi, n))
    return x, a * np.sin(x) + b * x + c + noise * rng.standard_normal(n)


def spiral(n=300, a=0.5, turns=3.0, t_start=0.5, noise=0.0, seed=0):
    """Archimedean spiral, the corrected (1.3): ``(x, y) = a t (cos t, sin t)``, i.e. ``r = a theta`` (1.4).

    The notes print ``a (cos t, sin t) (a - t)``, whose radius ``a |a - t|`` is not ``a t``.

    Args:
        n: number of points; a: growth per radian; turns: number of turns covered by ``t``.
        t_start: first value of ``t`` (radians); noise: std of isotropic Gaussian noise on the points.

    Returns:
        (X, t): points of shape ``(n, 2)`` ordered by ``t``, and ``t`` of shape ``(n,)``, sorted, uniform
        on ``[t_start, t_start + 2 pi turns]``.
    """
    rng = np.random.default_rng(seed)
    t = np.sort(rng.uniform(t_start, t_start + 2.0 * np.pi * turns, n))
    X = a * t[:, None] * np.column_stack([np.cos(t), np.sin(t)])
    return X + noise * rng.standard_normal((n, 2)), t


def swiss_roll(n=1000, height=21.0, noise=0.0, seed=0):
    """Swiss roll (Fig 1.12): a rolled-up rectangle, a 2-D manifold in R^3.

    ``t = 1.5 pi (1 + 2 u)`` with ``u`` uniform on [0, 1) (1.5 to 4.5 half-turns), height ``h`` uniform
    on ``[0, height)``, point ``(t cos t, h, t sin t)``; as in scikit-learn's ``make_swiss_roll``.

    Returns:
        (X, t): points ``(n, 3)`` (plus ``noise * N(0, 1)``) and the roll coordinate ``t`` ``(n,)``.
    """
    rng = np.random.default_rng(seed)
    t = 1.5 * np.pi * (1.0 + 2.0 * rng.uniform(size=n))
    h = height * rng.uniform(size=n)
    X = np.column_stack([t * np.cos(t), h, t * np.sin(t)])
    return X + noise * rng.standard_normal((n, 3)), t


def feature_images(size=32):
    """Example 1.2: an image made of three features (1.5)-(1.6).

    The features are indicator images: a large square, a small square inside it, and a vertical
    line. The image is the large square in grey (0.5), the small square white (1.0) and the line
    black (0.0): ``image = 0.5 big + 0.5 small - 0.5 line``, 3 coefficients instead of ``size**2``
    pixel values (the line lies inside the big square, outside the small one).

    Returns:
        (image, features, alpha): ``(size, size)``, ``(3, size, size)`` and ``(3,)``, with
        ``image == np.tensordot(alpha, features, 1)``.
    """
    features = np.zeros((3, size, size))
    q = size // 8
    features[0, q:size - q, q:size - q] = 1.0
    features[1, 2 * q:4 * q, 2 * q:4 * q] = 1.0
    features[2, q:size - q, 6 * q - 1] = 1.0
    alpha = np.array([0.5, 0.5, -0.5])
    return np.tensordot(alpha, features, 1), features, alpha


# --------------------------------------------------------------------------------------------------
# Chapter 2 - linear regression


def linear_data(n=50, a=2.0, b=-1.0, noise=0.5, seed=0):
    """Noisy line (2.2): ``y = a x + b + noise * N(0, 1)`` with ``x`` uniform on ``[-2, 2]``.

    Returns:
        (x, y), float64 arrays of shape ``(n,)``.
    """
    rng = np.random.default_rng(seed)
    x = rng.uniform(-2.0, 2.0, n)
    return x, a * x + b + noise * rng.standard_normal(n)


def affine_data(n=100, d_in=3, d_out=2, noise=0.1, seed=0):
    """Multi-output affine data (2.43) in row form: ``Y = X A^T + b + noise * N(0, 1)``.

    ``X``, ``A`` and ``b`` have standard normal entries.

    Returns:
        (X, Y, A, b) with shapes ``(n, d_in)``, ``(n, d_out)``, ``(d_out, d_in)``, ``(d_out,)``.
    """
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d_in))
    A = rng.standard_normal((d_out, d_in))
    b = rng.standard_normal(d_out)
    return X, X @ A.T + b + noise * rng.standard_normal((n, d_out)), A, b


# --------------------------------------------------------------------------------------------------
# Chapter 3 - nonlinear models, regularization, classification


def true_poly_function(x):
    """The function behind ``classic_poly_data``: ``cos(1.5 pi x)``."""
    return np.cos(1.5 * np.pi * np.asarray(x, dtype=float))


def classic_poly_data(n=30, noise=0.1, seed=0):
    """The classic under/overfitting data (Fig. 3.3): ``y = cos(1.5 pi x) + noise * N(0, 1)``.

    Returns:
        (x, y), arrays of shape ``(n,)``; ``x`` is uniform on ``[0, 1]`` and sorted.
    """
    rng = np.random.default_rng(seed)
    x = np.sort(rng.uniform(0.0, 1.0, n))
    return x, true_poly_function(x) + noise * rng.standard_normal(n)


def sparse_linear_data(n=50, d=8, n_active=3, noise=0.5, seed=0):
    """Linear data with a sparse truth, for regularization paths: ``y = X theta + noise * N(0, 1)``.

    ``X`` is standard normal; ``theta`` has ``n_active`` nonzero entries (the first ones), each
    ``+-`` uniform on ``[1, 3]``, and zeros elsewhere.

    Returns:
        (X, y, theta) with shapes ``(n, d)``, ``(n,)``, ``(d,)``.
    """
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d))
    theta = np.zeros(d)
    theta[:n_active] = rng.choice([-1.0, 1.0], n_active) * rng.uniform(1.0, 3.0, n_active)
    return X, X @ theta + noise * rng.standard_normal(n), theta


def logistic_1d(n=200, seed=0):
    """Two overlapping 1-D classes: ``x ~ N(-1, 1)`` with label 0 and ``x ~ N(1, 1)`` with label 1.

    The first ``n // 2`` samples are drawn for class 0, the rest for class 1, then all are shuffled.

    Returns:
        (x, y): ``x`` float64 of shape ``(n,)``, ``y`` int64 labels in ``{0, 1}``.
    """
    rng = np.random.default_rng(seed)
    y = np.repeat([0, 1], [n // 2, n - n // 2])
    x = rng.standard_normal(n) + np.where(y == 1, 1.0, -1.0)
    order = rng.permutation(n)
    return x[order], y[order]


# --------------------------------------------------------------------------------------------------
# Chapter 4 - stochastic gradient descent


def quadratic_bowl(kappa=10.0, angle=np.pi / 6, minimum=(1.0, -0.5)):
    """An ill-conditioned 2-D bowl ``f(x) = 1/2 x^T A x - b^T x`` with condition number ``kappa``.

    ``A = R diag(1, kappa) R^T`` with ``R`` the rotation by ``angle``; ``b = A @ minimum``, so the
    minimiser ``A^-1 b`` is ``minimum``. Gradient descent converges for ``lr < 2 / kappa`` (the
    largest eigenvalue is ``L = kappa``).

    Returns:
        (A, b): ``(2, 2)`` symmetric positive definite and ``(2,)``.
    """
    c, s = np.cos(angle), np.sin(angle)
    R = np.array([[c, -s], [s, c]])
    A = R @ np.diag([1.0, kappa]) @ R.T
    return A, A @ np.asarray(minimum, dtype=float)


# --------------------------------------------------------------------------------------------------
# Images (chapters 5-8): scikit-learn's bundled 8x8 digits, no download needed


def digits(test_fraction=0.25, seed=0, flat=False):
    """scikit-learn's 8x8 handwritten digits (1797 images), scaled to [0, 1], split reproducibly.

    Args:
        test_fraction: fraction of the samples held out (stratified by class).
        seed: seed of the split.
        flat: return images as rows of 64 features instead of NHWC ``(n, 8, 8, 1)``.

    Returns:
        (x_train, y_train, x_test, y_test): float32 images and int64 labels in 0..9.
    """
    from sklearn.datasets import load_digits

    data = load_digits()
    x = (data.images / 16.0).astype(np.float32)
    y = data.target.astype(np.int64)
    rng = np.random.default_rng(seed)
    test = np.zeros(len(y), dtype=bool)
    for label in np.unique(y):
        members = rng.permutation(np.flatnonzero(y == label))
        test[members[: int(round(test_fraction * len(members)))]] = True
    x = x.reshape(len(x), 64) if flat else x[..., None]
    return x[~test], y[~test], x[test], y[test]


# --------------------------------------------------------------------------------------------------
# Chapter 8 - generative models

SPRITE_SHAPES = ("square", "circle", "triangle")


def sprites(n=1000, size=16, seed=0, shapes=SPRITE_SHAPES, scale_range=(0.25, 0.5)):
    """A procedural sprite data set with known generative factors (for latent traversals).

    Each image is ``size x size``, black (0) with one white (1) shape whose factors are drawn
    independently and uniformly: the shape (an index into ``shapes``: square, circle, triangle), the
    scale (the half-width as a fraction of the image side, in ``scale_range``) and the centre
    ``(x, y)`` in image coordinates (fractions of the side, chosen so that the shape stays inside).
    A pixel is on when its centre lies inside the shape: squares ``max(|dx|, |dy|) <= r``, circles
    ``dx^2 + dy^2 <= r^2``, upward triangles ``dy <= r``, ``|dx| <= (dy + r) / 2`` (``dy`` downwards).

    Args:
        n: number of images; size: side in pixels; seed: seed of the factors.

    Returns:
        (images float32 ``(n, size, size)`` in {0, 1}, factors dict of arrays ``shape`` (int),
        ``scale``, ``x``, ``y`` (floats, fractions of the side)).
    """
    rng = np.random.default_rng(seed)
    shape = rng.integers(0, len(shapes), n)
    scale = rng.uniform(*scale_range, n)
    x = rng.uniform(scale, 1 - scale)
    y = rng.uniform(scale, 1 - scale)
    centres = (np.arange(size) + 0.5) / size
    dx = centres[None, None, :] - x[:, None, None]
    dy = centres[None, :, None] - y[:, None, None]
    r = scale[:, None, None]
    masks = {"square": np.maximum(np.abs(dx), np.abs(dy)) <= r,
             "circle": dx ** 2 + dy ** 2 <= r ** 2,
             "triangle": (dy <= r) & (np.abs(dx) <= (dy + r) / 2)}
    images = np.zeros((n, size, size), dtype=np.float32)
    for index, name in enumerate(shapes):
        chosen = shape == index
        images[chosen] = masks[name][chosen]
    return images, {"shape": shape, "scale": scale, "x": x, "y": y}


# --------------------------------------------------------------------------------------------------
# Chapter 7 - regularization


def double_descent_data(n=100, d=10, n_test=1000, noise=0.3, seed=0):
    """Regression data for double descent (Fig. 7.10): ``y = 2 tanh(x^T beta) + noise * N(0, 1)``.

    ``x ~ N(0, I_d)`` and ``beta ~ N(0, I_d / d)`` (so ``x^T beta`` is about standard normal).

    Returns:
        (X, y, X_test, y_test): shapes ``(n, d)``, ``(n,)``, ``(n_test, d)``, ``(n_test,)``.
    """
    rng = np.random.default_rng(seed)
    beta = rng.standard_normal(d) / np.sqrt(d)
    X = rng.standard_normal((n, d))
    X_test = rng.standard_normal((n_test, d))
    y = 2.0 * np.tanh(X @ beta) + noise * rng.standard_normal(n)
    y_test = 2.0 * np.tanh(X_test @ beta) + noise * rng.standard_normal(n_test)
    return X, y, X_test, y_test


def random_relu_weights(d, p_max, seed=0):
    """Random directions of the random ReLU features: ``(d, p_max)`` with ``N(0, 1/d)`` entries."""
    return np.random.default_rng(seed).standard_normal((d, p_max)) / np.sqrt(d)


# --------------------------------------------------------------------------------------------------
# Chapter 5 - MLP and back-propagation


def sine_data(n=64, noise=0.1, seed=0):
    """Noisy sine on ``[-pi, pi]`` for small MLP regressions: ``y = sin(x) + noise * N(0, 1)``.

    Returns:
        (x, y), float64 arrays of shape ``(n,)``; ``x`` is uniform on ``[-pi, pi]`` and sorted.
    """
    rng = np.random.default_rng(seed)
    x = np.sort(rng.uniform(-np.pi, np.pi, n))
    return x, np.sin(x) + noise * rng.standard_normal(n)


# --------------------------------------------------------------------------------------------------
# Chapter 6 - image classification data sets as tf.data pipelines: the offline digits, and mnist,
# fashion_mnist and cifar10 through tensorflow-datasets (downloaded once, then read from disk)

TFDS_DATASETS = ("mnist", "fashion_mnist", "cifar10")
IMAGE_DATASETS = ("digits",) + TFDS_DATASETS
_SHUFFLE_BUFFER = 10_000
_DOWNLOAD_HOST = ("storage.googleapis.com", 443)  # where tensorflow-datasets fetches prepared data


class DatasetUnavailableError(RuntimeError):
    """A tensorflow-datasets data set is not on disk and cannot be downloaded now."""


def load(name, split="train", batch_size=128, shuffle_seed=0, data_dir=None, download=True):
    """An image classification data set as a batched, prefetched ``tf.data.Dataset``.

    The one entry point for image data: every name gives the same pipeline, so code written for the
    offline ``"digits"`` runs unchanged on ``"mnist"``, ``"fashion_mnist"`` or ``"cifar10"``.
    Elements are pairs ``(images, labels)``: float32 images NHWC in ``[0, 1]`` (digits
    ``(B, 8, 8, 1)``, mnist and fashion_mnist ``(B, 28, 28, 1)``, cifar10 ``(B, 32, 32, 3)``) and int64
    labels ``(B,)`` in ``0..9``; the last batch may be smaller. The arrays of the digits are
    ``digits()``'s (its seed-0 split); the other three are read through tensorflow-datasets (see
    ``load_tfds``). The other generators of this module are plain functions with their own parameters.

    Backends: TensorFlow only (a ``tf.data`` pipeline; its numpy batches feed ``fit`` under any backend,
    and ``digits()`` gives the arrays themselves).

    Args:
        name: one of ``IMAGE_DATASETS``.
        split: ``"train"`` or ``"test"`` (tensorflow-datasets also takes slices, e.g. ``"train[:10%]"``).
        batch_size: examples per batch.
        shuffle_seed: seed of the shuffling (reshuffled every epoch, reproducibly); None keeps the
            stored order (e.g. for evaluation).
        data_dir, download: where tensorflow-datasets keeps its data, and whether it may download
            (ignored for the digits).

    Raises:
        ValueError: for an unknown name, or a split the digits do not have.
        DatasetUnavailableError: when a tensorflow-datasets set is neither on disk nor downloadable.
    """
    if name == "digits":
        if split not in ("train", "test"):
            raise ValueError(f"the digits have the splits 'train' and 'test', not {split!r}")
        x_train, y_train, x_test, y_test = digits()
        images, labels = (x_train, y_train) if split == "train" else (x_test, y_test)
        import tensorflow as tf

        return _batched(tf.data.Dataset.from_tensor_slices((images, labels)), batch_size, shuffle_seed)
    return load_tfds(name, split, batch_size, shuffle_seed, data_dir, download)


def load_tfds(name, split="train", batch_size=128, shuffle_seed=0, data_dir=None, download=True):
    """mnist, fashion_mnist or cifar10 through tensorflow-datasets, as ``load`` describes.

    The data are read from ``data_dir`` (tensorflow-datasets' default: ``~/tensorflow_datasets``);
    when they are not there and ``download`` is true, they are downloaded and prepared once (about
    20 MB for mnist, 170 MB for cifar10). Without network access this fails fast, after one
    connection attempt, instead of retrying for minutes. Never substitutes other data.

    Backends: TensorFlow only (tensorflow-datasets and ``tf.data``).

    Raises:
        ValueError: for a name that is not in ``TFDS_DATASETS``.
        DatasetUnavailableError: when the data are not on disk and ``download`` is false, there is no
            network, or the download fails; the message names the offline alternative.
    """
    if name not in TFDS_DATASETS:
        raise ValueError(f"unknown data set {name!r}; tensorflow-datasets sets: {', '.join(TFDS_DATASETS)} "
                         f"(all image sets: {', '.join(IMAGE_DATASETS)})")
    import tensorflow as tf
    import tensorflow_datasets as tfds

    options = dict(split=split, data_dir=data_dir, as_supervised=True,
                   shuffle_files=shuffle_seed is not None,
                   read_config=tfds.ReadConfig(shuffle_seed=shuffle_seed))

    def unavailable(reason):
        return DatasetUnavailableError(
            f"{name!r} (split {split!r}) is not available: {reason}. Load it once on a machine with "
            f"network access (course.datasets.load({name!r}) downloads it into data_dir), or use the "
            "offline 8x8 digits: course.datasets.load('digits') or course.datasets.digits()")

    try:
        dataset = tfds.load(name, download=False, **options)
    except AssertionError as missing:  # tensorflow-datasets' "could not find data in ..."
        if not download:
            raise unavailable(f"not found in {data_dir or 'the default data_dir'} and download=False") \
                from missing
        dataset = None
    if dataset is None:
        if not _host_reachable(_DOWNLOAD_HOST):
            raise unavailable(f"not on disk, and {_DOWNLOAD_HOST[0]} cannot be reached (no network?)")
        try:
            dataset = tfds.load(name, download=True, **options)
        except (OSError, ImportError, tfds.download.DownloadError) as failed:
            raise unavailable(f"the download failed ({type(failed).__name__}: {failed})") from failed

    def scale(images, labels):
        return tf.cast(images, tf.float32) / 255.0, tf.cast(labels, tf.int64)

    return _batched(dataset.map(scale, num_parallel_calls=tf.data.AUTOTUNE), batch_size, shuffle_seed)


def _batched(dataset, batch_size, shuffle_seed):
    """Shuffle (unless the seed is None), batch and prefetch a tf.data pipeline of examples."""
    import tensorflow as tf

    if shuffle_seed is not None:
        dataset = dataset.shuffle(_SHUFFLE_BUFFER, seed=shuffle_seed, reshuffle_each_iteration=True)
    return dataset.batch(batch_size).prefetch(tf.data.AUTOTUNE)


def _host_reachable(address, timeout=5.0):
    """Whether a TCP connection to ``(host, port)`` opens within ``timeout`` seconds."""
    import socket

    try:
        socket.create_connection(address, timeout=timeout).close()
    except OSError:
        return False
    return True
