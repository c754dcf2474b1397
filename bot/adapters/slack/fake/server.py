"""``FakeSlack``: the local Slack the real slack-bolt app talks to, on 127.0.0.1.

One object is the whole fake: the store (workspaces, messages, modals), the aiohttp server
(Web API, response URLs, OAuth consent, Socket Mode) and the driver. Point the app's
``AsyncWebClient(base_url=fake.api_url)`` at it, set ``fake.request_url`` to the app's events
URL (HTTP mode) or start bolt's ``AsyncSocketModeHandler`` with ``fake.app_token``.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from types import TracebackType

import aiohttp
from aiohttp import web

from bot.adapters.slack.fake import dms, hooks, oauth, webapi  # noqa: F401 - dms registers
from bot.adapters.slack.fake.driver import Driver, Mode
from bot.adapters.slack.fake.files import UPLOAD_PATH, FileStore, receive  # registers files.*
from bot.adapters.slack.fake.ratelimit import ChannelLimiter, RateLimit
from bot.adapters.slack.fake.socket import SocketHub  # also registers apps.connections.open

UPLOAD_MAX = 64 * 1024 * 1024
"""The largest request the fake reads (an uploaded file's bytes)."""
DEFAULT_RATE_LIMIT = RateLimit()  # Slack: about 1 message/s per channel, short bursts


class FakeSlack(Driver):
    """A local Slack. ``async with FakeSlack() as fake:`` starts it on an ephemeral port."""

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        signing_secret: str | None = None,
        app_token: str | None = None,
        client_id: str = "1111.2222",
        client_secret: str | None = None,
        rate_limit: RateLimit | None = DEFAULT_RATE_LIMIT,
        clock: Callable[[], float] = time.time,
        ack_timeout: float = 3.0,
        mode: Mode = "http",
        settle_quiet: float = 0.1,
    ) -> None:
        super().__init__(clock=clock)
        self.host, self.port = host, port
        self.signing_secret = signing_secret or secrets.token_hex(16)
        self.app_token = app_token or f"xapp-1-{self.app_id}-{secrets.token_hex(12)}"
        self.client_id = client_id
        self.client_secret = client_secret or secrets.token_hex(16)
        self.verification_token = secrets.token_hex(12)  # deprecated by Slack; sent anyway
        self.limiter = ChannelLimiter(rate_limit)
        self.ack_timeout = ack_timeout
        self.mode = mode
        self.settle_quiet = settle_quiet
        self.request_url: str | None = None
        self.oauth_redirect_url: str | None = None
        self.grants: dict[str, oauth.Grant] = {}
        self.hub = SocketHub()
        self.file_store = FileStore()
        """Uploaded files (``files_upload_v2``): bytes, alt text, where shared."""
        self.url = ""
        self._runner: web.AppRunner | None = None
        self._http: aiohttp.ClientSession | None = None

    @property
    def api_url(self) -> str:
        """For ``AsyncWebClient(base_url=...)`` (the trailing slash matters to slack_sdk)."""
        return f"{self.url}/api/"

    @property
    def authorization_url(self) -> str:
        """For bolt's ``AsyncOAuthSettings(authorization_url=...)``."""
        return f"{self.url}/oauth/v2/authorize"

    @property
    def http(self) -> aiohttp.ClientSession:
        if self._http is None:
            raise RuntimeError("FakeSlack is not started")
        return self._http

    def build_app(self) -> web.Application:
        async def api(request: web.Request) -> web.Response:
            return await webapi.handle(self, request)

        async def response(request: web.Request) -> web.Response:
            return await hooks.handle(self, request)

        async def consent(request: web.Request) -> web.Response:
            return await oauth.authorize(self, request)

        async def upload(request: web.Request) -> web.Response:
            return await receive(self, request)

        app = web.Application(client_max_size=UPLOAD_MAX)
        app.router.add_route("*", "/api/{method}", api)
        app.router.add_post("/response/{hook}", response)
        app.router.add_get("/oauth/v2/authorize", consent)
        app.router.add_post(UPLOAD_PATH, upload)
        app.router.add_get("/link/", self.hub.handle)
        return app

    async def start(self) -> None:
        self._runner = web.AppRunner(
            self.build_app(), shutdown_timeout=1.0, handle_signals=False, access_log=None
        )
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        self.port = int(self._runner.addresses[0][1])
        self.url = f"http://{self.host}:{self.port}"
        self._http = aiohttp.ClientSession()

    async def close(self) -> None:
        await self.hub.close()
        if self._http is not None:
            await self._http.close()
            self._http = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeSlack:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    async def install(
        self,
        team_id: str,
        *,
        user_id: str | None = None,
        install_url: str | None = None,
        deny: bool = False,
    ) -> oauth.InstallResult:
        """Install the app into ``team_id`` through its OAuth pages, as a browser would."""
        return await oauth.install(
            self, team_id, user_id=user_id, install_url=install_url, deny=deny
        )
