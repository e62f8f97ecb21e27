"""Isolation of grading workers: what a worker sees, who it runs as, and how much it may use.

Two mechanisms build the same sandbox (see ``docs/architecture.md``):

- ``namespaces``: util-linux ``unshare`` makes new mount, PID, network, IPC and UTS namespaces; as
  root the worker then runs as a user of its own (an unused uid, one per running worker), otherwise a
  new user namespace maps the grader's user to namespace root, which keeps no capabilities.
  :mod:`autograder.sandbox_setup` builds the file system inside.
- ``bubblewrap``: ``bwrap`` (the sandbox Flatpak uses; 0.8 or newer), for accounts where the kernel
  lets only it create user namespaces (Ubuntu 24.04's AppArmor policy, for instance). Not as root.

Either way the worker's ``/`` is a new, read-only tmpfs holding only: the system folders (``/usr``,
``/etc``, ``/bin``, ``/lib*``, ``/sbin`` read-only; ``/dev``, ``/sys``; its own ``/proc``), the
Python installation and every folder on the interpreter's path (read-only, at the same places), and
its working folder :data:`WORKDIR`, a tmpfs of ``Limits.disk_mb`` holding copies of the chapter
files, with ``TMPDIR`` and ``/tmp`` leading into it (``/tmp`` stays read-only where a kept path lies
under it) and ``/dev/shm`` a tmpfs of the same size. The answer key, the hidden cases and the demo
are covered wherever they lie on those paths; a source checkout is never shown, only its ``course`` and
``autograder`` packages. There is no network, and the worker is PID 1 (``namespaces``) or the only
child of PID 1 (``bubblewrap``) of its PID namespace: everything it starts dies with it. Its
process limit (``RLIMIT_NPROC``, set by the worker) counts only its own processes and threads,
because each worker has its own user or user namespace.
"""
from __future__ import annotations

import functools
import json
import os
import shutil
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path

MECHANISMS = ("namespaces", "bubblewrap")
WORKDIR = "/grading"  # the worker's folder inside a sandbox
_SYSTEM = ("bin", "dev", "etc", "lib", "lib32", "lib64", "libx32", "sbin", "sys", "usr")
_PACKAGE_DIR = Path(__file__).resolve().parent
_SETUP = _PACKAGE_DIR / "sandbox_setup.py"
HOW_TO_ENABLE = (
    "to isolate student code, do one of: grade as root; enable unprivileged user namespaces "
    "(sysctl user.max_user_namespaces=10000, and on Ubuntu 23.10+ "
    "kernel.apparmor_restrict_unprivileged_userns=0); or install bubblewrap 0.8+ "
    "(apt install bubblewrap, dnf install bubblewrap). `autograder doctor` shows what works here")


def source_checkout() -> Path | None:
    """The source checkout the packages are imported from (an editable install), else None."""
    parent = _PACKAGE_DIR.parent
    return parent if (parent / "setup.cfg").is_file() else None


@functools.lru_cache(maxsize=1)
def interpreter_path() -> tuple[str, ...]:
    """The folders a worker imports from: those of the course's packages, then the path a fresh
    interpreter gets here (site-packages, ``.pth`` entries, the user's site), without a checkout."""
    import course
    probe = subprocess.run([sys.executable, "-E", "-c", "import json, sys; print(json.dumps(sys.path))"],
                           capture_output=True, text=True, cwd="/", check=True)
    first = [str(_PACKAGE_DIR.parent), str(Path(course.__file__).resolve().parent.parent)]
    checkout = source_checkout()
    rest = [p for p in json.loads(probe.stdout)
            if p and os.path.exists(p) and (checkout is None or Path(p).resolve() != checkout)]
    return tuple(dict.fromkeys(first + rest))


@functools.lru_cache(maxsize=1)
def runtime_paths() -> tuple[Path, ...]:
    """What a sandboxed worker sees read-only besides the system: the interpreter and its path
    (computed once: every worker start needs it)."""
    import course
    paths = {Path(p) for p in (sys.prefix, sys.base_prefix, sys.exec_prefix, *interpreter_path())}
    paths |= {Path(sys.executable).resolve().parent.parent}
    checkout = source_checkout()
    if checkout is not None:  # only the packages, never the answer key or tests beside them
        paths -= {checkout}
        paths |= {_PACKAGE_DIR, Path(course.__file__).resolve().parent}
    paths |= {p.resolve() for p in paths}
    return tuple(sorted((p for p in paths
                         if p.exists() and not _inside(p, [Path("/", s) for s in _SYSTEM])),
                        key=lambda p: (len(p.parts), str(p))))


@functools.lru_cache(maxsize=4)
def private_paths(visible: tuple[Path, ...]) -> list[Path]:
    """The private modules (``spec.PRIVATE_MODULES``: answer key, hidden cases, demo) on ``visible``."""
    import importlib.util

    from .spec import private_files
    paths = set(private_files(_PACKAGE_DIR.parent))
    for base in visible:  # a kept prefix (the base interpreter's, say) has site-packages inside
        inner = {f.resolve() for pattern in ("lib*/python*/site-packages", "lib*/python*/dist-packages")
                 for f in base.glob(pattern)}  # resolved: lib64 may be a link to lib
        for folder in (base, *inner):
            paths |= set(private_files(folder))
    try:
        found = importlib.util.find_spec("solutions")
    except ImportError:  # an import guard refused even to look: then it is not reachable
        found = None
    if found is not None and found.submodule_search_locations:
        paths |= {Path(p) for p in found.submodule_search_locations}
    return sorted(p for p in paths if p.exists())


def _inside(path: Path, others) -> bool:
    return any(path == o or o in path.parents for o in others)


def _inside_any_kept(folder: str | Path, keep) -> bool:
    """Whether some path of ``keep`` lies in ``folder`` (or is it)."""
    return any(_inside(p, [Path(folder)]) for p in keep)


class _UidPool:
    """Unused uids for root's workers, one per running worker: the process limit counts per user."""
    _BASE = 0x40000000 + (os.getpid() % 0x80000) * 1024

    def __init__(self):
        self._lock, self._used = threading.Lock(), set()

    def take(self) -> int:
        with self._lock:
            offset = next(i for i in range(1 << 20) if i not in self._used)
            self._used.add(offset)
        return self._BASE + offset

    def give(self, uid: int) -> None:
        with self._lock:
            self._used.discard(uid - self._BASE)


_UIDS = _UidPool()


@dataclass(frozen=True)
class Sandbox:
    """How to isolate a worker: ``mechanism`` (one of :data:`MECHANISMS`) and run-specific folders
    to keep covered (``hide``: the submissions and results, in case they lie on a visible path)."""
    mechanism: str
    hide: tuple[Path, ...] = field(default_factory=tuple)

    @property
    def description(self) -> str:
        """What isolates the workers, as recorded in every results file."""
        if self.mechanism == "bubblewrap":
            return "bubblewrap (user namespace)"
        return "namespaces (root, one user per worker)" if os.geteuid() == 0 else "user namespaces"

    def take_uid(self) -> int | None:
        """The user one worker runs as (None: the grader's own user, in a user namespace)."""
        return _UIDS.take() if self.mechanism == "namespaces" and os.geteuid() == 0 else None

    @staticmethod
    def give_uid(uid: int | None) -> None:
        if uid is not None:
            _UIDS.give(uid)

    def _cover(self, keep) -> list[Path]:
        """What stays hidden on the visible paths: the private modules and the run's folders."""
        visible = [*keep, *(Path("/", s) for s in _SYSTEM)]
        hide = [h.resolve() for h in self.hide]  # never over what the worker needs
        cover = [p for p in {*private_paths(keep), *(h for h in hide if not _inside_any_kept(h, keep))}
                 if _inside(p, visible)]
        return sorted(cover, key=lambda p: len(p.parts))

    def plan(self, files: dict[str, Path], root: Path, disk_mb: int, uid: int | None) -> dict:
        """The ``namespaces`` mechanism's plan of the worker's file system (see
        :mod:`autograder.sandbox_setup`): :data:`WORKDIR` holding copies of ``files`` (name -> host
        path), in a new root made in the empty host folder ``root``."""
        keep = runtime_paths()
        return {"root": str(root), "system": list(_SYSTEM), "keep": [str(p) for p in keep],
                "cover": [str(p) for p in self._cover(keep)], "work": WORKDIR, "disk_mb": disk_mb,
                "files": {n: str(p) for n, p in files.items()}, "uid": uid}

    def wrap(self, command: list[str], files: dict[str, Path], root: Path, disk_mb: int,
             uid: int | None) -> tuple[list[str], list[int]]:
        """The command line that runs ``command`` in the sandbox (see :meth:`plan` for the
        arguments). Returns it with the file descriptors the child must inherit (close them after
        starting it)."""
        if self.mechanism == "namespaces":
            ns = ["unshare", "--mount", "--pid", "--net", "--ipc", "--uts", "--fork", "--kill-child"]
            if os.geteuid() != 0:
                ns[1:1] = ["--user", "--map-root-user"]
            return [*ns, "--", sys.executable, "-I", "-S", str(_SETUP),
                    json.dumps(self.plan(files, root, disk_mb, uid)), "--", *command], []
        keep = runtime_paths()
        return self._bwrap(command, files, keep, self._cover(keep), disk_mb)

    @staticmethod
    def _bwrap(command, files, keep, cover, disk_mb):
        args = ["bwrap", "--unshare-user", "--unshare-pid", "--unshare-net", "--unshare-ipc",
                "--unshare-uts", "--unshare-cgroup-try", "--disable-userns", "--die-with-parent",
                "--new-session"]
        for name in _SYSTEM:
            path = Path("/", name)
            if path.is_symlink():
                args += ["--symlink", os.readlink(path), str(path)]
            elif path.is_dir() and name not in ("dev", "sys"):
                args += ["--ro-bind", str(path), str(path)]
        args += ["--dev", "/dev", "--ro-bind", "/sys", "/sys", "--proc", "/proc",
                 "--size", str(disk_mb * 2**20), "--tmpfs", "/dev/shm"]
        for dev in sorted(Path("/dev").glob("nvidia*")):  # GPUs
            args += ["--dev-bind", str(dev), str(dev)]
        for path in keep:
            args += ["--ro-bind", str(path), str(path)]
        fds = []
        for path in cover:  # folders by an empty tmpfs, files by an empty file nobody may read
            if path.is_dir():
                args += ["--tmpfs", str(path), "--remount-ro", str(path)]
            else:
                fds.append(os.open(os.devnull, os.O_RDONLY))
                args += ["--perms", "0000", "--ro-bind-data", str(fds[-1]), str(path)]
        args += ["--size", str(disk_mb * 2**20), "--perms", "0700", "--tmpfs", WORKDIR]
        for name, path in files.items():
            fds.append(os.open(path, os.O_RDONLY))
            args += ["--file", str(fds[-1]), f"{WORKDIR}/{name}"]
        args += ["--dir", f"{WORKDIR}/.home", "--dir", f"{WORKDIR}/.tmp"]
        if not _inside_any_kept("/tmp", keep):  # else /tmp holds kept paths, read-only
            args += ["--symlink", f"{WORKDIR}/.tmp", "/tmp"]
        args += ["--remount-ro", "/", "--chdir", WORKDIR, "--", *command]
        return args, fds


def _missing_tools(mechanism: str) -> str | None:
    if not sys.platform.startswith("linux"):
        return f"needs Linux (this is {sys.platform})"
    if mechanism == "namespaces":
        missing = [t for t in ("unshare",) if shutil.which(t) is None]
        if shutil.which("pivot_root", path=os.environ.get("PATH", "") + ":/usr/sbin:/sbin") is None:
            missing.append("pivot_root")
        return f"{', '.join(missing)} not found (install util-linux)" if missing else None
    if os.geteuid() == 0:
        return "bubblewrap is for unprivileged accounts (as root, namespaces are used)"
    if shutil.which("bwrap") is None:
        return "bwrap not found (install bubblewrap 0.8+)"
    usage = subprocess.run(["bwrap", "--help"], capture_output=True, text=True).stdout
    if "--size" not in usage or "--disable-userns" not in usage:
        return "this bwrap is older than 0.8 (no --size or --disable-userns): install a newer one"
    return None


@functools.lru_cache(maxsize=None)
def mechanism_problem(mechanism: str) -> str | None:
    """None when ``mechanism`` works here (a real worker starts in it), else why not."""
    problem = _missing_tools(mechanism)
    if problem:
        return problem
    from .runner import GraderFailure, run_tasks
    try:
        run_tasks({}, [], sandbox=Sandbox(mechanism))
    except GraderFailure as exc:
        return str(exc)
    return None


def choose(preference: str = "auto", hide: tuple[Path, ...] = ()) -> tuple[Sandbox | None, str]:
    """The sandbox to grade in (None when none works) and a line saying what was tried.

    ``preference``: ``auto`` (the first of :data:`MECHANISMS` that works here; the environment
    variable ``AUTOGRADER_SANDBOX`` may name one instead) or a mechanism's name.
    """
    if preference == "auto":
        preference = os.environ.get("AUTOGRADER_SANDBOX", "auto")
    if preference not in ("auto", *MECHANISMS):
        raise ValueError(f"unknown sandbox {preference!r}: choose auto, {', '.join(MECHANISMS)}")
    tried = []
    for mechanism in MECHANISMS if preference == "auto" else (preference,):
        problem = mechanism_problem(mechanism)
        if problem is None:
            return Sandbox(mechanism, hide), mechanism
        tried.append(f"{mechanism}: {problem}")
    return None, "; ".join(tried) + "; " + HOW_TO_ENABLE


@dataclass(frozen=True)
class Isolation:
    """How one run isolates student code: its ``sandbox`` (None: none), the ``description`` every
    results file records (``environment.isolation``) and a ``note`` for people where it does not."""
    sandbox: Sandbox | None
    description: str
    note: str = ""


POLICIES = ("grade", "check", "gradescope")


def isolation_for(policy: str, preference: str = "auto", hide: tuple[Path, ...] = (),
                  unsafe: bool = False) -> Isolation:
    """The isolation of a run, by the command's policy where no sandbox works here:

    - ``grade`` refuses (RuntimeError saying what to enable) unless ``unsafe``;
    - ``check`` (a student's own code on their own machine) runs it, with a note;
    - ``gradescope`` (a container that may forbid namespaces) runs it and says so in the results.
    """
    if policy not in POLICIES:
        raise ValueError(f"unknown isolation policy {policy!r}")
    sandbox, why = choose(preference, hide)
    if sandbox is not None:
        return Isolation(sandbox, sandbox.description)
    if policy == "grade" and not unsafe:
        raise RuntimeError(f"cannot isolate student code here ({why}); or pass --unsafe to grade "
                           "without isolation (trusted submissions only)")
    if policy == "grade":
        return Isolation(None, "none (--unsafe)", f"grading without isolation (--unsafe): {why}")
    who = "your code ran" if policy == "check" else "graded"
    return Isolation(None, "none (no sandbox works here)", f"{who} without isolation: {why}")


def isolation_problem(preference: str = "auto") -> str | None:
    """None when student code can be isolated here, else what was tried and how to enable it."""
    sandbox, why = choose(preference)
    return None if sandbox else why
