"""Reports on the shared scoring model for view tests: every per-question state the views must show."""

from __future__ import annotations

from interview_tui.domain.models import (
    AnswerStatus,
    DimensionScore,
    Evidence,
    Highlight,
    NonAnswerKind,
    PointCoverage,
    QuestionFeedback,
    QuestionKind,
    RatingLevel,
    Recommendation,
    RelevanceBasis,
    Report,
    SpeechMetrics,
    StarParts,
    SubScores,
    Verification,
)
from tests.doubles import sample_plan

ANSWER_1 = ("I designed the payments API at my last job, using FastAPI and PostgreSQL. Duplicate charges were "
            "our top support issue, so I added idempotency keys and we cut duplicates to zero in a month.")


def feedback_report(*, rough: bool = False) -> Report:
    """Scored answer with ticked points, STAR and a stronger rewrite; an unsupported one; a non-answer; one not
    asked. `rough`: the words were recognised offline (quotes heard, with confidence)."""
    plan = sample_plan().questions

    def ev(quote: str, t: float, confidence: float) -> Evidence:
        if rough:
            return Evidence(quote=quote, t=t, verified=True, source="heard", confidence=confidence)
        return Evidence(quote=quote, t=t, verified=True)

    q1 = QuestionFeedback(
        question_id="q1", question=plan[0].text, asked=True, score=74, kind=QuestionKind.BEHAVIOURAL,
        status=AnswerStatus.ANSWERED, rating=RatingLevel.GOOD,
        subscores=SubScores(relevance=70, structure=70, depth=90, communication=70), answer=ANSWER_1,
        points=[PointCoverage(text="Sets the scene: what was at stake", covered=True,
                              evidence=ev("Duplicate charges were our top support issue", 12.0, 0.81)),
                PointCoverage(text="Says what they personally did", covered=True,
                              evidence=ev("I added idempotency keys", 15.0, 0.74)),
                PointCoverage(text="Reflects on what they would do differently", covered=False)],
        red_flags=["Only says what \"we\" did, never what \"I\" did"],
        star=StarParts(situation=True, task=False, action=True, result=True),
        relevance_basis=RelevanceBasis(points_covered=2, points_total=3, model_level=RatingLevel.GOOD),
        strengths="A measured result.", improvements="Say what you learned.",
        evidence=[ev("we cut duplicates to zero in a month", 18.5, 0.62)],
        stronger_answer=("At my last job duplicate charges were our top support issue. I added idempotency keys "
                         "to the payments API, and within a month duplicates fell to zero. [What you learned]."))
    q2 = QuestionFeedback(
        question_id="q2", question=plan[1].text, asked=True, score=None, kind=QuestionKind.TECHNICAL,
        status=AnswerStatus.ANSWERED, supported=False, answer="I would use a unique constraint on a request key.",
        points=[PointCoverage(text="States the approach correctly", covered=False)])
    q3 = QuestionFeedback(
        question_id="q3", question=plan[2].text, asked=True, score=4, kind=QuestionKind.SITUATIONAL,
        status=AnswerStatus.NON_ANSWER, non_answer=NonAnswerKind.DONT_KNOW, answer="I don't know, sorry.",
        improvements="Walk through what you would check first, even if unsure.")
    q4 = QuestionFeedback(question_id="q4", question="Where do you see yourself in a year?", asked=False,
                          kind=QuestionKind.MOTIVATION, status=AnswerStatus.NOT_ASKED)
    return Report(
        assessable=True, summary="One strong, measured story; one answer withheld for lack of a supporting quote.",
        overall_score=20,
        dimensions=[DimensionScore(name="Relevance to the question", score=18, rationale="One answer on target."),
                    DimensionScore(name="Depth / role knowledge", score=24, rationale="Specific where answered.")],
        questions=[q1, q2, q3, q4],
        highlights=[Highlight(text="A measured result", evidence=ev("we cut duplicates to zero in a month", 18.5,
                                                                    0.62))],
        recommendations=[Recommendation(text="Answer every question, even briefly.",
                                        drill="Answer three technical questions in one minute each.")],
        metrics=SpeechMetrics(candidate_words=52, answer_count=3, timing_available=False),
        verification=Verification(claims_total=5, claims_verified=4, claims_dropped=1),
        engine="gemini-2.5-pro", engine_version="gemini-3.8-flash", model_version="rubric-1",
        transcript_quality="rough" if rough else "exact", recognition_confidence=0.58 if rough else None)
