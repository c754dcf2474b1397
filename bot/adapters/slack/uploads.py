"""Uploads (images with alt text, or any file) shared in a Slack channel.

Any ``Upload`` list goes through ``upload_files``: slack_sdk's ``files_upload_v2`` (one
``files.getUploadURLExternal`` per file with its ``alt_txt``, the bytes POSTed to each
returned URL, then one ``files.completeUploadExternal`` sharing them all in the channel as a
single message). Slack cannot add files to a message already posted with
``chat.postMessage``, so a reply's files follow its text as the next message, optionally in a
thread. The bot token needs the ``files:write`` scope (``transport.SCOPES``).

A refused upload (no scope, a network error, a size limit) is logged with Slack's error code
only and never raised: ``share_files`` returns why (``Refused``), so a caller that promised
files can say they did not come (``direct_files``); a count's charts illustrate a text that
is already in the channel and complete, so ``post_charts`` just leaves them out.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.render.message import Reply
from bot.adapters.render.uploads import Upload, draw_charts, fit_alt
from bot.adapters.slack.render import escape

log = logging.getLogger(__name__)

ALT_TXT_MAX = 1000
"""Slack refuses longer alt text (``alt_txt_too_large``)."""


@dataclass(frozen=True)
class Refused:
    """Why Slack did not take an upload: its error ``code`` (``missing_scope``,
    ``not_in_channel``…, or ``unreachable`` for a network failure) and, for a missing scope,
    the scope it ``needed`` (``files:write``)."""

    code: str
    needed: str | None = None


async def share_files(
    client: AsyncWebClient,
    channel: str,
    uploads: Sequence[Upload],
    *,
    initial_comment: str | None = None,
    thread_ts: str | None = None,
) -> Refused | None:
    """Share ``uploads`` in ``channel`` as one message (the ``initial_comment`` is its text,
    mrkdwn: escape what members typed). ``None`` when Slack took them, else why not (logged).

    Without ``files:write`` the first step (``files.getUploadURLExternal``) is refused with
    ``missing_scope`` and nothing is stored or shared; a refused last step
    (``files.completeUploadExternal``) leaves the files private to the app, shared nowhere.
    """
    if not uploads:
        return Refused("no_files")
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
        code = str(exc.response.get("error") or "unknown_error")
        log.warning("Slack refused %d uploads: %s", len(uploads), code)
        needed = exc.response.get("needed")
        return Refused(code, str(needed) if needed else None)
    except SlackClientError as exc:
        log.warning("%d uploads did not reach Slack (%s)", len(uploads), type(exc).__name__)
        return Refused("unreachable")
    return None


async def upload_files(
    client: AsyncWebClient,
    channel: str,
    uploads: Sequence[Upload],
    *,
    initial_comment: str | None = None,
    thread_ts: str | None = None,
) -> bool:
    """``share_files``, for callers that only need to know whether Slack took them."""
    refused = await share_files(
        client, channel, uploads, initial_comment=initial_comment, thread_ts=thread_ts
    )
    return refused is None


async def post_charts(client: AsyncWebClient, channel: str, reply: Reply) -> bool:
    """After a public count's text: its two charts, drawn off the event loop, shared in the
    channel. Nothing for a reply without a count, a private one, or charts that failed."""
    if reply.charts_of is None or reply.private:
        return False
    uploads = await draw_charts(reply.charts_of)
    comment = f"Charts of the count above: {escape(reply.title)}" if reply.title else None
    return await upload_files(client, channel, uploads, initial_comment=comment)
