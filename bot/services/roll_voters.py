"""The voter key of a roll election: one per roll member, whichever account they use.

Under ``electorate == "roll"`` the caller's account must be linked (``roll_links``) to a
member the election's rules admit (``roll_rules.refusal``); the key is then
``Secrecy.member_key(member_id, election)``, so a ballot cast from Slack replaces the one cast
from Discord by the same member. Under ``roles`` it is the account's own key, as before.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain import Actor
from bot.errors import NotAllowed
from bot.services.roll_links import linked_member
from bot.services.roll_rules import NOT_ON_ROLL, RollRules, refusal
from bot.services.secrecy import Secrecy
from bot.storage.tables import RollMember


class RollElection(Protocol):
    """What ``voter_key`` reads of an election (an ORM row or a ``BallotBox``)."""

    @property
    def id(self) -> int: ...
    @property
    def electorate(self) -> str: ...
    @property
    def roll_rules(self) -> dict[str, Any] | None: ...


def require_eligible(member: RollMember | None, rules: RollRules) -> RollMember:
    """``member``, or ``NotAllowed`` with the reason (see ``refusal``)."""
    why = refusal(member, rules)
    if why is not None or member is None:
        raise NotAllowed(why or NOT_ON_ROLL)
    return member


async def voter_key(
    session: AsyncSession, secrecy: Secrecy, actor: Actor, election: RollElection
) -> bytes:
    """The voter key for ``actor`` in ``election``: per account under ``roles``; per roll
    member under ``roll`` (after checking they are eligible: ``NotAllowed`` says why not)."""
    return (await voter(session, secrecy, actor, election))[0]


async def voter(
    session: AsyncSession, secrecy: Secrecy, actor: Actor, election: RollElection
) -> tuple[bytes, RollMember | None]:
    """``voter_key`` and, in a roll election, the member (their branch counts turnout,
    their section places them in a college: ``college_section``)."""
    if election.electorate != "roll":
        key = secrecy.voter_key(actor.platform, actor.workspace, actor.user_id, election.id)
        return key, None
    member = await linked_member(session, secrecy, actor)
    eligible = require_eligible(member, RollRules.from_json(election.roll_rules))
    return secrecy.member_key(eligible.member_id, election.id), eligible


def college_section(sections: Mapping[str, Any], member: RollMember) -> str:
    """A roll college's section for ``member``: ``sections`` maps roll sections (casefolded,
    as ``--sections members=Members`` gives them) to the college's sections."""
    found = sections.get(member.section.casefold())
    if found is None:
        listed = ", ".join(sections)
        raise NotAllowed(
            f"Your roll section, {member.section}, is in no section of this college "
            f"(roll sections: {listed}). Nothing was recorded."
        )
    return str(found)
