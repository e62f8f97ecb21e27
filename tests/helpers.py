"""Paths and a CLI runner shared by the engine's tests."""
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
INDEPENDENT = Path(__file__).resolve().parent / "independent"


def run_cli(*args, cwd=None, env=None, timeout=600):
    """Run ``python -m autograder ARGS``; return the CompletedProcess (text, captured)."""
    return subprocess.run([sys.executable, "-m", "autograder", *map(str, args)], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=timeout)
