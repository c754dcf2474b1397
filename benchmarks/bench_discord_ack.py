"""Acknowledgement latency of ``/rank`` through the fake Discord and the real discord.py client.

100 members each send 10 ``/rank`` commands, all members at once (1,000 interactions); the
fake records, on the event loop's clock, the time from dispatching INTERACTION_CREATE over the
gateway to receiving the bot's initial response (the defer). Discord fails an interaction
after 3 s without one. Every ballot must also be committed with its receipt.

    .venv/bin/python benchmarks/bench_discord_ack.py [--members 100] [--each 10]
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

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.adapters.discord.client import HustingsClient
from bot.adapters.discord.fake import FakeDiscord, InteractionRecord
from bot.adapters.discord.tree import MODERATOR_PERMISSIONS
from bot.app import build_app
from bot.config import Settings

RANKINGS = ["Kendall Burnham", "Corbyn", "Cooper, Burnham", "Burnham > Corbyn > Cooper"]


def _settings(tmp: Path) -> Settings:
    values: dict[str, Any] = {
        "database_url": f"sqlite+aiosqlite:///{tmp / 'bench.db'}",
        "data_dir": tmp,
    }
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


async def bench(members: int, each: int) -> None:
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
                await asyncio.wait_for(client.wait_until_ready(), 15)
                await client.tree.sync()
                for line in ("create", "open"):
                    options = {"title": "Leader", "candidates": "Kendall, Burnham, Cooper, Corbyn"}
                    record = await fake.slash(
                        mod, channel, f"election {line}", options if line == "create" else {}
                    )
                    await record
                records = await _storm(fake, channel, users, each)
            finally:
                await client.close()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
                await app.aclose()
    _report(records)


async def _storm(
    fake: FakeDiscord, channel: int, users: list[int], each: int
) -> list[InteractionRecord]:
    async def member(index: int, user: int) -> list[InteractionRecord]:
        done = []
        for n in range(each):
            ranking = RANKINGS[(index + n) % len(RANKINGS)]
            record = await fake.slash(user, channel, "rank", {"ranking": ranking})
            done.append(await record.settled(within=60))
        return done

    started = time.perf_counter()
    batches = await asyncio.gather(*(member(i, u) for i, u in enumerate(users)))
    elapsed = time.perf_counter() - started
    records = [r for batch in batches for r in batch]
    print(f"{len(records)} /rank interactions from {len(users)} members in {elapsed:.1f} s")
    return records


def _report(records: list[InteractionRecord]) -> None:
    latencies = sorted(r.ack_latency for r in records if r.ack_latency is not None)
    failed = [r for r in records if r.ack_latency is None or r.rejected]
    receipts = sum(1 for r in records if any("receipt" in t for t in r.texts))
    cuts = statistics.quantiles(latencies, n=100)
    print(
        f"ack latency p50 {cuts[49] * 1000:.1f} ms, p99 {cuts[98] * 1000:.1f} ms, "
        f"max {latencies[-1] * 1000:.1f} ms"
    )
    print(f"over 3 s: {sum(1 for x in latencies if x > 3)}; failed or rejected: {len(failed)}")
    print(f"receipts delivered: {receipts}/{len(records)}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=100)
    parser.add_argument("--each", type=int, default=10)
    args = parser.parse_args()
    asyncio.run(bench(args.members, args.each))


if __name__ == "__main__":
    main()
