"""The Discord adapter's one error mapping, and the guard every button and select runs in.

A ``UserError`` (wherever it is raised: option conversion, a service) is the member's
mistake: they alone see its message, ephemerally. Anything else is our bug: they get a short
apology with a reference, and the log gets the traceback under the same reference with the
ids of who, where and which command, never option values (they include rankings).

``guarded`` is for component interactions (buttons, selects), which the command tree never
sees: it defers first (before any database work), then runs the work under the same mapping.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Awaitable, Callable
from typing import Any

import discord
from discord import app_commands

from bot.adapters.discord import markdown
from bot.adapters.discord.render import Outgoing
from bot.adapters.discord.respond import ANSWERED, PUBLIC, defer, send
from bot.errors import UserError

log = logging.getLogger(__name__)


def unwrap(error: BaseException) -> BaseException:
    """The exception a command really raised (discord.py wraps it in ``CommandInvokeError``)."""
    while isinstance(error, app_commands.CommandInvokeError | app_commands.TransformerError):
        cause: BaseException | None = (
            error.original if isinstance(error, app_commands.CommandInvokeError) else None
        )
        cause = cause or error.__cause__
        if cause is None:
            break
        error = cause
    return error


async def handle(interaction: discord.Interaction, error: BaseException) -> None:
    """Answer the caller privately: the user error's message, or an apology with a ref."""
    cause = unwrap(error)
    if isinstance(cause, UserError):
        text = cause.message
    else:
        ref = secrets.token_hex(3).upper()
        log.error(
            "interaction %s failed (ref %s): command=%s guild=%s channel=%s",
            interaction.id,
            ref,
            _what(interaction),
            interaction.guild_id,
            interaction.channel_id,
            exc_info=(type(cause), cause, cause.__traceback__),
        )
        text = f"Sorry, something went wrong (ref {ref}). Please tell a moderator."
    await tell(interaction, text)


async def tell(interaction: discord.Interaction, text: str) -> None:
    """``text`` privately to the caller, whether or not the interaction was answered yet.

    ``text`` is neutral (it may quote what the member typed): it is escaped here."""
    text = markdown.text(text)
    try:
        if not interaction.response.is_done():
            await interaction.response.send_message(
                text, ephemeral=True, allowed_mentions=discord.AllowedMentions.none()
            )
            return
        await send(interaction, [Outgoing(content=text)], private=True)
    except discord.HTTPException:
        log.warning("could not tell a member about an error (interaction %s)", interaction.id)


def _what(interaction: discord.Interaction) -> str:
    command = interaction.command
    if command is not None:
        return f"/{command.qualified_name}"
    data: Any = interaction.data or {}
    return f"component {component_kind(str(data.get('custom_id', '?')))}"


def component_kind(custom_id: str) -> str:
    """The kind of component a ``custom_id`` names (``hustings:ballot``), never its state:
    a ballot form's id carries the member's ranking so far, and no ranking, question or
    election reference may reach a log."""
    return ":".join(custom_id.split(":")[:2])


async def guarded(
    interaction: discord.Interaction,
    work: Callable[[], Awaitable[None]],
    *,
    public: bool = False,
    update: bool = False,
) -> None:
    """Defer, then run ``work``; any error is answered by ``handle``.

    ``update`` acknowledges a component by promising to edit its own message (no new
    "thinking…" message); otherwise a "thinking…" reply is deferred, ephemeral unless
    ``public``.
    """
    try:
        if update:
            interaction.extras[PUBLIC] = False
            interaction.extras[ANSWERED] = True  # errors go out as ephemeral followups
            await interaction.response.defer()
        else:
            await defer(interaction, public=public)
        await work()
    except Exception as exc:
        await handle(interaction, exc)
