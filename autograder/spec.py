"""What a chapter's grading consists of: exercises (probe + check) and cases (seeded inputs).

A chapter is described by two modules with the chapter's fixed name:

- ``autograder.chapters.<chapter>`` (shipped to students): ``EXERCISES``, a list of
  :class:`Exercise`, and ``PUBLIC_CASES``, a dict exercise name -> list of :class:`Case`;
- ``autograder.hidden.<chapter>`` (instructor copy only): ``CASES``, a dict exercise name -> list of
  :class:`Case`. Every exercise has at least one hidden case.

A probe runs in a grading worker next to the untrusted module; it gets the imported chapter module
and the case's inputs, calls the exercise (and may exercise a returned function, class or model) and
returns plain data. A check runs in the trusted parent; it gets the student's plain output, the
reference's and the inputs, and returns a :class:`~autograder.compare.Verdict`.
"""
from __future__ import annotations

import functools
import importlib
import importlib.util
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from .compare import close

CHAPTERS = (
    "ch01_data", "ch02_linear_regression", "ch03_nonlinear_models", "ch04_gradient_descent",
    "ch05_mlp_backprop", "ch06_cnn", "ch07_regularization", "ch08_generative", "ch09_geometric",
    "ch10_adversarial", "appendix_a_linear_algebra", "appendix_b_information", "appendix_c_fourier",
)

# What never reaches students, nor a grading worker: the answer key, the hidden cases, and the demo
# (it reads the answer key). The worker refuses to import them, the sandbox covers their files and
# `release` leaves them out.
PRIVATE_MODULES = ("solutions", "autograder.hidden", "autograder.demo")
_STUB_TEXT = "not implemented yet"


def private_files(root) -> list:
    """Where the :data:`PRIVATE_MODULES` lie under ``root`` (a checkout or a site-packages folder):
    their packages' folders and modules' files."""
    found = []
    for module in PRIVATE_MODULES:
        base = root.joinpath(*module.split("."))
        found += [p for p in (base, base.with_suffix(".py")) if p.exists()]
    return found


_STUB_MESSAGE = re.compile(r"[a-z0-9_]+\.[A-Za-z_][\w.]*: " + _STUB_TEXT)


def stub_message(chapter: str, qualname: str) -> str:
    """What the generated stub of ``chapter.qualname`` raises ``NotImplementedError`` with."""
    return f"{chapter}.{qualname}: {_STUB_TEXT}"


def is_stub_raise(exc: BaseException) -> bool:
    """Whether ``exc`` is a generated stub's own raise (not a student's deliberate one)."""
    return type(exc) is NotImplementedError and bool(_STUB_MESSAGE.fullmatch(str(exc)))


def case_points(points: float, n_cases: int) -> list[float]:
    """``points`` split evenly over ``n_cases`` cases, in steps of 1/10000 that add up exactly
    (10 over 3 cases: 3.3334, 3.3333, 3.3333)."""
    units = round(points * 10_000)
    share, extra = divmod(units, n_cases)
    return [(share + (i < extra)) / 10_000 for i in range(n_cases)]


def call_exercise(name: str):
    """The default probe: ``module.<name>(**inputs)``."""
    def probe(module, inputs):
        return getattr(module, name)(**inputs)
    return probe


@dataclass(frozen=True)
class Case:
    """One graded call: a name unique within its exercise, plain-data inputs and a seed (of the
    probe's randomness). ``vary`` (hidden cases that can vary): ``vary(seed) -> inputs`` draws
    other inputs of the same sizes and structure from a seed, for per-student variants
    (:mod:`autograder.variants`); edge cases (empty, degenerate, must-raise) have none."""
    name: str
    inputs: Any
    seed: int = 0
    timeout: float | None = None  # seconds; None = the run's default
    vary: Callable[[int], Any] | None = field(default=None, compare=False)

    def __post_init__(self):
        if not self.name or "." in self.name:
            raise ValueError(f"case name {self.name!r} must be non-empty and contain no '.'")

    @classmethod
    def drawn(cls, name: str, make: Callable[..., Any], seed: int, /, *args, **kwargs) -> Case:
        """A case whose inputs ``make(seed, *args, **kwargs)`` draws from ``seed``; a student's
        variant draws them from its own seed (``make(variant, *args, **kwargs)``)."""
        return cls(name, make(seed, *args, **kwargs),
                   vary=functools.partial(_redraw, make, args, kwargs))


def _redraw(make, args, kwargs, seed, /):
    return make(seed, *args, **kwargs)


@dataclass(frozen=True)
class Exercise:
    """A graded function or class of a chapter module.

    probe: (module, inputs) -> plain data, run in the worker (default: call the function by name
        with the inputs as keyword arguments).
    check: (got, expected, inputs) -> Verdict, run in the parent (default: ``close()``).
    forbidden: dotted names of functions the exercise may not call (e.g. ``numpy.polyfit``).
    points: what the exercise is worth (by what it teaches and how hard it is), split evenly over
        its cases: adding or removing a case changes no weight. Required, keyword only.
    needs_tensorflow: the exercise is TensorFlow-only material (GradientTape, tf.function,
        tf.data, tfds): reported as skipped when Keras runs on another backend.
    """
    name: str
    probe: Callable | None = None
    check: Callable = field(default_factory=close)
    forbidden: tuple[str, ...] = ()
    points: float = field(kw_only=True)
    needs_tensorflow: bool = False

    def __post_init__(self):
        if not self.points > 0:
            raise ValueError(f"exercise {self.name!r}: points must be positive, got {self.points!r}")

    def run_probe(self, module, inputs):
        probe = self.probe or call_exercise(self.name)
        return probe(module, inputs)


def tensorflow_unavailable() -> str | None:
    """Why TensorFlow-only exercises cannot run here (None when they can)."""
    backend = os.environ.get("KERAS_BACKEND", "tensorflow")
    if backend != "tensorflow":
        return f"needs TensorFlow, and Keras runs on {backend} here (KERAS_BACKEND={backend})"
    if importlib.util.find_spec("tensorflow") is None:
        return "needs TensorFlow, which is not installed here"
    return None


def resolve_chapter(name: str) -> str:
    """``ch02``, ``2``, ``ch02_linear_regression`` or ``appendix_a`` -> the full chapter name."""
    from course import match_chapter
    return match_chapter(name, CHAPTERS)


def load_exercises(chapter: str) -> dict[str, Exercise]:
    module = importlib.import_module(f"autograder.chapters.{chapter}")
    return {ex.name: ex for ex in module.EXERCISES}


def public_cases(chapter: str) -> dict[str, list[Case]]:
    return importlib.import_module(f"autograder.chapters.{chapter}").PUBLIC_CASES


def hidden_cases(chapter: str) -> dict[str, list[Case]]:
    return importlib.import_module(f"autograder.hidden.{chapter}").CASES


def require_instructor_copy(command: str) -> None:
    """Refuse plainly where the answer key or the hidden cases are absent (the student bundle)."""
    def absent(module):
        try:
            return importlib.util.find_spec(module) is None
        except ImportError:  # an import guard refused even to look
            return True
    missing = [what for module, what in (("solutions", "the answer key"),
                                         ("autograder.hidden", "the hidden cases")) if absent(module)]
    if missing:
        raise RuntimeError(f"`autograder {command}` needs the instructor's copy of the course, and "
                           f"{' and '.join(missing)} are not installed here (this looks like the "
                           "student bundle). Students check their work with `autograder check "
                           "CHAPTER`.")


def short_chapter(chapter: str) -> str:
    """``ch02_linear_regression`` -> ``ch02``, ``appendix_a_linear_algebra`` -> ``appendix_a``."""
    parts = chapter.split("_")
    return "_".join(parts[:2]) if parts[0] == "appendix" else parts[0]


@functools.lru_cache(maxsize=None)
def uses_keras(chapter: str) -> bool:
    """Whether the chapter's grading spec imports Keras or TensorFlow (its probes build or run
    models): then nearly every submission of it does too."""
    import ast
    source = importlib.util.find_spec(f"autograder.chapters.{chapter}").origin
    tree = ast.parse(Path(source).read_text(encoding="utf-8"))
    names = [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
    names += [n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module]
    return any(name.split(".")[0] in ("keras", "tensorflow") for name in names)


def preload_modules(chapters) -> tuple[str, ...]:
    """What a grading worker imports before it is ready, for a plan of ``chapters``: numpy, and
    when a chapter uses Keras, Keras (with its backend) and scikit-learn's datasets (the 8x8 digits
    its models train on: ``course.datasets``). See :func:`autograder.worker.preload`."""
    if any(uses_keras(c) for c in chapters):
        return ("numpy", "keras", "sklearn.datasets")
    return ("numpy",)


def graded_chapters() -> list[str]:
    """Chapters that have a grading spec, in course order."""
    return [c for c in CHAPTERS if importlib.util.find_spec(f"autograder.chapters.{c}") is not None]
