"""The parts of ``bench_ballots.py`` that touch processes and rows: running the casting
processes (``ballot_load.py``) and merging what they report, storing a million ballots in
bulk for the count, and reading back what was stored.
"""

from __future__ import annotations

import asyncio
import json
import random
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ballot_load import CANDIDATES, PLACE
from sqlalchemy import func, insert, select

from bot.app import App
from bot.services.ballot_rows import add_turnout, cast_minute, new_ballot_id
from bot.storage.database import transaction
from bot.storage.tables import Ballot, Election

LOAD = Path(__file__).resolve().parent / "ballot_load.py"
CHUNK = 20_000


@dataclass
class Done:
    """What every casting process reported, merged."""

    latencies: list[float] = field(default_factory=list)
    refused: Counter[str] = field(default_factory=Counter)
    failed: Counter[str] = field(default_factory=Counter)
    elapsed: float = 0.0
    in_flight: int = 0
    cpu: float = 0.0
    """CPU seconds the casting processes spent (user + system): unlike wall time, barely
    moved by what else the machine runs."""

    def percentile(self, fraction: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


async def ingest(config: dict[str, Any]) -> Done:
    """Start ``config["processes"]`` casting processes, start them together, merge reports.

    Each must print ``ready`` and then its JSON report; one that does neither (it crashed:
    its traceback is on stderr) counts all its ballots as failed.
    """
    processes = [
        await asyncio.create_subprocess_exec(
            sys.executable,
            str(LOAD),
            json.dumps({**config, "process": p}),
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            limit=2**26,
        )
        for p in range(config["processes"])
    ]
    done = Done()
    try:
        ready = await asyncio.gather(*(_line(p) for p in processes))
        t0 = time.time() + 0.2  # every process starts its clock at the same instant
        for process in processes:
            assert process.stdin is not None
            process.stdin.write(f"go {t0}\n".encode())
            await process.stdin.drain()
        reports = await asyncio.gather(*(_line(p) for p in processes))
    finally:
        codes = [await p.wait() for p in processes]
    firsts, lasts = [], []
    for p, (hello, report, code) in enumerate(zip(ready, reports, codes, strict=True)):
        if hello != "ready" or not report.startswith("{") or code != 0:
            share = len(range(p, config["ballots"], config["processes"]))
            done.failed[f"process {p} exited {code}"] += share
            continue
        got = json.loads(report)
        done.latencies += got["latencies"]
        done.refused.update(got["refused"])
        done.failed.update(got["failed"])
        done.in_flight += got["in_flight"]
        done.cpu += got["cpu"]
        firsts.append(got["first"])
        lasts.append(got["last"])
    if firsts:
        done.elapsed = max(lasts) - min(firsts)
    return done


async def _line(process: asyncio.subprocess.Process) -> str:
    """The process's next stdout line that is ours (``ready`` or a JSON report)."""
    assert process.stdout is not None
    while line := (await process.stdout.readline()).decode():
        line = line.strip()
        if line == "ready" or line.startswith("{"):
            return line
    return ""


async def bulk_store(app: App, election_id: int, n: int, seed: int) -> tuple[float, int]:
    """Store ``n`` ballots in ``election_id`` as the ballot writer would: a random id, the
    member's voter key, a unique receipt, the minute; the turnout moved in the same
    transactions. Rankings are drawn, skewed, from 400. Returns (seconds, distinct rankings).
    """
    from itertools import permutations  # noqa: PLC0415

    rng = random.Random(seed)
    orders = [p for k in range(1, 5) for p in permutations(CANDIDATES, k)]
    popular = rng.sample(orders, 400)
    rankings = rng.choices(popular, [rng.random() ** 3 for _ in popular], k=n)
    secrecy, receipts = app.context.secrecy, app.context.receipts
    minute = cast_minute(app.context.clock())
    used: set[str] = set()
    start = time.perf_counter()
    for low in range(0, n, CHUNK):
        rows = []
        for m in range(low, min(n, low + CHUNK)):
            receipt = receipts()
            while receipt in used:
                receipt = receipts()
            used.add(receipt)
            key = secrecy.voter_key(PLACE.platform, PLACE.workspace, f"stored-{m}", election_id)
            rows.append({"id": new_ballot_id(), "election_id": election_id, "voter_key": key,
                         "ranking": rankings[m], "section": None, "receipt": receipt,
                         "cast_at": minute})  # fmt: skip
        async with transaction(app.context.sessions) as session:
            await session.execute(insert(Ballot), rows)
            await add_turnout(session, election_id, len(rows))
    return time.perf_counter() - start, len(set(rankings))


async def stored_and_turnout(app: App, election_id: int) -> tuple[int, int]:
    """(rows in the ballots table, the election's turnout counter) for ``election_id``."""
    async with transaction(app.context.sessions, write=False) as session:
        rows = await session.scalar(
            select(func.count()).select_from(Ballot).where(Ballot.election_id == election_id)
        )
        turnout = await session.scalar(select(Election.turnout).where(Election.id == election_id))
    return int(rows or 0), int(turnout or 0)
