"""The /rank parser: forgiving about form, strict about meaning."""

from __future__ import annotations

import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.errors import InvalidInput
from bot.ranking import MAX_LENGTH, fold, names_index, parse_ranking
from bot.ranking.tokens import ORDINALS

SURNAMES = ("Kendall", "Burnham", "Cooper", "Corbyn")
FULL_NAMES = ("Liz Kendall", "Andy Burnham", "Yvette Cooper", "Jeremy Corbyn")
ACCENTED = ("Zoë Lefèvre", "Ángel Núñez", "Søren Ørsted", "Ruth Ó Ceallaigh")


def error_of(text: str, candidates: tuple[str, ...] = SURNAMES, **kw: object) -> str:
    with pytest.raises(InvalidInput) as info:
        parse_ranking(text, candidates, **kw)  # type: ignore[arg-type]
    return info.value.message


@pytest.mark.parametrize(
    "text",
    [
        "Kendall Burnham Cooper",
        "Kendall, Burnham, Cooper",
        "Kendall,Burnham,Cooper",
        "Kendall > Burnham > Cooper",
        "Kendall>Burnham>Cooper",
        "Kendall -> Burnham => Cooper",
        "Kendall; Burnham; Cooper",
        "1. Kendall 2. Burnham 3. Cooper",
        "1) Kendall 2) Burnham 3) Cooper",
        "1.Kendall 2.Burnham 3.Cooper",
        "1 Kendall 2 Burnham 3 Cooper",
        "1st Kendall 2nd Burnham 3rd Cooper",
        "1º Kendall 2º Burnham 3º Cooper",
        "1ª Kendall 2ª Burnham 3ª Cooper",
        "1° Kendall 2° Burnham 3° Cooper",
        "3º Cooper 1º Kendall 2º Burnham",
        "#1 Kendall #2 Burnham #3 Cooper",
        "1. Kendall\n2. Burnham\n3. Cooper",
        '"Kendall" "Burnham" "Cooper"',
        "“Kendall”, “Burnham”, “Cooper”",
        "  kendall   BURNHAM cOoPeR  ",
        "Kendall. Burnham! Cooper",
    ],
)
def test_accepted_forms_all_give_the_same_ranking(text: str) -> None:
    assert parse_ranking(text, SURNAMES) == ("Kendall", "Burnham", "Cooper")


def test_partial_ranking_is_allowed() -> None:
    assert parse_ranking("Corbyn", SURNAMES) == ("Corbyn",)


def test_unique_prefixes_resolve() -> None:
    assert parse_ranking("ke bu coo cor", SURNAMES) == ("Kendall", "Burnham", "Cooper", "Corbyn")


@pytest.mark.parametrize("text", ["Kendall b Cooper", "k b", "Kendall > b"])
def test_a_single_letter_is_too_short_to_name_a_candidate(text: str) -> None:
    with pytest.raises(InvalidInput, match=r"too short to be sure.*at least 2 letters"):
        parse_ranking(text, SURNAMES)


def test_a_single_letter_that_is_a_whole_alias_still_names_its_candidate() -> None:
    assert parse_ranking("j, ke", SURNAMES, {"J": "Corbyn"}) == ("Corbyn", "Kendall")


@pytest.mark.parametrize("word", ["and", "then", "&", "AND"])
def test_joining_words_get_their_own_message_not_a_look_alike(word: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_ranking(f"Kendall {word} Cooper", SURNAMES)
    assert 'without "and" or "then"' in str(refused.value)
    assert "Did you mean" not in str(refused.value)


def test_names_come_back_in_the_candidates_spelling() -> None:
    assert parse_ranking("zoe angel", ACCENTED) == ("Zoë Lefèvre", "Ángel Núñez")


def test_accents_and_case_are_ignored_for_matching() -> None:
    assert parse_ranking("LEFEVRE, nunez, soren", ACCENTED) == (
        "Zoë Lefèvre",
        "Ángel Núñez",
        "Søren Ørsted",
    )


def test_multi_word_names_without_quotes() -> None:
    text = "Jeremy Corbyn Andy Burnham Liz Kendall"
    assert parse_ranking(text, FULL_NAMES) == ("Jeremy Corbyn", "Andy Burnham", "Liz Kendall")


def test_a_surname_alone_matches_a_multi_word_name() -> None:
    assert parse_ranking("corbyn cooper", FULL_NAMES) == ("Jeremy Corbyn", "Yvette Cooper")


def test_quoted_multi_word_names() -> None:
    text = '"Yvette Cooper" > "Liz Kendall"'
    assert parse_ranking(text, FULL_NAMES) == ("Yvette Cooper", "Liz Kendall")


def test_longest_match_prefers_the_longer_name() -> None:
    candidates = ("Andy", "Andy Burnham", "Burgon")
    assert parse_ranking("Andy Burnham Andy", candidates) == ("Andy Burnham", "Andy")


def test_exact_name_beats_a_prefix_of_a_longer_one() -> None:
    assert parse_ranking("Andy", ("Andy", "Andy Burnham")) == ("Andy",)


def test_quoted_text_must_name_one_candidate_whole() -> None:
    message = error_of('"Kendall Burnham"')
    assert '"Kendall Burnham" is not a candidate' in message


def test_aliases_set_by_moderators() -> None:
    aliases = {"JC": "Jeremy Corbyn", "Yvette": "Yvette Cooper"}
    assert parse_ranking("jc, yvette", FULL_NAMES, aliases) == ("Jeremy Corbyn", "Yvette Cooper")


def test_alias_to_an_unknown_candidate_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="not a candidate"):
        parse_ranking("x", SURNAMES, {"x": "Nobody"})


def test_ron_candidate_by_prefix_and_in_full() -> None:
    candidates = (*SURNAMES, "RON (re-open nominations)")
    assert parse_ranking("ron kendall", candidates) == ("RON (re-open nominations)", "Kendall")
    full = "RON (re-open nominations) > Kendall"
    assert parse_ranking(full, candidates) == ("RON (re-open nominations)", "Kendall")


def test_unknown_name_suggests_the_closest_candidate() -> None:
    assert error_of("Kendall Burnam") == '"Burnam" is not a candidate. Did you mean "Burnham"?'


def test_unknown_name_with_nothing_close_lists_the_candidates() -> None:
    message = error_of("Kendall Xyzzy")
    assert (
        message
        == '"Xyzzy" is not a candidate. The candidates are: Kendall, Burnham, Cooper, Corbyn.'
    )


def test_ambiguous_prefix_names_the_candidates_it_could_be() -> None:
    message = error_of("co")
    assert message == '"co" could be "Cooper" or "Corbyn": type more of the name to choose one.'


def test_repeated_name_is_rejected() -> None:
    assert error_of("Kendall Burnham kendall") == (
        '"Kendall" is ranked twice; rank each candidate at most once.'
    )


def test_repeated_name_under_two_spellings_shows_both() -> None:
    message = error_of("Corbyn Burnham JC", aliases={"JC": "Corbyn"})
    assert message == (
        '"Corbyn" is ranked twice (as "Corbyn" and as "JC"); rank each candidate at most once.'
    )


@pytest.mark.parametrize("text", ["", "   ", ", > ;", "1. 2. 3."])
def test_empty_ranking_is_rejected(text: str) -> None:
    assert error_of(text).startswith("Your ranking is empty")


def test_unclosed_quote_is_rejected() -> None:
    assert "not closed" in error_of('"Kendall Burnham')


def test_empty_quotes_are_rejected() -> None:
    assert "empty pair of quotes" in error_of('Kendall ""')


def test_over_long_input_is_rejected_before_matching() -> None:
    assert "too long" in error_of("Kendall " * (MAX_LENGTH // 8 + 1))


def test_fold_strips_accents_case_and_spacing() -> None:
    assert fold("  ZOË   Lefèvre ") == "zoe lefevre"


SEPARATORS = [" ", ", ", ",", " > ", ">", "; ", "\n", " -> "]


@given(
    order=st.permutations(SURNAMES + ACCENTED),
    size=st.integers(min_value=1, max_value=len(SURNAMES) + len(ACCENTED)),
    separator=st.sampled_from(SEPARATORS),
    case=st.sampled_from([str, str.lower, str.upper, str.casefold]),
)
def test_any_ranking_joined_by_any_separator_parses_back(
    order: list[str], size: int, separator: str, case: object
) -> None:
    chosen = tuple(order[:size])
    text = separator.join(case(name) for name in chosen)  # type: ignore[operator]
    assert parse_ranking(text, SURNAMES + ACCENTED) == chosen


@given(order=st.permutations(FULL_NAMES), style=st.sampled_from(["numbered", "quoted", "plain"]))
def test_any_full_name_ranking_in_list_styles_parses_back(order: list[str], style: str) -> None:
    if style == "numbered":
        text = " ".join(f"{i}. {name}" for i, name in enumerate(order, start=1))
    elif style == "quoted":
        text = " ".join(f'"{name}"' for name in order)
    else:
        text = " ".join(order)
    assert parse_ranking(text, FULL_NAMES) == tuple(order)


_name_chars = st.text(alphabet=string.ascii_letters + "éñøü'-", min_size=2, max_size=10).filter(
    lambda name: fold(name) not in ORDINALS  # "Fifth" alone would read as a rank number too
)


@given(
    names=st.lists(_name_chars, min_size=2, max_size=8, unique_by=fold),
    data=st.data(),
)
def test_generated_candidates_round_trip_with_explicit_separators(
    names: list[str], data: st.DataObject
) -> None:
    candidates = tuple(names)
    order = data.draw(st.permutations(candidates))
    separator = data.draw(st.sampled_from([", ", " > ", "\n", ";"]))
    quoted = data.draw(st.booleans())
    parts = [f'"{n}"' if quoted else n for n in order]
    assert parse_ranking(separator.join(parts), candidates) == tuple(order)


def test_the_name_index_is_built_once_per_election() -> None:
    names = ("Ada Lovelace", "Alan Turing", "Grace Hopper")
    aliases = {"amazing grace": "Grace Hopper"}
    first = names_index(tuple(names), tuple(aliases.items()))
    before = names_index.cache_info()
    assert parse_ranking("turing amazing grace", list(names), dict(aliases)) == (
        "Alan Turing",
        "Grace Hopper",
    )
    assert names_index.cache_info().hits == before.hits + 1
    assert names_index(tuple(names), tuple(aliases.items())) is first


def test_a_changed_alias_is_never_served_from_a_stale_index() -> None:
    names = ["Burnham", "Cooper", "Corbyn"]
    assert parse_ranking("jc", names, {"jc": "Corbyn"}) == ("Corbyn",)
    assert parse_ranking("jc", names, {"jc": "Cooper"}) == ("Cooper",)
    with pytest.raises(InvalidInput):
        parse_ranking("jc", names, {})
    with pytest.raises(ValueError, match="not a candidate"):
        parse_ranking("jc", names, {"jc": "Kendall"})


def test_a_longer_prefix_match_does_not_swallow_two_exact_names() -> None:
    """``Jo Co`` could be Jo Cox, or Jo then Co: ask rather than guess."""
    candidates = ["Jo", "Co", "Jo Cox"]
    with pytest.raises(InvalidInput, match='"Jo Co" could be "Jo Cox", or "Jo" followed by'):
        parse_ranking("Jo Co", candidates)
    assert parse_ranking("Jo, Co", candidates) == ("Jo", "Co")
    assert parse_ranking("Jo Cox Co", candidates) == ("Jo Cox", "Co")


def test_names_with_numbers_need_no_quotes_when_typed_in_full() -> None:
    candidates = ["Candidate 1", "Candidate 2", "Candidate 10"]
    assert parse_ranking("Candidate 2, Candidate 10", candidates) == ("Candidate 2", "Candidate 10")
    assert parse_ranking("1. candidate 10 2. Candidate 1", candidates) == (
        "Candidate 10",
        "Candidate 1",
    )
    assert parse_ranking('"Candidate 1"', candidates) == ("Candidate 1",)


def test_words_that_spell_one_name_or_several_are_refused_not_guessed() -> None:
    """``Ann Smith`` with candidates Ann, Smith and Ann Smith: one preference or two. Refused,
    with both readings; commas or quotes say which the member meant."""
    names = ["Ann", "Smith", "Ann Smith", "Bob"]
    with pytest.raises(InvalidInput) as caught:
        parse_ranking("Ann Smith Bob", names)
    assert caught.value.message.startswith('"Ann Smith" could be "Ann Smith", or "Ann" followed')
    assert parse_ranking("Ann, Smith, Bob", names) == ("Ann", "Smith", "Bob")
    assert parse_ranking('"Ann Smith" Bob', names) == ("Ann Smith", "Bob")
