"""Skill coverage from the candidate's own claims: a skill counts only where the candidate says they used it.

"I built the ingest jobs in Python" claims Python; "the mentee knew Python" or "Python is popular" does not. JD
nice-to-haves and the other members of an "or" group that was covered are never gaps.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from interview_tui.domain.metrics import split_sentences
from interview_tui.domain.models import InterviewPlan, SkillCoverage

_FIRST = {"i", "i've", "i'm", "i'd", "i'll", "me", "my", "myself", "we", "we've", "we're", "we'd", "our", "us"}
_OTHER = {"he", "she", "they", "him", "her", "them", "his", "their", "theirs", "who", "whom", "whose", "mentee",
          "intern", "interns", "colleague", "colleagues", "teammate", "teammates", "someone", "somebody", "people",
          "candidate", "candidates", "manager", "client", "clients", "customer", "customers", "everyone", "nobody",
          "friend", "student", "students", "junior", "contractor", "vendor", "you", "your"}
_NEGATION = re.compile(r"\b(never|not|haven't|didn't|don't|no experience|wish i had)\b", re.I)
_TOKEN = re.compile(r"[a-z]+(?:'[a-z]+)?")


def claimed_in(text: str, find: Callable[[str], list[tuple[int, int]]]) -> bool:
    """Whether some sentence of `text` has the candidate claiming the skill that `find` locates (spans)."""
    if not find(text):
        return False
    for sentence in split_sentences(text.replace("’", "'")):
        for clause in re.split(r"[;:]|\bbut\b|,\s*(?:and|while|whereas)\b", sentence):
            for start, _end in find(clause):
                before = _TOKEN.findall(clause[:start].lower())
                owner = next((w for w in reversed(before) if w in _FIRST or w in _OTHER), None)
                if owner is None:
                    after = _TOKEN.findall(clause[start:].lower())[:8]
                    owner = next((w for w in after if w in _FIRST or w in _OTHER), None)
                if owner in _FIRST and not _NEGATION.search(clause):
                    return True
    return False


def skill_coverage(plan: InterviewPlan, answers: Sequence[tuple[str, str]],
                   finders: dict[str, Callable[[str], list[tuple[int, int]]]]) -> list[SkillCoverage]:
    """Coverage of every detected skill: strong when claimed in two answers (or in the answer to its own
    question), partial when claimed once, none when never claimed — noted as a gap only when the JD requires it."""
    optional = set(plan.optional_skills)
    own_question = {}
    claimed: dict[str, list[str]] = {}
    for qid, text in answers:
        for name in plan.detected_skills:
            finder = finders.get(name)
            if finder is not None and claimed_in(text, finder):
                claimed.setdefault(name, []).append(qid)
    for q in plan.questions:
        own_question[q.skill] = q.id
    result = []
    for name in plan.detected_skills:
        where = claimed.get(name, [])
        alternatives = [g for g in plan.skill_alternatives if name in g]
        covered_alternative = next((o for g in alternatives for o in g if o != name and claimed.get(o)), None)
        if len(where) >= 2 or (where and own_question.get(name) in where):
            result.append(SkillCoverage(skill=name, coverage="strong",
                                        note=f"You said you used it in your answers to {', '.join(where)}."))
        elif where:
            result.append(SkillCoverage(skill=name, coverage="partial",
                                        note=f"Claimed once (answer to {where[0]}); give an example of using it."))
        elif covered_alternative:
            result.append(SkillCoverage(skill=name, coverage="none",
                                        note=f"Not a gap: the job description accepts {covered_alternative} instead, "
                                             "which you covered."))
        elif name in optional:
            result.append(SkillCoverage(skill=name, coverage="none",
                                        note="Not a gap: the job description lists it as nice to have."))
        else:
            result.append(SkillCoverage(skill=name, coverage="none",
                                        note="Required by the job description and not claimed in any answer."))
    return result
