"""Quote verification: does a quote attributed to the candidate really occur in the transcript?

Pure functions, no I/O. Matching is done on normalised word tokens (case-folded, punctuation dropped, spaces
collapsed), exactly first and then fuzzily (difflib on token windows), only against the candidate's ("user")
turns. A verified quote is returned with the candidate's *real* words (the matching span of the original turn)
and that turn's time, so a paraphrase or an invented quote can never reach the user as if it were said.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from interview_tui.domain.models import Evidence, Transcript, Verification

MIN_QUOTE_WORDS = 3
"""Shorter "quotes" (e.g. "yes", "I think") prove nothing and are not accepted as evidence."""

FUZZY_THRESHOLD = 0.86
"""Minimum difflib ratio between the quote's tokens and a window of a turn's tokens."""

_WORD = re.compile(r"\w+(?:['’.,]\w+)*%?")
_ELLIPSIS = re.compile(r"\.{3,}|…|\[\s*\.*\s*\]")


def normalise(text: str) -> str:
    """Case-fold, drop punctuation and apostrophes, collapse whitespace."""
    return " ".join(_norm_token(m.group()) for m in _WORD.finditer(text))


def _norm_token(word: str) -> str:
    return word.casefold().replace("'", "").replace("’", "")


@dataclass(frozen=True)
class _Token:
    norm: str
    start: int
    end: int


@dataclass(frozen=True)
class _Turn:
    text: str
    t: float
    tokens: tuple[_Token, ...]

    @property
    def norms(self) -> list[str]:
        return [tok.norm for tok in self.tokens]


def _tokenise(text: str) -> tuple[_Token, ...]:
    return tuple(_Token(_norm_token(m.group()), m.start(), m.end()) for m in _WORD.finditer(text))


@dataclass(frozen=True)
class _Match:
    turn: _Turn
    first: int
    last: int  # inclusive token index
    score: float


def _best_window(quote: list[str], turn: _Turn, *, fuzzy: bool) -> _Match | None:
    """The best-matching window of `turn` for the token list `quote`: exact, else (if `fuzzy`) ≥ threshold."""
    words = turn.norms
    n = len(quote)
    if not words or n == 0:
        return None
    for i in range(len(words) - n + 1):
        if words[i : i + n] == quote:
            return _Match(turn, i, i + n - 1, 1.0)
    if not fuzzy:
        return None
    # Cheap filter: most of the quote's words must occur in the turn at all.
    vocabulary = set(words)
    if sum(w in vocabulary for w in quote) < FUZZY_THRESHOLD * n:
        return None
    best: _Match | None = None
    matcher = difflib.SequenceMatcher(None, autojunk=False)
    matcher.set_seq2(quote)
    # Windows a little shorter or longer than the quote absorb a dropped or added word.
    slack = max(1, n // 5)
    for size in range(max(1, n - slack), n + slack + 1):
        for i in range(0, max(1, len(words) - size + 1)):
            window = words[i : i + size]
            matcher.set_seq1(window)
            if matcher.real_quick_ratio() < FUZZY_THRESHOLD or matcher.quick_ratio() < FUZZY_THRESHOLD:
                continue
            ratio = matcher.ratio()
            if ratio >= FUZZY_THRESHOLD and (best is None or ratio > best.score):
                best = _Match(turn, i, i + len(window) - 1, ratio)
    return best


class QuoteVerifier:
    """Checks quotes against one transcript's candidate turns and counts the outcome."""

    def __init__(self, transcript: Transcript) -> None:
        self._turns = [
            _Turn(turn.text, turn.t, _tokenise(turn.text))
            for turn in transcript.turns
            if turn.role == "user" and turn.text.strip()
        ]
        self.total = 0
        self.verified = 0

    @property
    def dropped(self) -> int:
        return self.total - self.verified

    @property
    def verification(self) -> Verification:
        return Verification(
            claims_total=self.total, claims_verified=self.verified, claims_dropped=self.dropped
        )

    def find(self, quote: str) -> Evidence | None:
        """Locate `quote` without counting it: the candidate's real words and turn time, or None."""
        fragments = [f for f in (_ELLIPSIS.split(quote)) if normalise(f)]
        if not fragments or sum(len(normalise(f).split()) for f in fragments) < MIN_QUOTE_WORDS:
            return None
        best: list[_Match] | None = None
        for fuzzy in (False, True):  # an exact match anywhere beats scanning every turn fuzzily
            for turn in self._turns:
                matches = [_best_window(normalise(f).split(), turn, fuzzy=fuzzy) for f in fragments]
                if any(m is None for m in matches):
                    continue
                found = [m for m in matches if m is not None]
                if best is None or sum(m.score for m in found) > sum(m.score for m in best):
                    best = found
            if best is not None:
                break
        if best is None:
            return None
        turn = best[0].turn
        spans = [turn.text[turn.tokens[m.first].start : turn.tokens[m.last].end] for m in best]
        return Evidence(quote=" … ".join(spans), t=turn.t, verified=True)

    def check(self, quote: str) -> Evidence | None:
        """Like `find`, but the claim is counted into `verification` (verified or dropped)."""
        self.total += 1
        evidence = self.find(quote)
        if evidence is not None:
            self.verified += 1
        return evidence


def verify_quote(quote: str, transcript: Transcript) -> Evidence | None:
    """One-off check of a single quote (see `QuoteVerifier`)."""
    return QuoteVerifier(transcript).find(quote)
