"""The Report screen's recording player: per-answer playback through the speaker (the PulseAudio null sink),
the position and level line, and exports."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from textual.widgets import Sparkline

from interview_tui.bootstrap import make_app
from interview_tui.tui.widgets.playback import RecordingPlayer
from tests.audio_helpers import best_correlation, voiced_seconds
from tests.doubles import complete_session, make_harness
from tests.fakes.pulse import PulseDevices, espeak_pcm
from tests.fakes.tui_pilot import plain_text, settle, to_live, wait_for, wait_for_screen

pytestmark = pytest.mark.anyio


@pytest.mark.audio
async def test_play_an_answer_and_save_it(pulse_devices: PulseDevices, tmp_path: Path, app_home: Path) -> None:
    h = make_harness(tmp_path)
    session_id = complete_session(h, score=70, live_s=12)  # one answer, asked at 0:01
    speech = espeak_pcm("I designed the payments API and moved it to Postgres.")
    pcm = np.concatenate([np.zeros(32_000, np.int16), np.frombuffer(speech, np.int16),
                          np.zeros(12 * 16_000 - 32_000 - len(speech) // 2, np.int16)])
    recordings = h.runtime.settings.paths.recordings_dir
    recordings.mkdir(mode=0o700)
    with sf.SoundFile(str(recordings / f"{session_id}.opus"), "w", samplerate=16_000, channels=1, format="OGG",
                      subtype="OPUS") as f:
        f.write(pcm)
    app = make_app(h.runtime, export_dir=h.export_dir, output_device=pulse_devices.output_device)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        app.open_session(h.service.get(session_id))
        await wait_for_screen(pilot, "ReportScreen")
        player = app.screen.query_one(RecordingPlayer)
        await wait_for(pilot, lambda: player.status == "ready" and player._samples is not None,
                       description="the answer loaded")
        line = plain_text(app.screen.query_one("#recording-answer").content)
        assert "Answer 1 of 1" in line and "0:01–0:12" in line and "■ 0:00 / 0:11" in line
        assert "KB" in plain_text(app.screen.query_one("#recording-title").content)
        assert max(app.screen.query_one(Sparkline).data or [0]) > 0.5
        await pilot.press("p")
        assert app.focused is player
        with pulse_devices.record() as rec:
            await pilot.press("space")
            await wait_for(pilot, lambda: player._player is not None and player._player.position_s > 4,
                           description="playback under way", limit_s=15)
            assert "▶" in plain_text(app.screen.query_one("#recording-answer").content)
            await pilot.press("space")
            assert player.status == "ready"
            await pilot.pause(0.3)
            played = rec.stop()
        assert voiced_seconds(played) > 1.0
        assert best_correlation(speech[8_000:40_000], played) > 0.6
        await pilot.press("a", "w")
        await wait_for(pilot, lambda: len(list(h.export_dir.glob("*.opus"))) == 2, description="two exports")
    answer = next(h.export_dir.glob("*answer1.opus"))
    assert sf.info(str(answer)).duration == pytest.approx(11.0, abs=0.1)
    assert oct(answer.stat().st_mode & 0o777) == "0o600"
    h.runtime.close()


async def test_start_and_live_screens_say_when_recording_is_on(tmp_path: Path) -> None:
    from interview_tui.engines import EngineChoice
    from interview_tui.voice.recording import SessionRecorder
    from tests.doubles import JD_TEXT

    h = make_harness(tmp_path)
    h.engines.make_recorder = lambda sid: SessionRecorder(tmp_path / "rec" / f"{sid}.opus")
    h.engines.choices.append(EngineChoice("recording", "on — your microphone, saved only on this computer", "test"))
    app = make_app(h.runtime, jd_text=JD_TEXT, export_dir=h.export_dir)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        assert "Recording on — your microphone" in plain_text(app.screen.query_one("#engines").content)
        await to_live(pilot)
        await wait_for(pilot, lambda: "recording" in plain_text(app.screen.query_one("#engine-line").content),
                       description="the recording mark")
        h.voice.speaking("user")
        await pilot.press("ctrl+e", "y")
        await wait_for_screen(pilot, "ReportScreen", limit_s=20)
    assert list((tmp_path / "rec").glob("*.opus"))
    h.runtime.close()
