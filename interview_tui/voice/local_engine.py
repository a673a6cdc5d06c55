"""The offline voice interview: espeak-ng speaks the questions, pocketsphinx transcribes the answers.

Half-duplex turn-taking: while the interviewer speaks, the microphone is ignored (no echo cancellation
offline); then the engine listens until the candidate has been silent for `end_silence_s`. The microphone and
speaker go through the same sounddevice layer as the ElevenLabs engine (`voice.audio`).

The candidate can ask for the question again by saying so ("could you repeat the question?") or with the repeat
key (`repeat_question`): the interviewer speaks it again, and neither counts as an answer.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from typing import Any

from interview_tui.domain.clock import Clock, SystemClock
from interview_tui.domain.errors import ProviderError
from interview_tui.domain.models import Transcript, Turn
from interview_tui.providers.base import (
    VoiceContext,
    VoiceEvents,
    VoiceName,
    VoiceStatus,
    VoiceStatusKind,
    guard_events,
)
from interview_tui.voice.interviewer_script import ENDED_REASON, InterviewerScript, ScriptLine

log = logging.getLogger(__name__)

NUDGE = "Take your time. Whenever you are ready, please go ahead."
THINKING_PAUSE_S = 4.0


class _Stopped(Exception):
    pass


class LocalVoice:
    """VoiceEngine with local TTS (espeak-ng), the microphone, energy VAD and pocketsphinx."""

    name: str = VoiceName.LOCAL
    text_input = False

    def __init__(self, settings: Any = None, *, clock: Clock | None = None, end_silence_s: float | None = None,
                 no_answer_s: float = 25.0, words_per_minute: int = 160) -> None:
        self.settings = settings
        self.clock = clock or SystemClock()
        self.end_silence_s = end_silence_s if end_silence_s is not None else float(
            getattr(settings, "answer_pause_s", THINKING_PAUSE_S))
        """Silence that ends an answer: a thinking pause shorter than this does not (INTERVIEW_ANSWER_PAUSE_S)."""
        self.no_answer_s = no_answer_s
        self.words_per_minute = words_per_minute
        self._stop = threading.Event()
        self._repeat = threading.Event()
        self._stop_lock = threading.Lock()
        self._stopped = False
        self._mic: queue.Queue[bytes] = queue.Queue(maxsize=3000)
        self._audio: Any = None
        self._thread: threading.Thread | None = None
        self._context: VoiceContext | None = None
        self._events = VoiceEvents()
        self._tts: Any = None
        self.muted = False
        self.error: str | None = None

    # ------------------------------------------------------------------------------------- protocol

    def start(self, context: VoiceContext, events: VoiceEvents) -> None:
        """Check the local pieces (espeak-ng, PortAudio, devices, pocketsphinx), open the audio, then run."""
        from importlib.util import find_spec

        from interview_tui.voice.audio import SoundDeviceAudioInterface, import_sounddevice, resolve_device
        from interview_tui.voice.local_tts import EspeakTTS

        events = guard_events(events)
        self._context, self._events = context, events
        self._tts = EspeakTTS(words_per_minute=self.words_per_minute)
        if find_spec("pocketsphinx") is None:
            raise ProviderError("The offline recogniser (pocketsphinx) is not installed. Reinstall interview-tui, "
                                "or use text mode (--text).", retryable=False)
        sd = import_sounddevice()
        input_device = getattr(self.settings, "input_device", None)
        output_device = getattr(self.settings, "output_device", None)
        resolve_device(sd, input_device, "input")
        resolve_device(sd, output_device, "output")
        events.on_status(VoiceStatus("connecting", "Starting the offline voice…"))
        self._audio = SoundDeviceAudioInterface(
            input_device, output_device,
            on_level=events.on_level,
            on_speaking=events.on_speaking,
            on_error=self._on_audio_error,
        )
        self._audio.tap = context.mic_tap
        self._audio.open()
        self._thread = threading.Thread(target=self._run, name="local-voice", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        with self._stop_lock:
            if self._stopped:
                return
            self._stopped = True
        self._stop.set()
        if self._audio is not None:
            try:
                self._audio.stop(drain=False)
            except Exception:
                log.exception("closing the audio devices failed")
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout=3.0)

    def set_muted(self, muted: bool) -> None:
        self.muted = muted
        if self._audio is not None:
            self._audio.set_muted(muted)

    def submit_text(self, text: str) -> None:
        """Voice mode takes no typed answers."""

    def repeat_question(self) -> None:
        """The candidate's repeat key: once the interviewer has finished speaking, it asks the current question
        again. Safe from any thread; an answer already under way is kept as the candidate said it."""
        if not self._stop.is_set():
            self._repeat.set()

    def final_transcript(self, conversation_ids: list[str]) -> Transcript | None:
        return None

    # ------------------------------------------------------------------------------------- the run

    def _rel(self) -> float:
        assert self._context is not None
        return max(0.0, self.clock.now() - self._context.started_at)

    def _on_mic(self, pcm: bytes) -> None:
        try:
            self._mic.put_nowait(pcm)
        except queue.Full:  # the recogniser fell far behind; drop the oldest audio rather than block
            try:
                self._mic.get_nowait()
                self._mic.put_nowait(pcm)
            except (queue.Empty, queue.Full):
                pass

    def _on_audio_error(self, message: str) -> None:
        self.error = message
        self._finish(f"The offline voice stopped: {message}", status="error")

    def _finish(self, reason: str, *, status: VoiceStatusKind = "ended") -> None:
        if self._stop.is_set():
            return
        self._stop.set()
        self._events.on_status(VoiceStatus(status, reason))
        self._events.on_ended(reason)

    def _run(self) -> None:
        from interview_tui.voice.local_stt import Recognizer

        assert self._context is not None and self._audio is not None
        try:
            recognizer = Recognizer()
            self._audio.start(self._on_mic)
            self._events.on_status(
                      VoiceStatus("connected", "Offline voice: espeak-ng and pocketsphinx."))
            script = InterviewerScript(self._context.plan, self._context.candidate_name)
            lines = script.opening(self._context.first_question)
            while not self._stop.is_set():
                self._say(lines)
                if script.done:
                    self._finish(ENDED_REASON)
                    return
                answer = self._listen(recognizer)
                lines = script.repeat() if answer is None else script.respond(answer)
        except _Stopped:
            return
        except ProviderError as err:
            self._finish(str(err), status="error")
        except Exception as err:
            log.exception("offline voice crashed")
            self._finish(f"The offline voice stopped unexpectedly ({type(err).__name__}).", status="error")

    def _say(self, lines: list[ScriptLine]) -> None:
        for line in lines:
            if self._stop.is_set():
                raise _Stopped
            pcm = self._tts.synthesize(line.text)
            duration = len(pcm) / 2 / 16_000
            t = self._rel()
            self._events.on_turn(
                      Turn(role="agent", text=line.text, t=t, end_t=round(t + duration, 2)))
            self._audio.output(pcm)
            deadline = time.monotonic() + duration + 5.0
            while self._audio.playing and time.monotonic() < deadline:
                if self._stop.wait(0.02):
                    raise _Stopped
        self._drain_mic()  # half duplex: what the mic heard while the interviewer spoke is not an answer

    def _speech_waiting(self, detector: Any) -> bool:
        """Whether the microphone audio queued meanwhile (while transcribing) holds speech."""
        from interview_tui.voice.audio_dsp import levels_dbfs

        with self._mic.mutex:
            queued = list(self._mic.queue)
        loud = sum(len(b) for b in queued if levels_dbfs(b)[0] >= detector.threshold) / 2 / 16_000
        return loud >= 0.15

    def _drain_mic(self) -> None:
        while True:
            try:
                self._mic.get_nowait()
            except queue.Empty:
                return

    def _listen(self, recognizer: Any) -> str | None:
        """Wait for the candidate's answer; emit it as a user turn and return its text, or None when the repeat
        key was pressed (what they had said by then is emitted first, and the question is asked again).

        A pause shorter than `end_silence_s` does not end the answer, and if the candidate speaks again while
        the answer is being transcribed, that speech joins the answer: the interviewer never starts over them.
        """
        from interview_tui.voice.local_stt import TurnDetector

        detector = TurnDetector(end_silence_s=self.end_silence_s)
        base_rel, audio_s = self._rel(), 0.0
        onset_rel = 0.0
        nudged = False
        parts: list[str] = []
        heard: list[tuple[int, float | None]] = []  # (words, recogniser confidence) of each part
        end_rel = 0.0

        def emit() -> str:
            answer = " ".join(parts)
            self._events.on_turn(Turn(role="user", text=answer, t=round(onset_rel, 2),
                                      end_t=round(max(end_rel, onset_rel), 2), confidence=_mean_confidence(heard)))
            return answer

        self._events.on_status(VoiceStatus("listening", "Listening…"))
        while True:
            if self._stop.is_set():
                raise _Stopped
            if self._repeat.is_set() and not detector.in_speech:
                self._repeat.clear()
                if parts:
                    emit()
                return None
            try:
                pcm = self._mic.get(timeout=0.1)
            except queue.Empty:
                continue
            audio_s += len(pcm) / 2 / 16_000
            event = detector.feed(pcm)
            if event is not None and event.kind == "start":
                if not parts:
                    onset_rel = base_rel + event.offset_s
                recognizer.begin()
                recognizer.add(event.pcm)
                continue
            if detector.in_speech:
                recognizer.add(pcm)
                continue
            if event is not None and event.kind == "end":
                self._events.on_status(VoiceStatus("transcribing", "Transcribing your answer…"))
                text = recognizer.finish()
                if text:
                    parts.append(text)
                    heard.append((len(text.split()), recognizer.last_confidence))
                if parts:
                    end_rel = base_rel + event.offset_s
                if parts and self._speech_waiting(detector):
                    self._events.on_status(VoiceStatus("listening", "Listening…"))
                    continue  # they went on talking while we transcribed: the answer goes on
                if parts:
                    if self._repeat.is_set():
                        continue  # the top of the loop emits what they said, then the question is asked again
                    return emit()
                self._events.on_status(VoiceStatus("listening", "Listening…"))
                continue  # noise, a cough: keep listening
            if not nudged and not parts and audio_s >= self.no_answer_s:
                nudged = True
                self._say([ScriptLine(NUDGE)])
                detector = TurnDetector(end_silence_s=self.end_silence_s)
                base_rel, audio_s = self._rel(), 0.0


def _mean_confidence(heard: list[tuple[int, float | None]]) -> float | None:
    """The word-weighted mean confidence of an answer heard in parts (None when no part had one)."""
    known = [(n, c) for n, c in heard if c is not None and n > 0]
    total = sum(n for n, _ in known)
    return round(sum(n * c for n, c in known) / total, 2) if total else None
