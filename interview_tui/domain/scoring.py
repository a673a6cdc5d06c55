"""The scoring model shared by every analyzer (see docs/SCORING.md).

An analyzer judges each asked question on its own: its status (answered, a non-answer, asked but unanswered, not
asked), four sub-scores against the question's rubric, and the red flags it shows. Everything after that is
mechanical and lives here:

- `question_score(subscores, kind, ...)`: one fixed, kind-weighted formula per question, with a non-answer capped
  near zero and communication capped by content;
- `rating_for(score)`: the worded level (poor / mixed / good / excellent) a score falls in;
- `combine(questions)`: the overall and per-dimension scores from the per-question results; a question asked but
  not answered counts as zero, so a partial session can never beat the complete one.

No model and no analyzer sets the overall score itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from interview_tui.domain.models import (
    AnswerStatus,
    NonAnswerKind,
    PointCoverage,
    QuestionFeedback,
    QuestionKind,
    RatingLevel,
    Report,
    StarParts,
    SubScores,
)

__all__ = [
    "DIMENSION_NAMES",
    "LEVELS",
    "MODEL_VERSION",
    "NON_ANSWER_MAX",
    "AnswerStatus",
    "Combined",
    "Level",
    "NonAnswerKind",
    "PointCoverage",
    "RatingLevel",
    "StarParts",
    "SubScores",
    "combine",
    "counts_in_history",
    "dimension_value",
    "question_score",
    "rating_for",
    "scored_subscores",
    "status_of",
]

MODEL_VERSION = "rubric-1"
"""Stored in `Report.model_version`; bump when the formula changes so old scores are not compared blindly."""

NON_ANSWER_MAX = 10
"""The most a non-answer (empty, "I don't know", gibberish, stuffing, …) can score for its question."""

RED_FLAG_PENALTY = 8
"""Points taken off a question's score per red flag shown (at most `RED_FLAG_MAX_PENALTY`)."""
RED_FLAG_MAX_PENALTY = 20
RED_FLAG_CAP = 55
"""An answer showing a red flag is at best "mixed" (the anchors: a good answer has no red flags); each further
flag lowers that ceiling by `RED_FLAG_CAP_STEP`, down to poor."""
RED_FLAG_CAP_STEP = 10

COMMUNICATION_HEADROOM = 20
"""Communication may exceed the answer's content (mean of relevance and depth) by at most this much."""


@dataclass(frozen=True)
class Level:
    """A rating level: its score band (inclusive) and what an answer at that level looks like."""

    level: RatingLevel
    low: int
    high: int
    anchor: str


LEVELS: dict[RatingLevel, Level] = {
    RatingLevel.POOR: Level(
        RatingLevel.POOR,
        0,
        39,
        "Does not answer the question: empty, evasive, off-topic or generic, with no concrete example, and covers "
        "at most one talking point.",
    ),
    RatingLevel.MIXED: Level(
        RatingLevel.MIXED,
        40,
        59,
        "Answers the question in general terms: some talking points covered, but vague about what the candidate "
        "personally did, missing the outcome or the reasoning, or weakened by a red flag.",
    ),
    RatingLevel.GOOD: Level(
        RatingLevel.GOOD,
        60,
        79,
        "A clear, specific answer: most talking points covered with a concrete example, the candidate's own "
        "actions and an outcome (or, for technical questions, a correct approach with reasons), no red flags.",
    ),
    RatingLevel.EXCELLENT: Level(
        RatingLevel.EXCELLENT,
        80,
        100,
        "Everything a good answer has, plus evidence of judgement: trade-offs weighed, a measured result, what "
        "was learned or would be done differently, pitched at the level of the role, and concise.",
    ),
}

DIMENSION_NAMES: dict[str, str] = {
    "relevance": "Relevance to the question",
    "structure": "Structure (STAR)",
    "depth": "Depth / role knowledge",
    "communication": "Communication",
}
"""Sub-score field → the dimension's display name, in report order."""

_WEIGHTS: dict[QuestionKind, dict[str, float]] = {
    QuestionKind.BEHAVIOURAL: {"relevance": 0.35, "structure": 0.20, "depth": 0.30, "communication": 0.15},
    QuestionKind.SITUATIONAL: {"relevance": 0.35, "structure": 0.20, "depth": 0.30, "communication": 0.15},
    QuestionKind.TECHNICAL: {"relevance": 0.40, "depth": 0.45, "communication": 0.15},
    QuestionKind.MOTIVATION: {"relevance": 0.45, "depth": 0.35, "communication": 0.20},
}
"""How much each sub-score counts for a question of each kind. Structure (STAR) only counts where a story is
expected; a sub-score that is None is left out and the rest re-weighted."""


def _clamp(value: float) -> int:
    return max(0, min(100, round(value)))


def rating_for(score: int) -> RatingLevel:
    """The level whose band holds `score`."""
    for level in LEVELS.values():
        if level.low <= score <= level.high:
            return level.level
    return RatingLevel.EXCELLENT if score > 100 else RatingLevel.POOR


def star_applies(kind: QuestionKind | None) -> bool:
    """STAR structure is judged only where a story is asked for."""
    return kind in (QuestionKind.BEHAVIOURAL, QuestionKind.SITUATIONAL)


def capped_communication(subscores: SubScores) -> int | None:
    """Communication limited by content: a fluent answer that says nothing cannot communicate well."""
    if subscores.communication is None:
        return None
    content = [v for v in (subscores.relevance, subscores.depth) if v is not None]
    if not content:
        return subscores.communication
    return min(subscores.communication, _clamp(sum(content) / len(content) + COMMUNICATION_HEADROOM))


def scored_subscores(subscores: SubScores) -> SubScores:
    """The sub-scores as scored, to be stored and shown: communication capped by content (`capped_communication`).

    Every analyzer stores these, so a question's communication, the Communication dimension (`combine`) and the
    score (`question_score`) all use the same value."""
    return subscores.model_copy(update={"communication": capped_communication(subscores)})


def question_score(
    subscores: SubScores,
    kind: QuestionKind,
    *,
    status: AnswerStatus = AnswerStatus.ANSWERED,
    red_flags: int = 0,
) -> int | None:
    """One question's score (0–100) from its sub-scores, by the fixed kind-weighted formula.

    Not asked → None (it is left out of nothing: `combine` decides). Asked but not answered → 0. A non-answer
    scores at most `NON_ANSWER_MAX`. Each red flag costs `RED_FLAG_PENALTY` (at most `RED_FLAG_MAX_PENALTY`), and
    an answer with a red flag scores at most `RED_FLAG_CAP` (mixed), 10 less for each further flag (down to poor).
    """
    if status is AnswerStatus.NOT_ASKED:
        return None
    if status is AnswerStatus.NOT_ANSWERED:
        return 0
    values = {
        "relevance": subscores.relevance,
        "structure": subscores.structure if star_applies(kind) else None,
        "depth": subscores.depth,
        "communication": capped_communication(subscores),
    }
    weights = _WEIGHTS[kind]
    present = {name: value for name, value in values.items() if value is not None}
    used = {name: w for name, w in weights.items() if name in present}
    if not used:
        return 0
    raw = sum(present[name] * w for name, w in used.items()) / sum(used.values())
    raw -= min(RED_FLAG_MAX_PENALTY, RED_FLAG_PENALTY * max(0, red_flags))
    if red_flags > 0:
        raw = min(raw, max(LEVELS[RatingLevel.POOR].high, RED_FLAG_CAP - RED_FLAG_CAP_STEP * (red_flags - 1)))
    score = _clamp(raw)
    if status is AnswerStatus.NON_ANSWER:
        return min(NON_ANSWER_MAX, round(score * NON_ANSWER_MAX / 100))
    return score


def status_of(feedback: QuestionFeedback) -> AnswerStatus:
    """A question's status, derived for reports stored before the scoring model had one."""
    if feedback.status is not None:
        return feedback.status
    if not feedback.asked:
        return AnswerStatus.NOT_ASKED
    return AnswerStatus.ANSWERED if feedback.score is not None else AnswerStatus.NOT_ANSWERED


@dataclass(frozen=True)
class Combined:
    """What `combine` computes from the per-question results."""

    overall: int | None
    dimensions: dict[str, int | None]
    """Sub-score field (see `DIMENSION_NAMES`) → its session score; None where no question judged it."""
    asked: int
    answered: int
    non_answers: int
    unanswered: int
    planned: int

    @property
    def assessable(self) -> bool:
        """At least one question got a real answer; otherwise there is nothing fair to score."""
        return self.answered > 0 and self.overall is not None


def _counted_score(fb: QuestionFeedback) -> int:
    """The score a question contributes: its own, 0 when asked but unanswered or withheld as unsupported."""
    status = status_of(fb)
    if status in (AnswerStatus.NOT_ANSWERED, AnswerStatus.NOT_ASKED) or fb.score is None or not fb.supported:
        return 0
    return fb.score


def dimension_value(fb: QuestionFeedback, name: str, *, count_unasked: bool = True) -> int | None:
    """What one question contributes to a dimension (a `SubScores` field) in `combine`; None = left out.

    Structure only where a story is asked for; a question not asked (when `count_unasked`), asked but not
    answered, or withheld as unsupported → 0; communication capped by content; a non-answer at most
    `NON_ANSWER_MAX`; a sub-score the question does not have → left out."""
    if name == "structure" and not star_applies(fb.kind):
        return None
    status = status_of(fb)
    if status is AnswerStatus.NOT_ASKED:
        return 0 if count_unasked else None
    if status is AnswerStatus.NOT_ANSWERED or not fb.supported:
        return 0
    sub = fb.subscores
    if sub is None:
        return None
    value: int | None = capped_communication(sub) if name == "communication" else getattr(sub, name)
    if value is None:
        return None
    return min(value, NON_ANSWER_MAX) if status is AnswerStatus.NON_ANSWER else value


def combine(questions: Sequence[QuestionFeedback], *, count_unasked: bool = True) -> Combined:
    """The overall and dimension scores, computed mechanically from the per-question results.

    overall = the mean question score over every planned question, where a question asked but not answered, a
    question not asked (when `count_unasked`, the default: the session ended before it) and a question whose
    score is withheld as unsupported each count as 0. So answering more of the plan never lowers the overall, and a
    partial session cannot beat the same session completed. A dimension is the mean of that sub-score over the
    questions that judge it (structure: behavioural/situational only), with unanswered questions as 0.
    """
    statuses = [status_of(fb) for fb in questions]
    asked = sum(s is not AnswerStatus.NOT_ASKED for s in statuses)
    answered = sum(s is AnswerStatus.ANSWERED for s in statuses)
    non_answers = sum(s is AnswerStatus.NON_ANSWER for s in statuses)
    unanswered = sum(s is AnswerStatus.NOT_ANSWERED for s in statuses)
    pairs = list(zip(questions, statuses, strict=True))
    counted = [fb for fb, s in pairs if count_unasked or s is not AnswerStatus.NOT_ASKED]
    overall = round(sum(_counted_score(fb) for fb in counted) / len(counted)) if counted and asked else None

    dimensions: dict[str, int | None] = {}
    for name in DIMENSION_NAMES:
        found = (dimension_value(fb, name, count_unasked=count_unasked) for fb in questions)
        values = [v for v in found if v is not None]
        dimensions[name] = round(sum(values) / len(values)) if values and asked else None
    return Combined(
        overall=overall,
        dimensions=dimensions,
        asked=asked,
        answered=answered,
        non_answers=non_answers,
        unanswered=unanswered,
        planned=len(questions),
    )


def counts_in_history(report: Report | None) -> bool:
    """Whether a session's overall score belongs in History's trend, average and best: only an assessable report
    with an overall score (a session with no real answer is not a score of anything)."""
    return report is not None and report.assessable and report.overall_score is not None
