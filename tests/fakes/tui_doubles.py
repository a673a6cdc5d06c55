"""Deterministic providers and a scriptable voice engine for the TUI's snapshot tests.

They implement the provider protocols (providers/base.py) — nothing in the app is patched. `gate` events let a
test hold a planner or analyzer mid-call to photograph the progress screens.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path

from interview_tui.domain.clock import FakeClock
from interview_tui.domain.errors import ProviderError
from interview_tui.domain.models import (
    DimensionScore,
    DomainTrack,
    Evidence,
    ExperienceLevel,
    Highlight,
    InterviewPlan,
    Question,
    QuestionFeedback,
    QuestionKind,
    Recommendation,
    Report,
    SkillCoverage,
    SpeechMetrics,
    Transcript,
    Turn,
    Verification,
)
from interview_tui.engines import EngineChoice, Engines
from interview_tui.providers.base import VoiceContext, VoiceEvents, VoiceStatus
from interview_tui.service import SessionService
from interview_tui.store.db import Store

JD_TEXT = (
    "Senior Backend Engineer (Python). We are hiring a senior backend engineer to design, build and operate "
    "our payments APIs. You will own services written in Python with FastAPI and PostgreSQL, run them on "
    "Kubernetes in AWS, and mentor two junior engineers. Requirements: five or more years building "
    "production web services, strong SQL and data modelling, experience with message queues such as Kafka, "
    "observability with Prometheus, and clear written communication."
)

MARKUP_JD = (
    "Platform engineer wanted [bold]x[/bold] and [link=http://a]y[/link] plus \x1b[31mred\x1b[0m text. "
    "You will build and run our Python services on Kubernetes, write clear design documents, review code, "
    "mentor colleagues, and keep the on-call rotation calm with good monitoring, alerting and runbooks. "
    "Requirements: strong Python, Linux, networking and SQL skills."
)


def sample_plan(role_title: str = "Senior Backend Engineer (Python)") -> InterviewPlan:
    return InterviewPlan(
        questions=[
            Question(id="q1", text="Tell me about a backend service you designed and what you would change now.",
                     kind=QuestionKind.BEHAVIOURAL, skill="system design"),
            Question(id="q2", text="How would you model idempotent payment requests in PostgreSQL?",
                     kind=QuestionKind.TECHNICAL, skill="sql"),
            Question(id="q3", text="A Kafka consumer falls behind during a sale. What do you do first?",
                     kind=QuestionKind.SITUATIONAL, skill="kafka"),
            Question(id="q4", text="Describe a time you mentored a junior engineer through a hard problem.",
                     kind=QuestionKind.BEHAVIOURAL, skill="mentoring"),
        ],
        detected_skills=["python", "fastapi", "postgresql", "kubernetes", "aws", "kafka", "prometheus"],
        experience_level=ExperienceLevel.SENIOR,
        domain_track=DomainTrack.BACKEND,
        role_title=role_title,
        engine="scripted",
    )


def sample_report(summary: str = "A solid, structured interview with concrete examples.") -> Report:
    return Report(
        assessable=True,
        summary=summary,
        overall_score=72,
        dimensions=[
            DimensionScore(name="Relevance to the JD", score=78, rationale="Answers stayed on payments work."),
            DimensionScore(name="Structure (STAR)", score=64, rationale="Results were often left implicit."),
            DimensionScore(name="Depth / role knowledge", score=81, rationale="Idempotency keys well explained."),
            DimensionScore(name="Communication", score=45, rationale="Long pauses before two answers."),
        ],
        questions=[
            QuestionFeedback(question_id="q1", question=sample_plan().questions[0].text, asked=True, score=74,
                             strengths="Clear ownership of the design.", improvements="Quantify the outcome.",
                             evidence=[Evidence(quote="we cut p99 latency in half", t=42.0, verified=True)]),
            QuestionFeedback(question_id="q2", question=sample_plan().questions[1].text, asked=True, score=80,
                             strengths="Unique constraint plus request key.", improvements=""),
            QuestionFeedback(question_id="q3", question=sample_plan().questions[2].text, asked=False),
        ],
        highlights=[Highlight(text="Concrete latency result",
                              evidence=Evidence(quote="we cut p99 latency in half", t=42.0, verified=True))],
        recommendations=[Recommendation(text="Close every story with a measurable result.",
                                        drill="Rewrite two answers ending with a number.")],
        skill_coverage=[SkillCoverage(skill="postgresql", coverage="strong", note="idempotency"),
                        SkillCoverage(skill="kafka", coverage="none", note="not reached")],
        metrics=SpeechMetrics(candidate_words=412, candidate_talk_s=170.0, words_per_minute=145.3, filler_count=9,
                              fillers_per_minute=3.2, fillers_per_100_words=2.2, top_fillers=["um", "like"],
                              answer_count=3, answer_lengths_s=[60.0, 50.0, 60.0], mean_answer_s=56.7,
                              median_response_latency_s=1.4, long_pauses=2, timing_available=True),
        verification=Verification(claims_total=3, claims_verified=2, claims_dropped=1),
        engine="scripted analyzer",
    )


@dataclass
class ScriptedPlanner:
    plan_result: InterviewPlan = field(default_factory=sample_plan)
    failures: int = 0
    gate: threading.Event | None = None
    name: str = "scripted planner"
    calls: int = 0

    def plan(self, jd_text: str) -> InterviewPlan:
        self.calls += 1
        if self.gate is not None:
            self.gate.wait(30)
        if self.failures > 0:
            self.failures -= 1
            raise ProviderError("The planner is unavailable right now (HTTP 503 after one automatic retry). "
                                "Press r to try again in a moment.")
        return self.plan_result


@dataclass
class ScriptedAnalyzer:
    report: Report = field(default_factory=sample_report)
    failures: int = 0
    gate: threading.Event | None = None
    name: str = "scripted analyzer"

    def analyze(self, transcript: Transcript, plan: InterviewPlan) -> Report:
        if self.gate is not None:
            self.gate.wait(30)
        if self.failures > 0:
            self.failures -= 1
            raise ProviderError("The analyzer timed out after 120 s. Press r to retry.")
        return self.report


class ScriptedVoice:
    """A voice engine whose events the test fires by hand (`say`, `status`, `level`, `speaking`)."""

    def __init__(self, *, text_input: bool = False, name: str = "scripted voice") -> None:
        self.name = name
        self.text_input = text_input
        self.events: VoiceEvents | None = None
        self.context: VoiceContext | None = None
        self.stopped = False
        self.muted = False
        self.submitted: list[str] = []

    def start(self, context: VoiceContext, events: VoiceEvents) -> None:
        self.context, self.events = context, events
        events.on_conversation_id("conv-1")

    def stop(self) -> None:
        self.stopped = True

    def set_muted(self, muted: bool) -> None:
        self.muted = muted

    def submit_text(self, text: str) -> None:
        self.submitted.append(text)
        self.say("user", text, 0.0)

    def final_transcript(self, conversation_ids: list[str]) -> Transcript | None:
        return None

    # -- driving it from a test
    def say(self, role: str, text: str, t: float) -> None:
        assert self.events is not None
        self.events.on_turn(Turn(role=role, text=text, t=t))  # type: ignore[arg-type]

    def status(self, kind: str, message: str = "", attempt: int = 0) -> None:
        assert self.events is not None
        self.events.on_status(VoiceStatus(kind, message, attempt))

    def level(self, rms: float, peak: float) -> None:
        assert self.events is not None
        self.events.on_level(rms, peak)

    def speaking(self, who: str | None) -> None:
        assert self.events is not None
        self.events.on_speaking(who)  # type: ignore[arg-type]


@dataclass
class Harness:
    """Everything a TUI test needs: a store in a temp dir, a fake clock, the service and engines."""

    store: Store
    clock: FakeClock
    service: SessionService
    engines: Engines
    planner: ScriptedPlanner
    analyzer: ScriptedAnalyzer
    voices: list[ScriptedVoice]
    export_dir: Path

    @property
    def voice(self) -> ScriptedVoice:
        return self.voices[-1]


def make_harness(tmp_path: Path, *, balance: int = 30, text_input: bool = False) -> Harness:
    clock = FakeClock(1_780_000_000.0)
    store = Store.open(tmp_path / "interview.db")
    planner, analyzer = ScriptedPlanner(), ScriptedAnalyzer()
    service = SessionService(store, planner=planner, analyzer=analyzer, clock=clock)
    if balance:
        service.top_up(balance, note="welcome credits")
    voices: list[ScriptedVoice] = []

    def make_voice() -> ScriptedVoice:
        voices.append(ScriptedVoice(text_input=text_input))
        return voices[-1]

    choices = [EngineChoice("planner", planner.name, "test double"),
               EngineChoice("analyzer", analyzer.name, "test double"),
               EngineChoice("voice", "scripted voice", "test double")]
    engines = Engines(planner, analyzer, make_voice, choices)  # type: ignore[arg-type]
    return Harness(store, clock, service, engines, planner, analyzer, voices, tmp_path / "exports")


def complete_session(h: Harness, *, score: int | None, live_s: float, jd: str = JD_TEXT,
                     role_title: str = "Senior Backend Engineer (Python)") -> str:
    """Run one whole session through the service (no UI): plan, go live for `live_s`, end, analyse."""
    h.planner.plan_result = sample_plan(role_title)
    record = h.service.create(jd)
    h.service.run_setup(record.id)
    h.service.start_active(record.id, voice="scripted voice")
    h.service.append_turn(record.id, Turn(role="agent", text=sample_plan().questions[0].text, t=1.0))
    h.service.append_turn(record.id, Turn(role="user", text="I designed the payments API.", t=8.0))
    h.clock.advance(live_s)
    h.service.end(record.id)
    report = sample_report()
    if score is None:
        report = Report(assessable=False, summary="Not enough to assess: the candidate said very little.")
    else:
        report = report.model_copy(update={"overall_score": score})
    h.analyzer.report = report
    h.service.run_analysis(record.id)
    h.clock.advance(86_400)
    return record.id
