"""``/election remind``: a private reminder to each linked, eligible member who has not voted.

Moderators only, in an open election whose electorate is the roll, at most once in any
``EVERY`` (24 hours) per election and platform: the time it was sent is claimed in
``reminders_sent`` under the election's row lock, before anyone is told, so two moderators at
once send one round of reminders and the second is refused with the time the next becomes
possible. Per platform, because an adapter reaches only its own platform's accounts: an
election shared with a channel on the other platform (``/election share``) is reminded from
each channel, by that channel's moderators (the one action a shared channel's moderators may
take, since it changes nothing in the election).

Who is reminded: every member on the roll whom the election's rules admit (``roll_rules``),
with a linked account the calling adapter can reach (``reachable``: its own platform and
workspace; the console reaches every account), whose ballot is not in the election. Whether
a member has voted is found as voting finds it: their voter key is
``Secrecy.member_key(member_id, election)``, computed per member and looked up among the
election's ballots; nothing is stored or logged about who was reminded. A member linked on
several reachable platforms gets one reminder, on the first of them in name order; one
linked on a platform whose reminders went out in the last ``EVERY`` gets none (they were
reminded there, or had voted).

What the moderator is told (``shown``) is the number of reminders only when it cannot point
at anyone: with R reminded, V linked here who had already voted (the other linked members
reached), and O = turnout - V voters who are not linked here, R is shown only when R >= 10,
V >= 10, and O is 0 or >= 10. Otherwise a small R (or V) would tell a moderator who knows who
linked that those few have not (or have) voted, and a small O would single out the few
members who vote from elsewhere. The day's reminder is used up whether or not the number is
shown, and also when nobody needed one, so a refusal or a zero says nothing either.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain import Actor, ElectionView, Place
from bot.errors import Conflict, ElectionClosed, InvalidInput
from bot.services import audit
from bot.services.common import Action, ServiceContext, pick_for, require_moderator, view
from bot.services.roll_addresses import Address, unseal
from bot.services.roll_rules import RollRules, refusal
from bot.services.roll_turnout import MIN_SHOWN
from bot.services.secrecy import Secrecy, VotingSuspended
from bot.storage import queries
from bot.storage.database import transaction
from bot.storage.tables import Ballot, Election, ReminderSent, RollLink, RollMember

log = logging.getLogger(__name__)

EVERY = timedelta(hours=24)
REMIND = Action("remind", ("open",), "an open election", "reminded about")
_CHUNK = 500  # voter keys per IN (...) query

Reachable = Callable[[Address], bool]


@dataclass(frozen=True)
class Reminders:
    """What ``remind`` did: whom the adapter must message, and what the moderator may see."""

    election: ElectionView
    recipients: tuple[Address, ...]
    """One address per member to remind (never shown to anyone: only messaged)."""
    shown: int | None
    """``len(recipients)`` when the module's rule allows showing it; else ``None``."""
    next_at: datetime
    """When the next reminder for this election may be sent."""


def shown_count(reminded: int, voted_here: int, turnout: int) -> int | None:
    """The number of reminders a moderator may see, or ``None`` (the module docstring's rule)."""
    elsewhere = turnout - voted_here
    if reminded < MIN_SHOWN or voted_here < MIN_SHOWN or 0 < elsewhere < MIN_SHOWN:
        return None
    return reminded


class ReminderService:
    """Reminding the roll's linked members who have not voted (see the module docstring)."""

    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    async def remind(
        self, actor: Actor, place: Place, ref: str | None, reachable: Reachable
    ) -> Reminders:
        """Claim today's reminder for the election and return whom to remind."""
        require_moderator(self._ctx, actor, "send reminders")
        secrecy = self._ctx.secrecy
        if not secrecy.usable:
            raise VotingSuspended()
        now = self._ctx.clock()
        async with transaction(self._ctx.sessions) as session:
            found = await queries.elections_in(session, place, lock=True)
            election = pick_for(found, ref, REMIND, include_drafts=True)
            _check(election)
            done = await _claim(session, election, place.platform, now)
            members = await _to_remind(session, secrecy, election, reachable, done)
            voted = await _voted(session, secrecy, election.id, list(members))
            recipients = tuple(a for m, a in sorted(members.items()) if m not in voted)
            audit.record(session, actor, place, "election.remind", {"id": election.id})
            shown = await view(session, election)
            turnout = election.turnout
        log.info("reminders claimed for election %s", shown.id)
        count = shown_count(len(recipients), len(voted), turnout)
        return Reminders(shown, recipients, count, now + EVERY)


def _check(election: Election) -> None:
    if election.status != "open":
        raise ElectionClosed(
            f"{election.title} is {election.status}; reminders are for an election whose "
            "voting is open. Nothing was sent."
        )
    if election.electorate != "roll":
        raise InvalidInput(
            f"{election.title}'s electorate is not the roll, so the bot cannot tell who may "
            "vote and has not (reminders go to members who linked their account with /link). "
            "Nothing was sent."
        )


async def _claim(
    session: AsyncSession, election: Election, platform: str, now: datetime
) -> frozenset[str]:
    """Record this platform's reminder, or ``Conflict`` with when the next is possible.
    Returns the other platforms whose reminders went out within ``EVERY``."""
    rows = await session.scalars(
        select(ReminderSent).where(ReminderSent.election_id == election.id)
    )
    claims = {row.platform: row for row in rows}
    sent = claims.get(platform)
    if sent is not None and now < sent.sent_at + EVERY:
        then, after = sent.sent_at, sent.sent_at + EVERY
        raise Conflict(
            f"Reminders for {election.title} were sent at {_when(then, now)}; at most one a day, "
            f"so the next can be sent from {_when(after, now)}. Nothing was sent."
        )
    if sent is None:
        session.add(ReminderSent(election_id=election.id, platform=platform, sent_at=now))
    else:
        sent.sent_at = now
    await session.flush()
    return frozenset(
        other for other, row in claims.items() if other != platform and now < row.sent_at + EVERY
    )


def _when(at: datetime, now: datetime) -> str:
    """``14:05 UTC today`` / ``… tomorrow (2 December)`` / ``… yesterday`` / the full date."""
    clock = at.strftime("%H:%M UTC")
    if at.date() == now.date():
        return f"{clock} today"
    if at.date() == (now + timedelta(days=1)).date():
        return f"{clock} tomorrow ({at.day} {at.strftime('%B')})"
    if at.date() == (now - timedelta(days=1)).date():
        return f"{clock} yesterday"
    return f"{clock} on {at.day} {at.strftime('%B %Y')}"


async def _to_remind(
    session: AsyncSession,
    secrecy: Secrecy,
    election: Election,
    reachable: Reachable,
    done: frozenset[str],
) -> dict[str, Address]:
    """Eligible members with a reachable linked account: member id → the address to use.
    Members linked on a platform in ``done`` (reminded there today) are left out."""
    rules = RollRules.from_json(election.roll_rules)
    rows = (
        await session.execute(
            select(RollMember, RollLink.address, RollLink.platform)
            .join(RollLink, RollLink.member_id == RollMember.member_id)
            .where(RollMember.departed_at.is_(None), RollLink.address.is_not(None))
            .order_by(RollMember.member_id, RollLink.platform)
        )
    ).all()
    reminded = {member.member_id for member, _, platform in rows if platform in done}
    found: dict[str, Address] = {}
    for member, sealed, _ in rows:
        if member.member_id in found or member.member_id in reminded:
            continue
        if refusal(member, rules) is not None:
            continue
        address = unseal(secrecy, sealed)
        if address is not None and reachable(address):
            found[member.member_id] = address
    return found


async def _voted(
    session: AsyncSession, secrecy: Secrecy, election_id: int, member_ids: Sequence[str]
) -> set[str]:
    """Which of ``member_ids`` hold a ballot in the election (by their voter keys)."""
    keys = {secrecy.member_key(m, election_id): m for m in member_ids}
    voted: set[str] = set()
    wanted = list(keys)
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start : start + _CHUNK]
        found = await session.scalars(
            select(Ballot.voter_key).where(
                Ballot.election_id == election_id, Ballot.voter_key.in_(chunk)
            )
        )
        voted.update(keys[bytes(k)] for k in found)
    return voted
