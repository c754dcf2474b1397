"""Uploads (images with alt text, or any file) shared in a Slack channel.

Any ``Upload`` list goes through ``upload_files``: slack_sdk's ``files_upload_v2`` (one
``files.getUploadURLExternal`` per file with its ``alt_txt``, the bytes POSTed to each
returned URL, then one ``files.completeUploadExternal`` sharing them all in the channel as a
single message). Slack cannot add files to a message already posted with
``chat.postMessage``, so a reply's files follow its text as the next message, optionally in a
thread. The bot token needs the ``files:write`` scope (``transport.SCOPES``).

A refused upload (no scope, a network error, a size limit) is logged with Slack's error code
only and never raised: the text it illustrates is already in the channel and complete.
``post_charts`` is the one call the send paths make for a count's charts.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.render.message import Reply
from bot.adapters.render.uploads import Upload, draw_charts, fit_alt
from bot.adapters.slack.render import escape

log = logging.getLogger(__name__)

ALT_TXT_MAX = 1000
"""Slack refuses longer alt text (``alt_txt_too_large``)."""


async def upload_files(
    client: AsyncWebClient,
    channel: str,
    uploads: Sequence[Upload],
    *,
    initial_comment: str | None = None,
    thread_ts: str | None = None,
) -> bool:
    """Share ``uploads`` in ``channel`` as one message (the ``initial_comment`` is its text,
    mrkdwn: escape what members typed). True when Slack took them; False (logged) if not."""
    if not uploads:
        return False
    files: list[dict[str, Any]] = [
        {
            "file": upload.data,
            "filename": upload.filename,
            "title": upload.filename,
            "alt_txt": fit_alt(upload.alt_text, ALT_TXT_MAX) if upload.alt_text else None,
        }
        for upload in uploads
    ]
    try:
        await client.files_upload_v2(
            file_uploads=files,
            channel=channel,
            initial_comment=initial_comment,
            thread_ts=thread_ts,
        )
    except SlackApiError as exc:
        log.warning("Slack refused %d uploads: %s", len(uploads), exc.response.get("error"))
        return False
    except SlackClientError as exc:
        log.warning("%d uploads did not reach Slack (%s)", len(uploads), type(exc).__name__)
        return False
    return True


async def post_charts(client: AsyncWebClient, channel: str, reply: Reply) -> bool:
    """After a public count's text: its two charts, drawn off the event loop, shared in the
    channel. Nothing for a reply without a count, a private one, or charts that failed."""
    if reply.charts_of is None or reply.private:
        return False
    uploads = await draw_charts(reply.charts_of)
    comment = f"Charts of the count above: {escape(reply.title)}" if reply.title else None
    return await upload_files(client, channel, uploads, initial_comment=comment)
