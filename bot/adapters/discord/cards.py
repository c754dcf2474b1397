"""A question's card on Discord: its announcement, its buttons, and keeping it true.

A published question is announced once as a card: its line (short id, addressee, upvotes,
text) with an **Upvote** button and, while it is open, a **Moderate** button (which opens a
menu only for moderators, ``moderate_view``). Where the card went (``channel:message``) is
stored with the question (``app.question_cards``), so whatever later changes the question,
from any process and after any restart, edits that card: an upvote updates the count, an
answer drops the Moderate button, a dismissal closes the card (buttons gone, the text hidden:
it may have been dismissed as abusive), a merge closes the duplicate's card (naming the
question it joined) and updates the count on the card it joined.

The buttons are built here from their ``custom_id`` alone (``hustings:upvote:<n>``,
``hustings:moderate:<n>``); discord.py routes a press to the ``DynamicItem`` registered for
that template (``questions_view.UpvoteButton``, ``moderate_view.ModerateButton``) whatever
object sent the card, so this module needs neither (and they may use it without a cycle).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import discord

from bot.adapters.discord.render import Outgoing, reply_messages
from bot.adapters.discord.respond import NO_MENTIONS, post_to_channel
from bot.adapters.render.question_views import card_reply
from bot.domain import Place, QuestionView

__all__ = ["MODERATE", "UPVOTE", "card_reply", "card_view", "post_card", "refresh"]

log = logging.getLogger(__name__)

UPVOTE = "hustings:upvote:"
MODERATE = "hustings:moderate:"
PLATFORM = "discord"


def number_of(short_id: str) -> int:
    """``Q12`` → 12 (cards exist only for published questions, which have a ``Q`` id)."""
    return int(short_id.lstrip("#qQ"))


def card_view(question: QuestionView) -> discord.ui.View | None:
    """The card's buttons: Upvote while it can be upvoted, Moderate while it is open."""
    if question.status not in ("open", "answered"):
        return None
    number = number_of(question.short_id)
    view = discord.ui.View(timeout=None)
    view.add_item(
        discord.ui.Button(
            label=f"Upvote ({question.upvotes})",
            emoji="\N{UPWARDS BLACK ARROW}",
            style=discord.ButtonStyle.secondary,
            custom_id=f"{UPVOTE}{number}",
        )
    )
    if question.status == "open":
        view.add_item(
            discord.ui.Button(
                label="Moderate",
                emoji="\N{SHIELD}",
                style=discord.ButtonStyle.secondary,
                custom_id=f"{MODERATE}{number}",
            )
        )
    return view


async def post_card(
    client: discord.Client, channel_id: int | None, place: Place, question: QuestionView
) -> None:
    """Post the card with the bot token and remember where it went."""
    card = reply_messages(card_reply(question))
    first = None
    for index, message in enumerate(card):
        view = card_view(question) if index == 0 else None
        posted = await post_to_channel(client, channel_id, message, view)
        first = first or posted
    if first is not None:
        await remember(client, place, question, first)


async def remember(
    client: discord.Client, place: Place, question: QuestionView, message: discord.Message
) -> None:
    """Store where ``question``'s card is (``message``, posted by the bot)."""
    app = getattr(client, "app", None)
    if app is None:
        return
    await app.question_cards.record(place, question.id, f"{message.channel.id}:{message.id}")


async def refresh(
    client: discord.Client,
    place: Place,
    questions: Sequence[QuestionView],
    *,
    merged_into: str | None = None,
) -> None:
    """Edit the cards of ``questions`` to show their state now (``merged_into`` applies to
    the dismissed ones: they were merged into it). A card that is gone, or was never
    recorded, is left alone; a failed edit is logged (ids only) and never fails the command
    that changed the question, which is already committed."""
    app = getattr(client, "app", None)
    if app is None or not questions:
        return
    where = await app.question_cards.find(place, [q.id for q in questions])
    for question in questions:
        address = where.get(question.id)
        if address is None:
            continue
        into = merged_into if question.status == "dismissed" else None
        [message, *_] = reply_messages(card_reply(question, into))
        await _edit(client, address, message, card_view(question))


async def _edit(
    client: discord.Client, address: str, message: Outgoing, view: discord.ui.View | None
) -> None:
    channel_id, _, message_id = address.partition(":")
    if not (channel_id.isdigit() and message_id.isdigit()):
        return
    channel = client.get_partial_messageable(int(channel_id))
    try:
        await channel.get_partial_message(int(message_id)).edit(
            content=message.content, embeds=message.embeds, view=view, allowed_mentions=NO_MENTIONS
        )
    except discord.HTTPException:
        log.warning("could not update the question card in message %s", message_id)
