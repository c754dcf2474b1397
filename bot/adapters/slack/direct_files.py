"""Files meant for one member only (the minutes of ``/questions export``), sent to them as
files in their direct message with the app.

Slack has no ephemeral files: a file shared in a channel is seen by the whole channel. So a
private reply with files goes in two parts. The files: ``conversations.open`` with the
member (scope ``im:write``) gives the DM, and ``uploads.share_files`` (``files_upload_v2``,
scope ``files:write``) shares them there as one message headed by the reply's title. The
reply: its text without the files, ephemeral as before, ending with a line that says where
the files went, or that they could not be sent and why. Then (and only then) the files
follow as text in that ephemeral reply, as they did before DMs: it is shown to the same
member, in the same words the service chose for them (who may export, and what a member's
copy leaves out, is decided by ``bot.services``, not here), so nothing reaches anyone else.

The reasons are Slack's error codes turned into words; a missing scope names the scope and
the fix (a workspace that installed the app before it asked for ``im:write`` must reinstall
it to grant it). Only the code is logged, never the member or the files.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import PurePosixPath

from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.render.message import Attachment, Reply, Section
from bot.adapters.render.uploads import Upload
from bot.adapters.slack.render import escape
from bot.adapters.slack.uploads import Refused, share_files

log = logging.getLogger(__name__)

REINSTALL = "a workspace admin grants it by reinstalling the app (Add to Slack)"
UNREACHABLE = "Slack could not be reached"
CONTENT_TYPES = {".md": "text/markdown", ".csv": "text/csv"}


async def send_files_privately(
    client: AsyncWebClient, user: str, channel: str, reply: Reply
) -> Reply:
    """Share ``reply``'s files in ``user``'s DM with the app; the reply to show ``user``
    ephemerally: its text and where the files went, or why not and the files as text."""
    names = " and ".join(f.filename for f in reply.files)
    why_not = await _open_and_share(client, user, channel, reply)
    if why_not is None:
        return _with_line(reply, f"Sent to you as files in a direct message: {names}.", ())
    line = f"Could not send {names} to you in a direct message: {why_not}."
    return _with_line(reply, f"{line} Here they are as text, only for you.", reply.files)


async def _open_and_share(
    client: AsyncWebClient, user: str, channel: str, reply: Reply
) -> str | None:
    """``None`` once the files are shared in the DM, else why not, in words."""
    try:
        opened = await client.conversations_open(users=user)
    except SlackApiError as exc:
        code = str(exc.response.get("error") or "unknown_error")
        log.warning("could not open a direct message for files: %s", code)
        if code == "missing_scope":
            return _missing("open direct messages", "im:write")
        return f"Slack would not open one ({code})"
    except SlackClientError as exc:
        log.warning("could not open a direct message for files (%s)", type(exc).__name__)
        return UNREACHABLE
    dm = str((opened.get("channel") or {}).get("id") or "")
    if not dm:
        return "Slack did not say which conversation it is"
    title = escape(reply.title) if reply.title else "Your files"
    comment = f"{title} (asked for in <#{channel}>)"
    refused = await share_files(client, dm, uploads(reply.files), initial_comment=comment)
    return None if refused is None else _upload_refused(refused)


def uploads(files: tuple[Attachment, ...]) -> tuple[Upload, ...]:
    """Text files as UTF-8 uploads: byte for byte what the console saves."""
    return tuple(
        Upload(
            f.filename,
            f.content.encode("utf-8"),
            "",
            CONTENT_TYPES.get(PurePosixPath(f.filename).suffix, "text/plain"),
        )
        for f in files
    )


def _upload_refused(refused: Refused) -> str:
    if refused.code == "missing_scope":
        return _missing("upload files", refused.needed or "files:write")
    if refused.code == "unreachable":
        return UNREACHABLE
    return f"Slack refused the upload ({refused.code})"


def _missing(doing: str, scope: str) -> str:
    return f"this Slack app may not {doing} (it lacks the {scope} permission; {REINSTALL})"


def _with_line(reply: Reply, line: str, files: tuple[Attachment, ...]) -> Reply:
    """``reply`` with ``line`` after its sections and exactly ``files`` as its files."""
    sections = (*reply.sections, Section((line,)))
    return replace(reply, sections=sections, attachment=None, attachments=files)


async def direct_messages_refused(client: AsyncWebClient, user: str) -> str | None:
    """Why this app cannot open direct messages in the workspace, in words, or ``None``.

    Checked by opening ``user``'s own DM with the app (nothing is posted), before
    ``/election remind`` claims the day's reminder: a workspace that installed the app before
    it asked for ``im:write`` would otherwise be told its reminders were sent, while every one
    failed. Only a missing permission is a reason here: it holds for everyone alike, so
    saying so tells nothing about any member; any other refusal is left to the sending."""
    try:
        await client.conversations_open(users=user)
    except SlackApiError as exc:
        if exc.response.get("error") == "missing_scope":
            return _missing("open direct messages", "im:write")
    except SlackClientError:
        return None
    return None
