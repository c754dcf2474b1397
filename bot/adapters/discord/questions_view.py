"""The upvote button under each posted question, working across restarts.

The button's ``custom_id`` is the whole state: ``hustings:upvote:<number>`` (the question's
number in its channel, the one in its short id ``Q<number>``). discord.py matches it against
``UpvoteButton``'s template, registered once at start-up with ``add_dynamic_items``, so a
button posted before a restart is recognised by the restarted bot with nothing kept in memory.
The button toggles (one upvote per member, a second press takes it back, and the reply says
so), unlike a typed ``/upvote``, which never does; the caller is told privately, and the
card is redrawn with the new count (``cards``: its line and its button).
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Any

import discord

from bot.adapters.discord.cards import UPVOTE, card_reply, card_view
from bot.adapters.discord.errors import guarded
from bot.adapters.discord.render import reply_messages
from bot.adapters.discord.respond import NO_MENTIONS, send_reply
from bot.adapters.render import views

if TYPE_CHECKING:
    from bot.adapters.discord.client import HustingsClient

log = logging.getLogger(__name__)

PREFIX = UPVOTE


class UpvoteButton(
    discord.ui.DynamicItem[discord.ui.Button[discord.ui.View]],
    template=re.compile(re.escape(PREFIX) + r"(?P<number>[0-9]{1,9})"),
):
    def __init__(self, number: int, upvotes: int | None = None) -> None:
        label = "Upvote" if upvotes is None else f"Upvote ({upvotes})"
        super().__init__(
            discord.ui.Button(
                label=label,
                emoji="\N{UPWARDS BLACK ARROW}",
                style=discord.ButtonStyle.secondary,
                custom_id=f"{PREFIX}{number}",
            )
        )
        self.number = number

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> UpvoteButton:
        return cls(int(match["number"]))

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        client: HustingsClient = interaction.client
        await guarded(interaction, lambda: _upvote(client, interaction, self.number))


async def _upvote(client: HustingsClient, interaction: discord.Interaction, number: int) -> None:
    actor, place = await client.who_and_where(interaction)
    outcome = await client.app.questions.upvote(actor, place, f"Q{number}", toggle=True)
    await send_reply(interaction, views.upvoted(outcome))
    if interaction.message is None:
        return
    question = outcome.question
    [card, *_] = reply_messages(card_reply(question))
    try:
        await interaction.message.edit(
            content=card.content, embeds=card.embeds, view=card_view(question),
            allowed_mentions=NO_MENTIONS,
        )  # fmt: skip
    except discord.HTTPException:
        log.warning("could not refresh the upvote count on message %s", interaction.message.id)
