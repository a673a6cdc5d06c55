"""How reports say numbers: one rounding and one unit per kind of figure, for every view (the Report screen, the
text report, the Markdown export, `interview sessions show`, the analyzers' summaries). Pure: no I/O, no UI.

- pace: whole words per minute, "176 wpm";
- filler rate: per 100 words (it works for typed and spoken answers alike; the usual coaching target is under 5
  per 100 words), one decimal at most, "2.3 per 100 words";
- durations: whole seconds from 10 s up ("48 s"), one decimal below ("2.5 s"); totals as a clock, "3:25";
- shares: whole percent, "62%";
- counts: with their noun, singular or plural, thousands separated, "1 word", "1,204 words".
"""

from __future__ import annotations

import math

FILLER_UNIT = "per 100 words"
"""The one unit filler rates are given in."""


def _half_up(value: float, decimals: int = 0) -> float:
    """Round half away from zero (175.5 → 176, not Python's banker's 176/174 alternation)."""
    scale = 10**decimals
    return math.copysign(math.floor(abs(value) * scale + 0.5) / scale, value)


def number(value: float, decimals: int = 1) -> str:
    """`value` rounded to at most `decimals` places, without trailing zeros: 2.25 → "2.3", 2.0 → "2", 12 → "12"."""
    text = f"{_half_up(value, decimals):.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def wpm(words_per_minute: float) -> str:
    """Speaking pace: "176 wpm"."""
    return f"{number(words_per_minute, 0)} wpm"


def filler_rate(per_100_words: float) -> str:
    """Fillers in the one filler unit: "2.3 per 100 words"."""
    return f"{number(per_100_words, 1)} {FILLER_UNIT}"


def seconds(value: float) -> str:
    """A short duration: "48 s" (whole seconds from 10 s), "2.5 s" (one decimal below)."""
    return f"{number(value, 0 if abs(value) >= 9.95 else 1)} s"


def clock(value: float) -> str:
    """A total duration as m:ss (h:mm:ss past an hour): 205 → "3:25"."""
    total = max(0, int(value))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def percent(fraction: float) -> str:
    """A share from 0 to 1 as whole percent: 0.625 → "63%"."""
    return f"{number(100 * fraction, 0)}%"


def count(n: int, noun: str, plural: str | None = None) -> str:
    """`n` with its noun: "1 word", "1,204 words", "2 replies" (with `plural` for irregular nouns)."""
    word = noun if n == 1 else (plural or noun + "s")
    return f"{n:,} {word}"
