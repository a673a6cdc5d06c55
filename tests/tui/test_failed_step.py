"""Every place that asks "did this failed session fail after going live?" answers from the one rule: the resume
dialog's wording, the router's resume screen and the service's analysis retry agree, for a session that failed
while planning and one that failed during analysis."""

from __future__ import annotations

import pytest

from interview_tui.domain.clock import FakeClock
from interview_tui.domain.errors import IllegalTransition, ProviderError
from interview_tui.domain.lifecycle import Status
from interview_tui.domain.models import Turn
from interview_tui.tui.routes import resume_status
from interview_tui.tui.screens.modals import resume_text
from tests.doubles import MakeService, ScriptedAnalyzer, ScriptedPlanner


def test_failed_while_planning(make_service: MakeService, clock: FakeClock, sample_jd: str) -> None:
    planner = ScriptedPlanner()
    svc = make_service(planner=planner)
    svc.top_up(15)
    sid = svc.create(sample_jd).id
    planner.fail()
    with pytest.raises(ProviderError):
        svc.run_setup(sid)
    failed = svc.get(sid)
    assert failed.status is Status.FAILED and not failed.failed_after_going_live
    assert resume_status(failed) is Status.SETUP
    assert "failed while planning" in resume_text(failed, clock.now()).plain
    assert "Live time" not in resume_text(failed, clock.now()).plain
    with pytest.raises(IllegalTransition):  # the analysis is not where it failed
        svc.run_analysis(sid)
    assert svc.run_setup(sid).status is Status.READY


def test_failed_during_analysis(make_service: MakeService, clock: FakeClock, sample_jd: str) -> None:
    analyzer = ScriptedAnalyzer()
    svc = make_service(analyzer=analyzer)
    svc.top_up(15)
    sid = svc.run_setup(svc.create(sample_jd).id).id
    svc.claim(sid)
    svc.start_active(sid, voice="scripted voice")
    svc.append_turn(sid, Turn(role="user", text="I designed the payments API.", t=3.0))
    clock.advance(40)
    svc.end(sid)
    analyzer.fail()
    with pytest.raises(ProviderError):
        svc.run_analysis(sid)
    failed = svc.get(sid)
    assert failed.status is Status.FAILED and failed.failed_after_going_live
    assert resume_status(failed) is Status.ANALYZING
    text = resume_text(failed, clock.now()).plain
    assert "failed during analysis" in text and "Live time 0:40, not charged." in text
    with pytest.raises(IllegalTransition):  # its plan cannot change any more
        svc.run_setup(sid)
    assert svc.run_analysis(sid).status is Status.COMPLETE
