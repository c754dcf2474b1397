"""A console line's command as a Discord slash command: its Discord name and raw options.

The local runner and the end-to-end tests type lines in the fake console's form
(``/election create "Leader" Kendall, Burnham``); the fake Discord is driven with slash
commands. The line is parsed with the shared single-text parser, then each value is written
back as the text (or number, or boolean) a member would put in that Discord option, under the
command's Discord name from ``tree.layout`` (``election-status`` for ``/election status``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.adapters.commands import Value
from bot.adapters.discord.tree import layout
from bot.adapters.textform import parse_line

DISCORD_NAMES = {entry.command.name: entry.qualified_name for entry in layout()}


def slash_for(line: str) -> tuple[str, dict[str, Any]]:
    """``(discord command name, {option: raw value})`` for a command line (``InvalidInput``
    if the line does not parse)."""
    invocation = parse_line(line)
    name = DISCORD_NAMES[invocation.command.name]
    return name, {key: raw(value) for key, value in invocation.options.items()}


def raw(value: Value) -> str | int | bool:
    """What a member would type in the Discord option for ``value``."""
    if isinstance(value, tuple):
        return ", ".join(value)
    if isinstance(value, datetime):
        return value.isoformat()
    return value
