"""The **Next round** button under each step of a paced count, working across restarts.

The button's ``custom_id`` is its whole state: ``hustings:next:<election ref>:<round>``, the
election (its per-channel ref) and the round its post showed. discord.py matches it against
``NextRoundButton``'s template, registered at start-up with ``add_dynamic_items``, so a button
posted before a restart works in the restarted bot with nothing kept in memory; how far the
declaration has gone is in the database (``bot.services.paced``).

A press is deferred as an update of its own post (nothing shows yet), then runs
``/election next`` through ``dispatch`` with the button's round as ``after``: a member is
refused privately, a press on a post whose next round is already out is told so privately
(two quick presses declare one round), and the declared round is posted to the channel with
the bot token, under its own button; the pressed post then loses its button.
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Any

import discord

from bot.adapters.commands import BY_NAME, Value
from bot.adapters.discord.errors import guarded, tell
from bot.adapters.discord.render import reply_messages
from bot.adapters.discord.respond import post_to_channel
from bot.adapters.dispatch import run_outcome
from bot.adapters.render.count import declare_step
from bot.adapters.render.text import render as render_text
from bot.adapters.textform import Invocation
from bot.domain import PacedStep
from bot.services.common import is_moderator

if TYPE_CHECKING:
    from bot.adapters.discord.client import HustingsClient

log = logging.getLogger(__name__)

PREFIX = "hustings:next:"
MEMBERS_REFUSED = "Only moderators can declare the next round; the count goes on without you."
NEXT = BY_NAME["election next"]


def next_round_view(step: PacedStep) -> discord.ui.View | None:
    """A persistent view with the step's Next round button; ``None`` under the last step."""
    if step.final:
        return None
    view = discord.ui.View(timeout=None)
    view.add_item(NextRoundButton(step.outcome.election.ref, step.shown))
    return view


class NextRoundButton(
    discord.ui.DynamicItem[discord.ui.Button[discord.ui.View]],
    template=re.compile(re.escape(PREFIX) + r"(?P<ref>[0-9A-Za-z]{1,16}):(?P<after>[0-9]{1,6})"),
):
    def __init__(self, ref: str, after: int) -> None:
        super().__init__(
            discord.ui.Button(
                label="Next round",
                emoji="\N{BLACK RIGHT-POINTING TRIANGLE}",
                style=discord.ButtonStyle.primary,
                custom_id=f"{PREFIX}{ref}:{after}",
            )
        )
        self.ref = ref
        self.after = after

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> NextRoundButton:
        return cls(match["ref"], int(match["after"]))

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        client: HustingsClient = interaction.client
        work = lambda: _press(client, interaction, self.ref, self.after)  # noqa: E731
        await guarded(interaction, work, update=True)


async def _press(
    client: HustingsClient, interaction: discord.Interaction, ref: str, after: int
) -> None:
    actor, place = await client.who_and_where(interaction)
    if not is_moderator(actor, client.app.context.moderator_roles):
        await tell(interaction, MEMBERS_REFUSED)
        return
    options: dict[str, Value] = {"election": ref, "after": after}
    outcome = await run_outcome(client.app, actor, place, Invocation(NEXT, options))
    if not isinstance(outcome.value, PacedStep):  # stale, fully declared, or failed
        await tell(interaction, render_text(outcome.reply))
        return
    await post_step(client, interaction.channel_id, outcome.value)
    try:
        await interaction.edit_original_response(view=None)
    except discord.HTTPException:
        message = interaction.message
        log.warning("could not take the Next round button off message %s", message and message.id)


async def post_step(client: discord.Client, channel_id: int | None, step: PacedStep) -> None:
    """Post one step with the bot token, its Next round button on its last message."""
    messages = reply_messages(declare_step(step))
    view = next_round_view(step)
    for index, message in enumerate(messages):
        last = index == len(messages) - 1
        await post_to_channel(client, channel_id, message, view if last else None)
