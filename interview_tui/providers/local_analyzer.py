"""The offline analyzer: a deterministic report from the transcript and the plan (no network, no model).

Every score comes with the reason it was given, every quote is the candidate's own words with the time they
were said, and the summary says plainly what a word-level analysis cannot judge.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field

from interview_tui.domain import metrics as m
from interview_tui.domain.models import (
    DimensionScore,
    Evidence,
    Highlight,
    InterviewPlan,
    Question,
    QuestionFeedback,
    QuestionKind,
    Recommendation,
    Report,
    SkillCoverage,
    SpeechMetrics,
    Transcript,
    Verification,
)

MIN_CANDIDATE_WORDS = 40
"""Below this many words from the candidate there is nothing fair to score."""

GOOD_ANSWER_WORDS = 150
"""About a minute of speech at a typical 150 WPM: the low end of the 60–120 s answer band."""

MAX_QUOTE_WORDS = 35
DIMENSIONS = ("Relevance to the JD", "Structure (STAR)", "Depth / role knowledge", "Communication")


@dataclass
class _QuestionWork:
    question: Question
    answers: list[m.Answer] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join(a.text for a in self.answers)

    @property
    def words(self) -> int:
        return sum(a.words for a in self.answers)

    @property
    def seconds(self) -> float:
        return sum(a.length_s() for a in self.answers)


@dataclass(frozen=True)
class _Sentence:
    quote: str
    t: float
    score: float
    reason: str


def _norm(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def _match_question(agent_text: str, questions: list[Question]) -> Question | None:
    """The plan question an interviewer turn asks: verbatim first, else the best content-word overlap ≥ 60 %."""
    said = _norm(agent_text)
    for q in questions:
        if _norm(q.text) and _norm(q.text) in said:
            return q
    said_terms = set(m.content_terms(agent_text))
    best, best_ratio = None, 0.0
    for q in questions:
        terms = m.content_terms(q.text)
        if not terms:
            continue
        ratio = sum(t in said_terms for t in terms) / len(terms)
        if ratio > best_ratio:
            best, best_ratio = q, ratio
    return best if best_ratio >= 0.6 else None


def map_answers(transcript: Transcript, plan: InterviewPlan) -> tuple[dict[str, _QuestionWork], list[m.Answer]]:
    """Attach each answer to the question asked by the interviewer turn before it (follow-ups keep the question).

    Returns the per-question work and the answers that followed no question (small talk after the greeting).
    """
    work = {q.id: _QuestionWork(q) for q in plan.questions}
    unmatched: list[m.Answer] = []
    current: str | None = None
    prompts: dict[int, str | None] = {}
    for i, turn in enumerate(transcript.turns):
        if turn.role == "agent":
            q = _match_question(turn.text, plan.questions)
            if q is not None:
                current = q.id
        prompts[i] = current
    index_of = {id(t): i for i, t in enumerate(transcript.turns)}
    for answer in m.group_answers(transcript):
        qid = prompts.get(index_of.get(id(answer.turns[0]), -1))
        (work[qid].answers if qid in work else unmatched).append(answer)
    return work, unmatched


class _SkillTerms:
    """Detected skills with every name they go by (taxonomy aliases when the skill is known)."""

    def __init__(self, skills: list[str]) -> None:
        from interview_tui.providers.local_taxonomy import taxonomy

        tax = taxonomy()
        self.patterns: dict[str, list[re.Pattern[str]]] = {}
        for name in skills:
            known = tax.skills.get(name)
            variants = known.variants() if known else [name]
            self.patterns[name] = [m.term_pattern(v) for v in dict.fromkeys(variants) if v.strip()]
        self._found: dict[str, list[str]] = {}

    def found(self, text: str) -> list[str]:
        """The skills named in `text` (remembered: the analyzer asks about the same answers many times)."""
        if text not in self._found:
            self._found[text] = [name for name, pats in self.patterns.items() if any(p.search(text) for p in pats)]
        return self._found[text]


def _best_sentences(answer: m.Answer, skills: _SkillTerms) -> list[_Sentence]:
    """Candidate sentences scored by concrete signals: a number, a first-person action, a skill, a result."""
    out = []
    for turn in answer.turns:
        for sentence in _quote_units(turn.text):
            star = m.star_signals(sentence)
            named = skills.found(sentence)
            score = 2.0 * star.quantified + 1.5 * star.action + 1.0 * star.result + 1.0 * bool(named)
            score += min(1.0, m.word_count(sentence) / 25)
            if star.quantified and (star.action or star.result):
                reason = "A concrete, measurable result"
            elif star.action:
                reason = "Clear personal ownership of the action"
            elif named:
                reason = f"Specific use of {named[0]}"
            else:
                reason = "A clear point in your own words"
            out.append(_Sentence(sentence, turn.t, score, reason))
    return out


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


def _length_points(words: int, seconds: float | None) -> float:
    """0–1: how well the answer's length fits the 60–120 s band (by time when measured, else by words)."""
    if seconds is not None:
        if seconds < m.ANSWER_MIN_S:
            return max(0.1, seconds / m.ANSWER_MIN_S)
        if seconds <= m.ANSWER_MAX_S * 1.25:
            return 1.0
        return max(0.6, 1.0 - (seconds - m.ANSWER_MAX_S * 1.25) / 300)
    return max(0.1, min(1.0, words / GOOD_ANSWER_WORDS))


class LocalAnalyzer:
    """Analyzer protocol implementation that runs entirely offline and deterministically."""

    name = "local"

    def analyze(self, transcript: Transcript, plan: InterviewPlan) -> Report:
        metrics = m.compute_speech_metrics(transcript)
        work, unmatched = map_answers(transcript, plan)
        answered = [w for w in work.values() if w.words > 0]
        if metrics.candidate_words < MIN_CANDIDATE_WORDS or not (answered or unmatched):
            return self._not_assessable(metrics, plan, work)
        if not answered:  # the interviewer's lines did not match the plan: score the answers as one block
            answered = [_QuestionWork(plan.questions[0], unmatched)]
        skills = _SkillTerms(plan.detected_skills)
        timed = metrics.timing_available
        feedback, per_q = [], {}
        for w in work.values():
            if w.words == 0:
                feedback.append(QuestionFeedback(question_id=w.question.id, question=w.question.text,
                                                 asked=self._asked(w, transcript), score=None,
                                                 improvements="No answer was recorded for this question."))
                continue
            fb, signals = self._question_feedback(w, skills, timed)
            feedback.append(fb)
            per_q[w.question.id] = signals
        if not per_q:
            fb, signals = self._question_feedback(answered[0], skills, timed)
            per_q[answered[0].question.id] = signals
        dims = self._dimensions(answered, per_q, skills, metrics, plan)
        overall = round(statistics.fmean(d.score for d in dims))
        highlights = self._highlights(answered, skills)
        coverage = self._coverage(answered, skills, plan)
        recs = self._recommendations(per_q, metrics, coverage, work, dims)
        n_evidence = sum(len(f.evidence) for f in feedback) + len(highlights)
        return Report(
            assessable=True,
            summary=self._summary(metrics, work, dims, overall),
            overall_score=overall,
            dimensions=dims,
            questions=feedback,
            highlights=highlights,
            recommendations=recs,
            skill_coverage=coverage,
            metrics=metrics,
            verification=Verification(claims_total=n_evidence, claims_verified=n_evidence, claims_dropped=0),
            engine=self.name,
        )

    # ------------------------------------------------------------------------------------------ pieces

    @staticmethod
    def _asked(w: _QuestionWork, transcript: Transcript) -> bool:
        return any(t.role == "agent" and _match_question(t.text, [w.question]) for t in transcript.turns)

    def _not_assessable(self, metrics: SpeechMetrics, plan: InterviewPlan,
                        work: dict[str, _QuestionWork]) -> Report:
        words = metrics.candidate_words
        summary = (f"There is not enough to assess: the transcript has {words} word{'s' if words != 1 else ''} "
                   f"from you (at least {MIN_CANDIDATE_WORDS} are needed for a fair report), so no scores are "
                   "given. Run the interview again and answer at least two questions in full, about a minute "
                   "each.")
        questions = [QuestionFeedback(question_id=w.question.id, question=w.question.text, asked=bool(w.answers))
                     for w in work.values()]
        return Report(assessable=False, summary=summary, metrics=metrics, questions=questions, engine=self.name,
                      recommendations=[Recommendation(
                          text="Give full answers so the interview can be assessed.",
                          drill="Pick one question from this plan, set a 90-second timer and answer it aloud: "
                                "20 s on the situation, 50 s on what you did, 20 s on the result.")])

    def _question_feedback(self, w: _QuestionWork, skills: _SkillTerms,
                           timed: bool) -> tuple[QuestionFeedback, dict]:
        q, text = w.question, w.text
        star = m.star_signals(text)
        overlap = m.keyword_overlap(text, q.text)
        named = skills.found(text)
        about_skill = q.skill in skills.patterns and q.skill in named
        length = _length_points(w.words, w.seconds if timed else None)
        relevance = min(1.0, len(overlap) / 3 + (0.4 if about_skill else 0) + 0.15 * min(2, len(named)))
        if q.kind is QuestionKind.TECHNICAL:
            structure = min(1.0, 0.35 + 0.25 * star.quantified + 0.2 * star.action + 0.2 * min(2, len(named)) / 2)
        else:
            structure = star.score / 100
        score = round(100 * (0.35 * length + 0.35 * structure + 0.30 * relevance))
        strengths, improvements = [], []
        if star.parts >= 3 and q.kind is not QuestionKind.TECHNICAL:
            present = [p for p in ("Situation", "Task", "Action", "Result") if p not in star.missing]
            strengths.append(f"A structured story ({', '.join(present)}).")
        if star.quantified:
            strengths.append("You gave numbers, which makes the result concrete.")
        if named:
            strengths.append(f"You named skills from the job description: {', '.join(named[:4])}.")
        if length >= 0.9:
            strengths.append("A well-sized answer.")
        secs = f"about {round(w.seconds)} s" if timed else f"{w.words} words"
        if length < 0.6:
            improvements.append(f"The answer was short ({secs}); aim for 60–120 seconds with one concrete example.")
        elif timed and w.seconds > m.ANSWER_MAX_S * 1.25:
            improvements.append(f"The answer ran long ({secs}); keep it under two minutes and lead with the point.")
        if q.kind is not QuestionKind.TECHNICAL and star.missing:
            improvements.append(f"Missing STAR part(s): {', '.join(star.missing)}.")
        if not star.quantified:
            improvements.append("Add a number: how much, how many, how fast, or how long.")
        if star.first_person_share is not None and star.first_person_share < 0.4 and star.action is False:
            improvements.append("Say what you did yourself (\"I …\"), not only what the team did.")
        if not overlap and not about_skill:
            improvements.append("The answer used few of the question's own terms; check that it answers what was "
                                "asked.")
        ranked = sorted((s for a in w.answers for s in _best_sentences(a, skills)), key=lambda s: -s.score)
        evidence = [Evidence(quote=s.quote, t=s.t, verified=True) for s in ranked[:2]]
        fb = QuestionFeedback(question_id=q.id, question=q.text, asked=True, score=max(0, min(100, score)),
                              strengths=" ".join(strengths) or "You answered the question.",
                              improvements=" ".join(improvements) or "Keep this shape for other answers.",
                              evidence=evidence)
        signals = {"star": star, "length": length, "relevance": relevance, "named": named, "kind": q.kind,
                   "words": w.words, "seconds": w.seconds, "overlap": overlap}
        return fb, signals

    def _dimensions(self, answered: list[_QuestionWork], per_q: dict[str, dict], skills: _SkillTerms,
                    metrics: SpeechMetrics, plan: InterviewPlan) -> list[DimensionScore]:
        sig = list(per_q.values())
        hard_skills = [s for s in plan.detected_skills if not _is_soft(s)][:10] or plan.detected_skills[:10]
        all_text = " ".join(w.text for w in answered)
        mentioned = [s for s in hard_skills if s in skills.found(all_text)]
        q_rel = statistics.fmean(s["relevance"] for s in sig)
        skill_ratio = len(mentioned) / len(hard_skills) if hard_skills else q_rel
        relevance = round(100 * (0.5 * q_rel + 0.5 * min(1.0, skill_ratio * 1.5)))
        rel_reason = (f"You named {len(mentioned)} of the {len(hard_skills)} key skills from the job description"
                      f"{': ' + ', '.join(mentioned[:5]) if mentioned else ''}; answers used the question's own "
                      f"terms in {sum(bool(s['overlap']) for s in sig)} of {len(sig)} answers.")
        stories = [s for s in sig if s["kind"] is not QuestionKind.TECHNICAL] or sig
        star_mean = statistics.fmean(s["star"].score for s in stories)
        full = sum(s["star"].parts == 4 for s in stories)
        quantified = sum(s["star"].quantified for s in stories)
        missing_counts: dict[str, int] = {}
        for s in stories:
            for part in s["star"].missing:
                missing_counts[part] = missing_counts.get(part, 0) + 1
        most_missing = max(missing_counts, key=lambda k: (missing_counts[k], k)) if missing_counts else None
        struct_reason = (f"{full} of {len(stories)} behavioural/situational answers had all four STAR parts and "
                         f"{quantified} gave a number"
                         + (f"; the part most often missing was {most_missing}." if most_missing else ".")
                         + " Detected by wording, so a well-told story in unusual words may score lower.")
        tech = [s for s in sig if s["kind"] is QuestionKind.TECHNICAL] or sig
        depth = round(100 * statistics.fmean(
            0.5 * min(1.0, s["words"] / GOOD_ANSWER_WORDS) + 0.3 * min(1.0, len(s["named"]) / 2)
            + 0.2 * s["star"].quantified for s in tech))
        depth_reason = (f"Based on the detail of {len(tech)} role-knowledge answer(s): on average "
                        f"{round(statistics.fmean(s['words'] for s in tech))} words, naming "
                        f"{round(statistics.fmean(len(s['named']) for s in tech), 1)} JD skills each. The offline "
                        "analyzer cannot check whether technical statements are correct.")
        comm, comm_reason = self._communication(metrics)
        return [
            DimensionScore(name=DIMENSIONS[0], score=_clamp(relevance), rationale=rel_reason),
            DimensionScore(name=DIMENSIONS[1], score=_clamp(round(star_mean)), rationale=struct_reason),
            DimensionScore(name=DIMENSIONS[2], score=_clamp(depth), rationale=depth_reason),
            DimensionScore(name=DIMENSIONS[3], score=_clamp(comm), rationale=comm_reason),
        ]

    @staticmethod
    def _communication(metrics: SpeechMetrics) -> tuple[int, str]:
        score, notes = 100.0, []
        per100 = metrics.fillers_per_100_words or 0.0
        if metrics.fillers_per_minute is not None:
            fpm = metrics.fillers_per_minute
            if fpm > m.FILLERS_PER_MIN_OK:
                score -= min(35.0, (fpm - m.FILLERS_PER_MIN_OK) * 4)
            notes.append(f"{fpm:g} filler words per minute (≤ {m.FILLERS_PER_MIN_OK:g} is fine, "
                         f"{m.FILLERS_PER_MIN_HARMFUL:g} clearly hurts)")
        else:
            if per100 > m.FILLERS_PER_100_WORDS_OK:
                score -= min(35.0, (per100 - m.FILLERS_PER_100_WORDS_OK) * 5)
            notes.append(f"{per100:g} filler words per 100 words (under {m.FILLERS_PER_100_WORDS_OK:g} is the "
                         "usual target)")
        pace = m.judge_pace(metrics.words_per_minute)
        if pace is not None and metrics.words_per_minute is not None:
            wpm = metrics.words_per_minute
            if pace != "steady":
                gap = m.WPM_LOW - wpm if pace == "slow" else wpm - m.WPM_HIGH
                score -= min(25.0, gap / 2)
            notes.append(f"a {pace} pace of {wpm:g} words per minute (comfortable: {m.WPM_LOW:g}–{m.WPM_HIGH:g})")
        if metrics.mean_answer_s is not None:
            mean = metrics.mean_answer_s
            if mean < m.ANSWER_MIN_S / 2:
                score -= 15
            elif metrics.timing_available and mean > m.ANSWER_MAX_S * 1.5:
                score -= 10
            label = "average answer" if metrics.timing_available else "estimated average answer"
            notes.append(f"an {label} of {mean:g} s (60–120 s is the usual target)")
        if metrics.long_pauses:
            score -= min(10.0, 2.0 * metrics.long_pauses)
            notes.append(f"{metrics.long_pauses} pause(s) longer than {m.LONG_PAUSE_S:g} s")
        reason = "Measured from your words: " + "; ".join(notes) + "."
        if not metrics.timing_available:
            reason += " Answers were typed, so pace and pauses were not measured."
        reason += " Tone of voice and confidence are not judged offline."
        return round(score), reason

    def _highlights(self, answered: list[_QuestionWork], skills: _SkillTerms) -> list[Highlight]:
        ranked = sorted((s for w in answered for a in w.answers for s in _best_sentences(a, skills)),
                        key=lambda s: (-s.score, s.t))
        out, seen = [], set()
        for s in ranked:
            if s.score < 2.5 or s.reason in seen:
                continue
            seen.add(s.reason)
            out.append(Highlight(text=s.reason, evidence=Evidence(quote=s.quote, t=s.t, verified=True)))
            if len(out) == 3:
                break
        return out

    def _coverage(self, answered: list[_QuestionWork], skills: _SkillTerms,
                  plan: InterviewPlan) -> list[SkillCoverage]:
        result = []
        for name in plan.detected_skills:
            where = [w.question.id for w in answered if name in skills.found(w.text)]
            deep = any(w.question.skill == name and w.words >= 60 and w.question.id in where for w in answered)
            if len(where) >= 2 or deep:
                result.append(SkillCoverage(skill=name, coverage="strong",
                                            note=f"Discussed in your answers to {', '.join(where)}."))
            elif where:
                result.append(SkillCoverage(skill=name, coverage="partial",
                                            note=f"Mentioned once (answer to {where[0]}); give an example."))
            else:
                result.append(SkillCoverage(skill=name, coverage="none", note="Not mentioned in any answer."))
        return result

    def _recommendations(self, per_q: dict[str, dict], metrics: SpeechMetrics, coverage: list[SkillCoverage],
                         work: dict[str, _QuestionWork], dims: list[DimensionScore]) -> list[Recommendation]:
        sig = list(per_q.values())
        recs: list[Recommendation] = []
        stories = [s for s in sig if s["kind"] is not QuestionKind.TECHNICAL] or sig
        if sum(s["length"] < 0.6 for s in sig) >= max(1, len(sig) // 3):
            recs.append(Recommendation(
                text="Give fuller answers: most interviewers expect one to two minutes per question.",
                drill="Answer three questions from this plan with a 90-second timer, using the whole time: "
                      "20 s on the situation, 50 s on what you did, 20 s on the result."))
        if sum("Result" in s["star"].missing or not s["star"].quantified for s in stories) >= max(1,
                                                                                                 len(stories) // 2):
            recs.append(Recommendation(
                text="End every story with the result, and put a number on it.",
                drill="Take three projects from your CV and write one line for each: \"As a result, <metric> went "
                      "from X to Y in Z weeks.\" Say each aloud in under 15 seconds."))
        if sum(s["star"].first_person_share is not None and s["star"].first_person_share < 0.4 for s in stories):
            recs.append(Recommendation(
                text="Make your own part clear: say \"I\" for the actions you took.",
                drill="Retell one team success in 60 seconds using \"I\" for every action you personally took, and "
                      "\"we\" only for the outcome."))
        per100 = metrics.fillers_per_100_words or 0.0
        fpm = metrics.fillers_per_minute
        if (fpm is not None and fpm > m.FILLERS_PER_MIN_OK) or per100 > m.FILLERS_PER_100_WORDS_OK:
            top = ", ".join(f'"{f}"' for f in metrics.top_fillers) or "filler words"
            recs.append(Recommendation(
                text=f"Cut filler words (most used: {top}).",
                drill="Record a two-minute answer, count the fillers, then re-record it replacing each one with a "
                      "silent pause. Repeat until you are under five per minute."))
        pace = m.judge_pace(metrics.words_per_minute)
        if pace in ("slow", "fast"):
            recs.append(Recommendation(
                text=f"Your pace was {pace} ({metrics.words_per_minute:g} words per minute).",
                drill="Read a 150-word paragraph aloud against a one-minute timer until it lands within five "
                      "seconds, then answer one question at that pace."))
        missing = [c.skill for c in coverage if c.coverage == "none" and not _is_soft(c.skill)][:3]
        if missing:
            recs.append(Recommendation(
                text=f"Prepare examples for JD skills you did not mention: {', '.join(missing)}.",
                drill="For each of these skills write three bullets — what you built, how you did it, what "
                      "changed — and practise saying each in 60 seconds."))
        skipped = [w.question.id for w in work.values() if w.words == 0]
        if skipped and len(recs) < 4:
            recs.append(Recommendation(
                text=f"{len(skipped)} question(s) got no answer ({', '.join(skipped[:4])}).",
                drill="Run the interview again and answer every question, even briefly at first; then come back "
                      "to the hardest one and answer it twice."))
        if not recs:
            weakest = min(dims, key=lambda d: d.score)
            recs.append(Recommendation(
                text=f"Strong session; your lowest area was {weakest.name.lower()} ({weakest.score}).",
                drill="Re-run this interview with a new job description from the same field and compare the "
                      "two reports."))
        return recs[:4]

    @staticmethod
    def _summary(metrics: SpeechMetrics, work: dict[str, _QuestionWork], dims: list[DimensionScore],
                 overall: int) -> str:
        answered = sum(w.words > 0 for w in work.values())
        minutes = metrics.candidate_talk_s / 60
        best = max(dims, key=lambda d: d.score)
        worst = min(dims, key=lambda d: d.score)
        talk = (f"about {minutes:.1f} minutes of speaking at {metrics.words_per_minute:g} words per minute"
                if metrics.timing_available and metrics.words_per_minute else f"{metrics.candidate_words} words")
        return (f"You answered {answered} of {len(work)} questions ({talk}). Overall {overall}/100: strongest in "
                f"{best.name} ({best.score}), weakest in {worst.name} ({worst.score}). This report "
                "was computed offline from your words alone: it measures structure, detail, use of the job "
                "description's vocabulary and delivery, but it cannot judge whether your technical answers are "
                "correct, nor your tone of voice or body language.")


def _is_soft(skill: str) -> bool:
    from interview_tui.providers.local_taxonomy import taxonomy

    known = taxonomy().skills.get(skill)
    return bool(known and known.soft)


def _clamp(score: int) -> int:
    return max(0, min(100, score))

