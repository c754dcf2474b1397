"""What ``/election remind`` says: the moderator's private confirmation, and each member's
direct message (``bot.services.reminders`` decides who gets one and which count is shown).

The member's message says only that voting is open, when it closes and how to vote: not
that they have not voted (they know), nor anything about anyone else. The moderator's reply
gives the number of reminders only when the service allows it (``Reminders.shown``).
"""

from __future__ import annotations

from datetime import datetime

from bot.adapters.render.message import Reply, Section, direct_to
from bot.domain import ElectionView
from bot.services.reminders import Reminders
from bot.services.roll_turnout import MIN_SHOWN


def _at(when: datetime) -> str:
    """``18:00 UTC on 1 December 2026``."""
    return f"{when.strftime('%H:%M UTC')} on {when.day} {when.strftime('%B %Y')}"


def reminder(recipient: str, e: ElectionView) -> Reply:
    """The direct message one member gets."""
    closes = (
        f"It closes at {_at(e.closes_at)}."
        if e.closes_at is not None
        else "It has no set closing time: it closes when a moderator closes it."
    )
    example = ", ".join(e.candidates[:2])
    return direct_to(
        recipient,
        f"Reminder: voting is open in {e.title} (election {e.ref})",
        closes,
        "To vote, type /rank in the channel where the election was announced, with the "
        f"candidates in your order of preference (e.g. /rank {example}); /ballot there shows "
        "your ballot.",
        "You get this because this account is linked to your membership (/link).",
    )


def reminders_sent(done: Reminders, recipients: tuple[str, ...]) -> Reply:
    """The moderator's confirmation, with each member's reminder as a followup."""
    e = done.election
    if done.shown is not None:
        how_many = f"{done.shown} members were reminded privately."
    else:
        how_many = (
            f"How many is not shown: it is given only when at least {MIN_SHOWN} were "
            f"reminded, at least {MIN_SHOWN} of the members reached had voted, and the other "
            f"voters are none or at least {MIN_SHOWN}, so that it cannot tell who has voted."
        )
    lines = (
        "Each linked member of its electorate who has not voted was sent a private reminder "
        "(when their account can be reached from here); nobody is told anything about anyone "
        "else.",
        how_many,
        f"The next reminder for this election can be sent from {_at(done.next_at)}.",
    )
    return Reply(
        f"Reminders sent for {e.title} (election {e.ref})",
        (Section(lines),),
        True,
        followups=tuple(reminder(r, e) for r in recipients),
    )
