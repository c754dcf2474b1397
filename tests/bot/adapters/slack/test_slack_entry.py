"""Issue 9's transcript (``scenarios.ballot_entry``) through slack-bolt and the fake Slack:
the same lines as the console and Discord, the same records and refusals."""

from __future__ import annotations

from pathlib import Path

import scenarios
from hustings_slack import SlackChat, running


async def test_ballot_entry_is_recorded_as_typed(tmp_path: Path) -> None:
    async with running(tmp_path, "http") as slack:
        await scenarios.play(SlackChat(slack.fake), scenarios.ballot_entry())
