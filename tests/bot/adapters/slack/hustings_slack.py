"""The real Hustings Slack adapter, on the real core, against the fake Slack: a test harness.

``running(tmp_path, mode)`` starts a fake Slack workspace, migrates a SQLite file, builds the
real bolt ``AsyncApp`` from ``bot.adapters.slack.app`` and connects it over HTTP (signed
requests) or Socket Mode. ``SlackChat`` plays the shared scenarios (``scenarios.Chat``):
members are created on first use, ``moderator`` is membership of the ``@moderator`` user
group, and what each audience saw is read back as plain text from the Block Kit (a member's
private view includes their DM with the app and the text of the files shared there).
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import SecretStr
from scenarios import Seen, Step
from slack_bolt.async_app import AsyncApp
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings

from bot.adapters.slack.actors import Directory
from bot.adapters.slack.after_ack import until_idle
from bot.adapters.slack.app import build_bolt_app
from bot.adapters.slack.fake import FakeSlack, Interaction, Message, Mode, RateLimit
from bot.adapters.slack.render import plain_text
from bot.adapters.slack.transport import EVENTS_PATH, connect_socket, oauth_settings, serve_http
from bot.app import App, build_app
from bot.config import Settings
from bot.services.common import Clock, utc_now

TEAM, CHANNEL = "T0LABOUR", "C0HUSTINGS"
FAST_LIMIT = RateLimit(per_second=50.0, burst=5)


def settings_for(tmp_path: Path, fake: FakeSlack, mode: Mode, **extra: Any) -> Settings:
    values: dict[str, Any] = {
        "database_url": f"sqlite+aiosqlite:///{tmp_path / 'hustings.db'}",
        "data_dir": tmp_path / "data",
        "moderator_roles": "moderator",
        "slack_usergroup_moderators": True,
        "slack_api_url": fake.api_url,
        "slack_mode": mode,
        "slack_signing_secret": SecretStr(fake.signing_secret),
        "slack_app_token": SecretStr(fake.app_token),
        **extra,
    }
    if "slack_client_id" not in extra:
        values["slack_bot_token"] = SecretStr(fake.bot_token(TEAM))
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


def user_id(name: str) -> str:
    return "U0" + re.sub(r"[^A-Z0-9]", "", name.upper())


def workspace(fake: FakeSlack, team: str = TEAM, name: str = "Labour Left", **kw: Any) -> None:
    fake.add_team(team, name, **kw)
    fake.add_channel(team, CHANNEL, "hustings")
    fake.add_user(team, user_id("mod"), "mod")
    fake.add_usergroup(team, "moderator", [user_id("mod")])


@dataclass
class Running:
    fake: FakeSlack
    core: App
    bolt: AsyncApp
    mode: Mode


@asynccontextmanager
async def running(
    tmp_path: Path,
    mode: Mode,
    *,
    rate_limit: RateLimit | None = FAST_LIMIT,
    clock: Clock = utc_now,
) -> AsyncIterator[Running]:
    """Fake Slack + migrated database + the real adapter, connected in ``mode``; ``clock``
    is the core's (a fixed one makes the minutes' times comparable across platforms)."""
    async with FakeSlack(rate_limit=rate_limit, settle_quiet=0.05) as fake:
        workspace(fake)
        settings = settings_for(tmp_path, fake, mode)
        core = await build_app(settings, clock=clock)
        bolt = build_bolt_app(core, settings, directory=Directory(ttl=0))
        try:
            if mode == "http":
                server = await serve_http(bolt, "127.0.0.1", 0, fake.signing_secret)
                fake.request_url = server.url + EVENTS_PATH
                try:
                    yield Running(fake, core, bolt, mode)
                finally:
                    await server.close()
            else:
                handler = await connect_socket(bolt, fake.app_token)
                await fake.hub.wait_connected()
                fake.mode = "socket"
                try:
                    yield Running(fake, core, bolt, mode)
                finally:
                    await handler.close_async()  # type: ignore[no-untyped-call]
        finally:
            await core.aclose()


async def answered(fake: FakeSlack, done: Interaction, within: float = 30.0) -> None:
    """Wait for the bot's first answer (every command has one), then for its listener to
    finish (``until_idle``), then for the fake to go quiet.

    The fake's own settling only waits for a pause in Web API calls: a count spends longer
    than that in the database before it posts anything, and on a loaded machine a card's
    edit can come later than any fixed pause after the reply.
    """
    if done.ack.ok:
        await fake.wait_for(lambda: bool(done.messages or done.ephemerals or done.views), within)
        await until_idle(within)
        await fake.settle(0.05)


def texts(messages: list[Message]) -> tuple[str, ...]:
    return tuple(plain_text(m.blocks) or m.text for m in messages)


def direct_texts(fake: FakeSlack, messages: list[Message]) -> tuple[str, ...]:
    """Messages in a member's DM with the app, each with the text of the files it shares
    (``NAME`` on a line, then the file's UTF-8 content), as the member would read them."""
    out = []
    for message in messages:
        shared = [fake.file_store.files[i] for i in message.files]
        parts = [message.text, *(f"{f.filename}\n{(f.data or b'').decode()}" for f in shared)]
        out.append("\n".join(parts))
    return tuple(out)


@dataclass
class SlackChat:
    """``scenarios.Chat`` over the fake Slack, in one team and channel."""

    fake: FakeSlack
    team: str = TEAM
    channel: str = CHANNEL
    transcript: list[str] = field(default_factory=list)

    def member(self, name: str, roles: frozenset[str] = frozenset()) -> str:
        """The member's user id, creating them; their user groups become exactly ``roles``."""
        uid = user_id(name)
        team = self.fake.team(self.team)
        if uid not in team.users:
            self.fake.add_user(self.team, uid, name)
        self.fake.set_usergroups(self.team, uid, roles)
        return uid

    async def slash(self, name: str, line: str, roles: frozenset[str] = frozenset()) -> Interaction:
        command, _, text = line.partition(" ")
        uid = self.member(name, roles)
        done = await self.fake.slash(self.team, uid, self.channel, command, text)
        await answered(self.fake, done)
        return done

    async def say(self, step: Step) -> Seen:
        before = {m.ts: len(m.edits) for m in self.fake.channel_messages(self.team, self.channel)}
        done = await self.slash(step.who, step.line, step.roles)
        assert done.ack.ok, f"{step.line!r} was not acknowledged in time: {done.ack}"
        edited = [
            m
            for m in self.fake.channel_messages(self.team, self.channel)
            if m.ts in before and len(m.edits) > before[m.ts]
        ]
        private = texts(done.ephemerals) + direct_texts(self.fake, done.direct)
        seen = Seen(private, texts(done.messages), texts(edited))
        self.record(step.who, step.roles, step.line, seen, len(done.ephemerals))
        return seen

    def record(
        self, who: str, roles: frozenset[str], line: str, seen: Seen, ephemerals: int
    ) -> None:
        """The step in the transcript; private texts after the first ``ephemerals`` are in
        the member's DM with the app."""
        flags = "".join(f" +{r}" for r in sorted(roles))
        self.transcript.append(f"@{who}{flags}: {line}")
        for n, text in enumerate(seen.private):
            where = "private to" if n < ephemerals else "direct message to"
            self.transcript.append(_indent(f"[{where} {who}] {text}"))
        for text in seen.public:
            self.transcript.append(_indent(f"[#hustings] {text}"))


def _indent(text: str) -> str:
    first, *rest = text.splitlines() or [""]
    return "\n".join([first, *(f"    {line}" for line in rest)])


@asynccontextmanager
async def oauth_served(
    fake: FakeSlack, data: Path, **extra: Any
) -> AsyncIterator[tuple[Settings, App, AsyncOAuthSettings, AsyncApp]]:
    """The bot in HTTP mode with OAuth installs (slack_sdk's stores on the ballots' database),
    the fake Slack pointed at its events and OAuth redirect; closed on the way out."""
    settings = settings_for(
        data,
        fake,
        "http",
        slack_client_id=fake.client_id,
        slack_client_secret=SecretStr(fake.client_secret),
        slack_oauth_authorize_url=fake.authorization_url,
        **extra,
    )
    core = await build_app(settings)
    oauth = await oauth_settings(core, settings)
    bolt = build_bolt_app(core, settings, oauth_settings=oauth, directory=Directory(ttl=0))
    server = await serve_http(bolt, "127.0.0.1", 0, fake.signing_secret)
    fake.request_url = server.url + EVENTS_PATH
    fake.oauth_redirect_url = server.url + "/slack/oauth_redirect"
    try:
        yield settings, core, oauth, bolt
    finally:
        await server.close()
        await core.aclose()
