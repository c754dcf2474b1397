"""Moderating questions in the open: merging duplicates, and rewording only with consent.

**Merge** (``/question merge Q5 Q2``, moderators): Q5's upvoters join Q2's, one upvote per
member: a member who upvoted both counts once (the ``uq_upvote`` constraint would refuse a
second row anyway), and Q2's own asker's upvote on Q5 is dropped, since nobody upvotes their
own question. Q5 is then dismissed as a duplicate of Q2 (reason code ``duplicate``,
``merged_into_id``), its asker told privately. Upvotes are keyed hashes
(``Secrecy.upvoter_key``), so the merge compares hashes and never learns who upvoted; and the
moderator is told only how many of Q5's upvotes joined and how many did not (already on Q2,
or Q2's asker's), never which of the two: that would say how Q2's asker had voted.

**Edit with consent** (``/question edit Q3 TEXT``, moderators): the wording is only
*proposed* (``proposed_text``); the question's text does not change until its asker types
``/question accept Q3``; ``/question decline Q3`` drops it. Only the asker may accept or
decline, and only while the question is waiting or open (an answered question is on the
record as asked). A new proposal replaces a waiting one. A proposal still waiting when the
question is answered, dismissed or merged *lapses*: its asker is told then (the view's
``proposal_lapsed``), and a later accept or decline is refused with that reason.

Each method is one transaction; moderator steps are audited (members' are not, as for
``/ask``).
"""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain import Actor, Place
from bot.errors import Conflict, InvalidInput, NotAllowed
from bot.services import audit
from bot.services import question_reasons as reasons
from bot.services import question_rows as rows
from bot.services.common import ServiceContext, require_moderator
from bot.services.question_values import MergeOutcome, RewordOutcome
from bot.services.questions import MAX_QUESTION, QuestionService
from bot.storage.database import transaction
from bot.storage.tables import Question, Upvote


class QuestionModeration:
    """Merge and consented rewording, on top of ``QuestionService``'s lookups and views."""

    def __init__(self, ctx: ServiceContext, questions: QuestionService) -> None:
        self._ctx = ctx
        self._questions = questions

    async def merge(self, actor: Actor, place: Place, from_id: str, into_id: str) -> MergeOutcome:
        """Merge question ``from_id`` (open or waiting) into ``into_id`` (open or answered)."""
        require_moderator(self._ctx, actor, "merge questions")
        async with transaction(self._ctx.sessions) as session:
            source = await self._questions.find(session, place, from_id, actor)
            target = await self._questions.find(session, place, into_id, actor)
            src, dst = rows.short_id(source), rows.short_id(target)
            if source.id == target.id:
                raise InvalidInput(f"Merge {src} into another question, not into itself.")
            if source.status not in ("open", "pending"):
                raise Conflict(f"{src} is {source.status}; only an open or waiting question can "
                               "be merged into another.")  # fmt: skip
            if target.status not in ("open", "answered"):
                raise Conflict(f"{dst} is {target.status}; merge into an open or answered "
                               "question.")  # fmt: skip
            moved, not_added = await self._move_upvotes(session, source, target)
            lapsed = rows.rewording_waits(source)  # kept: a late accept is told it lapsed
            source.status, source.dismiss_code = "dismissed", "duplicate"
            source.dismiss_reason = reasons.merged(dst)
            source.merged_into_id = target.id
            details = {"question": source.id, "short_id": src, "into": target.id}
            details |= {"into_short_id": dst, "moved": moved, "not_added": not_added}
            audit.record(session, actor, place, "question.merge", details)
            await session.flush()
            merged = replace(self._questions.view(source, actor), proposal_lapsed=lapsed)
            return MergeOutcome(
                merged, self._questions.view(target, actor),
                moved, not_added, self._questions.askers.of(source).user_id,
            )  # fmt: skip

    async def _move_upvotes(
        self, session: AsyncSession, source: Question, target: Question
    ) -> tuple[int, int]:
        """Give ``target`` the upvotes of ``source`` it lacks; ``(moved, not_added)``: those
        not added were already on ``target`` or are its asker's (never told apart)."""
        theirs = set(
            await session.scalars(select(Upvote.voter).where(Upvote.question_id == source.id))
        )
        ours = set(
            await session.scalars(select(Upvote.voter).where(Upvote.question_id == target.id))
        )
        asker_id = self._questions.askers.of(target).user_id  # None: sealed under another key
        own = set()
        if asker_id is not None:
            own.add(self._ctx.secrecy.upvoter_key(target.platform, target.workspace, asker_id))
        joining = theirs - ours - own
        session.add_all(Upvote(question_id=target.id, voter=voter) for voter in sorted(joining))
        await session.execute(delete(Upvote).where(Upvote.question_id == source.id))
        target.upvotes = len(ours) + len(joining)
        source.upvotes = 0
        return len(joining), len(theirs) - len(joining)

    async def propose(self, actor: Actor, place: Place, short_id: str, text: str) -> RewordOutcome:
        """Propose ``text`` as the new wording; the asker is asked privately."""
        require_moderator(self._ctx, actor, "propose a rewording")
        wording = rows.bounded(text, MAX_QUESTION, "A rewording")
        async with transaction(self._ctx.sessions) as session:
            question = await self._questions.find(session, place, short_id, actor)
            shown = rows.short_id(question)
            if question.status not in rows.REWORDABLE:
                raise Conflict(f"{shown} is {question.status}; only a waiting or open question "
                               "can be reworded.")  # fmt: skip
            if wording == question.text:
                raise InvalidInput(f"That is already how {shown} reads; nothing to propose.")
            if self._questions.askers.of(question).user_id is None:
                raise Conflict(
                    f"The asker of {shown} cannot be asked (their sealed id does not open under "
                    "this bot's secret), so no rewording can be proposed."
                )
            question.proposed_text, question.proposed_by = wording, actor.user_id
            details = {"question": question.id, "short_id": shown}
            audit.record(session, actor, place, "question.propose_edit", details)
            await session.flush()
            return self._outcome("proposed", question, actor, wording, question.text)

    async def accept(self, actor: Actor, place: Place, short_id: str) -> RewordOutcome:
        """The asker accepts the waiting rewording: the question now reads as proposed."""
        async with transaction(self._ctx.sessions) as session:
            question = await self._waiting(session, place, short_id, actor)
            old, new = question.text, question.proposed_text or question.text
            proposer = question.proposed_by
            question.text, question.proposed_text, question.proposed_by = new, None, None
            await session.flush()
            return self._outcome("accepted", question, actor, new, old, proposer=proposer)

    async def decline(self, actor: Actor, place: Place, short_id: str) -> RewordOutcome:
        """The asker declines the waiting rewording: nothing about the question changes."""
        async with transaction(self._ctx.sessions) as session:
            question = await self._waiting(session, place, short_id, actor)
            proposed, proposer = question.proposed_text or "", question.proposed_by
            question.proposed_text, question.proposed_by = None, None
            await session.flush()
            return self._outcome(
                "declined", question, actor, proposed, question.text, proposer=proposer
            )

    async def _waiting(
        self, session: AsyncSession, place: Place, short_id: str, actor: Actor
    ) -> Question:
        """The caller's own question with a rewording waiting for them, or why not."""
        question = await self._questions.find(session, place, short_id, actor)
        shown = rows.short_id(question)
        if not self._questions.askers.is_asker(question, actor):
            raise NotAllowed(f"Only the asker of {shown} can accept or decline its rewording.")
        if question.proposed_text is None:
            raise Conflict(f"No rewording of {shown} is waiting for you.")
        if not rows.rewording_waits(question):
            raise Conflict(reasons.lapsed(shown, question.status, question.dismiss_reason))
        return question

    def _outcome(
        self,
        step: str,
        question: Question,
        actor: Actor,
        proposed: str,
        old: str,
        *,
        proposer: str | None = None,
    ) -> RewordOutcome:
        return RewordOutcome(
            step,  # type: ignore[arg-type]
            self._questions.view(question, actor),
            proposed,
            old,
            self._questions.askers.of(question).user_id,
            proposer if proposer is not None else question.proposed_by,
        )
