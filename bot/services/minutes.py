"""The minutes of a hustings: every question asked during it, its state and its answer.

Who may read them (issue 13 item 4): moderators at any time; members once the hustings has
ended (until then the minutes are not published). What each reads:

* moderators: every question of the hustings, in every state, dismissed ones with their text;
* members: every question ever shown to the channel (a question dismissed while waiting for
  approval never existed for them, so it is not listed), a dismissed one with its state and
  reason but not its text (abuse is not republished by the minutes).

Both copies name an asker only for a question asked ``--named``, never an anonymous one.
Without a hustings number the latest hustings of the channel is meant; a moderator in a
channel that never held one gets every question of the channel.

Dismissal reason codes and who answered are columns of the moderation work (issue 13 items
2 and 3); ``_optional`` reads them if the schema has them and leaves them empty otherwise.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain import Actor, Place
from bot.errors import NotAllowed
from bot.services import hustings_rows as events
from bot.services import question_rows as rows
from bot.services.common import ServiceContext, is_moderator
from bot.services.hustings_values import (
    AnswersSummary,
    CandidateAnswers,
    MinuteEntry,
    Minutes,
)
from bot.storage.database import transaction
from bot.storage.tables import Question
from counting.names import fold

ANSWERER_COLUMNS = ("answered_by", "answerer")
"""Where who answered may be stored (the ``--by`` work); the first that exists is read."""
REASON_CODE_COLUMNS = ("dismiss_code", "reason_code", "dismiss_reason_code")
"""Where a dismissal's reason code may be stored; the first that exists is read."""
_ORDER = (Question.number.is_(None), Question.number, Question.draft_number, Question.id)


class MinutesService:
    """``/questions export``: the minutes of a channel's hustings, as the caller may read them."""

    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    async def export(self, actor: Actor, place: Place, number: int | None = None) -> Minutes:
        """The minutes of hustings ``number`` (default: the latest); see the module."""
        moderator = is_moderator(actor, self._ctx.moderator_roles)
        async with transaction(self._ctx.sessions, write=False) as session:
            hustings = await events.chosen(session, place, number)
            if hustings is None and not moderator:
                raise NotAllowed(
                    "No hustings has been held in this channel. Its minutes are published to "
                    "everyone when a moderator ends it (/hustings end)."
                )
            if hustings is not None and hustings.ended_at is None and not moderator:
                raise NotAllowed(
                    f"Hustings {hustings.number} is still going on; its minutes are published "
                    "to everyone when a moderator ends it (/hustings end)."
                )
            where = rows.here(place) if hustings is None else (Question.hustings_id == hustings.id)
            if not moderator:
                where = where & Question.published.is_(True)
            found = await session.scalars(select(Question).where(where).order_by(*_ORDER))
            entries = tuple(_entry(q, full=moderator) for q in found)
            view = None if hustings is None else await events.view_of(session, hustings)
            return Minutes(view, entries, full=moderator)


def _entry(question: Question, *, full: bool) -> MinuteEntry:
    withheld = question.status == "dismissed" and not full
    return MinuteEntry(
        short_id=rows.short_id(question), state=question.status,
        text=None if withheld else question.text, to_candidate=question.to_candidate,
        asker=question.asker_name if question.named else None, upvotes=question.upvotes,
        reason_code=_optional(question, REASON_CODE_COLUMNS),
        reason=question.dismiss_reason if question.status == "dismissed" else None,
        answer=question.answer if question.status == "answered" else None,
        answered_by=_optional(question, ANSWERER_COLUMNS),
        asked_at=question.created_at, updated_at=question.updated_at,
    )  # fmt: skip


def _optional(question: Question, columns: tuple[str, ...]) -> str | None:
    """The first of ``columns`` the row has, as text (``None`` if none has a value)."""
    for column in columns:
        value = getattr(question, column, None)
        if value is not None:
            return str(value)
    return None


async def answers_summary(
    session: AsyncSession, hustings_id: int, candidates: tuple[str, ...]
) -> AnswersSummary:
    """Each candidate's answered questions in a hustings (by who answered when recorded,
    else by whom the question was addressed to), and those to the whole panel."""
    found = await session.scalars(
        select(Question)
        .where(Question.hustings_id == hustings_id, Question.status == "answered")
        .order_by(Question.upvotes.desc(), *_ORDER)
    )
    by_candidate: dict[str, list[tuple[str, str, str, int]]] = {c: [] for c in candidates}
    folded = {fold(c): c for c in candidates}
    panel: list[tuple[str, str, str, int]] = []
    for question in found:
        line = (rows.short_id(question), question.text, question.answer or "", question.upvotes)
        who = _optional(question, ANSWERER_COLUMNS) or question.to_candidate
        candidate = None if who is None else folded.get(fold(who))
        if candidate is None:
            panel.append(line)
        else:
            by_candidate[candidate].append(line)
    answers = tuple(CandidateAnswers(c, tuple(by_candidate[c])) for c in candidates)
    return AnswersSummary(answers, tuple(panel))
