"""LiveSession: the in-process timer (charge at 2:00, heartbeat, warning, auto-end at 15:00), persistence of
engine events, and guarded UI callbacks — with an injected clock, never sleeping."""

from __future__ import annotations

import threading

import pytest

from interview_tui.domain.clock import FakeClock
from interview_tui.domain.lifecycle import Status
from interview_tui.domain.models import Transcript, Turn
from interview_tui.live import LiveListener, LiveSession, analyze_session, collect_transcript
from interview_tui.service import SessionService
from tests.doubles import ScriptedVoice


@pytest.fixture
def ready(funded: SessionService, sample_jd: str) -> str:
    record = funded.create(sample_jd)
    funded.run_setup(record.id)
    return record.id


def debits(svc: SessionService) -> int:
    return sum(1 for r in svc.ledger_history() if r.kind == "debit")


def test_charge_fires_once_at_two_minutes(funded: SessionService, ready: str, clock: FakeClock) -> None:
    charged = []
    live = LiveSession(funded, ready, ScriptedVoice(), clock, LiveListener(on_charged=lambda: charged.append(1)))
    live.begin()
    clock.advance(119.5)
    assert live.tick().charged is False and debits(funded) == 0
    clock.advance(0.5)
    state = live.tick()
    assert state.charged and state.elapsed_s == 120 and debits(funded) == 1
    for _ in range(5):
        clock.advance(1)
        live.tick()
    live.end()
    assert charged == [1] and debits(funded) == 1 and funded.balance() == 85


def test_end_at_90_seconds_is_free(funded: SessionService, ready: str, clock: FakeClock) -> None:
    engine = ScriptedVoice()
    live = LiveSession(funded, ready, engine, clock)
    live.begin()
    clock.advance(90)
    live.tick()
    record = live.end()
    assert engine.stop_calls == 1 and record.status is Status.ANALYZING
    assert record.duration_s == 90 and not record.charged and funded.balance() == 100
    assert live.end() == record and engine.stop_calls == 1  # idempotent


def test_heartbeat_is_written(funded: SessionService, ready: str, clock: FakeClock) -> None:
    live = LiveSession(funded, ready, ScriptedVoice(), clock)
    live.begin()
    start = clock.now()
    for _ in range(12):
        clock.advance(1)
        live.tick()
    assert funded.get(ready).last_heartbeat_at == start + 10


def test_warning_then_auto_end_at_fifteen_minutes(funded: SessionService, ready: str, clock: FakeClock) -> None:
    warnings: list[float] = []
    engine = ScriptedVoice()
    live = LiveSession(funded, ready, engine, clock, LiveListener(on_warning=warnings.append))
    live.begin()
    clock.advance(839)
    assert not live.tick().warning
    clock.advance(1)
    assert live.tick().warning and warnings == [60.0]
    clock.advance(59.9)
    assert not live.tick().ended
    clock.advance(0.1)
    state = live.tick()
    assert state.ended and state.remaining_s == 0 and engine.stopped.is_set()
    record = funded.get(ready)
    assert record.status is Status.ANALYZING and record.duration_s == 900 and record.charged
    assert live.end_reason == "The 15-minute limit was reached." and warnings == [60.0]


def test_engine_events_from_another_thread_are_persisted(funded: SessionService, ready: str,
                                                         clock: FakeClock) -> None:
    seen: list[Turn] = []
    engine = ScriptedVoice()
    live = LiveSession(funded, ready, engine, clock, LiveListener(on_turn=seen.append))
    live.begin()
    assert engine.events is not None and engine.context is not None
    assert engine.context.plan.questions[0].id == "q1"

    def speak() -> None:
        engine.events.on_conversation_id("conv_1")
        engine.events.on_turn(Turn(role="agent", text="Tell me about a system you designed.", t=0.5))
        engine.events.on_turn(Turn(role="user", text="I designed our payment ledger.", t=4.0))
        engine.events.on_conversation_id("conv_1")

    worker = threading.Thread(target=speak)
    worker.start()
    worker.join()
    assert len(seen) == 2  # the UI heard them at once
    assert funded.get(ready).live_transcript == []  # persisted on the timer thread
    live.tick()
    record = funded.get(ready)
    assert [t.text for t in record.live_transcript] == ["Tell me about a system you designed.",
                                                        "I designed our payment ledger."]
    assert record.conversation_ids == ["conv_1"]


def test_engine_ending_by_itself_ends_the_session(funded: SessionService, ready: str, clock: FakeClock) -> None:
    engine = ScriptedVoice()
    live = LiveSession(funded, ready, engine, clock)
    live.begin()
    clock.advance(130)
    assert engine.events is not None
    engine.events.on_turn(Turn(role="agent", text="Thanks, that's all.", t=129))
    engine.events.on_ended("The interviewer ended the call.")
    state = live.tick()
    assert state.ended and live.end_reason == "The interviewer ended the call."
    record = funded.get(ready)
    assert record.status is Status.ANALYZING and record.charged and len(record.live_transcript) == 1


def test_an_exception_in_a_ui_callback_does_not_end_the_call(funded: SessionService, ready: str,
                                                             clock: FakeClock) -> None:
    def broken(*_: object) -> None:
        raise RuntimeError("widget exploded")

    engine = ScriptedVoice()
    listener = LiveListener(on_turn=broken, on_level=broken, on_status=broken, on_charged=broken)
    live = LiveSession(funded, ready, engine, clock, listener)
    live.begin()
    assert engine.events is not None
    engine.events.on_turn(Turn(role="user", text="still here", t=1))
    engine.events.on_level(-20.0, -6.0)
    clock.advance(121)
    state = live.tick()
    assert state.charged and not state.ended and not engine.stopped.is_set()
    assert [t.text for t in funded.get(ready).live_transcript] == ["still here"]


def test_mute_and_typed_answers_reach_the_engine(funded: SessionService, ready: str, clock: FakeClock) -> None:
    engine = ScriptedVoice()
    live = LiveSession(funded, ready, engine, clock)
    live.begin()
    live.set_muted(True)
    live.submit_text("My answer")
    assert engine.muted == [True] and engine.typed == ["My answer"] and live.state().muted
    live.tick()
    assert funded.get(ready).live_transcript[0].text == "My answer"


def test_analysis_prefers_the_fetched_transcript(funded: SessionService, ready: str, clock: FakeClock) -> None:
    engine = ScriptedVoice()
    live = LiveSession(funded, ready, engine, clock)
    live.begin()
    assert engine.events is not None
    engine.events.on_conversation_id("c1")
    engine.events.on_turn(Turn(role="user", text="live words", t=1))
    clock.advance(30)
    live.tick()
    record = live.end()
    assert collect_transcript(engine, record).source == "live"  # fetch gave nothing: fall back
    engine.final = Transcript(turns=[Turn(role="user", text="the authoritative words here", t=1)], source="provider")
    done = analyze_session(funded, ready, engine)
    assert done.status is Status.COMPLETE and done.transcript is not None
    assert [(t.role, t.text, t.t) for t in done.transcript.turns] == [(t.role, t.text, t.t) for t in engine.final.turns]
    assert done.transcript.source == "provider" and done.transcript.turns[0].end_t is not None  # timed for metrics
    assert done.report is not None and done.report.summary == "4 candidate words"


class _BrokenMic(ScriptedVoice):
    name = "broken-mic"

    def start(self, context, events) -> None:
        from interview_tui.domain.errors import ProviderError

        raise ProviderError("No microphone was found. Plug one in, or answer in text mode.", retryable=False)


def test_an_engine_that_cannot_start_leaves_the_session_ready(funded: SessionService, ready: str,
                                                              clock: FakeClock) -> None:
    from interview_tui.domain.errors import ProviderError

    live = LiveSession(funded, ready, _BrokenMic(), clock)
    with pytest.raises(ProviderError, match="No microphone"):
        live.begin()
    record = funded.get(ready)
    assert record.status is Status.READY and record.started_at is None
    text = ScriptedVoice()
    LiveSession(funded, ready, text, clock).begin()  # the same session goes on in text mode
    assert funded.get(ready).status is Status.ACTIVE and text.context is not None


def test_engines_survive_callbacks_that_raise(clock: FakeClock) -> None:
    """guard_events wraps every callback of any VoiceEvents subclass; the text engine goes on regardless."""
    from interview_tui.providers.base import VoiceContext, guard_events
    from interview_tui.voice.text_engine import TextVoice
    from tests.doubles import sample_plan

    calls: list[str] = []

    def boom(*_: object) -> None:
        calls.append("boom")
        raise RuntimeError("UI bug")

    guarded_listener = guard_events(LiveListener(on_turn=boom, on_charged=boom))
    guarded_listener.on_turn(Turn(role="user", text="x", t=0))
    guarded_listener.on_charged()
    assert calls == ["boom", "boom"] and isinstance(guarded_listener, LiveListener)

    engine = TextVoice(clock=clock)
    engine.start(VoiceContext(session_id="s", plan=sample_plan(), started_at=clock.now()),
                 LiveListener(on_turn=boom, on_status=boom))
    engine.submit_text("I designed and ran the payments ledger migration, end to end, over three months.")
    assert calls.count("boom") >= 5  # greeting, question, answer, next question, status — all survived


def test_an_agent_correction_replaces_the_interrupted_turn(funded: SessionService, ready: str,
                                                           clock: FakeClock) -> None:
    engine = ScriptedVoice()
    live = LiveSession(funded, ready, engine, clock)
    live.begin()
    assert engine.events is not None
    said = Turn(role="agent", text="Tell me about a time you led a migration and what", t=5, conversation_id="c1")
    engine.events.on_turn(said)
    engine.events.on_turn(Turn(role="user", text="Sure.", t=9, conversation_id="c1"))
    engine.events.on_turn(said.model_copy(update={"text": "Tell me about a time you led a migration",
                                                  "interrupted": True}))
    live.tick()
    turns = funded.get(ready).live_transcript
    assert [t.text for t in turns] == ["Tell me about a time you led a migration", "Sure."] and turns[0].interrupted
    # an interrupted turn that corrects nothing (another time, or another conversation) is a new turn
    engine.events.on_turn(Turn(role="agent", text="Next", t=12, conversation_id="c1", interrupted=True))
    engine.events.on_turn(Turn(role="agent", text="Again", t=12, conversation_id="c2", interrupted=True))
    live.tick()
    assert [t.text for t in funded.get(ready).live_transcript] == [
        "Tell me about a time you led a migration", "Sure.", "Next", "Again"]
