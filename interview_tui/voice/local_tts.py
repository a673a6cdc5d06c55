"""Offline text-to-speech with espeak-ng (a subprocess), as 16 kHz mono s16le PCM."""

from __future__ import annotations

import io
import shutil
import subprocess
import wave

from interview_tui.domain.errors import ProviderError

RATE = 16_000
INSTALL_HINT = ("Install it (Debian/Ubuntu: sudo apt-get install espeak-ng; macOS: brew install espeak-ng) or "
                "use text mode (--text).")


def espeak_binary() -> str:
    """The espeak-ng (or espeak) executable, or a ProviderError saying how to get it."""
    path = shutil.which("espeak-ng") or shutil.which("espeak")
    if path is None:
        raise ProviderError(f"The offline voice needs espeak-ng, which is not installed. {INSTALL_HINT}",
                            retryable=False)
    return path


class EspeakTTS:
    """Speaks text with espeak-ng: `synthesize(text)` returns 16 kHz mono s16le PCM."""

    def __init__(self, voice: str = "en-us", words_per_minute: int = 160, binary: str | None = None) -> None:
        self.binary = binary or espeak_binary()
        self.voice = voice
        self.words_per_minute = words_per_minute

    def synthesize(self, text: str) -> bytes:
        try:
            proc = subprocess.run(
                [self.binary, "-v", self.voice, "-s", str(self.words_per_minute), "--stdout", "--", text],
                capture_output=True, timeout=30, check=True,
            )
        except (OSError, subprocess.SubprocessError) as err:
            raise ProviderError(f"espeak-ng failed to speak ({err}). {INSTALL_HINT}", retryable=False) from None
        return wav_to_pcm16k(proc.stdout)


def wav_to_pcm16k(data: bytes) -> bytes:
    """Mono 16-bit WAV bytes (espeak-ng writes 22.05 kHz) → 16 kHz s16le PCM."""
    with wave.open(io.BytesIO(_fix_stream_header(data)), "rb") as wav:
        if wav.getsampwidth() != 2:
            raise ProviderError("espeak-ng produced audio in an unexpected format.", retryable=False)
        rate, channels = wav.getframerate(), wav.getnchannels()
        pcm = wav.readframes(wav.getnframes())
    if channels != 1:
        import numpy as np

        pcm = np.frombuffer(pcm, dtype=np.int16).reshape(-1, channels).mean(axis=1).astype(np.int16).tobytes()
    if rate == RATE:
        return pcm
    from interview_tui.voice.audio_dsp import StreamResampler

    resampler = StreamResampler(rate, RATE)
    return resampler.process(pcm) + resampler.process(b"\x00" * 256)


def _fix_stream_header(data: bytes) -> bytes:
    """espeak-ng writing to a pipe leaves the RIFF/data sizes at 0x7fffffff-ish; patch them to the real size."""
    if len(data) < 44 or data[:4] != b"RIFF":
        raise ProviderError("espeak-ng produced no audio.", retryable=False)
    idx = data.find(b"data", 12)
    if idx < 0:
        raise ProviderError("espeak-ng produced no audio.", retryable=False)
    size = len(data) - idx - 8
    size -= size % 2
    return (data[:4] + (len(data) - 8).to_bytes(4, "little") + data[8:idx + 4] + size.to_bytes(4, "little")
            + data[idx + 8: idx + 8 + size])
