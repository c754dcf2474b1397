"""Fixtures for adapter tests: the real core on a migrated SQLite file in a temp dir."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.app import App, build_app
from bot.config import Settings

START = datetime(2015, 8, 14, 12, 0, tzinfo=UTC)


class Clock:
    """The server clock, under the test's control."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now


def adapter_settings(tmp_path: Path) -> Settings:
    values: dict[str, Any] = {
        "database_url": f"sqlite+aiosqlite:///{tmp_path / 'hustings.db'}",
        "data_dir": tmp_path / "data",
        "moderator_roles": "moderator",
        "count_seed": 2015,  # ties in tests draw a known lot (production draws a random seed)
    }
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def app(tmp_path: Path, clock: Clock) -> AsyncIterator[App]:
    built = await build_app(adapter_settings(tmp_path), clock=clock)
    try:
        yield built
    finally:
        await built.aclose()
