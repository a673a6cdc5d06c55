"""Every screen's main states at the small sizes the app promises to hold (80×24 and 60×20), and the newer states
(help overlay, countdown banner, multi-line answer) at the usual 100×32 as well. Fake clock, scripted engines."""

from __future__ import annotations

import threading
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot

from tests.doubles import JD_TEXT, Harness, make_harness
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

Step = Callable[[Pilot, Harness], Awaitable[None]]


async def start(pilot: Pilot, h: Harness) -> None:
    await settle(pilot)


async def setup_plan(pilot: Pilot, h: Harness) -> None:
    await to_plan(pilot)


async def live_text(pilot: Pilot, h: Harness) -> None:
    await live_scene(pilot, h)
    await advance_live(pilot, h, 30)
    await type_text(pilot, "I would use an idempotency key")
    await pilot.press("enter")
    await type_text(pilot, "stored with a unique constraint, so a retried request finds the first result instead of "
                           "charging twice, and the client can retry safely")


async def live_countdown(pilot: Pilot, h: Harness) -> None:
    await live_scene(pilot, h)
    await advance_live(pilot, h, 14 * 60 + 19)


async def confirm_end(pilot: Pilot, h: Harness) -> None:
    await live_scene(pilot, h)
    await advance_live(pilot, h, 95)
    await pilot.press("ctrl+e")
    await wait_for_screen(pilot, "ConfirmEndDialog")


async def analysis_progress(pilot: Pilot, h: Harness) -> None:
    h.analyzer.gate = threading.Event()
    await end_interview(pilot, h)
    await wait_for(pilot, lambda: "Scoring" in work_progress(pilot.app),
                   description="the scoring step")


async def report(pilot: Pilot, h: Harness) -> None:
    await end_interview(pilot, h)
    await wait_for_screen(pilot, "ReportScreen")
    await settle(pilot)


async def history_sessions(pilot: Pilot, h: Harness) -> None:
    await settle(pilot)
    await open_history(pilot)


async def history_trend(pilot: Pilot, h: Harness) -> None:
    await history_sessions(pilot, h)
    await pilot.press("t")
    await pilot.pause()


async def history_compare(pilot: Pilot, h: Harness) -> None:
    await history_sessions(pilot, h)
    await pilot.press("end", "space", "home", "v")  # mark the oldest, compare the newest with it
    await pilot.pause()


async def resume_prompt(pilot: Pilot, h: Harness) -> None:
    await wait_for_screen(pilot, "ResumeDialog")
    await settle(pilot)


async def help_on_start(pilot: Pilot, h: Harness) -> None:
    await settle(pilot)
    await pilot.press("f1")
    await wait_for_screen(pilot, "HelpScreen")


async def help_on_live(pilot: Pilot, h: Harness) -> None:
    await live_scene(pilot, h)
    await advance_live(pilot, h, 30)
    await pilot.press("f1")
    await wait_for_screen(pilot, "HelpScreen")


def prepare(state: str, h: Harness) -> str | None:
    """Data the state needs before the app starts; returns the JD to open with."""
    if state.startswith("history"):
        five_sessions(h)
    if state == "resume_prompt":
        h.service.run_setup(h.service.create(JD_TEXT).id)
        return None
    return JD_TEXT


STATES: dict[str, Step] = {
    "start": start, "setup_plan": setup_plan, "live_text": live_text, "live_countdown": live_countdown,
    "confirm_end": confirm_end, "analysis_progress": analysis_progress, "report": report,
    "history_sessions": history_sessions, "history_trend": history_trend, "history_compare": history_compare,
    "resume_prompt": resume_prompt,
    "help_on_start": help_on_start, "help_on_live": help_on_live,
}
TEXT_MODE = {"live_text", "help_on_live"}
NEW_STATES_AT_100 = ("help_on_start", "help_on_live", "live_countdown", "history_compare")
CASES = [(state, size) for state in STATES for size in ((80, 24), (60, 20))]
CASES += [(state, (100, 32)) for state in NEW_STATES_AT_100]


@pytest.mark.parametrize(("state", "size"), CASES, ids=[f"{s}-{w}x{h}" for s, (w, h) in CASES])
def test_screen_at_size(snap_compare, tmp_path: Path, state: str, size: tuple[int, int]) -> None:
    h = make_harness(tmp_path, text_input=state in TEXT_MODE)
    jd = prepare(state, h)
    step = STATES[state]

    async def run_before(pilot: Pilot) -> None:
        await step(pilot, h)
        pilot.app.clear_notifications()  # toasts time out on the real clock: not part of the layout under test
        await pilot.pause()

    try:
        assert snap_compare(app_for(h, jd=jd), run_before=run_before, terminal_size=size)
    finally:
        for gate in (h.planner.gate, h.analyzer.gate):
            if gate is not None:
                gate.set()
        h.runtime.close()
