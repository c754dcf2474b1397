"""The commands Discord answers in its own shape; everything else goes through ``dispatch``.

- ``/ballot`` opens the select-menu ballot form (``ballot_view``).
- ``/election count`` is rendered from the ``Result`` itself, one embed per round with tally
  bars (``render.count_messages``); ``dispatch`` returns only the neutral text.
- ``/ask`` and ``/question approve`` post the question with its upvote button, which needs
  the question's number (``dispatch``'s neutral reply carries none).

Each is one service call, like a ``dispatch`` handler, and shows exactly what the neutral
views show. A ``dispatch`` hook returning the service value beside the ``Reply`` would let
these three go (reported to the lead).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING

import discord

from bot.adapters.commands import Value
from bot.adapters.discord.ballot_view import open_form
from bot.adapters.discord.questions_view import number_of, upvote_view
from bot.adapters.discord.render import count_messages
from bot.adapters.discord.respond import send, send_reply
from bot.adapters.render import views
from bot.domain import Actor, Place, QuestionView

if TYPE_CHECKING:
    from bot.adapters.discord.client import HustingsClient

Options = Mapping[str, Value]
Special = Callable[["HustingsClient", discord.Interaction, Actor, Place, Options], Awaitable[None]]


def _text(options: Options, name: str) -> str | None:
    value = options.get(name)
    return value if isinstance(value, str) else None


async def _ballot(
    client: HustingsClient, interaction: discord.Interaction, actor: Actor, place: Place, o: Options
) -> None:
    await open_form(client, interaction, _text(o, "election"))


async def _count(
    client: HustingsClient, interaction: discord.Interaction, actor: Actor, place: Place, o: Options
) -> None:
    outcome = await client.app.elections.count(actor, place, _text(o, "election"))
    await send(interaction, count_messages(outcome), private=False)


async def _ask(
    client: HustingsClient, interaction: discord.Interaction, actor: Actor, place: Place, o: Options
) -> None:
    question = await client.app.questions.ask(
        actor,
        place,
        _text(o, "question") or "",
        to_candidate=_text(o, "to"),
        named=o.get("named") is True,
    )
    await _post_question(interaction, question, views.asked(question).private)


async def _approve(
    client: HustingsClient, interaction: discord.Interaction, actor: Actor, place: Place, o: Options
) -> None:
    question = await client.app.questions.approve(actor, place, _text(o, "id") or "")
    await _post_question(interaction, question, False)


async def _post_question(
    interaction: discord.Interaction, question: QuestionView, pending: bool
) -> None:
    if pending:
        await send_reply(interaction, views.asked(question))
        return
    view = upvote_view(number_of(question.short_id), question.upvotes)
    await send_reply(interaction, views.approved(question), view=view)


HANDLERS: dict[str, Special] = {
    "ballot": _ballot,
    "election count": _count,
    "ask": _ask,
    "question approve": _approve,
}
