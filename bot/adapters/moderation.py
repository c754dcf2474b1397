"""What the moderators' Moderate control does before it offers anything, on every platform.

Discord's menu (``discord.moderate_view``) and Slack's modal (``slack.moderate``) open the
same way: the presser must be a moderator (``services.common.moderates``, the check the
slash commands use), and the question named by the control must be, now, an open (or
waiting) question of the channel the press came from (``question_cards.current`` looks it up
in that channel only, so an id from another channel, or a forged one, is not found). What
the moderator then picks runs as ``/question dismiss`` or ``/question merge`` through
``dispatch``, which checks everything again as of that moment.

``merge_targets`` lists what a question may be merged into, most upvoted first, open before
answered, capped at the platform's select limit (Discord 25, Slack 100); any other question
can still be named by its number.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.domain import Actor, Place, QuestionView
from bot.errors import NotAllowed, UserError
from bot.services.common import moderates

if TYPE_CHECKING:
    from bot.app import App

MEMBERS_REFUSED = "Only moderators can dismiss or merge questions."
MODERATABLE = ("open", "pending")


async def question_to_moderate(app: App, actor: Actor, place: Place, short_id: str) -> QuestionView:
    """Question ``short_id`` of ``place``, if ``actor`` may moderate it now.

    ``NotAllowed(MEMBERS_REFUSED)`` for a member; ``NotFound`` for no such question here;
    ``UserError`` naming its state when it is no longer open."""
    if not moderates(app.context, actor):
        raise NotAllowed(MEMBERS_REFUSED)
    question = await app.question_cards.current(actor, place, short_id)
    if question.status not in MODERATABLE:
        raise UserError(
            f"{question.short_id} is {question.status} now; only an open question can be "
            "dismissed or merged."
        )
    return question


async def merge_targets(
    app: App, actor: Actor, place: Place, question: QuestionView, limit: int
) -> list[tuple[str, str, str]]:
    """Questions ``question`` may be merged into, most upvoted first, open before answered:
    ``(short id, label, text)``, at most ``limit``."""
    found: list[tuple[str, str, str]] = []
    for status in ("open", "answered"):
        page, pages = 1, 1
        while page <= pages and len(found) < limit:
            listed = await app.questions.list(actor, place, status=status, page=page)
            pages, page = listed.pages, page + 1
            for q in listed.items:
                if q.id != question.id and q.short_id.startswith("Q") and len(found) < limit:
                    votes = f"{q.upvotes} upvote{'s' if q.upvotes != 1 else ''}"
                    state = "" if status == "open" else ", answered"
                    found.append((q.short_id, f"{q.short_id} ({votes}{state})", q.text))
    return found
