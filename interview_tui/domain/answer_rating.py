"""The offline rating of one answer against its question's rubric (no model): sub-scores, points, STAR, flags.

Quality, not length: relevance is the share of the rubric's talking points covered in the candidate's own words
plus whether the answer has the shape the question asks for; depth is specificity (distinct concrete words the
question did not contain, numbers, names) and the kind's marks of quality (reasons and trade-offs for technical
answers, ownership and learning for stories, evidence and a plan for motivation answers), discounted for padding;
communication starts high and loses points for rambling, repetition, vagueness and measured fillers, and is then
capped by content (`domain.scoring`). All saturate early: past what a crisp answer has, more words add nothing.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from interview_tui.domain import figures
from interview_tui.domain import metrics as m
from interview_tui.domain.answer_checks import (
    BUZZWORDS,
    FLAG_WE_NOT_I,
    NON_ANSWER_REASONS,
    AnswerText,
    action_verbs,
    non_answer,
    plan_steps,
    point_coverage,
    red_flags,
    star_parts,
)
from interview_tui.domain.models import (
    AnswerStatus,
    NonAnswerKind,
    PointCoverage,
    QuestionKind,
    RatingLevel,
    RelevanceBasis,
    Rubric,
    ShapePart,
    StarParts,
    SubScores,
)
from interview_tui.domain.scoring import question_score, rating_for, scored_subscores

LENGTH_BANDS_S: dict[QuestionKind, tuple[float, float]] = {
    QuestionKind.BEHAVIOURAL: (60.0, 150.0),
    QuestionKind.SITUATIONAL: (45.0, 120.0),
    QuestionKind.TECHNICAL: (30.0, 120.0),
    QuestionKind.MOTIVATION: (20.0, 90.0),
}
"""A fitting answer length by kind (seconds of speech; typed answers are converted at 150 words per minute).
A crisp 30–60 s answer to "why are you leaving" is fine; a story needs a minute or more."""

ECHO_SHARE_OK = 0.35
"""Up to this share of an answer's content words may be the question's own (technical terms are repeated)."""

_REASONING = re.compile(
    r"\b(because|so that|which means|that means|the reason|trade-?offs?|instead of|rather than|however|although|"
    r"whereas|on the other hand|depends on|it depends|downsides?|the cost|costs? of|risk|benefit|alternatively|"
    r"compared (?:to|with)|versus|vs\.?|the catch|unless|otherwise|in contrast|pros and cons|why)\b",
    re.I,
)
_EXPLAINING = re.compile(r"\b(if|when|whether|so|then|but|that's why|that is why|means|until|unless|otherwise|"
                        r"in order to|as long as|which is why|the result is|what happens)\b", re.I)
_EXAMPLE = re.compile(r"\b(for example|for instance|e\.g\.|in my (?:last|previous|current)|"
                      r"at my (?:last|previous|current)|we (?:had|used)|i (?:used|built|had)|on a project|"
                      r"in production|last (?:year|month))\b",
                      re.I)
_LEARNING = re.compile(r"\b(i learn(?:ed|t)|lesson|taught me|next time|since then|now i|i now|differently|"
                       r"in hindsight|looking back|i realised|i realized|going forward|i've (?:since|started))\b", re.I)
_MOTIVE = re.compile(r"\b(i want|i'd like|i would like|i'm looking|i am looking|i enjoy|i love|excit\w+|"
                     r"my goal|i'm drawn|attract\w*|i care about|what i (?:want|enjoy|like)|i'm working on|"
                     r"i am working on|to improve|my plan|next step)\b", re.I)
_ROLE_LINK = re.compile(r"\b(this role|this position|this job|your (?:team|company|product|mission|customers|"
                        r"platform)|the role|here at|at \w+ i|join(?:ing)? (?:you|your|the team)|you're building|"
                        r"you are building)\b", re.I)
_PLAN = re.compile(r"\b(first|then|next|after that|finally|step)\b", re.I)
_VAGUE = re.compile(r"\b(stuff like that|things like that|and so on|kind of|sort of|or whatever|and stuff|"
                    r"etc|blah|something like that|you name it|all sorts)\b", re.I)
_BUZZWORDS = BUZZWORDS
"""Jargon that sounds like content without being any (judged only in bulk, never a single use)."""
_HEDGE = re.compile(r"\b(i guess|i think maybe|probably|i suppose|not really sure|maybe)\b", re.I)


@dataclass(frozen=True)
class AnswerRating:
    """One answer, rated."""

    status: AnswerStatus
    score: int
    rating: RatingLevel
    subscores: SubScores
    non_answer: NonAnswerKind | None = None
    points: list[PointCoverage] = field(default_factory=list)
    star: StarParts | None = None
    red_flags: list[str] = field(default_factory=list)
    strengths: list[str] = field(default_factory=list)
    improvements: list[str] = field(default_factory=list)
    has_numbers: bool = False
    words: int = 0
    relevance: RelevanceBasis | None = None
    """What the relevance sub-score counted (answers only)."""


def points_for_full_credit(n_points: int) -> int:
    """How many of a rubric's talking points earn the full credit for points: most of them (60 %, rounded up),
    at least two."""
    return max(2, math.ceil(0.6 * n_points))


def _sat(value: float, full: float) -> float:
    """0–1, reaching 1 at `full` (and never beyond)."""
    return max(0.0, min(1.0, value / full)) if full > 0 else 1.0


def _clamp(value: float) -> int:
    return max(0, min(100, round(value)))


def rate_answer(question: str, kind: QuestionKind, rubric: Rubric, text: str, *, seconds: float | None = None,
                filler_count: int | None = None, kind_rubric: Rubric | None = None) -> AnswerRating:
    """Rate one answer. `seconds` is the measured speaking time when known (else estimated from words);
    `filler_count` the measured fillers (None: not measured). `kind_rubric`, the generic rubric of the question's
    kind, is a second lens for relevance: a question matched to a narrower rubric by a word it happens to contain
    ("…cause an outage?" is not an incident question) is not failed for missing that rubric's points."""
    answer = AnswerText(text, question)
    points = point_coverage(answer, rubric)
    star = star_parts(text, kind)
    reason = non_answer(answer, rubric, kind)
    if reason is not None:
        sub = SubScores(relevance=_clamp(5 * sum(p.covered for p in points)), depth=_clamp(2 * len(answer.specific)),
                        structure=0 if star is not None else None, communication=10)
        score = question_score(sub, kind, status=AnswerStatus.NON_ANSWER) or 0
        return AnswerRating(status=AnswerStatus.NON_ANSWER, score=score, rating=rating_for(score), subscores=sub,
                            non_answer=reason, points=[p.model_copy(update={"covered": False}) for p in points],
                            star=StarParts() if star is not None else None,
                            improvements=[NON_ANSWER_REASONS[reason], _non_answer_advice(kind)], words=answer.n)

    covered = sum(p.covered for p in points)
    n_points = len(points)
    specific = len(answer.specific)
    actions = action_verbs(text)
    if kind is QuestionKind.SITUATIONAL:  # a plan told without "I" ("Ask for ten minutes, make my case…")
        actions = list(dict.fromkeys([*actions, *plan_steps(text)]))
    flags = red_flags(answer, kind, rubric)
    norm = text.replace("’", "'")
    reasoning = len({x.lower() for x in _REASONING.findall(norm)})
    if kind is QuestionKind.TECHNICAL:  # an explanation also reasons in conditions and consequences
        reasoning += len({x.lower() for x in _EXPLAINING.findall(norm)}) // 2
    examples = bool(_EXAMPLE.search(norm))
    learning = bool(_LEARNING.search(norm))
    numbers = len(set(answer.numbers))
    named = len(answer.named)
    density = specific / max(1, answer.n)
    secs = seconds if seconds is not None else answer.n / m.ASSUMED_WPM * 60.0
    low, high = LENGTH_BANDS_S[kind]

    # Relevance: talking points covered (most of the weight), and the shape the question asks for.
    points_full = points_for_full_credit(n_points)
    point_part = _sat(covered, points_full)
    kind_covered: int | None = None
    kind_total: int | None = None
    if kind_rubric is not None and kind_rubric is not rubric:
        generic = point_coverage(answer, kind_rubric)
        generic_full = points_for_full_credit(len(generic))
        generic_part = _sat(sum(p.covered for p in generic), generic_full)
        if generic_part > point_part:  # the generic lens did better: it is what counted, and the line says so
            point_part, points_full = generic_part, generic_full
            kind_covered, kind_total = sum(p.covered for p in generic), len(generic)
    shape, parts = _shape(kind, answer, norm, actions, star, specific, reasoning, examples, numbers)
    fit = sum(part.weight * part.met for part in parts)
    # a question's own rubric names what to cover; generic cues are weaker evidence, so the answer's shape counts more
    own = kind_rubric is not None and rubric is not kind_rubric
    point_weight = 0.65 if own else 0.45
    relevance = 10 + 90 * (point_weight * point_part + (1 - point_weight) * fit)
    echo_factor = None
    if answer.echo_share > ECHO_SHARE_OK:  # reading the question back is not answering it
        echo_factor = max(0.5, 1 - 1.5 * (answer.echo_share - ECHO_SHARE_OK))
        relevance *= echo_factor
    basis = RelevanceBasis(points_covered=covered, points_total=n_points, points_full=points_full,
                           kind_points_covered=kind_covered, kind_points_total=kind_total, point_weight=point_weight,
                           shape=shape, shape_parts=parts, echo_factor=echo_factor)

    # Depth: specificity and the kind's marks of quality, discounted for padding.
    # concrete words: many, or densely packed in a concise answer (a crisp, exact answer is not penalised)
    concrete = max(_sat(specific, 20), _sat(density, 0.35) * _sat(specific, 10))
    specificity = 0.6 * concrete + 0.25 * _sat(numbers, 2) + 0.15 * _sat(named, 2)
    if kind is QuestionKind.TECHNICAL:
        quality = 0.5 * _sat(reasoning, 3) + 0.25 * examples + 0.25 * _sat(covered, points_for_full_credit(n_points))
    elif kind in (QuestionKind.BEHAVIOURAL, QuestionKind.SITUATIONAL):
        own_share = answer.i_count / max(1, answer.i_count + answer.we_count)
        quality = 0.35 * _sat(len(actions), 3) + 0.2 * min(1.0, own_share / 0.5) + 0.25 * learning + 0.2 * _sat(
            reasoning, 2)
    else:
        quality = 0.3 * examples + 0.25 * bool(_ROLE_LINK.search(norm)) + 0.25 * bool(_MOTIVE.search(norm)) \
            + 0.2 * _sat(reasoning, 2)
    depth = 10 + 90 * (0.5 * specificity + 0.5 * quality)
    if density < 0.18:  # padding: many words, few of them concrete
        depth *= max(0.6, density / 0.18)
    buzz = len(_BUZZWORDS.findall(norm))
    if buzz >= 3:  # jargon for its own sake
        depth *= max(0.7, 1 - 0.05 * buzz)

    # Structure: STAR parts, only where a story is asked for.
    structure = None
    if star is not None:
        action_weight = 0.4 * (_sat(len(actions), 3) if kind is QuestionKind.BEHAVIOURAL else float(star.action))
        if kind is QuestionKind.SITUATIONAL and actions:
            action_weight = 0.4
        if FLAG_WE_NOT_I in flags:
            action_weight *= 0.5
        structure = 10 + 90 * (0.2 * star.situation + 0.15 * star.task + action_weight + 0.25 * star.result)

    # Communication: concise, not repetitive, not vague, few fillers (where measured).
    communication = 90.0
    if secs > high:
        communication -= min(35.0, 35.0 * (secs - high) / high)
    elif secs < low:
        communication -= 25.0 * (1 - secs / low)
    if answer.echo_share > ECHO_SHARE_OK:
        communication -= min(30.0, 100 * (answer.echo_share - ECHO_SHARE_OK))
    if answer.compression < 0.4 and answer.n > 60:
        communication -= min(20.0, (0.4 - answer.compression) * 100)
    vague = len(_VAGUE.findall(norm)) + len(_HEDGE.findall(norm)) + max(0, buzz - 2)
    communication -= min(20.0, 6.0 * vague)
    fillers = filler_count if filler_count is not None else len(m.find_fillers(text, markers=m.punctuated(text)))
    per100 = 100.0 * fillers / max(1, answer.n)
    if per100 > m.FILLERS_PER_100_WORDS_OK:
        communication -= min(25.0, 3.0 * (per100 - m.FILLERS_PER_100_WORDS_OK))

    sub = SubScores(relevance=_clamp(relevance), structure=None if structure is None else _clamp(structure),
                    depth=_clamp(depth), communication=_clamp(communication))
    # the communication shown is the one scored (capped by content), so the Communication dimension, computed
    # from the per-question values, agrees with it
    sub = scored_subscores(sub)
    score = question_score(sub, kind, red_flags=len(flags)) or 0
    strengths, improvements = _advice(kind, points, star, flags, numbers, reasoning, learning, actions, secs,
                                      low, high, specific, timed=seconds is not None, words=answer.n)
    return AnswerRating(status=AnswerStatus.ANSWERED, score=score, rating=rating_for(score), subscores=sub,
                        points=points, star=star, red_flags=flags, strengths=strengths, improvements=improvements,
                        has_numbers=numbers > 0, words=answer.n, relevance=basis)


def _shape(kind: QuestionKind, answer: AnswerText, norm: str, actions: list[str], star: StarParts | None,
           specific: int, reasoning: int, examples: bool, numbers: int) -> tuple[str, list[ShapePart]]:
    """The shape the question asks for, and how far the answer has each part of it (weights sum to 1)."""
    if kind is QuestionKind.BEHAVIOURAL:
        return "a story", [
            ShapePart(label="your own actions (two or more)", weight=0.5, met=_sat(len(actions), 2)),
            ShapePart(label="the situation", weight=0.25, met=float(bool(star and star.situation))),
            ShapePart(label="the result", weight=0.25, met=float(bool(star and star.result)))]
    if kind is QuestionKind.SITUATIONAL:
        return "a plan", [
            ShapePart(label="what you would do", weight=0.5, met=float(bool(star and star.action))),
            ShapePart(label="steps in order", weight=0.25, met=float(bool(_PLAN.search(norm)))),
            ShapePart(label="how it would turn out", weight=0.25, met=float(bool(star and star.result)))]
    if kind is QuestionKind.TECHNICAL:
        # engages the subject: names it and says something of its own about it (echo alone does not count)
        engages = bool(answer.question_stems & set(answer.content)) and specific >= 8
        return "an explanation", [
            ShapePart(label="the subject in your own words", weight=0.4, met=float(engages)),
            ShapePart(label="reasons (two or more)", weight=0.4, met=_sat(reasoning, 2)),
            ShapePart(label="an example or a number", weight=0.2, met=float(examples or numbers > 0))]
    return "a motivation", [
        ShapePart(label="your own view in the first person", weight=0.5,
                  met=float(bool(_MOTIVE.search(norm) or answer.i_count >= 2 or actions))),
        ShapePart(label="a link to this role", weight=0.25, met=float(bool(_ROLE_LINK.search(norm)))),
        ShapePart(label="an example or evidence", weight=0.25, met=float(examples or numbers > 0 or bool(actions)))]


def _non_answer_advice(kind: QuestionKind) -> str:
    if kind is QuestionKind.TECHNICAL:
        return ("Say what you do know: the idea in your own words, where you have seen it used, and what you "
                "would check or look up.")
    if kind is QuestionKind.MOTIVATION:
        return "Answer in 30–60 seconds: your honest answer, one concrete example, and how it links to this role."
    return ("Pick one real example and tell it in 60–120 seconds: the situation, what you personally did, and how "
            "it turned out.")


def _advice(kind: QuestionKind, points: list[PointCoverage], star: StarParts | None, flags: list[str],
            numbers: int, reasoning: int, learning: bool, actions: list[str], secs: float, low: float,
            high: float, specific: int, *, timed: bool = True, words: int = 0) -> tuple[list[str], list[str]]:
    strengths: list[str] = []
    improvements: list[str] = []
    covered = [p.text for p in points if p.covered]
    missing = [p.text for p in points if not p.covered]
    if covered:
        strengths.append(f"Covered {len(covered)} of {len(points)} talking points (e.g. {covered[0].rstrip('.')}).")
    if star is not None and len(star.present()) >= 3:
        strengths.append(f"A structured story ({', '.join(p.capitalize() for p in star.present())}).")
    if numbers:
        strengths.append("You gave numbers, which makes it concrete.")
    if kind is QuestionKind.TECHNICAL and reasoning >= 2:
        strengths.append("You explained why, not only what.")
    if learning and kind is not QuestionKind.TECHNICAL:
        strengths.append("You said what you learned.")
    for flag in flags:
        improvements.append(f"Red flag: {flag.rstrip('.')}.")
    if missing:
        improvements.append("Talking points not found in your words: " + "; ".join(t.rstrip(".") for t in missing[:3])
                            + ".")
    if star is not None and star.missing() and kind is QuestionKind.BEHAVIOURAL:  # a plan is judged on its approach
        missing_parts = star.missing()
        improvements.append(f"Missing STAR part{'s' if len(missing_parts) > 1 else ''}: "
                            f"{', '.join(p.capitalize() for p in missing_parts)}.")
    if kind is QuestionKind.BEHAVIOURAL and not actions:
        improvements.append("Say what you did yourself (\"I set up…\", \"I called…\"), not only what happened.")
    if not numbers and kind is QuestionKind.BEHAVIOURAL:  # a story's result; a plan or an explanation needs none
        improvements.append("Add a number to the result: how much, how many, how fast, or how long.")
    if kind is QuestionKind.TECHNICAL and reasoning < 2 and missing:  # all points covered: nothing to add
        improvements.append("Explain the reasons and trade-offs behind the approach, not only the steps.")
    if secs > high * 1.25:
        # typed: no time was measured, so the length and the limit are in words (at the assumed speaking pace)
        size, limit = ((f"about {figures.seconds(secs)}", figures.seconds(high)) if timed else
                       (figures.count(words, "word"), figures.count(int(round(high / 60 * m.ASSUMED_WPM, -1)), "word")))
        improvements.append(f"It ran long ({size}); lead with the point and keep it under {limit}.")
    elif secs < low * 0.6 and specific < 12:
        brief = f"about {figures.seconds(secs)}" if timed else figures.count(words, "word")
        improvements.append(f"It was brief ({brief}); give one concrete example.")
    return strengths, improvements
