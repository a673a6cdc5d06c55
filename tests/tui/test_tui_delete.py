"""Deleting a session from History: a confirmation first, then the session, its recording and its text are gone;
the ledger keeps the charge, shown as a deleted session."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable

from interview_tui.tui.screens.modals import ConfirmDeleteDialog
from tests.fakes.tui_pilot import settle, wait_for, wait_for_screen
from tests.tui.test_tui_e2e import answer, new_app, offline, plain_text, start_live  # noqa: F401 (fixture)

pytestmark = pytest.mark.anyio


def _cells(table: DataTable) -> str:
    return "\n".join(" ".join(plain_text(c) for c in table.get_row_at(i)) for i in range(table.row_count))


async def test_delete_from_history_after_a_confirmation(offline, tmp_path: Path, app_home: Path) -> None:  # noqa: F811
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
