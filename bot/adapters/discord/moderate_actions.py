"""Running a moderator's dismiss or merge on Discord, and keeping the question cards true.

The moderators' menu (``moderate_view``) and the typed commands end the same way: the
action runs through ``dispatch`` (the command's declaration, its permission check, one
service call: ``QuestionService.dismiss`` or ``QuestionModeration.merge``), what it says is
delivered (a merge's announcement to the channel, the moderator's confirmation privately,
the asker's reason by DM), and the cards it changed are redrawn (``cards.refresh``): a
dismissed or merged question's card is closed, the card it was merged into shows the new
count. The same redraw follows a typed ``/upvote``, an answer and an accepted rewording,
so no card shows a stale count or a button that can no longer work.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING

import discord

from bot.adapters.commands import BY_NAME, Value
from bot.adapters.discord import cards
from bot.adapters.discord.answers import show_as_bot
from bot.adapters.discord.errors import tell
from bot.adapters.discord.respond import send_reply
from bot.adapters.dispatch import Outcome, run_outcome
from bot.adapters.moderation import MEMBERS_REFUSED
from bot.adapters.render.text import render as render_text
from bot.adapters.textform import Invocation
from bot.domain import Place, QuestionView, UpvoteOutcome
from bot.services.common import moderates
from bot.services.question_values import MergeOutcome, RewordOutcome

if TYPE_CHECKING:
    from bot.adapters.discord.client import HustingsClient

log = logging.getLogger(__name__)

MAX_TARGETS = 25
"""Discord's cap on a select menu's options."""
PLATFORM = "discord"


async def act(
    client: HustingsClient,
    interaction: discord.Interaction,
    name: str,
    options: Mapping[str, Value],
) -> None:
    """Run ``/question dismiss`` or ``/question merge`` for the moderator who used the menu
    (already deferred as an update of the menu). Success spends the menu (its components
    are removed); a refusal is told privately and leaves it as it was."""
    actor, place = await client.who_and_where(interaction)
    if not moderates(client.app.context, actor):
        await tell(interaction, MEMBERS_REFUSED)
        return
    outcome = await run_outcome(client.app, actor, place, Invocation(BY_NAME[name], options))
    if not isinstance(outcome.value, QuestionView | MergeOutcome):
        await tell(interaction, render_text(outcome.reply))
        return
    await show_as_bot(interaction, outcome)
    try:
        await interaction.edit_original_response(view=None)
    except discord.HTTPException:
        log.warning("could not remove the moderation menu (interaction %s)", interaction.id)
    await refresh_after(client, place, outcome.value)


async def show_and_refresh(interaction: discord.Interaction, outcome: Outcome) -> None:
    """A typed command that changes a question (``/question dismiss``, ``/question merge``,
    ``/upvote``): its reply as usual, then the cards it changed."""
    await send_reply(interaction, outcome.reply)
    await refresh_for(interaction, outcome)


async def refresh_for(interaction: discord.Interaction, outcome: Outcome) -> None:
    """Redraw the cards ``outcome`` changed, in the interaction's channel."""
    if interaction.guild_id is None or interaction.channel_id is None:
        return
    place = Place(PLATFORM, str(interaction.guild_id), str(interaction.channel_id))
    await refresh_after(interaction.client, place, outcome.value)


async def refresh_after(client: discord.Client, place: Place, value: object) -> None:
    """The cards a service's value changed: a merge's two, a question's own, an upvote's."""
    if isinstance(value, MergeOutcome):
        both = [value.merged, value.into]
        await cards.refresh(client, place, both, merged_into=value.into.short_id)
    elif isinstance(value, QuestionView):
        await cards.refresh(client, place, [value])
    elif isinstance(value, UpvoteOutcome | RewordOutcome) and _changed(value):
        await cards.refresh(client, place, [value.question])


def _changed(value: UpvoteOutcome | RewordOutcome) -> bool:
    """An upvote that counted (or was taken back), or a rewording the asker accepted."""
    return value.changed if isinstance(value, UpvoteOutcome) else value.step == "accepted"
