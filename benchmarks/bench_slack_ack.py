"""Ack latency of the Slack adapter in HTTP mode: signed ``/rank`` requests from many members.

The fake Slack signs each slash command and POSTs it to the real bolt app served by aiohttp
(signature check, edge gate, listener, ``ack()``), timing the HTTP answer as Slack would, while
the app goes on after each ack to ask ``users.info``, cast the ballot and answer through the
response URL. Two loads (``--loads``, both by default):

* **closed** (the old figure): 100 members send 10 rankings each, each sending their next the
  moment the last is acked; the app, the fake Slack and the HTTP client share one event loop,
  on SQLite. By Little's law its mean ack is members / acks per second, whatever the ack costs.
* **open** (``slack_open_loop``): ``--open-requests`` from the same members at ``--rate`` a
  second, each sent when due; the app runs as ``--workers`` real bot processes
  (``python -m bot.cli run``, HTTP mode; ``slack_workers``) on one database, round-robin, for each
  of ``--stores`` (SQLite, and PostgreSQL on ``--postgres`` or $HUSTINGS_TEST_POSTGRES_URL)
  in the same run. Latency is timed from when each request was due.

Every request is accounted for three times over: its ack (200 within Slack's 3 s, else late or
failed), its receipt (the ephemeral reply through the response URL, naming the ranking that
was sent; the benchmark waits for every one before it stops anything), and failures on either
side (response-URL calls the fake refused, errors the bot logged); the turnout must equal the
members. The table is printed whatever happens; the exit code is 1 if anything was late, lost
or failed, or (full runs) the p99 target was missed.

    .venv/bin/python benchmarks/bench_slack_ack.py          # closed + open, both stores
    bash scripts/postgres_for_tests.sh .venv/bin/python benchmarks/bench_slack_ack.py
    .venv/bin/python benchmarks/bench_slack_ack.py --loads open --stores sqlite --workers 2
    .venv/bin/python benchmarks/bench_slack_ack.py --loads closed --without-edge  # gate's cost
    .venv/bin/python benchmarks/bench_slack_ack.py --smoke  # tiny sizes, seconds
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from pydantic import SecretStr
from slack_load import (
    CHANNEL,
    TEAM,
    check_receipts,
    election_in,
    load_average,
    mod_actor,
    place,
    populate,
    ranking,
    receipt_line,
    receipts,
    report_acks,
)
from verdict import ErrorLog, Table

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.adapters.slack.app import build_bolt_app
from bot.adapters.slack.edge import EdgeGate
from bot.adapters.slack.fake import FakeSlack, Interaction
from bot.adapters.slack.transport import EVENTS_PATH, serve_http
from bot.app import App, build_app
from bot.config import Settings

ENV = "HUSTINGS_TEST_POSTGRES_URL"
SMOKE = {
    "requests": 20,
    "members": 5,
    "open_requests": 20,
    "rate": 50.0,
    "workers": "2",
}


CLOSED = "closed sqlite, 1 process: "


async def closed(requests: int, members: int, drain: float, folder: Path, table: Table) -> None:
    """The closed loop: app, fake Slack and client in this process's one event loop."""
    async with FakeSlack(rate_limit=None, settle_quiet=0) as fake:
        voters = populate(fake, members)
        settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            database_url=f"sqlite+aiosqlite:///{folder / 'bench.db'}",
            data_dir=folder,
            slack_api_url=fake.api_url,
            slack_mode="http",
            slack_bot_token=SecretStr(fake.bot_token(TEAM)),
            slack_signing_secret=SecretStr(fake.signing_secret),
            slack_usergroup_moderators=True,  # the bench's moderator is a user group
        )
        core = await build_app(settings, freeze_gc=True)
        bolt = build_bolt_app(core, settings)
        server = await serve_http(bolt, "127.0.0.1", 0, fake.signing_secret)
        fake.request_url = server.url + EVENTS_PATH
        try:
            await _storm(fake, core, voters, requests, drain, table)
        finally:
            await server.close()
            await core.aclose()


async def _storm(
    fake: FakeSlack, core: App, voters: list[str], requests: int, drain: float, table: Table
) -> None:
    await election_in(fake, CHANNEL, "Bench")
    per_member = requests // len(voters)
    expected = {
        uid: Counter(receipt_line(ranking(n, k)) for k in range(per_member))
        for n, uid in enumerate(voters)
    }
    total = per_member * len(voters)
    first_seq = fake.next_seq()
    with ErrorLog() as errors:
        started = time.perf_counter()
        results = await asyncio.gather(
            *(member(fake, uid, n, per_member) for n, uid in enumerate(voters))
        )
        acked = time.perf_counter() - started

        def delivered() -> int:
            return sum(c.total() for c in receipts(fake, first_seq, CHANNEL).values())

        # wait for every reply before anything is stopped; the bound only ends a failure
        with contextlib.suppress(TimeoutError):
            await fake.wait_for(lambda: delivered() >= total, drain)
        delivered_at = time.perf_counter() - started
        await fake.settle(0.5, at_most=10)
    report_acks(table, CLOSED, [a.ack for batch in results for a in batch], total, acked)
    check_receipts(table, CLOSED, receipts(fake, first_seq, CHANNEL), expected, delivered_at)
    refused = [c for c in fake.calls if c.method == "response_url" and c.status != 200]
    table.check(f"{CLOSED}response-URL calls refused", str(len(refused)), "0", not refused)
    table.check(f"{CLOSED}errors logged by the bot", errors.shown(), "0", not errors.errors)
    turnout = (await core.elections.get(mod_actor(), place())).turnout
    table.check(f"{CLOSED}turnout", str(turnout), f"{len(voters)} members",
                turnout == len(voters))  # fmt: skip
    table.info(f"{CLOSED}machine", load_average())


async def member(fake: FakeSlack, uid: str, n: int, times: int) -> list[Interaction]:
    done = []
    for k in range(times):
        order = " ".join(ranking(n, k))
        done.append(await fake.slash(TEAM, uid, CHANNEL, "/rank", order, settle=0))
    return done


def _switch_off_the_edge() -> None:
    async def straight(self: EdgeGate, *, req: Any, resp: Any, next: Any) -> Any:
        return await next()

    EdgeGate.async_process = straight  # type: ignore[method-assign]


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    add = parser.add_argument
    add("--loads", default="closed,open", help="comma-separated: closed, open")
    add("--requests", type=int, default=1000, help="closed loop: requests in all")
    add("--members", type=int, default=100)
    add("--open-requests", type=int, default=3000, help="open loop: requests per run")
    add("--rate", type=float, default=300.0, help="open loop: requests per second, in all")
    add("--arrivals", choices=("poisson", "even"), default="poisson",
        help="open loop: a Poisson stream (default) or evenly spaced")  # fmt: skip
    add("--seed", type=int, default=2015, help="open loop: the Poisson stream's seed")
    add("--workers", default="1,2", help="open loop: bot processes per run, comma-separated")
    add("--stores", default="sqlite,postgres", help="open loop: comma-separated")
    add("--postgres", default=os.environ.get(ENV), help=f"server URL (${ENV})")
    add("--profile-workers", type=Path, default=None, metavar="DIR",
        help="open loop: workers under cProfile, to DIR/<store><n>/worker<k>.prof")  # fmt: skip
    add("--drain", type=float, default=120.0,
        help="seconds to wait for the last receipts before calling them lost")  # fmt: skip
    add("--without-edge", action="store_true",
        help="closed loop: switch the edge gate (team check, de-duplication) off")  # fmt: skip
    add("--smoke", action="store_true", help="tiny sizes: checks, no targets")
    args = parser.parse_args()
    if args.smoke:
        vars(args).update(SMOKE)
    args.loads = [x.strip() for x in args.loads.split(",") if x.strip()]
    args.workers = [int(x) for x in str(args.workers).split(",") if x.strip()]
    args.stores = [x.strip() for x in args.stores.split(",") if x.strip()]
    if args.smoke and not args.postgres and "postgres" in args.stores:
        args.stores.remove("postgres")  # the suite without a server: SQLite only
    return args


def main() -> int:
    args = _arguments()
    if args.without_edge:
        _switch_off_the_edge()
    shown = f"{args.members} members; {', '.join(args.loads)} loop"
    if "open" in args.loads:
        workers = ", ".join(map(str, args.workers))
        shown += (f"; open: {args.open_requests:,} at {args.rate:,.0f}/s ({args.arrivals}), "
                  f"workers {workers}, {', '.join(args.stores)}")  # fmt: skip
    table = Table(f"bench_slack_ack: signed /rank requests in HTTP mode, {shown}"
                  f"{'; edge gate off' if args.without_edge else ''}; {load_average()}",
                  smoke=args.smoke)  # fmt: skip
    gc.collect()
    if "closed" in args.loads:
        try:
            with tempfile.TemporaryDirectory() as folder:
                asyncio.run(closed(args.requests, args.members, args.drain, Path(folder), table))
        except Exception as exc:
            table.crashed(exc)
    if "open" in args.loads:
        from slack_open_loop import run_store  # noqa: PLC0415 - worker processes, stores

        for store in args.stores:
            try:
                if store == "postgres" and not args.postgres:
                    raise RuntimeError(f"no PostgreSQL server: pass --postgres or set ${ENV}")
                asyncio.run(run_store(store, args, table))
            except Exception as exc:
                table.crashed(exc)
    return table.finish()


if __name__ == "__main__":
    sys.exit(main())
