"""Issue 13 items 4 and 5 through the real discord.py client and the fake Discord: the
minutes arrive as two uploaded files, and the answers summary is pinned by the bot."""

from __future__ import annotations

from pathlib import Path

from tests.bot.adapters import hustings_event_scenario, scenarios
from tests.bot.adapters.discord.harness import running


async def test_hustings_event_minutes_and_ballot(tmp_path: Path) -> None:
    async with running(tmp_path) as (fake, chat, _):
        await scenarios.play(chat, hustings_event_scenario.hustings_event())

        posted = chat.public_messages()
        pinned = [m for m in posted if m.pinned]
        assert len(pinned) == 1
        assert "Candidates' answers at Hustings 1" in pinned[0].text
        opened = next(m for m in posted if "Voting is open" in m.text)
        assert opened.id < pinned[0].id  # the summary sits beside the ballot announcement

        uploads = [m for m in fake.state.messages.values() if m.files]
        assert uploads and all(m.ephemeral for m in uploads)  # minutes go to the caller only
        assert sorted(uploads[-1].files) == ["hustings-1-minutes.csv", "hustings-1-minutes.md"]
        markdown = uploads[-1].files["hustings-1-minutes.md"]
        assert "\\# Forged \\[link\\]\\(http\\://evil\\.example\\)" in markdown
        assert "\n# Forged" not in markdown
