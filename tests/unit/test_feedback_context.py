"""Held-out failure classes of the offline scorer (issue 10): each test states a principle with inputs written
for it (paraphrases, not the held-out items), so it fails if the principle breaks."""

from __future__ import annotations

from interview_tui.domain.answer_checks import (
    FLAG_ABSOLUTES,
    FLAG_BELITTLE,
    AnswerText,
    point_coverage,
    red_flags,
)
from interview_tui.domain.answer_rating import rate_answer
from interview_tui.domain.models import QuestionKind, RedFlag, Rubric, TalkingPoint
from interview_tui.domain.rubrics import question_from_text, rubric_for


def rate(question: str, answer: str, **kw):
    q = question_from_text("q1", question)
    return rate_answer(question, q.kind, rubric_for(q), answer, **kw)


def covered(question: str, answer: str, rubric: Rubric) -> dict[str, bool]:
    return {p.text: p.covered for p in point_coverage(AnswerText(answer, question), rubric)}


CACHE_RUBRIC = Rubric(talking_points=[
    TalkingPoint(text="Explains how stale entries are invalidated", cues=["invalidat*", "expire*", "ttl"]),
    TalkingPoint(text="Handles a cache stampede", cues=["stampede", "thundering herd"]),
    TalkingPoint(text="Names the consistency trade-off", cues=["stale", "consisten*"]),
])


def test_a_cue_in_a_denied_clause_does_not_cover_the_point() -> None:
    q = "How would you add a cache in front of the product database?"
    denied = ("I would put Redis in front of it. Entries never need to expire because prices do not change, and "
              "there is no stampede risk with our traffic.")
    result = covered(q, denied, CACHE_RUBRIC)
    assert not result["Explains how stale entries are invalidated"]
    assert not result["Handles a cache stampede"]
    said = ("I would put Redis in front of it with a ttl of five minutes, and a lock per key so a stampede after "
            "a deploy does not reach the database.")
    result = covered(q, said, CACHE_RUBRIC)
    assert result["Explains how stale entries are invalidated"] and result["Handles a cache stampede"]


def test_not_only_and_no_matter_do_not_deny() -> None:
    q = "How would you add a cache in front of the product database?"
    result = covered(q, "Not only would each key expire after a minute, I would also warm it.", CACHE_RUBRIC)
    assert result["Explains how stale entries are invalidated"]


FEUD = Rubric(talking_points=[TalkingPoint(text="Says how it was resolved", cues=["agreed"])],
              red_flags=[RedFlag(text="Blames or belittles the colleague", cues=["lazy", "stupid", "idiot*"])])


def test_a_flag_word_inside_a_compound_about_a_thing_is_no_flag() -> None:
    q = "Tell me about a disagreement with a colleague."
    respectful = ("An analyst and I disagreed on the report layout. I asked her for half an hour, we compared both "
                  "on real data and agreed on hers with lazy-evaluated columns and a stupid-simple legend.")
    assert red_flags(AnswerText(respectful, q), QuestionKind.BEHAVIOURAL, FEUD) == []


def test_disparaging_a_person_is_a_flag_even_without_a_rubric_cue() -> None:
    q = "Tell me about a disagreement with a colleague."
    rude = ("There was a developer on my team who was honestly quite rude to everyone in reviews, so I went to "
            "my manager and she moved him to another project.")
    assert FLAG_BELITTLE in red_flags(AnswerText(rude, q), QuestionKind.BEHAVIOURAL, FEUD)
    assert red_flags(AnswerText(rude, q), QuestionKind.BEHAVIOURAL, FEUD).count(FLAG_BELITTLE) == 1


def test_absolutes_given_with_their_reasons_are_not_flagged() -> None:
    q = "How do you prevent SQL injection?"
    reasoned = ("I use parameterised queries, so the input is always treated as data and never as code. "
                "I never build SQL from strings because one missed escape is enough.")
    assert FLAG_ABSOLUTES not in red_flags(AnswerText(reasoned, q), QuestionKind.TECHNICAL)
    bare = "You always escape. Always. It is never a problem and it is guaranteed safe."
    assert FLAG_ABSOLUTES in red_flags(AnswerText(bare, q), QuestionKind.TECHNICAL)
    bare = "Use any ORM and it is always safe, because it escapes for everything, so it is definitely never a risk."
    assert FLAG_ABSOLUTES in red_flags(AnswerText(bare, q), QuestionKind.TECHNICAL)


def test_only_real_quantities_are_numbers() -> None:
    q = "How do you make sure a release is safe?"
    for wordy in ("Use single quotes or double quotes consistently, and keep double-checking the config by hand.",
                  "One of the reasons is that half the team prefers reviews to tests."):
        assert AnswerText(wordy, q).numbers == [], wordy
    for quantity in ("It went from about eight hours to 45 minutes.", "We cut it by forty percent.",
                     "It took three weeks.", "We saved $12k a year.", "Sign-ups doubled after the change."):
        assert AnswerText(quantity, q).numbers, quantity
    assert "You gave numbers" not in " ".join(rate(q, "I keep double-checking the config and use single quotes "
                                                     "in scripts so nothing breaks at release time, and I review "
                                                     "the diff with a colleague first.").strengths)


def test_generic_points_said_in_other_words_are_covered() -> None:
    question = "Tell me about a time you improved something nobody had asked you to."
    story = ("Our monthly invoice run was a checklist of forty manual steps that one person did by hand. I wrote a "
             "small tool that ran the checks and produced the files. The run went from most of a day to about "
             "twenty minutes.")
    points = {p.text: p.covered for p in rate(question, story).points}
    initiative = [t for t in points if "initiative" in t.lower()]
    measured = [t for t in points if "measured" in t.lower()]
    assert initiative and all(points[t] for t in initiative), points
    assert measured and all(points[t] for t in measured), points


def test_a_weakness_named_in_plain_words_is_covered() -> None:
    answer = ("Saying no. I tend to accept every request from other teams, and last spring it meant two of my own "
              "tasks slipped. Now I check my week before I agree to anything new.")
    points = {p.text: p.covered for p in rate("What would you say is your biggest weakness?", answer).points}
    named = [t for t in points if "weakness" in t.lower()]
    assert named and all(points[t] for t in named), points


def test_generic_points_are_not_ticked_without_their_signal() -> None:
    question = "Tell me about a time you improved something nobody had asked you to."
    vague = ("It was a process that was slow and everyone knew it. Things got better over time and people were "
             "happier with how it went in the end.")
    points = {p.text: p.covered for p in rate(question, vague).points}
    assert not any(points[t] for t in points if "initiative" in t.lower() or "measured" in t.lower()), points


def test_question_kind_follows_how_it_is_asked() -> None:
    assert question_from_text("q", "What is it about this company that makes you want to join?").kind is \
        QuestionKind.MOTIVATION
    assert question_from_text("q", "What makes you want to work here rather than elsewhere?").kind is \
        QuestionKind.MOTIVATION
    assert question_from_text("q", "What would you do if a colleague kept taking credit for your work?").kind is \
        QuestionKind.SITUATIONAL
    assert question_from_text("q", "Suppose the payments queue backs up during a sale. Where do you start?").kind \
        is QuestionKind.SITUATIONAL
    assert question_from_text("q", "Tell me about a time you disagreed with a colleague.").kind is \
        QuestionKind.BEHAVIOURAL


def test_a_plan_is_not_asked_for_star_parts() -> None:
    plan = ("I'd first ask the colleague privately what is going on, because there may be a reason. Then I'd agree "
            "with them how we split credit in demos, and if it kept happening I'd raise it with our lead, with "
            "examples.")
    rating = rate("What would you do if a colleague kept taking credit for your work?", plan)
    assert not any("STAR" in i for i in rating.improvements), rating.improvements


def test_answers_that_are_not_the_candidates_own_are_non_answers() -> None:
    chatbot = ("As an AI developed to assist, I am unable to provide personal experiences, but a typical candidate "
               "might describe a project where they improved a process and measured the outcome.")
    assert rate("Tell me about a project you are proud of.", chatbot).score <= 15
    ad = ("We are looking for a motivated backend engineer to join our growing platform team. You will design and "
          "maintain services in Go and Postgres. Requirements: 3+ years of experience with distributed systems and "
          "strong communication skills. We offer a competitive salary and flexible hours.")
    assert rate("Tell me about yourself.", ad).score <= 15


def test_an_answer_to_another_question_is_off_topic_however_well_formed() -> None:
    elsewhere = ("I have loved my four years at my current company, and I have learned a great deal from my manager, "
                 "but I am ready for a bigger scope. I want to own a product area end to end, and this role offers "
                 "exactly that, with a team whose engineering culture I admire.")
    rating = rate("How does a hash map resolve collisions between keys?", elsewhere)
    assert rating.non_answer is not None and rating.score <= 15


def test_star_labels_filled_with_jargon_are_stuffing() -> None:
    jargon = ("Situation: the team needed to leverage synergies across the ecosystem. Task: my role was to "
              "streamline holistic alignment. Action: I proactively empowered stakeholders with best practices and "
              "a data-driven deep dive. Result: as a result we moved the needle with seamless, world-class "
              "outcomes.")
    assert rate("Tell me about a time you improved a process.", jargon).score <= 15


def test_advice_fits_the_answer_and_what_was_measured() -> None:
    typed_short = "I would ask the customer for the order number and refund them."
    rating = rate("What would you do if a customer was charged twice?", typed_short)
    assert not any(" s)" in i for i in rating.improvements), rating.improvements  # no time for typed text
    complete = ("An index is a sorted structure, usually a B-tree, kept beside the table, so a lookup walks the "
                "tree instead of scanning every row. Every write has to update it too, so inserts get slower and it "
                "takes disk and memory.")
    rating = rate("How does a database index make a query faster, and what does it cost?", complete)
    if all(p.covered for p in rating.points):
        assert not any("reasons and trade-offs" in i for i in rating.improvements), rating.improvements


def test_report_advice_never_shows_internal_ids_and_numbers_only_for_stories() -> None:
    from interview_tui.domain.models import DomainTrack, ExperienceLevel, InterviewPlan, Transcript, Turn
    from interview_tui.domain.question_match import segment
    from interview_tui.providers.local_analyzer import LocalAnalyzer

    turns = [Turn(role="agent", text="How does a hash map find a value by its key?", t=0.0),
             Turn(role="user", text="It hashes the key to pick a bucket, then compares keys in that bucket, so a "
                                    "lookup is quick unless many keys land in the same bucket.", t=5.0),
             Turn(role="agent", text="What would you say is your biggest weakness?", t=30.0),
             Turn(role="user", text="Pass.", t=35.0)]
    transcript = Transcript(turns=turns)
    plan = InterviewPlan(questions=[a.question for a in segment(transcript, [])],
                         experience_level=ExperienceLevel.MID, domain_track=DomainTrack.GENERAL)
    report = LocalAnalyzer().analyze(transcript, plan)
    assert len(report.questions) == 2
    texts = " ".join(r.text for r in report.recommendations)
    assert "x1" not in texts and "x2" not in texts, texts
    assert "Put a number" not in texts, texts  # an explanation needs no result figure


def test_one_question_report_dimensions_equal_its_question_values() -> None:
    from interview_tui.domain.models import DomainTrack, ExperienceLevel, InterviewPlan, Transcript, Turn
    from interview_tui.domain.question_match import segment
    from interview_tui.providers.local_analyzer import LocalAnalyzer

    # fluent but thin: communication would be high, content low, so the cap matters
    turns = [Turn(role="agent", text="How does a message queue help when a downstream service is slow?", t=0.0),
             Turn(role="user", text="Well, it helps a lot really, it is a good thing to have in general and most "
                                    "teams use one, it makes things nicer for everyone involved overall.", t=5.0)]
    transcript = Transcript(turns=turns)
    plan = InterviewPlan(questions=[a.question for a in segment(transcript, [])],
                         experience_level=ExperienceLevel.MID, domain_track=DomainTrack.GENERAL)
    report = LocalAnalyzer().analyze(transcript, plan)
    q = report.questions[0]
    assert report.dimensions and q.subscores is not None
    dims = {d.name.split()[0].lower(): d.score for d in report.dimensions}
    assert dims["communication"] == q.subscores.communication
    assert dims["relevance"] == q.subscores.relevance and dims["depth"] == q.subscores.depth


def test_one_stray_generic_cue_does_not_make_another_topic_relevant() -> None:
    blurb = ("The TrailLite tent sleeps two and packs down to the size of a loaf of bread. It is available in green "
             "and sand, pitches in under three minutes, and ships with a repair kit and a lifetime warranty on the "
             "poles.")
    assert rate("How would you design a cache for a read-heavy product catalogue?", blurb).score <= 15
    leaving = ("At my current company the work has become mostly maintenance, and after four years I feel I have "
               "learned what I can there. I want to build something new with a small team and own it end to end.")
    assert rate("How does a load balancer decide where to send a request?", leaving).score <= 15
