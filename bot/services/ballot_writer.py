"""Group commit for ballots: many concurrent ``/rank`` calls, one transaction.

Each statement through aiosqlite costs a thread hop (~0.5 ms on a small server), so a
transaction per ballot caps a SQLite file at a few hundred ballots a second. Instead every
``rank`` call queues its request and awaits a future; one writer task takes whatever has
queued, validates each ballot against the server clock, writes them all with one
``INSERT ... ON CONFLICT (election_id, voter_key) DO UPDATE`` (``ballot_rows``: on PostgreSQL
one round trip for the whole batch), moves each election's turnout counter, commits, and
only then resolves the futures. So:

* an acknowledged ballot is committed (the future resolves after ``COMMIT``);
* one ballot per member holds: the constraint decides, and within a batch a member's later
  ballot replaces their earlier one exactly as two sequential calls would;
* a user mistake (bad ranking, closed, not eligible) fails only that caller's future, and
  nothing of theirs is written; an unexpected error fails the whole batch, which rolls back;
* a close or count never interleaves with a batch: the batch reads its channels' elections
  locked (``FOR UPDATE`` on PostgreSQL, channels in one order so two processes' batches never
  deadlock; SQLite's ``BEGIN IMMEDIATE`` serialises all writers anyway), so a ballot is either
  committed before the close, and counted, or sees the election closed and is refused.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain import Actor, BallotReceipt, Place
from bot.errors import Conflict, ElectionClosed, NotAllowed, UserError
from bot.ranking import Ranking, read_ranking
from bot.services import roll_turnout, roll_voters
from bot.services.ballot_rows import Row, add_turnout, cast_minute, store_batch
from bot.services.common import (
    ElectionLike,
    ServiceContext,
    ballot_aliases,
    ballot_candidates,
    election_view,
    normalise_roles,
    pick_for_voting,
)
from bot.services.storage_health import not_recorded, reason
from bot.storage import queries
from bot.storage.database import transaction
from bot.storage.queries import BallotBox

log = logging.getLogger(__name__)

MAX_BATCH = 500


@dataclass
class _Request:
    actor: Actor
    place: Place
    text: str
    ref: str | None
    future: asyncio.Future[BallotReceipt]


@dataclass
class _Accepted:
    request: _Request
    box: BallotBox
    key: bytes
    ranking: tuple[str, ...]
    section: str | None
    receipt: str
    note: str | None = None
    replaced: bool = False
    branch: str | None = None
    """A roll election's member's branch (``roll_turnout``); ``None`` otherwise."""
    roll_section: str | None = None
    """A roll election's member's section on the roll (``roll_turnout``); ``None`` otherwise."""


@dataclass
class BallotWriter:
    """Queues ballots and writes them in batches on one task (see the module docstring)."""

    ctx: ServiceContext
    _queue: list[_Request] = field(default_factory=list)
    _inflight: list[_Request] = field(default_factory=list)
    _task: asyncio.Task[None] | None = None

    async def submit(self, actor: Actor, place: Place, text: str, ref: str | None) -> BallotReceipt:
        future: asyncio.Future[BallotReceipt] = asyncio.get_running_loop().create_future()
        self._queue.append(_Request(actor, place, text, ref, future))
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._drain(), name="hustings-ballot-writer")
            self._task.add_done_callback(self._stopped)
        return await future

    async def aclose(self) -> None:
        """Let queued ballots finish writing."""
        if self._task is not None:
            await asyncio.gather(self._task, return_exceptions=True)

    async def _drain(self) -> None:
        while self._queue:
            await asyncio.sleep(0)  # let callers just acknowledged queue their next ballot
            self._inflight, self._queue = self._queue[:MAX_BATCH], self._queue[MAX_BATCH:]
            await self._write_batch(self._inflight)
            self._inflight = []

    def _stopped(self, task: asyncio.Task[None]) -> None:
        """The writer task ended: if it was cancelled (shutdown), answer everyone still waiting,
        so no member's /rank hangs on a ballot that may never be written."""
        if not task.cancelled():
            return
        stopped = Conflict(
            "The bot stopped while saving your ballot, so it may not be recorded: "
            "check with /ballot, and rank again if it is not there."
        )
        for request in (*self._inflight, *self._queue):
            _fail(request, stopped)
        self._inflight, self._queue = [], []

    async def _write_batch(self, batch: list[_Request]) -> None:
        try:
            accepted, turnouts = await self._write(batch)
        except Exception as exc:  # a bug or a database failure: nobody is acknowledged
            log.exception("writing a batch of %d ballots failed", len(batch))
            told = not_recorded(exc)
            if told is not None:
                why = reason(exc) or ""
                self.ctx.health.record(why, len(batch), self.ctx.clock())
            for request in batch:
                _fail(request, told or exc)
            return
        for item in accepted:
            view = election_view(item.box, turnouts[item.box.id])
            log.info("ballot %s in election %s",
                     "replaced" if item.replaced else "cast", item.box.id)  # fmt: skip
            if not item.request.future.done():
                item.request.future.set_result(
                    BallotReceipt(view, item.ranking, item.receipt, item.replaced, item.note)
                )

    async def _write(self, batch: Sequence[_Request]) -> tuple[list[_Accepted], dict[int, int]]:
        async with transaction(self.ctx.sessions) as session:
            now = self.ctx.clock()
            boxes: dict[Place, list[BallotBox]] = {}
            for place in sorted({r.place for r in batch}, key=_place_order):  # one lock order
                boxes[place] = await queries.ballot_boxes(session, place, lock=True)
            accepted: list[_Accepted] = []
            for request in batch:
                try:
                    accepted.append(await self._accept(session, request, boxes[request.place], now))
                except UserError as exc:
                    _fail(request, exc)
            if not accepted:
                return [], {}
            new = await _store(session, accepted, cast_minute(now))
            turnouts = {item.box.id: item.box.turnout for item in accepted}
            for election_id, added in new.items():
                turnouts[election_id] = await add_turnout(session, election_id, added)
            await roll_turnout.add_many(
                session,
                (
                    (item.box.id, item.branch, item.roll_section)
                    for item in accepted
                    if item.branch is not None and not item.replaced
                ),
            )
        return accepted, turnouts

    async def _accept(
        self, session: AsyncSession, request: _Request, boxes: list[BallotBox], now: datetime
    ) -> _Accepted:
        box = pick_for_voting(boxes, request.ref)
        check_open(box, now)
        key, member = await roll_voters.voter(session, self.ctx.secrecy, request.actor, box)
        if member is None:
            section = section_for(box, request.actor)
        elif box.method == "college":
            section = roll_voters.college_section(box.sections, member)
        else:
            section = None
        branch = None if member is None else member.branch
        aliases = tuple(ballot_aliases(box).items())
        read = _read(request.text, ballot_candidates(box), aliases)
        receipt = self.ctx.receipts()
        return _Accepted(
            request, box, key, read.names, section, receipt, read.note, branch=branch,
            roll_section=None if member is None else member.section,
        )  # fmt: skip


@functools.lru_cache(maxsize=4096)
def _read(text: str, candidates: tuple[str, ...], aliases: tuple[tuple[str, str], ...]) -> Ranking:
    """``read_ranking``, remembered: it is pure (the text, the candidates and the aliases
    decide the result), and members type the same few rankings over and over, so a busy
    count night reads each distinct one once. A refusal (``InvalidInput``) is not kept."""
    return read_ranking(text, candidates, dict(aliases))


def _fail(request: _Request, exc: BaseException) -> None:
    if not request.future.done():
        request.future.set_exception(exc)


def check_open(election: ElectionLike, now: datetime) -> None:
    """Voting is open and, by the server clock, its closing time has not come."""
    if election.status != "open":
        raise ElectionClosed(f"{election.title} is {election.status}; voting is not open.")
    if election.closes_at is not None and now >= election.closes_at:
        closed = election.closes_at.strftime("%Y-%m-%d %H:%M UTC")
        raise ElectionClosed(f"Voting in {election.title} closed at {closed}.")


def section_for(election: ElectionLike, actor: Actor) -> str | None:
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


async def _store(
    session: AsyncSession, accepted: list[_Accepted], minute: datetime
) -> Counter[int]:
    """Store each voter's last ballot of the batch; set ``replaced`` on every ballot (a later
    one in the batch replaces an earlier one, in arrival order); new voters per election."""
    last = {(item.box.id, item.key): item for item in accepted}
    rows = [
        Row(item.box.id, item.key, item.ranking, item.section, item.receipt, minute)
        for item in last.values()
    ]
    seen = set(last) - await store_batch(session, rows)  # voters with a ballot before
    new: Counter[int] = Counter()
    for item in accepted:
        item.replaced = (item.box.id, item.key) in seen
        seen.add((item.box.id, item.key))
        new[item.box.id] += not item.replaced
    return new


def _place_order(place: Place) -> tuple[str, str, str]:
    """Channels are read (and on PostgreSQL locked) in this order by every batch in every
    process, so two batches never wait for each other's locks in a circle."""
    return (place.platform, place.workspace, place.channel)
