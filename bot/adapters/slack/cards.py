"""A question's card on Slack: its announcement with the upvote button, and keeping it true.

A published question is announced once as a card (``card_messages``). Where it went is stored
with the question, in the database (``Question.card_message``, written and read through
``bot.services.question_cards``), as ``<channel id>:<message ts>``, e.g.
``C0HUSTINGS:1700000000.000100``: the same ``channel:message`` shape as Discord's, and all
``chat.update`` needs. So whatever later changes the question, from any worker behind the load
balancer and after any restart, edits that card: an upvote (by the button or by a typed
``/upvote``) updates its count, an answer or an accepted rewording its text, a merge the count
on the card it joined.

A question whose card location is not stored (posted before the location was kept, or the
post failed) is not refreshed, except that an upvote clicked on its card redraws the card
clicked (the click carries the message's ts). Refreshing never fails the command that changed
the question, which is already committed: a card Slack will not update (deleted, say) is
logged with the error code only.
"""

from __future__ import annotations

import logging

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.render import views
from bot.adapters.slack.render import SlackMessage, render, upvote_button
from bot.domain import Place, QuestionView
from bot.services.question_cards import QuestionCards

log = logging.getLogger(__name__)


def card_messages(question: QuestionView) -> list[SlackMessage]:
    """A question as the channel sees it, with its upvote button while it can be upvoted."""
    tail = [upvote_button(question.short_id, question.upvotes)]
    open_ = question.status in ("open", "answered")
    return render(views.approved(question), tail=tail if open_ else ())


def address(channel: str, ts: str) -> str:
    """The stored location of a card: ``<channel>:<ts>``."""
    return f"{channel}:{ts}"


def parse_address(where: str, place: Place) -> tuple[str, str] | None:
    """``(channel, ts)`` from a stored location in ``place``'s channel; ``None`` for anything
    else (another channel's, or not in the ``channel:ts`` shape): never guessed at."""
    channel, sep, ts = where.partition(":")
    if not sep or channel != place.channel or not ts or ":" in ts:
        return None
    return channel, ts


async def remember(store: QuestionCards, place: Place, question: QuestionView, ts: str) -> None:
    """Store where ``question``'s card was posted (message ``ts`` in ``place``'s channel)."""
    await store.record(place, question.id, address(place.channel, ts))


async def refresh(
    store: QuestionCards,
    client: AsyncWebClient,
    place: Place,
    question: QuestionView,
    clicked: str | None = None,
) -> None:
    """Edit ``question``'s card to show it as it is now: at its stored location, else at the
    message ``clicked`` (the ts of the card whose upvote button was pressed), else nowhere."""
    where = (await store.find(place, [question.id])).get(question.id)
    found = parse_address(where, place) if where is not None else None
    if found is None and clicked:
        found = (place.channel, clicked)
    if found is None:
        return
    channel, ts = found
    message = card_messages(question)[-1]  # the last message carries the button
    try:
        await client.chat_update(channel=channel, ts=ts, text=message.text, blocks=message.blocks)
    except SlackApiError as exc:
        log.warning("could not update a question card (%s)", exc.response.get("error"))
