"""Issue 9's transcript (``scenarios.ballot_entry``) through the real discord.py client and
the fake Discord: the same lines as the console and Slack, the same records and refusals."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.bot.adapters import scenarios
from tests.bot.adapters.discord.harness import DiscordChat, running


@pytest.fixture
async def chat(tmp_path: Path) -> AsyncIterator[DiscordChat]:
    async with running(tmp_path) as (_, built, _):
        yield built


async def test_ballot_entry_is_recorded_as_typed(chat: DiscordChat) -> None:
    await scenarios.play(chat, scenarios.ballot_entry())
