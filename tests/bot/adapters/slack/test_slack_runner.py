"""``hustings run --platform slack`` with no token: the fake Slack, the real adapter over
Socket Mode and a console of typed lines; the transcript of a whole mock ballot."""

from __future__ import annotations

import gc
import io
import logging
import secrets
from pathlib import Path
from typing import Any

import pytest
import scenarios
from pydantic import SecretStr

from bot.adapters.slack.fake import FakeSlack
from bot.adapters.slack.runner import EXIT_CONFIG, config_problem, iterate, run, run_local
from bot.config import Settings


def local_settings(tmp_path: Path, **extra: Any) -> Settings:
    values = {
        "database_url": f"sqlite+aiosqlite:///{tmp_path / 'h.db'}",
        "data_dir": tmp_path / "data",
        **extra,
    }
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


def script() -> list[str]:
    lines = ["# a mock ballot in Slack"]
    for step in scenarios.mock_ballot():
        flags = "".join(f" +{r}" for r in sorted(step.roles))
        lines.append(f"@{step.who}{flags}: {step.line}")
    return [*lines, "@alice: /ballot", "@alice: /nonsense", "not a line"]


async def test_local_console_runs_a_whole_mock_ballot(tmp_path: Path) -> None:
    out = io.StringIO()

    code = await run_local(local_settings(tmp_path), iterate(script()), out)

    transcript = out.getvalue()
    assert code == 0
    assert "[#hustings] Voting is open: Labour leader 2015" in transcript
    assert transcript.count("is recorded") == len(scenarios.BALLOTS)
    assert '[private to ivan] "Kendall" is ranked twice' in transcript
    assert "[private to alice] Only moderators can use /election count." in transcript
    result = transcript[transcript.index("[#hustings] Result: Labour leader 2015") :]
    assert result.index("Round 1") < result.index("Round 2") < result.index("Round 3")
    assert "Elected: Cooper" in result
    charts = "[#hustings] Charts of the count above: Result: Labour leader 2015"
    assert result.index("Elected: Cooper") < result.index(charts)
    assert "[attachment count-rounds.png]\n  alt: Bar chart of 3 rounds." in result
    assert "[attachment count-transfers.png]\n  alt: Flow chart of " in result
    # counted, so /ballot no longer opens the form: the text form shows her ballot, privately
    assert (
        "[private to alice] Your ballot in Labour leader 2015: 1. Corbyn 2. Burnham" in transcript
    )
    assert "/nonsense is not a Hustings command" in transcript
    assert "cannot read 'not a line'" in transcript
    # rankings are never shown in the channel
    assert not any(
        line.startswith("[#hustings]") and "1. Corbyn" in line for line in transcript.splitlines()
    )


def test_missing_credentials_are_named() -> None:
    assert "SLACK_APP_TOKEN" in (
        config_problem(Settings(_env_file=None, slack_bot_token="x")) or ""
    )  # type: ignore[call-arg]
    http = Settings(_env_file=None, slack_bot_token="x", slack_mode="http")  # type: ignore[call-arg]
    assert "SLACK_SIGNING_SECRET" in (config_problem(http) or "")
    oauth = Settings(_env_file=None, slack_client_id="1.2", slack_client_secret="s")  # type: ignore[call-arg]
    assert "SLACK_SIGNING_SECRET" in (config_problem(oauth) or "")
    ok = Settings(_env_file=None, slack_bot_token="x", slack_app_token="xapp-1")  # type: ignore[call-arg]
    assert config_problem(ok) is None


async def test_a_bot_token_that_auth_test_refuses_stops_the_start(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Single-workspace mode learns its team from auth.test before serving anyone."""
    async with FakeSlack() as fake:
        fake.add_team("T0ONE", "One")
        settings = local_settings(
            tmp_path,
            data_dir=tmp_path / "data",
            slack_api_url=fake.api_url,
            slack_bot_token="xoxb-revoked",
            slack_app_token=fake.app_token,
            hustings_secret=SecretStr(secrets.token_urlsafe(32)),
        )
        try:
            with caplog.at_level(logging.ERROR):
                assert await run(settings, local=False) == EXIT_CONFIG
        finally:
            gc.unfreeze()
    [said] = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert "auth.test" in said and "invalid_auth" in said and "xoxb-revoked" not in said
    assert [c.method for c in fake.calls] == ["auth.test"]  # nothing served, nothing sent
