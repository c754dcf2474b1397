"""Issue 13 items 4 and 5 through the real bolt adapter and the fake Slack: the scenario,
and the answers summary pinned with ``pins.add`` beside the ballot announcement."""

from __future__ import annotations

from pathlib import Path

from hustings_slack import CHANNEL, TEAM, SlackChat, running

from tests.bot.adapters import hustings_event_scenario, scenarios


async def test_hustings_event_minutes_and_ballot(tmp_path: Path) -> None:
    async with running(tmp_path, "http") as slack:
        await scenarios.play(SlackChat(slack.fake), hustings_event_scenario.hustings_event())

        posted = slack.fake.channel_messages(TEAM, CHANNEL)
        pinned = [m for m in posted if m.pinned]
        assert len(pinned) == 1
        assert "Candidates' answers at Hustings 1" in pinned[0].text
        opened = next(m for m in posted if "Voting is open" in m.text)
        assert opened.seq < pinned[0].seq
