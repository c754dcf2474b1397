"""The commands Discord shows in its own shape, rendered from what ``dispatch`` returned.

Every command runs through ``bot.adapters.dispatch.run_outcome`` (its one permission check,
one service call, one error mapping); most are then shown from the neutral reply. These use
the service's value beside it:

- ``/election count`` is rendered from the ``Result`` itself, one embed per round with tally
  bars (``render.count_messages``), then its charts added to the last message; a paced
  count's steps (``--paced``, ``/election next``) carry their Next round button
  (``next_round``), and the last step its charts.
- ``/ask`` and ``/question approve`` post the question's card (``cards``: its upvote and
  Moderate buttons, which need the question's number) and store where it went; a typed
  ``/upvote``, ``/question dismiss``, ``/question merge``, an answer or an accepted
  rewording then redraw the cards they changed (``moderate_actions``).
- ``/question answer`` posts the answer with the bot token and a re-answer edits it in place;
  ``/question accept|decline`` announce without naming the asker (``answers``).

``/ballot`` only opens the select-menu form (``ballot_view``), so it stays here; the form's
Confirm casts through ``dispatch`` like ``/rank``. When a command fails, its reply (the user
error's message, or the apology) is told exactly as the tree's error handler tells it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING

import discord

from bot.adapters.commands import Value
from bot.adapters.discord.answers import show_answer, show_as_bot
from bot.adapters.discord.ballot_view import open_form
from bot.adapters.discord.cards import card_view, post_card, remember
from bot.adapters.discord.errors import tell
from bot.adapters.discord.moderate_actions import refresh_for, show_and_refresh
from bot.adapters.discord.next_round import next_round_view
from bot.adapters.discord.render import Outgoing, count_messages
from bot.adapters.discord.respond import send, send_reply
from bot.adapters.discord.reword_view import show_proposal
from bot.adapters.discord.uploads import add_charts
from bot.adapters.outcome import Outcome
from bot.adapters.render import views
from bot.adapters.render.text import render as render_text
from bot.domain import CountOutcome, PacedStep, Place, QuestionView

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
    last = await send(interaction, count_messages(outcome.value), private=False)
    await add_charts(last, outcome.reply)


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
    await post_card(interaction.client, interaction.channel_id, _place(interaction), question)
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
    await send_reply(interaction, views.approved(question), view=card_view(question))
    try:
        card = await interaction.original_response()
    except discord.HTTPException:
        return
    await remember(interaction.client, _place(interaction), question, card)


async def _answer(interaction: discord.Interaction, outcome: Outcome) -> None:
    """The answer posted (or edited in place), then the question's card redrawn."""
    await show_answer(interaction, outcome)
    await refresh_for(interaction, outcome)


async def _accept(interaction: discord.Interaction, outcome: Outcome) -> None:
    """An accepted rewording announced without naming the asker; the card reads anew."""
    await show_as_bot(interaction, outcome)
    await refresh_for(interaction, outcome)


def _place(interaction: discord.Interaction) -> Place:
    return Place("discord", str(interaction.guild_id), str(interaction.channel_id))


FORMS: dict[str, Form] = {"ballot": _ballot}
"""Commands that open a UI instead of calling a service."""

SHAPES: dict[str, Show] = {
    "election count": _count,
    "election next": _step,
    "ask": _ask,
    "question approve": _approve,
    "question answer": _answer,
    "question accept": _accept,
    "question dismiss": show_and_refresh,
    "question merge": show_and_refresh,
    "upvote": show_and_refresh,
    "question decline": show_as_bot,
    "question edit": show_proposal,
}
