"""Versioned schema migrations, applied in order; `PRAGMA user_version` records the version reached.

Each migration receives a `sqlite_utils.Database` and runs inside one transaction with the version bump, so a
crash mid-upgrade leaves the previous version intact. Never edit a released migration: add a new one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite_utils

TERMINAL_SQL = "('complete', 'cancelled')"


def _v1_initial(db: sqlite_utils.Database) -> None:
    """Sessions and the ledger, as first released."""
    db.table("interview_sessions").create(
        {
            "id": str, "status": str, "jd_text": str, "jd_sha256": str,
            "plan": str, "planner": str, "analyzer": str, "voice": str,
            "mic_on_at": float, "started_at": float, "last_heartbeat_at": float, "ended_at": float,
            "duration_s": float, "charged": int, "charged_at": float,
            "conversation_ids": str, "live_transcript": str, "transcript": str,
            "report": str, "report_generated_at": float, "error": str,
            "created_at": float, "updated_at": float,
        },
        pk="id",
        not_null={"status", "jd_text", "jd_sha256", "created_at", "updated_at"},
        defaults={"charged": 0, "conversation_ids": "[]", "live_transcript": "[]"},
    )
    db.table("interview_sessions").create_index(["status"])
    db.table("credits_log").create(
        {"id": int, "amount": int, "kind": str, "session_id": str, "note": str, "created_at": float},
        pk="id",
        not_null={"amount", "kind", "created_at"},
    )
    db.table("credits_log").create_index(["session_id"])
    db.execute("CREATE UNIQUE INDEX one_debit_per_session ON credits_log(session_id) WHERE kind = 'debit'")
    db.execute("CREATE UNIQUE INDEX one_refund_per_session ON credits_log(session_id) WHERE kind = 'refund'")


def _v2_single_unfinished_and_owner(db: sqlite_utils.Database) -> None:
    """At most one unfinished session, enforced by the database; the process that runs a live session."""
    db.table("interview_sessions").add_column("owner", str)
    db.execute(
        "CREATE UNIQUE INDEX one_unfinished_session ON interview_sessions((1)) "
        f"WHERE status NOT IN {TERMINAL_SQL}"
    )
    db.table("interview_sessions").create_index(["created_at"])


def _v3_topup_refs(db: sqlite_utils.Database) -> None:
    """A top-up may carry the reference of its payment (receipt, transfer id): one top-up per reference, enforced
    by the database, so a retried `credits add --ref` never credits twice."""
    db.execute("ALTER TABLE credits_log ADD COLUMN ref TEXT")
    db.execute("CREATE UNIQUE INDEX one_topup_per_ref ON credits_log(ref) WHERE kind = 'topup' AND ref IS NOT NULL")


def _v4_voice_stops(db: sqlite_utils.Database) -> None:
    """Where the voice engine stopped during a live session (a JSON list of `VoiceStop`), for the report."""
    db.execute("ALTER TABLE interview_sessions ADD COLUMN voice_stops TEXT NOT NULL DEFAULT '[]'")


MIGRATIONS: list[Callable[[sqlite_utils.Database], None]] = [
    _v1_initial,
    _v2_single_unfinished_and_owner,
    _v3_topup_refs,
    _v4_voice_stops,
]
