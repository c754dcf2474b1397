"""Running the fake chat: from a script file (a transcript) or interactively from stdin.

Both modes start the real core (migrations, services) and the scheduler, so a closing time
set in the console closes the election and is announced in its channel, as it would be on
Discord or Slack. Standard input is read on a daemon thread (``bot.adapters.console``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TextIO

from bot.adapters.console import Write, line_writer, read_lines, running_core, scheduling
from bot.adapters.fake.console import PLATFORM, Console, ConsoleAnnouncer
from bot.app import App
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
    write = line_writer(out)
    async with (
        running_core(settings, freeze_gc=freeze_gc) as app,
        scheduling(app, ConsoleAnnouncer(write), platform=PLATFORM),
    ):
        if script is not None:
            await run_lines(app, script, write)
        else:
            write(BANNER)
            await _interactive(app, write)
    return 0


async def run_lines(app: App, lines: Iterable[str], write: Write) -> None:
    """Feed ``lines`` to a console that echoes them: the transcript of a script."""
    console = Console(app, write, echo=True)
    for line in lines:
        await console.feed(line)


async def _interactive(app: App, write: Write) -> None:
    console = Console(app, write, echo=False)
    async for line in read_lines(name="hustings-stdin"):
        await console.feed(line)
