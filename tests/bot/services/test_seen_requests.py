"""``SeenRequests``: each key accepted once until it expires, kept in the database (so a new
process refuses it too), stored only as a hash, and purged once expired."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.app import App
from bot.services.seen import RecentKeys, SeenRequests, key_hash
from bot.storage.tables import SeenRequest
from tests.bot.services.conftest import FakeClock

pytestmark = pytest.mark.both_stores  # SQLite and PostgreSQL (tests/stores.py)

MINUTE = timedelta(minutes=1)


def fresh(app: App, clock: FakeClock) -> SeenRequests:
    """A new ``SeenRequests`` over the same database, as after a restart."""
    return SeenRequests(app.context.sessions, clock)


async def stored(app: App) -> list[SeenRequest]:
    async with app.context.sessions() as session:
        return list((await session.scalars(select(SeenRequest))).all())


async def test_a_key_is_accepted_once(app: App, clock: FakeClock) -> None:
    seen = fresh(app, clock)
    assert await seen.first("envelope", "e-1", MINUTE)
    assert not await seen.first("envelope", "e-1", MINUTE)
    assert await seen.first("envelope", "e-2", MINUTE)
    assert await seen.first("event", "e-1", MINUTE)  # kinds are separate namespaces


async def test_concurrent_copies_let_exactly_one_through(app: App, clock: FakeClock) -> None:
    seen = fresh(app, clock)
    results = await asyncio.gather(*(seen.first("envelope", "e", MINUTE) for _ in range(20)))
    assert results.count(True) == 1


async def test_a_restart_still_refuses_a_repeat_within_its_lifetime(
    app: App, clock: FakeClock
) -> None:
    assert await fresh(app, clock).first("signature", "v0=abc", MINUTE * 6)
    clock.advance(minutes=5)
    assert not await fresh(app, clock).first("signature", "v0=abc", MINUTE * 6)


async def test_an_expired_key_is_purged_and_accepted_again(app: App, clock: FakeClock) -> None:
    seen = fresh(app, clock)
    assert await seen.first("envelope", "old", MINUTE)
    clock.advance(minutes=2)
    assert await fresh(app, clock).first("envelope", "new", MINUTE)
    assert [row.key_hash for row in await stored(app)] == [key_hash("envelope", "new")]
    assert await fresh(app, clock).first("envelope", "old", MINUTE)


async def test_a_timestamp_ahead_of_our_clock_extends_the_lifetime(
    app: App, clock: FakeClock
) -> None:

    ahead = clock.now + timedelta(minutes=4)
    assert await fresh(app, clock).first("signature", "s", MINUTE * 6, since=ahead)
    clock.advance(minutes=9)  # still inside the request's own window
    assert not await fresh(app, clock).first("signature", "s", MINUTE * 6, since=ahead)


async def test_only_a_hash_is_stored(app: App, clock: FakeClock) -> None:
    await fresh(app, clock).first("signature", "v0=deadbeef", MINUTE)
    [row] = await stored(app)
    assert row.key_hash == key_hash("signature", "v0=deadbeef") and len(row.key_hash) == 32
    assert b"deadbeef" not in row.key_hash


def test_recent_keys_forget_the_oldest_beyond_their_limit(clock: FakeClock) -> None:
    recent = RecentKeys(clock, limit=2)
    until = clock.now + MINUTE
    assert recent.add(b"a", until) and recent.add(b"b", until) and recent.add(b"c", until)
    assert len(recent) == 2
    assert recent.add(b"a", until)  # forgotten: the table is what still refuses it
    assert not recent.add(b"c", until)
