"""Closing elections at their closing time, and announcing each close once, across restarts.

Deadlines live only in the database (``elections.closes_at``), so nothing is lost when the
bot stops. Each pass (1) closes every open election whose time has passed, committing
``closed_at`` with ``announced_at`` left empty, then (2) announces every close still marked
unannounced and records ``announced_at`` once the post has gone out. A bot stopped between
the two steps therefore announces the close after its restart, once. (Stopped between the
post and the mark, it would post again: the one window left, one short UPDATE wide.)

Several processes may run a scheduler on one database: each close is made by one of them
(the due rows are locked), and each announcement is claimed first (a two-minute lease in
``elections.announcing_until``), so one process posts it; if that process dies mid-post,
another posts once the claim has run out (a scheduler stopped mid-post gives its claim up).

Between passes the task sleeps until the next deadline. ``ElectionService`` wakes it after
any create, edit or open that sets a closing time (``Deadlines``), so a close happens at its
time, not after a polling interval; ``max_sleep`` only bounds how stale the view can get
when another process changed the database.

A scheduler may serve one ``platform`` (the adapter's): it then closes and announces only
that platform's elections, so a Discord bot never marks a Slack election's close announced.

Paced counts (``--pace``) ride the same task: each pass posts the next round of every paced
count that is due (``PacedDeclarations.due``) and only then records it declared, so a post
that fails is retried a pace later rather than lost (a stop between post and record posts that
round again after the restart: a repeat, never a gap). One step per count per pass, and the
next falls due a whole pace after it, so overdue rounds after a restart come one at a time.
Before posting, a scheduler claims the round (``PacedDeclarations.claim``), so of several
processes one posts it.

Shared elections (``/election share``) ride it too: each pass posts, in the channels on this
scheduler's platform that an election is shared with, the copies of its announcements they
have not had yet (``ShareDeliveries``: claimed, posted, then recorded, like a paced round).

The timer only announces; it is not what keeps late ballots out. ``BallotService.rank``
compares the server clock with ``closes_at`` itself, so a ballot arriving a second after the
close is refused even if this task has not woken yet.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from typing import Protocol

from bot.domain import ElectionView, Place
from bot.services.closing import ClosingService
from bot.services.common import Clock, utc_now
from bot.services.paced import DueStep, PacedDeclarations
from bot.services.share_delivery import DueCopy, ShareDeliveries

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
"""Announcement attempts per close in one process before it is left for the next start."""


class Announcer(Protocol):
    """Posts a message in a channel with the bot's own token (adapters implement it)."""

    async def announce(self, place: Place, message: object) -> None: ...


class Scheduler:
    """An asyncio task that closes due elections and announces each close."""

    def __init__(
        self,
        closing: ClosingService,
        announcer: Announcer,
        *,
        clock: Clock = utc_now,
        max_sleep: float = 30.0,
        platform: str | None = None,
        paced: PacedDeclarations | None = None,
        shares: ShareDeliveries | None = None,
    ) -> None:
        self._closing = closing
        self._paced = paced
        self._shares = shares
        self._announcer = announcer
        self._clock = clock
        self._max_sleep = max_sleep
        self._platform = platform
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._unsubscribe: Callable[[], None] | None = None
        self._failures: dict[int, int] = {}
        self.idle = asyncio.Event()
        """Set while the task sleeps between passes (tests wait for it, never for a time)."""

    async def run_once(self) -> list[ElectionView]:
        """Close what is due now, announce every unannounced close; returns those closed now."""
        closed = await self._closing.close_due(self._clock(), self._platform)
        for election in await self._closing.unannounced(self._platform):
            await self._announce(election)
        if self._paced is not None:
            for due in await self._paced.due(self._clock(), self._platform):
                await self._declare(self._paced, due)
        if self._shares is not None:
            for copy in await self._shares.due(self._clock(), self._platform):
                await self._copy(self._shares, copy)
        return closed

    async def _copy(self, shares: ShareDeliveries, due: DueCopy) -> None:
        """Post a shared election's next copy in the other channel, then record it."""
        if not await shares.claim(due, self._clock()):
            return  # another process is posting it
        try:  # stopped mid-post (cancelled): the claim runs out, then any process posts it
            await self._announcer.announce(due.place, due.copy)
        except Exception:
            log.exception(
                "posting a copy (%s) of shared election %s failed",
                due.plan.kind,
                due.copy.election.id,
            )
            await shares.postpone(due)
            return
        await shares.done(due)

    async def _declare(self, paced: PacedDeclarations, due: DueStep) -> None:
        """Post a paced count's next round, then record it declared (see the module doc)."""
        if not await paced.claim(due, self._clock()):
            return  # another process is posting it (or a moderator declared it)
        try:
            await self._announcer.announce(due.place, due.step)
        except Exception:
            log.exception(
                "posting round %s of election %s failed",
                due.step.shown,
                due.step.outcome.election.id,
            )
            await paced.postpone(due)
            return
        if not await paced.declare_due(due):
            log.warning(
                "round %s of election %s was declared by a moderator first",
                due.step.shown,
                due.step.outcome.election.id,
            )

    async def _announce(self, election: ElectionView) -> None:
        attempts = self._failures.get(election.id, 0)
        if attempts >= MAX_ATTEMPTS:
            return
        if not await self._closing.claim_announcement(election.id):
            return  # another process is announcing it (or just did)
        if election.place is not None:
            try:
                await self._announcer.announce(election.place, election)
            except asyncio.CancelledError:  # stopping: the next start (any process) posts it
                await asyncio.shield(self._closing.release_announcement(election.id))
                raise
            except Exception:
                self._failures[election.id] = attempts + 1
                log.exception("announcing the close of election %s failed", election.id)
                if attempts + 1 == MAX_ATTEMPTS:
                    log.error("giving up announcing election %s until restart", election.id)
                await self._closing.release_announcement(election.id)
                return
        self._failures.pop(election.id, None)
        await self._closing.mark_announced(election.id)

    async def seconds_to_next(self) -> float:
        """How long to sleep: until the next deadline, at most ``max_sleep``."""
        deadline = await self._closing.next_deadline(self._platform)
        if self._paced is not None:
            due = await self._paced.next_due(self._platform)
            deadline = due if deadline is None or (due is not None and due < deadline) else deadline
        if self._shares is not None:
            due = await self._shares.next_due(self._clock(), self._platform)
            deadline = due if deadline is None or (due is not None and due < deadline) else deadline
        if deadline is None:
            return self._max_sleep
        remaining = (deadline - self._clock()).total_seconds()
        return min(self._max_sleep, max(0.0, remaining))

    def start(self) -> None:
        """Run the task and listen for closing times set or changed in this process."""
        if self._unsubscribe is None:
            self._unsubscribe = self._closing.deadlines.subscribe(self.wake)
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._loop(), name="hustings-scheduler")

    def wake(self) -> None:
        """Re-read deadlines now (called when a closing time is set or changed)."""
        self._wake.set()

    async def stop(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        if self._task is None:
            return
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task
        self._task = None

    async def _loop(self) -> None:
        while True:
            self.idle.clear()
            self._wake.clear()  # before reading: a wake during the pass is not lost
            try:
                await self.run_once()
                delay = await self.seconds_to_next()
            except Exception:
                log.exception("scheduler pass failed; retrying")
                delay = self._max_sleep
            self.idle.set()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=delay)
