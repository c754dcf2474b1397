"""Where a question's card was posted (``QuestionCards``): kept per question in its own
channel, found by any later process, and a question read as its caller may see it."""

from __future__ import annotations

import pytest

from bot.app import App, build_app
from bot.config import Settings
from bot.errors import NotFound
from tests.bot.services.conftest import MOD, OTHER_PLACE, PLACE, FakeClock, member


async def test_a_card_address_is_found_by_another_app_on_the_same_database(
    app: App, settings: Settings, clock: FakeClock
) -> None:
    asked = await app.questions.ask(member(1), PLACE, "Rail?")
    await app.question_cards.record(PLACE, asked.id, "111:222")
    other = await build_app(settings, clock=clock)  # a second process, same database
    try:
        assert await other.question_cards.find(PLACE, [asked.id]) == {asked.id: "111:222"}
        assert await other.question_cards.find(OTHER_PLACE, [asked.id]) == {}
    finally:
        await other.aclose()


async def test_a_question_of_another_channel_is_refused_and_nothing_is_stored(app: App) -> None:
    asked = await app.questions.ask(member(1), PLACE, "Rail?")
    with pytest.raises(NotFound):
        await app.question_cards.record(OTHER_PLACE, asked.id, "111:222")
    with pytest.raises(ValueError, match="at most 128"):
        await app.question_cards.record(PLACE, asked.id, "1" * 129)
    assert await app.question_cards.find(PLACE, [asked.id]) == {}


async def test_current_shows_the_state_now_and_hides_held_questions_from_members(
    app: App,
) -> None:
    await app.questions.set_premoderation(MOD, PLACE, True)
    await app.questions.ask(member(1), PLACE, "Rail?")
    assert (await app.question_cards.current(MOD, PLACE, "P1")).status == "pending"
    with pytest.raises(NotFound):
        await app.question_cards.current(member(2), PLACE, "P1")
    await app.questions.dismiss(MOD, PLACE, "P1", "off-topic")
    assert (await app.question_cards.current(MOD, PLACE, "P1")).status == "dismissed"
