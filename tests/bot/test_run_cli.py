"""``hustings run``: which platform is served, ``local`` or not, and a missing adapter.

The Discord and Slack runners belong to other packages; these tests stand a recording module
in for a runner (``sys.modules``) or make its import fail, and run our real CLI code.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from bot import run_cli
from bot.cli import main
from bot.config import Settings
from bot.run_cli import configure_logging

STRONG_SECRET = "Zq8-vR2_kLw5Tn9yXb3MhC7pJd4sFg6A"  # 32 varied characters: accepted by bot.keys
TOKENS = (
    "DISCORD_TOKEN", "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET",
    "SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET", "PLATFORM", "HUSTINGS_SECRET", "LOG_LEVEL",
)  # fmt: skip


@pytest.fixture(autouse=True)
def clean_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No tokens from the machine, no ``.env`` (settings read it from the working directory)."""
    for name in TOKENS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'h.db'}")


def settings(**values: Any) -> Settings:
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@pytest.mark.parametrize(
    ("values", "requested", "expected"),
    [
        ({}, None, "fake"),
        ({"discord_token": "t"}, None, "discord"),
        ({"slack_bot_token": "xoxb-t"}, None, "slack"),
        ({"slack_client_id": "123.456"}, None, "slack"),
        ({"slack_app_token": "xapp-t"}, None, "fake"),
        ({"discord_token": "t", "slack_bot_token": "xoxb-t"}, None, "discord"),
        ({"discord_token": "t"}, "fake", "fake"),
        ({"platform": "slack"}, None, "slack"),
        ({"platform": " Slack "}, None, "slack"),
        ({"platform": "FAKE", "discord_token": "t"}, None, "fake"),
        ({"platform": "slack"}, "auto", "fake"),
        ({"platform": "fake", "discord_token": "t"}, "discord", "discord"),
    ],
)
def test_the_platform_chosen(values: dict[str, Any], requested: str | None, expected: str) -> None:
    assert run_cli.choose_platform(settings(**values), requested) == expected


class RecordingRunner(ModuleType):
    """Stands in for ``bot.adapters.<platform>.runner``: records how it was started."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.calls: list[tuple[Settings, bool]] = []

    async def run(self, settings: Settings, *, local: bool) -> int:
        self.calls.append((settings, local))
        return 7


def install_runner(monkeypatch: pytest.MonkeyPatch, platform: str) -> RecordingRunner:
    runner = RecordingRunner(run_cli.RUNNERS[platform])
    monkeypatch.setitem(sys.modules, run_cli.RUNNERS[platform], runner)
    return runner


def test_discord_with_a_token_runs_for_real(monkeypatch: pytest.MonkeyPatch) -> None:
    runner = install_runner(monkeypatch, "discord")
    monkeypatch.setenv("DISCORD_TOKEN", "sekrit")
    monkeypatch.setenv("HUSTINGS_SECRET", STRONG_SECRET)
    assert main(["run"]) == 7
    ((used, local),) = runner.calls
    assert local is False and used.discord_token is not None


def test_a_platform_without_credentials_runs_local(monkeypatch: pytest.MonkeyPatch) -> None:
    runner = install_runner(monkeypatch, "slack")
    assert main(["run", "--platform", "slack"]) == 7
    assert [local for _, local in runner.calls] == [True]


def test_slack_oauth_credentials_are_not_local(monkeypatch: pytest.MonkeyPatch) -> None:
    runner = install_runner(monkeypatch, "slack")
    monkeypatch.setenv("SLACK_CLIENT_ID", "123.456")
    monkeypatch.setenv("PLATFORM", "auto")
    monkeypatch.setenv("HUSTINGS_SECRET", STRONG_SECRET)
    assert main(["run"]) == 7
    assert [local for _, local in runner.calls] == [False]


def test_a_missing_adapter_exits_2_saying_so(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, run_cli.RUNNERS["discord"], None)  # import fails
    monkeypatch.setenv("DISCORD_TOKEN", "sekrit-token-value")
    assert main(["run"]) == run_cli.EXIT_UNAVAILABLE
    err = capsys.readouterr().err
    assert "the Discord adapter (bot.adapters.discord.runner) is not available" in err
    assert "--platform fake" in err and "sekrit-token-value" not in err


def test_a_missing_dependency_of_an_adapter_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "runner_with_missing_dep.py").write_text("import slack_bolt_not_here\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setitem(run_cli.RUNNERS, "slack", "runner_with_missing_dep")
    assert main(["run", "--platform", "slack"]) == run_cli.EXIT_UNAVAILABLE
    assert "the Python module 'slack_bolt_not_here' is not installed" in capsys.readouterr().err


def test_debug_logging_keeps_chat_and_database_libraries_quiet() -> None:
    """LOG_LEVEL=DEBUG must not let discord.py / slack_sdk / SQL debug lines (which carry
    members' ids beside their /rank text) into the log."""
    configure_logging("DEBUG")
    try:
        assert logging.getLogger("bot").isEnabledFor(logging.DEBUG)
        for name in ("discord.gateway", "slack_sdk.socket_mode", "slack_bolt", "sqlalchemy.engine"):
            assert not logging.getLogger(name).isEnabledFor(logging.INFO), name
    finally:
        configure_logging("WARNING")
