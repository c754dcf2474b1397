"""What a command handler returns (``Outcome``) and what it is given (``Options``).

Its own module so that handler modules beside ``dispatch`` (``hustings_handlers``) can
return it without importing ``dispatch``, which imports them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bot.adapters.commands import Value
from bot.adapters.render.message import Reply

Options = Mapping[str, Value]


@dataclass(frozen=True)
class Outcome:
    """The neutral reply, and the value the service returned for it.

    Adapters that show a command in their own shape (Discord's count embeds and question
    cards, Slack's question cards) render from ``value`` while still going through this one
    permission check and error mapping. ``value`` is ``None`` when the command did not reach
    its service (refused, a user error, a bug: ``reply`` then says so) and for ``/help``.
    """

    reply: Reply
    value: object = None
