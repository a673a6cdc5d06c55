"""Every rule of the offline rating, each with the input that used to fool the old analyzer."""

from __future__ import annotations

import pytest

from interview_tui.domain import metrics as m
from interview_tui.domain.answer_checks import (
    FLAG_PRESSURE,
    AnswerText,
    action_verbs,
    plan_steps,
    red_flags,
    star_parts,
)
from interview_tui.domain.answer_rating import rate_answer
from interview_tui.domain.models import (
    AnswerStatus,
    InterviewPlan,
    NonAnswerKind,
    Question,
    QuestionKind,
    Transcript,
    Turn,
)
from interview_tui.domain.rubrics import question_from_text, rubric_for
from interview_tui.domain.scoring import RED_FLAG_CAP
from interview_tui.domain.skill_claims import claimed_in
from interview_tui.providers.local_analyzer import LocalAnalyzer

LEAD = "Tell me about a time you led a piece of work across several teams."
WEAKNESS = "What is your greatest weakness?"
DEPLOY = "How do you deploy a service safely?"

GOOD_STORY = (
    "Last year I led the move of our refund service off a legacy queue, which three teams depended on. My task as "
    "their lead was to finish it before the holiday freeze without losing a single refund. I mapped every consumer "
    "with the other two tech leads, wrote a one-page plan with a cut-over date, and ran a 15-minute sync twice a "
    "week. When the finance team slipped, I moved their piece behind a feature flag so the others could ship. We "
    "cut over two weeks early, with zero lost refunds, and I learned to agree the rollback plan before the date.")


def rate(question: str, answer: str, **kw):
    q = question_from_text("q1", question)
    return rate_answer(question, q.kind, rubric_for(q), answer, **kw)


# ---------------------------------------------------------------------------------------------- non-answers

@pytest.mark.parametrize(("question", "answer", "kind"), [
    # "Yes." and "I don't know." used to get "+ You answered the question." and communication 85–100.
    (WEAKNESS, "Yes.", NonAnswerKind.TOO_SHORT),
    (WEAKNESS, "I don't know.", NonAnswerKind.DONT_KNOW),
    (LEAD, "Hmm, I'm not sure, can we skip this one?", NonAnswerKind.DONT_KNOW),
    (LEAD, "", NonAnswerKind.EMPTY),
    (LEAD, "Um, uh, so, yeah, um, like, uh.", NonAnswerKind.EMPTY),
    # "deploy" ×150 scored 38.
    (DEPLOY, " ".join(["deploy"] * 150), NonAnswerKind.REPETITIVE),
    (DEPLOY, "How do you deploy a service safely?", NonAnswerKind.REPETITIVE),
    (LEAD, "asdkj qwe lkjasd poiqwe zxcmnb alskdj qpwoei rutyh fjdksla mnbvcx qwerty zxcvbn", NonAnswerKind.GIBBERISH),
    (LEAD, "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore.",
     NonAnswerKind.PLACEHOLDER),
    (WEAKNESS, "[Insert answer here] TODO: my weakness. [Weakness] [Example] [Plan].", NonAnswerKind.PLACEHOLDER),
    # A recipe scored 29.
    (LEAD, "Preheat the oven to 180 degrees. Mix the flour, sugar and butter in a large bowl, then add two eggs and "
           "stir until smooth. Pour into a tin and bake for 25 minutes until golden.", NonAnswerKind.OFF_TOPIC),
    # STAR-phrase nonsense scored 50+, above most good answers.
    (LEAD, "My role was to handle the task. I built it. I led it. As a result we increased it by 50 percent. My task "
           "was to lead the situation. The action I took was to take action. I improved it. As a result we reduced "
           "it by 30 percent.", NonAnswerKind.STUFFING),
    (DEPLOY, "Kubernetes Docker AWS Python microservices scalability agile Terraform Kafka React GraphQL Redis",
     NonAnswerKind.STUFFING),
])
def test_non_answers_are_labelled_and_scored_near_zero(question: str, answer: str, kind: NonAnswerKind) -> None:
    rating = rate(question, answer)
    assert rating.status is AnswerStatus.NON_ANSWER and rating.non_answer is kind
    assert rating.score <= 15
    assert not rating.strengths or "answered the question" not in " ".join(rating.strengths)
    assert rating.subscores.communication is not None and rating.subscores.communication <= 15


def test_a_real_answer_is_not_a_non_answer() -> None:
    rating = rate(LEAD, GOOD_STORY)
    assert rating.status is AnswerStatus.ANSWERED and rating.score >= 60


def test_a_crisp_motivation_answer_is_fine_and_rambling_is_not_rewarded() -> None:
    crisp = ("I want to work on developer tooling full time. In my current job I built our CI templates on the side "
             "and cut build times from 20 to 8 minutes, and this role is that work for your whole platform team.")
    ramble = ("Well, I think I want to work on developer tooling, because I like tooling, and tooling is something "
              "I really like, you know, I think it is important and I think it is interesting, and I would say it "
              "is something I would really like to do more of, and I think this role is a role where I could do "
              "that kind of thing, and stuff like that, so yeah, I think that is basically why I want this role, "
              "because I like tooling and I think it is important and interesting and so on. ") * 2
    question = "Why do you want this role?"
    assert rate(question, crisp).score >= 55
    assert rate(question, crisp).score > rate(question, ramble).score + 15


# ---------------------------------------------------------------------------------------------- relevance

def test_relevance_is_talking_points_not_echoing_the_question() -> None:
    echo = ("Why this DevOps role? I think this DevOps role is a good next step for me because DevOps is what I do "
            "and this is a DevOps role, and it is the next step in my DevOps career, so this role is a good fit.")
    real = ("Right now I run the platform for forty engineers on Jenkins and VMs. I moved us to Terraform and halved "
            "provisioning time, but the company won't go further. You're mid-migration to Kubernetes with a real "
            "platform team, which is the work I want to spend the next few years on.")
    question = "Why this DevOps role, and what makes it a good next step for you?"
    assert rate(question, real).score > rate(question, echo).score


# -------------------------------------------------------------------------------------------------- STAR

def test_star_only_for_stories_and_plans() -> None:
    assert star_parts(GOOD_STORY, QuestionKind.TECHNICAL) is None
    assert star_parts(GOOD_STORY, QuestionKind.MOTIVATION) is None
    assert rate("Where do you see yourself in five years?", "In five years I want to lead a small platform team: "
                "I have started mentoring two juniors and I run our incident reviews.").star is None


@pytest.mark.parametrize("task", [
    "My task as her lead was to get her shipping on her own within a quarter.",  # used to be reported missing
    "I was asked to get the release out before the audit.",
    "It was up to me to decide which of the two vendors we kept.",
    "My main responsibility on that project was the data migration.",
])
def test_task_is_found_in_any_first_person_wording(task: str) -> None:
    parts = star_parts(task, QuestionKind.BEHAVIOURAL)
    assert parts is not None and parts.task


def test_full_story_has_all_four_parts() -> None:
    parts = star_parts(GOOD_STORY, QuestionKind.BEHAVIOURAL)
    assert parts is not None and not parts.missing()


# ------------------------------------------------------------------------------------------------- red flags

@pytest.mark.parametrize(("question", "answer", "flag"), [
    (LEAD, "It was honestly my manager's fault: he changed the plan every week and the other team screwed up the "
           "API, so the launch slipped. I did my part and told them it would fail.", "Blames"),
    ("Why are you leaving your current job?", "My boss is incompetent and the company is toxic, so I want out as "
                                              "soon as possible, anywhere with better management.", "badly"),
    (WEAKNESS, "Honestly I'm a perfectionist and I work too hard, I just care too much about my work and my "
               "colleagues always tell me to slow down.", "strength"),
    ("Tell me about a mistake you made.", "I never make mistakes, to be honest. I check everything twice and our "
                                          "releases always go out clean, every single time, for years now.",
     "never"),
    (LEAD, "We planned the migration together, we split it by service, we met twice a week and we shipped it on "
           "time, and our customers were happy with the result we delivered.", "\"we\""),
])
def test_red_flags_are_named_and_cap_the_score(question: str, answer: str, flag: str) -> None:
    rating = rate(question, answer)
    assert any(flag.lower() in f.lower() for f in rating.red_flags), rating.red_flags
    assert rating.score <= RED_FLAG_CAP
    assert any(f"Red flag: {flag}".lower()[:12] in s.lower() or "red flag" in s.lower()
               for s in rating.improvements)


def test_a_denied_red_flag_cue_is_not_a_red_flag() -> None:
    answer = AnswerText("I didn't blame anyone; I owned the mistake and fixed the release checklist.", LEAD)
    q = question_from_text("q1", "Tell me about a mistake you made at work.")
    assert red_flags(answer, q.kind, rubric_for(q)) == []


# -------------------------------------------------------------------------------------------- advice agrees

def test_no_add_a_number_when_there_were_numbers() -> None:
    rating = rate(LEAD, GOOD_STORY)
    assert rating.has_numbers
    assert not any("add a number" in s.lower() for s in rating.improvements)


def test_skill_claims_need_the_candidates_own_use() -> None:
    def finder(text: str) -> list[tuple[int, int]]:
        return [(i, i + 6) for i in range(len(text)) if text.startswith("Python", i)]

    assert not claimed_in("The mentee knew Python, so I reviewed her code.", finder)   # used to count as covered
    assert not claimed_in("Python is very popular these days.", finder)
    assert claimed_in("I rewrote the ingest jobs in Python last year.", finder)
    assert not claimed_in("I have never used Python.", finder)


def test_jd_alternatives_and_nice_to_haves_are_not_gaps() -> None:
    plan = InterviewPlan(
        questions=[Question(id="q1", text="Tell me about a project you built.", kind=QuestionKind.BEHAVIOURAL,
                            skill="")],
        detected_skills=["Go", "Python", "Kafka", "PostgreSQL"], optional_skills=["Kafka"],
        skill_alternatives=[["Go", "Python"]], experience_level="mid", domain_track="backend")
    transcript = Transcript(turns=[
        Turn(role="agent", text="Tell me about a project you built.", t=0.0),
        Turn(role="user", text=GOOD_STORY + " I wrote the consumers in Python.", t=5.0)])
    coverage = {c.skill: c for c in LocalAnalyzer().analyze(transcript, plan).skill_coverage}
    assert coverage["Python"].coverage != "none"
    assert coverage["Go"].note.startswith("Not a gap") and coverage["Kafka"].note.startswith("Not a gap")
    assert coverage["PostgreSQL"].note.startswith("Required")


# ---------------------------------------------------------------------------------------------- fillers

def test_fillers_in_any_spelling_and_markers_only_where_punctuated() -> None:
    assert m.find_fillers("Ummm, uhh, I think, errr, hmmm, erm, ahh") == ["ummm", "uhh", "errr", "hmmm", "erm",
                                                                         "ahh"]
    raw = "so like i used it like every day you know and um it was fine"
    assert not m.punctuated(raw)
    sm = m.compute_speech_metrics(Transcript(turns=[Turn(role="user", text=raw, t=0.0)]))
    assert sm.filler_count == 1 and not sm.discourse_markers_measured


def test_money_thousands_and_clock_times_are_one_word_each() -> None:
    assert m.word_count("It cost $50,000 for 1,200 users at 9:30.") == 8  # It cost $50,000 for 1,200 users at 9:30


# ----------------------------------------------------------------------------------------- rough transcripts

def test_recogniser_words_are_heard_not_verified_and_never_highlights() -> None:
    plan = InterviewPlan(questions=[question_from_text("q1", LEAD)], experience_level="mid", domain_track="general")
    transcript = Transcript(turns=[Turn(role="agent", text=LEAD, t=0.0, end_t=4.0),
                                   Turn(role="user", text=GOOD_STORY, t=5.0, end_t=70.0, confidence=0.55)])
    report = LocalAnalyzer().analyze(transcript, plan)
    assert report.transcript_quality == "rough" and report.recognition_confidence == 0.55
    quotes = report.questions[0].evidence
    assert quotes and all(e.source == "heard" and not e.verified and e.confidence == 0.55 for e in quotes)
    assert report.highlights == []
    assert "rough" in report.summary
    assert report.verification.claims_verified == 0


def test_a_session_with_one_of_five_answered_scores_below_all_five_answered() -> None:
    # Used to fool it: 1 of 5 answered scored 58, the same session with all 5 answered well 44.
    questions = [LEAD, "Tell me about a time you disagreed with your manager.", "What would you do if a colleague "
                 "kept missing deadlines?", "Why do you want this role?", "Tell me about a mistake you made."]
    plan = InterviewPlan(questions=[question_from_text(f"q{i}", q) for i, q in enumerate(questions, 1)],
                         experience_level="mid", domain_track="general")

    def session(answered: int) -> Transcript:
        turns = []
        for i, q in enumerate(questions):
            turns.append(Turn(role="agent", text=q, t=100.0 * i))
            if i < answered:
                turns.append(Turn(role="user", text=GOOD_STORY, t=100.0 * i + 5))
        return Transcript(turns=turns)

    full, partial = (LocalAnalyzer().analyze(session(n), plan) for n in (5, 1))
    assert partial.overall_score is not None and full.overall_score is not None
    assert partial.overall_score < full.overall_score
    assert [q.status for q in partial.questions].count(AnswerStatus.NOT_ANSWERED) == 4


def test_hiding_a_problem_is_a_red_flag() -> None:
    answer = AnswerText("I'd work evenings and weekends and skip some of the testing. I wouldn't tell anyone straight "
                        "away, because there's no point worrying people if I can still make it.", "")
    assert any("misleading" in f or "hiding" in f for f in red_flags(answer, QuestionKind.SITUATIONAL))


def test_a_generic_kind_rubric_is_a_second_lens_for_relevance() -> None:
    # Used to fool it: "…cause an outage?" matched the incident rubric, so a correct explanation covered nothing.
    question = ("How do readiness and liveness probes work in Kubernetes, and how can getting them wrong cause an "
                "outage?")
    answer = ("Readiness decides whether a pod gets traffic: if it fails, the pod is taken out of the endpoints but "
              "keeps running. Liveness decides whether the container is restarted. The classic failure mode is a "
              "liveness probe that checks the database: when it gets slow, every pod fails and is restarted at once, "
              "so a slowdown becomes an outage. The trade-off is sensitivity versus restarts.")
    q = question_from_text("q1", question)
    from interview_tui.domain.rubrics import library

    narrow = rate_answer(question, q.kind, rubric_for(q), answer)
    both = rate_answer(question, q.kind, rubric_for(q), answer, kind_rubric=library().kinds[q.kind])
    assert both.subscores.relevance >= narrow.subscores.relevance and both.score >= 55


def test_jargon_in_bulk_is_not_content() -> None:
    question = "Tell me about a campaign you ran that did not perform as expected. What did you change?"
    jargon = ("We had to pivot, so we leveraged our learnings to optimise the funnel, aligned with sales, iterated "
              "in an agile, data-driven way and streamlined the messaging. In the end it performed much better and we "
              "learned a lot about being proactive.")
    concrete = ("Our webinar for finance teams had 12 percent attendance against 35 usually. I pulled the sign-up "
                "data and saw most came from one LinkedIn ad promising a free template, so I rewrote the ad to "
                "describe the session and sent the template only after attending. Attendance went to 40 percent.")
    assert rate(question, concrete).score > rate(question, jargon).score + 15


def test_a_crisp_exact_technical_answer_is_not_penalised_for_being_short() -> None:
    question = "What is the difference between a process and a thread?"
    crisp = ("A process has its own memory space; threads run inside a process and share its memory, so they are "
             "cheaper to start but need locks around shared data.")
    assert rate(question, crisp).status is AnswerStatus.ANSWERED and rate(question, crisp).score >= 35


def test_a_short_real_sentence_is_a_weak_answer_not_a_non_answer() -> None:
    rating = rate("Where do you see yourself in five years?", "Leading a small platform team, and still writing "
                  "code most days.")
    assert rating.status is AnswerStatus.ANSWERED and 15 < rating.score < 60


def test_confident_absolutes_in_a_technical_answer_are_a_red_flag() -> None:
    question = "What are the downsides of adding an index to a database table?"
    absolutes = ("There aren't really any downsides, indexes just make queries faster. I always add an index on "
                 "every column, the database only uses the ones it needs, so they don't cost anything.")
    nuanced = ("Every index has to be updated on each insert, update and delete, so writes get slower, and it takes "
               "disk and memory. So I add indexes for query patterns I've seen in the slow query log, check with "
               "EXPLAIN that they're used, and drop unused ones.")
    assert any("absolutes" in f for f in rate(question, absolutes).red_flags)
    assert rate(question, nuanced).red_flags == []
    assert rate(question, nuanced).score > rate(question, absolutes).score


def test_keeping_a_data_bug_from_customers_is_a_red_flag() -> None:
    answer = AnswerText("I'd fix it quickly and deploy. I probably wouldn't mention it to customers unless they "
                        "noticed, because that would just worry them.", "")
    assert any("hiding" in f for f in red_flags(answer, QuestionKind.SITUATIONAL))


def test_a_two_word_cue_is_not_matched_backwards() -> None:
    # Used to fool it: "ask which comes first" matched the red-flag cue "first come" (first come, first served).
    from interview_tui.domain.cues import StemmedText

    assert not StemmedText("Then I'd ask my manager which comes first.").has("first come")
    assert StemmedText("So now I estimate in pieces.").has("i now")


def test_a_ticked_talking_point_shows_the_sentence_that_covers_it() -> None:
    plan = InterviewPlan(questions=[question_from_text("q1", LEAD)], experience_level="mid", domain_track="general")
    transcript = Transcript(turns=[Turn(role="agent", text=LEAD, t=0.0), Turn(role="user", text=GOOD_STORY, t=5.0)])
    points = LocalAnalyzer().analyze(transcript, plan).questions[0].points
    ticked = [p for p in points if p.covered]
    assert ticked and all(p.evidence is not None and p.evidence.quote in GOOD_STORY for p in ticked)
    assert all(p.evidence is None for p in points if not p.covered)


def test_unpunctuated_recognised_speech_says_discourse_markers_were_not_measured() -> None:
    plan = InterviewPlan(questions=[question_from_text("q1", LEAD)], experience_level="mid", domain_track="general")
    heard = ("so like last year i led the move of our refund service you know and i mapped every consumer with the "
             "other leads and um we cut over two weeks early with zero lost refunds and i learned to agree the "
             "rollback plan first")
    transcript = Transcript(turns=[Turn(role="agent", text=LEAD, t=0.0, end_t=3.0),
                                   Turn(role="user", text=heard, t=4.0, end_t=20.0, confidence=0.7)])
    report = LocalAnalyzer().analyze(transcript, plan)
    assert not report.metrics.discourse_markers_measured and report.metrics.filler_count == 1   # "um" only
    communication = next(d for d in report.dimensions if d.name == "Communication")
    assert "not measured" in communication.rationale


# ---------------------------------------------------------------------------------------- elliptical plans

OUTAGE = "What would you do if a release you shipped broke checkout on a Friday evening?"
PLAN_WITHOUT_I = ("Roll it back first, since a working checkout matters more than the new feature. Then tell "
                  "support and the on-call lead what happened and when it will be fixed, reproduce the bug on "
                  "staging, and add the failing case as a test before shipping the fix on Monday.")
PLAN_WITH_I = ("I'd roll it back first, since a working checkout matters more than the new feature. Then I'd tell "
               "support and the on-call lead what happened and when it will be fixed, I'd reproduce the bug on "
               "staging, and I'd add the failing case as a test before shipping the fix on Monday.")


def test_a_plan_told_without_i_has_its_steps_as_own_actions() -> None:
    # "Roll it back first… Then tell support…" used to have no action at all: STAR action ✗, "what you would do" ✗
    assert plan_steps(PLAN_WITHOUT_I) == ["roll", "tell", "reproduce", "add"]
    without_i, with_i = rate(OUTAGE, PLAN_WITHOUT_I), rate(OUTAGE, PLAN_WITH_I)
    assert without_i.star is not None and without_i.star.action
    assert without_i.relevance is not None and without_i.relevance.shape_parts[0].met == 1.0
    assert abs(without_i.score - with_i.score) <= 5  # the same plan, with or without "I'd"


def test_plan_steps_are_not_found_in_narration_or_ing_forms() -> None:
    assert plan_steps(GOOD_STORY) == []
    assert plan_steps("Checking the logs took a while. Set-up was slow, and testing was manual.") == []


def test_short_past_verbs_are_actions() -> None:
    assert action_verbs("I sat with five customers and I won the contract back.") == ["sat", "won"]


@pytest.mark.parametrize("answer", [
    "I'd remind them how much the team depends on them and make them feel a bit guilty about leaving now.",
    "Honestly I would guilt-trip him into staying until the release is out.",
    "I'd threaten them with a bad reference so they think twice before leaving.",
])
def test_pressuring_people_with_guilt_or_threats_is_a_red_flag(answer: str) -> None:
    found = red_flags(AnswerText(answer, "Two engineers say they may leave. What do you do?"),
                      QuestionKind.SITUATIONAL, None)
    assert FLAG_PRESSURE in found


def test_feeling_bad_oneself_or_persuading_with_facts_is_not_pressure() -> None:
    question = "Two engineers say they may leave. What do you do?"
    for answer in ("I felt bad that I had not noticed earlier, so I met each of them that week.",
                   "I'd show them the growth plan we agreed and let them decide; it is their choice."):
        assert FLAG_PRESSURE not in red_flags(AnswerText(answer, question), QuestionKind.SITUATIONAL, None)
