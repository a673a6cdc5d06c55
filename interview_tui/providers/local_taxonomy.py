"""The skills taxonomy and question bank shipped in `data/`, loaded once, with a fast skill matcher."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

from interview_tui.domain.errors import ProviderError
from interview_tui.resources import data_path

_WORD_START = re.compile(r"(?<![\w+#.&-])[\w.#]")
_RIGHT = r"(?![\w+#]|\.\w)"
_SHORT_RIGHT = r"(?![\w+#&'’-]|\.\w)"


@dataclass(frozen=True)
class Skill:
    name: str
    aliases: tuple[str, ...]
    exact: tuple[str, ...]
    tracks: tuple[str, ...]
    category: str

    @property
    def soft(self) -> bool:
        return self.category == "soft"

    def variants(self) -> list[str]:
        """Every form that names this skill (for coverage checks in answers)."""
        return [self.name, *self.aliases, *self.exact]


@dataclass(frozen=True)
class SkillHit:
    skill: Skill
    count: int
    first: int


def _variant_regex(forms: list[str], *, case_sensitive: bool) -> re.Pattern[str]:
    """One alternation (longest first), one capturing group per form, anchored by `match` at a word start."""
    parts = []
    for form in forms:
        body = re.escape(form).replace(r"\ ", r"[\s-]+")
        parts.append("(" + body + (_SHORT_RIGHT if len(form) <= 2 else _RIGHT) + ")")
    return re.compile("|".join(parts), 0 if case_sensitive else re.I)


class _Matcher:
    """Forms grouped by first character, so each word start only tries the forms that can match there."""

    def __init__(self, pairs: list[tuple[str, Skill]], *, case_sensitive: bool) -> None:
        self.case_sensitive = case_sensitive
        by_char: dict[str, dict[str, Skill]] = {}
        for form, skill in pairs:
            key = form[0] if case_sensitive else form[0].lower()
            by_char.setdefault(key, {})[form if case_sensitive else form.lower()] = skill
        self.table: dict[str, tuple[re.Pattern[str], list[Skill]]] = {}
        for key, forms in by_char.items():
            ordered = sorted(forms.items(), key=lambda kv: (-len(kv[0]), kv[0]))
            self.table[key] = (_variant_regex([f for f, _ in ordered], case_sensitive=case_sensitive),
                               [s for _, s in ordered])

    def scan(self, text: str, starts: list[int]) -> Iterable[tuple[int, int, Skill]]:
        for pos in starts:
            ch = text[pos] if self.case_sensitive else text[pos].lower()
            entry = self.table.get(ch)
            if entry is None:
                continue
            m = entry[0].match(text, pos)
            if m and m.lastindex:
                yield pos, m.end(), entry[1][m.lastindex - 1]


class Taxonomy:
    """Canonical skills with aliases and track hints, plus role-title phrases per track."""

    def __init__(self, doc: dict[str, Any]) -> None:
        self.version = int(doc.get("version", 0))
        self.skills: dict[str, Skill] = {}
        for name, entry in doc["skills"].items():
            self.skills[name] = Skill(
                name=name,
                aliases=tuple(entry.get("aliases", ())),
                exact=tuple(entry.get("exact", ())),
                tracks=tuple(entry.get("tracks", ())),
                category=entry.get("category", ""),
            )
        self.track_titles: dict[str, tuple[str, ...]] = {k: tuple(v) for k, v in doc["tracks"].items()}
        self.track_patterns: dict[str, list[tuple[str, re.Pattern[str]]]] = {
            track: [(p.lower(), re.compile(r"(?<![\w-])" + re.escape(p) + r"(?![\w-])", re.I)) for p in phrases]
            for track, phrases in self.track_titles.items()
        }
        loose: list[tuple[str, Skill]] = []
        strict: list[tuple[str, Skill]] = []
        for skill in self.skills.values():
            if skill.name not in skill.exact:
                loose.append((skill.name, skill))
            loose.extend((a, skill) for a in skill.aliases)
            strict.extend((e, skill) for e in skill.exact)
        self._matchers = (_Matcher(loose, case_sensitive=False), _Matcher(strict, case_sensitive=True))

    def find_skills(self, text: str) -> list[SkillHit]:
        """Skills mentioned in `text`, each with its number of mentions and first position."""
        counts: dict[str, list[int]] = {}
        starts = [m.start() for m in _WORD_START.finditer(text)]
        found = sorted((hit for matcher in self._matchers for hit in matcher.scan(text, starts)),
                       key=lambda h: (h[0], -h[1]))
        covered_to = -1
        for pos, end, skill in found:
            if pos < covered_to:
                continue  # inside a longer mention ("testing" in "A/B testing", "Linux" in "embedded Linux")
            covered_to = end
            entry = counts.setdefault(skill.name, [0, pos])
            entry[0] += 1
        return [SkillHit(self.skills[n], c, f) for n, (c, f) in counts.items()]


@dataclass(frozen=True)
class BankQuestion:
    id: str
    stage: str
    kind: str
    skill: str
    text: str
    tracks: tuple[str, ...] = ()
    levels: tuple[str, ...] = ()
    requires_skill: str | None = None


@dataclass(frozen=True)
class QuestionBank:
    version: int
    mix: dict[str, dict[str, int]]
    questions: tuple[BankQuestion, ...]


def _load_json(name: str) -> dict[str, Any]:
    path = data_path(name)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict):
            raise ValueError("not a JSON object")
    except (OSError, ValueError) as err:
        raise ProviderError(f"The offline planner's data file {name} could not be read ({err}). Reinstall "
                            "interview-tui, or use the Gemini planner.", retryable=False) from None
    return data


@cache
def taxonomy() -> Taxonomy:
    return Taxonomy(_load_json("skills.json"))


@cache
def question_bank() -> QuestionBank:
    doc = _load_json("questions.json")
    questions = tuple(
        BankQuestion(
            id=q["id"], stage=q["stage"], kind=q["kind"], skill=q["skill"], text=q["text"],
            tracks=tuple(q.get("tracks", ())), levels=tuple(q.get("levels", ())),
            requires_skill=q.get("requires_skill"),
        )
        for q in doc["questions"]
    )
    return QuestionBank(version=int(doc.get("version", 0)), mix=doc["mix"], questions=questions)
