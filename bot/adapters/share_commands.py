"""The declarations of ``/election share`` and ``/election unshare`` (see ``commands``).

Kept apart from ``commands`` so sharing an election with a channel on the other platform
reads as one subject; ``commands.COMMANDS`` includes ``SHARE_COMMANDS`` and every adapter
builds them from there like any other. Handlers: ``bot.adapters.share_handlers``.
"""

from __future__ import annotations

from bot.adapters.command_types import Command, Kind, Option, Permission

SHARE_CODE_LENGTH = 16
"""Letters and digits in a share code (``bot.services.roll_codes``: four groups of four)."""


def _election(help_text: str) -> Option:
    return Option("election", Kind.TEXT, help_text, positional=True)


SHARE_COMMANDS: tuple[Command, ...] = (
    Command(
        ("election", "share"),
        "Share a roll election with a channel on the other platform, or accept a share code",
        Permission.MODERATOR,
        (
            _election("The election to share: its number or the start of its title (if several)"),
            Option(
                "code",
                Kind.TEXT,
                "A share code from the other platform: share that election here",
                grouped=SHARE_CODE_LENGTH,
            ),
        ),
    ),
    Command(
        ("election", "unshare"),
        "Stop sharing a draft election with the other platform's channel (or withdraw its code)",
        Permission.MODERATOR,
        (_election("Which election: its number or the start of its title (if several)"),),
    ),
)
