"""Deleting sessions for good: the database rows (scrubbed from the file and its WAL), the recording, and the
cached plan of the session's job description. The credit ledger is never rewritten.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from interview_tui.store.erase import scrub

if TYPE_CHECKING:
    from interview_tui.domain.models import SessionRecord
    from interview_tui.paths import AppPaths
    from interview_tui.providers.plan_cache import PlanCache
    from interview_tui.recordings import RecordingStore
    from interview_tui.service import SessionService


@dataclass(frozen=True)
class SessionFiles:
    """Where sessions' files live beside the database."""

    recordings: RecordingStore
    plan_cache: PlanCache

    @classmethod
    def at(cls, paths: AppPaths) -> SessionFiles:
        from interview_tui.providers.plan_cache import PlanCache
        from interview_tui.recordings import RecordingStore

        return cls(RecordingStore(paths.recordings_dir), PlanCache(paths.cache_dir))

    def erase(self, service: SessionService, records: list[SessionRecord]) -> Erasure:
        """`erase_sessions` with these files."""
        return erase_sessions(service, records, recordings=self.recordings, plan_cache=self.plan_cache)


@dataclass(frozen=True)
class Erasure:
    """What a deletion removed."""

    session_ids: list[str]
    recordings: int
    cached_plans: int
    scrubbed: bool
    """False when another interview window kept old copies in the WAL (they go when it closes)."""

    def summary(self) -> str:
        n = len(self.session_ids)
        what = f"Deleted {n} session{'s' if n != 1 else ''}"
        extras = []
        if self.recordings:
            extras.append(f"{self.recordings} recording{'s' if self.recordings != 1 else ''}")
        if self.cached_plans:
            extras.append(f"{self.cached_plans} cached plan{'s' if self.cached_plans != 1 else ''}")
        if extras:
            what += " with " + " and ".join(extras)
        what += ". The credit ledger keeps its rows."
        if not self.scrubbed:
            what += (" Another interview window is open: old copies stay in the database's log file until it "
                     "closes.")
        return what


def erase_sessions(service: SessionService, records: list[SessionRecord], *, recordings: RecordingStore,
                   plan_cache: PlanCache) -> Erasure:
    """Delete `records` (none at all if one is live: `SessionConflict`), then scrub and remove their files."""
    ids = [r.id for r in records]
    if not ids:
        return Erasure([], 0, 0, True)
    service.delete_sessions(ids)
    scrubbed = scrub(service.store)
    removed = sum(recordings.delete(sid) for sid in ids)
    plans = sum(plan_cache.forget(sha) for sha in {r.jd_sha256 for r in records})
    return Erasure(ids, removed, plans, scrubbed)
