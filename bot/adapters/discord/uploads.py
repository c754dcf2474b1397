"""Uploads (images with alt text, or any file) added to a Discord message already sent.

Text goes first: a reply's messages are sent as soon as they are rendered, and its files are
then added to the last of them with an edit (``add_uploads``), so slow drawing never holds
back a declaration and a failed upload never loses it. discord.py sends each file as a
``files[n]`` part with ``attachments[n].description`` = the alt text (``discord_file``);
the message keeps the attachments it had. At most ``MAX_FILES`` fit on one message: the
rest go on new messages in the same channel (public messages only: an ephemeral one's
files are never moved into the channel). A file over ``MAX_FILE_BYTES``
(a guild without boosts) cannot be sent and is left out with a warning.

Any list of ``Upload`` values works; ``add_charts`` is the call the send paths make for a
reply that carries a count (drawn off the event loop by ``render.uploads.draw_charts``).
Failures are logged with Discord's status and code only, never the content.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Sequence

import discord

from bot.adapters.render.message import Reply
from bot.adapters.render.uploads import Upload, draw_charts, fit_alt

log = logging.getLogger(__name__)

MAX_FILES = 10
MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_DESCRIPTION = 1024
"""An attachment's description (its alt text)."""
NO_MENTIONS = discord.AllowedMentions.none()


def discord_file(upload: Upload) -> discord.File:
    """An upload as discord.py sends it; the description is the alt text, within 1024."""
    description = fit_alt(upload.alt_text, MAX_DESCRIPTION) if upload.alt_text else None
    return discord.File(io.BytesIO(upload.data), upload.filename, description=description)


def sendable(uploads: Sequence[Upload]) -> list[Upload]:
    """The uploads Discord can take (each within ``MAX_FILE_BYTES``); the rest are logged."""
    fit = [u for u in uploads if len(u.data) <= MAX_FILE_BYTES]
    if len(fit) < len(uploads):
        log.warning(
            "%d uploads are over Discord's %d-byte limit and were left out",
            len(uploads) - len(fit),
            MAX_FILE_BYTES,
        )
    return fit


async def add_uploads(message: discord.Message | None, uploads: Sequence[Upload]) -> bool:
    """Add ``uploads`` to ``message`` (keeping its attachments; overflow on new messages in
    its channel). True if every sendable file went out; False (logged) otherwise."""
    files = sendable(uploads)
    if message is None or not files:
        return False
    room = max(0, MAX_FILES - len(message.attachments))
    try:
        if room:
            kept: list[discord.Attachment | discord.File] = list(message.attachments)
            await message.edit(attachments=[*kept, *map(discord_file, files[:room])])
        for start in range(room, len(files), MAX_FILES):
            if message.flags.ephemeral:
                raise ValueError("an ephemeral message's files stay with it")
            chunk = [discord_file(u) for u in files[start : start + MAX_FILES]]
            await message.channel.send(files=chunk, allowed_mentions=NO_MENTIONS)
    except discord.HTTPException as exc:
        log.warning(
            "Discord refused %d uploads (HTTP %s, code %s)", len(files), exc.status, exc.code
        )
        return False
    except ValueError:
        log.warning("%d uploads did not fit on an ephemeral message", len(files) - room)
        return False
    return True


async def add_charts(message: discord.Message | None, reply: Reply) -> bool:
    """After the text of ``reply`` went out as ``message``: its count's charts, if it carries
    one and they could be drawn. Nothing for any other reply."""
    if reply.charts_of is None or message is None:
        return False
    return await add_uploads(message, await draw_charts(reply.charts_of))
