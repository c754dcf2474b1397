"""A hustings as an event: ``/hustings start [TITLE]`` … ``/hustings end`` in one channel.

The questions asked between the two belong to it (``Question.hustings_id``, set by
``attach`` in the transaction that adds the question), so its minutes
(``bot.services.minutes``) list exactly them, and members may read the minutes once it has
ended. At most one hustings is open per channel (a partial unique index backs the check).

``--ballot ELECTION`` (on start, or on end) names a draft election whose voting opens when
the hustings ends. The opening goes through ``ElectionService.open`` with all its checks
(moderator, voter-key secret, draft, closing time not passed) *before* the hustings is marked
ended: if the election cannot be opened, nothing changes and the moderator is told why.
Every start and end is written to the audit log.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain import Actor, ElectionView, Place
from bot.errors import Conflict, InvalidInput, NotFound, UserError
from bot.services import audit
from bot.services.common import ServiceContext, find_election, require_moderator
from bot.services.elections import ElectionService
from bot.services.hustings_rows import here, open_in, view_of
from bot.services.hustings_values import HustingsEnded, HustingsView
from bot.services.minutes import answers_summary
from bot.storage import queries
from bot.storage.database import transaction
from bot.storage.tables import Election, Hustings
from counting.rules import RON

MAX_TITLE = 200


class HustingsService:
    """Starting and ending the hustings of a channel (moderators)."""

    def __init__(self, ctx: ServiceContext, elections: ElectionService) -> None:
        self._ctx = ctx
        self._elections = elections

    async def start(
        self, actor: Actor, place: Place, title: str | None, ballot: str | None = None
    ) -> HustingsView:
        """Open a hustings here; ``Conflict`` if one already is. ``ballot`` names a draft."""
        require_moderator(self._ctx, actor, "start a hustings")
        name = _title(title)
        async with transaction(self._ctx.sessions) as session:
            await queries.lock_channel(session, place)  # numbered per channel (PostgreSQL)
            current = await open_in(session, place)
            if current is not None:
                raise Conflict(
                    f"{(await view_of(session, current)).name} is already open in this channel; "
                    "/hustings end ends it first."
                )
            election = None if ballot is None else await _draft(session, place, ballot)
            number = await session.scalar(
                select(func.coalesce(func.max(Hustings.number), 0)).where(here(place))
            )
            hustings = Hustings(
                platform=place.platform, workspace=place.workspace, channel=place.channel,
                number=int(number or 0) + 1, title=name,
                ballot_election_id=None if election is None else election.id,
                started_at=self._ctx.clock(),
            )  # fmt: skip
            session.add(hustings)
            try:
                await session.flush()
            except IntegrityError:
                raise Conflict("A hustings was started here at the same moment.") from None
            details = {"hustings": hustings.id, "number": hustings.number}
            audit.record(session, actor, place, "hustings.start", details)
            return await view_of(session, hustings)

    async def end(
        self, actor: Actor, place: Place, ballot: str | None = None, *, no_ballot: bool = False
    ) -> HustingsEnded:
        """End the open hustings; open its ballot first, if it names one (see the module).

        ``no_ballot`` (``--ballot none``) ends it without opening the election it named: the
        way out when that election can no longer be opened (cancelled, or opened by hand)."""
        require_moderator(self._ctx, actor, "end a hustings")
        async with transaction(self._ctx.sessions, write=False) as session:
            current = await open_in(session, place)
            if current is None:
                raise NotFound("No hustings is open in this channel; /hustings start begins one.")
            hustings_id = current.id
            election = None if no_ballot else await self._ballot_of(session, place, current, ballot)
            ref = None if election is None else election.ref
        opened = None if ref is None else await self._open(actor, place, ref)
        async with transaction(self._ctx.sessions) as session:
            current = await session.get(Hustings, hustings_id)
            if current is None or current.ended_at is not None:
                raise Conflict("This hustings was ended at the same moment by someone else.")
            current.ended_at = self._ctx.clock()
            if opened is not None:
                current.ballot_election_id = opened.id
            details = {"hustings": current.id, "election": None if opened is None else opened.id}
            audit.record(session, actor, place, "hustings.end", details)
            await session.flush()
            summary = None
            if opened is not None:
                standing = tuple(c for c in opened.candidates if c != RON)
                summary = await answers_summary(session, current.id, standing)
            return HustingsEnded(await view_of(session, current), opened, summary)

    async def _open(self, actor: Actor, place: Place, ref: str) -> ElectionView:
        """``ElectionService.open``; a refusal says how to end the hustings without it."""
        try:
            return await self._elections.open(actor, place, ref)
        except UserError as exc:
            raise Conflict(
                f"{exc.message} The hustings is still open; /hustings end --ballot none ends "
                "it without opening a ballot."
            ) from None

    async def _ballot_of(
        self, session: AsyncSession, place: Place, hustings: Hustings, ballot: str | None
    ) -> Election | None:
        """The election to open: named at the start, or now; never two different ones."""
        named_then = None
        if hustings.ballot_election_id is not None:
            named_then = await session.get(Election, hustings.ballot_election_id)
        if ballot is None:
            return named_then
        named_now = await find_election(session, place, ballot, include_drafts=True)
        if named_then is not None and named_then.id != named_now.id:
            raise InvalidInput(
                f"This hustings was started with --ballot {named_then.ref} ({named_then.title}); "
                f"it cannot also open {named_now.ref} ({named_now.title}). Leave --ballot out "
                "to open the first, or open the other with /election open."
            )
        return named_now


async def _draft(session: AsyncSession, place: Place, ref: str) -> Election:
    election = await find_election(session, place, ref, include_drafts=True)
    if election.status != "draft":
        raise Conflict(
            f"{election.title} is {election.status}; --ballot names a draft election, whose "
            "voting opens when the hustings ends."
        )
    return election


def _title(title: str | None) -> str | None:
    if title is None or not title.strip():
        return None
    name = " ".join(title.split())
    if len(name) > MAX_TITLE:
        raise InvalidInput(f"A hustings title can be at most {MAX_TITLE} characters.")
    return name
