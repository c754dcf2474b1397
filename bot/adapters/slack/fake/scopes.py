"""Which OAuth scope each Web API method needs, and Slack's answer when a token lacks it.

A bot token carries the scopes its workspace approved at install time; adding a scope to the
app later does not reach a workspace until it reinstalls (Slack, "Scopes and permissions").
A call without the scope fails, HTTP 200, ``{"ok": false, "error": "missing_scope",
"needed": "<scope>", "provided": "<the token's scopes, comma-separated>"}``, and nothing
happens. The fake checks the methods listed here (``needed`` lists every scope that would
do, as Slack does for ``conversations.info``); ``conversations.open`` checks its own,
because the scope depends on the conversation (``im:write`` for a DM, ``mpim:write`` for a
group DM).

Tokens issued in token mode (``add_team``) hold ``ALL_SCOPES``; OAuth installs hold exactly
what the consent URL asked for; ``fake.set_bot_scopes`` models a workspace that installed
an older version of the app.
"""

from __future__ import annotations

from collections.abc import Iterable

METHOD_SCOPES: dict[str, tuple[str, ...]] = {
    "chat.postMessage": ("chat:write",),
    "chat.postEphemeral": ("chat:write",),
    "chat.update": ("chat:write",),
    "pins.add": ("pins:write",),
    "users.info": ("users:read",),
    "usergroups.list": ("usergroups:read",),
    "conversations.info": ("channels:read", "groups:read", "im:read", "mpim:read"),
    "files.getUploadURLExternal": ("files:write",),
    "files.completeUploadExternal": ("files:write",),
}
"""Methods the fake checks, with the scopes any one of which allows the call."""

ALL_SCOPES = frozenset(
    {"commands", "im:write", "mpim:write"}
    | {s for needed in METHOD_SCOPES.values() for s in needed}
)
"""Every scope the fake knows: what a token-mode install is given."""


def parse(scope: str) -> frozenset[str]:
    """The scopes of an OAuth ``scope`` string (comma-separated, as Slack writes it)."""
    return frozenset(s.strip() for s in scope.split(",") if s.strip())


def missing(provided: frozenset[str], needed: Iterable[str]) -> dict[str, str] | None:
    """Slack's ``needed``/``provided`` fields when ``provided`` holds none of ``needed``,
    else ``None`` (the call may go ahead). The caller answers ``missing_scope`` with them."""
    wanted = tuple(needed)
    if not wanted or provided.intersection(wanted):
        return None
    return {"needed": ",".join(wanted), "provided": ",".join(sorted(provided))}
