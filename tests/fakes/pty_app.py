"""The real app in a child process on a pseudo-terminal (Textual's real Linux driver), driven by its screen's bytes:
for tests that need a second OS process running `interview`."""

from __future__ import annotations

import contextlib
import fcntl
import os
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Callable

from tests.paths import ROOT


class PtyApp:
    """`python -m interview_tui ARGS` on a pseudo-terminal (100×30 unless told): read its screen, press keys,
    kill it."""

    def __init__(self, args: list[str], env: dict[str, str], *, size: tuple[int, int] = (100, 30)) -> None:
        master, slave = os.openpty()
        columns, rows = size
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        self.proc = subprocess.Popen([sys.executable, "-m", "interview_tui", *args], stdin=slave, stdout=slave,
                                     stderr=slave, env=env, cwd=ROOT, start_new_session=True,
                                     preexec_fn=lambda: fcntl.ioctl(0, termios.TIOCSCTTY, 0))
        os.close(slave)
        self.master = master
        self.seen = b""

    def read(self, timeout_s: float = 0.05) -> None:
        if select.select([self.master], [], [], timeout_s)[0]:
            with contextlib.suppress(OSError):  # the child closed the terminal
                self.seen += os.read(self.master, 65536)

    def wait(self, ready: Callable[[], bool], what: str, timeout_s: float = 90.0) -> None:
        """Keep reading the screen until `ready()`; fail naming `what` (and the screen's tail) on timeout."""
        deadline = time.monotonic() + timeout_s
        while not ready():
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"{what}: not reached (exit code {self.proc.poll()}); the terminal shows "
                                     f"{self.seen[-400:]!r}")
            self.read()

    def shows(self, text: bytes) -> Callable[[], bool]:
        return lambda: text in self.seen

    def press(self, key: bytes) -> None:
        os.write(self.master, key)

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=30)

    def close(self) -> None:
        self.kill()
        os.close(self.master)
