"""Nothing in a ballot row or the export lines up with when a member voted."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from bot.app import App
from bot.storage.database import transaction
from bot.storage.tables import Ballot, Election
from tests.bot.services.conftest import MOD, PLACE, FakeClock, OpenElection, member

pytestmark = pytest.mark.both_stores  # SQLite and PostgreSQL (tests/stores.py)

RANKINGS = ["Corbyn", "Burnham", "Cooper", "Kendall"]


async def rows(app: App) -> list[Ballot]:
    async with transaction(app.context.sessions, write=False) as session:
        return list((await session.scalars(select(Ballot))).all())


async def test_cast_at_is_kept_to_the_minute(
    app: App, open_election: OpenElection, clock: FakeClock
) -> None:
    await open_election()
    clock.advance(seconds=37, microseconds=123456)
    await app.ballots.rank(member(1), PLACE, "Corbyn")
    (row,) = await rows(app)
    assert (row.cast_at.minute, row.cast_at.second, row.cast_at.microsecond) == (0, 0, 0)
    mine = await app.ballots.mine(member(1), PLACE)
    assert mine.cast_at == row.cast_at


async def test_row_ids_do_not_follow_cast_order(app: App, open_election: OpenElection) -> None:
    await open_election()
    for n in range(20):
        await app.ballots.rank(member(n), PLACE, RANKINGS[n % 4])
    ids = [row.id for row in await rows(app)]
    assert len(set(ids)) == 20
    assert not set(ids) & set(range(1, 1000))  # not a sequence
    assert max(ids) > 2**32


async def test_exports_list_ballots_in_receipt_order_not_cast_order(
    app: App, open_election: OpenElection
) -> None:
    await open_election()
    receipts = []
    for n in range(12):
        receipt = await app.ballots.rank(member(n), PLACE, RANKINGS[n % 4])
        receipts.append(receipt.receipt)
    await app.elections.close(MOD, PLACE)
    exported = json.loads(await app.elections.export(MOD, PLACE, "1", "json"))
    assert exported["receipts"] == sorted(receipts)
    blt = await app.elections.export(MOD, PLACE, "1", "blt")
    blt_receipts = [line[1:].split(")")[0] for line in blt.splitlines() if line.startswith("(")]
    assert blt_receipts == sorted(receipts)
    assert "cast" not in json.dumps(exported)


async def test_casting_does_not_date_the_election_row(
    app: App, open_election: OpenElection, clock: FakeClock
) -> None:
    """The turnout counter moves with each ballot, but the election's updated_at must not
    record when the newest ballot arrived."""
    await open_election()
    async with transaction(app.context.sessions, write=False) as session:
        before = (await session.scalars(select(Election))).one().updated_at
    clock.advance(seconds=95)
    await app.ballots.rank(member(1), PLACE, "Corbyn")
    async with transaction(app.context.sessions, write=False) as session:
        election = (await session.scalars(select(Election))).one()
    assert election.turnout == 1
    assert election.updated_at == before
