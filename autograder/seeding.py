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

_configured: set[str] = set()


def _configure_numerics() -> None:
    """Full float32 precision for matmuls (no TF32 on Ampere+ GPUs) in whichever frameworks are
    loaded; op determinism and GPU memory growth in TensorFlow."""
    if "tensorflow" in sys.modules and "tensorflow" not in _configured:
        import tensorflow as tf
        tf.config.experimental.enable_op_determinism()
        tf.config.experimental.enable_tensor_float_32_execution(False)
        for gpu in tf.config.list_physical_devices("GPU"):
            try:
                tf.config.experimental.set_memory_growth(gpu, True)
            except RuntimeError:  # already initialised
                pass
        _configured.add("tensorflow")
    if "jax" in sys.modules and "jax" not in _configured:
        import jax
        jax.config.update("jax_default_matmul_precision", "highest")
        _configured.add("jax")
    if "torch" in sys.modules and "torch" not in _configured:
        import torch
        torch.backends.cuda.matmul.allow_tf32 = False
        torch.backends.cudnn.allow_tf32 = False
        _configured.add("torch")


def seed_everything(seed: int) -> None:
    """Seed Python, numpy and (when loaded) Keras and its backend; see ``_configure_numerics``."""
    random.seed(seed)
    np.random.seed(seed % 2**32)
    if "keras" in sys.modules or "tensorflow" in sys.modules:
        import keras
        _configure_numerics()
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
        "op_determinism": os.environ.get("KERAS_BACKEND", "tensorflow") == "tensorflow",
    }
