"""Socket Mode: the app dials out to a websocket and receives envelopes it must ack.

``apps.connections.open`` (with the ``xapp-`` app-level token) hands out a single-use URL;
the server greets with ``hello``, then sends ``{"envelope_id", "type", "payload",
"accepts_response_payload"}`` and waits for ``{"envelope_id", "payload"?}``. Slack gives up
on an envelope after three seconds; the driver records how long the ack took. Slack sends an
envelope whose ack was late again, with the same ``envelope_id`` and a ``retry_attempt``;
``deliver(envelope_id=..., retry_attempt=...)`` does the same.
"""

from __future__ import annotations

import asyncio
import json
import secrets
import time
from typing import TYPE_CHECKING, Any

from aiohttp import WSMsgType, web

from bot.adapters.slack.fake.webapi import ApiError, Call, method

if TYPE_CHECKING:
    from bot.adapters.slack.fake.model import JSON


class SocketHub:
    """Open Socket Mode connections and the envelopes waiting for their ack."""

    def __init__(self) -> None:
        self.tickets: set[str] = set()
        self.sockets: list[web.WebSocketResponse] = []
        self.pending: dict[str, asyncio.Future[JSON]] = {}
        self.stray_acks: list[JSON] = []
        self._connected = asyncio.Event()
        self._next = 0

    def issue_ticket(self) -> str:
        ticket = secrets.token_hex(12)
        self.tickets.add(ticket)
        return ticket

    async def handle(self, request: web.Request) -> web.StreamResponse:
        ticket = request.query.get("ticket", "")
        if ticket not in self.tickets:
            raise web.HTTPUnauthorized(text="invalid ticket")
        self.tickets.discard(ticket)
        ws = web.WebSocketResponse(autoping=True)
        await ws.prepare(request)
        self.sockets.append(ws)
        self._connected.set()
        await ws.send_json(_hello(request.query.get("app_id", "")))
        try:
            async for message in ws:
                if message.type == WSMsgType.TEXT:
                    self._on_text(message.data)
        finally:
            self.sockets.remove(ws)
            if not self.sockets:
                self._connected = asyncio.Event()
        return ws

    def _on_text(self, data: str) -> None:
        try:
            ack = json.loads(data)
        except ValueError:
            return
        future = (
            self.pending.pop(str(ack.get("envelope_id")), None) if isinstance(ack, dict) else None
        )
        if future is None or future.done():
            self.stray_acks.append(ack if isinstance(ack, dict) else {"raw": data})
            return
        future.set_result(ack)

    async def wait_connected(self, within: float = 5.0) -> None:
        async with asyncio.timeout(within):
            await self._connected.wait()

    async def deliver(
        self,
        kind: str,
        payload: JSON,
        *,
        accepts_response_payload: bool,
        within: float,
        envelope_id: str | None = None,
        retry_attempt: int | None = None,
    ) -> tuple[JSON | None, float]:
        """Send one envelope; (ack or None if none came ``within`` seconds, seconds taken).

        ``envelope_id`` resends an envelope already sent (a new one is made up otherwise).
        """
        if not self.sockets:
            raise RuntimeError("no Socket Mode connection; is the handler started?")
        envelope_id = envelope_id or self.new_envelope_id()
        future: asyncio.Future[JSON] = asyncio.get_running_loop().create_future()
        self.pending[envelope_id] = future
        socket = self.sockets[self._next % len(self.sockets)]  # Slack spreads over connections
        self._next += 1
        started = time.perf_counter()
        envelope: JSON = {
            "envelope_id": envelope_id,
            "type": kind,
            "payload": payload,
            "accepts_response_payload": accepts_response_payload,
        }
        if retry_attempt is not None:
            envelope.update(retry_attempt=retry_attempt, retry_reason="timeout")
        await socket.send_json(envelope)
        try:
            async with asyncio.timeout(within):
                ack = await future
        except TimeoutError:
            self.pending.pop(envelope_id, None)
            return None, time.perf_counter() - started
        return ack, time.perf_counter() - started

    @staticmethod
    def new_envelope_id() -> str:
        return secrets.token_hex(8)

    async def close(self) -> None:
        for socket in list(self.sockets):
            await socket.close()


def _hello(app_id: str) -> dict[str, Any]:
    return {
        "type": "hello",
        "num_connections": 1,
        "debug_info": {
            "host": "fake-slack",
            "build_number": 1,
            "approximate_connection_time": 3600,
        },
        "connection_info": {"app_id": app_id},
    }


@method("apps.connections.open")
async def apps_connections_open(call: Call) -> JSON:
    token = call.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    token = token or str(call.args.pop("token", ""))
    if not token:
        raise ApiError("not_authed")
    if not token.startswith("xapp-"):
        raise ApiError("not_allowed_token_type")
    if token != call.fake.app_token:
        raise ApiError("invalid_auth")
    ticket = call.fake.hub.issue_ticket()
    base = call.fake.url.replace("http://", "ws://", 1)
    return {"url": f"{base}/link/?ticket={ticket}&app_id={call.fake.app_id}"}
