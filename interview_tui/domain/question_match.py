"""Which planned question did the interviewer ask? Matching interviewer turns to plan questions.

Interviewers paraphrase their own questions ("Can you tell me about a time you demonstrated leadership?" for
"Tell me about a time when you demonstrate leadership", "What are your weaknesses?" for "What is your greatest
weakness?"), and a turn often wraps the question in small talk ("Thanks, that's helpful. Now, …"). So a turn is
compared sentence by sentence, on stemmed content words (Snowball/Porter2: "demonstrated" ~ "demonstrate",
"weaknesses" ~ "weakness"), with a few interview synonyms ("biggest" ~ "greatest", "disagreement" ~ "conflict")
and near-spellings ("organisation" ~ "organization"). The similarity is the F1 of the two stem sets (weighted:
generic words such as "time" or "biggest" count a third), taken over the turn's sentences and sentence pairs, so
the small talk around a question does not dilute it. Pure: no I/O.
"""

from __future__ import annotations

import difflib
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

import snowballstemmer

from interview_tui.domain.models import Question, Transcript, Turn
from interview_tui.domain.rubrics import question_from_text, rubric_for

MATCH_THRESHOLD = 0.6
"""A turn asks a planned question when their similarity (0–1) reaches this. Paraphrases of one question score
0.65–1.0; different questions of the same kind rarely pass 0.4 (tests/unit/test_question_match.py)."""

NEAR_SPELLING = 0.85
"""Two stems this similar (difflib ratio, stems of ≥ 5 letters) count as the same word: spelling variants and
recogniser slips."""

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_SENTENCE = re.compile(r"(?<=[.!?:;])\s+|\n+")


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


_STOP = _word_set("""
a about above after again all also am an and any are as at be because been before being below between both but
by can could did do does doing down during each few for from further had has have having he her here hers him
his how i if in into is it its itself just me more most my no nor not now of off on once only or other our ours
out over own same she should so some such than that the their theirs them then there these they this those
through to too under until up very was we were what when where which while who whom why will with would you your
yours okay ok right well great thanks thank good sure let lets next now tell describe give share talk
walk us example please maybe perhaps kind sort bit little really just quick quickly question questions hello hi
again moving move answer start begin first say go ahead appreciate interesting nice
""")
"""Words that do not tell one interview question from another."""

_WEAK = _word_set("""time times situation situations example something someone one thing things way ways experience
greatest biggest main most time when""")
"""Content words that carry little of a question's identity: they count a third."""

_SYNONYMS: dict[str, str] = {
    "biggest": "greatest", "largest": "greatest", "main": "greatest", "top": "greatest",
    "disagreement": "conflict", "disagre": "conflict", "clash": "conflict", "argument": "conflict",
    "mistak": "failur", "fail": "failur", "error": "failur",
    "coworker": "colleagu", "teammat": "colleagu", "peer": "colleagu",
    "boss": "manag", "supervisor": "manag",
    "organis": "compani", "organiz": "compani", "firm": "compani", "employ": "compani",
    "quit": "leav", "depart": "leav",
    "strong": "strength", "weak": "weak", "shortcom": "weak", "improv": "improv",
    "accomplish": "achiev", "proudest": "proud",
    "custom": "client", "stakehold": "client",
}
"""Stem → the stem it is treated as (applied after stemming)."""

_FOLLOW_UP = re.compile(
    r"\b(say (?:a (?:bit|little) )?more|tell me (?:a (?:bit|little) )?more|elaborate|expand on|go deeper|"
    r"more concrete|more specific|walk me through that|"
    r"step by step|what happened (?:next|then)|and then\??$|what was the (?:result|outcome)|how did (?:that|it) "
    r"(?:go|end)|for example\?|why\?$|how so\??$|can you give (?:me )?an example)",
    re.I,
)
"""Interviewer turns that dig into the current answer rather than ask a new question."""

_QUESTION_CUES = re.compile(
    r"\?|^(?:so,?\s+)?(?:tell me|describe|walk me|give me|talk (?:me )?(?:about|through)|explain|share|"
    r"imagine|suppose|let's say|how would|what would|why)\b", re.I | re.M)

_stemmer = snowballstemmer.stemmer("english")


@lru_cache(maxsize=4096)
def _stem(word: str) -> str:
    stem: str = _stemmer.stemWord(word.replace("'", ""))  # snowballstemmer is untyped
    return _SYNONYMS.get(stem, _SYNONYMS.get(word, stem))


def content_stems(text: str) -> list[str]:
    """The stemmed content words of a text, in order, without repeats."""
    seen: dict[str, None] = {}
    for word in _WORD.findall(text.casefold().replace("’", "'")):
        if word not in _STOP and len(word) > 1:
            seen.setdefault(_stem(word), None)
    return list(seen)


def _weight(stem: str) -> float:
    return 1 / 3 if stem in _WEAK else 1.0


@lru_cache(maxsize=65_536)
def _same(a: str, b: str) -> bool:
    if a == b:
        return True
    shorter, total = min(len(a), len(b)), len(a) + len(b)
    if shorter < 5 or 2 * shorter / total < NEAR_SPELLING:  # the best ratio two lengths allow
        return False
    matcher = difflib.SequenceMatcher(None, a, b)
    return matcher.quick_ratio() >= NEAR_SPELLING and matcher.ratio() >= NEAR_SPELLING


def _covered(stems: Sequence[str], other: Sequence[str]) -> float:
    """Weighted share of `stems` that occur (or nearly occur) in `other`."""
    total = sum(_weight(s) for s in stems)
    if not total:
        return 0.0
    hit = sum(_weight(s) for s in stems if any(_same(s, o) for o in other))
    return hit / total


def similarity(said: str, planned: str) -> float:
    """0–1: how well the interviewer's words `said` ask the `planned` question (best sentence or sentence pair)."""
    target = content_stems(planned)
    if not target:
        return 0.0
    sentences = [s for s in _SENTENCE.split(said) if s.strip()] or [said]
    spans = sentences + [f"{a} {b}" for a, b in itertools.pairwise(sentences)]
    best = 0.0
    for span in spans:
        stems = content_stems(span)
        if not stems:
            continue
        recall = _covered(target, stems)
        precision = _covered(stems, target)
        if recall == 0:
            continue
        score = 2 * precision * recall / (precision + recall)
        best = max(best, score)
    return round(best, 3)


def best_match(said: str, questions: Sequence[Question], *, threshold: float = MATCH_THRESHOLD,
               exclude: set[str] | None = None) -> tuple[Question, float] | None:
    """The planned question `said` asks (with its similarity), or None below `threshold`."""
    best: tuple[Question, float] | None = None
    for question in questions:
        if exclude and question.id in exclude:
            continue
        score = similarity(said, question.text)
        if score >= threshold and (best is None or score > best[1]):
            best = (question, score)
    return best


_LEAD_IN = re.compile(r"^(?:(?:to start|to begin|first|firstly|next|now|okay|ok|great|right|so|and|finally|lastly|"
                      r"thanks|thank you)[,.!]?\s+)+", re.I)
_NEW_QUESTION = re.compile(r"\b(tell me about (?:a|an|the|your)|describe (?:a|an|the|your)|imagine|suppose|"
                           r"let's say|walk me through (?:a|an|your)|what would you do|why do you|why are you|"
                           r"how would you|where do you see)\b", re.I)


def looks_like_question(text: str) -> bool:
    """An interviewer turn that asks something (rather than "Thank you, that's all for today.")."""
    sentences = [s.strip() for s in _SENTENCE.split(text.strip()) if s.strip()] or [text.strip()]
    return any(_QUESTION_CUES.search(_LEAD_IN.sub("", s)) for s in sentences)


_SMALL_TALK = re.compile(
    r"\b(?:how(?:'s| is| are| was| has| have) (?:your|the) (?:week|day|morning|afternoon|weekend|trip|journey|commute)|"
    r"how are you(?: doing| today)?\s*[?.!]*$|did you find (?:us|the (?:place|office|building))|thanks? (?:you )?for "
    r"(?:coming|joining|taking the time|your time)|nice to meet|good to (?:meet|see)|can you hear me|"
    r"(?:what|any|do you have(?: any)?) questions (?:do you have )?(?:for (?:me|us))?\s*\??$|"
    r"what questions do you have|is there anything you(?:'d| would) like to ask|anything (?:you want|else) to ask)",
    re.I,
)
"""Greetings, logistics and the closing "what questions do you have for me?": asked, but not scored questions."""
_ACKNOWLEDGE = re.compile(
    r"^(?:(?:ok(?:ay)?|great|good|right|sure|perfect|nice|alright|all right|thanks?(?: you)?|cool|wonderful|"
    r"excellent|interesting|got it|i see|makes sense|that's (?:great|helpful|interesting|clear|fair|good|useful)|"
    r"that was (?:great|helpful|interesting|clear|useful)|moving on|let's move on|next|now|so|fine|understood)"
    r"\b[\s,.!]*)+(?:\w+[\s,.!]*){0,4}$", re.I)
"""A sentence that only acknowledges the last answer ("Thanks, that's helpful.")."""


def is_small_talk(text: str) -> bool:
    """A sentence or turn that is only small talk or the closing invitation to ask questions."""
    sentences = [s.strip() for s in _SENTENCE.split(text.strip()) if s.strip()] or [text.strip()]
    return all(_SMALL_TALK.search(s) or _ACKNOWLEDGE.match(s) for s in sentences)


_PROBE_OPENING = re.compile(
    r"^(?:before we move on|going back to (?:that|this|it|your answer|what you said)|following up on (?:that|this)|"
    r"building on (?:that|this)|on that (?:point|note)|(?:could|can|would) you (?:please )?(?:also )?(?:"
    r"(?:say|tell me) (?:a (?:bit|little) )?more|go (?:a (?:bit|little) )?(?:deeper|further)|"
    r"make (?:that|it|this) (?:a (?:bit|little) )?more|walk me through (?:that|it|this)|speak to (?:this|that)|"
    r"expand|elaborate|add (?:a (?:bit|little) )?more|be more (?:specific|concrete)))\b", re.I)
"""How a probe into the answer just given opens ("Could you go a little deeper?", "Before we move on, …"); what
follows may read like a new question ("… what would you do first?") and still belongs to the current one."""


def is_follow_up(text: str) -> bool:
    """A short probe into the current answer ("Can you say more about that?"), not a new question that happens to
    end like one ("Describe a time you … What was the outcome?"). A turn that opens as a probe (after any
    acknowledgement) is one even when its later sentences ask something new-sounding; this covers every follow-up
    the offline interviewer asks (`voice.interviewer_script`)."""
    text = text.strip()
    words = len(text.split())
    sentences = [s.strip() for s in _SENTENCE.split(text) if s.strip()]
    while sentences and _ACKNOWLEDGE.match(sentences[0]) and len(sentences) > 1:
        sentences.pop(0)
    if words <= 60 and sentences and _PROBE_OPENING.match(sentences[0]):
        return True
    return words <= 25 and bool(_FOLLOW_UP.search(text)) and not _NEW_QUESTION.search(text)


# ------------------------------------------------------------------------------------------ segmentation


@dataclass(frozen=True)
class AskedQuestion:
    """One question as it was asked in a transcript, with the candidate's turns that answer it."""

    question: Question
    """The planned question when matched, else a question built from the interviewer's words."""
    asked_as: str
    """The interviewer's words (the turn that asked it)."""
    turn_index: int
    answer_turns: tuple[Turn, ...]
    matched: bool
    similarity: float

    @property
    def answer(self) -> str:
        return " ".join(t.text.strip() for t in self.answer_turns if t.text.strip())


def segment(transcript: Transcript, questions: Sequence[Question], *, threshold: float = MATCH_THRESHOLD,
            unmatched_prefix: str = "x") -> list[AskedQuestion]:
    """Split a transcript into the questions asked, in the order asked, each with its answer turns.

    An interviewer turn that matches a planned question (not yet asked) is that question. One that matches none
    becomes a question of its own (id `x1`, `x2`, …; kind and rubric from `domain.rubrics`) unless it is a follow-up
    probe (the answers after it belong to the current question) or asks an earlier question again (they
    belong to that one).
    Interviewer turns that ask nothing ("Thanks, that's all") end nothing either. Candidate words before the
    first question (greetings) belong to no question, unless no question was asked at all: then they are one
    answer to an unnamed question.
    """
    asked: list[AskedQuestion] = []
    answers: dict[int, list[Turn]] = {}  # position in `asked` → its answer turns
    leading: list[Turn] = []
    current: int | None = None
    for index, turn in enumerate(transcript.turns):
        text = turn.text.strip()
        if turn.role == "user":
            if text:
                (answers[current] if current is not None else leading).append(turn)
            continue
        if not text:
            continue
        used = {a.question.id for a in asked}
        match = best_match(text, questions, threshold=threshold, exclude=used)
        if match is None:
            if not looks_like_question(text) or is_small_talk(text):
                continue  # "Thank you.", "How's your week going?" end nothing and are not scored
            if current is not None and is_follow_up(text):
                continue  # a probe into the current answer
            again = best_match(text, [a.question for a in asked], threshold=threshold)
            if again is not None:  # a question asked before, asked again: its answer goes on
                current = next(i for i, a in enumerate(asked) if a.question.id == again[0].id)
                continue
        if match is not None:
            question, score = match
            asked.append(AskedQuestion(question, text, index, (), True, score))
        else:
            question = _unplanned(f"{unmatched_prefix}{sum(not a.matched for a in asked) + 1}", _question_text(text))
            asked.append(AskedQuestion(question, text, index, (), False, 0.0))
        current = len(asked) - 1
        answers[current] = []
    result = [replace(a, answer_turns=tuple(answers[i])) for i, a in enumerate(asked)]
    if not result and leading:
        opening = _unplanned(f"{unmatched_prefix}1", "Your answer (no question was found in the transcript)")
        result.append(AskedQuestion(opening, "", -1, tuple(leading), False, 0.0))
    return result


def _unplanned(qid: str, text: str) -> Question:
    """A question found only in the transcript: its kind classified from its words, its rubric the one of its
    well-known type or kind (`domain.rubrics`)."""
    question = question_from_text(qid, text)
    return question.model_copy(update={"rubric": rubric_for(question)})


def _question_text(said: str) -> str:
    """The question-bearing part of an interviewer turn (its last sentences with a question), ≤ 600 chars."""
    sentences = [s.strip() for s in _SENTENCE.split(said) if s.strip()]
    asking = [i for i, s in enumerate(sentences) if looks_like_question(s) and not is_small_talk(s)]
    # the context before the question is part of it ("I see a gap on your CV. Can you tell me about that?");
    # only the acknowledgements and small talk in front of it are dropped
    start = asking[0] if asking else 0
    while start > 0 and not (_ACKNOWLEDGE.match(sentences[start - 1]) or is_small_talk(sentences[start - 1])):
        start -= 1
    text = " ".join(sentences[start:]) if asking else said.strip()
    text = " ".join(text.split())
    if len(text) < 5:
        text = (text + " (question)").strip()
    return text[:600]
