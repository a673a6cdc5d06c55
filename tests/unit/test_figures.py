"""How reports say numbers (`domain.figures`): rounding and one unit per kind of figure."""

from __future__ import annotations

import pytest

from interview_tui.domain import figures


@pytest.mark.parametrize(("value", "decimals", "expected"), [
    (2.25, 1, "2.3"), (2.0, 1, "2"), (12, 1, "12"), (0.04, 1, "0"), (175.5, 0, "176"), (174.5, 0, "175"),
    (-0.04, 1, "0"), (3.14159, 2, "3.14"), (9.999, 1, "10"),
])
def test_number_rounds_half_up_without_trailing_zeros(value: float, decimals: int, expected: str) -> None:
    assert figures.number(value, decimals) == expected


def test_pace_is_whole_words_per_minute() -> None:
    assert figures.wpm(175.6) == "176 wpm"
    assert figures.wpm(120.0) == "120 wpm"
    assert figures.wpm(99.4) == "99 wpm"


def test_filler_rate_is_per_100_words_with_one_decimal_at_most() -> None:
    assert figures.filler_rate(2.2388) == "2.2 per 100 words"
    assert figures.filler_rate(5.0) == "5 per 100 words"
    assert figures.filler_rate(0.0) == "0 per 100 words"
    assert figures.FILLER_UNIT in figures.filler_rate(12.345) and figures.filler_rate(12.345) == "12.3 per 100 words"


@pytest.mark.parametrize(("value", "expected"), [
    (57.33, "57 s"), (10.0, "10 s"), (9.96, "10 s"), (1.44, "1.4 s"), (2.5, "2.5 s"), (3.0, "3 s"), (0.0, "0 s"),
    (125.5, "126 s"),
])
def test_seconds_are_whole_from_ten_and_one_decimal_below(value: float, expected: str) -> None:
    assert figures.seconds(value) == expected


@pytest.mark.parametrize(("value", "expected"), [
    (0, "0:00"), (59.9, "0:59"), (205.4, "3:25"), (3600, "1:00:00"), (3725, "1:02:05"), (-4, "0:00"),
])
def test_clock_is_minutes_and_seconds(value: float, expected: str) -> None:
    assert figures.clock(value) == expected


def test_percent_is_whole() -> None:
    assert figures.percent(0.625) == "63%"
    assert figures.percent(0.58) == "58%"
    assert figures.percent(1.0) == "100%"


def test_count_says_its_noun_in_the_right_number() -> None:
    assert figures.count(1, "word") == "1 word"
    assert figures.count(0, "word") == "0 words"
    assert figures.count(1204, "word") == "1,204 words"
    assert figures.count(2, "reply", "replies") == "2 replies"
    assert figures.count(1, "reply", "replies") == "1 reply"
