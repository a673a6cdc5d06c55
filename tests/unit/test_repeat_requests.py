"""Asking for the question again: what counts as a request (typed, or as the offline recogniser heard it), and
that analysis does not count it as an answer."""

from __future__ import annotations

import pytest

from interview_tui.domain.models import Transcript, Turn
from interview_tui.domain.repeat_requests import is_repeat_request, without_repeat_requests
from interview_tui.domain.resume_point import next_question_index
from interview_tui.providers.local_analyzer import LocalAnalyzer
from interview_tui.providers.local_planner import LocalPlanner
from tests.paths import DATA

REQUESTS = [
    "Sorry, can you repeat the question?",
    "Could you repeat that, please?",
    "say that again",
    "Sorry, what was the question?",
    "What's the question again?",
    "I didn't catch that.",
    "Sorry, I didn't quite get that, sorry.",
    "Sorry, I did not hear the question.",
    "Can you ask it again?",
    "Could you rephrase the question?",
    "Come again?",
    "Pardon?",
    "I missed the question, sorry.",
    "Repeat the question please.",
    # what pocketsphinx made of espeak saying these phrases
    "could you repeat that western",
    "sorry what was that western",
    "so we could you repeat a lot",
    "what was the question again",
]

ANSWERS = [
    "I would repeat the test until it passed.",
    "I'd repeat that experiment with a bigger sample.",
    "We repeated the migration twice before it worked.",
    "What was that project about? It was a billing system for clinics.",
    "I would repeat the question of scale to every team lead I met, every week, until the migration was complete.",
    "Sorry, I think the answer is caching at the edge, with a short time to live.",
    "I didn't get it, so I studied more and passed the next year.",
    "",
]


@pytest.mark.parametrize("text", REQUESTS)
def test_requests_to_hear_the_question_again(text: str) -> None:
    assert is_repeat_request(text)


@pytest.mark.parametrize("text", ANSWERS)
def test_answers_are_not_requests(text: str) -> None:
    assert not is_repeat_request(text)


def test_analysis_does_not_count_the_request_as_an_answer() -> None:
    plan = LocalPlanner().plan((DATA / "jds" / "fullstack_mid_node.txt").read_text(encoding="utf-8"))
    q1 = plan.questions[0].text
    answer = ("At my previous company we had a checkout page that failed for some users. My role was to find the "
              "cause. I added tracing to the Node.js API, reproduced the bug with a MySQL test database, and fixed a "
              "race in the Express handler. As a result checkout errors fell by 80 percent within two weeks.")
    turns = [Turn(role="agent", text=q1, t=0.0, end_t=4.0),
             Turn(role="user", text="Sorry, could you repeat the question?", t=5.0, end_t=7.0),
             Turn(role="agent", text=f"Of course. {q1}", t=8.0, end_t=12.0),
             Turn(role="user", text=answer, t=13.0, end_t=43.0)]
    transcript = Transcript(turns=turns)
    assert [t.text for t in without_repeat_requests(transcript).turns] == [q1, f"Of course. {q1}", answer]
    report = LocalAnalyzer().analyze(transcript, plan)
    assert report.metrics.answer_count == 1 and report.metrics.answer_lengths_s == [30.0]
    first = next(q for q in report.questions if q.question_id == plan.questions[0].id)
    assert first.answer == answer
    # the same transcript without the request scores the same
    assert LocalAnalyzer().analyze(Transcript(turns=[turns[0], turns[3]]), plan).questions[0].score == first.score
    # an interview interrupted after the request picks up at the same question, not the next one
    assert next_question_index(plan, turns[:3]) == 0 and next_question_index(plan, turns) == 1
