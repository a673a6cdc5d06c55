"""While the TUI runs, native writes to fd 2 (ALSA/PortAudio messages) go to the log file, not over the screen;
Python's sys.stderr (the app's one-line crash message) still reaches the terminal; fd 2 is restored after."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPT = r"""
import ctypes, os, sys
from pathlib import Path
from interview_tui.native_stderr import native_stderr_to

libc = ctypes.CDLL(None)
with native_stderr_to(Path(sys.argv[1])):
    libc.write(2, b"ALSA lib pcm.c:8570:(snd_pcm_recover) underrun occurred\n", 56)  # as a C library does
    print("interview: a line for the user", file=sys.stderr)
os.write(2, b"after the app\n")
"""


def test_native_stderr_goes_to_the_log(tmp_path: Path) -> None:
    log = tmp_path / "logs" / "interview.log"
    proc = subprocess.run([sys.executable, "-c", SCRIPT, str(log)], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert "underrun occurred" in log.read_text() and "underrun" not in proc.stderr
    assert "interview: a line for the user" in proc.stderr and "a line for the user" not in log.read_text()
    assert "after the app" in proc.stderr  # restored
    assert oct(log.stat().st_mode & 0o777) == "0o600"
