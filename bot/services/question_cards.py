"""Where each question's card was posted, and a question as it stands now, for card updates.

A platform adapter posts a question's card (its announcement, with the upvote button) and
later updates it: a merge closes the duplicate's card and raises the count on the card it
joined, a dismissal closes the card, an answer drops the moderation controls. Any process,
after any restart, must find that card, so where it went is kept with the question
(``Question.card_message``, the adapter's own address: Discord ``channel:message``, Slack
``channel:ts``), as ``QuestionService.record_answer_post`` keeps where an answer went.

``current`` reads one question as the caller may see it (``NotFound`` otherwise): a
moderator's menu checks the question is still in a state it can act on when it is opened;
the moderation services check again when the moderator acts.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select

from bot.domain import Actor, Place, QuestionView
from bot.errors import NotFound
from bot.services import question_rows as rows
from bot.services.common import ServiceContext
from bot.services.questions import QuestionService
from bot.storage.database import transaction
from bot.storage.tables import Question

MAX_WHERE = 128
"""``Question.card_message``'s length."""


class QuestionCards:
    """Card addresses by question id, within one channel."""

    def __init__(self, ctx: ServiceContext, questions: QuestionService) -> None:
        self._ctx = ctx
        self._questions = questions

    async def record(self, place: Place, question_id: int, where: str) -> None:
        """Remember where ``question_id``'s card was posted (called by the adapter after
        posting; not a command). ``NotFound`` if the question is not in ``place``;
        ``ValueError`` for an address longer than the column (a bug, never cut short)."""
        if len(where) > MAX_WHERE:
            raise ValueError(f"a card address is at most {MAX_WHERE} characters")
        async with transaction(self._ctx.sessions) as session:
            question = await session.scalar(
                select(Question).where(rows.here(place), Question.id == question_id)
            )
            if question is None:
                raise NotFound("That question is not in this channel.")
            question.card_message = where

    async def find(self, place: Place, question_ids: Iterable[int]) -> dict[int, str]:
        """Where the cards of ``question_ids`` in ``place`` are (those with one recorded)."""
        wanted = set(question_ids)
        if not wanted:
            return {}
        async with transaction(self._ctx.sessions, write=False) as session:
            found = await session.execute(
                select(Question.id, Question.card_message).where(
                    rows.here(place), Question.id.in_(wanted), Question.card_message.is_not(None)
                )
            )
            return {qid: where for qid, where in found if where}

    async def current(self, actor: Actor, place: Place, short_id: str) -> QuestionView:
        """Question ``short_id`` as ``actor`` may see it now."""
        async with transaction(self._ctx.sessions, write=False) as session:
            question = await self._questions.find(session, place, short_id, actor)
            return self._questions.view(question, actor)
