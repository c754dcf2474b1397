"""Frozen values the question moderation and stats services return (never ORM rows).

Kept beside those services rather than in ``bot.domain`` so the Q&A moderation work stays in
its own modules; like ``bot.domain``'s values they carry no platform markup.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from bot.domain import QuestionView


@dataclass(frozen=True)
class MergeOutcome:
    """``/question merge Q5 Q2``: ``merged`` (Q5, now dismissed as a duplicate) and ``into``
    (Q2, with its new count). ``moved`` of Q5's upvotes joined Q2; ``not_added`` did not,
    because their member had upvoted Q2 already or is Q2's own asker.

    Only that sum is kept, never its two parts: "Q2's asker's own upvote on Q5 dropped" would
    tell the moderator how a known member had voted (a member's upvotes are secret like their
    ballot: ``Secrecy.upvoter_key``)."""

    merged: QuestionView
    into: QuestionView
    moved: int
    not_added: int
    asker_user_id: str | None
    """Q5's asker, told privately (filled: only moderators merge)."""


RewordStep = Literal["proposed", "accepted", "declined"]


@dataclass(frozen=True)
class RewordOutcome:
    """A rewording's step. ``proposed``: the asker (``asker_user_id``) is asked privately;
    ``accepted``: ``question.text`` is the new wording (announced, with its ``old_text``);
    ``declined``: nothing changed. ``proposer`` is the moderator who proposed it."""

    step: RewordStep
    question: QuestionView
    proposed_text: str
    old_text: str
    asker_user_id: str | None
    """``None`` only if the asker's sealed id cannot be read (another secret)."""
    proposer: str | None


@dataclass(frozen=True)
class Figures:
    """Counts of a channel's questions (or one candidate's), all states.

    ``received`` every question asked; ``shown`` those ever published; ``answered``,
    ``dismissed`` and ``pending`` by current state (``open`` is the rest); ``reasons`` the
    dismissed by reason code, in ``question_reasons.REASONS`` order, zeros left out
    (``unspecified`` for dismissals from before reason codes).
    """

    received: int = 0
    shown: int = 0
    answered: int = 0
    dismissed: int = 0
    pending: int = 0
    reasons: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True)
class EqualTime:
    """One candidate's share of the answering: questions answered ``--by`` them and the
    upvotes those questions held (how much of what members most wanted they took on)."""

    candidate: str
    answers: int
    upvotes: int


@dataclass(frozen=True)
class QuestionStats:
    """``/questions stats``: the channel's figures, each candidate's (questions addressed to
    them; ``None`` key: to everyone), and the equal-time figures per candidate."""

    overall: Figures
    by_addressee: tuple[tuple[str | None, Figures], ...]
    equal_time: tuple[EqualTime, ...]
