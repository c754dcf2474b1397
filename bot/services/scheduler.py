"""Closing elections at their closing time, across restarts.

Deadlines live only in the database (``elections.closes_at``), so nothing is lost when the
bot stops: on start the scheduler first closes everything already due (an election whose
time passed while the bot was down is closed and announced at once), then sleeps until the
next deadline, re-reading it from the database each time, but never longer than
``max_sleep`` so deadlines set after it went to sleep are picked up promptly.

The timer only announces; it is not what keeps late ballots out. ``BallotService.rank``
compares the server clock with ``closes_at`` itself, so a ballot arriving a second after the
close is refused even if this task has not woken yet.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Protocol

from bot.domain import ElectionView, Place
from bot.services.common import Clock, utc_now
from bot.services.elections import ElectionService

log = logging.getLogger(__name__)


class Announcer(Protocol):
    """Posts a message in a channel with the bot's own token (adapters implement it)."""

    async def announce(self, place: Place, message: object) -> None: ...


class Scheduler:
    """An asyncio task that closes due elections and announces each close."""

    def __init__(
        self,
        elections: ElectionService,
        announcer: Announcer,
        *,
        clock: Clock = utc_now,
        max_sleep: float = 30.0,
    ) -> None:
        self._elections = elections
        self._announcer = announcer
        self._clock = clock
        self._max_sleep = max_sleep
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    async def run_once(self) -> list[ElectionView]:
        """Close what is due now and announce it; returns the elections closed."""
        closed = await self._elections.close_due(self._clock())
        for election in closed:
            if election.place is None:
                continue
            try:
                await self._announcer.announce(election.place, election)
            except Exception:
                log.exception("announcing the close of election %s failed", election.id)
        return closed

    async def seconds_to_next(self) -> float:
        """How long to sleep: until the next deadline, at most ``max_sleep``."""
        deadline = await self._elections.next_deadline()
        if deadline is None:
            return self._max_sleep
        remaining = (deadline - self._clock()).total_seconds()
        return min(self._max_sleep, max(0.0, remaining))

    def start(self) -> None:
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._loop(), name="hustings-scheduler")

    def wake(self) -> None:
        """Re-read deadlines now (call after opening an election with a closing time)."""
        self._wake.set()

    async def stop(self) -> None:
        if self._task is None:
            return
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task
        self._task = None

    async def _loop(self) -> None:
        while True:
            try:
                await self.run_once()
                delay = await self.seconds_to_next()
            except Exception:
                log.exception("scheduler pass failed; retrying")
                delay = self._max_sleep
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=delay)
