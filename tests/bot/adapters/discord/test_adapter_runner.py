"""``hustings run`` without a token (the local fake Discord and a console), and
``hustings discord sync`` against the fake."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from bot.adapters.discord.fake import FakeDiscord
from bot.adapters.discord.runner import run_local
from bot.adapters.discord.sync import sync_commands
from bot.config import Settings
from tests.bot.adapters.conftest import adapter_settings

SCRIPT = """\
# a mock ballot typed at the console
@mod +moderator: /election create "Leader" Kendall, Burnham, Cooper
@mod +moderator: /election open
@alice: /rank Kendall Burnham
@bob: /rank Burnham
@carol: /rank Cooper Burnham
@alice: /election count
@mod +moderator: /election count
"""


async def test_local_run_plays_console_lines_through_the_fake(tmp_path: Path) -> None:
    out = io.StringIO()
    code = await run_local(adapter_settings(tmp_path), io.StringIO(SCRIPT), out)
    text = out.getvalue()
    assert code == 0
    assert "[#hustings] **Voting is open: Leader" in text
    assert "[private to alice] **Your ballot in Leader is recorded: 1. Kendall 2. Burnham" in text
    assert "/election count is for moderators: Discord does not show it to alice" in text
    assert "[#hustings] **Result: Leader** — 3 ballots" in text
    assert "Elected: Burnham" in text
    assert "1. Kendall 2. Burnham" not in text.split("[#hustings] **Result")[1]
    after = text.split("[#hustings] **Result")[1]  # the charts, under the declaration
    assert "[attachment count-rounds.png]\n  alt: Bar chart of " in after
    assert "[attachment count-transfers.png]\n  alt: Flow chart of " in after


async def test_sync_registers_every_command(tmp_path: Path) -> None:
    async with FakeDiscord() as fake:
        values: dict[str, Any] = {
            "discord_token": fake.token,
            "discord_api_url": fake.api_url,
            "discord_gateway_url": fake.gateway_url,
            "database_url": f"sqlite+aiosqlite:///{tmp_path / 'x.db'}",
        }
        settings = Settings(_env_file=None, **values)  # type: ignore[call-arg]
        guild = fake.add_guild(name="G").id
        names = await sync_commands(settings, guild)
        assert "rank" in names and "election" in names
        assert {c["name"] for c in fake.commands(guild)} == set(names)
        assert fake.commands(None) == []
