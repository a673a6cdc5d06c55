"""Mic → socket delay of the ElevenLabs client: our 20 ms blocks beside the SDK default's 250 ms blocks.

Run: .venv/bin/python bench/voice_mic_to_socket.py [--probes 40] [--block-ms 20]

Real path, both runs in one process: a private PulseAudio daemon (tests/fakes/pulse.py: a pipe source fed in real
time) → PortAudio → the audio interface → the official SDK `Conversation` (driven by `ElevenLabsVoice`) →
websocket → the fake ElevenLabs server (tests/fakes/elevenlabs_server.py), which stamps each `user_audio_chunk`
on arrival (time.monotonic, same clock).

* ours: `SoundDeviceAudioInterface` (PortAudio callback copies the block onto a queue; a sender thread sends);
* baseline: the SDK's `DefaultAudioInterface` behaviour reproduced with sounddevice (bench/_sdk_default_audio.py:
  250 ms blocks, the send happens inside the PortAudio callback).

Figures (median / p95, ms):
* callback → socket: PortAudio input callback time of a block → its frame received by the server (transport);
* block start → socket: the block's first sample (callback time − block length) → server; what the oldest
  sample of each block waits (block filling + transport);
* speech onset → chunk at server: a 100 ms tone burst written into the mic's FIFO → the first frame carrying
  it at the server (user-visible; includes PulseAudio's pipe-source buffering, common to both). The feeder
  writes each 20 ms of audio into the FIFO at the start of its 20 ms, so with a real microphone add up to
  20 ms to both columns; "block start → socket" is the conservative figure.
Target (issue 7): p95 ≤ 60 ms and ≥ 4× lower than the baseline.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
from _sdk_default_audio import SdkDefaultAudio
from _util import median, pct, table

from interview_tui.providers.base import VoiceEvents
from interview_tui.voice.audio import SoundDeviceAudioInterface
from interview_tui.voice.elevenlabs_engine import ElevenLabsVoice
from tests.doubles import context, settings_for
from tests.fakes.elevenlabs_server import FakeElevenLabs, tone
from tests.fakes.pulse import CHUNK_S, RATE, PulseDevices, shared_pulse

WARMUP_S = 1.0
TONE = tone(0.1, 1000, 12000)


def loud(pcm: bytes, threshold: int = 2000) -> bool:
    x = np.frombuffer(pcm[: len(pcm) // 2 * 2], dtype=np.int16)
    return bool(x.size) and int(np.abs(x.astype(np.int32)).max()) > threshold


def run(kind: str, fake: FakeElevenLabs, devices: PulseDevices, tmp: Path, probes: int, block_ms: int,
        seed: int) -> dict[str, list[float]]:
    fake.behaviour.first_message = None
    fake.behaviour.reply_on_turn = False
    made: list[Any] = []

    def factory(**callbacks: Any) -> Any:
        if kind == "ours":
            made.append(SoundDeviceAudioInterface(devices.input_device, devices.output_device, block_ms=block_ms,
                                                  trace=True, **callbacks))
        else:
            made.append(SdkDefaultAudio(devices.input_device, devices.output_device))
        return made[-1]

    n_before = len(fake.connections)
    engine = ElevenLabsVoice(settings_for(tmp, elevenlabs=fake), audio_factory=factory)
    engine.start(context(), VoiceEvents())
    conn = fake.wait_connection(n_before + 1)
    assert conn.wait(lambda: len(conn.chunks) >= 2, 10), "no audio reached the server"
    warm_until = time.monotonic() + WARMUP_S
    time.sleep(WARMUP_S)
    rng = random.Random(seed)
    marks = []
    for _ in range(probes):  # chunk-aligned bursts, random gaps so onsets fall anywhere inside a 250 ms block
        marks.append(devices.feed(TONE))
        gap_chunks = rng.randint(15, 26)
        devices.feed(b"\x00" * int(RATE * CHUNK_S) * 2 * gap_chunks)
    assert devices.wait_fed(probes * 1.0 + 10)
    assert conn.wait(lambda: conn.chunks[-1][0] > (marks[-1].written_at or 0) + 0.6, 10)
    engine.stop()
    audio = made[0]
    trace = list(audio.trace or []) if kind == "ours" else list(audio.in_trace)
    chunks = list(conn.chunks)
    block_s = (audio.block_ms if kind == "ours" else SdkDefaultAudio.block_ms) / 1000
    n = min(len(trace), len(chunks))
    if len(trace) != len(chunks):
        print(f"  note ({kind}): {len(trace)} blocks traced, {len(chunks)} frames received; matched the first {n}")
    transport = [(chunks[i][0] - trace[i]) * 1000 for i in range(n) if trace[i] >= warm_until]
    block_start = [ms + block_s * 1000 for ms in transport]
    onset = []
    for mark in marks:
        assert mark.written_at is not None
        hit = next((t for t, pcm in chunks if t > mark.written_at and loud(pcm)), None)
        if hit is None:
            raise SystemExit(f"a probe never reached the server ({kind})")
        onset.append((hit - mark.written_at) * 1000)
    return {"callback → socket": transport, "block start → socket": block_start,
            "speech onset → chunk at server": onset, "_blocks": [float(len(transport))],
            "_block_bytes": [float(len(chunks[len(chunks) // 2][1]))]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--probes", type=int, default=40)
    ap.add_argument("--block-ms", type=int, default=20)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    started = time.monotonic()
    devices = shared_pulse()
    with tempfile.TemporaryDirectory() as tmp, FakeElevenLabs() as fake:
        ours = run("ours", fake, devices, Path(tmp) / "a", args.probes, args.block_ms, args.seed)
        base = run("baseline", fake, devices, Path(tmp) / "b", args.probes, args.block_ms, args.seed)
    rows = []
    for metric in ("callback → socket", "block start → socket", "speech onset → chunk at server"):
        o, b = ours[metric], base[metric]
        o50, o95, b50, b95 = median(o), pct(o, 95), median(b), pct(b, 95)
        rows.append((metric, f"{o50:.1f}", f"{o95:.1f}", f"{b50:.1f}", f"{b95:.1f}",
                     f"{b50 / o50:.1f}×", f"{b95 / o95:.1f}×", str(len(o)), str(len(b))))
    table(f"Mic → socket (ms); ours = {args.block_ms} ms blocks via sender thread, baseline = SDK default "
          "(250 ms blocks sent from the PortAudio callback)", rows,
          ("metric", "ours p50", "ours p95", "base p50", "base p95", "ratio p50", "ratio p95", "n ours", "n base"))
    onset95, base95 = pct(ours["speech onset → chunk at server"], 95), pct(base["speech onset → chunk at server"], 95)
    blk95, bblk95 = pct(ours["block start → socket"], 95), pct(base["block start → socket"], 95)
    print(f"\nframe sizes at the server: ours {ours['_block_bytes'][0]:.0f} B, "
          f"baseline {base['_block_bytes'][0]:.0f} B")
    print(f"target p95 ≤ 60 ms and ≥ 4× lower than baseline: block start → socket {blk95:.1f} ms "
          f"({bblk95 / blk95:.1f}×) {'MET' if blk95 <= 60 and bblk95 / blk95 >= 4 else 'MISSED'}; "
          f"speech onset → server {onset95:.1f} ms ({base95 / onset95:.1f}×) "
          f"{'MET' if onset95 <= 60 and base95 / onset95 >= 4 else 'MISSED'}")
    print(f"total run time {time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    main()
