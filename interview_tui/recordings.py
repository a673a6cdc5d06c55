"""Where session recordings live: Ogg Opus files in the app's private recordings directory.

A session's recording is `<id>.opus`, from session time 0. A session continued after a pause or a crash records
its next part to `<id>.<offset in ms>.opus`, which starts at that session time (an earlier part is never
overwritten). File operations only (no audio decoding here): the parts of a session's recording, their size,
deleting them, and the retention rule (recordings older than N days are deleted at start-up).
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

    def parts(self, session_id: str) -> list[tuple[float, Path]]:
        """(session time it starts at, file) of each part of a session's recording, in order."""
        first = self.path_for(session_id)
        found = [(0.0, first)] if first.is_file() else []
        for path in self.directory.glob(f"{session_id}.*{SUFFIX}") if self.directory.is_dir() else ():
            offset = path.name[len(session_id) + 1:-len(SUFFIX)]
            if offset.isdigit() and path.is_file():
                found.append((int(offset) / 1000, path))
        return sorted(found)

    def exists(self, session_id: str) -> bool:
        return bool(self.parts(session_id))

    def size(self, session_id: str) -> int | None:
        """The recording's size in bytes (all parts), or None when the session has none."""
        sizes = []
        for _, path in self.parts(session_id):
            with contextlib.suppress(OSError):
                sizes.append(path.stat().st_size)
        return sum(sizes) if sizes else None

    def delete(self, session_id: str) -> int:
        """Remove every part of a session's recording. Returns how many files there were."""
        removed = 0
        for _, path in self.parts(session_id):
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
                removed += 1
        return removed

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


def part_path(first: Path, offset_s: float) -> Path:
    """The file of a recording part that starts `offset_s` into the session (the first part is `first`)."""
    if offset_s <= 0:
        return first
    return first.with_name(f"{first.name[:-len(SUFFIX)]}.{round(offset_s * 1000)}{SUFFIX}")


def human_size(n: int) -> str:
    """Bytes as a short human figure: 812 B, 14 KB, 3.2 MB."""
    if n < 1000:
        return f"{n} B"
    if n < 1_000_000:
        return f"{n / 1000:.0f} KB"
    return f"{n / 1_000_000:.1f} MB"
