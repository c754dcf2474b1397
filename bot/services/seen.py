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
database round trip. Keys are committed in batches, one transaction for whatever has
queued (the ballot writer's group commit), so a burst costs a few commits, not one each.
Discord uses ``RecentKeys`` alone (see ``bot.adapters.discord.dedupe``).
"""

from __future__ import annotations

import asyncio
import hashlib
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite

from bot.services.common import Clock, utc_now
from bot.storage.database import Sessions, transaction
from bot.storage.tables import SeenRequest

MAX_BATCH = 500
"""Keys recorded in one transaction at most (SQLite's bound-parameter limit is far above)."""
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
    """The persistent record of accepted requests (``seen_requests``), written in batches.

    Every request waits for its key to be committed before it may act, so one transaction
    (one ``fsync``) per key would queue a burst of a thousand requests behind a thousand
    commits. Instead, as the ballot writer does, each call queues its key and gets a
    future; one writer task records whatever has queued in a single transaction and then
    answers each future. ``claim`` hands the future out unawaited, so an edge can
    acknowledge first and await it before it acts (``bot.adapters.slack.edge``).
    """

    def __init__(
        self, sessions: Sessions, clock: Clock = utc_now, recent: RecentKeys | None = None
    ) -> None:
        self._sessions = sessions
        self._clock = clock
        self._recent = recent or RecentKeys(clock)
        self._queue: list[_Pending] = []
        self._writer: asyncio.Task[None] | None = None

    async def first(
        self, kind: str, key: str, lifetime: timedelta, *, since: datetime | None = None
    ) -> bool:
        """True if ``key`` is new (now recorded), False if it was accepted before.

        The key is kept ``lifetime`` past ``since`` (the request's own timestamp, when it
        has one and it lies ahead of our clock) or past now, whichever is later.
        """
        claim = self.claim(kind, key, lifetime, since=since)
        return False if claim is None else await asyncio.shield(claim)

    def claim(
        self, kind: str, key: str, lifetime: timedelta, *, since: datetime | None = None
    ) -> asyncio.Future[bool] | None:
        """``first`` in two steps, for an edge that must answer before the database does.

        None at once if this process has seen ``key`` (no await between the check and the
        claim, so of two concurrent copies exactly one gets a claim); otherwise an awaitable
        that says, once the key is committed, whether it was new to the table too (False:
        accepted before a restart). Await it before acting on the request.
        """
        now = self._clock()
        until = max(now, since or now) + lifetime
        digest = key_hash(kind, key)
        if not self._recent.add(digest, until):
            return None
        pending = _Pending(digest, until, asyncio.get_running_loop().create_future())
        self._queue.append(pending)
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._drain())
        return pending.result

    async def _drain(self) -> None:
        while self._queue:
            batch, self._queue = self._queue[:MAX_BATCH], self._queue[MAX_BATCH:]
            try:
                fresh = await self._record(batch)
            except Exception as exc:  # each caller sees the failure as its own
                for pending in batch:
                    self._recent.discard(pending.digest)  # not recorded: may run again
                    if not pending.result.done():
                        pending.result.set_exception(exc)
                continue
            for pending in batch:
                if not pending.result.done():
                    pending.result.set_result(pending.digest in fresh)

    async def _record(self, batch: list[_Pending]) -> set[bytes]:
        """Purge expired keys, then insert the batch's; the digests that were new."""
        now = self._clock()
        digests = [p.digest for p in batch]
        async with transaction(self._sessions) as session:
            await session.execute(delete(SeenRequest).where(SeenRequest.expires_at <= now))
            known = set(
                (
                    await session.scalars(
                        select(SeenRequest.key_hash).where(SeenRequest.key_hash.in_(digests))
                    )
                ).all()
            )
            fresh = [p for p in batch if p.digest not in known]
            if not fresh:
                return set()
            dialect = session.get_bind().dialect.name
            insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
            # The rows this transaction inserted, not the ones it did not see: on PostgreSQL
            # another process may insert the same key between our look and our insert; its
            # row wins and ours does nothing, so that request counts as seen here.
            inserted = await session.scalars(
                insert(SeenRequest)
                .on_conflict_do_nothing(index_elements=[SeenRequest.key_hash])
                .returning(SeenRequest.key_hash),
                [{"key_hash": p.digest, "expires_at": p.until} for p in fresh],
            )
            return set(inserted.all())


@dataclass(frozen=True)
class _Pending:
    digest: bytes
    until: datetime
    result: asyncio.Future[bool]
