"""Continue after a quit or crash (issue 11, problem 5): a paused session is continued by a new conversation that
picks up at the next unanswered question — same session, still one charge, both conversation ids, transcripts
merged in order — or ended and analysed. Real SDK against the fake ElevenLabs server; a text-mode run in the TUI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from interview_tui.bootstrap import make_service
from interview_tui.domain.clock import FakeClock
from interview_tui.domain.lifecycle import Status
from interview_tui.domain.models import Turn
from interview_tui.domain.resume_point import next_question_index
from interview_tui.live import LiveSession, collect_transcript
from interview_tui.store.db import Store
from interview_tui.voice.elevenlabs_engine import ElevenLabsVoice
from tests.doubles import ScriptedAnalyzer, ScriptedMic, ScriptedPlanner, sample_plan, settings_for
from tests.fakes.elevenlabs_server import FakeElevenLabs

FAST = {"backoff_initial_s": 0.05, "backoff_max_s": 0.2, "poll_initial_s": 0.05, "transcript_deadline_s": 5.0}


def _advance(live: LiveSession, clock: FakeClock, seconds: int) -> None:
    for _ in range(seconds):
        clock.advance(1.0)
        live.tick()


def _say_user(conn, text: str) -> None:  # type: ignore[no-untyped-def]
    """The fake agent's ASR hears `text` (the SDK gets a user_transcript; the provider keeps the turn)."""
    conn.record.turns.append({"role": "user", "message": text, "time_in_call_secs": int(conn.t())})
    conn.send_raw({"type": "user_transcript", "user_transcription_event": {"user_transcript": text,
                                                                            "event_id": 900}})


def test_next_question_index() -> None:
    plan = sample_plan()
    q1, q2 = (q.text for q in plan.questions[:2])
    agent = lambda text, t: Turn(role="agent", text=text, t=t)  # noqa: E731
    user = lambda text, t: Turn(role="user", text=text, t=t)  # noqa: E731
    assert next_question_index(plan, []) == 0
    assert next_question_index(plan, [agent("Hello!", 0)]) == 0
    assert next_question_index(plan, [agent(q1, 0)]) == 0  # asked, not answered yet
    assert next_question_index(plan, [agent(q1, 0), user("Sorry?", 3)]) == 0  # not an answer
    assert next_question_index(plan, [agent(q1, 0), user("I designed our billing system.", 9)]) == 1
    assert next_question_index(plan, [agent(q1, 0), user("I designed our billing system.", 9),
                                      agent(f"Thanks. {q2}", 40), user("With an idempotency key.", 50)]) == 2


def test_continue_after_a_crash_through_the_fake_server(db_path: Path, clock: FakeClock, sample_jd: str,
                                                        elevenlabs_server: FakeElevenLabs, tmp_path: Path) -> None:
    fake = elevenlabs_server
    plan = sample_plan()
    store_a = Store.open(db_path)
    a = make_service(store_a, planner=ScriptedPlanner(), analyzer=ScriptedAnalyzer(), clock=clock)
    a.top_up(15)
    sid = a.create(sample_jd).id
    a.run_setup(sid)
    engine_a = ElevenLabsVoice(settings_for(tmp_path, elevenlabs=fake), clock=clock, audio_factory=ScriptedMic, **FAST)
    live_a = LiveSession(a, sid, engine_a, clock)
    live_a.begin()
    first = fake.wait_connection(1)
    first.send_agent(plan.questions[0].text)
    _advance(live_a, clock, 40)
    _say_user(first, "I designed the billing platform end to end, with a ledger in PostgreSQL.")
    assert first.wait(lambda: any(t.role == "user" for t in engine_a._turns))
    _advance(live_a, clock, 90)  # 130 s live: charged
    assert a.get(sid).charged
    # The process dies: no settling, no goodbye (its engine is cut, its owner looks dead to the next process).
    engine_a.stop()
    store_a.conn.execute("UPDATE interview_sessions SET owner = 'deadhost:1' WHERE id = ?", (sid,))
    store_a.close()
    clock.advance(600)

    store_b = Store.open(db_path)
    b = make_service(store_b, planner=ScriptedPlanner(), analyzer=ScriptedAnalyzer(), clock=clock)
    [paused] = b.recover()
    assert paused.interrupted and paused.live_seconds(clock.now()) == pytest.approx(130, abs=1)
    engine_b = ElevenLabsVoice(settings_for(tmp_path, elevenlabs=fake), clock=clock, audio_factory=ScriptedMic, **FAST)
    live_b = LiveSession(b, sid, engine_b, clock)
    record = live_b.begin()
    assert record.status is Status.ACTIVE and record.owner == b.owner and record.ended_at is None
    second = fake.wait_connection(2)
    # The new conversation picks up at question 2: no second greeting, only the remaining questions.
    override = second.init["conversation_config_override"]["agent"]["first_message"]
    assert override.startswith("Welcome back") and plan.questions[1].text in override
    remaining = "\n".join(f"{n}. {q.text}" for n, q in enumerate(plan.questions[1:], 2))
    assert second.init["dynamic_variables"]["questions"] == remaining
    assert live_b.state().elapsed_s == pytest.approx(130, abs=1)  # the pause was not counted
    _advance(live_b, clock, 5)
    _say_user(second, "I would store an idempotency key with a unique constraint.")
    assert second.wait(lambda: any(t.role == "user" for t in engine_b._turns))
    _advance(live_b, clock, 25)
    ended = live_b.end()
    assert ended is not None and ended.status is Status.ANALYZING
    assert ended.duration_s == pytest.approx(160, abs=1)
    assert ended.conversation_ids == [first.conversation_id, second.conversation_id]
    assert [r.kind for r in b.ledger_history()].count("debit") == 1 and b.balance() == 0
    transcript = collect_transcript(ElevenLabsVoice(settings_for(tmp_path, elevenlabs=fake), **FAST), ended)
    assert transcript.source != "live"
    users = [(t.text[:20], t.t) for t in transcript.turns if t.role == "user"]
    assert [u[0] for u in users] == ["I designed the billi", "I would store an ide"]
    assert users[0][1] < 130 <= users[1][1] < 170  # merged on the session's time line, in order
    store_b.close()


@pytest.mark.anyio
async def test_continue_in_the_app_after_a_quit(tmp_path: Path) -> None:
    from interview_tui.engines import EngineChoice
    from interview_tui.voice.text_engine import TextVoice
    from tests.fakes.tui_pilot import new_app, offline_runtime, plan_and_begin, wait_for, wait_for_screen

    clock = FakeClock()
    runtime = offline_runtime(settings_for(tmp_path), clock, lambda: TextVoice(clock),
                              [EngineChoice("voice", "text mode", "test")])
    service, store = runtime.service, runtime.store

    app = new_app(runtime, tmp_path)
    async with app.run_test(size=(100, 32)) as pilot:
        await plan_and_begin(pilot)
        live = app.screen.live
        clock.advance(50)
        live.submit_text("I led the ledger migration: I split the writes, added idempotency keys and cut "
                         "duplicate charges to zero within a quarter.")
        clock.advance(20)
        await pilot.pause(0.3)
        await pilot.press("ctrl+q")
        await wait_for_screen(pilot, "ConfirmQuitDialog")
        await pilot.press("y")
    [record] = service.list_sessions()
    assert record.interrupted and record.live_seconds(clock.now()) == pytest.approx(70, abs=1)
    asked_before = [t.text for t in record.live_transcript if t.role == "agent"]
    clock.advance(3600)  # back an hour later

    app = new_app(runtime, tmp_path, None)
    async with app.run_test(size=(100, 32)) as pilot:
        await wait_for_screen(pilot, "ResumeDialog")
        await pilot.press("r")  # Continue
        await wait_for(pilot, lambda: getattr(app.screen, "ticker", None) is not None, description="continued")
        await pilot.pause(0.3)
        assert app.screen.live.state().elapsed_s == pytest.approx(70, abs=1)
        clock.advance(60)
        await pilot.pause(0.3)
    record = service.get(record.id)
    agent_after = [t.text for t in record.live_transcript if t.role == "agent"][len(asked_before):]
    plan = record.plan
    assert plan is not None
    assert agent_after[0].startswith("Welcome back") and "question 2 of" in agent_after[0]
    assert agent_after[1] == plan.questions[1].text  # picks up at the next unanswered question
    assert not any(plan.questions[0].text in line for line in agent_after)
    assert record.live_seconds(clock.now()) == pytest.approx(130, abs=2)
    assert record.charged and [r.kind for r in service.ledger_history()].count("debit") == 1
    assert json.dumps([t.t for t in record.live_transcript]) == json.dumps(sorted(t.t for t in record.live_transcript))
    store.close()
