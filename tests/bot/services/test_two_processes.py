"""Two real bot processes cast ballots into one database; one is killed with ``kill -9``.

A close that was due when both started is announced by one of them, once (their passes
rarely overlap here; ``test_two_apps`` races them, and fails without the claim). Every ballot a
process acknowledged (printed after its commit) is stored, once; the turnout
counter matches the ballots table (a killed batch rolled back whole); the count counts them
all. The kill comes when the victim has acknowledged some ballots (read from its output,
never a timer), so it lands mid-stream, most likely inside a batch.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.app import App
from bot.config import Settings
from bot.storage.database import transaction
from bot.storage.tables import Ballot
from tests.bot.services.conftest import CANDIDATES, MOD, OTHER_PLACE, PLACE, FakeClock

pytestmark = pytest.mark.both_stores  # SQLite and PostgreSQL (tests/stores.py)

WORKER = Path(__file__).with_name("ballot_worker.py")
ROOT = Path(__file__).resolve().parents[3]
EACH = 400
KILL_AFTER = 60
"""Acknowledgements seen from the victim before it is killed."""


async def _start(settings: Settings, first: int) -> asyncio.subprocess.Process:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return await asyncio.create_subprocess_exec(
        sys.executable, str(WORKER), settings.database_url, str(settings.data_dir),
        str(first), str(first + EACH),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.DEVNULL, env=env,
    )  # fmt: skip


async def _lines(process: asyncio.subprocess.Process, stop_after: int | None) -> list[str]:
    """The worker's lines until it ends or (``stop_after``) that many acknowledgements."""
    assert process.stdout is not None
    lines: list[str] = []
    while line := (await process.stdout.readline()).decode():
        lines.append(line.strip())
        if stop_after is not None and sum(x.startswith("ack ") for x in lines) >= stop_after:
            break
    return lines


def _acks(lines: list[str]) -> dict[int, str]:
    return {
        int(n): receipt for kind, n, receipt in (x.split() for x in lines if x.startswith("ack "))
    }


async def test_a_killed_process_loses_and_doubles_no_acknowledged_ballot(
    app: App, settings: Settings, clock: FakeClock
) -> None:
    created = await app.elections.create(MOD, PLACE, "Leader", CANDIDATES)
    await app.elections.open(MOD, PLACE, created.ref)
    # Due at once for the workers, whose clock is the real one (the test's is in 2015).
    timed = await app.elections.create(
        MOD, OTHER_PLACE, "Snap", CANDIDATES, closes_at=clock.now + timedelta(hours=1)
    )
    await app.elections.open(MOD, OTHER_PLACE, timed.ref)
    victim, survivor = await _start(settings, 0), await _start(settings, EACH)
    try:
        seen = await asyncio.wait_for(_lines(victim, KILL_AFTER), timeout=300)
        victim.send_signal(signal.SIGKILL)
        seen += await _lines(victim, None)  # what it printed before dying
        await victim.wait()
        survived = await asyncio.wait_for(_lines(survivor, None), timeout=300)
        assert await survivor.wait() == 0
    finally:
        for process in (victim, survivor):
            if process.returncode is None:
                process.kill()
                await process.wait()
    assert victim.returncode == -signal.SIGKILL
    assert "done" not in seen and len(_acks(seen)) < EACH  # killed mid-stream
    assert survived[-1] == "done" and len(_acks(survived)) == EACH
    assert all("scheduled" in lines for lines in (seen, survived))  # both passes ran
    announced = [x for x in seen + survived if x.startswith("announced ")]
    assert announced == [f"announced {OTHER_PLACE.channel}"]

    async with transaction(app.context.sessions, write=False) as session:
        stored = set((await session.scalars(select(Ballot.receipt))).all())
        rows = await session.scalar(select(func.count()).select_from(Ballot))
    acknowledged = {**_acks(seen), **_acks(survived)}
    assert set(acknowledged.values()) <= stored  # none acknowledged is lost
    assert rows == len(stored)  # one row per receipt
    turnout = (await app.elections.get(MOD, PLACE, created.ref)).turnout
    assert turnout == rows  # a killed batch left no half
    outcome = await app.elections.count(MOD, PLACE, created.ref)
    assert outcome.result.ballots == rows >= len(acknowledged)
