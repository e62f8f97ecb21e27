"""``autograder doctor``: which install is running, what can isolate student code here, the limits."""
from __future__ import annotations

import importlib.metadata
import importlib.util
import os
import platform
import sys
from pathlib import Path

from .runner import Limits
from .sandbox import HOW_TO_ENABLE, MECHANISMS, choose, mechanism_problem, source_checkout
from .seeding import detect_gpus


def _install() -> str:
    package = Path(__file__).resolve().parent
    try:
        version = importlib.metadata.version("dl-course")
    except importlib.metadata.PackageNotFoundError:
        version = "not installed"
    checkout = source_checkout()
    kind = f"source checkout {checkout}" if checkout else "regular install"
    return f"dl-course {version}: {package} ({kind})"


def report() -> tuple[str, bool]:
    """The doctor's text, and whether student code can be isolated here."""
    euid = os.geteuid() if hasattr(os, "geteuid") else None  # (Windows has none)
    user = "root" if euid == 0 else f"uid {euid} (not root)" if euid is not None else "Windows user"
    copy = ("instructor's copy (answer key and hidden cases installed)"
            if importlib.util.find_spec("solutions") and importlib.util.find_spec("autograder.hidden")
            else "student bundle (no answer key or hidden cases: `check` only)")
    lines = [f"install:   {_install()}",
             f"python:    {platform.python_version()} at {sys.executable} (prefix {sys.prefix})",
             f"user:      {user}", f"course:    {copy}", "isolation:"]
    for mechanism in MECHANISMS:
        problem = mechanism_problem(mechanism)
        lines.append(f"  {mechanism:<11} {'works' if problem is None else 'no: ' + problem}")
    sandbox, why = choose()
    if sandbox:
        lines.append(f"  grading uses: {sandbox.description}")
    else:
        lines.append(f"  grading cannot isolate student code here: {HOW_TO_ENABLE}")
    limits = Limits()
    lines.append(f"limits:    per worker {limits.memory_mb} MB memory, {limits.processes} processes "
                 f"and threads, {limits.disk_mb} MB writable space, {limits.output_mb} MB per file "
                 "written; printing unlimited (change with grade --memory-mb, --max-processes, --disk-mb)")
    gpus = detect_gpus()
    lines.append(f"devices:   {len(gpus)} GPU(s): {', '.join(gpus)}" if gpus else "devices:   CPU only")
    return "\n".join(lines), sandbox is not None
