"""Comparison of a student's plain-data output with the reference's, with feedback that explains.

Runs in the trusted parent on data decoded by ``wire.decode`` (numbers, strings, lists, dicts, numpy
arrays): a student's object can never take part in a comparison. Structure is checked before values:
kind (number / array / list / dict / string), then shape, then dtype kind, then the tolerance
``|got - expected| <= atol + rtol * |expected|`` elementwise (the reference is ``expected``). The
message of a failure names the place (``[1]['theta']``), the max abs and rel errors and the first
bad index.
"""
from __future__ import annotations

import numpy as np

from .verdicts import fail, ok

_KIND_NAMES = {"b": "boolean", "i": "integer", "u": "integer", "f": "float", "c": "complex"}
# dtype kinds a student's value may have where the reference has the key's kind
_ACCEPTED_KINDS = {"b": "b", "i": "iub", "u": "iub", "f": "fiu", "c": "cfiu"}


def _kind(value) -> str:
    if isinstance(value, bool) or isinstance(value, (int, float)):
        return "number"
    if isinstance(value, np.ndarray):
        return "number" if value.ndim == 0 else "array"
    if isinstance(value, list):
        return "list"
    if isinstance(value, dict):
        return "dict"
    if isinstance(value, str):
        return "string"
    if value is None:
        return "None"
    return type(value).__name__


def _dtype_kind(value) -> str:
    return np.asarray(value).dtype.kind


def describe(value) -> str:
    """A short description of a value's type and shape, with its article, for messages."""
    kind = _kind(value)
    if kind == "array":
        return f"an array of shape {value.shape} and dtype {value.dtype}"
    if kind == "number":
        name = _KIND_NAMES.get(_dtype_kind(value), "number")
        return f"{'an' if name[0] in 'aeiou' else 'a'} {name} number"
    if kind == "list":
        return f"a sequence of length {len(value)}"
    if kind == "dict":
        return f"a dict with keys {sorted(value)}"
    return "None" if kind == "None" else f"a {kind}"


def _numbers_only(seq) -> bool:
    return all(_kind(v) == "number" or (_kind(v) == "list" and _numbers_only(v)) for v in seq)


def _coerce(got, expected):
    """Let a 1-D array stand for a list of numbers and back (tuples arrive as lists)."""
    kg, ke = _kind(got), _kind(expected)
    if ke == "array" and kg == "list" and _numbers_only(got):
        try:
            return np.asarray(got)
        except ValueError:
            return got
    if ke == "list" and kg == "array" and _numbers_only(expected):
        return list(got)
    return got


def _fmt_index(idx) -> str:
    return "(" + ", ".join(str(int(i)) for i in idx) + ("," if len(idx) == 1 else "") + ")"


def _compare_numeric(got, expected, rtol, atol, where) -> str | None:
    got_a, exp_a = np.asarray(got), np.asarray(expected)
    if got_a.shape != exp_a.shape:
        return f"{where}: expected shape {exp_a.shape}, got shape {got_a.shape}"
    ek, gk = exp_a.dtype.kind, got_a.dtype.kind
    if gk not in _ACCEPTED_KINDS.get(ek, ek):
        return (f"{where}: expected {_KIND_NAMES.get(ek, ek)} values, "
                f"got {_KIND_NAMES.get(gk, gk)} values (dtype {got_a.dtype})")
    if ek == "b":
        bad = got_a.astype(bool) != exp_a
    else:
        g = got_a.astype(np.complex128 if "c" in (ek, gk) else np.float64)
        e = exp_a.astype(g.dtype)
        with np.errstate(invalid="ignore", over="ignore"):
            diff = np.abs(g - e)
            bad = ~(diff <= atol + rtol * np.abs(e))
            bad |= (np.isinf(g) | np.isinf(e)) & (g != e)  # rtol * inf would accept anything
            same_special = (np.isnan(g) & np.isnan(e)) | (np.isinf(g) & (g == e))
        bad &= ~same_special
    if not bad.any():
        return None
    first = np.argwhere(bad)[0] if bad.ndim else ()
    exp_v, got_v = exp_a[tuple(first)].item(), got_a[tuple(first)].item()
    place = f" at index {_fmt_index(first)}" if bad.ndim else ""
    msg = f"{where}: expected {exp_v!r}, got {got_v!r}{place}"
    if ek != "b":
        with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
            finite = np.isfinite(diff)
            max_abs = np.max(diff[finite]) if finite.any() else np.inf
            nonzero = finite & (e != 0)
            max_rel = np.max(diff[nonzero] / np.abs(e[nonzero])) if nonzero.any() else None
        rel_text = f", max rel error {max_rel:.3g}" if max_rel is not None else ""
        msg += f"; max abs error {max_abs:.3g}{rel_text} (rtol={rtol:g}, atol={atol:g})"
    if bad.ndim:
        msg += f"; {int(bad.sum())} of {bad.size} elements differ"
    return msg


def compare(got, expected, rtol: float = 1e-7, atol: float = 1e-10, where: str = "result") -> str | None:
    """None when ``got`` matches ``expected`` in structure and within tolerance, else why not."""
    got = _coerce(got, expected)
    kg, ke = _kind(got), _kind(expected)
    if kg != ke:
        return f"{where}: expected {describe(expected)}, got {describe(got)}"
    if ke in ("number", "array"):
        return _compare_numeric(got, expected, rtol, atol, where)
    if ke == "list":
        if len(got) != len(expected):
            return f"{where}: expected {len(expected)} items, got {len(got)}"
        for i, (g, e) in enumerate(zip(got, expected)):
            msg = compare(g, e, rtol, atol, f"{where}[{i}]")
            if msg:
                return msg
        return None
    if ke == "dict":
        if set(got) != set(expected):
            return f"{where}: expected keys {sorted(expected)}, got keys {sorted(got)}"
        for key in expected:
            msg = compare(got[key], expected[key], rtol, atol, f"{where}[{key!r}]")
            if msg:
                return msg
        return None
    return None if got == expected else f"{where}: expected {expected!r}, got {got!r}"


def close(rtol: float = 1e-7, atol: float = 1e-10):
    """A check comparing the whole output with the reference's within a tolerance."""
    def check(got, expected, inputs):
        msg = compare(got, expected, rtol=rtol, atol=atol)
        return fail(msg) if msg else ok()
    check.tolerance = (rtol, atol)
    return check
