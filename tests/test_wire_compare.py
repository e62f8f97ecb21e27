"""The plain-data wire format and the comparison feedback."""
import json

import numpy as np
import pytest

from autograder import wire
from autograder.compare import close, compare


def roundtrip(value):
    return wire.decode(wire.encode(value))


def test_roundtrip_keeps_values_shapes_and_dtypes():
    value = {"a": np.arange(6, dtype=np.int32).reshape(2, 3), "b": [1, 2.5, None, "s", True],
             "c": np.float32(1.5), "d": (np.zeros(0), np.array(3.0)), "e": float("nan"),
             "f": np.array([1 + 2j]), "g": float("inf")}
    back = roundtrip(value)
    assert back["a"].dtype == np.int32 and back["a"].shape == (2, 3)
    assert back["c"].dtype == np.float32 and back["c"].shape == ()
    assert back["d"][1].shape == () and back["d"][0].shape == (0,)
    assert np.isnan(back["e"]) and back["g"] == np.inf and back["f"][0] == 1 + 2j
    assert compare(back, wire.to_plain(value), 0, 0) is None


class Liar:
    def __eq__(self, other):
        return True

    def __array__(self, *args, **kwargs):
        return np.zeros(3)


class SubArray(np.ndarray):
    pass


@pytest.mark.parametrize("value", [Liar(), np.zeros(2).view(SubArray), np.array([object()]),
                                   {1: 2}, [Liar()], np.array(["text"])])
def test_only_exact_plain_types_are_accepted(value):
    with pytest.raises(wire.NotPlainData):
        wire.to_plain(value)


def test_decode_never_builds_objects():
    bad = json.dumps({"__ndarray__": {"dtype": "|O", "shape": [1], "b64": "AAAAAAAAAAA="}})
    with pytest.raises(ValueError):
        wire.decode(bad)


def test_tensors_are_converted_in_the_worker():
    tf = pytest.importorskip("tensorflow")
    assert wire.to_plain(tf.constant([1.0, 2.0])).tolist() == [1.0, 2.0]


def test_compare_checks_structure_before_values():
    assert "expected an array of shape (3,)" in compare(1.0, np.zeros(3))
    assert "expected shape (3,), got shape (2,)" in compare(np.zeros(2), np.zeros(3))
    assert "expected integer values, got float" in compare(np.zeros(3), np.zeros(3, int))
    assert "expected keys" in compare({"a": 1}, {"b": 1})
    assert "expected 2 items, got 3" in compare([1, 2, 3], [1, 2])
    assert compare(np.arange(3), np.arange(3.0)) is None      # ints where floats are expected
    assert compare([1.0, 2.0], np.array([1.0, 2.0])) is None  # a list of numbers for an array
    assert compare(np.array([1.0, 2.0]), [1.0, 2.0]) is None  # and back
    assert compare(np.array([np.nan, np.inf]), np.array([np.nan, np.inf])) is None


def test_compare_explains_numeric_differences():
    expected = np.array([[1.0, 2.0], [3.0, 4.0]])
    got = expected.copy()
    got[1, 0] = 3.1
    msg = compare(got, expected, rtol=1e-6, atol=1e-9)
    assert "at index (1, 0)" in msg and "expected 3.0, got 3.1" in msg
    assert "max abs error 0.1" in msg and "max rel error 0.0333" in msg and "1 of 4" in msg
    assert compare(got, expected, rtol=0.05, atol=0) is None
    assert close(1e-6, 0)(got, expected, None).score == 0.0


def test_an_infinite_reference_accepts_only_the_same_infinity():
    assert compare(float("inf"), float("inf")) is None
    assert compare(np.array([1.0, -np.inf]), np.array([1.0, -np.inf])) is None
    for got in (1e300, float("-inf"), float("nan")):
        assert compare(got, float("inf"), rtol=1e-3) is not None
    assert compare(np.array([np.inf]), np.array([5.0])) is not None


def test_the_gradebook_names_each_chapter_and_appendix_apart():
    from autograder.results import gradebook
    doc = {"score": 1.0, "max_score": 2.0, "tests": [
        {"name": "ch02_linear_regression.mse.a", "score": 1.0, "max_score": 1.0},
        {"name": "appendix_a_linear_algebra.f.a", "score": 0.0, "max_score": 1.0}]}
    header = gradebook({"s": doc}, ["ch02_linear_regression", "appendix_a_linear_algebra"]).splitlines()[0]
    assert header.split() == ["student", "ch02", "/1", "appendix_a", "/1", "total", "%"]
