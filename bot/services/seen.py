"""Requests already accepted, so that a redelivery or a replay changes nothing.

Slack resends a Socket Mode envelope whose acknowledgement was late (same ``envelope_id``),
retries an Events API delivery (same ``event_id``, with ``X-Slack-Retry-Num``) for up to
about five minutes, and a captured signed HTTP request passes signature checks again until
its timestamp leaves the five-minute window. Every edge names each request by a *kind* and a
*key* (``envelope``/id, ``event``/id, ``signature``/header) and asks ``first``: True exactly
once per key until it expires, False for every repeat, which the edge acknowledges and drops.

Keys live in the ``seen_requests`` table (SHA-256 of ``kind:key``, never the request, with
its expiry), so a restart inside the window still refuses a repeat; expired rows are purged
in the same short transaction that records a new key. ``RecentKeys`` in front of the table
answers a duplicate that arrives while its first copy is still being recorded, without a
database round trip; Discord uses it alone (see ``bot.adapters.discord.dedupe``).
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import CursorResult

from bot.services.common import Clock, utc_now
from bot.storage.database import Sessions, transaction
from bot.storage.tables import SeenRequest

RECENT_LIMIT = 100_000
"""Keys held in memory; beyond this the oldest go first (the table still holds them)."""


def key_hash(kind: str, key: str) -> bytes:
    """The 32-byte digest stored for ``key`` of ``kind`` (kinds keep namespaces apart)."""
    return hashlib.sha256(f"{kind}:{key}".encode()).digest()


class RecentKeys:
    """Digests seen in this process, each until its expiry (bounded, oldest dropped first)."""

    def __init__(self, clock: Clock = utc_now, limit: int = RECENT_LIMIT) -> None:
        self._clock = clock
        self._limit = limit
        self._keys: OrderedDict[bytes, datetime] = OrderedDict()

    def add(self, digest: bytes, until: datetime) -> bool:
        """Remember ``digest`` until ``until``; False if it is already remembered."""
        now = self._clock()
        self._expire(now)
        found = self._keys.get(digest)
        if found is not None and found > now:
            return False
        self._keys[digest] = until
        self._keys.move_to_end(digest)
        while len(self._keys) > self._limit:
            self._keys.popitem(last=False)
        return True

    def discard(self, digest: bytes) -> None:
        self._keys.pop(digest, None)

    def __len__(self) -> int:
        return len(self._keys)

    def _expire(self, now: datetime) -> None:
        while self._keys:
            digest, until = next(iter(self._keys.items()))
            if until > now:
                return
            del self._keys[digest]


class SeenRequests:
    """The persistent record of accepted requests (``seen_requests``)."""

    def __init__(
        self, sessions: Sessions, clock: Clock = utc_now, recent: RecentKeys | None = None
    ) -> None:
        self._sessions = sessions
        self._clock = clock
        self._recent = recent or RecentKeys(clock)

    async def first(
        self, kind: str, key: str, lifetime: timedelta, *, since: datetime | None = None
    ) -> bool:
        """True if ``key`` is new (now remembered), False if it was accepted before.

        The key is kept ``lifetime`` past ``since`` (the request's own timestamp, when it
        has one and it lies ahead of our clock) or past now, whichever is later.
        """
        now = self._clock()
        until = max(now, since or now) + lifetime
        digest = key_hash(kind, key)
        if not self._recent.add(digest, until):
            return False
        try:
            return await self._record(digest, until, now)
        except BaseException:
            self._recent.discard(digest)  # not recorded: a redelivery must be able to run
            raise

    async def _record(self, digest: bytes, until: datetime, now: datetime) -> bool:
        async with transaction(self._sessions) as session:
            await session.execute(delete(SeenRequest).where(SeenRequest.expires_at <= now))
            dialect = session.get_bind().dialect.name
            insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
            statement = (
                insert(SeenRequest)
                .values(key_hash=digest, expires_at=until)
                .on_conflict_do_nothing(index_elements=[SeenRequest.key_hash])
            )
            result = await session.execute(statement)
            assert isinstance(result, CursorResult)
            return result.rowcount == 1
