"""The shipped rubric data (data/rubrics/*.json) and the feedback evaluation set (bench/data/feedback_eval.json).

Each check collects every problem and names the offending id, so a failure says what to fix.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from interview_tui.domain.models import QuestionKind, Rubric
from interview_tui.domain.rubrics import RubricLibrary, load_library
from tests.paths import ROOT

RUBRICS = ROOT / "data" / "rubrics"
QUESTIONS = ROOT / "data" / "questions.json"
EVAL = ROOT / "bench" / "data" / "feedback_eval.json"

KINDS = {k.value for k in QuestionKind}
JUNK_LABELS = {"gibberish", "placeholder", "off_topic", "stuffing", "star_stuffing", "keyword_stuffing", "one_word",
               "dont_know", "repetitive", "empty"}


def _load(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _library() -> RubricLibrary:
    return load_library(RUBRICS)


def _bank_files() -> list[Path]:
    return sorted(RUBRICS.glob("bank-*.json"))


def _words(text: str) -> int:
    return len(re.findall(r"[\w'$%.,:-]+", text))


def rubric_problems(where: str, raw: Any) -> list[str]:
    """What is wrong with one rubric (empty when it is fine). `where` names it in each message."""
    try:
        rubric = Rubric.model_validate(raw)
    except ValidationError as err:
        return [f"{where}: not a valid Rubric ({err.error_count()} error(s))"]
    problems = []
    if not 3 <= len(rubric.talking_points) <= 5:
        problems.append(f"{where}: {len(rubric.talking_points)} talking points (want 3-5)")
    if len(rubric.red_flags) > 6:
        problems.append(f"{where}: {len(rubric.red_flags)} red flags (want at most 6)")
    if not rubric.level_notes.strip():
        problems.append(f"{where}: no level_notes")
    seen: set[str] = set()
    for point in rubric.talking_points:
        if len(point.cues) < 2:
            problems.append(f"{where}: talking point {point.text[:40]!r} has {len(point.cues)} cue(s) (want >= 2)")
    for item in [*rubric.talking_points, *rubric.red_flags]:
        for cue in item.cues:
            if cue != cue.lower() or cue != cue.strip() or not cue.strip("* "):
                problems.append(f"{where}: cue {cue!r} is not a lowercase, trimmed word or phrase")
            if "*" in cue[:-1] or (cue.endswith("*") and "'" in cue):
                problems.append(f"{where}: cue {cue!r} has '*' before its end or an apostrophe in a prefix")
            if cue in seen:
                problems.append(f"{where}: cue {cue!r} appears twice")
            seen.add(cue)
    return problems


# ------------------------------------------------------------------------------------------------ rubric files


@pytest.mark.parametrize("path", sorted(RUBRICS.glob("*.json")), ids=lambda p: p.name)
def test_rubric_file_is_tidy_json(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    doc = json.loads(text)
    assert doc.get("version") == 1, f"{path.name}: version must be 1"
    assert not re.search(r"[ \t]+\n", text), f"{path.name}: trailing spaces"
    assert text == json.dumps(doc, indent=1, ensure_ascii=False) + "\n", f"{path.name}: not 1-space indented JSON"


def test_generic_rubric_for_every_kind_and_valid_types() -> None:
    doc = _load(RUBRICS / "generic.json")
    assert set(doc["kinds"]) == KINDS
    problems = [p for kind, raw in doc["kinds"].items() for p in rubric_problems(f"generic kinds.{kind}", raw)]
    ids = [t.get("id") for t in doc["types"]]
    problems += [f"generic types: id {i!r} appears twice" for i in set(ids) if ids.count(i) > 1]
    for qtype in doc["types"]:
        where = f"generic type {qtype.get('id')}"
        if qtype.get("kind") not in KINDS:
            problems.append(f"{where}: kind {qtype.get('kind')!r}")
        match = qtype.get("match", [])
        if not match or any(not m.strip() or m != m.lower() or "*" in m for m in match):
            problems.append(f"{where}: match phrases must be non-empty, lowercase, without '*'")
        problems += rubric_problems(where, qtype.get("rubric"))
    assert not problems, "\n".join(problems)


def test_every_bank_question_has_exactly_one_rubric() -> None:
    question_ids = [q["id"] for q in _load(QUESTIONS)["questions"]]
    found: dict[str, list[str]] = {}
    for path in _bank_files():
        for qid in _load(path)["rubrics"]:
            found.setdefault(qid, []).append(path.name)
    missing = [qid for qid in question_ids if qid not in found]
    unknown = sorted(set(found) - set(question_ids))
    twice = {qid: files for qid, files in found.items() if len(files) > 1}
    assert not missing, f"bank questions with no rubric: {missing}"
    assert not unknown, f"rubrics for ids not in data/questions.json: {unknown}"
    assert not twice, f"questions with more than one rubric: {twice}"


def test_bank_rubrics_meet_the_authoring_rules() -> None:
    problems = []
    for path in _bank_files():
        for qid, raw in _load(path)["rubrics"].items():
            problems += rubric_problems(f"{path.name} {qid}", raw)
    assert not problems, "\n".join(problems)


def test_kind_corrections_point_at_bank_questions_and_real_kinds() -> None:
    bank = {q["id"]: q for q in _load(QUESTIONS)["questions"]}
    corrections = {qid: kind for path in _bank_files() for qid, kind in _load(path).get("kinds", {}).items()}
    assert {qid: k for qid, k in corrections.items() if qid not in bank or k not in KINDS} == {}
    # the warm-up and closing questions about the candidate are motivation questions
    about_candidate = [qid for qid, q in bank.items() if q["stage"] in ("warmup", "closing")]
    assert about_candidate and all(corrections.get(qid) == "motivation" for qid in about_candidate), (
        [qid for qid in about_candidate if corrections.get(qid) != "motivation"])


def test_the_loader_reads_all_of_it() -> None:
    library = _library()
    count = len(_load(QUESTIONS)["questions"])
    assert len(library.bank) == count, f"the loader read {len(library.bank)} bank rubrics, want {count}"
    assert set(library.kinds) == set(QuestionKind)


@pytest.mark.parametrize(("question", "expected"), [
    ("So, tell me a little about yourself.", "tell_me_about_yourself"),
    ("What would you say are your greatest weaknesses?", "greatest_weakness"),
    ("Why did you leave your last job?", "why_leaving"),
    ("What attracts you to this company?", "why_company_role"),
    ("Where do you see yourself in five years?", "where_in_future"),
    ("What are your salary expectations?", "salary_expectations"),
    ("Tell me about a time you failed.", "failure_mistake"),
    ("Tell me about a conflict with a coworker.", "conflict_colleague"),
    ("Describe a time you received critical feedback.", "feedback_criticism"),
    ("Walk me through how you handled a production incident.", "production_incident"),
    ("How would you design a URL shortener?", "system_design"),
    ("What motivates you?", "what_motivates_you"),
    ("Can you walk me through the gap in your resume?", "employment_gap"),
    ("How does a hash map work?", "hash_map"),
    ("What is the difference between a process and a thread?", "process_vs_thread"),
    ("How would you explain the CAP theorem?", "cap_theorem"),
    ("Which sorting algorithm would you pick for this?", None),
    # technical questions must not be taken for behavioural types (they would be graded on STAR)
    ("How would you plan a stress test for the checkout service?", None),
    ("What mistakes do teams make when implementing OAuth?", None),
    ("How do you build and maintain a design system that engineers use?", None),
    ("A page feels slow on mobile. What would you fix first?", None),
])
def test_well_known_questions_find_their_type(question: str, expected: str | None) -> None:
    found = _library().match_type(question)
    assert (found.id if found else None) == expected


def test_the_checker_names_what_is_wrong() -> None:
    broken = {"talking_points": [{"text": "Only point", "cues": ["Reduced"]},
                                 {"text": "Second", "cues": ["reduced", "optimi*sed"]}],
              "red_flags": [{"text": "Flag", "cues": ["reduced"]}]}
    problems = rubric_problems("bank-x.json q-1", broken)
    assert all(p.startswith("bank-x.json q-1: ") for p in problems)
    joined = "\n".join(problems)
    for expected in ("2 talking points", "has 1 cue(s)", "'Reduced' is not a lowercase", "'optimi*sed' has '*'",
                     "'reduced' appears twice", "no level_notes"):
        assert expected in joined
    assert rubric_problems("q", {"talking_points": []}) == ["q: not a valid Rubric (1 error(s))"]


# ------------------------------------------------------------------------------------------- evaluation set


def test_eval_pairs_cover_every_kind_with_reasons() -> None:
    pairs = _load(EVAL)["pairs"]
    problems = []
    ids = [p["id"] for p in pairs]
    problems += [f"pair id {i!r} appears twice" for i in set(ids) if ids.count(i) > 1]
    for pair in pairs:
        where = f"pair {pair['id']}"
        if pair.get("kind") not in KINDS:
            problems.append(f"{where}: kind {pair.get('kind')!r}")
        if not pair.get("reason", "").strip() or "\n" in pair.get("reason", ""):
            problems.append(f"{where}: needs a one-line reason")
        if not pair.get("question", "").strip() or not pair.get("level"):
            problems.append(f"{where}: needs a question and a level")
        if pair["stronger"].strip() == pair["weaker"].strip():
            problems.append(f"{where}: stronger and weaker are the same text")
        for side in ("stronger", "weaker"):
            if not 40 <= _words(pair[side]) <= 250:
                problems.append(f"{where}: {side} has {_words(pair[side])} words (want 40-250)")
    assert not problems, "\n".join(problems)
    assert len(pairs) >= 48
    per_kind = {kind: sum(p["kind"] == kind for p in pairs) for kind in KINDS}
    assert min(per_kind.values()) >= 10, per_kind


def test_eval_pairs_do_not_reward_length() -> None:
    pairs = _load(EVAL)["pairs"]
    longer_weaker = [p["id"] for p in pairs if _words(p["weaker"]) >= _words(p["stronger"])]
    assert len(longer_weaker) >= 0.4 * len(pairs), f"only {len(longer_weaker)} of {len(pairs)} weaker answers are long"
    assert any(_words(p["stronger"]) <= 60 for p in pairs), "no crisp, short stronger answer"


def test_eval_junk_is_labelled() -> None:
    junk = _load(EVAL)["junk"]
    bad = [j["id"] for j in junk if j.get("junk") not in JUNK_LABELS or j.get("kind") not in KINDS
           or not j.get("question", "").strip() or "answer" not in j]
    assert not bad, f"junk items with a bad label, kind or question: {bad}"
    assert len(junk) >= 24
    assert len({j["junk"] for j in junk}) >= 8, "junk should span most non-answer kinds"


def test_eval_sessions_are_complete_and_partial_transcripts() -> None:
    sessions = _load(EVAL)["sessions"]
    assert len(sessions) >= 2
    problems = []

    def check(where: str, transcript: dict, answered: int, asked: int) -> None:
        turns = transcript["turns"]
        roles = [t["role"] for t in turns]
        if set(roles) - {"interviewer", "candidate"}:
            problems.append(f"{where}: unknown role")
        if roles.count("interviewer") != asked or roles.count("candidate") != answered:
            problems.append(f"{where}: {roles.count('interviewer')} asked / {roles.count('candidate')} answered, "
                            f"want {asked} / {answered}")
        times = [t["t"] for t in turns]
        if times != sorted(times) or any(t["end_t"] < t["t"] or not t["text"].strip() for t in turns):
            problems.append(f"{where}: times out of order or an empty turn")

    for session in sessions:
        if session.get("expected") != "partial < complete":
            problems.append(f"{session['id']}: expected must be 'partial < complete'")
        check(session["id"], session["complete"], 5, 5)
        answered = set()
        for partial in session["partials"]:
            check(partial["id"], partial["transcript"], partial["answered"], partial["asked"])
            answered.add(partial["answered"])
        if not {1, 3} <= answered:
            problems.append(f"{session['id']}: needs partial versions with 1 and 3 of 5 answered")
    assert not problems, "\n".join(problems)
