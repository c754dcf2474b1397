"""Plain records of what the fake Slack knows and what it saw.

Tests assert on these, so they mirror Slack's own vocabulary (team, channel, ``ts``,
ephemeral, view) and keep the raw Block Kit the app sent, untouched, beside it.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass, field
from typing import Any, Literal

JSON = dict[str, Any]


@dataclass
class User:
    """A workspace member; ``is_admin`` is what ``users.info`` reports (Slack has no roles)."""

    id: str
    team_id: str
    name: str
    is_admin: bool = False
    is_owner: bool = False
    is_bot: bool = False

    def to_api(self) -> JSON:
        return {
            "id": self.id,
            "team_id": self.team_id,
            "name": self.name,
            "real_name": self.name,
            "is_admin": self.is_admin,
            "is_owner": self.is_owner,
            "is_bot": self.is_bot,
            "deleted": False,
            "profile": {"display_name": self.name, "real_name": self.name},
        }


@dataclass
class Channel:
    """A public or private channel; ``bot_member`` False makes posting fail ``not_in_channel``."""

    id: str
    team_id: str
    name: str
    is_private: bool = False
    bot_member: bool = True
    im_with: str | None = None
    """A direct message channel (``conversations.open``): the member it is with."""

    def to_api(self) -> JSON:
        return {
            "id": self.id,
            "name": self.name,
            "is_channel": not self.is_private and self.im_with is None,
            "is_group": self.is_private and self.im_with is None,
            "is_im": self.im_with is not None,
            "is_private": self.is_private,
            "is_member": self.bot_member,
            "is_archived": False,
        }


@dataclass
class Team:
    """A workspace. ``bot_token`` is None until the app is installed (token mode or OAuth)."""

    id: str
    name: str
    domain: str
    bot_user_id: str
    bot_id: str
    bot_token: str | None = None
    users: dict[str, User] = field(default_factory=dict)
    channels: dict[str, Channel] = field(default_factory=dict)
    usergroups: dict[str, set[str]] = field(default_factory=dict)


Via = Literal[
    "chat.postMessage", "chat.postEphemeral", "response_url", "ack", "files.completeUploadExternal"
]


@dataclass
class Message:
    """One message as members would see it; ``ephemeral_to`` is the only user who sees it."""

    seq: int
    ts: str
    team_id: str
    channel: str
    user: str
    text: str
    blocks: list[JSON]
    via: Via
    thread_ts: str | None = None
    ephemeral_to: str | None = None
    edits: list[JSON] = field(default_factory=list)
    deleted: bool = False
    files: list[str] = field(default_factory=list)
    """Ids of the files this message shares (``fake.files``), in upload order."""
    pinned: bool = False

    @property
    def ephemeral(self) -> bool:
        return self.ephemeral_to is not None

    def to_api(self) -> JSON:
        """The ``message`` object Slack embeds in block_actions payloads."""
        out: JSON = {"type": "message", "ts": self.ts, "text": self.text, "user": self.user}
        if self.blocks:
            out["blocks"] = self.blocks
        if self.thread_ts:
            out["thread_ts"] = self.thread_ts
        if self.files:
            out["subtype"] = "file_share"
        return out


@dataclass
class View:
    """A modal on one user's screen; ``errors`` holds the last ``response_action: errors``."""

    seq: int
    id: str
    team_id: str
    user_id: str
    view: JSON
    state: Literal["open", "closed"] = "open"
    errors: dict[str, str] = field(default_factory=dict)
    history: list[JSON] = field(default_factory=list)
    hash: str = field(default_factory=lambda: secrets.token_hex(8))

    def to_api(self, app_id: str) -> JSON:
        return {
            **self.view,
            "id": self.id,
            "team_id": self.team_id,
            "app_id": app_id,
            "bot_id": "",
            "hash": self.hash,
            "state": {"values": {}},
            "private_metadata": self.view.get("private_metadata", ""),
            "callback_id": self.view.get("callback_id", ""),
        }


@dataclass
class ApiCall:
    """One Web API request, kept so tests can assert on traffic (retries, errors, tokens)."""

    method: str
    team_id: str | None
    args: JSON
    status: int
    error: str | None


@dataclass
class Ack:
    """How the app acknowledged one delivery: Slack gives up after ``ack_timeout`` seconds."""

    transport: Literal["http", "socket"]
    status: int
    body: str
    elapsed: float
    late: bool

    @property
    def ok(self) -> bool:
        return self.status == 200 and not self.late

    @property
    def json(self) -> JSON | None:
        if not self.body.startswith("{"):
            return None
        loaded = json.loads(self.body)
        return loaded if isinstance(loaded, dict) else None


@dataclass
class Webhook:
    """A ``response_url``: valid 30 minutes, 5 uses, tied to where the interaction happened."""

    id: str
    team_id: str
    channel: str
    user_id: str
    created_at: float
    source_ts: str | None = None
    uses: int = 0
