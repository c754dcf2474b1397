"""Q&A in Slack: a question is posted as a card with an upvote button; clicks and answers
edit the card in place; the shared hustings scenario holds over both transports."""

from __future__ import annotations

from pathlib import Path

import pytest
import scenarios
from hustings_slack import CHANNEL, TEAM, SlackChat, answered, running, settings_for, user_id
from scenarios import MODERATOR

from bot.adapters.slack import reword
from bot.adapters.slack.actors import Directory
from bot.adapters.slack.app import build_bolt_app
from bot.adapters.slack.fake import Message, Mode
from bot.adapters.slack.render import UPVOTE_ACTION, plain_text
from bot.adapters.slack.transport import EVENTS_PATH, serve_http
from bot.app import build_app

MODES: list[Mode] = ["http", "socket"]


@pytest.mark.parametrize("mode", MODES)
async def test_hustings_scenario(tmp_path: Path, mode: Mode) -> None:
    async with running(tmp_path, mode) as slack:
        await scenarios.play(SlackChat(slack.fake), scenarios.hustings())

        [card, answered] = slack.fake.channel_messages(TEAM, CHANNEL)
        assert "Public ownership" in plain_text(card.blocks)  # the card shows the answer
        assert "[Upvote (1)]" in plain_text(card.blocks)
        assert "answered" in answered.text


async def test_qa_fixes_scenario(tmp_path: Path) -> None:
    async with running(tmp_path, "http") as slack:
        await scenarios.play(SlackChat(slack.fake), scenarios.qa_fixes())


async def test_moderation_scenario(tmp_path: Path) -> None:
    async with running(tmp_path, "http") as slack:
        await scenarios.play(SlackChat(slack.fake), scenarios.moderation())
        bob = slack.fake.ephemerals(TEAM, user_id("bob"))
        assert any("Your question Q2 was merged into Q1" in m.text for m in bob)


@pytest.mark.parametrize("mode", MODES)
async def test_upvote_button_counts_and_toggles(tmp_path: Path, mode: Mode) -> None:
    async with running(tmp_path, mode) as slack:
        chat = SlackChat(slack.fake)
        asked = await chat.slash("alice", "/ask Will you renationalise rail?")
        [card] = asked.messages
        assert "[Upvote (0)]" in plain_text(card.blocks)

        bob = chat.member("bob")
        first = await slack.fake.click(card, UPVOTE_ACTION, user_id=bob)
        await answered(slack.fake, first)
        assert first.ack.ok and first.messages == []
        assert [m.text for m in first.ephemerals] == [
            "You upvoted Q1; it has 1 upvote. Press the button again to take it back."
        ]
        assert "[Upvote (1)]" in plain_text(card.blocks) and len(card.edits) == 1

        carol = chat.member("carol")
        await answered(slack.fake, await slack.fake.click(card, UPVOTE_ACTION, user_id=carol))
        assert "[Upvote (2)]" in plain_text(card.blocks)

        back = await slack.fake.click(card, UPVOTE_ACTION, user_id=bob)
        await answered(slack.fake, back)
        assert "took back" in back.ephemerals[0].text
        assert "Press the button again to upvote." in back.ephemerals[0].text
        assert "[Upvote (1)]" in plain_text(card.blocks)
        assert slack.fake.ephemerals(TEAM, user_id("alice")) == []  # the asker saw nothing

        own = await slack.fake.click(card, UPVOTE_ACTION, user_id=user_id("alice"))
        await answered(slack.fake, own)
        assert "Q1 is your own question" in own.ephemerals[0].text
        assert "[Upvote (1)]" in plain_text(card.blocks)


def parsed_texts(message: Message) -> list[str]:
    """Every text Slack parses for mentions: the fallback and all mrkdwn objects."""
    found = [message.text]
    for block in message.blocks:
        text = block.get("text") or {}
        if text.get("type") == "mrkdwn":
            found.append(text["text"])
    return found


async def test_member_text_cannot_smuggle_a_channel_ping(tmp_path: Path) -> None:
    async with running(tmp_path, "http") as slack:
        chat = SlackChat(slack.fake)
        moderator = frozenset({"moderator"})
        # "<!here>" itself is refused as a name (">" separates names in a ranking)
        await chat.slash("mod", '/election create "<!channel> vote" A&B, <!here', moderator)
        opened = await chat.slash("mod", "/election open", moderator)
        asked = await chat.slash("alice", "/ask <!channel> wake up & vote")

        for message in [*opened.messages, *asked.messages]:
            assert not any("<!" in text for text in parsed_texts(message))
        assert "<!channel> wake up & vote" in plain_text(asked.messages[0].blocks)
        assert "<!channel> vote" in plain_text(opened.messages[0].blocks)


async def test_the_asker_decides_a_rewording_by_button(tmp_path: Path) -> None:
    async with running(tmp_path, "http") as slack:
        chat = SlackChat(slack.fake)
        await chat.slash("carol", "/ask Schools?")
        await chat.slash("mod", "/question edit Q1 What will you do about schools?", MODERATOR)
        [asked] = [
            m
            for m in slack.fake.ephemerals(TEAM, user_id("carol"))
            if "proposes rewording" in m.text
        ]
        assert "[Accept the rewording]  [Keep my wording]" in plain_text(asked.blocks)
        posted = len(slack.fake.channel_messages(TEAM, CHANNEL))
        accepted = await slack.fake.click(asked, reword.ACCEPT, user_id=user_id("carol"))
        await answered(slack.fake, accepted)
        assert "You accepted the rewording" in accepted.ephemerals[0].text
        [announced] = slack.fake.channel_messages(TEAM, CHANNEL)[posted:]
        assert "Question Q1 reworded" in announced.text
        assert "carol" not in plain_text(announced.blocks) + announced.text
        again = await slack.fake.click(asked, reword.DECLINE, user_id=user_id("carol"))
        await answered(slack.fake, again)
        assert "No rewording of Q1 is waiting for you." in again.ephemerals[0].text
        listed = await chat.slash("dave", "/questions")
        assert "What will you do about schools?" in plain_text(listed.ephemerals[0].blocks)


async def test_a_re_answer_from_a_fresh_process_updates_the_posted_answer(tmp_path: Path) -> None:
    """Where the answer was posted is in the database, not in the adapter's memory."""
    async with running(tmp_path, "http") as slack:
        chat = SlackChat(slack.fake)
        await chat.slash("alice", "/ask Rail?")
        first = await chat.slash("mod", "/question answer Q1 By 2030.", MODERATOR)
        [answer] = [m for m in first.messages if "answered" in m.text]
        settings = settings_for(tmp_path, slack.fake, "http")
        core = await build_app(settings)  # a restarted bot: new core, adapter and cards
        bolt = build_bolt_app(core, settings, directory=Directory(ttl=0))
        server = await serve_http(bolt, "127.0.0.1", 0, slack.fake.signing_secret)
        slack.fake.request_url = server.url + EVENTS_PATH
        try:
            again = await chat.slash("mod", "/question answer Q1 By 2029.", MODERATOR)
        finally:
            await server.close()
            await core.aclose()
        assert again.messages == []  # nothing posted a second time
        assert "Q1's posted answer is edited in place" in again.ephemerals[0].text
        shown = plain_text(answer.blocks)
        assert "By 2029." in shown and "(edited" in shown and "By 2030." not in shown
        assert len(answer.edits) == 1
