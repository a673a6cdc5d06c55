"""Speaking times for a provider transcript, which gives each turn's start (`time_in_call_secs`) but no end.

A candidate's turn ends where the live session heard its final words (the live turn with the same text, received
when the speech recogniser finished), and never after the next turn starts. Without a live match it ends at the
next turn's start, bounded by a generous speaking rate; the last turn by that rate alone.
"""

from __future__ import annotations

from collections.abc import Sequence

from interview_tui.domain.models import Transcript, Turn

SLOWEST_WORDS_PER_S = 1.2
"""No answer is taken to last longer than its words at this (very slow) rate."""
TYPICAL_WORDS_PER_S = 2.5


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


def with_end_times(transcript: Transcript, live: Sequence[Turn]) -> Transcript:
    """`transcript` with `end_t` filled in where it was missing (turns already timed are kept as they are)."""
    if all(t.end_t is not None for t in transcript.turns):
        return transcript
    heard: dict[tuple[str | None, str], float] = {}  # (conversation, normalised text) → when it was heard
    for turn in live:
        if turn.role == "user":
            heard.setdefault((turn.conversation_id, _norm(turn.text)), turn.t)
    turns = transcript.turns
    timed: list[Turn] = []
    for i, turn in enumerate(turns):
        if turn.end_t is not None:
            timed.append(turn)
            continue
        words = max(1, len(turn.text.split()))
        next_start = next((t.t for t in turns[i + 1:] if t.t > turn.t), None)
        longest = turn.t + max(2.0, words / SLOWEST_WORDS_PER_S)
        end = heard.get((turn.conversation_id, _norm(turn.text))) if turn.role == "user" else None
        if end is None or end <= turn.t:
            end = min(next_start, longest) if next_start is not None else turn.t + words / TYPICAL_WORDS_PER_S
        elif next_start is not None:
            end = min(end, next_start)
        timed.append(turn.model_copy(update={"end_t": round(max(end, turn.t), 2)}))
    return transcript.model_copy(update={"turns": timed})
