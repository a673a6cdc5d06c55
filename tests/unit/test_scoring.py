"""The shared scoring model: fixed formula, non-answer cap, content-capped communication, mechanical combine."""

from __future__ import annotations

import itertools

from interview_tui.domain.models import QuestionFeedback, QuestionKind, Report
from interview_tui.domain.scoring import (
    LEVELS,
    NON_ANSWER_MAX,
    AnswerStatus,
    RatingLevel,
    SubScores,
    combine,
    question_score,
    rating_for,
    scored_subscores,
)

GOOD = SubScores(relevance=80, structure=75, depth=70, communication=75)


def _fb(qid: str, status: AnswerStatus, sub: SubScores | None = GOOD,
        kind: QuestionKind = QuestionKind.BEHAVIOURAL) -> QuestionFeedback:
    score = question_score(sub or SubScores(), kind, status=status)
    return QuestionFeedback(question_id=qid, question=f"Question {qid}?", asked=status is not AnswerStatus.NOT_ASKED,
                            score=score, kind=kind, status=status, subscores=sub)


def test_levels_cover_0_to_100_without_gaps_and_have_worded_anchors() -> None:
    bands = sorted((lv.low, lv.high) for lv in LEVELS.values())
    assert bands[0][0] == 0 and bands[-1][1] == 100
    assert all(a[1] + 1 == b[0] for a, b in itertools.pairwise(bands))
    assert all(len(lv.anchor.split()) > 10 for lv in LEVELS.values())
    assert rating_for(39) is RatingLevel.POOR and rating_for(40) is RatingLevel.MIXED
    assert rating_for(80) is RatingLevel.EXCELLENT


def test_non_answer_is_capped_near_zero_whatever_its_subscores() -> None:
    perfect = SubScores(relevance=100, structure=100, depth=100, communication=100)
    assert question_score(perfect, QuestionKind.BEHAVIOURAL, status=AnswerStatus.NON_ANSWER) <= NON_ANSWER_MAX
    assert question_score(perfect, QuestionKind.TECHNICAL, status=AnswerStatus.NOT_ANSWERED) == 0
    assert question_score(perfect, QuestionKind.TECHNICAL, status=AnswerStatus.NOT_ASKED) is None


def test_communication_cannot_be_high_without_content() -> None:
    fluent_empty = SubScores(relevance=5, depth=5, communication=100)
    assert question_score(fluent_empty, QuestionKind.MOTIVATION) < 20


def test_subscores_are_stored_as_scored_and_the_score_is_the_same() -> None:
    fluent_nothing = SubScores(relevance=20, depth=20, communication=90)
    stored = scored_subscores(fluent_nothing)
    assert stored.communication == 40 and stored.relevance == 20 and stored.depth == 20
    assert question_score(stored, QuestionKind.TECHNICAL) == question_score(fluent_nothing, QuestionKind.TECHNICAL)
    assert scored_subscores(GOOD) == GOOD  # nothing to cap
    assert scored_subscores(SubScores(communication=70)).communication == 70  # no content judged: left alone


def test_structure_counts_only_where_a_story_is_expected() -> None:
    no_star = SubScores(relevance=80, structure=0, depth=80, communication=80)
    assert question_score(no_star, QuestionKind.TECHNICAL) == 80
    assert question_score(no_star, QuestionKind.MOTIVATION) == 80
    assert question_score(no_star, QuestionKind.BEHAVIOURAL) < 70


def test_red_flags_cost_points() -> None:
    assert question_score(GOOD, QuestionKind.BEHAVIOURAL, red_flags=1) < question_score(GOOD, QuestionKind.BEHAVIOURAL)


def test_partial_session_never_beats_the_complete_one() -> None:
    # Used to fool it: 1 of 5 answered scored 58, all 5 answered well scored 44.
    complete = [_fb(f"q{i}", AnswerStatus.ANSWERED) for i in range(5)]
    partial_unasked = [_fb("q0", AnswerStatus.ANSWERED)] + [_fb(f"q{i}", AnswerStatus.NOT_ASKED) for i in range(1, 5)]
    partial_silent = [_fb("q0", AnswerStatus.ANSWERED)] + [_fb(f"q{i}", AnswerStatus.NOT_ANSWERED) for i in range(1, 5)]
    full = combine(complete)
    assert combine(partial_unasked).overall < full.overall
    assert combine(partial_silent).overall < full.overall
    assert combine(partial_silent).unanswered == 4
    for name in ("relevance", "depth"):
        assert combine(partial_silent).dimensions[name] < full.dimensions[name]


def test_a_session_of_non_answers_is_not_assessable() -> None:
    combined = combine([_fb("q0", AnswerStatus.NON_ANSWER), _fb("q1", AnswerStatus.NOT_ANSWERED)])
    assert not combined.assessable
    assert combined.overall <= NON_ANSWER_MAX


def test_unsupported_score_counts_as_zero() -> None:
    fb = _fb("q0", AnswerStatus.ANSWERED).model_copy(update={"supported": False})
    assert combine([fb]).overall == 0


def test_reports_stored_before_the_model_still_load() -> None:
    old = {"assessable": True, "summary": "s", "overall_score": 50,
           "questions": [{"question_id": "q1", "question": "Why?", "asked": True, "score": 50,
                          "evidence": [{"quote": "I did it", "t": 1.0, "verified": True}]}]}
    report = Report.model_validate(old)
    assert report.transcript_quality == "exact"
    assert report.questions[0].status is None and report.questions[0].evidence[0].source == "verbatim"
    assert combine(report.questions).answered == 1


def test_history_leaves_out_sessions_that_are_not_assessable() -> None:
    # Used to fool it: a 12-second session topped History's "best".
    from interview_tui.domain.models import SessionRecord
    from interview_tui.tui.screens.history import trend_points

    def record(n: int, report: Report | None) -> SessionRecord:
        return SessionRecord(id=f"s{n}", status="complete", jd_text="jd", jd_sha256="x", report=report,
                             created_at=float(n), updated_at=float(n))

    scored = Report(assessable=True, summary="s", overall_score=61)
    stale = Report(assessable=False, summary="nothing to assess", overall_score=90)  # e.g. stored by an old analyzer
    empty = Report(assessable=False, summary="nothing to assess")
    points = trend_points([record(1, scored), record(2, stale), record(3, empty), record(4, None)])
    assert [score for _, score in points] == [61]


def test_each_further_red_flag_lowers_the_ceiling() -> None:
    excellent = SubScores(relevance=95, structure=95, depth=95, communication=95)
    one, two, three = (question_score(excellent, QuestionKind.MOTIVATION, red_flags=n) for n in (1, 2, 3))
    assert one <= 55 and two <= 45 and three <= 39
