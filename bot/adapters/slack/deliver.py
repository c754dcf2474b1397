"""Delivering a neutral ``Reply`` in Slack: ephemeral to one member, or posted as the bot.

Private replies to the caller go through the interaction's ``response_url`` (it works even in a
channel the bot has not joined) while it still has uses left, else ``chat.postEphemeral``;
private replies to someone else (a dismissed question's asker) are always
``chat.postEphemeral``, except direct messages (``Reply.direct``: a reminder), which open a DM
with the member (``conversations.open``) and post there. Slack has no ephemeral files, so a
private reply's files (the minutes) go to the member's DM with the app (``direct_files``), and
its ephemeral text says so. Public replies are posted with ``chat.postMessage`` and the bot
token, never the response URL, which expires after 30 minutes and five uses; a count's charts
follow its text as files shared in the channel (``uploads.post_charts``). The client carries
slack_sdk's rate-limit retry handler, so a 429 on a long count waits and retries instead of
losing a round.

Question announcements ("cards") carry an upvote button; where each was posted is stored with
the question (``cards``), so later upvotes and answers edit the card in place from any worker.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.render.message import Reply, deliveries
from bot.adapters.slack import cards
from bot.adapters.slack.actors import PLATFORM
from bot.adapters.slack.direct_files import send_files_privately
from bot.adapters.slack.render import Block, SlackMessage, render
from bot.adapters.slack.reword import reword_buttons
from bot.adapters.slack.uploads import post_charts
from bot.domain import Place, QuestionView
from bot.services.question_cards import QuestionCards

log = logging.getLogger(__name__)

RESPONSE_URL_USES = 5


@dataclass(frozen=True)
class Outcome:
    """What one interaction produced: the reply, and which question card it concerns.

    ``card``: post the reply's public message as this question's card (with the button);
    ``refresh``: edit these questions' existing cards to show them as they are now (a new
    count, an answer, closed);
    ``answer``: see below.
    """

    reply: Reply
    card: QuestionView | None = None
    refresh: tuple[QuestionView, ...] = ()
    merged_into: str | None = None
    """The short id the dismissed questions in ``refresh`` were merged into (their cards say
    so), if they were."""
    tail: tuple[Block, ...] = ()
    """Blocks that end the reply's public message (a paced count's Next round button)."""
    answer: QuestionView | None = None
    """The reply announces this question's answer: posted once, then updated in place on a
    re-answer (``bot.adapters.slack.answers``), not posted by ``deliver``."""
    ask_asker: str | None = None
    """A rewording of this question (its short id) was proposed: the private message to its
    asker carries the accept / keep-my-wording buttons (``bot.adapters.slack.reword``)."""


@dataclass
class Target:
    """Where one interaction's replies go, and with which credentials."""

    client: AsyncWebClient
    team: str
    channel: str
    user: str
    respond: Any | None = None
    """bolt's ``respond`` (the interaction's response URL), if the payload had one."""
    card_ts: str | None = None
    """The message a button was clicked on (a question card), for in-place updates."""
    _uses: int = field(default=0, repr=False)

    @property
    def place(self) -> Place:
        """The channel the interaction came from, as the services name it."""
        return Place(PLATFORM, self.team, self.channel)

    async def private(self, message: SlackMessage, recipient: str | None = None) -> None:
        to = recipient or self.user
        if to == self.user and self.respond is not None and self._uses < RESPONSE_URL_USES:
            self._uses += 1
            await self.respond(
                text=message.text,
                blocks=message.blocks,
                response_type="ephemeral",
                replace_original=False,
            )
            return
        await self.client.chat_postEphemeral(
            channel=self.channel, user=to, text=message.text, blocks=message.blocks
        )

    async def direct(self, message: SlackMessage, recipient: str) -> None:
        """A direct message from the bot (``Reply.direct``): ``conversations.open`` with the
        member, then ``chat.postMessage`` there (scope ``im:write``). A refusal is logged
        without ids and not reported: the caller's reply must not depend on who was reached."""
        try:
            opened = await self.client.conversations_open(users=recipient)
            channel = str(opened["channel"]["id"])
            await self.client.chat_postMessage(
                channel=channel, text=message.text, blocks=message.blocks
            )
        except SlackApiError as exc:
            log.warning("could not send a direct message: %s", exc.response.get("error"))

    async def public(self, message: SlackMessage) -> str:
        posted = await self.client.chat_postMessage(
            channel=self.channel, text=message.text, blocks=message.blocks
        )
        return str(posted["ts"])

    async def pin(self, ts: str) -> None:
        """Pin a posted message (``Reply.pin``); a refused pin is logged, the post stays."""
        try:
            await self.client.pins_add(channel=self.channel, timestamp=ts)
        except SlackApiError as exc:
            log.warning("could not pin a message: %s", exc.response.get("error"))


async def deliver(outcome: Outcome, target: Target, store: QuestionCards) -> None:
    """Send every part of the outcome, in order, then refresh a card if one changed."""
    for reply in deliveries(outcome.reply):
        if reply.private and reply.files and reply.recipient in (None, target.user):
            shown = await send_files_privately(target.client, target.user, target.channel, reply)
            for message in render(shown):
                await target.private(message)
            continue
        if reply.private:
            asking = outcome.ask_asker is not None and reply.recipient is not None
            buttons = [reword_buttons(outcome.ask_asker)] if outcome.ask_asker and asking else []
            for message in render(reply, tail=buttons):
                if reply.direct and reply.recipient is not None:
                    await target.direct(message, reply.recipient)
                else:
                    await target.private(message, reply.recipient)
            continue
        card = outcome.card if reply is outcome.reply else None
        tail = outcome.tail if reply is outcome.reply else ()
        messages = cards.card_messages(card) if card is not None else render(reply, tail=tail)
        posted = [await target.public(message) for message in messages]
        ts = posted[-1]
        if reply.pin:
            await target.pin(posted[0])
        await post_charts(target.client, target.channel, reply)  # after the complete text
        if card is not None:
            await cards.remember(store, target.place, card, ts)
    if outcome.refresh:
        await refresh_cards(outcome.refresh, target, store, merged_into=outcome.merged_into)


async def refresh_cards(
    questions: Sequence[QuestionView],
    target: Target,
    store: QuestionCards,
    *,
    merged_into: str | None = None,
) -> None:
    """Edit the questions' cards in place (a new count, an answer, closed), where found."""
    await cards.refresh(
        store,
        target.client,
        target.place,
        questions,
        clicked=target.card_ts,
        merged_into=merged_into,
    )
