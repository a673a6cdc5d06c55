"""One owner per live session (issue 11, problem 1): two instances on one database file cannot both take a session
live, the one that did not begin it can neither end nor settle it, and a screen whose session was settled
elsewhere stops its engine and says why. Two services (two connections, two owners) and two Textual apps."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from interview_tui.bootstrap import make_app, open_runtime
from interview_tui.domain.clock import FakeClock
from interview_tui.domain.errors import LiveElsewhere
from interview_tui.domain.lifecycle import Status
from interview_tui.live import LiveSession
from interview_tui.providers.local_analyzer import LocalAnalyzer
from interview_tui.providers.local_planner import LocalPlanner
from interview_tui.service import SessionService
from interview_tui.store.db import Store
from interview_tui.voice.text_engine import TextVoice
from tests.doubles import MakeService, ScriptedVoice, scripted_engines, settings_for
from tests.fakes.tui_pilot import settle, wait_for, wait_for_screen
from tests.paths import SAMPLE_JD_FILE

JD = SAMPLE_JD_FILE.read_text(encoding="utf-8")


@pytest.fixture
def two(make_service: MakeService) -> tuple[SessionService, SessionService]:
    """Two instances of the app's service on the same database file (as two windows would be)."""
    a, b = make_service(), make_service()
    a.top_up(100)
    return a, b


def _ready(svc: SessionService) -> str:
    record = svc.create(JD)
    svc.run_setup(record.id)
    return record.id


def debits(svc: SessionService) -> int:
    return sum(1 for r in svc.ledger_history() if r.kind == "debit")


def test_claim_is_exclusive_and_the_loser_touches_nothing(two: tuple[SessionService, SessionService],
                                                          clock: FakeClock) -> None:
    a, b = two
    sid = _ready(a)
    engine_a, engine_b = ScriptedVoice(), ScriptedVoice()
    live_a = LiveSession(a, sid, engine_a, clock)
    live_a.begin()
    live_b = LiveSession(b, sid, engine_b, clock)
    with pytest.raises(LiveElsewhere, match="live in another window"):
        live_b.begin()
    assert engine_b.context is None, "the loser must not start a voice connection"
    assert live_b.end() is None  # ending a session it never began does nothing
    with pytest.raises(LiveElsewhere):
        b.end(sid)
    assert b.heartbeat(sid) is False and a.heartbeat(sid) is True
    with pytest.raises(LiveElsewhere):
        b.cancel(sid)
    assert b.recover() == []  # A's heartbeat is fresh and its process alive
    clock.advance(130)
    live_a.tick()
    record = live_a.end()
    assert record is not None and record.status is Status.ANALYZING and record.duration_s == 130
    assert record.charged and debits(a) == 1 and a.balance() == 85


def test_concurrent_claims_have_one_winner(two: tuple[SessionService, SessionService]) -> None:
    a, b = two
    sid = _ready(a)
    results: dict[str, str] = {}
    barrier = threading.Barrier(2)

    def go(name: str, svc: SessionService) -> None:
        barrier.wait()
        try:
            svc.claim(sid)
            results[name] = "won"
        except LiveElsewhere:
            results[name] = "lost"

    threads = [threading.Thread(target=go, args=(n, s)) for n, s in (("a", a), ("b", b))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results.values()) == ["lost", "won"]
    winner = a if results["a"] == "won" else b
    loser = b if winner is a else a
    assert a.get(sid).owner == winner.owner
    with pytest.raises(LiveElsewhere, match="being started in another window"):
        loser.start_active(sid, voice="text")
    assert winner.start_active(sid, voice="text").status is Status.ACTIVE


def test_a_failed_start_releases_the_claim(two: tuple[SessionService, SessionService], clock: FakeClock) -> None:
    a, b = two
    sid = _ready(a)

    class Refused(ScriptedVoice):
        def start(self, context, events):  # type: ignore[no-untyped-def]
            raise RuntimeError("no microphone")

    with pytest.raises(RuntimeError):
        LiveSession(a, sid, Refused(), clock).begin()
    record = a.get(sid)
    assert record.status is Status.READY and record.owner is None
    LiveSession(b, sid, ScriptedVoice(), clock).begin()  # the other window may now take it
    assert b.get(sid).owner == b.owner


def test_settled_elsewhere_stops_the_engine(two: tuple[SessionService, SessionService], clock: FakeClock,
                                            store: Store) -> None:
    a, b = two
    sid = _ready(a)
    engine = ScriptedVoice()
    live = LiveSession(a, sid, engine, clock)
    live.begin()
    # A stops answering (e.g. suspended); B starts later and recovery settles the session from its heartbeat.
    store.conn.execute("UPDATE interview_sessions SET owner = 'otherhost:1' WHERE id = ?", (sid,))
    clock.advance(60)
    [paused] = b.recover()
    assert paused.interrupted
    b.end(sid)  # B ends and analyses it
    state = live.tick()
    assert state.ended and live.lost_reason is not None and engine.stopped.is_set()
    assert live.end() is None and a.get(sid).status is Status.ANALYZING


# ------------------------------------------------------------------------------------ two Textual apps


def _app(db_path: Path, clock: FakeClock, jd: str | None):  # type: ignore[no-untyped-def]
    engines = scripted_engines(LocalPlanner(), LocalAnalyzer(), lambda: TextVoice(clock), "text mode")
    runtime = open_runtime(settings_for(db_path.parent), clock=clock, engines=engines)
    app = make_app(runtime, jd_text=jd, tick_interval=0.1)
    app.animation_level = "none"
    return app, runtime.service, runtime.store


@pytest.mark.anyio
@pytest.mark.parametrize("first", ["planner", "resumer"])
async def test_two_apps_one_database(db_path: Path, clock: FakeClock, first: str) -> None:
    """The issue's scenario: A plans; B opens and resumes the same session; both press Begin (in both orders).
    Exactly one goes live; the other says so, offers only Back, and leaves the session alone."""
    app_a, svc_a, store_a = _app(db_path, clock, JD)
    svc_a.top_up(15)
    app_b, svc_b, store_b = _app(db_path, clock, None)
    async with app_a.run_test(size=(100, 32)) as pa:
        await settle(pa)
        await pa.press("ctrl+s")
        await wait_for_screen(pa, "SetupScreen")
        await wait_for(pa, lambda: app_a.screen.state == "ready", description="A's plan")
        async with app_b.run_test(size=(100, 32)) as pb:
            await wait_for_screen(pb, "ResumeDialog")
            await pb.press("r")
            await wait_for_screen(pb, "SetupScreen")
            await wait_for(pb, lambda: app_b.screen.state == "ready", description="B's plan")
            order = [(pa, app_a), (pb, app_b)] if first == "planner" else [(pb, app_b), (pa, app_a)]
            (p1, winner), (p2, loser) = order
            await p1.press("b")
            await wait_for(p1, lambda: getattr(winner.screen, "ticker", None) is not None,
                           description="the first window live")
            await p2.press("b")
            await wait_for(p2, lambda: getattr(loser.screen, "failure", None) == "elsewhere",
                           description="the second window refused")
            assert type(loser.screen).__name__ == "LiveScreen" and loser.screen.engine is None
            assert "live in another window" in str(loser.screen.query_one("#notice").render())
            assert loser.screen.check_action("end", ()) is False
            assert loser.screen.check_action("typed_answers", ()) is False
            await p2.press("escape")
            await wait_for_screen(p2, "StartScreen")
            win_svc = svc_a if winner is app_a else svc_b
            [record] = win_svc.list_sessions()
            assert record.status is Status.ACTIVE and record.owner == win_svc.owner
            clock.advance(121)
            await wait_for(p1, lambda: win_svc.get(record.id).charged, description="the charge at 2:00")
            await p1.press("ctrl+e")
            await p1.press("y")
            await wait_for(p1, lambda: type(winner.screen).__name__ in ("AnalysisScreen", "ReportScreen"),
                           description="the winner's analysis")
            ended = win_svc.get(record.id)
            assert ended.status in (Status.ANALYZING, Status.COMPLETE) and ended.duration_s == pytest.approx(121)
            assert debits(win_svc) == 1
    store_a.close()
    store_b.close()


@pytest.mark.anyio
async def test_an_instance_that_finds_the_session_live_elsewhere_offers_nothing(db_path: Path,
                                                                               make_service: MakeService,
                                                                               clock: FakeClock) -> None:
    other = make_service()
    other.top_up(15)
    sid = _ready(other)
    LiveSession(other, sid, ScriptedVoice(), clock).begin()
    app, svc, store_b = _app(db_path, clock, None)
    async with app.run_test(size=(100, 32)) as pilot:
        await wait_for_screen(pilot, "ResumeDialog")
        assert "another window" in str(app.screen.query_one("#resume-elsewhere").render())
        for key in ("r", "d"):
            await pilot.press(key)
            assert type(app.screen).__name__ == "ResumeDialog"
        await pilot.press("escape")
        await wait_for_screen(pilot, "StartScreen")
    record = svc.get(sid)
    assert record.status is Status.ACTIVE and record.owner == other.owner
    store_b.close()
