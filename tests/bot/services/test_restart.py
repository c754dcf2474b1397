"""Nothing is lost between runs: cast, stop, start again on the same file, count."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from bot.app import build_app
from bot.config import Settings
from bot.domain import ElectionView, Place
from bot.services.scheduler import Scheduler
from tests.bot.services.conftest import CANDIDATES, MOD, PLACE, FakeClock, member

pytestmark = pytest.mark.both_stores  # SQLite and PostgreSQL (tests/stores.py)


class RecordingAnnouncer:
    def __init__(self) -> None:
        self.sent: list[tuple[Place, object]] = []
        self.arrived = asyncio.Event()

    async def announce(self, place: Place, message: object) -> None:
        self.sent.append((place, message))
        self.arrived.set()


async def test_restart_between_casting_and_counting(settings: Settings, clock: FakeClock) -> None:
    first = await build_app(settings, clock=clock)
    await first.elections.create(MOD, PLACE, "Leader", CANDIDATES)
    await first.elections.open(MOD, PLACE, "1")
    texts = ["corbyn", "burnham corbyn", "cooper burnham", "corbyn kendall", "kendall cooper"]
    receipts = [await first.ballots.rank(member(n), PLACE, t) for n, t in enumerate(texts)]
    await first.aclose()

    second = await build_app(settings, clock=clock)
    try:
        mine = await second.ballots.mine(member(2), PLACE)
        assert mine.receipt == receipts[2].receipt  # same secret file, same voter key
        outcome = await second.elections.count(MOD, PLACE, "1")
        assert outcome.result.ballots == 5
        assert outcome.result.winners == ("Corbyn",)
    finally:
        await second.aclose()


async def test_scheduled_close_survives_restart(settings: Settings, clock: FakeClock) -> None:
    first = await build_app(settings, clock=clock)
    await first.elections.create(
        MOD, PLACE, "Leader", CANDIDATES, closes_at=clock.now + timedelta(hours=1)
    )
    await first.elections.open(MOD, PLACE, "1")
    await first.ballots.rank(member(1), PLACE, "corbyn")
    await first.aclose()

    clock.advance(hours=2)  # the bot was down when the election should have closed
    second = await build_app(settings, clock=clock)
    announcer = RecordingAnnouncer()
    scheduler = Scheduler(second.closing, announcer, clock=clock, max_sleep=5)
    try:
        scheduler.start()
        await asyncio.wait_for(announcer.arrived.wait(), timeout=5)
        [(place, message)] = announcer.sent
        assert place == PLACE
        assert isinstance(message, ElectionView)
        assert (message.title, message.status, message.turnout) == ("Leader", "closed", 1)
        assert (await second.elections.get(MOD, PLACE, "1")).status == "closed"
    finally:
        await scheduler.stop()
        await second.aclose()
