"""Delivery beyond the interaction's own reply, through the real discord.py client and the fake:
DMs to another member, role names fetched by REST, a scheduled close announced with the bot
token, a result that outlives its 15-minute token, and a followup after ``@original`` is gone.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any, cast

import discord
import pytest
from discord import app_commands

from bot.adapters.discord.client import HustingsClient
from bot.adapters.discord.fake import FakeDiscord, Message
from bot.app import App, build_app
from bot.services.common import utc_now
from bot.services.elections import ElectionService
from tests.bot.adapters.conftest import Clock, adapter_settings
from tests.bot.adapters.discord.harness import MANAGE_MESSAGES, DiscordChat

MOD = frozenset({"moderator"})
NO_MENTIONS: dict[str, list[str]] = {"parse": []}


class FakeClock:
    """The fake Discord's clock (seconds since the epoch): real time plus a test's offset."""

    def __init__(self) -> None:
        self.offset = 0.0

    def __call__(self) -> float:
        return time.time() + self.offset


@dataclasses.dataclass
class Setup:
    fake: FakeDiscord
    chat: DiscordChat
    client: HustingsClient
    app: App


@contextlib.asynccontextmanager
async def running(
    tmp_path: Path,
    *,
    fake_clock: Callable[[], float] = time.time,
    clock: Clock | None = None,
    wrap: Callable[[App], App] | None = None,
    late_moderator_role: bool = False,
) -> AsyncIterator[Setup]:
    """A fake Discord with one guild and the bot connected and synced. The client waits
    0.1 s (not discord.py's 2 s) for guilds after READY: the fake sends them at once."""
    async with FakeDiscord(clock=fake_clock) as fake:
        fake.apply_endpoints()
        guild = fake.add_guild(name="Labour Members").id
        if not late_moderator_role:
            fake.add_role(guild, "moderator", permissions=MANAGE_MESSAGES)
        chat = DiscordChat(fake, guild, fake.add_channel(guild, "hustings").id)
        built = await build_app(adapter_settings(tmp_path), clock=clock or utc_now)
        app = built if wrap is None else wrap(built)
        client = HustingsClient(app, scheduler=False, guild_ready_timeout=0.1)
        task = asyncio.create_task(client.start(fake.token))
        try:
            await asyncio.wait_for(client.wait_until_ready(), 10)
            await client.tree.sync()
            yield Setup(fake, chat, client, app)
        finally:
            await client.close()
            with contextlib.suppress(asyncio.CancelledError):
                await task
            await built.aclose()


@pytest.fixture
async def env(tmp_path: Path) -> AsyncIterator[Setup]:
    async with running(tmp_path) as setup:
        yield setup


def api(fake: FakeDiscord, method: str, path: str) -> list[int]:
    """Statuses of the calls the bot made to one route (``path`` after ``/api/v10``)."""
    return [s for m, p, s in fake.requests if m == method and p == "/api/v10" + path]


def public_naming(chat: DiscordChat, *names: str) -> list[str]:
    texts = [m.text for m in chat.public_messages()]
    return [t for t in texts if any(n in t for n in names)]


# -- a dismissed question: the asker is told by DM -----------------------------------------------


async def test_dismissal_reason_reaches_the_asker_by_dm_and_nothing_public_names_them(
    env: Setup,
) -> None:
    await env.chat.run("alice", "/ask Who is your favourite biscuit?")
    alice = env.chat.member("alice")
    before = {m.id for m in env.chat.public_messages()}
    dismissed = await env.chat.run("mod", "/question dismiss Q1 Off-topic.", MOD)
    assert dismissed.ephemeral and not dismissed.rejected
    assert "Question Q1 dismissed. alice is told privately why: Off-topic" in dismissed.texts[0]
    (dm,) = env.fake.direct_messages(alice)
    assert "Your question Q1 was dismissed by a moderator: Off-topic" in dm.text
    assert "Who is your favourite biscuit?" in dm.text
    assert dm.guild_id is None and dm.source == "bot" and not dm.ephemeral
    assert dm.allowed_mentions == NO_MENTIONS
    assert env.fake.direct_messages(env.chat.member("mod")) == []
    assert [m for m in env.chat.public_messages() if m.id not in before] == []
    assert public_naming(env.chat, "alice", str(alice)) == []
    assert api(env.fake, "GET", f"/users/{alice}") == [200]
    assert api(env.fake, "POST", "/users/@me/channels") == [200]
    assert env.fake.unserved == []


async def test_closed_dms_tell_the_moderator_privately_and_post_nothing(env: Setup) -> None:
    await env.chat.run("alice", "/ask Who is your favourite biscuit?")
    env.fake.close_dms(env.chat.member("alice"))
    before = {m.id for m in env.chat.public_messages()}
    dismissed = await env.chat.run("mod", "/question dismiss Q1 Off-topic.", MOD)
    assert dismissed.ephemeral
    assert "could not be sent a direct message" in "\n".join(dismissed.texts)
    assert env.fake.direct_messages(env.chat.member("alice")) == []
    assert [m for m in env.chat.public_messages() if m.id not in before] == []


async def test_the_dm_channel_is_one_per_member_with_its_recipient(env: Setup) -> None:
    client = env.client
    alice = env.chat.member("alice")
    user = await client.fetch_user(alice)
    assert user.name == "alice"
    first = await user.create_dm()
    assert first.type is discord.ChannelType.private
    assert first.recipient is not None and first.recipient.id == alice
    opened = await client.http.start_private_message(alice)
    assert int(opened["id"]) == first.id and opened["type"] == 1
    with pytest.raises(discord.NotFound):
        await client.fetch_user(424242)


# -- role names known only by REST ---------------------------------------------------------------


async def test_a_role_the_gateway_never_announced_is_fetched_by_rest(tmp_path: Path) -> None:
    async with running(tmp_path, late_moderator_role=True) as env:
        guild = env.chat.guild
        env.fake.add_role(guild, "moderator", permissions=MANAGE_MESSAGES)  # after GUILD_CREATE
        created = await env.chat.run("chair", '/election create "Leader" A, B', MOD)
        assert "created as a draft" in created.texts[0]
        assert api(env.fake, "GET", f"/guilds/{guild}/roles") == [200]


# -- a scheduled close, announced with the bot token --------------------------------------------


async def test_scheduled_close_is_announced_in_the_channel_with_the_bot_token(
    tmp_path: Path,
) -> None:
    clock = Clock()
    async with running(tmp_path, clock=clock) as env:
        fake, chat = env.fake, env.chat
        line = '/election create "@everyone vote" Cooper, Corbyn --closes 2015-08-14T13:00Z'
        await chat.run("mod", line, MOD)
        await chat.run("mod", "/election open", MOD)
        await chat.run("alice", "/rank Cooper")
        scheduler = env.app.scheduler(env.client.announcer)
        assert await scheduler.run_once() == []
        clock.now = clock.now.replace(hour=13, minute=1)
        (closed,) = await scheduler.run_once()
        assert closed.status == "closed"
        (announced,) = _announcements(fake, chat.channel, "Voting has closed")
        assert "Voting has closed: @everyone vote. Ballots cast: 1." in announced.shown
        assert "@everyone" not in announced.text  # escaped, as well as not allowed
        assert announced.allowed_mentions == NO_MENTIONS
        assert announced.author.id == fake.application_id
        assert api(fake, "POST", f"/channels/{chat.channel}/messages") == [200]
        assert await scheduler.run_once() == []
        assert len(_announcements(fake, chat.channel, "Voting has closed")) == 1


def _announcements(fake: FakeDiscord, channel: int, start: str) -> list[Message]:
    """Messages the bot posted with its own token (not interaction replies)."""
    return [m for m in fake.channel_messages(channel) if start in m.text]


# -- a result that outlives the interaction token ------------------------------------------------


class GatedElections:
    """The real election service whose ``count`` waits for the test's go-ahead."""

    def __init__(self, inner: ElectionService, gate: asyncio.Event) -> None:
        self.inner, self.gate = inner, gate

    async def count(self, *args: Any, **kwargs: Any) -> Any:
        await self.gate.wait()
        return await self.inner.count(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


async def test_a_result_after_the_token_expired_is_posted_with_the_bot_token(
    tmp_path: Path,
) -> None:
    clock, gate = FakeClock(), asyncio.Event()

    def gated(app: App) -> App:
        elections = cast(ElectionService, GatedElections(app.elections, gate))
        return dataclasses.replace(app, elections=elections)

    async with running(tmp_path, fake_clock=clock, wrap=gated) as env:
        fake, chat = env.fake, env.chat
        await chat.run("mod", '/election create "Leader" Cooper, Corbyn', MOD)
        await chat.run("mod", "/election open", MOD)
        for who, ranking in [("a", "Cooper"), ("b", "Corbyn Cooper"), ("c", "Cooper")]:
            await chat.run(who, f"/rank {ranking}")
        mod = chat.member("mod", MOD)
        record = await fake.slash(mod, chat.channel, "election count", {})
        await record.wait_ack()
        clock.offset += 15 * 60 + 1
        gate.set()
        await _until(lambda: bool(_announcements(fake, chat.channel, "Elected")))
        assert 50027 in record.error_codes
        posted = [m for m in fake.channel_messages(chat.channel) if m.source == "bot"]
        text = "\n".join(m.text for m in posted)
        assert "Result: Leader" in text and "3 ballots" in text
        assert "Elected: Cooper" in text
        assert all(m.allowed_mentions == NO_MENTIONS for m in posted)
        assert record.original is not None and record.original.loading


async def _until(test: Callable[[], bool], within: float = 30.0) -> None:
    loop = asyncio.get_running_loop()
    end = loop.time() + within
    while not test():
        assert loop.time() < end, "the condition was not met in time"
        await asyncio.sleep(0.02)


# -- a followup after @original is deleted -------------------------------------------------------


class DeletingClient(discord.Client):
    """Defers visibly, deletes the "thinking…" placeholder, then follows up privately."""

    def __init__(self) -> None:
        super().__init__(intents=discord.Intents.none(), guild_ready_timeout=0.1)
        self.tree: app_commands.CommandTree[DeletingClient] = app_commands.CommandTree(self)

        @self.tree.command(description="Answer privately after a public defer")
        async def private(interaction: discord.Interaction) -> None:
            await interaction.response.defer(thinking=True)
            await interaction.delete_original_response()
            await interaction.followup.send("only for you", ephemeral=True)


async def test_a_followup_after_the_placeholder_is_deleted_is_a_new_message(
    tmp_path: Path,
) -> None:
    async with running(tmp_path) as env:
        client = DeletingClient()
        task = asyncio.create_task(client.start(env.fake.token))
        try:
            await asyncio.wait_for(client.wait_until_ready(), 10)
            await client.tree.sync()
            alice = env.chat.member("alice")
            record = await env.fake.slash(alice, env.chat.channel, "private")
            await record
            placeholder = env.fake.message(cast(int, record.original_id))
            assert placeholder.deleted and placeholder.text == ""
            (followup,) = record.followups
            assert followup.id != placeholder.id and followup.ephemeral
            assert record.texts == ["only for you"] and record.ephemeral
            assert env.chat.public_messages() == []
        finally:
            await client.close()
            with contextlib.suppress(asyncio.CancelledError):
                await task
