"""The gate every Slack request passes after bolt has verified it and before anything runs.

bolt verifies the signature (HTTP) first; this middleware runs next, as bolt's
``before_authorize``, in the order the design asks for: **team** (is it a workspace we
serve? ``lifecycle.Workspaces``; no team at all counts as no), then **de-duplicate** (has
this envelope, event or signed request been accepted before? ``dedupe.request_key`` and
``bot.services.seen``), then on to authorization and the listeners. A request that fails
either check is acknowledged with an empty 200 and dropped: nothing is written, nothing is
answered, and the error handler never sees it. The log says which check dropped it, never
whose request it was.

De-duplication has two halves so that the ack never waits for the database: the gate
drops at once a repeat this process has seen (in memory, no await), and claims the key of
a new one; the listener acknowledges, then ``admitted`` awaits the claim's commit before
acting and drops a request the table already held (one accepted before a restart).

Slack's own handshakes (``url_verification``, ``ssl_check``) carry no team and pass.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from slack_bolt.async_app import AsyncApp
from slack_bolt.middleware.async_middleware import AsyncMiddleware
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.dedupe import (
    CLAIM,
    RETRY_HEADER,
    dropped,
    header,
    log_repeat,
    request_key,
)
from bot.adapters.slack.lifecycle import Workspaces, register_lifecycle
from bot.app import App
from bot.services.seen import SeenRequests

log = logging.getLogger(__name__)

HANDSHAKES = frozenset({"url_verification", "ssl_check"})


class EdgeGate(AsyncMiddleware):
    """Team check, then de-duplication; see the module docstring."""

    def __init__(self, workspaces: Workspaces, seen: SeenRequests) -> None:
        self.workspaces = workspaces
        self.seen = seen

    @classmethod
    def build(
        cls,
        core: App,
        client: AsyncWebClient,
        installations: AsyncInstallationStore | None,
        client_factory: Callable[[str], AsyncWebClient],
    ) -> EdgeGate:
        """The gate for one bolt app: its workspaces, and accepted requests in the database."""
        workspaces = Workspaces(client, installations, client_factory=client_factory)
        return cls(workspaces, SeenRequests(core.context.sessions, core.context.clock))

    async def async_process(
        self,
        *,
        req: AsyncBoltRequest,
        resp: BoltResponse,
        next: Callable[[], Awaitable[BoltResponse]],
    ) -> BoltResponse:
        body = req.body or {}
        if body.get("type") in HANDSHAKES:
            return await next()
        kind = _kind(body)
        if not await self.workspaces.serves(req.context.team_id):
            log.info("dropped a Slack %s from a workspace we do not serve (or none)", kind)
            return dropped()
        key = request_key(req)
        claim = (
            None
            if key is None
            else self.seen.claim(key.kind, key.key, key.lifetime, since=key.since)
        )
        if key is not None and claim is None:
            log_repeat(kind, key.kind, header(req, RETRY_HEADER))
            return dropped()
        req.context[CLAIM] = (claim, kind, key.kind if key else "")
        return await next()

    def register(self, bolt: AsyncApp) -> None:
        """Listen for uninstalls on ``bolt`` (built with ``before_authorize=self``)."""
        register_lifecycle(bolt, self.workspaces)


def _kind(body: dict[str, object]) -> str:
    """What sort of request, for the log: never its content."""
    if "command" in body:
        return "slash command"
    event = body.get("event")
    if body.get("type") == "event_callback" and isinstance(event, dict):
        return f"{event.get('type', 'unknown')} event"
    return str(body.get("type") or "request")
