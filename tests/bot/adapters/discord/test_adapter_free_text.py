"""Issue 18 through the real discord.py client and the fake Discord: the reported questions
exactly as typed and anonymous, the masked-link question escaped (no link, no bold), a flood
held back, pages, and an unpublished question invisible to members."""

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


async def test_free_text_is_exact_and_member_markup_is_escaped(chat: DiscordChat) -> None:
    await scenarios.play(chat, scenarios.free_text())
    [card] = [m for m in chat.public_messages() if "evil.example" in m.text]
    raw = card.content or ""
    assert r"\[Vote here: official ballot\](https:\/\/evil.example/login) \*\*URGENT\*\*" in raw
    assert "](" not in raw.replace(r"\]", "") and "**URGENT" not in raw.replace(r"\*", "")
    assert scenarios.MASKED_LINK in card.shown


async def test_a_flood_is_held_back_and_lists_come_in_pages(chat: DiscordChat) -> None:
    await scenarios.play(chat, [*scenarios.free_text(), *scenarios.flood_and_pages()])


async def test_an_unpublished_question_is_invisible_to_members(chat: DiscordChat) -> None:
    await scenarios.play(chat, scenarios.unpublished())
