"""Each Discord interaction runs once, by its id.

Discord sends every interaction once, but a gateway RESUME replays the events a dropped
connection missed, and a relay or a test can deliver the same ``INTERACTION_CREATE`` again.
discord.py would build and run it a second time: Discord then refuses the second response
("already acknowledged") and the library logs a traceback, after our code has already run.
So the gate sits in front of discord.py's own parser for the event: a repeated interaction
id is dropped before any command, button or form sees it, with one warning that names no
one. Ids are kept in memory for 15 minutes, the life of an interaction token (after that
Discord refuses any response, so nothing could be answered twice). They need not outlive
the process: a new gateway session never replays an old session's events. Nor need they be
shared between processes (unlike Slack's, which live in ``seen_requests``): a guild's events
reach only the one gateway connection (shard) that serves it, and a replay comes on it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import discord

from bot.services.common import Clock, utc_now
from bot.services.seen import RecentKeys, key_hash

log = logging.getLogger(__name__)

EVENT = "INTERACTION_CREATE"
LIFETIME = timedelta(minutes=15)
"""An interaction token's life: no response to an interaction is possible after it."""


class InteractionGate:
    """Remembers interaction ids; ``admit`` says whether one is new."""

    def __init__(self, clock: Clock = utc_now) -> None:
        self._clock = clock
        self._recent = RecentKeys(clock)

    def admit(self, data: dict[str, Any]) -> bool:
        """True the first time an interaction id arrives; False (and one warning) after."""
        interaction_id = data.get("id")
        if interaction_id is None:
            return True
        digest = key_hash("discord-interaction", str(interaction_id))
        if self._recent.add(digest, self._clock() + LIFETIME):
            return True
        log.warning("dropped a repeated Discord interaction (already handled)")
        return False

    def install(self, client: discord.Client) -> None:
        """Put the gate in front of the client's ``INTERACTION_CREATE`` parser.

        discord.py has no public hook that runs before it dispatches an interaction to the
        command tree and the views, so the gate wraps the parser in the connection's table
        (which the gateway reads at every event; it is replaced in place, before connecting).
        """
        parsers: dict[str, Callable[[Any], None]] = client._connection.parsers
        parse = parsers[EVENT]

        def gated(data: Any) -> None:
            if isinstance(data, dict) and not self.admit(data):
                return
            parse(data)

        parsers[EVENT] = gated
