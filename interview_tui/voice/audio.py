"""`SoundDeviceAudioInterface`: the microphone and speaker for the ElevenLabs SDK, built on sounddevice.

The SDK's contract (elevenlabs `AudioInterface`): 16 kHz mono s16le both ways; `start(input_callback)`,
`output(bytes)` (must not block), `interrupt()`, `stop()`. How this implementation keeps it real-time safe:

* PortAudio callbacks only copy bytes: the mic callback puts each block (20 ms by default, ≤ 50 ms) on a
  bounded queue; the speaker callback takes bytes from a buffer and zero-fills. No network I/O, no long locks,
  never a PortAudio call inside a callback.
* A sender thread feeds the SDK's `input_callback` (which does the websocket send), resamples when the device
  could not open at 16 kHz, replaces the audio with silence while muted, and computes the level / speaking
  state for the UI. It also notices a mic that stopped delivering audio (device unplugged) and reports it.
* `interrupt()` empties the playback buffer, so the agent is silent within one output block (20 ms).
* `stop()` is idempotent and safe from any thread (including the sender, when the SDK stops us from inside
  `input_callback`): the mic stops first, queued agent audio plays out (bounded), then the streams close.

sounddevice/numpy are imported lazily (`open()`), so importing this module is cheap.
"""

from __future__ import annotations

import contextlib
import logging
import queue
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Any

from interview_tui.domain.errors import InvalidInput, ProviderError
from interview_tui.providers.base import Speaker, guarded

log = logging.getLogger(__name__)

SDK_RATE = 16_000


def import_sounddevice() -> Any:
    """sounddevice, or a clear ProviderError when PortAudio is missing."""
    try:
        import sounddevice as sd
    except OSError as err:
        raise ProviderError(
            f"Audio is unavailable: the PortAudio library could not be loaded ({err}). Install it "
            "(Debian/Ubuntu: sudo apt-get install libportaudio2) or use text mode (--text).",
            retryable=False,
        ) from None
    return sd


MAX_LISTED_DEVICES = 12


def device_choices(sd: Any, kind: str) -> list[tuple[int, str]]:
    """(index, name) of every device PortAudio offers for `kind` ("input" or "output")."""
    return [(int(d["index"]), str(d["name"])) for d in sd.query_devices() if int(d[f"max_{kind}_channels"]) > 0]


def device_problem(sd: Any, spec: str | int | None, kind: str, source: str = "") -> str | None:
    """Why the device asked for cannot be used, as a clause naming it (and the `source` of that setting, if
    given) and listing the devices PortAudio offers ("the input device 'usb' was not found (input devices
    here: 0 'pulse', 1 'default')"); None when it can be used or when none was asked for (the default device)."""
    if spec is None or spec == "":
        return None
    wanted: str | int = int(spec.strip()) if isinstance(spec, str) and spec.strip().isdigit() else spec
    try:
        sd.query_devices(wanted, kind)
        return None
    except (ValueError, sd.PortAudioError) as err:
        text = str(err)
    if text.startswith("Multiple"):
        problem = f"matches more than one {kind} device"
    elif text.startswith("Not an"):
        problem = f"is not an {kind} device"
    else:
        problem = "was not found"
    choices = device_choices(sd, kind)
    listed = ", ".join(f"{index} {name!r}" for index, name in choices[:MAX_LISTED_DEVICES]) or "none"
    if len(choices) > MAX_LISTED_DEVICES:
        listed += f", and {len(choices) - MAX_LISTED_DEVICES} more (`python -m sounddevice` lists them all)"
    asked = f"the {kind} device {str(spec)!r}" + (f" (from {source})" if source else "")
    return f"{asked} {problem} ({kind} devices here: {listed})"


def device_option(kind: str) -> str:
    return "--input-device" if kind == "input" else "--output-device"


def device_error(problem: str, kind: str) -> str:
    """`device_problem`'s clause as the one-line error the CLI and the voice engines show, with its fix."""
    return (f"{problem[0].upper()}{problem[1:]}. Choose one by name or index with {device_option(kind)}, "
            "or use text mode (--text).")


def resolve_device(sd: Any, spec: str | int | None, kind: str) -> int:
    """A PortAudio device index from a name (substring, case-insensitive), an index, or None (default)."""
    label = "microphone" if kind == "input" else "speaker"
    option = device_option(kind)
    if spec is None or spec == "":
        idx = sd.default.device[0 if kind == "input" else 1]
        if idx is None or int(idx) < 0:
            raise ProviderError(
                f"No {label} was found (PortAudio has no default {kind} device). Connect one, choose one with "
                f"{option} (see `python -m sounddevice` for the list), or use text mode (--text).",
                retryable=False,
            )
        return int(idx)
    problem = device_problem(sd, spec, kind)
    if problem is not None:
        raise InvalidInput(device_error(problem, kind))
    if isinstance(spec, str) and spec.strip().isdigit():
        spec = int(spec.strip())
    return int(sd.query_devices(spec, kind)["index"])


def unusable_devices(input_device: str | None, output_device: str | None,
                     sources: tuple[str, str] = ("", "")) -> list[str]:
    """The one-line errors for each device asked for that PortAudio does not offer (none when PortAudio itself is
    missing: the engine choice explains that). `sources`: where each setting came from, for the message."""
    if not input_device and not output_device:  # the defaults: nothing to check (and PortAudio not started)
        return []
    try:
        sd = import_sounddevice()
    except ProviderError:
        return []
    errors = []
    for spec, kind, source in ((input_device, "input", sources[0]), (output_device, "output", sources[1])):
        problem = device_problem(sd, spec, kind, source)
        if problem is not None:
            errors.append(device_error(problem, kind))
    return errors


class SoundDeviceAudioInterface:
    """An elevenlabs `AudioInterface` over sounddevice (duck-typed: the SDK does not check the base class)."""

    def __init__(
        self,
        input_device: str | int | None = None,
        output_device: str | int | None = None,
        *,
        block_ms: int = 20,
        output_block_ms: int = 20,
        device_rate: int | None = None,
        on_level: Callable[[float, float], None] | None = None,
        on_speaking: Callable[[Speaker], None] | None = None,
        on_error: Callable[[str], None] | None = None,
        level_interval_s: float = 0.1,
        stall_timeout_s: float = 3.0,
        drain_limit_s: float = 15.0,
        trace: bool = False,
    ) -> None:
        self.input_device = input_device
        self.output_device = output_device
        self.block_ms = block_ms
        self.output_block_ms = output_block_ms
        self.device_rate = device_rate
        self.on_level = on_level
        self.on_speaking = on_speaking
        self.on_error = on_error
        self.level_interval_s = level_interval_s
        self.stall_timeout_s = stall_timeout_s
        self.drain_limit_s = drain_limit_s
        self.muted = False
        self.dropped_input_blocks = 0
        self.output_blocks = 0
        """How many times PortAudio asked for speaker audio (the stream is running when this grows)."""
        self.input_rate = SDK_RATE
        self.output_rate = SDK_RATE
        self.input_device_name = ""
        self.output_device_name = ""
        self.tap: Callable[[bytes], None] | None = None
        """Also given each block sent (after resampling and muting), on the sender thread: must not block."""
        self.trace: deque[float] | None = deque(maxlen=100_000) if trace else None
        """Capture time (time.monotonic) of each block handed to the SDK, in order (for latency measurement)."""
        self._in_q: queue.Queue[tuple[bytes, float]] = queue.Queue(maxsize=200)
        self._out_buf = bytearray()
        self._out_lock = threading.Lock()
        self._playing = False
        self._in_stream: Any = None
        self._out_stream: Any = None
        self._sender: threading.Thread | None = None
        self._halt = threading.Event()
        self._stop_lock = threading.Lock()
        self._stopped = False
        self._opened = False
        self._last_block_at = 0.0
        self._last_callback_at = 0.0
        self.input_callbacks = 0
        """How many times PortAudio delivered microphone audio (the stall verdict's evidence)."""
        self._in_resampler: Any = None
        self._out_resampler: Any = None
        self._speaking: Speaker = None
        self.error: str | None = None

    # ------------------------------------------------------------------------------------ opening
    def open(self) -> None:
        """Open and start both streams (raises ProviderError/InvalidInput with the fix). Idempotent."""
        if self._opened:
            return
        if self.block_ms <= 0 or self.block_ms > 250:
            raise InvalidInput("The input block must be between 1 and 250 ms.")
        sd = import_sounddevice()
        from interview_tui.voice.audio_dsp import StreamResampler

        in_idx = resolve_device(sd, self.input_device, "input")
        out_idx = resolve_device(sd, self.output_device, "output")
        self.input_device_name = str(sd.query_devices(in_idx)["name"])
        self.output_device_name = str(sd.query_devices(out_idx)["name"])
        self.input_rate = self._pick_rate(sd, in_idx, "input")
        self.output_rate = self._pick_rate(sd, out_idx, "output")
        self._in_resampler = StreamResampler(self.input_rate, SDK_RATE)
        self._out_resampler = StreamResampler(SDK_RATE, self.output_rate)
        try:
            self._out_stream = sd.RawOutputStream(
                samplerate=self.output_rate, channels=1, dtype="int16", device=out_idx,
                blocksize=self.output_rate * self.output_block_ms // 1000, latency="low",
                callback=self._on_speaker)
            self._in_stream = sd.RawInputStream(
                samplerate=self.input_rate, channels=1, dtype="int16", device=in_idx,
                blocksize=self.input_rate * self.block_ms // 1000, latency="low", callback=self._on_mic)
            self._out_stream.start()
            self._in_stream.start()
        except (sd.PortAudioError, ValueError) as err:
            self._close_streams()
            raise ProviderError(
                f"The audio devices could not be opened ({err}). Check `interview doctor --audio`, pick other "
                "devices with --input-device/--output-device, or use text mode (--text).", retryable=False,
            ) from None
        self._last_block_at = time.monotonic()
        self._opened = True

    def _pick_rate(self, sd: Any, idx: int, kind: str) -> int:
        if self.device_rate:
            return int(self.device_rate)
        check = sd.check_input_settings if kind == "input" else sd.check_output_settings
        try:
            check(device=idx, samplerate=SDK_RATE, channels=1, dtype="int16")
            return SDK_RATE
        except Exception:
            native = int(sd.query_devices(idx)["default_samplerate"])
            log.info("%s device %s refuses 16 kHz; opening at %d Hz and resampling", kind, idx, native)
            return native

    # --------------------------------------------------------------------- PortAudio callbacks (copy only)
    def _on_mic(self, indata: Any, frames: int, time_info: Any, status: Any) -> None:
        self._last_callback_at = time.monotonic()  # the device is alive, whatever the consumer is doing
        self.input_callbacks += 1
        try:
            self._in_q.put_nowait((bytes(indata), time.monotonic()))
        except queue.Full:
            self.dropped_input_blocks += 1

    def _on_speaker(self, outdata: Any, frames: int, time_info: Any, status: Any) -> None:
        n = len(outdata)
        with self._out_lock:
            chunk = bytes(self._out_buf[:n])
            del self._out_buf[:n]
        self._playing = bool(chunk)
        self.output_blocks += 1
        if len(chunk) < n:
            chunk += b"\x00" * (n - len(chunk))
        outdata[:] = chunk

    # ------------------------------------------------------------------------------ SDK contract
    def start(self, input_callback: Callable[[bytes], None]) -> None:
        """Called by the SDK (its session thread) before the conversation starts."""
        self.open()
        self._halt.clear()
        self._sender = threading.Thread(target=self._send_loop, args=(input_callback,), name="mic-sender",
                                        daemon=True)
        self._sender.start()

    def output(self, audio: bytes) -> None:
        data = self._out_resampler.process(audio) if self._out_resampler is not None else audio
        with self._out_lock:
            self._out_buf.extend(data)

    def interrupt(self) -> None:
        with self._out_lock:
            self._out_buf.clear()

    def stop(self, drain: bool = True) -> None:
        """Stop the mic at once, let queued agent audio play out (unless drain=False), close. Idempotent."""
        with self._stop_lock:
            if self._stopped:
                return
            self._stopped = True
        self._halt.set()
        if self._in_stream is not None:
            with contextlib.suppress(Exception):
                self._in_stream.abort()
        sender = self._sender
        if sender is not None and sender is not threading.current_thread():
            sender.join(timeout=2.0)
        if drain and self._out_stream is not None:
            deadline = time.monotonic() + min(self.drain_limit_s, self.buffered_s + 1.0)
            while (self.buffered_s > 0 or self._playing) and time.monotonic() < deadline:
                time.sleep(0.01)
        if not drain:
            self.interrupt()
        self._close_streams(graceful=drain)

    def _close_streams(self, graceful: bool = False) -> None:
        for stream in (self._in_stream, self._out_stream):
            if stream is None:
                continue
            with contextlib.suppress(Exception):
                if graceful and stream is self._out_stream:
                    stream.stop()  # waits for PortAudio's own buffers: the last words are heard
                else:
                    stream.abort()
            with contextlib.suppress(Exception):
                stream.close()
        self._in_stream = self._out_stream = None

    # --------------------------------------------------------------------------------- state
    def set_muted(self, muted: bool) -> None:
        self.muted = muted

    @property
    def playing(self) -> bool:
        return self._playing or self.buffered_s > 0

    @property
    def buffered_s(self) -> float:
        with self._out_lock:
            return len(self._out_buf) / 2 / self.output_rate

    @property
    def stopped(self) -> bool:
        return self._stopped

    # ------------------------------------------------------------------------------ sender thread
    def _send_loop(self, input_callback: Callable[[bytes], None]) -> None:
        from interview_tui.voice.audio_dsp import SpeechActivity, levels_dbfs

        activity = SpeechActivity()
        next_level = 0.0
        while not self._halt.is_set():
            try:
                block, captured_at = self._in_q.get(timeout=0.1)
            except queue.Empty:
                if self._mic_stalled():
                    self._fail("The microphone stopped delivering audio (was it unplugged?).")
                    return
                continue
            self._last_block_at = time.monotonic()
            pcm = self._in_resampler.process(block)
            if not pcm:
                continue
            rms, peak = levels_dbfs(pcm)
            if self.muted:
                pcm = b"\x00" * len(pcm)
            now = time.monotonic()
            if self.on_level is not None and now >= next_level:
                next_level = now + self.level_interval_s
                guarded("on_level", self.on_level)(rms, peak)
            user = activity.update(rms, len(pcm) / 2 / SDK_RATE) and not self.muted
            self._set_speaking("agent" if self.playing else ("user" if user else None))
            if self.trace is not None:
                self.trace.append(captured_at)
            if self._halt.is_set():
                return
            if self.tap is not None:
                self.tap(pcm)
            input_callback(pcm)

    def _mic_stalled(self) -> bool:
        """The verdict comes from the device callbacks, never from how fast blocks are consumed: no callback
        for `stall_timeout_s` with the stream stopped, or none for 3x that even though PortAudio says the stream
        is running (a starved callback thread under heavy CPU load catches up; an unplugged device does not)."""
        quiet = time.monotonic() - max(self._last_callback_at, self._last_block_at)
        if quiet <= self.stall_timeout_s:
            return False
        stream = self._in_stream
        running = bool(getattr(stream, "active", False)) if stream is not None else False
        return not running or quiet > 3 * self.stall_timeout_s

    def _set_speaking(self, who: Speaker) -> None:
        if who != self._speaking:
            self._speaking = who
            if self.on_speaking is not None:
                guarded("on_speaking", self.on_speaking)(who)

    def _fail(self, message: str) -> None:
        self.error = message
        log.warning("audio failure: %s", message)
        if self.on_error is not None:
            guarded("on_error", self.on_error)(message)
