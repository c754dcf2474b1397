"""Sharing an election with a channel on the other platform: ``/election share`` and
``/election unshare``.

A moderator in the election's own channel asks for a share code (``issue``): one-time, 24
hours, shown only to them, stored as a keyed hash (``Secrecy.labelled("share-code", …)``, the
link codes' form and reading: ``bot.services.roll_codes``). A moderator of a channel on the
other platform types it there (``accept``): the election is then listed, shown and votable in
both channels under the same number (``queries.elections_in`` includes shared elections), with
one ballot per roll member and one count; its own channel's moderators run it
(``common.require_home``), and the other channel gets a copy of every announcement
(``bot.services.share_delivery``).

Rules, each refused with its reason and nothing changed:
- moderators only, on both sides; the code is typed on the *other* platform (Discord ↔
  Slack; on the console ``@mod/discord`` ↔ ``@mod/slack``), in another channel;
- only an election whose electorate is the roll: its voter key is the roll member, so a member
  with accounts on both platforms has one ballot. Under roles a Discord account and a Slack
  account cannot be proven to be one person, and each would get a ballot;
- only a draft or open election (a closed one's result would be declared in one channel);
- one other channel per election, and only where its number is free (members type it);
- ``unshare`` only while it is a draft: once voting opens, ballots may come from both sides.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain import Actor, Place
from bot.errors import Conflict, InvalidInput, NotAllowed, NotFound
from bot.services import audit
from bot.services.common import (
    Action,
    ServiceContext,
    account_name,
    pick_for,
    place_of,
    place_platform,
    platform_name,
    require_moderator,
    view,
)
from bot.services.roll_codes import new_code, normalise
from bot.services.secrecy import VotingSuspended
from bot.services.share_values import ShareCodeIssued, ShareLink, Unshared
from bot.storage import queries
from bot.storage.database import transaction
from bot.storage.tables import Election, ElectionShare, ShareCode

CODE_LIFETIME = timedelta(hours=24)
SHARE = Action("share", ("draft", "open"), "a draft or open election", "shared")
UNSHARE = Action("unshare", ("draft",), "a draft", "unshared")
SHAREABLE = ("draft", "open")
WHAT = "A share code"


class ShareService:
    """Issue and accept share codes; undo a share before voting opens."""

    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    def _hash(self, typed: str) -> str:
        if not self._ctx.secrecy.usable:  # no stored hash could match under another secret
            raise VotingSuspended()
        return self._ctx.secrecy.labelled("share-code", normalise(typed, WHAT))

    async def issue(self, actor: Actor, place: Place, ref: str | None) -> ShareCodeIssued:
        """A one-time code sharing this channel's election ``ref`` (without: the one draft or
        open election here); an earlier code for it stops working."""
        require_moderator(self._ctx, actor, "share elections")
        code = new_code()
        wanted = self._hash(code)
        now = self._ctx.clock()
        async with transaction(self._ctx.sessions) as session:
            found = await queries.elections_in(session, place, lock=True)
            election = pick_for(found, ref, SHARE, include_drafts=True)
            if place_of(election) != place:
                raise NotAllowed(
                    f"{election.title} (election {election.ref}) is already shared here from its "
                    f"own channel on {place_platform(place_of(election))}. Nothing was changed."
                )
            _require_shareable(election)
            shared = await _share_of(session, election.id)
            if shared is not None:
                raise Conflict(_already(election, shared))
            gone = await session.execute(
                delete(ShareCode).where(ShareCode.election_id == election.id)
            )
            session.add(
                ShareCode(
                    code_hash=wanted, election_id=election.id, platform=actor.platform,
                    issued_at=now, expires_at=now + CODE_LIFETIME,
                )
            )  # fmt: skip
            details = {"id": election.id, "expires_at": now + CODE_LIFETIME}
            audit.record(session, actor, place, "election.share", details)
            shown = await view(session, election)
        replaced = bool(getattr(gone, "rowcount", 0))
        return ShareCodeIssued(shown, code, now + CODE_LIFETIME, replaced, actor.platform)

    async def accept(self, actor: Actor, place: Place, typed: str) -> ShareLink:
        """Share the election whose code ``typed`` is with this channel."""
        require_moderator(self._ctx, actor, "share elections")
        wanted = self._hash(typed)  # a mistyped code is refused here, before any look-up
        now = self._ctx.clock()
        async with transaction(self._ctx.sessions) as session:
            await queries.lock_channel(session, place)  # numbers here: see _require_free_ref
            row = await session.get(ShareCode, wanted)
            if row is None:
                raise NotFound(
                    "That share code is not one we issued, or it was used or replaced by a newer "
                    "one. Ask a moderator of the election's channel for a new one "
                    "(/election share ELECTION there). Nothing was changed."
                )
            if row.expires_at <= now:
                raise Conflict(
                    f"That share code expired at {row.expires_at:%H:%M} UTC on "
                    f"{row.expires_at.day} {row.expires_at:%B %Y}. Ask a moderator of the "
                    "election's channel for a new one. Nothing was changed."
                )
            election = await session.get(Election, row.election_id, with_for_update=True)
            assert election is not None  # the code row goes with its election (CASCADE)
            home = place_of(election)
            _require_other_side(home, place, row.platform, actor.platform)
            _require_shareable(election)
            shared = await _share_of(session, election.id)
            if shared is not None:
                raise Conflict(_already(election, shared))
            await _require_free_ref(session, place, election)
            session.add(
                ElectionShare(
                    election_id=election.id, platform=place.platform, workspace=place.workspace,
                    channel=place.channel, shared_at=now, shown_status="draft", shown_rounds=0,
                )
            )  # fmt: skip
            await session.delete(row)
            details = {"id": election.id, "from": home.platform}
            audit.record(session, actor, place, "election.share.accept", details)
            shown = await view(session, election)
        self._ctx.deadlines.changed()  # an open election's announcement is posted here now
        return ShareLink(shown, home, place)

    async def unshare(self, actor: Actor, place: Place, ref: str | None) -> Unshared:
        """Undo a share (from either channel) and withdraw a pending code, while a draft."""
        require_moderator(self._ctx, actor, "unshare elections")
        async with transaction(self._ctx.sessions) as session:
            found = await queries.elections_in(session, place, lock=True)
            election = pick_for(found, ref, UNSHARE, include_drafts=True)
            shared = await _share_of(session, election.id)
            code = await session.scalar(
                select(ShareCode).where(ShareCode.election_id == election.id)
            )
            if shared is None and code is None:
                raise NotFound(f"{election.title} is not shared; nothing to undo.")
            if shared is not None and election.status != "draft":
                raise Conflict(
                    f"{election.title} is {election.status}: members in both channels may have "
                    "voted, so it stays shared, and its result is declared in both. Nothing was "
                    "changed."
                )
            guest = (
                None if shared is None else Place(shared.platform, shared.workspace, shared.channel)
            )
            for row in (shared, code):
                if row is not None:
                    await session.delete(row)
            audit.record(session, actor, place, "election.unshare", {"id": election.id})
            shown = await view(session, election)
        return Unshared(shown, guest, code is not None)


async def refuse_if_shared(session: AsyncSession, election: Election) -> None:
    """Refuse to take ``election``'s electorate off the roll while it is shared: a role
    electorate would give a member one ballot per platform (see ``_require_shareable``)."""
    if await _share_of(session, election.id) is not None:
        raise Conflict(
            f"{election.title} is shared with a channel on the other platform, so its "
            "electorate must stay the roll (one ballot per member, whichever account they "
            f"use). To use roles, /election unshare {election.ref} first. Nothing was changed."
        )


async def cancel_draft_quietly(session: AsyncSession, election: Election, now: datetime) -> None:
    """A draft cancelled before voting opened stays a draft to the channel it is shared
    with too: its share row is marked shown and finished, so no copy of the cancellation is
    ever posted there (``share_delivery`` would otherwise announce it)."""
    shared = await _share_of(session, election.id)
    if shared is not None and shared.finished_at is None:
        shared.shown_status, shared.finished_at = "cancelled", now


def _guest(shared: ElectionShare) -> Place:
    return Place(shared.platform, shared.workspace, shared.channel)


async def _share_of(session: AsyncSession, election_id: int) -> ElectionShare | None:
    return await session.scalar(
        select(ElectionShare).where(ElectionShare.election_id == election_id)
    )


def _already(election: Election, shared: ElectionShare) -> str:
    return (
        f"{election.title} is already shared with a channel on {place_platform(_guest(shared))}; "
        f"one other channel per election. To change it, /election unshare {election.ref} first "
        "(only while it is a draft). Nothing was changed."
    )


def _require_shareable(election: Election) -> None:
    if election.status not in SHAREABLE:
        raise Conflict(
            f"{election.title} is {election.status}: only a draft or open election can be "
            "shared, so that members in both channels vote and both see its count. Nothing was "
            "changed."
        )
    if election.electorate != "roll":
        raise InvalidInput(
            f"{election.title}'s electorate is roles, so it cannot be shared: a Discord account "
            "and a Slack account cannot be proven to be the same person, and each would get a "
            "ballot. Only an election whose electorate is the roll (--electorate roll) can be "
            "shared: each member on the roll has one ballot, whichever linked account they use."
        )


def _require_other_side(home: Place, here: Place, issued_on: str, typed_on: str) -> None:
    if home == here:
        raise InvalidInput(
            "This is the election's own channel. Give the code to a moderator of the channel on "
            "the other platform; they type it there. Nothing was changed."
        )
    if issued_on == typed_on:
        raise InvalidInput(
            f"That code was made from a {account_name(issued_on)} account, and shares an "
            "election with a channel on the other platform; a moderator's account there types "
            f"it. (On {platform_name(issued_on)} itself members can join the election's own "
            "channel.) Nothing was changed."
        )


async def _require_free_ref(session: AsyncSession, place: Place, election: Election) -> None:
    """The shared election keeps its number here (members type it): refuse when this channel
    already has an election with that number (its own, or shared with it)."""
    for other in await queries.elections_in(session, place):
        if other.ref == election.ref:
            raise Conflict(
                f"This channel already has an election {other.ref} ({other.title}). A shared "
                f"election keeps its number in both channels, so {election.title} (election "
                f"{election.ref}) cannot be shared here. Share it with another channel. Nothing "
                "was changed."
            )


def expires_text(when: datetime) -> str:
    """``18:00 UTC on 1 December 2026``: a code's expiry as replies say it."""
    return f"{when:%H:%M} UTC on {when.day} {when:%B %Y}"
