"""A microphone or speaker asked for that is not there: one line naming it and listing the devices there are
(index and name), exit 2 from the CLI, the same words in the app; never a silent fall-back to typing that claims
no microphone was found. Runs against the PulseAudio test devices (real PortAudio device lists)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from interview_tui.cli import app
from interview_tui.domain.errors import InvalidInput
from interview_tui.engines import build_engines
from interview_tui.voice.audio import SoundDeviceAudioInterface, device_choices
from tests.doubles import settings_for
from tests.fakes.pulse import PulseDevices

pytestmark = [pytest.mark.audio, pytest.mark.timeout(120)]

runner = CliRunner()


def _input_listing() -> list[str]:
    import sounddevice as sd

    return [f"{index} {name!r}" for index, name in device_choices(sd, "input")]


def _assert_names_and_lists(line: str, asked: str, source: str) -> None:
    listing = _input_listing()
    assert listing and any("pulse" in entry for entry in listing)
    assert line.startswith(f"interview: The input device {asked!r} (from {source}) was not found")
    assert f"input devices here: {', '.join(listing)}" in line
    assert "--input-device" in line and "no microphone was found" not in line


@pytest.mark.parametrize("how", ["option", "environment", "config"])
def test_an_unknown_input_device_stops_the_cli_with_the_list(pulse_devices: PulseDevices, app_home: Path,
                                                             monkeypatch: pytest.MonkeyPatch, how: str) -> None:
    argv: list[str] = []
    if how == "option":
        argv, source = ["--input-device", "BAD"], "--input-device"
    elif how == "environment":
        monkeypatch.setenv("INTERVIEW_INPUT_DEVICE", "BAD")
        source = "INTERVIEW_INPUT_DEVICE"
    else:
        (app_home / "config.toml").write_text('[audio]\ninput_device = "BAD"\n', encoding="utf-8")
        source = f"input_device under [audio] in {app_home / 'config.toml'}"
    result = runner.invoke(app, argv)
    assert result.exit_code == 2, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    _assert_names_and_lists(lines[0], "BAD", source)


def test_an_output_device_index_that_is_not_there(pulse_devices: PulseDevices) -> None:
    result = runner.invoke(app, ["--output-device", "999"])
    assert result.exit_code == 2
    assert "The output device '999' (from --output-device) was not found (output devices here: " in result.stderr
    assert "--output-device" in result.stderr and len(result.stderr.splitlines()) == 1


def test_a_device_that_is_there_passes_and_text_mode_needs_none(pulse_devices: PulseDevices,
                                                                 tmp_path: Path) -> None:
    missing_jd = tmp_path / "no-such-jd.txt"  # the launch stops at the JD, after the device check
    for argv in (["--input-device", "pulse", "--output-device", str(pulse_devices.output_index())],
                 ["--text", "--input-device", "BAD"]):
        result = runner.invoke(app, [*argv, "--jd", str(missing_jd)])
        assert result.exit_code == 2 and "no-such-jd.txt" in result.stderr, (argv, result.stderr)
        assert "devices here" not in result.stderr


def test_the_app_says_the_same_when_choosing_the_voice_engine(pulse_devices: PulseDevices, tmp_path: Path) -> None:
    voice = next(c for c in build_engines(settings_for(tmp_path, input_device="BAD")).describe() if c.role == "voice")
    assert voice.name == "text mode"
    assert "the input device 'BAD' was not found" in voice.reason
    assert f"input devices here: {', '.join(_input_listing())}" in voice.reason
    assert "no microphone was found" not in voice.reason and "--input-device" in voice.reason
    by_index = settings_for(tmp_path, input_device=str(pulse_devices.input_index()))
    assert next(c for c in build_engines(by_index).describe() if c.role == "voice").name != "text mode"


def test_a_voice_engine_opening_a_missing_device_says_the_same(pulse_devices: PulseDevices) -> None:
    audio = SoundDeviceAudioInterface("BAD", pulse_devices.output_device)
    with pytest.raises(InvalidInput) as caught:
        audio.open()
    message = str(caught.value)
    assert message.startswith("The input device 'BAD' was not found")
    assert f"input devices here: {', '.join(_input_listing())}" in message and "--input-device" in message


def test_doctor_names_the_missing_device_and_accepts_an_index(pulse_devices: PulseDevices) -> None:
    import json

    result = runner.invoke(app, ["--input-device", "BAD", "doctor", "--json"])
    checks = {c["name"]: c for c in json.loads(result.stdout)["checks"]}
    assert not checks["input_device"]["ok"]
    assert checks["input_device"]["detail"] == (f"the input device 'BAD' was not found (input devices here: "
                                                f"{', '.join(_input_listing())})")
    assert "--input-device" in checks["input_device"]["fix"]
    result = runner.invoke(app, ["--input-device", str(pulse_devices.input_index()), "doctor", "--json"])
    checks = {c["name"]: c for c in json.loads(result.stdout)["checks"]}
    assert checks["input_device"]["ok"] and checks["input_device"]["detail"] == "pulse"
