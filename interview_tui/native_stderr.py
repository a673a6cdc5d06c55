"""While the TUI runs, what native libraries write to file descriptor 2 (ALSA's "underrun occurred", PortAudio,
pocketsphinx) goes to the log file instead of over the screen; Python's own `sys.stderr` keeps the terminal, so
the app's one-line crash message still reaches the user."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def native_stderr_to(log_file: Path | None) -> Iterator[None]:
    """Point fd 2 at `log_file` (appending, 0600) for the duration; restore it afterwards. No-op without a file
    or when fd 2 cannot be redirected."""
    if log_file is None:
        yield
        return
    try:
        sys.stderr.flush()
        log_file.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        target = os.open(log_file, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        saved = os.dup(2)
    except OSError:
        yield
        return
    python_stderr, original_stderr = sys.stderr, sys.__stderr__
    terminal = os.fdopen(os.dup(saved), "w", buffering=1, encoding="utf-8", errors="replace")
    os.dup2(target, 2)
    os.close(target)
    sys.stderr = terminal
    # Textual's driver draws the app on sys.__stderr__; typeshed marks it Final, but it is an ordinary attribute
    sys.__stderr__ = terminal  # type: ignore[misc]
    try:
        yield
    finally:
        with contextlib.suppress(Exception):
            terminal.flush()
        os.dup2(saved, 2)
        os.close(saved)
        sys.stderr = python_stderr
        sys.__stderr__ = original_stderr  # type: ignore[misc]  # Final in typeshed only, as above
        with contextlib.suppress(Exception):
            terminal.close()
