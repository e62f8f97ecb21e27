"""Isolation of grading workers with Linux namespaces (util-linux ``unshare`` and ``setpriv``).

A sandboxed worker runs in new mount, PID, network, IPC and UTS namespaces:

- it sees only the system: ``/usr``, ``/etc``, ``/bin``, ``/lib*``, ``/sbin``, ``/dev`` (without
  ``/dev/shm``), ``/sys`` and its own ``/proc``. Every other top-level folder (``/home``, ``/root``,
  ``/tmp``, ``/var``, ``/opt``, ``/srv``, ``/mnt``, and any other, where copies of the course may lie)
  is covered by an empty read-only tmpfs, and so are the answer key, the hidden cases and the demo
  wherever they are installed, and the run's submissions and results folders. What the worker needs
  is bound back read-only: the Python installation, and the ``course`` and ``autograder`` packages
  (with ``autograder/hidden`` and the demo covered again). Its own working folder is the only
  writable place;
- it runs as user ``nobody`` with no capabilities (as root) or as the mapped user of a new user
  namespace with an empty bounding set (otherwise), so it cannot undo the mounts;
- it has no network (a new network namespace has only a downed loopback);
- it is PID 1 of its own PID namespace: when it ends or is killed, every process it started dies too,
  including ones that called ``setsid`` or double-forked.
"""
from __future__ import annotations

import functools
import os
import shlex
import shutil
import site
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

NOBODY = 65534
_SYSTEM_DIRS = {"bin", "dev", "etc", "lib", "lib32", "lib64", "libx32", "proc", "sbin", "sys", "usr"}
_STAGE = "/mnt"  # a tmpfs here holds what stays visible while the rest is covered


def _covered_top_level() -> list[Path]:
    """Every top-level folder or file but the system's (symbolic links are left: they lead inside)."""
    paths = [Path("/dev/shm")]
    for entry in os.scandir("/"):
        if not entry.is_symlink() and entry.name not in _SYSTEM_DIRS and entry.path != _STAGE:
            paths.append(Path(entry.path))
    return paths
_PACKAGE_DIR = Path(__file__).resolve().parent
_REPO = _PACKAGE_DIR.parent


def _private_paths() -> list[Path]:
    """The answer key, the hidden cases and the demo (it reads the answer key), wherever installed."""
    import importlib.util
    paths = [_REPO, _PACKAGE_DIR / "hidden", _PACKAGE_DIR / "demo.py"]
    try:
        found = importlib.util.find_spec("solutions")
    except ImportError:  # an import guard refused even to look: then it is not reachable
        found = None
    if found is not None and found.submodule_search_locations:
        paths += [Path(p) for p in found.submodule_search_locations]
    return paths


def _runtime_paths() -> list[Path]:
    """What a worker needs to run: the Python installation and the course's packages."""
    paths = {Path(p) for p in (sys.prefix, sys.base_prefix, sys.exec_prefix)}
    paths |= {Path(p) for p in site.getsitepackages()}
    import course
    paths |= {_PACKAGE_DIR, Path(course.__file__).resolve().parent}
    return sorted(p.resolve() for p in paths if p.exists())


def _inside(path: Path, others) -> bool:
    return any(path == o or o in path.parents for o in others)


@dataclass(frozen=True)
class Sandbox:
    """A namespace sandbox for one worker: ``hide`` adds run-specific folders to cover."""
    hide: tuple[Path, ...] = field(default_factory=tuple)

    @property
    def uid(self) -> int | None:
        """The user the worker runs as (None: the caller's, mapped in a user namespace)."""
        return NOBODY if os.geteuid() == 0 else None

    def wrap(self, command: list[str], workdir: Path) -> list[str]:
        """The command line that runs ``command`` inside the sandbox, in ``workdir``."""
        keep = _runtime_paths()
        hide = sorted({p.resolve() for p in (*_covered_top_level(), *_private_paths(), *self.hide)},
                      key=lambda p: len(p.parts))
        lines = ["set -e", "mount --make-rprivate /", f"mount -t tmpfs -o mode=700 tmpfs {_STAGE}",
                 f"touch {_STAGE}/blocked && chmod 000 {_STAGE}/blocked"]
        targets = [*keep, workdir]
        for i, path in enumerate(targets):  # stage what stays visible before covering
            lines.append(f"mkdir {_STAGE}/k{i} && mount --bind {shlex.quote(str(path))} {_STAGE}/k{i}")
        lines += [self._cover(p) for p in hide if not _inside(p, keep)]
        for i, path in enumerate(targets):
            q = shlex.quote(str(path))
            lines.append(f"mkdir -p {q} && mount --bind {_STAGE}/k{i} {q}")
            if path != workdir:
                lines.append(f"mount -o remount,bind,ro {q}")
        lines += [self._cover(p) for p in hide if _inside(p, keep)]  # e.g. autograder/hidden
        for p in hide:  # covers were writable for the mount points above; now freeze them
            q = shlex.quote(str(p))
            lines.append(f"if [ -d {q} ] && mountpoint -q {q}; then mount -o remount,ro {q}; fi")
        lines += [f"umount -l {_STAGE}", f"mount -t tmpfs -o ro,mode=755 tmpfs {_STAGE}",
                  f"cd {shlex.quote(str(workdir))}"]
        if self.uid is not None:
            drop = f"setpriv --reuid={self.uid} --regid={self.uid} --clear-groups "
        else:
            drop = "setpriv "
        drop += "--inh-caps=-all --bounding-set=-all --no-new-privs"
        lines.append(f'exec {drop} "$@"')
        ns = ["unshare", "--mount", "--pid", "--net", "--ipc", "--uts", "--fork", "--kill-child",
              "--mount-proc"]
        if self.uid is None:
            ns.insert(1, "--map-root-user")
            ns.insert(1, "--user")
        return [*ns, "--", "sh", "-c", "\n".join(lines), "sandbox", *command]

    @staticmethod
    def _cover(path: Path) -> str:
        q = shlex.quote(str(path))
        return (f"if [ -d {q} ]; then mount -t tmpfs -o mode=755 tmpfs {q}; "
                f"elif [ -e {q} ]; then mount --bind {_STAGE}/blocked {q}; fi")

    def prepare(self, workdir: Path) -> None:
        """Give the worker's user its working folder (and nothing else)."""
        if self.uid is None:
            return
        for root, dirs, files in os.walk(workdir):
            for name in [root, *(os.path.join(root, f) for f in files)]:
                os.chown(name, self.uid, self.uid)


@functools.lru_cache(maxsize=1)
def isolation_problem() -> str | None:
    """None when namespace isolation works on this machine, else why not (checked once)."""
    if not sys.platform.startswith("linux"):
        return f"namespace isolation needs Linux (this is {sys.platform})"
    missing = [tool for tool in ("unshare", "setpriv") if shutil.which(tool) is None]
    if missing:
        return f"{' and '.join(missing)} not found (install util-linux)"
    with tempfile.TemporaryDirectory(prefix="autograder-probe-") as tmp:
        probe = Sandbox().wrap([sys.executable, "-I", "-c", "import os; print(os.getpid())"], Path(tmp))
        try:
            proc = subprocess.run(probe, capture_output=True, text=True, timeout=60)
        except (OSError, subprocess.TimeoutExpired) as exc:
            return f"could not start a sandbox: {exc}"
    if proc.returncode != 0 or proc.stdout.strip() != "1":
        return "could not start a sandbox: " + (proc.stderr.strip().splitlines() or ["no output"])[-1]
    return None
