"""From a parsed command to ONE service call to a neutral reply, with the one error mapping.

Every adapter (fake console now, Discord and Slack later) ends here: it builds an ``Actor`` and
a ``Place``, parses options from its own form, and calls ``dispatch``. A ``UserError`` becomes a
private reply carrying its message (the service changed nothing); anything else is a bug: the
caller gets a short apology with a reference and the log gets the traceback with the same
reference and the ids of who, where and which command — never option values, because those
include rankings.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Awaitable, Callable
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING, Literal

from bot.adapters import hustings_handlers, question_handlers, roll_handlers, share_handlers
from bot.adapters.commands import CLEAR, Command, allowed, visible_to
from bot.adapters.outcome import Options, Outcome
from bot.adapters.outcome import flag as _bool
from bot.adapters.outcome import integer as _int
from bot.adapters.outcome import maybe_text as _maybe_text
from bot.adapters.outcome import shown as _shown
from bot.adapters.outcome import text as _text
from bot.adapters.render import views
from bot.adapters.render.count import announce_count, declare_step
from bot.adapters.render.message import Reply, private
from bot.adapters.textform import Invocation, parse_line
from bot.domain import Actor, ExportFormat, Method, Place
from bot.errors import InvalidInput, UserError
from bot.services.common import moderates, moderator_refusal
from bot.services.paced import parse_pace
from bot.services.roll_rules import Electorate

if TYPE_CHECKING:
    from bot.app import App

log = logging.getLogger(__name__)

Handler = Callable[["App", Actor, Place, Options], Awaitable["Outcome"]]


__all__ = ["HANDLERS", "Outcome", "dispatch", "dispatch_line", "run_outcome"]


async def dispatch_line(app: App, actor: Actor, place: Place, line: str) -> Reply:
    """Parse a single-text command line (Slack, console) and dispatch it."""
    try:
        invocation = parse_line(line)
    except UserError as exc:
        return private(exc.message)
    return await dispatch(app, actor, place, invocation)


async def dispatch(app: App, actor: Actor, place: Place, invocation: Invocation) -> Reply:
    """Run one command for ``actor`` in ``place`` and return what to show, and to whom."""
    return (await run_outcome(app, actor, place, invocation)).reply


async def run_outcome(app: App, actor: Actor, place: Place, invocation: Invocation) -> Outcome:
    """``dispatch``, keeping the service's value beside the reply (see ``Outcome``)."""
    command = invocation.command
    moderator = moderates(app.context, actor)
    if not allowed(command, moderator):
        return Outcome(private(moderator_refusal(app.context, actor, f"use /{command.name}")))
    try:
        if command.name == "help":
            return Outcome(views.help_reply(visible_to(moderator)))
        outcome = await HANDLERS[command.name](app, actor, place, invocation.options)
    except UserError as exc:
        return Outcome(private(exc.message))
    except Exception:
        return Outcome(_apology(command, actor, place))
    return outcome


def _apology(command: Command, actor: Actor, place: Place) -> Reply:
    ref = secrets.token_hex(3).upper()
    log.exception(
        "command /%s failed (ref %s): workspace=%s:%s channel=%s",  # no user id: see bot.logs
        command.name,
        ref,
        actor.platform,
        actor.workspace,
        place.channel,
    )
    return private(f"Sorry, something went wrong (ref {ref}). Please tell a moderator.")


# --- option helpers ----------------------------------------------------------------------------


def _ref(options: Options) -> str:
    return _text(options, "election")


def _maybe_ref(options: Options) -> str | None:
    """The election named, or ``None``: the service then picks the one the command fits."""
    return _maybe_text(options, "election")


def _names(options: Options, name: str) -> tuple[str, ...] | None:
    value = options.get(name)
    return value if isinstance(value, tuple) else None


def _int_or(options: Options, name: str, default: int) -> int:
    """The number given (0 included: the service refuses it), else ``default``."""
    value = _int(options, name)
    return default if value is None else value


def _datetime(options: Options, name: str) -> datetime | None:
    value = options.get(name)
    return value if isinstance(value, datetime) else None


def _method(options: Options) -> Method | None:
    value = options.get("method")
    if value == "stv":
        return "stv"
    if value == "college":
        return "college"
    return "irv" if value == "irv" else None


def _pairs(options: Options, name: str) -> dict[str, str] | None:
    """``members=members, affiliates=affiliated`` → a dict; ``None`` when not given."""
    text = _maybe_text(options, name)
    if text is None:
        return None
    pairs: dict[str, str] = {}
    for item in filter(None, (part.strip() for part in text.split(","))):
        key, sep, value = item.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise InvalidInput(f'--{name} takes pairs like a=b, c=d; "{item}" is not one.')
        pairs[key.strip()] = value.strip()
    return pairs


def _weights(options: Options) -> dict[str, int] | None:
    pairs = _pairs(options, "weights")
    if pairs is None:
        return None
    try:
        return {section: int(weight) for section, weight in pairs.items()}
    except ValueError:
        raise InvalidInput(
            "--weights must be whole numbers, e.g. members=1, affiliates=1."
        ) from None


# --- one handler per command, each calling exactly one service method ----------------------------


async def _rank(app: App, actor: Actor, place: Place, o: Options) -> Outcome:
    ref = _maybe_text(o, "election")
    return _shown(views.receipt, await app.ballots.rank(actor, place, _text(o, "ranking"), ref))


async def _ballot(app: App, actor: Actor, place: Place, o: Options) -> Outcome:
    return _shown(views.ballot, await app.ballots.mine(actor, place, _maybe_text(o, "election")))


async def _withdraw(app: App, actor: Actor, place: Place, o: Options) -> Outcome:
    return _shown(
        views.withdrawn, await app.ballots.withdraw(actor, place, _maybe_text(o, "election"))
    )


async def _create(app: App, actor: Actor, place: Place, o: Options) -> Outcome:
    election = await app.elections.create(
        actor,
        place,
        _text(o, "title"),
        _names(o, "candidates") or (),
        seats=_int_or(o, "seats", 1),
        method=_method(o) or "irv",
        closes_at=_datetime(o, "closes"),
        eligible_roles=_names(o, "roles") or (),
        sections=_pairs(o, "sections"),
        section_weights=_weights(o),
        ron=_bool(o, "ron") or False,
        electorate=Electorate(
            _maybe_text(o, "electorate"),
            _names(o, "branch") or (),
            _names(o, "section") or (),
            _names(o, "status") or (),
            _maybe_text(o, "joined-before"),
        ),
    )
    return Outcome(views.election_changed(election, "created as a draft"), election)


async def _edit(app: App, actor: Actor, place: Place, o: Options) -> Outcome:
    edit = partial(
        app.elections.edit,
        actor,
        place,
        _ref(o),
        title=_maybe_text(o, "title"),
        candidates=_names(o, "candidates"),
        seats=_int(o, "seats"),
        method=_method(o),
        eligible_roles=_names(o, "roles"),
        ron=_bool(o, "ron"),
        sections=_pairs(o, "sections"),
        section_weights=_weights(o),
        electorate=roll_handlers.electorate_edit(o),
    )
    closes = _datetime(o, "closes")
    # Leaving closes_at out keeps the closing time; passing None (--closes none) removes it.
    if o.get("closes") == CLEAR:
        election = await edit(closes_at=None)
    else:
        election = await (edit() if closes is None else edit(closes_at=closes))
    return Outcome(views.election_changed(election, "updated"), election)


async def _alias(app: App, actor: Actor, place: Place, o: Options) -> Outcome:
    election = await app.elections.set_alias(
        actor, place, _ref(o), _text(o, "alias"), _text(o, "candidate")
    )
    shown = views.election_changed(election, f'now takes "{_text(o, "alias")}" as an alias')
    return Outcome(shown, election)


async def _open(app: App, actor: Actor, place: Place, o: Options) -> Outcome:
    return _shown(
        views.election_announcement, await app.elections.open(actor, place, _maybe_ref(o))
    )


async def _close(app: App, actor: Actor, place: Place, o: Options) -> Outcome:
    return _shown(
        views.election_announcement, await app.elections.close(actor, place, _maybe_ref(o))
    )


async def _cancel(app: App, actor: Actor, place: Place, o: Options) -> Outcome:
    return _shown(
        views.election_announcement, await app.elections.cancel(actor, place, _maybe_ref(o))
    )


async def _count(app: App, actor: Actor, place: Place, o: Options) -> Outcome:
    """``--pace`` implies ``--paced``; it is read before counting, so a bad one counts nothing."""
    typed_pace = _maybe_text(o, "pace")
    if typed_pace is not None and _bool(o, "paced") is False:
        raise InvalidInput("--pace declares round by round; it cannot go with paced: false.")
    pace = None if typed_pace is None else parse_pace(typed_pace)
    outcome = await app.elections.count(actor, place, _maybe_ref(o))
    paced = pace is not None or _bool(o, "paced")
    if not paced or outcome.recount_of is not None:
        return _shown(announce_count, outcome)
    step = await app.paced.start(actor, place, outcome, pace)
    return Outcome(declare_step(step), step)


async def _next(app: App, actor: Actor, place: Place, o: Options) -> Outcome:
    """``after`` is set only by the Next round buttons (the round their post showed)."""
    step = await app.paced.next(actor, place, _maybe_ref(o), after=_int(o, "after"))
    return Outcome(declare_step(step), step)


async def _status(app: App, actor: Actor, place: Place, o: Options) -> Outcome:
    return _shown(views.election_status, await app.elections.get(actor, place, _maybe_ref(o)))


async def _list(app: App, actor: Actor, place: Place, o: Options) -> Outcome:
    elections = await app.elections.list(actor, place)
    return Outcome(views.election_list(elections, _int_or(o, "page", 1)), elections)


async def _export(app: App, actor: Actor, place: Place, o: Options) -> Outcome:
    chosen = _maybe_text(o, "format") or "blt"
    formats: dict[str, ExportFormat] = {
        "blt": "blt",
        "json": "json",
        "html": "html",
        "summary": "summary",
        "csv": "csv",
    }
    fmt = formats.get(chosen, "blt")
    exported = await app.elections.export_ballots(actor, place, _maybe_ref(o), fmt)
    return Outcome(views.export(exported.election.ref, fmt, exported.content), exported)


async def _ask(app: App, actor: Actor, place: Place, o: Options) -> Outcome:
    question = await app.questions.ask(
        actor,
        place,
        _text(o, "question"),
        to_candidate=_maybe_text(o, "to"),
        named=_bool(o, "named") or False,
    )
    return _shown(views.asked, question)


async def _upvote(app: App, actor: Actor, place: Place, o: Options) -> Outcome:
    """``toggle`` is set only by the platforms' upvote buttons (it is not a typed option)."""
    upvote = await app.questions.upvote(
        actor, place, _text(o, "id"), undo=_bool(o, "undo") or False,
        toggle=_bool(o, "toggle") or False,
    )  # fmt: skip
    return _shown(views.upvoted, upvote)


Listed = Literal["open", "answered", "pending", "dismissed", "all"]
_LISTED = ("open", "answered", "pending", "dismissed", "all")


async def _questions(app: App, actor: Actor, place: Place, o: Options) -> Outcome:
    if o.get("action") == "stats":
        return await question_handlers.stats(app, actor, place, o)
    if o.get("action") == "export" or "hustings" in o:
        return await hustings_handlers.export(app, actor, place, o)
    order: Literal["top", "new"] = "new" if _maybe_text(o, "order") == "new" else "top"
    wanted = _maybe_text(o, "status") or "open"
    status: Listed = wanted if wanted in _LISTED else "open"  # type: ignore[assignment]
    page = _int_or(o, "page", 1)  # 0 is refused like -1, not read as "the first page"
    to = _maybe_text(o, "to")
    found = await app.questions.list(actor, place, order=order, status=status, page=page, to=to)
    which = "" if status == "all" else f"{status} "
    heading = f"{'Newest' if order == 'new' else 'Top'} {which}questions"
    heading += "" if to is None else f" to {to}"
    again = "/questions" + "".join(f" --{k} {o[k]}" for k in ("order", "status", "to") if k in o)
    return Outcome(views.question_list(found, heading, again), found)


async def _answer(app: App, actor: Actor, place: Place, o: Options) -> Outcome:
    question = await app.questions.answer(
        actor, place, _text(o, "id"), _text(o, "answer"), by=_maybe_text(o, "by"),
        override=_bool(o, "override") or False,
    )  # fmt: skip
    return _shown(views.answered, question)


async def _dismiss(app: App, actor: Actor, place: Place, o: Options) -> Outcome:
    question = await app.questions.dismiss(actor, place, _text(o, "id"), _text(o, "reason"))
    return _shown(views.dismissed, question)


async def _approve(app: App, actor: Actor, place: Place, o: Options) -> Outcome:
    """One question (its card), or ``all`` waiting ones (one announcement; value a tuple)."""
    if _text(o, "id").strip().casefold() == "all":
        return _shown(views.approved_all, await app.questions.approve_all(actor, place))
    return _shown(views.approved, await app.questions.approve(actor, place, _text(o, "id")))


async def _pending(app: App, actor: Actor, place: Place, o: Options) -> Outcome:
    pending = await app.questions.pending(actor, place, _int_or(o, "page", 1))
    shown = views.question_list(pending, "Waiting for approval", "/question pending")
    return Outcome(shown, pending)


async def _limits(app: App, actor: Actor, place: Place, o: Options) -> Outcome:
    limits = await app.questions.limits(actor, place, _int(o, "open"), _int(o, "window"))
    changed = "open" in o or "window" in o
    return Outcome(views.question_limits(limits, changed), limits)


async def _premoderate(app: App, actor: Actor, place: Place, o: Options) -> Outcome:
    on = _text(o, "mode") == "on"
    return _shown(views.premoderation, await app.questions.set_premoderation(actor, place, on))


HANDLERS: dict[str, Handler] = {
    "rank": _rank,
    "ballot": _ballot,
    "withdraw": _withdraw,
    "election create": _create,
    "election edit": _edit,
    "election alias": _alias,
    "election open": _open,
    "election close": _close,
    "election cancel": _cancel,
    "election count": _count,
    "election next": _next,
    "election status": _status,
    "election list": _list,
    "election export": _export,
    "ask": _ask,
    "upvote": _upvote,
    "questions": _questions,
    "question answer": _answer,
    "question dismiss": _dismiss,
    "question approve": _approve,
    "question pending": _pending,
    "question limits": _limits,
    "premoderate": _premoderate,
    **hustings_handlers.HANDLERS,
    **question_handlers.MODERATION_HANDLERS,
    **roll_handlers.HANDLERS,
    **share_handlers.HANDLERS,
}
"""Every command but ``help`` (answered from the declarations alone)."""
