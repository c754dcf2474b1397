"""Verify first: a Slack HTTP request is checked before bolt, or anything of ours, reads it.

bolt verifies signatures itself, but when verification *raises* (a timestamp header that is
not a number) bolt hands the exception and the unverified body to the error handler, which
would then answer whoever the body names. So HTTP requests pass this aiohttp middleware
first, on the events path only (``/slack/install`` and the OAuth redirect are browser GETs):

1. the signature: ``X-Slack-Request-Timestamp`` must be ASCII digits within slack_sdk's
   five-minute window and ``X-Slack-Signature`` the HMAC of ``v0:timestamp:body`` under the
   signing secret (slack_sdk's ``SignatureVerifier``). Anything else, including any exception
   while checking, is **401** and nothing else happens;
2. the content type: slash commands and interactions come as
   ``application/x-www-form-urlencoded``; Slack sends ``application/json`` only for Events API
   callbacks (``url_verification``, ``event_callback``, ``app_rate_limited``). Anything else is
   **415**, unprocessed.

Refusals are logged with the reason only, never the body or headers (they name the member).

``is_verified`` lets the error handler check the same thing again for the request it is
handed, and ``response_url_allowed`` keeps replies on the configured Slack host.

Source of the rules: https://docs.slack.dev/authentication/verifying-requests-from-slack/
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web
from aiohttp.typedefs import Middleware
from slack_sdk.signature import SignatureVerifier

log = logging.getLogger(__name__)

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"
EVENT_TYPES = frozenset({"url_verification", "event_callback", "app_rate_limited"})
"""The payload types Slack posts as JSON (Events API); everything else comes as a form."""
SLACK_HOOKS_HOST = "hooks.slack.com"
"""Where real Slack's ``response_url``s point (``https://hooks.slack.com/commands/…``)."""

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def signed(verifier: SignatureVerifier, body: bytes, headers: Mapping[str, str]) -> bool:
    """Whether ``body`` carries a valid, fresh Slack signature; never raises."""
    timestamp = headers.get("X-Slack-Request-Timestamp", "")
    signature = headers.get("X-Slack-Signature", "")
    if not (timestamp.isascii() and timestamp.isdigit() and 0 < len(timestamp) <= 12):
        return False
    if not signature.startswith("v0=") or not signature.isascii():
        return False
    try:
        return bool(verifier.is_valid(body, timestamp, signature))
    except Exception:
        return False


def content_problem(content_type: str, body: bytes) -> str | None:
    """Why a verified body is not a shape Slack sends (``None``: it is)."""
    if content_type == FORM:
        return None
    if content_type != JSON:
        return f"content type {content_type or 'none'!r} is not one Slack sends"
    try:
        payload = json.loads(body)
    except ValueError:
        return "the JSON body does not parse"
    if not isinstance(payload, dict) or payload.get("type") not in EVENT_TYPES:
        return "Slack sends JSON only for Events API callbacks"
    return None


def request_guard(signing_secret: str, path: str) -> Middleware:
    """aiohttp middleware refusing unsigned (401) and wrongly shaped (415) posts to ``path``."""
    if not signing_secret:
        raise ValueError("the request guard needs the Slack signing secret")
    verifier = SignatureVerifier(signing_secret)

    @web.middleware
    async def guard(request: web.Request, handler: Handler) -> web.StreamResponse:
        if request.path != path:
            return await handler(request)
        if request.method != "POST":
            return web.Response(status=405, text="method not allowed")
        body = await request.read()  # cached: bolt's adapter reads it again
        if not signed(verifier, body, request.headers):
            log.warning("refused a Slack request: missing, stale or invalid signature")
            return web.Response(status=401, text="invalid request")
        problem = content_problem(request.content_type, body)
        if problem is not None:
            log.warning("refused a signed Slack request: %s", problem)
            return web.Response(status=415, text="unsupported media type")
        return await handler(request)

    return guard


def is_verified(request: Any, signing_secret: str | None) -> bool:
    """For the error handler: was this bolt request authenticated?

    Socket Mode requests arrive over our own authenticated connection; HTTP ones must carry a
    valid signature (re-checked here, so the handler never trusts an unverified body even if
    something ahead of it let one through). ``None`` (a listener's own failure) is verified:
    bolt ran the listener only after verifying.
    """
    if request is None:
        return True
    if getattr(request, "mode", "http") == "socket_mode":
        return True
    if not signing_secret:
        return False
    try:
        headers = {k: v[0] for k, v in dict(request.headers).items() if v}
        raw = str(request.raw_body).encode()
    except Exception:
        return False
    fresh = {
        "X-Slack-Request-Timestamp": headers.get("x-slack-request-timestamp", ""),
        "X-Slack-Signature": headers.get("x-slack-signature", ""),
    }
    return signed(SignatureVerifier(signing_secret), raw, fresh)


def response_url_allowed(url: str, api_url: str | None) -> bool:
    """Whether ``url`` is on the Slack we talk to: ``https://hooks.slack.com`` for real Slack,
    else the same scheme and host:port as the configured ``SLACK_API_URL`` (the local fake)."""
    try:
        parsed = urlsplit(url)
        if api_url:
            base = urlsplit(api_url)
            return (parsed.scheme, parsed.netloc) == (base.scheme, base.netloc)
        return (
            parsed.scheme == "https"
            and parsed.hostname == SLACK_HOOKS_HOST
            and parsed.port in (None, 443)
            and not parsed.username
            and not parsed.password
        )
    except ValueError:
        return False
