"""Linking chat accounts to roll members: ``/link CODE``, ``/link``, ``/unlink``, counts.

A member types the code the organisation mailed them (``hustings roll codes``), privately, on
each platform they use. A code links at most one account per platform (``uq_roll_link_platform``)
and stays usable on the member's other platforms until it expires. On PostgreSQL, where
writers run side by side, ``/link`` locks the account (an advisory lock) and the member's row,
so two links racing for one code, or one account racing two codes, end as if typed in turn.
An account is stored as ``HMAC(secret, "account" | platform | workspace | user)``, never its
user id in the clear; beside it, encrypted, the account's address, read only to send it
``/election remind``'s private reminder (``roll_addresses``); ``/unlink`` deletes both.

Guessing is rate-limited per account: after ``MAX_WRONG`` wrong (well-formed) codes within
``WINDOW``, ``/link CODE`` is refused until the oldest of them is an hour old. A mistyped code
(wrong length, a letter that is in no code) is refused without counting. Moderators see how
many members are linked on each platform, never a code or who linked.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain import Actor
from bot.errors import Conflict, NotAllowed, NotFound
from bot.services.common import (
    ServiceContext,
    account_name,
    platform_name,
    require_moderator,
)
from bot.services.roll_addresses import seal
from bot.services.roll_codes import code_hash
from bot.services.secrecy import Secrecy, VotingSuspended
from bot.storage import queries
from bot.storage.database import transaction
from bot.storage.tables import LinkAttempt, RollLink, RollMember

MAX_WRONG = 5
WINDOW = timedelta(hours=1)
__all__ = ["LinkService", "LinkStatus", "RollCounts", "account_key", "platform_name"]


def account_key(secrecy: Secrecy, actor: Actor) -> str:
    """The stored stand-in for ``actor``'s account (see the module docstring).

    Under a secret that is not the database's (``keycheck``) no stored key or code could
    match: refused like voting (``VotingSuspended``), rather than counted as a wrong guess.
    """
    if not secrecy.usable:
        raise VotingSuspended()
    return secrecy.labelled("account", actor.platform, actor.workspace, actor.user_id)


@dataclass(frozen=True)
class LinkStatus:
    """The caller's own link: their roll entry and the platforms their member has linked."""

    member_id: str | None
    branch: str | None = None
    section: str | None = None
    joined: str | None = None
    status: str | None = None
    departed: bool = False
    platforms: tuple[str, ...] = ()
    just_linked: bool = False


@dataclass(frozen=True)
class RollCounts:
    """For moderators: how many members are on the roll and linked, by platform."""

    members: int
    departed: int
    linked: dict[str, int]


class LinkService:
    """What a member does with their link, and the counts moderators may see."""

    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    async def link(self, actor: Actor, typed: str) -> LinkStatus:
        """Link the caller's account to the member whose code ``typed`` is."""
        key = account_key(self._ctx.secrecy, actor)
        wanted = code_hash(self._ctx.secrecy, typed)  # a mistyped code is refused here
        now = self._ctx.clock()
        left: int | None = None
        async with transaction(self._ctx.sessions) as session:
            # PostgreSQL: this account's guesses and links one at a time (the guess limit and
            # "one membership per account" are read-then-write), and the member's row locked,
            # so a second account typing the same code waits and then finds it taken.
            await queries.lock_name(session, "account", key)
            await self._check_guesses(session, key, now)
            member = await session.scalar(
                select(RollMember).where(RollMember.code_hash == wanted).with_for_update()
            )
            if member is None:  # the wrong guess is committed, then refused
                session.add(LinkAttempt(account_key=key, at=now))
                await session.flush()
                left = MAX_WRONG - await _wrong_since(session, key, now - WINDOW)
            else:
                linked = await self._linked(session, actor, key, member, now)
        if left is not None:
            raise _WrongCode(left)
        return linked

    async def _linked(
        self, session: AsyncSession, actor: Actor, key: str, member: RollMember, now: datetime
    ) -> LinkStatus:
        if member.code_expires_at is not None and member.code_expires_at <= now:
            expired = member.code_expires_at.strftime("%d %B %Y")
            raise Conflict(
                f"That code expired on {expired}. Ask the organisers for a new one. "
                "Nothing was changed."
            )
        await self._attach(session, actor, key, member)
        return await _status(session, member, just_linked=True)

    async def _check_guesses(self, session: AsyncSession, key: str, now: datetime) -> None:
        await session.execute(delete(LinkAttempt).where(LinkAttempt.at <= now - WINDOW))
        if await _wrong_since(session, key, now - WINDOW) < MAX_WRONG:
            return
        oldest = await session.scalar(
            select(func.min(LinkAttempt.at)).where(LinkAttempt.account_key == key)
        )
        again = (oldest or now) + WINDOW
        raise NotAllowed(
            f"Too many wrong codes: {MAX_WRONG} in the last hour. Try again after "
            f"{again.strftime('%H:%M')} UTC. Nothing was changed."
        )

    async def _attach(
        self, session: AsyncSession, actor: Actor, key: str, member: RollMember
    ) -> None:
        mine = await session.get(RollLink, key)
        where = account_name(actor.platform)
        if mine is not None and mine.member_id == member.member_id:
            raise Conflict(f"This {where} account is already linked to your membership.")
        if mine is not None:
            raise Conflict(
                f"This {where} account is linked to another membership. Type /unlink first, "
                "then /link with your code. Nothing was changed."
            )
        taken = await session.scalar(
            select(RollLink).where(
                RollLink.member_id == member.member_id, RollLink.platform == actor.platform
            )
        )
        if taken is not None:
            raise Conflict(
                f"That code has already linked a {where} account: one account per platform. "
                f"To move it, type /unlink from that account first. Nothing was changed."
            )
        session.add(
            RollLink(
                account_key=key, platform=actor.platform, member_id=member.member_id,
                linked_at=self._ctx.clock(), address=seal(self._ctx.secrecy, actor),
            )
        )  # fmt: skip
        await session.flush()

    async def status(self, actor: Actor) -> LinkStatus:
        """The caller's link, or ``member_id=None`` when this account is not linked."""
        key = account_key(self._ctx.secrecy, actor)
        async with transaction(self._ctx.sessions, write=False) as session:
            member = await _linked_member(session, key)
            if member is None:
                return LinkStatus(None)
            return await _status(session, member)

    async def unlink(self, actor: Actor) -> str:
        """Remove the caller's link; the platform's name, for the reply."""
        key = account_key(self._ctx.secrecy, actor)
        async with transaction(self._ctx.sessions) as session:
            gone = await session.execute(delete(RollLink).where(RollLink.account_key == key))
            if not int(getattr(gone, "rowcount", 0) or 0):
                raise NotFound("This account is not linked to a membership; nothing to unlink.")
        return account_name(actor.platform)

    async def counts(self, actor: Actor) -> RollCounts:
        """Moderators only: members on the roll, departed, and linked per platform."""
        require_moderator(self._ctx, actor, "see the roll's link counts")
        async with transaction(self._ctx.sessions, write=False) as session:
            on_roll = RollMember.departed_at.is_(None)
            members = await session.scalar(select(func.count()).where(on_roll)) or 0
            departed = await session.scalar(select(func.count()).where(~on_roll)) or 0
            rows = await session.execute(
                select(RollLink.platform, func.count())
                .join(RollMember, RollMember.member_id == RollLink.member_id)
                .where(on_roll)
                .group_by(RollLink.platform)
            )
            linked = {platform: int(n) for platform, n in rows.all()}
        return RollCounts(int(members), int(departed), linked)


class _WrongCode(NotFound):
    def __init__(self, left: int) -> None:
        tries = (
            f"{left} more {'try' if left == 1 else 'tries'} this hour"
            if left > 0
            else ("no more tries this hour")
        )
        super().__init__(
            f"That code is not one we issued (or it was replaced by a newer one). Check it and "
            f"try again: {tries}. Nothing was changed."
        )


async def _wrong_since(session: AsyncSession, key: str, since: datetime) -> int:
    found = await session.scalar(
        select(func.count()).where(LinkAttempt.account_key == key, LinkAttempt.at > since)
    )
    return int(found or 0)


async def _linked_member(session: AsyncSession, key: str) -> RollMember | None:
    link = await session.get(RollLink, key)
    return None if link is None else await session.get(RollMember, link.member_id)


async def linked_member(session: AsyncSession, secrecy: Secrecy, actor: Actor) -> RollMember | None:
    """The roll member ``actor``'s account is linked to (departed ones included), or None."""
    return await _linked_member(session, account_key(secrecy, actor))


async def _status(
    session: AsyncSession, member: RollMember, *, just_linked: bool = False
) -> LinkStatus:
    platforms = await session.scalars(
        select(RollLink.platform).where(RollLink.member_id == member.member_id)
    )
    return LinkStatus(
        member.member_id, member.branch, member.section, member.joined.isoformat(),
        member.status, member.departed_at is not None,
        tuple(sorted(platform_name(p) for p in platforms)), just_linked,
    )  # fmt: skip
