"""How a ballot is read: where its vote goes now, or why it has stopped counting.

Every method reads ballots the same way, so the rules live here once. A ballot that needs a
new home (round 1, or its candidate was elected or eliminated) is read **again from rank 1**
against the set of continuing candidates, as RCTab does (``shared/conformance/README.md``):

1. *Skipped ranks* – if more than ``max_skipped_ranks`` blank ranks lie between this marked
   rank and the previous one (or the top of the ballot), the ballot is inactive
   (``skippedRankings``). Trailing blanks never matter.
2. *Repeated names* – with ``exhaust_on_duplicate``, a name already seen higher up (even an
   eliminated one, even inside an overvote) makes the ballot inactive (``repeatedRankings``).
3. *Overvotes* (two or more names at one rank, or the ``#OVERVOTE`` marker) follow
   ``Rules.overvote``: ``exhaust`` → inactive (``overvotes``); ``skip`` → ignore the rank;
   ``exhaust-if-multiple`` → inactive only if two or more of the names are continuing, the
   vote goes to the one continuing name if there is exactly one, otherwise reading moves on
   (the unnamed ``#OVERVOTE`` marker exhausts under this rule: its names are unknown).
4. The first continuing name at a rank gets the vote.
5. Past the last marked rank with no continuing name: inactive (``exhaustedChoices``).

Exhaustion is permanent: the caller must never re-read an inactive ballot. Because the
continuing set only shrinks, re-reading from rank 1 gives the same answer as resuming where the
ballot stopped, but re-reading is what the rulebooks describe, so that is what we do.
"""

from __future__ import annotations

from collections.abc import Container
from dataclasses import dataclass
from enum import StrEnum

from counting.ballots import OVERVOTE, Position, Ranking
from counting.rules import Overvote, Rules


class Inactive(StrEnum):
    """Why a ballot stopped counting (RCTab's report keys, so results compare directly)."""

    OVERVOTES = "overvotes"
    SKIPPED = "skippedRankings"
    REPEATED = "repeatedRankings"
    EXHAUSTED_CHOICES = "exhaustedChoices"
    """No continuing candidate left on the ballot (the everyday kind of exhaustion)."""


INACTIVE_REASONS: tuple[Inactive, ...] = tuple(Inactive)
"""Every reason, in the order results list them."""


@dataclass(frozen=True, slots=True)
class BallotReader:
    """The ballot-reading options of ``Rules``, with ``read()`` applying them."""

    overvote: Overvote = Overvote.EXHAUST
    max_skipped_ranks: int | None = None
    exhaust_on_duplicate: bool = False

    @classmethod
    def from_rules(cls, rules: Rules) -> BallotReader:
        return cls(rules.overvote, rules.max_skipped_ranks, rules.exhaust_on_duplicate)

    def read(self, ranking: Ranking, continuing: Container[str]) -> str | Inactive:
        """The continuing candidate this ballot now counts for, or the reason it is inactive.

        ``continuing`` holds the candidates a vote may go to (not excluded, eliminated or,
        in STV, already elected). A blank ballot (no marks at all) reads as
        ``EXHAUSTED_CHOICES``; callers keep blank ballots out of the count beforehand.
        """
        last_marked = 0
        seen: set[str] = set()
        for rank, position in enumerate(ranking, start=1):
            if not position:
                continue
            if self.max_skipped_ranks is not None and rank - last_marked - 1 > (
                self.max_skipped_ranks
            ):
                return Inactive.SKIPPED
            last_marked = rank
            if self.exhaust_on_duplicate and _repeats(position, seen):
                return Inactive.REPEATED
            if len(position) > 1 or position[0] == OVERVOTE:
                outcome = self._overvote(position, continuing)
                if outcome is not None:
                    return outcome
            elif position[0] in continuing:
                return position[0]
        return Inactive.EXHAUSTED_CHOICES

    def _overvote(self, position: Position, continuing: Container[str]) -> str | Inactive | None:
        """Outcome of an overvoted rank, or ``None`` to read on."""
        if self.overvote is Overvote.EXHAUST:
            return Inactive.OVERVOTES
        if self.overvote is Overvote.SKIP:
            return None
        if position[0] == OVERVOTE:
            return Inactive.OVERVOTES
        live = [name for name in position if name in continuing]
        if len(live) > 1:
            return Inactive.OVERVOTES
        return live[0] if live else None


def _repeats(position: Position, seen: set[str]) -> bool:
    """True if a name at this rank was marked higher up (or earlier at this same rank)."""
    for name in position:
        if name in seen:
            return True
        seen.add(name)
    return False


def is_blank(ranking: Ranking) -> bool:
    """A ballot with no marks at all: not counted, and not reported as inactive either."""
    return not any(ranking)
