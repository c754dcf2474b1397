"""Issue 13's Q&A fixes on the fake console (the same scenario runs on Discord and Slack)."""

from __future__ import annotations

from bot.app import App
from tests.bot.adapters import scenarios
from tests.bot.adapters.console_chat import ConsoleChat


async def test_qa_fixes_on_the_console(app: App) -> None:
    await scenarios.play(ConsoleChat(app), scenarios.qa_fixes())
