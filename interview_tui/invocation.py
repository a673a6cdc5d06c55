"""How the user can run this installation's CLI from a terminal, for the commands the app shows in its hints.

`interview` when the `interview` found on PATH is this installation (a `pipx install .` / `uv tool install .`, or
an activated virtual environment); otherwise the path of this installation's script (`make run` leaves it at
`.venv/bin/interview`, which is not on PATH), or `python -m interview_tui` with this interpreter. Computed once, by
the composition root (`bootstrap.run_app`); the app only receives the string.
"""

from __future__ import annotations

import os
import shlex
import shutil
import sys
from pathlib import Path

SCRIPT = "interview"


def cli_command(*, path: str | None = None, argv0: str | None = None, executable: str | None = None,
                home: str | None = None) -> str:
    """The command prefix a user types to run this installation's CLI. The arguments default to this process's
    PATH, `sys.argv[0]`, `sys.executable` and home directory (tests pass their own)."""
    argv0 = sys.argv[0] if argv0 is None else argv0
    executable = sys.executable if executable is None else executable
    own = _own_script(argv0, executable)
    on_path = shutil.which(SCRIPT, path=os.environ.get("PATH", os.defpath) if path is None else path)
    if on_path is not None and _is_this_installation(on_path, own, executable):
        return SCRIPT
    if own is not None:
        return _shell_path(own, home)
    return f"{_shell_path(executable, home)} -m interview_tui"


def _own_script(argv0: str, executable: str) -> str | None:
    """This installation's `interview` script: the one running (`argv0`), else the one beside the interpreter
    (`python -m interview_tui` inside a virtual environment); None if there is none."""
    candidates = [argv0] if Path(argv0).name.removesuffix(".exe") == SCRIPT else []
    candidates.append(str(Path(os.path.abspath(executable)).parent / SCRIPT))
    for candidate in candidates:
        if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return os.path.abspath(candidate)
    return None


def _is_this_installation(found: str, own: str | None, executable: str) -> bool:
    """`found` (the `interview` on PATH) is this installation's script: the same file, a link to it (pipx and uv
    link their tools into ~/.local/bin), or a script in the same environment as this interpreter."""
    if own is not None and _same_file(found, own):
        return True
    environment_bin = Path(os.path.abspath(executable)).parent  # not resolved: venvs link to one system python
    return Path(os.path.realpath(found)).parent == Path(os.path.realpath(environment_bin)) or \
        _shebang(found) == os.path.abspath(executable)


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _shebang(script: str) -> str | None:
    """The interpreter named on a script's `#!` line (the first word), or None."""
    try:
        with open(script, "rb") as f:
            first = f.readline(4096)
    except OSError:
        return None
    if not first.startswith(b"#!"):
        return None
    words = first[2:].decode("utf-8", "replace").split()
    return os.path.abspath(words[0]) if words else None


def _shell_path(path: str, home: str | None) -> str:
    """`path` as it can be typed in a shell: under the home directory as `~/…` (when nothing needs quoting),
    otherwise quoted where needed."""
    home = os.path.expanduser("~") if home is None else home
    try:
        rest = os.path.relpath(path, home) if home and home != os.sep else None
    except ValueError:  # another drive (Windows)
        rest = None
    if rest is not None and not rest.startswith(os.pardir) and shlex.quote(rest) == rest:
        return f"~/{rest}"
    return shlex.quote(path)
