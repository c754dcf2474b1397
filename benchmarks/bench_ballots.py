"""Ballot throughput through the service layer, and counting a million stored ballots.

Not a test: figures depend on the machine. Run::

    .venv/bin/python benchmarks/bench_ballots.py            # 20,000 cast + 1,000,000 counted
    .venv/bin/python benchmarks/bench_ballots.py --ballots 5000 --stored 100000
    .venv/bin/python benchmarks/bench_ballots.py --smoke    # tiny sizes, seconds (the suite)
    .venv/bin/python benchmarks/bench_ballots.py --database postgresql+asyncpg://…/bench

Part 1 casts ``--ballots`` ballots from ``--concurrency`` concurrent members through
``BallotService.rank`` (parse, eligibility, clock check, upsert, commit) into a fresh SQLite
file (or the database ``--database`` names: new elections in it, its other rows untouched),
and reports throughput and per-ballot latency percentiles (targets: >= 1,000 ballots/s,
p99 <= 50 ms). Every call is accounted for: acknowledged (a receipt), refused, or failed; the
stored ballots and the turnout must both equal the number acknowledged.

Part 2 casts ``--stored`` ballots (~400 distinct rankings) into a second election through the
same ``BallotService.rank`` (set-up: timed and shown, not judged), so the ballots table, the
turnout counter and the receipts are exactly what members would leave behind. Then it times
``ElectionService.count``: one grouped query, the profile, the count, storing the result
(target: < 2 s), reports the rise in peak resident memory during the count (it should track
distinct rankings, not ballots), and checks the count saw every ballot and a recount is
identical.

The table is printed whatever happens; the exit code is 1 if anything failed or (in full
runs) a target was missed.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import random
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from pathlib import Path

from pydantic import SecretStr
from sqlalchemy import func, select
from verdict import Table

from bot.app import App, build_app
from bot.config import Settings
from bot.domain import Actor, ElectionView, Place
from bot.errors import UserError
from bot.storage.database import transaction
from bot.storage.tables import Ballot

PLACE = Place("bench", "workspace", "channel")
MOD = Actor("bench", "workspace", "mod", "Mod", frozenset({"moderator"}))
CANDIDATES = ("Burnham", "Cooper", "Corbyn", "Kendall", "Watson", "Creasy")
SMOKE = {"ballots": 200, "concurrency": 20, "stored": 2_000}


def _texts(rng: random.Random, n: int) -> list[str]:
    """Ranking texts as members type them: 1 to 4 names, random order."""
    return [" ".join(rng.sample(CANDIDATES, rng.randint(1, 4))) for _ in range(n)]


def _popular_texts(rng: random.Random, n: int) -> list[str]:
    """``n`` texts drawn, skewed, from 400 rankings: many ballots, few distinct rankings."""
    orders = [" ".join(p) for k in range(1, 5) for p in itertools.permutations(CANDIDATES, k)]
    popular = rng.sample(orders, 400)
    weights = [rng.random() ** 3 for _ in popular]
    return rng.choices(popular, weights, k=n)


class Outcomes:
    """Every ``rank`` call, accounted for: acknowledged, refused (a user error) or failed."""

    def __init__(self) -> None:
        self.latencies: list[float] = []
        self.refused: Counter[str] = Counter()
        self.failed: Counter[str] = Counter()

    async def rank(self, app: App, n: int, text: str, ref: str) -> None:
        voter = Actor("bench", "workspace", f"user-{n}", f"User {n}")
        start = time.perf_counter()
        try:
            await app.ballots.rank(voter, PLACE, text, ref=ref)
        except UserError as exc:
            self.refused[type(exc).__name__] += 1
        except Exception as exc:
            self.failed[type(exc).__name__] += 1
        else:
            self.latencies.append(time.perf_counter() - start)


async def _in_parallel(total: int, concurrency: int, one: Callable[[int], Awaitable[None]]) -> None:
    """``one(0) … one(total - 1)`` from ``concurrency`` members at once, each in turn."""
    numbers = iter(range(total))

    async def member() -> None:
        for n in numbers:
            await one(n)

    await asyncio.gather(*(member() for _ in range(concurrency)))


async def _stored(app: App, election: ElectionView) -> tuple[int, int]:
    """(rows in the ballots table, the election's turnout counter) for ``election``."""
    async with transaction(app.context.sessions, write=False) as session:
        rows = await session.scalar(
            select(func.count()).select_from(Ballot).where(Ballot.election_id == election.id)
        )
    return int(rows or 0), (await app.elections.get(MOD, PLACE, election.ref)).turnout


def _account(table: Table, what: str, total: int, outcomes: Outcomes) -> int:
    acknowledged = len(outcomes.latencies)
    table.check(
        f"{what}: acknowledged", f"{acknowledged:,} of {total:,}", "all", acknowledged == total
    )
    for label, counts in (("refused", outcomes.refused), ("failed", outcomes.failed)):
        shown = ", ".join(f"{n} {name}" for name, n in counts.items()) or "0"
        table.check(f"{what}: {label}", shown, "0", not counts)
    return acknowledged


async def cast(app: App, table: Table, ballots: int, concurrency: int, seed: int) -> None:
    created = await app.elections.create(MOD, PLACE, "Throughput", CANDIDATES)
    await app.elections.open(MOD, PLACE, created.ref)
    texts = _texts(random.Random(seed), ballots)
    outcomes = Outcomes()
    start = time.perf_counter()
    await _in_parallel(ballots, concurrency, lambda n: outcomes.rank(app, n, texts[n], created.ref))
    elapsed = time.perf_counter() - start
    acknowledged = _account(table, "cast", ballots, outcomes)
    rows, turnout = await _stored(app, created)
    table.check(
        "cast: stored / turnout",
        f"{rows:,} / {turnout:,}",
        f"{acknowledged:,} each",
        rows == turnout == acknowledged,
    )
    rate = acknowledged / elapsed
    table.target(
        "cast: throughput",
        f"{rate:,.0f} ballots/s ({concurrency} members at once, {elapsed:.2f} s)",
        ">= 1,000",
        rate >= 1000,
    )
    if len(outcomes.latencies) >= 2:
        cuts = statistics.quantiles(outcomes.latencies, n=100, method="inclusive")
        table.info("cast: latency p50", f"{cuts[49] * 1000:.1f} ms")
        table.target(
            "cast: latency p99", f"{cuts[98] * 1000:.1f} ms", "<= 50 ms", cuts[98] <= 0.050
        )


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


async def count_stored(app: App, table: Table, stored: int, seed: int) -> None:
    created = await app.elections.create(MOD, PLACE, "Million", CANDIDATES)
    await app.elections.open(MOD, PLACE, created.ref)
    texts = _popular_texts(random.Random(seed), stored)
    outcomes = Outcomes()
    start = time.perf_counter()
    await _in_parallel(stored, 1000, lambda n: outcomes.rank(app, n, texts[n], created.ref))
    table.info(
        "count set-up",
        f"{stored:,} ballots cast through BallotService.rank, "
        f"{len(set(texts))} distinct, in {time.perf_counter() - start:.1f} s",
    )
    acknowledged = _account(table, "count set-up", stored, outcomes)
    rows, turnout = await _stored(app, created)
    table.check(
        "count set-up: stored / turnout",
        f"{rows:,} / {turnout:,}",
        f"{acknowledged:,} each",
        rows == turnout == acknowledged,
    )
    baseline = _peak_rss_mb() if _reset_peak_rss() else float("nan")
    start = time.perf_counter()
    outcome = await app.elections.count(MOD, PLACE, created.ref)
    elapsed = time.perf_counter() - start
    rise = _peak_rss_mb() - baseline
    result = outcome.result
    table.check(
        "count: ballots counted", f"{result.ballots:,}", f"{rows:,}", result.ballots == rows
    )
    table.target(
        "count: time",
        f"{elapsed:.2f} s ({len(result.rounds)} rounds, winner {', '.join(result.winners)})",
        "< 2 s",
        elapsed < 2,
    )
    table.info("count: peak RSS rise", f"{rise:.1f} MB")
    start = time.perf_counter()
    again = await app.elections.count(MOD, PLACE, created.ref)
    same = again.result.to_dict() == result.to_dict()
    table.check("recount: identical", f"{same} ({time.perf_counter() - start:.2f} s)", "True", same)


async def run(args: argparse.Namespace, table: Table) -> None:
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            database_url=args.database or f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}",
            data_dir=Path(tmp),
            hustings_secret=SecretStr("bench-secret-" + "x" * 32),
        )
        app = await build_app(settings, freeze_gc=True)  # as ``hustings run`` does
        try:
            await cast(app, table, args.ballots, args.concurrency, args.seed)
            if args.stored:
                await count_stored(app, table, args.stored, args.seed)
        finally:
            await app.aclose()


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--ballots", type=int, default=20_000)
    parser.add_argument("--concurrency", type=int, default=200)
    parser.add_argument("--stored", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=2015)
    parser.add_argument("--dir", type=Path, default=None, help="where the SQLite file goes")
    parser.add_argument("--database", help="a database URL instead of a new SQLite file")
    parser.add_argument("--smoke", action="store_true", help="tiny sizes: checks, no targets")
    args = parser.parse_args()
    if args.smoke:
        vars(args).update(SMOKE)
    table = Table(
        f"bench_ballots: {args.ballots:,} cast, {args.stored:,} counted, "
        f"{'PostgreSQL' if (args.database or '').startswith('postgresql') else 'SQLite'}, "
        f"Python {sys.version.split()[0]}",
        smoke=args.smoke,
    )
    try:
        asyncio.run(run(args, table))
    except Exception as exc:
        table.crashed(exc)
    return table.finish()


if __name__ == "__main__":
    sys.exit(main())
