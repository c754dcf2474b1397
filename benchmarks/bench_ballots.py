"""Ballot ingest by several bot processes on one database, and counting a million stored
ballots: SQLite and PostgreSQL side by side, in one run.

Not a test: figures depend on the machine. Run::

    .venv/bin/python benchmarks/bench_ballots.py --stores sqlite          # SQLite only
    bash scripts/postgres_for_tests.sh .venv/bin/python benchmarks/bench_ballots.py  # both
    .venv/bin/python benchmarks/bench_ballots.py --postgres postgresql+asyncpg://u@host/db
    .venv/bin/python benchmarks/bench_ballots.py --smoke    # tiny sizes, seconds (the suite)

For each store (a new SQLite file; on the PostgreSQL server ``--postgres`` or
``$HUSTINGS_TEST_POSTGRES_URL`` names, a new database, dropped afterwards):

1. **Ingest** (``ballot_load.py``): ``--processes`` OS processes, each with its own ``App`` on
   the same database, cast ``--ballots`` ballots through ``BallotService.rank`` (parse,
   eligibility, clock check, group-commit upsert, commit; an ack only after the commit).
   *Closed loop*: ``--concurrency`` members at once, each sending their next as soon as the
   last is acknowledged: the throughput (target >= 2,000 ballots/s). *Open loop*: ballots
   due at ``--rate`` a second, each sent when due: the ack latency at that load, timed from
   when each was due (target p99 < 50 ms, and the rate kept up). Every call is accounted for
   and the stored rows and the turnout must both equal the acknowledged ballots.
2. **Count** (``--stored``): that many ballots (~400 distinct rankings) are stored in bulk as
   the writer stores them (random ids, voter keys, receipts, the minute, the turnout moved in
   the same transactions; set-up, timed, not judged), then ``ElectionService.count`` reads
   them from the database (one grouped query), counts and stores the result,
   ``--count-runs`` times (the later ones are recounts, which must be identical); target:
   the median < 2 s. The rise in peak RSS during the first count is shown.

Each store's rows carry the load average (the machine is shared) and, for PostgreSQL, its
``fsync`` / ``synchronous_commit`` settings. The exit code is 1 if anything failed or (in
full runs) a target was missed.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import secrets
import sys
import tempfile
from collections.abc import AsyncIterator
from pathlib import Path

from ballot_load import CANDIDATES, PLACE, settings_for
from ballot_store import bulk_store, ingest, stored_and_turnout
from sqlalchemy import text
from sqlalchemy.engine import make_url
from verdict import Table

from bot.app import App, build_app
from bot.domain import Actor

MOD = Actor("bench", "workspace", "mod", "Mod", frozenset({"moderator"}))
SMOKE = {"ballots": 200, "concurrency": 20, "stored": 2_000, "rate": 400.0, "count_runs": 2}
SECRET = "bench-secret-" + "x" * 32
ENV = "HUSTINGS_TEST_POSTGRES_URL"


def load() -> str:
    return "load average {:.1f} {:.1f} {:.1f}".format(*os.getloadavg())


@contextlib.asynccontextmanager
async def database(store: str, args: argparse.Namespace, folder: Path) -> AsyncIterator[str]:
    """A new, empty database for ``store``: a SQLite file, or a database on the server."""
    if store == "sqlite":
        yield f"sqlite+aiosqlite:///{folder / 'bench.db'}"
        return
    import asyncpg  # noqa: PLC0415 - only PostgreSQL runs need it

    server = make_url(args.postgres)
    admin = server.set(drivername="postgresql").render_as_string(hide_password=False)
    name = f"bench_{secrets.token_hex(4)}"
    connection = await asyncpg.connect(admin)
    try:
        await connection.execute(f'CREATE DATABASE "{name}"')
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await connection.close()


async def server_settings(app: App) -> str:
    if app.engine.dialect.name != "postgresql":
        return "synchronous=FULL, WAL"
    async with app.engine.connect() as connection:
        shown = [
            f"{name}={(await connection.execute(text(f'SHOW {name}'))).scalar()}"
            for name in ("fsync", "synchronous_commit", "server_version")
        ]
    return ", ".join(shown)


async def cast(app: App, table: Table, store: str, mode: str, args: argparse.Namespace,
               url: str, folder: Path) -> None:  # fmt: skip
    title = "Throughput" if mode == "closed" else "Paced"
    created = await app.elections.create(MOD, PLACE, title, CANDIDATES)
    await app.elections.open(MOD, PLACE, created.ref)
    config = {
        "database": url, "ref": created.ref, "ballots": args.ballots, "mode": mode,
        "processes": args.processes, "concurrency": args.concurrency, "rate": args.rate,
        "seed": args.seed, "secret": SECRET, "dir": str(folder),
    }  # fmt: skip
    done = await ingest(config)
    what = f"{store} {mode} cast"
    acknowledged = len(done.latencies)
    table.check(f"{what}: acknowledged", f"{acknowledged:,} of {args.ballots:,}", "all",
                acknowledged == args.ballots)  # fmt: skip
    for label, counts in (("refused", done.refused), ("failed", done.failed)):
        shown = ", ".join(f"{n} {name}" for name, n in counts.items()) or "0"
        table.check(f"{what}: {label}", shown, "0", not counts)
    rows, turnout = await stored_and_turnout(app, created.id)
    table.check(f"{what}: stored / turnout", f"{rows:,} / {turnout:,}", f"{acknowledged:,} each",
                rows == turnout == acknowledged)  # fmt: skip
    rate = acknowledged / done.elapsed if done.elapsed > 0 else 0.0
    p50, p99 = done.percentile(0.50) * 1000, done.percentile(0.99) * 1000
    shape = (f"{args.processes} processes, {rate:,.0f} ballots/s in {done.elapsed:.2f} s; "
             f"p50 {p50:.1f} ms, p99 {p99:.1f} ms, at most {done.in_flight} in flight")  # fmt: skip
    if mode == "closed":
        table.target(f"{what}: throughput", f"{shape}; {args.concurrency} members",
                     ">= 2,000/s", rate >= 2000)  # fmt: skip
    else:
        kept = rate >= 0.95 * args.rate
        table.target(f"{what}: rate kept", f"{shape}; {args.rate:,.0f}/s offered",
                     ">= 95% of offered", kept)  # fmt: skip
        table.target(f"{what}: ack p99", f"{p99:.1f} ms (max {done.percentile(1) * 1000:.0f})",
                     "< 50 ms", p99 < 50)  # fmt: skip
    if acknowledged:
        per = done.cpu / acknowledged * 1000
        table.info(f"{what}: bot CPU", f"{per:.2f} ms per ballot ({done.cpu:.1f} s in all)")
    table.info(f"{what}: machine", load())


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


async def count_stored(app: App, table: Table, store: str, args: argparse.Namespace) -> None:
    created = await app.elections.create(MOD, PLACE, "Million", CANDIDATES)
    await app.elections.open(MOD, PLACE, created.ref)
    seconds, distinct = await bulk_store(app, created.id, args.stored, args.seed)
    stored = f"{args.stored:,} ballots stored in bulk, {distinct} distinct, in {seconds:.1f} s"
    table.info(f"{store} count set-up", stored)
    rows, turnout = await stored_and_turnout(app, created.id)
    table.check(f"{store} count set-up: stored / turnout", f"{rows:,} / {turnout:,}",
                f"{args.stored:,} each", rows == turnout == args.stored)  # fmt: skip
    times, results = [], []
    for run in range(args.count_runs):
        baseline = _peak_rss_mb() if _reset_peak_rss() else float("nan")
        start = asyncio.get_running_loop().time()
        outcome = await app.elections.count(MOD, PLACE, created.ref)
        times.append(asyncio.get_running_loop().time() - start)
        if run == 0:
            table.info(f"{store} count: peak RSS rise", f"{_peak_rss_mb() - baseline:.1f} MB")
        results.append(outcome.result)
    first = results[0]
    table.check(f"{store} count: ballots counted", f"{first.ballots:,}", f"{rows:,}",
                first.ballots == rows)  # fmt: skip
    median = sorted(times)[len(times) // 2]
    shown = ", ".join(f"{t:.2f}" for t in times)
    table.target(f"{store} count: time (median)",
                 f"{median:.2f} s (runs {shown} s; {len(first.rounds)} rounds, "
                 f"winner {', '.join(first.winners)})", "< 2 s", median < 2)  # fmt: skip
    same = all(r.to_dict() == first.to_dict() for r in results[1:])
    table.check(f"{store} recount: identical", str(same), "True", same)
    table.info(f"{store} count: machine", load())


async def run_store(store: str, args: argparse.Namespace, table: Table) -> None:
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        folder = Path(tmp)
        async with database(store, args, folder) as url:
            app = await build_app(settings_for(url, folder, SECRET), freeze_gc=True)
            try:
                table.info(f"{store}: settings", await server_settings(app))
                for mode in ("closed", "open"):
                    await cast(app, table, store, mode, args, url, folder)
                if args.stored:
                    await count_stored(app, table, store, args)
            finally:
                await app.aclose()


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--stores", default="sqlite,postgres", help="comma-separated")
    parser.add_argument("--postgres", default=os.environ.get(ENV), help=f"server URL (${ENV})")
    parser.add_argument("--ballots", type=int, default=20_000)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=200, help="members at once")
    parser.add_argument("--rate", type=float, default=2000, help="open loop: ballots/s")
    parser.add_argument("--stored", type=int, default=1_000_000)
    parser.add_argument("--count-runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2015)
    parser.add_argument("--dir", type=Path, default=None, help="where the SQLite file goes")
    parser.add_argument("--smoke", action="store_true", help="tiny sizes: checks, no targets")
    args = parser.parse_args()
    if args.smoke:
        vars(args).update(SMOKE)
    stores = [s.strip() for s in args.stores.split(",") if s.strip()]
    if args.smoke and not args.postgres and "postgres" in stores:
        stores.remove("postgres")  # the suite without a server: SQLite only
    table = Table(
        f"bench_ballots: {args.ballots:,} cast by {args.processes} processes, {args.stored:,} "
        f"counted; {', '.join(stores)}; Python {sys.version.split()[0]}; {load()}",
        smoke=args.smoke,
    )
    for store in stores:
        try:
            if store == "postgres" and not args.postgres:
                raise RuntimeError(f"no PostgreSQL server: pass --postgres or set ${ENV}")
            asyncio.run(run_store(store, args, table))
        except Exception as exc:
            table.crashed(exc)
    return table.finish()


if __name__ == "__main__":
    sys.exit(main())
