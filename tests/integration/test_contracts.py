"""Contract tests: every Planner, Analyzer and VoiceEngine implementation honours its protocol
(providers/base.py). A new implementation joins by adding a factory to the lists below."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from interview_tui.domain.clock import FakeClock
from interview_tui.domain.models import InterviewPlan, Report, Transcript, Turn
from interview_tui.providers.base import Analyzer, Planner, VoiceEngine, VoiceEvents
from interview_tui.providers.local_analyzer import LocalAnalyzer
from interview_tui.providers.local_planner import LocalPlanner
from interview_tui.providers.plan_cache import CachedPlanner, PlanCache
from interview_tui.voice.text_engine import TextVoice
from tests.doubles import JD_TEXT, ScriptedAnalyzer, ScriptedPlanner, ScriptedVoice, sample_plan, settings_for
from tests.voice_helpers import ScriptedMic, context

ANSWER = ("In my last role I designed our payments API end to end. The situation was that retried requests "
          "sometimes charged customers twice, so my task was to make every write idempotent. I added request keys "
          "with a unique constraint in PostgreSQL, moved retries into a Kafka consumer and added Prometheus alerts. "
          "As a result duplicate charges fell to zero and p99 latency dropped by thirty percent.")

Factory = Callable[[pytest.FixtureRequest, Path], Any]


def _gemini_settings(request: pytest.FixtureRequest, tmp: Path) -> Any:
    return settings_for(tmp, gemini=request.getfixturevalue("gemini_server"))


def _gemini_planner(request: pytest.FixtureRequest, tmp: Path) -> Planner:
    from interview_tui.providers.gemini import GeminiPlanner

    return GeminiPlanner(_gemini_settings(request, tmp), retry_delay_s=0.0, max_retry_delay_s=0.01)


def _gemini_analyzer(request: pytest.FixtureRequest, tmp: Path) -> Analyzer:
    from interview_tui.providers.gemini_analyzer import GeminiAnalyzer

    return GeminiAnalyzer(_gemini_settings(request, tmp), retry_delay_s=0.0, max_retry_delay_s=0.01)


def _elevenlabs(request: pytest.FixtureRequest, tmp: Path) -> VoiceEngine:
    from interview_tui.voice.elevenlabs_engine import ElevenLabsVoice

    fake = request.getfixturevalue("elevenlabs_server")
    return ElevenLabsVoice(settings_for(tmp, elevenlabs=fake), audio_factory=ScriptedMic, backoff_initial_s=0.05,
                           backoff_max_s=0.2, poll_initial_s=0.05)


PLANNERS: dict[str, Factory] = {
    "local": lambda request, tmp: LocalPlanner(),
    "cached local": lambda request, tmp: CachedPlanner(LocalPlanner(), PlanCache(tmp / "cache")),
    "gemini": _gemini_planner,
    "scripted (test double)": lambda request, tmp: ScriptedPlanner(),
}
ANALYZERS: dict[str, Factory] = {
    "local": lambda request, tmp: LocalAnalyzer(),
    "gemini": _gemini_analyzer,
    "scripted (test double)": lambda request, tmp: ScriptedAnalyzer(),
}
VOICES: dict[str, Factory] = {
    "text": lambda request, tmp: TextVoice(FakeClock()),
    "elevenlabs": _elevenlabs,
    "scripted (test double)": lambda request, tmp: ScriptedVoice(),
}


@pytest.mark.parametrize("make", PLANNERS.values(), ids=PLANNERS.keys())
def test_planner_contract(make: Factory, request: pytest.FixtureRequest, tmp_path: Path) -> None:
    planner = make(request, tmp_path)
    assert isinstance(planner, Planner) and isinstance(planner.name, str) and planner.name
    plan = planner.plan(JD_TEXT)
    assert isinstance(plan, InterviewPlan) and plan.questions
    ids = [q.id for q in plan.questions]
    assert len(set(ids)) == len(ids) and all(q.text.strip() for q in plan.questions)


@pytest.mark.parametrize("make", ANALYZERS.values(), ids=ANALYZERS.keys())
def test_analyzer_contract(make: Factory, request: pytest.FixtureRequest, tmp_path: Path) -> None:
    analyzer = make(request, tmp_path)
    assert isinstance(analyzer, Analyzer) and isinstance(analyzer.name, str) and analyzer.name
    plan = sample_plan()
    silent = analyzer.analyze(Transcript(turns=[Turn(role="agent", text=plan.questions[0].text, t=0.0)]), plan)
    assert isinstance(silent, Report) and not silent.assessable and silent.overall_score is None
    answered = analyzer.analyze(Transcript(turns=[
        Turn(role="agent", text=plan.questions[0].text, t=0.0),
        Turn(role="user", text=ANSWER, t=5.0, end_t=50.0)]), plan)
    assert isinstance(answered, Report) and answered.assessable
    assert answered.overall_score is None or 0 <= answered.overall_score <= 100


@pytest.mark.parametrize("make", VOICES.values(), ids=VOICES.keys())
def test_voice_engine_contract(make: Factory, request: pytest.FixtureRequest, tmp_path: Path) -> None:
    engine = make(request, tmp_path)
    assert isinstance(engine, VoiceEngine) and isinstance(engine.name, str) and engine.name
    assert isinstance(engine.text_input, bool)
    turns: list[Turn] = []
    spoke = threading.Event()

    def on_turn(turn: Turn) -> None:
        turns.append(turn)
        spoke.set()

    engine.start(context(), VoiceEvents(on_turn=on_turn))
    if isinstance(engine, ScriptedVoice):
        engine.say("agent", "Hello.", 0.0)
    assert spoke.wait(15), "the interviewer never spoke"
    assert turns[0].role == "agent" and turns[0].text.strip()
    started = time.monotonic()
    engine.stop()
    engine.stop()  # idempotent
    assert time.monotonic() - started < 15
    final = engine.final_transcript([])
    assert final is None or isinstance(final, Transcript)
