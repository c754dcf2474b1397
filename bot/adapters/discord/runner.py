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
from typing import TextIO

from bot.adapters.console import Write, feed_line, line_writer, read_lines, running_core, tagged
from bot.adapters.discord import endpoints
from bot.adapters.discord.client import make_client
from bot.adapters.discord.fake import FakeDiscord, Message
from bot.adapters.discord.fake.__main__ import Demo, populate_demo
from bot.adapters.discord.lines import slash_for
from bot.adapters.discord.tree import MODERATOR_PERMISSIONS
from bot.adapters.fake import ConsoleLine
from bot.adapters.fake.lines import chat_text, is_chat
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
    async with running_core(settings, freeze_gc=True, strict_secret=True) as app:
        client = make_client(app, settings)
        try:
            async with client:
                await client.start(settings.discord_token.get_secret_value())
        except Exception:
            log.exception("the Discord client stopped")
            return 1
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
        async with running_core(settings) as app:
            client = make_client(app, settings)
            task = asyncio.create_task(client.start(fake.token))
            console = LocalConsole(fake, demo, line_writer(out))
            printer = asyncio.create_task(console.print_posts())
            try:
                await asyncio.wait_for(client.wait_until_ready(), 15)
                await client.tree.sync()
                console.write(BANNER)
                async for line in read_lines(lines, name="hustings-discord-stdin"):
                    await console.feed(line)
            finally:
                printer.cancel()
                await client.close()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
    return 0


class LocalConsole:
    """Turns console lines into members' slash commands on the fake and prints what they saw."""

    def __init__(self, fake: FakeDiscord, demo: Demo, write: Write) -> None:
        self.fake, self.demo, self.write = fake, demo, write
        self.channel = demo.channel
        self.channels = {"hustings": demo.channel}
        self.users: dict[str, int] = {}
        self._shown = {m.id for m in fake.state.messages.values()}
        """Messages already printed (or there before the console): each is printed once."""
        self._busy = asyncio.Lock()
        self._posted = asyncio.Event()
        fake.state.on_post.append(lambda _message: self._posted.set())

    async def feed(self, line: str) -> None:
        await feed_line(line, self.write, self._send_alone)

    async def _send_alone(self, parsed: ConsoleLine, text: str) -> None:
        async with self._busy:  # the printer waits, so a line's replies print together
            await self._send(parsed, text)

    async def print_posts(self) -> None:
        """Print what the bot posts between lines (a timed close), as soon as it is posted."""
        while True:
            await self._posted.wait()
            self._posted.clear()
            async with self._busy:
                for channel in list(self.channels.values()):
                    self._print_channel(channel)
                self._print_direct_messages()

    async def _send(self, parsed: ConsoleLine, _text: str) -> None:
        if parsed.platform not in (None, "discord"):  # @alice/slack is not a Discord account
            self.write(f"[console] this console serves Discord; @{parsed.speaker} is not here")
            return
        if parsed.channel:
            self.channel = self._channel(parsed.channel)
        if is_chat(parsed):
            self.write(tagged(self._tag(self.channel), chat_text(parsed)))
            return
        try:
            name, options = slash_for(parsed.command_text)
        except UserError as exc:
            self.write(f"[console] {exc.message}")
            return
        user = self._member(parsed.user, parsed.roles, parsed.admin)
        try:
            record = await self.fake.slash(user, self.channel, name, options)
        except PermissionError:
            self.write(
                f"[console] /{name} is for moderators: Discord does not show it to {parsed.user}"
            )
            return
        await record.settled(within=60)
        for message in record.messages:
            if message.ephemeral and message.id not in self._shown:
                self.write(tagged(f"[private to {parsed.user}]", message.text))
                self._write_attachments(message)
                self._shown.add(message.id)
        self._print_channel(self.channel)
        self._print_direct_messages()

    def _print_direct_messages(self) -> None:
        """What the bot sent members by DM (an asker told why their question was dismissed)."""
        for name, user in self.users.items():
            for message in self.fake.direct_messages(user):
                if message.id not in self._shown:
                    self._shown.add(message.id)
                    self.write(tagged(f"[private to {name}]", message.text))

    def _print_channel(self, channel: int) -> None:
        tag = self._tag(channel)
        for message in self.fake.channel_messages(channel, include_interactions=True):
            if message.id not in self._shown:
                self._shown.add(message.id)
                self.write(tagged(tag, message.text))
                self._write_attachments(message)

    def _write_attachments(self, message: Message) -> None:
        """Each image: ``[attachment NAME]`` and its description (alt text), as a client shows
        them (text files are already in ``message.text``)."""
        for stored in message.attachments:
            if not (stored.content_type or "").startswith("image/"):
                continue
            self.write(f"[attachment {stored.filename}]")
            if stored.description:
                self.write(f"  alt: {stored.description}")

    def _tag(self, channel: int) -> str:
        name = next((n for n, i in self.channels.items() if i == channel), "channel")
        return f"[#{name}]"

    def _channel(self, name: str) -> int:
        if name not in self.channels:
            self.channels[name] = self.fake.add_channel(self.demo.guild, name).id
        return self.channels[name]

    def _member(self, name: str, roles: frozenset[str], admin: bool) -> int:
        user = self.users.setdefault(name, self.fake.world.snowflake())
        self.fake.add_member(self.demo.guild, user, name, sorted(roles), admin=admin)
        return user
