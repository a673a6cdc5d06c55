"""Deleting a session from History: a confirmation first, then the session, its recording and its text are gone;
the ledger keeps the charge, shown as a deleted session."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable

from interview_tui.tui.screens.modals import ConfirmDeleteDialog
from tests.fakes.tui_pilot import answer, new_app, plain_text, settle, start_live, wait_for, wait_for_screen

pytestmark = pytest.mark.anyio


def _cells(table: DataTable) -> str:
    return "\n".join(" ".join(plain_text(c) for c in table.get_row_at(i)) for i in range(table.row_count))


async def test_delete_from_history_after_a_confirmation(offline, tmp_path: Path, app_home: Path) -> None:
    service, clock = offline.service, offline.clock
    app = new_app(offline, tmp_path)
    async with app.run_test(size=(100, 32)) as pilot:
        await start_live(pilot, app)
        for _ in range(3):
            await answer(pilot, app, clock, 50)
        await pilot.press("ctrl+e", "y")
        await wait_for_screen(pilot, "ReportScreen")
        session_id = service.list_sessions()[0].id
        recording = app.files.recordings.path_for(session_id)
        app.files.recordings.ensure_dir()
        recording.write_bytes(b"\0" * 12_345)
        await pilot.press("h")
        await wait_for_screen(pilot, "HistoryScreen")
        await settle(pilot)
        await pilot.press("d")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDeleteDialog), description="the dialog")
        assert "12 KB" in plain_text(app.screen.query_one("#delete-text").content)
        await pilot.press("n")
        await wait_for_screen(pilot, "HistoryScreen")
        assert [s.id for s in service.list_sessions()] == [session_id] and recording.exists()
        await pilot.press("d")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDeleteDialog), description="the dialog")
        await pilot.press("y")
        await wait_for(pilot, lambda: not service.list_sessions(), description="the session deleted")
        await settle(pilot)
        assert not recording.exists()
        assert "No interviews yet" in _cells(app.screen.query_one("#sessions-table", DataTable))
        await pilot.press("c")
        await settle(pilot)
        assert "deleted session" in _cells(app.screen.query_one("#ledger-table", DataTable))
    debits = [r for r in service.ledger_history() if r.kind == "debit"]
    assert [r.session_id for r in debits] == [session_id]


async def test_bulk_delete_of_marked_sessions_with_one_confirmation(tmp_path: Path) -> None:
    """Space marks several sessions; d asks once for all of them; the marked ones (and their recordings) go, the
    unmarked one stays, and the ledger keeps every row, their charges shown as deleted sessions."""
    from interview_tui.bootstrap import make_app
    from interview_tui.tui.screens.modals import ConfirmDeleteManyDialog
    from tests.doubles import complete_session, make_harness

    h = make_harness(tmp_path, balance=100)
    oldest = complete_session(h, score=50, live_s=300, role_title="Data Engineer")
    middle = complete_session(h, score=60, live_s=300, role_title="Platform Engineer")
    newest = complete_session(h, score=70, live_s=300, role_title="Site Reliability Engineer")
    ledger_before = [(r.id, r.amount, r.kind, r.session_id) for r in h.service.ledger_history()]
    app = make_app(h.runtime, export_dir=h.export_dir)
    app.animation_level = "none"
    recordings = app.files.recordings
    recordings.ensure_dir()
    for sid in (oldest, newest):
        recordings.path_for(sid).write_bytes(b"\0" * 20_000)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+r")
        await wait_for_screen(pilot, "HistoryScreen")
        await wait_for(pilot, lambda: app.screen.query_one("#sessions-table", DataTable).row_count == 3,
                       description="three sessions listed")
        # Rows are newest first: mark the newest and the oldest, not the middle one.
        await pilot.press("space", "down", "down", "space")
        await settle(pilot)
        table = app.screen.query_one("#sessions-table", DataTable)
        assert [plain_text(table.get_row_at(i)[0]) for i in range(3)] == ["●", " ", "●"]
        await pilot.press("d")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDeleteManyDialog), description="the dialog")
        body = plain_text(app.screen.query_one("#delete-many-text").content)
        assert "2 sessions" in body and "Site Reliability Engineer" in body and "Data Engineer" in body
        assert "Platform Engineer" not in body and "recordings (40 KB)" in body
        await pilot.press("n")
        await wait_for_screen(pilot, "HistoryScreen")
        assert len(h.service.list_sessions()) == 3 and recordings.path_for(oldest).exists()
        await pilot.press("d")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDeleteManyDialog), description="the dialog")
        await pilot.press("y")
        await wait_for(pilot, lambda: [s.id for s in h.service.list_sessions()] == [middle],
                       description="the two marked sessions deleted")
        await wait_for(pilot, lambda: table.row_count == 1, description="the list reloaded")
        assert "Platform Engineer" in _cells(table) and "●" not in _cells(table)
        assert not recordings.path_for(oldest).exists() and not recordings.path_for(newest).exists()
        await pilot.press("c")
        await settle(pilot)
        assert _cells(app.screen.query_one("#ledger-table", DataTable)).count("deleted session") == 2
    assert [(r.id, r.amount, r.kind, r.session_id) for r in h.service.ledger_history()] == ledger_before
    h.runtime.close()
