"""Issue 9's transcript (``scenarios.ballot_entry``) through the real discord.py client and
the fake Discord: the same lines as the console and Slack, the same records and refusals."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.adapters.discord.fake import FakeDiscord
from tests.bot.adapters import scenarios
from tests.bot.adapters.discord.harness import Bot, DiscordChat, world


@pytest.fixture
async def chat(tmp_path: Path) -> AsyncIterator[DiscordChat]:
    async with FakeDiscord() as fake:
        fake.apply_endpoints()
        built = await world(fake)
        bot = Bot(fake, tmp_path)
        await bot.start(sync=True)
        try:
            yield built
        finally:
            await bot.stop()


async def test_ballot_entry_is_recorded_as_typed(chat: DiscordChat) -> None:
    await scenarios.play(chat, scenarios.ballot_entry())
