"""Agent audio → speaker delay and barge-in (interruption → silence): ours beside the SDK default's behaviour.

Run: .venv/bin/python bench/voice_playback.py [--events 30]

Real path, both runs in one process: the fake ElevenLabs server (tests/fakes/elevenlabs_server.py) sends an
`agent_response` + `audio` frames (0.1 s each), or an `interruption` while the agent speaks; the official SDK
`Conversation` (driven by `ElevenLabsVoice`) calls `output(audio)` / `interrupt()` on the audio interface; PortAudio
plays into a PulseAudio null sink (tests/fakes/pulse.py).

* ours: `SoundDeviceAudioInterface` (20 ms output callback fed from a byte buffer; `interrupt()` empties it);
* baseline: the SDK's `DefaultAudioInterface` output semantics in callback form (bench/_sdk_default_audio.py:
  62.5 ms blocks at high latency, a queue of whole chunks, `interrupt()` empties the queue only, so the chunk in
  progress plays to its end as with the SDK's blocking `write()`).

Figures (median / p95 over --events events each, ms), both timed in the PortAudio output callback:
* agent audio → first sample out: the SDK's first `output(audio)` call of an agent turn → the first non-silent
  output callback returning;
* interruption → silence: the SDK's `interrupt()` call → the first silent output callback returning.
What PortAudio/PulseAudio buffer after the callback is common to both and not counted (the null sink's monitor
shows render time, not a speaker's, so it is not used).
Target (issue 7): p95 ≤ 60 ms for both.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path
from typing import Any

from _sdk_default_audio import SdkDefaultCallbackAudio
from _util import median, pct, table

from interview_tui.providers.base import VoiceEvents
from interview_tui.voice.audio import SoundDeviceAudioInterface
from interview_tui.voice.elevenlabs_engine import ElevenLabsVoice
from tests.doubles import context, settings_for
from tests.fakes.elevenlabs_server import FakeElevenLabs
from tests.fakes.pulse import PulseDevices, shared_pulse


class TracedOurs(SoundDeviceAudioInterface):
    """Ours, with time stamps around the SDK calls and each output callback (measurement only)."""

    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.output_calls: list[float] = []
        self.interrupt_calls: list[float] = []
        self.callbacks: list[tuple[float, bool]] = []

    def output(self, audio: bytes) -> None:
        self.output_calls.append(time.monotonic())
        super().output(audio)

    def interrupt(self) -> None:
        self.interrupt_calls.append(time.monotonic())
        super().interrupt()

    def _on_speaker(self, outdata: Any, frames: int, time_info: Any, status: Any) -> None:
        super()._on_speaker(outdata, frames, time_info, status)
        self.callbacks.append((time.monotonic(), bytes(outdata).strip(b"\x00") != b""))


def run(kind: str, fake: FakeElevenLabs, devices: PulseDevices, tmp: Path, events: int,
        seed: int) -> dict[str, list[float]]:
    fake.behaviour.first_message = None
    fake.behaviour.reply_on_turn = False
    made: list[Any] = []

    def factory(**callbacks: Any) -> Any:
        cls = TracedOurs if kind == "ours" else SdkDefaultCallbackAudio
        made.append(cls(devices.input_device, devices.output_device, **callbacks))
        return made[-1]

    n_before = len(fake.connections)
    engine = ElevenLabsVoice(settings_for(tmp, elevenlabs=fake), audio_factory=factory)
    rng = random.Random(seed)
    engine.start(context(), VoiceEvents())
    conn = fake.wait_connection(n_before + 1)
    time.sleep(0.5)
    audio_events: list[tuple[int, float]] = []  # (index of the first output() call of the turn, when sent)
    barge_events: list[int] = []
    for i in range(events):
        audio_events.append((len(made[0].output_calls), time.monotonic()))
        conn.send_agent(f"Question {i}.", audio_s=0.15)
        time.sleep(0.45 + rng.uniform(0, 0.05))
    for i in range(events):
        conn.send_agent(f"A long answer {i}.", audio_s=2.0)
        time.sleep(0.25 + rng.uniform(0, 0.1))
        barge_events.append(len(made[0].interrupt_calls))
        conn.interrupt(stale_audio_s=0.2)
        time.sleep(0.35)
    engine.stop()
    audio = made[0]
    starts = [audio.output_calls[i] for i, _ in audio_events]
    stops = [audio.interrupt_calls[i] for i in barge_events]
    cbs = audio.callbacks
    handed = [next(t for t, loud in cbs if loud and t > s) - s for s in starts]
    silenced = [next(t for t, loud in cbs if not loud and t > s) - s for s in stops]
    ms = lambda xs: [x * 1000 for x in xs]  # noqa: E731
    return {"agent audio → first sample out": ms(handed), "interruption → silence out":
            ms(silenced)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--events", type=int, default=30)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    started = time.monotonic()
    devices = shared_pulse()
    with tempfile.TemporaryDirectory() as tmp, FakeElevenLabs() as fake:
        ours = run("ours", fake, devices, Path(tmp) / "a", args.events, args.seed)
        base = run("baseline", fake, devices, Path(tmp) / "b", args.events, args.seed)
    rows = []
    for metric in ours:
        o, b = ours[metric], base[metric]
        o50, o95, b50, b95 = median(o), pct(o, 95), median(b), pct(b, 95)
        rows.append((metric, f"{o50:.1f}", f"{o95:.1f}", f"{b50:.1f}", f"{b95:.1f}",
                     f"{b50 / o50:.1f}×" if o50 > 0 else "-", f"{b95 / o95:.1f}×" if o95 > 0 else "-",
                     str(len(o))))
    table("Agent audio → speaker and barge-in (ms); ours = 20 ms callback buffer, baseline = SDK default "
          "semantics (chunk queue, 62.5 ms blocks)", rows,
          ("metric", "ours p50", "ours p95", "base p50", "base p95", "ratio p50", "ratio p95", "events"))
    worst = max(pct(ours[m], 95) for m in ours)
    print(f"\ntarget p95 ≤ 60 ms for both: worst ours p95 {worst:.1f} ms {'MET' if worst <= 60 else 'MISSED'}")
    print(f"total run time {time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    main()
