"""Turnout per branch in a roll election, shown only where it cannot point at anyone.

A counter per (election, branch) moves with the ballots in the same transaction: +1 when a
member casts their first ballot, -1 when they withdraw it. Ballot rows never carry the branch.

What is shown (``breakdown``): each branch where at least ``MIN_SHOWN`` members have voted.
The remainder (turnout minus the branches shown) must itself be 0 or at least ``MIN_SHOWN``,
or else it is the turnout of the small branches together, and with one small branch, of that
branch: then the smallest shown branches are held back too until it is.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.tables import RollTurnout

MIN_SHOWN = 10


@dataclass(frozen=True)
class BranchTurnout:
    """Branches shown with their turnout (largest first), and how many voters are not."""

    shown: tuple[tuple[str, int], ...]
    others: int


async def add(session: AsyncSession, election_id: int, branch: str, delta: int) -> None:
    """Move ``branch``'s counter by ``delta`` (never below 0)."""
    if delta > 0:
        insert = (
            postgresql.insert
            if session.get_bind().dialect.name == "postgresql"
            else (sqlite.insert)
        )
        statement = insert(RollTurnout).values(election_id=election_id, branch=branch, voters=delta)
        await session.execute(
            statement.on_conflict_do_update(
                index_elements=[RollTurnout.election_id, RollTurnout.branch],
                set_={"voters": RollTurnout.voters + delta},
            )
        )
        return
    await session.execute(
        update(RollTurnout)
        .where(RollTurnout.election_id == election_id, RollTurnout.branch == branch)
        .where(RollTurnout.voters >= -delta)
        .values(voters=RollTurnout.voters + delta)
    )


async def breakdown(session: AsyncSession, election_id: int, turnout: int) -> BranchTurnout:
    """What may be shown of the election's turnout by branch (see the module docstring)."""
    rows = await session.execute(
        select(RollTurnout.branch, RollTurnout.voters).where(RollTurnout.election_id == election_id)
    )
    counted = sorted(((b, int(n)) for b, n in rows.all()), key=lambda r: (-r[1], r[0]))
    shown = [row for row in counted if row[1] >= MIN_SHOWN]
    while shown and 0 < turnout - sum(n for _, n in shown) < MIN_SHOWN:
        shown.pop()  # the smallest shown branch joins the rest
    return BranchTurnout(tuple(shown), turnout - sum(n for _, n in shown))
