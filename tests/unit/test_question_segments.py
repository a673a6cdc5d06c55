"""Which interviewer turns are scored questions, and with which words (issue 10, held-out failure class 3)."""

from __future__ import annotations

from interview_tui.domain.models import QuestionKind, Transcript, Turn
from interview_tui.domain.question_match import segment


def _transcript(*pairs: tuple[str, str]) -> Transcript:
    turns = []
    t = 0.0
    for role, text in pairs:
        turns.append(Turn(role=role, text=text, t=t))
        t += 10.0
    return Transcript(turns=turns)


def test_the_context_before_the_question_is_part_of_it() -> None:
    asked = segment(_transcript(
        ("agent", "Thanks, that's helpful. Your last role ended about ten months ago, I noticed. What happened "
                  "there?"),
        ("user", "I took time out to care for my father and did a data course in the evenings."),
    ), [])
    assert len(asked) == 1
    assert asked[0].question.text.startswith("Your last role ended about ten months ago")
    assert "Thanks" not in asked[0].question.text


def test_small_talk_and_the_closing_invitation_are_not_scored_questions() -> None:
    asked = segment(_transcript(
        ("agent", "Hi, thanks for joining us today. How has your morning been?"),
        ("user", "Good, thanks, a bit of traffic."),
        ("agent", "Imagine the nightly import fails and the sales dashboard is empty at 8am. What do you do first?"),
        ("user", "I'd check the import logs, tell the sales lead the numbers are delayed, and rerun the job."),
        ("agent", "Great. So, what questions do you have for me?"),
        ("user", "What does the on-call rota look like?"),
    ), [])
    assert [a.question.kind for a in asked] == [QuestionKind.SITUATIONAL]
    assert asked[0].answer.startswith("I'd check")


def test_a_question_asked_again_is_one_question() -> None:
    asked = segment(_transcript(
        ("agent", "How does a database index speed up a query?"),
        ("user", "Sorry, could you repeat that?"),
        ("agent", "Sure. How does a database index speed up a query?"),
        ("user", "It keeps a sorted structure, usually a B-tree, so the engine finds rows without a full scan."),
    ), [])
    assert len(asked) == 1
    assert len({a.question.id for a in asked}) == len(asked)
    assert "B-tree" in asked[0].answer
