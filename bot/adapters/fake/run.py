"""Running the fake chat: from a script file (a transcript) or interactively from stdin.

Both modes start the real core (migrations, services) and the scheduler, so a closing time
set in the console closes the election and is announced in its channel, as it would be on
Discord or Slack. Standard input is read on a daemon thread (``bot.adapters.console``).

``hustings fake`` runs on a throwaway core (``throwaway_core``): a SQLite file and voter-key
secret in a temporary folder, deleted on exit, a fixed tie-break seed and a seeded receipt
sequence. So ``hustings fake --script demo/leadership2015.txt`` prints the same transcript
every time, in any folder, whatever ``hustings run`` left in ``./data``.
"""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TextIO

from bot.adapters.console import Write, line_writer, read_lines, running_core, scheduling
from bot.adapters.fake.console import PLATFORM, Console, ConsoleAnnouncer
from bot.app import App
from bot.config import Settings
from bot.services.secrecy import new_receipt, seeded_receipts

DEMO_SEED = 2015
"""Tie-break seed and receipt seed of the throwaway core, unless ``COUNT_SEED`` is set."""

BANNER = (
    "Hustings fake chat. Type lines like\n"
    "  @alice: /rank Kendall Burnham\n"
    '  @mod +moderator: /election create "Leader" Kendall, Burnham, Cooper, Corbyn\n'
    "Add +role for roles, !admin for an admin, a #channel prefix to switch channel;\n"
    "/help lists commands. Ctrl-D (end of input) quits."
)


@contextlib.contextmanager
def throwaway_core(settings: Settings) -> Iterator[tuple[Settings, Callable[[], str]]]:
    """``settings`` moved onto a temporary folder (database, secret), and the receipt source.

    The folder is deleted when the block ends. The tie-break seed is ``COUNT_SEED`` or
    ``DEMO_SEED``, and receipts come from a generator seeded with it: nothing in the
    transcript depends on the clock, the folder, or what ran before.
    """
    seed = DEMO_SEED if settings.count_seed is None else settings.count_seed
    with tempfile.TemporaryDirectory(prefix="hustings-fake-") as name:
        folder = Path(name)
        temporary = settings.model_copy(
            update={
                "database_url": f"sqlite+aiosqlite:///{folder / 'fake.db'}",
                "data_dir": folder,
                "count_seed": seed,
            }
        )
        yield temporary, seeded_receipts(seed)


async def run_fake(
    settings: Settings,
    script: Iterable[str] | None,
    out: TextIO,
    *,
    freeze_gc: bool = False,
    receipts: Callable[[], str] = new_receipt,
) -> int:
    """Run the console until the script or standard input ends; returns an exit code.

    ``freeze_gc`` is for the long-running ``hustings run`` (see ``build_app``); ``receipts``
    for the throwaway core (see ``throwaway_core``).
    """
    write = line_writer(out)
    async with (
        running_core(settings, freeze_gc=freeze_gc, receipts=receipts) as app,
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
