"""On-disk cache of the answer key's outputs, one file per case.

A key covers everything the output depends on: the case (id, inputs, seed), the source of the
chapter's answer key, grading spec (probes) and hidden cases, the outcome format, and the environment
fingerprint (versions, backend, device, numerics) without what does not change a result (the kernel's
release in ``platform``, the isolation). Changing any of them changes the keys of exactly the cases
it affects; the same install on another machine of the same kind finds the same keys (a Gradescope
package's precomputed outputs, say).
"""
from __future__ import annotations

import hashlib
import importlib.util
import json
from pathlib import Path

from . import wire
from .results import write_atomic


def _source(module: str) -> bytes:
    found = importlib.util.find_spec(module)
    return Path(found.origin).read_bytes() if found and found.origin else b""


OUTCOME_FORMAT = 2  # bump when the outcomes' layout changes (see autograder.outcomes)
_NOT_IN_KEYS = ("platform", "isolation")


def spec_digest(chapter: str) -> str:
    """Hash of the chapter's grading spec (probes, checks, points, public cases)."""
    return hashlib.sha256(_source(f"autograder.chapters.{chapter}")).hexdigest()


def chapter_digest(chapter: str, solution_file: Path) -> str:
    """Hash of the chapter's answer key, grading spec and hidden cases."""
    h = hashlib.sha256()
    for part in (solution_file.read_bytes(), _source(f"autograder.chapters.{chapter}"),
                 _source(f"autograder.hidden.{chapter}")):
        h.update(hashlib.sha256(part).digest())
    return h.hexdigest()


def case_key(task, chapter_hash: str, environment: dict) -> str:
    h = hashlib.sha256()
    environment = {k: v for k, v in environment.items() if k not in _NOT_IN_KEYS}
    for part in (task.id, wire.encode(task.inputs), str(task.seed), chapter_hash,
                 json.dumps(environment, sort_keys=True), str(OUTCOME_FORMAT)):
        h.update(hashlib.sha256(part.encode()).digest())
    return h.hexdigest()


class ReferenceCache:
    """``get``/``put`` outcomes by key under ``folder`` (atomic writes; unreadable = missing)."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.misses = 0  # lookups that found nothing


    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def get(self, key: str) -> dict | None:
        try:
            return wire.decode(self._path(key).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.misses += 1
            return None

    def put(self, key: str, outcome: dict) -> None:
        try:
            write_atomic(self._path(key), wire.encode(outcome))
        except OSError:  # a read-only cache still serves what it has
            pass
