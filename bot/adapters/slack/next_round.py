"""The **Next round** button under each step of a paced count, in Slack.

The button (``render.next_round_button``) carries its whole state in its value,
``<election ref>:<round its post showed>``; how far the declaration has gone is in the
database (``bot.services.paced``), so a button posted before a restart still works. A press
runs ``/election next`` through ``dispatch`` with that round as ``after``: a member is refused
privately, a second press on the same post is told the round is already declared (two quick
presses declare one round), and the declared round is posted to the channel under its own
button (``handlers.step_tail``); the pressed post is then redrawn without its button (from the
stored result: nothing about the post is remembered). A value that is not ``ref:round`` (a
forged click) is refused.
"""

from __future__ import annotations

import logging
import re

from slack_sdk.errors import SlackApiError

from bot.adapters.commands import BY_NAME, Value
from bot.adapters.dispatch import run_outcome
from bot.adapters.render.count import declare_step
from bot.adapters.render.message import private
from bot.adapters.slack.deliver import Outcome, Target, deliver
from bot.adapters.slack.handlers import step_tail
from bot.adapters.slack.render import render
from bot.adapters.textform import Invocation
from bot.app import App
from bot.domain import Actor, PacedStep, Place
from bot.services.common import moderates
from bot.services.question_cards import QuestionCards

log = logging.getLogger(__name__)

VALUE = re.compile(r"(?P<ref>[0-9A-Za-z]{1,16}):(?P<after>[0-9]{1,6})")
MEMBERS_REFUSED = "Only moderators can declare the next round; the count goes on without you."
NOT_A_COUNT = "That button does not name a paced count; nothing was declared."
NEXT = BY_NAME["election next"]


async def press(
    core: App, actor: Actor, place: Place, value: str, *, target: Target, cards: QuestionCards
) -> None:
    """Verify the press (its value, then the presser), then declare and deliver."""
    pressed = VALUE.fullmatch(value)
    if pressed is None:
        await deliver(Outcome(private(NOT_A_COUNT)), target, cards)
        return
    if not moderates(core.context, actor):
        await deliver(Outcome(private(MEMBERS_REFUSED)), target, cards)
        return
    after = int(pressed["after"])
    options: dict[str, Value] = {"election": pressed["ref"], "after": after}
    done = await run_outcome(core, actor, place, Invocation(NEXT, options))
    step = done.value
    if not isinstance(step, PacedStep):  # refused: stale, fully declared, or failed
        await deliver(Outcome(done.reply), target, cards)
        return
    await deliver(Outcome(done.reply, tail=step_tail(step)), target, cards)
    await _without_button(PacedStep(step.outcome, after, step.pace_seconds), target)


async def _without_button(pressed: PacedStep, target: Target) -> None:
    """Redraw the pressed post (the last message of its step) with no button."""
    if target.card_ts is None:
        return
    last = render(declare_step(pressed))[-1]
    try:
        await target.client.chat_update(
            channel=target.channel, ts=target.card_ts, text=last.text, blocks=last.blocks
        )
    except SlackApiError:
        log.warning("could not take the Next round button off message %s", target.card_ts)
