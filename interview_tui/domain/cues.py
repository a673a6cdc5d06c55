"""Word-form tolerant matching of short cue phrases in a text (rubric talking points, red flags).

A cue is a lowercase word or short phrase ("reduced", "as a result", "trade-off"). It matches the same words in
any inflection ("reduce", "reducing", "reductions" do not all share a stem, but "reduced"/"reduces"/"reducing"
do), compared with the Snowball English stemmer. A cue ending in `*` is a prefix ("optimi*" matches "optimise",
"optimization"); a cue with symbols ("%", "$") is matched literally.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

import snowballstemmer

_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_STEMMER = snowballstemmer.stemmer("english")
_CONTRACTION = re.compile(r"\b([a-z]+)(n't|'d|'ll|'ve|'m|'re)\b")
_EXPANDED = {"n't": " not", "'d": " would", "'ll": " will", "'ve": " have", "'m": " am", "'re": " are"}


def _expand(text: str) -> str:
    """"I'd" → "I would", "didn't" → "did not" (so "i would" and "not" cues match spoken contractions)."""
    return _CONTRACTION.sub(lambda m: ("can" if m.group(0) == "can't" else "will" if m.group(0) == "won't"
                                       else m.group(1)) + _EXPANDED[m.group(2)], text)


@lru_cache(maxsize=20_000)
def stem(word: str) -> str:
    """The Snowball stem of one lowercase word ("planned" → "plan", "deployments" → "deploy")."""
    stemmed: str = _STEMMER.stemWord(word.replace("'", ""))  # snowballstemmer is untyped
    return stemmed


def tokens(text: str) -> list[str]:
    """Lowercase word tokens ("I'd" stays one token, curly apostrophes normalised)."""
    return _TOKEN.findall(text.lower().replace("’", "'"))


class StemmedText:
    """A text prepared once for many cue look-ups."""

    __slots__ = ("_joined", "_stemset", "lower", "stems", "words")

    def __init__(self, text: str) -> None:
        self.lower = text.lower().replace("’", "'")
        self.words = tokens(_expand(self.lower).replace("-", " "))
        self.stems = [stem(w) for w in self.words]
        self._joined = " " + " ".join(self.stems) + " "
        self._stemset = set(self.stems)

    def has(self, cue: str) -> bool:
        """Whether the cue occurs (word-form tolerant, whole words only)."""
        cue = cue.strip().lower().replace("’", "'")
        if not cue:
            return False
        if cue.endswith("*"):
            prefix = cue[:-1].strip()
            parts = tokens(prefix)
            if not parts:
                return False
            if len(parts) == 1:
                return any(w.startswith(parts[0]) for w in self.words)
            return re.search(r"(?<!\S)" + re.escape(" ".join(parts)), " ".join(self.words)) is not None
        parts = tokens(_expand(cue).replace("-", " "))
        if not parts or re.search(r"[^a-z0-9'\s-]", cue):
            return cue in self.lower
        if len(parts) == 1:
            return stem(parts[0]) in self._stemset
        stems = [stem(p) for p in parts]
        if len(stems) == 2 and {"i", "we"} & set(parts) and f" {stems[1]} {stems[0]} " in self._joined:
            return True  # "now I" says what "I now" says (only around "I"/"we": "come first" ≠ "first come")
        return (" " + " ".join(stems) + " ") in self._joined

    def hits(self, cues: Iterable[str]) -> list[str]:
        """The cues that occur, in the order given, without duplicates."""
        return [c for c in dict.fromkeys(cues) if self.has(c)]
