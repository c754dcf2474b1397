"""Reusable look-ups: finding elections in a channel, turnout, aggregated ballots.

Kept apart from the services so the SQL a service runs can be read in one place and the
services stay about rules (who may do what, in which state).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain import Place
from bot.storage.tables import Alias, Ballot, Election, ElectionShare


def _in_place(place: Place) -> ColumnElement[bool]:
    """The elections of a channel: its own, and those shared with it from a channel on the
    other platform (``election_shares``: the same election, number and ballots)."""
    shared_here = select(ElectionShare.election_id).where(
        ElectionShare.platform == place.platform,
        ElectionShare.workspace == place.workspace,
        ElectionShare.channel == place.channel,
    )
    return or_(
        and_(
            Election.platform == place.platform,
            Election.workspace == place.workspace,
            Election.channel == place.channel,
        ),
        Election.id.in_(shared_here),
    )


def _on_platform(platform: str) -> ColumnElement[bool]:
    """Elections a scheduler serving ``platform`` may close: its own platform's, and those
    shared with a channel on it (so a timed close happens whichever side's bot is running)."""
    shared_there = select(ElectionShare.election_id).where(ElectionShare.platform == platform)
    return or_(Election.platform == platform, Election.id.in_(shared_there))


async def elections_in(
    session: AsyncSession, place: Place, *, lock: bool = False
) -> list[Election]:
    """Every election in the channel, in ref order.

    ``lock``: the caller will change one (open, close, count…), so on PostgreSQL the rows are
    locked ``FOR UPDATE`` (in id order, as ``ballot_boxes`` locks them) until the transaction
    ends: a ballot batch and a close then run one after the other, never interleaved. SQLite
    ignores it; its ``BEGIN IMMEDIATE`` already serialises every writer.
    """
    query = select(Election).where(_in_place(place)).order_by(Election.id)
    if lock:
        query = query.with_for_update()
    return list(await session.scalars(query))


async def lock_channel(session: AsyncSession, place: Place) -> None:
    """Serialise this transaction with every other that locks the same channel (PostgreSQL).

    For writes that read-then-number (the next election ref, the next question number) or
    read-then-count (a member's open questions, upvotes): see ``lock_name``.
    """
    await lock_name(session, place.platform, place.workspace, place.channel)


async def lock_name(session: AsyncSession, *name: str) -> None:
    """Serialise this transaction with every other that locks the same ``name`` (PostgreSQL):
    a transaction-scoped advisory lock keyed by a 64-bit hash of the name's parts, released at
    commit or rollback. SQLite needs none (``BEGIN IMMEDIATE`` serialises all writers); there
    it does nothing. Names in use: a channel (``lock_channel``), ``("account", key)`` for a
    chat account's ``/link`` (``roll_links``), ``("roll",)`` for imports and code issues.
    """
    if session.get_bind().dialect.name != "postgresql":
        return
    key = int.from_bytes(
        hashlib.sha256("\x1f".join(name).encode()).digest()[:8], "big", signed=True
    )
    await session.execute(select(func.pg_advisory_xact_lock(key)))


async def open_elections_in(session: AsyncSession, place: Place) -> list[Election]:
    rows = await session.scalars(
        select(Election).where(_in_place(place), Election.status == "open").order_by(Election.id)
    )
    return list(rows)


async def next_ref(session: AsyncSession, place: Place) -> str:
    """The next per-channel election number ("1", "2", ...)."""
    refs = await session.scalars(select(Election.ref).where(_in_place(place)))
    numbers = [int(r) for r in refs if r.isdigit()]
    return str(max(numbers, default=0) + 1)


async def turnout(session: AsyncSession, election_id: int) -> int:
    """How many ballots the election holds (served by the unique index's prefix)."""
    total = await session.scalar(
        select(func.count()).select_from(Ballot).where(Ballot.election_id == election_id)
    )
    return int(total or 0)


async def turnouts(session: AsyncSession, election_ids: Sequence[int]) -> dict[int, int]:
    """Turnout of several elections in one query."""
    if not election_ids:
        return {}
    rows = await session.execute(
        select(Ballot.election_id, func.count())
        .where(Ballot.election_id.in_(election_ids))
        .group_by(Ballot.election_id)
    )
    found: dict[int, int] = {eid: n for eid, n in rows}
    return {eid: found.get(eid, 0) for eid in election_ids}


async def aggregated_ballots(
    session: AsyncSession, election_id: int
) -> list[tuple[tuple[str, ...], str | None, int]]:
    """(ranking, section, how many) for every distinct ranking: ONE grouped query.

    Memory is bounded by the number of distinct rankings, not by the number of ballots.
    """
    rows = await session.execute(
        select(Ballot.ranking, Ballot.section, func.count())
        .where(Ballot.election_id == election_id)
        .group_by(Ballot.ranking, Ballot.section)
    )
    return [(ranking, section, int(n)) for ranking, section, n in rows]


async def due_elections(
    session: AsyncSession, now: datetime, platform: str | None = None
) -> list[Election]:
    """Open elections whose closing time has passed (on ``platform``, or anywhere), locked."""
    query = (
        select(Election)
        .where(Election.status == "open", Election.closes_at.is_not(None))
        .where(Election.closes_at <= now)
        .order_by(Election.closes_at, Election.id)
        # PostgreSQL: a second process's scheduler waits here, then re-checks ``status`` on
        # the committed row and finds it closed: each timed close is made once.
        .with_for_update()
    )
    if platform is not None:
        query = query.where(_on_platform(platform))
    return list(await session.scalars(query))


async def unannounced_closes(session: AsyncSession, platform: str | None = None) -> list[Election]:
    """Elections closed (by the scheduler) whose close has not been announced yet."""
    query = (
        select(Election)
        .where(Election.closed_at.is_not(None), Election.announced_at.is_(None))
        .order_by(Election.closed_at, Election.id)
    )
    if platform is not None:
        query = query.where(Election.platform == platform)
    return list(await session.scalars(query))


async def next_deadline(session: AsyncSession, platform: str | None = None) -> datetime | None:
    """The earliest closing time of any open election (on ``platform``, or anywhere)."""
    query = select(func.min(Election.closes_at)).where(
        Election.status == "open", Election.closes_at.is_not(None)
    )
    if platform is not None:
        query = query.where(_on_platform(platform))
    return await session.scalar(query)


@dataclass(frozen=True)
class AliasPair:
    alias: str
    candidate: str


@dataclass(frozen=True)
class BallotBox:
    """An election as the ballot path needs it, read with plain Core (no ORM identity map).

    Casting a ballot is the hot path: one joined SELECT gives every election in the channel
    with its aliases, instead of ORM objects plus a second query for the aliases.
    """

    id: int
    ref: str
    title: str
    status: str
    platform: str
    workspace: str
    channel: str
    candidates: list[str]
    seats: int
    method: str
    closes_at: datetime | None
    eligible_roles: list[str]
    sections: dict[str, Any]
    section_weights: dict[str, Any]
    ron: bool
    turnout: int
    aliases: list[AliasPair] = field(default_factory=list)
    electorate: str = "roles"
    roll_rules: dict[str, Any] | None = None
    opened_at: datetime | None = None


_BOX_COLUMNS = [c for c in Election.__table__.columns if c.key in BallotBox.__dataclass_fields__]


async def ballot_boxes(
    session: AsyncSession, place: Place, *, lock: bool = False
) -> list[BallotBox]:
    """Every election in the channel with its aliases, in one query, in ref order.

    ``lock``: the ballot writer's read; on PostgreSQL the election rows (not the aliases) are
    locked ``FOR UPDATE`` until it commits, so a close or count waits for the ballots it
    read as open, and a batch that waited sees the close (see ``elections_in``).
    """
    query = (
        select(*_BOX_COLUMNS, Alias.alias, Alias.candidate)
        .select_from(Election)
        .outerjoin(Alias, Alias.election_id == Election.id)
        .where(_in_place(place))
        .order_by(Election.id, Alias.id)
    )
    if lock:
        query = query.with_for_update(of=Election.__table__)
    rows = await session.execute(query)
    boxes: dict[int, BallotBox] = {}
    for row in rows:
        values = row._mapping
        box = boxes.get(values["id"])
        if box is None:
            box = boxes[values["id"]] = BallotBox(**{c.key: values[c] for c in _BOX_COLUMNS})
        if values[Alias.alias] is not None:
            box.aliases.append(AliasPair(values[Alias.alias], values[Alias.candidate]))
    return list(boxes.values())
