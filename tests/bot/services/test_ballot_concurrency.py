"""Concurrent ballots: double-submits leave one ballot, a crowd of voters loses none."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import func, select

from bot.app import App
from bot.errors import InvalidInput
from bot.storage.database import transaction
from bot.storage.tables import Ballot
from tests.bot.services.conftest import PLACE, OpenElection, member

pytestmark = pytest.mark.both_stores  # SQLite and PostgreSQL (tests/stores.py)


async def ballot_rows(app: App) -> list[tuple[tuple[str, ...], str]]:
    async with transaction(app.context.sessions, write=False) as session:
        rows = await session.execute(select(Ballot.ranking, Ballot.receipt))
        return [(ranking, receipt) for ranking, receipt in rows]


async def test_fifty_concurrent_ranks_from_one_member_leave_one(
    app: App, open_election: OpenElection
) -> None:
    await open_election()
    texts = ["corbyn", "burnham", "cooper", "kendall", "corbyn burnham"]
    receipts = await asyncio.gather(
        *(app.ballots.rank(member(1), PLACE, texts[n % 5]) for n in range(50))
    )
    rows = await ballot_rows(app)
    assert len(rows) == 1
    assert sum(not r.replaced for r in receipts) == 1
    # The one stored ballot is the one whose receipt was acknowledged last.
    assert rows[0][1] in {r.receipt for r in receipts}
    assert (await app.ballots.mine(member(1), PLACE)).receipt == rows[0][1]


async def test_five_hundred_members_voting_at_once_lose_none(
    app: App, open_election: OpenElection
) -> None:
    await open_election()
    texts = ["corbyn", "burnham cooper", "kendall cooper burnham", "cooper"]
    receipts = await asyncio.gather(
        *(app.ballots.rank(member(n), PLACE, texts[n % 4]) for n in range(500))
    )
    async with transaction(app.context.sessions, write=False) as session:
        total = await session.scalar(select(func.count()).select_from(Ballot))
    assert total == 500
    assert len({r.receipt for r in receipts}) == 500
    assert max(r.election.turnout for r in receipts) == 500
    outcome_rows = await ballot_rows(app)
    assert sorted(receipt for _, receipt in outcome_rows) == sorted(r.receipt for r in receipts)


async def test_a_bad_ballot_in_a_batch_fails_alone(app: App, open_election: OpenElection) -> None:
    await open_election()
    await app.ballots.rank(member(2), PLACE, "kendall")
    results = await asyncio.gather(
        app.ballots.rank(member(1), PLACE, "corbyn"),
        app.ballots.rank(member(2), PLACE, "Miliband"),
        app.ballots.rank(member(3), PLACE, "cooper burnham"),
        return_exceptions=True,
    )
    assert isinstance(results[1], InvalidInput)
    assert (await app.ballots.mine(member(2), PLACE)).ranking == ("Kendall",)
    assert (await app.ballots.mine(member(3), PLACE)).ranking == ("Cooper", "Burnham")
    assert len(await ballot_rows(app)) == 3


async def test_turnout_counter_matches_the_ballots_table(
    app: App, open_election: OpenElection
) -> None:
    await open_election()
    await asyncio.gather(*(app.ballots.rank(member(n % 40), PLACE, "corbyn") for n in range(120)))
    await asyncio.gather(*(app.ballots.withdraw(member(n), PLACE) for n in range(0, 40, 3)))
    async with transaction(app.context.sessions, write=False) as session:
        total = await session.scalar(select(func.count()).select_from(Ballot))
    assert total == 40 - len(range(0, 40, 3))
    assert (await app.elections.get(member(1), PLACE, "1")).turnout == total


async def test_a_cancelled_writer_leaves_nobody_waiting(
    app: App, open_election: OpenElection
) -> None:
    """If the writer task is cancelled mid-batch (the process shutting down), every queued
    member gets an answer that says their ballot may not be saved; nobody hangs, and the next
    ballot is written as normal."""
    await open_election()
    casts = [asyncio.create_task(app.ballots.rank(member(n), PLACE, "Corbyn")) for n in range(5)]
    await asyncio.sleep(0)  # queued; the writer task has started
    writer = app.ballots._writer._task  # the task a shutdown would cancel
    assert writer is not None
    writer.cancel()
    done, pending = await asyncio.wait(casts, timeout=30)  # generous: returns when all done
    assert not pending
    for task in done:
        if task.exception() is not None:
            assert "may not be recorded" in str(task.exception())
    receipt = await app.ballots.rank(member(99), PLACE, "Burnham")
    assert receipt.ranking == ("Burnham",)
