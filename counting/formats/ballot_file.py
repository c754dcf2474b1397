"""What a ballot file holds, whatever its format: the ballots, and perhaps rules and a title.

Formats differ in what they can carry (a BLT file has seats and withdrawn candidates but no
rules; a conformance vector carries RCTab's rules), so every reader returns this one value and
``rules_for_count()`` decides, in one place, which rules a file implies when it names none.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from counting.ballots import Profile
from counting.rules import Method, Rules


class BallotFileError(ValueError):
    """A ballot file that cannot be read: *where* (a line number or an entry path) and *what*.

    ``location`` is an ``int`` line number for line-based formats (BLT) and a path such as
    ``"ballots[12].ranking[2]"`` for JSON, so the message can point an auditor at the spot.
    """

    def __init__(self, location: int | str | None, message: str) -> None:
        self.location = location
        self.detail = message
        if isinstance(location, int):
            prefix = f"line {location}: "
        elif location:
            prefix = f"{location}: "
        else:
            prefix = ""
        super().__init__(f"{prefix}{message}")

    @property
    def line(self) -> int | None:
        """The line number, for line-based formats."""
        return self.location if isinstance(self.location, int) else None


def default_method(profile: Profile, seats: int) -> Method:
    """The method a file implies when it names none.

    College sections only mean something to the college; several seats need STV; otherwise
    the alternative vote.
    """
    if profile.sections:
        return Method.COLLEGE
    if seats > 1:
        return Method.STV
    return Method.IRV


@dataclass(frozen=True)
class BallotFile:
    """The contents of one ballot file.

    ``rules`` is ``None`` when the file states no counting rules (BLT never does).
    ``withdrawn`` names candidates the file marks as withdrawn before the count (BLT's
    negative numbers); they stay on the ballots and are excluded from the count.
    ``labels`` maps a candidate to the label printed beside the name (a party, from a BLT
    file's ``"Name" "Party"`` lines); labels never take part in the count.
    ``tie_order`` is a predetermined order of candidates for breaking ties, first listed first
    (droop's ``[tie ...]``); it becomes the rules' ``tiebreak_order`` when the file has no rules.
    """

    profile: Profile
    rules: Rules | None = None
    title: str | None = None
    seats: int = 1
    withdrawn: tuple[str, ...] = ()
    labels: Mapping[str, str] = field(default_factory=dict)
    tie_order: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        if self.seats < 1:
            raise ValueError(f"seats must be at least 1, not {self.seats}")
        unknown = [name for name in self.withdrawn if name not in self.profile.candidates]
        if unknown:
            raise ValueError(f"withdrawn candidate(s) not on the list: {', '.join(unknown)}")
        unlabelled = [name for name in self.labels if name not in self.profile.candidates]
        if unlabelled:
            raise ValueError(f"label(s) for unknown candidate(s): {', '.join(unlabelled)}")

    def rules_for_count(self) -> Rules:
        """The rules this file asks for: its own, else defaults; withdrawn names excluded."""
        rules = self.rules
        if rules is None:
            rules = Rules(
                method=default_method(self.profile, self.seats),
                seats=self.seats,
                tiebreak_order=self.tie_order,
            )
        if self.withdrawn:
            rules = replace(rules, excluded=rules.excluded | frozenset(self.withdrawn))
        return rules
