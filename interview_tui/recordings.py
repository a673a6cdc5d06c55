"""Where session recordings live: one Ogg Opus file per session in the app's private recordings directory.

File operations only (no audio decoding here): the path of a session's recording, its size, deleting it, and the
retention rule (recordings older than N days are deleted at start-up).
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

SUFFIX = ".opus"
_SESSION_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


@dataclass(frozen=True)
class RecordingStore:
    """The recordings directory (created 0700 on first write; files are 0600)."""

    directory: Path

    def path_for(self, session_id: str) -> Path:
        if not _SESSION_ID.match(session_id):
            raise ValueError(f"not a session id: {session_id!r}")
        return self.directory / f"{session_id}{SUFFIX}"

    def ensure_dir(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.chmod(self.directory, 0o700)

    def exists(self, session_id: str) -> bool:
        return self.path_for(session_id).is_file()

    def size(self, session_id: str) -> int | None:
        """The recording's size in bytes, or None when the session has none."""
        try:
            return self.path_for(session_id).stat().st_size
        except OSError:
            return None

    def delete(self, session_id: str) -> bool:
        """Remove a session's recording. Returns whether there was one."""
        try:
            self.path_for(session_id).unlink()
        except FileNotFoundError:
            return False
        return True

    def expire(self, keep_days: float, now: float) -> list[Path]:
        """Delete recordings last written more than `keep_days` ago. Returns the files removed."""
        if keep_days < 0 or not self.directory.is_dir():
            return []
        cutoff = now - keep_days * 86_400
        removed = []
        for path in self.directory.glob(f"*{SUFFIX}"):
            with contextlib.suppress(OSError):
                if path.stat().st_mtime < cutoff:
                    path.unlink()
                    removed.append(path)
        if removed:
            log.info("deleted %d recording(s) older than %s days", len(removed), keep_days)
        return removed


def human_size(n: int) -> str:
    """Bytes as a short human figure: 812 B, 14 KB, 3.2 MB."""
    if n < 1000:
        return f"{n} B"
    if n < 1_000_000:
        return f"{n / 1000:.0f} KB"
    return f"{n / 1_000_000:.1f} MB"
