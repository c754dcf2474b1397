"""The scheduler closes elections at their time and announces each close once."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from bot.app import App
from bot.domain import ElectionView, Place
from bot.services.scheduler import Scheduler
from tests.bot.services.conftest import MOD, PLACE, FakeClock, OpenElection

pytestmark = pytest.mark.both_stores  # SQLite and PostgreSQL (tests/stores.py)


class RecordingAnnouncer:
    def __init__(self, fail_first: bool = False) -> None:
        self.sent: list[tuple[Place, object]] = []
        self.arrived = asyncio.Event()
        self.fail_first = fail_first

    async def announce(self, place: Place, message: object) -> None:
        if self.fail_first:
            self.fail_first = False
            raise RuntimeError("chat platform down")
        self.sent.append((place, message))
        self.arrived.set()


async def test_run_once_closes_and_announces_due_elections(
    app: App, clock: FakeClock, open_election: OpenElection
) -> None:
    await open_election("Soon", closes_at=clock.now + timedelta(minutes=1))
    announcer = RecordingAnnouncer()
    scheduler = app.scheduler(announcer)
    assert await scheduler.run_once() == []
    clock.advance(minutes=1)
    closed = await scheduler.run_once()
    assert [e.title for e in closed] == ["Soon"]
    assert [(p, m.title) for p, m in announcer.sent if isinstance(m, ElectionView)] == [
        (PLACE, "Soon")
    ]
    assert await scheduler.run_once() == []  # announced once only


async def test_sleeps_until_the_next_deadline(
    app: App, clock: FakeClock, open_election: OpenElection
) -> None:
    scheduler = app.scheduler(RecordingAnnouncer(), max_sleep=600)
    assert await scheduler.seconds_to_next() == 600
    await open_election(closes_at=clock.now + timedelta(seconds=90))
    assert await scheduler.seconds_to_next() == 90
    clock.advance(seconds=120)
    assert await scheduler.seconds_to_next() == 0


async def test_a_failed_announcement_does_not_stop_the_others(
    app: App, clock: FakeClock, open_election: OpenElection, caplog: pytest.LogCaptureFixture
) -> None:
    await open_election("A", closes_at=clock.now + timedelta(seconds=1))
    await open_election("B", closes_at=clock.now + timedelta(seconds=1))
    announcer = RecordingAnnouncer(fail_first=True)
    clock.advance(seconds=2)
    closed = await app.scheduler(announcer).run_once()
    assert len(closed) == 2
    assert len(announcer.sent) == 1
    assert "announcing the close" in caplog.text


async def test_running_task_closes_when_woken(
    app: App, clock: FakeClock, open_election: OpenElection
) -> None:

    announcer = RecordingAnnouncer()
    scheduler = Scheduler(app.closing, announcer, clock=clock, max_sleep=60)
    scheduler.start()
    try:
        await open_election(closes_at=clock.now + timedelta(seconds=30))
        clock.advance(seconds=31)
        scheduler.wake()
        await asyncio.wait_for(announcer.arrived.wait(), timeout=5)
        assert (await app.elections.get(MOD, PLACE, "1")).status == "closed"
    finally:
        await scheduler.stop()
