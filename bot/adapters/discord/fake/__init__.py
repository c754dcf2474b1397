"""A local fake Discord for end-to-end tests and for running the bot without Discord.

``FakeDiscord`` serves the REST subset and the gateway websocket on 127.0.0.1 and drives the
bot as members would (slash commands, autocomplete, buttons, selects, modals), enforcing
Discord's deadlines and limits. Several bot processes may connect as shards (IDENTIFY with
``shard: [id, count]``); each guild's events reach the shard Discord would send them to
(``gateway``). ``serve_forever`` runs it as a process (``python -m bot.adapters.discord.fake``).
"""

from bot.adapters.discord.fake.errors import ApiError
from bot.adapters.discord.fake.model import Channel, Guild, Member, Message, Role, User
from bot.adapters.discord.fake.record import (
    InteractionFailedError,
    InteractionRecord,
    Rejected,
    Reply,
)
from bot.adapters.discord.fake.server import DEFAULT_TOKEN, FakeDiscord
from bot.adapters.discord.fake.uploads import StoredFile

__all__ = [
    "DEFAULT_TOKEN",
    "ApiError",
    "Channel",
    "FakeDiscord",
    "Guild",
    "InteractionFailedError",
    "InteractionRecord",
    "Member",
    "Message",
    "Rejected",
    "Reply",
    "Role",
    "StoredFile",
    "User",
]
