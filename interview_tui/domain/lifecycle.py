"""Session statuses and the only legal transitions between them (docs/ARCHITECTURE.md §2)."""

from __future__ import annotations

from enum import StrEnum

from interview_tui.domain.errors import IllegalTransition


class Status(StrEnum):
    CREATED = "created"
    SETUP = "setup"
    READY = "ready"
    ACTIVE = "active"
    ANALYZING = "analyzing"
    COMPLETE = "complete"
    FAILED = "failed"
    CANCELLED = "cancelled"


TERMINAL: frozenset[Status] = frozenset({Status.COMPLETE, Status.CANCELLED})
"""Statuses a session never leaves. `failed` is not terminal: it can be retried or cancelled."""

TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.CREATED: frozenset({Status.SETUP, Status.CANCELLED}),
    Status.SETUP: frozenset({Status.READY, Status.FAILED, Status.CANCELLED}),
    Status.READY: frozenset({Status.ACTIVE, Status.SETUP, Status.CANCELLED}),
    Status.ACTIVE: frozenset({Status.ANALYZING}),
    Status.ANALYZING: frozenset({Status.COMPLETE, Status.FAILED}),
    # A failed setup retries setup; a failed analysis retries analysis; a failure before going live may be dropped.
    Status.FAILED: frozenset({Status.SETUP, Status.ANALYZING, Status.CANCELLED}),
    Status.COMPLETE: frozenset(),
    Status.CANCELLED: frozenset(),
}


def check_transition(current: Status, target: Status) -> None:
    """Raise `IllegalTransition` unless `current → target` is allowed."""
    if target not in TRANSITIONS[current]:
        raise IllegalTransition(f"A session that is {current.value} cannot move to {target.value}.")


def failed_after_going_live(status: Status, started_at: float | None) -> bool:
    """Whether a session failed at its analysis rather than at its planning (docs/ARCHITECTURE.md §2).

    A session has gone live once `started_at` is set (it is never unset). A failed session that had gone live
    failed at analysis and retries the analysis; one that never went live failed while planning and retries
    the planning.
    """
    return status is Status.FAILED and started_at is not None
