"""Two workspaces install the real adapter through OAuth; installations live in the ballots'
database; each workspace's election, ballots and announcements stay its own."""

from __future__ import annotations

from pathlib import Path

import scenarios
from hustings_slack import (
    CHANNEL,
    FAST_LIMIT,
    TEAM,
    SlackChat,
    oauth_served,
    workspace,
)
from sqlalchemy import text

from bot.adapters.slack.fake import FakeSlack
from bot.adapters.slack.render import plain_text
from bot.adapters.slack.transport import (
    SlackAnnouncer,
)
from bot.domain import Place

UNISON = "T0UNISON"
MODERATOR = frozenset({"moderator"})


async def test_two_workspaces_install_and_keep_elections_apart(tmp_path: Path) -> None:
    async with FakeSlack(rate_limit=FAST_LIMIT, settle_quiet=0.05) as fake:
        workspace(fake, installed=False)
        workspace(fake, UNISON, "Unison", installed=False)
        async with oauth_served(fake, tmp_path) as (settings, core, oauth, bolt):
            labour_install = await fake.install(TEAM)
            unison_install = await fake.install(UNISON)
            assert labour_install.status == unison_install.status == 200
            async with core.engine.connect() as conn:  # the ballots' own database
                teams = (await conn.execute(text("SELECT team_id FROM slack_bots"))).scalars()
                assert sorted(teams) == [TEAM, UNISON]

            labour, unison = SlackChat(fake, TEAM), SlackChat(fake, UNISON)
            await scenarios.play(labour, scenarios.setup_steps())
            unison_open = await unison.slash("mod", "/election status")
            assert "no election" in unison_open.ephemerals[0].text.lower()
            await unison.slash("mod", '/election create "Gen sec" Ward, Prentis', MODERATOR)
            await unison.slash("mod", "/election open", MODERATOR)

            mistaken = await unison.slash("alice", "/rank Corbyn")  # Labour's candidate
            assert "Corbyn" in mistaken.ephemerals[0].text and "recorded" not in str(mistaken)
            await labour.slash("alice", "/rank Corbyn Burnham")
            await unison.slash("alice", "/rank Ward")

            labour_count = await labour.slash("mod", "/election count", MODERATOR)
            unison_count = await unison.slash("mod", "/election count", MODERATOR)
            labour_text = "\n".join(plain_text(m.blocks) for m in labour_count.messages)
            unison_text = "\n".join(plain_text(m.blocks) for m in unison_count.messages)
            assert "Elected: Corbyn" in labour_text and "Ward" not in labour_text
            assert "Elected: Ward" in unison_text and "Corbyn" not in unison_text
            for team in (TEAM, UNISON):  # each posted with its own workspace's token
                posts = [c for c in fake.calls if c.method == "chat.postMessage"]
                assert all(c.status == 200 for c in posts if c.team_id == team)

            announcer = SlackAnnouncer(settings, bolt, oauth.installation_store)
            await announcer.announce(Place("slack", UNISON, CHANNEL), scenarios.TITLE)
            [last] = fake.channel_messages(UNISON, CHANNEL)[-1:]
            assert last.text == scenarios.TITLE and last.via == "chat.postMessage"
