"""Files that go with a reply as uploads (a count's charts, and any other image or document).

``Upload`` is the neutral shape every platform helper takes: a filename, the bytes, and the
alt text (what a screen reader says instead of the image; Discord shows it as the attachment's
description, Slack as the file's ``alt_txt``). ``bot.adapters.discord.uploads`` and
``bot.adapters.slack.uploads`` send any list of them; nothing there is specific to charts.

Charts are drawn here, off the event loop (``asyncio.to_thread``: matplotlib is CPU-bound
and would otherwise stall every other member's command), and a drawing failure never loses
the declaration: ``draw_charts`` logs the failure without its message (which could quote a
candidate's name) and returns no uploads, so the adapter posts the text alone. The text of a
count states every fact its charts show, so a cut alt text (``fit_alt``) loses nothing.
"""

from __future__ import annotations

import asyncio
import logging
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from counting.result import Result

log = logging.getLogger(__name__)

PNG = "image/png"
CUT_NOTE = " (continued in the text of the declaration)"


@dataclass(frozen=True)
class Upload:
    """One file to upload: ``filename`` (with its extension), ``data`` (the bytes),
    ``alt_text`` (non-empty for images), ``content_type`` (a MIME type)."""

    filename: str
    data: bytes
    alt_text: str
    content_type: str = PNG


def chart_uploads(result: Result, stem: str = "count") -> tuple[Upload, Upload]:
    """The count's two charts, drawn now (CPU-bound: call from a thread): ``STEM-rounds.png``
    (bars per round) and ``STEM-transfers.png`` (the alluvial of transfers), with alt text."""
    from bot.adapters.render import charts  # noqa: PLC0415 - matplotlib only when drawing

    return (
        Upload(f"{stem}-rounds.png", charts.bars_png(result), charts.bars_alt_text(result)),
        Upload(f"{stem}-transfers.png", charts.sankey_png(result), charts.sankey_alt_text(result)),
    )


async def draw_charts(result: Result, stem: str = "count") -> tuple[Upload, ...]:
    """``chart_uploads`` in a worker thread; ``()`` (logged) if drawing fails."""
    try:
        return await asyncio.to_thread(chart_uploads, result, stem)
    except Exception as exc:  # any drawing failure: the text goes out alone
        log.error(
            "count charts could not be drawn (%s at %s); the declaration goes out as text only",
            type(exc).__name__,
            _where(exc),
        )
        return ()


def _where(exc: BaseException) -> str:
    """``file.py:line`` of the innermost frame: where it failed, without the message."""
    frames = traceback.extract_tb(exc.__traceback__)
    if not frames:
        return "?"
    last = frames[-1]
    return f"{Path(last.filename).name}:{last.lineno}"


def fit_alt(text: str, limit: int) -> str:
    """``text`` within ``limit`` characters (Discord 1024, Slack 1000): whole when it fits,
    else cut after its last whole sentence that leaves room for ``CUT_NOTE``, which says
    where the rest is. A first sentence longer than the room is cut at a word."""
    if len(text) <= limit:
        return text
    room = limit - len(CUT_NOTE)
    head = text[:room]
    end = head.rfind(". ")
    if end > 0:
        return head[: end + 1] + CUT_NOTE
    head = head.rsplit(" ", 1)[0] if " " in head else head
    return head.rstrip() + CUT_NOTE
