"""Where each answer is in a session's recording: time spans from the transcript's turn times (pure)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from interview_tui.domain.metrics import group_answers
from interview_tui.domain.models import Turn

LEAD_IN_S = 0.3
TAIL_S = 0.5


@dataclass(frozen=True)
class AnswerSpan:
    index: int
    start_s: float
    end_s: float
    text: str
    question: str = ""

    @property
    def length_s(self) -> float:
        return self.end_s - self.start_s


def answer_spans(turns: Sequence[Turn], total_s: float) -> list[AnswerSpan]:
    """One span per answer (consecutive candidate turns), inside [0, total_s].

    With word timing (`end_t`) a span is the answer itself plus a little air. Without it — live transcripts time
    a turn when its text arrives, providers when speech began — a span runs from the question that prompted the
    answer to the next question, which holds the answer either way.
    """
    agent_times = sorted(t.t for t in turns if t.role == "agent")
    spans: list[AnswerSpan] = []
    for answer in group_answers(list(turns)):
        if answer.timed and answer.end is not None:
            start, end = answer.start - LEAD_IN_S, answer.end + TAIL_S
        else:
            start = answer.prompt.t if answer.prompt is not None else 0.0
            last = answer.turns[-1].t
            end = next((t for t in agent_times if t > last), total_s)
        start = min(max(0.0, start), total_s)
        end = min(max(end, start), total_s)
        if end - start > 0.05:
            question = answer.prompt.text if answer.prompt is not None else ""
            spans.append(AnswerSpan(len(spans), start, end, answer.text, question))
    return spans
