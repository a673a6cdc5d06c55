"""Gemini analyzer: each asked question rated against its rubric by the model, everything else decided here.

The model rates; this module decides what a rating is worth:

- the asked questions are found locally (`domain.question_match`), each with its rubric (`domain.rubrics`);
- the model is asked, per question and in a fixed-key schema (`gemini_schemas`), for a verdict, the talking
  points covered and red flags shown (each with a quote), STAR parts where a story is asked for, a level per
  sub-dimension against the worded anchors, and a stronger rewrite of the answer;
- every quote is checked against that question's answer (`domain.evidence`): a point or red flag without a
  quote that checks out does not count, and an answered question with no verified quote has its score withheld
  (`supported=False`);
- the non-answer guard (`domain.answer_checks.non_answer`) overrides the model's verdict on junk, and the
  local red-flag detectors add what the model did not name;
- each question's score is `domain.scoring.question_score` of the levels, and the overall and dimension scores
  are `domain.scoring.combine` of the questions — never a number from the model;
- the rewrite keeps only facts the candidate gave (`domain.stronger_answer`).

By default the questions are rated in separate small calls run in parallel (closer to rubric practice: one
answer at a time; see bench/gemini_parallel.py), then one call writes the session-level feedback with the
ratings as facts; if that fails for a reason that may pass (a quota hit by the burst, a 503), everything is asked
once more in a single call. `parallel=False` asks for everything in one call.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from interview_tui.domain.answer_checks import AnswerText, non_answer
from interview_tui.domain.answer_checks import red_flags as detect_red_flags
from interview_tui.domain.errors import ProviderError
from interview_tui.domain.evidence import QuoteVerifier
from interview_tui.domain.metrics import compute_speech_metrics, word_count
from interview_tui.domain.models import (
    AnswerStatus,
    DimensionScore,
    Evidence,
    Highlight,
    InterviewPlan,
    NonAnswerKind,
    PointCoverage,
    Question,
    QuestionFeedback,
    RatingLevel,
    Recommendation,
    RelevanceBasis,
    Report,
    Rubric,
    SkillCoverage,
    SpeechMetrics,
    StarParts,
    SubScores,
    Transcript,
    Turn,
    Verification,
)
from interview_tui.domain.question_match import AskedQuestion, segment
from interview_tui.domain.relevance_wording import session_relevance
from interview_tui.domain.repeat_requests import without_repeat_requests
from interview_tui.domain.rubrics import rubric_for
from interview_tui.domain.scoring import (
    DIMENSION_NAMES,
    LEVELS,
    MODEL_VERSION,
    combine,
    question_score,
    rating_for,
    scored_subscores,
    star_applies,
)
from interview_tui.domain.stronger_answer import keep_to_facts
from interview_tui.providers.gemini import MIN_ASSESSABLE_WORDS, _clean, _GeminiProvider, not_assessable_report
from interview_tui.providers.gemini_client import CallSpec
from interview_tui.providers.gemini_prompts import (
    ANALYZER_SYSTEM,
    QUESTION_SYSTEM,
    SESSION_SYSTEM,
    AskedBlock,
    analyzer_contents,
    question_contents,
    session_contents,
)
from interview_tui.providers.gemini_schemas import (
    AskedForSchema,
    assessment_model,
    question_keys,
    report_model,
    session_model,
)
from interview_tui.settings import Settings

log = logging.getLogger("interview_tui.providers.gemini")

MAX_PARALLEL_CALLS = 4
"""At most this many question calls in flight at once (kind to per-minute quotas)."""

LOW_CONFIDENCE = 0.6
"""Recognised ("heard") words below this confidence are never a highlight."""

NOT_ASSESSABLE_NO_ANSWERS = ("No question got a real answer, so there is no overall score. Each question below "
                             "says what was missing.")


def level_score(level: RatingLevel) -> int:
    """The score a rating level stands for: the middle of its band in `domain.scoring.LEVELS`."""
    band = LEVELS[level]
    return round((band.low + band.high) / 2)


def _non_answer_guard(question: Question, rubric: Rubric, answer: str) -> NonAnswerKind | None:
    """The scoring model's non-answer guard: junk is junk whatever the model says."""
    return non_answer(AnswerText(text=answer, question=question.text), rubric, question.kind)


@dataclass(frozen=True)
class _Asked:
    key: str
    asked: AskedQuestion
    block: AskedBlock
    schema: AskedForSchema
    turns: tuple[Turn, ...]
    """The interviewer's turn that asked it (when there was one) and the candidate's answer turns."""


class GeminiAnalyzer(_GeminiProvider):
    """Analyzer backed by Gemini; speech metrics, quotes, scores and the overall are computed locally."""

    def __init__(self, settings: Settings, *, parallel: bool = True, max_parallel: int = MAX_PARALLEL_CALLS,
                 retry_delay_s: float = 1.0, max_retry_delay_s: float = 10.0) -> None:
        super().__init__(settings, retry_delay_s=retry_delay_s, max_retry_delay_s=max_retry_delay_s)
        self.parallel = parallel
        self.max_parallel = max(1, max_parallel)

    def analyze(self, transcript: Transcript, plan: InterviewPlan) -> Report:
        transcript = without_repeat_requests(transcript)  # "could you repeat the question?" is not an answer
        metrics = compute_speech_metrics(transcript)
        if metrics.candidate_words < MIN_ASSESSABLE_WORDS:
            return not_assessable_report(metrics, engine=self.name)
        asked = self._asked(transcript, plan)
        if self.parallel and len(asked) > 1:
            try:
                return self._analyze_per_question(transcript, plan, asked, metrics)
            except ProviderError as err:
                if not err.retryable:
                    raise
                # e.g. a per-minute quota hit by the burst of calls: one call for everything may still get through
                log.warning("per-question analysis failed (%s); trying once with a single call", err)
        return self._analyze_in_one_call(transcript, plan, asked, metrics)

    def _analyze_per_question(self, transcript: Transcript, plan: InterviewPlan, asked: Sequence[_Asked],
                              metrics: SpeechMetrics) -> Report:
        wires, versions = self._rate_in_parallel(plan, asked)
        feedback, claims = self._feedback(plan, asked, wires)
        session, version = self._caller.generate_versioned(self._session_spec(transcript, plan, feedback, metrics),
                                                           lambda w: w)
        return self._report(transcript, plan, feedback, claims, session, metrics, [*versions, version])

    def _analyze_in_one_call(self, transcript: Transcript, plan: InterviewPlan, asked: Sequence[_Asked],
                             metrics: SpeechMetrics) -> Report:
        spec = self._single_spec(transcript, plan, asked, metrics)
        whole, version = self._caller.generate_versioned(spec, lambda w: w)
        feedback, claims = self._feedback(plan, asked, [getattr(whole.questions, a.key) for a in asked])
        return self._report(transcript, plan, feedback, claims, whole, metrics, [version])

    # ------------------------------------------------------------------------------------------- requests

    def _asked(self, transcript: Transcript, plan: InterviewPlan) -> list[_Asked]:
        found = segment(transcript, plan.questions)
        keys = question_keys([a.question.id for a in found])
        out = []
        for key, a in zip(keys, found, strict=True):
            rubric = rubric_for(a.question)
            facts = _answer_facts(a.answer_turns)
            prompt = (transcript.turns[a.turn_index],) if a.turn_index >= 0 else ()
            out.append(_Asked(key, a, AskedBlock(key, a.question, rubric, a.asked_as, facts),
                              AskedForSchema(key, a.question.kind, rubric), prompt + a.answer_turns))
        return out

    def _single_spec(self, transcript: Transcript, plan: InterviewPlan, asked: Sequence[_Asked],
                     metrics: SpeechMetrics) -> CallSpec:
        return CallSpec(what="transcript", system=ANALYZER_SYSTEM,
                        contents=analyzer_contents(transcript, plan, [a.block for a in asked], metrics),
                        schema=report_model([a.schema for a in asked], plan.detected_skills),
                        temperature=0.2, thinking_budget=4096, thinking_level="medium")

    def _question_spec(self, plan: InterviewPlan, a: _Asked) -> CallSpec:
        return CallSpec(what=f"answer to question {a.key}", system=QUESTION_SYSTEM,
                        contents=question_contents(plan, a.block, a.turns), schema=assessment_model(a.schema),
                        temperature=0.2, thinking_budget=2048, thinking_level="low")

    def _session_spec(self, transcript: Transcript, plan: InterviewPlan, feedback: Sequence[QuestionFeedback],
                      metrics: SpeechMetrics) -> CallSpec:
        return CallSpec(what="transcript", system=SESSION_SYSTEM,
                        contents=session_contents(transcript, plan, [_rating_fact(f) for f in feedback if f.asked],
                                                  metrics),
                        schema=session_model(plan.detected_skills), temperature=0.3, thinking_budget=2048,
                        thinking_level="low")

    def _rate_in_parallel(self, plan: InterviewPlan, asked: Sequence[_Asked]) -> tuple[list[Any], list[str | None]]:
        def rate(a: _Asked) -> tuple[Any, str | None]:
            if not a.asked.answer.strip():
                return None, None  # asked, never answered: nothing to rate, no call
            return self._caller.generate_versioned(self._question_spec(plan, a), lambda w: w)

        with ThreadPoolExecutor(max_workers=min(self.max_parallel, len(asked)),
                                thread_name_prefix="gemini-rate") as pool:
            results = list(pool.map(rate, asked))
        return [w for w, _ in results], [v for _, v in results]

    # -------------------------------------------------------------------------------------------- mapping

    def _feedback(self, plan: InterviewPlan, asked: Sequence[_Asked],
                  wires: Sequence[Any]) -> tuple[list[QuestionFeedback], Verification]:
        """Feedback for every planned question (not asked ones marked so), then the unplanned ones asked."""
        context = [plan.role_title, *plan.detected_skills]
        rated = [_question_feedback(a, w, context) if w is not None else _unanswered(a)
                 for a, w in zip(asked, wires, strict=True)]
        by_id = {fb.question_id: fb for fb, _ in rated}
        out = [by_id.pop(q.id) if q.id in by_id else
               QuestionFeedback(question_id=q.id, question=q.text, asked=False, kind=q.kind,
                                status=AnswerStatus.NOT_ASKED)
               for q in plan.questions]
        return out + list(by_id.values()), _sum_claims([v for _, v in rated])

    def _report(self, transcript: Transcript, plan: InterviewPlan, feedback: list[QuestionFeedback],
                question_claims: Verification, session: Any, metrics: SpeechMetrics,
                versions: Sequence[str | None]) -> Report:
        combined = combine(feedback)
        verifier = QuoteVerifier(transcript)
        highlights = []
        for h in session.highlights:
            found = _heard(verifier.check(h.quote), transcript.turns)
            if found is not None and (found.confidence is None or found.confidence >= LOW_CONFIDENCE):
                highlights.append(Highlight(text=_clean(h.text, 400), evidence=found))
        dimensions = [DimensionScore(name=name, score=score, rationale=_rationale(key, session, feedback))
                      for key, name in DIMENSION_NAMES.items()
                      if (score := combined.dimensions.get(key)) is not None] if combined.assessable else []
        summary = _clean(session.summary, 1200)
        if not combined.assessable:
            summary = f"{NOT_ASSESSABLE_NO_ANSWERS} {summary}".strip()
        claims = _sum_claims([question_claims, verifier.verification])
        version = next((v for v in versions if v), "") or ""
        rough = [t for t in transcript.turns if t.role == "user" and t.confidence is not None and t.text.strip()]
        return Report(
            assessable=combined.assessable, summary=summary,
            overall_score=combined.overall if combined.assessable else None, dimensions=dimensions,
            questions=feedback, highlights=highlights,
            recommendations=_recommendations(session, feedback),
            skill_coverage=_skills(plan, session), metrics=metrics, verification=claims, engine=self.name,
            transcript_quality="rough" if rough else "exact",
            recognition_confidence=_mean_confidence(rough) if rough else None,
            model_version=MODEL_VERSION, engine_version=_clean(version, 80))


# ---------------------------------------------------------------------------------------------- helpers


def _rationale(key: str, session: Any, feedback: Sequence[QuestionFeedback]) -> str:
    """A dimension's rationale: the model's sentence, except Relevance, which says what was counted (computed here:
    a model's sentence such as "8 of the 10 key skills" need not agree with the score)."""
    if key == "relevance":
        return session_relevance(feedback)
    return _clean(getattr(session.dimensions, key).rationale, 400)


def _answer_facts(turns: Sequence[Turn]) -> str:
    words = sum(word_count(t.text) for t in turns)
    if not turns:
        return "no answer was given"
    timed = all(t.end_t is not None for t in turns)
    seconds = sum(max(0.0, (t.end_t or t.t) - t.t) for t in turns) if timed else None
    return f"{words} words" + (f", {seconds:.0f} s of speech" if seconds is not None else ", untimed")


def _rating_fact(f: QuestionFeedback) -> str:
    covered = sum(p.covered for p in f.points)
    state = f.status.value if f.status else ("answered" if f.asked else "not asked")
    score = "withheld (no supporting quote)" if not f.supported else (f"{f.score}/100" if f.score is not None
                                                                     else "no score")
    flags = f"; red flags: {', '.join(f.red_flags)}" if f.red_flags else ""
    return (f"{f.question_id} ({f.kind.value if f.kind else 'question'}): {state}, "
            f"{f.rating.value if f.rating else '-'}, {score}; talking points covered {covered} of "
            f"{len(f.points)}{flags}. {f.question}")


def _heard(evidence: Evidence | None, turns: Sequence[Turn]) -> Evidence | None:
    """Mark evidence from recognised speech as "heard" with the recogniser's confidence (never "verbatim")."""
    if evidence is None:
        return None
    turn = next((t for t in turns if t.role == "user" and t.t == evidence.t and t.confidence is not None), None)
    if turn is None:
        return evidence
    return evidence.model_copy(update={"source": "heard", "confidence": turn.confidence})


def _mean_confidence(turns: Sequence[Turn]) -> float:
    weights = [(max(1, word_count(t.text)), t.confidence or 0.0) for t in turns]
    return round(sum(w * c for w, c in weights) / sum(w for w, _ in weights), 2)


def _unique(evidence: Sequence[Evidence]) -> list[Evidence]:
    seen: set[tuple[str, float | None]] = set()
    out = []
    for e in evidence:
        if (e.quote, e.t) not in seen:
            seen.add((e.quote, e.t))
            out.append(e)
    return out


class _Checker:
    """A quote verifier for one answer, counting claims for `Report.verification`."""

    def __init__(self, turns: Sequence[Turn]) -> None:
        self.turns = list(turns)
        self.verifier = QuoteVerifier(Transcript(turns=self.turns))

    def check(self, quote: str) -> Evidence | None:
        if not quote.strip():
            return None
        return _heard(self.verifier.check(quote), self.turns)


def _question_feedback(a: _Asked, wire: Any, context: Sequence[str]) -> tuple[QuestionFeedback, Verification]:
    """One question's feedback from the model's fixed-key assessment, with every rule applied locally."""
    question, rubric = a.asked.question, a.block.rubric
    answer = _clean(a.asked.answer, 20_000)
    checker = _Checker(a.asked.answer_turns)
    points = []
    for index, point in enumerate(rubric.talking_points, 1):
        item = getattr(wire.points, f"p{index}", None)
        found = checker.check(item.quote) if item is not None and item.covered else None
        points.append(PointCoverage(text=point.text, covered=found is not None, evidence=found))
    flags_wire = getattr(wire, "red_flags", None)
    red_flags = []
    for index, flag in enumerate(rubric.red_flags, 1):
        item = getattr(flags_wire, f"f{index}", None) if flags_wire is not None else None
        if item is not None and item.shown and checker.check(item.quote) is not None:
            red_flags.append(flag.text)
    for found_flag in detect_red_flags(AnswerText(text=answer, question=question.text), question.kind, rubric):
        if found_flag.casefold() not in {f.casefold() for f in red_flags}:
            red_flags.append(found_flag)  # the local detectors see what the model may not name
    evidence = _unique([e for e in (checker.check(q) for q in wire.quotes) if e is not None])
    supported = bool(evidence) or any(p.covered for p in points)
    if not evidence:
        evidence = _unique([p.evidence for p in points if p.evidence is not None])

    status, non_answer_kind = _status(wire.verdict, question, rubric, answer)
    star = StarParts(**wire.star.model_dump()) if star_applies(question.kind) and getattr(wire, "star", None) \
        else None
    ratings = wire.ratings
    subscores = SubScores(
        relevance=level_score(RatingLevel(ratings.relevance)),
        structure=level_score(RatingLevel(ratings.structure)) if star_applies(question.kind) else None,
        depth=level_score(RatingLevel(ratings.depth)),
        communication=level_score(RatingLevel(ratings.communication)))
    if status is AnswerStatus.ANSWERED and not supported:
        score, rating, subscores_shown = None, None, None
    else:
        supported = True
        score = question_score(subscores, question.kind, status=status, red_flags=len(red_flags))
        rating = rating_for(score) if score is not None else None
        # stored as scored (communication capped by content), like the offline analyzer's
        subscores_shown = scored_subscores(subscores) if status is AnswerStatus.ANSWERED else None
    stronger = keep_to_facts(wire.stronger_answer, answer, [question.text, *context]) \
        if status is AnswerStatus.ANSWERED else ""
    basis = RelevanceBasis(points_covered=sum(p.covered for p in points), points_total=len(points),
                           model_level=RatingLevel(ratings.relevance)) if subscores_shown is not None else None
    fb = QuestionFeedback(
        question_id=question.id, question=question.text, asked=True, score=score, relevance_basis=basis,
        strengths=_clean(wire.strengths, 600),
        improvements=_without_number_advice(_clean(wire.improvements, 600), answer), evidence=evidence[:4],
        kind=question.kind, status=status, non_answer=non_answer_kind, rating=rating, subscores=subscores_shown,
        supported=supported, answer=answer, points=points, red_flags=red_flags,
        star=star if status is AnswerStatus.ANSWERED else None, stronger_answer=stronger)
    return fb, checker.verifier.verification


def _unanswered(a: _Asked) -> tuple[QuestionFeedback, Verification]:
    """A question asked and never answered: scored 0 without asking the model."""
    q = a.asked.question
    points = [PointCoverage(text=p.text, covered=False) for p in a.block.rubric.talking_points]
    return QuestionFeedback(question_id=q.id, question=q.text, asked=True, score=0, kind=q.kind,
                            status=AnswerStatus.NOT_ANSWERED, points=points,
                            improvements="The question was asked but not answered."), Verification()


def _status(verdict: str, question: Question, rubric: Rubric,
            answer: str) -> tuple[AnswerStatus, NonAnswerKind | None]:
    """The local decision: nothing said → not answered; junk by the guard → that non-answer; else the model's."""
    if not answer.strip():
        return AnswerStatus.NOT_ANSWERED, None
    guarded = _non_answer_guard(question, rubric, answer)
    if guarded is not None:
        return AnswerStatus.NON_ANSWER, guarded
    if verdict == "answered":
        return AnswerStatus.ANSWERED, None
    if verdict == "not_answered":
        return AnswerStatus.NON_ANSWER, NonAnswerKind.EMPTY if not word_count(answer) else None
    return AnswerStatus.NON_ANSWER, NonAnswerKind(verdict)


_ADVISES_NUMBERS = re.compile(r"\b(quantif\w*|add(?:ing)? (?:a |some )?(?:numbers?|metrics?|figures?|data)|"
                              r"(?:numbers?|metrics?|figures?) (?:to|in|for) (?:your|the|each)|measurable)\b", re.I)
_HAS_NUMBER = re.compile(r"\d|\b(percent|half|double|twice|tripled|hundred|thousand|million)\b", re.I)


def _has_numbers(text: str) -> bool:
    return bool(_HAS_NUMBER.search(text))


def _without_number_advice(advice: str, answer: str) -> str:
    """Advice to add numbers is dropped where the answer already has them (it would contradict the evidence)."""
    if not _has_numbers(answer):
        return advice
    return " ".join(s for s in re.split(r"(?<=[.!?])\s+", advice) if not _ADVISES_NUMBERS.search(s))


def _sum_claims(parts: Sequence[Verification]) -> Verification:
    total = sum(p.claims_total for p in parts)
    verified = sum(p.claims_verified for p in parts)
    return Verification(claims_total=total, claims_verified=verified, claims_dropped=total - verified)


def _recommendations(session: Any, feedback: Sequence[QuestionFeedback]) -> list[Recommendation]:
    """The model's recommendations that have a drill and agree with the evidence: no "add numbers" when most
    answers already have them."""
    answers = [f.answer for f in feedback if f.status is AnswerStatus.ANSWERED and f.answer]
    numbered = bool(answers) and sum(_has_numbers(a) for a in answers) * 2 >= len(answers)
    return [Recommendation(text=_clean(r.text, 400), drill=_clean(r.drill, 400))
            for r in session.recommendations
            if r.text.strip() and r.drill.strip() and not (numbered and _ADVISES_NUMBERS.search(r.text))]


def _skills(plan: InterviewPlan, session: Any) -> list[SkillCoverage]:
    wire = getattr(session, "skill_coverage", None)
    out = []
    for index, skill in enumerate(plan.detected_skills, 1):
        item = getattr(wire, f"s{index}", None) if wire is not None else None
        if item is None:
            out.append(SkillCoverage(skill=skill, coverage="none", note="The analysis did not mention this skill."))
        else:
            out.append(SkillCoverage(skill=skill, coverage=item.coverage, note=_clean(item.note, 300)))
    return out

