"""File uploads on the fake Slack, the way ``files_upload_v2`` (slack_sdk) does them.

Three steps, as on Slack: ``files.getUploadURLExternal`` (``filename``, ``length``, optional
``alt_txt``; bot token) answers an ``upload_url`` and a ``file_id``; the bytes are POSTed
raw to that URL (no token: the URL is the credential, single use); then
``files.completeUploadExternal`` (``files`` = JSON ``[{"id", "title"}]``, optional
``channel_id`` or ``channels``, ``initial_comment``, ``thread_ts``) finishes the upload and
shares the files in the channel as one message whose text is the initial comment. Without a
channel the files stay private to the app, as Slack documents.

Refused as Slack refuses them: a missing ``filename``/``length`` or a ``length`` that is not
an integer (``invalid_arguments``), ``length`` 0 (``missing_argument``), alt text over 1000
characters (``alt_txt_too_large``), a file id that is unknown, another workspace's, not yet
uploaded or already completed (``file_not_found``), an unknown channel
(``channel_not_found``) or one the bot is not in (``not_in_channel``), and both steps
without the ``files:write`` scope (``missing_scope``, before anything is stored). A DM
opened with ``conversations.open`` is a channel like any other here. The upload URL answers
404 to an unknown or used token, and (stricter than Slack, to catch bugs) 400 when the bytes
are not the announced ``length``.
"""

from __future__ import annotations

import json
import secrets
import struct
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from aiohttp import web

from bot.adapters.slack.fake.model import JSON
from bot.adapters.slack.fake.webapi import ApiError, Call, method

if TYPE_CHECKING:
    from bot.adapters.slack.fake.server import FakeSlack

ALT_TXT_MAX = 1000
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
UPLOAD_PATH = "/upload/v1/{token}"


@dataclass
class SlackFile:
    """One file: what ``getUploadURLExternal`` announced, the bytes, where it was shared."""

    id: str
    team_id: str
    user: str
    filename: str
    length: int
    alt_txt: str | None
    token: str
    created: int
    title: str | None = None
    data: bytes | None = None
    complete: bool = False
    channels: list[str] = field(default_factory=list)
    public: bool = False
    """Shared in a channel (not only in DMs): Slack's ``is_public``."""

    @property
    def mimetype(self) -> str:
        return "image/png" if (self.data or b"").startswith(PNG_SIGNATURE) else "binary"

    @property
    def size_px(self) -> tuple[int, int] | None:
        """(width, height) of a PNG from its IHDR chunk, else ``None``."""
        data = self.data or b""
        if not data.startswith(PNG_SIGNATURE) or data[12:16] != b"IHDR":
            return None
        width, height = struct.unpack(">II", data[16:24])
        return int(width), int(height)

    def to_api(self) -> JSON:
        out: JSON = {
            "id": self.id,
            "created": self.created,
            "timestamp": self.created,
            "name": self.filename,
            "title": self.title or self.filename,
            "mimetype": self.mimetype,
            "filetype": "png" if self.mimetype == "image/png" else "binary",
            "user": self.user,
            "size": len(self.data or b""),
            "mode": "hosted",
            "is_external": False,
            "is_public": self.public,
            "channels": list(self.channels),
        }
        if self.alt_txt:
            out["alt_txt"] = self.alt_txt
        if self.size_px is not None:
            out["original_w"], out["original_h"] = self.size_px
        return out


@dataclass
class FileStore:
    """Every file by id, and the pending upload tokens."""

    files: dict[str, SlackFile] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)

    def shared_in(self, team_id: str, channel: str) -> list[SlackFile]:
        """Files shared in a channel, oldest first."""
        return [f for f in self.files.values() if f.team_id == team_id and channel in f.channels]


@method("files.getUploadURLExternal")
async def get_upload_url(call: Call) -> JSON:
    team = call.bot_team
    filename = str(call.require("filename"))
    try:
        length = int(str(call.require("length")))
    except ValueError:
        raise ApiError("invalid_arguments") from None
    if length <= 0:
        raise ApiError("missing_argument")
    alt = call.args.get("alt_txt")
    if alt is not None and len(str(alt)) > ALT_TXT_MAX:
        raise ApiError("alt_txt_too_large")
    file_id, token = f"F{secrets.token_hex(5).upper()}", secrets.token_urlsafe(16)
    store = call.fake.file_store
    store.files[file_id] = SlackFile(
        file_id,
        team.id,
        team.bot_user_id,
        filename,
        length,
        str(alt) if alt is not None else None,
        token,
        int(call.fake.clock()),
    )
    store.tokens[token] = file_id
    url = call.fake.url + UPLOAD_PATH.format(token=token)
    return {"upload_url": url, "file_id": file_id}


async def receive(fake: FakeSlack, request: web.Request) -> web.Response:
    """The upload URL: the raw bytes of one announced file, once."""
    file_id = fake.file_store.tokens.pop(request.match_info["token"], None)
    if file_id is None:
        return web.Response(status=404, text="not found")
    found = fake.file_store.files[file_id]
    data = await request.read()
    if len(data) != found.length:
        return web.Response(status=400, text=f"expected {found.length} bytes, got {len(data)}")
    found.data = data
    fake.touch()
    return web.Response(text=f"OK - {len(data)}")


@method("files.completeUploadExternal")
async def complete_upload(call: Call) -> JSON:
    team = call.bot_team
    entries = _entries(call.require("files"))
    channels = _channels(call)
    chosen: list[tuple[SlackFile, Any]] = []
    for entry in entries:
        found = call.fake.file_store.files.get(str(entry.get("id")))
        if found is None or found.team_id != team.id or found.data is None or found.complete:
            raise ApiError("file_not_found")
        chosen.append((found, entry.get("title")))
    public = any(not team.channels[c].is_direct for c in channels)
    for found, title in chosen:
        found.complete, found.title = True, str(title) if title else found.filename
        found.channels.extend(channels)
        found.public = found.public or public
    thread = call.args.get("thread_ts")
    for channel in channels:
        call.fake.record_message(
            team.id,
            channel,
            text=str(call.args.get("initial_comment") or ""),
            blocks=[],
            via="files.completeUploadExternal",
            thread_ts=str(thread) if thread else None,
            files=[f.id for f, _ in chosen],
        )
    call.fake.changed()
    return {"files": [f.to_api() for f, _ in chosen]}


def _entries(raw: Any) -> list[JSON]:
    try:
        loaded = json.loads(raw) if isinstance(raw, str) else raw
    except ValueError:
        raise ApiError("invalid_arguments") from None
    if not isinstance(loaded, list) or not loaded:
        raise ApiError("invalid_arguments")
    if not all(isinstance(e, dict) and e.get("id") for e in loaded):
        raise ApiError("invalid_arguments")
    return loaded


def _channels(call: Call) -> list[str]:
    """Where to share: ``channel_id``, or the comma-separated ``channels``; none = private."""
    raw = call.args.get("channel_id") or call.args.get("channels") or ""
    wanted = [c.strip() for c in str(raw).split(",") if c.strip()]
    for channel in wanted:
        found = call.bot_team.channels.get(channel)
        if found is None:
            raise ApiError("channel_not_found")
        if not found.bot_member:
            raise ApiError("not_in_channel")
    return wanted
