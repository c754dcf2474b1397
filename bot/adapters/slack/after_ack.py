"""Work a Slack listener does after its ack, run as its own task so the ack goes out at once.

bolt answers Slack's HTTP request (or Socket Mode envelope) when the listener *returns*
(``process_before_response=True``, set in ``app.build_bolt_app``): every listener verifies
nothing itself (bolt and the edge gate did), calls ``ack()``, hands the rest to ``later``
and returns. bolt's other mode runs the whole listener as a task and polls every 10 ms for
the ack, which added up to 10 ms to every ack and, with a hundred requests in flight, ten
thousand wake-ups a second to a busy event loop.

What ``later`` runs must catch its own errors (``SlackAdapter._guarded`` maps them to a
private reply); anything that still escapes is logged by type, never by content. Tasks are
held here until done (asyncio keeps only weak references), which is also how ``until_idle``
knows what is still working.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from typing import Any

log = logging.getLogger(__name__)

_WORKING: set[asyncio.Task[None]] = set()
"""Post-ack work not yet finished, in any loop of this process."""


def later(work: Coroutine[Any, Any, None], what: str) -> asyncio.Task[None]:
    """Run ``work`` after the ack; ``what`` names it for the log (a kind, never content)."""
    task = asyncio.get_running_loop().create_task(work, name=f"slack {what}")
    _WORKING.add(task)
    task.add_done_callback(_finished)
    return task


def _finished(task: asyncio.Task[None]) -> None:
    _WORKING.discard(task)
    if task.cancelled():
        return
    error = task.exception()
    if error is not None:
        log.error("Slack work after the ack failed (%s)", task.get_name(), exc_info=error)


async def until_idle(within: float = 30.0) -> None:
    """Until no listener in this process is still working after its ack, or ``within`` s.

    Slack sees only the ack in time; what follows (a reply, a card edit) comes when the
    work is done. A test that must see all of it waits for this instead of for a pause in
    Web API calls, which a loaded machine can stretch past any fixed quiet spell.
    """
    loop = asyncio.get_running_loop()
    end = loop.time() + within
    while pending := [t for t in _WORKING if not t.done() and t.get_loop() is loop]:
        remaining = end - loop.time()
        if remaining <= 0:
            return
        await asyncio.wait(pending, timeout=remaining)
