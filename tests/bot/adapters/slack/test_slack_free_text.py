"""Issue 18 through the fake Slack (slash commands go through the same single-text parser):
the reported questions exactly as typed and anonymous, a flood held back, pages, and an
unpublished question invisible to members."""

from __future__ import annotations

from pathlib import Path

import scenarios
from hustings_slack import CHANNEL, TEAM, SlackChat, running

from bot.adapters.slack.render import plain_text


async def test_free_text_floods_and_pages(tmp_path: Path) -> None:
    async with running(tmp_path, "http") as slack:
        chat = SlackChat(slack.fake)
        await scenarios.play(chat, [*scenarios.free_text(), *scenarios.flood_and_pages()])
        cards = [plain_text(m.blocks) for m in slack.fake.channel_messages(TEAM, CHANNEL)]
        for text in (*scenarios.REPORTED_QUESTIONS, scenarios.MASKED_LINK):
            assert sum(text in card for card in cards) == 1, text


async def test_an_unpublished_question_is_invisible_to_members(tmp_path: Path) -> None:
    async with running(tmp_path, "http") as slack:
        await scenarios.play(SlackChat(slack.fake), scenarios.unpublished())
