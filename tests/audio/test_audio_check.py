"""`run_audio_check` (interview doctor --audio) on the PulseAudio test devices."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from interview_tui.paths import AppPaths
from interview_tui.settings import Settings
from interview_tui.voice.audio_check import audio_verdict, run_audio_check
from tests.audio_helpers import voiced_seconds
from tests.fakes.pulse import PulseDevices, espeak_pcm

pytestmark = pytest.mark.audio


def _settings(tmp: Path, **kw: str) -> Settings:
    return Settings(paths=AppPaths(tmp, tmp, tmp / "db"), **kw)


def test_audio_check_reports_mic_level_and_plays_a_tone(pulse_devices: PulseDevices, tmp_path: Path) -> None:
    pulse_devices.feed(espeak_pcm("One two three four five six seven."))
    with pulse_devices.record() as rec:
        result = run_audio_check(_settings(tmp_path, input_device="pulse", output_device="pulse"), seconds=1.5)
        time.sleep(0.3)
        played = rec.stop()
    pulse_devices.clear_feed()
    assert set(result) == {"input_device", "input_rms_dbfs", "input_peak_dbfs", "output_device", "tone_played",
                           "error"}
    assert result["error"] is None, result
    assert result["input_device"] == "pulse" and result["output_device"] == "pulse"
    assert -40 < result["input_rms_dbfs"] < result["input_peak_dbfs"] <= 0
    assert result["tone_played"] is True
    assert voiced_seconds(played) > 0.3
    json.dumps(result)


def test_audio_check_unknown_device_is_an_error_field(pulse_devices: PulseDevices, tmp_path: Path) -> None:
    result = run_audio_check(_settings(tmp_path, input_device="no-such-mic"), seconds=0.5)
    assert result["error"] and "no-such-mic" in result["error"] and "--input-device" in result["error"]
    assert result["tone_played"] is False


def test_each_step_is_announced_before_it_runs(pulse_devices: PulseDevices, tmp_path: Path) -> None:
    steps: list[tuple[float, str]] = []
    result = run_audio_check(_settings(tmp_path, input_device="pulse", output_device="pulse"), seconds=1.5,
                             on_step=lambda text: steps.append((time.monotonic(), text)))
    done = time.monotonic()
    assert result["error"] is None, result
    (listen_at, listen), (tone_at, tone) = steps
    assert listen == "Listening to the microphone 'pulse' for 1.5 s: say something…"
    assert tone == "Playing a 0.5 s test tone on the speaker 'pulse'…"
    assert tone_at - listen_at >= 1.0 and done - tone_at >= 0.3  # announced first, then listened / played


def test_the_verdict_names_what_is_wrong_and_the_fix() -> None:
    heard = {"input_device": "pulse", "input_rms_dbfs": -23.4, "input_peak_dbfs": -6.0, "output_device": "pulse",
             "tone_played": True, "error": None}
    assert audio_verdict(heard) == (True, "Audio works: the microphone 'pulse' hears you (average -23 dBFS) and "
                                          "the speaker 'pulse' played the test tone.")
    ok, silent = audio_verdict(heard | {"input_rms_dbfs": -120.0, "input_peak_dbfs": -120.0})
    assert not ok and "heard only silence (average -120 dBFS)" in silent and "--input-device" in silent
    ok, broken = audio_verdict(heard | {"error": "The speaker 'pulse' did not play the test tone."})
    assert not ok and broken == "Audio does not work: The speaker 'pulse' did not play the test tone."
