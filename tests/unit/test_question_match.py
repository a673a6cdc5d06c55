"""Matching interviewer turns to planned questions (domain.question_match)."""

from __future__ import annotations

import pytest

from interview_tui.domain.models import Question, QuestionKind, Transcript, Turn
from interview_tui.domain.question_match import (
    MATCH_THRESHOLD,
    best_match,
    is_follow_up,
    looks_like_question,
    segment,
    similarity,
)
from interview_tui.domain.rubrics import library
from interview_tui.voice.interviewer_script import FOLLOW_UPS, FORWARD_FOLLOW_UP, probe


def q(qid: str, text: str, kind: QuestionKind = QuestionKind.BEHAVIOURAL) -> Question:
    return Question(id=qid, text=text, kind=kind, skill="")


PLAN = [
    q("q1", "Tell me a little about yourself and your background.", QuestionKind.MOTIVATION),
    q("q2", "Tell me about a time when you demonstrate leadership without formal authority."),
    q("q3", "What is your greatest weakness?", QuestionKind.MOTIVATION),
    q("q4", "Describe a conflict with a colleague and how you resolved it."),
    q("q5", "How would you design a rate limiter for a public API?", QuestionKind.TECHNICAL),
    q("q6", "Why are you leaving your current job?", QuestionKind.MOTIVATION),
]


@pytest.mark.parametrize(("said", "expected"), [
    ("Can you tell me about a time you demonstrated leadership without having formal authority?", "q2"),
    ("What are your weaknesses?", "q3"),
    ("Thanks, that's helpful. Now, what would you say is your biggest weakness?", "q3"),
    ("Tell me about a disagreement you had with a coworker, and how did you resolve it?", "q4"),
    ("So how would you go about designing rate limiting for a public-facing API?", "q5"),
    ("Why do you want to leave your current job?", "q6"),
    ("Let's start. Could you tell me about yourself and your background?", "q1"),
])
def test_paraphrases_and_word_forms_match_their_planned_question(said: str, expected: str) -> None:
    found = best_match(said, PLAN)
    assert found is not None, said
    assert found[0].id == expected and found[1] >= MATCH_THRESHOLD


@pytest.mark.parametrize("said", [
    "What is your greatest strength?",
    "Tell me about a time you failed.",
    "How would you design a URL shortener?",
    "What do you know about our company?",
])
def test_different_questions_do_not_match(said: str) -> None:
    assert best_match(said, PLAN) is None, [(p.id, similarity(said, p.text)) for p in PLAN]


def test_similarity_prefers_the_question_over_the_small_talk_around_it() -> None:
    plain = similarity("What is your greatest weakness?", PLAN[2].text)
    wrapped = similarity("Great answer, thank you for that. Moving on: what is your greatest weakness?", PLAN[2].text)
    assert plain == 1.0 and wrapped == 1.0
    assert similarity("", PLAN[2].text) == 0.0


def turn(role: str, text: str, t: float) -> Turn:
    return Turn(role="agent" if role == "i" else "user", text=text, t=t)


def test_segment_matches_follow_ups_and_new_questions() -> None:
    transcript = Transcript(turns=[
        turn("c", "Hi, nice to meet you.", 0.0),
        turn("i", "Hello! Could you tell me about yourself?", 2.0),
        turn("c", "I am a backend engineer with six years in payments.", 4.0),
        turn("i", "Thank you.", 20.0),
        turn("c", "And I mentor two juniors.", 21.0),
        turn("i", "What are your weaknesses?", 25.0),
        turn("c", "I take on too much.", 27.0),
        turn("i", "Can you say more about that?", 30.0),
        turn("c", "I now write down what I commit to and review it weekly with my lead.", 32.0),
        turn("i", "What's the hardest bug you have ever tracked down?", 50.0),
        turn("c", "A race in our ledger that only showed under load.", 52.0),
        turn("i", "What is your biggest weakness, again?", 70.0),
        turn("c", "Same as before.", 72.0),
    ])
    asked = segment(transcript, PLAN)
    assert [(a.question.id, a.matched) for a in asked] == [("q1", True), ("q3", True), ("x1", False)]
    assert asked[0].answer == "I am a backend engineer with six years in payments. And I mentor two juniors."
    assert asked[1].answer.startswith("I take on too much. I now write down")
    assert asked[2].question.text == "What's the hardest bug you have ever tracked down?"
    assert asked[2].question.kind == QuestionKind.TECHNICAL and asked[2].question.rubric is not None
    assert asked[0].question.rubric is None  # a planned question keeps its own (None: resolved later)
    assert asked[1].answer.endswith("Same as before.")  # asked again: the earlier question's answer goes on
    assert asked[1].similarity >= MATCH_THRESHOLD and asked[2].similarity == 0.0


def test_segment_without_any_question_keeps_the_answer() -> None:
    asked = segment(Transcript(turns=[turn("c", "I would shard the table by customer id.", 0.0)]), PLAN)
    assert len(asked) == 1 and not asked[0].matched and asked[0].answer.startswith("I would shard")


def test_follow_up_probe() -> None:
    assert is_follow_up("Could you walk me through that step by step?")
    assert not is_follow_up("How would you design a rate limiter?")


def test_every_follow_up_the_offline_interviewer_asks_is_a_follow_up() -> None:
    # Used to fool it: 1,476 of the 1,484 talking-point probes ("Thanks. Before we move on, could you also speak to
    # this: Describes the specific steps…?") and the technical and situational templates ("… what would you do
    # first?") were scored as questions of their own (x1, x2, …), taking the answer away from the real question.
    lib = library()
    rubrics = [*lib.kinds.values(), *(t.rubric for t in lib.types), *lib.bank.values()]
    probes = [probe(point) for rubric in rubrics for point in rubric.talking_points]
    assert len(probes) > 1000
    assert [p for p in probes if not is_follow_up(p)] == []
    assert all(is_follow_up(text) for text in [*FOLLOW_UPS.values(), FORWARD_FOLLOW_UP])


@pytest.mark.parametrize("text", [
    "Could you tell me about a time you led a team?",
    "Can you walk me through a system you designed?",
    "Thanks. Could you explain how you would design a rate limiter?",
    "Could you describe your biggest weakness?",
])
def test_a_polite_new_question_is_not_a_follow_up(text: str) -> None:
    assert not is_follow_up(text)


def test_a_new_question_ending_like_a_probe_is_not_a_follow_up() -> None:
    # Used to fool it: "…What was the outcome?" made a new behavioural question a probe into the previous answer.
    assert not is_follow_up("Describe a time you had more work than you could finish. How did you decide what to do "
                            "first, and what was the outcome?")
    assert is_follow_up("And what was the outcome?")


def test_an_opening_question_after_a_lead_in_is_a_question() -> None:
    # Used to fool it: "To start, walk me through…" (no question mark) was not seen as a question, so the answer
    # after it belonged to nothing.
    assert looks_like_question("To start, walk me through your background and what is most relevant to this role.")
    assert not looks_like_question("Thanks, that's all for today.")
