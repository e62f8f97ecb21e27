"""What a grading worker prints, drained by the runner and told apart by phase.

A worker's stdout and stderr (its children's too) are one pipe that the runner reads all along, so
that printing never blocks or fails, whatever the amount or the route (``print``, ``os.write(1)``, a
child process). Around each chapter import and each task the worker writes a start and an end
marker (:func:`marker`: a NUL, the run's random token, ``S`` or ``E``, a NUL) through its own copy of
the pipe, after flushing ``sys.stdout``/``sys.stderr``; its events go through another pipe. Every
byte between a start and an end marker belongs to that phase, so the runner can attach to each task
exactly what it printed, keeping the first and last few KB (:class:`Printed`) in bounded memory.
A student who prints the token only muddles their own feedback. Where ``select`` cannot wait on a
pipe (Windows; see :mod:`autograder.portable`), a thread reads it instead (``threaded=True``).
"""
from __future__ import annotations

import os
import threading
from collections import deque

from .portable import drain

KEEP = 4096  # bytes kept from the start, and from the end, of what one phase printed


def marker(token: str, kind: str) -> bytes:
    """The marker that starts (``kind`` "S") or ends ("E") a phase."""
    return b"\0" + token.encode("ascii") + b":" + kind.encode("ascii") + b"\0"


class Printed:
    """What was printed during one phase: the first and last :data:`KEEP` bytes, and how much."""

    def __init__(self):
        self.head, self.tail, self.total = bytearray(), bytearray(), 0

    def add(self, chunk: bytes) -> None:
        self.total += len(chunk)
        room = KEEP - len(self.head)
        if room > 0:
            self.head += chunk[:room]
            chunk = chunk[room:]
        if chunk:
            self.tail += chunk
            del self.tail[:-KEEP]

    def text(self) -> str:
        dropped = self.total - len(self.head) - len(self.tail)
        gap = f"\n[... {dropped} more bytes not kept ...]\n" if dropped else ""
        return (self.head.decode("utf-8", "replace") + gap
                + self.tail.decode("utf-8", "replace")).strip("\n")


class WorkerOutput:
    """The runner's end of a worker's output pipe (non-blocking ``fd``), split at the markers of
    ``token``: ``current`` is the phase being printed, ``finished`` the phases that ended and were
    not taken yet, in order."""

    def __init__(self, fd: int, token: str, threaded: bool = False):
        self.fd, self.prefix = fd, marker(token, "")[:-1]  # NUL, token, colon
        self.pending = bytearray()  # bytes that may begin a marker
        self.current, self.finished = Printed(), deque()
        self.open = True
        self.thread = None
        if threaded:  # where select cannot wait on a pipe: a thread reads it, blocking
            self.lock = threading.Condition()
            self.thread = threading.Thread(target=drain, args=(fd, self._deliver),
                                           name="worker-output", daemon=True)
            self.thread.start()

    def _deliver(self, chunk: bytes) -> None:
        """The reading thread's chunks (``b""``: the end of the pipe)."""
        with self.lock:
            if chunk:
                self._feed(chunk)
            else:
                self.open = False
                self.so_far()
            self.lock.notify_all()

    def close(self, wait: float = 2.0) -> None:
        """Stop reading: close the pipe (select mode), or let the thread read it to its end (it
        ends once every writer is gone) for up to ``wait`` seconds."""
        if self.thread is None:
            os.close(self.fd)
        else:
            self.thread.join(wait)

    def read(self, most: int = 1 << 16) -> int:
        """Read up to ``most`` bytes of what is there now; return how many were read (threaded:
        the thread reads; nothing to do)."""
        if self.thread is not None:
            return 0
        got = 0
        while self.open and got < most:
            try:
                chunk = os.read(self.fd, 1 << 16)
            except BlockingIOError:
                break
            if not chunk:
                self.open = False
                self.so_far()
                break
            got += len(chunk)
            self._feed(chunk)
        return got

    def take(self) -> Printed:
        """What the phase that just ended printed (its end marker was written before the event
        that says it ended, so it is in the pipe by now; a reading thread gets a moment to reach
        it)."""
        if self.thread is not None:
            with self.lock:
                self.lock.wait_for(lambda: self.finished or not self.open, timeout=2.0)
                return self.finished.popleft() if self.finished else Printed()
        while not self.finished and self.read():  # (nothing there: the student closed its copy)
            pass
        return self.finished.popleft() if self.finished else Printed()

    def _feed(self, chunk: bytes) -> None:
        data = self.pending + chunk
        start = 0
        while True:
            at = data.find(self.prefix, start)
            if at < 0 or at + len(self.prefix) + 2 > len(data):
                break
            kind, close = data[at + len(self.prefix):at + len(self.prefix) + 2]
            self.current.add(bytes(data[start:at]))
            start = at + len(self.prefix) + 2
            if close != 0 or kind not in b"SE":
                self.current.add(bytes(data[at:start]))  # not a marker after all
            elif kind == ord("S"):
                self.current = Printed()
            else:
                self.finished.append(self.current)
                self.current = Printed()
        # keep back a marker cut by the read, or what could begin one
        cut = at if at >= 0 else max(start, len(data) - (len(self.prefix) - 1))
        self.current.add(bytes(data[start:cut]))
        self.pending = bytearray(data[cut:])

    def so_far(self) -> Printed:
        """The phase being printed, with what was held back (the worker has stopped)."""
        if self.thread is not None and threading.current_thread() is not self.thread:
            with self.lock:
                return self._so_far()
        return self._so_far()

    def _so_far(self) -> Printed:
        self.current.add(bytes(self.pending))
        self.pending.clear()
        return self.current
