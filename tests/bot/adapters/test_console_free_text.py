"""Issue 18 on the fake console: free text, floods, pages, unpublished questions."""

from __future__ import annotations

from bot.app import App
from tests.bot.adapters import scenarios
from tests.bot.adapters.console_chat import ConsoleChat


async def test_reported_questions_are_shown_exactly_and_name_nobody(app: App) -> None:
    await scenarios.play(ConsoleChat(app), scenarios.free_text())


async def test_a_flood_is_held_back_and_lists_come_in_pages(app: App) -> None:
    await scenarios.play(ConsoleChat(app), [*scenarios.free_text(), *scenarios.flood_and_pages()])


async def test_an_unpublished_question_is_invisible_to_members(app: App) -> None:
    await scenarios.play(ConsoleChat(app), scenarios.unpublished())
