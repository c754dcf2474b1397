"""The commands Discord shows in its own shape, rendered from what ``dispatch`` returned.

Every command runs through ``bot.adapters.dispatch.run_outcome`` (its one permission check,
one service call, one error mapping); most are then shown from the neutral reply. These use
the service's value beside it:

- ``/election count`` is rendered from the ``Result`` itself, one embed per round with tally
  bars (``render.count_messages``); a paced count's steps (``--paced``, ``/election next``)
  carry their Next round button (``next_round``).
- ``/ask`` and ``/question approve`` post the question with its upvote button, which needs
  the question's number.

``/ballot`` only opens the select-menu form (``ballot_view``), so it stays here; the form's
Confirm casts through ``dispatch`` like ``/rank``. When a command fails, its reply (the user
error's message, or the apology) is told exactly as the tree's error handler tells it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING

import discord

from bot.adapters.commands import Value
from bot.adapters.discord.ballot_view import open_form
from bot.adapters.discord.errors import tell
from bot.adapters.discord.next_round import next_round_view
from bot.adapters.discord.questions_view import number_of, upvote_view
from bot.adapters.discord.render import Outgoing, count_messages, reply_messages
from bot.adapters.discord.respond import post_to_channel, send, send_reply
from bot.adapters.outcome import Outcome
from bot.adapters.render import views
from bot.adapters.render.text import render as render_text
from bot.domain import CountOutcome, PacedStep, QuestionView

if TYPE_CHECKING:
    from bot.adapters.discord.client import HustingsClient

Options = Mapping[str, Value]
Form = Callable[["HustingsClient", discord.Interaction, Options], Awaitable[None]]
Show = Callable[[discord.Interaction, Outcome], Awaitable[None]]


async def show(interaction: discord.Interaction, name: str, outcome: Outcome) -> None:
    """Answer command ``name`` with its outcome: Discord's own shape, or the neutral reply."""
    shape = SHAPES.get(name)
    if shape is None:
        await send_reply(interaction, outcome.reply)
        return
    await shape(interaction, outcome)


async def tell_failure(interaction: discord.Interaction, outcome: Outcome) -> None:
    """A refused or failed command's reply, as plain private text (as ``errors.handle``)."""
    await tell(interaction, render_text(outcome.reply))


async def _ballot(client: HustingsClient, interaction: discord.Interaction, o: Options) -> None:
    ref = o.get("election")
    await open_form(client, interaction, ref if isinstance(ref, str) else None)


async def _count(interaction: discord.Interaction, outcome: Outcome) -> None:
    if isinstance(outcome.value, PacedStep):
        await _step(interaction, outcome)
        return
    if not isinstance(outcome.value, CountOutcome):
        await tell_failure(interaction, outcome)
        return
    await send(interaction, count_messages(outcome.value), private=False)


async def _step(interaction: discord.Interaction, outcome: Outcome) -> None:
    """A paced count's step, with its Next round button (``next_round``)."""
    if not isinstance(outcome.value, PacedStep):
        await tell_failure(interaction, outcome)
        return
    await send_reply(interaction, outcome.reply, view=next_round_view(outcome.value))


async def _ask(interaction: discord.Interaction, outcome: Outcome) -> None:
    """Post the question as the bot, never as the member's visible interaction reply: Discord
    shows "alice used /ask" above such a reply, which would name an anonymous asker."""
    question = outcome.value
    if not isinstance(question, QuestionView):
        await tell_failure(interaction, outcome)
        return
    if outcome.reply.private:  # pre-moderated: waiting for approval, told only to the asker
        await send_reply(interaction, outcome.reply)
        return
    view = upvote_view(number_of(question.short_id), question.upvotes)
    card = reply_messages(views.approved(question))
    for index, message in enumerate(card):
        await post_to_channel(
            interaction.client, interaction.channel_id, message, view if index == 0 else None
        )
    await send(
        interaction,
        [Outgoing(content=f"Your question {question.short_id} is posted in this channel.")],
        private=True,
    )


async def _approve(interaction: discord.Interaction, outcome: Outcome) -> None:
    if isinstance(outcome.value, tuple):  # "/question approve all": one announcement
        await send_reply(interaction, outcome.reply)
        return
    if not isinstance(outcome.value, QuestionView):
        await tell_failure(interaction, outcome)
        return
    await _post_question(interaction, outcome.value, False)


async def _post_question(
    interaction: discord.Interaction, question: QuestionView, pending: bool
) -> None:
    if pending:
        await send_reply(interaction, views.asked(question))
        return
    view = upvote_view(number_of(question.short_id), question.upvotes)
    await send_reply(interaction, views.approved(question), view=view)


FORMS: dict[str, Form] = {"ballot": _ballot}
"""Commands that open a UI instead of calling a service."""

SHAPES: dict[str, Show] = {
    "election count": _count,
    "election next": _step,
    "ask": _ask,
    "question approve": _approve,
}
