"""Which Slack workspaces we serve, and what happens when one removes the app.

One deployment serves either one workspace (``SLACK_BOT_TOKEN``: the team is whatever
``auth.test`` says that token belongs to, asked once at start) or the workspaces that
installed it through OAuth (``SLACK_CLIENT_ID``: a team with a bot in the installation
store). A request from any other team, or with no team at all, is dropped quietly before
anything runs (``bot.adapters.slack.edge``), so it can neither write a row nor reach the
error handler.

Slack sends ``app_uninstalled`` and ``tokens_revoked`` when a workspace removes the app or
revokes its tokens. With OAuth installs the workspace's installation and bot rows are
deleted through the store (its tokens go with them); in single-workspace mode the token
lives in the environment, so the team is marked gone for this process (after a restart
``auth.test`` fails on the revoked token and the bot does not start). Either way the team is
no longer served and ``client_for`` stops handing out a client for it, which is how the
announcer learns to skip it.
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from collections.abc import Callable
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.after_ack import later
from bot.adapters.slack.dedupe import admitted

log = logging.getLogger(__name__)

REVOCATION_EVENTS = ("app_uninstalled", "tokens_revoked")
DEAD_TOKEN_ERRORS = frozenset(
    {"invalid_auth", "token_revoked", "account_inactive", "not_authed", "token_expired"}
)
"""Web API errors that mean the workspace's token no longer works."""


class Workspaces:
    """The teams this deployment serves: one token's team, or the installed ones."""

    def __init__(
        self,
        client: AsyncWebClient,
        installations: AsyncInstallationStore | None = None,
        *,
        client_factory: Callable[[str], AsyncWebClient] | None = None,
    ) -> None:
        """``client``: the single token's client (OAuth: the token-less app client).

        ``client_factory(token)`` makes a client for an installed workspace's bot token.
        """
        self._client = client
        self._installations = installations
        self._client_factory = client_factory
        self._team: str | None = None
        self._learning = asyncio.Lock()
        self._gone: set[str] = set()
        """Single-workspace mode: teams that removed the app (OAuth: the store decides)."""

    @property
    def oauth(self) -> bool:
        return self._installations is not None

    async def learn(self) -> str:
        """Single-workspace mode: our team, from ``auth.test`` (asked once; raises if it fails)."""
        async with self._learning:
            if self._team is None:
                response = await self._client.auth_test()
                self._team = str(response.get("team_id") or "")
            return self._team

    async def serves(self, team: str | None) -> bool:
        """Whether a request from ``team`` may run here at all."""
        if not team or team in self._gone:
            return False
        if self._installations is not None:
            return await self._bot_token(team) is not None
        try:
            return team == await self.learn()
        except SlackApiError as exc:
            log.error("cannot tell which workspace the bot token belongs to: %s", _error(exc))
            return False

    async def client_for(self, team: str) -> AsyncWebClient | None:
        """A client holding ``team``'s bot token, or None when it has no valid installation."""
        if team in self._gone:
            return None
        if self._installations is None:
            return self._client if await self.serves(team) else None
        token = await self._bot_token(team)
        if token is None or self._client_factory is None:
            return None
        return self._client_factory(token)

    async def forget(self, team: str, *, user_ids: tuple[str, ...] = ()) -> None:
        """The workspace removed the app (or revoked its bot token): stop serving it.

        ``user_ids`` alone (only user tokens revoked) deletes just those installations.
        """
        if self._installations is None:
            self._gone.add(team)
            return
        if user_ids:
            for user in user_ids:
                await self._installations.async_delete_installation(
                    enterprise_id=None, team_id=team, user_id=user
                )
            return
        await self._installations.async_delete_all(enterprise_id=None, team_id=team)

    async def _bot_token(self, team: str) -> str | None:
        assert self._installations is not None
        bot = await self._installations.async_find_bot(enterprise_id=None, team_id=team)
        return bot.bot_token if bot is not None and bot.bot_token else None


_registered: weakref.WeakKeyDictionary[AsyncApp, Workspaces] = weakref.WeakKeyDictionary()


def workspaces_of(bolt: AsyncApp) -> Workspaces | None:
    """The ``Workspaces`` a bolt app serves (for the announcer), if it was registered."""
    return _registered.get(bolt)


def register_lifecycle(bolt: AsyncApp, workspaces: Workspaces) -> None:
    """Listen for ``app_uninstalled`` and ``tokens_revoked``; remember whom ``bolt`` serves."""
    _registered[bolt] = workspaces

    async def on_uninstalled(ack: Any, context: Any) -> None:
        await ack()
        later(uninstalled(context), "app_uninstalled")

    async def uninstalled(context: Any) -> None:
        team = context.team_id
        if team and await admitted(context):
            await workspaces.forget(str(team))
            log.info("Slack workspace %s removed the app: its installation is deleted", team)

    async def on_revoked(ack: Any, event: dict[str, Any], context: Any) -> None:
        await ack()
        later(revoked(event, context), "tokens_revoked")

    async def revoked(event: dict[str, Any], context: Any) -> None:
        team = context.team_id
        tokens = event.get("tokens") or {}
        if not team or not await admitted(context):
            return
        if tokens.get("bot"):
            await workspaces.forget(str(team))
            log.info("Slack workspace %s revoked the bot token: its installation is deleted", team)
        elif tokens.get("oauth"):
            users = tuple(str(u) for u in tokens["oauth"])
            await workspaces.forget(str(team), user_ids=users)

    bolt.event("app_uninstalled")(on_uninstalled)
    bolt.event("tokens_revoked")(on_revoked)


def is_dead_token(exc: SlackApiError) -> bool:
    """Whether a Web API failure means the workspace's token no longer works."""
    return _error(exc) in DEAD_TOKEN_ERRORS


def _error(exc: SlackApiError) -> str:
    response = exc.response
    try:
        return str(response.get("error") or "unknown")
    except AttributeError:
        return "unknown"
