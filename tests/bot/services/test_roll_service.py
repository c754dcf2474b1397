"""The roll in the core: link codes (typing, guessing, expiry), eligibility, one ballot per
member, departures, electorate options that do not fit together."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest
from sqlalchemy import select

from bot.app import App
from bot.domain import Actor
from bot.errors import Conflict, InvalidInput, NotAllowed, NotFound
from bot.services.roll import import_roll, issue_codes
from bot.services.roll_codes import normalise
from bot.services.roll_file import read_roll
from bot.services.roll_links import LinkService
from bot.services.roll_rules import Electorate
from bot.services.secrecy import Secrecy, VotingSuspended
from bot.storage.database import transaction
from bot.storage.tables import Ballot, RollLink
from tests.bot.adapters.roll_scenario import CODES
from tests.bot.services.conftest import MOD, PLACE, FakeClock, OpenElection, member
from tests.roll_cli_helpers import ROLL

SLACK_ALICE = Actor("slack", "T1", "U-ALICE", "alice")


async def seed(app: App, clock: FakeClock, *, days: int = 30, roll: str = ROLL) -> None:
    await import_roll(app.context.sessions, read_roll(roll), clock())
    codes: Iterator[str] = iter(CODES.values())
    await issue_codes(
        app.context.sessions, app.context.secrecy, clock(), days=days, draw=lambda: next(codes)
    )


@pytest.mark.parametrize(
    "typed",
    ["ABCD-EFGH-JKMN-PQRS", "abcd efgh jkmn pqrs", "abcd–efgh—jkmn pqrs", " ABCDEFGHJKMNPQRS "],
)
def test_phone_typed_codes_read_as_issued(typed: str) -> None:
    assert normalise(typed) == "ABCDEFGHJKMNPQRS"


def test_crockford_look_alikes_read_as_digits() -> None:
    assert normalise("OOOO-IIII-LLLL-0000") == "0000111111110000"


@pytest.mark.parametrize("typed", ["ABCD-EFGH-JKMN", "ABCD-EFGH-JKMN-PQRU", "ABCD-EFGH-JKMN-PQR!"])
def test_malformed_codes_are_refused(typed: str) -> None:
    with pytest.raises(InvalidInput):
        normalise(typed)


async def test_guessing_is_limited_per_account_per_hour(app: App, clock: FakeClock) -> None:
    await seed(app, clock)
    links = LinkService(app.context)
    for _ in range(5):
        with pytest.raises(NotFound, match="not one we issued"):
            await links.link(member(9), "ZZZZ-ZZZZ-ZZZZ-ZZZZ")
    with pytest.raises(NotAllowed, match=r"Too many wrong codes.*after 13:00 UTC"):
        await links.link(member(9), CODES["M002"])  # even the right code, for now
    await links.link(member(8), CODES["M003"])  # another account is not held back
    clock.advance(hours=1)
    assert (await links.link(member(9), CODES["M002"])).member_id == "M002"


async def test_expired_code_is_refused(app: App, clock: FakeClock) -> None:
    await seed(app, clock, days=1)
    clock.advance(days=1)
    with pytest.raises(Conflict, match="expired"):
        await LinkService(app.context).link(member(1), CODES["M001"])


async def test_one_account_per_platform(app: App, clock: FakeClock) -> None:
    await seed(app, clock)
    links = LinkService(app.context)
    await links.link(member(1), CODES["M001"])
    with pytest.raises(Conflict, match="already linked a Discord account"):
        await links.link(member(2), CODES["M001"])
    with pytest.raises(Conflict, match="linked to another membership"):
        await links.link(member(1), CODES["M002"])
    status = await links.link(SLACK_ALICE, CODES["M001"])
    assert status.platforms == ("Discord", "Slack")
    async with transaction(app.context.sessions, write=False) as session:
        stored = [link.account_key for link in (await session.scalars(select(RollLink)))]
    assert all("user-1" not in key and "U-ALICE" not in key for key in stored)


async def test_one_ballot_per_member_across_platforms(
    app: App, clock: FakeClock, open_election: OpenElection
) -> None:
    await seed(app, clock)
    links = LinkService(app.context)
    await links.link(member(1), CODES["M001"])
    await links.link(SLACK_ALICE, CODES["M001"])
    await open_election(electorate=Electorate("roll"))
    first = await app.ballots.rank(member(1), PLACE, "Kendall")
    second = await app.ballots.rank(SLACK_ALICE, PLACE, "Corbyn")
    assert (first.replaced, second.replaced, second.election.turnout) == (False, True, 1)
    assert (await app.ballots.mine(member(1), PLACE)).ranking == ("Corbyn",)
    async with transaction(app.context.sessions, write=False) as session:
        assert len(list(await session.scalars(select(Ballot)))) == 1
    await app.ballots.withdraw(member(1), PLACE)  # either account withdraws the one ballot
    with pytest.raises(NotFound):
        await app.ballots.mine(SLACK_ALICE, PLACE)


async def test_rules_refuse_with_the_reason(
    app: App, clock: FakeClock, open_election: OpenElection
) -> None:
    await seed(app, clock)
    links = LinkService(app.context)
    for n, member_id in ((3, "M003"), (5, "M005"), (4, "M004")):
        await links.link(member(n), CODES[member_id])
    rules = Electorate(
        "roll", branches=("north",), statuses=("active",), joined_before="2026-06-08"
    )
    await open_election(electorate=rules)
    with pytest.raises(NotAllowed, match="in branch north; your branch is South"):
        await app.ballots.rank(member(3), PLACE, "Kendall")
    with pytest.raises(NotAllowed, match="status active; your status is lapsed"):
        await app.ballots.rank(member(5), PLACE, "Kendall")
    with pytest.raises(NotAllowed, match=r"joined before 8 June 2026.*10 June 2026"):
        await app.ballots.rank(member(4), PLACE, "Kendall")
    with pytest.raises(NotAllowed, match=r"not on the roll.*/link CODE"):
        await app.ballots.rank(member(7), PLACE, "Kendall")


async def test_a_departed_member_cannot_vote(
    app: App, clock: FakeClock, open_election: OpenElection
) -> None:
    await seed(app, clock)
    await LinkService(app.context).link(member(2), CODES["M002"])
    without_bob = "".join(line for line in ROLL.splitlines(keepends=True) if "M002" not in line)
    report = await import_roll(app.context.sessions, read_roll(without_bob), clock())
    assert report.departed == 1
    await open_election(electorate=Electorate("roll"))
    with pytest.raises(NotAllowed, match="no longer on the current roll"):
        await app.ballots.rank(member(2), PLACE, "Kendall")


@pytest.mark.parametrize(
    ("electorate", "roles", "message"),
    [
        (Electorate(branches=("North",)), (), "--branch need --electorate roll"),
        (Electorate("roll"), ("members",), "two different electorates"),
        (Electorate("roll", joined_before="8/6/2026"), (), "YYYY-MM-DD"),
        (Electorate("everyone"), (), "Unknown electorate"),
    ],
)
async def test_electorate_options_that_do_not_fit_are_refused(
    app: App, clock: FakeClock, electorate: Electorate, roles: tuple[str, ...], message: str
) -> None:
    await seed(app, clock)
    with pytest.raises(InvalidInput, match=message):
        await app.elections.create(
            MOD, PLACE, "Leader", ("A", "B"), electorate=electorate, eligible_roles=roles
        )


async def test_a_roll_election_needs_a_roll(app: App) -> None:
    with pytest.raises(Conflict, match="hustings roll import"):
        await app.elections.create(MOD, PLACE, "Leader", ("A", "B"), electorate=Electorate("roll"))


async def test_linking_is_suspended_under_another_secret(app: App, clock: FakeClock) -> None:
    await seed(app, clock)
    other = LinkService(
        replace(app.context, secrecy=Secrecy(b"another secret, 32 bytes long!!", usable=False))
    )
    with pytest.raises(VotingSuspended):
        await other.link(member(1), CODES["M001"])


async def test_a_roll_college_takes_sections_from_the_roll(
    app: App, clock: FakeClock, open_election: OpenElection
) -> None:
    await seed(app, clock)
    links = LinkService(app.context)
    for n, member_id in ((1, "M001"), (3, "M003")):
        await links.link(member(n), CODES[member_id])
    await open_election(
        method="college", sections={"members": "Members"}, section_weights={"Members": 1},
        electorate=Electorate("roll"),
    )  # fmt: skip
    await app.ballots.rank(member(1), PLACE, "Kendall")  # M001's roll section: members
    with pytest.raises(NotAllowed, match="Your roll section, affiliates, is in no section"):
        await app.ballots.rank(member(3), PLACE, "Kendall")
    async with transaction(app.context.sessions, write=False) as session:
        assert [b.section for b in await session.scalars(select(Ballot))] == ["Members"]


async def test_codes_not_delivered_are_not_stored(app: App, clock: FakeClock) -> None:
    await seed(app, clock)

    def fail(issued: object) -> None:
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        await issue_codes(app.context.sessions, app.context.secrecy, clock(), deliver=fail)
    assert (await LinkService(app.context).link(member(1), CODES["M001"])).member_id == "M001"
