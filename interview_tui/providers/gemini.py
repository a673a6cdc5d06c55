"""Gemini planner (JD → interview plan) and analyzer (transcript → evidence-backed report).

Both make one structured-output call through `GeminiCaller` (one retry for transient failures) and map the
validated wire answer onto the domain models. Every string from the model is cleaned of control characters
and terminal escapes; every quote in a report is checked against the candidate's own turns
(`domain.evidence`) and dropped when it cannot be found, with the counts in `Report.verification`.
"""

from __future__ import annotations

from interview_tui.domain.evidence import QuoteVerifier
from interview_tui.domain.jd import clean_text
from interview_tui.domain.metrics import compute_speech_metrics
from interview_tui.domain.models import (
    DimensionScore,
    Evidence,
    Highlight,
    InterviewPlan,
    Question,
    QuestionFeedback,
    Recommendation,
    Report,
    SkillCoverage,
    SpeechMetrics,
    Transcript,
)
from interview_tui.providers.gemini_client import CallSpec, GeminiCaller
from interview_tui.providers.gemini_prompts import (
    ANALYZER_SYSTEM,
    PLANNER_SYSTEM,
    PROMPT_VERSION,
    analyzer_contents,
    planner_contents,
)
from interview_tui.providers.gemini_schemas import DIMENSION_NAMES, MAX_QUESTIONS, WirePlan, WireReport
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

    def plan(self, jd_text: str) -> InterviewPlan:
        spec = CallSpec(what="job description", system=PLANNER_SYSTEM, contents=planner_contents(jd_text),
                        schema=WirePlan, temperature=0.4, thinking_budget=2048, thinking_level="low")
        return self._caller.generate(spec, self._to_plan)

    def _to_plan(self, wire: WirePlan) -> InterviewPlan:
        questions = []
        for q in wire.questions:
            text = _clean(q.text, 600)
            if len(text) < 5 or any(text.casefold() == other.text.casefold() for other in questions):
                continue
            questions.append(Question(id=f"q{len(questions) + 1}", text=text, kind=q.kind,
                                      skill=_clean(q.skill, 80)))
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


class GeminiAnalyzer(_GeminiProvider):
    """Analyzer backed by Gemini; speech metrics are computed locally and quotes verified locally."""

    def analyze(self, transcript: Transcript, plan: InterviewPlan) -> Report:
        metrics = compute_speech_metrics(transcript)
        if metrics.candidate_words < MIN_ASSESSABLE_WORDS:
            return not_assessable_report(metrics, engine=self.name)
        spec = CallSpec(what="transcript", system=ANALYZER_SYSTEM, contents=analyzer_contents(transcript, plan),
                        schema=WireReport, temperature=0.2, thinking_budget=4096, thinking_level="medium")
        return self._caller.generate(spec, lambda wire: self._to_report(wire, transcript, plan, metrics))

    def _to_report(self, wire: WireReport, transcript: Transcript, plan: InterviewPlan,
                   metrics: SpeechMetrics) -> Report:
        verifier = QuoteVerifier(transcript)
        by_key = {d.key: d for d in wire.dimensions}
        dimensions = [DimensionScore(name=DIMENSION_NAMES[key], score=by_key[key].score,
                                     rationale=_clean(by_key[key].rationale, 400))
                      for key in DIMENSION_NAMES]
        feedback = {f.question_id.strip(): f for f in wire.questions}
        questions = []
        for q in plan.questions:
            item = feedback.get(q.id)
            if item is None:
                questions.append(QuestionFeedback(question_id=q.id, question=q.text, asked=False,
                                                  improvements="The analysis gave no feedback on this question."))
                continue
            evidence = [e for e in (verifier.check(quote) for quote in item.quotes) if e is not None]
            questions.append(QuestionFeedback(
                question_id=q.id, question=q.text, asked=item.asked, score=item.score if item.asked else None,
                strengths=_clean(item.strengths, 600), improvements=_clean(item.improvements, 600),
                evidence=_unique(evidence)))
        highlights = []
        for h in wire.highlights:
            found = verifier.check(h.quote)
            if found is not None:
                highlights.append(Highlight(text=_clean(h.text, 400), evidence=found))
        recommendations = [Recommendation(text=_clean(r.text, 400), drill=_clean(r.drill, 400))
                           for r in wire.recommendations if r.text.strip() and r.drill.strip()]
        coverage = {c.skill.strip().casefold(): c for c in wire.skill_coverage}
        skills = [SkillCoverage(skill=s, coverage=coverage[s.casefold()].coverage,
                                note=_clean(coverage[s.casefold()].note, 300))
                  if s.casefold() in coverage else
                  SkillCoverage(skill=s, coverage="none", note="The analysis did not mention this skill.")
                  for s in plan.detected_skills]
        return Report(assessable=True, summary=_clean(wire.summary, 1200), overall_score=wire.overall_score,
                      dimensions=dimensions, questions=questions, highlights=highlights,
                      recommendations=recommendations, skill_coverage=skills, metrics=metrics,
                      verification=verifier.verification, engine=self.name)


def _unique(evidence: list[Evidence]) -> list[Evidence]:
    seen: set[tuple[str, float | None]] = set()
    out = []
    for e in evidence:
        if (e.quote, e.t) not in seen:
            seen.add((e.quote, e.t))
            out.append(e)
    return out


def not_assessable_report(metrics: SpeechMetrics, *, engine: str) -> Report:
    """The honest report for a transcript with (almost) no candidate speech: no scores at all."""
    summary = NOT_ASSESSABLE_SUMMARY.format(words=metrics.candidate_words, need=MIN_ASSESSABLE_WORDS)
    return Report(assessable=False, summary=summary, metrics=metrics, engine=engine)
