"""Offline speech-to-text (pocketsphinx, whose wheel ships an English model) and energy-based turn-taking."""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass
from typing import Any

from interview_tui.domain.errors import ProviderError

RATE = 16_000


def load_decoder() -> Any:
    """A pocketsphinx decoder on the bundled US-English model (nothing is downloaded)."""
    try:
        from pocketsphinx import Decoder
    except ImportError as err:
        raise ProviderError(f"The offline recogniser (pocketsphinx) is not installed ({err}). Reinstall "
                            "interview-tui, or use text mode (--text).", retryable=False) from None
    try:
        return Decoder(samprate=RATE, loglevel="FATAL")
    except Exception as err:  # a broken model directory or an incompatible build
        raise ProviderError(f"The offline recogniser could not load its model ({err}). Reinstall "
                            "pocketsphinx, or use text mode (--text).", retryable=False) from None


class Recognizer:
    """Decodes one utterance at a time, fed incrementally while the candidate speaks."""

    def __init__(self, decoder: Any | None = None) -> None:
        self.decoder = decoder if decoder is not None else load_decoder()
        self._active = False
        self.last_confidence: float | None = None
        """The recogniser's mean word posterior (0–1) for the last utterance `finish` returned; None if unknown."""

    def begin(self) -> None:
        if self._active:
            self.decoder.end_utt()
        self.decoder.start_utt()
        self._active = True

    def add(self, pcm: bytes) -> None:
        if self._active and pcm:
            self.decoder.process_raw(pcm, False, False)

    def finish(self) -> str:
        if not self._active:
            return ""
        self.decoder.end_utt()
        self._active = False
        hyp = self.decoder.hyp()
        text = hyp.hypstr if hyp is not None else ""
        self.last_confidence = self._confidence() if text else None
        return " ".join(w for w in text.split() if not _is_noise(w))

    def _confidence(self) -> float | None:
        """Mean posterior probability of the recognised words (silences and noises left out)."""
        try:
            probs = [float(seg.prob) for seg in self.decoder.seg() if not _is_noise(seg.word)]
        except Exception:  # a decoder build without word segments: confidence unknown, not invented
            return None
        probs = [min(1.0, max(0.0, p)) for p in probs]
        return round(sum(probs) / len(probs), 2) if probs else None

    def transcribe(self, pcm: bytes) -> str:
        self.begin()
        for i in range(0, len(pcm), 3200):
            self.add(pcm[i:i + 3200])
        return self.finish()


def _is_noise(word: str) -> bool:
    return word.startswith(("<", "[", "++"))


def rms_dbfs(pcm: bytes) -> float:
    import numpy as np

    x = np.frombuffer(pcm[: len(pcm) // 2 * 2], dtype=np.int16).astype(np.float64)
    if x.size == 0:
        return -120.0
    r = math.sqrt(float(np.mean(x * x)))
    return 20 * math.log10(r / 32768.0) if r > 0 else -120.0


@dataclass(frozen=True)
class VadEvent:
    kind: str  # "start" (speech began; `pcm` holds the pre-roll + first blocks) or "end" (answer finished)
    offset_s: float
    """Audio seconds since the detector started at which the event happened (start: speech onset)."""
    pcm: bytes = b""


class TurnDetector:
    """Energy-based voice activity detection for turn-taking.

    Speech starts when `start_s` of blocks in a row are above the threshold (an absolute floor, raised to
    `margin_db` above the measured background noise); the answer ends after `end_silence_s` of silence, or
    when it reaches `max_answer_s`. A `pre_roll_s` of audio before the onset is kept for the recogniser.
    """

    def __init__(self, *, threshold_dbfs: float = -42.0, margin_db: float = 12.0, start_s: float = 0.12,
                 end_silence_s: float = 1.6, pre_roll_s: float = 0.3, max_answer_s: float = 240.0) -> None:
        self.threshold_dbfs = threshold_dbfs
        self.margin_db = margin_db
        self.start_s = start_s
        self.end_silence_s = end_silence_s
        self.max_answer_s = max_answer_s
        self._pre: deque[bytes] = deque()
        self._pre_s = pre_roll_s
        self._noise: float | None = None
        self.reset()

    def reset(self) -> None:
        self.in_speech = False
        self._loud_s = 0.0
        self._quiet_s = 0.0
        self._speech_s = 0.0
        self._pre.clear()
        self._clock = getattr(self, "_clock", 0.0)
        self.last_voice_offset_s = 0.0

    @property
    def threshold(self) -> float:
        if self._noise is None:
            return self.threshold_dbfs
        return max(self.threshold_dbfs, self._noise + self.margin_db)

    def feed(self, pcm: bytes) -> VadEvent | None:
        block_s = len(pcm) / 2 / RATE
        level = rms_dbfs(pcm)
        loud = level >= self.threshold
        self._clock += block_s
        if not self.in_speech:
            if not loud:  # track the background level slowly (only from quiet blocks)
                self._noise = level if self._noise is None else 0.95 * self._noise + 0.05 * level
            self._pre.append(pcm)
            while sum(len(b) for b in self._pre) / 2 / RATE > self._pre_s + self.start_s:
                self._pre.popleft()
            self._loud_s = self._loud_s + block_s if loud else 0.0
            if self._loud_s >= self.start_s:
                self.in_speech = True
                self._quiet_s = 0.0
                self._speech_s = self._loud_s
                self.last_voice_offset_s = self._clock
                audio = b"".join(self._pre)
                self._pre.clear()
                return VadEvent("start", self._clock - self._loud_s, audio)
            return None
        self._speech_s += block_s
        if loud:
            self._quiet_s = 0.0
            self.last_voice_offset_s = self._clock
        else:
            self._quiet_s += block_s
        if self._quiet_s >= self.end_silence_s or self._speech_s >= self.max_answer_s:
            self.in_speech = False
            self._loud_s = 0.0
            return VadEvent("end", self.last_voice_offset_s)
        return None
