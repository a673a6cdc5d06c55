"""Retries of the same JD: the service counts the earlier sessions with that JD that went live and plans with that
attempt number, through the plan cache as the app uses it, on a real database."""

from __future__ import annotations

from pathlib import Path

import pytest

from interview_tui.domain.clock import FakeClock
from interview_tui.domain.errors import ProviderError
from interview_tui.providers.local_planner import LocalPlanner
from interview_tui.providers.plan_cache import CachedPlanner, PlanCache
from interview_tui.service import SessionService
from interview_tui.store.db import Store
from tests.doubles import MakeService, ScriptedPlanner
from tests.paths import DATA

JD = (DATA / "jds" / "senior_backend_go.txt").read_text(encoding="utf-8")
OTHER_JD = (DATA / "jds" / "qa_automation.txt").read_text(encoding="utf-8")


def _texts(svc: SessionService, session_id: str) -> list[str]:
    plan = svc.get(session_id).plan
    assert plan is not None
    return [q.text for q in plan.questions]


def _practised(svc: SessionService, clock: FakeClock, jd: str) -> str:
    """A new session for `jd`: planned, live for three minutes, analysed."""
    clock.advance(60)
    record = svc.create(jd)
    svc.run_setup(record.id)
    svc.start_active(record.id, voice="test")
    clock.advance(180)
    svc.end(record.id)
    svc.run_analysis(record.id)
    return record.id


def _discarded(svc: SessionService, clock: FakeClock, jd: str) -> str:
    """A new session for `jd`, planned, then discarded before it went live."""
    clock.advance(60)
    record = svc.create(jd)
    svc.run_setup(record.id)
    svc.cancel(record.id)
    return record.id


def test_each_retry_of_a_jd_gets_the_next_attempts_plan(make_service: MakeService, store: Store, clock: FakeClock,
                                                        tmp_path: Path) -> None:
    svc = make_service(store, planner=CachedPlanner(LocalPlanner(), PlanCache(tmp_path / "cache")))
    svc.top_up(200, "test funds")
    planner = LocalPlanner()
    first = _practised(svc, clock, JD)
    # the same JD pasted again with trailing spaces and more blank lines is the same JD
    second = _practised(svc, clock, "  \n".join(JD.split("\n")).replace("\n\n", "\n\n\n\n") + "\n\n")
    third = _practised(svc, clock, JD)
    cleaned = svc.get(first).jd_text
    assert svc.get(second).jd_text == cleaned
    assert _texts(svc, first) == [q.text for q in planner.plan(cleaned).questions]  # the first time: today's plan
    assert _texts(svc, second) == [q.text for q in planner.plan(cleaned, attempt=1).questions]
    assert _texts(svc, third) == [q.text for q in planner.plan(cleaned, attempt=2).questions]
    assert len({tuple(_texts(svc, s)) for s in (first, second, third)}) == 3  # the cache did not hand back attempt 0
    assert len(list((tmp_path / "cache").glob("plan-*.json"))) == 3
    # a session discarded before it went live was no attempt: the next one is planned as attempt 3, from the cache
    discarded = _discarded(svc, clock, JD)
    assert _texts(svc, discarded) == [q.text for q in planner.plan(cleaned, attempt=3).questions]
    assert _texts(svc, _practised(svc, clock, JD)) == _texts(svc, discarded)
    assert len(list((tmp_path / "cache").glob("plan-*.json"))) == 4
    # another JD is on its own first attempt
    other = _practised(svc, clock, OTHER_JD)
    assert _texts(svc, other) == [q.text for q in planner.plan(svc.get(other).jd_text).questions]


def test_the_attempt_counts_sessions_that_went_live_and_stays_put_for_one_session(
        make_service: MakeService, store: Store, clock: FakeClock) -> None:
    planner = ScriptedPlanner()
    svc = make_service(store, planner=planner)
    svc.top_up(200, "test funds")
    _practised(svc, clock, JD)
    # planning the second session fails once; planning it again is still its attempt 1
    clock.advance(60)
    record = svc.create(JD)
    planner.fail()
    with pytest.raises(ProviderError):
        svc.run_setup(record.id)
    svc.run_setup(record.id)
    svc.cancel(record.id)
    _practised(svc, clock, OTHER_JD)
    _practised(svc, clock, JD)
    _practised(svc, clock, JD)
    assert planner.attempts == [0, 1, 1, 0, 1, 2]
