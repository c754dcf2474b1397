"""How Slack reaches the app (HTTP or Socket Mode), OAuth installs, and later announcements.

HTTP mode serves bolt's aiohttp app (``/slack/events``, plus ``/slack/install`` and
``/slack/oauth_redirect`` for OAuth) on ``SLACK_HTTP_HOST:SLACK_HTTP_PORT``; bolt verifies
every request's signature with ``SLACK_SIGNING_SECRET`` and its five-minute replay window.
Socket Mode dials out with the ``xapp-`` token, so an internal install needs no public URL.

OAuth (``SLACK_CLIENT_ID`` set) keeps installations and OAuth states in the ballots' own
database through slack_sdk's async SQLAlchemy stores on ``App.engine``: one deployment serves
many workspaces, each with its own bot token, encrypted at rest (``token_store``). Their
tables (``slack_bots``, ``slack_installations``, ``slack_oauth_states``) are created by
slack_sdk at start-up, outside Alembic, because their schema is slack_sdk's to change.

``SlackAnnouncer`` posts what happens after a request (a timed close) with the workspace's
bot token; response URLs expire after 30 minutes. A workspace with no valid installation
(uninstalled, token revoked) is skipped, and the log says so once per workspace.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from aiohttp import web
from slack_bolt.async_app import AsyncApp
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_sdk.errors import SlackApiError
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import AsyncSQLAlchemyOAuthStateStore
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.render import shared_copy, views
from bot.adapters.render.count import declare_step
from bot.adapters.render.message import Reply
from bot.adapters.slack.app import web_client
from bot.adapters.slack.dedupe import DedupingSocketModeHandler
from bot.adapters.slack.handlers import step_tail
from bot.adapters.slack.lifecycle import is_dead_token, workspaces_of
from bot.adapters.slack.render import render
from bot.adapters.slack.token_store import EncryptedInstallationStore
from bot.adapters.slack.uploads import post_charts
from bot.adapters.slack.verify import request_guard
from bot.app import App
from bot.config import Settings
from bot.domain import ElectionView, PacedStep, Place

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
SCOPES = (
    "commands",
    "chat:write",
    "files:write",
    "im:write",
    "users:read",
    "usergroups:read",
    "pins:write",
)
"""Bot scopes: slash commands, posting, uploading files (a count's charts, the minutes),
opening a member's DM with the app (the minutes, which Slack cannot show as ephemeral files,
and ``/election remind``'s reminders), admin flags, user groups (roles), pinning a hustings'
answers summary. A workspace that installed the app before a scope was added keeps its old
token until it reinstalls."""
STATE_LIFETIME = 600


@dataclass
class HttpServer:
    """bolt's aiohttp app on a TCP site; ``url`` is its origin."""

    runner: web.AppRunner
    url: str

    async def close(self) -> None:
        await self.runner.cleanup()


async def serve_http(bolt: AsyncApp, host: str, port: int, signing_secret: str) -> HttpServer:
    """Serve the app over HTTP (port 0: any free port, reported in ``url``).

    Posts to the events path pass ``verify.request_guard`` before bolt sees them: an unsigned
    or unverifiable request is 401, a body Slack would not send 415, and neither reaches bolt.
    """
    web_app = bolt.web_app(path=EVENTS_PATH)
    web_app.middlewares.append(request_guard(signing_secret, EVENTS_PATH))
    runner = web.AppRunner(web_app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, host, port).start()
    bound = runner.addresses[0][1]
    return HttpServer(runner, f"http://{host}:{bound}")


async def connect_socket(bolt: AsyncApp, app_token: str) -> DedupingSocketModeHandler:
    """Open the Socket Mode connection (close it with ``close_async``)."""
    handler = DedupingSocketModeHandler(bolt, app_token, web_client=bolt.client)
    await handler.connect_async()  # type: ignore[no-untyped-call]
    return handler


async def oauth_settings(core: App, settings: Settings) -> AsyncOAuthSettings:
    """OAuth settings whose stores live on the ballots' engine (tables created if missing)."""
    if settings.slack_client_id is None or settings.slack_client_secret is None:
        raise ValueError("OAuth needs SLACK_CLIENT_ID and SLACK_CLIENT_SECRET")
    installations = EncryptedInstallationStore(
        core.context.secrecy.token_key(), client_id=settings.slack_client_id, engine=core.engine
    )
    states = AsyncSQLAlchemyOAuthStateStore(expiration_seconds=STATE_LIFETIME, engine=core.engine)
    await installations.create_tables()
    await states.create_tables()  # type: ignore[no-untyped-call]
    return AsyncOAuthSettings(
        client_id=settings.slack_client_id,
        client_secret=settings.slack_client_secret.get_secret_value(),
        scopes=list(SCOPES),
        installation_store=installations,
        state_store=states,
        authorization_url=settings.slack_oauth_authorize_url,  # None: Slack's own
    )


class SlackAnnouncer:
    """The scheduler's announcer: posts to the election's channel with the bot token."""

    def __init__(
        self,
        settings: Settings,
        bolt: AsyncApp,
        installations: AsyncInstallationStore | None = None,
    ) -> None:
        self._settings = settings
        self._bolt = bolt
        self._installations = installations
        self._skipped: set[str] = set()

    async def announce(self, place: Place, message: object) -> None:
        message = shared_copy.unwrap(message)  # a shared election's copy: its Reply
        client = await self._client(place.workspace)
        if client is None:
            self._skip(place.workspace)
            return
        reply = _as_reply(message)
        try:
            tail = step_tail(message) if isinstance(message, PacedStep) else ()
            for part in render(reply, tail=tail):
                await client.chat_postMessage(
                    channel=place.channel, text=part.text, blocks=part.blocks
                )
            await post_charts(client, place.channel, reply)
        except SlackApiError as exc:
            if not is_dead_token(exc):
                raise
            self._skip(place.workspace)

    def _skip(self, team_id: str) -> None:
        if team_id in self._skipped:
            return
        self._skipped.add(team_id)
        log.warning(
            "Slack announcements for workspace %s skipped: it has no valid installation", team_id
        )

    async def _client(self, team_id: str) -> AsyncWebClient | None:
        workspaces = workspaces_of(self._bolt)
        if workspaces is not None:
            return await workspaces.client_for(team_id)
        if self._installations is None:
            return self._bolt.client
        bot = await self._installations.async_find_bot(enterprise_id=None, team_id=team_id)
        if bot is None or not bot.bot_token:
            return None
        return web_client(self._settings, bot.bot_token)


def _as_reply(message: object) -> Reply:
    if isinstance(message, ElectionView):
        return views.election_announcement(message)
    if isinstance(message, Reply):
        return message
    if isinstance(message, PacedStep):  # a paced count's next round, on its --pace
        return declare_step(message)
    return Reply(str(message), private=False)
