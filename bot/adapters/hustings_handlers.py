"""Handlers of the hustings commands (``/hustings start|end``, ``/questions export``).

Kept out of ``dispatch`` (which merges ``HANDLERS`` into its own table and sends
``/questions export`` here), each calling exactly one service method like the rest.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from bot.adapters.commands import CLEAR
from bot.adapters.outcome import Options, Outcome
from bot.adapters.render import hustings_views
from bot.domain import Actor, Place
from bot.errors import InvalidInput

if TYPE_CHECKING:
    from bot.app import App

Handler = Callable[["App", Actor, Place, Options], Awaitable[Outcome]]
_LIST_ONLY = ("order", "status", "page")


def _text(o: Options, name: str) -> str | None:
    value = o.get(name)
    return value if isinstance(value, str) else None


async def start(app: App, actor: Actor, place: Place, o: Options) -> Outcome:
    ballot = None if o.get("ballot") == CLEAR else _text(o, "ballot")
    started = await app.hustings.start(actor, place, _text(o, "title"), ballot)
    return Outcome(hustings_views.started(started), started)


async def end(app: App, actor: Actor, place: Place, o: Options) -> Outcome:
    """``--ballot none`` ends the hustings without opening the ballot it named."""
    if o.get("ballot") == CLEAR:
        ended = await app.hustings.end(actor, place, no_ballot=True)
    else:
        ended = await app.hustings.end(actor, place, _text(o, "ballot"))
    return Outcome(hustings_views.ended(ended), ended)


async def export(app: App, actor: Actor, place: Place, o: Options) -> Outcome:
    """``/questions export [--hustings N]``; the list's options do not go with it."""
    if o.get("action") != "export":
        raise InvalidInput("--hustings goes with /questions export (the minutes), not the list.")
    extra = [f"--{name}" for name in _LIST_ONLY if name in o]
    if extra:
        raise InvalidInput(
            f"/questions export takes only --hustings; {', '.join(extra)} "
            "belongs to the list (/questions)."
        )
    number = o.get("hustings")
    chosen = number if isinstance(number, int) and not isinstance(number, bool) else None
    found = await app.minutes.export(actor, place, chosen)
    return Outcome(hustings_views.minutes(found), found)


HANDLERS: dict[str, Handler] = {"hustings start": start, "hustings end": end}
