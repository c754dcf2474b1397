"""Discord's edge: an interaction delivered twice runs once (one warning, no traceback), and
forged select values on the ballot form get a private refusal instead of an exception."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.adapters.discord.ballot_view import NOT_OFFERED, candidate_index
from bot.adapters.discord.fake import FakeDiscord, InteractionRecord
from bot.app import App
from bot.storage.tables import Ballot, Question
from tests.bot.adapters.discord.harness import Bot, DiscordChat, running

MOD = frozenset({"moderator"})
NAMES = ["Liz Kendall", "Andy Burnham", "Yvette Cooper", "Jeremy Corbyn"]
DEDUPE_LOG = "bot.adapters.discord.dedupe"


@dataclasses.dataclass
class Setup:
    fake: FakeDiscord
    chat: DiscordChat
    bot: Bot

    @property
    def app(self) -> App:
        assert self.bot.app is not None
        return self.bot.app


@pytest.fixture
async def env(tmp_path: Path) -> AsyncIterator[Setup]:
    async with running(tmp_path) as (fake, chat, bot):
        yield Setup(fake, chat, bot)


async def open_election(chat: DiscordChat) -> None:
    await chat.run("mod", f'/election create "Leader" {", ".join(NAMES)}', MOD)
    await chat.run("mod", "/election open", MOD)


async def rankings(app: App) -> list[tuple[str, ...]]:
    async with app.context.sessions() as session:
        return list((await session.scalars(select(Ballot.ranking))).all())


async def redeliver_then_settle(env: Setup, record: InteractionRecord) -> None:
    """Send ``record`` again, then run one more command: the gateway keeps order, so by
    the time that one is answered the repeat has been read (and, if run, answered too)."""
    await env.fake.redeliver(record)
    await env.chat.run("mod", "/election status")


def problems(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_rank_delivered_again_after_a_rerank_keeps_the_new_ballot(
    env: Setup, caplog: pytest.LogCaptureFixture
) -> None:
    await open_election(env.chat)
    first = await env.chat.run("alice", "/rank Kendall Burnham")
    await env.chat.run("alice", "/rank Corbyn")
    with caplog.at_level(logging.WARNING):
        await redeliver_then_settle(env, first)
    assert await rankings(env.app) == [("Jeremy Corbyn",)]
    warned = [r for r in caplog.records if r.name == DEDUPE_LOG]
    assert len(warned) == 1 and str(first.id) not in warned[0].getMessage()
    assert problems(caplog) == []
    assert first.rejected == []  # the repeat never tried to answer again


async def test_upvote_click_delivered_again_does_not_flip_back(
    env: Setup, caplog: pytest.LogCaptureFixture
) -> None:
    await env.chat.run("alice", "/ask What about rail?")
    posted = env.fake.channel_messages(env.chat.channel)[-1]
    button = next(i for i in posted.custom_ids() if i.startswith("hustings:upvote:"))
    pressed = await env.fake.click(env.chat.member("bob"), posted.id, button)
    await pressed
    with caplog.at_level(logging.WARNING):
        await redeliver_then_settle(env, pressed)
    async with env.app.context.sessions() as session:
        assert list((await session.scalars(select(Question.upvotes))).all()) == [1]
    assert problems(caplog) == []


@pytest.mark.parametrize("value", ["99", "text", "-1", "4", "01", " 1", "١"])
async def test_forged_select_values_are_refused_privately(
    env: Setup, caplog: pytest.LogCaptureFixture, value: str
) -> None:
    await open_election(env.chat)
    carol = env.chat.member("carol")
    form = (await env.chat.run("carol", "/ballot")).messages[0]
    menu = next(i for i in form.custom_ids() if i.endswith(":pick:0"))
    with caplog.at_level(logging.WARNING):
        forged = await env.fake.select(carol, form.id, menu, [value], forged=True)
        await forged
    # deferred as an update of the form (the election is read first), then told privately
    assert forged.ephemeral and [m.text for m in forged.followups] == [NOT_OFFERED]
    assert "So far" not in env.fake.message(form.id).text  # the form is unchanged
    assert problems(caplog) == [] and forged.rejected == []

    fine = await env.fake.select(carol, form.id, menu, ["3"])
    await fine
    assert "So far: 1. Jeremy Corbyn" in env.fake.message(form.id).text


def test_candidate_index_accepts_only_what_menus_offer() -> None:
    assert [candidate_index(str(i), 4) for i in range(4)] == [0, 1, 2, 3]
    for value in ("4", "-1", "-0", "+1", "01", "1.0", "", "x", "1 ", "١", "9" * 5000):
        assert candidate_index(value, 4) is None
