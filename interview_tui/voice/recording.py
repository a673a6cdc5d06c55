"""`SessionRecorder`: the candidate's microphone audio for one session, written to an Ogg Opus file as it comes.

The audio layer hands each 16 kHz mono s16le block it sends (the same blocks the interviewer hears, silence while
muted) to `mic()`, on its sender thread: `mic()` only puts the bytes on a queue. A writer thread encodes them
with libsndfile (`soundfile`) and flushes every `flush_every_s`, so a crash (even `kill -9`) loses at most about
that much audio and leaves a playable file. Gaps in the audio (a reconnect, a stalled device) are filled with
silence, so a time in the file is the same time in the session's transcript.
"""

from __future__ import annotations

import contextlib
import logging
import os
import queue
import threading
import time
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

RATE = 16_000
FORMAT, SUBTYPE = "OGG", "OPUS"
_STOP = b""


class SessionRecorder:
    """Writes one session's microphone audio to `path` (0600, in a 0700 directory)."""

    def __init__(self, path: Path, *, rate: int = RATE, flush_every_s: float = 1.0, fill_gaps_over_s: float = 0.5,
                 queue_blocks: int = 1500) -> None:
        self.path = Path(path)
        self.rate = rate
        self.flush_every_s = flush_every_s
        self.fill_gaps_over_s = fill_gaps_over_s
        self.dropped_blocks = 0
        self.written_frames = 0
        self.error: str | None = None
        self._q: queue.Queue[tuple[float, bytes]] = queue.Queue(maxsize=queue_blocks)
        self._thread: threading.Thread | None = None
        self._file: Any = None
        self._t0 = 0.0
        self._started = False
        self._closed = False

    @property
    def seconds(self) -> float:
        return self.written_frames / self.rate

    def start(self, origin: float | None = None, offset_s: float = 0.0) -> None:
        """Create the file and start the writer thread. Time 0 of the file is `origin` (a `time.monotonic()`,
        default now): blocks given to `mic()` before it are dropped, later ones are kept even if they were queued
        before `start` (a voice engine's audio runs before the session's clock starts). A session continued
        `offset_s` into its live time records a new part (`recordings.part_path`), never over the earlier one."""
        import soundfile as sf

        from interview_tui.recordings import part_path

        first = self.path
        self.path = part_path(first, offset_s)
        while self.path.exists():  # a part already starts there (continued twice at the same moment)
            offset_s += 0.001
            self.path = part_path(first, offset_s)
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.chmod(self.path.parent, 0o700)
        fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        os.close(fd)
        os.chmod(self.path, 0o600)
        self._file = sf.SoundFile(self.path, "w", samplerate=self.rate, channels=1, format=FORMAT, subtype=SUBTYPE)
        self._t0 = time.monotonic() if origin is None else origin
        self._started = True
        self._thread = threading.Thread(target=self._write_loop, name="recorder", daemon=True)
        self._thread.start()

    def mic(self, pcm: bytes) -> None:
        """One block of microphone audio (16 kHz mono s16le). Never blocks: called on the audio sender thread."""
        if self._closed or not pcm:
            return
        try:
            self._q.put_nowait((time.monotonic(), pcm))
        except queue.Full:
            if self._started:
                self.dropped_blocks += 1

    def close(self) -> None:
        """Write what is queued, finish the file. Idempotent."""
        if self._closed:
            return
        self._closed = True
        thread = self._thread
        if thread is not None:
            with contextlib.suppress(queue.Full):
                self._q.put((time.monotonic(), _STOP), timeout=2.0)
            thread.join(timeout=10.0)
        if self._file is not None and (thread is None or not thread.is_alive()):
            with contextlib.suppress(Exception):
                self._file.close()

    def discard(self) -> None:
        """Close and delete the file (the session never went live)."""
        self.close()
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()

    # ------------------------------------------------------------------------------------ writer thread
    def _write_loop(self) -> None:
        import numpy as np

        next_flush = time.monotonic() + self.flush_every_s
        try:
            while True:
                try:
                    arrived, pcm = self._q.get(timeout=0.25)
                except queue.Empty:
                    arrived, pcm = 0.0, None
                if pcm == _STOP:
                    break
                if pcm:
                    samples = np.frombuffer(pcm[: len(pcm) // 2 * 2], dtype=np.int16)
                    if arrived < self._t0:
                        continue  # captured (and handed over) before the session's time 0
                    self._fill_gap(arrived, len(samples))
                    self._file.write(samples)
                    self.written_frames += len(samples)
                if time.monotonic() >= next_flush:
                    self._file.flush()
                    next_flush = time.monotonic() + self.flush_every_s
        except Exception as err:  # a full disk must not end the interview: the recording stops, the call goes on
            self.error = f"The recording stopped ({type(err).__name__}: {err})."
            log.warning("recording %s failed: %s", self.path.name, err)
            self._closed = True
            return
        self._file.close()

    def _fill_gap(self, arrived: float, block_frames: int) -> None:
        """Silence for audio that never came (the block that arrived at `arrived` began `block_frames` earlier)."""
        import numpy as np

        expected = int((arrived - self._t0) * self.rate) - block_frames
        missing = expected - self.written_frames
        if missing > self.fill_gaps_over_s * self.rate or (self.written_frames == 0 and missing > 0):
            self._file.write(np.zeros(missing, dtype=np.int16))
            self.written_frames += missing
