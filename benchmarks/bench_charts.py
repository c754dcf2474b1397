"""How long a count's charts take to draw, and whether the bot keeps answering meanwhile.

Not a test: figures depend on the machine. Run::

    .venv/bin/python benchmarks/bench_charts.py              # 30 candidates, 29 rounds
    .venv/bin/python benchmarks/bench_charts.py --candidates 50
    .venv/bin/python benchmarks/bench_charts.py --smoke      # 6 candidates (the suite)

The adapters draw a count's two charts (``bot.adapters.render.uploads.draw_charts``) in a
worker thread, so other members' commands are answered while matplotlib works. This draws
the same IRV count twice while a ticker on the event loop wakes every 10 ms: once inline
(the loop blocked: the reference) and once through ``draw_charts``, and reports each draw's
time and the longest the loop went without running the ticker (target with the thread:
under ``--gap-target`` ms, default 1000: a third of the 3 s in which Discord and Slack want
every other command acknowledged; the GIL still makes the loop share the CPU with the
drawing, so the gap grows when the machine is busy). Checks: both images
are PNGs of at least 600x400 and both alt texts name every candidate of round 1.
"""

from __future__ import annotations

import argparse
import asyncio
import struct
import sys
import time
from collections.abc import Awaitable, Callable

from verdict import Table

from bot.adapters.render.uploads import Upload, chart_uploads, draw_charts
from counting import engine
from counting.ballots import Profile
from counting.result import Result
from counting.rules import Method, Rules

TICK = 0.01


def a_count(candidates: int) -> Result:
    """An IRV count with one exclusion per round: ``candidates - 1`` rounds."""
    names = [f"Candidate {chr(65 + i // 26)}{chr(65 + i % 26)}" for i in range(candidates)]
    voters = candidates * 4
    rankings = [[names[(v * 7 + k) % candidates] for k in range(3)] for v in range(voters)]
    return engine.count(Profile.from_rankings(names, rankings), Rules(Method.IRV))


async def timed(
    draw: Callable[[], Awaitable[tuple[Upload, ...]]],
) -> tuple[float, float, tuple[Upload, ...]]:
    """(seconds drawing, longest event-loop gap in seconds, the uploads)."""
    gaps: list[float] = []
    done = asyncio.Event()

    async def ticker() -> None:
        last = time.perf_counter()
        while not done.is_set():
            await asyncio.sleep(TICK)
            now = time.perf_counter()
            gaps.append(now - last - TICK)
            last = now

    task = asyncio.create_task(ticker())
    await asyncio.sleep(TICK)  # the ticker is running
    start = time.perf_counter()
    uploads = await draw()
    took = time.perf_counter() - start
    done.set()
    await task
    return took, max(gaps, default=0.0), uploads


def png_size(data: bytes) -> tuple[int, int]:
    if data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        return (0, 0)
    width, height = struct.unpack(">II", data[16:24])
    return int(width), int(height)


async def measure(table: Table, candidates: int, gap_target_ms: float) -> None:
    result = a_count(candidates)
    table.info("count", f"{candidates} candidates, {len(result.rounds)} rounds")
    chart_uploads(a_count(3))  # matplotlib imported and warmed, outside the timings

    async def inline() -> tuple[Upload, ...]:
        return chart_uploads(result)

    async def threaded() -> tuple[Upload, ...]:
        return await draw_charts(result)

    blocked, blocked_gap, _ = await timed(inline)
    took, gap, uploads = await timed(threaded)
    table.info(
        "draw inline (loop blocked)", f"{blocked:.2f} s, loop gap {blocked_gap * 1000:.0f} ms"
    )
    table.info("draw_charts (worker thread)", f"{took:.2f} s")
    table.target(
        "longest loop gap while drawing",
        f"{gap * 1000:.0f} ms",
        f"< {gap_target_ms:.0f} ms",
        gap * 1000 < gap_target_ms,
    )
    sizes = [png_size(u.data) for u in uploads]
    table.check(
        "two PNGs, each >= 600x400",
        ", ".join(f"{w}x{h}" for w, h in sizes),
        "2 images",
        len(sizes) == 2 and all(w >= 600 and h >= 400 for w, h in sizes),
    )
    named = all(n in uploads[0].alt_text for n in result.rounds[0].tally) and bool(
        uploads[1].alt_text
    )
    table.check("alt text names every candidate", "yes" if named else "no", "yes", named)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--candidates", type=int, default=30)
    parser.add_argument("--gap-target", type=float, default=1000.0, help="milliseconds")
    parser.add_argument("--smoke", action="store_true", help="6 candidates, targets not judged")
    args = parser.parse_args(argv)
    table = Table("Count charts: drawing time and event-loop responsiveness", smoke=args.smoke)
    try:
        asyncio.run(measure(table, 6 if args.smoke else args.candidates, args.gap_target))
    except Exception as error:  # the table is printed whatever happens
        table.crashed(error)
    return table.finish()


if __name__ == "__main__":
    sys.exit(main())
