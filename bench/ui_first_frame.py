"""TUI start-up: from process start to the first frame `interview --text` paints, beside bare baselines.

Run: .venv/bin/python bench/ui_first_frame.py [--runs 10]

What is measured: the real command, as a user starts it, in a pseudo-terminal (100×32, Textual's real Linux
driver): the clock starts just before the process is spawned and stops when the terminal has received the Start
screen's first frame (its footer's `palette` key and the JD label are both on the screen; Textual writes a frame
in one synchronized update). Measuring inside the process (interpreter start → `on_mount`) would miss the
interpreter's own start-up and the first frame's rendering and write, which is what the user waits for.

Baselines, same pty and detection: `python -c pass` (to exit), and a minimal Textual app (one Static and a
Footer) to its first frame — the floor for any Textual app on this machine.
Target (issue 7): TUI first frame ≤ 1.0 s.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import select
import struct
import subprocess
import sys
import tempfile
import termios
import time

from _util import median, pct, table

PY = sys.executable
COLS, ROWS = 100, 32
HELLO_TEXTUAL = """
from textual.app import App
from textual.widgets import Footer, Static

class Hello(App):
    def compose(self):
        yield Static("Job description")
        yield Footer()

Hello().run()
"""


def first_frame(cmd: list[str], env: dict[str, str], markers: tuple[bytes, ...], timeout: float = 20.0) -> float:
    """Seconds from spawning `cmd` on a pty until every marker has been written to the terminal (or until it
    exits, when `markers` is empty)."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))

    def controlling_tty() -> None:
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)

    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True,
                            preexec_fn=controlling_tty)
    os.close(slave)
    seen = b""
    elapsed = float("nan")
    try:
        deadline = t0 + timeout
        while time.perf_counter() < deadline:
            ready, _, _ = select.select([master], [], [], 0.05)
            if ready:
                try:
                    chunk = os.read(master, 65536)
                except OSError:
                    chunk = b""
                if not chunk:
                    if not markers:
                        elapsed = time.perf_counter() - t0
                    break
                seen += chunk
                if markers and all(m in seen for m in markers):
                    elapsed = time.perf_counter() - t0
                    break
            elif proc.poll() is not None and not markers:
                elapsed = time.perf_counter() - t0
                break
    finally:
        if proc.poll() is None:
            proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        os.close(master)
    if elapsed != elapsed:
        raise SystemExit(f"{' '.join(cmd[:4])}: no first frame within {timeout:.0f} s; it wrote: {seen[-400:]!r}")
    return elapsed


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=10)
    args = ap.parse_args()
    home = tempfile.mkdtemp(prefix="bench-first-frame-")
    env = {**os.environ, "INTERVIEW_TUI_HOME": home, "TERM": "xterm-256color", "COLORTERM": "truecolor"}
    for key in ("COLUMNS", "LINES", "GEMINI_API_KEY", "GOOGLE_API_KEY", "ELEVENLABS_API_KEY"):
        env.pop(key, None)
    subprocess.run([PY, "-m", "interview_tui", "credits", "add", "15"], env=env, check=True, capture_output=True)
    frame = (b"palette", b"Job description")
    cases = {
        "python -c pass (to exit)": ([PY, "-c", "pass"], ()),
        "minimal Textual app, first frame": ([PY, "-c", HELLO_TEXTUAL], frame),
        "interview --text, first frame": ([PY, "-m", "interview_tui", "--text"], frame),
    }
    results: dict[str, list[float]] = {}
    for name, (cmd, markers) in cases.items():
        first_frame(cmd, env, markers)  # warm the page cache and the bytecode caches
        results[name] = [first_frame(cmd, env, markers) * 1000 for _ in range(args.runs)]
    base = median(results["minimal Textual app, first frame"])
    rows = [(name, f"{median(v):.0f}", f"{pct(v, 95):.0f}", f"{median(v) - base:+.0f}", f"{median(v) / base:.2f}×")
            for name, v in results.items()]
    table(f"TUI start-up to the first frame, {args.runs} runs each, {COLS}×{ROWS} pty (ms)", rows,
          ("command", "median", "p95", "vs minimal Textual app", "ratio"))
    ours = results["interview --text, first frame"]
    verdict = "OK" if pct(ours, 95) <= 1000 else "MISSED"
    print(f"\ninterview --text first frame: median {median(ours):.0f} ms, p95 {pct(ours, 95):.0f} ms "
          f"(target ≤ 1000 ms) -> {verdict}")


if __name__ == "__main__":
    main()
