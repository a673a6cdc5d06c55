"""Audio robustness (issue 11, problem 3): a slow consumer (recognition, a blocked network send) never starves
capture, and "the microphone stopped" comes from the device callbacks themselves — not under CPU load with busy
processes beside it, only when the device really stops. Real PortAudio devices (PulseAudio null sink + pipe)."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from interview_tui.voice.audio import SoundDeviceAudioInterface
from tests.fakes.pulse import PulseDevices

pytestmark = pytest.mark.audio


def _busy_processes(n: int) -> list[subprocess.Popen[bytes]]:
    return [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(n)]


def test_no_false_stall_under_cpu_load_with_a_slow_consumer(pulse_devices: PulseDevices) -> None:
    errors: list[str] = []
    audio = SoundDeviceAudioInterface(pulse_devices.input_device, pulse_devices.output_device,
                                      stall_timeout_s=3.0, on_error=errors.append)
    consumed: list[float] = []

    def slow_consumer(pcm: bytes) -> None:
        consumed.append(time.monotonic())
        if len(consumed) % 50 == 0:
            time.sleep(4.0)  # a recogniser finishing a long answer: longer than the stall timeout
        else:
            time.sleep(0.03)  # slower than real time (20 ms blocks)

    busy = _busy_processes(3)  # more busy processes than cores
    try:
        audio.start(slow_consumer)
        started = time.monotonic()
        time.sleep(12.0)
        elapsed = time.monotonic() - started
        callbacks = audio.input_callbacks
    finally:
        for p in busy:
            p.kill()
            p.wait()
        audio.stop(drain=False)
    assert errors == [] and audio.error is None, errors
    # capture kept running at device pace while the consumer lagged (the excess was dropped, not blocked)
    assert callbacks >= 0.6 * elapsed / 0.02, (callbacks, elapsed)
    assert audio.dropped_input_blocks > 0 and len(consumed) < callbacks
    print(f"\nunder load: {callbacks} mic callbacks in {elapsed:.1f} s ({callbacks * 0.02 / elapsed:.0%} of real "
          f"time), {len(consumed)} consumed, {audio.dropped_input_blocks} dropped, no stall reported")


def test_a_4_second_gap_in_a_running_stream_is_not_a_stall(pulse_devices: PulseDevices) -> None:
    """The audio server starved (as under load): no audio for 4 s while the stream keeps running — longer than
    the stall timeout, yet the microphone did not stop. (The old verdict, "no block consumed for 3 s", ended the
    interview here.)"""
    errors: list[str] = []
    audio = SoundDeviceAudioInterface(pulse_devices.input_device, pulse_devices.output_device,
                                      stall_timeout_s=3.0, on_error=errors.append)
    audio.start(lambda pcm: None)
    try:
        time.sleep(1.0)
        with pulse_devices.feeder._lock:  # the mic's feeder cannot write: the pipe source goes quiet
            before = audio.input_callbacks
            time.sleep(4.5)
            during = audio.input_callbacks - before
        time.sleep(1.5)
        after = audio.input_callbacks - before - during
    finally:
        audio.stop(drain=False)
    assert errors == [], errors
    assert after > 20  # audio flows again
    print(f"\ngap: {during} callbacks in the 4.5 s gap, {after} in the 1.5 s after, no stall reported")


def test_a_microphone_that_really_stops_is_reported(pulse_devices: PulseDevices) -> None:
    errors: list[str] = []
    audio = SoundDeviceAudioInterface(pulse_devices.input_device, pulse_devices.output_device,
                                      stall_timeout_s=1.0, on_error=errors.append)
    audio.start(lambda pcm: None)
    try:
        deadline = time.monotonic() + 5
        while audio.input_callbacks < 20 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert audio.input_callbacks >= 20
        stopped_at = time.monotonic()
        audio._in_stream.abort()  # the device stops delivering (as when it is unplugged)
        while not errors and time.monotonic() - stopped_at < 8:
            time.sleep(0.05)
        assert errors and "microphone stopped" in errors[0]
        assert time.monotonic() - stopped_at < 3.0  # judged from the stream itself: no long wait
    finally:
        audio.stop(drain=False)
