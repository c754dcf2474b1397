"""Turnout by roll section: the branches' rule (at least 10 voted, and no small section
given away as the difference), with its own counter moved by ballots and withdrawals."""

from __future__ import annotations

import pytest

from bot.adapters.render.views import election_status
from bot.app import App
from bot.services.roll import import_roll, issue_codes
from bot.services.roll_codes import grouped
from bot.services.roll_file import read_roll
from bot.services.roll_links import LinkService
from bot.services.roll_rules import Electorate
from tests.bot.services.conftest import MOD, PLACE, FakeClock, OpenElection, member

pytestmark = pytest.mark.both_stores  # SQLite and PostgreSQL (tests/stores.py)


def _code(n: int) -> str:
    return grouped(f"{n:016d}")


async def _roll(app: App, clock: FakeClock, sections: dict[str, int]) -> list[str]:
    """Members M000… in ``sections`` (all in branch North), linked as ``member(n)``."""
    people = [s for s, count in sections.items() for _ in range(count)]
    rows = ["member_id,name,branch,section,joined"]
    rows += [f"M{n:03d},Member {n},North,{s},2020-01-01" for n, s in enumerate(people)]
    await import_roll(app.context.sessions, read_roll("\n".join(rows) + "\n"), clock())
    codes = iter([_code(n) for n in range(len(people))])
    await issue_codes(app.context.sessions, app.context.secrecy, clock(), draw=lambda: next(codes))
    links = LinkService(app.context)
    for n in range(len(people)):
        await links.link(member(n), _code(n))
    return people


async def test_sections_shown_from_ten_and_small_ones_held_back(
    app: App, clock: FakeClock, open_election: OpenElection
) -> None:
    people = await _roll(app, clock, {"members": 12, "affiliates": 10, "youth": 3})
    await open_election(electorate=Electorate("roll"))
    for n in range(len(people)):
        await app.ballots.rank(member(n), PLACE, "Kendall")
    shown = await app.elections.get(MOD, PLACE)
    # affiliates' 10 would leave youth's 3 as the difference: held back with it
    assert (shown.section_turnout, shown.section_others) == ((("members", 12),), 13)
    text = "\n".join(election_status(shown).lines)
    assert "Turnout by section: members 12; 13 in sections with fewer than 10, not shown" in text
    assert "Turnout by branch: North 25" in text


async def test_withdrawal_moves_the_section_counter(
    app: App, clock: FakeClock, open_election: OpenElection
) -> None:
    people = await _roll(app, clock, {"members": 10, "affiliates": 10})
    await open_election(electorate=Electorate("roll"))
    for n in range(len(people)):
        await app.ballots.rank(member(n), PLACE, "Cooper")
    assert (await app.elections.get(MOD, PLACE)).section_turnout == (
        ("affiliates", 10), ("members", 10),
    )  # fmt: skip
    await app.ballots.withdraw(member(0), PLACE)  # in members
    shown = await app.elections.get(MOD, PLACE)
    # affiliates' 10 would leave the members' 9 as the difference: both held back
    assert (shown.section_turnout, shown.section_others) == ((), 19)
    await app.ballots.rank(member(1), PLACE, "Kendall")  # a re-rank is no new voter
    assert (await app.elections.get(MOD, PLACE)).section_others == 19


async def test_under_ten_shows_no_section(
    app: App, clock: FakeClock, open_election: OpenElection
) -> None:
    people = await _roll(app, clock, {"members": 4})
    await open_election(electorate=Electorate("roll"))
    for n in range(len(people)):
        await app.ballots.rank(member(n), PLACE, "Kendall")
    shown = await app.elections.get(MOD, PLACE)
    assert (shown.section_turnout, shown.section_others) == ((), 4)
    assert "Turnout by section is shown only where at least 10 have voted" in "\n".join(
        election_status(shown).lines
    )
