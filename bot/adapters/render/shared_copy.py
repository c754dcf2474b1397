"""A shared election's announcement as posted in the channel it is shared with.

The scheduler hands an adapter's announcer a ``SharedCopy`` (``bot.services.share_delivery``);
each announcer turns it into a ``Reply`` here first, then posts it as any other (charts of a
count included). The text is the home channel's announcement plus where the election is run
from; a paced round says the next comes when declared there (its moderators declare it, so
the copy has no Next round button).
"""

from __future__ import annotations

from dataclasses import replace

from bot.adapters.render import views
from bot.adapters.render.count import announce_count, declare_step
from bot.adapters.render.message import Reply, Section
from bot.services.common import place_platform
from bot.services.paced import steps
from bot.services.share_values import SharedCopy


def unwrap(message: object) -> object:
    """``message`` as an announcer posts it: a ``SharedCopy`` becomes its ``Reply``."""
    return copy_reply(message) if isinstance(message, SharedCopy) else message


def copy_reply(copy: SharedCopy) -> Reply:
    home = place_platform(copy.home)
    where = Section(
        (
            f"Shared with this channel from its channel on {home}: one ballot per member on "
            "the roll, one count, declared in both.",
        )
    )
    if copy.kind == "count" and copy.outcome is not None:
        reply = announce_count(copy.outcome)
    elif copy.kind == "round" and copy.step is not None:
        reply = declare_step(copy.step)
        if copy.step.shown < steps(copy.step.outcome.result):  # its last section: what follows
            following = Section(
                (f"Round {copy.step.shown + 1} follows when it is declared on {home}.",)
            )
            reply = replace(reply, sections=(*reply.sections[:-1], following))
    else:
        reply = views.election_announcement(copy.election)
    return replace(reply, sections=(*reply.sections, where))
