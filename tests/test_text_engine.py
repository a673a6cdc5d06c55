"""Text mode: the interviewer script through TextVoice, and a full offline session through the service."""

from __future__ import annotations

from pathlib import Path

import pytest

from interview_tui.bootstrap import make_service
from interview_tui.domain.clock import FakeClock
from interview_tui.domain.lifecycle import Status
from interview_tui.domain.models import Turn
from interview_tui.live import LiveSession, analyze_session
from interview_tui.providers.base import VoiceContext, VoiceEngine, VoiceEvents, VoiceStatus
from interview_tui.providers.local_analyzer import LocalAnalyzer
from interview_tui.providers.local_planner import LocalPlanner
from interview_tui.store.db import Store
from interview_tui.voice.interviewer_script import FOLLOW_UPS, InterviewerScript
from interview_tui.voice.text_engine import TextVoice

JD = (Path(__file__).parent / "data" / "jds" / "fullstack_mid_node.txt").read_text(encoding="utf-8")
LONG = ("At my previous company we had a checkout page that failed for some users. My role was to find the cause. "
        "I added tracing to the Node.js API, reproduced the bug with a MySQL test database, and fixed a race in "
        "the Express handler. As a result checkout errors fell by 80 percent within two weeks.")


class Recorder:
    def __init__(self) -> None:
        self.turns: list[Turn] = []
        self.statuses: list[VoiceStatus] = []
        self.ended: list[str] = []

    def events(self, *, explode: bool = False) -> VoiceEvents:
        def on_turn(turn: Turn) -> None:
            self.turns.append(turn)
            if explode:
                raise RuntimeError("UI bug")

        return VoiceEvents(on_turn=on_turn, on_status=self.statuses.append, on_ended=self.ended.append)


def start_engine(clock: FakeClock, *, explode: bool = False) -> tuple[TextVoice, Recorder, int]:
    plan = LocalPlanner().plan(JD)
    engine, rec = TextVoice(clock), Recorder()
    assert isinstance(engine, VoiceEngine) and engine.text_input and engine.name == "text"
    engine.start(VoiceContext(session_id="s1", plan=plan, started_at=clock.now(), candidate_name="Ada"),
                 rec.events(explode=explode))
    return engine, rec, len(plan.questions)


def test_greeting_then_questions_in_order_then_end() -> None:
    clock = FakeClock()
    engine, rec, n = start_engine(clock)
    plan = LocalPlanner().plan(JD)
    assert [t.role for t in rec.turns] == ["agent", "agent"]
    assert "Ada" in rec.turns[0].text and plan.role_title in rec.turns[0].text
    assert rec.turns[1].text == plan.questions[0].text
    for i in range(n):
        clock.advance(50)
        engine.submit_text(LONG)
        if i < n - 1:
            assert rec.turns[-1].text.endswith(plan.questions[i + 1].text)
    assert rec.ended == ["The interviewer has asked all the questions."]
    assert rec.statuses[-1].kind == "ended"
    users = [t for t in rec.turns if t.role == "user"]
    assert len(users) == n and [t.t for t in users] == [50.0 * (i + 1) for i in range(n)]
    assert all(t.end_t is None for t in users)
    before = len(rec.turns)
    engine.submit_text(LONG)  # after the end: ignored
    assert len(rec.turns) == before
    engine.stop()
    engine.stop()
    assert engine.final_transcript(["x"]) is None


def test_short_answer_gets_one_follow_up() -> None:
    clock = FakeClock()
    engine, rec, _ = start_engine(clock)
    plan = LocalPlanner().plan(JD)
    engine.submit_text("I like building things.")
    assert rec.turns[-1].text == FOLLOW_UPS[plan.questions[0].kind]
    engine.submit_text("Still short.")  # only one follow-up per question
    assert rec.turns[-1].text.endswith(plan.questions[1].text)
    engine.submit_text("   \n ")  # blank input is ignored
    assert rec.turns[-1].text.endswith(plan.questions[1].text)


def test_callback_errors_do_not_end_the_interview_and_input_is_cleaned() -> None:
    clock = FakeClock()
    engine, rec, _ = start_engine(clock, explode=True)
    engine.submit_text("\x1b[31mred\x1b[0m text " + LONG)
    user = [t for t in rec.turns if t.role == "user"]
    assert user and user[0].text.startswith("red text ")
    assert len(rec.turns) == 4


def test_stop_makes_submit_a_no_op() -> None:
    clock = FakeClock()
    engine, rec, _ = start_engine(clock)
    engine.stop()
    engine.submit_text(LONG)
    assert [t.role for t in rec.turns] == ["agent", "agent"]


def test_script_without_role_or_name() -> None:
    plan = LocalPlanner().plan(JD).model_copy(update={"role_title": ""})
    script = InterviewerScript(plan)
    opening = script.opening()
    assert opening[0].text.startswith("Hello, and thanks") and " role" not in opening[0].text.split(".")[0]


@pytest.mark.parametrize(("seconds_per_answer", "charged"), [(40.0, True), (10.0, False)])
def test_full_offline_session(tmp_path: Path, seconds_per_answer: float, charged: bool) -> None:
    """create → setup (LocalPlanner) → live in text mode → end → analysis (LocalAnalyzer) → complete."""
    clock = FakeClock()
    store = Store.open(tmp_path / "db.sqlite")
    try:
        svc = make_service(store, planner=LocalPlanner(), analyzer=LocalAnalyzer(), clock=clock)
        svc.top_up(30, "test")
        record = svc.run_setup(svc.create(JD).id)
        assert record.status is Status.READY and record.planner == "local"
        engine = TextVoice(clock)
        live = LiveSession(svc, record.id, engine, clock)
        live.begin()
        answers = 0
        while not live.ended:
            clock.advance(seconds_per_answer)
            engine.submit_text(LONG)
            answers += 1
            live.tick()
            assert answers < 50
        assert answers == len(record.plan.questions)  # type: ignore[union-attr]
        assert live.end_reason == "The interviewer has asked all the questions."
        done = analyze_session(svc, record.id, engine)
        assert done.status is Status.COMPLETE
        assert done.charged is charged
        assert svc.balance() == (15 if charged else 30)
        report = done.report
        assert report is not None and report.assessable and report.engine == "local"
        assert report.metrics.answer_count == answers
        assert report.metrics.timing_available is False
        roles = [t.role for t in done.live_transcript]
        assert roles.count("user") == answers and roles[0] == "agent"
    finally:
        store.close()
