"""`interview doctor --audio`: record ~2 s from the microphone, report its level, play a short tone, and give
a verdict (works, or what is wrong and the fix)."""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Callable
from typing import Any

from interview_tui.domain.errors import InterviewError

log = logging.getLogger(__name__)

SILENT_RMS_DBFS = -60.0
"""A recording whose average level is at or below this heard nothing (a muted or wrong microphone)."""


def run_audio_check(settings: Any, seconds: float = 2.0, tone_s: float = 0.5,
                    on_step: Callable[[str], None] | None = None) -> dict[str, Any]:
    """Keys: input_device, input_rms_dbfs, input_peak_dbfs, output_device, tone_played, error (None if ok).
    `on_step` is told, as a sentence, each step before it runs (what is listened to, and for how long)."""
    step = on_step or (lambda _text: None)
    result: dict[str, Any] = {"input_device": None, "input_rms_dbfs": None, "input_peak_dbfs": None,
                              "output_device": None, "tone_played": False, "error": None}
    from interview_tui.voice.audio import SDK_RATE, SoundDeviceAudioInterface

    audio = SoundDeviceAudioInterface(getattr(settings, "input_device", None),
                                      getattr(settings, "output_device", None), stall_timeout_s=max(3.0, seconds))
    blocks: list[bytes] = []
    try:
        audio.open()
        result["input_device"] = audio.input_device_name
        result["output_device"] = audio.output_device_name
        enough = threading.Event()
        need = int(seconds * SDK_RATE) * 2

        def collect(pcm: bytes) -> None:
            blocks.append(pcm)
            if sum(map(len, blocks)) >= need:
                enough.set()

        step(f"Listening to the microphone {audio.input_device_name!r} for {seconds:g} s: say something…")
        audio.start(collect)
        if not enough.wait(seconds + 3.0):
            result["error"] = (f"The microphone {audio.input_device_name!r} delivered no audio in {seconds + 3:.0f} s."
                               " Check that it is connected and not used by another program.")
        from interview_tui.voice.audio_dsp import levels_dbfs

        rms, peak = levels_dbfs(b"".join(blocks)[:need])
        result["input_rms_dbfs"], result["input_peak_dbfs"] = round(rms, 1), round(peak, 1)
        step(f"Playing a {tone_s:g} s test tone on the speaker {audio.output_device_name!r}…")
        audio.output(_tone(tone_s, SDK_RATE))
        deadline = time.monotonic() + tone_s + 3.0
        while audio.playing and time.monotonic() < deadline:
            time.sleep(0.02)
        result["tone_played"] = not audio.playing
        if not result["tone_played"] and result["error"] is None:
            result["error"] = f"The speaker {audio.output_device_name!r} did not play the test tone."
    except InterviewError as err:
        result["error"] = str(err)
    except Exception as err:  # PortAudio surprises: report, never a traceback
        log.exception("audio check failed")
        result["error"] = f"The audio check failed: {err}"
    finally:
        audio.stop()
    return result


def audio_verdict(result: dict[str, Any]) -> tuple[bool, str]:
    """(audio works, one sentence saying so, or what is wrong and the fix) for a `run_audio_check` result."""
    again = " Then run `interview doctor --audio` again."
    if result.get("error"):
        return False, f"Audio does not work: {result['error']}"
    rms = result.get("input_rms_dbfs")
    if rms is None or rms <= SILENT_RMS_DBFS:
        level = "" if rms is None else f" (average {rms:.0f} dBFS)"
        return False, (f"The microphone {result.get('input_device')!r} heard only silence{level}: check that it is "
                       "unmuted and is the one you speak into, or pick another with --input-device." + again)
    return True, (f"Audio works: the microphone {result.get('input_device')!r} hears you (average {rms:.0f} dBFS) "
                  f"and the speaker {result.get('output_device')!r} played the test tone.")


def _tone(seconds: float, rate: int, freq: float = 660.0) -> bytes:
    import numpy as np

    t = np.arange(int(seconds * rate)) / rate
    fade = np.minimum(1.0, np.minimum(t, seconds - t) / 0.02)
    return (np.sin(2 * math.pi * freq * t) * fade * 0.3 * 32767).astype(np.int16).tobytes()
