"""The navigation rule, from every screen: esc goes back to where you came from; dialogs offer only what works
now; the help overlay (F1, or ? outside text fields) lists the keys of the screen below and esc closes it."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Button, Static

from interview_tui.domain.models import Turn
from interview_tui.tui.app import InterviewApp
from tests.doubles import JD_TEXT, Harness, complete_session, make_harness
from tests.fakes.tui_pilot import (
    app_for,
    open_first_report,
    open_history,
    plain_text,
    settle,
    to_live,
    wait_for,
    wait_for_screen,
)

pytestmark = pytest.mark.anyio


def screen_name(app: InterviewApp) -> str:
    return type(app.screen).__name__


async def esc_to(pilot, name: str) -> None:  # type: ignore[no-untyped-def]
    await pilot.press("escape")
    await wait_for_screen(pilot, name)


async def help_round_trip(pilot, app: InterviewApp, key: str = "f1") -> str:  # type: ignore[no-untyped-def]
    """Open the help over the current screen, return its text, close it with esc; the screen is unchanged."""
    below = app.screen
    await pilot.press(key)
    await wait_for_screen(pilot, "HelpScreen")
    text = plain_text(app.screen.query_one("#help-keys", Static).content)
    await pilot.press("escape")
    await wait_for(pilot, lambda: app.screen is below, description="the help to close")
    return text


def analysing_session(h: Harness) -> str:
    """A session that went live and ended, waiting for its analysis."""
    record = h.service.run_setup(h.service.create(JD_TEXT).id)
    h.service.start_active(record.id, voice="scripted voice")
    h.service.append_turn(record.id, Turn(role="user", text="I designed the payments API.", t=8.0))
    h.clock.advance(150)
    h.service.end(record.id)
    return record.id


async def test_esc_on_start_stays_and_setup_and_history_go_back_to_start(tmp_path: Path) -> None:
    h = make_harness(tmp_path)
    app = app_for(h)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert screen_name(app) == "StartScreen"
        await pilot.press("ctrl+s")
        await wait_for_screen(pilot, "SetupScreen")
        await settle(pilot)
        assert "Begin interview" in await help_round_trip(pilot, app)
        await esc_to(pilot, "StartScreen")
        await open_history(pilot)
        assert "Open report" in await help_round_trip(pilot, app, "question_mark")
        await esc_to(pilot, "StartScreen")


async def test_a_report_opened_from_history_goes_back_to_history(tmp_path: Path) -> None:
    h = make_harness(tmp_path)
    complete_session(h, score=64, live_s=300)
    app = app_for(h)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await open_first_report(pilot)
        await settle(pilot)
        assert "Back" in await help_round_trip(pilot, app)
        await esc_to(pilot, "HistoryScreen")
        await esc_to(pilot, "StartScreen")


async def test_live_confirm_and_report_after_an_interview(tmp_path: Path) -> None:
    h = make_harness(tmp_path)
    app = app_for(h)
    async with app.run_test(size=(100, 32)) as pilot:
        await to_live(pilot)
        await wait_for(pilot, lambda: app.screen.ticker is not None, description="going live")  # type: ignore[attr-defined]
        await pilot.press("escape")  # mid-interview esc does nothing: ctrl+e ends it
        await pilot.pause()
        assert screen_name(app) == "LiveScreen"
        assert "End interview" in await help_round_trip(pilot, app)
        await pilot.press("ctrl+e")
        await wait_for_screen(pilot, "ConfirmEndDialog")
        await esc_to(pilot, "LiveScreen")  # esc = keep going
        h.clock.advance(130)
        await pilot.press("ctrl+e")
        await wait_for_screen(pilot, "ConfirmEndDialog")
        await pilot.press("y")
        await wait_for_screen(pilot, "ReportScreen")
        await settle(pilot)
        await esc_to(pilot, "StartScreen")  # the interview was started from Start


async def test_new_interview_key_on_a_report_goes_home_even_from_history(tmp_path: Path) -> None:
    h = make_harness(tmp_path)
    complete_session(h, score=64, live_s=300)
    app = app_for(h)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await open_first_report(pilot)
        await pilot.press("n")
        await wait_for_screen(pilot, "StartScreen")
        assert len(app.screen_stack) == 2


async def test_resume_dialog_offers_only_what_works_and_analysis_goes_back_to_history(tmp_path: Path) -> None:
    h = make_harness(tmp_path)
    analysing_session(h)
    h.analyzer.fail(5)  # the analysis fails: the Analysis screen stays, with Retry
    app = app_for(h, jd=None)
    async with app.run_test(size=(100, 32)) as pilot:
        await wait_for_screen(pilot, "ResumeDialog")
        buttons = [b.id for b in app.screen.query(Button)]
        assert buttons == ["resume", "later"]  # gone live: it cannot be discarded, so no Discard at all
        assert app.screen.check_action("choose", ("discard",)) is False
        assert "Discard" not in await help_round_trip(pilot, app)
        await esc_to(pilot, "StartScreen")  # esc = later
        await settle(pilot)
        assert screen_name(app) == "StartScreen"  # not offered again in this run
        await open_history(pilot)
        await pilot.press("enter")
        await wait_for_screen(pilot, "AnalysisScreen")
        await settle(pilot)
        await esc_to(pilot, "HistoryScreen")


async def test_discardable_session_shows_discard_and_it_works(tmp_path: Path) -> None:
    h = make_harness(tmp_path)
    record = h.service.run_setup(h.service.create(JD_TEXT).id)
    app = app_for(h, jd=None)
    async with app.run_test(size=(100, 32)) as pilot:
        await wait_for_screen(pilot, "ResumeDialog")
        assert [b.id for b in app.screen.query(Button)] == ["resume", "discard", "later"]
        await pilot.press("d")
        await wait_for(pilot, lambda: h.service.get(record.id).status.value == "cancelled",
                       description="the discard")


async def test_question_mark_types_in_a_text_field_and_f1_still_opens_help(tmp_path: Path) -> None:
    h = make_harness(tmp_path)
    app = app_for(h, jd=None)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert screen_name(app) == "StartScreen"
        assert app.screen.query_one("#jd").text == "?"  # type: ignore[attr-defined]
        text = await help_round_trip(pilot, app, "f1")
        assert "Start interview" in text and "History" in text and "light and dark theme" in text


async def test_the_theme_is_in_the_help_and_remembered(tmp_path: Path) -> None:
    h = make_harness(tmp_path)
    saved: list[str] = []
    app = app_for(h, save_theme=saved.append)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        await wait_for_screen(pilot, "HelpScreen")
        assert "textual-dark" in str(app.screen.query_one("#help-theme", Static).render())
        await pilot.press("escape", "ctrl+t")
        await pilot.pause()
        assert saved == ["textual-light"]
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert titles.count("Theme") == 1 and "Light/dark" not in titles and "Keys" not in titles
        assert "Help" in titles
