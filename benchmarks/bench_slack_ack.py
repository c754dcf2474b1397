"""Ack latency of the Slack adapter in HTTP mode: signed ``/rank`` requests from many members.

The fake Slack signs each slash command and POSTs it to the real bolt app served by aiohttp
(signature check, listener, ``ack()``), times the HTTP answer as Slack would, while the app
goes on after each ack to ask ``users.info``, cast the ballot in the real SQLite database and
answer through the response URL. 100 members send 10 rankings each, all members at once.

    python benchmarks/bench_slack_ack.py [--requests 1000] [--members 100] [--without-edge]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from pydantic import SecretStr

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.adapters.slack.app import build_bolt_app
from bot.adapters.slack.edge import EdgeGate
from bot.adapters.slack.fake import FakeSlack, Interaction
from bot.adapters.slack.transport import EVENTS_PATH, serve_http
from bot.app import build_app
from bot.config import Settings
from bot.domain import Actor, Place

TEAM, CHANNEL, MOD = "T0BENCH", "C0BENCH", "U0MOD"
CANDIDATES = ("Kendall", "Burnham", "Cooper", "Corbyn")


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


async def bench(requests: int, members: int, folder: Path) -> dict[str, float]:
    async with FakeSlack(rate_limit=None, settle_quiet=0) as fake:
        fake.add_team(TEAM, "Bench")
        fake.add_channel(TEAM, CHANNEL, "hustings")
        fake.add_user(TEAM, MOD, "mod")
        fake.add_usergroup(TEAM, "moderator", [MOD])
        voters = [f"U0V{n:04d}" for n in range(members)]
        for uid in voters:
            fake.add_user(TEAM, uid, uid.lower())
        settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            database_url=f"sqlite+aiosqlite:///{folder / 'bench.db'}",
            data_dir=folder,
            slack_api_url=fake.api_url,
            slack_mode="http",
            slack_bot_token=SecretStr(fake.bot_token(TEAM)),
            slack_signing_secret=SecretStr(fake.signing_secret),
        )
        core = await build_app(settings, freeze_gc=True)
        bolt = build_bolt_app(core, settings)
        server = await serve_http(bolt, "127.0.0.1", 0, fake.signing_secret)
        fake.request_url = server.url + EVENTS_PATH
        try:
            await fake.slash(
                TEAM, MOD, CHANNEL, "/election", 'create "Bench" ' + ", ".join(CANDIDATES)
            )
            await fake.slash(TEAM, MOD, CHANNEL, "/election", "open")
            await fake.settle(0.2)
            per_member = requests // members
            started = time.perf_counter()
            results = await asyncio.gather(
                *(member(fake, uid, n, per_member) for n, uid in enumerate(voters))
            )
            wall = time.perf_counter() - started
            await fake.settle(0.5, at_most=60)
            acks = [a for r in results for a in r]
            late = sum(1 for a in acks if a.ack.late or a.ack.status != 200)
            turnout = (await core.elections.get(_mod_actor(), _place())).turnout
        finally:
            await server.close()
            await core.aclose()
    elapsed = [a.ack.elapsed * 1000 for a in acks]
    return {
        "requests": len(acks),
        "p50_ms": statistics.median(elapsed),
        "p99_ms": percentile(elapsed, 0.99),
        "max_ms": max(elapsed),
        "late_or_failed": late,
        "wall_s": wall,
        "turnout": turnout,
    }


async def member(fake: FakeSlack, uid: str, n: int, times: int) -> list[Interaction]:
    done = []
    for k in range(times):
        order = [CANDIDATES[(n + k + i) % 4] for i in range(4)]
        done.append(await fake.slash(TEAM, uid, CHANNEL, "/rank", " ".join(order), settle=0))
    return done


def _mod_actor() -> Actor:
    return Actor("slack", TEAM, MOD, "mod", frozenset({"moderator"}))


def _place() -> Place:
    return Place("slack", TEAM, CHANNEL)


def _switch_off_the_edge() -> None:
    async def straight(self: EdgeGate, *, req: Any, resp: Any, next: Any) -> Any:
        return await next()

    EdgeGate.async_process = straight  # type: ignore[method-assign]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--members", type=int, default=100)
    parser.add_argument(
        "--without-edge",
        action="store_true",
        help="switch the edge gate (team check, de-duplication) off, to see what it costs",
    )
    args = parser.parse_args()
    if args.without_edge:
        _switch_off_the_edge()
    gc.collect()
    with tempfile.TemporaryDirectory() as folder:
        figures = asyncio.run(bench(args.requests, args.members, Path(folder)))
    print(
        f"{figures['requests']} signed /rank requests from {args.members} members (HTTP mode): "
        f"ack p50 {figures['p50_ms']:.1f} ms, p99 {figures['p99_ms']:.1f} ms, "
        f"max {figures['max_ms']:.1f} ms; late or failed {figures['late_or_failed']}; "
        f"wall {figures['wall_s']:.1f} s; turnout {figures['turnout']}"
    )


if __name__ == "__main__":
    main()
