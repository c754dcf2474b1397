"""Frozen values the services return and adapters render; never ORM rows.

Adapters build ``Actor`` and ``Place`` from a platform event; services answer with the views
below. Keeping them plain dataclasses means a renderer cannot lazily load anything from the
database, and a service cannot leak a session past its transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Generic, Literal, TypeVar

from counting.result import Result

ElectionStatus = Literal["draft", "open", "closed", "counted", "cancelled"]
QuestionStatus = Literal["pending", "open", "answered", "dismissed"]
Method = Literal["irv", "stv", "college"]
ExportFormat = Literal["blt", "json", "html", "summary", "csv"]
"""Ballots (``blt``, ``json``) or the published result of a counted election (the rest)."""
T = TypeVar("T")


@dataclass(frozen=True)
class Actor:
    """Who is acting: platform ids, a display name, their roles and whether they are an admin."""

    platform: str
    workspace: str
    user_id: str
    display_name: str
    roles: frozenset[str] = frozenset()
    is_admin: bool = False


@dataclass(frozen=True)
class Place:
    """Where: a channel in a workspace (Discord guild / Slack team) on a platform."""

    platform: str
    workspace: str
    channel: str


@dataclass(frozen=True)
class ElectionView:
    """An election as members and moderators see it; tallies are never part of it."""

    id: int
    ref: str
    title: str
    candidates: tuple[str, ...]
    seats: int
    method: Method
    status: ElectionStatus
    closes_at: datetime | None
    turnout: int
    eligible_roles: tuple[str, ...] = ()
    ron: bool = False
    aliases: Mapping[str, str] = field(default_factory=dict)
    sections: Mapping[str, str] = field(default_factory=dict)
    """College only: role → section."""
    section_weights: Mapping[str, int] = field(default_factory=dict)
    place: Place | None = None
    """Where the election lives (the scheduler announces a timed close there)."""
    warnings: tuple[str, ...] = ()
    """Moderators only: what is wrong with voting right now (ballots the database refused,
    a voter-key secret that does not match); shown by ``/election status``."""
    electorate: str = "roles"
    """``roles`` (``eligible_roles``, or everyone) or ``roll``: see ``roll_electorate``."""
    roll_electorate: str | None = None
    """A roll election's voters in words (``members on the roll in branch North, who joined
    before 8 June 2026``); ``None`` otherwise."""
    branch_turnout: tuple[tuple[str, int], ...] | None = None
    """A roll election's turnout by branch where at least 10 voted (``roll_turnout``), from
    ``/election status`` only; ``branch_others`` voters are in branches not shown."""
    branch_others: int = 0
    section_turnout: tuple[tuple[str, int], ...] | None = None
    """The same by roll section (``roll_turnout``, same rule); ``section_others`` voters are
    in sections not shown."""
    section_others: int = 0
    winners: tuple[str, ...] | None = None
    """Once counted (and only then, never a tally): who was elected, in order; else ``None``."""
    opened: bool = True
    """Voting has been opened at some time. A cancelled election that never opened was a
    draft: members never saw it, so its cancellation is told only to the moderator."""


@dataclass(frozen=True)
class BallotReceipt:
    """The acknowledgement of a cast ballot; sent only after the ballot is committed."""

    election: ElectionView
    ranking: tuple[str, ...]
    receipt: str
    replaced: bool
    note: str | None = None
    """What the parser did that the member should know (numbers 1, 2, 4 closed up)."""


@dataclass(frozen=True)
class BallotView:
    """A member's own ballot, shown only to them."""

    election: ElectionView
    ranking: tuple[str, ...]
    receipt: str
    cast_at: datetime


@dataclass(frozen=True)
class CountOutcome:
    """A count: the election after counting and the round-by-round result."""

    election: ElectionView
    result: Result
    recount_of: int | None = None
    """Set when this was a recount: the id of the stored result it was checked against."""


@dataclass(frozen=True)
class PacedStep:
    """A paced declaration after a step: the count, and how many rounds are now declared
    (1 = the headline and round 1; the count's round sections, passes flattened)."""

    outcome: CountOutcome
    shown: int
    pace_seconds: int | None = None
    """Seconds until the next round is declared by itself (``--pace``); ``None``: on a
    moderator's word only."""

    @property
    def total(self) -> int:
        """How many steps the declaration has (round sections, passes flattened)."""
        r = self.outcome.result
        return sum(len(p.rounds) for p in r.passes) if r.passes else len(r.rounds)

    @property
    def final(self) -> bool:
        """The last step (it names the winners; no Next round button under it)."""
        return self.shown >= self.total


@dataclass(frozen=True)
class BallotExport:
    """The anonymised ballots of one election, as file ``content`` in ``fmt``."""

    election: ElectionView
    fmt: ExportFormat
    content: str


@dataclass(frozen=True)
class QuestionView:
    """A hustings question; ``asker_user_id`` is filled only in moderator views."""

    id: int
    short_id: str
    text: str
    to_candidate: str | None
    status: QuestionStatus
    upvotes: int
    asker_name: str | None
    asker_user_id: str | None
    answer: str | None
    dismiss_reason: str | None
    created_at: datetime
    named: bool = False
    """The asker chose ``--named``: only then may announcements to the channel name them.
    (``asker_name`` is also filled for the asker's own view and for moderators.)"""
    answer_edited: bool = False
    """This view comes from a re-answer: the answer replaced an earlier one."""
    dismiss_code: str | None = None
    """``duplicate``, ``off-topic``, ``abusive``, ``answered-elsewhere`` or ``other``."""
    answered_by: str | None = None
    """The candidate who answered, as on the ballot (``/question answer --by``)."""
    answered_at: datetime | None = None
    answer_edited_at: datetime | None = None
    """When the answer was last replaced (``None``: never edited)."""
    answer_message: str | None = None
    """Where the answer was posted on the platform (``channel:message``), for editing it."""
    proposal_lapsed: bool = False
    """This view comes from the answer, dismissal or merge that ended a rewording still
    waiting for the asker's consent: the asker must be told it lapsed (``proposed_text``
    is kept, so a later accept is refused with the reason)."""
    proposed_text: str | None = None
    """A rewording waiting for the asker's consent (shown to the asker and moderators)."""


@dataclass(frozen=True)
class UpvoteOutcome:
    """The question after an upvote toggle, and whether the caller's upvote now stands."""

    question: QuestionView
    upvoted: bool
    changed: bool = True
    """False when nothing changed: already upvoted (or nothing to take back)."""
    toggled: bool = False
    """The press of a button, which toggles (a typed ``/upvote`` never does)."""


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a longer list: its ``items``, and where they sit in the whole.

    ``page`` counts from 1; ``total`` is the length of the whole list, so a reader can say
    "showing 11–12 of 12" and how to see the rest.
    """

    items: tuple[T, ...]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def first(self) -> int:
        """The 1-based position of the first item shown (0 when nothing is shown)."""
        return (self.page - 1) * self.per_page + 1 if self.items else 0

    @property
    def last(self) -> int:
        return self.first + len(self.items) - 1 if self.items else 0


@dataclass(frozen=True)
class PremoderationView:
    """Pre-moderation after a switch, and the questions still waiting (moderators only)."""

    on: bool
    pending: tuple[str, ...] = ()
    """Short ids of the questions still waiting for approval, oldest first."""


@dataclass(frozen=True)
class FloodLimits:
    """How many questions one member may have waiting or open at once, and ask per window.

    ``limit`` 0 means no limit; ``default`` says the channel has not set its own.
    """

    limit: int
    window_minutes: int
    default: bool = True
