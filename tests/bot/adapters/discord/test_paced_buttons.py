"""A paced count on Discord through the real discord.py client and the fake Discord: round 1
only, the Next round button (moderators only, one round per press, working after a restart),
``/election next`` and the scheduler's ``--pace`` posts with the button."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.adapters.discord.fake import FakeDiscord, InteractionRecord, Message
from bot.adapters.discord.next_round import MEMBERS_REFUSED
from bot.adapters.dispatch import dispatch_line
from bot.domain import Actor, Place
from tests.bot.adapters.discord.harness import Bot, DiscordChat, running

MOD = frozenset({"moderator"})
FIRSTS = {"Abbott": 4, "Benn": 3, "Cooper": 2, "Dugher": 1}
"""One exclusion a round: three rounds, Abbott elected in the third."""
NEXT = "hustings:next:"


@dataclasses.dataclass
class Setup:
    fake: FakeDiscord
    chat: DiscordChat
    bot: Bot

    def place(self) -> Place:
        return Place("discord", str(self.chat.guild), str(self.chat.channel))

    def posts(self) -> list[Message]:
        return [m for m in self.chat.public_messages() if not m.ephemeral]

    def with_button(self) -> list[Message]:
        return [m for m in self.posts() if any(i.startswith(NEXT) for i in m.custom_ids())]


class Ahead:
    """The core's clock: the wall clock, plus however far the test has moved it on."""

    def __init__(self) -> None:
        self.by = timedelta(0)

    def __call__(self) -> datetime:
        return datetime.now(UTC) + self.by


@pytest.fixture
def ahead() -> Ahead:
    return Ahead()


@pytest.fixture
async def env(tmp_path: Path, ahead: Ahead) -> AsyncIterator[Setup]:
    async with running(tmp_path, ahead) as (fake, chat, bot):
        setup = Setup(fake, chat, bot)
        await chat.run("mod", f'/election create "Leader" {", ".join(FIRSTS)}', MOD)
        await chat.run("mod", "/election open", MOD)
        assert bot.app is not None
        n = 0
        for name, ballots in FIRSTS.items():  # the ballots are not under test here
            for _ in range(ballots):
                n += 1
                voter = Actor("discord", str(chat.guild), str(9000 + n), f"Member {n}")
                await dispatch_line(bot.app, voter, setup.place(), f"/rank {name}")
        yield setup


def told(record: InteractionRecord) -> list[str]:
    """What a press told the presser: its followups, each private to them."""
    assert all(m.ephemeral for m in record.followups)
    return [m.text for m in record.followups]


def button_of(message: Message) -> str:
    return next(i for i in message.custom_ids() if i.startswith(NEXT))


async def test_paced_count_posts_round_one_with_a_next_round_button(env: Setup) -> None:
    counted = await env.chat.run("mod", "/election count --paced", MOD)
    text = "\n".join(counted.texts)
    assert "10 ballots, 4 candidates" in text and "Round 1" in text
    assert "Round 2" in text  # only in the "Round 2 of 3 follows" line
    assert "Round 2 of 3 follows on /election next." in text
    assert "Round 2:" not in text and "Elected" not in text
    [posted] = env.with_button()
    assert button_of(posted) == f"{NEXT}1:1"


async def test_member_press_is_refused_privately_and_changes_nothing(env: Setup) -> None:
    await env.chat.run("mod", "/election count --paced", MOD)
    [posted] = env.with_button()
    before = len(env.posts())
    pressed = await env.fake.click(env.chat.member("alice"), posted.id, button_of(posted))
    await pressed
    assert told(pressed) == [MEMBERS_REFUSED]
    assert len(env.posts()) == before
    assert env.with_button() == [posted]
    step = await env.chat.run("mod", "/election next", MOD)  # still round 2 next
    assert "Round 2" in "\n".join(step.texts) and not step.ephemeral


async def test_moderator_presses_declare_one_round_each_and_work_after_a_restart(
    env: Setup,
) -> None:
    await env.chat.run("mod", "/election count --paced", MOD)
    [first] = env.with_button()
    mod, other = env.chat.member("mod", MOD), env.chat.member("mod2", MOD)
    both = await asyncio.gather(  # two moderators press the same button at once
        env.fake.click(mod, first.id, button_of(first)),
        env.fake.click(other, first.id, button_of(first)),
    )
    for record in both:
        await record
    assert [t for r in both for t in told(r)] == ["Round 2 of Leader is already declared."]
    [second] = env.with_button()
    assert second.id != first.id and button_of(second) == f"{NEXT}1:2"
    assert "Round 2" in second.text and "Round 3" in second.text  # "Round 3 of 3 follows"
    assert not env.fake.message(first.id).custom_ids()  # the pressed post lost its button
    await env.bot.stop()
    await env.bot.start()  # nothing kept in memory: the button still works
    pressed = await env.fake.click(mod, second.id, button_of(second))
    await pressed
    assert told(pressed) == []
    last = env.posts()[-1]
    assert "Round 3" in last.text and "Abbott" in last.text and "Result: Leader" in last.text
    assert env.with_button() == []
    over = await env.chat.run("mod", "/election next", MOD)
    assert over.ephemeral and over.texts == ["Every round of Leader has been declared."]


async def test_pace_posts_the_next_round_with_its_button(env: Setup, ahead: Ahead) -> None:
    assert env.bot.app is not None and env.bot.client is not None
    counted = await env.chat.run("mod", "/election count --pace 20s", MOD)
    assert "follows in 20 seconds, or sooner on /election next." in "\n".join(counted.texts)
    scheduler = env.bot.app.scheduler(env.bot.client.announcer, platform="discord")
    await scheduler.run_once()
    assert len(env.with_button()) == 1  # not yet due
    ahead.by = timedelta(seconds=20)
    await scheduler.run_once()
    latest = env.posts()[-1]
    assert button_of(latest) == f"{NEXT}1:2" and "Round 2" in latest.text
    assert "Round 3 of 3 follows in 20 seconds" in latest.text


async def test_a_press_after_the_last_round_says_the_count_is_declared(env: Setup) -> None:
    await env.chat.run("mod", "/election count --paced", MOD)
    [first] = env.with_button()
    await env.chat.run("mod", "/election next", MOD)
    final = await env.chat.run("mod", "/election next", MOD)
    assert "Result: Leader" in "\n".join(final.texts)
    before = len(env.posts())
    pressed = await env.fake.click(env.chat.member("mod", MOD), first.id, button_of(first))
    await pressed
    assert told(pressed) == ["Every round of Leader has been declared."]
    assert len(env.posts()) == before
