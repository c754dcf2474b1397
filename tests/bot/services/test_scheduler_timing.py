"""The scheduler keeps time and announces each close once (issue 16, item 5).

Setting a closing time wakes it (no polling interval in between); the close is committed
first and announced after, each step recorded, so a bot stopped in between announces the
close after its restart, exactly once.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from pathlib import Path

from bot.app import App, build_app
from bot.domain import ElectionView, Place
from bot.services.common import utc_now
from tests.bot.services.conftest import (
    CANDIDATES,
    MOD,
    PLACE,
    FakeClock,
    OpenElection,
    make_settings,
    member,
)

SLACK_PLACE = Place("slack", "T0TEAM", "C0CHAN")


class Recording:
    """An announcer that records what it was asked to post, and when (real clock)."""

    def __init__(self) -> None:
        self.sent: list[tuple[Place, ElectionView, datetime]] = []
        self.arrived = asyncio.Event()

    async def announce(self, place: Place, message: object) -> None:
        assert isinstance(message, ElectionView)
        self.sent.append((place, message, utc_now()))
        self.arrived.set()

    def titles(self) -> list[str]:
        return [message.title for _, message, _ in self.sent]


class Hanging:
    """An announcer whose post never completes: the bot dies while announcing."""

    def __init__(self) -> None:
        self.reached = asyncio.Event()

    async def announce(self, place: Place, message: object) -> None:
        self.reached.set()
        await asyncio.Event().wait()


async def test_create_edit_and_open_with_a_closing_time_wake_the_scheduler(
    app: App, clock: FakeClock
) -> None:
    woken: list[int] = []
    unsubscribe = app.closing.deadlines.subscribe(lambda: woken.append(1))
    created = await app.elections.create(MOD, PLACE, "Later", CANDIDATES)
    assert woken == []  # no closing time, nothing to wake for
    await app.elections.edit(MOD, PLACE, created.ref, closes_at=clock.now + timedelta(hours=1))
    assert len(woken) == 1
    await app.elections.edit(MOD, PLACE, created.ref, title="Later still")
    assert len(woken) == 1  # the closing time did not change
    await app.elections.open(MOD, PLACE, created.ref)
    assert len(woken) == 2
    await app.elections.create(MOD, PLACE, "Next", CANDIDATES, closes_at=clock.now + timedelta(1))
    assert len(woken) == 3
    unsubscribe()
    await app.elections.create(MOD, PLACE, "Last", CANDIDATES, closes_at=clock.now + timedelta(1))
    assert len(woken) == 3


async def test_a_close_due_in_3_s_is_announced_within_4_s_of_being_set(tmp_path: Path) -> None:
    """Real clock; the scheduler already asleep for up to 60 s, so only the wake can do it."""
    app = await build_app(make_settings(tmp_path))
    announcer = Recording()
    scheduler = app.scheduler(announcer, max_sleep=60)
    scheduler.start()
    try:
        await asyncio.wait_for(scheduler.idle.wait(), timeout=30)
        set_at = utc_now()
        closes_at = set_at + timedelta(seconds=3)
        created = await app.elections.create(MOD, PLACE, "Snap", CANDIDATES, closes_at=closes_at)
        await app.elections.open(MOD, PLACE, created.ref)
        await asyncio.wait_for(announcer.arrived.wait(), timeout=30)  # bounds a failure only
        [(place, message, announced_at)] = announcer.sent
        assert (place, message.title, message.status) == (PLACE, "Snap", "closed")
        assert closes_at <= announced_at <= set_at + timedelta(seconds=4)
    finally:
        await scheduler.stop()
        await app.aclose()


async def test_a_close_committed_but_not_announced_is_announced_once_after_restart(
    tmp_path: Path, clock: FakeClock
) -> None:
    settings = make_settings(tmp_path)
    first = await build_app(settings, clock=clock)
    await first.elections.create(
        MOD, PLACE, "Leader", CANDIDATES, closes_at=clock.now + timedelta(minutes=1)
    )
    await first.elections.open(MOD, PLACE, "1")
    await first.ballots.rank(member(1), PLACE, "corbyn")
    clock.advance(minutes=2)
    hanging = Hanging()
    scheduler = first.scheduler(hanging)
    scheduler.start()
    await asyncio.wait_for(hanging.reached.wait(), timeout=30)
    assert (await first.elections.get(MOD, PLACE, "1")).status == "closed"  # committed
    await scheduler.stop()  # stopped mid-announcement, as a killed bot would be
    await first.aclose()

    announcer = Recording()
    for _restart in range(2):
        again = await build_app(settings, clock=clock)
        try:
            for _pass in range(2):
                assert await again.scheduler(announcer).run_once() == []  # nothing new to close
        finally:
            await again.aclose()
    assert announcer.titles() == ["Leader"]
    [(place, message, _)] = announcer.sent
    assert (place, message.status, message.turnout) == (PLACE, "closed", 1)


async def test_closes_announced_by_their_own_reply_are_not_announced_again(
    app: App, clock: FakeClock, open_election: OpenElection
) -> None:
    soon = clock.now + timedelta(minutes=1)
    await open_election("Closed by hand", closes_at=soon)
    await open_election("Cancelled", closes_at=soon)
    await open_election("Counted", closes_at=soon)
    await app.elections.close(MOD, PLACE, "1")
    await app.elections.cancel(MOD, PLACE, "2")
    await app.ballots.rank(member(1), PLACE, "corbyn", ref="3")
    await app.elections.count(MOD, PLACE, "3")
    clock.advance(minutes=2)
    announcer = Recording()
    assert await app.scheduler(announcer).run_once() == []
    assert announcer.sent == []


async def test_a_failed_announcement_is_retried_on_the_next_pass(
    app: App, clock: FakeClock, open_election: OpenElection
) -> None:
    await open_election("Flaky", closes_at=clock.now + timedelta(seconds=1))
    clock.advance(seconds=2)
    failing = Hanging()
    failing.announce = _raise  # type: ignore[method-assign]
    assert [e.title for e in await app.scheduler(failing).run_once()] == ["Flaky"]
    announcer = Recording()
    assert await app.scheduler(announcer).run_once() == []
    assert announcer.titles() == ["Flaky"]
    await app.scheduler(announcer).run_once()
    assert announcer.titles() == ["Flaky"]


async def _raise(place: Place, message: object) -> None:
    raise RuntimeError("chat platform down")


async def test_a_scheduler_closes_and_announces_only_its_own_platform(
    app: App, clock: FakeClock, open_election: OpenElection
) -> None:
    soon = clock.now + timedelta(minutes=1)
    await open_election("On Discord", closes_at=soon)
    await open_election("On Slack", closes_at=soon, place=SLACK_PLACE)
    clock.advance(minutes=2)
    discord, slack = Recording(), Recording()
    closed = await app.scheduler(discord, platform="discord").run_once()
    assert [e.title for e in closed] == ["On Discord"]
    assert (await app.elections.get(MOD, SLACK_PLACE, "1")).status == "open"
    assert [e.title for e in await app.scheduler(slack, platform="slack").run_once()] == [
        "On Slack"
    ]
    assert (discord.titles(), slack.titles()) == (["On Discord"], ["On Slack"])
