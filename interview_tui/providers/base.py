"""The provider protocols `SessionService` depends on.

Each has a real implementation (Gemini, ElevenLabs) and an offline one (local planner/analyzer, local voice,
text mode). Implementations raise `ProviderError` with a human-readable message on failure, never leak keys.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field, fields, replace
from enum import StrEnum
from typing import Any, Literal, Protocol, runtime_checkable

from interview_tui.domain.models import InterviewPlan, Report, Transcript, Turn


@runtime_checkable
class Planner(Protocol):
    """Turns a validated job description into an interview plan.

    `attempt` is how many earlier sessions planned the same JD (0 the first time): a planner that can vary its
    questions gives a retry a different selection and order; the same JD and attempt give the same plan offline.
    """

    name: str

    def plan(self, jd_text: str, attempt: int = 0) -> InterviewPlan: ...


@runtime_checkable
class Analyzer(Protocol):
    """Scores a transcript against its plan."""

    name: str

    def analyze(self, transcript: Transcript, plan: InterviewPlan) -> Report: ...


# ------------------------------------------------------------------------------------------------ voice engines

Speaker = Literal["agent", "user"] | None


class VoiceName(StrEnum):
    """Each voice engine's `name` (stored as the session's `voice`); what the user reads is `EngineChoice.name`."""

    TEXT = "text"
    ELEVENLABS = "elevenlabs"
    LOCAL = "local-voice"


VoiceStatusKind = Literal["connecting", "connected", "reconnecting", "reconnected", "listening", "transcribing",
                          "muted", "unmuted", "warning", "charge-warning", "ended", "error"]
"""Every kind of `VoiceStatus` an engine or the live session reports; the Live screen handles each."""


@dataclass(frozen=True)
class VoiceStatus:
    """A change in the connection, for the UI (`kind`: see `VoiceStatusKind`; `attempt` n of max for reconnecting)."""

    kind: VoiceStatusKind
    message: str = ""
    attempt: int = 0


@dataclass
class VoiceEvents:
    """Callbacks a voice engine calls, possibly from its own threads. Every field is optional.

    The caller makes them thread-safe (the TUI posts messages); engines must guard each call so that an
    exception raised by a callback never ends the interview.
    """

    on_turn: Callable[[Turn], None] = lambda turn: None
    on_status: Callable[[VoiceStatus], None] = lambda status: None
    on_level: Callable[[float, float], None] = lambda rms_dbfs, peak_dbfs: None
    on_speaking: Callable[[Speaker], None] = lambda who: None
    on_conversation_id: Callable[[str], None] = lambda conversation_id: None
    on_ended: Callable[[str], None] = lambda reason: None
    """The engine ended by itself (agent hung up, questions ran out, fatal error). `reason` is human-readable."""


def guarded(name: str, fn: Callable[..., Any]) -> Callable[..., None]:
    """Wrap a callback so that an exception raised in it is logged and never ends the interview."""

    def call(*args: Any) -> None:
        try:
            fn(*args)
        except Exception:
            logging.getLogger(__name__).exception("callback %s raised; the interview goes on", name)

    return call


def guard_events(events: VoiceEvents) -> VoiceEvents:
    """The same events (of any VoiceEvents subclass), each callback guarded. Engines call this once in start()."""
    return replace(events, **{f.name: guarded(f.name, getattr(events, f.name)) for f in fields(events)})


@dataclass(frozen=True)
class VoiceContext:
    """What an engine needs to run one interview."""

    session_id: str
    plan: InterviewPlan
    started_at: float
    candidate_name: str = ""
    extra: dict[str, str] = field(default_factory=dict)
    first_question: int = 0
    """Index of the plan question to ask first: > 0 when an interrupted interview is continued."""
    resumed_after_s: float = 0.0
    """Live seconds the session already had before this engine started (continuing after a quit or crash)."""
    mic_tap: Callable[[bytes], None] | None = None
    """Voice engines give it every microphone block they send (16 kHz mono s16le, silence while muted), from
    their audio thread; it must not block. Set when the session is being recorded."""


@runtime_checkable
class VoiceEngine(Protocol):
    """A live interview: the interviewer speaks (or writes), the candidate answers.

    `start` returns quickly and runs the conversation on the engine's own threads; `stop` ends it and is
    idempotent and safe from any thread. `final_transcript` is called after `stop` and returns the authoritative
    transcript (fetched from the service for ElevenLabs) or None to fall back to the live one.
    """

    name: str
    text_input: bool
    """True when the candidate answers by typing (`submit_text`)."""

    def start(self, context: VoiceContext, events: VoiceEvents) -> None: ...

    def stop(self) -> None: ...

    def set_muted(self, muted: bool) -> None: ...

    def submit_text(self, text: str) -> None: ...

    def final_transcript(self, conversation_ids: list[str]) -> Transcript | None: ...
