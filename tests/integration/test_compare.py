"""Comparing two sessions and the per-dimension trend (domain.compare), on records built by the real service."""

from __future__ import annotations

from pathlib import Path

from interview_tui.domain.compare import compare_sessions, dimension_series, pair_questions
from interview_tui.domain.models import QuestionFeedback
from tests.doubles import complete_session, make_harness


def test_compare_orders_by_date_and_gives_deltas(tmp_path: Path) -> None:
    h = make_harness(tmp_path, balance=100)
    complete_session(h, score=48, live_s=300)
    complete_session(h, score=72, live_s=600)
    older, newer = sorted(h.service.list_sessions(), key=lambda r: r.created_at)
    result = compare_sessions(newer, older)  # picked newest first: still older → newer
    assert result.before.id == older.id and result.after.id == newer.id
    assert (result.overall.before, result.overall.after, result.overall.delta) == (48, 72, 24)
    assert [d.name for d in result.dimensions][:2] == ["Relevance to the JD", "Structure (STAR)"]
    assert all(d.delta == 0 for d in result.dimensions)  # same dimension scores in both reports
    assert [p.question for p in result.questions][:1] == [newer.report.questions[0].question]  # type: ignore[union-attr]
    assert all(p.before is not None and p.after is not None for p in result.questions)
    h.runtime.close()


def test_a_session_that_is_not_assessable_has_no_scores_and_is_not_in_the_trend(tmp_path: Path) -> None:
    h = make_harness(tmp_path, balance=100)
    complete_session(h, score=None, live_s=40)
    complete_session(h, score=70, live_s=600)
    complete_session(h, score=80, live_s=600)
    records = sorted(h.service.list_sessions(), key=lambda r: r.created_at)
    result = compare_sessions(records[0], records[1])
    assert result.overall.before is None and result.overall.delta is None
    series = dimension_series(records)
    assert all(len(scores) == 2 for scores in series.values())  # two assessable sessions, not three
    h.runtime.close()


def test_questions_pair_by_id_then_by_words_and_keep_the_unmatched() -> None:
    def q(qid: str, text: str, score: int | None = None) -> QuestionFeedback:
        return QuestionFeedback(question_id=qid, question=text, asked=True, score=score)

    before = [q("a", "Tell me about yourself.", 50), q("x1", "Why   this role?", 60), q("old", "Only before.")]
    after = [q("a", "Tell me about yourself.", 70), q("x2", "why this role?", 65), q("new", "Only after.")]
    pairs = pair_questions(before, after)
    assert [(p.before.score if p.before else None, p.after.score if p.after else None) for p in pairs] == [
        (50, 70), (60, 65), (None, None), (None, None)]
    assert [p.question for p in pairs] == ["Tell me about yourself.", "why this role?", "Only after.", "Only before."]
