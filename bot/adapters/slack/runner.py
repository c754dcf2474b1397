"""``hustings run --platform slack``: the real adapter, against Slack or a local fake.

``run(settings, local=False)`` connects to Slack with the configured credentials: Socket
Mode (``SLACK_APP_TOKEN``) or HTTP (``SLACK_SIGNING_SECRET``, served on
``SLACK_HTTP_HOST:PORT``); with ``SLACK_CLIENT_ID`` it serves OAuth installs over HTTP and
keeps them in the ballots' database. ``run(settings, local=True)`` starts the fake Slack on
127.0.0.1, runs the same adapter against it over Socket Mode, and reads console lines from
standard input (see ``console``) until end of input. Tokens are never logged.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import sys
from collections.abc import AsyncIterator
from typing import TextIO

from pydantic import SecretStr
from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError

from bot.adapters.console import (
    Write,
    iterate,
    line_writer,
    read_lines,
    running_core,
    scheduling,
)
from bot.adapters.slack.actors import PLATFORM, Directory
from bot.adapters.slack.after_ack import until_idle
from bot.adapters.slack.app import build_bolt_app
from bot.adapters.slack.console import SlackConsole
from bot.adapters.slack.fake import FakeSlack
from bot.adapters.slack.fake.__main__ import DEMO_CHANNEL, DEMO_TEAM, populate_demo
from bot.adapters.slack.lifecycle import workspaces_of
from bot.adapters.slack.transport import (
    EVENTS_PATH,
    SlackAnnouncer,
    connect_socket,
    oauth_settings,
    serve_http,
)
from bot.config import Settings

__all__ = ["BANNER", "config_problem", "iterate", "run", "run_local"]

log = logging.getLogger(__name__)

EXIT_OK = 0
EXIT_CONFIG = 2
BANNER = (
    "Hustings on a local fake Slack (workspace {team}, channel #hustings). Type lines like\n"
    "  @alice: /rank Kendall Burnham\n"
    '  @mod +moderator: /election create "Leader" Kendall, Burnham, Cooper, Corbyn\n'
    "+role puts the speaker in that user group, !admin makes them a workspace admin;\n"
    "#channel switches channel; /help lists commands. Ctrl-D (end of input) quits."
)


async def run(settings: Settings, *, local: bool) -> int:
    """Serve Slack until stopped (or, ``local``, until standard input ends)."""
    if local:
        return await run_local(settings, _stdin_lines(), sys.stdout)
    problem = config_problem(settings)
    if problem:
        log.error("cannot start the Slack adapter: %s", problem)
        return EXIT_CONFIG
    return await _run_remote(settings)


def config_problem(settings: Settings) -> str | None:
    """What is missing for the chosen Slack mode, or ``None``."""
    if settings.slack_client_id is not None:
        if settings.slack_client_secret is None or settings.slack_signing_secret is None:
            return "OAuth needs SLACK_CLIENT_SECRET and SLACK_SIGNING_SECRET"
        if settings.slack_mode != "http":
            return "OAuth installs need SLACK_MODE=http (Slack redirects installers to us)"
        return None
    if settings.slack_bot_token is None:
        return "set SLACK_BOT_TOKEN (one workspace) or SLACK_CLIENT_ID (OAuth installs)"
    if settings.slack_mode == "socket" and settings.slack_app_token is None:
        return "Socket Mode needs SLACK_APP_TOKEN (xapp-…)"
    if settings.slack_mode == "http" and settings.slack_signing_secret is None:
        return "HTTP mode needs SLACK_SIGNING_SECRET"
    return None


async def _run_remote(settings: Settings) -> int:
    async with running_core(settings, freeze_gc=True, strict_secret=True) as core:
        oauth = await oauth_settings(core, settings) if settings.slack_client_id else None
        bolt = build_bolt_app(core, settings, oauth_settings=oauth)
        if oauth is None and not await _learn_team(bolt):
            return EXIT_CONFIG
        store = oauth.installation_store if oauth is not None else None
        announcer = SlackAnnouncer(settings, bolt, store)
        async with scheduling(core, announcer, platform=PLATFORM), _transport(settings, bolt):
            await _until_signalled()
    return EXIT_OK


async def _learn_team(bolt: AsyncApp) -> bool:
    """Single-workspace mode: ask ``auth.test`` which team the token serves, before serving."""
    workspaces = workspaces_of(bolt)
    if workspaces is None:
        return True
    try:
        team = await workspaces.learn()
    except SlackApiError as exc:
        log.error("SLACK_BOT_TOKEN was refused by auth.test (%s)", exc.response.get("error"))
        return False
    log.info("Slack adapter serves workspace %s only", team)
    return True


DRAIN = 10.0
"""Seconds a stopping process waits for work it has already acknowledged (a ballot being
stored, its receipt) before it closes the database: Slack will not send that request again."""


@contextlib.asynccontextmanager
async def _transport(settings: Settings, bolt: AsyncApp) -> AsyncIterator[None]:
    if settings.slack_mode == "http":
        assert settings.slack_signing_secret is not None  # config_problem checked it
        secret = settings.slack_signing_secret.get_secret_value()
        server = await serve_http(bolt, settings.slack_http_host, settings.slack_http_port, secret)
        log.info("Slack adapter listening on %s%s", server.url, EVENTS_PATH)
        try:
            yield
        finally:
            await server.close()
            await until_idle(DRAIN)  # acked work (a ballot, its receipt) ends before the core
        return
    assert settings.slack_app_token is not None
    handler = await connect_socket(bolt, settings.slack_app_token.get_secret_value())
    log.info("Slack adapter connected over Socket Mode")
    try:
        yield
    finally:
        await handler.close_async()  # type: ignore[no-untyped-call]
        await until_idle(DRAIN)


async def _until_signalled() -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
    await stop.wait()


async def run_local(settings: Settings, lines: AsyncIterator[str], out: TextIO) -> int:
    """The fake Slack + the real adapter over Socket Mode + a console on ``lines``."""
    write = line_writer(out)
    async with FakeSlack() as fake:
        populate_demo(fake)
        local = settings.model_copy(
            update={
                "slack_api_url": fake.api_url,
                "slack_mode": "socket",
                "slack_bot_token": SecretStr(fake.bot_token(DEMO_TEAM)),
                "slack_app_token": SecretStr(fake.app_token),
                "slack_signing_secret": SecretStr(fake.signing_secret),
                "slack_client_id": None,
                "slack_usergroup_moderators": True,  # the console's +role is a user group
            }
        )
        async with running_core(local) as core:
            # roles change line by line in the console, so nothing is cached
            bolt = build_bolt_app(core, local, directory=Directory(ttl=0))
            console = SlackConsole(fake, DEMO_TEAM, DEMO_CHANNEL, write)
            handler = await connect_socket(bolt, fake.app_token)
            try:
                await fake.hub.wait_connected()
                fake.mode = "socket"
                async with scheduling(core, SlackAnnouncer(local, bolt), platform=PLATFORM):
                    await _console(console, lines, write)
            finally:
                await handler.close_async()  # type: ignore[no-untyped-call]
    return EXIT_OK


async def _console(console: SlackConsole, lines: AsyncIterator[str], write: Write) -> None:
    printer = asyncio.create_task(_print_later(console))
    try:
        write(BANNER.format(team=DEMO_TEAM))
        async for line in lines:
            await console.feed(line)
        await console.fake.settle(0.3)
        console.flush()
    finally:
        printer.cancel()


async def _print_later(console: SlackConsole) -> None:
    """Messages that arrive between lines (a timed close, a retried post) are shown too."""
    while True:
        await asyncio.sleep(0.5)
        console.flush()


def _stdin_lines() -> AsyncIterator[str]:
    """Standard input, read on a daemon thread so a blocked read never holds the loop."""
    return read_lines(name="hustings-slack-stdin")
