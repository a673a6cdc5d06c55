"""The stronger-answer rewrite keeps to the candidate's own facts (domain.stronger_answer)."""

from __future__ import annotations

from interview_tui.domain.stronger_answer import keep_to_facts

ANSWER = ("At Acme I led the move of our billing jobs to Kubernetes. It took two months and we cut the nightly "
          "run by 40%. I did it with Priya from the platform team.")


def test_numbers_the_candidate_gave_stay_in_any_spelling() -> None:
    rewrite = "At Acme I led the billing migration to Kubernetes; in 2 months we cut the nightly run by forty percent."
    assert keep_to_facts(rewrite, ANSWER) == rewrite


def test_invented_numbers_become_placeholders() -> None:
    rewrite = "I led the migration, saving $120,000 a year and cutting the run by 75% for 300 engineers."
    assert keep_to_facts(rewrite, ANSWER) == ("I led the migration, saving [number] a year and cutting the run by "
                                              "[number] for [number] engineers.")


def test_invented_employers_and_names_become_placeholders() -> None:
    rewrite = "At Acme, later acquired by Globex Corporation, I worked with Priya and John Smith on Kubernetes."
    out = keep_to_facts(rewrite, ANSWER)
    assert out == "At Acme, later acquired by [name], I worked with Priya and [name] on Kubernetes."
    # names from the question or the job are allowed
    assert "Terraform" in keep_to_facts("I would use Terraform for it.", ANSWER, context=["Terraform", "AWS"])


def test_placeholders_written_by_the_model_are_kept_and_repeats_merged() -> None:
    rewrite = "As a result, [result] — the run went from [number] [number] to 40%."
    assert keep_to_facts(rewrite, ANSWER) == "As a result, [result] — the run went from [number] to 40%."


def test_sentence_openers_and_pronouns_are_not_names() -> None:
    rewrite = "Working with the platform team, I planned it. Then I shipped it. Monday standups kept us honest."
    assert keep_to_facts(rewrite, ANSWER) == rewrite


def test_empty_and_whitespace() -> None:
    assert keep_to_facts("   ", ANSWER) == ""
