"""Charge warning (issue 11): at 1:45 with no answer yet the candidate is told the charge comes at 2:00 and that
ending now is free (any engine); an idle candidate in text mode is nudged. Injected clock, never sleeping."""

from __future__ import annotations

from pathlib import Path

import pytest

from interview_tui.domain.clock import FakeClock
from interview_tui.domain.models import Turn
from interview_tui.live import LiveListener, LiveSession
from interview_tui.service import SessionService
from interview_tui.voice.text_engine import NUDGE, NUDGE_AFTER_S, TextVoice
from tests.doubles import ScriptedVoice


@pytest.fixture
def ready(funded: SessionService, sample_jd: str) -> str:
    record = funded.create(sample_jd)
    funded.run_setup(record.id)
    return record.id


def _run(live: LiveSession, clock: FakeClock, seconds: int) -> None:
    for _ in range(seconds):
        clock.advance(1)
        live.tick()


def test_warned_once_at_1_45_without_an_answer(funded: SessionService, ready: str, clock: FakeClock) -> None:
    warnings: list[float] = []
    live = LiveSession(funded, ready, ScriptedVoice(), clock, LiveListener(on_charge_warning=warnings.append))
    live.begin()
    _run(live, clock, 104)
    assert warnings == []
    _run(live, clock, 1)
    assert warnings == [15.0]
    _run(live, clock, 30)
    assert warnings == [15.0] and live.state().charged  # once; the charge itself is unchanged


def test_no_warning_once_the_candidate_has_answered(funded: SessionService, ready: str, clock: FakeClock) -> None:
    warnings: list[float] = []
    engine = ScriptedVoice()
    live = LiveSession(funded, ready, engine, clock, LiveListener(on_charge_warning=warnings.append))
    live.begin()
    _run(live, clock, 30)
    assert engine.events is not None
    engine.events.on_turn(Turn(role="user", text="I built the payments ledger.", t=30))
    _run(live, clock, 100)
    assert warnings == []


def test_text_mode_nudges_an_idle_candidate_once(funded: SessionService, ready: str, clock: FakeClock) -> None:
    said: list[str] = []
    live = LiveSession(funded, ready, TextVoice(clock), clock,
                       LiveListener(on_turn=lambda t: said.append(t.text) if t.role == "agent" else None))
    live.begin()
    opening = len(said)
    _run(live, clock, int(NUDGE_AFTER_S) - 1)
    assert len(said) == opening
    _run(live, clock, 1)
    assert said[opening:] == [NUDGE]
    _run(live, clock, 200)
    assert said.count(NUDGE) == 1
    live.submit_text("I would start by checking the consumer lag and the partition skew on the sale topic.")
    _run(live, clock, int(NUDGE_AFTER_S))
    assert said.count(NUDGE) == 2  # the next question may be nudged again


@pytest.mark.anyio
async def test_the_live_screen_shows_the_charge_warning(tmp_path: Path) -> None:
    from interview_tui.engines import EngineChoice
    from tests.doubles import settings_for
    from tests.fakes.tui_pilot import new_app, offline_runtime, plan_and_begin, wait_for

    clock = FakeClock()
    runtime = offline_runtime(settings_for(tmp_path), clock, lambda: TextVoice(clock),
                              [EngineChoice("voice", "text mode", "test")])
    service, store = runtime.service, runtime.store
    app = new_app(runtime, tmp_path, tick_interval=0.05)
    async with app.run_test(size=(100, 32)) as pilot:
        await plan_and_begin(pilot)
        clock.advance(106)
        await wait_for(pilot, lambda: app.screen.charge_warning_shown, description="the charge warning")
        notice = str(app.screen.query_one("#notice").render())
        assert "charged at 2:00" in notice and "Ending now (ctrl+e) is free" in notice
        assert [n.title for n in app._notifications].count("The charge is near") == 1
        assert not service.list_sessions()[0].charged
    store.close()
