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

Sharding as Discord does it: an IDENTIFY may carry ``shard: [id, count]`` (none means
``[0, 1]``); a bad pair is closed with 4010 (invalid shard). Each shard's session gets READY
and GUILD_CREATE for its own guilds only, and every guild event (interactions included) goes
to the session of shard ``(guild_id >> 22) % count``; events without a guild (direct
messages) go to shard 0. A new IDENTIFY for a shard takes it over (a restarted process), so
several bot processes, each with its shards, can run against one fake.

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

INVALID_SHARD = 4010
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
    shard: int = 0
    shard_count: int = 1
    seq: int = 0
    log: list[JSON] = field(default_factory=list)
    connection: Connection | None = None


class Gateway:
    def __init__(self, fake: FakeDiscord, heartbeat_interval: float) -> None:
        self.fake = fake
        self.heartbeat_interval = heartbeat_interval
        self.sessions: dict[str, Session] = {}
        self.current: Session | None = None
        """The session last identified or resumed (the test hooks act on it)."""
        self.shards: dict[int, Session] = {}
        """Which session serves each shard, under ``shard_count``."""
        self.shard_count = 1
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

    @property
    def live_shards(self) -> set[int]:
        """The shards whose session has a live socket."""
        return {n for n, s in self.shards.items() if s.connection is not None}

    async def wait_connected(
        self,
        within: float = 10.0,
        *,
        resumes: int = 0,
        identifies: int = 0,
        shards: frozenset[int] = frozenset(),
    ) -> None:
        """Until a client holds a live session, having resumed and identified at least as
        often as asked (counted since the fake started), and ``shards`` are all live."""
        async with asyncio.timeout(within):
            while not (
                self.connected
                and self.resumes >= resumes
                and self.identifies >= identifies
                and shards <= self.live_shards
            ):
                await self._changed.wait()

    def shard_of(self, guild_id: int | None) -> int:
        """The shard Discord sends a guild's events to (shard 0 for direct messages)."""
        return 0 if guild_id is None else (guild_id >> 22) % self.shard_count

    async def wait_heartbeats(self, count: int, within: float = 10.0) -> None:
        """Until ``count`` heartbeats have been received and acknowledged (since the start)."""
        async with asyncio.timeout(within):
            while self.heartbeats < count:
                await self._changed.wait()

    # -- dispatch -----------------------------------------------------------------------------

    async def dispatch(self, event: str, data: JSON) -> int:
        """Send an event to its guild's shard (buffered for RESUME if that socket is down);
        the shard it went to."""
        guild = data.get("guild_id")
        shard = self.shard_of(None if guild is None else int(guild))
        session = self.shards.get(shard)
        if session is None:
            raise RuntimeError(f"no client has identified for shard {shard} with the fake gateway")
        await self._dispatch(session, event, data)
        return shard

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
        shard = _shard(data.get("shard", [0, 1]))
        if shard is None:
            await connection.socket.close(code=INVALID_SHARD, message=b"Invalid shard.")
            return
        number, count = shard
        session = Session(secrets.token_hex(16), intents, number, count, connection=connection)
        connection.session = session
        self.sessions[session.id] = session
        self.current = session
        if count != self.shard_count:  # resharded: sessions under the old count serve nothing
            self.shards, self.shard_count = {}, count
        self.shards[number] = session
        self.identifies += 1
        guilds = [g for g in self.fake.world.guilds if self.shard_of(g) == number]
        await self._dispatch(session, "READY", self.fake.ready_payload(session.id, data, guilds))
        for guild_payload in self.fake.guild_payloads(guilds):
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


def _shard(value: Any) -> tuple[int, int] | None:
    """``[id, count]`` from an IDENTIFY, or None when it is not a valid pair."""
    if not isinstance(value, list) or len(value) != 2:
        return None
    if not all(isinstance(n, int) and not isinstance(n, bool) for n in value):
        return None
    number, count = value
    return (number, count) if 0 <= number < count else None
