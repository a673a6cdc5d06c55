"""Test doubles for the provider protocols (the outside world), used where a test is about the lifecycle and
not about a planner or analyzer. Our own code is never patched: these are passed in like any provider."""

from __future__ import annotations

import threading

from interview_tui.domain.errors import ProviderError
from interview_tui.domain.models import (
    DomainTrack,
    ExperienceLevel,
    InterviewPlan,
    Question,
    QuestionKind,
    Report,
    Transcript,
    Turn,
)
from interview_tui.providers.base import VoiceContext, VoiceEvents


def sample_plan() -> InterviewPlan:
    return InterviewPlan(
        questions=[
            Question(id="q1", text="Tell me about a system you designed end to end.", kind=QuestionKind.BEHAVIOURAL,
                     skill="System design"),
            Question(id="q2", text="How would you make a payment API idempotent?", kind=QuestionKind.TECHNICAL,
                     skill="API design"),
        ],
        detected_skills=["Python", "PostgreSQL"],
        experience_level=ExperienceLevel.SENIOR,
        domain_track=DomainTrack.BACKEND,
        role_title="Senior Backend Engineer",
        engine="static",
    )


class StaticPlanner:
    """Returns a fixed plan; can be told to fail the next N calls."""

    name = "static"

    def __init__(self) -> None:
        self.calls = 0
        self.fail_next: list[ProviderError] = []

    def plan(self, jd_text: str) -> InterviewPlan:
        self.calls += 1
        if self.fail_next:
            raise self.fail_next.pop(0)
        return sample_plan()


class StaticAnalyzer:
    name = "static"

    def __init__(self) -> None:
        self.seen: list[Transcript] = []
        self.fail_next: list[ProviderError] = []

    def analyze(self, transcript: Transcript, plan: InterviewPlan) -> Report:
        self.seen.append(transcript)
        if self.fail_next:
            raise self.fail_next.pop(0)
        words = sum(len(t.text.split()) for t in transcript.turns if t.role == "user")
        return Report(assessable=words > 0, summary=f"{words} candidate words", overall_score=50 if words else None)


class ScriptedVoice:
    """A voice engine double: records calls; the test drives events from another thread like a real engine."""

    name = "scripted"
    text_input = True

    def __init__(self) -> None:
        self.events: VoiceEvents | None = None
        self.context: VoiceContext | None = None
        self.stopped = threading.Event()
        self.stop_calls = 0
        self.muted: list[bool] = []
        self.typed: list[str] = []
        self.final: Transcript | None = None

    def start(self, context: VoiceContext, events: VoiceEvents) -> None:
        self.context, self.events = context, events

    def stop(self) -> None:
        self.stop_calls += 1
        self.stopped.set()

    def set_muted(self, muted: bool) -> None:
        self.muted.append(muted)

    def submit_text(self, text: str) -> None:
        self.typed.append(text)
        assert self.events is not None
        self.events.on_turn(Turn(role="user", text=text, t=1.0))

    def final_transcript(self, conversation_ids: list[str]) -> Transcript | None:
        return self.final
