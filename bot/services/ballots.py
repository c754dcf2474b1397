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

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain import Actor, BallotReceipt, BallotView, ElectionView, Place
from bot.errors import ElectionClosed, NotAllowed, NotFound
from bot.ranking import parse_ranking
from bot.services.common import (
    ServiceContext,
    ballot_aliases,
    ballot_candidates,
    normalise_roles,
    view,
    voting_election,
)
from bot.services.secrecy import new_receipt
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
            election = await voting_election(session, place, ref)
            now = self._ctx.clock()
            _check_open(election, now)
            section = _section_for(election, actor)
            ranking = parse_ranking(text, ballot_candidates(election), ballot_aliases(election))
            key = self._key(actor, election)
            replaced = await _existing(session, election.id, key) is not None
            receipt = new_receipt()
            values = {
                "election_id": election.id, "voter_key": key, "ranking": ranking,
                "section": section, "receipt": receipt, "cast_at": now,
            }  # fmt: skip
            await _upsert(session, values)
            shown = await view(session, election)
        log.info("ballot %s in election %s", "replaced" if replaced else "cast", election.id)
        return BallotReceipt(shown, ranking, receipt, replaced)

    async def withdraw(self, actor: Actor, place: Place, ref: str | None = None) -> ElectionView:
        """Remove the caller's ballot while voting is open."""
        async with transaction(self._ctx.sessions) as session:
            election = await voting_election(session, place, ref)
            _check_open(election, self._ctx.clock())
            gone = await session.execute(
                delete(Ballot)
                .where(Ballot.election_id == election.id)
                .where(Ballot.voter_key == self._key(actor, election))
            )
            if not _rowcount(gone):
                raise NotFound(f"You have no ballot in {election.title}.")
            shown = await view(session, election)
        log.info("ballot withdrawn in election %s", election.id)
        return shown

    async def mine(self, actor: Actor, place: Place, ref: str | None = None) -> BallotView:
        """The caller's own ballot (shown only to them)."""
        async with transaction(self._ctx.sessions, write=False) as session:
            election = await voting_election(session, place, ref)
            ballot = await _existing(session, election.id, self._key(actor, election))
            if ballot is None:
                raise NotFound(f"You have no ballot in {election.title}.")
            return BallotView(await view(session, election), ballot.ranking, ballot.receipt,
                              ballot.cast_at)  # fmt: skip

    def _key(self, actor: Actor, election: Election) -> bytes:
        return self._ctx.secrecy.voter_key(
            actor.platform, actor.workspace, actor.user_id, election.id
        )


def _check_open(election: Election, now: datetime) -> None:
    if election.status != "open":
        raise ElectionClosed(f"{election.title} is {election.status}; voting is not open.")
    if election.closes_at is not None and now >= election.closes_at:
        closed = election.closes_at.strftime("%Y-%m-%d %H:%M UTC")
        raise ElectionClosed(f"Voting in {election.title} closed at {closed}.")


def _section_for(election: Election, actor: Actor) -> str | None:
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


async def _existing(session: AsyncSession, election_id: int, key: bytes) -> Ballot | None:
    found: Ballot | None = await session.scalar(
        select(Ballot).where(Ballot.election_id == election_id, Ballot.voter_key == key)
    )
    return found


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
