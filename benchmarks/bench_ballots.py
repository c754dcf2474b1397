"""Ballot throughput through the service layer, and counting a million stored ballots.

Not a test: figures depend on the machine. Run::

    .venv/bin/python benchmarks/bench_ballots.py
    .venv/bin/python benchmarks/bench_ballots.py --ballots 5000 --stored 100000

Part 1 casts ``--ballots`` ballots from ``--concurrency`` concurrent members through
``BallotService.rank`` (parse, eligibility, clock check, upsert, commit) into a fresh SQLite
file, and reports throughput and per-ballot latency percentiles (targets: ≥ 1,000 ballots/s,
p99 ≤ 50 ms). Part 2 inserts ``--stored`` ballots straight into a second election with
``executemany`` (setup, not timed), then times ``ElectionService.count``: one grouped query,
the profile, the count and storing the result (target: < 2 s), and reports the rise in peak
resident memory during the count, which should track distinct rankings, not ballots.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import random
import sqlite3
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from pydantic import SecretStr

from bot.app import App, build_app
from bot.config import Settings
from bot.domain import Actor, Place

PLACE = Place("bench", "workspace", "channel")
MOD = Actor("bench", "workspace", "mod", "Mod", frozenset({"moderator"}))
CANDIDATES = ("Burnham", "Cooper", "Corbyn", "Kendall", "Watson", "Creasy")


def _texts(rng: random.Random, n: int) -> list[str]:
    """Ranking texts as members type them: 1 to 4 names, random order."""
    return [" ".join(rng.sample(CANDIDATES, rng.randint(1, 4))) for _ in range(n)]


async def cast(app: App, ballots: int, concurrency: int, seed: int) -> None:
    created = await app.elections.create(MOD, PLACE, "Throughput", CANDIDATES)
    await app.elections.open(MOD, PLACE, created.ref)
    texts = _texts(random.Random(seed), ballots)
    latencies: list[float] = []
    per_worker = ballots // concurrency

    async def worker(w: int) -> None:
        for i in range(per_worker):
            n = w * per_worker + i
            voter = Actor("bench", "workspace", f"user-{n}", f"User {n}")
            start = time.perf_counter()
            await app.ballots.rank(voter, PLACE, texts[n], ref=created.ref)
            latencies.append(time.perf_counter() - start)

    start = time.perf_counter()
    await asyncio.gather(*(worker(w) for w in range(concurrency)))
    elapsed = time.perf_counter() - start
    cast_total = per_worker * concurrency
    turnout = (await app.elections.get(MOD, PLACE, created.ref)).turnout
    q = statistics.quantiles(latencies, n=100)
    print(f"cast: {cast_total:,} ballots from {concurrency} concurrent members "
          f"in {elapsed:.2f} s = {cast_total / elapsed:,.0f} ballots/s; "
          f"latency p50 {q[49] * 1000:.1f} ms, p99 {q[98] * 1000:.1f} ms; "
          f"stored {turnout:,}")  # fmt: skip


def _insert_stored(db: Path, election_id: int, stored: int, seed: int) -> int:
    """Insert ``stored`` ballots with executemany (benchmark setup); returns distinct rankings."""
    rng = random.Random(seed)
    orders = [
        json.dumps(list(p), separators=(",", ":"))
        for k in range(1, 5)
        for p in itertools.permutations(CANDIDATES, k)
    ]
    popular = rng.sample(orders, 400)
    weights = [rng.random() ** 3 for _ in popular]
    rankings = rng.choices(popular, weights, k=stored)
    cast_at = datetime(2015, 9, 10, tzinfo=UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    rows = (
        (election_id, os.urandom(32), ranking, None, f"R{n:010d}", cast_at)
        for n, ranking in enumerate(rankings)
    )
    with sqlite3.connect(db) as connection:
        connection.executemany(
            "INSERT INTO ballots (election_id, voter_key, ranking, section, receipt, cast_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            rows,
        )
    return len(set(rankings))


def _reset_peak_rss() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def _peak_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def count_stored(app: App, db: Path, stored: int, seed: int) -> None:
    created = await app.elections.create(MOD, PLACE, "Million", CANDIDATES)
    await app.elections.open(MOD, PLACE, created.ref)
    start = time.perf_counter()
    distinct = await asyncio.to_thread(_insert_stored, db, created.id, stored, seed)
    print(f"setup: inserted {stored:,} ballots ({distinct} distinct rankings) "
          f"in {time.perf_counter() - start:.1f} s")  # fmt: skip
    baseline = _peak_rss_mb() if _reset_peak_rss() else float("nan")
    start = time.perf_counter()
    outcome = await app.elections.count(MOD, PLACE, created.ref)
    elapsed = time.perf_counter() - start
    rise = _peak_rss_mb() - baseline
    print(f"count: {outcome.result.ballots:,} stored ballots counted in {elapsed:.2f} s "
          f"({len(outcome.result.rounds)} rounds, winner {', '.join(outcome.result.winners)}); "
          f"peak RSS rise during count {rise:.1f} MB")  # fmt: skip
    start = time.perf_counter()
    again = await app.elections.count(MOD, PLACE, created.ref)
    print(f"recount: identical={again.result.to_dict() == outcome.result.to_dict()} "
          f"in {time.perf_counter() - start:.2f} s")  # fmt: skip


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ballots", type=int, default=20_000)
    parser.add_argument("--concurrency", type=int, default=200)
    parser.add_argument("--stored", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=2015)
    parser.add_argument("--dir", type=Path, default=None, help="where the SQLite file goes")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        db = Path(tmp) / "bench.db"
        settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            database_url=f"sqlite+aiosqlite:///{db}",
            data_dir=Path(tmp),
            hustings_secret=SecretStr("bench-secret-" + "x" * 32),
        )
        app = await build_app(settings, freeze_gc=True)  # as ``hustings run`` should
        try:
            await cast(app, args.ballots, args.concurrency, args.seed)
            if args.stored:
                await count_stored(app, db, args.stored, args.seed)
        finally:
            await app.aclose()


if __name__ == "__main__":
    asyncio.run(main())
