"""Frozen rule options for a count. Everything that can change a result lives here.

The rules travel with every result (provenance): the same ballots and the same ``Rules``
always give the same result, ties included, because the lot is drawn from ``seed``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from fractions import Fraction
from typing import Any


class Method(StrEnum):
    IRV = "irv"
    STV = "stv"
    COLLEGE = "college"
    MULTI_PASS_IRV = "multipass-irv"
    """Fill ``seats`` one at a time: an IRV count per seat, earlier winners excluded (RCTab)."""
    BOTTOMS_UP = "bottoms-up"
    """Exclude the lowest until ``seats`` remain (or, with ``bottoms_up_percentage``, until
    every continuing candidate holds more than that share of the vote); no quota, no surplus."""


class StvVariant(StrEnum):
    """How an STV surplus moves on."""

    WIGM = "wigm"
    """Weighted inclusive Gregory, transfer values truncated to ``decimal_places`` (RCTab)."""
    SCOTTISH = "scottish"
    """Scottish Local Government Elections Order 2007 rules 45–52: WIGM truncated to 5 dp."""
    MEEK = "meek"
    """Meek's method: keep values iterated until every elected candidate holds the quota."""


class Quota(StrEnum):
    DROOP = "droop"
    """floor(V / (seats + 1)) + 1 (whole votes)."""
    DROOP_FRACTIONAL = "droop-fractional"
    """truncate(V / (seats + 1), d) + 10^-d with d = ``decimal_places``."""
    HARE = "hare"
    """V / seats, rounded up (to whole votes, or to d places when fractional)."""


class TieBreak(StrEnum):
    BACKWARD = "backward"
    """Fewest votes at the most recent earlier round where the tied differed, then the lot."""
    FORWARD = "forward"
    """Fewest votes at the earliest round where the tied differed, then the lot."""
    LOT = "lot"
    """Straight to the seeded lot."""
    CANDIDATE_ORDER = "candidate-order"
    """The loser is the tied candidate latest in ``tiebreak_order`` (or the candidate list)."""
    ASK = "ask"
    """No automatic rule: a tie the ``tiebreak_order`` does not settle stops the count
    (``counting.tiebreak.TieNeedsDecisionError``) so the returning officer can decide and
    recount with a ``tiebreak_order`` naming the tied candidates, most preferred first."""


class Overvote(StrEnum):
    """What a rank with two or more names marked equal does to a ballot."""

    EXHAUST = "exhaust"
    SKIP = "skip"
    EXHAUST_IF_MULTIPLE = "exhaust-if-multiple"


RON = "RON (re-open nominations)"
"""Name of the optional re-open-nominations candidate."""


def _plain(value: Any) -> Any:
    if isinstance(value, frozenset):
        return sorted(value)
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, Fraction):
        return str(value)
    if isinstance(value, Mapping):
        return dict(value)
    return value


@dataclass(frozen=True)
class Rules:
    """Options of a count; defaults are Labour-style AV for one seat.

    ``method`` picks the module; the rest are read by the methods they apply to and ignored by
    the others (documented on each field). ``to_dict()`` is what results carry.
    """

    method: Method = Method.IRV
    seats: int = 1
    # Ties.
    tiebreak: TieBreak = TieBreak.BACKWARD
    seed: int = 0
    tiebreak_order: tuple[str, ...] | None = None
    # IRV.
    threshold_from_first_round: bool = False
    batch_elimination: bool = False
    continue_until_two: bool = False
    stop_after_round: int | None = None
    # Bottoms-up (method bottoms-up): a percentage of each round's votes every winner must beat
    # (seats then ignored), and whether everyone below it is excluded at once.
    bottoms_up_percentage: Fraction | None = None
    cutoff_elimination: bool = False
    # STV.
    stv_variant: StvVariant = StvVariant.SCOTTISH
    quota: Quota = Quota.DROOP
    decimal_places: int = 5
    one_winner_per_round: bool = False
    # Reading imported ballots.
    overvote: Overvote = Overvote.EXHAUST
    max_skipped_ranks: int | None = None
    exhaust_on_duplicate: bool = False
    excluded: frozenset[str] = frozenset()
    write_in: str | None = None
    # Re-open nominations: the profile names the RON candidate; it can win (nobody is elected).
    ron: bool = False
    # Extra, method-specific options (kept so a rules dict round-trips).
    extra: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.seats < 1:
            raise ValueError(f"seats must be at least 1, not {self.seats}")
        if not 0 <= self.decimal_places <= 12:
            raise ValueError(f"decimal_places must be 0..12, not {self.decimal_places}")
        if self.max_skipped_ranks is not None and self.max_skipped_ranks < 0:
            raise ValueError("max_skipped_ranks must be non-negative or None (unlimited)")
        if self.stop_after_round is not None and self.stop_after_round < 1:
            raise ValueError("stop_after_round must be at least 1")
        if self.bottoms_up_percentage is not None and not 0 < self.bottoms_up_percentage < 100:
            raise ValueError("bottoms_up_percentage must be between 0 and 100 (exclusive)")

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready dict (enums as their values, sets sorted)."""
        return {key: _plain(value) for key, value in asdict(self).items()}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Rules:
        """Inverse of ``to_dict``; unknown keys raise ``ValueError`` naming them."""
        fields = cls.__dataclass_fields__
        unknown = sorted(set(data) - set(fields))
        if unknown:
            raise ValueError(f"unknown rule option(s): {', '.join(unknown)}")
        kwargs: dict[str, Any] = dict(data)
        converters: dict[str, Any] = {
            "method": Method,
            "tiebreak": TieBreak,
            "stv_variant": StvVariant,
            "quota": Quota,
            "overvote": Overvote,
            "excluded": frozenset,
            "tiebreak_order": lambda v: None if v is None else tuple(v),
            "bottoms_up_percentage": lambda v: None if v is None else Fraction(v),
        }
        for key, convert in converters.items():
            if key in kwargs:
                try:
                    kwargs[key] = convert(kwargs[key])
                except ValueError as exc:
                    raise ValueError(f"rule option {key}: {exc}") from None
        return cls(**kwargs)
