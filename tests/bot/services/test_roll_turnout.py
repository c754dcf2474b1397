"""Turnout by branch in a roll election: shown only where at least 10 voted, and never so
that the branches held back can be worked out from the total."""

from __future__ import annotations

from collections.abc import Iterator

from bot.adapters.render.views import election_status
from bot.app import App
from bot.services.roll import import_roll, issue_codes
from bot.services.roll_codes import grouped
from bot.services.roll_file import read_roll
from bot.services.roll_links import LinkService
from bot.services.roll_rules import Electorate
from tests.bot.services.conftest import MOD, PLACE, FakeClock, OpenElection, member

BRANCHES = {"North": 12, "South": 10, "East": 3}


def _code(n: int) -> str:
    return grouped(f"{n:016d}")


async def _vote(
    app: App, clock: FakeClock, open_election: OpenElection, voters: dict[str, int]
) -> None:
    rows = ["member_id,name,branch,section,joined"]
    people = [(b, i) for b, count in BRANCHES.items() for i in range(count)]
    rows += [f"M{n:03d},Member {n},{b},members,2020-01-01" for n, (b, _) in enumerate(people)]
    await import_roll(app.context.sessions, read_roll("\n".join(rows) + "\n"), clock())
    # codes are issued in member id order: M000, M001, …
    codes: Iterator[str] = (_code(n) for n in range(len(people)))
    await issue_codes(app.context.sessions, app.context.secrecy, clock(), draw=lambda: next(codes))
    await open_election(electorate=Electorate("roll"))
    links = LinkService(app.context)
    for n, (branch, i) in enumerate(people):
        if i < voters.get(branch, 0):
            await links.link(member(n), _code(n))
            await app.ballots.rank(member(n), PLACE, "Kendall")


async def test_small_branches_are_held_back_with_one_that_would_give_them_away(
    app: App, clock: FakeClock, open_election: OpenElection
) -> None:
    await _vote(app, clock, open_election, BRANCHES)
    shown = await app.elections.get(MOD, PLACE)
    assert shown.turnout == 25
    # South's 10 would leave East's 3 as the difference: South is held back with it
    assert (shown.branch_turnout, shown.branch_others) == ((("North", 12),), 13)
    assert "Turnout by branch: North 12; 13 in branches with fewer than 10" in "\n".join(
        election_status(shown).lines
    )


async def test_withdrawals_move_the_branch_count(
    app: App, clock: FakeClock, open_election: OpenElection
) -> None:
    await _vote(app, clock, open_election, {"North": 12, "South": 10})
    assert (await app.elections.get(MOD, PLACE)).branch_turnout == (("North", 12), ("South", 10))
    await app.ballots.withdraw(member(0), PLACE)  # member 0 is in North
    shown = await app.elections.get(MOD, PLACE)
    assert (shown.branch_turnout, shown.branch_others) == ((("North", 11), ("South", 10)), 0)
    await app.ballots.rank(member(12), PLACE, "Cooper")  # a re-rank: no new voter
    assert (await app.elections.get(MOD, PLACE)).branch_turnout == (("North", 11), ("South", 10))


async def test_under_ten_everywhere_shows_no_branch(
    app: App, clock: FakeClock, open_election: OpenElection
) -> None:
    await _vote(app, clock, open_election, {"North": 9, "East": 2})
    shown = await app.elections.get(MOD, PLACE)
    assert (shown.branch_turnout, shown.branch_others) == ((), 11)
    assert "shown only where at least 10 have voted" in "\n".join(election_status(shown).lines)
