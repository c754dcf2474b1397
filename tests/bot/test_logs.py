"""At LOG_LEVEL=DEBUG no platform or database library gets request content into the log, even
when the library sets its own loggers' levels (as bolt, discord.py and slack_sdk do)."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import pytest
from pydantic import SecretStr
from slack_bolt.request.async_request import AsyncBoltRequest

from bot.adapters.slack.app import build_bolt_app
from bot.adapters.slack.fake.signing import signature
from bot.app import build_app
from bot.config import Settings
from bot.logs import configure_logging, is_library

MARKERS = ("U0SECRETVOTER", "secret_voter_name", "Xanthippe > Yevgenia")


@pytest.fixture
def debug_log(capsys: pytest.CaptureFixture[str]) -> Iterator[None]:
    """DEBUG logging to the captured stderr (so after ``capsys`` replaced it)."""
    configure_logging("DEBUG")
    yield
    configure_logging("WARNING")


@pytest.mark.parametrize(
    "name",
    [
        "slack_bolt.AsyncApp",
        "app.py:AsyncRequestVerification",  # how bolt names an app's loggers by default
        "slack_sdk.web.async_base_client",
        "discord.gateway",
        "aiohttp.access",
        "sqlalchemy.engine.Engine",
        "aiosqlite",
    ],
)
def test_library_records_below_warning_never_reach_the_log(
    name: str, debug_log: None, capsys: pytest.CaptureFixture[str]
) -> None:
    library = logging.getLogger(name)
    library.setLevel(logging.DEBUG)  # what the libraries do to their own loggers
    try:
        library.debug("payload %s", MARKERS)
        library.info("payload %s", MARKERS)
        logging.getLogger("bot.example").debug("our own debug line")
    finally:
        library.setLevel(logging.NOTSET)
    err = capsys.readouterr().err
    assert "our own debug line" in err
    assert not any(marker in err for marker in MARKERS), err


def test_library_names() -> None:
    assert is_library("slack_bolt.hustings:AsyncRequestVerification")
    assert is_library("discord") and is_library("discord.http")
    assert not is_library("bot.adapters.slack.app") and not is_library("discordant")


async def test_bolt_refusing_a_stale_request_at_debug_logs_none_of_it(
    tmp_path: Path, debug_log: None, capsys: pytest.CaptureFixture[str]
) -> None:
    """The path the issue found: bolt's own verification refusing a request (6 minutes of
    skew) logged the member's id, name and ranking. Dispatched straight to bolt, past the HTTP
    guard, so bolt's logging is what is tested."""
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'h.db'}",
        data_dir=tmp_path / "data",
        slack_bot_token=SecretStr("xoxb-test"),
        slack_signing_secret=SecretStr("signing-secret-for-tests"),
        slack_mode="http",
        slack_api_url="http://127.0.0.1:9/api/",
    )
    core = await build_app(settings)
    try:
        bolt = build_bolt_app(core, settings)
        body = urlencode(
            {
                "team_id": "T1",
                "user_id": MARKERS[0],
                "user_name": MARKERS[1],
                "command": "/rank",
                "text": MARKERS[2],
                "channel_id": "C1",
                "response_url": "http://127.0.0.1:9/steal",
                "trigger_id": "1.2",
            }
        )
        stamp = str(int(time.time()) - 360)
        headers = {
            "content-type": "application/x-www-form-urlencoded",
            "x-slack-request-timestamp": stamp,
            "x-slack-signature": signature("signing-secret-for-tests", stamp, body),
        }
        response = await bolt.async_dispatch(AsyncBoltRequest(body=body, headers=headers))
        assert response.status == 401
    finally:
        await core.aclose()
    err = capsys.readouterr().err
    assert not any(marker in err for marker in MARKERS), err
