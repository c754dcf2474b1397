"""The ballot writer's statements: a batch's ballots stored in as few round trips as each store
allows, and the turnout counter moved with them.

``store_batch`` takes the batch's standing ballots (each voter's last in the batch) and says
which voters were new, so the writer can mark each ballot ``replaced`` and move the turnout:

* **PostgreSQL**: ONE statement, ``INSERT … SELECT FROM unnest(arrays) ON CONFLICT
  (election_id, voter_key) DO UPDATE … RETURNING election_id, voter_key, (xmax = 0)``. Its
  text is the same for every batch size, so asyncpg prepares it once per connection (an
  ``IN (…)`` list or a multi-row ``VALUES`` would be a new statement, and a new prepare round
  trip, for every size); the whole batch is one round trip. ``xmax = 0`` is true for a row
  this statement inserted and false for one it updated (PostgreSQL sets ``xmax`` on the
  conflicting row it locks), which is how ``ON CONFLICT`` callers tell new from replaced.
* **SQLite**: a ``SELECT`` of the voters already stored, then an ``executemany`` upsert; each
  is a call into the library on one connection (no network), and ``BEGIN IMMEDIATE`` already
  holds every other writer off.

Rows: a random 62-bit id (``new_ballot_id``), the voter key, the ranking as canonical JSON
text (``tables.RankingText``), the section, the receipt, and the cast time to the minute.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import cast

from sqlalchemy import Table, select, text, update
from sqlalchemy.dialects import sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.tables import Ballot, Election, RankingText, UTCDateTime

_RANKING = RankingText()
_WHEN = UTCDateTime()
_REPLACED = ("ranking", "section", "receipt", "cast_at")
"""What a new ballot replaces of the voter's stored one (not its id: row ids never change)."""

_PG_UPSERT = text(
    "INSERT INTO ballots (id, election_id, voter_key, ranking, section, receipt, cast_at) "
    "SELECT * FROM unnest(CAST(:ids AS bigint[]), CAST(:elections AS integer[]), "
    "CAST(:keys AS bytea[]), CAST(:rankings AS text[]), CAST(:sections AS varchar[]), "
    "CAST(:receipts AS varchar[]), CAST(:cast_at AS timestamp[])) "
    "ON CONFLICT (election_id, voter_key) DO UPDATE SET ranking = excluded.ranking, "
    "section = excluded.section, receipt = excluded.receipt, cast_at = excluded.cast_at "
    "RETURNING election_id, voter_key, (xmax = 0) AS inserted"
)


@dataclass(frozen=True)
class Row:
    """One ballot as stored; ``ranking`` the canonical names in order."""

    election_id: int
    voter_key: bytes
    ranking: tuple[str, ...]
    section: str | None
    receipt: str
    cast_at: datetime


def new_ballot_id() -> int:
    """A random 62-bit row id (1 … 2**62), not the next in cast order: SQLite's rowid and
    PostgreSQL's BIGINT both hold it; a collision among a million ballots is ~1 in 10**7."""
    return secrets.randbits(62) + 1


def cast_minute(now: datetime) -> datetime:
    """The time a ballot row records: the minute only (see ``BallotService``)."""
    return now.replace(second=0, microsecond=0)


async def store_batch(session: AsyncSession, rows: Sequence[Row]) -> set[tuple[int, bytes]]:
    """Insert each row, or replace the voter's stored ballot; the (election, voter key) pairs
    that had no ballot before. ``rows`` holds at most one row per (election, voter key)."""
    if session.get_bind().dialect.name == "postgresql":
        return await _postgres(session, rows)
    return await _sqlite(session, rows)


async def _postgres(session: AsyncSession, rows: Sequence[Row]) -> set[tuple[int, bytes]]:
    dialect = session.get_bind().dialect
    result = await session.execute(
        _PG_UPSERT,
        {
            "ids": [new_ballot_id() for _ in rows],
            "elections": [r.election_id for r in rows],
            "keys": [r.voter_key for r in rows],
            "rankings": [_RANKING.process_bind_param(r.ranking, dialect) for r in rows],
            "sections": [r.section for r in rows],
            "receipts": [r.receipt for r in rows],
            "cast_at": [_WHEN.process_bind_param(r.cast_at, dialect) for r in rows],
        },
    )
    return {(int(eid), bytes(key)) for eid, key, inserted in result if inserted}


async def _sqlite(session: AsyncSession, rows: Sequence[Row]) -> set[tuple[int, bytes]]:
    stored: set[tuple[int, bytes]] = set()
    for election_id in {r.election_id for r in rows}:
        keys = [r.voter_key for r in rows if r.election_id == election_id]
        found = await session.scalars(
            select(Ballot.voter_key).where(
                Ballot.election_id == election_id, Ballot.voter_key.in_(keys)
            )
        )
        stored.update((election_id, key) for key in found)
    table = cast(Table, Ballot.__table__)
    statement = sqlite.insert(table)
    statement = statement.on_conflict_do_update(
        index_elements=[table.c.election_id, table.c.voter_key],
        set_={name: statement.excluded[name] for name in _REPLACED},
    )
    await session.execute(
        statement,
        [
            {
                "id": new_ballot_id(),
                "election_id": r.election_id,
                "voter_key": r.voter_key,
                "ranking": r.ranking,
                "section": r.section,
                "receipt": r.receipt,
                "cast_at": r.cast_at,
            }
            for r in rows
        ],
    )
    return {(r.election_id, r.voter_key) for r in rows} - stored


async def add_turnout(session: AsyncSession, election_id: int, delta: int) -> int:
    """Move the turnout counter with the ballots, in the same transaction; the new turnout."""
    turnout = await session.scalar(
        update(Election)
        .where(Election.id == election_id)
        # Keep updated_at as it was: an exact "last changed" time would date the newest ballot
        # to the microsecond and undo cast_at's rounding to the minute.
        .values(turnout=Election.turnout + delta, updated_at=Election.updated_at)
        .returning(Election.turnout)
        .execution_options(synchronize_session=False)
    )
    return int(turnout or 0)
