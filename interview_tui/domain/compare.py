"""Two sessions side by side: score and dimension deltas, and the questions both asked (pure, no UI).

The older session is `before`, the newer `after`, whatever order they were picked in. Only assessable reports
count (`scoring.counts_in_history`): a session that is not assessable has no scores to compare.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from interview_tui.domain.models import QuestionFeedback, Report, SessionRecord
from interview_tui.domain.scoring import counts_in_history


@dataclass(frozen=True)
class ScoreDelta:
    name: str
    before: int | None
    after: int | None

    @property
    def delta(self) -> int | None:
        return None if self.before is None or self.after is None else self.after - self.before


@dataclass(frozen=True)
class QuestionPair:
    """One question as answered in each session (None: not in that session's report)."""

    question: str
    before: QuestionFeedback | None
    after: QuestionFeedback | None


@dataclass(frozen=True)
class Comparison:
    before: SessionRecord
    after: SessionRecord
    overall: ScoreDelta
    dimensions: list[ScoreDelta]
    questions: list[QuestionPair]


def _scored(record: SessionRecord) -> Report | None:
    return record.report if counts_in_history(record.report) else None


def _key(feedback: QuestionFeedback) -> str:
    return " ".join(feedback.question.lower().split())


def pair_questions(before: Sequence[QuestionFeedback], after: Sequence[QuestionFeedback]) -> list[QuestionPair]:
    """Questions matched by id, else by their words; the newer session's order first, then what only the older
    one asked."""
    by_id = {q.question_id: q for q in before}
    by_text = {_key(q): q for q in before}
    used: set[int] = set()
    pairs: list[QuestionPair] = []
    for question in after:
        match = by_id.get(question.question_id) or by_text.get(_key(question))
        if match is not None and id(match) in used:
            match = None
        if match is not None:
            used.add(id(match))
        pairs.append(QuestionPair(question.question, match, question))
    pairs += [QuestionPair(q.question, q, None) for q in before if id(q) not in used]
    return pairs


def compare_sessions(a: SessionRecord, b: SessionRecord) -> Comparison:
    before, after = sorted((a, b), key=lambda r: r.created_at)
    old, new = _scored(before), _scored(after)
    names = [d.name for d in (new.dimensions if new else [])]
    names += [d.name for d in (old.dimensions if old else []) if d.name not in names]

    def dimension(report: Report | None, name: str) -> int | None:
        return next((d.score for d in report.dimensions if d.name == name), None) if report else None

    return Comparison(
        before=before, after=after,
        overall=ScoreDelta("Overall", old.overall_score if old else None, new.overall_score if new else None),
        dimensions=[ScoreDelta(name, dimension(old, name), dimension(new, name)) for name in names],
        questions=pair_questions(before.report.questions if before.report else [],
                                 after.report.questions if after.report else []),
    )


def dimension_series(sessions: Sequence[SessionRecord]) -> dict[str, list[int | None]]:
    """Per dimension, its score in each assessable session (oldest first); None where a session lacks it."""
    reports = [r.report for r in sorted(sessions, key=lambda s: s.created_at)
               if r.report is not None and counts_in_history(r.report)]
    names: list[str] = []
    for report in reports:
        names += [d.name for d in report.dimensions if d.name not in names]
    return {name: [next((d.score for d in report.dimensions if d.name == name), None) for report in reports]
            for name in names}
