"""Recording size per minute and the encoder's CPU cost, through the app's own `SessionRecorder` (Ogg Opus).

Run: .venv/bin/python bench/recording_size.py [--minutes 3]

Three kinds of microphone audio, each `--minutes` long, 16 kHz mono as the audio layer delivers it:
* speech: espeak-ng reading interview answers back to back (talking all the time: the worst case for size);
* interview: a realistic mix — 20 s of answer, then 8 s of room noise (−55 dBFS) while the interviewer speaks;
* silence: a muted microphone (the recorder writes the zeros the interviewer would hear).
Each is fed to the recorder block by block (20 ms) as fast as it takes them; the figures are the file's size per
minute of audio and the writer thread's CPU time per minute of audio (= share of one core while recording live).
Baselines beside them: raw 16 kHz s16le, and FLAC (lossless, via the same libsndfile) of the same audio.
"""

from __future__ import annotations

import argparse
import io
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np
import soundfile as sf
from _util import table

from interview_tui.voice.recording import SessionRecorder

RATE = 16_000
BLOCK = 320
ANSWERS = [
    "In my last role I owned the payments ledger service. Duplicate charges reached customers during retries, so "
    "I added idempotency keys with a unique constraint in PostgreSQL and moved retries into a Kafka consumer.",
    "I would start with the consumer lag dashboard, check whether one partition is hot, then scale the consumer "
    "group and look at the slowest handler before touching the producers at all.",
    "We paired every afternoon for two weeks. I asked him to write the design first, then we reviewed it "
    "together, and by the end he led the incident review on his own.",
]


def espeak(text: str) -> np.ndarray:
    wav = subprocess.run(["espeak-ng", "--stdout", text], capture_output=True, check=True, timeout=60).stdout
    data, rate = sf.read(io.BytesIO(wav), dtype="int16")
    if rate != RATE:
        raw = subprocess.run(["sox", "-t", "wav", "-", "-r", str(RATE), "-c", "1", "-b", "16", "-e", "signed",
                              "-t", "raw", "-"], input=wav, capture_output=True, check=True, timeout=60).stdout
        data = np.frombuffer(raw, dtype=np.int16)
    return data


def material(minutes: float) -> dict[str, np.ndarray]:
    n = int(minutes * 60 * RATE)
    speech = np.concatenate([espeak(a) for a in ANSWERS])
    talking = np.tile(speech, n // len(speech) + 1)[:n]
    rng = np.random.default_rng(3)
    room = (rng.normal(0, 0.0018, n) * 32767).astype(np.int16)
    mix = room.copy()
    period, answer = 28 * RATE, 20 * RATE
    for start in range(0, n, period):
        end = min(start + answer, n)
        mix[start:end] = talking[start:end]
    return {"speech": talking, "interview": mix, "silence": np.zeros(n, dtype=np.int16)}


def record(samples: np.ndarray, path: Path) -> tuple[int, float]:
    """Feed the recorder; return (file bytes, writer-thread CPU seconds)."""
    recorder = SessionRecorder(path, queue_blocks=len(samples) // BLOCK + 10)
    recorder.start()
    writer = recorder._thread
    assert writer is not None
    clock_id = _thread_clock(writer)
    before = time.clock_gettime(clock_id)
    pcm = samples.tobytes()
    for i in range(0, len(pcm), BLOCK * 2):
        recorder.mic(pcm[i:i + BLOCK * 2])
    while not recorder._q.empty():
        time.sleep(0.01)
    cpu = time.clock_gettime(clock_id) - before
    recorder.close()
    assert recorder.dropped_blocks == 0
    return path.stat().st_size, cpu


def _thread_clock(thread: threading.Thread) -> int:
    assert thread.ident is not None
    return time.pthread_getcpuclockid(thread.ident)


def flac_bytes(samples: np.ndarray) -> int:
    buf = io.BytesIO()
    sf.write(buf, samples, RATE, format="FLAC", subtype="PCM_16")
    return len(buf.getvalue())


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--minutes", type=float, default=3.0)
    args = ap.parse_args()
    for tool in ("espeak-ng", "sox"):
        if not shutil.which(tool):
            sys.exit(f"{tool} is needed (apt-get install espeak-ng sox)")
    tmp = Path(tempfile.mkdtemp(prefix="bench-recording-"))
    rows = []
    for name, samples in material(args.minutes).items():
        minutes = len(samples) / RATE / 60
        size, cpu = record(samples, tmp / f"{name}.opus")
        rows.append((name, f"{size / 1024 / minutes:.0f}", f"{flac_bytes(samples) / 1024 / minutes:.0f}",
                     f"{len(samples) * 2 / 1024 / minutes:.0f}", f"{100 * cpu / (minutes * 60):.2f}"))
    table(f"recording size and encoder CPU ({args.minutes:g} min of each, SessionRecorder → Ogg Opus)", rows,
          ("microphone audio", "Opus KiB/min", "FLAC KiB/min (baseline)", "raw KiB/min (baseline)",
           "writer CPU (% of a core, real time)"))
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
