"""The work panel on Setup and Analysis: a failure shows the message with Retry focused; the Retry, Back (and
Begin) buttons run the screen's own actions, so they obey the same rules as the r, esc (and b) keys."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Button, LoadingIndicator

from interview_tui.tui.widgets.work_panel import WorkPanel
from tests.doubles import ANALYZER_DOWN, JD_TEXT, PLANNER_DOWN, make_harness
from tests.fakes.tui_pilot import app_for, settle, wait_for, wait_for_screen, work_progress

pytestmark = pytest.mark.anyio


async def test_setup_failure_then_retry_from_the_button(tmp_path: Path) -> None:
    h = make_harness(tmp_path)
    h.planner.fail()
    app = app_for(h)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+s")
        await wait_for_screen(pilot, "SetupScreen")
        panel = app.screen.query_one(WorkPanel)
        await wait_for(pilot, lambda: panel.status == "failed", description="the planning failure")
        assert PLANNER_DOWN in panel.message and "Press r to retry." in panel.message
        assert app.focused is panel.query_one("#retry-button", Button)
        assert not panel.query_one(LoadingIndicator).display and panel.query_one(".work-message").display
        await pilot.press("enter")  # the focused Retry button: the screen's retry action
        await wait_for(pilot, lambda: app.screen.state == "ready", description="the plan")  # type: ignore[attr-defined]
        assert h.planner.calls == 2
        assert panel.status == "done" and not panel.display  # the plan is shown instead
        assert "Job description received" in work_progress(app)
        await pilot.press("enter")  # the focused Begin button: the screen's begin action
        await wait_for_screen(pilot, "LiveScreen")


async def test_analysis_failure_back_button_leaves_the_session_for_later(tmp_path: Path) -> None:
    h = make_harness(tmp_path)
    record = h.service.run_setup(h.service.create(JD_TEXT).id)
    h.service.start_active(record.id, voice="scripted voice")
    h.clock.advance(30)
    h.service.end(record.id)
    h.analyzer.fail()
    app = app_for(h, jd=None)
    async with app.run_test(size=(100, 32)) as pilot:
        await wait_for_screen(pilot, "ResumeDialog")
        await pilot.press("r")
        await wait_for_screen(pilot, "AnalysisScreen")
        panel = app.screen.query_one(WorkPanel)
        await wait_for(pilot, lambda: panel.status == "failed", description="the analysis failure")
        assert panel.message == ANALYZER_DOWN
        assert app.screen.check_action("retry", ()) is True
        await pilot.click("#back-button")
        await wait_for_screen(pilot, "StartScreen")
        assert h.service.get(record.id).status.value == "failed"
