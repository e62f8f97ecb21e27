"""Inside fresh namespaces: build the worker's file system, then run the worker as its own user.

Run by the ``namespaces`` mechanism of :mod:`autograder.sandbox` as
``python -I -S sandbox_setup.py PLAN -- COMMAND...`` right after util-linux ``unshare`` made new
mount, PID, network, IPC and UTS namespaces (and a user namespace when the grader is not root). It
is (namespace) root here and nothing of the student has run yet. Standard library only: it runs
before any path is set up. ``PLAN`` is JSON (see ``Sandbox.plan``):

- ``root``: an empty host folder that becomes the new ``/`` (a tmpfs);
- ``system``: top-level names shown read-only (``usr``, ``etc``, ...; symbolic links copied as links);
- ``keep``: paths shown read-only at the same place (the Python installation, the course packages);
- ``cover``: paths inside those that stay hidden (answer key, hidden cases, demo, run folders);
- ``work``, ``files``, ``disk_mb``, ``uid``: the working folder, a size-limited tmpfs holding copies
  of ``files`` (name -> host path), owned by ``uid`` (None: stay namespace root, without capabilities).

The old root is detached with ``pivot_root`` (not a ``chroot``, which a process with capabilities in
a nested user namespace could leave), ``/tmp`` leads into the working folder's tmpfs (unless a
kept path lies under it; ``TMPDIR`` always does), ``/dev/shm`` is a tmpfs of the same size, and the
worker runs with no capabilities and ``no_new_privs`` (:func:`drop_privileges`). A warm worker
(:mod:`autograder.zygote`) calls :func:`build_root` and :func:`drop_privileges` in its own process
instead of running this file.
"""
import ctypes
import json
import os
import shutil
import subprocess
import sys

MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 1, 2, 4, 8
MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = 32, 4096, 16384, 1 << 18
MNT_DETACH = 2
# statvfs flags that a bind mount in a user namespace must keep when it is made read-only
_LOCKED = {os.ST_NOSUID: MS_NOSUID, os.ST_NODEV: MS_NODEV, os.ST_NOEXEC: MS_NOEXEC,
           os.ST_NOATIME: 1024, os.ST_NODIRATIME: 2048, os.ST_RELATIME: 1 << 21}
_libc = ctypes.CDLL(None, use_errno=True)


def mount(source, target, fstype, flags, data=None):
    if _libc.mount(*(s.encode() if s else None for s in (source, target, fstype)), flags,
                   data.encode() if data else None) != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"mount {source or ''} on {target}: {os.strerror(err)}")


def bind(source, target, read_only=True):
    mount(source, target, None, MS_BIND | MS_REC)
    if read_only:
        kept = os.statvfs(target).f_flag
        flags = sum(ms for st, ms in _LOCKED.items() if kept & st)
        mount(None, target, None, MS_REMOUNT | MS_BIND | MS_RDONLY | flags)


def make_point(path, like):
    """An empty folder or file at ``path`` to mount ``like`` on."""
    if os.path.isdir(like):
        os.makedirs(path, exist_ok=True)
    else:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        open(path, "a").close()


def build_root(plan) -> None:
    """Make the new root of ``plan`` (see the module docstring) and move into it: afterwards this
    process sees only the sandbox's file system, at its working folder."""
    root, work, uid = plan["root"], plan["work"], plan["uid"]
    owner = 0 if uid is None else uid
    mount(None, "/", None, MS_REC | MS_PRIVATE)
    mount("tmpfs", root, "tmpfs", MS_NOSUID | MS_NODEV, "mode=755")
    new = lambda path: root + path  # noqa: E731 - a host path's place in the new root
    for name in plan["system"]:
        if os.path.islink("/" + name):
            os.symlink(os.readlink("/" + name), new("/" + name))
        elif os.path.isdir("/" + name):
            os.mkdir(new("/" + name))
            bind("/" + name, new("/" + name), read_only=name not in ("dev",))
    os.makedirs(new("/proc"), exist_ok=True)
    mount("proc", new("/proc"), "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)
    for path in plan["keep"]:
        if os.path.exists(path):
            make_point(new(path), path)
            bind(path, new(path))
    blocked = new("/.blocked")  # an empty file nobody may read, to cover files with (it stays:
    # deleting it would leave an orphan that keeps the new root from becoming read-only)
    os.close(os.open(blocked, os.O_CREAT | os.O_WRONLY, 0))
    for path in plan["cover"]:
        if os.path.isdir(new(path)):
            mount("tmpfs", new(path), "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV, "mode=755,size=4k")
        elif os.path.exists(new(path)):
            bind(blocked, new(path))
    os.makedirs(new(work), exist_ok=True)
    mount("tmpfs", new(work), "tmpfs", MS_NOSUID | MS_NODEV,
          f"size={plan['disk_mb']}m,mode=700,uid={owner},gid={owner}")
    for name, source in plan["files"].items():
        shutil.copyfile(source, new(f"{work}/{name}"))
    for sub in (".home", ".tmp"):
        os.mkdir(new(f"{work}/{sub}"))
    for path, _, files in os.walk(new(work)):
        for name in [path, *(os.path.join(path, f) for f in files)]:
            os.chown(name, owner, owner)
    if not os.path.exists(new("/tmp")):  # else a kept path lies there: /tmp stays read-only
        os.symlink(f"{work}/.tmp", new("/tmp"))
    if os.path.isdir(new("/dev/shm")):
        mount("tmpfs", new("/dev/shm"), "tmpfs", MS_NOSUID | MS_NODEV,
              f"size={plan['disk_mb']}m,mode=1777")
    tools = os.environ.get("PATH", "") + ":/usr/sbin:/sbin:/usr/bin:/bin"
    os.chdir(root)
    subprocess.run([shutil.which("pivot_root", path=tools), ".", "."], check=True)  # the old
    if _libc.umount2(b".", MNT_DETACH) != 0:  # root ends up right under the new one: detach it
        raise OSError(ctypes.get_errno(), "could not detach the old root")
    os.chdir("/")
    mount(None, "/", None, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV)
    os.chdir(work)


PR_CAPBSET_DROP, PR_SET_NO_NEW_PRIVS, PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL = 24, 38, 47, 4
_CAP_VERSION_3 = 0x20080522


def drop_privileges(uid) -> None:
    """Become ``uid`` (None: stay namespace root) with no capabilities at all (effective,
    permitted, inheritable, ambient, bounding) and ``no_new_privs``: nothing this process or a
    program it runs does can gain one back."""
    last = int(open("/proc/sys/kernel/cap_last_cap").read())
    for cap in range(last + 1):
        if _libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), f"could not drop capability {cap} from the bounding set")
    _libc.prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0)
    if uid is not None:
        os.setgroups([])
        os.setresgid(uid, uid, uid)
        os.setresuid(uid, uid, uid)
    header = (ctypes.c_uint32 * 2)(_CAP_VERSION_3, 0)
    if _libc.capset(header, (ctypes.c_uint32 * 6)()) != 0:  # all three sets, both words: empty
        raise OSError(ctypes.get_errno(), "could not clear the capabilities")
    if _libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "could not set no_new_privs")


def main(argv):
    plan, command = json.loads(argv[0]), argv[2:]
    build_root(plan)
    drop_privileges(plan["uid"])
    os.execv(command[0], command)


if __name__ == "__main__":
    try:
        main(sys.argv[1:])
    except Exception as exc:  # noqa: BLE001 - say what failed, in one line, to the grader's log
        print(f"sandbox setup failed: {exc}", file=sys.stderr)
        sys.exit(121)
