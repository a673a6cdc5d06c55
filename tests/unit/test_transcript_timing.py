"""Voice reports get speaking times (issue 11, problem 6): the provider transcript's turn starts
(`time_in_call_secs`) plus the live turns' timings give each answer an end, so pace and pauses are measured and
the report no longer says the answers were typed."""

from __future__ import annotations

from interview_tui.domain.metrics import compute_speech_metrics
from interview_tui.domain.models import Transcript, Turn
from interview_tui.domain.transcript_timing import with_end_times


def test_end_times_from_live_turns_and_next_starts() -> None:
    provider = Transcript(source="provider", turns=[
        Turn(role="agent", text="Tell me about a system you designed.", t=0, conversation_id="c1"),
        Turn(role="user", text="I designed the billing ledger with idempotency keys and an outbox.", t=4,
             conversation_id="c1"),
        Turn(role="agent", text="How did you test it?", t=20, conversation_id="c1"),
        Turn(role="user", text="With property tests.", t=23, conversation_id="c1"),
    ])
    live = [Turn(role="user", text="I designed the billing ledger with idempotency keys and an outbox.", t=12.5,
                 conversation_id="c1")]
    timed = with_end_times(provider, live).turns
    assert [t.end_t for t in timed] == [4, 12.5, 23, 23 + 3 / 2.5]
    assert all(t.end_t is not None and t.end_t >= t.t for t in timed)
    metrics = compute_speech_metrics(Transcript(source="provider", turns=timed))
    assert metrics.timing_available and metrics.words_per_minute is not None


def test_a_missing_live_match_is_bounded_by_a_slow_speaking_rate() -> None:
    provider = Transcript(source="provider", turns=[
        Turn(role="user", text="Yes.", t=10), Turn(role="agent", text="Next question.", t=60)])
    [answer, _] = with_end_times(provider, []).turns
    assert answer.end_t == 12.0  # not 60: a one-word answer did not last fifty seconds


def test_timed_transcripts_are_left_alone() -> None:
    typed = Transcript(turns=[Turn(role="user", text="hello there", t=1, end_t=2)])
    assert with_end_times(typed, []) is typed
