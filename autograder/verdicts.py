"""Turn a student's outcome and the reference's into a score and a message (trusted parent side)."""
from __future__ import annotations

from .compare import Verdict, fail, ok
from .spec import Exercise

_LIMIT_TEXT = {
    "output": "went over the output limit (printed or wrote too much)",
    "processes": "hit the limit on processes and threads (started too many, e.g. a fork bomb)",
    "disk": "ran out of writable space (files written to the working folder and /tmp are limited)",
}
_REFERENCE_FAILURES = ("crash", "timeout", "import_error", "import_timeout", "missing", "forbidden")


def reference_problem(outcome: dict) -> str | None:
    """Why a reference outcome cannot serve as the expected result, or None when it can."""
    status = outcome.get("status")
    if status in _REFERENCE_FAILURES:
        detail = outcome.get("message") or outcome.get("error", {}).get("message", "") or outcome.get("api", "")
        return f"{status}: {detail}"
    return None


def _error_text(outcome: dict) -> str:
    """The traceback in the student's own file (it ends with the error), else the error alone."""
    err = outcome.get("error", outcome)
    tb = err.get("traceback", "").strip()
    return tb or f"{err.get('type', 'Exception')}: {err.get('message', '')}"


def _student_failure(outcome: dict) -> str:
    status = outcome.get("status")
    if status == "error" and outcome.get("type") == "NotImplementedError":
        return "not implemented yet (the stub still raises NotImplementedError)"
    if status == "error" and outcome.get("limit") in _LIMIT_TEXT:
        return _LIMIT_TEXT[outcome["limit"]] + ":\n" + _error_text(outcome)
    if status == "error":
        return "raised " + _error_text(outcome)
    if status == "import_error":
        return "the file failed to import, so nothing in it could be graded:\n" + _error_text(outcome)
    if status == "forbidden":
        return (f"uses {outcome.get('api')}, which this exercise forbids: "
                "write it yourself with the operations the exercise allows")
    return outcome.get("message", f"failed ({status})")


def judge(exercise: Exercise, got: dict, expected: dict, inputs) -> Verdict:
    """Score one case: ``got``/``expected`` are worker outcomes (see :mod:`autograder.worker`)."""
    if expected.get("status") == "error":
        wanted = expected.get("type")
        if got.get("status") == "error" and wanted in got.get("mro", ()):
            return ok(f"raised {wanted} as required")
        if got.get("status") == "ok":
            return fail(f"should raise {wanted} for these inputs, but returned normally")
        return fail(f"should raise {wanted} for these inputs, but " + _student_failure(got))
    if got.get("status") != "ok":
        return fail(_student_failure(got))
    try:
        return exercise.check(got.get("value"), expected.get("value"), inputs)
    except Exception as exc:  # noqa: BLE001 - the student's data did not fit the check
        return fail(f"output could not be checked ({type(exc).__name__}: {exc})")
