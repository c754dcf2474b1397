"""Fixtures for service tests: a real migrated SQLite file per test and a movable clock."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.app import App, build_app
from bot.config import Settings
from bot.domain import Actor, ElectionView, Place
from tests.stores import Store

PLACE = Place("discord", "guild-1", "chan-hustings")
OTHER_PLACE = Place("discord", "guild-1", "chan-other")
MOD = Actor("discord", "guild-1", "mod-1", "Mod", frozenset({"Moderator"}))
ADMIN = Actor("discord", "guild-1", "admin-1", "Admin", is_admin=True)
CANDIDATES = ("Burnham", "Cooper", "Corbyn", "Kendall")
START = datetime(2015, 8, 14, 12, 0, tzinfo=UTC)


def member(n: int | str, *roles: str) -> Actor:
    return Actor("discord", "guild-1", f"user-{n}", f"Member {n}", frozenset(roles))


class FakeClock:
    """The server clock, under the test's control."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def make_settings(tmp_path: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "database_url": f"sqlite+aiosqlite:///{tmp_path / 'hustings.db'}",
        "data_dir": tmp_path / "data",
        "hustings_secret": None,
        "moderator_roles": "moderator",
        "count_seed": 2015,  # ties in tests draw a known lot (production draws a random seed)
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START)


@pytest.fixture
def settings(tmp_path: Path, store: Store) -> Settings:
    """SQLite in ``tmp_path``; on PostgreSQL too in modules marked ``both_stores``."""
    return make_settings(tmp_path, database_url=store.url)


@pytest.fixture
async def app(settings: Settings, clock: FakeClock) -> AsyncIterator[App]:
    built = await build_app(settings, clock=clock)
    yield built
    await built.aclose()


OpenElection = Callable[..., Awaitable[ElectionView]]


@pytest.fixture
def open_election(app: App) -> OpenElection:
    """Create and open an election in ``PLACE`` (keyword arguments go to ``create``)."""

    async def _open(title: str = "Leader", **kwargs: Any) -> ElectionView:
        candidates = kwargs.pop("candidates", CANDIDATES)
        place = kwargs.pop("place", PLACE)
        created = await app.elections.create(MOD, place, title, candidates, **kwargs)
        return await app.elections.open(MOD, place, created.ref)

    return _open
