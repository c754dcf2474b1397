"""Ballots: a member ranks, re-ranks, withdraws and looks at their own ballot.

Secrecy: the row holds ``voter_key`` (a keyed hash), the ranking, the section and a random
receipt code, never the member's id; nothing here logs a ranking. The receipt is the member's
only handle on their ballot (``mine`` shows it; the export prints it beside the ranking).
Platform logs record who ran ``/rank`` and when, so nothing in a row may line up with them:
``cast_at`` is stored to the minute only, and the row id is random instead of the next in
cast order (SQLite and PostgreSQL alike).
The anonymised export (``ElectionService.export``) lists ballots in receipt order, which is
random, never in cast order.

Timing: whether a ballot is on time is decided by the server clock inside the write
transaction, so a ballot that arrives after ``closes_at`` is refused even if the scheduler has
not yet run. One ballot per
member is an ``INSERT ... ON CONFLICT (election_id, voter_key) DO UPDATE``: concurrent
double-submits from one member end as one row whatever the interleaving, and the receipt is
returned only after the commit. Casting goes through ``BallotWriter`` (group commit), so a
crowd of voters shares transactions instead of queueing for one each.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain import Actor, BallotReceipt, BallotView, ElectionView, Place
from bot.errors import NotAllowed, NotFound
from bot.services import roll_turnout, roll_voters
from bot.services.ballot_rows import add_turnout
from bot.services.ballot_writer import BallotWriter, check_open
from bot.services.common import (
    ServiceContext,
    describe,
    election_view,
    hidden_from_members,
    pick_for_voting,
)
from bot.services.storage_health import not_recorded
from bot.storage import queries
from bot.storage.database import transaction
from bot.storage.queries import BallotBox
from bot.storage.tables import Ballot

log = logging.getLogger(__name__)


class BallotService:
    """What a member does with their own ballot."""

    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx
        self._writer = BallotWriter(ctx)

    async def rank(
        self, actor: Actor, place: Place, text: str, ref: str | None = None
    ) -> BallotReceipt:
        """Cast (or replace) the caller's ballot; committed before the receipt is returned."""
        return await self._writer.submit(actor, place, text, ref)

    async def aclose(self) -> None:
        """Finish writing ballots already queued."""
        await self._writer.aclose()

    async def withdraw(self, actor: Actor, place: Place, ref: str | None = None) -> ElectionView:
        """Remove the caller's ballot while voting is open."""
        try:
            return await self._withdraw(actor, place, ref)
        except Exception as exc:
            told = not_recorded(exc, "withdrawal")
            if told is None:
                raise
            log.exception("withdrawing a ballot failed")
            raise told from exc

    async def _withdraw(self, actor: Actor, place: Place, ref: str | None) -> ElectionView:
        async with transaction(self._ctx.sessions) as session:
            boxes = await queries.ballot_boxes(session, place, lock=True)
            box = pick_for_voting(boxes, ref, "withdraw")
            check_open(box, self._ctx.clock())
            key, member = await roll_voters.voter(session, self._ctx.secrecy, actor, box)
            gone = await session.execute(
                delete(Ballot).where(Ballot.election_id == box.id).where(Ballot.voter_key == key)
            )
            if not _rowcount(gone):
                raise NotFound(f"You have no ballot in {box.title}.")
            turnout = await add_turnout(session, box.id, -1)
            if member is not None:
                await roll_turnout.add(session, box.id, member.branch, -1, member.section)
        log.info("ballot withdrawn in election %s", box.id)
        return election_view(box, turnout)

    async def mine(self, actor: Actor, place: Place, ref: str | None = None) -> BallotView:
        """The caller's own ballot (shown only to them).

        Without ``ref``: in the election open here or, when none is open (voting has closed),
        the latest election in the channel that holds a ballot of theirs.
        """
        async with transaction(self._ctx.sessions, write=False) as session:
            boxes = await queries.ballot_boxes(session, place)
            if not (ref and ref.strip()) and not any(b.status == "open" for b in boxes):
                return await self._latest(session, actor, boxes)
            box = pick_for_voting(boxes, ref, "ballot")
            found = await self._ballot(session, actor, box)
            if found is None:
                raise NotFound(f"You have no ballot in {box.title}.")
            return found

    async def _latest(
        self, session: AsyncSession, actor: Actor, boxes: Sequence[BallotBox]
    ) -> BallotView:
        shown = [b for b in boxes if not hidden_from_members(b)]
        if not shown:
            raise NotFound("There is no election in this channel.")
        for box in reversed(shown):
            try:
                found = await self._ballot(session, actor, box)
            except NotAllowed:  # a roll election they are not on the roll for
                continue
            if found is not None:
                return found
        if len(shown) == 1:
            raise NotFound(f"You have no ballot in {shown[0].title}.")
        raise NotFound(f"You have no ballot in any election here: {describe(shown)}.")

    async def _ballot(
        self, session: AsyncSession, actor: Actor, box: BallotBox
    ) -> BallotView | None:
        ballot = await session.scalar(
            select(Ballot).where(
                Ballot.election_id == box.id,
                Ballot.voter_key == await self._key(session, actor, box),
            )
        )
        if ballot is None:
            return None
        return BallotView(election_view(box), ballot.ranking, ballot.receipt, ballot.cast_at)

    async def _key(self, session: AsyncSession, actor: Actor, election: BallotBox) -> bytes:
        """Per account, or per roll member in a roll election (``roll_voters.voter_key``)."""
        return await roll_voters.voter_key(session, self._ctx.secrecy, actor, election)


def _rowcount(result: object) -> int:
    return int(getattr(result, "rowcount", 0) or 0)
