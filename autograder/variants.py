"""Per-student case variants: with a course secret, every hidden case that can vary gets inputs of
its own for each student, so that a case or an answer leaked by one student tells another nothing.

The instructor keeps the secret in a file (``grade --secret FILE``) that is never shipped. A case's
variant seed is ``HMAC-SHA256(secret, student id, case id)`` cut to 63 bits: the same for a student
in every run (regrading is identical, results are resumed), different between students and cases,
and telling nothing about the secret or about another student's seed. The case's ``vary`` draws the
inputs from it (:class:`autograder.spec.Case`); the results record the seed (``extra_data.variant``
of the test entry), never the secret. Without a secret, every student gets the cases as written.
Public cases never vary.
"""
from __future__ import annotations

import hashlib
import hmac
from pathlib import Path

MIN_SECRET_BYTES = 16


def read_secret(path: Path) -> bytes:
    """The secret in ``path`` (surrounding whitespace ignored); at least 16 bytes."""
    try:
        secret = Path(path).read_bytes().strip()
    except OSError as exc:
        raise FileNotFoundError(f"cannot read the course secret {path}: {exc.strerror}") from None
    if len(secret) < MIN_SECRET_BYTES:
        raise ValueError(f"the course secret {path} holds {len(secret)} bytes; use at least "
                         f"{MIN_SECRET_BYTES} random ones (e.g. `python -c \"import secrets; "
                         f"print(secrets.token_hex(32))\" > {path}`)")
    return secret


def variant_seed(secret: bytes, student: str, case_id: str) -> int:
    """The seed of one student's variant of one case."""
    message = student.encode("utf-8") + b"\0" + case_id.encode("utf-8")
    return int.from_bytes(hmac.new(secret, message, hashlib.sha256).digest()[:8], "big") >> 1
