"""Sharding: the settings (``DISCORD_SHARD_IDS``, ``DISCORD_SHARD_COUNT``), the client they
build, and the fake gateway routing each guild's events to its shard as Discord does,
``(guild_id >> 22) % shard_count``, with guild-less events (direct messages) on shard 0.
The two-process test (``tests/bot/services/test_two_discord_processes.py``) runs the bot
itself as two shard processes."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import discord
import pytest

from bot.adapters.discord import endpoints
from bot.adapters.discord.client import HustingsClient, ShardedHustingsClient, make_client
from bot.adapters.discord.fake import FakeDiscord
from bot.app import build_app
from bot.config import Settings
from bot.errors import StartupProblem
from bot.startup_checks import load_settings
from tests.bot.adapters.conftest import adapter_settings
from tests.bot.adapters.discord.harness import DiscordChat

GUILDS = (300_000_000_000 << 22, 300_000_000_001 << 22)  # shard 0 and shard 1 of 2
MEMBER = 501


def _settings(**values: Any) -> Settings:
    return load_settings(lambda: Settings(_env_file=None, **values))  # type: ignore[call-arg]


def test_shard_settings_read_ids_and_count() -> None:
    chosen = _settings(discord_shard_ids="0, 2", discord_shard_count="4")
    assert chosen.discord_shard_ids == (0, 2) and chosen.discord_shard_count == 4
    every = _settings(discord_shard_count="3")
    assert every.discord_shard_ids is None and every.discord_shard_count == 3
    assert _settings(discord_shard_ids="", discord_shard_count="").discord_shard_ids is None


@pytest.mark.parametrize(
    ("ids", "count", "setting", "words"),
    [
        ("0,1", None, "DISCORD_SHARD_IDS", "needs DISCORD_SHARD_COUNT"),
        ("0,2", "2", "DISCORD_SHARD_IDS", "shard 2 is outside DISCORD_SHARD_COUNT=2"),
        ("1,1", "2", "DISCORD_SHARD_IDS", "shard 1 is listed more than once"),
        ("0,one", "2", "DISCORD_SHARD_IDS", "'one' is not a shard id"),
        ("-1", "2", "DISCORD_SHARD_IDS", "'-1' is not a shard id"),
        (None, "0", "DISCORD_SHARD_COUNT", "must be 1 or more"),
    ],
)
def test_bad_shard_settings_stop_the_start_naming_the_setting(
    ids: str | None, count: str | None, setting: str, words: str
) -> None:
    values = {"discord_shard_ids": ids, "discord_shard_count": count}
    with pytest.raises(StartupProblem) as info:
        _settings(**{k: v for k, v in values.items() if v is not None})
    assert str(info.value).startswith(setting) and words in str(info.value)


async def test_the_client_is_sharded_only_when_a_count_is_set(tmp_path: Path) -> None:
    plain = _settings(database_url=f"sqlite+aiosqlite:///{tmp_path / 'h.db'}", data_dir=tmp_path)
    app = await build_app(plain)
    try:
        unsharded = make_client(app, plain, scheduler=False)
        assert type(unsharded) is HustingsClient
        sharded = make_client(
            app,
            plain.model_copy(update={"discord_shard_ids": (1,), "discord_shard_count": 2}),
            scheduler=False,
        )
        assert isinstance(sharded, ShardedHustingsClient)
        assert sharded.shard_ids == [1] and sharded.shard_count == 2
        await unsharded.close()
        await sharded.close()
    finally:
        await app.aclose()


async def test_a_sharded_client_closed_before_it_starts_closes_quietly(tmp_path: Path) -> None:
    """discord.py's ``AutoShardedClient.close`` needs the event queue ``login`` builds; ours
    closes like the unsharded client (a start-up check may fail before the bot logs in)."""
    plain = _settings(database_url=f"sqlite+aiosqlite:///{tmp_path / 'h.db'}", data_dir=tmp_path)
    app = await build_app(plain)
    try:
        sharded = make_client(app, plain.model_copy(update={"discord_shard_count": 2}))
        assert isinstance(sharded, ShardedHustingsClient) and sharded.scheduler is not None
        sharded.scheduler.start()  # as setup_hook would have: close stops it
        assert not sharded.is_closed()
        await sharded.close()
        await sharded.close()  # twice: still nothing raised
        assert sharded.is_closed() and sharded.scheduler._task is None
    finally:
        await app.aclose()


class Listener(discord.AutoShardedClient):
    """A shard client that only notes the interactions Discord sends it."""

    def __init__(self, shard: int) -> None:
        super().__init__(
            intents=discord.Intents(guilds=True),
            shard_ids=[shard],
            shard_count=2,
            guild_ready_timeout=0.05,
        )
        self.seen: list[int | None] = []
        self.arrived = asyncio.Event()

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        self.seen.append(interaction.guild_id)
        self.arrived.set()


def _button(custom_id: str) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(discord.ui.Button(label="Go", custom_id=custom_id))
    return view


@contextlib.asynccontextmanager
async def two_shards() -> AsyncIterator[tuple[FakeDiscord, list[Listener]]]:
    async with FakeDiscord(heartbeat_interval=5.0) as fake:
        fake.apply_endpoints()
        for guild in GUILDS:
            fake.add_guild(guild, "Branch")
            fake.add_channel(guild, "hustings", guild + 1)
            fake.add_member(guild, MEMBER, "member")
        clients = [Listener(0), Listener(1)]
        tasks = [asyncio.create_task(c.start(fake.token)) for c in clients]
        try:
            for client in clients:
                await asyncio.wait_for(client.wait_until_ready(), 30)
            yield fake, clients
        finally:
            for client in clients:
                await client.close()
            for task in tasks:
                with contextlib.suppress(asyncio.CancelledError):
                    await task
            endpoints.use_real_discord()


async def test_each_shard_gets_its_own_guilds_and_their_interactions() -> None:
    async with two_shards() as (fake, clients):
        assert fake.gateway.live_shards == {0, 1}
        assert [[g.id for g in c.guilds] for c in clients] == [[GUILDS[0]], [GUILDS[1]]]
        for shard, guild in enumerate(GUILDS):
            # REST is not sharded: shard 0's client posts in shard 1's guild as well
            channel = clients[0].get_partial_messageable(guild + 1)
            posted = await channel.send("Vote here", view=_button(f"go:{shard}"))
            clients[shard].arrived.clear()
            record = await fake.click(MEMBER, posted.id, f"go:{shard}")
            await asyncio.wait_for(clients[shard].arrived.wait(), 30)
            assert record.shard == shard and clients[shard].seen[-1] == guild
        assert [c.seen for c in clients] == [[GUILDS[0]], [GUILDS[1]]]


async def test_a_direct_message_interaction_goes_to_shard_0() -> None:
    async with two_shards() as (fake, clients):
        user = await clients[1].fetch_user(MEMBER)
        sent = await user.send("A button in your DMs", view=_button("dm:go"))
        record = await fake.click(MEMBER, sent.id, "dm:go")
        await asyncio.wait_for(clients[0].arrived.wait(), 30)
        assert record.shard == 0 and clients[0].seen == [None] and clients[1].seen == []


async def test_an_identify_for_a_shard_outside_the_count_is_closed_4010() -> None:
    async with FakeDiscord() as fake, aiohttp.ClientSession() as session:
        async with session.ws_connect(fake.gateway_url) as socket:
            hello = await socket.receive_json()
            assert hello["op"] == 10
            identify = {"token": fake.token, "intents": 1, "properties": {}, "shard": [2, 2]}
            await socket.send_str(json.dumps({"op": 2, "d": identify}))
            closed = await socket.receive()
            assert closed.type is aiohttp.WSMsgType.CLOSE and closed.data == 4010
        assert fake.gateway.identifies == 0


async def test_a_dm_click_for_a_guild_on_shard_1_is_served_by_shard_0(tmp_path: Path) -> None:
    """The bot on two shards (two clients, one core): a rewording asked by DM about a question
    in shard 1's guild is accepted by a click that Discord sends to shard 0."""
    settings = adapter_settings(tmp_path)
    app = await build_app(settings)
    async with FakeDiscord(heartbeat_interval=5.0) as fake:
        fake.apply_endpoints()
        guild = GUILDS[1]
        fake.add_guild(guild, "Branch")
        fake.add_role(guild, "moderator", permissions=1 << 13)
        chat = DiscordChat(fake, guild, fake.add_channel(guild, "hustings", guild + 1).id)
        clients = [
            make_client(
                app,
                settings.model_copy(update={"discord_shard_ids": (n,), "discord_shard_count": 2}),
                scheduler=False,
                guild_ready_timeout=0.05,
            )
            for n in (0, 1)
        ]
        tasks = [asyncio.create_task(c.start(fake.token)) for c in clients]
        try:
            for client in clients:
                await asyncio.wait_for(client.wait_until_ready(), 30)
            await clients[1].tree.sync()
            asked = await chat.run("carol", "/ask Schools?")
            assert asked.shard == 1
            await chat.run("mod", "/question edit Q1 What about schools?", frozenset({"moderator"}))
            (dm,) = fake.direct_messages(chat.member("carol"))
            accept = next(i for i in dm.custom_ids() if i.startswith("hustings:reword:accept:"))
            before = {m.id for m in chat.public_messages()}
            pressed = await fake.click(chat.member("carol"), dm.id, accept)
            await pressed
            assert pressed.shard == 0
            assert "You accepted the rewording" in "\n".join(pressed.texts)
            [announced] = [m for m in chat.public_messages() if m.id not in before]
            assert "Question Q1 reworded" in announced.text
        finally:
            for client in clients:
                await client.close()
            for task in tasks:
                with contextlib.suppress(asyncio.CancelledError):
                    await task
            endpoints.use_real_discord()
            await app.aclose()
