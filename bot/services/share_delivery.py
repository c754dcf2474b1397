"""Copies of a shared election's announcements, posted once in the channel it is shared with.

The election's own channel hears of each step as today: the moderator's reply (open, close,
cancel, count, next round), or the scheduler of its platform (a timed close, a paced round on
its ``--pace``). The channel it is shared with (``election_shares``, one row) may be on a
platform this process does not serve, so its copies are not posted with the reply: each row
records what that channel has been shown (``shown_status``, ``shown_rounds``), and the
scheduler of *that* platform compares it with the election's state and posts what is missing,
one step at a time, in order (``due`` → ``claim`` → post → ``done``):

    open → "Voting is open"; closed → "Voting has closed"; cancelled → the cancellation;
    counted → the whole declaration, or a paced declaration's rounds as they are declared.

A step skipped over is not posted (an election opened and closed between two passes shows
only its close; a count announces the close). Each post is claimed first (compare-and-set on
the row's state and ``posting_until``), so of several processes serving that platform one
posts it; a post that fails is tried again ``RETRY`` later; a process that dies mid-post
leaves its claim to run out (``LEASE``) and the post is made then: a repeat, never a gap.

A count stored without a pace could still become a paced declaration an instant later (the
``--paced`` count stores the result, then marks it paced), so a whole declaration is copied
only ``GRACE`` after the count: never all rounds at once before the home channel has had them.

Other processes cannot wake this one, so while a row still has something to come the
scheduler looks again every ``POLL`` seconds (one small query).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update

from bot.domain import CountOutcome, PacedStep, Place
from bot.services.common import ServiceContext, election_view, place_of
from bot.services.paced import steps
from bot.services.share_values import CopyKind, SharedCopy
from bot.storage.database import transaction
from bot.storage.tables import CountResult, Election, ElectionShare
from counting.result_reader import result_from_dict

GRACE = timedelta(seconds=15)
LEASE = timedelta(minutes=2)
RETRY = timedelta(seconds=30)
POLL = timedelta(seconds=5)


@dataclass(frozen=True)
class Plan:
    """The next copy for a channel: what to post, and the row's state once it is posted."""

    kind: CopyKind
    status: str
    rounds: int
    finished: bool = False


def plan(
    status: str,
    shown: str,
    shown_rounds: int,
    declared: int | None,
    total: int,
) -> Plan | None:
    """The next copy owed to a channel that has been shown ``shown`` (and ``shown_rounds``
    of a paced count), for an election in ``status``; ``declared``: rounds of a paced count
    declared so far (``None``: declared whole), ``total``: its rounds. ``None``: nothing now."""
    if status == "open" and shown == "draft":
        return Plan("open", "open", 0)
    if status == "closed" and shown in ("draft", "open"):
        return Plan("close", "closed", 0)
    if status == "cancelled" and shown != "cancelled":
        return Plan("cancel", "cancelled", 0, finished=True)
    if status != "counted":
        return None
    if declared is None:
        return None if shown == "counted" else Plan("count", "counted", 0, finished=True)
    done = shown_rounds if shown == "counted" else 0
    if done >= declared:
        return None
    return Plan("round", "counted", done + 1, finished=done + 1 >= total)


@dataclass(frozen=True)
class DueCopy:
    """A copy to post now: where, what, and the row state it moves from and to."""

    share_id: int
    place: Place
    copy: SharedCopy
    before: tuple[str, int]
    plan: Plan


class ShareDeliveries:
    """The scheduler's side of shared elections (``platform``: the channels it serves)."""

    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    async def _pending(
        self, platform: str | None
    ) -> list[tuple[ElectionShare, Election, CountResult | None]]:
        async with transaction(self._ctx.sessions, write=False) as session:
            query = (
                select(ElectionShare, Election, CountResult)
                .join(Election, Election.id == ElectionShare.election_id)
                .outerjoin(CountResult, CountResult.election_id == Election.id)
                .where(ElectionShare.finished_at.is_(None))
                .order_by(ElectionShare.id)
            )
            if platform is not None:
                query = query.where(ElectionShare.platform == platform)
            rows = (await session.execute(query)).all()
            return [(share, election, result) for share, election, result in rows]

    async def due(self, now: datetime, platform: str | None = None) -> list[DueCopy]:
        """The next copy of every shared election owed to a channel on ``platform``."""
        found = []
        for share, election, result in await self._pending(platform):
            if share.posting_until is not None and share.posting_until > now:
                continue  # claimed by a process posting it, or waiting to retry
            if _too_soon(election, result, now):
                continue
            step = _plan_for(share, election, result)
            if step is None:
                continue
            place = Place(share.platform, share.workspace, share.channel)
            before = (share.shown_status, share.shown_rounds)
            found.append(DueCopy(share.id, place, _copy(step, election, result), before, step))
        return found

    async def next_due(self, now: datetime, platform: str | None = None) -> datetime | None:
        """When to look again: now if a copy is due, at a claim's or grace's end, else in
        ``POLL`` while any shared election still has something to come here."""
        times = []
        for share, election, result in await self._pending(platform):
            if share.posting_until is not None and share.posting_until > now:
                times.append(share.posting_until)
            elif _too_soon(election, result, now):
                assert result is not None
                times.append(result.counted_at + GRACE)
            elif _plan_for(share, election, result) is not None:
                times.append(now)
            else:
                times.append(now + POLL)
        return min(times, default=None)

    async def claim(self, due: DueCopy, now: datetime) -> bool:
        """Claim ``due`` for posting: True for one caller, in any process."""
        return await self._move(
            due, posting_until=now + LEASE, free_at=now, finished=False, advance=False
        )

    async def done(self, due: DueCopy) -> bool:
        """Record ``due`` as posted (its claim ends)."""
        return await self._move(
            due, posting_until=None, free_at=None, finished=due.plan.finished, advance=True
        )

    async def postpone(self, due: DueCopy) -> None:
        """Its post failed: try again ``RETRY`` from now (any process)."""
        later = self._ctx.clock() + RETRY
        await self._move(due, posting_until=later, free_at=None, finished=False, advance=False)

    async def _move(
        self,
        due: DueCopy,
        *,
        posting_until: datetime | None,
        free_at: datetime | None,
        finished: bool,
        advance: bool,
    ) -> bool:
        status, rounds = due.before
        query = update(ElectionShare).where(
            ElectionShare.id == due.share_id,
            ElectionShare.shown_status == status,
            ElectionShare.shown_rounds == rounds,
        )
        if free_at is not None:
            query = query.where(
                (ElectionShare.posting_until.is_(None)) | (ElectionShare.posting_until <= free_at)
            )
        values: dict[str, object] = {"posting_until": posting_until}
        if advance:
            values |= {"shown_status": due.plan.status, "shown_rounds": due.plan.rounds}
        if finished:
            values["finished_at"] = self._ctx.clock()
        async with transaction(self._ctx.sessions) as session:
            moved = await session.execute(query.values(**values))
            return bool(getattr(moved, "rowcount", 0))


def _too_soon(election: Election, result: CountResult | None, now: datetime) -> bool:
    """A count declared whole, within ``GRACE`` of being stored (it may yet be paced)."""
    return (
        election.status == "counted"
        and result is not None
        and result.declared_rounds is None
        and result.counted_at + GRACE > now
    )


def _plan_for(share: ElectionShare, election: Election, result: CountResult | None) -> Plan | None:
    declared = None if result is None else result.declared_rounds
    total = 0 if result is None else steps(result_from_dict(result.result))
    if election.status == "counted" and result is None:
        return None  # cannot be: the result is stored with the status
    return plan(election.status, share.shown_status, share.shown_rounds, declared, total)


def _copy(step: Plan, election: Election, result: CountResult | None) -> SharedCopy:
    shown = election_view(election)
    home = place_of(election)
    if step.kind not in ("count", "round") or result is None:
        return SharedCopy(step.kind, shown, home)
    outcome = CountOutcome(shown, result_from_dict(result.result))
    if step.kind == "count":
        return SharedCopy("count", shown, home, outcome=outcome)
    paced = PacedStep(outcome, step.rounds, result.pace_seconds)
    return SharedCopy("round", shown, home, step=paced)
