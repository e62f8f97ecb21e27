"""Hidden cases, one module per chapter (instructor copy only; never in the student bundle)."""
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Normal:
    """A standard normal array of ``shape`` in :func:`draw`'s layout."""
    shape: object


def draw(seed: int, **layout) -> dict:
    """Inputs in the order of ``layout``: each :class:`Normal` entry becomes an array drawn from seed
    ``seed + k`` (k counting the Normal entries), any other value is kept. For
    ``Case.drawn(name, draw, seed, x=Normal((4, 5)), k=2)``: a student's variant draws the arrays
    from its own seed."""
    k = 0
    inputs = {}
    for name, value in layout.items():
        if isinstance(value, Normal):
            value = np.random.default_rng(seed + k).standard_normal(value.shape)
            k += 1
        inputs[name] = value
    return inputs
