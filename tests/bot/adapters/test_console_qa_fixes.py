"""Issue 13's Q&A fixes on the fake console (the same scenario runs on Discord and Slack)."""

from __future__ import annotations

from bot.app import App
from tests.bot.adapters import scenarios
from tests.bot.adapters.console_chat import ConsoleChat


async def test_qa_fixes_on_the_console(app: App) -> None:
    await scenarios.play(ConsoleChat(app), scenarios.qa_fixes())


async def test_moderation_in_the_open_on_the_console(app: App) -> None:
    chat = ConsoleChat(app)
    await scenarios.play(chat, scenarios.moderation())
    told = "\n".join(chat.transcript)
    assert "[private to bob] Your question Q2 was merged into Q1" in told  # the asker, privately
    assert "[private to carol] A moderator proposes rewording your question Q3." in told
    assert "[private to mod] The asker of Q3 accepted your rewording." in told
