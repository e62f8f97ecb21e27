"""Progress of a grading run on stderr: a bar with ETA on a terminal, one line per student otherwise."""
from __future__ import annotations

import sys
import threading
import time


class Progress:
    def __init__(self, total: int, stream=None):
        self.total, self.done = total, 0
        self.stream = stream or sys.stderr
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.start = time.monotonic()
        self.lock = threading.Lock()

    def eta(self) -> str:
        if not self.done:
            return "--:--"
        left = (time.monotonic() - self.start) / self.done * (self.total - self.done)
        return f"{int(left // 60):d}:{int(left % 60):02d}"

    def step(self, message: str) -> None:
        with self.lock:
            self.done += 1
            if self.tty:
                width = 30
                filled = int(width * self.done / max(1, self.total))
                bar = "#" * filled + "." * (width - filled)
                self.stream.write(f"\r\x1b[K[{bar}] {self.done}/{self.total} ETA {self.eta()}  "
                                  f"{message[:60]}")
                if self.done == self.total:
                    self.stream.write("\n")
            else:
                self.stream.write(f"[{self.done}/{self.total}] {message} (ETA {self.eta()})\n")
            self.stream.flush()
