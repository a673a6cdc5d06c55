"""The session lifecycle and billing rules (docs/ARCHITECTURE.md §2–3), through SessionService on a real database."""

from __future__ import annotations

import sqlite3

import pytest

from interview_tui.domain.clock import FakeClock
from interview_tui.domain.errors import (
    IllegalTransition,
    InsufficientCredits,
    InvalidInput,
    ProviderError,
    SessionConflict,
)
from interview_tui.domain.lifecycle import TRANSITIONS, Status, check_transition
from interview_tui.domain.models import Transcript, Turn
from interview_tui.service import SessionService
from interview_tui.store.db import Store
from tests.doubles import MakeService, ScriptedAnalyzer, ScriptedPlanner


def _live(svc: SessionService, jd: str) -> str:
    record = svc.create(jd)
    svc.run_setup(record.id)
    svc.start_active(record.id, voice="test")
    return record.id


def debits(svc: SessionService) -> int:
    return sum(1 for r in svc.ledger_history() if r.kind == "debit")


@pytest.mark.parametrize("current", list(Status))
@pytest.mark.parametrize("target", list(Status))
def test_transition_table(current: Status, target: Status) -> None:
    if target in TRANSITIONS[current]:
        check_transition(current, target)
    else:
        with pytest.raises(IllegalTransition, match=f"{current.value} cannot move to {target.value}"):
            check_transition(current, target)


def test_happy_path_statuses(funded: SessionService, clock: FakeClock, sample_jd: str) -> None:
    record = funded.create(sample_jd)
    assert record.status is Status.CREATED and record.plan is None
    assert funded.run_setup(record.id).status is Status.READY
    active = funded.start_active(record.id, voice="test")
    assert active.status is Status.ACTIVE and active.started_at == clock.now()
    clock.advance(200)
    ended = funded.end(record.id)
    assert ended.status is Status.ANALYZING and ended.duration_s == 200
    funded.append_turn(record.id, Turn(role="user", text="I built it", t=3))
    done = funded.run_analysis(record.id)
    assert done.status is Status.COMPLETE
    assert done.report is not None and done.report.summary == "3 candidate words"
    assert done.report_generated_at == clock.now()


def test_mic_on_time_is_the_start(funded: SessionService, clock: FakeClock, sample_jd: str) -> None:
    record = funded.create(sample_jd)
    funded.run_setup(record.id)
    active = funded.start_active(record.id, voice="test", mic_on_at=clock.now() - 4)
    assert active.started_at == clock.now() - 4


def test_illegal_steps_are_rejected(funded: SessionService, sample_jd: str) -> None:
    record = funded.create(sample_jd)
    with pytest.raises(IllegalTransition):
        funded.start_active(record.id, voice="test")  # not planned yet
    with pytest.raises(IllegalTransition):
        funded.end(record.id)
    funded.run_setup(record.id)
    funded.start_active(record.id, voice="test")
    with pytest.raises(IllegalTransition):
        funded.cancel(record.id)  # live sessions end, they are not discarded
    with pytest.raises(IllegalTransition):
        funded.run_setup(record.id)
    with pytest.raises(IllegalTransition):
        funded.run_analysis(record.id)


def test_end_before_two_minutes_costs_nothing(funded: SessionService, clock: FakeClock, sample_jd: str) -> None:
    sid = _live(funded, sample_jd)
    clock.advance(90)
    assert funded.ensure_charge(sid) is False
    record = funded.end(sid)
    assert not record.charged and debits(funded) == 0 and funded.balance() == 100


@pytest.mark.parametrize("live_s", [120, 121, 899])
def test_end_after_two_minutes_charges_once(funded: SessionService, clock: FakeClock, sample_jd: str,
                                            live_s: int) -> None:
    sid = _live(funded, sample_jd)
    clock.advance(live_s)
    record = funded.end(sid)
    assert record.charged and debits(funded) == 1 and funded.balance() == 85


def test_timer_charge_and_end_charge_together_charge_once(funded: SessionService, clock: FakeClock,
                                                          sample_jd: str) -> None:
    sid = _live(funded, sample_jd)
    clock.advance(120)
    assert funded.ensure_charge(sid) is True
    assert funded.ensure_charge(sid) is True
    clock.advance(60)
    funded.end(sid)
    assert debits(funded) == 1 and funded.balance() == 85


def test_duration_is_capped_at_fifteen_minutes(funded: SessionService, clock: FakeClock, sample_jd: str) -> None:
    sid = _live(funded, sample_jd)
    clock.advance(2000)
    assert funded.end(sid).duration_s == 900


def test_insufficient_credits(service: SessionService, sample_jd: str) -> None:
    service.top_up(14)
    with pytest.raises(InsufficientCredits, match="interview credits add 1"):
        service.create(sample_jd)


def test_second_unfinished_session_refused(funded: SessionService, sample_jd: str) -> None:
    first = funded.create(sample_jd)
    with pytest.raises(SessionConflict) as info:
        funded.create(sample_jd)
    assert info.value.session_id == first.id
    funded.cancel(first.id)
    assert funded.create(sample_jd).status is Status.CREATED


def test_database_enforces_one_unfinished_session(funded: SessionService, store: Store, sample_jd: str) -> None:
    funded.create(sample_jd)
    with pytest.raises(sqlite3.IntegrityError):
        store.conn.execute("INSERT INTO interview_sessions (id, status, jd_text, jd_sha256, created_at, updated_at) "
                           "VALUES ('x', 'ready', 'jd', 'h', 1, 1)")


def test_invalid_jd_creates_nothing(funded: SessionService) -> None:
    with pytest.raises(InvalidInput, match="empty"):
        funded.create("   \n\t ")
    with pytest.raises(InvalidInput, match="only 3 words"):
        funded.create("Python developer wanted")
    assert funded.list_sessions() == []


def test_setup_failure_is_stored_and_retryable(make_service: MakeService, sample_jd: str) -> None:
    planner = ScriptedPlanner()
    svc = make_service(planner=planner)
    svc.top_up(15)
    record = svc.create(sample_jd)
    planner.fail_next.append(ProviderError("Gemini is overloaded right now. Try again in a minute."))
    with pytest.raises(ProviderError):
        svc.run_setup(record.id)
    failed = svc.get(record.id)
    assert failed.status is Status.FAILED and failed.error == "Gemini is overloaded right now. Try again in a minute."
    assert svc.unfinished() == failed
    ready = svc.run_setup(record.id)
    assert ready.status is Status.READY and ready.error is None and ready.plan is not None
    assert svc.balance() == 15


def test_analysis_failure_is_retryable_and_not_charged_twice(make_service: MakeService, clock: FakeClock,
                                                            sample_jd: str) -> None:
    analyzer = ScriptedAnalyzer()
    svc = make_service(analyzer=analyzer)
    svc.top_up(30)
    sid = _live(svc, sample_jd)
    clock.advance(150)
    svc.end(sid)
    analyzer.fail_next.append(ProviderError("The analysis timed out."))
    with pytest.raises(ProviderError):
        svc.run_analysis(sid)
    assert svc.get(sid).status is Status.FAILED
    transcript = Transcript(turns=[Turn(role="user", text="hello there", t=1)], source="provider")
    done = svc.run_analysis(sid, transcript)
    assert done.status is Status.COMPLETE and done.transcript == transcript
    assert debits(svc) == 1 and svc.balance() == 15


@pytest.mark.parametrize(("heartbeat_at", "charged"), [(119, False), (121, True)])
def test_crash_recovery_from_heartbeat(db_path, make_service: MakeService, clock: FakeClock, sample_jd: str,
                                       heartbeat_at: int, charged: bool) -> None:
    store = Store.open(db_path)
    svc = make_service(store)
    svc.top_up(15)
    sid = _live(svc, sample_jd)
    start = clock.now()
    clock.advance(heartbeat_at)
    svc.heartbeat(sid)
    # the process dies here; the app starts again ten minutes later
    store.conn.execute("UPDATE interview_sessions SET owner = 'elsewhere:1' WHERE id = ?", (sid,))
    store.close()
    clock.advance(600)
    for _ in range(2):  # recovery run twice still settles once
        store = Store.open(db_path)
        svc = make_service(store)
        svc.recover()
        record = svc.get(sid)
        assert record.status is Status.ACTIVE and record.interrupted  # paused: continue it, or end it
        assert record.ended_at == start + heartbeat_at and record.live_seconds(clock.now()) == heartbeat_at
        assert record.charged is charged
        assert debits(svc) == (1 if charged else 0)
        store.close()
    store = Store.open(db_path)
    svc = make_service(store, planner=ScriptedPlanner(), analyzer=ScriptedAnalyzer(), clock=clock)
    ended = svc.end(sid)  # "End and analyse"
    assert ended.status is Status.ANALYZING and ended.duration_s == heartbeat_at and ended.charged is charged
    assert debits(svc) == (1 if charged else 0)
    store.close()


def test_recovery_leaves_a_session_that_is_still_heartbeating(funded: SessionService, store: Store,
                                                             clock: FakeClock, sample_jd: str) -> None:
    sid = _live(funded, sample_jd)
    store.conn.execute("UPDATE interview_sessions SET owner = 'otherhost:1' WHERE id = ?", (sid,))
    clock.advance(3)
    assert funded.recover() == []
    assert funded.get(sid).status is Status.ACTIVE


def test_recovery_settles_a_dead_local_process_at_once(funded: SessionService, store: Store, clock: FakeClock,
                                                       sample_jd: str) -> None:
    import socket

    sid = _live(funded, sample_jd)
    clock.advance(130)
    funded.heartbeat(sid)
    # a pid that cannot exist on this host
    dead_owner = f"{socket.gethostname()}:999999999"
    store.conn.execute("UPDATE interview_sessions SET owner = ? WHERE id = ?", (dead_owner, sid))
    [settled] = funded.recover()
    assert settled.id == sid and settled.charged and settled.interrupted
