"""Text mode: the interviewer script through TextVoice, and a full offline session through the service."""

from __future__ import annotations

from pathlib import Path

import pytest

from interview_tui.bootstrap import make_service
from interview_tui.domain.clock import FakeClock
from interview_tui.domain.lifecycle import Status
from interview_tui.domain.models import Question, QuestionKind, Rubric, TalkingPoint, Turn
from interview_tui.live import LiveSession, analyze_session
from interview_tui.providers.base import VoiceContext, VoiceEngine, VoiceEvents, VoiceStatus
from interview_tui.providers.local_analyzer import LocalAnalyzer
from interview_tui.providers.local_planner import LocalPlanner
from interview_tui.store.db import Store
from interview_tui.voice.interviewer_script import (
    FOLLOW_UPS,
    FORWARD_FOLLOW_UP,
    TRANSITIONS,
    InterviewerScript,
    addressed_to_candidate,
    follow_up_for,
    is_repeat_request,
)
from interview_tui.voice.text_engine import TextVoice
from tests.paths import DATA

JD = (DATA / "jds" / "fullstack_mid_node.txt").read_text(encoding="utf-8")
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
    answers = 0
    for i in range(n):
        clock.advance(50)
        engine.submit_text(LONG)
        answers += 1
        if "could you also speak to this" in rec.turns[-1].text:  # a probe on a point LONG missed: answer it
            clock.advance(50)
            engine.submit_text(LONG)
            answers += 1
        if i < n - 1:
            assert rec.turns[-1].text.endswith(plan.questions[i + 1].text)
    assert rec.ended == ["The interviewer has asked all the questions."]
    assert rec.statuses[-1].kind == "ended"
    users = [t for t in rec.turns if t.role == "user"]
    assert len(users) == answers and [t.t for t in users] == [50.0 * (i + 1) for i in range(answers)]
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


@pytest.mark.parametrize(("seconds_per_answer", "charged"), [(40.0, True), (6.0, False)])
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
        questions = len(record.plan.questions)  # type: ignore[union-attr]
        assert questions <= answers <= 2 * questions  # every question answered, at most one follow-up each
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
        # the interviewer's follow-ups probe the current question: its answers, never questions of their own
        assert answers > questions, "no follow-up was asked: this run checks nothing about them"
        assert [q.question_id for q in report.questions] == [q.id for q in record.plan.questions]  # type: ignore[union-attr]
    finally:
        store.close()


def _question(text: str, kind: QuestionKind, points: list[tuple[str, list[str]]]) -> Question:
    rubric = Rubric(talking_points=[TalkingPoint(text=t, cues=c) for t, c in points])
    return Question(id="qx", text=text, kind=kind, skill="x", rubric=rubric)


def test_follow_up_probes_the_first_point_the_answer_missed_even_when_it_is_strong() -> None:
    question = _question("Tell me about a time you cut costs.", QuestionKind.BEHAVIOURAL,
                         [("Set the scene", ["budget", "situation"]), ("Quantified the result", ["percent", "saved"])])
    strong = ("Our cloud budget had doubled in a year, so I audited every service, moved batch jobs to spot "
              "instances and rewrote the nightly export, and the team agreed new rules for staging environments.")
    assert follow_up_for(question, strong) == ("Thanks. Before we move on, could you also speak to this? A strong "
                                               "answer here says you quantified the result.")
    covered = strong + " We saved forty percent."
    assert follow_up_for(question, covered) is None  # every point touched: move on


@pytest.mark.parametrize(("criterion", "said"), [
    ("Describes the specific steps they took themselves.", "a strong answer here describes the specific steps they "
                                                          "took themselves"),
    ("Quantified the result", "a strong answer here says you quantified the result"),
    ("Took the initiative personally.", "a strong answer here says you took the initiative personally"),
    ("Atomicity: all or nothing.", "a strong answer here covers this: Atomicity: all or nothing"),
    ("Objectives are qualitative, inspiring and few.", "a strong answer here covers this: Objectives are "
                                                       "qualitative, inspiring and few"),
    ("DNS resolution of the name, with caches.", "a strong answer here covers this: DNS resolution of the name, "
                                                 "with caches"),
])
def test_a_probe_tells_the_candidate_what_a_strong_answer_covers(criterion: str, said: str) -> None:
    """A rubric criterion is not read out as if it were a question ("could you also speak to this: Uses
    idempotency keys?"): it is what a strong answer here does, in words that keep its grammar."""
    assert addressed_to_candidate(criterion) == said


def test_no_past_example_asked_for_a_question_about_the_future() -> None:
    question = _question("Where would you like to be a year from now?", QuestionKind.BEHAVIOURAL,
                         [("Names a concrete goal", ["goal", "lead"])])
    line = follow_up_for(question, "Leading a team.")
    assert line == FORWARD_FOLLOW_UP and "example" not in line.lower()


def test_acknowledgements_judge_nothing_and_repeat_requests_repeat() -> None:
    assert not any(word in " ".join(TRANSITIONS).lower() for word in ("great", "helpful", "good", "excellent"))
    plan = LocalPlanner().plan(JD)
    script = InterviewerScript(plan)
    first = script.opening()[-1]
    again = script.respond("Sorry, can you repeat the question?")
    assert again[0].text == f"Of course. {first.text}" and script.current is plan.questions[0]
    assert is_repeat_request("could you say that again please")
    assert not is_repeat_request("I would repeat the question of scale to every team lead I met, every week, "
                                 "until the migration was complete and the numbers were stable.")
