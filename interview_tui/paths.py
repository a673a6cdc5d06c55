"""Where the app keeps its files: the database, the config file, logs and recordings.

`INTERVIEW_TUI_HOME` puts all of them in one directory (tests use a temp dir); otherwise the platform's user
data and config directories are used. `--db PATH` overrides the database alone.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

APP_NAME = "interview-tui"
HOME_ENV = "INTERVIEW_TUI_HOME"
DB_FILENAME = "interview.db"


@dataclass(frozen=True)
class AppPaths:
    data_dir: Path
    config_dir: Path
    db_path: Path

    @property
    def config_file(self) -> Path:
        return self.config_dir / "config.toml"

    @property
    def log_file(self) -> Path:
        return self.data_dir / "interview.log"

    @property
    def recordings_dir(self) -> Path:
        return self.data_dir / "recordings"

    @property
    def cache_dir(self) -> Path:
        return self.data_dir / "cache"


def expand_user(path: Path | str, *, strict: bool = False) -> Path:
    """`~` and `~user` expanded. A path naming an unknown user (`~nobody-here/x`) is kept as written, or, with
    `strict` (paths we would create files under), refused with `InvalidInput`."""
    try:
        return Path(path).expanduser()
    except RuntimeError:  # "Could not determine home directory"
        if strict:
            from interview_tui.domain.errors import InvalidInput

            user = str(path)[1:].split("/", 1)[0]
            raise InvalidInput(f"{path}: there is no user {user!r} whose home ~{user} could be. Give a full "
                               "path.") from None
        return Path(path)


def resolve_paths(db: Path | str | None = None, env: Mapping[str, str] | None = None) -> AppPaths:
    """Work out the app's paths from `--db`, `INTERVIEW_TUI_HOME` and the platform defaults."""
    home = (os.environ if env is None else env).get(HOME_ENV)
    if home:
        data_dir = config_dir = expand_user(home, strict=True)
    else:
        import platformdirs

        data_dir = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
        config_dir = Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))
    db_path = expand_user(db, strict=True) if db else data_dir / DB_FILENAME
    return AppPaths(data_dir=data_dir, config_dir=config_dir, db_path=db_path)


def ensure_private_dir(path: Path) -> None:
    """Make sure `path` is a directory only the user can enter (0700): missing folders are created 0700 (parents
    too), and a looser mode found on `path` itself is tightened."""
    missing = []
    probe = path
    while not probe.exists() and probe != probe.parent:
        missing.append(probe)
        probe = probe.parent
    for folder in reversed(missing):
        with contextlib.suppress(FileExistsError):
            folder.mkdir(mode=0o700)
    info = path.stat()
    if info.st_mode & 0o077 and info.st_uid == os.getuid():
        path.chmod(info.st_mode & 0o700)


def private_file(path: Path) -> None:
    """Create `path` empty with mode 0600 if missing; tighten a looser mode found on it."""
    fd = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_APPEND | os.O_NONBLOCK, 0o600)
    try:
        info = os.fstat(fd)
        if info.st_mode & 0o077 and info.st_uid == os.getuid():
            os.fchmod(fd, info.st_mode & 0o600)
    finally:
        os.close(fd)


def write_private(path: Path, text: str) -> None:
    """Write a text file readable only by the user (0600, also when it already existed with a looser mode)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW | os.O_NONBLOCK, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        if os.fstat(fd).st_mode & 0o077:
            os.fchmod(fd, 0o600)
        fh.write(text)
