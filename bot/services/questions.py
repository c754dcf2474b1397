"""Member Q&A for a hustings: ask, upvote, list; moderators answer, dismiss and approve.

Askers are kept (moderators must be able to see who asked, and the asker is told privately
what happens to their question) but shown to members only when the asker chose to be named;
an anonymous question's asker is kept only as a keyed hash and a sealed copy, never in the
clear (``question_askers``). Upvotes are keyed hashes, one per member per question (a UNIQUE
constraint); a member cannot upvote their own question, a second ``/upvote`` says it is already
counted and ``--undo`` takes it back (only the platforms' upvote buttons toggle).

Who may see which question, and the lookups by id, are ``question_board.QuestionBoard``'s.
A question that was never shown to the channel (``Question.published`` false: waiting for
approval, or dismissed while waiting) has a draft id (``P3``) and takes its public number
(``Q7``) only when published, so the numbers members see have no gaps.
One member cannot flood a channel: ``flood.check`` runs in the transaction that adds their
question. Lists come in pages (``Page``) that say how many there are in all.
"""

from __future__ import annotations

from dataclasses import replace
from typing import NamedTuple

from sqlalchemy import delete, select

from bot.domain import (
    Actor,
    FloodLimits,
    Place,
    PremoderationView,
    QuestionStatus,
    QuestionView,
    UpvoteOutcome,
)
from bot.errors import Conflict, InvalidInput, NotFound
from bot.services import audit, flood, hustings_rows
from bot.services import question_rows as rows
from bot.services.common import require_moderator
from bot.services.question_board import QuestionBoard
from bot.services.question_reasons import REQUIRED as REASON_REQUIRED
from bot.services.question_reasons import read as read_reason
from bot.storage import queries
from bot.storage.database import transaction
from bot.storage.tables import ChannelSettings, Question, Upvote

MAX_QUESTION = 500
MAX_ANSWER = 2000
MAX_REASON = 500
PER_PAGE = 10


class QuestionService(QuestionBoard):
    """The hustings question board of each channel: the commands that change it."""

    async def ask(
        self,
        actor: Actor,
        place: Place,
        text: str,
        *,
        to_candidate: str | None = None,
        named: bool = False,
    ) -> QuestionView:
        """Post a question (pending when the channel is pre-moderated).

        ``Flooded`` when a member (not a moderator) is over the channel's limits."""
        body = rows.bounded(text, MAX_QUESTION, "A question")
        now = self._ctx.clock()
        async with transaction(self._ctx.sessions) as session:
            await queries.lock_channel(session, place)
            to = await rows.addressee(session, place, to_candidate)
            rows.refuse_split_name(to_candidate, to, body)
            if not self._is_moderator(actor):
                await flood.check(session, place, self.askers.asked_by(actor, place.channel), now)
            premoderated = await rows.premoderated(session, place)
            column = Question.draft_number if premoderated else Question.number
            number = await rows.next_number(session, place, column)
            question = Question(
                platform=place.platform, workspace=place.workspace, channel=place.channel,
                number=None if premoderated else number,
                draft_number=number if premoderated else None, text=body, to_candidate=to,
                status="pending" if premoderated else "open", named=named, upvotes=0,
                published=not premoderated, created_at=now, updated_at=now,
            )  # fmt: skip
            self.askers.stamp(question, actor)
            await hustings_rows.attach(session, place, question)
            session.add(question)
            await session.flush()
            return self._view(question, actor)

    async def upvote(
        self,
        actor: Actor,
        place: Place,
        short_id: str,
        *,
        undo: bool = False,
        toggle: bool = False,
    ) -> UpvoteOutcome:
        """Add the caller's upvote (``undo``: take it back; ``toggle``: a button press, which
        does whichever applies). Never on one's own question; only open or answered ones."""
        voter = self._ctx.secrecy.upvoter_key(actor.platform, actor.workspace, actor.user_id)
        async with transaction(self._ctx.sessions) as session:
            await queries.lock_channel(session, place)
            question = await self._find(session, place, short_id, actor)
            shown = rows.short_id(question)
            if question.status not in ("open", "answered"):
                raise Conflict(rows.not_upvotable(question))
            if self.askers.is_asker(question, actor):
                raise Conflict(f"{shown} is your own question: you cannot upvote it.")
            had = await session.scalar(
                select(Upvote.question_id).where(
                    Upvote.question_id == question.id, Upvote.voter == voter
                )
            )
            want = (had is None) if toggle else not undo
            if want == (had is not None):
                return UpvoteOutcome(self._view(question, actor), want, changed=False)
            if want:
                session.add(Upvote(question_id=question.id, voter=voter))
            else:
                await session.execute(
                    delete(Upvote).where(Upvote.question_id == question.id, Upvote.voter == voter)
                )
            question.upvotes = max(0, question.upvotes + (1 if want else -1))
            await session.flush()
            return UpvoteOutcome(self._view(question, actor), want, toggled=toggle)

    async def answer(
        self,
        actor: Actor,
        place: Place,
        short_id: str,
        text: str,
        *,
        by: str | None = None,
        override: bool = False,
    ) -> QuestionView:
        """Record the answer (posted with the question) and, with ``by``, the candidate who
        gave it; re-answering replaces it and marks it edited (``answer_edited_at``).

        A question put to everyone (``--to all``/``panel``, or no ``--to``) may be answered by
        any candidate. One put to a candidate is answered by them: ``by`` naming another is
        refused (``Conflict``, saying why) unless ``override`` (``--override``: the chair let
        another candidate take it), and the answer then says whom it was put to (the
        equal-time figures count it for who answered). This is a hustings chair's rule: a
        typo in ``--by`` must not credit one candidate's answer to another."""
        require_moderator(self._ctx, actor, "answer questions")
        body = rows.bounded(text, MAX_ANSWER, "An answer")
        if override and by is None:
            raise InvalidInput("--override goes with --by (the candidate who answered instead).")
        answerer = _Answerer(by, override)
        return await self._moderate(actor, place, short_id, "answered", answer=body, by=answerer)

    async def dismiss(self, actor: Actor, place: Place, short_id: str, reason: str) -> QuestionView:
        """Take a question off the board with a reason code (and words) the asker is shown:
        ``duplicate``, ``off-topic``, ``abusive``, ``answered-elsewhere``, or ``other`` and
        the reason (``reasons.read``)."""
        require_moderator(self._ctx, actor, "dismiss questions")
        if not reason.strip():
            raise InvalidInput(f"{REASON_REQUIRED}.")
        code, why = read_reason(rows.bounded(reason, MAX_REASON, "A reason"))
        return await self._moderate(actor, place, short_id, "dismissed", reason=why, code=code)

    async def record_answer_post(self, place: Place, question_id: int, where: str) -> None:
        """Remember where an adapter posted ``question_id``'s answer (``channel:message``),
        so a re-answer edits that message. Called by the adapter after posting; not a command."""
        async with transaction(self._ctx.sessions) as session:
            question = await session.get(Question, question_id)
            if question is None or (question.platform, question.workspace, question.channel) != (
                place.platform, place.workspace, place.channel
            ):  # fmt: skip
                raise NotFound("That question is not in this channel.")
            question.answer_message = where[:128]

    async def approve(self, actor: Actor, place: Place, short_id: str) -> QuestionView:
        """Publish a question waiting in a pre-moderated channel."""
        require_moderator(self._ctx, actor, "approve questions")
        return await self._moderate(actor, place, short_id, "open")

    async def approve_all(self, actor: Actor, place: Place) -> tuple[QuestionView, ...]:
        """Publish every question waiting in this channel, oldest first (each audited)."""
        require_moderator(self._ctx, actor, "approve questions")
        async with transaction(self._ctx.sessions) as session:
            await queries.lock_channel(session, place)
            waiting = await session.scalars(
                select(Question)
                .where(rows.here(place), Question.status == "pending")
                .order_by(*rows.WAITING_ORDER)
            )
            approved = []
            for question in list(waiting):
                details = {"question": question.id, "draft": rows.short_id(question)}
                await rows.publish(session, place, question)
                question.status = "open"
                details |= {"short_id": rows.short_id(question), "to": "open"}
                audit.record(session, actor, place, "question.approve", details)
                approved.append(question)
            await session.flush()
            return tuple(self._view(q, actor) for q in approved)

    async def set_premoderation(self, actor: Actor, place: Place, on: bool) -> PremoderationView:
        """Switch pre-moderation for this channel; says which questions still wait (switching
        it off publishes nothing by itself: each is approved, or dismissed, by a moderator)."""
        require_moderator(self._ctx, actor, "change pre-moderation")
        async with transaction(self._ctx.sessions) as session:
            await queries.lock_channel(session, place)
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
            waiting = await session.scalars(
                select(Question)
                .where(rows.here(place), Question.status == "pending")
                .order_by(*rows.WAITING_ORDER)
            )
            return PremoderationView(on, tuple(rows.short_id(q) for q in waiting))

    async def limits(
        self, actor: Actor, place: Place, limit: int | None, window_minutes: int | None
    ) -> FloodLimits:
        """Show (both ``None``) or change this channel's question flood limits (moderators)."""
        require_moderator(self._ctx, actor, "change the question limits")
        async with transaction(self._ctx.sessions) as session:
            await queries.lock_channel(session, place)
            if limit is None and window_minutes is None:
                return await flood.limits_for(session, place)
            changed = await flood.set_limits(session, place, limit, window_minutes)
            details = {"limit": changed.limit, "window_minutes": changed.window_minutes}
            audit.record(session, actor, place, "questions.limits", details)
            return changed

    async def _moderate(
        self,
        actor: Actor,
        place: Place,
        short_id: str,
        to: QuestionStatus,
        *,
        answer: str | None = None,
        reason: str | None = None,
        code: str | None = None,
        by: _Answerer | None = None,
    ) -> QuestionView:
        allowed_from = {
            "answered": ("pending", "open", "answered"),
            "dismissed": ("pending", "open"),
            "open": ("pending",),
        }[to]
        async with transaction(self._ctx.sessions) as session:
            await queries.lock_channel(session, place)
            question = await self._find(session, place, short_id, actor)
            if question.status not in allowed_from:
                raise Conflict(rows.cannot_become(question, to))
            was, edited = question.status, to == "answered" and question.status == "answered"
            now = self._ctx.clock()
            details: dict[str, object] = {"question": question.id}
            if to == "answered":
                if by is not None and by.typed is not None:
                    name = await rows.answerer(session, place, by.typed)
                    rows.refuse_other_answerer(question, name, override=by.override)
                    question.answered_by = name
                    details["override"] = by.override
                question.answered_at = question.answered_at or now
                if edited:
                    question.answer_edited_at = now
            if to in ("open", "answered") and not question.published:
                details["draft"] = rows.short_id(question)
                await rows.publish(session, place, question)
            question.status = to
            if answer is not None:
                question.answer = answer
            if reason is not None:
                question.dismiss_reason, question.dismiss_code = reason, code
            # answered or dismissed: its wording is on the record as asked, and a rewording
            # still waiting lapses (kept, so a late accept is told why; its asker is told now)
            lapsed = to != "open" and rows.rewording_waits(question, was)
            details |= {"short_id": rows.short_id(question), "to": to, "edited": edited}
            audit.record(session, actor, place, f"question.{_verb(to)}", details)
            await session.flush()
            view = self._view(question, actor)
            return replace(view, answer_edited=edited, proposal_lapsed=lapsed)


class _Answerer(NamedTuple):
    """``--by`` as typed (``None``: not given) and whether ``--override`` came with it."""

    typed: str | None
    override: bool


def _verb(status: QuestionStatus) -> str:
    return {"answered": "answer", "dismissed": "dismiss", "open": "approve"}.get(status, status)
