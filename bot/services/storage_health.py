"""When a ballot cannot be stored: say so plainly, and keep a note for the moderators.

A database failure while writing ballots (disk full, read-only file, a lock held past the
30 s busy timeout, a file that vanished) rolls the whole batch back, so no ballot in it
counts. The member must not be left guessing: ``not_recorded`` turns the failure into a
``BallotNotRecorded`` whose one-line message says the ballot was NOT recorded, why, and to
try again. ``StorageHealth`` remembers the failures in process memory (the database may be
what is failing) so ``/election status`` can show moderators the same thing.
"""

from __future__ import annotations

import errno
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.exc import DBAPIError

from bot.errors import UserError

REASONS = (
    ("full", "the database's disk is full"),
    ("readonly", "the database is read-only"),
    ("read-only", "the database is read-only"),
    ("locked", "the database is locked by another program"),
    ("busy", "the database is locked by another program"),
    ("unable to open", "the database file cannot be opened"),
    ("disk i/o", "the database's disk failed to write"),
    ("malformed", "the database file is damaged"),
    # PostgreSQL (asyncpg's messages)
    ("no space left", "the database's disk is full"),
    ("could not extend file", "the database's disk is full"),
    ("deadlock detected", "the database was busy"),
    ("could not serialize", "the database was busy"),
    ("shutting down", UNAVAILABLE_WORDS := "the database is unavailable"),
    ("starting up", UNAVAILABLE_WORDS),
    ("connection", UNAVAILABLE_WORDS),
)
"""Words in the driver's message → the reason shown (first match wins); other database errors
are bugs (a missing table), not conditions a member can wait out."""
UNAVAILABLE = "the database is unavailable"


class BallotNotRecorded(UserError):  # noqa: N818 - reads as what the member is told
    """A ballot (or its withdrawal) that the database refused; nothing was changed."""


def reason(exc: BaseException) -> str | None:
    """Why storing failed, in a few words, if ``exc`` is a database/storage failure."""
    if isinstance(exc, OSError):
        return REASONS[0][1] if exc.errno == errno.ENOSPC else UNAVAILABLE
    if not isinstance(exc, DBAPIError):
        return None
    text = str(exc.orig).lower()
    for word, shown in REASONS:
        if word in text:
            return shown
    return None  # "no such table" and the like: a bug, answered with an apology and a ref


def not_recorded(exc: BaseException, what: str = "ballot") -> BallotNotRecorded | None:
    """The member's message for a storage failure (``None``: not one; a bug stays a bug)."""
    why = reason(exc)
    if why is None:
        return None
    return BallotNotRecorded(
        f"Your {what} was NOT recorded: {why}. Nothing changed; please try again in a few "
        "minutes, and tell a moderator if it keeps happening."
    )


@dataclass
class StorageHealth:
    """Ballots that could not be stored since the bot started (shown to moderators)."""

    failures: int = 0
    last_reason: str | None = None
    last_at: datetime | None = None

    def record(self, why: str, count: int, at: datetime) -> None:
        self.failures += count
        self.last_reason, self.last_at = why, at

    def warning(self) -> str | None:
        """One line for ``/election status``, or ``None`` when nothing has failed."""
        if not self.failures or self.last_at is None:
            return None
        return (
            f"Warning: {self.failures} ballot(s) could NOT be stored since the bot started; "
            f"the last at {self.last_at:%Y-%m-%d %H:%M} UTC because {self.last_reason}. "
            "Those members were told to try again."
        )
