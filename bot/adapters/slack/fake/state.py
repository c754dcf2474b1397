"""What the fake Slack remembers: workspaces, tokens, messages, modals, hooks, triggers.

Kept apart from the HTTP layer so the Web API handlers, the driver and the tests all read
and write one store. Every change wakes ``wait_for`` so tests wait for an outcome instead of
sleeping for a guess.
"""

from __future__ import annotations

import asyncio
import secrets
import time
from collections.abc import Callable, Iterable
from typing import Any, Literal

from bot.adapters.slack.fake.model import (
    JSON,
    ApiCall,
    Channel,
    Message,
    Team,
    User,
    Via,
    View,
    Webhook,
)
from bot.adapters.slack.fake.scopes import ALL_SCOPES

WEBHOOK_LIFETIME = 30 * 60.0
WEBHOOK_USES = 5
TRIGGER_LIFETIME = 3.0


class SlackState:
    """The store. ``clock`` (epoch seconds) decides response_url and trigger_id expiry."""

    def __init__(
        self, *, clock: Callable[[], float] = time.time, app_id: str = "A0FAKEAPP"
    ) -> None:
        self.clock = clock
        self.app_id = app_id
        self.teams: dict[str, Team] = {}
        self.tokens: dict[str, str] = {}  # bot token -> team id
        self.token_scopes: dict[str, frozenset[str]] = {}  # bot token -> its scopes
        self.messages: list[Message] = []
        self._by_ts: dict[tuple[str, str, str], Message] = {}  # (team, channel, ts) -> message
        self.views: dict[str, View] = {}
        self.webhooks: dict[str, Webhook] = {}
        self.triggers: dict[str, tuple[str, str, float]] = {}  # id -> team, user, issued
        self.calls: list[ApiCall] = []
        self._seq = 0
        self._changed = asyncio.Event()
        self.last_activity = time.monotonic()

    # -- workspaces ---------------------------------------------------------------------

    def add_team(self, team_id: str, name: str, *, installed: bool = True) -> Team:
        """A workspace; ``installed`` gives it a bot token now (single-workspace token mode)."""
        if team_id in self.teams:
            raise ValueError(f"team {team_id} already exists")
        team = Team(
            id=team_id,
            name=name,
            domain=name.lower().replace(" ", "-"),
            bot_user_id=f"U0BOT{team_id}",
            bot_id=f"B0BOT{team_id}",
        )
        self.teams[team_id] = team
        if installed:
            self.issue_bot_token(team_id)
        return team

    def add_user(
        self,
        team_id: str,
        user_id: str,
        name: str,
        *,
        is_admin: bool = False,
        is_owner: bool = False,
    ) -> User:
        user = User(id=user_id, team_id=team_id, name=name, is_admin=is_admin, is_owner=is_owner)
        self.team(team_id).users[user_id] = user
        return user

    def add_channel(
        self,
        team_id: str,
        channel_id: str,
        name: str,
        *,
        is_private: bool = False,
        bot_member: bool = True,
    ) -> Channel:
        channel = Channel(channel_id, team_id, name, is_private=is_private, bot_member=bot_member)
        self.team(team_id).channels[channel_id] = channel
        return channel

    def add_usergroup(self, team_id: str, handle: str, user_ids: list[str]) -> None:
        """A user group (``@moderator``): the nearest thing Slack has to a role."""
        self.team(team_id).usergroups[handle] = set(user_ids)

    def set_usergroups(self, team_id: str, user_id: str, handles: Iterable[str]) -> None:
        """Make ``user_id`` a member of exactly the user groups ``handles`` (created as needed)."""
        wanted = set(handles)
        groups = self.team(team_id).usergroups
        for handle, members in groups.items():
            members.discard(user_id)
            if handle in wanted:
                members.add(user_id)
        for handle in wanted - set(groups):
            self.add_usergroup(team_id, handle, [user_id])

    def team(self, team_id: str) -> Team:
        try:
            return self.teams[team_id]
        except KeyError:
            raise KeyError(f"no team {team_id}; call add_team first") from None

    def issue_bot_token(self, team_id: str, scopes: Iterable[str] | None = None) -> str:
        """A fresh ``xoxb-`` token for the team holding ``scopes`` (default: every scope the
        fake knows, ``scopes.ALL_SCOPES``); an OAuth reinstall replaces the old one."""
        team = self.team(team_id)
        if team.bot_token is not None:
            self.tokens.pop(team.bot_token, None)
            self.token_scopes.pop(team.bot_token, None)
        token = f"xoxb-{team_id}-{secrets.token_hex(12)}"
        team.bot_token = token
        self.tokens[token] = team_id
        self.token_scopes[token] = ALL_SCOPES if scopes is None else frozenset(scopes)
        return token

    def set_bot_scopes(self, team_id: str, scopes: Iterable[str]) -> None:
        """The team's current token now holds exactly ``scopes``: a workspace that installed
        an older version of the app, before it asked for a scope it needs now."""
        self.token_scopes[self.bot_token(team_id)] = frozenset(scopes)

    def scopes_of(self, token: str) -> frozenset[str]:
        return self.token_scopes.get(token, frozenset())

    def bot_token(self, team_id: str) -> str:
        token = self.team(team_id).bot_token
        if token is None:
            raise KeyError(f"team {team_id} has not installed the app")
        return token

    # -- messages and views -------------------------------------------------------------

    def next_seq(self) -> int:
        self._seq += 1
        return self._seq

    def new_ts(self) -> str:
        seq = self.next_seq()
        return f"{int(self.clock())}.{seq:06d}"

    def record_message(
        self,
        team_id: str,
        channel: str,
        *,
        text: str,
        blocks: list[JSON],
        via: Via,
        user: str | None = None,
        thread_ts: str | None = None,
        ephemeral_to: str | None = None,
        files: list[str] | None = None,
    ) -> Message:
        ts = self.new_ts()
        message = Message(
            seq=self._seq,
            ts=ts,
            team_id=team_id,
            channel=channel,
            user=user or self.team(team_id).bot_user_id,
            text=text,
            blocks=assign_ids(blocks),
            via=via,
            thread_ts=thread_ts,
            ephemeral_to=ephemeral_to,
            files=list(files or []),
        )
        self.messages.append(message)
        self._by_ts[(team_id, channel, ts)] = message
        self.changed()
        return message

    def find_message(self, team_id: str, channel: str, ts: str) -> Message | None:
        """The message at ``ts`` (a dict lookup: a benchmark's fake holds thousands)."""
        return self._by_ts.get((team_id, channel, ts))

    def channel_messages(
        self, team_id: str, channel: str, *, include_ephemeral: bool = False
    ) -> list[Message]:
        """What everyone in the channel sees (plus ephemerals if asked), oldest first."""
        return [
            m
            for m in self.messages
            if m.team_id == team_id
            and m.channel == channel
            and not m.deleted
            and (include_ephemeral or not m.ephemeral)
        ]

    def is_direct(self, team_id: str, channel: str) -> bool:
        """Whether ``channel`` is a DM or group DM (seen by its members only)."""
        found = self.team(team_id).channels.get(channel)
        return found is not None and found.is_direct

    def direct_messages(self, team_id: str, user_id: str) -> list[Message]:
        """What the bot posted or shared in its 1:1 DM with ``user_id``, oldest first."""
        ims = {
            c.id
            for c in self.team(team_id).channels.values()
            if c.is_im and c.members == (user_id,)
        }
        return [m for m in self.messages if m.team_id == team_id and m.channel in ims]

    def ephemerals(self, team_id: str, user_id: str) -> list[Message]:
        """Everything shown privately to one user, oldest first."""
        return [m for m in self.messages if m.team_id == team_id and m.ephemeral_to == user_id]

    def open_view(self, team_id: str, user_id: str, view: JSON) -> View:
        view = {**view, "blocks": assign_ids(view.get("blocks", []))}
        opened = View(
            seq=self.next_seq(), id=f"V{self._seq:08d}", team_id=team_id, user_id=user_id, view=view
        )
        self.views[opened.id] = opened
        self.changed()
        return opened

    def open_views(self, team_id: str, user_id: str) -> list[View]:
        return [
            v
            for v in self.views.values()
            if (v.team_id, v.user_id, v.state) == (team_id, user_id, "open")
        ]

    # -- triggers and response URLs ----------------------------------------------------

    def issue_trigger(self, team_id: str, user_id: str) -> str:
        trigger = f"{self.next_seq()}.{secrets.token_hex(6)}"
        self.triggers[trigger] = (team_id, user_id, self.clock())
        return trigger

    def consume_trigger(self, trigger_id: str, team_id: str) -> tuple[str, str] | str:
        """(team, user) for a valid trigger, else Slack's error code. Single use, 3 s."""
        found = self.triggers.pop(trigger_id, None)
        if found is None or found[0] != team_id:
            return "invalid_trigger_id"
        if self.clock() - found[2] > TRIGGER_LIFETIME:
            return "expired_trigger_id"
        return found[0], found[1]

    def issue_webhook(
        self, team_id: str, channel: str, user_id: str, source_ts: str | None = None
    ) -> Webhook:
        hook = Webhook(
            id=secrets.token_hex(10),
            team_id=team_id,
            channel=channel,
            user_id=user_id,
            created_at=self.clock(),
            source_ts=source_ts,
        )
        self.webhooks[hook.id] = hook
        return hook

    def use_webhook(self, hook_id: str) -> Webhook | Literal["expired_url", "used_url", "no_url"]:
        hook = self.webhooks.get(hook_id)
        if hook is None:
            return "no_url"
        if self.clock() - hook.created_at > WEBHOOK_LIFETIME:
            return "expired_url"
        if hook.uses >= WEBHOOK_USES:
            return "used_url"
        hook.uses += 1
        return hook

    # -- observation --------------------------------------------------------------------

    def record_call(
        self, method: str, team_id: str | None, args: dict[str, Any], status: int, error: str | None
    ) -> None:
        self.calls.append(ApiCall(method, team_id, args, status, error))
        self.touch()

    def touch(self) -> None:
        self.last_activity = time.monotonic()

    def changed(self) -> None:
        self.touch()
        self._changed.set()
        self._changed = asyncio.Event()

    async def wait_for(self, predicate: Callable[[], bool], within: float = 3.0) -> None:
        """Return once ``predicate()`` holds; TimeoutError after ``within`` seconds."""
        async with asyncio.timeout(within):
            while not predicate():
                await self._changed.wait()

    async def settle(self, quiet: float = 0.1, at_most: float = 5.0) -> None:
        """Wait until the app has made no API call for ``quiet`` seconds (or ``at_most``)."""
        deadline = time.monotonic() + at_most
        while time.monotonic() < deadline:
            idle = time.monotonic() - self.last_activity
            if idle >= quiet:
                return
            await asyncio.sleep(quiet - idle)


def assign_ids(blocks: list[JSON]) -> list[JSON]:
    """Copies of ``blocks`` with the ``block_id``/``action_id`` Slack invents when absent."""
    out = []
    for block in blocks:
        copy = dict(block)
        copy.setdefault("block_id", secrets.token_urlsafe(4))
        for key in ("element", "accessory"):
            if isinstance(copy.get(key), dict):
                copy[key] = {"action_id": secrets.token_urlsafe(4), **copy[key]}
        if isinstance(copy.get("elements"), list) and copy.get("type") == "actions":
            copy["elements"] = [
                {"action_id": secrets.token_urlsafe(4), **e} for e in copy["elements"]
            ]
        out.append(copy)
    return out
