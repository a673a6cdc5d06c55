"""What Gemini is asked to return (structured output), as pydantic models the SDK can convert.

Kept inside the subset google-genai accepts for `response_schema` (genai-sdk.md §1.4): plain str/int/bool,
lists, nested models, str enums, Optional, ge/le and length limits — no dicts, gt/lt, tuples or sets. The same
models validate the answer text again on our side (`.parsed` is never trusted). They are mapped onto the domain
models in `gemini.py`.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from interview_tui.domain.models import DomainTrack, ExperienceLevel, QuestionKind

MIN_QUESTIONS = 4
MAX_QUESTIONS = 10


class _Wire(BaseModel):
    model_config = ConfigDict(extra="ignore")


def _lower(value: object) -> object:
    return value.strip().lower().replace("_", "-") if isinstance(value, str) else value


# ------------------------------------------------------------------------------------------------------ plan


class WireQuestion(_Wire):
    """One interview question."""

    text: str = Field(description="The question exactly as the interviewer will ask it, one or two sentences.",
                      min_length=5, max_length=600)
    kind: QuestionKind = Field(description="behavioural, technical or situational.")
    skill: str = Field(description="The skill or topic from the job description that the question probes.",
                       max_length=80)

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

DimensionKey = Literal["relevance", "structure", "depth", "communication"]

DIMENSION_NAMES: dict[str, str] = {
    "relevance": "Relevance to the JD",
    "structure": "Structure (STAR)",
    "depth": "Depth / role knowledge",
    "communication": "Communication",
}


class WireDimension(_Wire):
    key: DimensionKey = Field(description="relevance, structure, depth or communication.")
    score: int = Field(ge=0, le=100, description="0-100.")
    rationale: str = Field(description="One sentence explaining the score.", max_length=400)

    @field_validator("key", mode="before")
    @classmethod
    def _key(cls, value: object) -> object:
        return _lower(value)


class WireQuestionFeedback(_Wire):
    question_id: str = Field(description="The id of the planned question, e.g. q1.")
    asked: bool = Field(description="Whether the interviewer asked it (or an equivalent question).")
    score: int | None = Field(default=None, ge=0, le=100, description="0-100, null when not asked or not "
                              "answered.")
    strengths: str = Field(default="", description="What was strong in the answer.", max_length=600)
    improvements: str = Field(default="", description="What to improve, concretely.", max_length=600)
    quotes: list[str] = Field(default_factory=list, max_length=4,
                              description="Verbatim quotes of the candidate's own words supporting the judgement.")


class WireHighlight(_Wire):
    text: str = Field(description="What the candidate did well or badly, one sentence.", max_length=400)
    quote: str = Field(description="A verbatim quote of the candidate's own words that shows it.",
                       max_length=500)


class WireRecommendation(_Wire):
    text: str = Field(description="A concrete recommendation.", max_length=400)
    drill: str = Field(description="A practice drill the candidate can do to improve it.", max_length=400)


class WireSkillCoverage(_Wire):
    skill: str = Field(max_length=80)
    coverage: Literal["strong", "partial", "none"]
    note: str = Field(default="", max_length=300)

    @field_validator("coverage", mode="before")
    @classmethod
    def _coverage(cls, value: object) -> object:
        return _lower(value)


class WireReport(_Wire):
    """An evidence-backed assessment of a practice interview."""

    summary: str = Field(description="Two or three sentences of overall feedback.", max_length=1200)
    overall_score: int = Field(ge=0, le=100, description="0-100.")
    dimensions: list[WireDimension] = Field(description="Exactly one entry for each of relevance, structure, "
                                            "depth and communication.", min_length=4, max_length=8)
    questions: list[WireQuestionFeedback] = Field(description="One entry per planned question.", max_length=20)
    highlights: list[WireHighlight] = Field(description="2-5 notable moments.", max_length=8)
    recommendations: list[WireRecommendation] = Field(description="2-5 recommendations.", max_length=8)
    skill_coverage: list[WireSkillCoverage] = Field(description="One entry per detected skill.", max_length=40)

    @field_validator("dimensions")
    @classmethod
    def _all_dimensions(cls, value: list[WireDimension]) -> list[WireDimension]:
        missing = set(DIMENSION_NAMES) - {d.key for d in value}
        if missing:
            raise ValueError(f"missing dimensions: {', '.join(sorted(missing))}")
        return value
