"""The one set of test doubles: deterministic providers, a scriptable voice engine, sample data, settings for a
temp home, the TUI harness, and a voice engine's edges (scripted microphones, a recorder of its events). They
implement the provider protocols (providers/base.py) and are passed in like any provider — nothing in the app is
patched. The outside world's fakes (Gemini, ElevenLabs, PulseAudio) are servers in `tests/fakes/`.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from interview_tui.bootstrap import Runtime, make_service, open_runtime
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
from interview_tui.paths import AppPaths
from interview_tui.providers.base import VoiceContext, VoiceEvents, VoiceStatus
from interview_tui.service import SessionService
from interview_tui.settings import Secret, Settings
from interview_tui.store.db import Store

if TYPE_CHECKING:
    from tests.fakes.elevenlabs_server import FakeElevenLabs
    from tests.fakes.gemini_server import FakeGeminiServer
    from tests.fakes.pulse import PulseDevices

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

GEMINI_TEST_TIMEOUT_S = 2.0
"""The Gemini client's timeout in tests: short, so the slow-answer cases stay fast."""

MakeService = Callable[..., SessionService]
"""The type of the `make_service` fixture (tests/conftest.py)."""

PLANNER_DOWN = ("The planner is unavailable right now (HTTP 503 after one automatic retry). Press r to try again "
                "in a moment.")
ANALYZER_DOWN = "The analyzer timed out after 120 s. Press r to retry."


# ------------------------------------------------------------------------------------------------ sample data

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


def word_count_report(transcript: Transcript) -> Report:
    """A report that only counts the candidate's words: assessable iff they said anything."""
    words = sum(len(t.text.split()) for t in transcript.turns if t.role == "user")
    return Report(assessable=words > 0, summary=f"{words} candidate words", overall_score=50 if words else None)


# ------------------------------------------------------------------------------------------------ providers

@dataclass(slots=True)  # a misspelt attribute (say `failures`) fails loudly instead of doing nothing
class ScriptedPlanner:
    """Returns `plan_result`; raises the errors queued in `fail_next` first; `gate` holds it mid-call."""

    plan_result: InterviewPlan = field(default_factory=sample_plan)
    fail_next: list[ProviderError] = field(default_factory=list)
    gate: threading.Event | None = None
    name: str = "scripted planner"
    calls: int = 0
    attempts: list[int] = field(default_factory=list)
    """The `attempt` of each call, in order."""

    def fail(self, times: int = 1, message: str = PLANNER_DOWN) -> None:
        self.fail_next += [ProviderError(message) for _ in range(times)]

    def plan(self, jd_text: str, attempt: int = 0) -> InterviewPlan:
        self.calls += 1
        self.attempts.append(attempt)
        if self.gate is not None:
            self.gate.wait(30)
        if self.fail_next:
            raise self.fail_next.pop(0)
        return self.plan_result


@dataclass(slots=True)
class ScriptedAnalyzer:
    """Returns `report` (or, when None, `word_count_report`); records each transcript it is given."""

    report: Report | None = None
    fail_next: list[ProviderError] = field(default_factory=list)
    gate: threading.Event | None = None
    name: str = "scripted analyzer"
    seen: list[Transcript] = field(default_factory=list)

    def fail(self, times: int = 1, message: str = ANALYZER_DOWN) -> None:
        self.fail_next += [ProviderError(message) for _ in range(times)]

    def analyze(self, transcript: Transcript, plan: InterviewPlan) -> Report:
        self.seen.append(transcript)
        if self.gate is not None:
            self.gate.wait(30)
        if self.fail_next:
            raise self.fail_next.pop(0)
        return self.report if self.report is not None else word_count_report(transcript)


class ScriptedVoice:
    """A voice engine whose events the test fires (`say`, `status`, `level`, `speaking`), from any thread like a
    real engine's. Records what the session asked of it."""

    def __init__(self, *, text_input: bool = True, name: str = "scripted", conversation_id: str | None = None,
                 answer_at: float = 1.0) -> None:
        self.name = name
        self.text_input = text_input
        self.conversation_id = conversation_id
        self.answer_at = answer_at
        """The `t` of the turn a typed answer becomes."""
        self.events: VoiceEvents | None = None
        self.context: VoiceContext | None = None
        self.stopped = threading.Event()
        self.stop_calls = 0
        self.muted: list[bool] = []
        self.typed: list[str] = []
        self.final: Transcript | None = None

    def start(self, context: VoiceContext, events: VoiceEvents) -> None:
        self.context, self.events = context, events
        if self.conversation_id:
            events.on_conversation_id(self.conversation_id)

    def stop(self) -> None:
        self.stop_calls += 1
        self.stopped.set()

    def set_muted(self, muted: bool) -> None:
        self.muted.append(muted)

    def submit_text(self, text: str) -> None:
        self.typed.append(text)
        self.say("user", text, self.answer_at)

    def final_transcript(self, conversation_ids: list[str]) -> Transcript | None:
        return self.final

    # -- driving it from a test
    def say(self, role: str, text: str, t: float) -> None:
        assert self.events is not None
        self.events.on_turn(Turn(role=role, text=text, t=t))  # type: ignore[arg-type]

    def status(self, kind: str, message: str = "", attempt: int = 0) -> None:
        assert self.events is not None
        self.events.on_status(VoiceStatus(kind, message, attempt))  # type: ignore[arg-type]

    def level(self, rms: float, peak: float) -> None:
        assert self.events is not None
        self.events.on_level(rms, peak)

    def speaking(self, who: str | None) -> None:
        assert self.events is not None
        self.events.on_speaking(who)  # type: ignore[arg-type]


def scripted_engines(planner: Any, analyzer: Any, make_voice: Any, voice_name: str = "scripted voice") -> Engines:
    """`Engines` over test providers, each described as a test double."""
    choices = [EngineChoice("planner", planner.name, "test double"),
               EngineChoice("analyzer", analyzer.name, "test double"),
               EngineChoice("voice", voice_name, "test double")]
    return Engines(planner, analyzer, make_voice, choices)


# ------------------------------------------------------------------------------------------------ settings

def settings_for(home: Path, *, gemini: FakeGeminiServer | None = None, elevenlabs: FakeElevenLabs | None = None,
                 devices: PulseDevices | None = None, **overrides: Any) -> Settings:
    """Settings with every file under `home`, pointing the real SDKs at the given fake servers and the audio at
    the given PulseAudio test devices. `overrides` are `Settings` fields (e.g. gemini_timeout_s)."""
    paths = AppPaths(data_dir=home, config_dir=home, db_path=home / "interview.db")
    fields: dict[str, Any] = {}
    if gemini is not None:
        fields |= {"gemini_api_key": Secret(gemini.api_key), "gemini_base_url": gemini.url,
                   "gemini_model": "gemini-2.5-pro", "gemini_timeout_s": GEMINI_TEST_TIMEOUT_S}
    if elevenlabs is not None:
        from tests.fakes.elevenlabs_server import API_KEY, DEFAULT_AGENT

        fields |= {"elevenlabs_api_key": Secret(API_KEY), "elevenlabs_agent_id": DEFAULT_AGENT,
                   "elevenlabs_base_url": elevenlabs.base_url, "input_device": "pulse", "output_device": "pulse"}
    if devices is not None:
        fields |= {"input_device": devices.input_device, "output_device": devices.output_device}
    return Settings(paths=paths, **(fields | overrides))


# ------------------------------------------------------------------------------------------------ the TUI harness

@dataclass
class Harness:
    """Everything a TUI test needs: the runtime (store in a temp dir, fake clock, service, engines) built by the
    composition root, with scripted providers."""

    runtime: Runtime
    planner: ScriptedPlanner
    analyzer: ScriptedAnalyzer
    voices: list[ScriptedVoice]
    export_dir: Path

    @property
    def store(self) -> Store:
        return self.runtime.store

    @property
    def clock(self) -> FakeClock:
        return self.runtime.clock  # type: ignore[return-value]

    @property
    def service(self) -> SessionService:
        return self.runtime.service

    @property
    def engines(self) -> Engines:
        return self.runtime.engines

    @property
    def voice(self) -> ScriptedVoice:
        return self.voices[-1]


def make_harness(tmp_path: Path, *, balance: int = 30, text_input: bool = False) -> Harness:
    planner = ScriptedPlanner()
    analyzer = ScriptedAnalyzer(report=sample_report())
    voices: list[ScriptedVoice] = []

    def make_voice() -> ScriptedVoice:
        voices.append(ScriptedVoice(text_input=text_input, name="scripted voice", conversation_id="conv-1",
                                    answer_at=0.0))
        return voices[-1]

    runtime = open_runtime(settings_for(tmp_path), clock=FakeClock(1_780_000_000.0),
                           engines=scripted_engines(planner, analyzer, make_voice))
    if balance:
        runtime.service.top_up(balance, note="welcome credits")
    return Harness(runtime, planner, analyzer, voices, tmp_path / "exports")


def finished_session(db: Path, jd: str, report: Report, *, live_s: float = 130.0) -> str:
    """A session run through the service in the database file `db` (plan, typed answers live for `live_s`, end,
    analysis with `report`); returns its id. The store is closed again, as a CLI test needs."""
    clock = FakeClock()
    store = Store.open(db)
    try:
        service = make_service(store, planner=ScriptedPlanner(), analyzer=ScriptedAnalyzer(report=report),
                               clock=clock)
        service.top_up(30)
        record = service.create(jd)
        service.run_setup(record.id)
        service.start_active(record.id, voice="text")
        clock.advance(live_s)
        service.end(record.id)
        service.run_analysis(record.id)
        return record.id
    finally:
        store.close()


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


# ------------------------------------------------------------------ voice engines: their edges


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
