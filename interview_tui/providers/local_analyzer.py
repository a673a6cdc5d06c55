"""The offline analyzer: a deterministic report from the transcript and the plan (no network, no model).

It follows the shared scoring model (docs/SCORING.md): each asked question is rated on its own against its
rubric (`domain.answer_rating`), non-answers are labelled and scored near zero, and the overall and dimension
scores are combined mechanically (`domain.scoring.combine`). Every quote is the candidate's own words with the
time they were said; from an offline recogniser they are "heard as", with its confidence.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, TypedDict

from interview_tui.domain import figures
from interview_tui.domain import metrics as m
from interview_tui.domain.answer_checks import (
    FLAG_ABSOLUTES,
    FLAG_BAD_MOUTH,
    FLAG_BELITTLE,
    FLAG_BLAME,
    FLAG_DISGUISED,
    FLAG_DISHONEST,
    FLAG_NO_MISTAKES,
    FLAG_PRESSURE,
    FLAG_WE_NOT_I,
    AnswerText,
    covers,
)
from interview_tui.domain.answer_rating import AnswerRating, rate_answer
from interview_tui.domain.cues import StemmedText
from interview_tui.domain.models import (
    AnswerStatus,
    DimensionScore,
    Evidence,
    Highlight,
    InterviewPlan,
    PointCoverage,
    Question,
    QuestionFeedback,
    QuestionKind,
    Recommendation,
    Report,
    SkillCoverage,
    SpeechMetrics,
    Transcript,
    Turn,
    Verification,
)
from interview_tui.domain.question_match import AskedQuestion, segment
from interview_tui.domain.relevance_wording import session_relevance
from interview_tui.domain.repeat_requests import without_repeat_requests
from interview_tui.domain.rubrics import library, rubric_for
from interview_tui.domain.scoring import DIMENSION_NAMES, MODEL_VERSION, Combined, combine, star_applies
from interview_tui.domain.skill_claims import skill_coverage

DIMENSIONS = tuple(DIMENSION_NAMES.values())
MAX_QUOTE_WORDS = 35
HIGHLIGHT_MIN_CONFIDENCE = 0.85
"""Recognised words below this confidence are never a highlight (they may not be what was said)."""


@dataclass(frozen=True)
class _Rated:
    question: Question
    asked: AskedQuestion | None
    rating: AnswerRating | None


def _quote_units(text: str) -> list[str]:
    """Sentences, with long unpunctuated stretches (speech-to-text) cut into exact word windows."""
    units = []
    for sentence in m.split_sentences(text):
        spans = [mt.span() for mt in re.finditer(r"\S+", sentence)]
        if len(spans) < 6:
            continue
        for start in range(0, len(spans), MAX_QUOTE_WORDS):
            chunk = spans[start: start + MAX_QUOTE_WORDS]
            if len(chunk) >= 6:
                units.append(sentence[chunk[0][0]: chunk[-1][1]])
    return units


def _evidence(quote: str, turn: Turn) -> Evidence:
    if turn.confidence is not None:
        return Evidence(quote=quote, t=turn.t, verified=False, source="heard", confidence=turn.confidence)
    return Evidence(quote=quote, t=turn.t, verified=True)


_CONCRETE = re.compile(r"\d|\b(?:i (?:\w+ed|built|wrote|led|ran|set|made|took)|because|so that|instead|learn)", re.I)


def _best_quotes(turns: tuple[Turn, ...], n: int) -> list[tuple[float, Evidence]]:
    """The answer's most concrete sentences (numbers, first-person actions, reasons), best first."""
    ranked = []
    for turn in turns:
        for unit in _quote_units(turn.text):
            score = len(_CONCRETE.findall(unit)) + min(1.0, m.word_count(unit) / 25)
            ranked.append((score, turn.t, _evidence(unit, turn)))
    ranked.sort(key=lambda r: (-r[0], r[1]))
    return [(score, ev) for score, _, ev in ranked[:n]]


class _ReportCommon(TypedDict):
    """The fields every offline report sets, assessable or not."""

    metrics: SpeechMetrics
    questions: list[QuestionFeedback]
    engine: str
    model_version: str
    transcript_quality: Literal["exact", "rough"]
    recognition_confidence: float | None


class LocalAnalyzer:
    """Analyzer protocol implementation that runs entirely offline and deterministically."""

    name = "local"

    def analyze(self, transcript: Transcript, plan: InterviewPlan) -> Report:
        transcript = without_repeat_requests(transcript)  # "could you repeat the question?" is not an answer
        metrics = m.compute_speech_metrics(transcript)
        rated = self._rate_all(transcript, plan)
        feedback = [self._feedback(r, metrics.timing_available) for r in rated]
        combined = combine(feedback)
        rough, confidence = _recognition(transcript)
        common = _ReportCommon(metrics=metrics, questions=feedback, engine=self.name, model_version=MODEL_VERSION,
                               transcript_quality="rough" if rough else "exact", recognition_confidence=confidence)
        if not combined.assessable:
            return Report(assessable=False, summary=self._not_assessable_summary(metrics, combined), **common,
                          recommendations=[Recommendation(
                              text="Give real answers so the interview can be assessed.",
                              drill="Pick one question from this plan, set a 90-second timer and answer it aloud "
                                    "with one real example: the situation, what you did, and the result.")])
        answered = [r for r in rated if r.rating is not None and r.rating.status is AnswerStatus.ANSWERED]
        dims = self._dimensions(combined, answered, metrics, feedback)
        highlights = self._highlights(answered)
        coverage = skill_coverage(plan, [(r.question.id, r.asked.answer) for r in answered if r.asked],
                                  _skill_finders(plan.detected_skills))
        recs = self._recommendations(rated, metrics, coverage)
        n_evidence = sum(len(f.evidence) for f in feedback) + len(highlights)
        verified = 0 if rough else n_evidence
        return Report(
            assessable=True,
            summary=self._summary(metrics, combined, dims, rough, confidence),
            overall_score=combined.overall,
            dimensions=dims,
            highlights=highlights,
            recommendations=recs,
            skill_coverage=coverage,
            verification=Verification(claims_total=n_evidence, claims_verified=verified, claims_dropped=0),
            **common,
        )

    # ------------------------------------------------------------------------------------------ rating

    @staticmethod
    def _rate_all(transcript: Transcript, plan: InterviewPlan) -> list[_Rated]:
        asked = segment(transcript, plan.questions)
        by_id = {a.question.id: a for a in asked}
        out = []
        for q in plan.questions:
            out.append(_Rated(q, by_id.get(q.id), None))
        out += [_Rated(a.question, a, None) for a in asked if not a.matched]
        rated = []
        for r in out:
            if r.asked is None or not r.asked.answer.strip():
                rated.append(r)
                continue
            turns = r.asked.answer_turns
            timed = all(t.end_t is not None for t in turns)
            seconds = sum(max(0.0, (t.end_t or t.t) - t.t) for t in turns) if timed else None
            text = r.asked.answer
            fillers = len(m.find_fillers(text, markers=m.punctuated(text)))
            rating = rate_answer(r.question.text, r.question.kind, rubric_for(r.question), text, seconds=seconds,
                                 filler_count=fillers, kind_rubric=library().kinds[r.question.kind])
            rated.append(_Rated(r.question, r.asked, rating))
        return rated

    @staticmethod
    def _feedback(r: _Rated, timed: bool) -> QuestionFeedback:
        q = r.question
        if r.asked is None:
            return QuestionFeedback(question_id=q.id, question=q.text, kind=q.kind, asked=False,
                                    status=AnswerStatus.NOT_ASKED, improvements="This question was not asked.")
        if r.rating is None:
            return QuestionFeedback(question_id=q.id, question=q.text, kind=q.kind, asked=True,
                                    status=AnswerStatus.NOT_ANSWERED, score=0,
                                    rating=None, improvements="No answer was recorded for this question; it counts "
                                                              "as zero.")
        rating = r.rating
        evidence: list[Evidence] = []
        if rating.status is AnswerStatus.ANSWERED:
            evidence = [ev for _, ev in _best_quotes(r.asked.answer_turns, 2)]
        strengths = " ".join(rating.strengths)
        if rating.status is AnswerStatus.NON_ANSWER:
            strengths = ""
        return QuestionFeedback(
            question_id=q.id, question=q.text, kind=q.kind, asked=True, status=rating.status,
            non_answer=rating.non_answer, score=rating.score,
            rating=rating.rating, subscores=rating.subscores, answer=r.asked.answer[:20_000],
            points=_point_evidence(rating.points, q, r.asked.answer_turns), red_flags=rating.red_flags,
            star=rating.star, relevance_basis=rating.relevance if rating.status is AnswerStatus.ANSWERED else None,
            strengths=strengths, improvements=" ".join(rating.improvements), evidence=evidence,
        )

    # ------------------------------------------------------------------------------------------ report

    @staticmethod
    def _dimensions(combined: Combined, answered: list[_Rated], metrics: SpeechMetrics,
                    feedback: list[QuestionFeedback]) -> list[DimensionScore]:
        ratings = [r.rating for r in answered if r.rating is not None]
        rel = session_relevance(feedback)
        stories = [rt for r, rt in zip(answered, ratings, strict=True) if star_applies(r.question.kind)]
        missing = Counter(part for rt in stories if rt.star for part in rt.star.missing())
        struct = (f"{sum(bool(rt.star and not rt.star.missing()) for rt in stories)} of "
                  f"{figures.count(len(stories), 'story answer')} had all four STAR parts"
                  + (f"; the part most often missing was {missing.most_common(1)[0][0]}." if missing else ".")
                  + " Judged only on behavioural and situational questions.")
        numbers = sum(rt.has_numbers for rt in ratings)
        depth = (f"Specific detail (concrete names, numbers in {numbers} of {figures.count(len(ratings), 'answer')}), "
                 "reasons and trade-offs, your own actions and what you learned; padding and repetition add "
                 "nothing. The offline analyzer cannot check whether technical statements are correct.")
        comm = _communication_note(metrics)
        reasons = {"relevance": rel, "structure": struct, "depth": depth, "communication": comm}
        return [DimensionScore(name=label, score=score, rationale=reasons[key])
                for key, label in DIMENSION_NAMES.items() if (score := combined.dimensions.get(key)) is not None]

    @staticmethod
    def _highlights(answered: list[_Rated]) -> list[Highlight]:
        ranked = []
        for r in answered:
            if r.asked is None or r.rating is None or r.rating.score < 50:
                continue
            for score, ev in _best_quotes(r.asked.answer_turns, 2):
                if ev.source == "heard" and (ev.confidence or 0) < HIGHLIGHT_MIN_CONFIDENCE:
                    continue
                ranked.append((score, ev.t or 0.0, r, ev))
        ranked.sort(key=lambda x: (-x[0], x[1]))
        out, seen = [], set()
        for score, _, r, ev in ranked:
            if score < 2 or r.question.id in seen:
                continue
            seen.add(r.question.id)
            covered = [p.text for p in r.rating.points if p.covered] if r.rating else []
            label = (f"Covers: {covered[0].rstrip('.')}" if covered else "A concrete, specific point")
            out.append(Highlight(text=label, evidence=ev))
            if len(out) == 3:
                break
        return out

    @staticmethod
    def _recommendations(rated: list[_Rated], metrics: SpeechMetrics,
                         coverage: list[SkillCoverage]) -> list[Recommendation]:
        recs: list[Recommendation] = []
        ratings = [r.rating for r in rated if r.rating is not None]
        answered = [rt for rt in ratings if rt.status is AnswerStatus.ANSWERED]
        non_answers = [r for r in rated if r.rating is not None and r.rating.status is AnswerStatus.NON_ANSWER]
        unanswered = [r for r in rated if r.asked is not None and r.rating is None]
        if non_answers or unanswered:
            missed = {id(r) for r in non_answers + unanswered}
            ids = [str(i) for i, r in enumerate(rated, 1) if id(r) in missed]  # as numbered in the report
            recs.append(Recommendation(
                text=(f"{figures.count(len(ids), 'question')} got no real answer (number"
                      f"{'s' if len(ids) > 1 else ''} {', '.join(ids[:4])}); "
                      f"{'each counts' if len(ids) > 1 else 'it counts'} as zero."),
                drill="Answer each of them aloud with one real example, even briefly at first; if you don't know, "
                      "say what you do know and how you would find out."))
        flags = Counter(f for rt in answered for f in rt.red_flags)
        for flag, _ in flags.most_common(2):  # one tip per kind of flag, with the drill for that flag
            recs.append(Recommendation(text=f"Avoid this red flag: {flag.rstrip('.').lower()}.",
                                       drill=_flag_drill(flag)))
        stories = [(r, r.rating) for r in rated if r.rating is not None and r.rating.status is
                   AnswerStatus.ANSWERED and r.rating.star is not None]
        no_result = [r for r, rt in stories if rt.star and not rt.star.result]
        if no_result:
            recs.append(Recommendation(
                text="End every story with the result: what changed, and by how much if you know.",
                drill="Take three projects from your CV and write one line for each: \"As a result, <what> went "
                      "from X to Y.\" Say each aloud in under 15 seconds."))
        weak_points = Counter(p.text for rt in answered for p in rt.points if not p.covered)
        if weak_points and len(recs) < 4:
            point, _ = weak_points.most_common(1)[0]
            recs.append(Recommendation(
                text=f"Cover the talking point you missed most: {point.rstrip('.').lower()}.",
                drill="Before answering, name to yourself the three things a strong answer covers, then check "
                      "them off as you speak."))
        story_ratings = [r.rating for r in rated if r.rating is not None and r.rating.status is
                         AnswerStatus.ANSWERED and r.question.kind in (QuestionKind.BEHAVIOURAL,
                                                                       QuestionKind.SITUATIONAL)]
        # a result's number belongs to stories and plans; an explanation or a motivation needs none
        if story_ratings and not any(rt.has_numbers for rt in story_ratings) and len(recs) < 4:
            recs.append(Recommendation(
                text="Put a number on your results (none of your stories had one).",
                drill="For your two best stories, find one figure each (time saved, users, errors, money) and say "
                      "the sentence with it aloud."))
        rate = metrics.fillers_per_100_words
        if rate is not None and rate > m.FILLERS_PER_100_WORDS_OK:
            top = ", ".join(f'"{f}"' for f in metrics.top_fillers) or "filler words"
            recs.append(Recommendation(
                text=f"Cut filler words ({figures.filler_rate(rate)}; most used: {top}).",
                drill="Record a two-minute answer, count the fillers, then re-record it replacing each one with a "
                      f"silent pause. Repeat until you are under {m.FILLERS_PER_100_WORDS_OK:g} "
                      f"{figures.FILLER_UNIT}."))
        pace = m.judge_pace(metrics.words_per_minute)
        if pace in ("slow", "fast") and metrics.timing_available:
            recs.append(Recommendation(
                text=f"Your pace was {pace} ({figures.wpm(metrics.words_per_minute or 0)}).",
                drill="Read a 150-word paragraph aloud against a one-minute timer until it lands within five "
                      "seconds, then answer one question at that pace."))
        gaps = [c.skill for c in coverage if c.coverage == "none" and c.note.startswith("Required")][:3]
        if gaps and len(recs) < 4:
            recs.append(Recommendation(
                text=f"Prepare examples for required skills you never claimed: {', '.join(gaps)}.",
                drill="For each skill write three bullets — what you built with it, how, what changed — and "
                      "practise saying each in 60 seconds."))
        if not recs:
            weakest = min((rt for rt in answered), key=lambda rt: rt.score, default=None)
            recs.append(Recommendation(
                text="Strong session; polish your weakest answer" + (f" (scored {weakest.score})." if weakest
                                                                       else "."),
                drill="Re-run this interview with a new job description from the same field and compare the "
                      "two reports."))
        return recs[:4]

    @staticmethod
    def _not_assessable_summary(metrics: SpeechMetrics, combined: Combined) -> str:
        words = metrics.candidate_words
        if combined.asked == 0 and words == 0:
            return ("There is nothing to assess: no question was answered, so no scores are given. Run the "
                    "interview again and answer each question with one real example, about a minute each.")
        kinds = combined.non_answers
        return (f"There is nothing fair to score: {figures.count(combined.asked, 'question')} "
                f"{'was' if combined.asked == 1 else 'were'} asked and none got a real "
                f"answer ({figures.count(kinds, 'non-answer')}, {combined.unanswered} not answered; "
                f"{figures.count(words, 'word')} from you), so no overall score is given. Run the interview again and "
                "answer each question with one real example, about a minute each.")

    @staticmethod
    def _summary(metrics: SpeechMetrics, combined: Combined, dims: list[DimensionScore], rough: bool,
                 confidence: float | None) -> str:
        talk = (f"{figures.clock(metrics.candidate_talk_s)} of speech at {figures.wpm(metrics.words_per_minute)}"
                if metrics.timing_available and metrics.words_per_minute
                else figures.count(metrics.candidate_words, "word"))
        best = max(dims, key=lambda d: d.score)
        worst = min(dims, key=lambda d: d.score)
        parts = [f"You answered {combined.answered} of {combined.planned} questions ({talk}). Overall "
                 f"{combined.overall}/100, the mean of the question scores with unanswered questions as zero: "
                 f"strongest in {best.name} ({best.score}), weakest in {worst.name} ({worst.score})."]
        if rough:
            conf = f" (mean confidence {figures.percent(confidence)})" if confidence is not None else ""
            parts.append(f"Your words were recognised offline{conf}, so the transcript is rough: quotes show what "
                         "was heard, and misrecognised words may lower some scores.")
        parts.append("This report was computed offline from your words alone, against each question's talking "
                     "points: it cannot judge whether technical answers are correct, nor tone of voice or body "
                     "language.")
        return " ".join(parts)


_FLAG_DRILLS = {
    FLAG_BLAME: "Retell the story owning your part: what you did, what you would do differently, and what you "
                "learned; leave out whose fault it was. Say it aloud twice.",
    FLAG_BAD_MOUTH: "Rewrite it around what you are moving towards, not away from: one sentence of thanks for the "
                    "old role, two about what you want next and why this role offers it.",
    FLAG_BELITTLE: "Describe the other person's view fairly in one sentence, as they would put it, before saying "
                   "what you did; drop every word about their character.",
    FLAG_NO_MISTAKES: "Pick one real mistake or weakness, say plainly what it cost, and what you changed since; "
                      "practise it until it takes under a minute.",
    FLAG_DISGUISED: "Name a real weakness that is not a strength in disguise, give one example of when it showed, "
                    "and the concrete step you are taking to improve it.",
    FLAG_WE_NOT_I: "Retell the story with \"I\" for each of your own actions: what you decided, built or said; "
                   "keep \"we\" for the team's result.",
    FLAG_DISHONEST: "Rewrite the plan so the affected people hear early what you know, what you do not yet know "
                    "and when you will update them.",
    FLAG_PRESSURE: "Rewrite it so the other person hears the facts and a real choice: what you can offer, what you "
                   "cannot, and that their decision is theirs; leave out guilt, threats and fear.",
    FLAG_ABSOLUTES: "For each \"always\" or \"never\" in the answer, give the condition where it stops being "
                    "true and what it costs.",
}


def _flag_drill(flag: str) -> str:
    """The practice tip that matches a red flag (a rubric's own flag gets the drill of the built-in it resembles)."""
    if flag in _FLAG_DRILLS:
        return _FLAG_DRILLS[flag]
    low = flag.lower()
    for key, words in ((FLAG_BLAME, ("blame",)), (FLAG_BAD_MOUTH, ("employer", "badly", "former")),
                       (FLAG_BELITTLE, ("belittl", "disparag")), (FLAG_NO_MISTAKES, ("no weakness", "never")),
                       (FLAG_DISGUISED, ("disguised",)), (FLAG_WE_NOT_I, ('"we"',)),
                       (FLAG_DISHONEST, ("mislead", "hid", "dishonest")), (FLAG_ABSOLUTES, ("absolute",)),
                       (FLAG_PRESSURE, ("guilt", "threat", "pressur", "manipulat"))):
        if any(w in low for w in words):
            return _FLAG_DRILLS[key]
    return f"Rewrite the answer without it ({flag.rstrip('.').lower()}), then say the new version aloud twice."


def _point_evidence(points: list[PointCoverage], question: Question,
                    turns: tuple[Turn, ...]) -> list[PointCoverage]:
    """Each covered talking point with the candidate's sentence that covers it (the first that says one of its
    cues), so a tick can be checked against the words."""
    rubric = {p.text: p for p in rubric_for(question).talking_points}
    asked = StemmedText(question.text)
    units = [(unit, turn) for turn in turns for unit in _quote_units(turn.text)]
    out = []
    for point in points:
        wanted = rubric.get(point.text)
        found = next(((unit, turn) for unit, turn in units if point.covered and wanted is not None
                      and covers(wanted, AnswerText(unit, question.text), asked)), None)
        out.append(point.model_copy(update={"evidence": _evidence(*found)}) if found else point)
    return out


def _recognition(transcript: Transcript) -> tuple[bool, float | None]:
    """Whether the candidate's words came from an offline recogniser, and its word-weighted mean confidence."""
    user = [t for t in transcript.turns if t.role == "user" and t.text.strip()]
    scored = [(t.confidence, max(1, m.word_count(t.text))) for t in user if t.confidence is not None]
    if not scored:
        return False, None
    total = sum(w for _, w in scored)
    return True, round(sum(c * w for c, w in scored) / total, 2)


def _communication_note(metrics: SpeechMetrics) -> str:
    notes = []
    if metrics.fillers_per_100_words is not None:
        notes.append(f"filler words {figures.filler_rate(metrics.fillers_per_100_words)} (under "
                     f"{m.FILLERS_PER_100_WORDS_OK:g} is fine)")
    if not metrics.discourse_markers_measured:
        notes.append("\"like\"/\"you know\" not measured (no punctuation to tell them apart)")
    if metrics.timing_available and metrics.words_per_minute is not None:
        notes.append(f"a {m.judge_pace(metrics.words_per_minute)} pace of {figures.wpm(metrics.words_per_minute)}")
        if metrics.long_pauses:
            notes.append(f"{figures.count(metrics.long_pauses, 'pause')} over {figures.seconds(m.LONG_PAUSE_S)}")
    text = "Concise, on-point answers without repetition or vagueness; capped by content. Measured: " + (
        "; ".join(notes) or "nothing") + "."
    if not metrics.timing_available:
        text += " For typed or untimed answers, pace and pauses are not measured (they need a voice interview)."
    return text + " Tone of voice and confidence are not judged offline."


def _skill_finders(skills: list[str]) -> dict[str, Callable[[str], list[tuple[int, int]]]]:
    """For each detected skill, a function giving where a text names it (taxonomy aliases when known)."""
    from interview_tui.providers.local_taxonomy import taxonomy

    tax = taxonomy()
    finders: dict[str, Callable[[str], list[tuple[int, int]]]] = {}
    for name in skills:
        known = tax.skills.get(name)
        variants = known.variants() if known else [name]
        patterns = [m.term_pattern(v) for v in dict.fromkeys(variants) if v.strip()]
        finders[name] = _finder(patterns)
    return finders


def _finder(patterns: list[re.Pattern[str]]) -> Callable[[str], list[tuple[int, int]]]:
    """Where a text matches any of `patterns` (pattern by pattern)."""

    def find(text: str) -> list[tuple[int, int]]:
        return [match.span() for pattern in patterns for match in pattern.finditer(text)]

    return find
