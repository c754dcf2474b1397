"""The upvote button under each posted question, working across restarts.

The button's ``custom_id`` is the whole state: ``hustings:upvote:<number>`` (the question's
number in its channel, the one in its short id ``Q<number>``). discord.py matches it against
``UpvoteButton``'s template, registered once at start-up with ``add_dynamic_items``, so a
button posted before a restart is recognised by the restarted bot with nothing kept in memory.
The button toggles (one upvote per member, a second press takes it back, and the reply says
so), unlike a typed ``/upvote``, which never does; the caller is told privately, and the
button's count is refreshed.
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Any

import discord

from bot.adapters.discord.errors import guarded
from bot.adapters.discord.respond import send_reply
from bot.adapters.render import views

if TYPE_CHECKING:
    from bot.adapters.discord.client import HustingsClient

log = logging.getLogger(__name__)

PREFIX = "hustings:upvote:"


def upvote_view(number: int, upvotes: int) -> discord.ui.View:
    """A persistent view (no timeout) holding the question's upvote button."""
    view = discord.ui.View(timeout=None)
    view.add_item(UpvoteButton(number, upvotes))
    return view


def number_of(short_id: str) -> int:
    """``Q12`` → 12."""
    return int(short_id.lstrip("#qQ"))


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
    try:
        await interaction.message.edit(view=upvote_view(number, outcome.question.upvotes))
    except discord.HTTPException:
        log.warning("could not refresh the upvote count on message %s", interaction.message.id)
