"""Closing elections: the one way a close is written, and what the scheduler reads and marks.

A close is two recorded steps. ``closed_at`` is written with the status; ``announced_at`` when
the channel has been told. A moderator's close, cancel or count is announced by its own reply,
so ``close_election`` marks both at once; the scheduler's close marks only the first, posts
the announcement, then calls ``ClosingService.mark_announced``. A bot stopped in between
leaves ``announced_at`` empty, and ``unannounced`` hands that close back after the restart.

Several processes on one database: ``close_due`` locks the due rows (PostgreSQL waits, then
re-reads them closed), so each close is made once; before posting, a scheduler claims the
announcement (``claim_announcement``, a lease in ``announcing_until``), so one process posts.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import or_, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain import Actor, ElectionView, Place
from bot.services import audit
from bot.services.common import Deadlines, ServiceContext, election_view, view
from bot.storage import queries
from bot.storage.database import transaction
from bot.storage.tables import Election

ANNOUNCE_LEASE = timedelta(minutes=2)
"""How long one process's claim on announcing a close lasts: longer than a post takes, even
behind a rate limit; if the process dies mid-post another announces after this."""


def close_election(
    session: AsyncSession,
    election: Election,
    actor: Actor,
    place: Place,
    when: datetime,
    *,
    announced: bool = True,
) -> None:
    """Close now, with its audit row; ``announced``: the caller's reply is the announcement."""
    election.status, election.closed_at = "closed", when
    if announced:
        election.announced_at = when
    audit.record(session, actor, place, "election.close", {"id": election.id}, at=when)


class ClosingService:
    """What the scheduler needs: due closes, closes still to announce, the mark, deadlines.

    ``platform`` (optional on each call) limits the work to one platform's elections, so a
    scheduler serving Discord never closes or marks a Slack election.
    """

    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    @property
    def deadlines(self) -> Deadlines:
        """Where a scheduler subscribes to hear of closing times set or changed."""
        return self._ctx.deadlines

    async def close_due(self, now: datetime, platform: str | None = None) -> list[ElectionView]:
        """Close every open election whose closing time has passed, left unannounced."""
        async with transaction(self._ctx.sessions) as session:
            due = await queries.due_elections(session, now, platform)
            for election in due:
                place = Place(election.platform, election.workspace, election.channel)
                close_election(session, election, audit.SCHEDULER, place, now, announced=False)
            return [await view(session, e) for e in due]

    async def unannounced(self, platform: str | None = None) -> list[ElectionView]:
        """Closes committed but not yet announced (oldest first), as they look now."""
        async with transaction(self._ctx.sessions, write=False) as session:
            return [election_view(e) for e in await queries.unannounced_closes(session, platform)]

    async def claim_announcement(self, election_id: int) -> bool:
        """Claim the close's announcement for ``ANNOUNCE_LEASE`` (compare-and-set): True for
        exactly one caller, whichever process; False while another holds an unexpired claim
        or once the close is announced."""
        now = self._ctx.clock()
        async with transaction(self._ctx.sessions) as session:
            done = await session.execute(
                update(Election)
                .where(Election.id == election_id, Election.announced_at.is_(None))
                .where(or_(Election.announcing_until.is_(None), Election.announcing_until <= now))
                .values(announcing_until=now + ANNOUNCE_LEASE, updated_at=Election.updated_at)
            )
            return bool(getattr(done, "rowcount", 0))

    async def release_announcement(self, election_id: int) -> None:
        """Give up a claim after a failed post, so the next pass (any process) tries again."""
        async with transaction(self._ctx.sessions) as session:
            await session.execute(
                update(Election)
                .where(Election.id == election_id, Election.announced_at.is_(None))
                .values(announcing_until=None, updated_at=Election.updated_at)
            )

    async def mark_announced(self, election_id: int) -> bool:
        """Record that the close was announced; False if it already was (announce once)."""
        async with transaction(self._ctx.sessions) as session:
            done = await session.execute(
                update(Election)
                .where(Election.id == election_id, Election.announced_at.is_(None))
                .values(announced_at=self._ctx.clock(), announcing_until=None)
            )
            return bool(getattr(done, "rowcount", 0))

    async def next_deadline(self, platform: str | None = None) -> datetime | None:
        """The earliest closing time of any open election (the scheduler sleeps until it)."""
        async with transaction(self._ctx.sessions, write=False) as session:
            return await queries.next_deadline(session, platform)
