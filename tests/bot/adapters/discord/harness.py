"""Driving the real discord.py client and the real core through the fake Discord.

``Bot`` starts (and restarts) a ``HustingsClient`` on a migrated SQLite file against a
running ``FakeDiscord``; ``DiscordChat`` implements the shared scenarios' ``Chat`` by typing
each line as a slash command and reading what the member saw privately (ephemeral messages,
DMs) and what appeared in the channel.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.adapters.discord.client import HustingsClient
from bot.adapters.discord.fake import FakeDiscord, InteractionRecord, Message
from bot.adapters.discord.lines import slash_for
from bot.app import App, build_app
from bot.services.common import Clock, utc_now
from tests.bot.adapters.conftest import adapter_settings
from tests.bot.adapters.scenarios import Seen, Step

MANAGE_MESSAGES = 1 << 13


@dataclass
class Bot:
    """The bot process: core plus client, restartable on the same database."""

    fake: FakeDiscord
    tmp_path: Path
    app: App | None = None
    client: HustingsClient | None = None
    task: asyncio.Task[None] | None = None
    wrap: Any = None
    """Optional ``App -> App`` applied after building (e.g. a slow database)."""
    clock: Clock = utc_now
    """The core's clock (a test may run it ahead of the wall clock)."""

    async def start(self, *, sync: bool = False) -> HustingsClient:
        app = await build_app(adapter_settings(self.tmp_path), clock=self.clock)
        self.app = app if self.wrap is None else self.wrap(app)
        self.client = HustingsClient(self.app, scheduler=False, guild_ready_timeout=0.05)
        self.task = asyncio.create_task(self.client.start(self.fake.token))
        await asyncio.wait_for(self.client.wait_until_ready(), 10)
        if sync:
            await self.client.tree.sync()
        return self.client

    async def stop(self) -> None:
        if self.client is not None:
            await self.client.close()
        if self.task is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await self.task
        if self.app is not None:
            await self.app.aclose()
        self.client, self.task, self.app = None, None, None


@dataclass
class DiscordChat:
    """The scenarios' ``Chat`` on the fake Discord: one guild, one channel."""

    fake: FakeDiscord
    guild: int
    channel: int
    users: dict[str, int] = field(default_factory=dict)
    force: bool = True
    """Send moderator commands even for members Discord would hide them from, so the bot's
    own check is what refuses them."""

    def member(self, name: str, roles: frozenset[str] = frozenset()) -> int:
        if name not in self.users:
            user_id = self.fake.world.snowflake()
            self.fake.add_member(self.guild, user_id, name, sorted(roles))
            self.users[name] = user_id
        return self.users[name]

    async def run(
        self, who: str, line: str, roles: frozenset[str] = frozenset()
    ) -> InteractionRecord:
        name, options = slash_for(line)
        user = self.member(who, roles)
        record = await self.fake.slash(user, self.channel, name, options, force=self.force)
        return await record.settled()

    async def say(self, step: Step) -> Seen:
        before = {m.id for m in self.public_messages()}
        record = await self.run(step.who, step.line, step.roles)
        private = [m.shown for m in record.messages if m.ephemeral]
        public = [m.shown for m in self.public_messages() if m.id not in before]
        return Seen(tuple(private), tuple(public))

    def public_messages(self) -> list[Message]:
        return self.fake.channel_messages(self.channel, include_interactions=True)


async def world(fake: FakeDiscord) -> DiscordChat:
    """A guild with a ``moderator`` role (Manage Messages) and a #hustings channel."""
    guild = fake.add_guild(name="Labour Members").id
    fake.add_role(guild, "moderator", permissions=MANAGE_MESSAGES)
    channel = fake.add_channel(guild, "hustings").id
    return DiscordChat(fake, guild, channel)


@contextlib.asynccontextmanager
async def running(
    tmp_path: Path, clock: Clock = utc_now
) -> AsyncIterator[tuple[FakeDiscord, DiscordChat, Bot]]:
    """A fake Discord pointed at by discord.py, its ``world``, and the bot started with its
    commands synced; the bot is stopped on the way out (one set-up for every adapter test)."""
    async with FakeDiscord() as fake:
        fake.apply_endpoints()
        chat = await world(fake)
        bot = Bot(fake, tmp_path, clock=clock)
        await bot.start(sync=True)
        try:
            yield fake, chat, bot
        finally:
            await bot.stop()
