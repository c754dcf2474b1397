"""The handlers of issue 13's moderation commands (``question_commands``), for ``dispatch``.

Like every handler in ``dispatch``: one service call, its value shown through one view, the
value kept beside the reply for adapters that show it in their own shape (Slack refreshes a
merged-into or reworded question's card). ``dispatch.HANDLERS`` includes these.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from bot.adapters.outcome import Options, Outcome, shown, text
from bot.adapters.render import question_views
from bot.domain import Actor, Place

if TYPE_CHECKING:
    from bot.app import App

Handler = Callable[["App", Actor, Place, Options], Awaitable[Outcome]]


async def stats(app: App, actor: Actor, place: Place, o: Options) -> Outcome:
    """``/questions stats`` (an action of ``/questions``: ``dispatch._questions`` calls it)."""
    return shown(question_views.stats, await app.question_stats.stats(actor, place))


async def _merge(app: App, actor: Actor, place: Place, o: Options) -> Outcome:
    merge = await app.moderation.merge(actor, place, text(o, "id"), text(o, "into"))
    return shown(question_views.merged, merge)


async def _edit(app: App, actor: Actor, place: Place, o: Options) -> Outcome:
    proposal = await app.moderation.propose(actor, place, text(o, "id"), text(o, "text"))
    return shown(question_views.reworded, proposal)


async def _accept(app: App, actor: Actor, place: Place, o: Options) -> Outcome:
    return shown(question_views.reworded, await app.moderation.accept(actor, place, text(o, "id")))


async def _decline(app: App, actor: Actor, place: Place, o: Options) -> Outcome:
    return shown(question_views.reworded, await app.moderation.decline(actor, place, text(o, "id")))


MODERATION_HANDLERS: dict[str, Handler] = {
    "question merge": _merge,
    "question edit": _edit,
    "question accept": _accept,
    "question decline": _decline,
}
