"""``/link`` and a roll election through slack-bolt and the fake Slack (HTTP and Socket Mode)."""

from __future__ import annotations

from pathlib import Path

import pytest
import scenarios
from hustings_slack import SlackChat, running

from bot.adapters.slack.fake import Mode
from tests.bot.adapters.roll_scenario import election_steps, link_steps, seed_roll


@pytest.mark.parametrize("mode", ["http", "socket"])
async def test_link_and_vote_on_the_roll(tmp_path: Path, mode: Mode) -> None:
    async with running(tmp_path, mode) as slack:
        await seed_roll(slack.core)
        await scenarios.play(SlackChat(slack.fake), [*link_steps(), *election_steps()])
