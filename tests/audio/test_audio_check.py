"""`run_audio_check` (interview doctor --audio) on the PulseAudio test devices."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from interview_tui.paths import AppPaths
from interview_tui.settings import Settings
from interview_tui.voice.audio_check import run_audio_check
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
