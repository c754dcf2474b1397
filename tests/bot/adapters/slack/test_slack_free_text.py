"""Issue 18 through the fake Slack (slash commands go through the same single-text parser):
the reported questions exactly as typed and anonymous, a flood held back, pages, and an
unpublished question invisible to members."""

from __future__ import annotations

from pathlib import Path

import scenarios
from hustings_slack import CHANNEL, TEAM, SlackChat, running, user_id

from bot.adapters.slack.actors import Directory
from bot.adapters.slack.render import plain_text
from bot.domain import Actor


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


async def test_ampersands_and_angle_brackets_are_stored_as_typed(tmp_path: Path) -> None:
    """Slack sends a slash command's ``&``, ``<``, ``>`` escaped (the fake does the same): the
    question is stored and shown as typed, neither ``Q&amp;A`` nor ``Q&amp;amp;A``."""
    typed = "Is Q&A <really> fair & open? A typed &lt; stays &lt;"
    async with running(tmp_path, "http") as slack:
        chat = SlackChat(slack.fake)
        seen = await chat.say(
            scenarios.Step("alice", f"/ask {typed}", public=(f"Q1 — 0 upvotes: {typed}",))
        )
        assert any(typed in text for text in seen.public)
        member = Actor("slack", TEAM, user_id("bob"), "bob")
        stored = await slack.core.questions.list(member, Directory.place(TEAM, CHANNEL))
        assert [q.text for q in stored.items] == [typed]
