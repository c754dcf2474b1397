"""Paced declarations: a count declared round by round, each round when a moderator asks.

``/election count --paced`` stores the count as usual and marks its result row with
``declared_rounds = 1``; each ``/election next`` moves that number on by one with a
compare-and-set update (two presses at once declare one round, the other is told it was
already declared). The state lives only in the database, so a restart resumes where the
declaration stopped. The rounds are re-derived by recounting the stored ballots with the
stored seed (the count already proved a recount matches).

Steps count the announcement's round sections (a multi-pass count's passes flattened).
Errors: ``InvalidInput`` when the election is not paced or is fully declared; ``Conflict``
when another moderator's press declared the round first.
"""

from __future__ import annotations

import asyncio

from sqlalchemy import select, update

from bot.domain import Actor, CountOutcome, PacedStep, Place
from bot.errors import Conflict, InvalidInput
from bot.services import counts
from bot.services.common import NEXT, ServiceContext, find_for, require_moderator, view
from bot.storage import queries
from bot.storage.database import transaction
from bot.storage.tables import CountResult, Election
from counting.result import Result


def steps(result: Result) -> int:
    """How many steps a paced declaration of ``result`` has (its round sections)."""
    if result.passes:
        return sum(len(p.rounds) for p in result.passes)
    return len(result.rounds)


class PacedDeclarations:
    """Start and advance paced declarations; moderators only."""

    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    async def start(self, actor: Actor, place: Place, outcome: CountOutcome) -> PacedStep:
        """Mark a fresh count as paced with round 1 declared."""
        require_moderator(self._ctx, actor, "count elections")
        async with transaction(self._ctx.sessions) as session:
            row = await session.scalar(
                select(CountResult).join(Election).where(Election.ref == outcome.election.ref)
                .where(Election.platform == place.platform)
                .where(Election.workspace == place.workspace)
                .where(Election.channel == place.channel)
            )  # fmt: skip
            if row is None:
                raise Conflict(f"{outcome.election.title} has no stored count.")
            row.declared_rounds = 1
        return PacedStep(outcome, 1)

    async def next(self, actor: Actor, place: Place, ref: str | None) -> PacedStep:
        """Declare the next round of this channel's paced count."""
        require_moderator(self._ctx, actor, "declare rounds")
        async with transaction(self._ctx.sessions, write=False) as session:
            election = await find_for(session, place, ref, NEXT, include_drafts=False)
            row = await session.scalar(
                select(CountResult).where(CountResult.election_id == election.id)
            )
            shown = await view(session, election)
            groups = await queries.aggregated_ballots(session, election.id)
        if row is None or row.declared_rounds is None:
            raise InvalidInput(f"{election.title} was declared in full; there is no next round.")
        result = await asyncio.to_thread(counts.run_count, election, groups, int(row.rules["seed"]))
        total = steps(result)
        done = row.declared_rounds
        if done >= total:
            raise InvalidInput(f"Every round of {election.title} has been declared.")
        async with transaction(self._ctx.sessions) as session:
            moved = await session.execute(
                update(CountResult)
                .where(CountResult.id == row.id, CountResult.declared_rounds == done)
                .values(declared_rounds=done + 1)
            )
            if moved.rowcount != 1:  # type: ignore[attr-defined]
                raise Conflict(f"Round {done + 1} of {election.title} was just declared.")
        return PacedStep(CountOutcome(shown, result), done + 1)
