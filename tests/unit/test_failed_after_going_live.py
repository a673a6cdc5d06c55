"""The one rule for "failed after going live" (domain/lifecycle.py): a failed session that had gone live failed at
its analysis, one that never went live failed while planning."""

from __future__ import annotations

import pytest

from interview_tui.domain.lifecycle import Status, failed_after_going_live
from interview_tui.domain.models import SessionRecord


def _record(status: Status, started_at: float | None) -> SessionRecord:
    return SessionRecord(id="s1", status=status, jd_text="jd", jd_sha256="0" * 64, started_at=started_at,
                         created_at=1.0, updated_at=1.0)


@pytest.mark.parametrize("status", list(Status))
@pytest.mark.parametrize("started_at", [None, 0.0, 1_700_000_000.0])
def test_only_a_failed_session_that_went_live_failed_after_going_live(status: Status,
                                                                      started_at: float | None) -> None:
    expected = status is Status.FAILED and started_at is not None
    assert failed_after_going_live(status, started_at) is expected
    record = _record(status, started_at)
    assert record.failed_after_going_live is expected
    assert record.went_live is (started_at is not None)


def test_a_start_at_time_zero_still_counts_as_live() -> None:
    assert _record(Status.FAILED, 0.0).failed_after_going_live  # `is not None`, not truthiness
