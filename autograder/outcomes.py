"""What running one case produced: the status vocabulary shared from the worker to the results.

An outcome is a plain dict ``{"status": KIND, ...}`` (see ``docs/architecture.md``, "Outcomes"):

- ``value``: with ``ok``, the probe's plain-data result;
- ``error``: ``{"type", "mro", "message", "traceback"}`` of the exception behind ``raised``,
  ``not implemented``, ``not plain data``, ``import failed`` and the limits hit from inside;
- ``message``: what the grader saw, for the kinds it decides from outside (timeout, crashed, ...);
- ``printed``: what the code printed meanwhile (first and last few KB, with a count of the rest).

The worker decides ``ok``, ``raised``, ``not implemented``, ``forbidden``, ``not plain data``,
``missing`` (no such function) and the limits it sees as errors; the runner decides ``timeout``,
``crashed``, the limits it sees from outside, ``import failed`` and ``missing`` (no such file);
the plan decides ``skipped``. Each test entry of a results file carries its outcome's kind in
``extra_data.kind``, and the class summary counts them: no code reads a kind from message text.
"""
from __future__ import annotations

OK = "ok"
RAISED = "raised"                    # an exception of the student's code (or a required raise)
NOT_IMPLEMENTED = "not implemented"  # the generated stub's own NotImplementedError
FORBIDDEN = "forbidden"              # called an API the exercise forbids
NOT_PLAIN_DATA = "not plain data"    # returned something the grader cannot turn into plain data
MISSING = "missing"                  # no chapter file, or no such function in it
IMPORT_FAILED = "import failed"      # the chapter file raised (or took too long) while importing
TIMEOUT = "timeout"
CRASHED = "crashed"                  # the worker died (os._exit, segfault, abort, a kill)
MEMORY_LIMIT = "memory limit"
OUTPUT_LIMIT = "output limit"        # a file written, or a result returned, went over its limit
PROCESS_LIMIT = "process limit"      # too many processes or threads (a fork bomb)
DISK_LIMIT = "disk limit"            # the writable space is full
SKIPPED = "skipped"                  # cannot run here (TensorFlow-only material on another backend)

KINDS = (OK, RAISED, NOT_IMPLEMENTED, FORBIDDEN, NOT_PLAIN_DATA, MISSING, IMPORT_FAILED, TIMEOUT,
         CRASHED, MEMORY_LIMIT, OUTPUT_LIMIT, PROCESS_LIMIT, DISK_LIMIT, SKIPPED)
# What the answer key may produce: anything else means the reference itself is broken.
REFERENCE_KINDS = (OK, RAISED)


def failure(kind: str, message: str) -> dict:
    """An outcome decided by the grader from outside the student's code."""
    return {"status": kind, "message": message}


def kind_of(outcome: dict) -> str:
    """The outcome's kind; anything unknown (a malformed report) counts as a crash."""
    status = outcome.get("status") if isinstance(outcome, dict) else None
    return status if status in KINDS else CRASHED
