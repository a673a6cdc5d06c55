"""The offline interviewer's logic, shared by text mode and local voice (no I/O, no audio).

A greeting, then the plan's questions in order; one follow-up prompt when an answer is very short; a closing
line when the questions run out. The 15:00 auto-end is the live session's job (it calls `engine.stop()`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from interview_tui.domain.metrics import SHORT_ANSWER_WORDS, word_count
from interview_tui.domain.models import InterviewPlan, Question, QuestionKind

log = logging.getLogger(__name__)

FOLLOW_UPS: dict[QuestionKind, str] = {
    QuestionKind.BEHAVIOURAL: ("Could you say a bit more? Take one specific example: what the situation was, what "
                               "you did yourself, and how it turned out."),
    QuestionKind.TECHNICAL: ("Could you go a little deeper? For example, how it works, a trade-off you "
                             "considered, or a time you used it in practice."),
    QuestionKind.SITUATIONAL: ("Could you walk me through that step by step? What would you do first, who "
                               "would you involve, and how would you know it worked?"),
    QuestionKind.MOTIVATION: ("Could you make that a little more concrete? For example, something you have done "
                              "that shows it, and what it means for this role."),
}
TRANSITIONS = ("Thank you.", "Thanks, that's helpful.", "Okay, thank you.", "Great, thanks.")
ENDED_REASON = "The interviewer has asked all the questions."


@dataclass(frozen=True)
class ScriptLine:
    """One thing the interviewer says."""

    text: str
    question_id: str | None = None
    follow_up: bool = False
    final: bool = False


class InterviewerScript:
    """Asks the plan's questions in order; call `opening()` once, then `respond(answer)` after each answer."""

    def __init__(self, plan: InterviewPlan, candidate_name: str = "") -> None:
        self.plan = plan
        self.candidate_name = candidate_name.strip()
        self._index = -1
        self._followed_up = False
        self.done = False

    @property
    def current(self) -> Question | None:
        qs = self.plan.questions
        return qs[self._index] if 0 <= self._index < len(qs) else None

    def opening(self, start_at: int = 0) -> list[ScriptLine]:
        """The greeting and the first question; `start_at` > 0 continues an interrupted interview there."""
        name = f", {self.candidate_name}" if self.candidate_name else ""
        if start_at > 0:
            self._index = min(start_at, len(self.plan.questions)) - 1
            total = len(self.plan.questions)
            welcome = (f"Welcome back{name}. Let's pick up where we stopped, with question {self._index + 2} of "
                       f"{total}." if self._index + 1 < total else f"Welcome back{name}.")
            return [ScriptLine(welcome), *self._advance(first=True)]
        role = f" for the {self.plan.role_title} role" if self.plan.role_title else ""
        n = len(self.plan.questions)
        greeting = (f"Hello{name}, and thanks for joining this practice interview{role}. I will ask you {n} "
                    f"question{'s' if n != 1 else ''} over the next fifteen minutes. Take your time, and answer "
                    "as you would in a real interview. Let's begin.")
        return [ScriptLine(greeting), *self._advance(first=True)]

    def respond(self, answer: str) -> list[ScriptLine]:
        """The interviewer's next line(s) after the candidate's answer."""
        if self.done:
            return []
        question = self.current
        if question is not None and not self._followed_up and word_count(answer) < SHORT_ANSWER_WORDS:
            self._followed_up = True
            return [ScriptLine(FOLLOW_UPS[question.kind], question.id, follow_up=True)]
        return self._advance(first=False)

    def _advance(self, *, first: bool) -> list[ScriptLine]:
        self._index += 1
        self._followed_up = False
        question = self.current
        if question is None:
            self.done = True
            return [ScriptLine("Thank you, that was my last question. That is the end of the interview; your "
                               "report will be ready in a moment. Good luck!", final=True)]
        if first:
            return [ScriptLine(question.text, question.id)]
        prefix = TRANSITIONS[self._index % len(TRANSITIONS)]
        if self._index == len(self.plan.questions) - 1:
            prefix += " Last question."
        return [ScriptLine(f"{prefix} {question.text}", question.id)]
