"""What a command handler returns (``Outcome``) and what it is given (``Options``), and the
readers of parsed option values that handler modules share.

Its own module so that handler modules beside ``dispatch`` (``hustings_handlers``,
``question_handlers``) can return it without importing ``dispatch``, which imports them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TypeVar

from bot.adapters.command_types import Value
from bot.adapters.render.message import Reply

Options = Mapping[str, Value]
T = TypeVar("T")


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


def shown(view: Callable[[T], Reply], value: T) -> Outcome:
    """``value`` with the reply ``view`` makes of it."""
    return Outcome(view(value), value)


def text(options: Options, name: str) -> str:
    """A required text option (the parser has checked it is there)."""
    value = options[name]
    assert isinstance(value, str), name
    return value


def maybe_text(options: Options, name: str) -> str | None:
    value = options.get(name)
    return value if isinstance(value, str) else None


def integer(options: Options, name: str) -> int | None:
    value = options.get(name)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def flag(options: Options, name: str) -> bool | None:
    value = options.get(name)
    return value if isinstance(value, bool) else None
