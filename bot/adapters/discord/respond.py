"""Answering one interaction: the first message, followups, DMs, and the bot-token fallback.

The tree (or ``errors.guarded`` for buttons) has already deferred, ephemerally or visibly
(``interaction.extras["hustings_public"]``). A reply whose visibility matches the defer
replaces the "thinking…" message; one that does not (an error after a visible defer) deletes
it and goes out as an ephemeral followup, so a private message is never shown to the channel.
Further messages are followups. A reply with a ``recipient`` is a DM to that member, since an
ephemeral message can only answer the member's own interaction.

Interaction tokens last 15 minutes. A public message that can no longer go through the token
(a count that outlived it) is posted to the channel with the bot token instead; a private one
cannot be, and is logged (without its content, which may be a ranking).
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import Any, cast

import discord

from bot.adapters.discord.render import Outgoing, reply_messages
from bot.adapters.discord.uploads import add_charts
from bot.adapters.render.message import Reply, deliveries

log = logging.getLogger(__name__)

NO_MENTIONS = discord.AllowedMentions.none()
TOKEN_LIFETIME = timedelta(minutes=14)
"""Interaction tokens last 15 minutes; leave a minute's margin."""
PUBLIC = "hustings_public"
ANSWERED = "hustings_answered"


async def defer(interaction: discord.Interaction, *, public: bool) -> None:
    """Acknowledge at once with a "thinking…" message (ephemeral unless ``public``)."""
    interaction.extras[PUBLIC] = public
    if not interaction.response.is_done():
        await interaction.response.defer(ephemeral=not public, thinking=True)


async def send_reply(
    interaction: discord.Interaction,
    reply: Reply,
    *,
    messages: list[Outgoing] | None = None,
    view: discord.ui.View | None = None,
) -> None:
    """Deliver ``reply`` and its followups; ``messages`` overrides how the first one renders
    and ``view`` (buttons) goes on its first message. A count's charts are added to its last
    message once its text is out (``uploads.add_charts``)."""
    for index, each in enumerate(deliveries(reply)):
        rendered = messages if index == 0 and messages is not None else reply_messages(each)
        if each.recipient is not None:
            await direct_message(interaction, each.recipient, rendered, quiet=each.direct)
            continue
        if each.pin and not each.private:
            await post_pinned(interaction, rendered)
            continue
        last = await send(
            interaction, rendered, private=each.private, view=view if index == 0 else None
        )
        await add_charts(last, each)


async def send(
    interaction: discord.Interaction,
    messages: list[Outgoing],
    *,
    private: bool,
    view: discord.ui.View | None = None,
) -> discord.Message | None:
    """Send ``messages`` as the answer to ``interaction`` (the view goes on the first);
    the last message as sent (to add files to), if Discord returned it."""
    last: discord.Message | None = None
    for index, message in enumerate(messages):
        with_view = view if index == 0 else None
        try:
            last = await _one(interaction, message, private=private, view=with_view)
        except discord.HTTPException as exc:
            if private or not _expired(interaction, exc):
                raise
            last = await post_to_channel(
                interaction.client, interaction.channel_id, message, with_view
            )
    return last


async def _one(
    interaction: discord.Interaction,
    message: Outgoing,
    *,
    private: bool,
    view: discord.ui.View | None,
) -> discord.Message | None:
    if _too_old(interaction) and not private:
        return await post_to_channel(interaction.client, interaction.channel_id, message, view)
    public_defer = bool(interaction.extras.get(PUBLIC, False))
    first = not interaction.extras.get(ANSWERED, False)
    interaction.extras[ANSWERED] = True
    if first and public_defer == (not private):
        return await interaction.edit_original_response(**_edit_kwargs(message, view))
    if first and public_defer and private:
        # The visible "thinking…" placeholder must not become the private message: settle
        # it first (a followup would replace a loading placeholder, keeping it public).
        await interaction.edit_original_response(content="Answered privately.")
        await interaction.delete_original_response()
    elif first:
        await interaction.edit_original_response(content="Posted to the channel.")
    sent = await interaction.followup.send(ephemeral=private, **_send_kwargs(message, view))
    return cast(discord.WebhookMessage, sent)  # wait=True: the message, never None


def _edit_kwargs(message: Outgoing, view: discord.ui.View | None) -> dict[str, Any]:
    kwargs: dict[str, Any] = {
        "content": message.content,
        "embeds": message.embeds,
        "allowed_mentions": NO_MENTIONS,
    }
    files = message.files()
    if files:
        kwargs["attachments"] = files
    if view is not None:
        kwargs["view"] = view
    return kwargs


def _send_kwargs(message: Outgoing, view: discord.ui.View | None) -> dict[str, Any]:
    kwargs: dict[str, Any] = {
        "content": message.content,
        "embeds": message.embeds,
        "allowed_mentions": NO_MENTIONS,
        "wait": True,
    }
    files = message.files()
    if files:
        kwargs["files"] = files
    if view is not None:
        kwargs["view"] = view
    return kwargs


async def post_to_channel(
    client: discord.Client,
    channel_id: int | None,
    message: Outgoing,
    view: discord.ui.View | None = None,
) -> discord.Message | None:
    """Post ``message`` in a channel with the bot token (announcements, expired tokens)."""
    if channel_id is None:
        return None
    channel = client.get_partial_messageable(channel_id)
    kwargs = _send_kwargs(message, view)
    kwargs.pop("wait")
    return await channel.send(**kwargs)


async def post_pinned(interaction: discord.Interaction, messages: list[Outgoing]) -> None:
    """Post ``messages`` to the channel with the bot token and pin the first (``Reply.pin``:
    a hustings' answers summary). A refused pin (no Manage Messages, 50 pins already) is
    logged; the message stays posted."""
    first = None
    for message in messages:
        posted = await post_to_channel(interaction.client, interaction.channel_id, message)
        first = first or posted
    if first is None:
        return
    try:
        await first.pin()
    except discord.HTTPException:
        log.warning("could not pin a message (interaction %s)", interaction.id)


async def direct_message(
    interaction: discord.Interaction,
    recipient: str,
    messages: list[Outgoing],
    *,
    view: discord.ui.View | None = None,
    quiet: bool = False,
) -> None:
    """DM ``recipient`` (``view``: buttons on the first message); if their DMs are closed,
    tell the caller privately that they were not (unless ``quiet``: ``Reply.direct``)."""
    try:
        user = await interaction.client.fetch_user(int(recipient))
        for index, message in enumerate(messages):
            kwargs = _send_kwargs(message, view if index == 0 else None)
            kwargs.pop("wait")
            await user.send(**kwargs)
    except (discord.HTTPException, ValueError):
        log.warning("could not send a direct message (interaction %s)", interaction.id)
        if quiet:
            return
        note = Outgoing(content="They could not be sent a direct message (their DMs are closed).")
        await send(interaction, [note], private=True)


def _too_old(interaction: discord.Interaction) -> bool:
    return datetime.now(UTC) - interaction.created_at > TOKEN_LIFETIME


def _expired(interaction: discord.Interaction, exc: discord.HTTPException) -> bool:
    """The interaction token no longer works (unknown webhook / invalid token)."""
    return exc.code in (10015, 50027) or _too_old(interaction)
