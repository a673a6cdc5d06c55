"""Start-up: wall time of `interview credits balance` and `interview --help` beside bare Python and bare typer.

Run: .venv/bin/python bench/startup.py [--runs N]
Target: credits commands within 150 ms of `python -c "import typer"`.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time

from _util import median, pct, table

PY = sys.executable
HELLO_TYPER = """
from typing import Annotated
import typer
app = typer.Typer()
@app.callback()
def root(db: Annotated[str | None, typer.Option("--db")] = None) -> None: ...
@app.command()
def balance(as_json: Annotated[bool, typer.Option("--json")] = False) -> None: print(0)
@app.command()
def other() -> None: ...
app()
"""


def timed(cmd: list[str], runs: int, env: dict[str, str]) -> list[float]:
    subprocess.run(cmd, env=env, capture_output=True, check=True)  # warm the page cache
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(cmd, env=env, capture_output=True, check=True)
        out.append((time.perf_counter() - t0) * 1000)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=15)
    args = ap.parse_args()
    home = tempfile.mkdtemp(prefix="bench-startup-")
    env = {**os.environ, "INTERVIEW_TUI_HOME": home}
    cli = [PY, "-m", "interview_tui"]
    subprocess.run([*cli, "credits", "add", "15"], env=env, check=True, capture_output=True)
    cases = {
        "python -c pass": [PY, "-c", "pass"],
        "python -c 'import typer'": [PY, "-c", "import typer"],
        "typer hello-world command": [PY, "-c", HELLO_TYPER, "balance"],
        "interview credits balance": [*cli, "credits", "balance"],
        "interview credits history": [*cli, "credits", "history"],
        "interview --help": [*cli, "--help"],
    }
    results = {name: timed(cmd, args.runs, env) for name, cmd in cases.items()}
    base = median(results["python -c 'import typer'"])
    rows = []
    for name, values in results.items():
        m = median(values)
        rows.append((name, f"{m:.1f}", f"{pct(values, 95):.1f}", f"{m - base:+.1f}", f"{m / base:.2f}x"))
    table(f"start-up, {args.runs} runs each (ms)", rows, ("command", "median", "p95", "vs typer", "ratio"))
    worst = max(median(results[k]) for k in ("interview credits balance", "interview credits history")) - base
    verdict = "OK" if worst <= 150 else "MISSED"
    print(f"\ncredits commands vs bare typer: {worst:+.1f} ms (target ≤ +150 ms) -> {verdict}")
    hello = median(results["typer hello-world command"])
    print(f"a typer hello-world command costs {hello - base:+.0f} ms over `import typer` (typer 0.29 builds pydantic "
          f"adapters per option: about +150 ms); credits commands over it: {worst + base - hello:+.1f} ms")


if __name__ == "__main__":
    main()
