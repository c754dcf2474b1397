"""Two real ``hustings run`` processes, one Discord shard each, on one database and one fake
Discord; one of them is killed with ``kill -9`` and replaced.

Shown, on SQLite and PostgreSQL: a close that was due when both started is announced once (in
the channel, by whichever scheduler claims it; ``test_two_apps`` races the claim itself);
each guild's interactions reach the process of its shard, ``(guild_id >> 22) % 2``, as on
Discord; a ``/ballot`` form opened and half filled via one process is filled and cast via
the process that takes over its shard after the first is killed, and the ballot stored is
the one the form showed; of ``/rank`` ballots in flight during the kill, every acknowledged
one is stored once, and the members left without an answer rank again and are stored once
(one ballot per member, the turnout matching the rows). Every wait is for an event (a
connected shard, a reply, a message), bounded generously; nothing races a timer.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import secrets
import signal
import sys
from collections.abc import AsyncIterator, Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from bot.adapters.discord import endpoints
from bot.adapters.discord.fake import FakeDiscord, InteractionRecord
from bot.adapters.discord.sync import sync_commands
from bot.app import App
from bot.config import Settings
from bot.domain import Actor, Place
from bot.storage.database import transaction
from bot.storage.tables import Ballot
from tests.bot.services.conftest import FakeClock, make_settings
from tests.stores import Store

pytestmark = pytest.mark.both_stores

ROOT = Path(__file__).resolve().parents[3]
SECRET = secrets.token_urlsafe(32)
SHARD_COUNT = 2
GUILDS = (300_000_000_000 << 22, 300_000_000_001 << 22)
"""Guild ids whose events Discord sends to shard 0 and shard 1 of 2."""
NAMES = ("Liz Kendall", "Andy Burnham", "Yvette Cooper", "Jeremy Corbyn")
IN_FLIGHT = 40
KILL_AFTER = 4
"""Acknowledged ``/rank`` ballots seen before the victim is killed."""
WITHIN = 120.0
"""Bound on any one wait (start-up of a process on a loaded machine takes seconds)."""
RECEIPT = re.compile(r"— receipt \W*(?P<code>[0-9A-Z]{5}-[0-9A-Z]{5})")
TOKENS = ("DISCORD_TOKEN", "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_CLIENT_ID")


@pytest.fixture
def settings(tmp_path: Path, store: Store) -> Settings:
    """The strong secret the ``run`` processes need, shared with the test's own app."""
    return make_settings(tmp_path, database_url=store.url, hustings_secret=SECRET)


async def _posted(fake: FakeDiscord, check: Callable[[], bool]) -> None:
    """Until ``check`` holds, re-checked each time the bot posts a message."""
    posted = asyncio.Event()
    fake.state.on_post.append(lambda _message: posted.set())
    async with asyncio.timeout(WITHIN):
        while not check():
            await posted.wait()
            posted.clear()


def _log_file(path: Path) -> Any:
    return path.open("wb")


class Bots:
    """The ``hustings run`` processes, each one shard of ``SHARD_COUNT``."""

    def __init__(self, fake: FakeDiscord, settings: Settings, tmp_path: Path) -> None:
        self.fake, self.settings, self.tmp_path = fake, settings, tmp_path
        self.processes: list[asyncio.subprocess.Process] = []
        self.files: list[Any] = []

    async def start(self, shard: int) -> asyncio.subprocess.Process:
        number = len(self.processes)
        env = {k: v for k, v in os.environ.items() if k not in TOKENS}
        env.update(
            PYTHONPATH=str(ROOT), PLATFORM="discord", LOG_LEVEL="WARNING",
            DATABASE_URL=self.settings.database_url,
            DATA_DIR=str(self.tmp_path / f"data-{number}"),
            HUSTINGS_SECRET=SECRET, MODERATOR_ROLES="moderator",
            DISCORD_TOKEN=self.fake.token, DISCORD_API_URL=self.fake.api_url,
            DISCORD_GATEWAY_URL=self.fake.gateway_url,
            DISCORD_SHARD_IDS=str(shard), DISCORD_SHARD_COUNT=str(SHARD_COUNT),
        )  # fmt: skip
        log = _log_file(self.tmp_path / f"bot-{number}.log")
        self.files.append(log)
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot.cli", "run",
            cwd=self.tmp_path, env=env, stdout=log, stderr=log,
        )  # fmt: skip
        self.processes.append(process)
        return process

    async def stop(self) -> None:
        for process in self.processes:
            if process.returncode is None:
                process.send_signal(signal.SIGTERM)
                try:
                    await asyncio.wait_for(process.wait(), 30)
                except TimeoutError:
                    process.kill()
                    await process.wait()
        for file in self.files:
            file.close()

    def logs(self) -> str:
        return "\n".join(p.read_text(errors="replace") for p in self.tmp_path.glob("bot-*.log"))


@contextlib.asynccontextmanager
async def world(settings: Settings, tmp_path: Path) -> AsyncIterator[tuple[FakeDiscord, Bots]]:
    async with FakeDiscord(heartbeat_interval=5.0) as fake:
        for guild in GUILDS:
            fake.add_guild(guild, f"Branch {guild}")
            fake.add_role(guild, "moderator", permissions=1 << 13)
            fake.add_channel(guild, "hustings", guild + 1)
        sync = Settings(  # type: ignore[call-arg]
            _env_file=None, discord_token=fake.token, discord_api_url=fake.api_url,
            discord_gateway_url=fake.gateway_url, database_url=settings.database_url,
        )  # fmt: skip
        await sync_commands(sync, None)
        bots = Bots(fake, settings, tmp_path)
        try:
            yield fake, bots
        except BaseException:
            print(bots.logs())  # what the processes said, for the failure report
            raise
        finally:
            await bots.stop()
            endpoints.use_real_discord()


def _place(shard: int) -> Place:
    return Place("discord", str(GUILDS[shard]), str(GUILDS[shard] + 1))


def _moderator(shard: int) -> Actor:
    return Actor("discord", str(GUILDS[shard]), "77", "Mod", frozenset({"moderator"}))


def _member(fake: FakeDiscord, shard: int, n: int) -> int:
    user = 5_000 + n
    fake.add_member(GUILDS[shard], user, f"member {n}")
    return user


async def _pick(
    fake: FakeDiscord, user: int, form: int, position: int, name: str
) -> InteractionRecord:
    menu = next(i for i in fake.message(form).custom_ids() if i.endswith(f":pick:{position}"))
    picked = await fake.select(user, form, menu, [str(NAMES.index(name))])
    await picked
    return picked


async def _rank(fake: FakeDiscord, voter: int) -> InteractionRecord:
    return await fake.slash(voter, GUILDS[0] + 1, "rank", {"ranking": "Corbyn"})


def _recorded(record: InteractionRecord) -> bool:
    return any("is recorded" in t or "replaces your earlier" in t for t in record.texts)


async def _rankings(app: App) -> list[tuple[str, ...]]:
    async with transaction(app.context.sessions, write=False) as session:
        return list((await session.scalars(select(Ballot.ranking))).all())


async def test_two_shard_processes_one_killed_lose_and_double_nothing(
    app: App, settings: Settings, clock: FakeClock, tmp_path: Path
) -> None:
    leader = await app.elections.create(_moderator(0), _place(0), "Leader", NAMES)
    await app.elections.open(_moderator(0), _place(0), leader.ref)
    # Due at once for the processes, whose clock is the real one (the test's is in 2015).
    snap = await app.elections.create(
        _moderator(1), _place(1), "Snap", NAMES, closes_at=clock.now + timedelta(hours=1)
    )
    await app.elections.open(_moderator(1), _place(1), snap.ref)

    async with world(settings, tmp_path) as (fake, bots):
        victim = await bots.start(0)
        await bots.start(1)
        await fake.gateway.wait_connected(WITHIN, shards=frozenset({0, 1}))

        def closes() -> list[Any]:
            return [
                m
                for m in fake.channel_messages(GUILDS[1] + 1)
                if "Voting has closed: Snap" in m.text
            ]

        await _posted(fake, lambda: len(closes()) >= 1)  # the timed close is announced

        carol = _member(fake, 0, 0)
        opened = await fake.slash(carol, GUILDS[0] + 1, "ballot")
        await opened.settled(within=WITHIN)
        assert opened.shard == 0 and opened.ephemeral
        form = opened.messages[0].id
        assert "Pick your 1st preference" in fake.message(form).text
        assert (await _pick(fake, carol, form, 0, "Yvette Cooper")).shard == 0
        assert "So far: 1. Yvette Cooper" in fake.message(form).text

        voters = [_member(fake, 0, n) for n in range(1, IN_FLIGHT + 1)]
        ranks = [await _rank(fake, v) for v in voters[:KILL_AFTER]]
        for record in ranks:  # answered before the kill
            await record.wait_until(lambda r=record: _recorded(r), within=WITHIN)
        ranks += [await _rank(fake, v) for v in voters[KILL_AFTER:]]
        victim.send_signal(signal.SIGKILL)  # while those are read, cast, answered
        assert await victim.wait() == -signal.SIGKILL
        answered = {v: r for v, r in zip(voters, ranks, strict=True) if _recorded(r)}
        assert len(answered) < IN_FLIGHT  # killed mid-stream

        await bots.start(0)  # the process that takes over shard 0
        await fake.gateway.wait_connected(WITHIN, identifies=3, shards=frozenset({0, 1}))
        assert (await _pick(fake, carol, form, 1, "Liz Kendall")).followups == []
        confirm = next(i for i in fake.message(form).custom_ids() if i.endswith(":confirm"))
        reviewed = await fake.click(carol, form, confirm)
        review = "Cast this ballot? 1. Yvette Cooper 2. Liz Kendall"
        await reviewed.wait_until(lambda: review in fake.message(form).text, within=WITHIN)
        cast = next(i for i in fake.message(form).custom_ids() if i.endswith(":cast"))
        confirmed = await fake.click(carol, form, cast)
        shown = "is recorded: 1. Yvette Cooper 2. Liz Kendall"
        await confirmed.wait_until(lambda: shown in fake.message(form).text, within=WITHIN)
        assert confirmed.shard == 0

        for voter in voters:  # those left without an answer rank again
            if voter not in answered:
                again = await _rank(fake, voter)
                await again.settled(within=WITHIN)
                assert _recorded(again)
        member_of_shard_1 = _member(fake, 1, 99)
        other = await fake.slash(member_of_shard_1, GUILDS[1] + 1, "ballot")
        await other.settled(within=WITHIN)
        assert other.shard == 1 and "Voting has closed" not in "".join(other.texts)

    assert len(closes()) == 1  # announced once, by one of the two schedulers
    rankings = await _rankings(app)
    assert sorted(rankings) == sorted(
        [("Yvette Cooper", "Liz Kendall")] + [("Jeremy Corbyn",)] * IN_FLIGHT
    )
    receipts = {r.receipt for r in await _ballot_rows(app)}
    acknowledged = {RECEIPT.search(" ".join(r.texts)) for r in answered.values()}
    assert {m and m["code"] for m in acknowledged} <= receipts  # none acknowledged is lost
    assert "Traceback" not in bots.logs()
    turnout = (await app.elections.get(_moderator(0), _place(0), leader.ref)).turnout
    assert turnout == len(rankings) == 1 + IN_FLIGHT


async def _ballot_rows(app: App) -> list[Ballot]:
    async with transaction(app.context.sessions, write=False) as session:
        return list((await session.scalars(select(Ballot))).all())
