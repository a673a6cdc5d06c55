"""Gemini planner (JD → interview plan with a rubric per question), and what it shares with the analyzer
(`gemini_analyzer.GeminiAnalyzer`, also importable from here).

Calls go through `GeminiCaller` (one retry for transient failures) and the validated wire answer is mapped onto
the domain models. Every string from the model is cleaned of control characters and terminal escapes.
"""

from __future__ import annotations

from interview_tui.domain.jd import clean_text
from interview_tui.domain.models import InterviewPlan, Question, RedFlag, Report, Rubric, SpeechMetrics, TalkingPoint
from interview_tui.providers.gemini_client import CallSpec, GeminiCaller
from interview_tui.providers.gemini_prompts import PLANNER_SYSTEM, PROMPT_VERSION, planner_contents
from interview_tui.providers.gemini_schemas import (
    MAX_QUESTIONS,
    MAX_RED_FLAGS,
    MAX_TALKING_POINTS,
    MIN_TALKING_POINTS,
    WirePlan,
    WireRubric,
)
from interview_tui.settings import Settings

MIN_ASSESSABLE_WORDS = 40
"""Below this many candidate words there is nothing honest to score: the report says so instead."""

NOT_ASSESSABLE_SUMMARY = ("Not enough to assess: the candidate said {words} words, and at least {need} are needed "
                          "for a fair assessment. Answer a few questions out loud (or in text mode) and try again.")


def _clean(text: str, limit: int | None = None) -> str:
    cleaned = " ".join(clean_text(text).split())
    return cleaned[:limit] if limit else cleaned


class _GeminiProvider:
    """What the planner and the analyzer share: one caller (SDK client + retry), named after the model."""

    def __init__(self, settings: Settings, *, retry_delay_s: float = 1.0, max_retry_delay_s: float = 10.0) -> None:
        self._caller = GeminiCaller(settings, retry_delay_s=retry_delay_s, max_retry_delay_s=max_retry_delay_s)
        self.name = settings.gemini_model

    @property
    def caller(self) -> GeminiCaller:
        return self._caller


class GeminiPlanner(_GeminiProvider):
    """Planner backed by Gemini. `name` is the model name; `prompt_version` feeds the plan cache key."""

    prompt_version = PROMPT_VERSION

    def plan(self, jd_text: str, attempt: int = 0) -> InterviewPlan:
        spec = CallSpec(what="job description", system=PLANNER_SYSTEM, contents=planner_contents(jd_text, attempt),
                        schema=WirePlan, temperature=0.4, thinking_budget=2048, thinking_level="low")
        return self._caller.generate(spec, self._to_plan)

    def _to_plan(self, wire: WirePlan) -> InterviewPlan:
        questions: list[Question] = []
        for q in wire.questions:
            text = _clean(q.text, 600)
            if len(text) < 5 or any(text.casefold() == other.text.casefold() for other in questions):
                continue
            questions.append(Question(id=f"q{len(questions) + 1}", text=text, kind=q.kind,
                                      skill=_clean(q.skill, 80), rubric=_to_rubric(q.rubric)))
            if len(questions) == MAX_QUESTIONS:
                break
        skills: list[str] = []
        for skill in wire.detected_skills:
            cleaned = _clean(skill, 80)
            if cleaned and cleaned.casefold() not in {s.casefold() for s in skills}:
                skills.append(cleaned)
        return InterviewPlan(questions=questions, detected_skills=skills[:40],
                             experience_level=wire.experience_level, domain_track=wire.domain_track,
                             role_title=_clean(wire.role_title, 120), engine=self.name)


def _cues(cues: list[str]) -> list[str]:
    out: list[str] = []
    for cue in cues:
        cleaned = _clean(cue, 40).lower()
        if any(c.isalnum() for c in cleaned) and cleaned not in out:
            out.append(cleaned)
    return out[:12]


def _to_rubric(wire: WireRubric | None) -> Rubric | None:
    """The model's rubric, validated: 3-5 talking points (fewer → None: the generic rubric of the question's type
    or kind applies), at most 6 red flags, every text cleaned."""
    if wire is None:
        return None
    points: list[TalkingPoint] = []
    for p in wire.talking_points:
        text = _clean(p.text, 200)
        if text and text.casefold() not in {q.text.casefold() for q in points}:
            points.append(TalkingPoint(text=text, cues=_cues(p.cues)))
    if len(points) < MIN_TALKING_POINTS:
        return None
    flags = [RedFlag(text=_clean(f.text, 200), cues=_cues(f.cues)) for f in wire.red_flags if _clean(f.text)]
    return Rubric(talking_points=points[:MAX_TALKING_POINTS], red_flags=flags[:MAX_RED_FLAGS],
                  level_notes=_clean(wire.level_notes, 600))


def not_assessable_report(metrics: SpeechMetrics, *, engine: str) -> Report:
    """The honest report for a transcript with (almost) no candidate speech: no scores at all."""
    summary = NOT_ASSESSABLE_SUMMARY.format(words=metrics.candidate_words, need=MIN_ASSESSABLE_WORDS)
    return Report(assessable=False, summary=summary, metrics=metrics, engine=engine)
