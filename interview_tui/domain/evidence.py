"""Quote verification: does a quote attributed to the candidate really occur in the transcript?

Pure functions, no I/O. Quotes are matched on canonical word tokens (case-folded, punctuation dropped,
"n't" split into "not", number words and "%" spelled as digits and "percent") against the candidate's
("user") turns only, where consecutive candidate turns form one answer a quote may span. Matching is exact
first, then fuzzy (difflib on token windows) — but a fuzzy match never changes a number or a negation: "we cut
it by 50 %" does not verify against "we cut it by 15 %", nor "I did lead it" against "I did not lead it".
Fragments joined by "…" or "..." must occur in order within one answer, and each must be at least
`MIN_QUOTE_WORDS` long. A verified quote is returned with the candidate's *real* words (the matching spans of
the original turns) and the time of the turn it starts in, so a paraphrase or an invented quote can never reach
the user as if it were said.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate

from interview_tui.domain.models import Evidence, Transcript, Turn, Verification

MIN_QUOTE_WORDS = 4
"""Each quoted fragment needs at least this many words: shorter "quotes" ("yes", "I think") prove nothing.
The analyzer prompt states the same minimum."""

FUZZY_THRESHOLD = 0.86
"""Minimum difflib ratio between a fragment's tokens and a window of an answer's tokens."""

_TOKEN = re.compile(r"[$€£]?\d+(?:[.,:]\d+)*%?|%|\w+(?:['’]\w+)*")
_ELLIPSIS = re.compile(r"\.{3,}|…|\[\s*\.*\s*\]")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}\b)")

NEGATIONS = frozenset({"not", "no", "never", "nothing", "none", "nobody", "neither", "nor", "nowhere", "without"})
"""Words whose presence or absence flips a claim: they must match exactly, never fuzzily."""

_NOT_CONTRACTIONS = {
    "dont": "do", "doesnt": "does", "didnt": "did", "isnt": "is", "arent": "are", "wasnt": "was",
    "werent": "were", "wont": "will", "wouldnt": "would", "cant": "can", "cannot": "can", "couldnt": "could",
    "shouldnt": "should", "havent": "have", "hasnt": "has", "hadnt": "had", "mustnt": "must", "neednt": "need",
    "aint": "is", "shant": "shall", "mightnt": "might",
}
"""Negative contractions (with the apostrophe already dropped) → the verb they negate."""

_UNITS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
          "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen")
_TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_NUMBER_WORDS = ({word: str(value) for value, word in enumerate(_UNITS)}
                 | {word: str(10 * (i + 2)) for i, word in enumerate(_TENS)}
                 | {"hundred": "100", "thousand": "1000", "million": "1000000", "billion": "1000000000"})


@dataclass(frozen=True)
class _Token:
    norm: str
    turn: int  # index into the verifier's candidate turns
    start: int
    end: int


def _canonical(word: str) -> list[str]:
    """One surface word → its canonical token(s)."""
    low = word.casefold().replace("’", "'")
    if low[:1].isdigit() or low[:1] in "$€£%":
        number = _THOUSANDS.sub("", low.lstrip("$€£"))
        if number == "%":
            return ["percent"]
        if number.endswith("%"):
            return [number[:-1], "percent"]
        return [number]
    low = low.replace("'", "")
    if low in _NOT_CONTRACTIONS:
        return [_NOT_CONTRACTIONS[low], "not"]
    if low.endswith("nt") and word.casefold().replace("’", "'").endswith("n't"):
        return [low[:-2], "not"]  # any other "…n't"
    return [_NUMBER_WORDS.get(low, low)]


def _tokenise(text: str, turn: int = 0) -> list[_Token]:
    return [_Token(norm, turn, m.start(), m.end()) for m in _TOKEN.finditer(text) for norm in _canonical(m.group())]


def normalise(text: str) -> str:
    """The canonical token string of a text (what quotes are compared on)."""
    return " ".join(tok.norm for tok in _tokenise(text))


def surface_words(text: str) -> int:
    """Words as a reader counts them ("didn't" is one word, "50 %" is one)."""
    return sum(1 for m in _TOKEN.finditer(text) if m.group() != "%")


def _critical(tokens: Sequence[str]) -> list[str]:
    return [t for t in tokens if t in NEGATIONS or any(c.isdigit() for c in t)]


@dataclass(frozen=True)
class _Answer:
    """Consecutive candidate turns: a quote may span them."""

    tokens: tuple[_Token, ...]

    @property
    def norms(self) -> list[str]:
        return [tok.norm for tok in self.tokens]


@dataclass(frozen=True)
class _Match:
    first: int
    last: int  # inclusive token index into the answer
    score: float


def _exact(quote: list[str], words: list[str], start: int) -> _Match | None:
    n = len(quote)
    for i in range(start, len(words) - n + 1):
        if words[i : i + n] == quote:
            return _Match(i, i + n - 1, 1.0)
    return None


def _fuzzy(quote: list[str], words: list[str], start: int) -> _Match | None:
    """The best window at or after `start` whose ratio clears the threshold and whose numbers and negations
    are exactly the quote's."""
    n = len(quote)
    vocabulary = set(quote)
    # in_vocab[i]: how many of words[:i] occur in the quote at all — bounds the ratio of any window cheaply.
    in_vocab = [0, *accumulate(1 if w in vocabulary else 0 for w in words)]
    wanted = _critical(quote)
    matcher = difflib.SequenceMatcher(None, autojunk=False)
    matcher.set_seq2(quote)
    best: _Match | None = None
    slack = max(1, n // 5)  # windows a little shorter or longer absorb a dropped or added word
    for size in range(max(1, n - slack), n + slack + 1):
        for i in range(start, len(words) - size + 1):
            if 2 * (in_vocab[i + size] - in_vocab[i]) < FUZZY_THRESHOLD * (size + n):
                continue
            window = words[i : i + size]
            matcher.set_seq1(window)
            if matcher.quick_ratio() < FUZZY_THRESHOLD:
                continue
            ratio = matcher.ratio()
            if ratio < FUZZY_THRESHOLD or (best is not None and ratio <= best.score):
                continue
            if _critical(_aligned_region(matcher, n, words, i, size)) == wanted:
                best = _Match(i, i + size - 1, ratio)
    return best


def _aligned_region(
    matcher: difflib.SequenceMatcher[str], n: int, words: list[str], i: int, size: int
) -> list[str]:
    """The window, widened by as many words as the quote (`n` words, the matcher's second sequence) has unmatched
    at either end: a window that merely stops short of a "not" or a number (quote "I did lead it", said "I did not
    lead it") must not hide it."""
    blocks = [b for b in matcher.get_matching_blocks() if b.size]
    lead = blocks[0].b if blocks else n
    trail = n - (blocks[-1].b + blocks[-1].size) if blocks else 0
    return words[max(0, i - lead) : i + size + trail]


def _match_in_order(fragments: list[list[str]], answer: _Answer) -> list[_Match] | None:
    """Each fragment after the previous one's end (exact preferred, else fuzzy), or None."""
    words = answer.norms
    cursor = 0
    found = []
    for fragment in fragments:
        match = _exact(fragment, words, cursor) or _fuzzy(fragment, words, cursor)
        if match is None:
            return None
        found.append(match)
        cursor = match.last + 1
    return found


def candidate_answers(turns: Sequence[Turn]) -> list[list[int]]:
    """Indices of the candidate's non-empty turns, grouped into runs with no interviewer turn between them."""
    runs: list[list[int]] = []
    current: list[int] = []
    for index, turn in enumerate(turns):
        if turn.role != "user":
            if current:
                runs.append(current)
                current = []
        elif turn.text.strip():
            current.append(index)
    if current:
        runs.append(current)
    return runs


class QuoteVerifier:
    """Checks quotes against one transcript's candidate answers and counts the outcome."""

    def __init__(self, transcript: Transcript) -> None:
        self._turns: list[Turn] = []
        self._answers: list[_Answer] = []
        for run in candidate_answers(transcript.turns):
            tokens: list[_Token] = []
            for index in run:
                tokens += _tokenise(transcript.turns[index].text, len(self._turns))
                self._turns.append(transcript.turns[index])
            self._answers.append(_Answer(tuple(tokens)))
        self.total = 0
        self.verified = 0

    @property
    def dropped(self) -> int:
        return self.total - self.verified

    @property
    def verification(self) -> Verification:
        return Verification(claims_total=self.total, claims_verified=self.verified, claims_dropped=self.dropped)

    def find(self, quote: str) -> Evidence | None:
        """Locate `quote` without counting it: the candidate's real words and turn time, or None."""
        pieces = [piece for piece in _ELLIPSIS.split(quote) if normalise(piece)]
        if not pieces or any(surface_words(piece) < MIN_QUOTE_WORDS for piece in pieces):
            return None
        fragments = [normalise(piece).split() for piece in pieces]
        best: tuple[float, _Answer, list[_Match]] | None = None
        for answer in self._answers:
            found = _match_in_order(fragments, answer)
            if found is not None:
                score = sum(m.score for m in found)
                if best is None or score > best[0]:
                    best = (score, answer, found)
        if best is None:
            return None
        _, answer, matches = best
        spans = [self._span(answer.tokens[m.first], answer.tokens[m.last]) for m in matches]
        return Evidence(quote=" … ".join(spans), t=self._turns[answer.tokens[matches[0].first].turn].t,
                        verified=True)

    def _span(self, first: _Token, last: _Token) -> str:
        """The original text from `first` to `last`, across turns when needed."""
        if first.turn == last.turn:
            return self._turns[first.turn].text[first.start : last.end]
        parts = [self._turns[first.turn].text[first.start :].strip()]
        parts += [self._turns[i].text.strip() for i in range(first.turn + 1, last.turn)]
        parts.append(self._turns[last.turn].text[: last.end].strip())
        return " ".join(p for p in parts if p)

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
