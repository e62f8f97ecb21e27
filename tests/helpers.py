"""Paths, a CLI runner, a regular install and an unprivileged account shared by the engine's tests."""
import atexit
import functools
import glob
import os
import pwd
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
INDEPENDENT = Path(__file__).resolve().parent / "independent"
TEST_USER = "autograder-test"


def run_cli(*args, cwd=None, env=None, timeout=600):
    """Run ``python -m autograder ARGS``; return the CompletedProcess (text, captured)."""
    return subprocess.run([sys.executable, "-m", "autograder", *map(str, args)], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=timeout)


def assert_usual_demo(proc, out):
    """The demo's gradebook as always: Ada full marks, Dan's hang and Eve's segfault reported, Fay's
    notebooks full marks."""
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0].split()[0] == "student"
    ada = next(line for line in lines if line.startswith("Ada Lovelace"))
    assert ada.split()[-1] == "100"
    dan = next(line for line in lines if line.startswith('Dan "loops" Ng'))
    assert int(dan.split()[-1]) < 100
    assert "timed out" in proc.stdout and "SIGSEGV" in proc.stdout
    fay = next(line for line in lines if line.startswith("Fay Jupyter"))  # notebooks, scratch cells
    assert fay.split()[-1] == "100"
    assert (Path(out) / "grades.csv").is_file()
    assert len(list(Path(out).glob("*/results.json"))) == 6


def _temp_folder(prefix: str) -> Path:
    """A new temp folder, deleted when the test session ends."""
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    atexit.register(shutil.rmtree, folder, True)
    return folder


def _others_can_use(path) -> bool:
    """Whether any account may read ``path`` (every folder above it searchable by others)."""
    path = Path(path).resolve()
    return all(os.stat(p).st_mode & 0o001 for p in path.parents) and bool(os.stat(path).st_mode & 0o004)


def _shared_python() -> str | None:
    """An interpreter of this Python version that every account may run."""
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    for candidate in (getattr(sys, "_base_executable", sys.executable), f"/usr/bin/{version}",
                      f"/usr/local/bin/{version}"):
        if candidate and os.path.exists(candidate) and _others_can_use(candidate):
            return str(Path(candidate).resolve())
    return None


@functools.lru_cache(maxsize=1)
def regular_install() -> tuple[Path | None, str]:
    """``(python, "")`` of a fresh virtualenv in a temp folder holding a regular (not editable)
    install of this checkout, usable by any account; ``(None, why)`` where that cannot be made.

    The heavy dependencies (TensorFlow, ...) come from this environment through a ``.pth`` file
    (they are not what is tested, and installing them takes minutes); the course is a wheel built
    from the checkout and installed with pip, as ``pip install .`` does."""
    base = _shared_python()
    deps = sysconfig.get_paths()["purelib"]
    if base is None or not _others_can_use(deps):
        return None, (f"no interpreter or dependencies that another account may use "
                      f"(python {base}, dependencies in {deps})")
    root = _temp_folder("autograder-install-")
    root.chmod(0o755)
    venv = root / "venv"
    subprocess.run([base, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    purelib = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             capture_output=True, text=True, check=True).stdout.strip()
    Path(purelib, "course-deps.pth").write_text(deps + "\n")
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "wheel", "--no-deps", "-w", str(root / "wheel"), str(REPO)], check=True,
                   capture_output=True)
    subprocess.run([*pip, "--python", str(python), "install", "--no-deps",
                    *glob.glob(str(root / "wheel" / "*.whl"))], check=True, capture_output=True)
    subprocess.run(["chmod", "-R", "a+rX", str(root)], check=True)
    return python, ""


def unprivileged_account() -> tuple[list[str], dict] | None:
    """``(prefix, env)`` to run a command as an unprivileged account: as root, the account
    ``autograder-test`` (created if missing); as anyone else, oneself. None when unavailable."""
    if os.geteuid() != 0:
        return [], dict(os.environ)
    entry = _test_account()
    if shutil.which("setpriv") is None or entry is None:
        return None
    home = _temp_folder("autograder-test-home-")
    os.chown(home, entry.pw_uid, entry.pw_gid)
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(home), "LANG": "C.UTF-8"}
    return ["setpriv", f"--reuid={entry.pw_uid}", f"--regid={entry.pw_gid}", "--clear-groups"], env


def _test_account():
    """The test account's passwd entry, created on first use (None where it cannot be)."""
    try:
        return pwd.getpwnam(TEST_USER)
    except KeyError:
        if shutil.which("useradd") is None:
            return None
        subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin",
                        TEST_USER], check=True, capture_output=True)
        return pwd.getpwnam(TEST_USER)


def account_folder(prefix: str) -> Path:
    """A new temp folder that the test account owns (deleted when the session ends)."""
    folder = _temp_folder(prefix)
    entry = _test_account() if os.geteuid() == 0 else None
    if entry is not None:
        os.chown(folder, entry.pw_uid, entry.pw_gid)
    return folder


def start_under_backend(backend: str, code: str) -> subprocess.Popen:
    """Start the Python ``code`` in a fresh interpreter with ``KERAS_BACKEND=backend`` (it first
    checks that Keras started on ``backend``); read it with :func:`finish_under_backend`."""
    env = dict(os.environ, KERAS_BACKEND=backend)
    code = f"import keras\nassert keras.backend.backend() == {backend!r}, keras.backend.backend()\n{code}"
    return subprocess.Popen([sys.executable, "-c", code], cwd=REPO, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def finish_under_backend(proc: subprocess.Popen, timeout=300) -> str:
    """The stdout of a child of :func:`start_under_backend`; fails the test (with the child's
    stderr) when the child failed."""
    try:
        stdout, stderr = proc.communicate(timeout=timeout)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 0, stderr[-4000:]
    return stdout


def run_under_backend(backend: str, code: str, timeout=300) -> str:
    """Run the Python ``code`` in a fresh interpreter with ``KERAS_BACKEND=backend``; return its
    stdout. Fails the test (with the child's stderr) when the child fails, or when Keras did not
    start on ``backend``: the backend-agnostic course and exercises are checked on JAX this way
    (one backend per process is all Keras allows)."""
    return finish_under_backend(start_under_backend(backend, code), timeout)
