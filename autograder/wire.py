"""Plain-data wire format between grading workers and the trusted parent.

Only data crosses: ``None``, booleans, numbers, strings, lists (tuples become lists), dicts with
string keys, and numeric numpy arrays. Arrays travel as ``{"__ndarray__": {dtype, shape, b64}}``
holding their raw bytes, decoded with ``np.frombuffer`` for numeric dtypes only, so nothing that is
read back can run code (no pickle, no object arrays). Numpy scalars become 0-d arrays, which keeps
their dtype.

``to_plain`` runs in the worker (it converts what a student's function returned and says clearly what
could not be converted); ``encode``/``decode`` turn plain data into one JSON line and back.
"""
from __future__ import annotations

import base64
import json

import numpy as np

ARRAY_KEY = "__ndarray__"
_ARRAY_KINDS = "biufc"  # bool, signed, unsigned, float, complex
_MAX_DEPTH = 32


class NotPlainData(TypeError):
    """Raised when a value cannot be sent as plain data."""


def _tensor_to_numpy(value):
    """TensorFlow tensors / Keras variables / JAX and torch arrays -> numpy, by duck type."""
    module = type(value).__module__.split(".")[0]
    if module in ("tensorflow", "keras", "jax", "jaxlib", "torch"):
        for attr in ("numpy", "__array__"):
            if hasattr(value, attr):
                try:
                    return np.asarray(getattr(value, attr)())
                except Exception as exc:  # noqa: BLE001 - a symbolic tensor, say
                    raise NotPlainData(f"returned a {type(value).__qualname__} that could not be "
                                       f"converted to an array ({type(exc).__name__}: {exc})") from exc
    return None


def to_plain(value, _depth=0):
    """Convert a returned value to plain data (exact types only: no subclasses)."""
    if _depth > _MAX_DEPTH:
        raise NotPlainData("value is nested too deeply")
    kind = type(value)
    if value is None or kind in (bool, int, float, str):
        return value
    if kind is complex:
        return np.asarray(value)
    if kind is np.ndarray:
        if value.dtype.kind not in _ARRAY_KINDS:
            raise NotPlainData(f"array of dtype {value.dtype} (expected numbers)")
        return value
    if isinstance(value, np.generic) and kind.__module__ == "numpy":
        return to_plain(np.asarray(value), _depth + 1)
    if kind in (list, tuple):
        return [to_plain(v, _depth + 1) for v in value]
    if kind is dict:
        out = {}
        for key, v in value.items():
            if type(key) is not str:
                raise NotPlainData(f"dict key {key!r} is not a string")
            out[key] = to_plain(v, _depth + 1)
        return out
    converted = _tensor_to_numpy(value)
    if converted is not None:
        return to_plain(converted, _depth + 1)
    raise NotPlainData(f"returned a {kind.__module__}.{kind.__qualname__}, which is not a number, "
                       "array, list or dict")


def _jsonable(value):
    if type(value) is np.ndarray:
        arr = value.copy(order="C")  # (ascontiguousarray would make 0-d arrays 1-d)
        return {ARRAY_KEY: {"dtype": arr.dtype.str, "shape": list(arr.shape),
                            "b64": base64.b64encode(arr.tobytes()).decode("ascii")}}
    if type(value) is list:
        return [_jsonable(v) for v in value]
    if type(value) is dict:
        return {k: _jsonable(v) for k, v in value.items()}
    return value


def _from_jsonable(value):
    if type(value) is list:
        return [_from_jsonable(v) for v in value]
    if type(value) is dict:
        if set(value) == {ARRAY_KEY}:
            spec = value[ARRAY_KEY]
            dtype = np.dtype(str(spec["dtype"]))
            if dtype.kind not in _ARRAY_KINDS:
                raise ValueError(f"refusing array dtype {dtype}")
            shape = tuple(int(s) for s in spec["shape"])
            data = base64.b64decode(spec["b64"].encode("ascii"), validate=True)
            return np.frombuffer(data, dtype=dtype).reshape(shape).copy()
        return {str(k): _from_jsonable(v) for k, v in value.items()}
    if value is None or type(value) in (bool, int, float, str):
        return value
    raise ValueError(f"unexpected JSON value of type {type(value).__name__}")


def encode(value, indent: int | None = None) -> str:
    """Plain data -> JSON text (one line unless ``indent``; NaN and infinities allowed)."""
    return json.dumps(_jsonable(to_plain(value)), indent=indent,
                      separators=(",", ":") if indent is None else None)


def decode(line: str | bytes):
    """One line of JSON -> plain data, arrays restored; never executes anything."""
    return _from_jsonable(json.loads(line))
