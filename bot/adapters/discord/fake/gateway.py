"""The fake gateway: Discord's websocket, enough of it for discord.py to log in and resume.

One connection goes HELLO (op 10) → IDENTIFY (op 2) → READY with every guild "unavailable",
then a GUILD_CREATE per guild, as Discord does; heartbeats (op 1) get ACKs (op 11).
Dispatches carry increasing sequence numbers and are kept per session, so a RESUME (op 6)
after a dropped connection replays what was missed and ends with RESUMED; an unknown
session gets INVALID_SESSION (op 9). discord.py 2.7 asks for ``compress=zlib-stream`` (or
``zstd-stream`` when zstandard is installed) in the URL: zlib-stream is honoured (one zlib
stream per connection, each message ending in a sync flush); for anything else the fake
answers in plain text frames, which discord.py also reads. Privileged intents are refused
with close code 4014, like an application that has not enabled them.

Test hooks: ``drop`` closes the live socket (the client resumes), ``send_reconnect`` sends
op 7 and ``invalidate`` sends op 9.
"""

from __future__ import annotations

import asyncio
import json
import secrets
import zlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from aiohttp import WSMsgType, web

from bot.adapters.discord.fake.errors import JSON

if TYPE_CHECKING:
    from bot.adapters.discord.fake.server import FakeDiscord

DISPATCH, HEARTBEAT, IDENTIFY, RESUME, RECONNECT, INVALID_SESSION, HELLO, HEARTBEAT_ACK = (
    0,
    1,
    2,
    6,
    7,
    9,
    10,
    11,
)
PRIVILEGED_INTENTS = (1 << 1) | (1 << 8) | (1 << 15)  # members, presences, message content
LOG_KEEP = 1000


class Connection:
    """One websocket: its optional zlib stream and the session it carries."""

    def __init__(self, socket: web.WebSocketResponse, compress: bool, path: str) -> None:
        self.socket, self.path = socket, path
        self.zlib = zlib.compressobj() if compress else None
        self.session: Session | None = None

    async def send(self, payload: JSON) -> None:
        text = json.dumps(payload, separators=(",", ":"))
        if self.zlib is None:
            await self.socket.send_str(text)
            return
        data = self.zlib.compress(text.encode()) + self.zlib.flush(zlib.Z_SYNC_FLUSH)
        await self.socket.send_bytes(data)


@dataclass
class Session:
    id: str
    intents: int
    seq: int = 0
    log: list[JSON] = field(default_factory=list)
    connection: Connection | None = None


class Gateway:
    def __init__(self, fake: FakeDiscord, heartbeat_interval: float) -> None:
        self.fake = fake
        self.heartbeat_interval = heartbeat_interval
        self.sessions: dict[str, Session] = {}
        self.current: Session | None = None
        self.identifies = self.resumes = self.heartbeats = 0
        self.compressed: list[bool] = []
        self.resume_paths: list[str] = []
        self._changed = asyncio.Event()

    # -- waiting on the client --------------------------------------------------------------------

    def _bump(self) -> None:
        event, self._changed = self._changed, asyncio.Event()
        event.set()

    @property
    def connected(self) -> bool:
        return self.current is not None and self.current.connection is not None

    async def wait_connected(
        self, within: float = 10.0, *, resumes: int = 0, identifies: int = 0
    ) -> None:
        """Until a client holds a live session, having resumed and identified at least as
        often as asked (counted since the fake started)."""
        async with asyncio.timeout(within):
            while not (
                self.connected and self.resumes >= resumes and self.identifies >= identifies
            ):
                await self._changed.wait()

    async def wait_heartbeats(self, count: int, within: float = 10.0) -> None:
        """Until ``count`` heartbeats have been received and acknowledged (since the start)."""
        async with asyncio.timeout(within):
            while self.heartbeats < count:
                await self._changed.wait()

    # -- dispatch -----------------------------------------------------------------------------

    async def dispatch(self, event: str, data: JSON) -> None:
        """Send an event to the current session; buffered for RESUME if its socket is down."""
        session = self.current
        if session is None:
            raise RuntimeError("no client has identified with the fake gateway")
        await self._dispatch(session, event, data)

    async def _dispatch(self, session: Session, event: str, data: JSON) -> None:
        session.seq += 1
        payload = {"op": DISPATCH, "t": event, "s": session.seq, "d": data}
        session.log = [*session.log[-LOG_KEEP:], payload]
        if session.connection is not None:
            await session.connection.send(payload)

    # -- test hooks ----------------------------------------------------------------------------

    async def drop(self, code: int = 4000) -> None:
        """Close the live socket the way a network blip or a gateway restart does."""
        connection = self._live()
        await connection.socket.close(code=code)

    async def send_reconnect(self) -> None:
        await self._live().send({"op": RECONNECT, "d": None})

    async def invalidate(self, *, resumable: bool = False) -> None:
        await self._live().send({"op": INVALID_SESSION, "d": resumable})

    def _live(self) -> Connection:
        if self.current is None or self.current.connection is None:
            raise RuntimeError("no live gateway connection")
        return self.current.connection

    # -- the websocket ----------------------------------------------------------------------------

    async def handle(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse(max_msg_size=0)
        await socket.prepare(request)
        compress = request.query.get("compress") == "zlib-stream"
        self.compressed.append(compress)
        connection = Connection(socket, compress, request.path)
        interval_ms = int(self.heartbeat_interval * 1000)
        await connection.send({"op": HELLO, "d": {"heartbeat_interval": interval_ms}})
        try:
            async for message in socket:
                if message.type is not WSMsgType.TEXT:
                    continue
                await self._receive(connection, json.loads(message.data))
        finally:
            session = connection.session
            if session is not None and session.connection is connection:
                session.connection = None
            self._bump()
        return socket

    async def _receive(self, connection: Connection, payload: dict[str, Any]) -> None:
        op, data = payload.get("op"), payload.get("d")
        if op == HEARTBEAT:
            self.heartbeats += 1
            await connection.send({"op": HEARTBEAT_ACK})
            self._bump()
        elif op == IDENTIFY:
            await self._identify(connection, data or {})
        elif op == RESUME:
            await self._resume(connection, data or {})

    async def _identify(self, connection: Connection, data: JSON) -> None:
        if data.get("token") != self.fake.token:
            await connection.socket.close(code=4004, message=b"Authentication failed.")
            return
        intents = int(data.get("intents") or 0)
        if intents & PRIVILEGED_INTENTS and not self.fake.privileged_intents:
            await connection.socket.close(code=4014, message=b"Disallowed intent(s).")
            return
        session = Session(secrets.token_hex(16), intents, connection=connection)
        connection.session = session
        self.sessions[session.id] = session
        self.current = session
        self.identifies += 1
        await self._dispatch(session, "READY", self.fake.ready_payload(session.id, data))
        for guild_payload in self.fake.guild_payloads():
            await self._dispatch(session, "GUILD_CREATE", guild_payload)
        self._bump()

    async def _resume(self, connection: Connection, data: JSON) -> None:
        session = self.sessions.get(str(data.get("session_id")))
        if session is None or data.get("token") != self.fake.token:
            await connection.send({"op": INVALID_SESSION, "d": False})
            return
        seen = int(data.get("seq") or 0)
        connection.session, session.connection = session, connection
        self.current = session
        for payload in session.log:
            if payload["s"] > seen:
                await connection.send(payload)
        self.resumes += 1
        self.resume_paths.append(connection.path)
        await self._dispatch(session, "RESUMED", {})
        self._bump()
