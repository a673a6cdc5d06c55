"""Where the app keeps its files: the database, the config file, logs and recordings.

`INTERVIEW_TUI_HOME` puts all of them in one directory (tests use a temp dir); otherwise the platform's user
data and config directories are used. `--db PATH` overrides the database alone.
"""

from __future__ import annotations

import os
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


def resolve_paths(db: Path | str | None = None, env: dict[str, str] | None = None) -> AppPaths:
    """Work out the app's paths from `--db`, `INTERVIEW_TUI_HOME` and the platform defaults."""
    env = os.environ if env is None else env
    home = env.get(HOME_ENV)
    if home:
        data_dir = config_dir = Path(home).expanduser()
    else:
        import platformdirs

        data_dir = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
        config_dir = Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))
    db_path = Path(db).expanduser() if db else data_dir / DB_FILENAME
    return AppPaths(data_dir=data_dir, config_dir=config_dir, db_path=db_path)


def ensure_private_dir(path: Path) -> None:
    """Create a directory readable only by the user (0700) if it does not exist."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
