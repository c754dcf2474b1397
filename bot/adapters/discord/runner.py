"""``hustings run`` on Discord: the real bot, against Discord or against the local fake.

``local=False`` connects to Discord with ``DISCORD_TOKEN`` (never logged), at the URLs in
settings if they are set (``endpoints.use``). Commands are not synced here: that is
``hustings discord sync`` (Discord allows 200 command creates a day per guild).

``local=True`` (no token) starts the fake Discord on 127.0.0.1 with a demo guild, points the
real discord.py client at it, syncs the commands there, and reads console lines from standard
input in the fake console's format (``@alice +moderator: /rank Kendall Burnham``), each sent
as that member's slash command through the fake. What the member saw is printed: ephemeral
replies as ``[private to alice]``, channel messages as ``[#hustings]``. End of input exits 0.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sys
import threading
from collections.abc import AsyncIterator, Callable
from typing import TextIO

from bot.adapters.discord import endpoints
from bot.adapters.discord.client import HustingsClient
from bot.adapters.discord.fake import FakeDiscord
from bot.adapters.discord.fake.__main__ import Demo, populate_demo
from bot.adapters.discord.lines import slash_for
from bot.adapters.discord.tree import MODERATOR_PERMISSIONS
from bot.adapters.fake import is_comment, parse_console_line
from bot.app import build_app
from bot.config import Settings
from bot.errors import UserError

log = logging.getLogger(__name__)

BANNER = (
    "Hustings on a local fake Discord (the real discord.py client, no network). Type lines like\n"
    '  @mod +moderator: /election create "Leader" Kendall, Burnham, Cooper, Corbyn\n'
    "  @mod +moderator: /election open\n"
    "  @alice: /rank Kendall Burnham\n"
    "+role gives roles, !admin an administrator, #channel switches channel. Ctrl-D quits."
)


async def run(settings: Settings, *, local: bool) -> int:
    """Run until the bot stops (real) or standard input ends (local); the exit code."""
    if local:
        return await run_local(settings, sys.stdin, sys.stdout)
    return await _run_real(settings)


async def _run_real(settings: Settings) -> int:
    if settings.discord_token is None:
        log.error("DISCORD_TOKEN is not set")
        return 2
    if settings.discord_api_url or settings.discord_gateway_url:
        endpoints.use(
            settings.discord_api_url or endpoints.REAL_API,
            settings.discord_gateway_url or endpoints.REAL_GATEWAY,
        )
    app = await build_app(settings, freeze_gc=True)
    client = HustingsClient(app)
    try:
        async with client:
            await client.start(settings.discord_token.get_secret_value())
    except Exception:
        log.exception("the Discord client stopped")
        return 1
    finally:
        await app.aclose()
    return 0


async def run_local(settings: Settings, lines: TextIO, out: TextIO) -> int:
    """The local demo: fake Discord, real bot, console on ``lines``; returns 0 at EOF."""
    async with FakeDiscord() as fake:
        demo = populate_demo(fake)
        for role in settings.moderator_roles:
            # as a server admin would: moderators hold the permission that shows them the
            # moderator commands (our own check still decides by role)
            fake.add_role(demo.guild, role, MODERATOR_PERMISSIONS.value)
        fake.apply_endpoints()
        app = await build_app(settings)
        client = HustingsClient(app)
        task = asyncio.create_task(client.start(fake.token))
        try:
            await asyncio.wait_for(client.wait_until_ready(), 15)
            await client.tree.sync()
            console = LocalConsole(fake, demo, _writer(out))
            console.write(BANNER)
            async for line in _read_lines(lines):
                await console.feed(line)
        finally:
            await client.close()
            with contextlib.suppress(asyncio.CancelledError):
                await task
            await app.aclose()
    return 0


class LocalConsole:
    """Turns console lines into members' slash commands on the fake and prints what they saw."""

    def __init__(self, fake: FakeDiscord, demo: Demo, write: Callable[[str], None]) -> None:
        self.fake, self.demo, self.write = fake, demo, write
        self.channel = demo.channel
        self.channels = {"hustings": demo.channel}
        self.users: dict[str, int] = {}

    async def feed(self, line: str) -> None:
        if is_comment(line):
            return
        parsed = parse_console_line(line)
        if parsed is None:
            self.write(f"[console] cannot read {line.strip()!r}: write @name: /command")
            return
        if parsed.channel:
            self.channel = self._channel(parsed.channel)
        try:
            name, options = slash_for(parsed.command_text)
        except UserError as exc:
            self.write(f"[console] {exc.message}")
            return
        user = self._member(parsed.user, parsed.roles, parsed.admin)
        seen = {m.id for m in self.fake.channel_messages(self.channel, include_interactions=True)}
        try:
            record = await self.fake.slash(user, self.channel, name, options)
        except PermissionError:
            self.write(
                f"[console] /{name} is for moderators: Discord does not show it to {parsed.user}"
            )
            return
        await record.settled(within=60)
        tag = self._tag()
        for message in record.messages:
            if message.ephemeral:
                self.write(_tagged(f"[private to {parsed.user}]", message.text))
                seen.add(message.id)
        for message in self.fake.channel_messages(self.channel, include_interactions=True):
            if message.id not in seen:
                self.write(_tagged(tag, message.text))

    def _tag(self) -> str:
        name = next((n for n, i in self.channels.items() if i == self.channel), "channel")
        return f"[#{name}]"

    def _channel(self, name: str) -> int:
        if name not in self.channels:
            self.channels[name] = self.fake.add_channel(self.demo.guild, name).id
        return self.channels[name]

    def _member(self, name: str, roles: frozenset[str], admin: bool) -> int:
        user = self.users.setdefault(name, self.fake.world.snowflake())
        self.fake.add_member(self.demo.guild, user, name, sorted(roles), admin=admin)
        return user


def _tagged(tag: str, text: str) -> str:
    first, *rest = text.splitlines() or [""]
    return "\n".join([f"{tag} {first}", *(f"    {line}" for line in rest)])


def _writer(out: TextIO) -> Callable[[str], None]:
    def write(text: str) -> None:
        out.write(text + "\n")
        out.flush()

    return write


async def _read_lines(source: TextIO) -> AsyncIterator[str]:
    """Lines from ``source`` read on a daemon thread (a blocked read must not pin the loop)."""
    queue: asyncio.Queue[str | None] = asyncio.Queue()
    loop = asyncio.get_running_loop()

    def read() -> None:
        for line in source:
            loop.call_soon_threadsafe(queue.put_nowait, line)
        loop.call_soon_threadsafe(queue.put_nowait, None)

    threading.Thread(target=read, name="hustings-discord-stdin", daemon=True).start()
    while (line := await queue.get()) is not None:
        yield line
