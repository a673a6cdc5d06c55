"""A voice engine that cannot start (here: the real offline voice engine asked for a microphone that does not
exist) leaves the session ready, says why, and offers typed answers (t) or going back (esc)."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import TextArea

from interview_tui.bootstrap import make_app, open_runtime
from interview_tui.domain.clock import FakeClock
from interview_tui.domain.lifecycle import Status
from interview_tui.engines import EngineChoice, Engines
from interview_tui.paths import resolve_paths
from interview_tui.providers.local_analyzer import LocalAnalyzer
from interview_tui.providers.local_planner import LocalPlanner
from interview_tui.settings import load_settings
from interview_tui.voice.local_engine import LocalVoice
from interview_tui.voice.text_engine import TextVoice
from tests.fakes.tui_pilot import settle, to_live, type_text, wait_for, wait_for_screen
from tests.paths import SAMPLE_JD_FILE

pytestmark = pytest.mark.anyio

JD = SAMPLE_JD_FILE.read_text(encoding="utf-8")


async def test_voice_that_cannot_start_falls_back_to_typed_answers(app_home: Path) -> None:
    settings = load_settings(resolve_paths(), env={"INTERVIEW_TUI_HOME": str(app_home),
                                                   "INTERVIEW_INPUT_DEVICE": "no-such-microphone-xyz"})
    clock = FakeClock()
    engines = Engines(LocalPlanner(), LocalAnalyzer(), lambda: LocalVoice(settings, clock=clock),
                      [EngineChoice("voice", "offline voice", "test")], lambda: TextVoice(clock))
    runtime = open_runtime(settings, clock=clock, engines=engines)
    service, store = runtime.service, runtime.store
    service.top_up(15)
    app = make_app(runtime, jd_text=JD, tick_interval=0.1)
    app.animation_level = "none"
    async with app.run_test(size=(100, 32)) as pilot:
        await to_live(pilot)
        await wait_for(pilot, lambda: app.screen.failure == "voice", description="the voice failure")
        notices = [n.message for n in app._notifications]
        assert len([n for n in notices if "no-such-microphone-xyz" in n]) == 1, notices  # one toast
        notice = str(app.screen.query_one("#notice").render())
        assert "no-such-microphone-xyz" in notice and "Press t to continue with typed answers" in notice
        [record] = service.list_sessions()
        assert record.status is Status.READY and record.owner is None and record.started_at is None
        await pilot.press("t")
        await wait_for(pilot, lambda: app.screen.engine is not None and app.screen.engine.name == "text"
                       and app.screen.ticker is not None, description="the typed-answer engine")
        box = app.screen.query_one("#answer", TextArea)
        assert box.display and not box.has_class("hidden")
        [record] = service.list_sessions()
        assert record.status is Status.ACTIVE and record.voice == "text"
        # The session notes why its answers are typed; the report says so in one line.
        [stop] = record.voice_stops
        assert stop.then == "typed" and stop.t == 0 and "no-such-microphone-xyz" in stop.reason
        await type_text(pilot, "I rebuilt the payments ledger.")
        await pilot.press("ctrl+s")
        await pilot.press("ctrl+e")
        await wait_for_screen(pilot, "ConfirmEndDialog")
        await pilot.press("y")
        await wait_for_screen(pilot, "ReportScreen", limit_s=20)
        await settle(pilot)
        line = str(app.screen.query_one("#voice-stops").render())
        assert line.startswith("The voice could not start (") and "no-such-microphone-xyz" in line
        assert line.endswith("so the answers were typed.")
    store.close()
