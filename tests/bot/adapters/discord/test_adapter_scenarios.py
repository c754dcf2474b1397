"""The shared scenarios (the same ones the Slack adapter plays) through the real discord.py
client and the fake Discord."""

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


async def test_mock_ballot_from_creation_to_round_by_round_result(chat: DiscordChat) -> None:
    await scenarios.play(chat, scenarios.mock_ballot())


async def test_hustings_ask_upvote_answer(chat: DiscordChat) -> None:
    await scenarios.play(chat, scenarios.hustings())


async def test_qa_fixes(chat: DiscordChat) -> None:
    await scenarios.play(chat, scenarios.qa_fixes())


async def test_moderation_in_the_open(chat: DiscordChat) -> None:
    await scenarios.play(chat, scenarios.moderation())
    (told,) = chat.fake.direct_messages(chat.member("bob"))  # the merged question's asker
    assert "Your question Q2 was merged into Q1" in told.text
