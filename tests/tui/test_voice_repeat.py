"""The repeat key in offline voice mode, in the app on the real PortAudio devices (PulseAudio test sink and
source): the help lists it on the live screen, and ctrl+r makes the interviewer speak the question again without
recording an answer."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console
from textual.widgets import Static

from interview_tui.bootstrap import make_app, open_runtime
from interview_tui.domain.clock import FakeClock
from interview_tui.providers.local_analyzer import LocalAnalyzer
from interview_tui.providers.local_planner import LocalPlanner
from interview_tui.tui.widgets.transcript import TranscriptLog
from interview_tui.voice.local_engine import LocalVoice
from tests.doubles import JD_TEXT, scripted_engines, settings_for
from tests.fakes.pulse import PulseDevices
from tests.fakes.tui_pilot import to_live, wait_for, wait_for_screen

pytestmark = [pytest.mark.anyio, pytest.mark.audio]


def plain(renderable: object) -> str:
    console = Console(width=200, color_system=None, file=io.StringIO())
    with console.capture() as captured:
        console.print(renderable)
    return captured.get()


async def test_ctrl_r_repeats_the_question_in_offline_voice(pulse_devices: PulseDevices, tmp_path: Path) -> None:
    clock = FakeClock()
    planner = LocalPlanner()
    settings = settings_for(tmp_path, devices=pulse_devices)
    engines = scripted_engines(planner, LocalAnalyzer(), lambda: LocalVoice(settings, clock=clock,
                                                                            words_per_minute=280), "offline voice")
    with open_runtime(settings, clock=clock, engines=engines) as runtime:
        runtime.service.top_up(30, "test funds")
        app = make_app(runtime, jd_text=JD_TEXT, export_dir=tmp_path)
        app.animation_level = "none"
        async with app.run_test(size=(100, 32)) as pilot:
            await to_live(pilot)
            first = planner.plan(JD_TEXT).questions[0].text
            log = app.screen.query_one(TranscriptLog)
            await wait_for(pilot, lambda: first in log.plain, limit_s=60, description="the first question")
            assert app.screen.engine.name == "local-voice"  # type: ignore[attr-defined]
            await pilot.press("f1")
            await wait_for_screen(pilot, "HelpScreen")
            keys = plain(app.screen.query_one("#help-keys", Static).content)
            assert "^r" in keys and "Repeat" in keys, keys
            await pilot.press("escape")
            await wait_for_screen(pilot, "LiveScreen")
            await pilot.press("ctrl+r")
            await wait_for(pilot, lambda: f"Of course. {first}" in log.plain, limit_s=60, description="the repeat")
            [record] = runtime.service.list_sessions()
            turns = runtime.service.get(record.id).live_transcript
            assert [t.text for t in turns if t.role == "agent"][-1] == f"Of course. {first}"
            assert not [t for t in turns if t.role == "user"]  # the key is not an answer
            assert "Question 1 of" in str(app.screen.query_one("#question", Static).render())
            app.screen.engine.stop()  # type: ignore[attr-defined]
