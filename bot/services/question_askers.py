"""Who asked a question, kept so that only the bot (holding the secret) can tell.

What the asker of an anonymous question still needs, and how each is met without their
platform user id in the database:

- to see their own question (waiting, dismissed with the reason) and to be refused an upvote
  on it, to accept or decline a rewording, and to be held to the flood limits: the bot must
  *recognise* them when they type. A keyed hash does that: ``asker_key`` =
  ``Secrecy.asker_key(platform, workspace, channel, user)`` is compared with the caller's.
- to be *told* privately when their question is dismissed, merged, reworded or its rewording
  lapses, and for moderators to see who asked (as before): the bot must *address* them, and
  no hash can be turned back into an id. So their id and display name are also kept sealed
  (``asker_sealed``: Fernet under a key derived from the voter-key secret for this use alone).

Anyone with only the database sees neither; with the secret too they could read the seal,
just as they could recompute voter keys for every member. A ``named`` question keeps its
asker in the clear (their name is published with it), and no key, so the database does not
link a member's named questions to their anonymous ones. Rows from before revision 0012 had
the raw id (no secret is available to a migration): ``seal_earlier_askers`` hashes and seals
them when the bot starts with its secret, and until then ``asked_by`` matches them by it.
"""

from __future__ import annotations

import json
from typing import NamedTuple

from sqlalchemy import ColumnElement, and_, or_, select

from bot.domain import Actor
from bot.services.secrecy import Secrecy
from bot.storage.database import Sessions, transaction
from bot.storage.tables import Question


class Asker(NamedTuple):
    """The asker as the bot can address them; ``None`` fields when a seal cannot be read
    (sealed under another secret)."""

    user_id: str | None
    name: str | None


class Askers:
    """Stamping, recognising and addressing askers (one per ``QuestionService``)."""

    def __init__(self, secrecy: Secrecy) -> None:
        self._secrecy = secrecy

    def key(self, actor: Actor, channel: str) -> str:
        return self._secrecy.asker_key(actor.platform, actor.workspace, channel, actor.user_id)

    def stamp(self, question: Question, actor: Actor) -> None:
        """Record ``actor`` as ``question``'s asker (after ``named`` and ``channel`` are set)."""
        if question.named:
            question.asker_user_id, question.asker_name = actor.user_id, actor.display_name
            return
        question.asker_key = self.key(actor, question.channel)
        sealed = json.dumps({"id": actor.user_id, "name": actor.display_name})
        question.asker_sealed = self._secrecy.seal(sealed)

    def is_asker(self, question: Question, actor: Actor) -> bool:
        """Whether ``actor`` asked ``question``."""
        if question.asker_key is not None:
            return question.asker_key == self.key(actor, question.channel)
        return question.asker_user_id == actor.user_id

    def asked_by(self, actor: Actor, channel: str) -> ColumnElement[bool]:
        """SQL: the questions ``actor`` asked in ``channel`` (combine with the place)."""
        return or_(
            Question.asker_key == self.key(actor, channel),
            and_(Question.asker_key.is_(None), Question.asker_user_id == actor.user_id),
        )

    def of(self, question: Question) -> Asker:
        """The asker's platform user id and display name, for moderators and private notices."""
        if question.asker_sealed is None:
            return Asker(question.asker_user_id, question.asker_name)
        opened = self._secrecy.unseal(question.asker_sealed)
        if opened is None:
            return Asker(None, None)
        found = json.loads(opened)
        return Asker(str(found["id"]), str(found["name"]))


async def seal_earlier_askers(sessions: Sessions, secrecy: Secrecy) -> int:
    """Hash and seal the askers of anonymous questions asked before revision 0012, clearing
    their raw id and name; returns how many. Run at start-up, only with the database's own
    secret (``secrecy.usable``): a seal under another secret could not be read back."""
    if not secrecy.usable:
        return 0
    askers = Askers(secrecy)
    async with transaction(sessions) as session:
        earlier = await session.scalars(
            select(Question).where(
                Question.named.is_(False),
                Question.asker_key.is_(None),
                Question.asker_user_id.is_not(None),
            )
        )
        done = 0
        for question in earlier:
            user, name = str(question.asker_user_id), question.asker_name or ""
            askers.stamp(question, Actor(question.platform, question.workspace, user, name))
            question.asker_user_id = question.asker_name = None
            done += 1
    return done
