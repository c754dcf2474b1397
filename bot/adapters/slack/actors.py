"""Who is acting, in Slack terms: the team is the workspace, user groups are the roles.

Slack has no roles, so the nearest thing stands in: the handles of the user groups a member
belongs to (``@moderator``), matched against ``MODERATOR_ROLES`` like Discord role names.
Workspace admins and owners (``users.info`` ``is_admin`` / ``is_owner``) are moderators
too. Both look-ups are Web API calls made *after* the ack, cached for ``ttl`` seconds per
member and per workspace (concurrent requests share one call), so a burst of ballots costs
one ``users.info`` per member and one ``usergroups.list`` per workspace.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.domain import Actor, Place

log = logging.getLogger(__name__)

PLATFORM = "slack"
DEFAULT_TTL = 60.0

T = TypeVar("T")


@dataclass(frozen=True)
class Profile:
    """What ``users.info`` says about a member that the bot needs."""

    display_name: str
    is_admin: bool


class _Cache(Generic[T]):
    """Values that expire after ``ttl`` seconds; concurrent misses await one shared task."""

    def __init__(self, ttl: float, clock: Callable[[], float]) -> None:
        self.ttl = ttl
        self.clock = clock
        self._entries: dict[tuple[str, ...], tuple[float, asyncio.Task[T]]] = {}

    async def get(self, key: tuple[str, ...], load: Callable[[], Awaitable[T]]) -> T:
        now = self.clock()
        found = self._entries.get(key)
        if found is not None and found[0] > now:
            return await found[1]
        task = asyncio.ensure_future(load())
        if self.ttl > 0:
            self._entries[key] = (now + self.ttl, task)
        try:
            return await task
        except BaseException:
            self._entries.pop(key, None)
            raise


class Directory:
    """Builds ``Actor`` and ``Place`` values from Slack ids, asking Slack about roles."""

    def __init__(self, *, ttl: float = DEFAULT_TTL, clock: Callable[[], float] = time.monotonic):
        self._profiles: _Cache[Profile] = _Cache(ttl, clock)
        self._groups: _Cache[dict[str, frozenset[str]]] = _Cache(ttl, clock)

    @staticmethod
    def place(team_id: str, channel_id: str) -> Place:
        return Place(PLATFORM, team_id, channel_id)

    async def actor(
        self, client: AsyncWebClient, team_id: str, user_id: str, fallback_name: str = ""
    ) -> Actor:
        """The member with their display name, user-group roles and admin flag."""
        profile, groups = await asyncio.gather(
            self._profiles.get(
                (team_id, user_id), lambda: _profile(client, user_id, fallback_name)
            ),
            self._groups.get((team_id,), lambda: _usergroups(client)),
        )
        roles = frozenset(handle for handle, members in groups.items() if user_id in members)
        return Actor(
            PLATFORM, team_id, user_id, profile.display_name, roles, is_admin=profile.is_admin
        )


async def _profile(client: AsyncWebClient, user_id: str, fallback_name: str) -> Profile:
    try:
        response = await client.users_info(user=user_id)
    except SlackApiError as exc:
        log.warning("users.info failed: %s", exc.response.get("error"))
        return Profile(fallback_name or user_id, is_admin=False)
    user: dict[str, Any] = response.get("user") or {}
    profile: dict[str, Any] = user.get("profile") or {}
    name = profile.get("display_name") or user.get("real_name") or user.get("name")
    admin = bool(user.get("is_admin") or user.get("is_owner") or user.get("is_primary_owner"))
    return Profile(str(name or fallback_name or user_id), is_admin=admin)


async def _usergroups(client: AsyncWebClient) -> dict[str, frozenset[str]]:
    """``{handle (casefolded): member ids}``; no groups if the scope is missing."""
    try:
        response = await client.usergroups_list(include_users=True)
    except SlackApiError as exc:
        log.warning("usergroups.list failed (%s): roles unavailable", exc.response.get("error"))
        return {}
    groups: list[dict[str, Any]] = response.get("usergroups") or []
    return {
        str(g.get("handle", "")).casefold(): frozenset(g.get("users") or ())
        for g in groups
        if g.get("handle")
    }
