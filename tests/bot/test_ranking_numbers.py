"""Numbers mean order; one folding of names; what a member typed is shown in every refusal."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.adapters.render.views import numbered
from bot.errors import InvalidInput
from bot.ranking import parse_ranking, read_ranking
from bot.ranking.numbers import MAX_READINGS
from bot.ranking.tokens import ORDINALS

LABOUR = ("Kendall", "Burnham", "Cooper", "Corbyn")
PEOPLE = ("Rory O'Brien", "Ed Balls", "Ann Smith-Jones", "Zoë Lefèvre", "Jeremy Corbyn")


def error_of(text: str, candidates: tuple[str, ...] = LABOUR) -> str:
    with pytest.raises(InvalidInput) as info:
        parse_ranking(text, candidates)
    return info.value.message


@pytest.mark.parametrize(
    ("text", "meant"),
    [
        ("4. Kendall 3. Cooper 2. Burnham 1. Corbyn", ("Corbyn", "Burnham", "Cooper", "Kendall")),
        ("2) Cooper 1) Kendall", ("Kendall", "Cooper")),
        ("2 Corbyn 1 Burnham", ("Burnham", "Corbyn")),
        ("#2 Corbyn #1 Burnham", ("Burnham", "Corbyn")),
        ("2nd Corbyn, 1st Burnham", ("Burnham", "Corbyn")),
        ("second: Corbyn; first: Burnham", ("Burnham", "Corbyn")),
        ("(2) Corbyn (1) Burnham", ("Burnham", "Corbyn")),
        ("[2] Corbyn\n[1] Burnham", ("Burnham", "Corbyn")),
        ("2.Corbyn 1.Burnham", ("Burnham", "Corbyn")),
        ("2 – Corbyn\n1 — Burnham", ("Burnham", "Corbyn")),
        ("２．Corbyn １．Burnham", ("Burnham", "Corbyn")),
        ("② Corbyn ① Burnham", ("Burnham", "Corbyn")),
        ("SECOND Corbyn FIRST Burnham", ("Burnham", "Corbyn")),
    ],
)
def test_numbers_decide_the_order_in_any_form(text: str, meant: tuple[str, ...]) -> None:
    ranking = read_ranking(text, LABOUR)
    assert ranking.names == meant
    assert ranking.note is None


def test_unnumbered_rankings_keep_the_typed_order() -> None:
    assert parse_ranking("Corbyn Kendall Burnham", LABOUR) == ("Corbyn", "Kendall", "Burnham")


def test_two_equal_numbers_are_refused_naming_the_clash() -> None:
    assert error_of("1. Corbyn 1. Burnham") == (
        'You gave "Corbyn" and "Burnham" the same number, 1: give each candidate its own '
        "number, e.g. 1. Corbyn 2. Burnham."
    )
    assert "the same number, 1" in error_of("1st Corbyn, first Burnham")


def test_a_number_with_no_candidate_is_refused_with_both_forms() -> None:
    assert error_of("1. Kendall 2.") == (
        '"2." has no candidate after it. Either number every name (1. Kendall 2. Burnham) or '
        "none, in order of preference (Kendall, Burnham)."
    )


def test_numbered_and_unnumbered_names_together_are_refused() -> None:
    assert error_of("Kendall 1. Burnham").startswith(
        '"Kendall" has no number, but other names in your ranking do. Either number every name'
    )
    assert error_of("1. Kendall Burnham").startswith(
        '"Burnham" has no number of its own (it follows "1. Kendall").'
    )
    assert "has no number" in error_of("Kendall 2 Burnham 1")  # numbers after names


def test_zero_is_not_a_rank() -> None:
    assert error_of("0. Kendall 1. Burnham").startswith('"0." is not a rank')


def test_gaps_are_closed_up_and_noted() -> None:
    ranking = read_ranking("4. Cooper 1. Kendall 2. Burnham", LABOUR)
    assert ranking.names == ("Kendall", "Burnham", "Cooper")
    assert (
        ranking.note == "You numbered them 1, 2, 4; with the gaps closed up they count as 1, 2, 3."
    )
    alone = read_ranking("3. Cooper", LABOUR)
    assert alone.names == ("Cooper",)
    assert alone.note == "You numbered your choice 3; it counts as your 1st preference."


@pytest.mark.parametrize(
    ("text", "meant"),
    [
        ("Rory O’Brien, Ed Balls", ("Rory O'Brien", "Ed Balls")),
        ("Ann Smith–Jones", ("Ann Smith-Jones",)),
        ("Ann Smith—Jones > Ed Balls", ("Ann Smith-Jones", "Ed Balls")),
        ("Ed\u00a0Balls", ("Ed Balls",)),
        ("Ed\u2009Balls, Zoë", ("Ed Balls", "Zoë Lefèvre")),
        ("E\u200bd Balls", ("Ed Balls",)),
        ("Corb\u200byn", ("Jeremy Corbyn",)),
        ("1.\u200b Ed Balls 2.\u2060 rory oʼbrien", ("Ed Balls", "Rory O'Brien")),
        ("\ufeffZOE LEFEVRE\u00ad", ("Zoë Lefèvre",)),
        ("„Ed Balls“ «Rory O'Brien»", ("Ed Balls", "Rory O'Brien")),
        ("Ed Balls » Corbyn", ("Ed Balls", "Jeremy Corbyn")),
    ],
)
def test_phone_punctuation_and_invisible_characters_are_recorded_as_meant(
    text: str, meant: tuple[str, ...]
) -> None:
    assert parse_ranking(text, PEOPLE) == meant


def test_an_unknown_name_shows_its_invisible_characters() -> None:
    message = error_of("Corb\u200byn", ("Corbin", "Kendall"))
    assert message == '"Corb\\u200byn" is not a candidate. Did you mean "Corbin"?'


def test_a_look_alike_letter_is_shown_not_suggested_as_itself() -> None:
    message = error_of("C\u043erbyn")  # Cyrillic о
    assert message == '"C\\u043erbyn" is not a candidate. Did you mean "Corbyn"?'


def test_names_with_numbers_read_both_ways_and_the_valid_reading_wins() -> None:
    candidates = ("Candidate 1", "Candidate 2", "Candidate 10")
    assert parse_ranking("2. Candidate 1 1. Candidate 2", candidates) == (
        "Candidate 2",
        "Candidate 1",
    )
    assert parse_ranking("1 Ann 2 Bob", ("Ann 2", "Ann", "Bob")) == ("Ann", "Bob")
    assert parse_ranking("Ann 2, Bob", ("Ann 2", "Ann", "Bob")) == ("Ann 2", "Bob")


def test_two_valid_readings_are_refused_and_quoting_settles_it() -> None:
    candidates = ("2 Unlimited", "Unlimited", "Kendall")
    message = error_of("2 Unlimited", candidates)
    assert message == (
        '"2 Unlimited" is the name "2 Unlimited" but also holds a rank number, so your ranking '
        'could be 1. 2 Unlimited or 1. Unlimited. Put the name in quotes: "2 Unlimited".'
    )
    assert parse_ranking('"2 Unlimited"', candidates) == ("2 Unlimited",)
    assert parse_ranking("1. 2 Unlimited 2. Kendall", candidates) == ("2 Unlimited", "Kendall")


def test_readings_are_bounded() -> None:
    candidates = tuple(f"N {i}" for i in range(1, 9))
    text = ", ".join(candidates)  # 8 names holding numbers: 2**8 readings, only some tried
    assert 2 ** len(candidates) > MAX_READINGS
    assert parse_ranking(text, candidates) == candidates


def test_a_lone_dash_is_a_separator_but_names_may_hold_one() -> None:
    candidates = ("Jo Bloggs - Independent", "Kendall", "Burnham")
    assert parse_ranking("Kendall – Burnham", candidates) == ("Kendall", "Burnham")
    assert parse_ranking("Jo Bloggs - Independent, Kendall", candidates) == (
        "Jo Bloggs - Independent",
        "Kendall",
    )


def test_names_with_full_stops_match_typed_with_or_without() -> None:
    candidates = ("St. John Smith", "Dr. Who")
    assert parse_ranking("Dr Who, St. John Smith", candidates) == ("Dr. Who", "St. John Smith")


# --- properties ----------------------------------------------------------------------------

CANDIDATES = (*LABOUR, *PEOPLE[:4], "Candidate 2", "Candidate 10")

_MARKS = (
    "{n}.", "{n})", "{n}:", "{n}", "#{n}", "({n})", "[{n}]", "{o}", "{o}:", "{t}", "{t}.",
)  # fmt: skip
_APOSTROPHES = "'’‘ʼ`´′"
_DASHES = "-‐‑‒–—−"
_SPACES = (" ", "\u00a0", "\u2009", "\u3000", "  ")
_INVISIBLE = ("", "", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad")


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


@st.composite
def typed_names(draw: st.DrawFn, name: str) -> str:
    """``name`` as a phone might type it: any case, quote/dash/space variants, invisibles."""
    out = []
    variants = {"'": _APOSTROPHES, "-": _DASHES, " ": _SPACES}
    for ch in name:
        shown = draw(st.sampled_from(variants[ch])) if ch in variants else ch
        out.append(shown + draw(st.sampled_from(_INVISIBLE)))
    case = draw(st.sampled_from([str, str.lower, str.upper, str.casefold]))
    return str(case("".join(out)))


@st.composite
def mark(draw: st.DrawFn, n: int) -> str:
    forms = [f for f in _MARKS if "{t}" not in f or n <= len(ORDINALS)]
    form = draw(st.sampled_from(forms))
    word = ORDINALS[n - 1] if n <= len(ORDINALS) else ""
    return form.format(n=n, o=_ordinal(n), t=draw(st.sampled_from([word, word.title()])))


@given(data=st.data(), order=st.permutations(CANDIDATES), size=st.integers(1, len(CANDIDATES)))
def test_any_numbered_ranking_in_any_line_order_parses_back(
    data: st.DataObject, order: list[str], size: int
) -> None:
    ranking = tuple(order[:size])
    numbers = sorted(data.draw(st.sets(st.integers(1, 60), min_size=size, max_size=size)))
    items = [
        f"{data.draw(mark(n))} {data.draw(typed_names(name))}"
        for n, name in zip(numbers, ranking, strict=True)
    ]
    shuffled = data.draw(st.permutations(items))
    separator = data.draw(st.sampled_from([" ", ", ", "\n", "; ", " > ", "\r\n"]))
    parsed = read_ranking(separator.join(shuffled), CANDIDATES)
    assert parsed.names == ranking
    assert (parsed.note is None) == (numbers == list(range(1, size + 1)))


@given(data=st.data(), order=st.permutations(CANDIDATES), size=st.integers(2, len(CANDIDATES)))
def test_any_ranking_with_two_equal_numbers_is_refused(
    data: st.DataObject, order: list[str], size: int
) -> None:
    ranking = order[:size]
    numbers = list(range(1, size + 1))
    a, b = data.draw(st.lists(st.integers(0, size - 1), min_size=2, max_size=2, unique=True))
    numbers[b] = numbers[a]
    items = [f"{data.draw(mark(n))} {name}" for n, name in zip(numbers, ranking, strict=True)]
    text = " ".join(data.draw(st.permutations(items)))
    with pytest.raises(InvalidInput, match=f"the same number, {numbers[a]}"):
        parse_ranking(text, CANDIDATES)


_STYLES = ("plain", "commas", "arrows", "numbered", "reversed", "quoted")


def _typed_in(style: str, ranking: tuple[str, ...]) -> str:
    if style == "plain":
        return " ".join(ranking)
    if style == "commas":
        return ", ".join(ranking)
    if style == "arrows":
        return " > ".join(ranking)
    if style == "quoted":
        return " ".join(f'"{name}"' for name in ranking)
    items = [f"{i}. {name}" for i, name in enumerate(ranking, start=1)]
    return " ".join(reversed(items) if style == "reversed" else items)


@given(
    order=st.permutations(CANDIDATES),
    size=st.integers(1, len(CANDIDATES)),
    style=st.sampled_from(_STYLES),
)
def test_parse_then_receipt_then_parse_is_the_identity(
    order: list[str], size: int, style: str
) -> None:
    ranking = tuple(order[:size])
    text = _typed_in(style, ranking)
    if style == "plain" and any(c.startswith("Candidate") for c in ranking):
        text = _typed_in("commas", ranking)  # "Candidate 2 Candidate 10" needs separating
    parsed = parse_ranking(text, CANDIDATES)
    assert parsed == ranking
    assert parse_ranking(numbered(parsed), CANDIDATES) == parsed


_LOOK_ALIKES = {"a": "а", "o": "оο", "e": "е", "p": "р", "c": "с", "y": "у", "B": "ВΒ", "K": "КΚ"}


@given(name=st.sampled_from(LABOUR), data=st.data())
def test_a_refusal_never_shows_the_typed_name_as_its_own_suggestion(
    name: str, data: st.DataObject
) -> None:
    """``"Corbyn" is not a candidate. Did you mean "Corbyn"?`` must never be said."""
    typed = "".join(
        data.draw(st.sampled_from([ch, *_LOOK_ALIKES.get(ch, "")]))
        + data.draw(st.sampled_from((*_INVISIBLE, "\x07")))
        for ch in name
    )
    try:
        parse_ranking(typed, LABOUR)
    except InvalidInput as exc:
        shown, _, rest = exc.message.removeprefix('"').partition('" is not a candidate.')
        assert rest, exc.message
        assert f'"{shown}"' not in rest
        assert shown != name
