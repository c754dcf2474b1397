"""``@alice/discord`` and ``@alice/slack``: two accounts on the fake console; the local
Discord and Slack consoles take only their own platform's accounts."""

from __future__ import annotations

import io
from pathlib import Path

from bot.adapters.discord.runner import run_local as discord_local
from bot.adapters.fake.lines import parse_console_line
from bot.adapters.slack.runner import iterate
from bot.adapters.slack.runner import run_local as slack_local
from bot.config import Settings
from tests.bot.adapters.conftest import adapter_settings


def test_a_platform_suffix_names_that_platform_s_account() -> None:
    parsed = parse_console_line("#hustings @alice/Slack +member: /link abcd")
    assert parsed is not None
    assert (parsed.user, parsed.platform, parsed.speaker, parsed.channel) == (
        "alice", "slack", "alice/slack", "hustings",
    )  # fmt: skip
    plain = parse_console_line("@alice: /link")
    assert plain is not None and plain.platform is None and plain.speaker == "alice"
    assert parse_console_line("@alice/teams: /link") is None  # no such platform here


async def test_the_local_discord_console_refuses_a_slack_account(tmp_path: Path) -> None:
    out = io.StringIO()
    code = await discord_local(
        adapter_settings(tmp_path), io.StringIO("@alice/slack: /help\n"), out
    )
    assert code == 0
    assert "[console] this console serves Discord; @alice/slack is not here" in out.getvalue()


async def test_the_local_slack_console_refuses_a_discord_account(tmp_path: Path) -> None:
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None, database_url=f"sqlite+aiosqlite:///{tmp_path / 'h.db'}",
        data_dir=tmp_path / "data",
    )  # fmt: skip
    out = io.StringIO()
    assert await slack_local(settings, iterate(["@alice/discord: /help"]), out) == 0
    assert "[console] this console serves Slack; @alice/discord is not here" in out.getvalue()
