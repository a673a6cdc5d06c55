"""Contract tests: every Planner, Analyzer and VoiceEngine implementation honours its protocol
(providers/base.py). A new implementation joins by adding a factory to the lists below (a voice engine: a
`VoiceCase`, saying how its candidate answers; engines that need audio devices run on the PulseAudio test
devices and carry the `audio` marker)."""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, get_args

import pytest

from interview_tui.domain.models import InterviewPlan, Report, Transcript, Turn
from interview_tui.providers.base import Analyzer, Planner, VoiceEngine, VoiceName, VoiceStatusKind
from interview_tui.providers.local_analyzer import LocalAnalyzer
from interview_tui.providers.local_planner import LocalPlanner
from interview_tui.providers.plan_cache import CachedPlanner, PlanCache
from interview_tui.voice.text_engine import TextVoice
from tests.doubles import (
    JD_TEXT,
    Recorder,
    ScriptedAnalyzer,
    ScriptedPlanner,
    ScriptedVoice,
    SpeakingMic,
    context,
    sample_plan,
    settings_for,
)
from tests.fakes.elevenlabs_server import FakeElevenLabs, tone
from tests.fakes.pulse import espeak_pcm

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
@pytest.mark.parametrize("make", PLANNERS.values(), ids=PLANNERS.keys())
def test_planner_contract(make: Factory, request: pytest.FixtureRequest, tmp_path: Path) -> None:
    planner = make(request, tmp_path)
    assert isinstance(planner, Planner) and isinstance(planner.name, str) and planner.name
    plan = planner.plan(JD_TEXT)
    assert isinstance(plan, InterviewPlan) and plan.questions
    ids = [q.id for q in plan.questions]
    assert len(set(ids)) == len(ids) and all(q.text.strip() for q in plan.questions)
    retry = planner.plan(JD_TEXT, attempt=1)  # a second session with the same JD
    assert isinstance(retry, InterviewPlan) and retry.questions


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


# ------------------------------------------------------------------------------------------------ voice engines

SPOKEN = "I led the migration of our payment service and we had no downtime."
"""What the candidate says into a microphone (espeak-ng speech on the PulseAudio mic; the fake server's ASR
transcribes an utterance as the next of `Behaviour.user_transcripts`)."""

CALLBACKS = {"on_turn", "on_status", "on_level", "on_speaking", "on_conversation_id", "on_ended"}


@dataclass(frozen=True)
class VoiceCase:
    """How to run one `VoiceEngine` implementation through the contract: build it, and make its candidate answer
    once (typing, speaking into a microphone, or scripting the double)."""

    make: Callable[[pytest.FixtureRequest, Path], VoiceEngine]
    answer: Callable[[VoiceEngine, pytest.FixtureRequest, Recorder], None]
    heard_as: str | None
    """The user turn's exact text, where it is known (None: speech recognition, any non-empty text)."""
    real_audio: bool = False
    """Runs on the PulseAudio test devices: the microphone blocks also reach `VoiceContext.mic_tap`."""
    double: bool = False
    """The test double: the test plays its interviewer, and it hands the test its events unwrapped (so tests of
    LiveSession's own callback guard stay meaningful)."""


def _type_answer(engine: VoiceEngine, request: pytest.FixtureRequest, rec: Recorder) -> None:
    engine.submit_text(ANSWER)


def _elevenlabs_fake(request: pytest.FixtureRequest) -> FakeElevenLabs:
    fake: FakeElevenLabs = request.getfixturevalue("elevenlabs_server")
    fake.behaviour.user_transcripts = [SPOKEN]
    return fake


class _Mics:
    """An audio factory for `ElevenLabsVoice` that keeps the microphones it made (one per connection)."""

    def __init__(self) -> None:
        self.made: list[SpeakingMic] = []

    def __call__(self, **callbacks: Any) -> SpeakingMic:
        self.made.append(SpeakingMic(**callbacks))
        return self.made[-1]


def _elevenlabs_scripted_mic(request: pytest.FixtureRequest, tmp: Path) -> VoiceEngine:
    from interview_tui.voice.elevenlabs_engine import ElevenLabsVoice

    return ElevenLabsVoice(settings_for(tmp, elevenlabs=_elevenlabs_fake(request)), audio_factory=_Mics(),
                           backoff_initial_s=0.05, backoff_max_s=0.2, poll_initial_s=0.05)


def _speak_into_scripted_mic(engine: VoiceEngine, request: pytest.FixtureRequest, rec: Recorder) -> None:
    mics = getattr(engine, "audio_factory", None)
    assert isinstance(mics, _Mics) and mics.made
    mics.made[-1].speak(tone(0.8, 300))  # 0.8 s of "speech", then silence: one utterance for the server's VAD


def _elevenlabs_pulse(request: pytest.FixtureRequest, tmp: Path) -> VoiceEngine:
    from interview_tui.voice.elevenlabs_engine import ElevenLabsVoice

    request.getfixturevalue("pulse_devices")
    return ElevenLabsVoice(settings_for(tmp, elevenlabs=_elevenlabs_fake(request)), backoff_initial_s=0.05,
                           backoff_max_s=0.2, poll_initial_s=0.05)


def _local_pulse(request: pytest.FixtureRequest, tmp: Path) -> VoiceEngine:
    from interview_tui.voice.local_engine import LocalVoice

    devices = request.getfixturevalue("pulse_devices")
    return LocalVoice(settings_for(tmp, devices=devices), end_silence_s=1.2, words_per_minute=280)


def _speak_into_pulse_mic(engine: VoiceEngine, request: pytest.FixtureRequest, rec: Recorder) -> None:
    devices = request.getfixturevalue("pulse_devices")
    speech = espeak_pcm(SPOKEN)
    if engine.name == VoiceName.LOCAL:  # half duplex: it listens once the question has been spoken
        assert rec.wait(lambda: any(s.kind == "listening" for s in rec.statuses()), 60), rec.statuses()
        time.sleep(0.3)
    devices.feed(speech)


def _scripted_answer(engine: VoiceEngine, request: pytest.FixtureRequest, rec: Recorder) -> None:
    assert isinstance(engine, ScriptedVoice)
    engine.submit_text(ANSWER)  # a typed answer becomes a user turn at `answer_at`
    engine.say("agent", "Thank you. What did you learn from it?", engine.answer_at + 1)


VOICES = [
    pytest.param(VoiceCase(lambda request, tmp: TextVoice(), _type_answer, ANSWER), id="text"),
    pytest.param(VoiceCase(_elevenlabs_scripted_mic, _speak_into_scripted_mic, SPOKEN), id="elevenlabs"),
    pytest.param(VoiceCase(_elevenlabs_pulse, _speak_into_pulse_mic, SPOKEN, real_audio=True),
                 id="elevenlabs on PulseAudio", marks=pytest.mark.audio),
    pytest.param(VoiceCase(_local_pulse, _speak_into_pulse_mic, None, real_audio=True),
                 id="offline voice on PulseAudio", marks=pytest.mark.audio),
    pytest.param(VoiceCase(lambda request, tmp: ScriptedVoice(), _scripted_answer, ANSWER, double=True),
                 id="scripted (test double)"),
]


def _turns(rec: Recorder) -> list[Turn]:
    """The turns as the session stores them: a correction after a barge-in re-sends the last agent turn (same
    role, `t` and conversation, `interrupted=True`) and replaces it rather than adding a turn."""
    turns: list[Turn] = []
    for turn in rec.of("on_turn"):
        same = next((i for i, old in enumerate(turns) if turn.interrupted and old.role == turn.role
                     and old.t == turn.t and old.conversation_id == turn.conversation_id), None)
        if same is None:
            turns.append(turn)
        else:
            turns[same] = turn
    return turns


def _stop_from_two_threads(engine: VoiceEngine) -> None:
    threads = [threading.Thread(target=engine.stop) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(15)
    assert not any(thread.is_alive() for thread in threads), "stop() did not return"


@pytest.mark.parametrize("case", VOICES)
def test_voice_engine_contract(case: VoiceCase, request: pytest.FixtureRequest, tmp_path: Path) -> None:
    """Start → the interviewer speaks → the candidate answers → a user turn → the interviewer goes on; stop is
    idempotent and safe from two threads at once, and afterwards nothing more happens."""
    engine = case.make(request, tmp_path)
    assert isinstance(engine, VoiceEngine) and isinstance(engine.name, str) and engine.name
    assert isinstance(engine.text_input, bool)
    if not case.double:
        assert engine.name in set(VoiceName), "a production engine's name is a VoiceName (the session's voice)"
    # a production engine guards its callbacks: every one of ours raises, and the interview goes on regardless
    rec = Recorder(raise_in=set() if case.double else CALLBACKS)
    tapped: list[bytes] = []
    ctx = replace(context(), mic_tap=tapped.append)
    began = time.monotonic()
    engine.start(ctx, rec.events())
    assert time.monotonic() - began < 30, "start() returns once the conversation is up"
    if isinstance(engine, ScriptedVoice):
        engine.say("agent", ctx.plan.questions[0].text, 0.0)
    try:
        assert rec.wait(lambda: bool(_turns(rec)), 30), f"the interviewer never spoke: {rec.statuses()}"
        first = _turns(rec)[0]
        assert first.role == "agent" and first.text.strip()
        engine.set_muted(True)  # accepted at any time while live
        engine.set_muted(False)
        case.answer(engine, request, rec)
        assert rec.wait(lambda: any(t.role == "user" for t in _turns(rec)), 60), _turns(rec)
        user_at = next(i for i, t in enumerate(_turns(rec)) if t.role == "user")
        user = _turns(rec)[user_at]
        assert user.text.strip() and (case.heard_as is None or user.text == case.heard_as), user.text
        assert rec.wait(lambda: any(t.role == "agent" for t in _turns(rec)[user_at + 1:]), 30), \
            "the interviewer did not go on after the answer"
    finally:
        _stop_from_two_threads(engine)
        engine.stop()  # and once more: idempotent
    settled = len(_turns(rec))
    if not case.double:  # the double types whatever the test tells it to
        engine.submit_text("typed after the end")
    time.sleep(0.5)
    assert len(_turns(rec)) == settled, "a stopped engine emits no more turns"

    turns = _turns(rec)
    assert all(t.role in ("agent", "user") and t.t >= 0 for t in turns)
    assert all(a.t <= b.t for a, b in itertools.pairwise(turns)), [(t.role, t.t) for t in turns]
    assert all(t.end_t is None or t.end_t >= t.t for t in turns)
    assert {s.kind for s in rec.statuses()} <= set(get_args(VoiceStatusKind))
    assert len(rec.of("on_ended")) <= 1
    if case.real_audio:
        assert tapped and all(len(block) % 2 == 0 for block in tapped), "the mic tap got the microphone blocks"
    final = engine.final_transcript(list(rec.of("on_conversation_id")))
    assert final is None or (isinstance(final, Transcript) and any(t.role == "user" for t in final.turns))


@pytest.mark.parametrize("case", VOICES)
def test_voice_engine_stop_before_start_is_harmless(case: VoiceCase, request: pytest.FixtureRequest,
                                                    tmp_path: Path) -> None:
    """The live session stops an engine whose start failed or never ran: nothing to stop, nothing raised."""
    engine = case.make(request, tmp_path)
    engine.stop()
    engine.stop()
    engine.set_muted(True)
