"""The offline interviewer's logic, shared by text mode and local voice (no I/O, no audio).

A greeting, then the plan's questions in order; at most one follow-up per question: a prompt for more when the
answer is very short, otherwise a probe on the first talking point of the question's rubric the answer did not
cover (strong answers get one too); acknowledgements that judge nothing; "can you repeat the question?" repeats
it; a closing line when the questions run out. The 15:00 auto-end is the live session's job.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from interview_tui.domain.cues import StemmedText
from interview_tui.domain.metrics import SHORT_ANSWER_WORDS, word_count
from interview_tui.domain.models import InterviewPlan, Question, QuestionKind, TalkingPoint
from interview_tui.domain.repeat_requests import is_repeat_request

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
FORWARD_FOLLOW_UP = ("Could you make that a little more concrete? What would you do first, and how would you know "
                     "it had worked?")
"""For questions about the future ("where would you like to be in a year?"): no past example to ask for."""
TRANSITIONS = ("Thank you.", "Okay.", "Thanks.", "Alright.")
"""Neutral on purpose: an acknowledgement must not praise an answer it has not judged (or an off-topic one)."""
_FORWARD = re.compile(r"\b(would you|will you|a year from now|in (the next|a) (year|few years)|where do you see|"
                      r"in five years|going forward|first (90|ninety|hundred) days|plan to)\b", re.IGNORECASE)
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
        if question is not None and is_repeat_request(answer):
            return self.repeat()
        if question is not None and not self._followed_up:
            follow_up = follow_up_for(question, answer)
            if follow_up is not None:
                self._followed_up = True
                return [ScriptLine(follow_up, question.id, follow_up=True)]
        return self._advance(first=False)

    def repeat(self) -> list[ScriptLine]:
        """The current question again (the candidate asked for it); it does not count as an answer."""
        question = self.current
        if question is None or self.done:
            return []
        return [ScriptLine(f"Of course. {question.text}", question.id)]

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


def is_forward_looking(question: Question) -> bool:
    """A question about what the candidate would do or become (no past example to ask for)."""
    return question.kind is not QuestionKind.TECHNICAL and _FORWARD.search(question.text) is not None


def uncovered_point(question: Question, answer: str) -> TalkingPoint | None:
    """The first talking point of the question's rubric whose cues the answer never touches."""
    from interview_tui.domain.rubrics import rubric_for

    try:
        rubric = question.rubric or rubric_for(question)
    except Exception:  # rubric data missing or unreadable: no probe rather than no interview
        log.warning("no rubric for question %s", question.id, exc_info=True)
        return None
    said = StemmedText(answer)
    return next((p for p in rubric.talking_points if p.cues and not said.hits(p.cues)), None)


_IRREGULAR_PAST = {"took", "built", "brought", "kept", "knew", "left", "found", "went", "said", "told", "had",
                   "understood", "set", "let", "made", "gave", "wrote", "ran", "led", "met", "sent", "spent", "chose"}


def addressed_to_candidate(criterion: str) -> str:
    """A rubric criterion ("Describes the steps taken") as said to the candidate: "a strong answer here describes
    the steps taken"; "Took the initiative" → "a strong answer here says you took the initiative". A
    criterion that does not open with a verb is quoted as written after "covers this:". Its other words stay as
    written: a "they" may be the candidate or the thing discussed, and guessing wrong reads worse than a rubric."""
    text = " ".join(criterion.split()).rstrip(".?!")
    first, *rest = text.split(" ", 2)
    subject = bool(rest) and rest[0].lower() in {"are", "is", "were", "was", "have", "has", "should", "must"}
    verb = first[:1].isupper() and first[1:].islower() and first.isalpha() and not subject
    said = text[len(first):]
    if verb and first.endswith("s"):  # "Describes …"
        return f"a strong answer here {first.lower()}{said}"
    if verb and (first.endswith("ed") or first.lower() in _IRREGULAR_PAST):  # "Took the initiative personally"
        return f"a strong answer here says you {first.lower()}{said}"
    return f"a strong answer here covers this: {text}"


def probe(point: TalkingPoint) -> str:
    """A follow-up on a talking point the answer missed, in the candidate's terms (see `addressed_to_candidate`)."""
    said = addressed_to_candidate(point.text)
    return f"Thanks. Before we move on, could you also speak to this? {said[:1].upper()}{said[1:]}."


def follow_up_for(question: Question, answer: str) -> str | None:
    """What to ask after `answer`, or None to move on: more when it is very short (never "an example" for a
    question about the future), else a probe on what it did not cover."""
    if word_count(answer) < SHORT_ANSWER_WORDS:
        return FORWARD_FOLLOW_UP if is_forward_looking(question) else FOLLOW_UPS[question.kind]
    point = uncovered_point(question, answer)
    return probe(point) if point is not None else None
