"""The offline analyzer on scripted transcripts with known metrics."""

from __future__ import annotations

import pytest

from interview_tui.domain.models import InterviewPlan, NonAnswerKind, Report, Transcript, Turn
from interview_tui.providers.local_analyzer import DIMENSIONS, LocalAnalyzer
from interview_tui.providers.local_planner import LocalPlanner
from tests.paths import DATA

JD = (DATA / "jds" / "senior_backend_go.txt").read_text(encoding="utf-8")

STAR = ("At my last job we had a slow payments API that timed out during sales. My role was to fix it before "
        "the holiday peak. I profiled the service and found that every request opened a new PostgreSQL "
        "connection, so I introduced a connection pool and moved the hot reads to Redis. I also wrote a load "
        "test in Go so we could see the effect before release. As a result the p99 latency dropped from 2 "
        "seconds to 180 milliseconds and we handled three times the traffic without errors.")
TECH = ("In Kubernetes I would use a rolling update with a readiness probe so new pods only get traffic when "
        "they are ready, and keep maxUnavailable at zero. I watch the error rate and latency dashboards during "
        "the rollout, and if they move I run kubectl rollout undo, which takes about 30 seconds. For risky "
        "changes I ship behind a feature flag first and deploy a canary to 5 percent of traffic.")
VAGUE = "um I think it went fine, like, we just did it"


@pytest.fixture(scope="module")
def plan() -> InterviewPlan:
    return LocalPlanner().plan(JD)


def scripted(plan: InterviewPlan, answers: list[str], *, seconds_per_answer: float = 60.0,
             timed: bool = True) -> Transcript:
    turns, t = [Turn(role="agent", text="Hello, thanks for joining. Let's begin.", t=0.0, end_t=5.0)], 6.0
    for q, answer in zip(plan.questions, answers, strict=False):
        turns.append(Turn(role="agent", text=f"Thank you. {q.text}", t=t, end_t=t + 5.0))
        t += 6.0
        turns.append(Turn(role="user", text=answer, t=t, end_t=(t + seconds_per_answer) if timed else None))
        t += seconds_per_answer + 1.0
    return Transcript(turns=turns)


def test_not_enough_speech_gives_no_scores(plan: InterviewPlan) -> None:
    report = LocalAnalyzer().analyze(scripted(plan, ["Yes.", "I am not sure."]), plan)
    assert report.assessable is False
    assert report.overall_score is None and report.dimensions == []
    assert "no overall score" in report.summary.lower()
    assert report.metrics.candidate_words == 5
    assert LocalAnalyzer().analyze(Transcript(), plan).assessable is False


def test_150_words_in_60_s_is_150_wpm(plan: InterviewPlan) -> None:
    answer = " ".join(["deploy"] * 150)
    report = LocalAnalyzer().analyze(scripted(plan, [answer], seconds_per_answer=60.0), plan)
    assert report.metrics.words_per_minute == 150.0
    assert report.metrics.candidate_words == 150
    assert report.metrics.answer_lengths_s == [60.0]
    assert report.metrics.median_response_latency_s == 1.0


def test_known_filler_count(plan: InterviewPlan) -> None:
    answer = "Um, so, I led the work. Uh, it was, like, hard, you know. " + STAR
    report = LocalAnalyzer().analyze(scripted(plan, [answer], seconds_per_answer=60.0), plan)
    assert report.metrics.filler_count == 5
    assert report.metrics.fillers_per_minute == 5.0


def full_report(plan: InterviewPlan) -> Report:
    answers = [STAR, STAR.replace("payments", "billing"), STAR.replace("slow", "flaky"), TECH, TECH, TECH,
               STAR, STAR.replace("last", "previous")]
    return LocalAnalyzer().analyze(scripted(plan, answers, seconds_per_answer=80.0), plan)


def test_full_report_shape_and_reasons(plan: InterviewPlan) -> None:
    report = full_report(plan)
    assert report.assessable and report.engine == "local"
    assert [d.name for d in report.dimensions] == list(DIMENSIONS)
    assert all(d.rationale and 0 <= d.score <= 100 for d in report.dimensions)
    # the same two stories for every question: structured and specific, but not what each question asks for
    assert report.overall_score is not None and report.overall_score >= 50
    assert len(report.questions) == len(plan.questions)
    assert all(q.asked and q.score is not None for q in report.questions)
    # a deployment answer given to the goroutine and idempotency questions answers another question: off-topic
    assert all(q.evidence or q.non_answer is NonAnswerKind.OFF_TOPIC for q in report.questions)
    assert sum(q.non_answer is NonAnswerKind.OFF_TOPIC for q in report.questions) <= 2
    assert "cannot judge" in report.summary
    structure = next(d for d in report.dimensions if d.name == "Structure (STAR)")
    assert structure.score >= 90


def test_evidence_is_exact_candidate_words_with_time(plan: InterviewPlan) -> None:
    transcript = scripted(plan, [STAR, TECH, STAR], seconds_per_answer=70.0)
    report = LocalAnalyzer().analyze(transcript, plan)
    user_turns = [t for t in transcript.turns if t.role == "user"]
    quotes = [e for q in report.questions for e in q.evidence] + [h.evidence for h in report.highlights]
    assert quotes and report.highlights
    for ev in quotes:
        assert ev.verified
        assert any(ev.quote in t.text and ev.t == t.t for t in user_turns), ev.quote
    assert report.verification.claims_total == report.verification.claims_verified == len(quotes)


def test_vague_answers_score_lower_and_get_drills(plan: InterviewPlan) -> None:
    weak_answers = [VAGUE + " and the team handled most of it and we moved on to the next thing after"] * 8
    weak = LocalAnalyzer().analyze(scripted(plan, weak_answers, seconds_per_answer=15.0), plan)
    strong = full_report(plan)
    assert weak.assessable
    assert weak.overall_score is not None and strong.overall_score is not None
    assert weak.overall_score < strong.overall_score - 20
    assert weak.recommendations and all(r.drill for r in weak.recommendations)
    texts = " ".join(r.text for r in weak.recommendations).lower()
    assert "result" in texts or "no real answer" in texts


def test_skill_coverage_for_every_detected_skill(plan: InterviewPlan) -> None:
    report = LocalAnalyzer().analyze(scripted(plan, [STAR, TECH, STAR], seconds_per_answer=70.0), plan)
    by_skill = {c.skill: c.coverage for c in report.skill_coverage}
    assert set(by_skill) == set(plan.detected_skills)
    assert by_skill["PostgreSQL"] == "strong"      # in two answers
    assert by_skill["Kubernetes"] in ("strong", "partial")
    assert by_skill["Kafka"] == "none"


def test_follow_ups_keep_the_question_and_typed_answers_have_no_rates(plan: InterviewPlan) -> None:
    q1 = plan.questions[0]
    turns = [
        Turn(role="agent", text=q1.text, t=0.0),
        Turn(role="user", text="I build payment systems.", t=10.0),
        Turn(role="agent", text="Could you say a bit more?", t=11.0),
        Turn(role="user", text=STAR, t=40.0),
    ]
    transcript = Transcript(turns=turns)
    report = LocalAnalyzer().analyze(transcript, plan)
    first = report.questions[0]
    assert first.question_id == q1.id and first.answer.startswith("I build payment systems.")
    assert STAR in first.answer
    assert report.metrics.timing_available is False and report.metrics.words_per_minute is None
    comm = next(d for d in report.dimensions if d.name == "Communication")
    assert "typed" in comm.rationale
    assert not report.questions[1].asked and report.questions[1].score is None


def test_deterministic(plan: InterviewPlan) -> None:
    assert full_report(plan) == full_report(plan)
