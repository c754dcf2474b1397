"""The fake's world: users, guilds with roles, channels and members, and messages.

Each value knows how to render itself as the JSON Discord sends (``payload``), which is what
discord.py parses on the other side, so the shapes here follow Discord's documented objects
closely enough for discord.py's constructors (they index some keys without defaults).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal

from bot.adapters.discord import markdown
from bot.adapters.discord.fake.errors import JSON

ADMINISTRATOR = 1 << 3
ALL_PERMISSIONS = (1 << 51) - 1
EVERYONE_PERMISSIONS = (
    (1 << 0)  # create instant invite
    | (1 << 6)  # add reactions
    | (1 << 10)  # view channel
    | (1 << 11)  # send messages
    | (1 << 14)  # embed links
    | (1 << 15)  # attach files
    | (1 << 16)  # read message history
    | (1 << 18)  # use external emojis
    | (1 << 26)  # change nickname
    | (1 << 31)  # use application commands
)
EPHEMERAL, LOADING = 1 << 6, 1 << 7
TEXT_CHANNEL, DM_CHANNEL = 0, 1


def iso(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, UTC).isoformat()


@dataclass
class User:
    id: int
    name: str
    bot: bool = False

    def payload(self) -> JSON:
        return {
            "id": str(self.id),
            "username": self.name,
            "global_name": self.name,
            "discriminator": "0",
            "avatar": None,
            "bot": self.bot,
            "public_flags": 0,
            "flags": 0,
        }


@dataclass
class Role:
    id: int
    name: str
    permissions: int = 0
    position: int = 0

    def payload(self) -> JSON:
        return {
            "id": str(self.id),
            "name": self.name,
            "permissions": str(self.permissions),
            "position": self.position,
            "color": 0,
            "hoist": False,
            "managed": False,
            "mentionable": False,
            "flags": 0,
        }


@dataclass
class Channel:
    id: int
    guild_id: int
    name: str
    position: int = 0
    type: int = TEXT_CHANNEL

    def payload(self) -> JSON:
        return {
            "id": str(self.id),
            "guild_id": str(self.guild_id),
            "name": self.name,
            "type": self.type,
            "position": self.position,
            "permission_overwrites": [],
            "nsfw": False,
            "parent_id": None,
            "topic": None,
            "last_message_id": None,
            "rate_limit_per_user": 0,
            "flags": 0,
        }


@dataclass
class DMChannel:
    """A user's direct-message channel with the bot (``POST /users/@me/channels``)."""

    id: int
    recipient: User

    def payload(self) -> JSON:
        return {
            "id": str(self.id),
            "type": DM_CHANNEL,
            "last_message_id": None,
            "flags": 0,
            "recipients": [self.recipient.payload()],
        }


@dataclass
class Member:
    user: User
    roles: list[int]
    joined_at: str
    admin: bool = False

    def payload(self, permissions: int | None = None) -> JSON:
        data: JSON = {
            "user": self.user.payload(),
            "nick": None,
            "avatar": None,
            "roles": [str(r) for r in self.roles],
            "joined_at": self.joined_at,
            "deaf": False,
            "mute": False,
            "flags": 0,
            "pending": False,
        }
        if permissions is not None:
            data["permissions"] = str(permissions)
        return data


@dataclass
class Guild:
    id: int
    name: str
    owner_id: int
    roles: dict[int, Role] = field(default_factory=dict)
    channels: dict[int, Channel] = field(default_factory=dict)
    members: dict[int, Member] = field(default_factory=dict)
    locale: str = "en-GB"

    def role_named(self, name: str) -> Role | None:
        return next((r for r in self.roles.values() if r.name == name), None)

    def permissions(self, user_id: int) -> int:
        """A member's guild permissions: @everyone plus their roles; admins get everything."""
        member = self.members[user_id]
        value = self.roles[self.id].permissions
        for role_id in member.roles:
            value |= self.roles[role_id].permissions
        if member.admin or user_id == self.owner_id or value & ADMINISTRATOR:
            return ALL_PERMISSIONS
        return value

    def payload(self, me: Member | None) -> JSON:
        """GUILD_CREATE: the guild with roles, channels and (minimal) members."""
        members = [m.payload() for m in self.members.values()]
        if me is not None:
            members.append(me.payload())
        return {
            "id": str(self.id),
            "name": self.name,
            "icon": None,
            "owner_id": str(self.owner_id),
            "unavailable": False,
            "member_count": len(members),
            "large": False,
            "joined_at": me.joined_at if me else None,
            "features": [],
            "preferred_locale": self.locale,
            "roles": [r.payload() for r in self.roles.values()],
            "channels": [c.payload() for c in self.channels.values()],
            "threads": [],
            "members": members,
            "voice_states": [],
            "presences": [],
            "emojis": [],
            "stickers": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
        }


Source = Literal["bot", "interaction"]


@dataclass
class Message:
    """A message as the fake holds it; ``visible_to`` is set for ephemeral messages."""

    id: int
    channel_id: int
    guild_id: int | None
    author: User
    source: Source
    created: str
    content: str = ""
    embeds: list[JSON] = field(default_factory=list)
    components: list[JSON] = field(default_factory=list)
    flags: int = 0
    type: int = 0
    interaction_id: int | None = None
    visible_to: int | None = None
    edited: str | None = None
    edits: int = 0
    deleted: bool = False
    webhook_id: int | None = None
    allowed_mentions: JSON | None = None
    """The ``allowed_mentions`` the bot last sent with this message (``None``: not sent)."""
    files: dict[str, str] = field(default_factory=dict)
    """Uploaded files, name → text (the fake reads uploads as UTF-8 text)."""
    pinned: bool = False

    @property
    def ephemeral(self) -> bool:
        return bool(self.flags & EPHEMERAL)

    @property
    def loading(self) -> bool:
        """Still the "is thinking…" placeholder of a deferred reply."""
        return bool(self.flags & LOADING)

    @property
    def text(self) -> str:
        """Content plus embed titles, descriptions and fields, then each file's name and text,
        for readable assertions."""
        parts = [self.content] if self.content else []
        for embed in self.embeds:
            parts += [str(embed[k]) for k in ("title", "description") if embed.get(k)]
            parts += [f"{f.get('name')}: {f.get('value')}" for f in embed.get("fields") or []]
        for name, content in self.files.items():
            parts += [f"[file {name}]", content]
        return "\n".join(parts)

    @property
    def shown(self) -> str:
        """``text`` as a member reads it: Discord hides a backslash before punctuation."""
        return markdown.shown(self.text)

    def custom_ids(self) -> list[str]:
        """Every component custom id on the message, in order."""
        found: list[str] = []
        _walk_ids(self.components, found)
        return found

    def apply(self, body: JSON, when: str, *, keep_flags: bool = True) -> None:
        """An edit: only the keys sent change, as on Discord."""
        for key in ("content", "embeds", "components", "allowed_mentions"):
            if key in body and body[key] is not None:
                setattr(self, key, body[key])
        if "_files" in body:
            self.files = dict(body["_files"])
        if not keep_flags and "flags" in body:
            self.flags = int(body["flags"] or 0)
        self.flags &= ~LOADING
        self.edited, self.edits = when, self.edits + 1

    def payload(self, application_id: int) -> JSON:
        data: JSON = {
            "id": str(self.id),
            "channel_id": str(self.channel_id),
            "author": self.author.payload(),
            "content": self.content,
            "timestamp": self.created,
            "edited_timestamp": self.edited,
            "tts": False,
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "attachments": [],
            "embeds": self.embeds,
            "components": self.components,
            "pinned": self.pinned,
            "type": self.type,
            "flags": self.flags,
            "application_id": str(application_id),
        }
        if self.guild_id is not None:
            data["guild_id"] = str(self.guild_id)
        if self.webhook_id is not None:
            data["webhook_id"] = str(self.webhook_id)
        return data


def _walk_ids(items: list[JSON], found: list[str]) -> None:
    for item in items:
        if item.get("custom_id"):
            found.append(str(item["custom_id"]))
        _walk_ids(item.get("components") or [], found)
        if isinstance(item.get("component"), dict):
            _walk_ids([item["component"]], found)
        if isinstance(item.get("accessory"), dict):
            _walk_ids([item["accessory"]], found)
