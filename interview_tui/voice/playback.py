"""Reading a session's recording back: spans of it, their level curve, exporting them, and playing them.

`Player` plays through PortAudio with a callback that only copies samples (the buffer is prepared before the
stream starts); reading and decoding happen in the caller's thread (a UI worker).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import threading
from pathlib import Path
from typing import Any

from interview_tui.domain.errors import InvalidInput, ProviderError

RATE = 16_000


def recording_seconds(path: Path) -> float:
    """The recording's length (a file cut short by a crash reads as far as it goes)."""
    import soundfile as sf

    try:
        return float(sf.info(str(path)).duration)
    except (RuntimeError, sf.LibsndfileError) as err:
        raise InvalidInput(f"The recording {path.name} cannot be read ({err}).") from None


def read_span(path: Path, start_s: float, end_s: float) -> Any:
    """Samples (int16, mono, 16 kHz) between two times of the recording."""
    import numpy as np
    import soundfile as sf

    try:
        with sf.SoundFile(str(path)) as f:
            rate = f.samplerate
            first = max(0, int(start_s * rate))
            f.seek(min(first, max(0, f.frames - 1)) if f.frames else 0)
            data = f.read(max(0, int((end_s - start_s) * rate)), dtype="int16", always_2d=True)
    except (RuntimeError, sf.LibsndfileError) as err:
        raise InvalidInput(f"The recording {path.name} cannot be read ({err}).") from None
    mono = data[:, 0] if data.size else np.zeros(0, dtype=np.int16)
    return mono if rate == RATE else _resample(mono, rate, RATE)


Parts = list[tuple[float, Path]]
"""A session's recording: (session time it starts at, file) per part (`RecordingStore.parts`)."""


def read_parts(parts: Parts, start_s: float, end_s: float) -> Any:
    """Samples between two session times, across the recording's parts (silence where none was recorded)."""
    import numpy as np

    out = np.zeros(max(0, int((end_s - start_s) * RATE)), dtype=np.int16)
    for index, (offset, path) in enumerate(parts):
        limit = parts[index + 1][0] if index + 1 < len(parts) else float("inf")
        a, b = max(start_s, offset), min(end_s, limit)
        if b <= a:
            continue
        try:
            chunk = read_span(path, a - offset, b - offset)
        except InvalidInput:  # a part cut off before its first page (a crash at once): silence
            continue
        at = int((a - start_s) * RATE)
        chunk = chunk[: max(0, len(out) - at)]
        out[at:at + len(chunk)] = chunk
    return out


def parts_seconds(parts: Parts) -> float:
    """Where the recording ends, in session time."""
    ends = [0.0]
    for offset, path in parts:
        with contextlib.suppress(InvalidInput):
            ends.append(offset + recording_seconds(path))
    return max(ends)


def _resample(samples: Any, src: int, dst: int) -> Any:
    import numpy as np

    from interview_tui.voice.audio_dsp import StreamResampler

    return np.frombuffer(StreamResampler(src, dst).process(samples.tobytes()), dtype=np.int16)


def levels(samples: Any, rate: int = RATE, window_s: float = 0.1) -> list[float]:
    """Loudness per window, 0 (silence, −60 dBFS or below) … 1 (full scale): the answer's level sparkline."""
    import numpy as np

    n = max(1, int(rate * window_s))
    usable = len(samples) // n * n
    if usable == 0:
        return []
    frames = samples[:usable].astype(np.float64).reshape(-1, n) / 32768.0
    rms = np.sqrt(np.mean(frames**2, axis=1))
    db = 20 * np.log10(np.maximum(rms, 1e-6))
    return [float(v) for v in np.clip((db + 60.0) / 60.0, 0.0, 1.0)]


def export_span(source: Path | Parts, target: Path, start_s: float | None = None,
                end_s: float | None = None) -> Path:
    """Save the whole recording (a copy when it is one file) or one span of it (re-encoded) as an Ogg Opus file,
    mode 0600. `source` is a file or a session's parts."""
    import soundfile as sf

    target.parent.mkdir(parents=True, exist_ok=True)
    # Written beside the target under a hidden name, then renamed: the file appears whole or not at all.
    partial = target.with_name(f".{target.name}.part")
    try:
        fd = os.open(partial, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, 0o600)
        os.close(fd)
        parts = [(0.0, source)] if isinstance(source, Path) else list(source)
        if (start_s is None or end_s is None) and len(parts) == 1 and parts[0][0] == 0:
            shutil.copyfile(parts[0][1], partial)
        else:
            if start_s is None or end_s is None:
                start_s, end_s = 0.0, parts_seconds(parts)
            samples = read_parts(parts, start_s, end_s)
            with sf.SoundFile(str(partial), "w", samplerate=RATE, channels=1, format="OGG", subtype="OPUS") as out:
                out.write(samples)
        os.chmod(partial, 0o600)
        os.replace(partial, target)
    except OSError as err:
        with contextlib.suppress(OSError):
            partial.unlink()
        raise InvalidInput(f"The recording could not be saved to {target} ({err.strerror}).") from None
    return target


class Player:
    """Plays one buffer at a time on an output device."""

    def __init__(self, device: str | int | None = None) -> None:
        self.device = device
        self._stream: Any = None
        self._samples: Any = None
        self._pos = 0
        self._rate = RATE
        self._stop_signal: type[BaseException] = StopIteration
        self.finished = threading.Event()
        self.finished.set()

    @property
    def playing(self) -> bool:
        return not self.finished.is_set()

    @property
    def position_s(self) -> float:
        return self._pos / self._rate

    def play(self, samples: Any, rate: int = RATE) -> None:
        """Stop whatever plays, then play `samples` (int16 mono) from the start. Raises ProviderError with the fix
        when the device cannot be opened."""
        from interview_tui.voice.audio import import_sounddevice, resolve_device

        self.stop()
        sd = import_sounddevice()
        idx = resolve_device(sd, self.device, "output")
        out_rate = rate
        try:
            sd.check_output_settings(device=idx, samplerate=rate, channels=1, dtype="int16")
        except Exception:
            out_rate = int(sd.query_devices(idx)["default_samplerate"])
            samples = _resample(samples, rate, out_rate)
        self._samples, self._pos, self._rate = samples, 0, out_rate
        self._stop_signal = sd.CallbackStop
        self.finished.clear()
        try:
            self._stream = sd.OutputStream(samplerate=out_rate, channels=1, dtype="int16", device=idx,
                                           callback=self._callback, finished_callback=self.finished.set)
            self._stream.start()
        except (sd.PortAudioError, ValueError) as err:
            self.finished.set()
            self._stream = None
            raise ProviderError(f"The speaker could not be opened to play the recording ({err}). Check "
                                "`interview doctor --audio` or pick one with --output-device.",
                                retryable=False) from None

    def _callback(self, outdata: Any, frames: int, time_info: Any, status: Any) -> None:
        chunk = self._samples[self._pos:self._pos + frames]
        n = len(chunk)
        outdata[:n, 0] = chunk
        if n < frames:
            outdata[n:, 0] = 0
        self._pos += n
        if n < frames:
            raise self._stop_signal()

    def stop(self) -> None:
        stream, self._stream = self._stream, None
        if stream is not None:
            with contextlib.suppress(Exception):
                stream.abort()
            with contextlib.suppress(Exception):
                stream.close()
        self.finished.set()
