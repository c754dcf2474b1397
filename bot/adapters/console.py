"""What every console shares: reading lines, the line loop, printing, the core's lifecycle.

The fake chat, the local Discord runner and the local Slack runner all take the same typed
lines (``@alice +moderator: /rank Kendall Burnham``) and print what members saw in the same
``[private to alice] …`` / ``[#hustings] …`` shape. Only *sending* a line differs: the fake
chat dispatches it to the core, the others deliver it as an interaction through their fake
servers. So the loop lives here once (``feed_line``: comment, unreadable line, or hand the
parsed line to the platform's ``send``), with the pieces around it: standard input read on a
daemon thread (a blocked ``readline`` must neither keep the process alive after Ctrl-C nor
pin the event loop), a flushing writer (transcripts interleave in order), the tag-and-indent
layout of a printed message, and the scheduler's start/stop around a running console.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import sys
import threading
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from typing import TextIO

from bot.adapters.fake.lines import ConsoleLine, is_comment, parse_console_line
from bot.app import App, build_app
from bot.config import Settings
from bot.services.scheduler import Announcer
from bot.services.secrecy import new_receipt

Write = Callable[[str], None]
Send = Callable[[ConsoleLine, str], Awaitable[None]]
"""A platform's way to deliver a parsed line (and the line as typed, for an echo)."""


WAIT = re.compile(r"wait\s+(\d{1,3}(?:\.\d+)?)\s*s?", re.IGNORECASE)
"""``wait 5s``: a script pauses (so a timed close can happen before its next line)."""


async def feed_line(
    line: str, write: Write, send: Send, *, on_comment: Write | None = None
) -> None:
    """One typed line: skip (or show) a comment, complain about an unreadable line, else send.

    ``wait N`` (seconds, at most 999) pauses, as a script's way to let time pass; it is shown
    like a comment.
    """
    text = line.rstrip("\n")
    if is_comment(text):
        if on_comment is not None:
            on_comment(text)
        return
    pause = WAIT.fullmatch(text.strip())
    if pause is not None:
        if on_comment is not None:
            on_comment(text)
        await asyncio.sleep(float(pause[1]))
        return
    parsed = parse_console_line(text)
    if parsed is None:
        write(f"[console] cannot read {text.strip()!r}: write @name: /command")
        return
    await send(parsed, text)


def tagged(tag: str, text: str) -> str:
    """``[tag] first line`` with continuation lines indented, as every console prints."""
    first, *rest = text.splitlines() or [""]
    return "\n".join([f"{tag} {first}", *(f"    {line}" for line in rest)])


def line_writer(out: TextIO) -> Write:
    """Write a block of text as lines and flush, so transcripts interleave in order."""

    def write(text: str) -> None:
        out.write(text + "\n")
        out.flush()

    return write


async def read_lines(source: TextIO | None = None, *, name: str) -> AsyncIterator[str]:
    """Lines of ``source`` (default standard input) read on a daemon thread called ``name``."""
    stream = sys.stdin if source is None else source
    queue: asyncio.Queue[str | None] = asyncio.Queue()
    loop = asyncio.get_running_loop()

    def read() -> None:
        for line in stream:
            loop.call_soon_threadsafe(queue.put_nowait, line)
        loop.call_soon_threadsafe(queue.put_nowait, None)

    threading.Thread(target=read, name=name, daemon=True).start()
    while (line := await queue.get()) is not None:
        yield line


async def iterate(lines: Iterable[str]) -> AsyncIterator[str]:
    """Script lines as the async stream the consoles read (tests, transcripts)."""
    for line in lines:
        yield line


@contextlib.asynccontextmanager
async def running_core(
    settings: Settings,
    *,
    freeze_gc: bool = False,
    receipts: Callable[[], str] = new_receipt,
    strict_secret: bool = False,
) -> AsyncIterator[App]:
    """The core (migrated database, services) for as long as the block runs, then closed.

    ``receipts`` replaces the random receipt codes (only ``hustings fake``'s throwaway core);
    ``strict_secret`` is for a real platform (see ``bot.keys``).
    """
    app = await build_app(
        settings, freeze_gc=freeze_gc, receipts=receipts, strict_secret=strict_secret
    )
    try:
        yield app
    finally:
        await app.aclose()


@contextlib.asynccontextmanager
async def scheduling(
    app: App, announcer: Announcer, *, platform: str, max_sleep: float = 30.0
) -> AsyncIterator[None]:
    """The core's scheduler running (timed closes announced) for as long as the block runs.

    ``platform``: the one whose elections it closes and announces (see ``Scheduler``).
    """
    scheduler = app.scheduler(announcer, max_sleep=max_sleep, platform=platform)
    scheduler.start()
    try:
        yield
    finally:
        await scheduler.stop()
