"""Question ids as phones type them: full-width ``ｑ１``, ``Ｐ１``, invisible characters, read as
``Q1`` and ``P1`` by every command that names a question; malformed ids are still refused."""

from __future__ import annotations

import pytest

from bot.app import App
from bot.errors import InvalidInput, NotFound
from tests.bot.services.conftest import MOD, PLACE, member

pytestmark = pytest.mark.both_stores  # SQLite and PostgreSQL (tests/stores.py)


@pytest.mark.parametrize(
    "typed", ["ｑ１", "Ｑ１", "＃１", "１", "\u3000Ｑ１\u3000", "Q\u200b1", "q¹"]
)
async def test_upvote_reads_a_phone_typed_id(app: App, typed: str) -> None:
    await app.questions.ask(member(1), PLACE, "Rail?")
    upvoted = await app.questions.upvote(member(2), PLACE, typed)
    assert (upvoted.question.short_id, upvoted.changed, upvoted.question.upvotes) == ("Q1", True, 1)
    taken_back = await app.questions.upvote(member(2), PLACE, "Ｑ１", undo=True)
    assert (taken_back.changed, taken_back.question.upvotes) == (True, 0)


async def test_moderators_commands_read_full_width_ids(app: App) -> None:
    for n in (1, 2, 3, 4):
        await app.questions.ask(member(n), PLACE, f"Question {n}?")
    answered = await app.questions.answer(MOD, PLACE, "ｑ１", "Yes.")
    assert (answered.short_id, answered.status) == ("Q1", "answered")
    dismissed = await app.questions.dismiss(MOD, PLACE, "Ｑ２", "off-topic")
    assert (dismissed.short_id, dismissed.status) == ("Q2", "dismissed")
    merged = await app.moderation.merge(MOD, PLACE, "ｑ３", "ｑ１")
    assert (merged.merged.short_id, merged.into.short_id) == ("Q3", "Q1")
    proposed = await app.moderation.propose(MOD, PLACE, "ｑ４", "What about question 4?")
    assert proposed.question.short_id == "Q4"
    accepted = await app.moderation.accept(member(4), PLACE, "Ｑ４")
    assert accepted.question.text == "What about question 4?"
    await app.moderation.propose(MOD, PLACE, "Q4", "Question four?")
    declined = await app.moderation.decline(member(4), PLACE, "ｑ４")
    assert (declined.step, declined.question.text) == ("declined", "What about question 4?")


async def test_a_waiting_questions_full_width_draft_id(app: App) -> None:
    await app.questions.set_premoderation(MOD, PLACE, True)
    await app.questions.ask(member(1), PLACE, "Rail?")
    with pytest.raises(NotFound, match=r"There is no question P1 in this channel\."):
        await app.questions.upvote(member(2), PLACE, "Ｐ１")  # not shown to members
    approved = await app.questions.approve(MOD, PLACE, "ｐ１")
    assert (approved.short_id, approved.status) == ("Q1", "open")


@pytest.mark.parametrize(
    "typed", ["ｑ", "Ｑ１Ｑ２", "Q1 Q2", "ｑ　１", "Ⅻ", "½", "Q⑴", "Q1.5", "ＱＱ１", ""]
)
async def test_a_malformed_id_is_refused_and_changes_nothing(app: App, typed: str) -> None:
    await app.questions.ask(member(1), PLACE, "Rail?")
    with pytest.raises(InvalidInput, match="is not a question id; they look like Q12"):
        await app.questions.upvote(member(2), PLACE, typed)
    with pytest.raises(InvalidInput, match="is not a question id"):
        await app.questions.answer(MOD, PLACE, typed, "Yes.")
    [listed] = (await app.questions.list(MOD, PLACE, status="all")).items
    assert (listed.upvotes, listed.status) == (0, "open")


async def test_a_full_width_id_of_no_question_names_the_id_read(app: App) -> None:
    with pytest.raises(NotFound, match=r"There is no question Q12 in this channel\."):
        await app.questions.upvote(member(2), PLACE, "ｑ１２")
