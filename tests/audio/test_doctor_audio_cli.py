"""`interview doctor --audio` through the CLI on the PulseAudio test devices: progress on stderr while it listens,
what it measured (never "None"), and a verdict as the last line; exit 1 unless audio works."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from interview_tui.cli import app
from tests.fakes.pulse import PulseDevices, espeak_pcm

pytestmark = [pytest.mark.audio, pytest.mark.timeout(120)]

runner = CliRunner()
DEVICES = ["--input-device", "pulse", "--output-device", "pulse"]


def test_speech_heard_and_tone_played_is_a_working_verdict(pulse_devices: PulseDevices) -> None:
    pulse_devices.feed(espeak_pcm("One two three four five six seven."))
    result = runner.invoke(app, [*DEVICES, "doctor", "--audio"])
    pulse_devices.clear_feed()
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == ["Listening to the microphone 'pulse' for 2 s: say something…",
                                          "Playing a 0.5 s test tone on the speaker 'pulse'…"]
    lines = result.stdout.splitlines()
    assert lines[0] == "microphone        pulse" and lines[2] == "speaker           pulse"
    assert lines[1].startswith("microphone level  -") and "dBFS average" in lines[1]
    assert lines[3] == "test tone         played"
    assert lines[-1].startswith("verdict: Audio works: the microphone 'pulse' hears you")
    assert "None" not in result.output


def test_silence_is_a_verdict_with_its_fix(pulse_devices: PulseDevices) -> None:
    pulse_devices.clear_feed()  # the test microphone delivers digital silence
    result = runner.invoke(app, [*DEVICES, "doctor", "--audio"])
    assert result.exit_code == 1, result.output
    last = result.stdout.splitlines()[-1]
    assert last.startswith("verdict: The microphone 'pulse' heard only silence") and "--input-device" in last
    assert "None" not in result.output


def test_a_missing_device_is_a_verdict_not_none(pulse_devices: PulseDevices) -> None:
    result = runner.invoke(app, ["--input-device", "BAD", "doctor", "--audio"])
    assert result.exit_code == 1, result.output
    assert "None" not in result.output and "Listening" not in result.stderr
    lines = result.stdout.splitlines()
    assert "microphone        not opened" in lines and "microphone level  not measured" in lines
    assert lines[-1].startswith("verdict: Audio does not work: The input device 'BAD'")
    assert "input devices here: " in lines[-1] and "'pulse'" in lines[-1]


def test_json_keeps_stdout_clean_and_adds_the_verdict(pulse_devices: PulseDevices) -> None:
    pulse_devices.feed(espeak_pcm("Testing the microphone, one two three."))
    result = runner.invoke(app, [*DEVICES, "doctor", "--audio", "--json"])
    pulse_devices.clear_feed()
    data = json.loads(result.stdout)
    assert result.exit_code == 0 and data["ok"] is True and data["verdict"].startswith("Audio works")
    assert {"input_device", "input_rms_dbfs", "input_peak_dbfs", "output_device", "tone_played", "error"} < set(data)
    assert result.stderr.startswith("Listening to the microphone 'pulse'")
