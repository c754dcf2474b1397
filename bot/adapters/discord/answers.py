"""Answers on Discord: posted once, then edited in place when a moderator re-answers.

``/question answer`` is deferred privately (it is not in ``tree.PUBLIC_COMMANDS``): the answer
goes to the channel with the bot token, so it is a message the bot may edit later, whatever
became of the interaction token (15 minutes). Where it went (``channel:message``) is stored
with the question (``QuestionService.record_answer_post``), in the database, so a re-answer
from any process, after any restart, edits that same message (marked "(edited)") instead of
posting a second one. If the stored message is gone (deleted by someone), the answer is posted
anew and its new place stored. The moderator is told privately which of the two happened.

``show_as_bot`` does the same bot-token posting for a member's command whose announcement
must not show who ran it (accepting a rewording of an anonymous question).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord

from bot.adapters.discord.render import Outgoing, reply_messages
from bot.adapters.discord.respond import (
    NO_MENTIONS,
    direct_message,
    post_to_channel,
    send,
    send_reply,
)
from bot.adapters.dispatch import Outcome
from bot.adapters.render.message import deliveries
from bot.domain import Place, QuestionView

if TYPE_CHECKING:
    from bot.adapters.discord.client import HustingsClient

log = logging.getLogger(__name__)
PLATFORM = "discord"


async def show_answer(interaction: discord.Interaction, outcome: Outcome) -> None:
    """Post the answer (or edit the posted one) and tell the moderator privately."""
    question = outcome.value
    if not isinstance(question, QuestionView) or interaction.channel_id is None:
        await send_reply(interaction, outcome.reply)  # a refusal: private, as any other
        return
    client: HustingsClient = interaction.client  # type: ignore[assignment]
    [message, *more] = reply_messages(outcome.reply)
    edited = question.answer_edited and await _edit(client, question.answer_message, message)
    if edited:
        note = f"{question.short_id}'s posted answer is edited in place (marked edited)."
    else:
        posted = await post_to_channel(client, interaction.channel_id, message)
        if posted is not None:
            where = f"{posted.channel.id}:{posted.id}"
            place = Place(PLATFORM, str(interaction.guild_id), str(interaction.channel_id))
            await client.app.questions.record_answer_post(place, question.id, where)
        note = f"{question.short_id}'s answer is posted in this channel."
    for extra in more:
        await post_to_channel(client, interaction.channel_id, extra)
    await send(interaction, [Outgoing(content=note)], private=True)


async def _edit(client: HustingsClient, where: str | None, message: Outgoing) -> bool:
    """Edit the message at ``where`` (``channel:message``); False if there is none to edit."""
    channel_id, _, message_id = (where or "").partition(":")
    if not (channel_id.isdigit() and message_id.isdigit()):
        return False
    channel = client.get_partial_messageable(int(channel_id))
    try:
        await channel.get_partial_message(int(message_id)).edit(
            content=message.content, embeds=message.embeds, allowed_mentions=NO_MENTIONS
        )
    except discord.NotFound:
        log.info("posted answer %s is gone; posting the edit anew", message_id)
        return False
    return True


async def show_as_bot(
    interaction: discord.Interaction, outcome: Outcome, *, channel_id: int | None = None
) -> None:
    """A member's command whose announcement must not name them (``/question accept``):
    public parts go to the channel (``channel_id``, else the interaction's) with the bot
    token, never as the interaction's visible reply (Discord shows "carol used
    /question-accept" above one); the rest privately."""
    channel = channel_id if channel_id is not None else interaction.channel_id
    for reply in deliveries(outcome.reply):
        messages = reply_messages(reply)
        if reply.recipient is not None:
            await direct_message(interaction, reply.recipient, messages)
        elif reply.private:
            await send(interaction, messages, private=True)
        else:
            for message in messages:
                await post_to_channel(interaction.client, channel, message)
