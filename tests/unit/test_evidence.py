"""The quote verifier (domain.evidence), each rule with the input that used to fool it."""

from __future__ import annotations

import pytest

from interview_tui.domain.evidence import MIN_QUOTE_WORDS, QuoteVerifier, normalise, surface_words, verify_quote
from interview_tui.domain.models import Transcript, Turn


def said(*turns: tuple[str, str, float]) -> Transcript:
    return Transcript(turns=[Turn(role="user" if who == "c" else "agent", text=text, t=t) for who, text, t in turns])


STORY = said(
    ("i", "Tell me about a time you improved performance.", 0.0),
    ("c", "At my last job the nightly batch took six hours and everyone complained about it every morning. "
          "I profiled the pipeline, found the join that spilled to disk, and we cut it by 15 % over two sprints.", 4.0),
    ("i", "And did you lead the migration afterwards?", 40.0),
    ("c", "No. I did not lead the migration myself, my colleague Priya owned it and I reviewed her design.", 43.0),
)


def test_canonical_tokens_treat_spellings_of_one_number_or_negation_alike() -> None:
    assert normalise("We cut it by 50 %") == normalise("we cut it by 50%") == normalise("We cut it by 50 percent")
    assert normalise("I didn't") == normalise("I did not") == normalise("i didnt")
    assert normalise("forty percent") == normalise("40%")
    assert normalise("$1,200 saved at 9:30") == "1200 saved at 9:30"
    assert surface_words("we didn't cut it by 50 %") == 6


def test_a_changed_number_never_verifies_even_when_the_rest_is_long_and_identical() -> None:
    true = "I profiled the pipeline, found the join that spilled to disk, and we cut it by 15 % over two sprints"
    assert verify_quote(true, STORY) is not None
    # one token in 25 differs: far above the fuzzy threshold, but it is the number that changed
    assert verify_quote(true.replace("15 %", "50 %"), STORY) is None
    assert verify_quote(true.replace("two sprints", "three sprints"), STORY) is None
    assert verify_quote(true.replace("15 %", "15"), STORY) is not None  # "%" is not a number


def test_a_dropped_or_added_negation_never_verifies() -> None:
    assert verify_quote("I did not lead the migration myself, my colleague Priya owned it", STORY) is not None
    assert verify_quote("I didn't lead the migration myself, my colleague Priya owned it", STORY) is not None
    assert verify_quote("I did lead the migration myself, my colleague Priya owned it", STORY) is None
    assert verify_quote("I profiled the pipeline, never found the join that spilled to disk", STORY) is None


def test_fuzzy_still_absorbs_a_changed_ordinary_word() -> None:
    found = verify_quote("I profiled the whole pipeline, found the join that spilled onto disk", STORY)
    assert found is not None
    assert found.quote == "I profiled the pipeline, found the join that spilled to disk"


def test_ellipsis_fragments_must_be_in_order() -> None:
    forward = "the nightly batch took six hours … we cut it by 15 %"
    found = verify_quote(forward, STORY)
    assert found is not None and found.quote == "the nightly batch took six hours … we cut it by 15 %"
    backward = "we cut it by 15 % … the nightly batch took six hours"
    assert verify_quote(backward, STORY) is None
    assert verify_quote("we cut it by 15 % ... the nightly batch took six hours", STORY) is None


def test_every_ellipsis_fragment_must_have_the_minimum_length() -> None:
    # used to pass: the fragments only had to add up to the minimum, and each one-word fragment matched anywhere
    assert verify_quote("I … the … pipeline … disk", STORY) is None
    assert verify_quote("the nightly batch took six hours ... spilled ... over two sprints", STORY) is None
    assert verify_quote(" ".join(["word"] * (MIN_QUOTE_WORDS - 1)), said(("c", "word " * 10, 0.0))) is None


def test_a_quote_may_span_consecutive_candidate_turns() -> None:
    split = said(
        ("i", "What did you do next?", 0.0),
        ("c", "So I rewrote the retry logic", 3.0),
        ("c", "and added a circuit breaker in front of the payment provider.", 6.5),
        ("i", "Why?", 12.0),
        ("c", "Because the provider kept timing out during sales.", 14.0),
    )
    found = verify_quote("I rewrote the retry logic and added a circuit breaker", split)
    assert found is not None and found.t == 3.0
    assert found.quote == "I rewrote the retry logic and added a circuit breaker"
    # but not across an interviewer turn
    assert verify_quote("in front of the payment provider because the provider kept timing out", split) is None


def test_fragments_of_one_quote_must_be_in_the_same_answer() -> None:
    assert verify_quote("the nightly batch took six hours … my colleague Priya owned it", STORY) is None


def test_interviewer_words_and_short_quotes_are_rejected() -> None:
    verifier = QuoteVerifier(STORY)
    assert verifier.check("Tell me about a time you improved performance") is None
    assert verifier.check("I reviewed her") is None
    assert verifier.check("I reviewed her design") is not None
    assert verifier.verification.model_dump() == {"claims_total": 3, "claims_verified": 1, "claims_dropped": 2}


@pytest.mark.parametrize("quote", ["we cut it by 15 percent over two sprints", "we cut it by 15% over 2 sprints"])
def test_spelling_of_numbers_does_not_matter(quote: str) -> None:
    found = verify_quote(quote, STORY)
    assert found is not None and found.quote == "we cut it by 15 % over two sprints"
