"""Ballots: a member ranks, re-ranks, withdraws and looks at their own ballot.

Secrecy: the row holds ``voter_key`` (a keyed hash), the ranking, the section and a random
receipt code, never the member's id; nothing here logs a ranking. Timing: whether a ballot
is on time is decided by the server clock inside the write transaction, so a ballot that
arrives after ``closes_at`` is refused even if the scheduler has not yet run. One ballot per
member is an ``INSERT ... ON CONFLICT (election_id, voter_key) DO UPDATE``: concurrent
double-submits from one member end as one row whatever the interleaving, and the receipt is
returned only after the commit.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain import Actor, BallotReceipt, BallotView, ElectionView, Place
from bot.errors import ElectionClosed, NotAllowed, NotFound
from bot.ranking import parse_ranking
from bot.services.common import (
    ElectionLike,
    ServiceContext,
    ballot_aliases,
    ballot_candidates,
    election_view,
    normalise_roles,
    pick_for_voting,
)
from bot.services.secrecy import new_receipt
from bot.storage import queries
from bot.storage.database import transaction
from bot.storage.tables import Ballot, Election

log = logging.getLogger(__name__)


class BallotService:
    """What a member does with their own ballot."""

    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    async def rank(
        self, actor: Actor, place: Place, text: str, ref: str | None = None
    ) -> BallotReceipt:
        """Cast (or replace) the caller's ballot; committed before the receipt is returned."""
        async with transaction(self._ctx.sessions) as session:
            box = pick_for_voting(await queries.ballot_boxes(session, place), ref)
            now = self._ctx.clock()
            _check_open(box, now)
            section = _section_for(box, actor)
            ranking = parse_ranking(text, ballot_candidates(box), ballot_aliases(box))
            key = self._key(actor, box)
            replaced = await _existing_id(session, box.id, key) is not None
            receipt = new_receipt()
            values = {
                "election_id": box.id, "voter_key": key, "ranking": ranking,
                "section": section, "receipt": receipt, "cast_at": now,
            }  # fmt: skip
            await _upsert(session, values)
            turnout = box.turnout if replaced else await _add_turnout(session, box.id, +1)
        log.info("ballot %s in election %s", "replaced" if replaced else "cast", box.id)
        return BallotReceipt(election_view(box, turnout), ranking, receipt, replaced)

    async def withdraw(self, actor: Actor, place: Place, ref: str | None = None) -> ElectionView:
        """Remove the caller's ballot while voting is open."""
        async with transaction(self._ctx.sessions) as session:
            box = pick_for_voting(await queries.ballot_boxes(session, place), ref)
            _check_open(box, self._ctx.clock())
            gone = await session.execute(
                delete(Ballot)
                .where(Ballot.election_id == box.id)
                .where(Ballot.voter_key == self._key(actor, box))
            )
            if not _rowcount(gone):
                raise NotFound(f"You have no ballot in {box.title}.")
            turnout = await _add_turnout(session, box.id, -1)
        log.info("ballot withdrawn in election %s", box.id)
        return election_view(box, turnout)

    async def mine(self, actor: Actor, place: Place, ref: str | None = None) -> BallotView:
        """The caller's own ballot (shown only to them)."""
        async with transaction(self._ctx.sessions, write=False) as session:
            box = pick_for_voting(await queries.ballot_boxes(session, place), ref)
            ballot = await session.scalar(
                select(Ballot).where(
                    Ballot.election_id == box.id, Ballot.voter_key == self._key(actor, box)
                )
            )
            if ballot is None:
                raise NotFound(f"You have no ballot in {box.title}.")
            return BallotView(election_view(box), ballot.ranking, ballot.receipt, ballot.cast_at)

    def _key(self, actor: Actor, election: ElectionLike) -> bytes:
        return self._ctx.secrecy.voter_key(
            actor.platform, actor.workspace, actor.user_id, election.id
        )


def _check_open(election: ElectionLike, now: datetime) -> None:
    if election.status != "open":
        raise ElectionClosed(f"{election.title} is {election.status}; voting is not open.")
    if election.closes_at is not None and now >= election.closes_at:
        closed = election.closes_at.strftime("%Y-%m-%d %H:%M UTC")
        raise ElectionClosed(f"Voting in {election.title} closed at {closed}.")


def _section_for(election: ElectionLike, actor: Actor) -> str | None:
    """Check eligibility; for the college, the section the caller's roles place them in."""
    roles = normalise_roles(actor.roles)
    eligible = frozenset(election.eligible_roles)
    if eligible and not roles & eligible:
        needed = ", ".join(sorted(eligible))
        raise NotAllowed(f"Only members with one of these roles can vote: {needed}.")
    if election.method != "college":
        return None
    for role, section in election.sections.items():  # moderator's order decides overlaps
        if role in roles:
            return str(section)
    needed = ", ".join(election.sections)
    raise NotAllowed(f"Your roles place you in no section of this college (roles: {needed}).")


async def _existing_id(session: AsyncSession, election_id: int, key: bytes) -> int | None:
    found: int | None = await session.scalar(
        select(Ballot.id).where(Ballot.election_id == election_id, Ballot.voter_key == key)
    )
    return found


async def _add_turnout(session: AsyncSession, election_id: int, delta: int) -> int:
    """Move the turnout counter with the ballot, in the same transaction; the new turnout."""
    turnout = await session.scalar(
        update(Election)
        .where(Election.id == election_id)
        .values(turnout=Election.turnout + delta)
        .returning(Election.turnout)
        .execution_options(synchronize_session=False)
    )
    return int(turnout or 0)


async def _upsert(session: AsyncSession, values: dict[str, Any]) -> None:
    """Insert the ballot, or replace the member's previous one, in one statement."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(Ballot).values(**values)
    statement = statement.on_conflict_do_update(
        index_elements=[Ballot.election_id, Ballot.voter_key],
        set_={
            "ranking": statement.excluded.ranking,
            "section": statement.excluded.section,
            "receipt": statement.excluded.receipt,
            "cast_at": statement.excluded.cast_at,
        },
    )
    await session.execute(statement)


def _rowcount(result: object) -> int:
    return int(getattr(result, "rowcount", 0) or 0)
