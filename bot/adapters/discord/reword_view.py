"""Accept / Decline buttons on the direct message that asks an asker about a rewording.

``/question edit Q3 TEXT`` tells the asker by DM (an ephemeral message can only answer the
asker's own interaction); the DM carries two buttons. A DM has no server or channel, so the
button's ``custom_id`` carries them: ``hustings:reword:<accept|decline>:<guild>:<channel>:<id>``
(registered with ``add_dynamic_items``, so buttons work after a restart with nothing held in
memory). A click runs ``/question accept|decline`` through ``dispatch`` as the member who
clicked: the service accepts only the question's own asker, so a forged ``custom_id`` can do
no more than the member could type. The rewording's announcement goes to the question's
channel with the bot token; the buttons are then removed from the DM.
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Any

import discord

from bot.adapters.commands import BY_NAME
from bot.adapters.discord.answers import show_as_bot
from bot.adapters.discord.errors import guarded, tell
from bot.adapters.discord.moderate_actions import refresh_after
from bot.adapters.discord.render import reply_messages
from bot.adapters.discord.respond import direct_message, send
from bot.adapters.dispatch import Outcome, run_outcome
from bot.adapters.render.message import deliveries
from bot.adapters.render.text import render as render_text
from bot.adapters.textform import Invocation
from bot.domain import Actor, Place
from bot.services.question_values import RewordOutcome

if TYPE_CHECKING:
    from bot.adapters.discord.client import HustingsClient

log = logging.getLogger(__name__)

PREFIX = "hustings:reword:"
PLATFORM = "discord"
_TEMPLATE = re.compile(
    re.escape(PREFIX)
    + r"(?P<verb>accept|decline):(?P<guild>[0-9]{1,20}):(?P<channel>[0-9]{1,20}):"
    + r"(?P<id>[QP][0-9]{1,9})"
)


def reword_view(guild: str, channel: str, short_id: str) -> discord.ui.View:
    """The two buttons, for the DM to the asker."""
    view = discord.ui.View(timeout=None)
    for verb in ("accept", "decline"):
        view.add_item(RewordButton(verb, guild, channel, short_id))
    return view


class RewordButton(discord.ui.DynamicItem[discord.ui.Button[discord.ui.View]], template=_TEMPLATE):
    def __init__(self, verb: str, guild: str, channel: str, short_id: str) -> None:
        super().__init__(
            discord.ui.Button(
                label="Accept the rewording" if verb == "accept" else "Keep my wording",
                style=discord.ButtonStyle.primary
                if verb == "accept"
                else discord.ButtonStyle.secondary,
                custom_id=f"{PREFIX}{verb}:{guild}:{channel}:{short_id}",
            )
        )
        self.verb, self.guild, self.channel, self.short_id = verb, guild, channel, short_id

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> RewordButton:
        return cls(match["verb"], match["guild"], match["channel"], match["id"])

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await guarded(interaction, lambda: self._decide(interaction))

    async def _decide(self, interaction: discord.Interaction[Any]) -> None:
        client: HustingsClient = interaction.client
        user = interaction.user
        actor = Actor(PLATFORM, self.guild, str(user.id), user.display_name)
        place = Place(PLATFORM, self.guild, self.channel)
        invocation = Invocation(BY_NAME[f"question {self.verb}"], {"id": self.short_id})
        outcome = await run_outcome(client.app, actor, place, invocation)
        if not isinstance(outcome.value, RewordOutcome):
            await tell(interaction, render_text(outcome.reply))
            return
        await show_as_bot(interaction, outcome, channel_id=int(self.channel))
        await refresh_after(client, place, outcome.value)  # the card reads as reworded
        if interaction.message is not None:
            try:
                await interaction.message.edit(view=None)
            except discord.HTTPException:
                log.warning("could not remove the rewording buttons from a DM")


async def show_proposal(interaction: discord.Interaction, outcome: Outcome) -> None:
    """``/question edit``: the moderator is told privately; the asker by DM, with buttons."""
    if not isinstance(outcome.value, RewordOutcome):
        await tell(interaction, render_text(outcome.reply))
        return
    question = outcome.value.question
    for reply in deliveries(outcome.reply):
        messages = reply_messages(reply)
        if reply.recipient is None:
            await send(interaction, messages, private=True)
            continue
        view = reword_view(
            str(interaction.guild_id), str(interaction.channel_id), question.short_id
        )
        await direct_message(interaction, reply.recipient, messages, view=view)
