"""Scenes the snapshot tests (at the usual size and the small ones) set up the same way: a live interview with a
scripted exchange, the clock moved on, the interview ended, a history of five sessions."""

from __future__ import annotations

from textual.pilot import Pilot

from tests.doubles import Harness, complete_session, sample_report
from tests.fakes.tui_pilot import to_live, wait_for, wait_for_screen


async def live_scene(pilot: Pilot, h: Harness) -> None:
    """Live: the greeting and first question, an answer, the second question; the candidate is speaking."""
    await to_live(pilot)
    plan = h.planner.plan_result
    h.voice.say("agent", "Hi, thanks for joining. " + plan.questions[0].text, 1.0)
    h.voice.say("user", "I designed the payments API at my last job, using FastAPI and PostgreSQL.", 9.5)
    h.voice.say("agent", plan.questions[1].text, 48.0)
    h.voice.speaking("user")
    h.voice.level(-18.0, -9.0)
    await pilot.pause()


async def advance_live(pilot: Pilot, h: Harness, seconds: float) -> None:
    """Move the fake clock on and let the Live screen's timer tick once."""
    h.clock.advance(seconds)
    screen = pilot.app.screen
    screen.tick()  # type: ignore[attr-defined]
    await pilot.pause()


async def end_interview(pilot: Pilot, h: Harness) -> None:
    """The live scene, 2:10 in (charged), ended with ctrl+e and confirmed: analysing (or already reported)."""
    await live_scene(pilot, h)
    await advance_live(pilot, h, 130)
    await pilot.press("ctrl+e")
    await wait_for_screen(pilot, "ConfirmEndDialog")
    await pilot.press("y")
    await wait_for(pilot, lambda: type(pilot.app.screen).__name__ in ("AnalysisScreen", "ReportScreen"),
                   description="the analysis to start")


def five_sessions(h: Harness) -> None:
    """A top-up and five completed sessions (one too short to assess) for History; later analyses use
    `sample_report`."""
    h.service.top_up(100, note="test top-up")
    for score, live in ((48, 150), (55, 300), (None, 45), (63, 600), (72, 900)):
        complete_session(h, score=score, live_s=live)
    h.analyzer.report = sample_report()
