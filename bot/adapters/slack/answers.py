"""Answers on Slack: posted once, then updated in place (``chat.update``) on a re-answer.

The answer is posted with the bot token (``chat.postMessage``) and where it went
(``channel:ts``) is stored with the question (``QuestionService.record_answer_post``), in the
database, so a re-answer from any process, after any restart, updates that same message,
marked "(edited)", instead of posting a second one. If the stored message cannot be updated
(deleted), the answer is posted anew and its new place stored. The moderator is told
privately that the answer was edited in place.
"""

from __future__ import annotations

import logging

from slack_sdk.errors import SlackApiError

from bot.adapters.render.message import Reply
from bot.adapters.slack.deliver import Target
from bot.adapters.slack.render import SlackMessage, render
from bot.app import App
from bot.domain import Place, QuestionView

log = logging.getLogger(__name__)


async def deliver_answer(
    core: App, place: Place, question: QuestionView, reply: Reply, target: Target
) -> None:
    """Post ``reply`` (the answer announcement) or update the posted one; store where."""
    [message, *more] = render(reply)
    if question.answer_edited and await _update(target, question.answer_message, message):
        note = f"{question.short_id}'s posted answer is edited in place (marked edited)."
        [told] = render(Reply(note))
        await target.private(told)
    else:
        ts = await target.public(message)
        await core.questions.record_answer_post(place, question.id, f"{target.channel}:{ts}")
    for extra in more:
        await target.public(extra)


async def _update(target: Target, where: str | None, message: SlackMessage) -> bool:
    channel, _, ts = (where or "").partition(":")
    if not channel or not ts or channel != target.channel:
        return False
    try:
        await target.client.chat_update(
            channel=channel, ts=ts, text=message.text, blocks=message.blocks
        )
    except SlackApiError as exc:
        log.info("posted answer could not be updated (%s); posting anew", exc.response.get("error"))
        return False
    return True
