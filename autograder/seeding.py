"""Seeding, determinism and the environment fingerprint recorded in every results file."""
from __future__ import annotations

import functools
import importlib.metadata
import os
import platform
import random
import shutil
import subprocess
import sys

import numpy as np

_tf_configured = False


def _configure_tensorflow() -> None:
    """Op determinism on, TF32 off (Ampere+ GPUs use it for float32 matmuls by default)."""
    global _tf_configured
    if _tf_configured or "tensorflow" not in sys.modules:
        return
    import tensorflow as tf
    tf.config.experimental.enable_op_determinism()
    tf.config.experimental.enable_tensor_float_32_execution(False)
    for gpu in tf.config.list_physical_devices("GPU"):
        try:
            tf.config.experimental.set_memory_growth(gpu, True)
        except RuntimeError:  # already initialised
            pass
    _tf_configured = True


def seed_everything(seed: int) -> None:
    """Seed Python, numpy and (when loaded) Keras/TensorFlow; make TF deterministic."""
    random.seed(seed)
    np.random.seed(seed % 2**32)
    if "keras" in sys.modules or "tensorflow" in sys.modules:
        _configure_tensorflow()
        import keras
        keras.utils.set_random_seed(seed % 2**32)


def _version(dist: str) -> str | None:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return None


@functools.lru_cache(maxsize=1)
def detect_gpus() -> list[str]:
    """GPU names from the NVIDIA driver (or ``nvidia-smi``), without importing a framework."""
    root = "/proc/driver/nvidia/gpus"
    names = []
    if os.path.isdir(root):
        for bus in sorted(os.listdir(root)):
            try:
                with open(os.path.join(root, bus, "information")) as fh:
                    for line in fh:
                        if line.startswith("Model:"):
                            names.append(line.split(":", 1)[1].strip())
            except OSError:
                continue
    if not names and shutil.which("nvidia-smi"):
        try:
            listing = subprocess.run(["nvidia-smi", "-L"], capture_output=True, text=True, timeout=30)
            names = [line.split(":", 1)[1].split("(")[0].strip()
                     for line in listing.stdout.splitlines() if line.startswith("GPU ")]
        except (OSError, subprocess.TimeoutExpired):
            pass
    return names


def fingerprint(base_seed: int) -> dict:
    """Versions, device, seeds and numerics settings of a grading run."""
    gpus = detect_gpus()
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "versions": {name: _version(name) for name in ("numpy", "tensorflow", "keras", "dl-course")},
        "keras_backend": os.environ.get("KERAS_BACKEND", "tensorflow"),
        "device": f"gpu: {', '.join(gpus)}" if gpus else "cpu",
        "base_seed": base_seed,
        "tf32": "off",
        "op_determinism": True,
    }
