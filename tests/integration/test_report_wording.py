"""One wording across the report views (text report, Markdown export, `interview sessions show`): no speech-only
figure for typed answers, one filler unit, rounded figures, and "not answered" (asked, no answer) apart from
"not asked" (never reached). Sessions run for real: LocalPlanner, TextVoice, LiveSession, LocalAnalyzer."""

from __future__ import annotations

import re
from pathlib import Path

from typer.testing import CliRunner

from interview_tui.bootstrap import make_service
from interview_tui.cli import app
from interview_tui.domain import figures
from interview_tui.domain.clock import FakeClock
from interview_tui.domain.lifecycle import Status
from interview_tui.domain.models import AnswerStatus, SessionRecord, Transcript, Turn
from interview_tui.live import LiveSession, analyze_session
from interview_tui.providers.local_analyzer import LocalAnalyzer
from interview_tui.providers.local_planner import LocalPlanner
from interview_tui.report_export import to_markdown
from interview_tui.report_text import metric_rows, question_state, report_text, status_label
from interview_tui.store.db import Store
from interview_tui.voice.text_engine import TextVoice
from tests.doubles import sample_plan
from tests.fakes.report_samples import feedback_report
from tests.paths import DATA

JD = (DATA / "jds" / "fullstack_mid_node.txt").read_text(encoding="utf-8")
ANSWER = ("Um, at my previous company we had a checkout page that failed for some users. My role was to find the "
          "cause. I added tracing to the Node.js API, reproduced the bug with a MySQL test database, and, like, "
          "fixed a race in the Express handler. As a result checkout errors fell by 80 percent within two weeks.")

SPEECH_ONLY = ("Words spoken", "wpm", "words per minute", "per minute", "Speaking time", "Pace ", "Pace:",
               "Pauses over", "Mean reply length", "Median wait", "Long pauses")
"""Labels and units of figures that need timed speech: none may show for typed answers."""


def _text_session_ended_early(db: Path) -> SessionRecord:
    """A typed interview: the first question answered (and its follow-up), the second asked and left unanswered
    (the candidate ends the interview), the rest never reached."""
    clock = FakeClock()
    store = Store.open(db)
    try:
        service = make_service(store, planner=LocalPlanner(), analyzer=LocalAnalyzer(), clock=clock)
        service.top_up(30, "test")
        record = service.run_setup(service.create(JD).id)
        engine = TextVoice(clock)
        live = LiveSession(service, record.id, engine, clock)
        live.begin()
        plan = record.plan
        assert plan is not None
        second = plan.questions[1].text
        for _ in range(4):
            clock.advance(70)
            live.submit_text(ANSWER)
            live.tick()
            agent = [t.text for t in service.get(record.id).live_transcript if t.role == "agent"]
            if agent[-1].endswith(second):
                break
        else:
            raise AssertionError("the second question was never asked")
        clock.advance(20)
        live.end()
        done = analyze_session(service, record.id, engine)
        assert done.status is Status.COMPLETE and done.report is not None
        return done
    finally:
        store.close()


def test_text_mode_reports_carry_no_speech_metric_and_one_filler_unit(app_home: Path) -> None:
    record = _text_session_ended_early(app_home / "interview.db")
    report = record.report
    assert report is not None and report.metrics.timing_available is False and report.metrics.filler_count > 0
    shown = CliRunner().invoke(app, ["sessions", "show", record.id])
    assert shown.exit_code == 0, shown.output
    views = {"text": report_text(report), "markdown": to_markdown(record), "sessions show": shown.stdout}
    for name, text in views.items():
        for label in SPEECH_ONLY:
            assert label not in text, (name, label)
        assert "Answer metrics" in text and "Speech metrics" not in text, name
        assert figures.filler_rate(report.metrics.fillers_per_100_words or 0) in text, name
        assert re.search(r"\d\.\d{2,}", text.split("## Transcript")[0]) is None, name  # no 175.63-style figure
    assert [label for label, _ in metric_rows(report)] == ["Questions", "Words", "Replies", "Filler words",
                                                           "Filler rate"]


def test_not_answered_and_not_asked_are_told_apart_in_every_view(app_home: Path) -> None:
    record = _text_session_ended_early(app_home / "interview.db")
    report = record.report
    assert report is not None
    statuses = [q.status for q in report.questions]
    second = report.questions[statuses.index(AnswerStatus.NOT_ANSWERED)]
    never = report.questions[statuses.index(AnswerStatus.NOT_ASKED)]
    assert record.plan is not None and second.question == record.plan.questions[1].text and second.asked
    assert not never.asked
    assert question_state(second).startswith("not answered") and question_state(never) == "not asked"
    counts = dict(metric_rows(report))["Questions"]
    assert f"{statuses.count(AnswerStatus.NOT_ANSWERED)} not answered" in counts
    assert f"{statuses.count(AnswerStatus.NOT_ASKED)} not asked" in counts
    text, md = report_text(report), to_markdown(record)
    assert f"{report.questions.index(second) + 1}. {second.question}\n   not answered · 0/100" in text
    assert f"{report.questions.index(never) + 1}. {never.question}\n   not asked" in text
    assert "**not answered · 0/100**" in md and "**not asked**" in md


def test_legacy_reports_without_a_status_say_not_answered_when_asked() -> None:
    """Reports stored before statuses existed: asked with no score is "not answered", never "not asked"."""
    q1, q2, *_ = feedback_report().questions
    legacy_asked = q2.model_copy(update={"status": None, "asked": True, "score": None, "supported": True})
    legacy_unasked = q2.model_copy(update={"status": None, "asked": False, "score": None})
    assert status_label(legacy_asked) == "not answered" and question_state(legacy_asked) == "not answered"
    assert status_label(legacy_unasked) == "not asked" and question_state(legacy_unasked) == "not asked"
    assert status_label(q1) == "answered"


def test_timed_speech_figures_are_rounded_with_their_units() -> None:
    """A voice-style (timed) transcript: pace in whole wpm, fillers per 100 words, durations in seconds."""
    plan = sample_plan()
    turns = [Turn(role="agent", text=plan.questions[0].text, t=0.0, end_t=4.0)]
    t = 5.3
    for index, q in enumerate(plan.questions[:2]):
        if index:
            turns.append(Turn(role="agent", text=q.text, t=t, end_t=t + 3.7))
            t += 5.1
        turns.append(Turn(role="user", text=ANSWER, t=t, end_t=t + 23.3))
        t += 26.9
    report = LocalAnalyzer().analyze(Transcript(turns=turns), plan)
    m = report.metrics
    assert m.timing_available and m.words_per_minute is not None and m.words_per_minute != round(m.words_per_minute)
    rows = dict(metric_rows(report))
    assert rows["Pace"] == f"{round(m.words_per_minute)} wpm"
    assert rows["Filler rate"].endswith(" per 100 words") and rows["Words spoken"] == str(m.candidate_words)
    assert re.fullmatch(r"\d+(\.\d)? s", rows["Median wait to reply"]) and re.fullmatch(r"\d+ s",
                                                                                      rows["Mean reply length"])
    assert rows["Replies"] == "2, follow-ups included" and rows["Questions"].startswith("2 of 4 answered")
    text = report_text(report)
    assert "Speech metrics" in text and "per minute" not in text
    assert re.search(r"\d+\.\d+ wpm", text) is None and f"{round(m.words_per_minute)} wpm" in report.summary
