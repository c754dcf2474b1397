"""Slack HTTP workers for ``bench_slack_ack.py --loads open``: real bot processes.

Each worker is the bot exactly as a deployment starts it, ``python -m bot.cli run --platform
slack`` with ``SLACK_MODE=http``, configured only through its environment: the shared
database (``DATABASE_URL``), the voter-key secret, the fake Slack's Web API
(``SLACK_API_URL``), its bot token and signing secret, and ``SLACK_HTTP_PORT=0`` (any free
port; the worker's log line ``Slack adapter listening on URL`` says which). Several workers
on one database are several bot processes behind a load balancer; the load generator plays
the balancer (round-robin over the workers' URLs).

Each worker runs in its own folder (its working directory, so no ``.env`` is read, and its
``DATA_DIR``) with the bench's environment minus every variable the bot reads, so nothing of
the caller's configuration leaks in. Its stderr is read all along: the URL, and a count of
``ERROR``/``CRITICAL`` records and tracebacks (never their text: a log line may name a member).
``stop`` sends SIGTERM (the bot's own clean shutdown) and waits; a worker that does not exit
within ``grace`` seconds is killed, and the report says so.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import signal
import sys
from dataclasses import dataclass, field
from pathlib import Path

from bot.config import Settings

ROOT = Path(__file__).resolve().parent.parent
LISTENING = re.compile(r"Slack adapter listening on (http://\S+)")
ERROR_LINE = re.compile(r"^\S+ \S+ (ERROR|CRITICAL) |^Traceback ")


@dataclass
class Worker:
    """One bot process: its URL (events path included) and what its log showed."""

    process: asyncio.subprocess.Process
    url: str = ""
    errors: int = 0
    last: str = ""
    """Its last log line before it listened: a start-up problem is one line naming a setting."""
    ready: asyncio.Event = field(default_factory=asyncio.Event)
    reader: asyncio.Task[None] | None = None
    killed: bool = False


def cpu_seconds(worker: Worker) -> float:
    """The worker's CPU time so far (user + system, Linux ``/proc``; NaN elsewhere)."""
    try:
        fields = Path(f"/proc/{worker.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def worker_environment(config: dict[str, str], folder: Path) -> dict[str, str]:
    """The caller's environment without the bot's own variables, plus ``config``."""
    ours = {name.upper() for name in Settings.model_fields}
    keep = {k: v for k, v in os.environ.items() if k.upper() not in ours}
    return {
        **keep,
        "PYTHONPATH": str(ROOT),
        "DATA_DIR": str(folder),
        "SLACK_MODE": "http",
        "SLACK_HTTP_HOST": "127.0.0.1",
        "SLACK_HTTP_PORT": "0",
        "LOG_LEVEL": "INFO",
        "PLATFORM": "slack",
        **config,
    }


async def _read(worker: Worker) -> None:
    assert worker.process.stderr is not None
    while line := (await worker.process.stderr.readline()).decode(errors="replace"):
        found = LISTENING.search(line)
        if not worker.ready.is_set():
            worker.last = line.strip()[-300:]
        if found and not worker.ready.is_set():
            worker.url = found.group(1)
            worker.ready.set()
        elif ERROR_LINE.search(line):
            worker.errors += 1
    worker.ready.set()  # it exited: whoever waits sees no URL


async def start_workers(
    n: int,
    config: dict[str, str],
    folder: Path,
    *,
    within: float = 60.0,
    profile: Path | None = None,
) -> list[Worker]:
    """Start ``n`` workers and wait until each is listening; raises if one is not.

    ``profile``: run each under ``cProfile``, writing ``worker<k>.prof`` there on exit.
    """
    workers = []
    for k in range(n):
        home = folder / f"worker{k}"
        home.mkdir(parents=True, exist_ok=True)
        profiled = (
            [] if profile is None else ["-m", "cProfile", "-o", str(profile / f"worker{k}.prof")]
        )
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            *profiled,
            "-m",
            "bot.cli",  # ``hustings``, the installed entry point
            "run",
            "--platform",
            "slack",
            cwd=home,
            env=worker_environment(config, home),
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE,
        )
        worker = Worker(process)
        worker.reader = asyncio.create_task(_read(worker))
        workers.append(worker)
    try:
        async with asyncio.timeout(within):
            await asyncio.gather(*(w.ready.wait() for w in workers))
    except TimeoutError:
        await stop_workers(workers)
        raise RuntimeError(f"a Slack worker was not listening within {within:.0f} s") from None
    if not all(w.url for w in workers):
        gone = next(w for w in workers if not w.url)
        await stop_workers(workers)
        raise RuntimeError(
            f"a Slack worker exited before listening ({gone.process.returncode}): {gone.last}"
        )
    return workers


async def stop_workers(workers: list[Worker], *, grace: float = 30.0) -> None:
    """SIGTERM each, wait up to ``grace`` s for a clean exit, else kill (``killed``)."""
    for worker in workers:
        if worker.process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                worker.process.send_signal(signal.SIGTERM)
    for worker in workers:
        try:
            await asyncio.wait_for(worker.process.wait(), grace)
        except TimeoutError:
            worker.killed = True
            with contextlib.suppress(ProcessLookupError):
                worker.process.kill()
            await worker.process.wait()
        if worker.reader is not None:
            await worker.reader
