"""The Relevance line: per question and for the session it names what was counted, and the number follows from it."""

from __future__ import annotations

import json
import re

import pytest

from interview_tui.domain.answer_rating import points_for_full_credit, rate_answer
from interview_tui.domain.figures import percent
from interview_tui.domain.models import (
    AnswerStatus,
    InterviewPlan,
    QuestionFeedback,
    QuestionKind,
    RatingLevel,
    RelevanceBasis,
    SubScores,
    Transcript,
    Turn,
)
from interview_tui.domain.relevance_wording import question_relevance, session_relevance
from interview_tui.domain.rubrics import library, question_from_text, rubric_for
from interview_tui.domain.scoring import combine
from interview_tui.providers.local_analyzer import LocalAnalyzer
from tests.paths import ROOT

ANSWERS = json.loads((ROOT / "bench" / "data" / "feedback_eval.json").read_text(encoding="utf-8"))["pairs"]


def _rated(question: str, answer: str):
    q = question_from_text("q1", question)
    return q, rate_answer(question, q.kind, rubric_for(q), answer, kind_rubric=library().kinds[q.kind])


def _from_basis(basis: RelevanceBasis) -> int:
    """Relevance recomputed only from what the line states: points counted against the full-credit number, their
    share, the shape's parts, and the echo discount."""
    counted = basis.kind_points_covered if basis.kind_points_covered is not None else basis.points_covered
    weight = basis.point_weight
    assert weight is not None and basis.points_full is not None
    points = min(1.0, counted / basis.points_full)
    shape = sum(p.weight * p.met for p in basis.shape_parts)
    value = 10 + 90 * (weight * points + (1 - weight) * shape)
    return max(0, min(100, round(value * (basis.echo_factor or 1.0))))


@pytest.mark.parametrize("pair", ANSWERS[::3], ids=lambda p: p["id"])
def test_the_offline_relevance_follows_from_what_its_line_counts(pair: dict[str, str]) -> None:
    for answer in (pair["stronger"], pair["weaker"]):
        _, rating = _rated(pair["question"], answer)
        if rating.status is not AnswerStatus.ANSWERED:
            continue
        basis = rating.relevance
        assert basis is not None
        assert basis.points_covered == sum(p.covered for p in rating.points)  # the ticks the report shows
        assert basis.points_total == len(rating.points)
        assert abs(sum(p.weight for p in basis.shape_parts) - 1.0) < 1e-9
        assert abs(_from_basis(basis) - rating.subscores.relevance) <= 1  # rounding only


def test_full_credit_is_most_of_the_points_at_least_two() -> None:
    assert [points_for_full_credit(n) for n in (2, 3, 4, 5, 6)] == [2, 2, 3, 3, 4]


def _feedback(question: str, answer: str, number: str = "q1") -> QuestionFeedback:
    q, rating = _rated(question, answer)
    return QuestionFeedback(question_id=number, question=question, asked=True, kind=q.kind, status=rating.status,
                            score=rating.score, subscores=rating.subscores, points=rating.points,
                            relevance_basis=rating.relevance)


LEAVE = "Why do you want to leave your current job?"
LEAVE_ANSWER = ("I have been at my company for four years and I have learned a lot about running payments at scale. "
                "I want to work on a product where I can own the whole backend, and this role gives me that: your "
                "team is small and I would lead the ledger work from the start.")


def test_the_question_line_names_points_full_credit_and_shape() -> None:
    fb = _feedback(LEAVE, LEAVE_ANSWER)
    line = question_relevance(fb)
    basis = fb.relevance_basis
    assert basis is not None and fb.subscores is not None
    assert line.startswith(f"Relevance {fb.subscores.relevance}/100: ")
    assert f"{basis.points_covered} of this question's {len(fb.points)} talking points covered" in line
    assert f"covering {basis.points_full} earns the full credit" in line
    assert "as a motivation: " in line and "a link to this role ✓" in line


def test_the_line_says_when_the_generic_lens_counted_instead() -> None:
    story = ("At my last job I shipped a database migration without a rollback plan and it took checkout down for "
             "twenty minutes. I owned the incident, wrote the postmortem, and added staged rollouts with an "
             "automatic rollback, and since then we have had no failed migrations in two years.")
    fb = _feedback("Tell me about a time you failed.", story)
    basis = fb.relevance_basis
    assert basis is not None and basis.kind_points_covered is not None and basis.kind_points_total is not None
    assert basis.kind_points_covered > basis.points_covered
    assert (f"but {basis.kind_points_covered} of the {basis.kind_points_total} points any answer of its kind "
            "covers, which counted instead") in question_relevance(fb)


def test_an_echo_discount_is_stated() -> None:
    question = "What is the difference between a process and a thread in an operating system?"
    answer = ("A process has its own memory in the operating system, while a thread shares the memory of its process "
              "with other threads. So a thread is cheaper to create and switch, but a bug in one thread can crash "
              "the whole process.")
    fb = _feedback(question, answer)
    basis = fb.relevance_basis
    assert fb.status is AnswerStatus.ANSWERED and basis is not None and basis.echo_factor is not None
    lowered = percent(1 - basis.echo_factor)
    assert re.fullmatch(r"\d+%", lowered)
    assert f"Then lowered by {lowered} for reading the question back." in question_relevance(fb)


def test_no_line_without_a_scored_answer_or_for_old_reports() -> None:
    old = QuestionFeedback(question_id="q1", question="Q?", asked=True, score=60,
                           subscores=SubScores(relevance=60), status=AnswerStatus.ANSWERED)
    unsupported = old.model_copy(update={"supported": False, "relevance_basis": RelevanceBasis(
        points_covered=1, points_total=4)})
    not_asked = QuestionFeedback(question_id="q2", question="Q2?", asked=False, status=AnswerStatus.NOT_ASKED)
    assert question_relevance(old) == question_relevance(unsupported) == question_relevance(not_asked) == ""


def test_a_models_level_is_named_with_the_points_it_backed() -> None:
    fb = QuestionFeedback(question_id="q1", question="Q?", asked=True, score=70, status=AnswerStatus.ANSWERED,
                          kind=QuestionKind.TECHNICAL, subscores=SubScores(relevance=70, depth=70, communication=70),
                          relevance_basis=RelevanceBasis(points_covered=2, points_total=5,
                                                         model_level=RatingLevel.GOOD))
    assert question_relevance(fb) == ("Relevance 70/100: rated good by the model against the anchors (good = 70); 2 "
                                      "of this question's 5 talking points backed by a quote from your answer.")


def test_the_session_line_lists_the_values_whose_mean_is_the_dimension() -> None:
    plan = InterviewPlan.model_validate({"questions": [
        {"id": "q1", "text": LEAVE, "kind": "motivation", "skill": "Motivation"},
        {"id": "q2", "text": "What is your greatest weakness?", "kind": "motivation", "skill": "Self-awareness"},
        {"id": "q3", "text": "How would you design a rate limiter for a public API?", "kind": "technical",
         "skill": "System design"},
        {"id": "q4", "text": "Tell me about a time you disagreed with your manager.", "kind": "behavioural",
         "skill": "Conflict"},
    ], "experience_level": "mid", "domain_track": "backend"})
    transcript = Transcript(turns=[
        Turn(role="agent", text=LEAVE, t=0.0), Turn(role="user", text=LEAVE_ANSWER, t=1.0),
        Turn(role="agent", text="What is your greatest weakness?", t=2.0),
        Turn(role="agent", text="How would you design a rate limiter for a public API?", t=3.0),
        Turn(role="user", text="Yes.", t=4.0),
    ])
    report = LocalAnalyzer().analyze(transcript, plan)
    [relevance] = [d for d in report.dimensions if d.name.startswith("Relevance")]
    values = [int(v) for v in re.findall(r"\d → (\d+)", relevance.rationale)]
    assert len(values) == 4 and round(sum(values) / 4) == relevance.score == combine(report.questions).dimensions[
        "relevance"]
    assert "2 → 0 (not answered)" in relevance.rationale and "4 → 0 (not asked)" in relevance.rationale
    assert "3 → " in relevance.rationale and "(not an answer)" in relevance.rationale
    q1 = report.questions[0]
    assert q1.subscores is not None and f"1 → {q1.subscores.relevance}," in relevance.rationale
    covered = sum(p.covered for p in q1.points)
    assert f"1: {covered} of {len(q1.points)}" in relevance.rationale
    assert session_relevance(report.questions) == relevance.rationale
