"""The Relevance line, per question and for the session: it names what was counted, so the number can be checked
against the words (docs/SCORING.md §2 and §4).

Per question (`question_relevance`): the talking points covered out of the question's own (or, when that lens
counted instead, out of the points any answer of its kind covers), how many earn full credit and what share of
relevance points carry, then the parts of the shape the question asks for; with a model, the level it gave and
the points backed by a verified quote. For the session (`session_relevance`): the dimension is the mean of the
listed per-question values (as `scoring.combine` computes it), with the points covered named per question.
Pure text from the report's own data: every view (Report screen, text report, export) shows the same words.
"""

from __future__ import annotations

from collections.abc import Sequence

from interview_tui.domain.figures import percent
from interview_tui.domain.models import AnswerStatus, QuestionFeedback, RelevanceBasis, ShapePart
from interview_tui.domain.scoring import dimension_value, status_of

_NOT_COUNTED = {
    AnswerStatus.NOT_ASKED: "not asked",
    AnswerStatus.NOT_ANSWERED: "not answered",
    AnswerStatus.NON_ANSWER: "not an answer",
}


def _part(part: ShapePart) -> str:
    mark = "✓" if part.met >= 1 else "✗" if part.met <= 0 else "partly"
    return f"{part.label} {mark}"


def _pct(share: float) -> str:
    return percent(share)


def _points(basis: RelevanceBasis) -> str:
    own = f"{basis.points_covered} of this question's {basis.points_total} talking points covered"
    if basis.kind_points_covered is not None and basis.kind_points_total is not None:
        return (f"{own}, but {basis.kind_points_covered} of the {basis.kind_points_total} points any answer of its "
                "kind covers, which counted instead")
    return own


def question_relevance(q: QuestionFeedback) -> str:
    """One answered question's Relevance line ("" when there is no score or nothing recorded to explain it)."""
    basis, sub = q.relevance_basis, q.subscores
    if (basis is None or sub is None or sub.relevance is None or status_of(q) is not AnswerStatus.ANSWERED
            or not q.supported):
        return ""
    head = f"Relevance {sub.relevance}/100: "
    if basis.model_level is not None:
        return (head + f"rated {basis.model_level.value} by the model against the anchors ({basis.model_level.value}"
                f" = {sub.relevance}); {basis.points_covered} of this question's {basis.points_total} talking "
                "points backed by a quote from your answer.")
    weight = basis.point_weight if basis.point_weight is not None else 1.0
    text = head + _points(basis)
    if basis.points_full is not None:
        text += (f" (covering {basis.points_full} earns the full credit for points, which are {_pct(weight)} of "
                 "relevance)")
    if basis.shape_parts:
        parts = ", ".join(_part(p) for p in basis.shape_parts)
        text += f"; as {basis.shape or 'an answer'}: {parts} (the other {_pct(1 - weight)})"
    text += "."
    if basis.echo_factor is not None:
        text += f" Then lowered by {_pct(1 - basis.echo_factor)} for reading the question back."
    return text


def session_relevance(questions: Sequence[QuestionFeedback]) -> str:
    """The session's Relevance line: the mean of the listed per-question values (as `combine` computes the
    dimension), and what each counted."""
    listed: list[str] = []
    covered: list[str] = []
    n_covered = n_total = 0
    by_model = False
    for number, q in enumerate(questions, 1):
        value = dimension_value(q, "relevance")
        if value is None:
            continue
        status = status_of(q)
        if status is not AnswerStatus.ANSWERED:
            listed.append(f"{number} → {value} ({_NOT_COUNTED[status]})")
            continue
        if not q.supported:
            listed.append(f"{number} → 0 (unsupported)")
            continue
        listed.append(f"{number} → {value}")
        basis = q.relevance_basis
        if basis is not None:
            by_model = by_model or basis.model_level is not None
            n_covered += basis.points_covered
            n_total += basis.points_total
            note = f"{number}: {basis.points_covered} of {basis.points_total}"
            if basis.kind_points_covered is not None:
                note += f" (its kind's {basis.kind_points_covered} of {basis.kind_points_total} counted)"
            covered.append(note)
    if not listed:
        return ""
    text = f"The mean of {len(listed)} question(s): {', '.join(listed)}."
    if covered and by_model:
        text += (" Each is the model's level for how well the answer covers its question's talking points; points "
                 f"backed by a quote from your answer: {n_covered} of the {n_total} ({'; '.join(covered)}).")
    elif covered:
        text += (f" Each counts the talking points covered in your own words — {n_covered} of the {n_total} in "
                 f"these questions' rubrics ({'; '.join(covered)}) — and whether the answer had the shape its "
                 "question asks for (see each question).")
    return text
