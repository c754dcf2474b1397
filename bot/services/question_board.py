"""Reading a channel's question board: who may see which question, and as what.

``QuestionBoard`` holds the lookups every question service shares: a question by the id a
member typed (``Q12``; ``P3`` while it waits for approval, which only moderators and its asker
can name), lists in pages, and the ``QuestionView`` of a row as the caller may see it.
``QuestionService`` (``questions``) adds the commands that change questions, and
``QuestionModeration`` builds on its lookups.

The asker always sees their own question, whatever its state (waiting, dismissed with the
reason), in lists and when they name it; nobody else but moderators does. A question that was
never shown to the channel does not exist for members: its draft id answers "There is no
question P3" to them, exactly as for a number never used.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Literal

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain import Actor, Page, Place, QuestionView
from bot.errors import InvalidInput, NotFound
from bot.services import question_rows as rows
from bot.services.common import ServiceContext, moderates, require_moderator
from bot.services.question_askers import Asker, Askers
from bot.storage.database import transaction
from bot.storage.tables import Question
from counting.names import invisible

_SHORT_ID = re.compile(r"^#?([qp]?)(\d{1,9})$", re.IGNORECASE)
"""``Q12`` (or ``12``, ``#12``): a published question; ``P3``: one held for approval."""


def _plain_short_id(typed: str) -> str:
    """``typed`` as ``_SHORT_ID`` reads it: NFKC (a phone's full-width ``ｑ１２`` is ``q12``,
    an ideographic space a space), invisible characters dropped (``counting.names.invisible``,
    as ``/rank`` reads a line), ends stripped. Only what looks the same changes, so a typed
    id that names no question, or two, is still refused."""
    normal = unicodedata.normalize("NFKC", typed)
    return "".join(ch for ch in normal if not invisible(ch)).strip()


Order = Literal["top", "new"]
Listed = Literal["open", "answered", "pending", "dismissed", "all"]
_LISTED = ("open", "answered", "pending", "dismissed", "all")


class QuestionBoard:
    """Each channel's questions as each caller may see them (no changes: ``questions``)."""

    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx
        self.askers = Askers(ctx.secrecy)
        """Who asked each question (``question_askers``), shared with the moderation service."""

    async def list(
        self,
        actor: Actor,
        place: Place,
        *,
        order: Order = "top",
        status: Listed = "open",
        page: int = 1,
        to: str | None = None,
    ) -> Page[QuestionView]:
        """Top (most upvoted) or newest questions, one page of them. ``status`` ``all`` is all
        the caller may see: members see published open and answered questions and their own
        in any state (so ``pending`` and ``dismissed`` list only theirs); moderators see all.
        ``to``: only the questions addressed to that candidate (the per-candidate queue;
        ``all``/``panel``: those for everyone), matched as ``/ask --to`` matches."""
        if order not in ("top", "new") or status not in _LISTED:
            raise InvalidInput("List by top or new, and open, answered, pending, dismissed or all.")
        statuses = _LISTED[:4] if status == "all" else (status,)
        ordering = (
            (Question.upvotes.desc(), Question.number.is_(None), Question.number, Question.id)
            if order == "top"
            else (Question.number.is_(None).desc(), Question.number.desc(), Question.id.desc())
        )
        visible = self._visible(actor, place)
        where = and_(rows.here(place), Question.status.in_(statuses), visible)
        async with transaction(self._ctx.sessions, write=False) as session:
            if to is not None:
                name = await rows.addressee(session, place, to)
                where = and_(where, Question.to_candidate.is_(None) if name is None else
                             Question.to_candidate == name)  # fmt: skip
            return await rows.page(session, where, ordering, page, lambda q: self._view(q, actor))

    def _visible(self, actor: Actor, place: Place) -> ColumnElement[bool]:
        if self._is_moderator(actor):
            return Question.id.is_not(None)
        public = and_(Question.published.is_(True), Question.status.in_(("open", "answered")))
        return or_(public, self.askers.asked_by(actor, place.channel))

    async def find(
        self, session: AsyncSession, place: Place, short_id: str, actor: Actor
    ) -> Question:
        """The row ``short_id`` names, as ``actor`` may see it (``NotFound`` otherwise); for
        the moderation and stats services, inside their own transaction."""
        return await self._find(session, place, short_id, actor)

    def view(self, question: Question, actor: Actor) -> QuestionView:
        """``question`` as ``actor`` may see it."""
        return self._view(question, actor)

    async def pending(self, actor: Actor, place: Place, page: int = 1) -> Page[QuestionView]:
        """Questions waiting for approval, oldest first (moderators), one page of them."""
        require_moderator(self._ctx, actor, "see pending questions")
        where = and_(rows.here(place), Question.status == "pending")
        async with transaction(self._ctx.sessions, write=False) as session:
            return await rows.page(
                session, where, rows.WAITING_ORDER, page, lambda q: self._view(q, actor)
            )

    async def _find(
        self, session: AsyncSession, place: Place, short_id: str, actor: Actor
    ) -> Question:
        match = _SHORT_ID.match(_plain_short_id(short_id))
        if match is None:
            raise InvalidInput(f"{short_id!r} is not a question id; they look like Q12.")
        draft = match.group(1).casefold() == "p"
        column = Question.draft_number if draft else Question.number
        number = int(match.group(2))
        question = await session.scalar(select(Question).where(rows.here(place), column == number))
        hidden = question is not None and not question.published
        own = question is not None and self.askers.is_asker(question, actor)
        if question is None or (hidden and not own and not self._is_moderator(actor)):
            raise NotFound(f"There is no question {'P' if draft else 'Q'}{number} in this channel.")
        return question

    def _is_moderator(self, actor: Actor) -> bool:
        return moderates(self._ctx, actor)

    def _view(self, question: Question, actor: Actor) -> QuestionView:
        moderator = self._is_moderator(actor)
        own = self.askers.is_asker(question, actor)
        asker = self.askers.of(question) if moderator or own else Asker(None, None)
        return QuestionView(
            id=question.id, short_id=rows.short_id(question), text=question.text,
            to_candidate=question.to_candidate, status=question.status,  # type: ignore[arg-type]
            upvotes=question.upvotes,
            asker_name=question.asker_name if question.named else asker.name,
            asker_user_id=asker.user_id if moderator else None,
            answer=question.answer, dismiss_reason=question.dismiss_reason,
            created_at=question.created_at, named=question.named,
            dismiss_code=question.dismiss_code, answered_by=question.answered_by,
            answered_at=question.answered_at, answer_edited_at=question.answer_edited_at,
            answer_message=question.answer_message,
            proposed_text=question.proposed_text
            if (moderator or own) and rows.rewording_waits(question) else None,
        )  # fmt: skip
