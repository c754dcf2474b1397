"""Announcements after the interaction, posted with the bot token (the scheduler's Announcer).

A timed close happens with no member interaction to answer, and a count can outlive the
15-minute interaction token; both are posted to the election's channel as the bot. Every
message goes out with ``AllowedMentions.none()``: a candidate called ``@everyone`` pings
nobody.
"""

from __future__ import annotations

import logging

import discord

from bot.adapters.discord import markdown
from bot.adapters.discord.next_round import post_step
from bot.adapters.discord.render import Outgoing, count_messages, reply_messages
from bot.adapters.discord.respond import post_to_channel
from bot.adapters.discord.uploads import add_charts
from bot.adapters.render import shared_copy, views
from bot.adapters.render.message import Reply
from bot.domain import CountOutcome, ElectionView, PacedStep, Place

log = logging.getLogger(__name__)


def messages_for(message: object) -> list[Outgoing]:
    """What to post for a scheduler message: an election's close, a count, a reply, text."""
    if isinstance(message, ElectionView):
        return reply_messages(views.election_announcement(message))
    if isinstance(message, CountOutcome):
        return count_messages(message)
    if isinstance(message, Reply):
        return reply_messages(message)
    return [Outgoing(content=markdown.text(str(message)))]


class DiscordAnnouncer:
    """Posts to a Discord channel with the bot token."""

    def __init__(self, client: discord.Client) -> None:
        self.client = client

    async def announce(self, place: Place, message: object) -> None:
        if place.platform != "discord":
            return
        message = shared_copy.unwrap(message)  # a shared election's copy: its Reply
        try:
            channel_id = int(place.channel)
        except ValueError:
            log.warning("cannot announce in channel %r: not a Discord channel id", place.channel)
            return
        if isinstance(message, PacedStep):  # a paced count's next round, on its --pace
            await post_step(self.client, channel_id, message)
            return
        last = None
        for outgoing in messages_for(message):
            last = await post_to_channel(self.client, channel_id, outgoing)
        if isinstance(message, CountOutcome):
            message = Reply(None, private=False, charts_of=message.result)
        if isinstance(message, Reply):
            await add_charts(last, message)
