"""Signal comparisons for audio tests (energy, normalised cross-correlation)."""

from __future__ import annotations

import numpy as np


def as_float(pcm: bytes) -> np.ndarray:
    return np.frombuffer(pcm[: len(pcm) // 2 * 2], dtype=np.int16).astype(np.float64)


def rms(pcm: bytes) -> float:
    x = as_float(pcm)
    return float(np.sqrt(np.mean(x**2))) if x.size else 0.0


def best_correlation(reference: bytes, received: bytes) -> float:
    """Max normalised cross-correlation of `reference` inside `received` (1.0 = identical waveform)."""
    a, b = as_float(reference), as_float(received)
    if a.size == 0 or b.size < a.size:
        return 0.0
    n = 1 << int(np.ceil(np.log2(a.size + b.size)))
    corr = np.fft.irfft(np.fft.rfft(b, n) * np.conj(np.fft.rfft(a, n)), n)[: b.size - a.size + 1]
    csum = np.concatenate([[0.0], np.cumsum(b**2)])
    window = np.sqrt(np.maximum(csum[a.size:] - csum[: b.size - a.size + 1], 1e-9))
    return float(np.max(corr / (window * np.sqrt(np.sum(a**2)))))


def voiced_seconds(pcm: bytes, threshold: float = 300.0, rate: int = 16000) -> float:
    """How much of `pcm` is louder than `threshold` (RMS over 20 ms frames)."""
    x = as_float(pcm)
    frame = rate // 50
    frames = x[: x.size // frame * frame].reshape(-1, frame)
    if frames.size == 0:
        return 0.0
    return float(np.sum(np.sqrt(np.mean(frames**2, axis=1)) > threshold)) / 50.0
