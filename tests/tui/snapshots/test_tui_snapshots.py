"""Snapshots of every screen and its main states at a fixed size, with a fake clock and scripted engines."""

from __future__ import annotations

import threading

from textual.pilot import Pilot

from interview_tui.domain.models import Report
from interview_tui.tui.app import LIGHT_THEME
from tests.doubles import JD_TEXT, MARKUP_JD, Harness, complete_session, sample_plan
from tests.fakes.report_samples import feedback_report
from tests.fakes.tui_pilot import (
    app_for,
    open_history,
    settle,
    to_plan,
    type_text,
    wait_for,
    wait_for_screen,
    work_progress,
)
from tests.fakes.tui_scenes import advance_live, end_interview, five_sessions, live_scene

SIZE = (100, 32)
SMALL = (80, 24)


# ------------------------------------------------------------------------------------------------ start


def test_start(snap_compare, harness: Harness) -> None:
    assert snap_compare(app_for(harness), run_before=settle, terminal_size=SIZE)


def test_start_blocked_low_balance(snap_compare, harness: Harness) -> None:
    harness.service.ledger.adjust(-20, harness.clock.now(), "test: spend down to 10")
    assert snap_compare(app_for(harness), run_before=settle, terminal_size=SIZE)


def test_start_markup_jd_is_literal(snap_compare, harness: Harness) -> None:
    assert snap_compare(app_for(harness, jd=MARKUP_JD), run_before=settle, terminal_size=SIZE)


def test_start_small_terminal(snap_compare, harness: Harness) -> None:
    assert snap_compare(app_for(harness), run_before=settle, terminal_size=SMALL)


def test_resume_prompt(snap_compare, harness: Harness) -> None:
    record = harness.service.create(JD_TEXT)
    harness.service.run_setup(record.id)
    assert snap_compare(app_for(harness, jd=None), run_before=settle, terminal_size=SIZE)


# ------------------------------------------------------------------------------------------------ setup


def test_setup_progress(snap_compare, harness: Harness) -> None:
    harness.planner.gate = threading.Event()

    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        await pilot.press("ctrl+s")
        await wait_for_screen(pilot, "SetupScreen")
        await wait_for(pilot, lambda: harness.planner.calls == 1, description="the planner being called")

    assert snap_compare(app_for(harness), run_before=run_before, terminal_size=SIZE)


def test_setup_error_with_retry(snap_compare, harness: Harness) -> None:
    harness.planner.fail()
    assert snap_compare(app_for(harness), run_before=to_plan, terminal_size=SIZE)


def test_setup_plan(snap_compare, harness: Harness) -> None:
    assert snap_compare(app_for(harness), run_before=to_plan, terminal_size=SIZE)


def test_setup_plan_with_markup_from_the_model(snap_compare, harness: Harness) -> None:
    harness.planner.plan_result = sample_plan("[bold]x[/bold] [link=http://a]y[/link] \x1b[31mred\x1b[0m")
    assert snap_compare(app_for(harness), run_before=to_plan, terminal_size=SIZE)


# ------------------------------------------------------------------------------------------------ live


def test_live_before_charge(snap_compare, harness: Harness) -> None:
    async def run_before(pilot: Pilot) -> None:
        await live_scene(pilot, harness)
        await advance_live(pilot, harness, 65)

    assert snap_compare(app_for(harness), run_before=run_before, terminal_size=SIZE)


def test_live_after_charge(snap_compare, harness: Harness) -> None:
    async def run_before(pilot: Pilot) -> None:
        await live_scene(pilot, harness)
        await advance_live(pilot, harness, 125)

    assert snap_compare(app_for(harness), run_before=run_before, terminal_size=SIZE)


def test_live_reconnecting(snap_compare, harness: Harness) -> None:
    async def run_before(pilot: Pilot) -> None:
        await live_scene(pilot, harness)
        await advance_live(pilot, harness, 200)
        harness.voice.status("reconnecting", "The connection to the interviewer dropped.", attempt=1)
        harness.voice.speaking(None)
        await pilot.pause()

    assert snap_compare(app_for(harness), run_before=run_before, terminal_size=SIZE)


def test_live_last_minute_warning_small(snap_compare, harness: Harness) -> None:
    async def run_before(pilot: Pilot) -> None:
        await live_scene(pilot, harness)
        await advance_live(pilot, harness, 14 * 60 + 5)

    assert snap_compare(app_for(harness), run_before=run_before, terminal_size=SMALL)


def test_confirm_end(snap_compare, harness: Harness) -> None:
    async def run_before(pilot: Pilot) -> None:
        await live_scene(pilot, harness)
        await advance_live(pilot, harness, 95)
        await pilot.press("ctrl+e")
        await wait_for_screen(pilot, "ConfirmEndDialog")

    assert snap_compare(app_for(harness), run_before=run_before, terminal_size=SIZE)


# ------------------------------------------------------------------------------------------------ analysis


def test_analysis_progress(snap_compare, harness: Harness) -> None:
    harness.analyzer.gate = threading.Event()

    async def run_before(pilot: Pilot) -> None:
        await end_interview(pilot, harness)
        await wait_for(pilot, lambda: "Scoring" in work_progress(pilot.app),
                       description="the scoring step")

    assert snap_compare(app_for(harness), run_before=run_before, terminal_size=SIZE)


def test_analysis_error_with_retry(snap_compare, harness: Harness) -> None:
    harness.analyzer.fail()

    async def run_before(pilot: Pilot) -> None:
        await end_interview(pilot, harness)
        await settle(pilot)

    assert snap_compare(app_for(harness), run_before=run_before, terminal_size=SIZE)


# ------------------------------------------------------------------------------------------------ report


def test_report(snap_compare, harness: Harness) -> None:
    async def run_before(pilot: Pilot) -> None:
        await end_interview(pilot, harness)
        await wait_for_screen(pilot, "ReportScreen")
        await settle(pilot)
        pilot.app.clear_notifications()  # toasts time out on the real clock: which ones show was a race
        await pilot.pause()

    assert snap_compare(app_for(harness), run_before=run_before, terminal_size=SIZE)


def test_report_scrolled_light_theme(snap_compare, harness: Harness) -> None:
    async def run_before(pilot: Pilot) -> None:
        await end_interview(pilot, harness)
        await wait_for_screen(pilot, "ReportScreen")
        await settle(pilot)
        pilot.app.clear_notifications()  # toasts time out on the real clock: which ones show was a race
        await pilot.press("ctrl+t", "end")
        await pilot.pause()

    assert snap_compare(app_for(harness), run_before=run_before, terminal_size=SIZE)


def test_report_not_assessable(snap_compare, harness: Harness) -> None:
    complete_session(harness, score=None, live_s=40)
    [record] = harness.service.list_sessions()

    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        pilot.app.open_session(record)  # type: ignore[attr-defined]
        await wait_for_screen(pilot, "ReportScreen")

    assert snap_compare(app_for(harness), run_before=run_before, terminal_size=SIZE)


# ------------------------------------------------------------------------------------------------ history


def test_history_sessions(snap_compare, harness: Harness) -> None:
    five_sessions(harness)

    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        await open_history(pilot)

    assert snap_compare(app_for(harness), run_before=run_before, terminal_size=SIZE)


def test_history_trend(snap_compare, harness: Harness) -> None:
    five_sessions(harness)

    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        await open_history(pilot)
        await pilot.press("t")
        await pilot.pause()

    assert snap_compare(app_for(harness), run_before=run_before, terminal_size=SIZE)


def test_history_credits(snap_compare, harness: Harness) -> None:
    five_sessions(harness)

    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        await open_history(pilot)
        await pilot.press("c")
        await pilot.pause()

    assert snap_compare(app_for(harness), run_before=run_before, terminal_size=SIZE)


def test_theme_light_start(snap_compare, harness: Harness) -> None:
    assert snap_compare(app_for(harness, theme=LIGHT_THEME), run_before=settle, terminal_size=SIZE)


def test_live_text_mode(snap_compare, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from tests.doubles import make_harness

    h = make_harness(tmp_path / "text", text_input=True)

    async def run_before(pilot: Pilot) -> None:
        await live_scene(pilot, h)
        await advance_live(pilot, h, 30)
        await type_text(pilot, "I would use an idempotency key")
        await pilot.press("enter")
        await type_text(pilot, "stored with a unique constraint, so a retried request finds the first result "
                               "instead of charging twice, and the client can retry safely")

    try:
        assert snap_compare(app_for(h), run_before=run_before, terminal_size=SIZE)
    finally:
        h.runtime.close()


# ---------------------------------------------------------------------------------- per-question feedback


def _question_feedback(snap_compare, harness: Harness, report: Report, size: tuple[int, int],
                       scroll: int) -> bool:
    harness.analyzer.report = report

    async def run_before(pilot: Pilot) -> None:
        await end_interview(pilot, harness)
        await wait_for_screen(pilot, "ReportScreen")
        await settle(pilot)
        pilot.app.clear_notifications()  # the "charged" and "ended" toasts would cover the text
        body = pilot.app.screen.query_one("#report")
        body.scroll_to_widget(pilot.app.screen.query_one("#questions"), animate=False, top=True)
        for _ in range(scroll):
            await pilot.press("down")
        await pilot.pause()

    return snap_compare(app_for(harness), run_before=run_before, terminal_size=size)


def test_report_question_feedback_small(snap_compare, harness: Harness) -> None:
    """80×24: the answer, ticked talking points, a red flag, STAR parts and quotes of the first question."""
    assert _question_feedback(snap_compare, harness, feedback_report(), SMALL, 0)


def test_report_stronger_unsupported_non_answer(snap_compare, harness: Harness) -> None:
    """The stronger answer, a withheld (unsupported) score, a non-answer and a question not asked."""
    assert _question_feedback(snap_compare, harness, feedback_report(), SIZE, 14)


def test_report_heard_as_rough_transcript(snap_compare, harness: Harness) -> None:
    """Offline-recognised words: the reliability note and quotes "heard as" with confidence, never ✓ verified."""
    assert _question_feedback(snap_compare, harness, feedback_report(rough=True), SIZE, 0)
