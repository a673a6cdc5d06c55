"""The offline planner: a JD parser over the shipped skills taxonomy and question bank (no network, no keys).

It detects skills (aliases, word boundaries, case rules for short names), the years of experience and seniority
words (→ level), the domain track and the role title, then picks a balanced, non-repeating question set in the
order an interviewer would ask it. The same JD and attempt number always give the same plan; a later attempt at
the same JD (`attempt` > 0) draws a different selection and order from the same relevant core.
"""

from __future__ import annotations

import hashlib
import itertools
import re
from collections import Counter
from dataclasses import dataclass

from interview_tui.domain import rubrics
from interview_tui.domain.models import DomainTrack, ExperienceLevel, InterviewPlan, Question, QuestionKind
from interview_tui.providers.local_taxonomy import BankQuestion, SkillHit, question_bank, taxonomy

MAX_SKILLS = 25
STAGE_ORDER = ("warmup", "behavioural", "technical", "situational", "closing")
HISTORY_WINDOW = 12
"""A retry avoids the questions of up to this many attempts before it (older ones are not replayed: bounded cost)."""
CORE_EXTRA_SKILLS = 2
"""Skill-specific technical questions rotate over the JD's most prominent skills: the slots plus this many."""

# Tracks whose questions also suit a neighbouring track (a full-stack role gets back-end and front-end ones).
RELATED_TRACKS: dict[str, tuple[str, ...]] = {
    "fullstack": ("backend", "frontend"),
    "data-engineering": ("backend",),
    "ml": ("data-analysis",),
    "devops": ("backend",),
    "qa": (),
    "engineering-management": (),
}

_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
                 "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15}
_NUM = r"(\d{1,2}|" + "|".join(_NUMBER_WORDS) + r")"
_YEARS = re.compile(
    _NUM + r"\s*\+?\s*(?:(?:-|–|to)\s*" + _NUM + r"\s*)?\+?\s*(?:plus\s+)?(?:years?|yrs?)\b(?=(?P<tail>[^.\n;]{0,60}))",
    re.I,
)
_YEARS_CONTEXT = re.compile(r"experience|professional|industry|working|hands-on|building|developing|in a|as a",
                            re.I)

# Seniority words, strongest first. Checked in the title first, then in the body.
_LEVEL_WORDS: list[tuple[ExperienceLevel, re.Pattern[str]]] = [
    (ExperienceLevel.INTERN, re.compile(r"\b(intern|internship|working student|placement year|co-op)\b", re.I)),
    (ExperienceLevel.PRINCIPAL, re.compile(r"\b(principal|distinguished|fellow|vp|vice president|director|"
                                           r"head of|chief)\b", re.I)),
    (ExperienceLevel.STAFF, re.compile(r"\b(staff|senior manager|lead architect|architect)\b", re.I)),
    (ExperienceLevel.SENIOR, re.compile(r"\b(senior|sr\.?|lead|expert)\b", re.I)),
    (ExperienceLevel.JUNIOR, re.compile(r"\b(junior|jr\.?|graduate|grad|entry[- ]level|new grad|associate|"
                                        r"apprentice|trainee)\b", re.I)),
    (ExperienceLevel.MID, re.compile(r"\b(mid[- ]level|intermediate|mid-senior|engineer ii|developer ii)\b",
                                     re.I)),
]
_BODY_LEVEL = re.compile(r"\b(entry[- ]level|new grads?|recent graduates?|no experience required|internship|"
                         r"senior|staff|principal)\b", re.I)

_TITLE_LABEL = re.compile(r"^\s*(?:job title|title|position|role)\s*[:\-–]\s*(.{3,100})$", re.I | re.M)
_TITLE_NOUNS = re.compile(
    r"\b(engineer|developer|manager|designer|analyst|scientist|specialist|representative|executive|consultant|"
    r"architect|lead|administrator|tester|intern|writer|marketer|strategist|agent|owner|associate|director|"
    r"head|officer|coordinator|programmer|researcher|sdet|sre|devops|advocate)s?\b", re.I)
_LOOKING_FOR = re.compile(
    r"(?:looking for|hiring|seeking|searching for|join us as)\s+(?:an?|our|the)?\s*(?:next\s+|new\s+)?"
    r"([A-Z][\w+#./-]*(?:[ /-][\w+#./()-]+){0,6}?)\s*(?=\bto\b|\bwho\b|\bwith\b|\bthat\b|[,.!;:(\n]|$)",
)


@dataclass(frozen=True)
class JdAnalysis:
    """What the planner read from the JD (exposed for tests, the `plan` CLI and benchmarks)."""

    role_title: str
    skills: list[SkillHit]
    years: int | None
    level: ExperienceLevel
    track: DomainTrack
    track_scores: dict[str, float]


def _num(token: str | None) -> int | None:
    if token is None:
        return None
    return int(token) if token.isdigit() else _NUMBER_WORDS.get(token.lower())


def find_years(text: str) -> int | None:
    """The years of experience the JD asks for: the largest lower bound of "N+ years … experience" phrases."""
    found: list[int] = []
    loose: list[int] = []
    for m in _YEARS.finditer(text):
        low = _num(m.group(1))
        if low is None or low > 25:
            continue
        before = text[max(0, m.start() - 40): m.start()]
        tail = m.group("tail")
        if re.match(r"\s*(ago|old|of history|in business|running)\b", tail, re.I) or "founded" in before[-12:].lower():
            continue
        if _YEARS_CONTEXT.search(tail) or re.search(r"experience|minimum|at least", before, re.I):
            found.append(low)
        else:
            loose.append(low)
    pool = found or loose
    return max(pool) if pool else None


def find_role_title(text: str) -> str:
    """The role's title: a labelled title, else a short first line naming a role, else "looking for a …"."""
    m = _TITLE_LABEL.search(text)
    if m:
        return _tidy_title(m.group(1))
    for line in text.splitlines()[:5]:
        line = line.strip().strip("#*•-–— ").strip()
        if not line:
            continue
        if len(line) <= 90 and len(line.split()) <= 10 and _TITLE_NOUNS.search(line) and not line.endswith("."):
            return _tidy_title(line)
        break
    m = _LOOKING_FOR.search(text)
    if m and _TITLE_NOUNS.search(m.group(1)):
        return _tidy_title(m.group(1))
    return ""


def _tidy_title(title: str) -> str:
    title = re.split(r"\s+[|–—]\s+|\s+-\s+|\s+at\s+[A-Z]", title)[0]
    title = re.sub(r"\s+", " ", title).strip(" ,.:;-")
    return title[:120]


def find_level(title: str, text: str, years: int | None) -> ExperienceLevel:
    """Seniority words in the title win; then years of experience; then seniority words in the body."""
    for level, pattern in _LEVEL_WORDS:
        if title and pattern.search(title):
            return level
    if title and re.search(r"\bmanager\b", title, re.I):
        # "Manager" spans levels: an engineering manager is usually senior, a marketing manager often mid.
        if years is None:
            return ExperienceLevel.SENIOR
        return ExperienceLevel.STAFF if years >= 10 else ExperienceLevel.SENIOR if years >= 5 else ExperienceLevel.MID
    if years is not None:
        if years <= 1:
            return ExperienceLevel.JUNIOR
        if years <= 4:
            return ExperienceLevel.MID
        if years <= 9:
            return ExperienceLevel.SENIOR
        return ExperienceLevel.STAFF
    words = [w.lower() for w in _BODY_LEVEL.findall(text)]
    if any(w.startswith(("entry", "new grad", "recent grad", "no experience")) for w in words):
        return ExperienceLevel.JUNIOR
    if "internship" in words:
        return ExperienceLevel.INTERN
    for word, level in (("principal", ExperienceLevel.PRINCIPAL), ("staff", ExperienceLevel.STAFF),
                        ("senior", ExperienceLevel.SENIOR)):
        if word in words:
            return level
    return ExperienceLevel.MID


def score_tracks(title: str, text: str, hits: list[SkillHit]) -> dict[str, float]:
    """Votes per track: role-title phrases in the title (strong) and body, plus the detected skills' hints."""
    tax = taxonomy()
    scores: dict[str, float] = {t: 0.0 for t in tax.track_titles}
    lower_title, lower_text = title.lower(), text.lower()
    for track, patterns in tax.track_patterns.items():
        for phrase, pattern in patterns:
            if phrase in lower_title and pattern.search(title):
                scores[track] += 10.0 + len(phrase) / 10.0
            if phrase in lower_text:
                scores[track] += sum(1 for _ in itertools.islice(pattern.finditer(text), 3))
    for hit in hits:
        if hit.skill.soft or not hit.skill.tracks:
            continue
        weight = min(3, hit.count) / len(hit.skill.tracks)
        for track in hit.skill.tracks:
            if track in scores:
                scores[track] += weight
    return scores


def pick_track(title: str, scores: dict[str, float]) -> DomainTrack:
    best = max(scores, key=lambda t: (scores[t], -list(scores).index(t)))
    if scores[best] < 2.0:
        return DomainTrack.GENERAL
    title_says_stack = bool(re.search(r"full[- ]?stack", title, re.I))
    if not title_says_stack and best in ("backend", "frontend") and scores[best] < 10:
        other = scores["frontend" if best == "backend" else "backend"]
        if other >= 0.6 * scores[best] and other >= 3:
            return DomainTrack.FULLSTACK
    return DomainTrack(best)


def analyse_jd(jd_text: str) -> JdAnalysis:
    """Read the JD: title, skills, years, level, track."""
    tax = taxonomy()
    title = find_role_title(jd_text)
    hits = tax.find_skills(jd_text)
    hits.sort(key=lambda h: (h.skill.soft, -min(h.count, 5), h.first))
    years = find_years(jd_text)
    level = find_level(title, jd_text, years)
    scores = score_tracks(title, jd_text, hits)
    return JdAnalysis(title, hits[:MAX_SKILLS], years, level, pick_track(title, scores), scores)


_OPTIONAL_HEADING = re.compile(r"\b(nice[- ]to[- ]haves?|bonus(?: points)?|preferred|desirable|pluses|a plus|"
                               r"optional|good to have|extra credit|would be great)\b", re.I)
_REQUIRED_HEADING = re.compile(r"\b(requirements?|required|must[- ]haves?|qualifications|responsibilities|what you|"
                               r"about (?:you|the role|us)|benefits|you will|you'll|we offer|skills|the role|"
                               r"who you are|your profile)\b", re.I)
_OPTIONAL_INLINE = re.compile(r"\b(nice[- ]to[- ]have|(?:is|are|would be) a (?:plus|bonus)|a plus|bonus|preferred|"
                              r"ideally|not required|optional|desirable)\b", re.I)
_ALTERNATIVE_GAP = re.compile(r"[\w+#.\- ]{0,30}?\s*(/|,\s*or\b|\bor\b|,)\s*", re.I)


def skill_requirements(jd_text: str, skills: list[str]) -> tuple[list[str], list[list[str]]]:
    """Which detected skills the JD lists only as nice-to-have, and which it offers as alternatives.

    A skill is optional when every line naming it is under a nice-to-have heading or says "a plus", "preferred",
    "ideally"…; skills joined by "or" or "/" on one line ("Python, Go or Rust", "AWS/GCP") are one group.
    """
    wanted = set(skills)
    required: set[str] = set()
    optional: set[str] = set()
    groups: list[list[str]] = []
    in_optional = False
    for raw in jd_text.splitlines():
        line = raw.strip()
        if not line:
            continue
        words = len(line.split())
        heading = words <= 8 and (line.endswith(":") or not re.search(r"[.,;]", line))
        if heading and _OPTIONAL_HEADING.search(line):
            in_optional = True
            continue
        if heading and _REQUIRED_HEADING.search(line):
            in_optional = False
            continue
        for clause in re.split(r"(?<=[.;!?])\s+|;\s*", line):
            _read_clause(clause, in_optional, wanted, required, optional, groups)
    only_optional = [name for name in skills if name in optional and name not in required]
    unique_groups = [list(dict.fromkeys(g)) for g in groups]
    return only_optional, [g for g in unique_groups if len(g) >= 2][:20]


def _read_clause(clause: str, in_optional: bool, wanted: set[str], required: set[str], optional: set[str],
                 groups: list[list[str]]) -> None:
    hits = sorted((h for h in taxonomy().find_skills(clause) if h.skill.name in wanted), key=lambda h: h.first)
    clause_optional = in_optional or bool(_OPTIONAL_INLINE.search(clause))
    for h in hits:
        (optional if clause_optional else required).add(h.skill.name)
    chain: list[str] = []
    has_or = False
    for a, b in [*itertools.pairwise(hits), (None, None)]:
        gap = _ALTERNATIVE_GAP.fullmatch(clause[a.first:b.first]) if a is not None and b is not None else None
        if gap is None or a is None or b is None:
            if has_or and len(chain) >= 2:
                groups.append(chain)
            chain, has_or = [], False
            continue
        chain = chain or [a.skill.name]
        chain.append(b.skill.name)
        has_or = has_or or gap.group(1).strip(" ,").lower() in ("or", "/")


class LocalPlanner:
    """Planner protocol implementation that runs entirely offline."""

    name = "local"

    def plan(self, jd_text: str, attempt: int = 0) -> InterviewPlan:
        """The plan for `jd_text`; `attempt` is how many earlier sessions had this JD (0: the first time)."""
        info = analyse_jd(jd_text)
        picked = select_questions(info, seed=hashlib.sha256(jd_text.encode("utf-8")).hexdigest(), attempt=attempt)
        questions = [_plan_question(f"q{i}", q, info.role_title) for i, q in enumerate(picked, start=1)]
        detected = [h.skill.name for h in info.skills]
        optional, alternatives = skill_requirements(jd_text, detected)
        return InterviewPlan(
            questions=questions,
            detected_skills=detected,
            optional_skills=optional,
            skill_alternatives=alternatives,
            experience_level=info.level,
            domain_track=info.track,
            role_title=info.role_title,
            engine=self.name,
        )


def _plan_question(qid: str, q: BankQuestion, role_title: str) -> Question:
    """A bank question as a plan question, with its rubric and its kind corrected where the bank's stage-based
    kind is wrong (a warm-up "tell me about yourself" is a motivation question, not a behavioural one)."""
    lib = rubrics.library()
    text = _fill_role(q.text, role_title)
    kind = lib.bank_kinds.get(q.id) or QuestionKind(q.kind)
    qtype = lib.match_type(text)
    if q.id not in lib.bank_kinds and q.stage in ("warmup", "closing") and rubrics.classify_kind(text) is (
            QuestionKind.MOTIVATION):
        kind = QuestionKind.MOTIVATION
    rubric = lib.bank.get(q.id) or (qtype.rubric if qtype is not None and qtype.kind is kind else None)
    return Question(id=qid, text=text, kind=kind, skill=q.skill[:80], rubric=rubric)


def _fill_role(text: str, title: str) -> str:
    if title:
        return text.replace("{role}", title)
    return re.sub(r"\s*\{role\}", "", text)


def _rank(seed: str, qid: str) -> str:
    return hashlib.sha256((seed + qid).encode()).hexdigest()


def select_questions(info: JdAnalysis, *, seed: str, attempt: int = 0) -> list[BankQuestion]:
    """A balanced, non-repeating question set for a 15-minute interview, in interview order.

    Attempt 0 is the JD's first plan. Each later attempt replays the attempts before it (at most `HISTORY_WINDOW`)
    and prefers the questions and skills they used least, within the same relevance classes (track, detected
    skills, level), then orders the middle of the interview differently; warm-up first and closing last stay.
    """
    attempt = max(0, attempt)
    asked: Counter[str] = Counter()
    skills_asked: Counter[str] = Counter()
    chosen: list[BankQuestion] = []
    for a in range(max(0, attempt - HISTORY_WINDOW), attempt + 1):
        chosen = _select_once(info, seed if a == 0 else f"{seed}:{a}", asked, skills_asked)
        asked.update(q.id for q in chosen)
        skills_asked.update(q.requires_skill for q in chosen if q.requires_skill)
    order = {stage: i for i, stage in enumerate(STAGE_ORDER)}
    if attempt == 0:
        return sorted(chosen, key=lambda q: order[q.stage])
    return _retry_order(chosen, f"{seed}:{attempt}:order")


def _retry_order(chosen: list[BankQuestion], seed: str) -> list[BankQuestion]:
    """A retry's order: the warm-up first; behavioural and technical questions interleaved in a seeded order;
    then the situational ones (seeded order) and the closing question last."""
    def stage(*names: str) -> list[BankQuestion]:
        return [q for q in chosen if q.stage in names]

    def shuffled(qs: list[BankQuestion]) -> list[BankQuestion]:
        return sorted(qs, key=lambda q: _rank(seed, q.id))

    return [*stage("warmup"), *shuffled(stage("behavioural", "technical")), *shuffled(stage("situational")),
            *stage("closing")]


def _select_once(info: JdAnalysis, seed: str, asked: Counter[str], skills_asked: Counter[str]) -> list[BankQuestion]:
    """One attempt's questions in the order chosen; `asked`/`skills_asked` count earlier attempts' use (empty for
    the first attempt, where the order of preference is the JD's alone)."""
    bank = question_bank()
    track = info.track.value
    mix = bank.mix.get(track, bank.mix["default"])
    related = RELATED_TRACKS.get(track, ())
    level = info.level.value
    detected = [h.skill.name for h in info.skills]
    detected_set = set(detected)
    chosen: list[BankQuestion] = []
    used_skills: set[str] = set()

    def fits(q: BankQuestion) -> bool:
        if q.levels and level not in q.levels:
            return False
        if q.tracks and track not in q.tracks and not set(q.tracks) & set(related):
            return False
        return not (q.requires_skill and q.requires_skill not in detected_set)

    def priority(q: BankQuestion) -> tuple[int, int, int, str]:
        track_rank = 0 if track in q.tracks else 1 if set(q.tracks) & set(related) else 2
        level_rank = 0 if q.levels else 1
        return (track_rank, asked[q.id], level_rank, _rank(seed, q.id))

    def take(stage: str, n: int, candidates: list[BankQuestion]) -> None:
        for q in candidates:
            if n <= 0:
                return
            if q.stage != stage or q in chosen or q.skill in used_skills or not fits(q):
                continue
            chosen.append(q)
            used_skills.add(q.skill)
            n -= 1

    pool = [q for q in bank.questions if fits(q)]
    for stage in STAGE_ORDER:
        n = mix.get(stage, 0)
        if stage != "technical":
            take(stage, n, sorted(pool, key=priority))
            continue
        before = len(chosen)
        # Skill-specific questions for the most prominent detected skills that belong to this track first,
        # keeping one slot for a track-level question when there are three or more technical slots.
        skill_slots = n - 1 if n >= 3 else n
        relevant = [s for s in detected if _skill_fits_track(s, track, related)] or detected
        for skill in _skill_rotation(relevant, skill_slots, pool, skills_asked):
            if len(chosen) - before >= skill_slots:
                break
            options = sorted((q for q in pool if q.requires_skill == skill), key=lambda q: (asked[q.id],
                                                                                             _rank(seed, q.id)))
            take("technical", 1, options)
        remaining = n - (len(chosen) - before)
        track_qs = sorted((q for q in pool if not q.requires_skill),
                          key=lambda q: (q.skill not in detected_set, *priority(q)))
        take("technical", remaining, track_qs)
        remaining = n - (len(chosen) - before)
        take("technical", remaining, sorted(pool, key=lambda q: (asked[q.id], _rank(seed, q.id))))
    return chosen


def _skill_rotation(relevant: list[str], slots: int, pool: list[BankQuestion], skills_asked: Counter[str]) -> list[str]:
    """The detected skills to ask about, in order of preference: by prominence on a first attempt; on a retry the
    core (the most prominent skills that have questions: the slots plus `CORE_EXTRA_SKILLS`) least-asked first."""
    if not skills_asked:
        return relevant
    with_questions = {q.requires_skill for q in pool if q.requires_skill}
    core = [s for s in relevant if s in with_questions][:slots + CORE_EXTRA_SKILLS]
    rotated = sorted(core, key=lambda s: (skills_asked[s], core.index(s)))
    return rotated + [s for s in relevant if s not in core]


def _skill_fits_track(skill: str, track: str, related: tuple[str, ...]) -> bool:
    s = taxonomy().skills.get(skill)
    if s is None or s.soft:
        return False
    return track in s.tracks or bool(set(s.tracks) & set(related)) or track in ("general",)
