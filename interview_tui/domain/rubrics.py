"""Rubrics: what a strong answer to a question covers (talking points), what spoils it (red flags).

Loaded from the shipped data (`data/rubrics/generic.json` and `data/rubrics/bank-*.json`):

- a question's own rubric (the Gemini planner writes one; the offline planner attaches the bank's);
- else the rubric of a well-known question type its text matches ("what is your greatest weakness" → weakness);
- else the generic rubric of its kind.

Also classifies a free-text question (one found in a transcript) into a kind.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from interview_tui.domain.cues import StemmedText
from interview_tui.domain.models import Question, QuestionKind, Rubric


@dataclass(frozen=True)
class QuestionType:
    """A well-known question type ("greatest weakness", "a conflict", …) and its rubric."""

    id: str
    kind: QuestionKind
    match: tuple[str, ...]
    rubric: Rubric


@dataclass(frozen=True)
class RubricLibrary:
    kinds: dict[QuestionKind, Rubric]
    types: tuple[QuestionType, ...] = ()
    bank: dict[str, Rubric] = field(default_factory=dict)
    """Bank question id (data/questions.json) → its rubric."""
    bank_kinds: dict[str, QuestionKind] = field(default_factory=dict)
    """Bank question id → its corrected kind, where the bank's stage-based kind is wrong (e.g. motivation)."""

    def match_type(self, text: str) -> QuestionType | None:
        """The well-known type whose match phrase best fits `text` (the longest phrase found wins)."""
        said = StemmedText(text)
        best: tuple[int, QuestionType] | None = None
        for qtype in self.types:
            for phrase in qtype.match:
                if said.has(phrase):
                    length = len(phrase.split())
                    if best is None or length > best[0]:
                        best = (length, qtype)
        return best[1] if best else None

    def rubric_for(self, question: Question) -> Rubric:
        """The question's own rubric, else its well-known type's, else the generic rubric of its kind."""
        if question.rubric is not None:
            return question.rubric
        qtype = self.match_type(question.text)
        if qtype is not None:
            return qtype.rubric
        return self.kinds[question.kind]


class RubricDataError(ValueError):
    """A rubric data file is missing or malformed."""


def _rubric(raw: Any, where: str) -> Rubric:
    try:
        return Rubric.model_validate(raw)
    except ValidationError as err:
        raise RubricDataError(f"{where}: not a valid rubric ({err.error_count()} problem(s))") from None


def load_library(directory: Path) -> RubricLibrary:
    """Read generic.json and every bank-*.json in `directory`."""
    try:
        generic = json.loads((directory / "generic.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise RubricDataError(f"generic.json could not be read ({err})") from None
    kinds: dict[QuestionKind, Rubric] = {}
    for kind in QuestionKind:
        raw = generic.get("kinds", {}).get(kind.value)
        if raw is None:
            raise RubricDataError(f"generic.json has no rubric for {kind.value} questions")
        kinds[kind] = _rubric(raw, f"generic.json kinds.{kind.value}")
    types = []
    for i, raw in enumerate(generic.get("types", [])):
        try:
            kind = QuestionKind(raw["kind"])
            match = tuple(str(p).lower() for p in raw.get("match", []) if str(p).strip())
            types.append(QuestionType(str(raw["id"]), kind, match, _rubric(raw["rubric"], f"types[{i}]")))
        except (KeyError, ValueError, TypeError) as err:
            raise RubricDataError(f"generic.json types[{i}]: {err}") from None
    bank: dict[str, Rubric] = {}
    bank_kinds: dict[str, QuestionKind] = {}
    for path in sorted(directory.glob("bank-*.json")):
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
            for qid, raw in doc.get("rubrics", {}).items():
                bank[qid] = _rubric(raw, f"{path.name} {qid}")
            for qid, kind in doc.get("kinds", {}).items():
                bank_kinds[qid] = QuestionKind(kind)
        except (OSError, ValueError, AttributeError) as err:
            raise RubricDataError(f"{path.name} could not be read ({err})") from None
    return RubricLibrary(kinds=kinds, types=tuple(types), bank=bank, bank_kinds=bank_kinds)


@lru_cache(maxsize=1)
def library() -> RubricLibrary:
    """The shipped rubric library (read once); broken data is one clear error, not a traceback."""
    from interview_tui.domain.errors import ProviderError
    from interview_tui.resources import data_path

    try:
        return load_library(data_path("rubrics"))
    except RubricDataError as err:
        raise ProviderError(f"The rubric data shipped with interview-tui is damaged ({err}). Reinstall "
                            "interview-tui.", retryable=False) from None


def rubric_for(question: Question) -> Rubric:
    """The rubric a question is judged against (see `RubricLibrary.rubric_for`)."""
    return library().rubric_for(question)


# ------------------------------------------------------------------------------------------- question kinds

_MOTIVATION = re.compile(
    r"\b(why (?:do|would) you (?:want|like)|why (?:are|were) you (?:leaving|looking|interested)|why (?:did|do) you "
    r"(?:leave|apply)|why (?:this|our|us)\b|why should we|weakness|weaknesses|strengths?\b|about yourself|"
    r"where do you see yourself|(?:in|within) (?:a|one|two|three|five|\d+) years?|what (?:motivates|drives) you|"
    r"walk me through your (?:cv|resume|background)|your (?:career )?goals?|what are you looking for|"
    r"(?:a|one|two|three|five|\d+) years? from now|tour of your career|"
    r"salary|what do you know about (?:us|our|the company)|what (?:attracted|drew) you|"
    r"how would (?:your|a) (?:colleagues|manager|friends) describe you|proud(?:est)? of|passionate about|"
    r"makes? you want|(?:want|like) to (?:work (?:here|for us|with us|at)|join)|(?:draws|drew|attracts) you to|"
    r"interests? you (?:about|in) (?:this|our|the)|(?:a |the )?gap (?:of|in|on) |"
    r"on your (?:cv|resume|résumé)|your (?:cv|resume|résumé) (?:shows|says)|career (?:break|change))",
    re.I,
)
_BEHAVIOURAL = re.compile(
    r"\b(tell me about a time|tell us about a time|describe a (?:time|situation|moment|project)|"
    r"give (?:me|us) an example|share an example|an example of (?:a|when)|a time (?:when|that|you)|"
    r"have you ever|walk me through a (?:time|project|situation|decision)|think of a time|recall a time|"
    r"when did you last|what (?:is|was) the (?:hardest|most difficult|biggest|toughest)|"
    r"how did you (?:handle|deal|manage|resolve|approach)|"
    r"(?:tell (?:me|us)|talk) about (?:a|an|one|the|your) [\w -]{1,40}? (?:you|you've|you have|that you|where you|"
    r"when you|which you) (?:\w+ed|ran|led|built|made|had|did|took|wrote|faced|were|gave|got|saw|won|lost|chose)|"
    r"describe (?:a|an|one|the|your) [\w -]{1,40}? (?:you|you've|that you|where you|when you) "
    r"(?:\w+ed|ran|led|built|made|had|did|took|wrote|faced|were|gave|got|saw|won|lost|chose))",
    re.I,
)
_SITUATIONAL = re.compile(
    r"\b(what would you do|how would you (?:handle|deal|respond|approach|react|manage|prioriti[sz]e)|"
    r"what would be your|imagine (?:that|you)|suppose|let's say|say you|if you (?:were|had|found|joined|"
    r"discovered|noticed|disagreed)|if a (?:colleague|customer|stakeholder|manager|teammate|client)|"
    r"if your (?:manager|boss|team|colleague)|how would you go about|what if)",
    re.I,
)


_HYPOTHETICAL = re.compile(
    r"\b(what would you do|how (?:would|will) you (?:handle|deal with|respond|react)|imagine|suppose|"
    r"picture (?:this|yourself|the)|"
    r"let's say|say you|what if|if you (?:were|had|found|joined|discovered|noticed|disagreed|got|saw))\b",
    re.I,
)
"""A scenario to respond to, whatever its topic: a situational question."""


def classify_kind(text: str) -> QuestionKind:
    """The kind of a free-text question, from how it is asked.

    "Tell me about a time…" → behavioural; "what would you do if…" → situational; "why do you want…", weakness,
    about yourself, where do you see yourself → motivation; anything else → technical.
    """
    said = " ".join(text.replace("’", "'").split())
    if _BEHAVIOURAL.search(said):
        return QuestionKind.BEHAVIOURAL
    if _SITUATIONAL.search(said):
        return QuestionKind.SITUATIONAL
    if _MOTIVATION.search(said):
        return QuestionKind.MOTIVATION
    return QuestionKind.TECHNICAL


def question_from_text(qid: str, text: str, *, skill: str = "") -> Question:
    """A plan question for a question found only as text (e.g. in a transcript): kind from its well-known type
    when it matches one, else from how it is asked; its rubric is then resolved by `rubric_for`."""
    qtype = library().match_type(text)
    kind = qtype.kind if qtype is not None else classify_kind(text)
    if kind is not QuestionKind.SITUATIONAL and _HYPOTHETICAL.search(text.replace("’", "'")) and not \
            _BEHAVIOURAL.search(text.replace("’", "'")):
        kind = QuestionKind.SITUATIONAL  # "what would you do if a colleague…" asks for a plan, not a past story
    return Question(id=qid, text=text.strip()[:600], kind=kind, skill=skill[:80])
