"""From a slash command's text to an ``Outcome``: the shared dispatch, plus question cards.

Every command goes through ``bot.adapters.dispatch`` except the four whose Slack form differs:
a question is announced as a card with an upvote button, and an upvote or an answer edits
that card. Those four need the ``QuestionView`` the service returns (dispatch hands back only
the neutral reply), so they call their one service method here and reuse dispatch's views.
User mistakes in them raise ``UserError`` to the app's single error handler.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping

from bot.adapters.commands import Value, allowed
from bot.adapters.dispatch import dispatch
from bot.adapters.render import views
from bot.adapters.render.message import private
from bot.adapters.slack.deliver import Outcome
from bot.adapters.textform import Invocation, parse_line
from bot.app import App
from bot.domain import Actor, Place
from bot.errors import NotAllowed, UserError
from bot.services.common import is_moderator

Options = Mapping[str, Value]
Flow = Callable[[App, Actor, Place, Options], Awaitable[Outcome]]


async def run_line(core: App, actor: Actor, place: Place, line: str) -> Outcome:
    """Parse ``/command text`` and run it; question commands get their Slack flow."""
    try:
        invocation = parse_line(line)
    except UserError as exc:
        return Outcome(private(exc.message))
    return await run(core, actor, place, invocation)


async def run(core: App, actor: Actor, place: Place, invocation: Invocation) -> Outcome:
    flow = QUESTION_FLOWS.get(invocation.command.name)
    if flow is None:
        return Outcome(await dispatch(core, actor, place, invocation))
    if not allowed(invocation.command, is_moderator(actor, core.context.moderator_roles)):
        raise NotAllowed(f"Only moderators can use /{invocation.command.name}.")
    return await flow(core, actor, place, invocation.options)


def _text(options: Options, name: str) -> str:
    value = options.get(name)
    if not isinstance(value, str):
        raise UserError(f"Missing {name}.")
    return value


async def ask(core: App, actor: Actor, place: Place, o: Options) -> Outcome:
    to = o.get("to")
    question = await core.questions.ask(
        actor,
        place,
        _text(o, "question"),
        to_candidate=to if isinstance(to, str) else None,
        named=o.get("named") is True,
    )
    card = question if question.status == "open" else None
    return Outcome(views.asked(question), card=card)


async def approve(core: App, actor: Actor, place: Place, o: Options) -> Outcome:
    question = await core.questions.approve(actor, place, _text(o, "id"))
    return Outcome(views.approved(question), card=question)


async def upvote(core: App, actor: Actor, place: Place, o: Options) -> Outcome:
    outcome = await core.questions.upvote(actor, place, _text(o, "id"))
    return Outcome(views.upvoted(outcome), refresh=outcome.question)


async def answer(core: App, actor: Actor, place: Place, o: Options) -> Outcome:
    question = await core.questions.answer(actor, place, _text(o, "id"), _text(o, "answer"))
    return Outcome(views.answered(question), refresh=question)


QUESTION_FLOWS: dict[str, Flow] = {
    "ask": ask,
    "question approve": approve,
    "upvote": upvote,
    "question answer": answer,
}
