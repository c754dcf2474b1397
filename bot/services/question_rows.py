"""Reading a channel's question rows: which rows are here, one page of them, pre-moderation
and the candidate a question is addressed to. ``QuestionService`` holds the rules; these are
the queries it runs inside its own transaction (each takes the open ``AsyncSession``), and the
length check every piece of question text passes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain import Page, Place, QuestionView
from bot.errors import Conflict, InvalidInput
from bot.ranking import parse_ranking
from bot.services import hustings_rows
from bot.services.common import ballot_candidates
from bot.storage import queries
from bot.storage.tables import ChannelSettings, Question
from counting.names import fold

PER_PAGE = 10
WAITING_ORDER = (Question.draft_number, Question.number)
"""Oldest first among questions held for approval (legacy ones kept their ``Q`` number)."""


def short_id(question: Question) -> str:
    """``Q12`` once published (or for rows older than draft numbers), ``P3`` while held."""
    if question.number is None:
        return f"P{question.draft_number}"
    return f"Q{question.number}"


async def next_number(session: AsyncSession, place: Place, column: Any) -> int:
    """The next free value of ``column`` (``number`` or ``draft_number``) in the channel."""
    highest = await session.scalar(select(func.coalesce(func.max(column), 0)).where(here(place)))
    return int(highest or 0) + 1


async def publish(session: AsyncSession, place: Place, question: Question) -> None:
    """Mark ``question`` shown to the channel, giving it the next ``Q`` number if it has none.

    Numbers are given in the order questions are published, so the ``Q`` numbers members see
    run without gaps however many questions were held back or dismissed unseen."""
    if question.number is None:
        question.number = await next_number(session, place, Question.number)
    question.published = True


async def page(
    session: AsyncSession,
    where: ColumnElement[bool],
    ordering: tuple[Any, ...],
    number: int,
    view: Callable[[Question], QuestionView],
) -> Page[QuestionView]:
    """Page ``number`` (from 1) of the rows ``where`` selects, in ``ordering``, with the total;
    ``InvalidInput`` for a page that does not exist (so the member is told how many there are).
    """
    if number < 1:
        raise InvalidInput(f"--page must be 1 or more, not {number}.")
    total = int(await session.scalar(select(func.count(Question.id)).where(where)) or 0)
    pages = max(1, -(-total // PER_PAGE))
    if number > pages:
        raise InvalidInput(f"There {'is' if pages == 1 else 'are'} only {pages} page"
                           f"{'' if pages == 1 else 's'} of {total} question"
                           f"{'' if total == 1 else 's'}.")  # fmt: skip
    found = await session.scalars(
        select(Question)
        .where(where)
        .order_by(*ordering)
        .offset((number - 1) * PER_PAGE)
        .limit(PER_PAGE)
    )
    return Page(tuple(view(q) for q in found), total, number, PER_PAGE)


def here(place: Place) -> ColumnElement[bool]:
    return and_(
        Question.platform == place.platform,
        Question.workspace == place.workspace,
        Question.channel == place.channel,
    )


async def premoderated(session: AsyncSession, place: Place) -> bool:
    settings = await session.get(ChannelSettings, (place.platform, place.workspace, place.channel))
    return bool(settings and settings.premoderated)


def refuse_split_name(typed: str | None, resolved: str | None, text: str) -> None:
    """``InvalidInput`` when a name with spaces lost its end to the question text.

    ``/ask --to Jeremy Corbyn, will you…`` reads ``--to Jeremy`` (one word) and a question
    starting "Corbyn, will you…": the addressee resolves, but the text is not what was meant.
    Two readings, so neither is taken: the member is asked to quote the name.
    """
    if typed is None or resolved is None:
        return
    typed_words, name_words = fold(typed).split(), fold(resolved).split()
    rest = name_words[len(typed_words) :]
    if not rest or name_words[: len(typed_words)] != typed_words:
        return
    opening = [w.strip(",.:;?!") for w in fold(text).split()[: len(rest)]]
    if opening == rest:
        raise InvalidInput(
            f'Put a name with spaces in quotes: --to "{resolved}" (your question would start '
            f'"{text.split(maxsplit=1)[0]}").'
        )


EVERYONE = frozenset({"all", "panel"})
"""``--to all`` / ``--to panel``: a question for every candidate (stored with no addressee)."""


async def addressee(session: AsyncSession, place: Place, to: str | None) -> str | None:
    """The candidate a question is for, spelled as on the ballot, or ``None`` for everyone.

    ``to`` must be ``all``/``panel`` or name a candidate of an election in this channel that
    is neither a draft nor cancelled, matched as ballots are (``counting.names.fold``, the
    moderators' aliases, a "Did you mean" for a near miss; an alias two elections here give
    different meanings is not used). Drafts are the moderators' alone: their candidates are
    neither matched nor suggested (a question is public, and "Did you mean …" would name them).
    """
    if to is None or not to.strip() or fold(to) in EVERYONE:
        return None
    return await _one_candidate(
        session,
        place,
        to,
        none_here="There are no candidates to address in this channel (no election here has "
        "been opened), so --to can only be all or panel; or ask without --to.",
        several="Address a question to one candidate (or --to all).",
    )


async def answerer(session: AsyncSession, place: Place, by: str) -> str:
    """The candidate ``by`` names (``/question answer --by``), as on the ballot: one
    candidate of an opened election here, matched as ``addressee`` matches; never all/panel."""
    if not by.strip() or fold(by) in EVERYONE:
        raise InvalidInput("--by names the one candidate who answered (or leave --by out).")
    return await _one_candidate(
        session,
        place,
        by,
        none_here="No candidate can be credited with this answer: no election in this channel "
        "has been opened, so it has no public candidates for --by to name. Leave --by out to "
        "record the answer without one.",
        several="--by names the one candidate who answered (or leave --by out).",
    )


async def _one_candidate(
    session: AsyncSession, place: Place, typed: str, *, none_here: str, several: str
) -> str:
    """The one candidate ``typed`` names among the public ones here (see ``addressee``);
    ``none_here``: the refusal when there are none, ``several``: when it names more."""
    names: dict[str, None] = {}
    aliases: dict[str, str | None] = {}  # None: two elections give one alias two meanings
    announced = await hustings_rows.ballot_id(session, place)  # a draft the hustings named
    for election in await queries.elections_in(session, place):
        if election.status not in ("cancelled", "draft") or election.id == announced:
            names.update(dict.fromkeys(ballot_candidates(election)))
            for each in election.aliases:
                meant = aliases.setdefault(each.alias, each.candidate)
                if meant != each.candidate:
                    aliases[each.alias] = None
    if not names:
        raise InvalidInput(none_here)
    known = {alias: name for alias, name in aliases.items() if name in names}
    ranking = parse_ranking(typed, list(names), known)
    if len(ranking) != 1:
        raise InvalidInput(several)
    return ranking[0]


REWORDABLE = ("pending", "open")
"""The states in which a moderator's rewording may be proposed, accepted or declined."""


def rewording_waits(question: Question, status: str | None = None) -> bool:
    """A rewording waits for the asker's consent (``status``: the state to judge it in, if
    not the current one). ``proposed_text`` outlives the wait when the question is answered,
    dismissed or merged meanwhile: it then records a proposal that lapsed."""
    return question.proposed_text is not None and (status or question.status) in REWORDABLE


def refuse_other_answerer(question: Question, name: str, *, override: bool) -> None:
    """``Conflict`` when ``name`` is not the candidate ``question`` was put to (a question
    to everyone may be answered by anyone), unless ``override``; see ``QuestionService.answer``.
    """
    put_to = question.to_candidate
    if put_to is None or name == put_to or override:
        return
    shown = short_id(question)
    raise Conflict(
        f"{shown} was put to {put_to}, not {name}: nothing was recorded. Answer it --by "
        f"{put_to}; or, if the chair let {name} answer instead, add --override "
        f"(/question answer {shown} --by {name} --override and the answer): the answer then "
        f"says it was put to {put_to}, and counts in {name}'s equal-time figures."
    )


def not_upvotable(question: Question) -> str:
    """Why ``question`` (waiting or dismissed) cannot be upvoted, and what can be done."""
    shown = short_id(question)
    if question.status == "pending":
        return f"{shown} is waiting for a moderator's approval; it can be upvoted once published."
    why = f" ({question.dismiss_reason})" if question.dismiss_reason else ""
    return f"{shown} was dismissed{why}; dismissed questions cannot be upvoted."


def cannot_become(question: Question, to: str) -> str:
    """A refused moderation step: the state ``question`` is in, and what can be done instead.

    ``to`` is the state asked for: ``open`` (approve), ``dismissed`` or ``answered``."""
    shown = short_id(question)
    status = question.status
    if status == to:
        if to == "dismissed":
            return f"{shown} is already dismissed ({question.dismiss_reason}); nothing to do."
        return f"{shown} is already open (published); nothing to approve."
    if status == "dismissed":
        return (
            f"{shown} was dismissed ({question.dismiss_reason}); a dismissed question cannot be "
            f"{'approved' if to == 'open' else to}. The asker may ask it again."
        )
    if status == "answered" and to == "open":
        return f"{shown} is already published and answered; nothing to approve."
    if status == "answered":
        return (
            f"{shown} is already answered; it cannot be dismissed now. "
            f"/question answer {shown} … replaces the answer."
        )
    return f"{shown} is {status}; it cannot be {to} now."


def bounded(text: str, limit: int, what: str) -> str:
    """``text`` stripped, or ``InvalidInput`` if it is empty or over ``limit`` characters."""
    body = text.strip()
    if not body:
        raise InvalidInput(f"{what} cannot be empty.")
    if len(body) > limit:
        raise InvalidInput(f"{what} can be at most {limit} characters; this is {len(body)}.")
    return body
