"""SoundDeviceAudioInterface on real PortAudio devices (PulseAudio null sink + pipe source)."""

from __future__ import annotations

import threading
import time

import pytest

from interview_tui.voice.audio import SoundDeviceAudioInterface
from tests.audio_helpers import best_correlation, rms, voiced_seconds
from tests.fakes.elevenlabs_server import tone
from tests.fakes.pulse import PulseDevices, espeak_pcm

pytestmark = pytest.mark.audio


class Collector:
    def __init__(self) -> None:
        self.blocks: list[bytes] = []
        self.threads: set[str] = set()

    def __call__(self, pcm: bytes) -> None:
        self.blocks.append(pcm)
        self.threads.add(threading.current_thread().name)

    def audio(self) -> bytes:
        return b"".join(self.blocks)


def _wait(pred, timeout: float = 10.0) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if pred():
            return True
        time.sleep(0.02)
    return pred()


@pytest.mark.parametrize("device_rate", [None, 48000], ids=["16k", "device-48k-resampled"])
def test_mic_to_callback_and_agent_audio_to_speaker(pulse_devices: PulseDevices, device_rate: int | None) -> None:
    speech = espeak_pcm("My name is Ana and I write Python services." if device_rate is None else "I am Ana.")
    levels: list[tuple[float, float]] = []
    speaking: list[str | None] = []
    audio = SoundDeviceAudioInterface(pulse_devices.input_device, pulse_devices.output_device,
                                      device_rate=device_rate, on_level=lambda r, p: levels.append((r, p)),
                                      on_speaking=speaking.append)
    sink = Collector()
    audio.start(sink)
    assert _wait(lambda: audio.output_blocks > 10)
    try:
        assert audio.input_rate == (device_rate or 16000)
        before = len(sink.audio())
        mark = pulse_devices.feed(speech)
        assert mark.done.wait(20)
        assert _wait(lambda: len(sink.audio()) - before >= len(speech) + 16000)
        got = sink.audio()[before:]
        assert {len(b) for b in sink.blocks[5:-5]} == {640}  # 20 ms blocks at 16 kHz, whatever the device rate
        assert sink.threads == {"mic-sender"}
        assert best_correlation(speech, got) > 0.8
        assert max(p for _, p in levels) > -20
        assert "user" in speaking

        with pulse_devices.record() as rec:
            time.sleep(0.2)
            agent = tone(0.8, 523)
            for i in range(0, len(agent), 3200):
                audio.output(agent[i:i + 3200])
            assert _wait(lambda: not audio.playing, 10)
            time.sleep(0.3)
            played = rec.stop()
        assert voiced_seconds(played) > 0.6
        assert best_correlation(agent[1600:9600], played) > 0.8
        assert "agent" in speaking
    finally:
        audio.stop()
    assert audio.dropped_input_blocks == 0


def test_interrupt_silences_playback_and_mute_sends_silence(pulse_devices: PulseDevices) -> None:
    audio = SoundDeviceAudioInterface(pulse_devices.input_device, pulse_devices.output_device)
    sink = Collector()
    audio.start(sink)
    assert _wait(lambda: audio.output_blocks > 10)
    try:
        with pulse_devices.record() as rec:
            audio.output(tone(5.0, 440))
            assert _wait(lambda: voiced_seconds(rec.snapshot()) > 0.3)
            audio.interrupt()
            assert audio.buffered_s == 0
            mark = len(rec.snapshot())
            time.sleep(0.6)
            after = rec.stop()[mark:]
        # whatever was already inside PortAudio/Pulse buffers may still come out; then silence
        assert voiced_seconds(after) < 0.3
        assert rms(after[-8000:]) < 50

        audio.set_muted(True)
        n = len(sink.blocks)
        pulse_devices.feed(espeak_pcm("This should not be heard."))
        assert _wait(lambda: len(sink.blocks) > n + 40)
        muted = b"".join(sink.blocks[n:])
        assert muted.count(0) == len(muted)
        pulse_devices.clear_feed()
    finally:
        audio.stop()
        audio.stop()  # idempotent
    n = len(sink.blocks)
    time.sleep(0.2)
    assert len(sink.blocks) == n  # no input_callback after stop()


def test_stop_lets_the_last_words_play_out(pulse_devices: PulseDevices) -> None:
    audio = SoundDeviceAudioInterface(pulse_devices.input_device, pulse_devices.output_device)
    audio.start(Collector())
    assert _wait(lambda: audio.output_blocks > 10)
    with pulse_devices.record() as rec:
        time.sleep(0.1)
        audio.output(tone(1.0, 440))
        stopper = threading.Thread(target=audio.stop)
        stopper.start()
        stopper.join(10)
        time.sleep(0.3)
        played = rec.stop()
    assert not stopper.is_alive()
    assert voiced_seconds(played) > 0.8


def test_stop_from_the_sender_thread_does_not_deadlock(pulse_devices: PulseDevices) -> None:
    audio = SoundDeviceAudioInterface(pulse_devices.input_device, pulse_devices.output_device)
    calls: list[int] = []

    def callback(pcm: bytes) -> None:  # what the SDK does when its send fails
        calls.append(1)
        if len(calls) == 3:
            audio.stop()

    audio.start(callback)
    assert _wait(lambda: audio.stopped and len(calls) >= 3)
    time.sleep(0.2)
    assert len(calls) == 3


def test_unknown_device_is_a_clear_error(pulse_devices: PulseDevices) -> None:
    from interview_tui.domain.errors import InvalidInput

    audio = SoundDeviceAudioInterface("no such microphone", pulse_devices.output_device)
    with pytest.raises(InvalidInput, match="--input-device"):
        audio.open()
