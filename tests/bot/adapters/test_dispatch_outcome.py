"""``run_outcome``: dispatch's reply with the service's value, for platform-shaped rendering."""

from __future__ import annotations

from bot.adapters.dispatch import dispatch, run_outcome
from bot.adapters.render import views
from bot.adapters.render.count import announce_count
from bot.adapters.textform import parse_line
from bot.app import App
from bot.domain import Actor, CountOutcome, Place, QuestionView

PLACE = Place("fake", "ws", "general")
MOD = Actor("fake", "ws", "mod", "Mod", frozenset({"moderator"}))
ALICE = Actor("fake", "ws", "alice", "Alice")


async def test_the_value_is_what_the_service_returned_and_the_reply_its_view(app: App) -> None:
    outcome = await run_outcome(app, ALICE, PLACE, parse_line("/ask What about rail?"))
    assert isinstance(outcome.value, QuestionView)
    assert outcome.value.text == "What about rail?"
    assert outcome.reply == views.asked(outcome.value)


async def test_a_count_carries_its_result(app: App) -> None:
    await dispatch(app, MOD, PLACE, parse_line('/election create "Leader" Kendall, Burnham'))
    await dispatch(app, MOD, PLACE, parse_line("/election open 1"))
    await dispatch(app, ALICE, PLACE, parse_line("/rank Burnham Kendall"))
    await dispatch(app, MOD, PLACE, parse_line("/election close 1"))
    outcome = await run_outcome(app, MOD, PLACE, parse_line("/election count 1"))
    assert isinstance(outcome.value, CountOutcome)
    assert outcome.value.result.winners == ("Burnham",)
    assert outcome.reply == announce_count(outcome.value)


async def test_a_refusal_or_user_error_has_no_value_and_says_why(app: App) -> None:
    refused = await run_outcome(app, ALICE, PLACE, parse_line('/election create "X" A, B'))
    assert refused.value is None
    assert refused.reply.title == "Only moderators can use /election create."
    missing = await run_outcome(app, ALICE, PLACE, parse_line("/upvote 99"))
    assert missing.value is None and missing.reply.private
