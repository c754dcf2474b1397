"""Slack is answered as soon as the listener has acknowledged: the ack never waits for the
work that follows it (``after_ack``), and that work still runs to the end, on both
transports: the ballot is stored and its receipt delivered once the work is let through."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
import scenarios
from hustings_slack import SlackChat, answered, running
from scenarios import MODERATOR
from sqlalchemy import func, select

from bot.adapters.slack import moderate
from bot.adapters.slack.fake import Mode
from bot.adapters.slack.render import MODERATE_ACTION
from bot.app import App
from bot.storage.tables import Ballot


async def ballots(core: App) -> int:
    async with core.context.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(Ballot)) or 0)


@pytest.mark.parametrize("mode", ["http", "socket"])
async def test_the_ack_goes_out_while_the_ballot_is_still_held(
    tmp_path: Path, mode: Mode, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with running(tmp_path, mode) as slack:
        chat = SlackChat(slack.fake)
        await scenarios.play(chat, scenarios.setup_steps())
        gate, entered = asyncio.Event(), asyncio.Event()
        rank = slack.core.ballots.rank

        async def held(*args: Any, **kwargs: Any) -> Any:
            entered.set()
            await gate.wait()
            return await rank(*args, **kwargs)

        monkeypatch.setattr(slack.core.ballots, "rank", held)
        uid = chat.member("alice")
        sent = asyncio.create_task(
            slack.fake.slash(chat.team, uid, chat.channel, "/rank", "Kendall Burnham", settle=0)
        )
        done = await asyncio.wait_for(sent, 30)  # answered although the ballot cannot move
        assert done.ack.ok, done.ack
        await asyncio.wait_for(entered.wait(), 30)
        assert done.ephemerals == []
        assert await ballots(slack.core) == 0
        gate.set()
        await answered(slack.fake, done)
        assert await ballots(slack.core) == 1
        assert "recorded" in done.ephemerals[0].text.lower()


@pytest.mark.parametrize("mode", ["http", "socket"])
@pytest.mark.parametrize("which", ["press", "submit"])
async def test_moderate_is_acked_while_its_work_is_held(
    tmp_path: Path, mode: Mode, which: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The Moderate button and its form are answered at once, as every listener is: a slow
    merge (a 429's Retry-After) must not make Slack show the moderator an error for an
    action that went through."""
    async with running(tmp_path, mode) as slack:
        chat = SlackChat(slack.fake)
        mod = chat.member("mod", MODERATOR)
        [card] = (await chat.slash("alice", "/ask What about rail?")).messages
        if which == "submit":
            opened = await slack.fake.click(card, MODERATE_ACTION, user_id=mod)
            await answered(slack.fake, opened)
            [view] = opened.views
        gate, entered = asyncio.Event(), asyncio.Event()
        real = getattr(moderate, which)

        async def held(*args: Any, **kwargs: Any) -> Any:
            entered.set()
            await gate.wait()
            return await real(*args, **kwargs)

        monkeypatch.setattr(moderate, which, held)
        if which == "press":
            sent = slack.fake.click(card, MODERATE_ACTION, user_id=mod, settle=0)
        else:
            sent = slack.fake.submit_view(view, {"reason": "off-topic"}, settle=0)
        task = asyncio.create_task(sent)
        await asyncio.wait_for(entered.wait(), 30)
        done = await asyncio.wait_for(asyncio.shield(task), 10)  # acked while held
        assert done.ack.ok, done.ack
        gate.set()
        await answered(slack.fake, done)
