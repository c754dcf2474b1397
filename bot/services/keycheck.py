"""Is the voter-key secret the one this database was used with?

Voter keys are HMACs under the secret, so a changed secret silently gives every member a new
key: one who already voted could vote again in an open election, and ``/ballot`` no longer
finds anyone's ballot. The database therefore keeps the secret's fingerprint (``bot.keys``):

* first start: the fingerprint is recorded;
* same secret: nothing happens;
* another secret: ``check`` returns ``False``; the core then refuses to open elections and to
  take, show or withdraw ballots (``Secrecy.voter_key`` raises ``VotingSuspended``) until the
  operator restores the old secret, or rotates to the new one with ``hustings db accept-key``
  once no election is open (``accept``).
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite

from bot.keys import fingerprint
from bot.storage.database import Sessions, transaction
from bot.storage.tables import Election, KeyCheck

VOTER_KEY = "voter_key"


class KeyRotationRefused(Exception):  # noqa: N818 - reads as the CLI's message
    """``accept`` while elections are open: members who voted could vote again."""


async def check(sessions: Sessions, secret: bytes) -> bool:
    """Record the secret's fingerprint if none is stored; whether it matches the stored one."""
    mark = fingerprint(secret)
    async with transaction(sessions) as session:
        dialect = session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        # Two processes starting at once: the first fingerprint stored wins, the other reads it.
        await session.execute(
            insert(KeyCheck)
            .values(purpose=VOTER_KEY, fingerprint=mark, recorded_at=datetime.now(UTC))
            .on_conflict_do_nothing(index_elements=[KeyCheck.purpose])
        )
        stored = await session.scalar(
            select(KeyCheck.fingerprint).where(KeyCheck.purpose == VOTER_KEY)
        )
        return stored == mark


async def accept(sessions: Sessions, secret: bytes) -> None:
    """Make ``secret`` the database's voter-key secret (its fingerprint replaces the old one).

    Refused (``KeyRotationRefused``) while any election is open: close them (or restore the
    old secret until they close) first. Closed and counted elections keep their ballots and
    results; only ``/ballot`` look-ups of old ballots stop matching (receipts still work).
    """
    async with transaction(sessions) as session:
        still_open = await session.scalar(
            select(func.count()).select_from(Election).where(Election.status == "open")
        )
        if still_open:
            raise KeyRotationRefused(
                f"{still_open} election(s) are open: close them before changing the secret, "
                "or members who already voted could vote again"
            )
        stored = await session.get(KeyCheck, VOTER_KEY)
        if stored is None:
            session.add(KeyCheck(purpose=VOTER_KEY, fingerprint=fingerprint(secret)))
        else:
            stored.fingerprint = fingerprint(secret)
