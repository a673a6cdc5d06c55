"""Speech metrics from transcripts with known timing, words and fillers."""

from __future__ import annotations

import pytest

from interview_tui.domain import metrics as m
from interview_tui.domain.models import Transcript, Turn


def words_text(n: int, word: str = "design") -> str:
    return " ".join([word] * n)


def test_150_words_in_60_seconds_is_150_wpm() -> None:
    tr = Transcript(turns=[
        Turn(role="agent", text="Tell me about a project.", t=0.0, end_t=4.0),
        Turn(role="user", text=words_text(150), t=5.0, end_t=65.0),
    ])
    sm = m.compute_speech_metrics(tr)
    assert sm.candidate_words == 150
    assert sm.candidate_talk_s == 60.0
    assert sm.words_per_minute == 150.0
    assert sm.timing_available is True
    assert sm.answer_count == 1
    assert sm.answer_lengths_s == [60.0]
    assert sm.median_response_latency_s == 1.0
    assert sm.long_pauses == 0


def test_known_filler_count_and_rates() -> None:
    text = ("So, um, I led the migration. It was, like, hard, you know. I like Go. So we shipped it. "
            "Basically, uh, it worked and I think so.")
    tr = Transcript(turns=[Turn(role="user", text=text, t=0.0, end_t=30.0)])
    sm = m.compute_speech_metrics(tr)
    assert m.find_fillers(text) == ["so", "um", "like", "you know", "basically", "uh"]
    assert sm.filler_count == 6
    assert sm.fillers_per_minute == 12.0
    assert sm.fillers_per_100_words == round(600 / m.word_count(text), 2)
    assert set(sm.top_fillers) <= {"so", "um", "like", "you know", "basically", "uh"}
    assert len(sm.top_fillers) == 3


@pytest.mark.parametrize(("text", "expected"), [
    ("I like Python.", []),
    ("so we decided to split it", []),
    ("Actually, the cache was the problem.", ["actually"]),
    ("We were, basically, stuck.", ["basically"]),
    ("umm hmm er", ["umm", "hmm", "er"]),
    ("Right?", []),
    ("the umbrella and errand and summer", []),
])
def test_discourse_markers_only_when_isolated(text: str, expected: list[str]) -> None:
    assert m.find_fillers(text) == expected


def test_answers_grouped_and_pauses_and_latency() -> None:
    tr = Transcript(turns=[
        Turn(role="agent", text="Q1?", t=0.0, end_t=3.0),
        Turn(role="user", text=words_text(30), t=4.0, end_t=16.0),
        Turn(role="user", text=words_text(20), t=20.0, end_t=28.0),   # 4 s mid-answer pause
        Turn(role="agent", text="Q2?", t=29.0, end_t=33.0),
        Turn(role="user", text=words_text(50), t=39.0, end_t=59.0),   # 6 s latency
        Turn(role="agent", text="Q3?", t=60.0, end_t=62.0),
        Turn(role="user", text=words_text(10), t=64.0, end_t=68.0),
    ])
    sm = m.compute_speech_metrics(tr)
    assert sm.answer_count == 3
    assert sm.answer_lengths_s == [24.0, 20.0, 4.0]
    assert sm.candidate_talk_s == 44.0
    assert sm.candidate_words == 110
    assert sm.words_per_minute == 150.0
    assert sm.median_response_latency_s == 2.0
    assert sm.long_pauses == 2
    assert sm.mean_answer_s == 16.0


def test_untimed_transcript_estimates_and_leaves_rates_empty() -> None:
    tr = Transcript(turns=[
        Turn(role="agent", text="Q1?", t=0.0),
        Turn(role="user", text=words_text(75) + " um", t=10.0),
    ])
    sm = m.compute_speech_metrics(tr)
    assert sm.timing_available is False
    assert sm.words_per_minute is None
    assert sm.fillers_per_minute is None
    assert sm.candidate_talk_s == pytest.approx(76 / m.ASSUMED_WPM * 60, abs=0.1)
    assert sm.fillers_per_100_words == round(100 / 76, 2)
    assert sm.median_response_latency_s is None


def test_empty_transcript() -> None:
    sm = m.compute_speech_metrics(Transcript())
    assert sm.candidate_words == 0 and sm.answer_count == 0 and sm.words_per_minute is None


def test_star_signals_full_and_missing() -> None:
    full = m.star_signals("At my last job we had a slow API. My role was to fix it. I profiled the queries "
                          "and rewrote the cache. As a result latency dropped by 40%.")
    assert (full.situation, full.task, full.action, full.result, full.quantified) == (True,) * 5
    assert full.parts == 4 and full.missing == [] and full.score == 100
    vague = m.star_signals("We generally try to write good code and communicate well")
    assert vague.parts == 0 and vague.missing == ["Situation", "Task", "Action", "Result"]
    assert vague.first_person_share == 0.0
    assert vague.score == 10


def test_term_coverage_with_aliases_and_case_rules() -> None:
    cov = m.term_coverage("We ran it on k8s with postgres and I wrote the go code in C++",
                          {"Kubernetes": ["k8s"], "PostgreSQL": ["postgres"], "Go": ["golang"], "C++": [],
                           "Java": []})
    assert cov.covered == ["Kubernetes", "PostgreSQL", "C++"]
    assert cov.missing == ["Go", "Java"]
    assert cov.ratio == pytest.approx(0.6)
    assert m.term_pattern("Java").search("JavaScript") is None
    assert m.term_pattern("Node.js").search("built with Node.js.") is not None


def test_keyword_overlap_and_pace() -> None:
    assert m.keyword_overlap("I was debugging latency issues", "How do you debug latency?") == ["latency"]
    assert [m.judge_pace(x) for x in (None, 100, 140, 190)] == [None, "slow", "steady", "fast"]
