"""The declarations of issue 13's moderation commands (see ``commands``).

Kept apart from ``commands`` so the Q&A moderation commands read as one subject: merging a
duplicate, and a rewording proposed by a moderator and accepted or declined by the asker.
``commands.COMMANDS`` includes ``MODERATION_COMMANDS``; every adapter builds these commands
from there like any other. (The published figures are ``/questions stats``, an action of
``/questions`` beside ``list`` and ``export``.)
"""

from __future__ import annotations

from bot.adapters.command_types import Command, Kind, Option, Permission


def _question_id(help_text: str = "The question's short id") -> Option:
    return Option("id", Kind.TEXT, help_text, required=True, positional=True)


MODERATION_COMMANDS: tuple[Command, ...] = (
    Command(
        ("question", "merge"),
        "Merge a duplicate into another question: its upvotes join, one per member",
        Permission.MODERATOR,
        (
            _question_id("The duplicate (e.g. Q5); it is dismissed, its asker told"),
            Option(
                "into",
                Kind.TEXT,
                "The question it duplicates (e.g. Q2), which keeps its upvotes",
                required=True,
                positional=True,
            ),
        ),
    ),
    Command(
        ("question", "edit"),
        "Propose a rewording; the question changes only if its asker accepts",
        Permission.MODERATOR,
        (
            _question_id(),
            Option(
                "text",
                Kind.TEXT,
                "The proposed wording",
                required=True,
                positional=True,
                rest=True,
                free=True,
            ),
        ),
    ),
    Command(
        ("question", "accept"),
        "Accept a moderator's rewording of your question",
        options=(_question_id(),),
    ),
    Command(
        ("question", "decline"),
        "Decline a moderator's rewording of your question (it stays as you asked it)",
        options=(_question_id(),),
    ),
)
