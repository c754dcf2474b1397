"""Free text stays free text: options are read only before it, and nothing in it is an option.

The reports behind issue 18: ``/ask Will candidates who are --named in the report resign?``
named its asker and lost ``--named``; ``--to`` inside a question addressed it; an unbalanced
quote refused the question. The property tests render random question texts into the line a
member types and check the parser gives back exactly that text and no options at all.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.adapters.commands import BY_NAME
from bot.adapters.textform import parse_line
from bot.errors import InvalidInput

REPORTED = (
    "Will candidates who are --named in the report resign?",
    "Should we say yes --to the merger or no?",
    'What does "hard Brexit mean?',
)

_ALPHABET = st.sampled_from(
    [*"abcXYZ019 ?!.,'=-", '"', "“", "”", "--", "--named", "--to", "--to=X", " -- ", "\u00e9"]
)
_TEXT = st.lists(_ALPHABET, min_size=1, max_size=30).map("".join).map(str.strip).filter(bool)


def invalid(line: str) -> str:
    with pytest.raises(InvalidInput) as caught:
        parse_line(line)
    return caught.value.message


@pytest.mark.parametrize("text", REPORTED)
def test_the_reported_questions_are_read_exactly_and_name_nobody(text: str) -> None:
    assert parse_line(f"/ask {text}").options == {"question": text}


@given(_TEXT.filter(lambda t: not t.startswith("--")))
def test_any_question_text_is_stored_exactly_and_names_nobody(text: str) -> None:
    assert parse_line(f"/ask {text}").options == {"question": text}


@given(_TEXT)
def test_a_double_dash_lets_any_text_follow(text: str) -> None:
    assert parse_line(f"/ask -- {text}").options == {"question": text}


@given(_TEXT.filter(lambda t: not t.startswith("--")))
def test_options_before_the_text_are_read_and_the_text_is_untouched(text: str) -> None:
    parsed = parse_line(f'/ask --to "Jeremy Corbyn" --named {text}')
    assert parsed.options == {"to": "Jeremy Corbyn", "named": True, "question": text}


@given(_TEXT.filter(lambda t: not t.startswith("--")))
def test_answers_and_reasons_are_free_text_after_the_id(text: str) -> None:
    assert parse_line(f"/question answer Q3 {text}").options == {"id": "Q3", "answer": text}
    assert parse_line(f"/question dismiss Q3 {text}").options == {"id": "Q3", "reason": text}


def test_spacing_inside_the_text_is_kept() -> None:
    assert parse_line("/ask  Two  spaces,\tand a tab? ").options == {
        "question": "Two  spaces,\tand a tab?"
    }


def test_a_yes_or_no_word_after_a_flag_is_part_of_the_question() -> None:
    assert parse_line("/ask --named no more wars?").options == {
        "named": True,
        "question": "no more wars?",
    }
    assert parse_line("/ask --named=no Why?").options == {"named": False, "question": "Why?"}


def test_an_unknown_option_before_the_text_is_refused_not_guessed() -> None:
    message = invalid("/ask --nmaed Why not?")
    assert '/ask has no option "--nmaed"' in message
    assert "type -- before it" in message


def test_a_flag_needing_a_value_at_the_end_is_refused() -> None:
    assert invalid("/ask --to").startswith("--to needs a value.")
    assert invalid("/ask --to --named Why?").startswith("--to needs a value.")


def test_only_options_is_a_missing_question() -> None:
    assert invalid("/ask --named").startswith("Missing question.")
    assert invalid("/ask --").startswith("Missing question.")


def test_quotes_still_group_names_where_names_are_listed() -> None:
    parsed = parse_line('/election create "Leader 2015" "Liz Kendall", Burnham --seats 1')
    assert parsed.options["title"] == "Leader 2015"
    assert parsed.options["candidates"] == ("Liz Kendall", "Burnham")
    assert invalid('/rank "Liz Kendall').startswith("A quote is not closed.")


def test_a_double_dash_ends_options_in_every_command() -> None:
    assert parse_line("/rank -- Kendall").options == {"ranking": "Kendall"}


def test_usage_puts_options_before_free_text() -> None:
    assert BY_NAME["ask"].usage == "/ask [--to CANDIDATE] [--named] [--] <question…>"
    assert BY_NAME["question answer"].usage == (
        "/question answer <id> [--by CANDIDATE] [--override] [--] <answer…>"
    )
    assert BY_NAME["question dismiss"].usage == "/question dismiss <id> <reason…>"


@pytest.mark.parametrize("line", ["/ask —named Is this anonymous?", "/ask –to Corbyn Rail?"])
def test_a_phone_dash_before_an_option_name_is_refused_not_guessed(line: str) -> None:
    """``—named`` is either the option (a phone turned -- into a dash) or the question's first
    word: two readings, so the member is asked, and nothing is posted."""
    message = invalid(line)
    assert message.startswith("Did you mean --") and "type -- first" in message


@pytest.mark.parametrize(
    "text", ["—well, is this fine?", "– a list item?", "-- —named is a word here"]
)
def test_other_text_starting_with_a_dash_is_text(text: str) -> None:
    expected = text.removeprefix("-- ")
    assert parse_line(f"/ask {text}").options == {"question": expected}


def test_quotes_in_a_ranking_reach_the_ranking_parser() -> None:
    """One quoted token is one name for the ranking parser, not two unquoted names."""
    assert parse_line('/rank "Corbyn Burnham"').options["ranking"] == '"Corbyn Burnham"'


def test_a_quoted_comma_in_a_candidate_list_is_one_item() -> None:
    created = parse_line('/election create "Q" "A, B", C').options
    assert created["candidates"] == ("A, B", "C")


def test_an_empty_positional_names_what_is_empty() -> None:
    assert invalid('/election create "" A, B') == "The title needs a value; it is empty."


def test_an_unknown_option_after_the_id_names_the_exact_line_to_type() -> None:
    message = invalid("/question edit Q2 --by x")
    assert message.endswith("type -- before it: /question edit Q2 -- --by x")
    typed = message.rsplit(": ", 1)[1]
    assert parse_line(typed).options == {"id": "Q2", "text": "--by x"}  # the hint works


def test_an_unknown_option_before_the_id_shows_where_the_id_goes() -> None:
    assert invalid("/question answer --bogus Q1 Yes").endswith(
        "/question answer <id> -- --bogus Q1 Yes"
    )


def test_a_dismissal_without_a_reason_lists_the_reason_codes() -> None:
    message = invalid("/question dismiss Q1")
    assert message.startswith("A reason is required to dismiss a question")
    assert "duplicate, off-topic, abusive, answered-elsewhere, or other" in message
    assert message.endswith("For example: /question dismiss Q1 off-topic")
    assert "Usage" not in message
    assert invalid("/question dismiss Q1 --") == message
    assert invalid("/question dismiss").startswith("Missing id, reason.")  # nothing to fill in
