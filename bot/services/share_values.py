"""Frozen values of shared elections (``/election share``): what the share service returns
and what the scheduler hands an adapter's announcer to post in the other channel.

Kept apart from ``bot.domain`` because only the share service, its delivery and the
adapters' share replies use them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from bot.domain import CountOutcome, ElectionView, PacedStep, Place

CopyKind = Literal["open", "close", "cancel", "count", "round"]


@dataclass(frozen=True)
class ShareCodeIssued:
    """A fresh share code (shown once, privately, to the moderator who asked for it)."""

    election: ElectionView
    code: str
    """Grouped, as typed: ``7Q2K-MXB9-RT4H-C8DW``; the database holds only its keyed hash."""
    expires_at: datetime
    replaced: bool
    """An earlier code for this election existed and no longer works."""
    platform: str
    """The platform of the moderator's account: the code must be typed on the other one."""


@dataclass(frozen=True)
class ShareLink:
    """An election now shared: its own channel (``home``) and the channel it is shared with."""

    election: ElectionView
    home: Place
    guest: Place


@dataclass(frozen=True)
class Unshared:
    """What ``/election unshare`` undid: the link to ``guest`` and/or a pending code."""

    election: ElectionView
    guest: Place | None
    code_withdrawn: bool


@dataclass(frozen=True)
class SharedCopy:
    """One announcement of a shared election, posted in the channel it is shared with.

    ``kind``: ``open``, ``close``, ``cancel`` (``election`` says which, as the home channel
    saw it), ``count`` (the whole declaration: ``outcome``) or ``round`` (one step of a paced
    declaration: ``step``). Adapters render it (``bot.adapters.render.shared_copy``) like the
    home channel's announcement, saying where the election is run from.
    """

    kind: CopyKind
    election: ElectionView
    home: Place
    outcome: CountOutcome | None = None
    step: PacedStep | None = None
