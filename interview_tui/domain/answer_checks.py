"""What can be read from one answer's words without a model: non-answers, talking points, STAR parts, red flags.

Shared by both analyzers (the Gemini analyzer applies the non-answer guard and the red-flag detectors to the
model's ratings; the offline analyzer builds its whole rating on them). Pure functions of text.

Principles (docs/SCORING.md): a non-answer is recognised from what the text *is* (empty, "I don't know", too
short, not words, placeholder, repetition, unrelated to work, markers or keywords with nothing concrete), never
from its length alone; specificity counts distinct concrete words the question did not already contain, so
echoing the question or padding adds nothing.
"""

from __future__ import annotations

import re
import zlib
from collections import Counter
from dataclasses import dataclass
from functools import cached_property

from interview_tui.domain.cues import StemmedText, stem, tokens
from interview_tui.domain.models import (
    NonAnswerKind,
    PointCoverage,
    QuestionKind,
    Rubric,
    StarParts,
    TalkingPoint,
)

# ------------------------------------------------------------------------------------------------ word classes


def _words(block: str) -> list[str]:
    return block.split()


FUNCTION_WORDS: frozenset[str] = frozenset(_words("""
a an the and or but nor so yet of to in on at for with by from into onto about over under after before as than
then that this these those there here it its it's is was were be been being am are i i'm i've i'd i'll me my
mine myself we we're we've our ours us you your yours he she him her his they them their theirs what which who
whom whose when where why how if because while although though not no do does did done have has had having will
would can could should shall may might must just very also too only some any all each every both either neither
such own same other more most less least much many few up down out off again once
"""))
"""Grammatical words. Real sentences are roughly 40–55 % function words; keyword lists and word salad are not."""

GENERIC_WORDS: frozenset[str] = frozenset(stem(w) for w in _words("""
task role situation result results action actions project projects thing things stuff work worked working job
problem problems issue issues handle handled handling team teams good great nice lot lots really make made
making did do doing done got get getting went go going also well like know think thought way ways time times
people person something anything everything nothing basically actually able various different important
responsible responsibility led lead leading built build building increased increase decreased decrease improved
improve improvement percent achieved achieve outcome goal goals success successful successfully yes yeah okay ok
sure definitely absolutely certainly best better worked hard passionate skills skill experience experienced use
used using manage managed management deliver delivered delivering company role question answer example situation
star feel felt want wanted need needed try tried say said told things overall end ended finally first then next
later eventually whole part kind sort bit quite pretty stuff day days week weeks month months year years always
never often sometimes usually
"""))
"""Words that carry no specific content on their own: STAR markers, vague nouns and verbs, fillers."""

WORK_WORDS: frozenset[str] = frozenset(stem(w) for w in _words("""
team teammate colleague colleagues manager boss lead engineer engineers developer developers designer analyst
customer customers client clients user users stakeholder stakeholders company business product products project
projects feature features release releases deadline deadlines sprint roadmap priority priorities code coding
software system systems service services api apis database data server servers cloud deploy deployment
production bug bugs test tests testing review reviews design architecture performance latency outage incident
incidents ticket tickets support sales revenue cost costs budget contract report reports analysis metric metrics
dashboard pipeline process processes meeting meetings plan planning strategy market marketing campaign launch
launched migrate migration role job career position interview hire hiring skill skills experience responsibility
responsible goal goals task tasks problem problems solution solutions decision decisions feedback mentor
mentoring mentored learn learned learning improve improved quality deliver delivered ship shipped build built
develop developed implement implemented manage managed managing organisation organization department office work
worked working employer employee staff training trained leadership conflict communication communicate negotiate
negotiated presentation presented document documentation requirement requirements scope estimate estimates risk
risks security compliance audit operations infrastructure automation automated script scripts framework library
libraries application app website platform tool tools model models experiment experiments research study studies
university course internship intern volunteer startup agency firm contractor vendor partner partners account
accounts quarter quarterly kpi okr okrs growth retention churn conversion onboarding hire hired interviewed
"""))
"""Vocabulary of work and interviews: an answer using none of it (and no rubric cue) is not about work."""

_DETERMINERS = frozenset(_words("""the a an our my their his her this that these those its your each every another
some several"""))

PLACEHOLDER_WORDS: frozenset[str] = frozenset(_words("""
lorem ipsum dolor sit amet consectetur adipiscing adipisicing elit sed eiusmod tempor incididunt labore dolore
magna aliqua enim minim veniam quis nostrud exercitation ullamco laboris nisi aliquip commodo consequat asdf
asdfgh qwerty qwer zxcv foo bar baz blah placeholder todo tbd tbc xxx xyz lol test testing n/a na
"""))

_DONT_KNOW = re.compile(
    r"\b(i (?:do not|don't|dont|really don't) (?:know|have an? (?:idea|answer|example))|no idea|not sure|"
    r"i'm not sure|i have no (?:idea|clue|example|answer)|no clue|can't (?:think of|remember|recall)|"
    r"cannot (?:think of|remember)|(?:i'?d rather )?(?:skip|pass)(?: this| on this)?|next question|"
    r"no comment|nothing comes to mind|i haven't (?:done|had|faced) (?:that|this|one)|never done (?:that|this))\b",
    re.I,
)
_SPELLED = (r"two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|sixty|"
            r"hundred|thousand|million|billion|a dozen|dozens of|hundreds of|thousands of|millions of")
_UNIT = (r"percent|per cent|%|x|times|ms|milliseconds?|seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?|"
         r"months?|quarters?|years?|sprints?|dollars?|euros?|pounds?|k|gb|mb|tb|users?|customers?|clients?|"
         r"people|engineers?|developers?|teams?|members?|reports?|tickets?|requests?|calls?|orders?|steps?|"
         r"releases?|deploys?|deployments?|services?|servers?|incidents?|bugs?|pages?|points?|stores?|sites?|"
         r"accounts?|hires?|candidates?|sales|leads|deals|units|rows|records|queries|jobs|tests|lines")
_NUMBER = re.compile(
    r"(?<![\w$€£])[$€£]?\d[\d,.:]*\s?(?:%|percent|per cent|k\b|x\b|m\b)?|"
    r"\b(?:" + _SPELLED + r")(?:[- ](?:" + _SPELLED + r"))?\s+(?:[a-z]+\s+)?(?:" + _UNIT + r")\b|"
    r"\b(?:doubled|tripled|quadrupled|halved|cut in half)\b(?!-)",
    re.I,
)
"""A real quantity: digits (with %, money, k), a spelled number with a unit ("three weeks", "forty percent"), or
a multiplied result ("doubled"). Not "single"/"double" quotes, "double-checking", or "one of the reasons"."""
_PROPER = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-zA-Z0-9+#.]*[A-Za-z0-9+#]")

BUZZWORDS = re.compile(
    r"\b(leverag\w*|synerg\w*|pivot(?:ed|ing)?|optimi[sz]\w*|data-driven|agile|iterat\w*|align(?:ed|ing)?|"
    r"holistic\w*|best practices?|move the needle|circle back|deep dive|empower\w*|streamlin\w*|paradigm|"
    r"cutting[- ]edge|value[- ]add|learnings|game[- ]changer|disrupt\w*|proactive\w*|results[- ]driven|"
    r"world[- ]class|next[- ]level|low[- ]hanging fruit|touch base|bandwidth|ecosystem|seamless\w*)\b",
    re.I,
)
"""Jargon for its own sake (three or more in an answer is padding)."""
_MACHINE_REFUSAL = re.compile(
    r"\b(?:as an ai(?: language model| assistant| model)?|i(?:'m| am) (?:just )?an ai\b|as a (?:large )?language "
    r"model|i (?:cannot|can't|am unable to) (?:provide|share|answer|help with) (?:personal|that|this|an answer))",
    re.I,
)
"""Text from a chat assistant, not the candidate's own answer."""
_JOB_AD = re.compile(
    r"\b(?:we(?: are|'re) (?:looking|hiring|seeking)|the (?:ideal|successful) candidate|you will|you'll (?:be|work|"
    r"join|own)|requirements?|responsibilities|what we offer|you (?:have|bring)|must have|nice to have|join (?:our|"
    r"us|a)|years of (?:professional )?experience|competitive (?:salary|pay)|benefits|equal opportunity|apply)\b",
    re.I,
)
"""Recruiting language: a job ad describes the job to a reader, it is not the candidate's own account."""
_QUESTION_FRAME = frozenset(stem(w) for w in _words("""
tell describe explain walk talk give share example time times situation would could should how what why when
where which who whose whom work worked working job role experience handle handled approach think know about
question answer please your yourself you me can do does did have has had make made get like want go going
"""))
_FUNCTION_STEMS = frozenset(stem(w) for w in FUNCTION_WORDS)
"""Words that frame a question rather than name its topic ("walk me through…", "how would you…")."""

# ------------------------------------------------------------------------------------------------------ STAR

_PAST_IRREGULAR = """
built wrote ran led made took set sat spoke went got gave brought sent kept found chose drew held met put told
began thought sought taught did caught fought bought dealt felt meant read rebuilt rewrote undertook oversaw
split cut shut spun stood understood won sold paid laid left let hit hired fixed
"""
_NOT_ACTIONS = {"was", "were", "had", "needed", "wanted", "used", "supposed", "guess", "think", "thought", "felt",
                "said", "knew", "liked", "loved", "hated", "got", "tried", "seemed", "happened", "being"}
_SHORT_ACTIONS = {"led", "ran", "met", "put", "cut", "set", "hit", "sat", "won"}
_ACTION = re.compile(
    r"\b(?:i|i've|i have|i then|i also|i first|i quickly|i personally|so i|and i|then i)\s+"
    r"(?:\w+ly\s+)?(?:then\s+|also\s+|first\s+)?"
    r"(\w+ed|" + "|".join(_PAST_IRREGULAR.split()) + r")\b",
    re.I,
)
_PLAN_ACTION = re.compile(r"\b(?:i would|i'd|i will|i'll|i'm going to|my first step|i'd first|i would first|"
                          r"first,? i(?:'d| would)?|then i(?:'d| would)?|next,? i(?:'d| would)?)\s+(\w+)", re.I)
_PLAN_VERBS_TEXT = """
ask talk check look find read write spend go call meet set agree start make take get try raise schedule review
escalate gather understand clarify listen explain share offer propose prioritise prioritize break split
document book email message reach collect compare test measure roll pause stop fix inform tell update confirm
acknowledge apologise apologize investigate reproduce identify figure work sit plan align flag pull open
create use keep focus note list decide commit accept support help pair own thank bring involve suggest
recommend walk map outline draft prepare show present frame summarise summarize estimate validate verify
monitor watch revert restore rollback add run ship send move remove change give lead delegate retry contact
notify alert
"""
_PLAN_VERBS = _PLAN_VERBS_TEXT.split()
_PLAN_STEP = re.compile(
    r"(?:^|[.!?;:]\s+|,\s+(?:and\s+)?(?:then\s+)?|\band then\s+|\bthen,?\s+)"
    r"(?:(?:first|then|next|after that|finally|so|and|also|maybe|probably),?\s+)?"
    r"(" + "|".join(_PLAN_VERBS) + r")\b(?!-)", re.I)


def plan_steps(text: str) -> list[str]:
    """Distinct steps of a plan told without "I" ("Ask for ten minutes one-to-one, make my case, and ask what I'm
    missing"): clauses that open with a verb of doing, lower-cased. Spoken answers to "what would you do" are often
    elliptical; these are the candidate's own actions as much as "I'd ask" is."""
    return list(dict.fromkeys(m.group(1).lower() for m in _PLAN_STEP.finditer(text.replace("’", "'"))))


_SITUATION = re.compile(
    r"\b(when i was|while i was|at my (?:last|previous|current|old|first|former) (?:job|company|role|team|employer|"
    r"workplace|internship)|in my (?:last|previous|current|old|first|former) (?:job|company|role|team|position)|"
    r"(?:last|this past|the previous) (?:year|quarter|month|summer|spring|autumn|fall|winter)|(?:a few|two|three|"
    r"several|some) (?:years|months|weeks) ago|(?:one|a) time|back in|there was (?:a|an|this)|we had (?:a|an|this)|"
    r"our team (?:was|had)|the situation|the context|the problem was|the issue was|at the time|"
    r"we were (?:facing|dealing|migrating|building|running|about)|i (?:was|worked) (?:at|on|in|as)|"
    r"in (?:19|20)\d\d|during (?:my|our|a|the))\b",
    re.I,
)
_TASK = re.compile(
    r"\b(my (?:\w+ ){0,4}?(?:role|job|task|responsibility|goal|aim|mission|mandate|objective|brief)\b[^.?!]{0,40}?"
    r"\b(?:was|were|is|became|had been)|"
    r"i was (?:responsible|accountable|asked|tasked|in charge|supposed|expected|brought in|hired|assigned|"
    r"the one|leading|the lead)|i (?:needed|had|wanted|was trying) to|(?:the|our) (?:goal|aim|task|objective|"
    r"challenge|mandate) was|we (?:needed|had) to|tasked with|i owned|i took (?:on|ownership)|it was (?:up to|on) me|"
    r"it fell to me|i volunteered to|as (?:the|her|his|their|team) (?:lead|manager|owner)|"
    r"(?:i|we) (?:had|needed) (?:a|to)|the (?:deadline|target) was)",
    re.I,
)
_RESULT = re.compile(
    r"\b(as a result|in the end|the result|the outcome|resulted in|result was|which (?:meant|led to|cut|reduced|"
    r"increased|saved|improved|brought|got)|ended up|by the end|afterwards|since then|from then on|"
    r"we (?:shipped|launched|delivered|saved|cut|reduced|increased|improved|hit|met|won|closed|recovered|"
    r"finished)|it (?:reduced|improved|increased|saved|cut|worked|paid off)|"
    r"(?:this|that) (?:reduced|improved|increased|saved|cut|meant|led|got)|"
    r"(?:reduced|improved|increased|cut|saved|grew|dropped|fell|rose|went) (?:\w+ ){0,3}?(?:by|from|to|down|up)|"
    r"i (?:learned|learnt|realised|realized)|(?:the )?lesson|taught me|"
    r"so that|to make sure|success would|i(?:'d| would) (?:know|measure|check)|(?:the )?(?:customer|client|team|"
    r"manager) was (?:happy|pleased|satisfied)|got (?:promoted|praised)|on time|ahead of schedule)\b",
    re.I,
)
_ASSESS = re.compile(r"\b(first|understand|find out|clarify|ask|check|look at|go through|review|assess|qualify|"
                     r"investigate|gather|figure out|dig into|confirm)\b", re.I)
_AIM = re.compile(r"\b(the (?:goal|priority|aim|key) (?:is|would be)|my (?:priority|goal|aim)|focus on|what matters|"
                  r"i(?:'d| would) want to|(?:need|want) to make sure|the point is|so that)\b", re.I)
_PLAN_OUTCOME = re.compile(r"\b(that way|so (?:that|nobody|everyone|the)|to make sure|if (?:i|it|that|we|they) still|"
                           r"if (?:that|it) (?:doesn't|does not|fails)|follow(?:ing)? up|afterwards|going forward|"
                           r"measure|i(?:'d| would) know|success|next time|in the meantime)\b", re.I)
_I = re.compile(r"\b(i|i'm|i've|i'd|i'll|me|my|myself)\b", re.I)
_WE = re.compile(r"\b(we|we're|we've|we'd|our|us|ourselves)\b", re.I)
_STAR_MARKERS = re.compile(
    r"\b(situation|task|action|result|my role|as a result|i led|i built|i handled|i managed|i drove|"
    r"i delivered|i improved|i increased|stakeholders?|synerg\w*|leverag\w*|impact)\b",
    re.I,
)


def star_parts(text: str, kind: QuestionKind | None) -> StarParts | None:
    """Which STAR parts the answer states (None unless the question is behavioural or situational).

    Task: a first-person responsibility in any wording ("My task as her lead was…", "I was asked to…", "it was
    up to me"); Action: a first-person action verb, or for situational answers a first-person plan ("I'd first
    …"); Result: outcome language, a learned lesson, or for a plan how success would be seen.
    """
    if kind not in (QuestionKind.BEHAVIOURAL, QuestionKind.SITUATIONAL):
        return None
    norm = text.replace("’", "'")
    actions = action_verbs(norm)
    if kind is QuestionKind.SITUATIONAL:  # a plan: assess, set the aim, act, and say how it ends or is checked
        return StarParts(
            situation=bool(_SITUATION.search(norm) or _ASSESS.search(norm)),
            task=bool(_TASK.search(norm) or _AIM.search(norm)),
            action=bool(actions or _PLAN_ACTION.search(norm) or plan_steps(norm)),
            result=bool(_RESULT.search(norm) or _PLAN_OUTCOME.search(norm)),
        )
    sentences = [x for x in re.split(r"(?<=[.!?])\s+", norm.strip()) if x.strip()]
    opening = " ".join(sentences[:2])
    ending = " ".join(sentences[-2:]) if len(sentences) >= 3 else ""
    return StarParts(
        # the scene: a marker anywhere, or an opening that narrates a past event ("A clinic owner called…")
        situation=bool(_SITUATION.search(norm) or _PAST_EVENT.search(opening)),
        task=bool(_TASK.search(norm) or _AIM_PAST.search(norm)),
        action=bool(actions),
        # the outcome: a marker anywhere, or an ending that says what happened or with a number
        result=bool(_RESULT.search(norm) or _OUTCOME_VERB.search(ending)
                    or (ending and _NUMBER.search(ending) and _PAST_EVENT.search(ending))),
    )


_PAST_EVENT = re.compile(
    r"\b(?:\w+ed|was|were|had|came|went|got|began|broke|fell|rose|ran|took|made|told|called|asked|sent|left|"
    r"lost|won|saw|found|hit|grew|joined|launched|shipped)\b", re.I)
_AIM_PAST = re.compile(r"\b(?:i|we) (?:had|needed|wanted|decided|agreed|promised|committed|aimed|set out|was "
                       r"trying|were trying) to\b|\b(?:the|my|our) (?:plan|aim|target) was\b", re.I)
_OUTCOME_VERB = re.compile(
    r"\b(renewed|fixed|shipped|launched|won|closed|saved|grew|dropped|fell|rose|improved|reduced|increased|"
    r"promoted|finished|resolved|solved|succeeded|worked|stayed|returned|came back|signed|agreed|passed|recovered|"
    r"completed|delivered|doubled|halved|tripled|went (?:up|down|from)|ended|became|now|still|since)\b", re.I)


def action_verbs(text: str) -> list[str]:
    """Distinct first-person past actions ("I rewrote", "I then called"), lower-cased."""
    found = []
    for m in _ACTION.finditer(text.replace("’", "'")):
        verb = m.group(1).lower()
        if (verb not in _NOT_ACTIONS and len(verb) > 3) or verb in _SHORT_ACTIONS:
            found.append(verb)
    return list(dict.fromkeys(found))


# -------------------------------------------------------------------------------------------------- features


@dataclass(frozen=True)
class AnswerText:
    """One answer's words, with the measurements the checks share (computed lazily, once)."""

    text: str
    question: str = ""

    @cached_property
    def stemmed(self) -> StemmedText:
        return StemmedText(self.text)

    @cached_property
    def words(self) -> list[str]:
        return self.stemmed.words

    @property
    def n(self) -> int:
        return len(self.words)

    @cached_property
    def content(self) -> list[str]:
        """Stems of content words (not function words, at least 3 letters, not numbers)."""
        return [stem(w) for w in self.words if w not in FUNCTION_WORDS and len(w) >= 3 and not w[0].isdigit()]

    @cached_property
    def question_stems(self) -> set[str]:
        return {stem(w) for w in StemmedText(self.question).words}

    @cached_property
    def specific(self) -> set[str]:
        """Distinct concrete content stems the question did not already contain (echo and vague words excluded)."""
        return {s for s in self.content if s not in GENERIC_WORDS and s not in self.question_stems
                and s not in PLACEHOLDER_WORDS}

    @cached_property
    def concrete_nouns(self) -> set[str]:
        """Distinct things named after a determiner ("the refund service", "a junior engineer", "our API"), other
        than vague nouns and the question's own words: what STAR-phrase stuffing ("I led it. The result…") lacks."""
        found = set()
        words = self.words
        for i, w in enumerate(words):
            if w not in _DETERMINERS:
                continue
            for nxt in words[i + 1: i + 3]:
                s = stem(nxt)
                if nxt in FUNCTION_WORDS or nxt[0].isdigit():
                    break
                if s not in GENERIC_WORDS and s not in self.question_stems and len(nxt) >= 3:
                    found.add(s)
        return found

    @cached_property
    def echo_share(self) -> float:
        """Share of the answer's content words that are the question's own words."""
        if not self.content:
            return 0.0
        return sum(s in self.question_stems for s in self.content) / len(self.content)

    @cached_property
    def numbers(self) -> list[str]:
        return [m.group(0).strip() for m in _NUMBER.finditer(self.text)]

    @cached_property
    def named(self) -> set[str]:
        """Capitalised names mid-sentence (tools, products, companies), not "I"."""
        return {m.group(0) for m in _PROPER.finditer(self.text) if m.group(0) not in {"I", "I'm", "I've", "I'd"}}

    @property
    def function_share(self) -> float:
        return sum(w in FUNCTION_WORDS for w in self.words) / self.n if self.n else 0.0

    @cached_property
    def compression(self) -> float:
        """Compressed/raw size: ~0.35–0.6 for prose of a few hundred characters, far lower when it repeats itself."""
        raw = " ".join(self.words).encode()
        return len(zlib.compress(raw, 9)) / len(raw) if raw else 1.0

    @cached_property
    def top_share(self) -> float:
        """The most repeated content word's share of all content words."""
        if not self.content:
            return 0.0
        return Counter(self.content).most_common(1)[0][1] / len(self.content)

    @property
    def distinct_ratio(self) -> float:
        return len(set(self.words)) / self.n if self.n else 0.0

    @cached_property
    def i_count(self) -> int:
        return len(_I.findall(self.text.replace("’", "'")))

    @cached_property
    def we_count(self) -> int:
        return len(_WE.findall(self.text.replace("’", "'")))

    @cached_property
    def work_hits(self) -> int:
        return sum(s in WORK_WORDS for s in self.content)

    @cached_property
    def star_markers(self) -> int:
        return len(_STAR_MARKERS.findall(self.text))


# ---------------------------------------------------------------------------------------------- non-answers

MIN_ANSWER_WORDS = 8
"""Fewer words than this is a one-liner ("Yes.", "I'm a hard worker."), not an answer to an interview question."""


def non_answer(answer: AnswerText, rubric: Rubric | None = None,
               kind: QuestionKind | None = None) -> NonAnswerKind | None:
    """Why this text is not an answer, or None when it is one (however weak).

    Off-topic: nothing in it relates to the question — none of its words, none of its talking points, no work
    vocabulary; or, for a question about the candidate (a story, a plan, a motivation), no word about themselves.
    """
    n = answer.n
    hesitation = re.compile(r"^(u+[hm]+|e+r+m*|h+m+|a+h+|m{2,}|well|so|okay|ok|yeah|like|you|know|i|mean|right)$")
    if n == 0 or all(hesitation.match(w) for w in answer.words):
        return NonAnswerKind.EMPTY
    placeholder = sum(w in PLACEHOLDER_WORDS for w in answer.words)
    slots = len(_TEMPLATE_SLOT.findall(answer.text))
    if (placeholder >= 3 and placeholder / n >= 0.2) or slots >= 2 or (slots and n < 30):
        return NonAnswerKind.PLACEHOLDER
    if _DONT_KNOW.search(answer.text.replace("’", "'")) and len(answer.specific) < 6 and n < 45:
        return NonAnswerKind.DONT_KNOW
    if answer.echo_share >= 0.7 and len(answer.content) >= 3:
        return NonAnswerKind.REPETITIVE  # the question read back
    if n < MIN_ANSWER_WORDS:
        return NonAnswerKind.TOO_SHORT
    if n >= 20 and (answer.compression < 0.22 or answer.distinct_ratio < 0.2
                    or (answer.top_share > 0.25 and len(answer.content) >= 12)):
        return NonAnswerKind.REPETITIVE
    if answer.function_share < 0.15 or _gibberish_share(answer.words) > 0.35:
        known = answer.work_hits + len(answer.named)
        return NonAnswerKind.STUFFING if known >= 0.3 * n else NonAnswerKind.GIBBERISH
    if _MACHINE_REFUSAL.search(answer.text.replace("’", "'")):
        return NonAnswerKind.PLACEHOLDER
    if answer.star_markers >= 3 and len(answer.concrete_nouns) <= 2:
        return NonAnswerKind.STUFFING
    buzz = len(BUZZWORDS.findall(answer.text))
    if answer.star_markers >= 2 and buzz >= 4 and buzz >= 0.12 * len(answer.content):
        return NonAnswerKind.STUFFING  # STAR labels filled with jargon, no concrete thing done
    if len(answer.specific) < 4 and answer.star_markers >= 2:
        return NonAnswerKind.STUFFING
    cue_hits = _cue_hits(answer, rubric)
    echo = bool(answer.question_stems & set(answer.content))
    if len({m.group(0).lower() for m in _JOB_AD.finditer(answer.text.replace("’", "'"))}) >= 3 and \
            answer.i_count <= 1:
        return NonAnswerKind.OFF_TOPIC  # a job ad pasted as an answer: not the candidate's own account
    topic = {s for s in answer.question_stems if s not in _QUESTION_FRAME and s not in _FUNCTION_STEMS
             and s not in GENERIC_WORDS and len(s) >= 3}
    if kind is QuestionKind.TECHNICAL and topic and cue_hits <= 1 and not (topic & set(answer.content)) and n >= 20:
        return NonAnswerKind.OFF_TOPIC  # none of its topic, one stray cue at most: an answer to another question
    if answer.work_hits == 0 and cue_hits == 0 and not echo:
        return NonAnswerKind.OFF_TOPIC
    about_self = kind in (QuestionKind.BEHAVIOURAL, QuestionKind.SITUATIONAL, QuestionKind.MOTIVATION)
    if about_self and answer.i_count + answer.we_count == 0 and cue_hits <= 1 and not echo and n >= 20:
        return NonAnswerKind.OFF_TOPIC
    work_share = answer.work_hits / max(1, len(answer.content))
    if kind is QuestionKind.TECHNICAL and not echo and cue_hits == 0 and work_share < 0.1 and n >= 20:
        return NonAnswerKind.OFF_TOPIC
    return None


def _cue_hits(answer: AnswerText, rubric: Rubric | None) -> int:
    if rubric is None:
        return 0
    asked = StemmedText(answer.question)  # the rubric's own words: a generic signal says nothing about the topic
    return sum(covers(p, answer, asked, signals=False) for p in rubric.talking_points)


_TEMPLATE_SLOT = re.compile(r"\[[^\]]{1,40}\]|\{[^}]{1,40}\}|<[^>]{1,40}>|\b(?:TODO|TBD|FIXME)\b")
_VOWEL = re.compile(r"[aeiouy]")
_CONSONANT_RUN = re.compile(r"[bcdfghjklmnpqrstvwxz]{5,}")


def _gibberish_share(words: list[str]) -> float:
    """Share of tokens that cannot be English words (no vowel, long consonant runs, letters tripled)."""
    alpha = [w for w in words if w.isalpha() and len(w) > 1]
    if not alpha:
        return 0.0
    bad = sum(1 for w in alpha if (not _VOWEL.search(w) and w not in {"hmm", "mm", "hm", "tv", "pr", "qa", "ux"})
              or _CONSONANT_RUN.search(w) or re.search(r"(.)\1\1", w) or len(w) > 20)
    return bad / len(alpha)


NON_ANSWER_REASONS: dict[NonAnswerKind, str] = {
    NonAnswerKind.EMPTY: "Nothing was said in answer to this question.",
    NonAnswerKind.DONT_KNOW: "The answer says you don't know or would skip it; there is nothing to assess.",
    NonAnswerKind.TOO_SHORT: "A one-line reply is not an answer to an interview question.",
    NonAnswerKind.GIBBERISH: "The text is not meaningful sentences, so it cannot be assessed.",
    NonAnswerKind.PLACEHOLDER: "The text is placeholder filler (e.g. lorem ipsum), not an answer.",
    NonAnswerKind.REPETITIVE: "The answer repeats the same words over and over instead of saying something.",
    NonAnswerKind.OFF_TOPIC: "The answer is not about the question or about work at all.",
    NonAnswerKind.STUFFING: "Interview phrases or keywords strung together with no concrete content.",
}

# ------------------------------------------------------------------------------------------ talking points


def point_coverage(answer: AnswerText, rubric: Rubric) -> list[PointCoverage]:
    """Each talking point, covered when the candidate's own words support it (`covers`)."""
    asked = StemmedText(answer.question)
    return [PointCoverage(text=p.text, covered=covers(p, answer, asked)) for p in rubric.talking_points]


def covers(point: TalkingPoint, answer: AnswerText, asked: StemmedText | None = None, *,
           signals: bool = True) -> bool:
    """Whether the answer's words support the point: one of its cues said as a claim — not in a denied clause
    ("there are never any collisions"), not one the question itself contains (reading the question back covers
    nothing) — or, for the generic points every story or self-assessment has, the generic signal of it in other
    words (a first-person action for initiative, a quantified change for a measured result, "I get nervous…"
    for a named weakness)."""
    asked = asked if asked is not None else StemmedText(answer.question)
    hits = [c for c in answer.stemmed.hits(point.cues) if not asked.has(c)]
    if hits:
        clauses = [StemmedText(c) for c in _CLAUSE.split(answer.text) if c.strip()]
        if any(_affirmed(cl, [c], _POINT_NEGATION) for c in hits for cl in clauses):
            return True
    return signals and _generic_signal(point.text, answer.text)


def _generic_signal(point_text: str, text: str) -> bool:
    norm = text.replace("’", "'")
    if _POINT_MEASURED.search(point_text):
        return any(_NUMBER.search(s) and _CHANGE.search(s) for s in re.split(r"(?<=[.!?;])\s+", norm))
    if _POINT_INITIATIVE.search(point_text):
        return bool(action_verbs(norm))
    if _POINT_WEAKNESS.search(point_text):
        return bool(_WEAKNESS_SAID.search(norm))
    return False


_POINT_MEASURED = re.compile(r"\b(?:measur\w*|quantif\w*|numbers?|metrics?)\b", re.I)
_POINT_INITIATIVE = re.compile(r"\b(?:initiative|personally|own actions|ownership|(?:you|they) (?:did|took) "
                               r"(?:yourself|themselves))\b", re.I)
_POINT_WEAKNESS = re.compile(r"\bnames?\b.*\bweakness|\bweakness\b.*\bplainly\b", re.I)
_CHANGE = re.compile(r"\b(?:from\b.{1,60}?\bto|reduc\w*|cut|increas\w*|grew|rose|dropped|fell|saved|faster|"
                     r"slower|fewer|down to|went to|improv\w*|doubled|halved|by)\b", re.I)
_WEAKNESS_SAID = re.compile(
    r"\b(?:i (?:get|got|become|feel) (?:nervous|anxious|impatient|overwhelmed|defensive|frustrated|stressed)|"
    r"i (?:struggle|struggled) (?:with|to)|i tend to|i find it (?:hard|difficult)|(?:i'm|i am) not (?:great|good|"
    r"naturally|very good|the best) at|i can be (?:too |a bit |quite )?\w+|i (?:often|sometimes) (?:over|under)\w+|"
    r"my (?:biggest |greatest |main |real )?weakness (?:is|has been)|i have trouble|i'm (?:uncomfortable|slow))",
    re.I,
)
"""Saying a weakness plainly, in any words ("Public speaking. I get nervous presenting to large groups")."""


_CLAUSE = re.compile(r"(?<=[.!?;,:])\s+|\s+(?:but|whereas|although|however)\s+|\s[-–—]\s", re.I)
_POINT_NEGATION = re.compile(r"\b(?:not|never|no|nobody|nothing|none|neither|nor|without)\b(?! (?:only|just|matter|"
                             r"doubt|longer just))", re.I)
"""Words that deny what follows them within a clause ("not only", "no matter" do not deny)."""


# ----------------------------------------------------------------------------------------------- red flags

_BLAME = re.compile(
    r"\b((?:it|that) (?:was|is)(?:n't| not)? (?:\w+ )?(?:his|her|their|(?:my|the) (?:\w+ )?\w+'s) fault|"
    r"not my fault|(?:he|she|they|the other (?:team|teams|guys|side)|(?:my|the) (?:\w+ )?(?:manager|boss|"
    r"colleague|team|lead|vendor|client)s?) (?:\w+ )?(?:messed|screwed|dropped the ball|"
    r"failed|ruined|didn't do (?:their|his|her) job)|because of (?:him|her|them|my (?:manager|boss|colleague)s?)\b"
    r"[^.]{0,30}(?:fail|late|wrong|miss)|blame[ds]? (?:him|her|them|the|my))",
    re.I,
)
_BAD_MOUTH = re.compile(
    r"\b((?:my|our|the) (?:old |former |previous |current |last )?(?:boss|manager|company|employer|team lead|"
    r"management|leadership|ceo|team) (?:was|is|were|are) (?:\w+ )?(?:terrible|awful|toxic|incompetent|useless|"
    r"clueless|horrible|stupid|a joke|a nightmare|lazy|idiots?|hopeless|the worst)|toxic (?:boss|manager|"
    r"company|workplace|culture|environment)|hated (?:my|the) (?:boss|manager|job|company)|(?:boss|manager) "
    r"(?:from hell|was an idiot))\b",
    re.I,
)
_NO_MISTAKES = re.compile(
    r"\b(i (?:never|don't|do not|rarely) (?:make|made) mistakes|i(?:'ve| have) never (?:failed|made a mistake|"
    r"had a (?:conflict|failure))|i (?:don't|do not) (?:really )?have (?:any )?weakness(?:es)?|"
    r"i have no weakness(?:es)?|no weaknesses|can't think of (?:any|a) (?:weakness|mistake|failure))",
    re.I,
)
_DISGUISED = re.compile(
    r"\b(perfectionist|work(?:s|ing)? too hard|care too much|too (?:dedicated|detail[- ]oriented|committed|"
    r"passionate)|workaholic|i just (?:care|work) too|(?:i'm|i am) too (?:honest|hardworking|organised|organized))\b",
    re.I,
)
_MITIGATION = re.compile(r"\b(working on|to improve|i now|i've started|i started|learn(?:ed|ing|t)? to|"
                         r"course|practi[cs]e|feedback|mentor|habit|i set)\b", re.I)

FLAG_BLAME = "Blames others for what went wrong"
FLAG_BAD_MOUTH = "Speaks badly of a former employer or manager"
FLAG_NO_MISTAKES = "Claims never to make mistakes or to have no weakness"
FLAG_DISGUISED = "Offers a strength dressed up as a weakness"
FLAG_WE_NOT_I = "Says only what \"we\" did, never what you did yourself"
FLAG_DISHONEST = "Proposes misleading people or hiding a problem"
FLAG_ABSOLUTES = "Confident absolutes with no reasoning"
FLAG_BELITTLE = "Belittles a colleague or the people involved"
FLAG_PRESSURE = "Proposes pressuring people with guilt, threats or fear"

_PRESSURE = re.compile(
    r"\b(?:guilt[- ]?trip\w*|make (?:them|him|her|people|everyone|the team) feel (?:\w+ ){0,2}(?:guilty|bad|ashamed)|"
    r"(?:threaten|scare|shame|pressure|guilt) (?:them|him|her|people|the team|everyone) (?:into|to|with)|"
    r"(?:threaten|warn) (?:them|him|her) (?:that|with) (?:they|he|she)(?:'ll| will| would| could)? "
    r"(?:be fired|lose|get fired))\b",
    re.I,
)
"""Getting one's way by guilt, threats or fear ("make them feel a bit guilty"), not by persuasion."""

_BELITTLE = re.compile(
    r"\b(?:he|she|they|him|her|them|(?:this|that|the|a|my|our) (?:\w+ )?(?:guy|girl|person|colleague|coworker|"
    r"co-worker|teammate|developer|engineer|designer|manager|boss|client|customer|lead|team)s?)\b[^.!?;]{0,40}?"
    r"\b(?:(?:is|was|are|were|being|seemed|acted|acting)\b[^.!?;,]{0,25}?\b(?:arrogant|lazy|rude|incompetent|"
    r"useless|clueless|stupid|dumb|an idiot|idiots|hopeless|pathetic|a jerk|selfish|annoying|impossible to work "
    r"with|a nightmare|full of (?:himself|herself|themselves))|making everyone's life (?:harder|hell|miserable))\b",
    re.I,
)
"""Disparaging words said about a person ("he was kind of arrogant"), not about a thing ("lazy-loaded")."""

_ABSOLUTE = re.compile(
    r"\b(always|never|for everything|no downsides?|(?:aren't|isn't|there's no|there are no) (?:really )?(?:any )?"
    r"(?:downsides?|drawbacks?|risks?|cost)|(?:doesn't|don't|won't) cost anything|doesn't matter|obviously|"
    r"definitely|100 percent|100%|guaranteed|solves everything|any (?:api|query|column|table|code|system|case))\b",
    re.I,
)
"""Claims of certainty. A technical answer that makes three of them is asserting, not reasoning."""

_DISHONEST = re.compile(
    r"\b(even (?:if|though) (?:it|that|they) (?:doesn't|does not|isn't|is not|won't|wasn't|aren't) "
    r"(?:really(?=\s*[,.;!?])|true|the case)|lie to|lied to|(?:white|small) lie|fake (?:it|the|a)|"
    r"pretend(?:ed)? (?:to|that|it)|"
    r"make up (?:a|an|some)|made up (?:a|an|some)|fudge|cover (?:it|this|that) up|hide (?:it|this|that|the) from|"
    r"(?:don't|didn't|wouldn't|won't|not|never) (?:tell|mention(?: it)?(?: to)?|inform|disclose(?: it)?(?: to)?|"
    r"say anything to) (?:the |my |our )?(?:customers?|clients?|users?|manager|boss|lead|anyone|them)\b"
    r"(?! (?:until|before) (?:i|we) (?:know|check|confirm))|keep (?:it|this) (?:quiet|to myself)|"
    r"sweep (?:it|this) under)",
    re.I,
)
_NEGATION = re.compile(r"\b(not|never|no|didn't|don't|doesn't|wasn't|won't|without|avoid|instead of)\b", re.I)


def red_flags(answer: AnswerText, kind: QuestionKind, rubric: Rubric | None = None) -> list[str]:
    """The red flags the answer shows: the built-in ones, then the rubric's (by its cues), without duplicates."""
    text = answer.text.replace("’", "'")
    found: list[str] = []
    if _BLAME.search(text):
        found.append(FLAG_BLAME)
    if _BAD_MOUTH.search(text):
        found.append(FLAG_BAD_MOUTH)
    if _NO_MISTAKES.search(text):
        found.append(FLAG_NO_MISTAKES)
    if _DISGUISED.search(text) and not _MITIGATION.search(text) and (
            kind is QuestionKind.MOTIVATION or "weakness" in answer.question.lower()):
        found.append(FLAG_DISGUISED)
    if kind in (QuestionKind.BEHAVIOURAL, QuestionKind.SITUATIONAL) and answer.we_count >= 3 and not re.search(
            r"\bi\b", text, re.I):
        found.append(FLAG_WE_NOT_I)
    if _DISHONEST.search(text):
        found.append(FLAG_DISHONEST)
    if _BELITTLE.search(text):
        found.append(FLAG_BELITTLE)
    if kind is not QuestionKind.TECHNICAL and _PRESSURE.search(text):
        found.append(FLAG_PRESSURE)
    if kind is QuestionKind.TECHNICAL and _unreasoned_absolutes(text):
        found.append(FLAG_ABSOLUTES)
    sentences = None
    # a word inside a compound names a thing, not a person ("lazy-loaded sections" calls nobody lazy)
    flag_text = _HYPHENATED.sub(lambda m: m.group(0).replace("-", ""), text)
    for flag in rubric.red_flags if rubric else ():
        cues = [_HYPHENATED.sub(lambda m: m.group(0).replace("-", ""), c) for c in flag.cues]
        if any(_same_flag(flag.text, f) for f in found) or not cues or not StemmedText(flag_text).hits(cues):
            continue
        sentences = sentences or [StemmedText(s) for s in re.split(r"(?<=[.!?;])\s+", flag_text) if s.strip()]
        if any(_affirmed(s, cues) for s in sentences):
            found.append(flag.text)
    return found


def _unreasoned_absolutes(text: str) -> bool:
    """Three claims of certainty with no reason given, two denials that there is any cost, or four of any kind. An
    absolute said with its reason is reasoning; "it costs nothing" never is."""
    bare = no_cost = total = 0
    for sentence in re.split(r"(?<=[.!?;])\s+", text):
        for claim in _ABSOLUTE.findall(sentence):
            total += 1
            if _NO_COST.search(claim):
                no_cost += 1
            elif not _REASON.search(sentence):
                bare += 1
    return bare + no_cost >= 3 or no_cost >= 2 or total >= 4  # four or more is asserting, whatever the reasons


_NO_COST = re.compile(r"downside|drawback|risk|cost|doesn't matter|solves everything", re.I)
_HYPHENATED = re.compile(r"[a-z]+(?:-[a-z]+)+", re.I)
_REASON = re.compile(r"\b(?:because|since|so|therefore|which means|that means|that's why|the reason|as long as|"
                     r"unless|otherwise|as a result)\b", re.I)


def _affirmed(sentence: StemmedText, cues: list[str], negation: re.Pattern[str] = _NEGATION) -> bool:
    """A cue said as a claim, not denied ("I never blamed anyone", "instead of fixing it myself" do not count)."""
    for cue in sentence.hits(cues):
        first = tokens(cue.rstrip("*"))[:1]
        if not first:
            return True
        target = stem(first[0])
        prefix = cue.endswith("*") and len(tokens(cue)) == 1
        for index, (word, word_stem) in enumerate(zip(sentence.words, sentence.stems, strict=True)):
            if word_stem == target or (prefix and word.startswith(first[0])):
                window = " ".join(sentence.words[max(0, index - 4): index])
                if not negation.search(window):
                    return True
    return False


def _same_flag(rubric_text: str, builtin: str) -> bool:
    keys = {FLAG_BLAME: ("blame",), FLAG_BAD_MOUTH: ("employer", "bad-mouth", "badly", "former"),
            FLAG_NO_MISTAKES: ("no weakness", "never", "mistake"), FLAG_DISGUISED: ("disguised", "strength"),
            FLAG_WE_NOT_I: ('"we"', "we "), FLAG_ABSOLUTES: ("absolute",), FLAG_BELITTLE: ("belittl",),
            FLAG_DISHONEST: ("mislead", "hides", "hiding", "dishonest", "lie"),
            FLAG_PRESSURE: ("guilt", "threat", "pressur", "manipulat")}
    low = rubric_text.lower()
    return any(k in low for k in keys.get(builtin, ()))
