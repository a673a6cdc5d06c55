"""Pydantic models shared by every layer: the interview plan, the transcript, the report, a session record.

These are the contracts between planners, analyzers, voice engines, the store and the UI. Provider-specific
wire schemas (e.g. what Gemini is asked to return) live with their provider and are mapped onto these.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from interview_tui.domain.lifecycle import Status, failed_after_going_live


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")


# ---------------------------------------------------------------------------------------------------- the plan


class QuestionKind(StrEnum):
    BEHAVIOURAL = "behavioural"
    TECHNICAL = "technical"
    SITUATIONAL = "situational"
    MOTIVATION = "motivation"
    """Motivation / self-assessment: about yourself, a weakness, why leave, why us, where in a year."""


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


class TalkingPoint(_Model):
    """Something a strong answer covers, phrased for the candidate."""

    text: str = Field(min_length=1, max_length=200)
    cues: list[str] = Field(default_factory=list, max_length=40)
    """Offline detection: lowercase words or short phrases a candidate says when covering the point (word-form
    tolerant; a trailing `*` makes a prefix). May be empty (then only a model can judge the point)."""


class RedFlag(_Model):
    """Something that weakens an answer whatever else it says (e.g. "Blames others for the failure")."""

    text: str = Field(min_length=1, max_length=200)
    cues: list[str] = Field(default_factory=list, max_length=40)


class Rubric(_Model):
    """What a strong answer to one question covers, what spoils it, and what changes with the level."""

    talking_points: list[TalkingPoint] = Field(min_length=1, max_length=8)
    red_flags: list[RedFlag] = Field(default_factory=list, max_length=10)
    level_notes: str = Field(default="", max_length=600)


class Question(_Model):
    """One interview question (the design's MinimalQuestion)."""

    id: str = Field(min_length=1, max_length=40, description="Stable id, e.g. 'q1'.")
    text: str = Field(min_length=5, max_length=600)
    kind: QuestionKind
    skill: str = Field(max_length=80, description="The skill or topic the question probes.")
    rubric: Rubric | None = None
    """None → the generic rubric of its kind (`domain.rubrics.rubric_for`)."""


class InterviewPlan(_Model):
    """What setup produces from a job description."""

    questions: list[Question] = Field(min_length=1, max_length=20)
    detected_skills: list[str] = Field(default_factory=list, max_length=40)
    experience_level: ExperienceLevel
    domain_track: DomainTrack
    role_title: str = Field(default="", max_length=120, description="The role's title as the JD names it.")
    optional_skills: list[str] = Field(default_factory=list, max_length=40)
    """Detected skills the JD lists only as nice-to-have / a plus: never reported as gaps."""
    skill_alternatives: list[list[str]] = Field(default_factory=list, max_length=20)
    """Groups of detected skills the JD offers as alternatives ("Python or Go"): one covered covers the group."""
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
    confidence: float | None = Field(default=None, ge=0, le=1)
    """The recogniser's confidence in these words (offline speech recognition only); None = exact text."""


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
    discourse_markers_measured: bool = True
    """False when the text has too little punctuation to tell "like"/"you know" fillers from real use: then only
    hesitations (um, uh, …) are counted and discourse markers are "not measured"."""


class Evidence(_Model):
    """A quote of the candidate's own words, with the time it was said.

    `source` is "heard" when the words come from an offline recogniser (a rough transcript): then they are shown
    as "heard as" with the recogniser's `confidence` (0–1), never as verified words.
    """

    quote: str
    t: float | None = None
    verified: bool = False
    source: Literal["verbatim", "heard"] = "verbatim"
    confidence: float | None = Field(default=None, ge=0, le=1)


class DimensionScore(_Model):
    name: str  # e.g. "Relevance to the JD", "Structure (STAR)", "Depth / role knowledge", "Communication"
    score: int = Field(ge=0, le=100)
    rationale: str


class RatingLevel(StrEnum):
    """The worded scale one answer is rated on; bands and anchors in `domain.scoring.LEVELS`."""

    POOR = "poor"
    MIXED = "mixed"
    GOOD = "good"
    EXCELLENT = "excellent"


class AnswerStatus(StrEnum):
    ANSWERED = "answered"
    NON_ANSWER = "non_answer"
    """Something was said, but it is not an answer (see `NonAnswerKind`)."""
    NOT_ANSWERED = "not_answered"
    """Asked, and the candidate said nothing to it."""
    NOT_ASKED = "not_asked"


class NonAnswerKind(StrEnum):
    EMPTY = "empty"
    DONT_KNOW = "dont_know"
    TOO_SHORT = "too_short"
    GIBBERISH = "gibberish"
    PLACEHOLDER = "placeholder"
    REPETITIVE = "repetitive"
    OFF_TOPIC = "off_topic"
    STUFFING = "stuffing"


class SubScores(_Model):
    """One answer's four sub-scores (0–100); None where not judged (e.g. structure on a technical question)."""

    relevance: int | None = Field(default=None, ge=0, le=100)
    structure: int | None = Field(default=None, ge=0, le=100)
    depth: int | None = Field(default=None, ge=0, le=100)
    communication: int | None = Field(default=None, ge=0, le=100)


class PointCoverage(_Model):
    """One rubric talking point and whether the answer covered it."""

    text: str
    covered: bool
    evidence: Evidence | None = None


class StarParts(_Model):
    """Which parts of Situation–Task–Action–Result a behavioural/situational answer states."""

    situation: bool = False
    task: bool = False
    action: bool = False
    result: bool = False

    def present(self) -> list[str]:
        return [name for name in ("situation", "task", "action", "result") if getattr(self, name)]

    def missing(self) -> list[str]:
        return [name for name in ("situation", "task", "action", "result") if not getattr(self, name)]


class ShapePart(_Model):
    """One part of the shape a question asks for ("your own actions" in a story), and how far the answer had it."""

    label: str = Field(max_length=80)
    weight: float = Field(ge=0, le=1)
    """Its share of the shape."""
    met: float = Field(ge=0, le=1)
    """1 = fully there, 0 = missing (in between: partly, e.g. one of the two own actions wanted)."""


class RelevanceBasis(_Model):
    """What a question's relevance sub-score counted, so that its wording can name it (docs/SCORING.md §2)."""

    points_covered: int = Field(ge=0)
    """The question's own talking points covered in the candidate's words (with a verified quote, for a model)."""
    points_total: int = Field(ge=0)
    points_full: int | None = None
    """Offline: covering this many earns the full credit for points."""
    kind_points_covered: int | None = None
    """Offline: the points of the generic rubric of the question's kind covered, when that lens counted instead
    (it did better than the question's own rubric)."""
    kind_points_total: int | None = None
    point_weight: float | None = Field(default=None, ge=0, le=1)
    """Offline: the share of relevance that comes from points; the rest is the answer's shape."""
    shape: str = Field(default="", max_length=80)
    """What the question asks for: "a story", "a plan", "an explanation", "a motivation"."""
    shape_parts: list[ShapePart] = Field(default_factory=list)
    echo_factor: float | None = Field(default=None, ge=0, le=1)
    """Offline: relevance was multiplied by this for reading the question back (None: it was not)."""
    model_level: RatingLevel | None = None
    """With a model: the level it gave relevance against the worded anchors (the score is that level's middle)."""


class QuestionFeedback(_Model):
    question_id: str
    question: str
    asked: bool
    score: int | None = Field(default=None, ge=0, le=100)
    strengths: str = ""
    improvements: str = ""
    evidence: list[Evidence] = Field(default_factory=list)
    kind: QuestionKind | None = None
    status: AnswerStatus | None = None
    """None in reports stored before the scoring model (then derive it from `asked`)."""
    non_answer: NonAnswerKind | None = None
    rating: RatingLevel | None = None
    subscores: SubScores | None = None
    supported: bool = True
    """False → the score is withheld (no quote backed it) and shown as unsupported."""
    answer: str = ""
    """The candidate's own words for this question."""
    points: list[PointCoverage] = Field(default_factory=list)
    red_flags: list[str] = Field(default_factory=list)
    star: StarParts | None = None
    """Only for behavioural/situational questions."""
    stronger_answer: str = ""
    relevance_basis: RelevanceBasis | None = None
    """What the relevance sub-score counted (None in reports stored before it was recorded)."""


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


class VoiceStop(_Model):
    """The voice engine stopped during a live session: it failed and ended the interview (a crash, a drop that
    could not be restored, a microphone that stopped), or it could not run and the answers went on typed."""

    t: float = Field(ge=0)
    """Session seconds (live time) when it stopped."""
    reason: str = Field(max_length=2000)
    """The engine's own sentence, e.g. "The offline voice stopped: the microphone stopped delivering audio"."""
    then: Literal["ended", "typed"]
    """What followed: the interview ended there, or it went on with typed answers."""


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
    transcript_quality: Literal["exact", "rough"] = "exact"
    """"rough" when the words come from an offline recogniser (quotes are "heard as", not verbatim)."""
    recognition_confidence: float | None = Field(default=None, ge=0, le=1)
    """Mean recogniser confidence over the candidate's words, when the transcript is rough."""
    model_version: str = ""
    """Which scoring model produced the scores (`domain.scoring.MODEL_VERSION`)."""
    engine_version: str = ""
    """The model version the analyzer's service reported answering with (Gemini's `modelVersion`); differs from
    `engine` when the service routed the request to another model (e.g. a retired one to its replacement)."""
    voice_stops: list[VoiceStop] = Field(default_factory=list)
    """Where the voice stopped during the session (copied from the session when it is analysed), so the report
    can say why answers may be missing."""


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
    voice_stops: list[VoiceStop] = Field(default_factory=list)
    transcript: Transcript | None = None
    report: Report | None = None
    report_generated_at: float | None = None
    error: str | None = None
    owner: str | None = None
    """host:pid of the process running the live session (crash recovery)."""
    created_at: float
    updated_at: float

    @property
    def went_live(self) -> bool:
        """The microphone opened at least once: the session is past planning for good."""
        return self.started_at is not None

    @property
    def failed_after_going_live(self) -> bool:
        """Failed at its analysis (retry the analysis), not at its planning (`lifecycle.failed_after_going_live`)."""
        return failed_after_going_live(self.status, self.started_at)

    @property
    def interrupted(self) -> bool:
        """Live, but paused by a quit or a crash: nobody runs it, its live time stops at `ended_at`; it can be
        continued (a new conversation, same session) or ended and analysed."""
        return self.status.value == "active" and self.owner is None and self.ended_at is not None

    def live_seconds(self, now: float) -> float:
        """Live time so far: to `ended_at` when ended, else to `now`; 0 before going live."""
        if self.started_at is None:
            return 0.0
        end = self.ended_at if self.ended_at is not None else now
        return max(0.0, end - self.started_at)

