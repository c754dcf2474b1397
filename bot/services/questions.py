"""Member Q&A for a hustings: ask, upvote, list; moderators answer, dismiss and approve.

Askers are stored (moderators must be able to see who asked) but shown to members only when
the asker chose to be named. Upvotes are keyed hashes, one per member per question (a UNIQUE
constraint), and toggle: a second upvote takes the first back.
"""

from __future__ import annotations

import builtins
import re
from typing import Literal

from sqlalchemy import ColumnElement, and_, delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain import Actor, Place, QuestionStatus, QuestionView, UpvoteOutcome
from bot.errors import Conflict, InvalidInput, NotFound
from bot.ranking import parse_ranking
from bot.services import audit
from bot.services.common import ServiceContext, ballot_candidates, is_moderator, require_moderator
from bot.storage import queries
from bot.storage.database import transaction
from bot.storage.tables import ChannelSettings, Question, Upvote

MAX_QUESTION = 500
MAX_ANSWER = 2000
MAX_REASON = 500
MAX_LIMIT = 50
_SHORT_ID = re.compile(r"^#?q?(\d{1,9})$", re.IGNORECASE)

Order = Literal["top", "new"]
Listed = Literal["open", "answered", "all"]


class QuestionService:
    """The hustings question board of each channel."""

    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    async def ask(
        self,
        actor: Actor,
        place: Place,
        text: str,
        *,
        to_candidate: str | None = None,
        named: bool = False,
    ) -> QuestionView:
        """Post a question (pending when the channel is pre-moderated)."""
        body = _bounded(text, MAX_QUESTION, "A question")
        async with transaction(self._ctx.sessions) as session:
            to = await _addressee(session, place, to_candidate)
            premoderated = await _premoderated(session, place)
            number = await session.scalar(
                select(func.coalesce(func.max(Question.number), 0)).where(_here(place))
            )
            question = Question(
                platform=place.platform, workspace=place.workspace, channel=place.channel,
                number=int(number or 0) + 1, text=body, to_candidate=to,
                status="pending" if premoderated else "open", asker_user_id=actor.user_id,
                asker_name=actor.display_name, named=named, upvotes=0,
            )  # fmt: skip
            session.add(question)
            await session.flush()
            return self._view(question, actor)

    async def upvote(self, actor: Actor, place: Place, short_id: str) -> UpvoteOutcome:
        """Toggle the caller's upvote on an open or answered question."""
        voter = self._ctx.secrecy.upvoter_key(actor.platform, actor.workspace, actor.user_id)
        async with transaction(self._ctx.sessions) as session:
            question = await self._find(session, place, short_id, actor)
            if question.status not in ("open", "answered"):
                raise Conflict(f"Q{question.number} is {question.status}; it cannot be upvoted.")
            removed = await session.execute(
                delete(Upvote).where(Upvote.question_id == question.id, Upvote.voter == voter)
            )
            upvoted = not getattr(removed, "rowcount", 0)
            if upvoted:
                session.add(Upvote(question_id=question.id, voter=voter))
            question.upvotes = max(0, question.upvotes + (1 if upvoted else -1))
            await session.flush()
            return UpvoteOutcome(self._view(question, actor), upvoted)

    async def list(
        self,
        actor: Actor,
        place: Place,
        *,
        order: Order = "top",
        status: Listed = "open",
        limit: int = 10,
    ) -> builtins.list[QuestionView]:
        """Top (most upvoted) or newest questions, open, answered or both."""
        if order not in ("top", "new") or status not in ("open", "answered", "all"):
            raise InvalidInput("List by top or new, and open, answered or all.")
        if not 1 <= limit <= MAX_LIMIT:
            raise InvalidInput(f"--limit must be between 1 and {MAX_LIMIT}, not {limit}.")
        statuses = ("open", "answered") if status == "all" else (status,)
        ordering = (
            (Question.upvotes.desc(), Question.number)
            if order == "top"
            else (Question.number.desc(),)
        )
        async with transaction(self._ctx.sessions, write=False) as session:
            rows = await session.scalars(
                select(Question)
                .where(_here(place), Question.status.in_(statuses))
                .order_by(*ordering)
                .limit(limit)
            )
            return [self._view(q, actor) for q in rows]

    async def answer(self, actor: Actor, place: Place, short_id: str, text: str) -> QuestionView:
        """Record the answer (posted with the question); re-answering replaces it."""
        require_moderator(self._ctx, actor, "answer questions")
        body = _bounded(text, MAX_ANSWER, "An answer")
        return await self._moderate(actor, place, short_id, "answered", answer=body)

    async def dismiss(self, actor: Actor, place: Place, short_id: str, reason: str) -> QuestionView:
        """Take a question off the board with a reason the asker is shown."""
        require_moderator(self._ctx, actor, "dismiss questions")
        why = _bounded(reason, MAX_REASON, "A reason")
        return await self._moderate(actor, place, short_id, "dismissed", reason=why)

    async def approve(self, actor: Actor, place: Place, short_id: str) -> QuestionView:
        """Publish a question waiting in a pre-moderated channel."""
        require_moderator(self._ctx, actor, "approve questions")
        return await self._moderate(actor, place, short_id, "open")

    async def set_premoderation(self, actor: Actor, place: Place, on: bool) -> bool:
        """Switch pre-moderation for this channel; returns the new setting."""
        require_moderator(self._ctx, actor, "change pre-moderation")
        async with transaction(self._ctx.sessions) as session:
            settings = await session.get(
                ChannelSettings, (place.platform, place.workspace, place.channel)
            )
            if settings is None:
                settings = ChannelSettings(
                    platform=place.platform, workspace=place.workspace, channel=place.channel
                )
                session.add(settings)
            settings.premoderated = on
            audit.record(session, actor, place, "questions.premoderation", {"on": on})
            return on

    async def pending(self, actor: Actor, place: Place) -> builtins.list[QuestionView]:
        """Questions waiting for approval, oldest first (moderators)."""
        require_moderator(self._ctx, actor, "see pending questions")
        async with transaction(self._ctx.sessions, write=False) as session:
            rows = await session.scalars(
                select(Question)
                .where(_here(place), Question.status == "pending")
                .order_by(Question.number)
            )
            return [self._view(q, actor) for q in rows]

    async def _moderate(
        self,
        actor: Actor,
        place: Place,
        short_id: str,
        to: QuestionStatus,
        *,
        answer: str | None = None,
        reason: str | None = None,
    ) -> QuestionView:
        allowed_from = {
            "answered": ("pending", "open", "answered"),
            "dismissed": ("pending", "open"),
            "open": ("pending",),
        }[to]
        async with transaction(self._ctx.sessions) as session:
            question = await self._find(session, place, short_id, actor)
            if question.status not in allowed_from:
                raise Conflict(f"Q{question.number} is {question.status}; it cannot be {to} now.")
            question.status = to
            if answer is not None:
                question.answer = answer
            if reason is not None:
                question.dismiss_reason = reason
            details = {"question": question.id, "short_id": f"Q{question.number}", "to": to}
            audit.record(session, actor, place, f"question.{_verb(to)}", details)
            await session.flush()
            return self._view(question, actor)

    async def _find(
        self, session: AsyncSession, place: Place, short_id: str, actor: Actor
    ) -> Question:
        match = _SHORT_ID.match(short_id.strip())
        if match is None:
            raise InvalidInput(f"{short_id!r} is not a question id; they look like Q12.")
        question = await session.scalar(
            select(Question).where(_here(place), Question.number == int(match.group(1)))
        )
        hidden = question is not None and question.status == "pending"
        if question is None or (hidden and not self._is_moderator(actor)):
            raise NotFound(f"There is no question Q{int(match.group(1))} in this channel.")
        return question

    def _is_moderator(self, actor: Actor) -> bool:
        return is_moderator(actor, self._ctx.moderator_roles)

    def _view(self, question: Question, actor: Actor) -> QuestionView:
        moderator = self._is_moderator(actor)
        shown_name = question.named or moderator or question.asker_user_id == actor.user_id
        return QuestionView(
            id=question.id, short_id=f"Q{question.number}", text=question.text,
            to_candidate=question.to_candidate, status=question.status,  # type: ignore[arg-type]
            upvotes=question.upvotes,
            asker_name=question.asker_name if shown_name else None,
            asker_user_id=question.asker_user_id if moderator else None,
            answer=question.answer, dismiss_reason=question.dismiss_reason,
            created_at=question.created_at, named=question.named,
        )  # fmt: skip


def _verb(status: QuestionStatus) -> str:
    return {"answered": "answer", "dismissed": "dismiss", "open": "approve"}.get(status, status)


def _here(place: Place) -> ColumnElement[bool]:
    return and_(
        Question.platform == place.platform,
        Question.workspace == place.workspace,
        Question.channel == place.channel,
    )


def _bounded(text: str, limit: int, what: str) -> str:
    body = text.strip()
    if not body:
        raise InvalidInput(f"{what} cannot be empty.")
    if len(body) > limit:
        raise InvalidInput(f"{what} can be at most {limit} characters; this is {len(body)}.")
    return body


async def _premoderated(session: AsyncSession, place: Place) -> bool:
    settings = await session.get(ChannelSettings, (place.platform, place.workspace, place.channel))
    return bool(settings and settings.premoderated)


async def _addressee(session: AsyncSession, place: Place, to: str | None) -> str | None:
    """The candidate a question is for, spelled as on the ballot when the channel has one."""
    if to is None or not to.strip():
        return None
    names: dict[str, None] = {}
    for election in await queries.elections_in(session, place):
        if election.status != "cancelled":
            names.update(dict.fromkeys(ballot_candidates(election)))
    if not names:
        return _bounded(to, 100, "A candidate name")
    ranking = parse_ranking(to, list(names))
    if len(ranking) != 1:
        raise InvalidInput("Address a question to one candidate.")
    return ranking[0]
