"""An in-memory chat room: lines typed as any member go through the real core.

A line names who speaks, their roles and the command, optionally in another channel::

    @alice: /rank Kendall Burnham
    @mod +moderator: /election count 1
    @bob +members +union: /rank Corbyn
    @root !admin: /premoderate on
    #hustings @carol: /ask What about rail?

``+role`` gives the speaker a role for that line, ``!admin`` the platform's admin permission;
a ``#channel`` prefix switches channel (it stays switched). Lines starting ``# `` (or just
``#``) are comments. Replies are printed private ones marked ``[private to alice]`` and public
ones ``[#general]``, exactly as an adapter would route them, so a transcript shows who saw what.
The line format itself is parsed in ``bot.adapters.fake.lines`` (``parse_console_line``), which
the local Discord and Slack runners import too.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path

from bot.adapters.console import Write, feed_line, tagged
from bot.adapters.dispatch import dispatch_line
from bot.adapters.fake.lines import (
    ConsoleLine,
    chat_text,
    is_chat,
    is_comment,
    parse_console_line,
)
from bot.adapters.render import shared_copy, views
from bot.adapters.render.count import declare_step
from bot.adapters.render.message import Reply, deliveries
from bot.adapters.render.text import render
from bot.adapters.render.uploads import Upload, draw_charts
from bot.app import App
from bot.domain import Actor, ElectionView, PacedStep, Place
from counting.result import Result

__all__ = [
    "Console",
    "ConsoleAnnouncer",
    "ConsoleLine",
    "Said",
    "format_reply",
    "is_comment",
    "parse_console_line",
    "parse_said",
]

PLATFORM = "fake"
WORKSPACE = "fake"
DEFAULT_CHANNEL = "general"


@dataclass(frozen=True)
class Said:
    """One parsed console line: who, with which roles, where, what."""

    actor: Actor
    channel: str | None
    text: str


def parse_said(line: str) -> Said | None:
    """The speaker and command of ``line``, or ``None`` if it is not ``@name: text``."""
    parsed = parse_console_line(line)
    return None if parsed is None else said_from(parsed)


def said_from(parsed: ConsoleLine) -> Said:
    """The speaker for a parsed line: the fake platform's, or ``@alice/slack``'s account."""
    platform = parsed.platform or PLATFORM
    actor = Actor(platform, WORKSPACE, parsed.user, parsed.user, parsed.roles, parsed.admin)
    return Said(actor, parsed.channel, parsed.command_text)


def format_reply(reply: Reply, speaker: str, channel: str) -> str:
    """``[private to alice] …`` or ``[#general] …``; continuation lines indented.

    A private reply with a ``recipient`` goes to them, not to the speaker; a public reply
    that edits an earlier message (a re-answer) is tagged ``[#general, edited]``.
    """
    edited = ", edited" if reply.edit else ""
    tag = f"[private to {reply.recipient or speaker}]" if reply.private else f"[#{channel}{edited}]"
    return tagged(tag, render(reply))


class Console:
    """The chat room: feeds lines to the core and writes the transcript."""

    def __init__(
        self, app: App, write: Write, *, echo: bool = True, attachments: Path | None = None
    ) -> None:
        self.app = app
        self.write = write
        self.echo = echo
        self.attachments = attachments
        """Folder for a count's chart images; ``None`` leaves them out (text only)."""
        self.channel = DEFAULT_CHANNEL

    def place(self) -> Place:
        return Place(PLATFORM, WORKSPACE, self.channel)

    async def feed(self, line: str) -> None:
        """Handle one line: a comment, a channel switch, or someone's command."""
        on_comment = self.write if self.echo else None
        await feed_line(line, self.write, self._send, on_comment=on_comment)

    async def _send(self, parsed: ConsoleLine, text: str) -> None:
        said = said_from(parsed)
        if said.channel:
            self.channel = said.channel
        if self.echo:
            self.write(text)
        if is_chat(parsed):
            self.write(tagged(f"[#{self.channel}]", chat_text(parsed)))
            return
        reply = await dispatch_line(self.app, said.actor, self.place(), said.text)
        for each in deliveries(reply):
            self.write(format_reply(each, parsed.speaker, self.channel))
            if each.pin and not each.private:
                self.write(f"[pinned in #{self.channel}]")
            if each.files and self.attachments is not None:
                for line in await asyncio.to_thread(save_files, each, self.attachments):
                    self.write(line)
            if each.charts_of is not None and self.attachments is not None:
                for line in await save_charts(each.charts_of, self.attachments):
                    self.write(line)


def save_files(reply: Reply, folder: Path) -> list[str]:
    """Save the reply's text files (the minutes) into ``folder`` as UTF-8, one
    ``[attachment NAME: PATH]`` line each; a name already there gets a ``-2``, ``-3``… suffix."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = []
    for attachment in reply.files:
        name = Path(attachment.filename).name  # never a path out of the folder
        path, n = folder / name, 1
        while path.exists():
            n += 1
            path = folder / f"{Path(name).stem}-{n}{Path(name).suffix}"
        path.write_text(attachment.content, encoding="utf-8")
        lines.append(f"[attachment {path.name}: {path}]")
    return lines


async def save_charts(result: Result, folder: Path) -> list[str]:
    """Draw the count's two charts (off the event loop) into ``folder``; ``[attachment
    NAME.png: PATH]`` lines with the alt text beneath each, as a chat client would show the
    image description. Nothing if they could not be drawn (logged): the text stands."""
    n = await asyncio.to_thread(_next_count, folder)
    uploads = await draw_charts(result, f"count-{n}")
    return await asyncio.to_thread(_write, uploads, folder)


def _next_count(folder: Path) -> int:
    """Each count keeps its own files: one more than the counts already saved here."""
    folder.mkdir(parents=True, exist_ok=True)
    return len(list(folder.glob("count-*-rounds.png"))) + 1


def _write(uploads: tuple[Upload, ...], folder: Path) -> list[str]:
    lines = []
    for upload in uploads:
        path = folder / upload.filename
        path.write_bytes(upload.data)
        lines.append(f"[attachment {upload.filename}: {path}]")
        lines.append(f"  alt: {upload.alt_text}")
    return lines


class ConsoleAnnouncer:
    """The scheduler's announcer for the fake chat: timed closes appear in their channel."""

    def __init__(self, write: Write) -> None:
        self.write = write

    async def announce(self, place: Place, message: object) -> None:
        message = shared_copy.unwrap(message)  # a shared election's copy: its Reply
        if isinstance(message, ElectionView):
            reply = views.election_announcement(message)
        elif isinstance(message, Reply):
            reply = message
        elif isinstance(message, PacedStep):  # a paced count's next round, on its --pace
            reply = declare_step(message)
        else:
            reply = Reply(str(message), private=False)
        self.write(format_reply(reply, "", place.channel))
