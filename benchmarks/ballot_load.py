"""One ballot-casting process of ``bench_ballots.py``: the real service on a shared database.

``bench_ballots.py --processes N`` starts N of these, as N bot processes would run: each builds
its own ``App`` (engine, connection pool, ballot writer) on the same database, says ``ready``,
waits for ``go T0`` on stdin, casts its share of the ballots through ``BallotService.rank``,
and prints one JSON line with every outcome. Process ``p`` of ``N`` casts ballots ``n`` with
``n % N == p``, each from its own member ``user-n`` (so every acknowledged ballot is a row).

Two loads (``mode``):

* ``closed``: ``concurrency`` members at once, each casting their next ballot as soon as the
  last is acknowledged: the most the process can take. Latency is then mostly queueing
  (Little's law: mean latency = members in flight / throughput).
* ``open``: ballots arrive on a fixed schedule, ``rate`` a second across all processes
  (ballot ``n`` is due at ``T0 + n / rate``, wall clock, shared by the processes), each sent
  when due whether or not earlier ones were acknowledged. Latency is timed from when the
  ballot was *due*, not when it was sent, so a process that falls behind pays for it (no
  coordinated omission).

A latency is from the call to ``rank`` (or the due time) to its return: the writer returns only
after the batch holding the ballot has committed, so it is the time to a durable ack.

Input: one JSON argument (``database``, ``ref``, ``ballots``, ``process``, ``processes``,
``mode``, ``concurrency``, ``rate``, ``seed``, ``secret``, ``dir``). Output: ``ready``, then one
JSON line: ``latencies`` (seconds), ``refused`` / ``failed`` (exception name -> count),
``first`` / ``last`` (wall-clock send and ack bounds), ``in_flight`` (most at once),
``cpu`` (the process's CPU seconds, user + system, while casting).
"""

from __future__ import annotations

import asyncio
import json
import random
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pydantic import SecretStr

from bot.app import App, build_app
from bot.config import Settings
from bot.domain import Actor, Place
from bot.errors import UserError

PLACE = Place("bench", "workspace", "channel")
CANDIDATES = ("Burnham", "Cooper", "Corbyn", "Kendall", "Watson", "Creasy")


def texts(seed: int, n: int) -> list[str]:
    """Ranking texts as members type them: 1 to 4 names, random order (same in every process)."""
    rng = random.Random(seed)
    return [" ".join(rng.sample(CANDIDATES, rng.randint(1, 4))) for _ in range(n)]


def settings_for(database: str, folder: Path, secret: str) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        database_url=database,
        data_dir=folder,
        hustings_secret=SecretStr(secret),
    )


class Outcomes:
    """Every ``rank`` call, accounted for: acknowledged (its latency), refused or failed."""

    def __init__(self) -> None:
        self.latencies: list[float] = []
        self.refused: Counter[str] = Counter()
        self.failed: Counter[str] = Counter()
        self.in_flight = 0
        self.most_in_flight = 0

    async def rank(self, app: App, n: int, text: str, ref: str, due: float | None = None) -> None:
        voter = Actor("bench", "workspace", f"user-{n}", f"User {n}")
        start = time.time() if due is None else due
        self.in_flight += 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            await app.ballots.rank(voter, PLACE, text, ref=ref)
        except UserError as exc:
            self.refused[type(exc).__name__] += 1
        except Exception as exc:
            self.failed[type(exc).__name__] += 1
        else:
            self.latencies.append(time.time() - start)
        finally:
            self.in_flight -= 1


async def closed_loop(app: App, mine: list[int], words: list[str], ref: str, members: int,
                      outcomes: Outcomes) -> None:  # fmt: skip
    """``members`` at once, each casting the next of ``mine`` once their last is acknowledged."""
    numbers = iter(mine)

    async def member() -> None:
        for n in numbers:
            await outcomes.rank(app, n, words[n], ref)

    await asyncio.gather(*(member() for _ in range(members)))


async def open_loop(app: App, mine: list[int], words: list[str], ref: str, rate: float,
                    t0: float, outcomes: Outcomes) -> None:  # fmt: skip
    """Each of ``mine`` sent when due (``t0 + n / rate``), not waiting for earlier acks."""
    tasks = []
    for n in mine:
        due = t0 + n / rate
        wait = due - time.time()
        if wait > 0:
            await asyncio.sleep(wait)
        tasks.append(asyncio.create_task(outcomes.rank(app, n, words[n], ref, due)))
    await asyncio.gather(*tasks)


async def work(config: dict[str, Any]) -> dict[str, Any]:
    folder = Path(config["dir"])
    app = await build_app(settings_for(config["database"], folder, config["secret"]),
                          freeze_gc=True)  # fmt: skip
    try:
        words = texts(config["seed"], config["ballots"])
        mine = list(range(config["process"], config["ballots"], config["processes"]))
        members = max(1, config["concurrency"] // config["processes"])
        print("ready", flush=True)
        line = await asyncio.to_thread(sys.stdin.readline)
        t0 = float(line.split()[1])
        outcomes = Outcomes()
        await asyncio.sleep(max(0.0, t0 - time.time()))  # all processes start together
        first, cpu = t0, time.process_time()
        if config["mode"] == "open":
            await open_loop(app, mine, words, config["ref"], config["rate"], t0, outcomes)
        else:
            await closed_loop(app, mine, words, config["ref"], members, outcomes)
        last, cpu = time.time(), time.process_time() - cpu
    finally:
        await app.aclose()
    return {
        "latencies": [round(s, 6) for s in outcomes.latencies],
        "refused": dict(outcomes.refused),
        "failed": dict(outcomes.failed),
        "first": first,
        "last": last,
        "in_flight": outcomes.most_in_flight,
        "cpu": cpu,
    }


if __name__ == "__main__":
    print(json.dumps(asyncio.run(work(json.loads(sys.argv[1])))), flush=True)
