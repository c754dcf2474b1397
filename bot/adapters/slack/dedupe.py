"""Slack requests run once: the key that names each request, and the Socket Mode handler
that passes the envelope id on so the key can be taken from it.

What names a request (``request_key``), by transport:

* an Events API event (either transport): its ``event_id``. Slack retries an event whose
  ack was late for about five minutes, each retry in a new envelope or freshly signed;
  the event id stays. Kept 10 minutes.
* any other Socket Mode request: its ``envelope_id``. Slack resends an envelope whose ack
  was late with the same id. Kept 10 minutes.
* any other HTTP request: its ``X-Slack-Signature``, an HMAC of its timestamp and body, so a
  captured request replayed byte for byte has the same key (the signing secret keeps anyone
  from making a different one for the same content). bolt accepts a timestamp within five
  minutes either side of its clock, so the key is kept 6 minutes past the later of the
  request's timestamp and now.

The HTTP signature is the key in HTTP mode even if a request carries our envelope header:
headers are not signed, so a replayer could otherwise make up a fresh key.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.adapter.socket_mode.async_internals import send_async_response
from slack_bolt.adapter.socket_mode.internals import build_headers
from slack_bolt.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.socket_mode.aiohttp import SocketModeClient
from slack_sdk.socket_mode.request import SocketModeRequest

log = logging.getLogger(__name__)

CLAIM = "hustings_claim"
"""Context key the gate sets: (the key's pending claim or None, request kind, key kind)."""
ENVELOPE_HEADER = "x-hustings-envelope-id"
"""Where ``DedupingSocketModeHandler`` puts the envelope id for the bolt request."""
SIGNATURE_HEADER = "x-slack-signature"
TIMESTAMP_HEADER = "x-slack-request-timestamp"
RETRY_HEADER = "x-slack-retry-num"

REDELIVERY_LIFETIME = timedelta(minutes=10)
"""Slack retries events after about 1 and 5 minutes; envelopes within seconds."""
REPLAY_LIFETIME = timedelta(minutes=6)
"""bolt's window is five minutes either side of the timestamp; one more for clock drift."""


@dataclass(frozen=True)
class RequestKey:
    """What names one request for ``SeenRequests``: kind, key, how long, from when."""

    kind: str
    key: str
    lifetime: timedelta
    since: datetime | None = None


def header(req: AsyncBoltRequest, name: str) -> str | None:
    """The first value of header ``name`` (bolt lower-cases names), or None."""
    values = req.headers.get(name) or ()
    first = values[0] if values else None
    return str(first) if first else None


def request_key(req: AsyncBoltRequest) -> RequestKey | None:
    """The key naming ``req`` (see the module docstring), or None if nothing names it."""
    body = req.body or {}
    event_id = body.get("event_id") if body.get("type") == "event_callback" else None
    if event_id:
        return RequestKey("event", str(event_id), REDELIVERY_LIFETIME)
    if req.mode == "socket_mode":
        envelope = header(req, ENVELOPE_HEADER)
        return RequestKey("envelope", envelope, REDELIVERY_LIFETIME) if envelope else None
    signature = header(req, SIGNATURE_HEADER)
    if signature is None:
        return None
    return RequestKey("signature", signature, REPLAY_LIFETIME, _timestamp(req))


def _timestamp(req: AsyncBoltRequest) -> datetime | None:
    raw = header(req, TIMESTAMP_HEADER)
    try:
        return datetime.fromtimestamp(int(raw or ""), UTC)
    except (ValueError, OverflowError, OSError):
        return None


async def admitted(context: Any) -> bool:
    """After the ack, before acting: is the request new to the database too?

    The gate dropped any repeat this process had seen; this waits for the request's key to
    be committed and drops one accepted before a restart. Every listener that acts on a
    request awaits it first (a request the gate never saw is admitted).
    """
    found = context.get(CLAIM) if context is not None else None
    if found is None:
        return True
    claim, kind, key_kind = found
    if claim is None or await asyncio.shield(claim):
        return True
    log_repeat(kind, key_kind, None)
    return False


def log_repeat(kind: str, key_kind: str, retry: str | None) -> None:
    retry = retry or ""
    log.info(
        "dropped a repeated Slack %s (same %s%s)",
        kind,
        key_kind,
        f", retry {retry}" if retry.isdigit() else "",
    )


def dropped() -> BoltResponse:
    """The acknowledgement for a request we drop: an empty 200, so Slack stops resending."""
    return BoltResponse(status=200, body="")


class DedupingSocketModeHandler(AsyncSocketModeHandler):
    """bolt's Socket Mode handler, passing each envelope's id on as a request header.

    bolt builds its request from the envelope's payload and retry fields only; the id that
    Slack keeps when it resends an envelope would otherwise be lost.
    """

    def __init__(self, app: AsyncApp, app_token: str, **kwargs: object) -> None:
        super().__init__(app, app_token, **kwargs)  # type: ignore[arg-type]

    async def handle(self, client: SocketModeClient, req: SocketModeRequest) -> None:  # type: ignore[override]
        start = time.time()
        headers = dict(build_headers(req) or {})
        headers[ENVELOPE_HEADER] = req.envelope_id
        bolt_req = AsyncBoltRequest(mode="socket_mode", body=req.payload, headers=headers)
        response = await self.app.async_dispatch(bolt_req)
        await send_async_response(client, req, response, start)
