"""Shared pieces for ElevenLabs engine tests: settings pointing at the fake server, an event recorder."""

from __future__ import annotations

import threading
import time
from typing import Any

from interview_tui.providers.base import VoiceContext, VoiceEvents, VoiceStatus
from tests.doubles import sample_plan


def context(started_at: float | None = None, name: str = "Ana") -> VoiceContext:
    return VoiceContext(session_id="s1", plan=sample_plan(), started_at=started_at or time.time(),
                        candidate_name=name)


class Recorder:
    """Collects every VoiceEvents callback (thread-safe); can be told to raise inside callbacks."""

    def __init__(self, raise_in: set[str] | None = None) -> None:
        self.calls: list[tuple[str, Any]] = []
        self.raise_in = raise_in or set()
        self.ended = threading.Event()
        self._lock = threading.Lock()

    def _cb(self, name: str):  # type: ignore[no-untyped-def]
        def call(*args: Any) -> None:
            with self._lock:
                self.calls.append((name, args[0] if len(args) == 1 else args))
            if name == "on_ended":
                self.ended.set()
            if name in self.raise_in:
                raise RuntimeError(f"bug in the UI's {name}")
        return call

    def events(self) -> VoiceEvents:
        return VoiceEvents(**{n: self._cb(n) for n in ("on_turn", "on_status", "on_level", "on_speaking",
                                                         "on_conversation_id", "on_ended")})

    def of(self, name: str) -> list[Any]:
        with self._lock:
            return [v for n, v in self.calls if n == name]

    def statuses(self) -> list[VoiceStatus]:
        return self.of("on_status")

    def wait(self, pred, timeout: float = 15.0) -> bool:  # type: ignore[no-untyped-def]
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if pred():
                return True
            time.sleep(0.02)
        return pred()


class ScriptedMic:
    """An AudioInterface stand-in for tests about the protocol, not the devices: 20 ms silence blocks."""

    def __init__(self, on_level=None, on_speaking=None, on_error=None) -> None:  # type: ignore[no-untyped-def]
        self.output_bytes = 0
        self.interrupts = 0
        self.muted = False
        self._halt = threading.Event()
        self.stopped = False

    def open(self) -> None:
        pass

    def set_muted(self, muted: bool) -> None:
        self.muted = muted

    def start(self, input_callback) -> None:  # type: ignore[no-untyped-def]
        def run() -> None:
            while not self._halt.wait(0.02):
                input_callback(b"\x00" * 640)
        threading.Thread(target=run, daemon=True).start()

    def stop(self, drain: bool = True) -> None:
        self._halt.set()
        self.stopped = True

    def output(self, audio: bytes) -> None:
        self.output_bytes += len(audio)

    def interrupt(self) -> None:
        self.interrupts += 1


class SpeakingMic(ScriptedMic):
    """A `ScriptedMic` the test can speak into: `speak(pcm)` queues 16 kHz s16le audio that goes out in 20 ms
    blocks, in real time, in place of the silence (the fake ElevenLabs server's VAD hears it as an utterance)."""

    BLOCK = 640

    def __init__(self, on_level=None, on_speaking=None, on_error=None) -> None:  # type: ignore[no-untyped-def]
        super().__init__(on_level, on_speaking, on_error)
        self._speech: list[bytes] = []
        self._speech_lock = threading.Lock()

    def speak(self, pcm: bytes) -> None:
        with self._speech_lock:
            self._speech += [pcm[i:i + self.BLOCK].ljust(self.BLOCK, b"\x00") for i in range(0, len(pcm), self.BLOCK)]

    def start(self, input_callback) -> None:  # type: ignore[no-untyped-def]
        def run() -> None:
            while not self._halt.wait(0.02):
                with self._speech_lock:
                    block = self._speech.pop(0) if self._speech else b"\x00" * self.BLOCK
                input_callback(block)
        threading.Thread(target=run, daemon=True).start()
