"""Appendix A reference library: closed forms against numpy, Keras layers as linear/affine maps."""
import numpy as np
import pytest

from course import plots
from course import appendix_a_linear_algebra as ref
from solutions import appendix_a_linear_algebra as sol


def test_matrix_of_map_recovers_the_matrix():
    A = np.random.default_rng(0).standard_normal((3, 4))
    np.testing.assert_allclose(ref.matrix_of_map(lambda x: A @ x, 4), A, rtol=1e-14)


def test_products_and_projections_agree_with_numpy_and_the_key():
    rng = np.random.default_rng(1)
    X, Y = rng.standard_normal((4, 3)), rng.standard_normal((3, 5))
    np.testing.assert_allclose(ref.product_by_columns(X, Y), X @ Y, rtol=1e-12)
    total, terms = ref.product_by_outer_products(X, Y)
    np.testing.assert_allclose(total, X @ Y, rtol=1e-12)
    assert [np.linalg.matrix_rank(t) for t in terms] == [1, 1, 1]
    a, b = rng.standard_normal(4), rng.standard_normal(4)
    v, s = ref.project_onto_line(a, b)
    np.testing.assert_allclose(v, sol.vector_projection(a, b), rtol=1e-12)
    assert s == pytest.approx(sol.scalar_projection(a, b), rel=1e-12)


def test_semi_orthogonal_and_projector():
    W = ref.random_semi_orthogonal(5, 2, seed=2)
    cols, rows, proj = ref.orthogonality_report(W)
    assert cols < 1e-12 and proj < 1e-12 and rows > 0.1
    np.testing.assert_allclose(ref.projector(3.0 * W), W @ W.T, atol=1e-12)  # same column space


@pytest.mark.slow
def test_keras_dense_is_linear_only_without_bias_and_orthogonal_initializer():
    import keras

    layer, W = ref.dense_as_matrix(3, 2, use_bias=False, seed=0)
    x = np.random.default_rng(3).standard_normal((4, 3)).astype("float32")
    np.testing.assert_allclose(keras.ops.convert_to_numpy(layer(x)), x @ W.T, rtol=1e-5, atol=1e-6)
    f = lambda v: keras.ops.convert_to_numpy(layer(v[None].astype("float32")))[0].astype(float)
    np.testing.assert_allclose(ref.matrix_of_map(f, 3), W, rtol=1e-6)  # float32: linear up to rounding
    biased, _ = ref.dense_as_matrix(3, 2, use_bias=True, seed=0)
    biased.bias.assign(np.ones(2, "float32"))
    g = lambda v: keras.ops.convert_to_numpy(biased(v[None].astype("float32")))[0].astype(float)
    assert not sol.is_linear_map(g, 3, 5, np.random.default_rng(0))
    K = ref.keras_orthogonal_kernel(6, 3, seed=1)
    assert ref.orthogonality_report(K)[0] < 1e-5


@pytest.mark.slow
def test_make_figures(tmp_path):
    paths = plots.make_figures("appendix_a", tmp_path)
    assert [p.name for p in paths] == [f"{n}.png" for n in ref.FIGURES]
    assert all(p.stat().st_size > 1000 for p in paths)
