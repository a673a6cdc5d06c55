"""Deterministic speech and answer metrics computed from a transcript (pure: no I/O, no models).

Thresholds are named constants with the sources collected in `research/speech-metrics.md`. The analyzers
(local and Gemini) share the small helpers here: word counting, filler detection, answer grouping, STAR
signals and term coverage.
"""

from __future__ import annotations

import itertools
import re
import statistics
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from interview_tui.domain.models import SpeechMetrics, Transcript, Turn

# ------------------------------------------------------------------------------------------------- thresholds

WPM_LOW = 120.0
WPM_HIGH = 165.0
"""Comfortable speaking-rate band. Microsoft Speaker Coach flags outside 100–165 WPM; InterviewVoice's green
band is 130–160 (Griffiths 1990; Tauroza & Allison 1990); conversational speech is 120–150 (Gallo 2014). We
use 120–165: the conversational floor and Speaker Coach's ceiling."""

FILLERS_PER_100_WORDS_OK = 5.0
"""< 5 fillers per 100 words is the usual coaching target (speechaway.co; rosemaryravinal.com). Reports give
fillers per 100 words only (`domain.figures.FILLER_UNIT`): unlike a rate per minute (≤ 5/min shows no measurable
listener penalty, Laske & DiGennaro Reed 2024, JABA) it exists for typed answers too. At a 150 wpm pace 5 per
100 words is about 7.5 per minute."""

LONG_PAUSE_S = 2.5
"""A silence longer than this is flagged as a long pause (examples on discuss.huggingface.co/t/175712)."""

ASSUMED_WPM = 150.0
"""Used only to *estimate* talk time when the transcript has no timing (typed answers); then
`timing_available` is False and rates per minute are left empty."""

SHORT_ANSWER_WORDS = 15
"""An answer with fewer words gets a follow-up prompt from the offline interviewer (very short)."""

# ----------------------------------------------------------------------------------------------------- words

_WORD = re.compile(
    r"[$€£]?\d+(?:[.,:]\d+)*(?:%|[A-Za-z]+)?"  # "$50,000", "1,200", "9:30", "3.5", "40%", "2010s": one word each
    r"|[A-Za-z0-9]+(?:['’][A-Za-z]+)*(?:[-.][A-Za-z0-9]+)*",
    re.UNICODE,
)
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|\n+")


def words(text: str) -> list[str]:
    """The words of a text (letters/digits, keeping contractions and hyphenated compounds together)."""
    return _WORD.findall(text)


def word_count(text: str) -> int:
    return len(words(text))


def split_sentences(text: str) -> list[str]:
    """Split on sentence punctuation and newlines; unpunctuated speech-to-text output stays one sentence."""
    return [s.strip() for s in _SENTENCE_END.split(text) if s and s.strip()]


# --------------------------------------------------------------------------------------------------- fillers

DISCOURSE_MARKERS: tuple[str, ...] = ("you know", "i mean", "basically", "actually", "like", "so", "right")
"""Fillers only when isolated: at a sentence/clause start followed by a comma, or set off by commas on both
sides ("So, I …", "it was, like, hard", "…, you know."). "I like Go" or "so we shipped" are not fillers."""

_LEFT = r"(?:^|(?<=[,.;:!?…—–(])|(?<=\.\.\.))\s*"
_RIGHT = r"\s*(?=[,;:!?…—–)]|\.(?!\d)|$)"
_HESITATION_RE = re.compile(r"\b(u+[hm]+|e+r+m*|h+m+|a+h+|m{2,})\b", re.I)
"""Any spelling of a hesitation: uh, uhh, um, umm, uhm, er, erm, errr, hm, hmm, ah, ahh, mm."""

_CLAUSE_PUNCTUATION = re.compile(r"[,.;:!?…—–]")
PUNCTUATED_WORDS_PER_MARK = 25
"""A text with at least one punctuation mark per this many words is punctuated enough to tell a discourse marker
("it was, like, hard") from the same word in use ("I like Go"); recogniser output without punctuation is not."""


def punctuated(text: str) -> bool:
    """Whether discourse markers can be told apart in `text` (see `PUNCTUATED_WORDS_PER_MARK`)."""
    n = word_count(text)
    return n == 0 or len(_CLAUSE_PUNCTUATION.findall(text)) * PUNCTUATED_WORDS_PER_MARK >= n
_MARKER_RE = re.compile(
    _LEFT + r"(" + "|".join(m.replace(" ", r"\s+") for m in DISCOURSE_MARKERS) + r")" + _RIGHT, re.I | re.M
)


def find_fillers(text: str, *, markers: bool = True) -> list[str]:
    """Filler words in a text, lower-cased, in order of appearance (hesitations only when `markers` is False)."""
    found: list[tuple[int, str]] = [(m.start(), m.group(1).lower()) for m in _HESITATION_RE.finditer(text)]
    for sentence in split_sentences(text) if markers else ():
        offset = text.find(sentence)
        for m in _MARKER_RE.finditer(sentence):
            # "So." or "Right?" alone as a whole answer is a reply, not a filler.
            if m.group(1).lower() in {"so", "right"} and word_count(sentence) <= 1:
                continue
            found.append((offset + m.start(1), " ".join(m.group(1).lower().split())))
    return [w for _, w in sorted(found)]


# --------------------------------------------------------------------------------------------------- answers


@dataclass(frozen=True)
class Answer:
    """The candidate's consecutive turns after one interviewer turn (or at the start)."""

    index: int
    turns: tuple[Turn, ...]
    prompt: Turn | None = None
    """The interviewer turn just before this answer, if any."""

    @property
    def text(self) -> str:
        return " ".join(t.text.strip() for t in self.turns if t.text.strip())

    @property
    def words(self) -> int:
        return word_count(self.text)

    @property
    def start(self) -> float:
        return self.turns[0].t

    @property
    def timed(self) -> bool:
        return all(t.end_t is not None and t.end_t >= t.t for t in self.turns)

    @property
    def end(self) -> float | None:
        ends = [t.end_t for t in self.turns if t.end_t is not None]
        return max(ends) if ends else None

    def talk_s(self) -> float:
        """Speaking time: the sum of the turns' durations when timed, else estimated from words."""
        if self.timed:
            return sum(max(0.0, (t.end_t or t.t) - t.t) for t in self.turns)
        return self.words / ASSUMED_WPM * 60.0

    def length_s(self) -> float:
        """Wall time from first to last word when timed (includes mid-answer pauses), else estimated."""
        if self.timed and self.end is not None:
            return max(0.0, self.end - self.start)
        return self.talk_s()


def group_answers(transcript: Transcript | Sequence[Turn]) -> list[Answer]:
    """Group consecutive candidate turns into answers, each with the interviewer turn that prompted it."""
    turns = transcript.turns if isinstance(transcript, Transcript) else list(transcript)
    answers: list[Answer] = []
    current: list[Turn] = []
    prompt: Turn | None = None
    for turn in turns:
        if turn.role == "user":
            if turn.text.strip():
                current.append(turn)
            continue
        if current:
            answers.append(Answer(len(answers), tuple(current), prompt))
            current = []
        prompt = turn
    if current:
        answers.append(Answer(len(answers), tuple(current), prompt))
    return answers


# --------------------------------------------------------------------------------------------------- metrics


def _latencies(turns: Sequence[Turn]) -> list[float]:
    out = []
    for prev, nxt in itertools.pairwise(turns):
        if prev.role == "agent" and nxt.role == "user" and prev.end_t is not None and nxt.text.strip():
            out.append(max(0.0, nxt.t - prev.end_t))
    return out


def _mid_answer_gaps(answers: Iterable[Answer]) -> list[float]:
    gaps = []
    for answer in answers:
        for a, b in itertools.pairwise(answer.turns):
            if a.end_t is not None:
                gaps.append(max(0.0, b.t - a.end_t))
    return gaps


def compute_speech_metrics(transcript: Transcript) -> SpeechMetrics:
    """Words, talk time, rate, fillers, answer lengths, response latency and long pauses of the candidate.

    With start and end times on every candidate turn the figures are measured (`timing_available=True`).
    Without them (typed answers), talk time and answer lengths are estimated at `ASSUMED_WPM` and the
    per-minute rates are left empty rather than invented.
    """
    answers = group_answers(transcript)
    if not answers:
        return SpeechMetrics()
    text = " ".join(a.text for a in answers)
    n_words = word_count(text)
    timing = all(a.timed for a in answers)
    talk_s = sum(a.talk_s() for a in answers)
    markers = punctuated(text)
    fillers = find_fillers(text, markers=markers)
    lengths = [round(a.length_s(), 1) for a in answers]
    latencies = _latencies(transcript.turns)
    pauses = [g for g in _mid_answer_gaps(answers) + latencies if g > LONG_PAUSE_S]
    minutes = talk_s / 60.0
    rate_ok = timing and minutes > 0
    top = [w for w, _ in sorted(Counter(fillers).items(), key=lambda kv: (-kv[1], kv[0]))[:3]]
    return SpeechMetrics(
        candidate_words=n_words,
        candidate_talk_s=round(talk_s, 1),
        words_per_minute=round(n_words / minutes, 1) if rate_ok else None,
        filler_count=len(fillers),
        fillers_per_minute=round(len(fillers) / minutes, 2) if rate_ok else None,
        fillers_per_100_words=round(100.0 * len(fillers) / n_words, 2) if n_words else None,
        top_fillers=top,
        answer_count=len(answers),
        answer_lengths_s=lengths,
        mean_answer_s=round(statistics.fmean(lengths), 1) if lengths else None,
        median_response_latency_s=round(statistics.median(latencies), 2) if latencies else None,
        long_pauses=len(pauses),
        timing_available=timing,
        discourse_markers_measured=markers,
    )


# ------------------------------------------------------------------------------------------- STAR and terms

def _alternatives(text: str) -> str:
    return "|".join(text.split())


_SITUATION = re.compile(
    r"\b(when i was|at my (?:last|previous|current|old|first) (?:job|company|role|team|employer)|"
    r"in my (?:last|previous|current|old|first) (?:job|company|role|team|position)|"
    r"last (?:year|quarter|month)|a few (?:years|months|weeks) ago|(?:one|a) time|back in|there was a|"
    r"we had a|our team (?:was|had)|the situation|the context|the problem was|the issue was|"
    r"we were (?:facing|dealing|migrating|building))\b",
    re.I,
)
_TASK = re.compile(
    r"\b(my (?:role|job|task|responsibility|goal|aim) (?:was|became)|"
    r"i was (?:responsible|asked|tasked|in charge)|i (?:needed|had|wanted) to|the goal was|our goal was|"
    r"we needed to|tasked with|i owned|i took (?:on|ownership))\b",
    re.I,
)
_ACTION_VERBS = _alternatives(
    """analysed analyzed automated broke built changed coached collaborated convinced coordinated created
    debugged decided delegated deployed designed documented drove escalated fixed focused gathered hired
    implemented improved interviewed introduced investigated launched led listened mapped measured mentored
    met migrated modelled modeled moved negotiated organised organized paired planned presented prioritised
    prioritized profiled proposed prototyped rebuilt redesigned refactored reproduced rewrote rolled ran
    reached reviewed scheduled set shipped simplified spoke split started streamlined suggested talked tested
    traced trained tried wrote added asked called cut explained identified pushed"""
)
_ACTION = re.compile(r"\bi (?:then |first |also |quickly |personally )?(" + _ACTION_VERBS + r")\b", re.I)
_RESULT = re.compile(
    r"\b(as a result|in the end|the result|the outcome|resulted in|"
    r"which (?:meant|led to|cut|reduced|increased|saved|improved)|ended up|"
    r"we (?:shipped|launched|delivered|saved|cut|reduced|increased|improved|hit|met)|"
    r"it (?:reduced|improved|increased|saved|cut|worked)|this (?:reduced|improved|increased|saved|cut)|"
    r"(?:reduced|improved|increased|cut|saved|grew|dropped) (?:it |our |the )?\w* ?(?:by|from|to)|"
    r"i learned|lesson|afterwards|since then|finally)\b",
    re.I,
)
_NUMBER_WORDS = _alternatives(
    """two three four five six seven eight nine ten twelve fifteen twenty thirty forty fifty hundred thousand
    million billion half double doubled tripled percent"""
)
_QUANT = re.compile(r"\d|[$€£%]|\b(" + _NUMBER_WORDS + r")\b", re.I)
_I = re.compile(r"\b(i|i'm|i've|i'd|me|my)\b", re.I)
_WE = re.compile(r"\b(we|we're|we've|our|us)\b", re.I)


@dataclass(frozen=True)
class StarSignals:
    """Which parts of a STAR answer (Situation, Task, Action, Result) show up, by surface markers."""

    situation: bool
    task: bool
    action: bool
    result: bool
    quantified: bool
    """The answer contains a number, percentage, amount or number word (a measurable result)."""
    first_person_share: float | None
    """Share of "I/me/my" among first-person pronouns (None when there are none): ownership of the actions."""

    @property
    def parts(self) -> int:
        return sum((self.situation, self.task, self.action, self.result))

    @property
    def missing(self) -> list[str]:
        names = ("Situation", "Task", "Action", "Result")
        flags = (self.situation, self.task, self.action, self.result)
        return [n for n, f in zip(names, flags, strict=True) if not f]

    @property
    def score(self) -> int:
        """0–100: InterviewVoice-style points for parts present (0/1/2/3/4 parts → 10/35/60/80/95), +5 for a
        number in the result."""
        return min(100, (10, 35, 60, 80, 95)[self.parts] + (5 if self.quantified else 0))


def star_signals(text: str) -> StarSignals:
    """Detect STAR markers in one answer (works on unpunctuated speech-to-text output too)."""
    norm = text.replace("’", "'")
    i_count, we_count = len(_I.findall(norm)), len(_WE.findall(norm))
    share = i_count / (i_count + we_count) if i_count + we_count else None
    return StarSignals(
        situation=bool(_SITUATION.search(norm)),
        task=bool(_TASK.search(norm)),
        action=len(set(m.lower() for m in _ACTION.findall(norm))) >= 1,
        result=bool(_RESULT.search(norm)),
        quantified=bool(_QUANT.search(norm)),
        first_person_share=round(share, 2) if share is not None else None,
    )


def term_pattern(term: str, *, case_sensitive: bool | None = None) -> re.Pattern[str]:
    """A word-boundary pattern for a term (handles terms such as "C++", "C#", ".NET", "Node.js").

    By default, short tokens (≤ 2 characters, e.g. "Go", "R", "C") match case-sensitively so "go" or "r" in
    prose do not count; longer terms match in any case.
    """
    term = term.strip()
    if case_sensitive is None:
        case_sensitive = len(term) <= 2
    escaped = re.escape(term).replace(r"\ ", r"[\s-]+")
    flags = 0 if case_sensitive else re.I
    return re.compile(r"(?<![\w+#.])" + escaped + r"(?![\w+#]|\.\w)", flags)


@dataclass(frozen=True)
class Coverage:
    """Which of the wanted terms an answer mentions."""

    covered: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    @property
    def ratio(self) -> float:
        total = len(self.covered) + len(self.missing)
        return len(self.covered) / total if total else 0.0


def term_coverage(text: str, terms: dict[str, Sequence[str]] | Sequence[str]) -> Coverage:
    """Which terms occur in `text`. `terms` is a list, or a mapping canonical → aliases (any alias counts)."""
    mapping = terms if isinstance(terms, dict) else {t: () for t in terms}
    covered, missing = [], []
    for canonical, aliases in mapping.items():
        variants = [canonical, *aliases]
        if any(term_pattern(v).search(text) for v in variants if v.strip()):
            covered.append(canonical)
        else:
            missing.append(canonical)
    return Coverage(covered, missing)


STOPWORDS: frozenset[str] = frozenset(
    _alternatives(
        """a about above after again against all also am an and any are as at be because been before being
        below between both but by can could did do does doing down during each few for from further had has
        have having he her here hers him his how i if in into is it its itself just me more most my no nor not
        now of off on once only or other our ours out over own same she should so some such than that the
        their theirs them then there these they this those through to too under until up very was we were what
        when where which while who whom why will with would you your yours able across etc per via within
        without well get got make made really thing things lot kind sort yeah okay ok um uh like know think
        tell describe time one"""
    ).split("|")
)


def content_terms(text: str, *, min_len: int = 4) -> list[str]:
    """Lower-cased content words (no stop words, no short tokens), in first-appearance order, deduplicated."""
    seen: dict[str, None] = {}
    for w in words(text):
        lw = w.lower()
        if len(lw) >= min_len and lw not in STOPWORDS and not lw.isdigit():
            seen.setdefault(lw, None)
    return list(seen)


def _stem(word: str) -> str:
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def keyword_overlap(answer: str, reference: str) -> list[str]:
    """Content words of `reference` (e.g. the question) the answer also uses, compared by a light stem."""
    answer_stems = {_stem(w) for w in content_terms(answer)}
    return [w for w in content_terms(reference) if _stem(w) in answer_stems]


def judge_pace(wpm: float | None) -> str | None:
    """'slow' / 'steady' / 'fast' against the named thresholds, or None when unmeasured."""
    if wpm is None:
        return None
    if wpm < WPM_LOW:
        return "slow"
    if wpm > WPM_HIGH:
        return "fast"
    return "steady"
