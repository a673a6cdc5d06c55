"""Baseline for the voice benchmarks: the SDK's `DefaultAudioInterface` behaviour, reproduced with sounddevice.

The elevenlabs SDK's default interface (elevenlabs/conversational_ai/default_audio_interface.py) uses pyaudio,
which is not installed here; this class does what it does, on the same PortAudio devices:

* input: a 4000-frame (250 ms) callback stream whose PortAudio callback calls the SDK's `input_callback`
  directly (the websocket send happens inside the audio callback);
* output: `output()` puts chunks on a queue; a writer thread takes them (`get(timeout=0.25)`) and does a
  blocking `write()` on a 1000-frame (62.5 ms) output stream at the device's default low latency (what PyAudio
  asks for); `interrupt()` only empties the queue, so the chunk being written plays to its end.

Measurement hooks (all `time.monotonic()`): `in_trace` (callback time of each block sent), `write_log`
(start, end, non-silent) of each blocking write. Duck-typed like `SoundDeviceAudioInterface` so
`ElevenLabsVoice(audio_factory=...)` can drive it.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable
from typing import Any

INPUT_FRAMES = 4000
OUTPUT_FRAMES = 1000
RATE = 16_000


class SdkDefaultAudio:
    block_ms = INPUT_FRAMES * 1000 // RATE

    def __init__(self, input_device: str | int | None, output_device: str | int | None, **_callbacks: Any) -> None:
        self.input_device = input_device
        self.output_device = output_device
        self.in_trace: list[float] = []
        self.write_log: list[tuple[float, float, bool]] = []
        self.output_calls: list[float] = []
        self.interrupt_calls: list[float] = []
        self._input_callback: Callable[[bytes], None] | None = None
        self._q: queue.Queue[bytes] = queue.Queue()
        self._halt = threading.Event()
        self._in: Any = None
        self._out: Any = None
        self._writer: threading.Thread | None = None
        self._stopped = False

    def open(self) -> None:
        import sounddevice as sd

        if self._out is not None:
            return
        self._out = sd.RawOutputStream(samplerate=RATE, channels=1, dtype="int16", device=self.output_device,
                                       blocksize=OUTPUT_FRAMES, latency="low")
        self._in = sd.RawInputStream(samplerate=RATE, channels=1, dtype="int16", device=self.input_device,
                                     blocksize=INPUT_FRAMES, latency="low", callback=self._on_mic)
        self._out.start()

    def set_muted(self, muted: bool) -> None:
        pass

    def start(self, input_callback: Callable[[bytes], None]) -> None:
        self.open()
        self._input_callback = input_callback
        self._writer = threading.Thread(target=self._write_loop, name="sdk-default-writer", daemon=True)
        self._writer.start()
        self._in.start()

    def _on_mic(self, indata: Any, frames: int, time_info: Any, status: Any) -> None:
        callback = self._input_callback
        if callback is not None and not self._halt.is_set():
            self.in_trace.append(time.monotonic())
            callback(bytes(indata))

    def output(self, audio: bytes) -> None:
        self.output_calls.append(time.monotonic())
        self._q.put(audio)

    def interrupt(self) -> None:
        self.interrupt_calls.append(time.monotonic())
        try:
            while True:
                self._q.get_nowait()
        except queue.Empty:
            pass

    def _write_loop(self) -> None:
        while not self._halt.is_set():
            try:
                audio = self._q.get(timeout=0.25)
            except queue.Empty:
                continue
            started = time.monotonic()
            self._out.write(audio)
            self.write_log.append((started, time.monotonic(), audio.strip(b"\x00") != b""))

    def stop(self, drain: bool = True) -> None:
        if self._stopped:
            return
        self._stopped = True
        self._halt.set()
        if self._writer is not None and self._writer is not threading.current_thread():
            self._writer.join(timeout=2)
        for stream in (self._in, self._out):
            if stream is not None:
                try:
                    stream.abort()
                    stream.close()
                except Exception:
                    pass


class SdkDefaultCallbackAudio(SdkDefaultAudio):
    """The SDK default's output semantics in callback form, so it can be timed at the output callback like ours.

    1000-frame (62.5 ms) output blocks at the device's default high latency; `output()` queues whole chunks; the
    callback plays the current chunk to its end before taking the next; `interrupt()` empties the queue only
    (the chunk in progress keeps playing, as with the SDK's blocking `write()` of it). `callbacks` records
    (time, non-silent) for each output callback.
    """

    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.callbacks: list[tuple[float, bool]] = []
        self._current = bytearray()

    def open(self) -> None:
        import sounddevice as sd

        if self._out is not None:
            return
        self._out = sd.RawOutputStream(samplerate=RATE, channels=1, dtype="int16", device=self.output_device,
                                       blocksize=OUTPUT_FRAMES, latency="high", callback=self._on_speaker)
        self._in = sd.RawInputStream(samplerate=RATE, channels=1, dtype="int16", device=self.input_device,
                                     blocksize=INPUT_FRAMES, latency="low", callback=self._on_mic)
        self._out.start()

    def start(self, input_callback: Callable[[bytes], None]) -> None:
        self.open()
        self._input_callback = input_callback
        self._in.start()

    def _on_speaker(self, outdata: Any, frames: int, time_info: Any, status: Any) -> None:
        n = len(outdata)
        while len(self._current) < n:
            try:
                self._current += self._q.get_nowait()
            except queue.Empty:
                break
        chunk = bytes(self._current[:n])
        del self._current[:n]
        outdata[:] = chunk + b"\x00" * (n - len(chunk))
        self.callbacks.append((time.monotonic(), chunk.strip(b"\x00") != b""))
