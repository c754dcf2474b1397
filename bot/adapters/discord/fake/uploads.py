"""File uploads on the fake Discord: multipart bodies read, checked and kept as Discord does.

discord.py sends a message with files as ``multipart/form-data``: a ``payload_json`` part
(the message, whose ``attachments`` list names each new file by its part index, with its
``filename`` and ``description``, the alt text) and one ``files[n]`` part per file. The
fake refuses what Discord refuses: a ``files[n]`` part that no ``attachments`` entry names,
an entry whose new-file id has no part, a part under another name, more than
``MAX_ATTACHMENTS`` files, a description over 1024 characters, an empty filename (all 400,
50035 Invalid Form Body) and a file over ``FILE_LIMIT`` bytes (413, 40005). The files are
kept (bytes, part content type, detected type, PNG size) on the message, and its payload
lists them as Discord's attachment objects. On an edit, ``attachments`` is the whole new
list: existing attachments named by their id stay, the others go (an unknown id is 50035).
"""

from __future__ import annotations

import json
import mimetypes
import re
import struct
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from bot.adapters.discord.fake.errors import JSON, ApiError, FormErrors

MAX_ATTACHMENTS = 10
DESCRIPTION_MAX = 1024
FILE_LIMIT = 10 * 1024 * 1024
"""A guild without boosts (the ``attachment_size_limit`` interactions carry)."""
REQUEST_MAX = MAX_ATTACHMENTS * FILE_LIMIT + 1024 * 1024
"""The fake's whole-request cap (aiohttp's ``client_max_size``): ten files at the limit."""
TOO_LARGE = 40005
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PART = re.compile(r"files\[(\d+)\]")


@dataclass
class StoredFile:
    """One attachment as the fake keeps it."""

    id: int
    filename: str
    data: bytes
    description: str | None
    sent_type: str
    """The part's ``Content-Type`` header (discord.py sends ``application/octet-stream``)."""

    @property
    def content_type(self) -> str | None:
        """What Discord reports: detected from the bytes (PNG), else from the filename."""
        if self.data.startswith(PNG_SIGNATURE):
            return "image/png"
        return mimetypes.guess_type(self.filename)[0]

    @property
    def size_px(self) -> tuple[int, int] | None:
        """(width, height) of a PNG, from its IHDR chunk; ``None`` for anything else."""
        if not self.data.startswith(PNG_SIGNATURE) or self.data[12:16] != b"IHDR":
            return None
        width, height = struct.unpack(">II", self.data[16:24])
        return int(width), int(height)

    def payload(self, channel_id: int) -> JSON:
        url = f"https://cdn.discordapp.com/attachments/{channel_id}/{self.id}/{self.filename}"
        data: JSON = {
            "id": str(self.id),
            "filename": self.filename,
            "size": len(self.data),
            "url": url,
            "proxy_url": url.replace("cdn.discordapp.com", "media.discordapp.net"),
        }
        if self.content_type:
            data["content_type"] = self.content_type
        if self.description is not None:
            data["description"] = self.description
        if self.size_px is not None:
            data["width"], data["height"] = self.size_px
        return data


async def multipart_body(request: web.Request, snowflake: Callable[[], int]) -> JSON:
    """The ``payload_json`` of a multipart request, its new files resolved into its
    ``attachments`` list as ``StoredFile`` values (kept ones stay ``{"id": ...}``)."""
    try:
        form = await request.post()
    except web.HTTPRequestEntityTooLarge:
        raise ApiError(413, TOO_LARGE, "Request entity too large") from None
    raw = form.get("payload_json")
    payload: JSON = dict(json.loads(str(raw))) if raw is not None else {}
    parts: dict[int, web.FileField] = {}
    errors = FormErrors()
    for name, value in form.items():
        if name == "payload_json":
            continue
        match = PART.fullmatch(name)
        if match is None or not isinstance(value, web.FileField):
            errors.add(name, "INVALID_FORM_PART", f"Unexpected form part {name!r}.")
            continue
        parts[int(match.group(1))] = value
    holder = _holder(payload)
    entries = holder.get("attachments")
    if entries is None:  # no list: every part is attached, in order
        entries = [{"id": index} for index in sorted(parts)]
    resolved = _resolve(entries, parts, snowflake, errors)
    errors.raise_if_any()
    holder["attachments"] = resolved
    return payload


def _holder(payload: JSON) -> JSON:
    """The dict that carries the message: itself, an interaction callback's ``data``, or a
    forum post's ``message``."""
    for key in ("data", "message"):
        inner = payload.get(key)
        if isinstance(inner, dict) and "attachments" not in payload:
            return inner
    return payload


def _resolve(
    entries: list[Any],
    parts: dict[int, web.FileField],
    snowflake: Callable[[], int],
    errors: FormErrors,
) -> list[Any]:
    named: set[int] = set()
    out: list[Any] = []
    new = 0
    for i, entry in enumerate(entries):
        index = int(entry.get("id", -1)) if isinstance(entry, dict) else -1
        if index not in parts:
            out.append(entry)  # an existing attachment (checked against the message later)
            continue
        named.add(index)
        new += 1
        part = parts[index]
        data = part.file.read()
        if len(data) > FILE_LIMIT:
            raise ApiError(413, TOO_LARGE, "Request entity too large")
        filename = str(entry.get("filename") or part.filename or "")
        description = entry.get("description")
        errors.length_between(f"attachments.{i}.filename", filename, 1, 1024)
        errors.max_length(f"attachments.{i}.description", description, DESCRIPTION_MAX)
        sent = part.content_type or "application/octet-stream"
        out.append(StoredFile(snowflake(), filename, data, description, sent))
    for index in sorted(set(parts) - named):
        errors.add(f"files[{index}]", "ATTACHMENT_NOT_REFERENCED", "No attachment names it.")
    if new > MAX_ATTACHMENTS:
        errors.add("attachments", "BASE_TYPE_MAX_LENGTH", f"Must be {MAX_ATTACHMENTS} or fewer.")
    return out


def updated(current: list[StoredFile], entries: list[Any]) -> list[StoredFile]:
    """A message's attachments after a create or edit that sent ``entries``: new files, and
    existing ones named by id; an id that is neither is refused (50035)."""
    by_id = {f.id: f for f in current}
    kept: list[StoredFile] = []
    errors = FormErrors()
    for i, entry in enumerate(entries):
        if isinstance(entry, StoredFile):
            kept.append(entry)
            continue
        found = by_id.get(_int(entry.get("id") if isinstance(entry, dict) else None))
        if found is None:
            errors.add(f"attachments.{i}.id", "ATTACHMENT_NOT_FOUND", "Unknown attachment.")
        else:
            kept.append(found)
    errors.max_items("attachments", kept, MAX_ATTACHMENTS)
    errors.raise_if_any()
    return kept


def _int(raw: object) -> int:
    try:
        return int(str(raw))
    except ValueError:
        return -1
