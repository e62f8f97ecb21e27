"""On-disk cache of the answer key's outputs, one file per case.

A key covers everything the output depends on: the case (id, inputs, seed), the source of the
chapter's answer key, grading spec (probes) and hidden cases, and the environment fingerprint
(versions, device). Changing any of them changes the keys of exactly the cases it affects.
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


def chapter_digest(chapter: str, solution_file: Path) -> str:
    """Hash of the chapter's answer key, grading spec and hidden cases."""
    h = hashlib.sha256()
    for part in (solution_file.read_bytes(), _source(f"autograder.chapters.{chapter}"),
                 _source(f"autograder.hidden.{chapter}")):
        h.update(hashlib.sha256(part).digest())
    return h.hexdigest()


def case_key(task, chapter_hash: str, environment: dict) -> str:
    h = hashlib.sha256()
    for part in (task.id, wire.encode(task.inputs), str(task.seed), chapter_hash,
                 json.dumps(environment, sort_keys=True)):
        h.update(hashlib.sha256(part.encode()).digest())
    return h.hexdigest()


class ReferenceCache:
    """``get``/``put`` outcomes by key under ``folder`` (atomic writes; unreadable = missing)."""

    def __init__(self, folder: Path):
        self.folder = folder

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def get(self, key: str) -> dict | None:
        try:
            return wire.decode(self._path(key).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def put(self, key: str, outcome: dict) -> None:
        write_atomic(self._path(key), wire.encode(outcome))
