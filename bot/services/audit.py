"""The audit log: every moderator action, written in the same transaction as the action.

Moderators act in public and are named (user id and display name); members' votes are never
audited, so the log cannot be joined to the ballots table.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain import Actor, Place
from bot.storage.tables import AuditEntry

SCHEDULER = Actor(platform="", workspace="", user_id="scheduler", display_name="scheduler")
"""The actor recorded when the scheduler closes an election at its closing time."""


def record(
    session: AsyncSession,
    actor: Actor,
    place: Place,
    action: str,
    details: Mapping[str, Any] | None = None,
    *,
    at: datetime | None = None,
) -> None:
    """Add an audit row to the caller's transaction (committed with the action itself)."""
    entry = AuditEntry(
        platform=place.platform,
        workspace=place.workspace,
        channel=place.channel,
        actor=actor.user_id,
        actor_name=actor.display_name,
        action=action,
        details=_json_safe(details or {}),
    )
    if at is not None:
        entry.at = at
    session.add(entry)


async def entries(session: AsyncSession, platform: str, workspace: str) -> list[AuditEntry]:
    """Every audit row of a workspace, oldest first (for moderators and tests)."""
    rows = await session.scalars(
        select(AuditEntry)
        .where(AuditEntry.platform == platform, AuditEntry.workspace == workspace)
        .order_by(AuditEntry.id)
    )
    return list(rows)


def _json_safe(details: Mapping[str, Any]) -> dict[str, Any]:
    """Details as plain JSON (datetimes as ISO strings, tuples and sets as lists)."""
    safe: dict[str, Any] = json.loads(json.dumps(dict(details), default=_plain))
    return safe


def _plain(value: object) -> object:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, set | frozenset):
        return sorted(value)
    return str(value)
