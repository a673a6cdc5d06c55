"""Mic-to-socket delay through the real path (pipe source → PortAudio → our interface → SDK → fake server).

Run: INTERVIEW_MEASURE_LATENCY=1 pytest -s tests/test_voice_latency.py
Prints median/p95 for 20 ms blocks and for the SDK default's 250 ms blocks (run with -s to see them).
Asserts only that every probe was found; the timing figures are for the report / bench, not assertions.
"""

from __future__ import annotations

import os
import statistics
from pathlib import Path

import pytest

from interview_tui.voice.audio import SoundDeviceAudioInterface
from interview_tui.voice.elevenlabs_engine import ElevenLabsVoice
from tests.fakes.elevenlabs_server import FakeElevenLabs, rms_dbfs, tone
from tests.fakes.pulse import PulseDevices
from tests.voice_helpers import Recorder, context, settings_for

pytestmark = [pytest.mark.audio, pytest.mark.skipif(
    not os.environ.get("INTERVIEW_MEASURE_LATENCY"),
    reason="a measurement, not a check (~17 s): set INTERVIEW_MEASURE_LATENCY=1 and run with -s")]
PROBES = 12


def measure(fake: FakeElevenLabs, devices: PulseDevices, tmp: Path, block_ms: int) -> dict[str, float]:
    fake.behaviour.first_message = None
    fake.behaviour.reply_on_turn = False
    audios: list[SoundDeviceAudioInterface] = []

    def factory(**callbacks):  # type: ignore[no-untyped-def]
        audios.append(SoundDeviceAudioInterface("pulse", "pulse", block_ms=block_ms, trace=True, **callbacks))
        return audios[-1]

    engine = ElevenLabsVoice(settings_for(fake, tmp), audio_factory=factory)
    engine.start(context(), Recorder().events())
    conn = fake.wait_connection(len(fake.connections) + 1 if fake.connections else 1)
    assert conn.wait(lambda: len(conn.chunks) >= 4)
    marks = []
    for _ in range(PROBES):
        marks.append(devices.feed(tone(0.1, 1000, 12000)))
        devices.feed(b"\x00" * int(16000 * 0.4) * 2)
    assert devices.wait_fed(30)
    assert conn.wait(lambda: conn.chunks[-1][0] > marks[-1].written_at + 1.0, 10)  # type: ignore[operator]
    engine.stop()
    onset: list[float] = []
    for mark in marks:
        assert mark.written_at is not None
        hit = next((t for t, pcm in conn.chunks if t > mark.written_at and rms_dbfs(pcm) > -40), None)
        assert hit is not None
        onset.append((hit - mark.written_at) * 1000)
    trace = list(audios[0].trace or [])
    n = min(len(trace), len(conn.chunks))
    transport = [(conn.chunks[i][0] - trace[i]) * 1000 for i in range(n)]
    assert all(0 <= ms < 5000 for ms in onset)

    def p95(xs: list[float]) -> float:
        return sorted(xs)[max(0, round(0.95 * len(xs)) - 1)]

    return {"onset_median_ms": statistics.median(onset), "onset_p95_ms": p95(onset),
            "callback_to_socket_median_ms": statistics.median(transport),
            "callback_to_socket_p95_ms": p95(transport)}


def test_mic_to_socket_delay(elevenlabs_server: FakeElevenLabs, pulse_devices: PulseDevices,
                             tmp_path: Path) -> None:
    small = measure(elevenlabs_server, pulse_devices, tmp_path, 20)
    large = measure(elevenlabs_server, pulse_devices, tmp_path, 250)
    for name, fig in (("20 ms blocks", small), ("250 ms blocks (SDK default)", large)):
        print(f"\nmic-to-socket, {name}: " + ", ".join(f"{k}={v:.1f}" for k, v in fig.items()))
