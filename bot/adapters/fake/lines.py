"""The console's line format, parsed without any of the core: who speaks, where, what.

    @alice: /rank Kendall Burnham
    @mod +moderator: /election count 1
    #hustings @carol !admin: /ask What about rail?
    @alice/discord: /link 7Q2K-MXB9-RT4H-C8DW

``+role`` gives the speaker a role for that line, ``!admin`` the platform's admin permission,
a ``#channel`` prefix switches channel; ``@alice/discord`` and ``@alice/slack`` are alice's
accounts on those platforms (the fake console speaks as them; the local Discord and Slack
runners take the line's own platform only); text that does not start with ``/`` is plain chat. The
fake console and the local Discord and Slack runners (which turn lines into interactions on
their fake servers) share this one parser, so a script typed at one works at the others.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_LINE = re.compile(
    r"^(?:\#(?P<channel>[\w-]+)\s+)?@(?P<user>[\w.-]+)(?:/(?P<platform>discord|slack))?(?P<flags>(?:\s+[+!][\w-]+)*)\s*:\s*(?P<text>.*)$",
    re.DOTALL | re.IGNORECASE,
)


@dataclass(frozen=True)
class ConsoleLine:
    """One parsed line: the speaker, their roles (casefolded), admin or not, where, what."""

    user: str
    roles: frozenset[str]
    admin: bool
    channel: str | None
    """The ``#channel`` prefix without ``#``; ``None`` means stay in the current channel."""
    command_text: str
    """What follows the colon, e.g. ``/rank Kendall Burnham``."""
    platform: str | None = None
    """``@alice/discord:`` → ``discord``: on the fake console, alice's account on that
    platform (another account than ``@alice/slack:`` and the console's own ``@alice:``)."""

    @property
    def speaker(self) -> str:
        """``alice``, or ``alice/discord`` for a platform account (transcript labels)."""
        return self.user if self.platform is None else f"{self.user}/{self.platform}"


def parse_console_line(line: str) -> ConsoleLine | None:
    """The parts of ``line``, or ``None`` if it is not ``[#channel] @name [+role…]: text``."""
    match = _LINE.match(line.strip())
    if match is None:
        return None
    flags = match["flags"].split()
    roles = frozenset(f[1:].casefold() for f in flags if f.startswith("+"))
    admin = any(f[1:].casefold() == "admin" for f in flags if f.startswith("!"))
    platform = match["platform"].casefold() if match["platform"] else None
    text = match["text"].strip()
    return ConsoleLine(match["user"], roles, admin, match["channel"], text, platform)


def is_chat(parsed: ConsoleLine) -> bool:
    """A line of plain chat (``@zoe: hello everyone``): it does not start with ``/``, so it
    is shown to the channel as said, not refused as an unknown command."""
    return not parsed.command_text.startswith("/")


def chat_text(parsed: ConsoleLine) -> str:
    """How a chat line appears in the channel: ``zoe: hello everyone``."""
    return f"{parsed.user}: {parsed.command_text}"


def is_comment(line: str) -> bool:
    """Blank lines and ``# …`` comments (``#channel @name: …`` is a line, not a comment)."""
    stripped = line.strip()
    return not stripped or stripped == "#" or stripped.startswith(("# ", "#!", "##"))
