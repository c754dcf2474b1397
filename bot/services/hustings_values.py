"""Frozen values of hustings events and their minutes, as services return them.

Kept beside ``bot.services.hustings_events`` and ``bot.services.minutes`` rather than in
``bot.domain`` so both can import them without importing each other. Times are aware UTC.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.domain import ElectionView


@dataclass(frozen=True)
class HustingsView:
    """A hustings as moderators and members see it (``ballot_*``: the election it opens)."""

    number: int
    title: str | None
    started_at: datetime
    ended_at: datetime | None
    ballot_ref: str | None = None
    ballot_title: str | None = None
    ballot_candidates: tuple[str, ...] = ()
    """Its candidates: announced at the start, so members may address questions to them."""
    questions: int = 0
    """Questions asked during it, in every state (a count, never their text)."""

    @property
    def name(self) -> str:
        """``Hustings 2 (Leadership hustings)`` or ``Hustings 2``."""
        return f"Hustings {self.number}" + (f" ({self.title})" if self.title else "")


@dataclass(frozen=True)
class MinuteEntry:
    """One question in the minutes. ``text`` is ``None`` where it is withheld (a dismissed
    question in the members' copy); ``asker`` only for a question asked ``--named``."""

    short_id: str
    state: str
    text: str | None
    to_candidate: str | None
    asker: str | None
    upvotes: int
    reason_code: str | None
    reason: str | None
    answer: str | None
    answered_by: str | None
    asked_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class Minutes:
    """The transcript of one hustings (``hustings`` ``None``: every question in the channel,
    for moderators in a channel that never held one), as the caller may read it."""

    hustings: HustingsView | None
    entries: tuple[MinuteEntry, ...]
    full: bool
    """The moderators' copy (every question, dismissed text included)."""


@dataclass(frozen=True)
class CandidateAnswers:
    """The answered questions of a hustings one candidate gave (or that were addressed to
    them), most upvoted first: ``(short id, question, answer, upvotes)``."""

    candidate: str
    answered: tuple[tuple[str, str, str, int], ...]


@dataclass(frozen=True)
class AnswersSummary:
    """Per candidate of the ballot, their answers; ``panel``: answered questions to all."""

    candidates: tuple[CandidateAnswers, ...]
    panel: tuple[tuple[str, str, str, int], ...]


@dataclass(frozen=True)
class HustingsEnded:
    """What ``/hustings end`` did: the hustings, the election it opened, and the answers
    summary posted (and pinned) beside that election's announcement."""

    hustings: HustingsView
    opened: ElectionView | None = None
    summary: AnswersSummary | None = None
