"""Pilot tests for the live-feeling parts of the TUI: the multi-line answer box, the pinned question, the
transcript that follows unless scrolled up, the counting-down last-minute banner, and balances that refresh
when another process tops up."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import pytest
from textual.widgets import Static, TextArea

from interview_tui.bootstrap import make_app
from interview_tui.domain import billing
from interview_tui.tui.app import InterviewApp
from interview_tui.tui.widgets.transcript import NEW_LINES_HINT, TranscriptLog
from tests.doubles import JD_TEXT, Harness, make_harness
from tests.fakes.tui_pilot import app_for, open_history, settle, to_live, type_text, wait_for

pytestmark = pytest.mark.anyio

LONG_ANSWER = " ".join(["In my last role I owned the payments ledger and I rebuilt its retry path end to end."] * 8)


def static_text(app: InterviewApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def top_up_from_another_process(db: Path, amount: int) -> None:
    """`interview credits add` in a real subprocess (the app keeps running meanwhile)."""
    proc = await asyncio.create_subprocess_exec(sys.executable, "-m", "interview_tui", "--db", str(db), "credits",
                                                "add", str(amount), stdout=asyncio.subprocess.PIPE,
                                                stderr=asyncio.subprocess.PIPE)
    _, err = await asyncio.wait_for(proc.communicate(), 60)
    assert proc.returncode == 0, err.decode()


async def go_live(pilot, h: Harness) -> None:  # type: ignore[no-untyped-def]
    await to_live(pilot)
    h.voice.say("agent", h.planner.plan_result.questions[0].text, 1.0)
    await pilot.pause()


async def test_the_answer_box_holds_a_long_multi_line_answer_and_ctrl_s_sends_it(tmp_path: Path) -> None:
    h = make_harness(tmp_path, text_input=True)
    app = app_for(h)
    async with app.run_test(size=(100, 32)) as pilot:
        await go_live(pilot, h)
        box = app.screen.query_one("#answer", TextArea)
        assert box.has_focus
        await type_text(pilot, "First line.")
        await pilot.press("enter")
        await type_text(pilot, "Second line.")
        assert box.text == "First line.\nSecond line."  # Enter starts a new line, it does not send
        assert h.voice.typed == []
        box.load_text(LONG_ANSWER)
        await pilot.pause()
        # Soft-wrapped and tall enough: every word of a ~140-word answer is on screen at 100 columns.
        assert box.wrapped_document.height > 1 and box.size.height >= min(box.wrapped_document.height, 8)
        assert box.max_scroll_y == 0
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert h.voice.typed == [LONG_ANSWER] and box.text == ""
        await pilot.press("ctrl+s")  # nothing typed: nothing sent
        await pilot.pause()
        assert h.voice.typed == [LONG_ANSWER]
        footer_keys = {b.binding.action for b in app.screen.active_bindings.values() if b.binding.show}
        assert "send_answer" in footer_keys


async def test_the_send_key_is_not_offered_in_voice_mode(tmp_path: Path) -> None:
    h = make_harness(tmp_path)
    app = app_for(h)
    async with app.run_test(size=(100, 32)) as pilot:
        await go_live(pilot, h)
        assert app.screen.query_one("#answer").display is False
        assert app.screen.check_action("send_answer", ()) is False


async def test_the_question_stays_pinned_through_nudges_and_follow_ups(tmp_path: Path) -> None:
    h = make_harness(tmp_path)
    app = app_for(h)
    question = h.planner.plan_result.questions[0].text
    async with app.run_test(size=(100, 32)) as pilot:
        await go_live(pilot, h)
        assert "Question 1 of 4" in static_text(app, "#question") and question in static_text(app, "#question")
        h.voice.say("agent", "Take your time. Whenever you are ready, please go ahead.", 20.0)
        await pilot.pause()
        assert question in static_text(app, "#question") and "Take your time" not in static_text(app, "#question")
        h.voice.say("agent", "Could you say what you would measure to know it worked?", 40.0)
        await pilot.pause()
        header = static_text(app, "#question")
        assert question in header and "Follow-up" in header and "measure" in header
        h.voice.say("agent", "Thanks. " + h.planner.plan_result.questions[1].text, 60.0)
        await pilot.pause()
        header = static_text(app, "#question")
        assert "Question 2 of 4" in header and "Follow-up" not in header


async def test_the_transcript_follows_new_lines_unless_scrolled_up(tmp_path: Path) -> None:
    h = make_harness(tmp_path)
    app = app_for(h)
    async with app.run_test(size=(100, 32)) as pilot:
        await go_live(pilot, h)
        log = app.screen.query_one(TranscriptLog)
        for n in range(12):
            h.voice.say("user", LONG_ANSWER, 10.0 + n)
            h.voice.say("agent", f"Thank you. Next point {n}?", 11.0 + n)  # two turns in one batch
            await pilot.pause()
        await wait_for(pilot, lambda: log.max_scroll_y > 0 and log.scroll_y == log.max_scroll_y,
                       description="the log to follow to its end")
        assert log.following and not log.border_subtitle

        log.scroll_to(y=0, animate=False)
        await pilot.pause()
        assert not log.following
        h.voice.say("user", "One more answer arrives while I read.", 60.0)
        await pilot.pause()
        assert log.scroll_y == 0 and log.border_subtitle == NEW_LINES_HINT

        log.scroll_end(animate=False)
        await pilot.pause()
        assert log.following and not log.border_subtitle
        h.voice.say("agent", "And the last line?", 70.0)
        await wait_for(pilot, lambda: log.scroll_y == log.max_scroll_y, description="following again")
        assert "And the last line?" in log.plain


async def test_the_last_minute_banner_counts_down_with_the_timer(tmp_path: Path) -> None:
    h = make_harness(tmp_path, balance=100)
    app = app_for(h)
    async with app.run_test(size=(100, 32)) as pilot:
        await go_live(pilot, h)
        h.clock.advance(billing.MAX_SESSION_S - 59)
        app.screen.tick()  # type: ignore[attr-defined]
        await pilot.pause()
        assert "0:59 left" in static_text(app, "#notice")
        h.clock.advance(18)
        app.screen.tick()  # type: ignore[attr-defined]
        await pilot.pause()
        assert "0:41 left" in static_text(app, "#notice")
        assert "0:41 left" in str(app.screen.query_one("#timer-limit").render())


async def test_a_top_up_from_another_process_shows_on_start_within_seconds(tmp_path: Path) -> None:
    h = make_harness(tmp_path, balance=5)
    app = app_for(h, ledger_poll_s=0.2)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        assert "5 credits" in static_text(app, "#balance")
        assert app.screen.query_one("#start-button").disabled
        await top_up_from_another_process(tmp_path / "interview.db", 15)
        await wait_for(pilot, lambda: "20 credits" in static_text(app, "#balance"), limit_s=5,
                       description="the new balance on Start")
        assert not app.screen.query_one("#start-button").disabled
        assert app.screen.query_one("#blocked").has_class("hidden")


async def test_a_top_up_from_another_process_shows_in_history_credits(tmp_path: Path) -> None:
    h = make_harness(tmp_path, balance=5)
    app = app_for(h, ledger_poll_s=0.2)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await open_history(pilot)
        await top_up_from_another_process(tmp_path / "interview.db", 7)
        await wait_for(pilot, lambda: "12 credits" in static_text(app, "#ledger-balance"), limit_s=5,
                       description="the new balance in History")


async def test_ctrl_r_repeats_the_question_in_text_mode(tmp_path: Path) -> None:
    from interview_tui.bootstrap import open_runtime
    from interview_tui.domain.clock import FakeClock
    from interview_tui.providers.local_analyzer import LocalAnalyzer
    from interview_tui.providers.local_planner import LocalPlanner
    from interview_tui.voice.text_engine import TextVoice
    from tests.doubles import scripted_engines, settings_for

    clock = FakeClock()
    planner = LocalPlanner()
    engines = scripted_engines(planner, LocalAnalyzer(), lambda: TextVoice(clock), "text mode")
    with open_runtime(settings_for(tmp_path), clock=clock, engines=engines) as runtime:
        runtime.service.top_up(30, "test funds")
        app = make_app(runtime, jd_text=JD_TEXT, export_dir=tmp_path)
        async with app.run_test(size=(100, 32)) as pilot:
            await to_live(pilot)
            log = app.screen.query_one(TranscriptLog)
            await wait_for(pilot, lambda: "Question 1 of" in static_text(app, "#question"), description="q1")
            first = planner.plan(JD_TEXT).questions[0].text
            await pilot.press("ctrl+r")
            await wait_for(pilot, lambda: f"Of course. {first}" in log.plain, description="the repeat")
            assert "Question 1 of" in static_text(app, "#question")
