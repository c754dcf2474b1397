"""The fake's directory of guilds, roles, channels and members, and its id source.

Roles are named so tests can say ``roles=["moderator"]``; a named role is created on first
use. ``admin=True`` makes a member an administrator (all permissions), as a server owner or
an Administrator role would. Ids are real-looking snowflakes (time in the high bits) so
discord.py's ``snowflake_time`` and ordering behave.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Iterable

from bot.adapters.discord.fake.model import (
    EVERYONE_PERMISSIONS,
    Channel,
    DMChannel,
    Guild,
    Member,
    Role,
    User,
    iso,
)

DISCORD_EPOCH_MS = 1_420_070_400_000


class World:
    """Users and guilds; ``clock`` gives seconds since the Unix epoch (injectable)."""

    def __init__(self, bot: User, clock: Callable[[], float] = time.time) -> None:
        self.clock = clock
        self.bot = bot
        self.users: dict[int, User] = {bot.id: bot}
        self.guilds: dict[int, Guild] = {}
        self.channels: dict[int, Channel] = {}
        self.dms: dict[int, DMChannel] = {}
        """Direct-message channels by channel id, one per user, opened on request."""
        self.closed_dms: set[int] = set()
        """Users who turned off DMs: their channel opens, but messages to it are refused."""
        self._last_id = 0
        self._counter = itertools.count()

    def snowflake(self) -> int:
        """A fresh id, increasing, with the wall time in its high bits."""
        stamp = (int(time.time() * 1000) - DISCORD_EPOCH_MS) << 22
        self._last_id = max(stamp | (next(self._counter) & 0xFFF), self._last_id + 1)
        return self._last_id

    def now(self) -> str:
        return iso(self.clock())

    def user(self, user_id: int, name: str | None = None) -> User:
        if user_id not in self.users:
            self.users[user_id] = User(user_id, name or f"user{user_id}")
        return self.users[user_id]

    def add_guild(
        self, guild_id: int | None = None, name: str = "Hustings", owner_id: int | None = None
    ) -> Guild:
        gid = guild_id or self.snowflake()
        owner = owner_id if owner_id is not None else self.snowflake()
        guild = Guild(gid, name, owner)
        guild.roles[gid] = Role(gid, "@everyone", EVERYONE_PERMISSIONS)
        guild.members[self.bot.id] = Member(self.bot, [], self.now())
        self.guilds[gid] = guild
        return guild

    def guild(self, guild_id: int) -> Guild:
        try:
            return self.guilds[guild_id]
        except KeyError:
            raise LookupError(f"no fake guild {guild_id}") from None

    def add_role(self, guild_id: int, name: str, permissions: int = 0) -> Role:
        guild = self.guild(guild_id)
        existing = guild.role_named(name)
        if existing is not None:
            existing.permissions |= permissions
            return existing
        role = Role(self.snowflake(), name, permissions, position=len(guild.roles))
        guild.roles[role.id] = role
        return role

    def add_channel(self, guild_id: int, name: str, channel_id: int | None = None) -> Channel:
        guild = self.guild(guild_id)
        channel = Channel(channel_id or self.snowflake(), guild_id, name, len(guild.channels))
        guild.channels[channel.id] = channel
        self.channels[channel.id] = channel
        return channel

    def add_member(
        self,
        guild_id: int,
        user_id: int,
        name: str,
        roles: Iterable[str] = (),
        *,
        admin: bool = False,
    ) -> Member:
        guild = self.guild(guild_id)
        role_ids = [self.add_role(guild_id, role).id for role in roles]
        member = Member(self.user(user_id, name), role_ids, self.now(), admin=admin)
        guild.members[user_id] = member
        return member

    def member(self, guild_id: int, user_id: int) -> Member:
        guild = self.guild(guild_id)
        try:
            return guild.members[user_id]
        except KeyError:
            raise LookupError(f"user {user_id} is not a member of guild {guild_id}") from None

    def channel(self, channel_id: int) -> Channel:
        try:
            return self.channels[channel_id]
        except KeyError:
            raise LookupError(f"no fake channel {channel_id}") from None

    def open_dm(self, user_id: int) -> DMChannel:
        """The user's DM channel with the bot, created on first use (as Discord does)."""
        found = self.dm_with(user_id)
        if found is not None:
            return found
        if user_id not in self.users or user_id == self.bot.id:
            raise LookupError(f"no fake user {user_id}")
        channel = DMChannel(self.snowflake(), self.users[user_id])
        self.dms[channel.id] = channel
        return channel

    def dm_with(self, user_id: int) -> DMChannel | None:
        return next((d for d in self.dms.values() if d.recipient.id == user_id), None)
