"""Turnout per branch and per section in a roll election, shown only where it cannot point
at anyone.

Two counters move with the ballots in the same transaction: one per (election, branch)
(``roll_turnout``) and one per (election, roll section) (``roll_section_turnout``), each +1
when a member casts their first ballot and -1 when they withdraw it. Ballot rows never carry
the branch or the roll section.

What is shown (``breakdown``), the same rule for branches and for sections: each group where
at least ``MIN_SHOWN`` members have voted. The remainder (turnout minus the groups shown)
must itself be 0 or at least ``MIN_SHOWN``, or else it is the turnout of the small groups
together, and with one small group, of that group: then the smallest shown groups are held
back too until it is. Ballots cast before the section counters existed (migration
``0014i14remind``) are in no section's counter, so they are part of the remainder.

Known limit: each table is safe on its own, but a reader who also knows how the roll's
sections spread over its branches (say, a branch with members of one section only) can
sometimes narrow a branch-and-section cell from the two tables together.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.tables import RollSectionTurnout, RollTurnout

MIN_SHOWN = 10
Grouping = Literal["branch", "section"]


@dataclass(frozen=True)
class BranchTurnout:
    """Groups (branches or sections) shown with their turnout (largest first), and how
    many voters are not."""

    shown: tuple[tuple[str, int], ...]
    others: int


def _counter(by: Grouping) -> tuple[Any, Any]:
    """The counter table of ``by`` and its group column."""
    if by == "branch":
        return RollTurnout, RollTurnout.branch
    return RollSectionTurnout, RollSectionTurnout.section


async def add(
    session: AsyncSession, election_id: int, branch: str, delta: int, section: str | None = None
) -> None:
    """Move ``branch``'s counter (and ``section``'s, when given) by ``delta`` (never below 0)."""
    await _add(session, "branch", election_id, branch, delta)
    if section is not None:
        await _add(session, "section", election_id, section, delta)


async def add_many(
    session: AsyncSession, first_ballots: Iterable[tuple[int, str, str | None]]
) -> None:
    """Count a batch's first ballots, each ``(election id, branch, roll section or None)``.

    Every branch counter is moved before any section counter, each table in sorted order, so
    two batches committing side by side (PostgreSQL) take the counters' row locks in one
    order and cannot deadlock."""
    batch = list(first_ballots)
    branches = Counter((election, branch) for election, branch, _ in batch)
    sections = Counter((e, section) for e, _, section in batch if section is not None)
    for (election_id, branch), added in sorted(branches.items()):
        await _add(session, "branch", election_id, branch, added)
    for (election_id, section), added in sorted(sections.items()):
        await _add(session, "section", election_id, section, added)


async def _add(
    session: AsyncSession, by: Grouping, election_id: int, group: str, delta: int
) -> None:
    table, column = _counter(by)
    if delta > 0:
        postgres = session.get_bind().dialect.name == "postgresql"
        insert = postgresql.insert if postgres else sqlite.insert
        statement = insert(table).values({"election_id": election_id, by: group, "voters": delta})
        await session.execute(
            statement.on_conflict_do_update(
                index_elements=[table.election_id, column],
                set_={"voters": table.voters + delta},
            )
        )
        return
    await session.execute(
        update(table)
        .where(table.election_id == election_id, column == group)
        .where(table.voters >= -delta)
        .values(voters=table.voters + delta)
    )


async def breakdown(
    session: AsyncSession, election_id: int, turnout: int, by: Grouping = "branch"
) -> BranchTurnout:
    """What may be shown of the election's turnout by ``by`` (see the module docstring)."""
    table, column = _counter(by)
    rows = await session.execute(
        select(column, table.voters).where(table.election_id == election_id)
    )
    counted = sorted(((g, int(n)) for g, n in rows.all()), key=lambda r: (-r[1], r[0]))
    shown = [row for row in counted if row[1] >= MIN_SHOWN]
    while shown and 0 < turnout - sum(n for _, n in shown) < MIN_SHOWN:
        shown.pop()  # the smallest shown group joins the rest
    return BranchTurnout(tuple(shown), turnout - sum(n for _, n in shown))
