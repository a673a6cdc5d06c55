"""The PulseAudio test devices themselves: the mic plays what is fed, the monitor records what is played."""

from __future__ import annotations

import time

import numpy as np
import pytest

from tests.fakes.pulse import PulseDevices, espeak_pcm

pytestmark = pytest.mark.audio


def _rms(pcm: bytes) -> float:
    x = np.frombuffer(pcm, dtype=np.int16).astype(np.float64)
    return float(np.sqrt(np.mean(x**2))) if x.size else 0.0


def test_mic_delivers_fed_speech_and_speaker_reaches_monitor(pulse_devices: PulseDevices) -> None:
    import sounddevice as sd

    speech = espeak_pcm("Testing the microphone.")
    assert _rms(speech) > 500
    got: list[bytes] = []
    def on_block(data: object, frames: int, t: object, status: object) -> None:
        got.append(bytes(data))  # type: ignore[call-overload]

    with sd.RawInputStream(samplerate=16000, channels=1, dtype="int16", blocksize=320,
                           device=pulse_devices.input_device, callback=on_block):
        mark = pulse_devices.feed(speech)
        assert mark.done.wait(30)
        time.sleep(0.3)
    captured = b"".join(got)
    assert _rms(captured) > 0.5 * _rms(speech)

    tone = (np.sin(np.arange(8000) * 2 * np.pi * 440 / 16000) * 8000).astype(np.int16)
    with pulse_devices.record() as rec:
        time.sleep(0.2)
        sd.play(tone, 16000, device=pulse_devices.output_device, blocking=True)
        time.sleep(0.3)
        played = rec.stop()
    assert _rms(played) > 1000
