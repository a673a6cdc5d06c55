"""What Gemini is asked to return (structured output), as pydantic models the SDK can convert.

Kept inside the subset google-genai accepts for `response_schema` (genai-sdk.md §1.4): plain str/int/bool,
lists, nested models, str enums/literals, Optional and length limits — no dicts, gt/lt, tuples or sets. The same
models validate the answer text again on our side (`.parsed` is never trusted). They are mapped onto the domain
models in `gemini.py`.

The analysis schema is built per request with FIXED KEYS: `questions` is an object whose properties are exactly
the asked question ids, each with fixed properties (its rubric's talking points `p1…`, red flags `f1…`, STAR
parts only where a story is asked for), and `dimensions` has one fixed property per dimension. So an answer that
names a dimension twice, forgets a question or invents one cannot be expressed. Properties are ordered questions
→ dimensions → summary: the ratings are written before any verdict (research/rubrics.md).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, create_model, field_validator

from interview_tui.domain.models import DomainTrack, ExperienceLevel, NonAnswerKind, QuestionKind, Rubric
from interview_tui.domain.scoring import DIMENSION_NAMES, star_applies

MIN_QUESTIONS = 4
MAX_QUESTIONS = 10
MIN_TALKING_POINTS = 3
MAX_TALKING_POINTS = 5
MAX_RED_FLAGS = 6


class _Wire(BaseModel):
    model_config = ConfigDict(extra="ignore")


def _lower(value: object) -> object:
    return value.strip().lower().replace("_", "-") if isinstance(value, str) else value


# ------------------------------------------------------------------------------------------------------ plan


class WireTalkingPoint(_Wire):
    text: str = Field(description="What a strong answer covers, phrased for the candidate, one short sentence.",
                      max_length=200)
    cues: list[str] = Field(default_factory=list, max_length=12,
                            description="3-8 lowercase words or short phrases a candidate would really say when "
                                        "covering this point.")


class WireRedFlag(_Wire):
    text: str = Field(description="Something that weakens any answer to this question, e.g. 'Blames others'.",
                      max_length=200)
    cues: list[str] = Field(default_factory=list, max_length=12,
                            description="Lowercase words or short phrases that show it.")


class WireRubric(_Wire):
    """How to judge the answers to one question."""

    talking_points: list[WireTalkingPoint] = Field(
        description=f"{MIN_TALKING_POINTS}-{MAX_TALKING_POINTS} things a strong answer covers.", max_length=8)
    red_flags: list[WireRedFlag] = Field(default_factory=list, max_length=8,
                                         description=f"0-{MAX_RED_FLAGS} red flags.")
    level_notes: str = Field(default="", max_length=600,
                             description="What changes in a strong answer with the experience level asked for.")


class WireQuestion(_Wire):
    """One interview question."""

    text: str = Field(description="The question exactly as the interviewer will ask it, one or two sentences.",
                      min_length=5, max_length=600)
    kind: QuestionKind = Field(description="behavioural (a past example), situational (a hypothetical), "
                                           "technical, or motivation (about yourself, strengths and weaknesses, "
                                           "why this role, why leave, where next).")
    skill: str = Field(description="The skill or topic from the job description that the question probes.",
                       max_length=80)
    rubric: WireRubric | None = Field(default=None, description="How answers to this question are judged.")

    @field_validator("kind", mode="before")
    @classmethod
    def _kind(cls, value: object) -> object:
        value = _lower(value)
        return "behavioural" if value == "behavioral" else value


class WirePlan(_Wire):
    """An interview plan for a 15-minute practice interview."""

    role_title: str = Field(description="The role's title as the job description names it.", max_length=120)
    experience_level: ExperienceLevel = Field(description="The seniority the job description asks for.")
    domain_track: DomainTrack = Field(description="The job family that fits best.")
    detected_skills: list[str] = Field(
        description="The 4-12 most important skills the job description asks for, short names.",
        max_length=40)
    questions: list[WireQuestion] = Field(
        description="6-8 questions in the order an interviewer would ask them.",
        min_length=MIN_QUESTIONS, max_length=MAX_QUESTIONS + 2)

    @field_validator("experience_level", "domain_track", mode="before")
    @classmethod
    def _enum(cls, value: object) -> object:
        return _lower(value)


# ---------------------------------------------------------------------------------------------------- report

Level = Literal["poor", "mixed", "good", "excellent"]

AnswerVerdict = Literal["answered", "not_answered", "empty", "dont_know", "too_short", "gibberish", "placeholder",
                        "repetitive", "off_topic", "stuffing"]
"""`answered`, `not_answered` (asked, nothing said), or the kind of non-answer (`NonAnswerKind`)."""

assert set(get_args(AnswerVerdict)) == {"answered", "not_answered", *NonAnswerKind}


class WirePoint(_Wire):
    covered: bool = Field(description="Whether the answer covers this talking point.")
    quote: str = Field(default="", max_length=400,
                       description="When covered: the candidate's words that cover it, copied verbatim. Else ''.")


class WireFlag(_Wire):
    shown: bool = Field(description="Whether the answer shows this red flag.")
    quote: str = Field(default="", max_length=400,
                       description="When shown: the candidate's words that show it, copied verbatim. Else ''.")


class WireStar(_Wire):
    situation: bool = Field(description="The answer sets the scene: when, where, what was at stake.")
    task: bool = Field(description="It says what the candidate had to achieve or was responsible for.")
    action: bool = Field(description="It says what the candidate personally did ('I', not only 'we').")
    result: bool = Field(description="It says how it ended, ideally measured, or what was learned.")


def _level_field(what: str) -> Any:
    return Field(description=f"{what} Rated poor, mixed, good or excellent against the anchors.")


class WireRatings(_Wire):
    relevance: Level = _level_field("Does it answer THIS question: the talking points covered, on topic.")
    depth: Level = _level_field("Substance for the level: specifics, reasoning, trade-offs, correctness.")
    communication: Level = _level_field("Clear, concise, easy to follow; never higher than the content allows.")


class WireStarRatings(_Wire):
    relevance: Level = _level_field("Does it answer THIS question: the talking points covered, on topic.")
    structure: Level = _level_field("A clear story: situation, task, the candidate's own actions, a result.")
    depth: Level = _level_field("Substance for the level: specifics, reasoning, trade-offs, correctness.")
    communication: Level = _level_field("Clear, concise, easy to follow; never higher than the content allows.")


class WireDimensionNote(_Wire):
    rationale: str = Field(description="One sentence on this dimension across the interview, citing what the "
                                       "candidate said.", max_length=400)


class WireDimensions(_Wire):
    """One fixed entry per dimension (the scores themselves are computed from the question ratings)."""

    relevance: WireDimensionNote
    structure: WireDimensionNote
    depth: WireDimensionNote
    communication: WireDimensionNote


assert tuple(WireDimensions.model_fields) == tuple(DIMENSION_NAMES)


class WireHighlight(_Wire):
    text: str = Field(description="What the candidate did well or badly, one sentence.", max_length=400)
    quote: str = Field(description="A verbatim quote of the candidate's own words that shows it.", max_length=500)


class WireRecommendation(_Wire):
    text: str = Field(description="A concrete recommendation that follows from the answers.", max_length=400)
    drill: str = Field(description="A practice drill the candidate can do to improve it.", max_length=400)


class WireSkill(_Wire):
    coverage: Literal["strong", "partial", "none"] = Field(
        description="strong: the candidate described using it themselves, with specifics; partial: mentioned "
                    "or claimed without specifics; none: not shown (an alternative or nice-to-have the job "
                    "lists is not a gap).")
    note: str = Field(default="", max_length=300, description="What the candidate said about it, briefly.")

    @field_validator("coverage", mode="before")
    @classmethod
    def _coverage(cls, value: object) -> object:
        return _lower(value)


# ------------------------------------------------------------------------------------ per-request schemas

_KEY = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,39}$")


def question_keys(ids: Sequence[str]) -> list[str]:
    """Property names for the asked questions: the ids themselves where they are plain names, else q1, q2, …"""
    keys: list[str] = []
    for number, qid in enumerate(ids, 1):
        key = qid if _KEY.match(qid) and qid not in keys else f"q{number}"
        while key in keys:
            key = f"{key}_"
        keys.append(key)
    return keys


@dataclass(frozen=True)
class AskedForSchema:
    """What the schema needs to know about one asked question."""

    key: str
    kind: QuestionKind
    rubric: Rubric


def _model_name(text: str) -> str:
    return re.sub(r"\W", "_", text)


def assessment_model(asked: AskedForSchema) -> type[BaseModel]:
    """The fixed-key assessment of one question: points p1…, red flags f1…, STAR where it applies, ratings."""
    return _assessment_model(asked.key, star_applies(asked.kind),
                             min(len(asked.rubric.talking_points), MAX_TALKING_POINTS + 3),
                             min(len(asked.rubric.red_flags), MAX_RED_FLAGS + 4))


def _fixed_keys(model_name: str, fields: dict[str, Any]) -> type[_Wire]:
    """A model with exactly these fields; `fields` are pydantic field definitions, (type, default or Field), which
    `create_model` types loosely (any type expression), hence `Any`."""
    return create_model(model_name, __base__=_Wire, **fields)


@lru_cache(maxsize=256)
def _assessment_model(key: str, star: bool, points: int, flags: int) -> type[BaseModel]:
    name = _model_name(key)
    fields: dict[str, Any] = {
        "verdict": (AnswerVerdict, Field(description="answered; not_answered (asked, nothing said); or the kind "
                                                     "of non-answer.")),
        "points": (_fixed_keys(f"Points_{name}_{points}", {
            f"p{i}": (WirePoint, ...) for i in range(1, points + 1)}), ...),
    }
    if flags:
        fields["red_flags"] = (_fixed_keys(f"Flags_{name}_{flags}", {
            f"f{i}": (WireFlag, ...) for i in range(1, flags + 1)}), ...)
    if star:
        fields["star"] = (WireStar, ...)
    fields["quotes"] = (list[str], Field(max_length=3, description="1-3 verbatim quotes of the candidate's words "
                                                                   "that support the ratings (each at least four "
                                                                   "words)."))
    fields["ratings"] = (WireStarRatings if star else WireRatings, ...)
    fields["strengths"] = (str, Field(max_length=600, description="What was strong, specifically."))
    fields["improvements"] = (str, Field(max_length=600, description="What to improve, concretely."))
    fields["stronger_answer"] = (str, Field(
        max_length=1500, description="The candidate's answer rewritten stronger, in the first person, using ONLY "
                                     "facts the candidate gave, with [placeholders] for any missing fact. '' for a "
                                     "non-answer."))
    return _fixed_keys(f"Assessment_{name}", fields)


def _summary_fields(skills: Sequence[str]) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "dimensions": (WireDimensions, ...),
        "summary": (str, Field(max_length=1200, description="Two or three sentences of honest overall feedback, "
                                                            "consistent with the ratings.")),
        "highlights": (list[WireHighlight], Field(max_length=6, description="2-5 notable moments.")),
        "recommendations": (list[WireRecommendation], Field(max_length=6, description="2-5 recommendations.")),
    }
    if skills:
        fields["skill_coverage"] = (_fixed_keys("SkillCoverage", {
            f"s{i}": (WireSkill, Field(description=skill[:80])) for i, skill in enumerate(skills, 1)}), ...)
    return fields


def report_model(asked: Sequence[AskedForSchema], skills: Sequence[str]) -> type[BaseModel]:
    """The whole analysis in one answer: questions (fixed keys) → dimensions → summary → the rest."""
    questions = _fixed_keys("Questions", {a.key: (assessment_model(a), ...) for a in asked})
    return _fixed_keys("Analysis", {"questions": (questions, ...), **_summary_fields(skills)})


def session_model(skills: Sequence[str]) -> type[BaseModel]:
    """The session-level part alone (dimensions → summary → the rest), for per-question analysis."""
    return _fixed_keys("SessionAnalysis", _summary_fields(skills))
