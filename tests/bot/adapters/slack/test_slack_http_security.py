"""The running bot (``hustings run``, a subprocess) in Slack HTTP mode on loopback, probed the
way an attacker would: verify first, act only on what Slack signed, and log no request
content even at DEBUG. A local listener stands in for "any URL" a forged body may name."""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import sys
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import pytest
from aiohttp import web
from hustings_slack import CHANNEL, FAST_LIMIT, TEAM, running, user_id, workspace
from slack_bolt.request.async_request import AsyncBoltRequest

from bot.adapters.slack.fake import FakeSlack, Signing
from bot.adapters.slack.fake.signing import signed_headers
from bot.adapters.slack.render import plain_text
from bot.adapters.slack.verify import content_problem, response_url_allowed

ROOT = Path(__file__).resolve().parents[4]
SECRET = "Zq8-vR2_kLw5Tn9yXb3MhC7pJd4sFg6A"
READY = re.compile(r"Slack adapter listening on (http://127\.0\.0\.1:\d+)/slack/events")
STARTUP_TIMEOUT = 60.0
REPLY_TIMEOUT = 30.0
# Request content that must never reach the log: distinctive so a hit cannot be a coincidence.
CANDIDATES = ("Xanthippe", "Yevgenia")
VOTER_NAME, VOTER = "quintessa_voter", user_id("quintessa_voter")
STALE_NAME, STALE = "ozymandias_stale", user_id("ozymandias_stale")


@dataclass
class Listener:
    """Any URL: records every request it gets."""

    url: str = ""
    hits: list[str] = field(default_factory=list)


@pytest.fixture
async def listener() -> AsyncIterator[Listener]:
    seen = Listener()

    async def record(request: web.Request) -> web.Response:
        seen.hits.append(f"{request.method} {request.path}")
        return web.Response(text="ok")

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", record)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    seen.url = f"http://127.0.0.1:{runner.addresses[0][1]}/steal"
    yield seen
    await runner.cleanup()


@dataclass
class Bot:
    process: asyncio.subprocess.Process
    url: str
    log: list[str]


async def _start_bot(tmp_path: Path, fake: FakeSlack) -> Bot:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DISCORD_"))}
    env.update(
        PYTHONPATH=str(ROOT), PLATFORM="slack", SLACK_MODE="http", SLACK_HTTP_PORT="0",
        SLACK_BOT_TOKEN=fake.bot_token(TEAM), SLACK_SIGNING_SECRET=fake.signing_secret,
        SLACK_API_URL=fake.api_url, HUSTINGS_SECRET=SECRET, LOG_LEVEL="DEBUG",
        DATA_DIR=str(tmp_path / "data"), MODERATOR_ROLES="moderator",
        SLACK_USERGROUP_MODERATORS="true",
        DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'data' / 'hustings.db'}",
    )  # fmt: skip
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.cli", "run", cwd=tmp_path, env=env,
        stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    assert process.stderr is not None
    log: list[str] = []
    async with asyncio.timeout(STARTUP_TIMEOUT):
        while True:
            line = (await process.stderr.readline()).decode()
            assert line, "the bot exited before listening:\n" + "".join(log)
            log.append(line)
            if found := READY.search(line):
                return Bot(process, found.group(1), log)


async def _stop(bot: Bot) -> str:
    bot.process.send_signal(signal.SIGTERM)
    assert bot.process.stderr is not None
    rest = await asyncio.wait_for(bot.process.stderr.read(), timeout=30)
    await asyncio.wait_for(bot.process.wait(), timeout=30)
    return "".join(bot.log) + rest.decode()


def _command(fake: FakeSlack, user: str, name: str, text: str, response_url: str) -> str:
    return urlencode(
        {
            "token": fake.verification_token,
            "team_id": TEAM,
            "team_domain": "labour",
            "channel_id": CHANNEL,
            "channel_name": "hustings",
            "user_id": user,
            "user_name": name,
            "command": "/rank",
            "text": text,
            "api_app_id": fake.app_id,
            "response_url": response_url,
            "trigger_id": "1.2.3",
        }
    )


async def _until(done: Callable[[], bool]) -> None:
    """Wait for the bot's reply to show in the fake's record (a generous bound)."""
    async with asyncio.timeout(REPLY_TIMEOUT):
        while not done():  # noqa: ASYNC110 - the fake records replies; it has no event to await
            await asyncio.sleep(0.05)


async def _post(fake: FakeSlack, bot: Bot, body: str, headers: dict[str, str]) -> int:
    async with fake.http.post(f"{bot.url}/slack/events", data=body, headers=headers) as response:
        return response.status


async def test_only_signed_form_requests_are_acted_on_and_nothing_leaks(
    tmp_path: Path, listener: Listener
) -> None:
    async with FakeSlack(rate_limit=FAST_LIMIT, settle_quiet=0.05) as fake:
        workspace(fake)
        fake.add_user(TEAM, VOTER, VOTER_NAME)
        fake.add_user(TEAM, STALE, STALE_NAME)
        bot = await _start_bot(tmp_path, fake)
        try:
            fake.request_url = f"{bot.url}/slack/events"
            mod = user_id("mod")
            create = f'create "Chair" {CANDIDATES[0]}, {CANDIDATES[1]}'
            assert (await fake.slash(TEAM, mod, CHANNEL, "/election", create)).ack.status == 200
            assert (await fake.slash(TEAM, mod, CHANNEL, "/election", "open")).ack.status == 200
            voted = await fake.slash(TEAM, VOTER, CHANNEL, "/rank", " ".join(CANDIDATES))
            assert voted.ack.status == 200
            await _until(lambda: any("recorded" in m.text for m in fake.ephemerals(TEAM, VOTER)))
            calls_before = len(fake.calls)

            # 1. garbled timestamp, unsigned, naming our listener: 401, nothing sent anywhere
            garbled = _command(fake, STALE, STALE_NAME, "Yevgenia", listener.url)
            status = await _post(
                fake,
                bot,
                garbled,
                {
                    "Content-Type": "application/x-www-form-urlencoded",
                    "X-Slack-Request-Timestamp": "not-a-number",
                    "X-Slack-Signature": "v0=00",
                },
            )
            assert status == 401

            # 2. a validly signed ballot as text/plain, with no type, and as JSON: 415, unread
            ballot = _command(fake, STALE, STALE_NAME, "Yevgenia Xanthippe", listener.url)
            for kind in ("text/plain", None, "application/json"):
                headers = signed_headers(fake.signing_secret, ballot, Signing.VALID)
                if kind is not None:
                    headers["Content-Type"] = kind
                assert await _post(fake, bot, ballot, headers) == 415, kind

            # 3. a stale signed request: refused like a forged one
            stale = await fake.slash(
                TEAM, STALE, CHANNEL, "/rank", "Yevgenia", signing=Signing.STALE
            )
            assert stale.ack.status == 401

            await fake.settle(0.5)
            assert listener.hits == []
            assert fake.calls[calls_before:] == []  # no chat.postEphemeral, no response_url

            before = len(fake.ephemerals(TEAM, mod))
            await fake.slash(TEAM, mod, CHANNEL, "/election", "status")
            await _until(lambda: len(fake.ephemerals(TEAM, mod)) > before)
            shown = plain_text(fake.ephemerals(TEAM, mod)[-1].blocks)
            assert "Ballots cast: 1" in shown, shown  # the refused ballots were not stored
        finally:
            log = await _stop(bot)

    assert "Traceback" not in log
    for secret_thing in (*CANDIDATES, VOTER, VOTER_NAME, STALE, STALE_NAME, "/steal"):
        assert secret_thing not in log, secret_thing
    assert "DEBUG" in log or "INFO" in log  # the log was on, and verbose


def test_json_for_an_event_is_the_only_json_accepted() -> None:

    assert (
        content_problem("application/json", json.dumps({"type": "event_callback"}).encode()) is None
    )
    assert content_problem("application/json", b'{"command": "/rank"}') is not None
    assert content_problem("application/json", b"not json") is not None
    assert content_problem("application/x-www-form-urlencoded", b"a=b") is None
    assert content_problem("", b"a=b") is not None


async def test_bolts_error_handler_answers_no_unverified_request(
    tmp_path: Path, listener: Listener
) -> None:
    """Past the HTTP guard, straight into bolt: its verifier raises on the garbled timestamp
    and hands the body to our error handler, which must neither post nor call Slack."""
    async with running(tmp_path, "http") as bot:
        body = _command(bot.fake, STALE, STALE_NAME, "Yevgenia", listener.url)
        headers = {
            "content-type": "application/x-www-form-urlencoded",
            "x-slack-request-timestamp": "not-a-number",
            "x-slack-signature": "v0=00",
        }
        calls_before = len(bot.fake.calls)
        response = await bot.bolt.async_dispatch(AsyncBoltRequest(body=body, headers=headers))
        await bot.fake.settle(0.3)
        assert response.status >= 400
        assert listener.hits == [] and bot.fake.calls[calls_before:] == []


@pytest.mark.parametrize(
    ("url", "api_url", "allowed"),
    [
        ("https://hooks.slack.com/commands/T1/2/abc", None, True),
        ("https://hooks.slack.com:443/actions/T1/2/abc", None, True),
        ("http://hooks.slack.com/commands/T1/2/abc", None, False),
        ("https://hooks.slack.com.evil.example/commands", None, False),
        ("https://user@hooks.slack.com/commands", None, False),
        ("http://127.0.0.1:9999/steal", None, False),
        ("http://127.0.0.1:5000/response/h1", "http://127.0.0.1:5000/api/", True),
        ("http://127.0.0.1:5001/response/h1", "http://127.0.0.1:5000/api/", False),
        ("not a url", None, False),
    ],
)
def test_response_urls_only_on_the_configured_slack(
    url: str, api_url: str | None, allowed: bool
) -> None:
    assert response_url_allowed(url, api_url) is allowed
