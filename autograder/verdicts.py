"""Verdicts: a student's outcome and the reference's turned into a score and a message (trusted
parent side). Checks (``autograder.compare.close`` and the chapters' own) return a :class:`Verdict`;
:func:`judge` decides a case from the two outcomes (see :mod:`autograder.outcomes`)."""
from __future__ import annotations

from dataclasses import dataclass

from . import outcomes as o


@dataclass(frozen=True)
class Verdict:
    """Outcome of one check: ``score`` in [0, 1] and a message for the student."""
    score: float
    message: str = ""

    @property
    def passed(self) -> bool:
        return self.score >= 1.0


def ok(message: str = "") -> Verdict:
    return Verdict(1.0, message)


def fail(message: str) -> Verdict:
    return Verdict(0.0, message)


_HEADLINES = {
    o.NOT_PLAIN_DATA: "its result could not be used (return numbers, numpy arrays, lists or dicts "
                      "as the exercise asks)",
    o.IMPORT_FAILED: "the file failed to import, so nothing in it could be graded",
    o.MEMORY_LIMIT: "went over the memory limit",
    o.OUTPUT_LIMIT: "went over the output limit (wrote too large a file, or returned too much data)",
    o.PROCESS_LIMIT: "hit the limit on processes and threads (started too many, e.g. a fork bomb)",
    o.DISK_LIMIT: "ran out of writable space (files written to the working folder and /tmp are "
                  "limited)",
}


def reference_problem(outcome: dict) -> str | None:
    """Why a reference outcome cannot serve as the expected result, or None when it can."""
    kind = o.kind_of(outcome)
    if kind in o.REFERENCE_KINDS:
        return None
    return f"{kind}: {_detail(outcome)}"


def _detail(outcome: dict) -> str:
    """The traceback in the student's own file (it ends with the error), the error alone, or what
    the grader saw from outside."""
    err = outcome.get("error")
    if isinstance(err, dict):
        tb = str(err.get("traceback", "")).strip()
        return tb or f"{err.get('type', 'Exception')}: {err.get('message', '')}"
    return str(outcome.get("message") or outcome.get("api") or "")


def failure_message(outcome: dict) -> str:
    """What a student's outcome that is not a value says, by kind."""
    kind = o.kind_of(outcome)
    if kind == o.NOT_IMPLEMENTED:
        stub = str(outcome.get("error", {}).get("message", "")).rsplit(":", 1)[0]
        return f"not implemented yet (the stub {stub} still raises NotImplementedError)"
    if kind == o.RAISED:
        return "raised " + _detail(outcome)
    if kind == o.FORBIDDEN:
        return (f"uses {outcome.get('api')}, which this exercise forbids: "
                "write it yourself with the operations the exercise allows")
    if kind in _HEADLINES:
        return f"{_HEADLINES[kind]}:\n{_detail(outcome)}"
    return _detail(outcome) or f"failed ({kind})"


def _judge(exercise, got: dict, expected: dict, inputs) -> Verdict:
    kind = o.kind_of(got)
    if o.kind_of(expected) == o.RAISED:
        wanted = expected["error"]["type"]
        if kind == o.RAISED and wanted in got["error"].get("mro", ()):
            return ok(f"raised {wanted} as required")
        if kind == o.OK:
            return fail(f"should raise {wanted} for these inputs, but returned normally")
        return fail(f"should raise {wanted} for these inputs, but " + failure_message(got))
    if kind != o.OK:
        return fail(failure_message(got))
    try:
        return exercise.check(got.get("value"), expected.get("value"), inputs)
    except Exception as exc:  # noqa: BLE001 - the student's data did not fit the check
        return fail(f"output could not be checked ({type(exc).__name__}: {exc})")


def judge(exercise, got: dict, expected: dict, inputs) -> Verdict:
    """Score one case: ``got``/``expected`` are outcomes (:mod:`autograder.outcomes`); what the
    student's code printed follows the verdict's message."""
    verdict = _judge(exercise, got, expected, inputs)
    printed = got.get("printed")
    if printed:
        message = f"{verdict.message}\n" if verdict.message else ""
        verdict = Verdict(verdict.score, f"{message}printed:\n{printed}")
    return verdict
