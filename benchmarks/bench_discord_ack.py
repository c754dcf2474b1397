"""Acknowledgement latency of ``/rank`` through the fake Discord and the real discord.py client.

100 members each send 10 ``/rank`` commands, all members at once (1,000 interactions); the
fake records, on the event loop's clock, the time from dispatching INTERACTION_CREATE over the
gateway to receiving the bot's initial response (the defer). Discord fails an interaction
after 3 s without one.

Every interaction is accounted for: its ack (on time, late, or never), its receipt (the
private follow-up naming the ranking that was sent; each member waits for it before sending
the next), requests the fake rejected, and errors the bot logged; the turnout must equal the
number of members. The table is printed whatever happens; the exit code is 1 if anything was
late, lost or failed.

    .venv/bin/python benchmarks/bench_discord_ack.py [--members 100] [--each 10]
    .venv/bin/python benchmarks/bench_discord_ack.py --smoke      # tiny sizes, seconds
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from verdict import ErrorLog, Table

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.adapters.discord.client import HustingsClient
from bot.adapters.discord.fake import FakeDiscord, InteractionRecord
from bot.adapters.discord.tree import MODERATOR_PERMISSIONS
from bot.app import App, build_app
from bot.config import Settings
from bot.domain import Actor, Place

RANKINGS = {
    "Kendall Burnham": "1. Kendall 2. Burnham",
    "Corbyn": "1. Corbyn",
    "Cooper, Burnham": "1. Cooper 2. Burnham",
    "Burnham > Corbyn > Cooper": "1. Burnham 2. Corbyn 3. Cooper",
}
"""What a member types, and how their receipt must show it."""
TYPED = list(RANKINGS)
ACK_DEADLINE = 3.0
SETTLE_WITHIN = 60.0
SMOKE = {"members": 5, "each": 3}


def _settings(tmp: Path) -> Settings:
    values: dict[str, Any] = {
        "database_url": f"sqlite+aiosqlite:///{tmp / 'bench.db'}",
        "data_dir": tmp,
    }
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


async def bench(members: int, each: int, table: Table) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        async with FakeDiscord() as fake:
            guild = fake.add_guild(name="Bench").id
            fake.add_role(guild, "moderator", MODERATOR_PERMISSIONS.value)
            channel = fake.add_channel(guild, "hustings").id
            mod = fake.world.snowflake()
            fake.add_member(guild, mod, "mod", ["moderator"])
            users = [fake.world.snowflake() for _ in range(members)]
            for i, user in enumerate(users):
                fake.add_member(guild, user, f"member{i}")
            fake.apply_endpoints()
            app = await build_app(_settings(Path(tmp)), freeze_gc=True)
            client = HustingsClient(app, scheduler=False)
            task = asyncio.create_task(client.start(fake.token))
            try:
                await asyncio.wait_for(client.wait_until_ready(), 60)
                await client.tree.sync()
                await _set_up(fake, mod, channel)
                with ErrorLog() as errors:
                    records = await _storm(fake, channel, users, each, table)
                _report(table, records, members * each)
                table.check("errors logged by the bot", errors.shown(), "0", not errors.errors)
                turnout = await _turnout(app, guild, channel)
                table.check("turnout", str(turnout), f"{members} members", turnout == members)
            finally:
                await client.close()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
                await app.aclose()


async def _set_up(fake: FakeDiscord, mod: int, channel: int) -> None:
    """Create and open the election; each step must have answered before the next."""
    options = {"title": "Leader", "candidates": "Kendall, Burnham, Cooper, Corbyn"}
    for line, wanted in (("election create", "created"), ("election open", "open")):
        record = await fake.slash(mod, channel, line, options if line.endswith("create") else {})
        await record.settled(within=SETTLE_WITHIN)
        if not any(wanted in text for text in record.texts):
            raise RuntimeError(f"/{line} did not answer as expected: {record.texts}")


async def _storm(
    fake: FakeDiscord, channel: int, users: list[int], each: int, table: Table
) -> list[tuple[str, InteractionRecord]]:
    async def member(index: int, user: int) -> list[tuple[str, InteractionRecord]]:
        done = []
        for n in range(each):
            typed = TYPED[(index + n) % len(TYPED)]
            record = await fake.slash(user, channel, "rank", {"ranking": typed})
            with contextlib.suppress(TimeoutError):  # counted below as lost
                await record.settled(within=SETTLE_WITHIN)
            done.append((typed, record))
        return done

    started = time.perf_counter()
    batches = await asyncio.gather(*(member(i, u) for i, u in enumerate(users)))
    elapsed = time.perf_counter() - started
    table.info("storm", f"{len(users) * each:,} /rank from {len(users)} members in {elapsed:.1f} s")
    return [pair for batch in batches for pair in batch]


def _report(table: Table, records: list[tuple[str, InteractionRecord]], total: int) -> None:
    latencies = [r.ack_latency for _, r in records if r.ack_latency is not None]
    on_time = sum(1 for x in latencies if x <= ACK_DEADLINE)
    table.check("acks within 3 s", f"{on_time:,} of {total:,}", "all", on_time == total)
    late = sum(1 for _, r in records if r.timed_out or r.ack_latency is None)
    table.check("acks late or missing", str(late), "0", late == 0)
    if len(latencies) >= 2:
        cuts = statistics.quantiles(latencies, n=100, method="inclusive")
        table.info("ack latency p50", f"{cuts[49] * 1000:.1f} ms")
        table.target(
            "ack latency p99", f"{cuts[98] * 1000:.1f} ms", "< 3,000 ms", cuts[98] < ACK_DEADLINE
        )
        table.info("ack latency max", f"{max(latencies) * 1000:.1f} ms")
    receipts = sum(1 for _, r in records if any(" — receipt " in t for t in r.texts))
    table.check("receipts delivered", f"{receipts:,} of {total:,}", "all", receipts == total)
    wrong = sum(
        1
        for typed, r in records
        if any(" — receipt " in t for t in r.texts)
        and not any(RANKINGS[typed] + " — receipt " in t for t in r.texts)
    )
    table.check("receipts naming another ranking", str(wrong), "0", wrong == 0)
    rejected = sum(len(r.rejected) for _, r in records)
    table.check("requests the fake rejected", str(rejected), "0", rejected == 0)


async def _turnout(app: App, guild: int, channel: int) -> int:
    mod = Actor("discord", str(guild), "0", "mod", frozenset({"moderator"}))
    return (await app.elections.get(mod, Place("discord", str(guild), str(channel)))).turnout


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--members", type=int, default=100)
    parser.add_argument("--each", type=int, default=10)
    parser.add_argument("--smoke", action="store_true", help="tiny sizes: checks, no targets")
    args = parser.parse_args()
    if args.smoke:
        vars(args).update(SMOKE)
    table = Table(
        f"bench_discord_ack: {args.members * args.each:,} /rank interactions from "
        f"{args.members} members",
        smoke=args.smoke,
    )
    try:
        asyncio.run(bench(args.members, args.each, table))
    except Exception as exc:
        table.crashed(exc)
    return table.finish()


if __name__ == "__main__":
    sys.exit(main())
