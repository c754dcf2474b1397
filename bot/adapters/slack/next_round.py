"""The **Next round** button under each step of a paced count, in Slack.

The button (``render.next_round_button``) carries its whole state in its value,
``<election ref>:<round its post showed>``; how far the declaration has gone is in the
database (``bot.services.paced``), so a button posted before a restart still works. A press
runs ``/election next`` through ``dispatch`` with that round as ``after``: a member is refused
privately, a second press on the same post is told the round is already declared (two quick
presses declare one round), and the declared round is posted to the channel under its own
button (``handlers.step_tail``). A value that is not ``ref:round`` (a forged click) is refused.
"""

from __future__ import annotations

import re

from bot.adapters.commands import Value
from bot.adapters.render.message import private
from bot.adapters.slack.deliver import Cards, Outcome, Target, deliver
from bot.adapters.slack.handlers import run_command
from bot.app import App
from bot.domain import Actor, Place
from bot.services.common import is_moderator

VALUE = re.compile(r"(?P<ref>[0-9A-Za-z]{1,16}):(?P<after>[0-9]{1,6})")
MEMBERS_REFUSED = "Only moderators can declare the next round; the count goes on without you."
NOT_A_COUNT = "That button does not name a paced count; nothing was declared."


async def press(
    core: App, actor: Actor, place: Place, value: str, *, target: Target, cards: Cards
) -> None:
    """Verify the press (its value, then the presser), then declare and deliver."""
    pressed = VALUE.fullmatch(value)
    if pressed is None:
        await deliver(Outcome(private(NOT_A_COUNT)), target, cards)
        return
    if not is_moderator(actor, core.context.moderator_roles):
        await deliver(Outcome(private(MEMBERS_REFUSED)), target, cards)
        return
    options: dict[str, Value] = {"election": pressed["ref"], "after": int(pressed["after"])}
    outcome = await run_command(core, actor, place, "election next", options)
    await deliver(outcome, target, cards)
