"""Point discord.py at a Discord: the real one, or the local fake on loopback.

discord.py 2.7 has no base-URL option, so this is the ONE module that patches it. Every REST
call, including the webhook adapter's interaction callbacks, followups and ``@original``
edits (``webhook/async_.py``), is built as ``discord.http.Route(...)``, whose URL is
``Route.BASE + path`` read at construction time: setting the class attribute is enough, as
long as nothing calls ``discord.http._set_api_version`` afterwards (it rewrites ``BASE``).
The gateway URL is ``DiscordWebSocket.DEFAULT_GATEWAY`` for a plain ``Client`` (it never
asks ``GET /gateway/bot``; only ``AutoShardedClient`` does) and, after READY, the
``resume_gateway_url`` the gateway announced, so the fake must announce itself there.
``Webhook.url`` is still a hard-coded ``https://discord.com`` string, but it is display only.

``use`` patches and then runs ``check``, which raises ``EndpointError`` unless the patch
really took effect for every kind of URL the adapter builds.
"""

from __future__ import annotations

from typing import Any

import discord.gateway
import discord.http
import discord.webhook.async_
import yarl

REAL_API = "https://discord.com/api/v10"
REAL_GATEWAY = "wss://gateway.discord.gg/"
API_VERSION = 10


class EndpointError(RuntimeError):
    """discord.py would not talk to the Discord we asked for."""


def use(api_url: str, gateway_url: str) -> None:
    """Send every REST call to ``api_url`` (ending in ``/api/v10``) and connect to
    ``gateway_url``; raise ``EndpointError`` if discord.py does not pick them up."""
    api = api_url.rstrip("/")
    if not api.endswith(f"/api/v{API_VERSION}"):
        raise EndpointError(f"API URL must end in /api/v{API_VERSION}: {api_url}")
    discord.http.Route.BASE = api
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway_url)
    check(api, gateway_url)


def use_real_discord() -> None:
    """Undo ``use``: talk to discord.com again."""
    use(REAL_API, REAL_GATEWAY)


def current() -> tuple[str, str]:
    """The (API, gateway) URLs discord.py will use now."""
    return discord.http.Route.BASE, str(discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY)


def check(api_url: str, gateway_url: str) -> None:
    """Build each kind of URL the adapter relies on and compare it with what we set."""
    if discord.http.INTERNAL_API_VERSION != API_VERSION:
        raise EndpointError(f"discord.py speaks API v{discord.http.INTERNAL_API_VERSION}")
    if getattr(discord.webhook.async_, "Route", None) is not discord.http.Route:
        raise EndpointError("discord.webhook.async_ builds URLs with another Route class")
    for path, params in _PROBES:
        url = discord.http.Route("GET", path, **params).url
        if not url.startswith(api_url + "/"):
            raise EndpointError(f"{path} would go to {url}, not {api_url}")
    gateway = discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
    if gateway != yarl.URL(gateway_url):
        raise EndpointError(f"gateway is {gateway}, not {gateway_url}")


_PROBES: tuple[tuple[str, dict[str, Any]], ...] = (
    ("/users/@me", {}),
    ("/applications/{application_id}/commands", {"application_id": 1}),
    (
        "/interactions/{webhook_id}/{webhook_token}/callback",
        {"webhook_id": 1, "webhook_token": "t"},
    ),
    (
        "/webhooks/{webhook_id}/{webhook_token}/messages/@original",
        {"webhook_id": 1, "webhook_token": "t"},
    ),
    ("/channels/{channel_id}/messages", {"channel_id": 1}),
)
