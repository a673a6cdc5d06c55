"""Keep a model's "your answer, stronger" rewrite to the facts the candidate gave.

A rewrite may restructure and sharpen the candidate's answer, never add facts: every number in it must occur in
the candidate's answer (in any spelling: "40 %", "forty percent"), and every proper name (an employer, a person, a
product) must occur in the answer or in the question and job context; anything else is replaced with a
`[placeholder]` the candidate fills in. Pure functions, no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from interview_tui.domain.evidence import normalise

NUMBER_PLACEHOLDER = "[number]"
NAME_PLACEHOLDER = "[name]"
MAX_CHARS = 1500

_PLACEHOLDER = re.compile(r"\[[^\[\]\n]{1,40}\]")
_NUMBER = re.compile(
    r"[$€£]?\d+(?:[.,:]\d+)*(?:\s?%|\s?percent\b|[kKmMbB]\b|x\b)?"
    r"|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|"
    r"seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|"
    r"million|billion)(?:\s?%|\s?percent\b)?",
    re.I,
)
_NAME_WORD = r"[A-Z][\w&'’-]*(?:\.\w+)*"
_NAME = re.compile(rf"(?<![\w\[])({_NAME_WORD}(?:\s+{_NAME_WORD})*)")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;]\s+|\n\s*|[\"“(]\s*)$")

_COMMON_WORDS = (
    "i i'm i've i'd i'll my me we our us you your he she they it this that these those the a an and but so then "
    "when after before first next finally as at in on for with while because if since to by from of or also "
    "there here what how why where which who today yesterday monday tuesday wednesday thursday friday saturday "
    "sunday january february march april may june july august september october november december"
)
_COMMON_CAPITALISED = frozenset(_COMMON_WORDS.split())
"""Capitalised words that are not names (pronouns, sentence openers, days, months)."""


def _numbers(text: str) -> set[str]:
    return {normalise(m.group()).split()[0] for m in _NUMBER.finditer(text) if normalise(m.group())}


def _known_words(texts: Iterable[str]) -> set[str]:
    return {w.casefold() for text in texts for w in re.findall(r"[\w&'’-]+(?:\.\w+)*", text)}


def keep_to_facts(rewrite: str, answer: str, context: Iterable[str] = ()) -> str:
    """`rewrite` with every number not in `answer`, and every name in neither `answer` nor `context` (question,
    role, skills), replaced by a placeholder. Existing `[placeholders]` are kept."""
    rewrite = " ".join(rewrite.split())[:MAX_CHARS]
    if not rewrite:
        return ""
    said_numbers = _numbers(answer)
    known = _known_words([answer, *context])
    pieces = []
    last = 0
    for m in _PLACEHOLDER.finditer(rewrite):
        pieces.append((rewrite[last : m.start()], False))
        pieces.append((m.group(), True))
        last = m.end()
    pieces.append((rewrite[last:], False))
    out: list[str] = []
    for piece, is_placeholder in pieces:
        out.append(piece if is_placeholder else _sanitise(piece, said_numbers, known, "".join(out)))
    return re.sub(r"(\[(?:number|name)\])(?:\s*\1)+", r"\1", "".join(out)).strip()


def _sanitise(text: str, said_numbers: set[str], known: set[str], before: str) -> str:
    def number(m: re.Match[str]) -> str:
        canon = normalise(m.group()).split()
        return m.group() if canon and canon[0] in said_numbers else NUMBER_PLACEHOLDER

    text = _NUMBER.sub(number, text)

    def name(m: re.Match[str]) -> str:
        words = m.group(1).split()
        preceding = (before + text[: m.start()])[-4:]
        start_of_sentence = bool(_SENTENCE_START.search(preceding)) or not (before + text[: m.start()]).strip()
        kept: list[str] = []
        for index, word in enumerate(words):
            low = word.casefold()
            lone_opener = index == 0 and len(words) == 1 and start_of_sentence  # "Working …": not a name
            if low in known or low in _COMMON_CAPITALISED or lone_opener:
                kept.append(word)
            else:
                kept.append(NAME_PLACEHOLDER)
        return " ".join(kept)

    return _NAME.sub(name, text)
