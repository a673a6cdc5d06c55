"""Where an interrupted interview picks up: the next question the candidate has not answered yet."""

from __future__ import annotations

from collections.abc import Sequence

from interview_tui.domain.models import InterviewPlan, Turn
from interview_tui.domain.question_match import best_match
from interview_tui.domain.repeat_requests import is_repeat_request

MIN_ANSWER_WORDS = 3
"""A reply shorter than this ("sorry?", "one moment") does not answer a question."""


def next_question_index(plan: InterviewPlan, turns: Sequence[Turn]) -> int:
    """The plan question to ask next: the last one asked if it has no answer yet, else the one after it
    (questions are asked in order). 0 when none was asked; len(questions) when all were answered."""
    asked: int | None = None
    answered = False
    for turn in turns:
        if turn.role == "agent":
            found = best_match(turn.text, plan.questions)
            if found is not None:
                index = plan.questions.index(found[0])
                if index != asked:
                    asked, answered = index, False
        elif asked is not None and len(turn.text.split()) >= MIN_ANSWER_WORDS and not is_repeat_request(turn.text):
            answered = True
    if asked is None:
        return 0
    return asked + 1 if answered else asked
