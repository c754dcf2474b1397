"""Two bot processes on one database: each is an ``App`` with its own engine, connection pool,
ballot writer and scheduler, as two processes would have (their asyncio locks are not shared).
On PostgreSQL only the database's own locks keep them honest; on SQLite its file lock.

What must hold: a close or count racing a crowd of ballots counts exactly the acknowledged
ones; a timed close is made and announced once; per-channel numbers never clash; a request
is accepted once whichever process sees it first.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from bot.app import App, build_app
from bot.config import Settings
from bot.domain import BallotReceipt, Place
from bot.errors import ElectionClosed
from bot.services.seen import SeenRequests
from bot.storage.database import transaction
from bot.storage.tables import Ballot
from tests.bot.services.conftest import CANDIDATES, MOD, PLACE, FakeClock, member

pytestmark = pytest.mark.both_stores  # SQLite and PostgreSQL (tests/stores.py)


@pytest.fixture
async def apps(settings: Settings, clock: FakeClock) -> AsyncIterator[tuple[App, App]]:
    first = await build_app(settings, clock=clock)
    second = await build_app(settings, clock=clock)
    try:
        yield first, second
    finally:
        await first.aclose()
        await second.aclose()


class Recording:
    def __init__(self) -> None:
        self.sent: list[tuple[Place, object]] = []

    async def announce(self, place: Place, message: object) -> None:
        await asyncio.sleep(0.05)  # a post takes a while: the other process is looking now
        self.sent.append((place, message))


async def test_a_count_racing_a_crowd_counts_exactly_the_acknowledged(
    apps: tuple[App, App],
) -> None:
    voting, counting = apps
    await voting.elections.create(MOD, PLACE, "Leader", CANDIDATES)
    await voting.elections.open(MOD, PLACE, "1")
    await voting.ballots.rank(member("early"), PLACE, "corbyn")  # something to count

    async def cast(n: int) -> BallotReceipt | ElectionClosed:
        await asyncio.sleep(0.002 * (n % 50))  # arrivals spread over the close
        try:
            return await voting.ballots.rank(member(n), PLACE, ("burnham", "cooper")[n % 2])
        except ElectionClosed as refused:
            return refused

    async def count_midway() -> int:
        await asyncio.sleep(0.03)
        return (await counting.elections.count(MOD, PLACE, "1")).result.ballots

    *outcomes, counted = await asyncio.gather(*(cast(n) for n in range(300)), count_midway())
    acknowledged = [o for o in outcomes if isinstance(o, BallotReceipt)]
    async with transaction(counting.context.sessions, write=False) as session:
        stored = await session.scalar(select(func.count()).select_from(Ballot))
    assert counted == stored == len(acknowledged) + 1  # none lost, none after the close
    assert all(isinstance(o, BallotReceipt | ElectionClosed) for o in outcomes)


async def test_a_timed_close_is_made_and_announced_once(
    apps: tuple[App, App], clock: FakeClock
) -> None:
    first, second = apps
    closes = clock.now + timedelta(minutes=1)
    await first.elections.create(MOD, PLACE, "Leader", CANDIDATES, closes_at=closes)
    await first.elections.open(MOD, PLACE, "1")
    clock.advance(minutes=2)
    announcers = Recording(), Recording()
    schedulers = first.scheduler(announcers[0]), second.scheduler(announcers[1])
    closed = await asyncio.gather(*(s.run_once() for s in schedulers for _ in range(3)))
    assert sum(len(c) for c in closed) == 1
    sent = announcers[0].sent + announcers[1].sent
    assert [(place, getattr(message, "title", None)) for place, message in sent] == [
        (PLACE, "Leader")
    ]


async def test_concurrent_questions_and_elections_get_distinct_numbers(
    apps: tuple[App, App],
) -> None:
    first, second = apps
    asked = await asyncio.gather(
        *(
            (first, second)[n % 2].questions.ask(member(n), PLACE, f"Question {n}?")
            for n in range(12)
        )
    )
    assert sorted(q.short_id for q in asked) == sorted(f"Q{n}" for n in range(1, 13))
    made = await asyncio.gather(
        *(
            (first, second)[n % 2].elections.create(MOD, PLACE, f"E{n}", CANDIDATES)
            for n in range(6)
        )
    )
    assert sorted(int(e.ref) for e in made) == list(range(1, 7))


async def test_a_request_is_accepted_by_one_process_only(
    apps: tuple[App, App], clock: FakeClock
) -> None:
    seen = [SeenRequests(app.context.sessions, clock) for app in apps]
    minute = timedelta(minutes=1)
    firsts = await asyncio.gather(
        *(seen[n % 2].first("envelope", f"e-{n // 10}", minute) for n in range(40))
    )
    assert firsts.count(True) == 4  # e-0 … e-3, each once


async def test_a_paced_round_is_posted_once(apps: tuple[App, App], clock: FakeClock) -> None:
    first, second = apps
    await first.elections.create(MOD, PLACE, "Leader", CANDIDATES)
    await first.elections.open(MOD, PLACE, "1")
    for n, text in enumerate(("corbyn", "burnham", "cooper", "kendall", "corbyn", "burnham")):
        await first.ballots.rank(member(n), PLACE, text)
    outcome = await first.elections.count(MOD, PLACE, "1")
    await first.paced.start(MOD, PLACE, outcome, timedelta(seconds=20))
    clock.advance(seconds=21)
    announcers = Recording(), Recording()
    schedulers = first.scheduler(announcers[0]), second.scheduler(announcers[1])
    await asyncio.gather(*(s.run_once() for s in schedulers for _ in range(2)))
    posted = [
        getattr(message, "shown", None) for _, message in announcers[0].sent + announcers[1].sent
    ]
    assert posted == [2]
