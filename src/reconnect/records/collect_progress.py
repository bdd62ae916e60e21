"""The progress bar ``reconnect collect`` draws on a terminal while it reads many handed-in files."""

from __future__ import annotations

import sys


class _Progress:
    """A one-line progress bar on a text stream (no dependency)."""

    def __init__(self, total: int, stream, *, width: int = 30):
        self.total, self.stream, self.width, self.done = total, stream, width, 0

    def step(self) -> None:
        self.done += 1
        if self.stream is None or (self.done % max(1, self.total // 200) and self.done != self.total):
            return  # about 200 updates in all: drawing the bar must not cost more than the work
        filled = int(self.width * self.done / max(self.total, 1))
        self.stream.write(f"\rcollecting [{'#' * filled}{'.' * (self.width - filled)}] {self.done}/{self.total}")
        if self.done == self.total:
            self.stream.write("\n")
        self.stream.flush()


def progress_stream():
    """stderr when it is a terminal (a progress bar makes sense there), else ``None``."""
    return sys.stderr if sys.stderr.isatty() else None
