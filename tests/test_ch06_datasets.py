"""course.datasets.load / load_tfds: tf.data pipelines of image data sets, without any network.

The tensorflow-datasets path runs on ``tfds.testing.mock_data`` (random examples with the real
features); the error path on an empty data_dir with downloads disabled, and with the network probe
made to fail.
"""
import numpy as np
import pytest

from course import datasets

tfds = pytest.importorskip("tensorflow_datasets")

SHAPES = {"mnist": (28, 28, 1), "fashion_mnist": (28, 28, 1), "cifar10": (32, 32, 3)}


def first_batch(dataset):
    images, labels = next(iter(dataset))
    return images.numpy(), labels.numpy()


@pytest.mark.parametrize("name", datasets.TFDS_DATASETS)
def test_tfds_pipeline_on_mock_data(name, tmp_path):
    """The pipeline's images are tensorflow-datasets' uint8 images divided by 255, its labels the
    stored labels (in the stored order with shuffle_seed=None), in batches."""
    with tfds.testing.mock_data(num_examples=10):
        dataset = datasets.load(name, split="test", batch_size=4, shuffle_seed=None, data_dir=tmp_path)
        batches = [(x.numpy(), y.numpy()) for x, y in dataset]
        raw = [(x.numpy(), y.numpy()) for x, y in tfds.load(name, split="test", data_dir=tmp_path,
                                                             as_supervised=True)]
    assert [len(y) for _, y in batches] == [4, 4, 2]  # batched; the last batch is smaller
    images, labels = batches[0]
    assert images.shape == (4, *SHAPES[name]) and images.dtype == np.float32
    assert labels.dtype == np.int64
    raw_images = np.stack([x for x, _ in raw]).astype(np.float32)
    np.testing.assert_array_equal(np.concatenate([x for x, _ in batches]), raw_images / np.float32(255))
    np.testing.assert_array_equal(np.concatenate([y for _, y in batches]), [y for _, y in raw])


def test_tfds_shuffling_is_seeded(tmp_path):
    with tfds.testing.mock_data(num_examples=32):
        def labels(seed):
            dataset = datasets.load_tfds("mnist", batch_size=32, shuffle_seed=seed, data_dir=tmp_path)
            return first_batch(dataset)[1]
        stored = labels(None)
        assert np.array_equal(labels(0), labels(0))
        assert sorted(labels(0)) == sorted(stored) and not np.array_equal(labels(0), stored)


def test_missing_data_without_download_names_the_offline_alternative(tmp_path):
    with pytest.raises(datasets.DatasetUnavailableError) as err:
        datasets.load("mnist", data_dir=tmp_path, download=False)
    message = str(err.value)
    assert "'mnist'" in message and "download=False" in message
    assert "course.datasets.digits()" in message and "load('digits')" in message
    assert list(tmp_path.iterdir()) == []  # nothing downloaded or written


def test_no_network_fails_fast_without_downloading(tmp_path, monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError("network is unreachable")
    monkeypatch.setattr("socket.create_connection", refuse)
    with pytest.raises(datasets.DatasetUnavailableError, match="cannot be reached.*digits"):
        datasets.load_tfds("cifar10", split="train", data_dir=tmp_path)


def test_unknown_names_and_splits():
    with pytest.raises(ValueError, match="unknown data set 'imagenet'"):
        datasets.load("imagenet")
    with pytest.raises(ValueError, match="splits"):
        datasets.load("digits", split="validation")


def test_digits_through_the_same_api():
    x_train, y_train, x_test, y_test = datasets.digits()
    ordered = datasets.load("digits", split="test", batch_size=1000, shuffle_seed=None)
    images, labels = np.concatenate([x for x, _ in ordered]), np.concatenate([y for _, y in ordered])
    np.testing.assert_array_equal(images, x_test)
    np.testing.assert_array_equal(labels, y_test)
    assert images.dtype == np.float32 and labels.dtype == np.int64

    shuffled = datasets.load("digits", batch_size=64, shuffle_seed=3)
    x, y = first_batch(shuffled)
    assert x.shape == (64, 8, 8, 1)
    assert not np.array_equal(first_batch(shuffled)[1], y)  # a new order every epoch...
    np.testing.assert_array_equal(first_batch(datasets.load("digits", batch_size=64, shuffle_seed=3))[1], y)
    assert sum(len(labels) for _, labels in shuffled) == len(y_train)  # ...reproducible from the seed
