"""Small, cheap signal helpers for the audio layer: levels in dBFS, a streaming resampler, speech activity.

Imports numpy at module import: only import this module lazily (from inside functions of `voice.audio`).
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

SILENCE_DBFS = -120.0
FULL_SCALE = 32768.0


def levels_dbfs(pcm: bytes) -> tuple[float, float]:
    """(RMS, peak) of s16le PCM in dBFS; `SILENCE_DBFS` for digital silence or empty input."""
    x = np.frombuffer(pcm, dtype=np.int16)
    if x.size == 0:
        return SILENCE_DBFS, SILENCE_DBFS
    xf = x.astype(np.float32)
    rms = math.sqrt(float(np.dot(xf, xf)) / x.size)
    peak = float(np.max(np.abs(xf)))
    return _db(rms), _db(peak)


def _db(value: float) -> float:
    return max(SILENCE_DBFS, 20.0 * math.log10(value / FULL_SCALE)) if value > 0 else SILENCE_DBFS


class StreamResampler:
    """Resamples a stream of s16le mono blocks between two rates, continuous across block boundaries.

    Linear interpolation, preceded by a short windowed-sinc low-pass when downsampling (enough for speech;
    cheap enough for 20 ms blocks). Keeps the fractional read position and the tail of the previous block.
    """

    def __init__(self, src_rate: int, dst_rate: int, taps: int = 31) -> None:
        if src_rate <= 0 or dst_rate <= 0:
            raise ValueError("sample rates must be positive")
        self.src_rate, self.dst_rate = src_rate, dst_rate
        self.step = src_rate / dst_rate
        self._pos = 0.0  # read position (in source samples) relative to the start of `_hist`
        self._hist = np.zeros(0, dtype=np.float32)
        self._fir: np.ndarray | None = None
        self._fir_state = np.zeros(0, dtype=np.float32)
        if dst_rate < src_rate:
            cutoff = 0.45 * dst_rate / src_rate  # cycles per source sample
            n = np.arange(taps) - (taps - 1) / 2
            h = 2 * cutoff * np.sinc(2 * cutoff * n) * np.hamming(taps)
            self._fir = (h / h.sum()).astype(np.float32)
            self._fir_state = np.zeros(taps - 1, dtype=np.float32)

    @property
    def identity(self) -> bool:
        return self.src_rate == self.dst_rate

    def process(self, pcm: bytes) -> bytes:
        if self.identity:
            return pcm
        x = np.frombuffer(pcm, dtype=np.int16).astype(np.float32)
        if self._fir is not None:
            padded = np.concatenate([self._fir_state, x])
            self._fir_state = padded[len(padded) - (len(self._fir) - 1):]
            x = np.convolve(padded, self._fir, mode="valid").astype(np.float32)
        buf = np.concatenate([self._hist, x])
        last = len(buf) - 1  # interpolation needs buf[i] and buf[i + 1]
        if last < 1 or self._pos > last - 1:
            self._hist = buf
            return b""
        count = math.floor((last - 1 - self._pos) / self.step) + 1
        positions = self._pos + self.step * np.arange(count)
        out: npt.NDArray[np.float64] = np.interp(positions, np.arange(len(buf)), buf)  # numpy types it Any
        next_pos = self._pos + self.step * count
        keep_from = math.floor(next_pos)
        self._hist = buf[keep_from:]
        self._pos = next_pos - keep_from
        return np.clip(np.rint(out), -32768, 32767).astype(np.int16).tobytes()


class SpeechActivity:
    """"Is the user speaking?" from block levels: above a threshold, held for `hangover_s` after it drops."""

    def __init__(self, threshold_dbfs: float = -42.0, hangover_s: float = 0.3) -> None:
        self.threshold = threshold_dbfs
        self.hangover = hangover_s
        self._quiet_for = math.inf

    def update(self, rms_dbfs: float, block_s: float) -> bool:
        if rms_dbfs >= self.threshold:
            self._quiet_for = 0.0
        else:
            self._quiet_for += block_s
        return self._quiet_for < self.hangover
