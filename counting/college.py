"""The weighted electoral college Labour used for its leadership elections until 2010.

Ballots belong to *sections* (in 2010: MPs and MEPs, members, affiliated organisations), each
worth a fixed share of the college. Weights are relative (``Profile.sections``) and normalised
so that they sum to 100 points; with no weights every section named on a ballot counts equally
(ballots without a section form one section of their own).

Each round, every section is counted as an IRV round of its own (``counting.reading``: a ballot
counts for its highest continuing preference), and a candidate scores

    Σ over sections  (their votes in the section ÷ the section's non-exhausted votes) × points

where a section whose ballots have all exhausted scores nobody. A candidate with **more than
50 points** is elected (exactly 50 is not enough; ``Round.threshold`` shows the 50). Otherwise
the **one** candidate with the fewest points is excluded everywhere at once (a tie broken by
``rules.tiebreak``) and their ballots move on in every section. When two candidates remain and
neither passes 50 (a tie, or sections that have exhausted) the one with more points wins, a tie
being a winner tie-break.

``Round.tally`` holds points as exact ``Fraction``s, ``Round.sections`` each section's vote
tally, ``exhausted``/``inactive`` the ballots that stopped counting (all sections together),
``transfers`` for the excluded candidate the points their *ballots* carried to each
candidate (and to ``EXHAUSTED``), each ballot valued at its section's points ÷ the section's
non-exhausted ballots before it moved. ``renormalised`` is the separate effect of exhaustion:
a section's points are re-shared over its remaining ballots, so every candidate with ballots
there gains although no ballot moved to them (a section whose ballots have all exhausted
re-shares nothing; its points are lost). Tally(next) = tally + transfers + renormalised.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from counting.ballots import Profile
from counting.irv_piles import Piles, check_names
from counting.reading import BallotReader
from counting.result import Result, Round, TieBreakRecord, format_number
from counting.rules import Rules
from counting.tiebreak import TieBreaker

POINTS = Fraction(100)
HALF = POINTS / 2


def section_points(profile: Profile) -> dict[str | None, Fraction]:
    """Each section's share of the 100 points (equal shares when no weights are given)."""
    weights: dict[str | None, Fraction]
    if profile.sections:
        weights = {name: Fraction(w) for name, w in profile.sections.items()}
    else:
        weights = {b.section: Fraction(1) for b in profile.ballots}
    total = sum(weights.values(), Fraction(0))
    return {name: POINTS * weight / total for name, weight in weights.items()}


def count(profile: Profile, rules: Rules) -> Result:
    """Count ``profile`` as a weighted electoral college (one winner)."""
    check_names(profile, rules)
    return _CollegeCount(profile, rules).run()


@dataclass
class _Step:
    points: dict[str, Fraction]
    sections: dict[str, dict[str, int]]
    inactive: dict[str, int]
    live: dict[str | None, int]
    """Each section's non-exhausted ballots this round."""
    elected: str | None = None
    moved: dict[str | None, dict[str, int]] | None = None
    """Where the excluded candidate's ballots went, per section (ballots, not points)."""
    eliminated: str | None = None
    record: TieBreakRecord | None = None


class _CollegeCount:
    def __init__(self, profile: Profile, rules: Rules) -> None:
        self.profile = profile
        self.rules = rules
        self.points = section_points(profile)
        reader = BallotReader.from_rules(rules)
        standing = [c for c in profile.candidates if c not in rules.excluded]
        self.piles: dict[str | None, Piles] = {}
        for section in self.points:
            ballots = tuple(b for b in profile.ballots if b.section == section)
            part = Profile(profile.candidates, ballots)
            self.piles[section] = Piles(part, reader, standing)
        self.standing = standing
        self.tiebreaker = TieBreaker(rules, profile.candidates)

    def run(self) -> Result:
        steps: list[_Step] = []
        while True:
            number = len(steps) + 1
            step = self._tally()
            steps.append(step)
            self.tiebreaker.record(step.points)
            step.elected, step.record = self._winner(step.points, number)
            if step.elected is not None:
                break
            step.eliminated, step.record = self._loser(step.points, number)
            step.moved = {
                section: piles.remove([step.eliminated]).get(step.eliminated, {})
                for section, piles in self.piles.items()
            }
            self.standing.remove(step.eliminated)
        rounds = tuple(_round(steps, i, self.points) for i in range(len(steps)))
        winner = steps[-1].elected
        return Result(
            () if winner is None else (winner,),
            rounds,
            self.rules,
            self.profile.candidates,
            self.profile.total,
        )

    def _tally(self) -> _Step:
        points = dict.fromkeys(self.standing, Fraction(0))
        sections: dict[str, dict[str, int]] = {}
        inactive: dict[str, int] = {}
        lives: dict[str | None, int] = {}
        for section, piles in self.piles.items():
            votes = piles.tally()
            sections["all" if section is None else section] = votes
            for reason, n in piles.inactive_snapshot().items():
                inactive[reason] = inactive.get(reason, 0) + n
            live = lives[section] = sum(votes.values())
            if not live:
                continue
            for name, n in votes.items():
                points[name] += self.points[section] * n / live
        return _Step(points, sections, inactive, lives)

    def _winner(
        self, points: dict[str, Fraction], number: int
    ) -> tuple[str | None, TieBreakRecord | None]:
        over = [name for name, p in points.items() if p > HALF]
        if over:
            return over[0], None
        if len(points) > 2:
            return None, None
        best = max(points.values())
        tied = [name for name, p in points.items() if p == best]
        if len(tied) == 1:
            return tied[0], None
        return self.tiebreaker.choose_winner(tied, number)

    def _loser(self, points: dict[str, Fraction], number: int) -> tuple[str, TieBreakRecord | None]:
        fewest = min(points.values())
        tied = [name for name, p in points.items() if p == fewest]
        if len(tied) == 1:
            return tied[0], None
        return self.tiebreaker.choose_loser(tied, number)


def _moves(step: _Step, points: dict[str | None, Fraction]) -> dict[str, Fraction]:
    """The points the excluded candidate's ballots carried to each destination: a ballot is
    worth its section's points ÷ the section's non-exhausted ballots *before* it moved."""
    carried: dict[str, Fraction] = {}
    for section, moves in (step.moved or {}).items():
        for destination, n in moves.items():
            value = points[section] * n / step.live[section]
            carried[destination] = carried.get(destination, Fraction(0)) + value
    return carried


def _renormalised(step: _Step, after: _Step, carried: dict[str, Fraction]) -> dict[str, Fraction]:
    """What each candidate gained because exhausted ballots left their sections: the section's
    points are re-shared over fewer ballots. No ballot moves; a dry section re-shares nothing."""
    gains = {
        name: p - step.points[name] - carried.get(name, Fraction(0))
        for name, p in after.points.items()
    }
    return {name: gain for name, gain in gains.items() if gain}


def _note(step: _Step) -> str:
    if step.elected is None:
        return ""
    if step.points[step.elected] > HALF:
        return f"{step.elected} elected with more than 50 points"
    if step.record is not None:
        return (
            f"the last two are tied on {format_number(step.points[step.elected])} points: "
            f"{step.elected} elected by tie-break"
        )
    return (
        f"{step.elected} elected with the most points of the last two (50 or fewer: "
        "some sections' ballots have exhausted)"
    )


def _round(steps: list[_Step], i: int, points: dict[str | None, Fraction]) -> Round:
    step = steps[i]
    transfers: dict[str, dict[str, Fraction]] = {}
    renormalised: dict[str, Fraction] = {}
    if step.eliminated is not None:
        carried = _moves(step, points)
        transfers[step.eliminated] = carried
        renormalised = _renormalised(step, steps[i + 1], carried)
    return Round(
        number=i + 1,
        tally=step.points,
        threshold=HALF,
        elected=() if step.elected is None else (step.elected,),
        eliminated=() if step.eliminated is None else (step.eliminated,),
        transfers=transfers,
        exhausted=sum(step.inactive.values()),
        inactive=step.inactive,
        tiebreaks=() if step.record is None else (step.record,),
        sections={k: dict(v) for k, v in step.sections.items()},
        renormalised=renormalised,
        note=_note(step),
    )
