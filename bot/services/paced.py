"""Paced declarations: a count declared round by round, on a moderator's word or on a timer.

``/election count --paced`` stores the count as usual and marks its result row with
``declared_rounds = 1``; each ``/election next`` (or **Next round** button) moves that number
on by one with a compare-and-set update, so two presses at once declare one round and the
other is told it was already declared. A button carries the round it advances from
(``after``): a stale press, on a post whose next round is already out, is refused.

``--pace 20s`` also stores ``pace_seconds`` and ``next_round_at``; the scheduler (see
``bot.services.scheduler``) asks ``due`` for overdue steps and ``declare_due`` after posting
each. Every step sets ``next_round_at`` a whole pace after *now*, so a bot that was down
declares its overdue steps one at a time, a pace apart, not in a burst. The state lives only
in the database: a restart resumes the declaration and its pacing.

Each step is read from the stored result (``counting.result_reader``), never recounted.
Steps count the announcement's round sections (a multi-pass count's passes flattened).
Errors: ``InvalidInput`` when the election is not paced, is fully declared, or a pace is
malformed or out of bounds; ``Conflict`` when the round was already declared (a stale or
racing press).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain import Actor, CountOutcome, PacedStep, Place
from bot.errors import Conflict, InvalidInput
from bot.services import audit
from bot.services.common import (
    NEXT,
    ServiceContext,
    pick_for,
    require_home,
    require_moderator,
    view,
)
from bot.storage import queries
from bot.storage.database import transaction
from bot.storage.tables import CountResult, Election
from counting.result import Result
from counting.result_reader import result_from_dict

CLAIM = timedelta(minutes=2)
"""How long one scheduler's claim on posting a paced round lasts (see ``claim``)."""
MIN_PACE = timedelta(seconds=5)
MAX_PACE = timedelta(minutes=10)
_PACE = re.compile(r"(?:(?P<m>\d{1,3})m(?:in)?)?(?:(?P<s>\d{1,4})s(?:ec)?)?")


def parse_pace(text: str) -> timedelta:
    """``20s``, ``1m``, ``1m30s`` (also ``90sec``, ``2min``) → a ``timedelta`` within
    5 s–10 min; anything else is refused with the reason (a bare number has no unit)."""
    typed = text.strip()
    match = _PACE.fullmatch(typed.casefold().replace(" ", ""))
    if not typed or match is None or not (match["m"] or match["s"]):
        hint = " (give a unit)" if typed.isdigit() else ""
        raise InvalidInput(f'--pace takes a time like 20s, 90s or 1m, not "{typed}"{hint}.')
    pace = timedelta(minutes=int(match["m"] or 0), seconds=int(match["s"] or 0))
    if not MIN_PACE <= pace <= MAX_PACE:
        raise InvalidInput(f"--pace must be between 5s and 10m; {typed} is not.")
    return pace


def steps(result: Result) -> int:
    """How many steps a paced declaration of ``result`` has (its round sections)."""
    if result.passes:
        return sum(len(p.rounds) for p in result.passes)
    return len(result.rounds)


def still_declaring(row: CountResult) -> bool:
    """A paced declaration short of its last round: its winners are not public yet (so
    ``/election status`` does not name them before the count does)."""
    if row.declared_rounds is None:
        return False
    passes = row.result.get("passes") or ()
    total = sum(len(p["rounds"]) for p in passes) if passes else len(row.result["rounds"])
    return row.declared_rounds < total


@dataclass(frozen=True)
class DueStep:
    """A step the scheduler should post now: where, what, and the round it advances from."""

    place: Place
    step: PacedStep
    after: int
    result_id: int


class PacedDeclarations:
    """Start and advance paced declarations (moderators, or the scheduler on a pace)."""

    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    async def start(
        self, actor: Actor, place: Place, outcome: CountOutcome, pace: timedelta | None = None
    ) -> PacedStep:
        """Mark a fresh count as paced with round 1 declared (and the next due, on a pace)."""
        require_moderator(self._ctx, actor, "count elections")
        seconds = None if pace is None else int(pace.total_seconds())
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
            row.pace_seconds = seconds
            row.next_round_at = self._next_at(seconds, 1, steps(outcome.result))
        if row.next_round_at is not None:
            self._ctx.deadlines.changed()
        return PacedStep(outcome, 1, seconds)

    async def next(
        self, actor: Actor, place: Place, ref: str | None, after: int | None = None
    ) -> PacedStep:
        """Declare the next round of this channel's paced count; ``after`` (a button's round)
        refuses a press whose next round is already out."""
        require_moderator(self._ctx, actor, "declare rounds")
        async with transaction(self._ctx.sessions, write=False) as session:
            election, row = await self._pick(session, place, ref)
            shown = await view(session, election)
        if row is None or row.declared_rounds is None:
            raise InvalidInput(f"{election.title} was declared in full; there is no next round.")
        result = result_from_dict(row.result)
        done, total = row.declared_rounds, steps(result)
        if done >= total:
            raise InvalidInput(f"Every round of {election.title} has been declared.")
        if after is not None and after < done:
            raise Conflict(f"Round {after + 1} of {election.title} is already declared.")
        if after is not None and after > done:  # only a forged button says so
            raise InvalidInput(f"Round {done + 1} of {election.title} comes first.")
        async with transaction(self._ctx.sessions) as session:
            await self._advance(session, row, done, total, election.title)
            details = {"id": election.id, "round": done + 1}
            audit.record(session, actor, place, "election.next", details)
        self._ctx.deadlines.changed()
        return PacedStep(CountOutcome(shown, result), done + 1, row.pace_seconds)

    async def _pick(
        self, session: AsyncSession, place: Place, ref: str | None
    ) -> tuple[Election, CountResult | None]:
        """The election ``ref`` names; without one, the channel's one count still being
        declared (an earlier count declared in full does not make ``/election next`` ask
        which), else the usual pick among counted elections, with its messages."""
        found = await queries.elections_in(session, place)
        ids = [e.id for e in found if e.status == "counted"]
        rows = {
            r.election_id: r
            for r in await session.scalars(
                select(CountResult).where(CountResult.election_id.in_(ids))
            )
        }
        declaring = [e for e in found if e.id in rows and still_declaring(rows[e.id])]
        named = ref is not None and bool(ref.strip())
        among = found if named else (declaring or found)
        election = pick_for(among, ref, NEXT, include_drafts=False)
        require_home(election, place)  # a shared election is declared from its own channel
        return election, rows.get(election.id)

    # -- the scheduler's side -------------------------------------------------------------------

    async def next_due(self, platform: str | None = None) -> datetime | None:
        """When the earliest paced step falls due (the scheduler sleeps until then)."""
        async with transaction(self._ctx.sessions, write=False) as session:
            query = select(CountResult.next_round_at).join(Election)
            query = query.where(CountResult.next_round_at.is_not(None))
            if platform is not None:
                query = query.where(Election.platform == platform)
            found = await session.scalars(query.order_by(CountResult.next_round_at).limit(1))
            return found.first()

    async def due(self, now: datetime, platform: str | None = None) -> list[DueStep]:
        """The next step of every paced count due by ``now`` (not yet declared: the
        scheduler posts each, then calls ``declare_due``)."""
        async with transaction(self._ctx.sessions, write=False) as session:
            query = select(CountResult, Election).join(Election)
            query = query.where(CountResult.next_round_at <= now)
            if platform is not None:
                query = query.where(Election.platform == platform)
            rows = (await session.execute(query.order_by(CountResult.next_round_at))).all()
            found = []
            for row, election in rows:
                result = result_from_dict(row.result)
                done = row.declared_rounds or 0
                if done < 1 or done >= steps(result):
                    continue
                outcome = CountOutcome(await view(session, election), result)
                step = PacedStep(outcome, done + 1, row.pace_seconds)
                place = Place(election.platform, election.workspace, election.channel)
                found.append(DueStep(place, step, done, row.id))
        return found

    async def declare_due(self, due: DueStep) -> bool:
        """Record ``due`` as declared (after the scheduler posted it); False when a moderator
        declared that round first."""
        async with transaction(self._ctx.sessions) as session:
            row = await session.get(CountResult, due.result_id)
            if row is None:
                return False
            total = steps(due.step.outcome.result)
            try:
                await self._advance(session, row, due.after, total, due.step.outcome.election.title)
            except Conflict:
                return False
        return True

    async def claim(self, due: DueStep, now: datetime) -> bool:
        """Claim ``due`` for posting (compare-and-set: True for one caller in any process):
        its ``next_round_at`` moves ``CLAIM`` ahead, so another scheduler does not post the
        same round; ``declare_due`` or ``postpone`` then set the real next time. A process
        that dies mid-post leaves the claim to run out, and the round is posted then."""
        async with transaction(self._ctx.sessions) as session:
            done = await session.execute(
                update(CountResult)
                .where(CountResult.id == due.result_id, CountResult.declared_rounds == due.after)
                .where(CountResult.next_round_at <= now)
                .values(next_round_at=now + CLAIM)
            )
            return bool(getattr(done, "rowcount", 0))

    async def postpone(self, due: DueStep) -> None:
        """Try ``due`` again a pace from now (its post failed)."""
        seconds = due.step.pace_seconds or int(MIN_PACE.total_seconds())
        async with transaction(self._ctx.sessions) as session:
            await session.execute(
                update(CountResult)
                .where(CountResult.id == due.result_id, CountResult.declared_rounds == due.after)
                .values(next_round_at=self._ctx.clock() + timedelta(seconds=seconds))
            )

    # -- shared -------------------------------------------------------------------------------

    def _next_at(self, seconds: int | None, done: int, total: int) -> datetime | None:
        if seconds is None or done >= total:
            return None
        return self._ctx.clock() + timedelta(seconds=seconds)

    async def _advance(
        self, session: AsyncSession, row: CountResult, done: int, total: int, title: str
    ) -> None:
        """Compare-and-set ``declared_rounds`` from ``done`` to ``done + 1``."""
        moved = await session.execute(
            update(CountResult)
            .where(CountResult.id == row.id, CountResult.declared_rounds == done)
            .values(
                declared_rounds=done + 1,
                next_round_at=self._next_at(row.pace_seconds, done + 1, total),
            )
        )
        if moved.rowcount != 1:  # type: ignore[attr-defined]
            raise Conflict(f"Round {done + 1} of {title} is already declared.")
