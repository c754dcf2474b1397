"""Fixtures: a running fake Discord with one guild (a member, a moderator, an admin) that
discord.py is pointed at, and the test bot connected to it with its commands synced."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from discord_test_bot import HarnessBot, Place, Seen, populate

from bot.adapters.discord import endpoints
from bot.adapters.discord.fake import FakeDiscord


@pytest.fixture
def fake_options() -> dict[str, object]:
    return {}


@pytest.fixture
async def fake(fake_options: dict[str, object]) -> AsyncIterator[FakeDiscord]:
    options: dict[str, object] = {"heartbeat_interval": 0.25, **fake_options}
    async with FakeDiscord(**options) as running:  # type: ignore[arg-type]
        running.apply_endpoints()
        try:
            yield running
        finally:
            endpoints.use_real_discord()


@pytest.fixture
def place(fake: FakeDiscord) -> Place:
    return populate(fake)


@pytest.fixture
def seen() -> Seen:
    return Seen()


@pytest.fixture
async def bot(fake: FakeDiscord, place: Place, seen: Seen) -> AsyncIterator[HarnessBot]:
    started = await HarnessBot(fake, seen).start()
    try:
        yield started
    finally:
        await started.close()
