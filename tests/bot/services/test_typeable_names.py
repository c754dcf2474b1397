"""Names a member can type: /election create|edit|alias refuse what /rank could not read back."""

from __future__ import annotations

import string

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from bot.adapters.render.views import numbered
from bot.app import App
from bot.errors import Conflict, InvalidInput
from bot.ranking import parse_ranking
from bot.ranking.typeable import name_problem
from counting.names import fold
from tests.bot.services.conftest import CANDIDATES, MOD, PLACE, member


@pytest.mark.parametrize(
    ("name", "message"),
    [
        (
            "\u200b\u200d",
            'The candidate name "\\u200b\\u200d" is empty (only spaces or invisible characters).',
        ),
        ("Corb\x07yn", 'The candidate name "Corb\\u0007yn" holds a control character.'),
        (
            "Corbyn\u202e",
            'The candidate name "Corbyn\\u202e" holds a character that changes the text\'s '
            "direction.",
        ),
        ("...", 'The candidate name "..." has no letters or digits.'),
        (">", 'The candidate name ">" has no letters or digits.'),
        ("A|B", 'The candidate name "A|B" contains "|", which separates or quotes names'),
        ("Kendall → Cooper", 'contains "→"'),
        ("Smith; Jones", 'contains ";"'),
        ("--seats", "looks like part of a command"),
        ("Ann --seats 2", "looks like part of a command"),
        ("/rank", "looks like part of a command"),
        ("2", 'The candidate name "2" would be read as a rank number.'),
        ("2nd", "would be read as a rank number"),
        ("Second", "would be read as a rank number"),
    ],
)
async def test_create_refuses_names_members_could_not_type(
    app: App, name: str, message: str
) -> None:
    with pytest.raises(InvalidInput) as info:
        await app.elections.create(MOD, PLACE, "Leader", ["Kendall", name])
    assert message in info.value.message
    assert await app.elections.list(MOD, PLACE) == []


async def test_edit_refuses_them_too(app: App) -> None:
    await app.elections.create(MOD, PLACE, "Leader", CANDIDATES)
    with pytest.raises(InvalidInput, match="separates or quotes"):
        await app.elections.edit(MOD, PLACE, "1", candidates=["Kendall", "A > B"])
    assert (await app.elections.get(MOD, PLACE, "1")).candidates == CANDIDATES


@pytest.mark.parametrize(
    ("title", "message"),
    [
        ("\u200b", 'The title "\\\\u200b" is empty'),
        ("--seats", 'The title "--seats" looks like part of a command'),
        ("Leader\u202e", "changes the text's direction"),
        ("!!!", "has no letters or digits"),
        ("Leader\x00", "control character"),
    ],
)
async def test_create_refuses_titles_members_could_not_read(
    app: App, title: str, message: str
) -> None:
    with pytest.raises(InvalidInput, match=message):
        await app.elections.create(MOD, PLACE, title, CANDIDATES)


async def test_names_with_full_stops_are_the_same_name_with_or_without(app: App) -> None:
    with pytest.raises(InvalidInput, match="same name"):
        await app.elections.create(MOD, PLACE, "Leader", ["Dr. Who", "Dr Who", "Kendall"])


async def test_punctuation_and_numbers_inside_names_are_fine(app: App) -> None:
    names = ["Rory O'Brien", "Ann Smith-Jones", "Candidate 2", "Jo Bloggs - Independent"]
    view = await app.elections.create(MOD, PLACE, "Leader, 2015 (mock)", names)
    assert view.candidates == tuple(names)


@pytest.mark.parametrize(
    ("alias", "message"),
    [
        ("Coo", '"Coo" is the start of Cooper\'s name, so members typing it could mean Cooper'),
        ("cooper", '"cooper" is Cooper\'s own name; it cannot mean Corbyn.'),
        ("C\u200booper", '"C\\u200booper" is Cooper\'s own name'),
    ],
)
async def test_an_alias_that_starts_another_candidates_name_is_refused(
    app: App, alias: str, message: str
) -> None:
    await app.elections.create(MOD, PLACE, "Leader", CANDIDATES)
    with pytest.raises(Conflict) as info:
        await app.elections.set_alias(MOD, PLACE, "1", alias, "Corbyn")
    assert message in info.value.message
    assert (await app.elections.get(MOD, PLACE, "1")).aliases == {}


@pytest.mark.parametrize(
    ("alias", "message"),
    [
        ("A>B", 'contains ">"'),
        ("--seats", "part of a command"),
        ("\u2060", "is empty"),
        ("1", "rank"),
    ],
)
async def test_an_alias_members_could_not_type_is_refused(
    app: App, alias: str, message: str
) -> None:
    await app.elections.create(MOD, PLACE, "Leader", CANDIDATES)
    with pytest.raises(InvalidInput, match=message):
        await app.elections.set_alias(MOD, PLACE, "1", alias, "Corbyn")


async def test_an_alias_may_start_its_own_candidates_name(app: App) -> None:
    await app.elections.create(MOD, PLACE, "Leader", CANDIDATES)
    await app.elections.set_alias(MOD, PLACE, "1", "Corb", "Corbyn")
    await app.elections.set_alias(MOD, PLACE, "1", "JC", "Corbyn")
    await app.elections.open(MOD, PLACE, "1")
    receipt = await app.ballots.rank(member(1), PLACE, "jc > burnham")
    assert receipt.ranking == ("Corbyn", "Burnham")


_WORD = st.text(alphabet=string.ascii_letters + "éøñ'’-.–", min_size=1, max_size=8)
_NUMBER = st.integers(1, 60).map(str)


@given(
    names=st.lists(
        st.lists(st.one_of(_WORD, _WORD, _WORD, _NUMBER), min_size=1, max_size=3).map(" ".join),
        min_size=2,
        max_size=6,
        unique_by=fold,
    ),
    data=st.data(),
)
def test_every_name_accepted_parses_back_from_its_receipt(
    names: list[str], data: st.DataObject
) -> None:
    """A name ``name_problem`` lets through can be ranked by the receipt's own text."""
    accepted = [n for n in names if name_problem(n) is None]
    keys = {" ".join(w.strip(".!?:") for w in fold(n).split()) for n in accepted}
    assume(len(accepted) >= 2 and len(keys) == len(accepted))
    order = tuple(data.draw(st.permutations(accepted)))
    assert parse_ranking(numbered(order), accepted) == order


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("Rory O’Brien", "Rory O'Brien"),
        ("ann smith–jones", "Ann Smith-Jones"),
        ("Ed\u00a0Balls", "Ed Balls"),
        ("E\u200bd Balls", "Ed Balls"),
    ],
)
async def test_ask_to_matches_names_with_the_same_folding(app: App, typed: str, meant: str) -> None:
    names = ["Rory O'Brien", "Ann Smith-Jones", "Ed Balls"]
    await app.elections.create(MOD, PLACE, "Leader", names)
    await app.elections.open(MOD, PLACE)
    asked = await app.questions.ask(member(1), PLACE, "Rail?", to_candidate=typed)
    assert asked.to_candidate == meant


async def test_ask_to_an_unknown_name_shows_what_was_typed(app: App) -> None:
    await app.elections.create(MOD, PLACE, "Leader", ["Corbin", "Kendall"])
    await app.elections.open(MOD, PLACE)
    with pytest.raises(InvalidInput) as info:
        await app.questions.ask(member(1), PLACE, "Rail?", to_candidate="Corb\u200byn")
    assert info.value.message == '"Corb\\u200byn" is not a candidate. Did you mean "Corbin"?'
