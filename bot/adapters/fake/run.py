"""Running the fake chat: from a script file (a transcript) or interactively from stdin.

Both modes start the real core (migrations, services) and the scheduler, so a closing time
set in the console closes the election and is announced in its channel, as it would be on
Discord or Slack. Standard input is read on a daemon thread: a blocked ``readline`` must not
keep the process alive after Ctrl-C or stop the event loop from shutting down.
"""

from __future__ import annotations

import asyncio
import sys
import threading
from collections.abc import Iterable
from typing import TextIO

from bot.adapters.fake.console import Console, ConsoleAnnouncer, Write
from bot.app import App, build_app
from bot.config import Settings

BANNER = (
    "Hustings fake chat. Type lines like\n"
    "  @alice: /rank Kendall Burnham\n"
    '  @mod +moderator: /election create "Leader" Kendall, Burnham, Cooper, Corbyn\n'
    "Add +role for roles, !admin for an admin, a #channel prefix to switch channel;\n"
    "/help lists commands. Ctrl-D (end of input) quits."
)


async def run_fake(
    settings: Settings, script: Iterable[str] | None, out: TextIO, *, freeze_gc: bool = False
) -> int:
    """Run the console until the script or standard input ends; returns an exit code.

    ``freeze_gc`` is for the long-running ``hustings run`` (see ``build_app``).
    """
    app = await build_app(settings, freeze_gc=freeze_gc)
    write = _writer(out)
    scheduler = app.scheduler(ConsoleAnnouncer(write), max_sleep=1.0)
    scheduler.start()
    try:
        if script is not None:
            await run_lines(app, script, write)
        else:
            write(BANNER)
            await _interactive(app, write)
    finally:
        await scheduler.stop()
        await app.aclose()
    return 0


async def run_lines(app: App, lines: Iterable[str], write: Write) -> None:
    """Feed ``lines`` to a console that echoes them: the transcript of a script."""
    console = Console(app, write, echo=True)
    for line in lines:
        await console.feed(line)


async def _interactive(app: App, write: Write) -> None:
    console = Console(app, write, echo=False)
    queue: asyncio.Queue[str | None] = asyncio.Queue()
    loop = asyncio.get_running_loop()

    def read() -> None:
        for line in sys.stdin:
            loop.call_soon_threadsafe(queue.put_nowait, line)
        loop.call_soon_threadsafe(queue.put_nowait, None)

    threading.Thread(target=read, name="hustings-stdin", daemon=True).start()
    while (line := await queue.get()) is not None:
        await console.feed(line)


class _Write:
    """Write a block of text as lines and flush, so transcripts interleave in order."""

    def __init__(self, out: TextIO) -> None:
        self.out = out

    def __call__(self, text: str) -> None:
        self.out.write(text + "\n")
        self.out.flush()


def _writer(out: TextIO) -> _Write:
    return _Write(out)
