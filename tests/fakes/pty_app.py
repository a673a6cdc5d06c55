"""The real app in a child process on a pseudo-terminal (Textual's real Linux driver), driven by its screen — the
bytes it writes, rendered by a terminal emulator (pyte) — for tests that need a second OS process running
`interview`."""

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

import pyte

from tests.paths import ROOT


class PtyApp:
    """`python -m interview_tui ARGS` on a pseudo-terminal (100×30 unless told): read its screen, press keys,
    kill it. The screen is what a terminal would show (Textual redraws only what changed, so a line's text can
    arrive in pieces between cursor moves and colours: matching raw bytes was a race under load)."""

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
        self.screen = pyte.Screen(columns, rows)
        self._stream = pyte.ByteStream(self.screen)

    def read(self, timeout_s: float = 0.05) -> None:
        if select.select([self.master], [], [], timeout_s)[0]:
            with contextlib.suppress(OSError):  # the child closed the terminal
                data = os.read(self.master, 65536)
                self.seen += data
                self._stream.feed(data)

    def wait(self, ready: Callable[[], bool], what: str, timeout_s: float = 90.0) -> None:
        """Keep reading the screen until `ready()`; fail naming `what` (and the screen's tail) on timeout."""
        deadline = time.monotonic() + timeout_s
        while not ready():
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"{what}: not reached (exit code {self.proc.poll()}); the terminal shows:\n"
                                     f"{self.text()}")
            self.read()

    def text(self) -> str:
        """The terminal's screen now, one line per row."""
        return "\n".join(line.rstrip() for line in self.screen.display)

    def shows(self, text: str) -> Callable[[], bool]:
        """`text` is on the screen now (within one row)."""
        return lambda: any(text in line for line in self.screen.display)

    def press(self, key: bytes) -> None:
        os.write(self.master, key)

    def quit(self, timeout_s: float = 60.0) -> int:
        """ctrl+q, once a second until the app exits (a press before the terminal is in raw mode is eaten as XON);
        returns its exit code."""
        deadline = time.monotonic() + timeout_s
        while self.proc.poll() is None:
            if time.monotonic() > deadline:
                raise AssertionError(f"still running {timeout_s:.0f} s after ctrl+q; the terminal shows:\n"
                                     f"{self.text()}")
            self.press(b"\x11")
            pressed = time.monotonic()
            while self.proc.poll() is None and time.monotonic() - pressed < 1.0:
                self.read()
        return self.proc.wait()

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=30)

    def close(self) -> None:
        self.kill()
        os.close(self.master)
