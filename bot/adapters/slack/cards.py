"""A question's card on Slack: its announcement with the upvote button, and keeping it true.

A published question is announced once as a card (``card_messages``). Where it went is stored
with the question, in the database (``Question.card_message``, written and read through
``bot.services.question_cards``), as ``<channel id>:<message ts>``, e.g.
``C0HUSTINGS:1700000000.000100``: the same ``channel:message`` shape as Discord's, and all
``chat.update`` needs. So whatever later changes the question, from any worker behind the load
balancer and after any restart, edits that card: an upvote (by the button or by a typed
``/upvote``) updates its count, an answer or an accepted rewording its text; a dismissal
closes the card (button gone, the text hidden: it may have been dismissed as abusive); a
merge closes the duplicate's card, naming the question it joined, and raises the count on the
card it joined. The closed wording is Discord's too (``question_views.closed_card``).

A question whose card location is not stored (posted before the location was kept, or its
worker died between posting and storing) is not refreshed, except that an upvote clicked on
its card redraws the card clicked (the click carries the message's ts). Refreshing never
fails the command that changed the question, which is already committed: a card Slack will
not update (deleted, say) is logged with the error code only.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.render import question_views, views
from bot.adapters.slack.render import SlackMessage, card_buttons, render
from bot.domain import Place, QuestionView
from bot.services.question_cards import QuestionCards

log = logging.getLogger(__name__)


def card_messages(question: QuestionView, merged_into: str | None = None) -> list[SlackMessage]:
    """A question as the channel sees it, with its upvote button while it can be upvoted;
    closed once dismissed (``merged_into``: the short id a merged duplicate joined)."""
    if question.status not in ("open", "answered"):
        return render(question_views.closed_card(question, merged_into))
    tail = [card_buttons(question)]  # Moderate only while the question is open
    return render(views.approved(question), tail=tail)


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
    questions: Sequence[QuestionView],
    *,
    clicked: str | None = None,
    merged_into: str | None = None,
) -> None:
    """Edit the cards of ``questions`` to show them as they are now, each at its stored
    location; a lone question with none stored, at the message ``clicked`` (the ts of the
    card whose upvote button was pressed); otherwise not at all. ``merged_into`` applies to
    the dismissed ones: they were merged into it."""
    stored = await store.find(place, [q.id for q in questions])
    for question in questions:
        where = stored.get(question.id)
        found = parse_address(where, place) if where is not None else None
        if found is None and clicked and len(questions) == 1:
            found = (place.channel, clicked)
        if found is not None:
            into = merged_into if question.status == "dismissed" else None
            await _edit(client, found, card_messages(question, into)[-1])


async def _edit(client: AsyncWebClient, where: tuple[str, str], message: SlackMessage) -> None:
    """``chat.update`` the card's last message (the one that carries the button)."""
    channel, ts = where
    try:
        await client.chat_update(channel=channel, ts=ts, text=message.text, blocks=message.blocks)
    except SlackApiError as exc:
        log.warning("could not update a question card (%s)", exc.response.get("error"))
