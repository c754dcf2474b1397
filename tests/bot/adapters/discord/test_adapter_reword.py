"""A moderator's rewording on Discord: the asker is asked by DM with buttons; a click (after a
restart too) decides, the announcement goes to the question's channel without naming the
asker, and only the asker's click counts."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.adapters.discord.fake import FakeDiscord, Message
from tests.bot.adapters.discord.harness import Bot, DiscordChat, running

MOD = frozenset({"moderator"})


@pytest.fixture
async def env(tmp_path: Path) -> AsyncIterator[tuple[FakeDiscord, DiscordChat, Bot]]:
    async with running(tmp_path) as started:
        yield started


def _button(message: Message, verb: str) -> str:
    return next(i for i in message.custom_ids() if i.startswith(f"hustings:reword:{verb}:"))


async def test_the_asker_accepts_by_button_after_a_restart(
    env: tuple[FakeDiscord, DiscordChat, Bot],
) -> None:
    fake, chat, bot = env
    await chat.run("carol", "/ask Schools?")
    proposed = await chat.run("mod", "/question edit Q1 What will you do about schools?", MOD)
    assert "Q1 is unchanged until they accept it" in proposed.texts[0]
    (dm,) = fake.direct_messages(chat.member("carol"))
    assert "Proposed: What will you do about schools?" in dm.text
    await bot.stop()
    await bot.start()
    before = {m.id for m in chat.public_messages()}
    pressed = await fake.click(chat.member("carol"), dm.id, _button(dm, "accept"))
    await pressed
    assert "You accepted the rewording" in "\n".join(pressed.texts)
    [announced] = [m for m in chat.public_messages() if m.id not in before]
    assert "Question Q1 reworded" in announced.text
    assert "What will you do about schools?" in announced.text
    assert "carol" not in announced.text and announced.source == "bot"
    assert fake.message(dm.id).custom_ids() == []  # the buttons are gone once decided
    listed = await chat.run("dave", "/questions")
    assert "What will you do about schools?" in "\n".join(listed.texts)


async def test_decline_by_button_keeps_the_wording(
    env: tuple[FakeDiscord, DiscordChat, Bot],
) -> None:
    fake, chat, _ = env
    await chat.run("carol", "/ask Schools?")
    await chat.run("mod", "/question edit Q1 Teachers?", MOD)
    (dm,) = fake.direct_messages(chat.member("carol"))
    pressed = await fake.click(chat.member("carol"), dm.id, _button(dm, "decline"))
    await pressed
    assert "You declined the rewording; Q1 stays as you asked it." in "\n".join(pressed.texts)
    listed = await chat.run("dave", "/questions")
    assert "Schools?" in "\n".join(listed.texts) and "Teachers?" not in "\n".join(listed.texts)
    told = fake.direct_messages(chat.member("mod"))
    assert any("declined your rewording" in m.text for m in told)
