"""Changing one setting in the TOML config file, keeping everything else (comments and layout, via tomlkit).

Written atomically (a temporary file renamed over it), mode 0600: the file may hold API keys.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from interview_tui.domain.errors import InvalidInput
from interview_tui.paths import ensure_private_dir


def set_config_value(config_file: Path, section: str, key: str, value: str) -> None:
    """Set `[section] key = value` in `config_file` (created if missing)."""
    import tomlkit

    try:
        doc = tomlkit.parse(config_file.read_text(encoding="utf-8")) if config_file.exists() else tomlkit.document()
    except (tomlkit.exceptions.TOMLKitError, UnicodeDecodeError) as err:
        raise InvalidInput(f"The config file {config_file} is not valid TOML ({err}); fix it, then set "
                           f'[{section}] {key} = "{value}" there.') from None
    table = doc.get(section)
    if table is None:
        table = tomlkit.table()
        doc[section] = table
    table[key] = value
    text = tomlkit.dumps(doc)
    ensure_private_dir(config_file.parent)
    fd, tmp = tempfile.mkstemp(prefix=".config.", dir=config_file.parent)
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, config_file)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
