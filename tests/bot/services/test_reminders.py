"""``/election remind`` in the core: who is reminded (linked, eligible, not voted, reachable),
once a day per election, and a count shown only when it cannot point at anyone."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.app import App
from bot.domain import Actor
from bot.errors import Conflict, ElectionClosed, InvalidInput, NotAllowed
from bot.services.reminders import ReminderService, shown_count
from bot.services.roll import import_roll, issue_codes
from bot.services.roll_addresses import Address, unseal
from bot.services.roll_codes import grouped
from bot.services.roll_file import read_roll
from bot.services.roll_links import LinkService
from bot.services.roll_rules import Electorate
from bot.services.secrecy import Secrecy
from bot.storage.database import transaction
from bot.storage.tables import RollLink
from tests.bot.services.conftest import MOD, PLACE, FakeClock, OpenElection, member

pytestmark = pytest.mark.both_stores  # SQLite and PostgreSQL (tests/stores.py)


def _code(n: int) -> str:
    return grouped(f"{n:016d}")


def _here(address: Address) -> bool:
    return (address.platform, address.workspace) == (PLACE.platform, PLACE.workspace)


async def _roll(app: App, clock: FakeClock, joined: list[str], *, link: int | None = None) -> None:
    """Members M000… joined on ``joined``; the first ``link`` (default all) linked as
    ``member(n)`` on Discord."""
    rows = ["member_id,name,branch,section,joined"]
    rows += [f"M{n:03d},Member {n},North,members,{day}" for n, day in enumerate(joined)]
    await import_roll(app.context.sessions, read_roll("\n".join(rows) + "\n"), clock())
    codes = iter([_code(n) for n in range(len(joined))])
    await issue_codes(app.context.sessions, app.context.secrecy, clock(), draw=lambda: next(codes))
    links = LinkService(app.context)
    for n in range(len(joined) if link is None else link):
        await links.link(member(n), _code(n))


def _users(addresses: tuple[Address, ...]) -> list[str]:
    return sorted(a.user_id for a in addresses)


async def test_only_linked_eligible_non_voters_are_reminded(
    app: App, clock: FakeClock, open_election: OpenElection
) -> None:
    joined = ["2020-01-01"] * 5 + ["2026-07-01"]  # M005 joined after the freeze date
    await _roll(app, clock, joined, link=5)  # M005 links below; M004 will unlink
    await LinkService(app.context).link(member(5), _code(5))
    await open_election(electorate=Electorate("roll", joined_before="2026-06-08"))
    await app.ballots.rank(member(0), PLACE, "Kendall")
    await app.ballots.rank(member(1), PLACE, "Cooper")
    await LinkService(app.context).unlink(member(4))

    done = await ReminderService(app.context).remind(MOD, PLACE, None, _here)

    assert _users(done.recipients) == ["user-2", "user-3"]  # not voters, M004, or M005
    assert all(a == Address("discord", "guild-1", a.user_id) for a in done.recipients)
    assert done.shown is None  # 2 reminded: far too few to show
    assert done.next_at == clock() + timedelta(hours=24)


async def test_one_a_day_per_election_with_the_time_it_becomes_possible(
    app: App, clock: FakeClock, open_election: OpenElection
) -> None:
    await _roll(app, clock, ["2020-01-01"] * 2)
    await open_election(electorate=Electorate("roll"))
    service = ReminderService(app.context)
    await service.remind(MOD, PLACE, None, _here)
    clock.advance(hours=23, minutes=59)
    with pytest.raises(Conflict) as refused:
        await service.remind(MOD, PLACE, None, _here)
    assert refused.value.message == (
        "Reminders for Leader were sent at 12:00 UTC yesterday; at most one a day, so the next "
        "can be sent from 12:00 UTC today. Nothing was sent."
    )
    clock.advance(minutes=1)
    again = await service.remind(MOD, PLACE, None, _here)
    assert _users(again.recipients) == ["user-0", "user-1"]


async def test_a_refused_second_call_the_same_day_names_today(
    app: App, clock: FakeClock, open_election: OpenElection
) -> None:
    await _roll(app, clock, ["2020-01-01"])
    await open_election(electorate=Electorate("roll"))
    service = ReminderService(app.context)
    await service.remind(MOD, PLACE, None, _here)
    clock.advance(hours=2)
    with pytest.raises(Conflict) as refused:
        await service.remind(MOD, PLACE, "1", _here)
    assert refused.value.message == (
        "Reminders for Leader were sent at 12:00 UTC today; at most one a day, so the next can "
        "be sent from 12:00 UTC tomorrow (15 August). Nothing was sent."
    )


async def test_the_count_is_shown_only_when_no_group_is_small(
    app: App, clock: FakeClock, open_election: OpenElection
) -> None:
    await _roll(app, clock, ["2020-01-01"] * 25)
    await open_election(electorate=Electorate("roll"))
    for n in range(12):
        await app.ballots.rank(member(n), PLACE, "Kendall")
    done = await ReminderService(app.context).remind(MOD, PLACE, None, _here)
    assert (len(done.recipients), done.shown) == (13, 13)


@pytest.mark.parametrize(
    ("reminded", "voted_here", "turnout", "shown"),
    [
        (13, 12, 12, 13),  # every group 0 or at least 10
        (13, 12, 22, 13),
        (9, 12, 12, None),  # 9 reminded: who they are is too close to known
        (13, 9, 9, None),  # 9 linked here who voted
        (13, 12, 15, None),  # 3 voters from elsewhere
        (0, 30, 30, None),  # nobody to remind says everyone linked here voted
    ],
)
def test_shown_count_rule(reminded: int, voted_here: int, turnout: int, shown: int | None) -> None:
    assert shown_count(reminded, voted_here, turnout) == shown


async def test_unreachable_accounts_are_not_reminded(
    app: App, clock: FakeClock, open_election: OpenElection
) -> None:
    await _roll(app, clock, ["2020-01-01"] * 2, link=1)
    await LinkService(app.context).link(Actor("slack", "T1", "U-ONE", "one"), _code(1))
    await open_election(electorate=Electorate("roll"))
    done = await ReminderService(app.context).remind(MOD, PLACE, None, _here)
    assert _users(done.recipients) == ["user-0"]  # M001 is linked on Slack only


async def test_a_member_linked_twice_gets_one_reminder(
    app: App, clock: FakeClock, open_election: OpenElection
) -> None:
    await _roll(app, clock, ["2020-01-01"])
    await LinkService(app.context).link(Actor("slack", "T1", "U-ZERO", "zero"), _code(0))
    await open_election(electorate=Electorate("roll"))
    done = await ReminderService(app.context).remind(MOD, PLACE, None, lambda a: True)
    assert done.recipients == (Address("discord", "guild-1", "user-0"),)


async def test_refusals_change_nothing(
    app: App, clock: FakeClock, open_election: OpenElection
) -> None:
    await _roll(app, clock, ["2020-01-01"])
    service = ReminderService(app.context)
    await open_election("Roles")
    with pytest.raises(InvalidInput, match="electorate is not the roll"):
        await service.remind(MOD, PLACE, "1", _here)
    draft = await app.elections.create(
        MOD, PLACE, "Draft", ("A", "B"), electorate=Electorate("roll")
    )
    with pytest.raises(ElectionClosed, match="draft; reminders are for an election whose"):
        await service.remind(MOD, PLACE, draft.ref, _here)
    with pytest.raises(NotAllowed, match="Only moderators can send reminders"):
        await service.remind(member(0), PLACE, draft.ref, _here)
    await app.elections.open(MOD, PLACE, draft.ref)
    done = await service.remind(MOD, PLACE, draft.ref, _here)  # the refusals used up no day
    assert _users(done.recipients) == ["user-0"]


async def test_the_address_is_sealed_and_unlink_deletes_it(app: App, clock: FakeClock) -> None:
    await _roll(app, clock, ["2020-01-01"])
    async with transaction(app.context.sessions, write=False) as session:
        (stored,) = (await session.scalars(select(RollLink.address))).all()
    assert stored is not None and "user-0" not in stored and "guild-1" not in stored
    assert unseal(app.context.secrecy, stored) == Address("discord", "guild-1", "user-0")
    assert unseal(Secrecy(b"another secret, not the one used"), stored) is None
    await LinkService(app.context).unlink(member(0))
    async with transaction(app.context.sessions, write=False) as session:
        assert (await session.scalars(select(RollLink.address))).all() == []


async def test_nothing_about_members_is_logged(
    app: App, clock: FakeClock, open_election: OpenElection, caplog: pytest.LogCaptureFixture
) -> None:
    await _roll(app, clock, ["2020-01-01"] * 3)
    await open_election(electorate=Electorate("roll"))
    await app.ballots.rank(member(0), PLACE, "Kendall")
    caplog.set_level(logging.DEBUG)
    await ReminderService(app.context).remind(MOD, PLACE, None, _here)
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "reminders claimed for election" in logged
    assert not any(word in logged for word in ("user-", "M00", "guild-1"))
