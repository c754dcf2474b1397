"""From a slash command (or a button, or the ballot form) to an ``Outcome`` for delivery.

Every command goes through ``bot.adapters.dispatch.run_outcome``: one permission check, one
service call, one error mapping (a user error or a bug comes back as its private reply).
Only the Slack shape is added here: a question is announced as a card with an upvote
button, and an upvote, an answer, an accepted rewording, a merge or a dismissal edits the
cards it changed, so those commands hand the ``QuestionView`` values the service returned to
``deliver`` beside the reply; a paced count's step ends with its Next round button.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from bot.adapters.commands import BY_NAME, Value
from bot.adapters.dispatch import run_outcome
from bot.adapters.outcome import Outcome as Done
from bot.adapters.render.message import private
from bot.adapters.slack.deliver import Outcome
from bot.adapters.slack.render import Block, next_round_button
from bot.adapters.textform import Invocation, parse_line
from bot.app import App
from bot.domain import Actor, PacedStep, Place, QuestionView, UpvoteOutcome
from bot.errors import UserError
from bot.services.question_values import MergeOutcome, RewordOutcome

Options = Mapping[str, Value]
Card = Callable[[Done], Outcome]


async def run_line(core: App, actor: Actor, place: Place, line: str) -> Outcome:
    """Parse ``/command text`` and run it; question commands get their Slack card."""
    try:
        invocation = parse_line(line)
    except UserError as exc:
        return Outcome(private(exc.message))
    return await run(core, actor, place, invocation)


async def run(core: App, actor: Actor, place: Place, invocation: Invocation) -> Outcome:
    """Run ``invocation`` through dispatch, with its question card if it has one."""
    return shaped(invocation, await run_outcome(core, actor, place, invocation))


def shaped(invocation: Invocation, done: Done) -> Outcome:
    """What ``invocation`` produced (``done``, the service's value beside the reply), in
    Slack's shape: its question card, the card it refreshes, its Next round button."""
    card = QUESTION_CARDS.get(invocation.command.name)
    if isinstance(done.value, PacedStep):
        return Outcome(done.reply, tail=step_tail(done.value))
    return Outcome(done.reply) if card is None else card(done)


def step_tail(step: PacedStep) -> tuple[Block, ...]:
    """A paced count's step ends with its Next round button, except the last step."""
    return () if step.final else (next_round_button(step.outcome.election.ref, step.shown),)


async def run_command(core: App, actor: Actor, place: Place, name: str, o: Options) -> Outcome:
    """Run command ``name`` with options already known (a button press, a submitted form)."""
    return await run(core, actor, place, Invocation(BY_NAME[name], o))


def _asked(done: Done) -> Outcome:
    question = done.value
    if not isinstance(question, QuestionView) or question.status != "open":
        return Outcome(done.reply)
    return Outcome(done.reply, card=question)


def _approved(done: Done) -> Outcome:
    question = done.value
    return Outcome(done.reply, card=question if isinstance(question, QuestionView) else None)


def _upvoted(done: Done) -> Outcome:
    upvote = done.value
    if not isinstance(upvote, UpvoteOutcome):
        return Outcome(done.reply)
    return Outcome(done.reply, refresh=(upvote.question,))


def _answered(done: Done) -> Outcome:
    question = done.value
    if not isinstance(question, QuestionView):
        return Outcome(done.reply)
    return Outcome(done.reply, refresh=(question,), answer=question)


def _dismissed(done: Done) -> Outcome:
    question = done.value
    if not isinstance(question, QuestionView) or question.status != "dismissed":
        return Outcome(done.reply)
    return Outcome(done.reply, refresh=(question,))


def _merged(done: Done) -> Outcome:
    """The duplicate's card closes, naming the question it joined; that one's count rises."""
    merge = done.value
    if not isinstance(merge, MergeOutcome):
        return Outcome(done.reply)
    into = merge.into
    return Outcome(done.reply, refresh=(merge.merged, into), merged_into=into.short_id)


def _reworded(done: Done) -> Outcome:
    step = done.value
    if isinstance(step, RewordOutcome) and step.step == "proposed":
        return Outcome(done.reply, ask_asker=step.question.short_id)
    if not isinstance(step, RewordOutcome) or step.step != "accepted":
        return Outcome(done.reply)
    public = step.question.status in ("open", "answered")
    return Outcome(done.reply, refresh=(step.question,) if public else ())


QUESTION_CARDS: dict[str, Card] = {
    "ask": _asked,
    "question approve": _approved,
    "upvote": _upvoted,
    "question answer": _answered,
    "question dismiss": _dismissed,
    "question merge": _merged,
    "question accept": _reworded,
    "question edit": _reworded,
}
