"""Text mode: the same interview with typed answers, for machines with no microphone or PortAudio."""

from __future__ import annotations

import threading

from interview_tui.domain.clock import Clock, SystemClock
from interview_tui.domain.jd import clean_text
from interview_tui.domain.models import Transcript, Turn
from interview_tui.providers.base import VoiceContext, VoiceEvents, VoiceName, VoiceStatus, guard_events
from interview_tui.voice.interviewer_script import ENDED_REASON, InterviewerScript, ScriptLine

MAX_ANSWER_CHARS = 20_000
NUDGE_AFTER_S = 45.0
"""A question left without a typed answer this long gets one gentle nudge."""
NUDGE = "Take your time. When you are ready, type your answer below and press Enter to send it."


class TextVoice:
    """VoiceEngine whose interviewer writes and whose candidate types (`submit_text`).

    Turn times are seconds since the live session started, read from the injected clock. Typed answers have no
    speaking time, so user turns carry no `end_t` and the analyzer reports rates per minute as unavailable.
    """

    name: str = VoiceName.TEXT
    text_input = True

    def __init__(self, clock: Clock | None = None) -> None:
        self.clock = clock or SystemClock()
        self._lock = threading.RLock()
        self._context: VoiceContext | None = None
        self._events = VoiceEvents()
        self._script: InterviewerScript | None = None
        self._stopped = False
        self._finished = False
        self._asked_at: float | None = None
        self._nudged = False
        self.muted = False

    def _t(self) -> float:
        assert self._context is not None
        return max(0.0, self.clock.now() - self._context.started_at)

    def start(self, context: VoiceContext, events: VoiceEvents) -> None:
        with self._lock:
            events = guard_events(events)
            self._context, self._events = context, events
            self._script = InterviewerScript(context.plan, context.candidate_name)
            events.on_status(VoiceStatus("connected", "Text mode: type your answers."))
            self._say(self._script.opening(context.first_question))

    def poll(self) -> None:
        """Called on the live session's tick: nudge once when a question has waited `NUDGE_AFTER_S`."""
        with self._lock:
            if self._asked_at is None or self._nudged or self._stopped or self._finished:
                return
            if self.clock.now() - self._asked_at >= NUDGE_AFTER_S:
                self._nudged = True
                self._events.on_turn(Turn(role="agent", text=NUDGE, t=self._t()))

    def _say(self, lines: list[ScriptLine]) -> None:
        self._asked_at, self._nudged = self.clock.now(), False
        for line in lines:
            t = self._t()
            self._events.on_turn(Turn(role="agent", text=line.text, t=t))
            if line.final:
                self._finished = True
                self._events.on_status(VoiceStatus("ended", ENDED_REASON))
                self._events.on_ended(ENDED_REASON)

    def submit_text(self, text: str) -> None:
        """The candidate's typed answer. Ignored when blank, before start, or after the interview ended."""
        answer = clean_text(text[: 2 * MAX_ANSWER_CHARS])[:MAX_ANSWER_CHARS]  # capped before cleaning
        with self._lock:
            if not answer or self._script is None or self._stopped or self._finished:
                return
            self._events.on_turn(Turn(role="user", text=answer, t=self._t()))
            self._say(self._script.respond(answer))

    def repeat_question(self) -> None:
        """The interviewer asks the current question again (the candidate's repeat key)."""
        with self._lock:
            if self._script is not None and not self._stopped and not self._finished:
                self._say(self._script.repeat())

    def stop(self) -> None:
        with self._lock:
            self._stopped = True

    def set_muted(self, muted: bool) -> None:
        self.muted = muted

    def final_transcript(self, conversation_ids: list[str]) -> Transcript | None:
        return None
