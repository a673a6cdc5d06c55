"""A candidate asking to hear the question again ("sorry, could you repeat the question?", "say that again",
"what was the question?"): the offline interviewer repeats it, and analysis does not count the request as an answer.

Matching is tolerant of what an offline recogniser makes of the phrase ("could you repeat that western") but
only ever looks at short turns, so an answer that mentions repeating something is never taken for a request.
"""

from __future__ import annotations

import re

from interview_tui.domain.models import Transcript

REPEAT_MAX_WORDS = 12
"""Longer turns are answers, whatever they say."""
SHORT_MAX_WORDS = 6
"""Vaguer phrases ("come again?", "what was that?", "pardon?") count only in turns this short."""

_STRONG = re.compile(
    r"\b(?:"
    r"(?:can|could|would|will) you (?:please |just )?(?:repeat|rephrase)"
    r"|please repeat|^repeat\b"
    r"|repeat (?:the|your|that|this|a) question"
    r"|repeat (?:that|it|this)(?: (?:please|again|for me|one more time))?$"
    r"|(?:say|ask|read) (?:that |it |this |the question )?(?:again|one more time)"
    r"|what (?:was|is|were) (?:the|your|that) question|whats the question"
    r"|(?:didnt|did not|couldnt|could not|dont|do not) (?:quite )?(?:catch|hear|get|understand) "
    r"(?:that|it|you|the question|what you said|your question)(?: sorry| please| again)?$"
    r"|missed (?:the|that|your) question"
    r")\b")
_VAGUE = re.compile(r"\b(?:come again|what was that|pardon|sorry what|excuse me what)\b")


def _normalise(text: str) -> str:
    """Lower case, apostrophes dropped ("didn't" → "didnt"), every other non-letter a single space."""
    text = re.sub(r"['’`]", "", text.lower())
    return " ".join(re.sub(r"[^a-z]+", " ", text).split())


def is_repeat_request(text: str) -> bool:
    """A short turn asking for the question again ("sorry, can you repeat the question?")."""
    words = _normalise(text)
    n = len(words.split())
    if n == 0 or n > REPEAT_MAX_WORDS:
        return False
    return _STRONG.search(words) is not None or (n <= SHORT_MAX_WORDS and _VAGUE.search(words) is not None)


def without_repeat_requests(transcript: Transcript) -> Transcript:
    """The transcript for analysis: the candidate's requests to hear the question again are not answers."""
    turns = [t for t in transcript.turns if t.role != "user" or not is_repeat_request(t.text)]
    if len(turns) == len(transcript.turns):
        return transcript
    return transcript.model_copy(update={"turns": turns})
