"""Uploads (images with alt text, or any file) on Discord messages, within Discord's limits.

Any ``Upload`` list goes through ``attach``: the files ride on the last message of a reply
(after its text, so the text is complete above them), at most ``MAX_FILES`` per message, the
rest on messages of their own. A file over ``MAX_FILE_BYTES`` (the upload limit of a guild
without boosts) cannot be sent and is left out with a warning: what it showed is in the
text. discord.py sends each as a ``files[n]`` part with ``attachments[n].description`` = the
alt text (``render.discord_file``).

``with_charts`` is the one call the send paths make: it draws a count's charts when the reply
carries ``charts_of`` and attaches them; a drawing failure leaves the messages as they are.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from bot.adapters.discord.render import Outgoing
from bot.adapters.render.message import Reply
from bot.adapters.render.uploads import Upload, draw_charts

log = logging.getLogger(__name__)

MAX_FILES = 10
MAX_FILE_BYTES = 10 * 1024 * 1024


def attach(messages: list[Outgoing], uploads: Sequence[Upload]) -> list[Outgoing]:
    """``messages`` with ``uploads`` on the last one (and on further file-only messages when
    there are more than fit); the same list object, changed in place, is returned."""
    sendable = [u for u in uploads if _fits(u)]
    if not sendable:
        return messages
    if not messages:
        messages.append(Outgoing())
    last = messages[-1]
    room = MAX_FILES - len(last.uploads) - (last.attachment is not None)
    last.uploads.extend(sendable[:room])
    rest = sendable[room:]
    while rest:
        messages.append(Outgoing(uploads=list(rest[:MAX_FILES])))
        rest = rest[MAX_FILES:]
    return messages


def _fits(upload: Upload) -> bool:
    if len(upload.data) <= MAX_FILE_BYTES:
        return True
    log.warning(
        "an upload of %d bytes is over Discord's %d-byte limit and was left out",
        len(upload.data),
        MAX_FILE_BYTES,
    )
    return False


async def with_charts(reply: Reply, messages: list[Outgoing]) -> list[Outgoing]:
    """``messages`` (the rendering of ``reply``) with the count's charts attached, if the
    reply carries a count and the charts could be drawn (off the event loop)."""
    if reply.charts_of is None:
        return messages
    return attach(messages, await draw_charts(reply.charts_of))


def without_uploads(message: Outgoing) -> Outgoing | None:
    """The message with its uploads removed (the text to post when Discord refused the
    files), or ``None`` when nothing would be left to send."""
    bare = Outgoing(message.content, list(message.embeds), message.attachment)
    if bare.content is None and not bare.embeds and bare.attachment is None:
        return None
    return bare
