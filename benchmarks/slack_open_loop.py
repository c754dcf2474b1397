"""The open-loop load of ``bench_slack_ack.py``: signed ``/rank`` requests at a fixed rate,
answered by Slack HTTP workers in their own processes, on SQLite or PostgreSQL.

Why open: in the closed loop each member sends their next ``/rank`` the moment the last is
acknowledged, so by Little's law the mean ack is members / throughput whatever the ack path
costs. Here request ``i`` falls due at a time fixed in advance (``--rate`` a second in all,
evenly spaced or as a Poisson stream from ``--seed``), from member ``i % members``, and is
sent when due whether or not earlier ones were answered. Its latency runs from when it was
*due* to the HTTP answer, so a load generator or worker that falls behind pays for it (no
coordinated omission); how late requests left the generator is shown as "send lag".

The bot runs as ``--workers`` real bot processes (``slack_workers``) on one database; the
generator signs each request as Slack does and sends it to the next worker in turn (a
round-robin balancer). The fake Slack (Web API, response URLs) stays in the generator's
process: the workers reach it over HTTP as they would reach Slack, and none of them shares
its event loop. Each run gets its own channel and election, and is checked like the closed
loop: acks on time/late/failed, every receipt delivered and naming its ranking, the workers'
logged errors, and the turnout (and stored rows) equal to the members.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import random
import secrets
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
from ballot_load import settings_for
from ballot_store import stored_and_turnout
from bench_ballots import database, server_settings
from slack_load import (
    ACK_DEADLINE,
    TEAM,
    check_receipts,
    election_in,
    load_average,
    mod_actor,
    percentile,
    place,
    populate,
    ranking,
    receipt_line,
    receipts,
    report_acks,
)
from slack_workers import cpu_seconds, start_workers, stop_workers
from verdict import ErrorLog, Table

from bot.adapters.slack.fake import FakeSlack
from bot.adapters.slack.fake.driver import Delivery
from bot.adapters.slack.fake.model import Ack
from bot.app import App, build_app

GRACE = 5.0
"""How long past Slack's 3 s the generator still waits for an answer, to measure lateness."""


@dataclass
class Load:
    """One open-loop run's answers: an ``Ack`` per request, and how late each was sent."""

    acks: list[Ack] = field(default_factory=list)
    lags: list[float] = field(default_factory=list)
    wall: float = 0.0


def due_offsets(requests: int, rate: float, arrivals: str, seed: int) -> list[float]:
    """Seconds from the start at which each request falls due."""
    if arrivals == "even":
        return [i / rate for i in range(requests)]
    rng, at, out = random.Random(seed), 0.0, []
    for _ in range(requests):
        out.append(at)
        at += rng.expovariate(rate)
    return out


async def _send(http: aiohttp.ClientSession, url: str, delivery: Delivery, due: float,
                load: Load) -> None:  # fmt: skip
    """Post one signed ``/rank`` and time its answer from ``due``."""
    lag = time.perf_counter() - due
    timeout = aiohttp.ClientTimeout(total=ACK_DEADLINE + GRACE)
    try:
        async with http.post(
            url, data=delivery.body, headers=dict(delivery.headers), timeout=timeout
        ) as response:
            body, status = await response.text(), response.status
    except TimeoutError:
        body, status = "", 0
    except aiohttp.ClientError:
        body, status = "", -1
    elapsed = time.perf_counter() - due
    load.lags.append(lag)  # paired with its ack, in the same order
    load.acks.append(Ack("http", status, body, elapsed, late=elapsed > ACK_DEADLINE))


def deliveries(fake: FakeSlack, voters: list[str], channel: str, n: int) -> list[Delivery]:
    """Request ``i``: member ``i % members``'s next ``/rank``, signed as Slack signs it.

    Built (and signed) before the clock starts, so the generator's loop does nothing but
    send while it is timed; a signature stays valid for five minutes, longer than a run.
    """
    out = []
    for i in range(n):
        member, k = i % len(voters), i // len(voters)
        text = " ".join(ranking(member, k))
        payload = fake.slash_payload(TEAM, voters[member], channel, "/rank", text)
        out.append(fake.prepare("slash_commands", payload))
    return out


async def offer(urls: list[str], sends: list[Delivery], offsets: list[float]) -> Load:
    """Send ``sends[i]`` at ``offsets[i]`` to worker ``i % len(urls)``; gather every answer."""
    load = Load()
    connector = aiohttp.TCPConnector(limit=0)  # no client-side queue: Slack has none either
    gc.collect()
    gc.disable()  # the generator's own collections would stall its sends, not the bot's acks
    async with aiohttp.ClientSession(connector=connector) as http:
        start = time.perf_counter() + 0.1
        tasks = []
        for i, (offset, delivery) in enumerate(zip(offsets, sends, strict=True)):
            due = start + offset
            wait = due - time.perf_counter()
            if wait > 0:
                await asyncio.sleep(wait)
            tasks.append(asyncio.create_task(_send(http, urls[i % len(urls)], delivery, due, load)))
        await asyncio.gather(*tasks)
        load.wall = time.perf_counter() - start
    gc.enable()
    return load


class Delivered:
    """How many receipts have reached ``channel`` since ``after_seq``, counted as they come
    (re-reading every message on each change would make the wait quadratic)."""

    def __init__(self, fake: FakeSlack, after_seq: int, channel: str) -> None:
        self.fake, self.after_seq, self.channel = fake, after_seq, channel
        self.seen, self.count = 0, 0

    def __call__(self) -> int:
        new = self.fake.messages[self.seen :]
        self.seen += len(new)
        self.count += sum(
            1
            for m in new
            if m.seq > self.after_seq and m.channel == self.channel and m.via == "response_url"
            and m.ephemeral_to is not None and " — receipt " in m.text
        )  # fmt: skip
        return self.count


def _expected(voters: list[str], requests: int) -> dict[str, Counter[str]]:
    want: dict[str, Counter[str]] = {uid: Counter() for uid in voters}
    for i in range(requests):
        n, k = i % len(voters), i // len(voters)
        want[voters[n]][receipt_line(ranking(n, k))] += 1
    return want


async def run_workers(core: App, fake: FakeSlack, store: str, workers: int, url: str,
                      secret: str, folder: Path, voters: list[str], args: argparse.Namespace,
                      table: Table) -> None:  # fmt: skip
    """One run: start ``workers`` bot processes, open an election, offer the load, judge."""
    what = f"open {store}, {workers} worker{'s' if workers > 1 else ''}: "
    channel = f"C0OPEN{workers}"
    environment = {
        "DATABASE_URL": url,
        "HUSTINGS_SECRET": secret,
        "SLACK_API_URL": fake.api_url,
        "SLACK_BOT_TOKEN": fake.bot_token(TEAM),
        "SLACK_SIGNING_SECRET": fake.signing_secret,
        "SLACK_USERGROUP_MODERATORS": "true",
    }
    profile = args.profile_workers / f"{store}{workers}" if args.profile_workers else None
    if profile is not None:
        profile.mkdir(parents=True, exist_ok=True)
    running = await start_workers(
        workers, environment, folder / f"workers{workers}", profile=profile
    )
    try:
        urls = [w.url for w in running]
        fake.request_url = urls[0]
        await election_in(fake, channel, f"Open loop {workers}")
        offsets = due_offsets(args.open_requests, args.rate, args.arrivals, args.seed)
        first_seq = fake.next_seq()
        sends = deliveries(fake, voters, channel, args.open_requests)
        delivered = Delivered(fake, first_seq, channel)
        began, cpu = time.perf_counter(), [cpu_seconds(w) for w in running]
        own_cpu = time.process_time()
        with ErrorLog() as errors:
            load = await offer(urls, sends, offsets)
            with contextlib.suppress(TimeoutError):  # the bound only ends a failure
                await fake.wait_for(lambda: delivered() >= args.open_requests, args.drain)
            drained = time.perf_counter() - began
            await fake.settle(0.5, at_most=10)
        own_cpu = time.process_time() - own_cpu
        cpu = [cpu_seconds(w) - c for w, c in zip(running, cpu, strict=True)]
    finally:
        await stop_workers(running)
    report_acks(table, what, load.acks, args.open_requests, load.wall)
    lag = [s * 1000 for s in load.lags]
    table.info(f"{what}send lag p99 / max", f"{percentile(lag, 0.99):.1f} / {max(lag):.1f} ms")
    sent = [a.elapsed * 1000 - s for a, s in zip(load.acks, lag, strict=True)]
    table.info(f"{what}ack from send p50 / p99", f"{percentile(sent, 0.5):.1f} / "
               f"{percentile(sent, 0.99):.1f} ms (not judged: no send lag)")  # fmt: skip
    per = 1000 / args.open_requests
    table.info(f"{what}CPU per request, workers / generator",
               f"{sum(cpu) * per:.2f} / {own_cpu * per:.2f} ms (workers "
               f"{', '.join(f'{c:.1f}' for c in cpu)} s; generator {own_cpu:.1f} s)")  # fmt: skip
    check_receipts(table, what, receipts(fake, first_seq, channel),
                   _expected(voters, args.open_requests), drained)  # fmt: skip
    refused = [c for c in fake.calls if c.method == "response_url" and c.status != 200]
    table.check(f"{what}response-URL calls refused", str(len(refused)), "0", not refused)
    logged = sum(w.errors for w in running)
    killed = sum(w.killed for w in running)
    table.check(f"{what}errors logged (workers, bench)", f"{logged}, {errors.shown()}", "0, 0",
                not logged and not errors.errors)  # fmt: skip
    table.check(f"{what}workers stopped cleanly", f"{workers - killed} of {workers}", "all",
                not killed)  # fmt: skip
    election = await core.elections.get(mod_actor(), place(channel))
    rows, turnout = await stored_and_turnout(core, election.id)
    table.check(f"{what}stored / turnout", f"{rows} / {turnout}", f"{len(voters)} members",
                rows == turnout == len(voters))  # fmt: skip
    table.info(f"{what}machine", load_average())


async def run_store(store: str, args: argparse.Namespace, table: Table) -> None:
    """Every ``--workers`` count on one new database of ``store``."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        async with (
            database(store, args, folder) as url,
            FakeSlack(rate_limit=None, settle_quiet=0) as fake,
        ):
            channels = [f"C0OPEN{n}" for n in args.workers]
            voters = populate(fake, args.members, channels)
            secret = secrets.token_urlsafe(32)
            core = await build_app(settings_for(url, folder, secret))  # migrated once
            try:
                table.info(f"open {store}: settings", await server_settings(core))
                for workers in args.workers:
                    await run_workers(core, fake, store, workers, url, secret, folder, voters,
                                      args, table)  # fmt: skip
            finally:
                await core.aclose()
