"""Pydantic models shared by every layer: the interview plan, the transcript, the report, a session record.

These are the contracts between planners, analyzers, voice engines, the store and the UI. Provider-specific
wire schemas (e.g. what Gemini is asked to return) live with their provider and are mapped onto these.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from interview_tui.domain.lifecycle import Status


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")


# ---------------------------------------------------------------------------------------------------- the plan


class QuestionKind(StrEnum):
    BEHAVIOURAL = "behavioural"
    TECHNICAL = "technical"
    SITUATIONAL = "situational"


class ExperienceLevel(StrEnum):
    INTERN = "intern"
    JUNIOR = "junior"
    MID = "mid"
    SENIOR = "senior"
    STAFF = "staff"
    PRINCIPAL = "principal"


class DomainTrack(StrEnum):
    BACKEND = "backend"
    FRONTEND = "frontend"
    FULLSTACK = "fullstack"
    MOBILE = "mobile"
    DATA_ENGINEERING = "data-engineering"
    DATA_ANALYSIS = "data-analysis"
    ML = "ml"
    DEVOPS = "devops"
    SECURITY = "security"
    QA = "qa"
    EMBEDDED = "embedded"
    ENGINEERING_MANAGEMENT = "engineering-management"
    PRODUCT = "product"
    DESIGN = "design"
    SALES = "sales"
    SUPPORT = "support"
    MARKETING = "marketing"
    GENERAL = "general"


class Question(_Model):
    """One interview question (the design's MinimalQuestion)."""

    id: str = Field(min_length=1, max_length=40, description="Stable id, e.g. 'q1'.")
    text: str = Field(min_length=5, max_length=600)
    kind: QuestionKind
    skill: str = Field(max_length=80, description="The skill or topic the question probes.")


class InterviewPlan(_Model):
    """What setup produces from a job description."""

    questions: list[Question] = Field(min_length=1, max_length=20)
    detected_skills: list[str] = Field(default_factory=list, max_length=40)
    experience_level: ExperienceLevel
    domain_track: DomainTrack
    role_title: str = Field(default="", max_length=120, description="The role's title as the JD names it.")
    engine: str = Field(default="", description="Which planner produced this, e.g. 'local' or 'gemini-2.5-pro'.")


# ---------------------------------------------------------------------------------------------- the transcript

Role = Literal["agent", "user"]


class Turn(_Model):
    """One utterance. `t` is seconds from the start of the live session; `end_t` when known."""

    role: Role
    text: str = Field(max_length=20_000)
    t: float = Field(ge=0)
    end_t: float | None = None
    conversation_id: str | None = None
    interrupted: bool = False


class Transcript(_Model):
    turns: list[Turn] = Field(default_factory=list)
    source: Literal["live", "provider"] = "live"
    """`provider` when fetched from the voice service after the call (authoritative), `live` when built from
    callbacks during the call."""


# -------------------------------------------------------------------------------------------------- the report


class SpeechMetrics(_Model):
    """Deterministic metrics computed locally from the transcript (never asked of a model)."""

    candidate_words: int = 0
    candidate_talk_s: float = 0.0
    words_per_minute: float | None = None
    filler_count: int = 0
    fillers_per_minute: float | None = None
    fillers_per_100_words: float | None = None
    top_fillers: list[str] = Field(default_factory=list)
    answer_count: int = 0
    answer_lengths_s: list[float] = Field(default_factory=list)
    mean_answer_s: float | None = None
    median_response_latency_s: float | None = None
    long_pauses: int = 0
    timing_available: bool = False


class Evidence(_Model):
    """A quote of the candidate's own words, with the time it was said."""

    quote: str
    t: float | None = None
    verified: bool = False


class DimensionScore(_Model):
    name: str  # e.g. "Relevance to the JD", "Structure (STAR)", "Depth / role knowledge", "Communication"
    score: int = Field(ge=0, le=100)
    rationale: str


class QuestionFeedback(_Model):
    question_id: str
    question: str
    asked: bool
    score: int | None = Field(default=None, ge=0, le=100)
    strengths: str = ""
    improvements: str = ""
    evidence: list[Evidence] = Field(default_factory=list)


class Highlight(_Model):
    text: str
    evidence: Evidence


class Recommendation(_Model):
    text: str
    drill: str


class SkillCoverage(_Model):
    skill: str
    coverage: Literal["strong", "partial", "none"]
    note: str = ""


class Verification(_Model):
    claims_total: int = 0
    claims_verified: int = 0
    claims_dropped: int = 0


class Report(_Model):
    """The scored report. When `assessable` is false the scores are None and `summary` says why."""

    assessable: bool
    summary: str
    overall_score: int | None = Field(default=None, ge=0, le=100)
    dimensions: list[DimensionScore] = Field(default_factory=list)
    questions: list[QuestionFeedback] = Field(default_factory=list)
    highlights: list[Highlight] = Field(default_factory=list)
    recommendations: list[Recommendation] = Field(default_factory=list)
    skill_coverage: list[SkillCoverage] = Field(default_factory=list)
    metrics: SpeechMetrics = Field(default_factory=SpeechMetrics)
    verification: Verification = Field(default_factory=Verification)
    engine: str = ""


# ---------------------------------------------------------------------------------------------- the session


class SessionRecord(_Model):
    """A row of `interview_sessions`, decoded. Times are seconds since the epoch."""

    id: str
    status: Status
    jd_text: str
    jd_sha256: str
    plan: InterviewPlan | None = None
    planner: str | None = None
    analyzer: str | None = None
    voice: str | None = None
    mic_on_at: float | None = None
    started_at: float | None = None
    last_heartbeat_at: float | None = None
    ended_at: float | None = None
    duration_s: float | None = None
    charged: bool = False
    charged_at: float | None = None
    conversation_ids: list[str] = Field(default_factory=list)
    live_transcript: list[Turn] = Field(default_factory=list)
    transcript: Transcript | None = None
    report: Report | None = None
    report_generated_at: float | None = None
    error: str | None = None
    owner: str | None = None
    """host:pid of the process running the live session (crash recovery)."""
    created_at: float
    updated_at: float

    def live_seconds(self, now: float) -> float:
        """Live time so far: to `ended_at` when ended, else to `now`; 0 before going live."""
        if self.started_at is None:
            return 0.0
        end = self.ended_at if self.ended_at is not None else now
        return max(0.0, end - self.started_at)


class LedgerEntry(_Model):
    id: int
    amount: int
    kind: Literal["topup", "debit", "refund", "adjust"]
    session_id: str | None = None
    note: str | None = None
    created_at: float
