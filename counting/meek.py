"""Meek STV (Hill, Wichmann & Woodall 1987; New Zealand Local Electoral Regulations 2001,
schedule 1A), in fixed-point integers so every recount gives the same digits.

Every candidate has a *keep factor* k (1 while hopeful, 0 once excluded, iterated for the
elected). Each ballot passes down its ranking: a candidate with keep factor k keeps k of the
value that reaches them and passes the rest on; what passes the last name is *excess*
(exhausted). Our exact choices:

* **Precision** – values and keep factors are integers in units of 10^-9 (``UNIT``). The
  amount a candidate keeps, value × k, is rounded **up** to the unit (as the NZ rules do), so
  nothing is created: tallies + excess = valid ballots, exactly, every iteration.
* **Quota** – recomputed every iteration as (votes − excess) / (seats + 1), i.e. the sum of
  the candidates' votes over seats + 1, truncated to 10^-9 and increased by 10^-9.
* **Election** – any hopeful with votes ≥ quota is elected (several at once, highest first).
* **Iteration** – each elected candidate's keep factor becomes k × quota / votes, rounded up
  to 10^-9 (never above 1). We iterate until every elected candidate's votes are at most
  ``TOLERANCE`` (10^-6 votes) above the quota, or the keep factors stop changing (the
  fixed-point arithmetic has converged), or after ``MAX_ITERATIONS``.
* **Exclusion** – then, if seats remain and there are more hopefuls than seats left, the
  hopeful with the fewest votes is excluded (keep factor 0; ties by ``rules.tiebreak``); when
  the hopefuls are no more than the seats left, they are all elected.

Ballot marks are read once, statically (Meek has no "continuing" set – elected candidates keep
receiving votes): a skipped-rank gap beyond ``max_skipped_ranks`` or an overvote under
``exhaust`` or ``exhaust-if-multiple`` ends the ballot; under ``skip`` the overvoted rank is
passed over; a repeated name ends the ballot under ``exhaust_on_duplicate`` and is otherwise
passed over. Excluded candidates (``rules.excluded``) start with keep factor 0.

Ballots are held in a prefix tree (a node per distinct ranking prefix), so ballots sharing a
prefix are computed once, and a subtree that receives no value is skipped: a ballot stops
costing anything once it reaches a hopeful (who keeps all of it).

Each ``Round`` is one converged iteration followed by one decision. ``transfers`` holds, for
the candidate excluded at the round's end, the *net* gain of every candidate (and of
``EXHAUSTED``) by the next round – Meek moves value by keep factors, not by parcels, so this
is the honest per-destination account.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from counting.ballots import OVERVOTE, Profile, Ranking
from counting.irv_piles import below_quota_note, last_seat_tie, lowest
from counting.reading import is_blank
from counting.result import EXHAUSTED, Result, Round, TieBreakRecord
from counting.rules import Overvote, Rules
from counting.tiebreak import TieBreaker

PLACES = 9
UNIT = 10**PLACES
TOLERANCE = 1000
"""Convergence: an elected candidate may sit at most 10^-6 votes (1000 units) above quota."""
MAX_ITERATIONS = 10_000


def count(profile: Profile, rules: Rules) -> Result:
    """Count ``profile`` by Meek STV for ``rules.seats`` seats."""
    return _MeekCount(profile, rules).run()


def read_statically(ranking: Ranking, rules: Rules, index: dict[str, int]) -> tuple[int, ...]:
    """The candidates a ballot passes through, in order (see the module docstring)."""
    out: list[int] = []
    last = 0
    for rank, position in enumerate(ranking, start=1):
        if not position:
            continue
        if rules.max_skipped_ranks is not None and rank - last - 1 > rules.max_skipped_ranks:
            break
        last = rank
        if len(position) > 1 or position[0] == OVERVOTE:
            if rules.overvote is Overvote.SKIP:
                continue
            break
        c = index[position[0]]
        if c in out:
            if rules.exhaust_on_duplicate:
                break
            continue
        out.append(c)
    return tuple(out)


class _Tree:
    """Rankings as a prefix tree in pre-order: node i holds one candidate; ``through[i]``
    ballots pass it, ``ends[i]`` stop there, ``skip[i]`` is the index after its subtree."""

    def __init__(self, sequences: dict[tuple[int, ...], int]) -> None:
        children: dict[tuple[int, ...], set[int]] = {(): set()}
        through: dict[tuple[int, ...], int] = {}
        ends: dict[tuple[int, ...], int] = {}
        for seq, n in sequences.items():
            for depth in range(1, len(seq) + 1):
                prefix = seq[:depth]
                children.setdefault(seq[: depth - 1], set()).add(seq[depth - 1])
                children.setdefault(prefix, set())
                through[prefix] = through.get(prefix, 0) + n
            ends[seq] = ends.get(seq, 0) + n
        self.cand: list[int] = []
        self.parent: list[int] = []
        self.through: list[int] = []
        self.ends: list[int] = []
        self.skip: list[int] = []
        stack: list[tuple[tuple[int, ...], int]] = [
            ((c,), -1) for c in sorted(children[()], reverse=True)
        ]
        while stack:
            prefix, parent = stack.pop()
            i = len(self.cand)
            self.cand.append(prefix[-1])
            self.parent.append(parent)
            self.through.append(through[prefix])
            self.ends.append(ends.get(prefix, 0))
            stack += [((*prefix, c), i) for c in sorted(children[prefix], reverse=True)]
        size = [1] * len(self.cand)
        for i in reversed(range(len(self.cand))):
            if self.parent[i] >= 0:
                size[self.parent[i]] += size[i]
        self.skip = [i + n for i, n in enumerate(size)]

    def distribute(self, keep: list[int], votes: list[int]) -> int:
        """Pour every ballot down the tree; add each candidate's votes; return the excess."""
        cand, parent, through, ends, skip = (
            self.cand,
            self.parent,
            self.through,
            self.ends,
            self.skip,
        )
        left = [0] * len(cand)
        excess = 0
        i = 0
        end = len(cand)
        while i < end:
            p = parent[i]
            value = UNIT if p < 0 else left[p]
            c = cand[i]
            kept = -(-value * keep[c] // UNIT)
            votes[c] += kept * through[i]
            rest = value - kept
            left[i] = rest
            if rest:
                excess += rest * ends[i]
                i += 1
            else:
                i = skip[i]
        return excess


class _MeekCount:
    def __init__(self, profile: Profile, rules: Rules) -> None:
        self.profile = profile
        self.rules = rules
        self.names = profile.candidates
        index = {name: i for i, name in enumerate(self.names)}
        sequences: dict[tuple[int, ...], int] = {}
        self.valid = 0
        self.dead = 0
        for ballot in profile.ballots:
            if is_blank(ballot.ranking):
                continue
            self.valid += ballot.count
            seq = read_statically(ballot.ranking, rules, index)
            if seq:
                sequences[seq] = sequences.get(seq, 0) + ballot.count
            else:
                self.dead += ballot.count
        self.tree = _Tree(sequences)
        self.keep = [UNIT] * len(self.names)
        self.hopeful = [c for c, name in enumerate(self.names) if name not in rules.excluded]
        for c in set(range(len(self.names))) - set(self.hopeful):
            self.keep[c] = 0
        self.elected: list[int] = []
        self.tiebreaker = TieBreaker(rules, profile.candidates)
        self.quota = 0
        self.votes: list[int] = []
        self.excess = 0

    def run(self) -> Result:
        steps: list[_Step] = []
        while True:
            number = len(steps) + 1
            newly = self._converge()
            step = _Step(self._tally(), self.quota, self.excess, newly)
            self.tiebreaker.record(step.tally)
            steps.append(step)
            left = self.rules.seats - len(self.elected)
            if left <= 0 or not self.hopeful:
                break
            if len(self.hopeful) <= left:
                filling = sorted(self.hopeful)
                step.note = below_quota_note([self.names[c] for c in filling], left, False)
                step.elected += self._elect(filling)
                break
            hopefuls = {self.names[c]: self.votes[c] for c in sorted(self.hopeful)}
            tie = last_seat_tie(hopefuls, left, self.tiebreaker, number)
            if tie is not None:
                step.elected += self._elect([self.names.index(tie[0])])
                step.record = tie[1]
                step.note = below_quota_note([tie[0]], left, True)
                break
            step.eliminated, step.record = self._exclude(number)
        rounds = tuple(self._round(steps, i) for i in range(len(steps)))
        winners = tuple(self.names[c] for c in self.elected)
        return Result(winners, rounds, self.rules, self.names, self.profile.total)

    # -- the iteration -------------------------------------------------------------------

    def _distribute(self) -> None:
        self.votes = [0] * len(self.names)
        self.excess = self.tree.distribute(self.keep, self.votes) + self.dead * UNIT
        self.quota = sum(self.votes) // (self.rules.seats + 1) + 1

    def _converge(self) -> list[int]:
        """Iterate keep factors to convergence, electing whoever reaches the quota."""
        newly: list[int] = []
        for _ in range(MAX_ITERATIONS):
            self._distribute()
            reached = [c for c in self.hopeful if self.votes[c] >= self.quota]
            if reached and len(self.elected) < self.rules.seats:
                reached.sort(key=lambda c: (-self.votes[c], self.names[c]))
                newly += self._elect(reached[: self.rules.seats - len(self.elected)])
                if len(self.elected) >= self.rules.seats:
                    break
                continue
            if not self._update_keep_factors():
                break
        return newly

    def _update_keep_factors(self) -> bool:
        """New keep factors for the elected; False once converged (nothing to change)."""
        if all(self.votes[c] - self.quota <= TOLERANCE for c in self.elected):
            return False
        changed = False
        for c in self.elected:
            new = min(UNIT, -(-self.keep[c] * self.quota // self.votes[c]))
            changed = changed or new != self.keep[c]
            self.keep[c] = new
        return changed

    def _elect(self, candidates: list[int]) -> list[int]:
        for c in candidates:
            self.hopeful.remove(c)
            self.elected.append(c)
        return candidates

    def _exclude(self, number: int) -> tuple[int, TieBreakRecord | None]:
        units = {self.names[c]: self.votes[c] for c in self.hopeful}
        name, record = lowest(units, self.tiebreaker, number)
        loser = self.names.index(name)
        self.hopeful.remove(loser)
        self.keep[loser] = 0
        return loser, record

    # -- the result ----------------------------------------------------------------------

    def _tally(self) -> dict[str, Fraction]:
        standing = set(self.hopeful) | set(self.elected)
        return {
            name: Fraction(self.votes[c], UNIT)
            for c, name in enumerate(self.names)
            if c in standing
        }

    def _round(self, steps: list[_Step], i: int) -> Round:
        step = steps[i]
        transfers: dict[str, dict[str, Fraction]] = {}
        if step.eliminated is not None and i + 1 < len(steps):
            after = steps[i + 1]
            gains = {
                name: votes - step.tally[name]
                for name, votes in after.tally.items()
                if votes > step.tally[name]
            }
            if after.excess > step.excess:
                gains[EXHAUSTED] = Fraction(after.excess - step.excess, UNIT)
            transfers[self.names[step.eliminated]] = gains
        return Round(
            number=i + 1,
            tally=step.tally,
            threshold=Fraction(step.quota, UNIT),
            elected=tuple(self.names[c] for c in step.elected),
            eliminated=() if step.eliminated is None else (self.names[step.eliminated],),
            transfers=transfers,
            exhausted=Fraction(step.excess, UNIT),
            tiebreaks=() if step.record is None else (step.record,),
            note=step.note,
        )


@dataclass
class _Step:
    """One converged iteration and the decision taken after it."""

    tally: dict[str, Fraction]
    quota: int
    excess: int
    elected: list[int]
    eliminated: int | None = None
    record: TieBreakRecord | None = None
    note: str = ""
