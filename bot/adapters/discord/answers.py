"""Answers on Discord: posted once, then edited in place when a moderator re-answers.

``/question answer`` is deferred privately (it is not in ``tree.PUBLIC_COMMANDS``): the answer
goes to the channel with the bot token, so it is a message the bot may edit later, whatever
became of the interaction token (15 minutes). Where it went (``channel:message,message…``:
every part of an answer too long for one message, in order) is stored with the question
(``QuestionService.record_answer_post``), in the database, so a re-answer from any process,
after any restart, edits those same messages (marked "(edited)") instead of posting a second
answer: each part in place, a part the new answer needs beyond them posted after them, a part
it no longer needs deleted. If the first message is gone (deleted by someone), the answer is
posted anew and its new place stored. The moderator is told privately which of the two
happened.

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
MAX_ADDRESS = 128
"""``Question.answer_message``'s length."""


async def show_answer(interaction: discord.Interaction, outcome: Outcome) -> None:
    """Post the answer (or edit the posted one) and tell the moderator privately."""
    question = outcome.value
    if not isinstance(question, QuestionView) or interaction.channel_id is None:
        await send_reply(interaction, outcome.reply)  # a refusal: private, as any other
        return
    client: HustingsClient = interaction.client  # type: ignore[assignment]
    messages = reply_messages(outcome.reply)
    posted = _parts(question.answer_message) if question.answer_edited else None
    where = await _edit(client, posted, messages) if posted else None
    if where is not None:
        note = f"{question.short_id}'s posted answer is edited in place (marked edited)."
    else:
        sent = [await post_to_channel(client, interaction.channel_id, m) for m in messages]
        ids = [m.id for m in sent if m is not None]
        where = (interaction.channel_id, ids) if ids else None
        note = f"{question.short_id}'s answer is posted in this channel."
    if where is not None and where != posted:
        place = Place(PLATFORM, str(interaction.guild_id), str(interaction.channel_id))
        await client.app.questions.record_answer_post(place, question.id, _address(*where))
    await send(interaction, [Outgoing(content=note)], private=True)


Parts = tuple[int, list[int]]
"""Where a posted answer is: its channel and the ids of its messages, in order."""


def _parts(where: str | None) -> Parts | None:
    """``channel:first,second,…`` (one id for an answer that fits in one message)."""
    channel_id, _, ids = (where or "").partition(":")
    messages = ids.split(",")
    if not channel_id.isdigit() or not all(m.isdigit() for m in messages):
        return None
    return int(channel_id), [int(m) for m in messages]


def _address(channel_id: int, ids: list[int]) -> str:
    """The stored form of ``Parts``, cut to the ids that fit in ``answer_message`` (128
    characters: five 19-digit ids; an answer is at most three messages)."""
    while len(ids) > 1 and len(f"{channel_id}:" + ",".join(map(str, ids))) > MAX_ADDRESS:
        ids = ids[:-1]
    return f"{channel_id}:" + ",".join(map(str, ids))


async def _edit(client: HustingsClient, posted: Parts, messages: list[Outgoing]) -> Parts | None:
    """Edit the posted answer's messages to read as ``messages``: each part in place, a new
    part posted after them, a part no longer needed deleted. ``None`` (nothing changed) if
    its first message is gone: the caller posts the answer anew."""
    channel_id, ids = posted
    channel = client.get_partial_messageable(channel_id)
    kept: list[int] = []
    for index, message in enumerate(messages):
        if index < len(ids):
            try:
                await channel.get_partial_message(ids[index]).edit(
                    content=message.content, embeds=message.embeds, allowed_mentions=NO_MENTIONS
                )
                kept.append(ids[index])
                continue
            except discord.NotFound:
                if index == 0:
                    log.info("posted answer %s is gone; posting the edit anew", ids[0])
                    return None
        sent = await post_to_channel(client, channel_id, message)
        if sent is not None:
            kept.append(sent.id)
    for surplus in ids[len(messages) :]:
        try:
            await channel.get_partial_message(surplus).delete()
        except discord.HTTPException:
            log.warning("could not delete part %s of a shortened answer", surplus)
    return channel_id, kept


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
