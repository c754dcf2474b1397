"""Ballot piles for the IRV family: which ballot groups count for which candidate.

Each candidate holds a pile of ballot groups (indices into the profile's grouped ballots) with
whole-vote values, so a round's tally is a dictionary lookup and an exclusion re-reads only the
excluded candidates' piles – the work of a round is proportional to the ballots that move, not
to the size of the electorate. Used by ``irv``, ``bottoms_up`` and (through ``irv``)
``multipass``; the helpers below hold the exclusion rules they share. (STV has its own
fractional piles in ``counting.stv_piles``.) A ``NumberedProfile``'s plain groups are read by
number, resuming after the name they last counted for; every other group by ``BallotReader``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from counting.ballots import Profile, Ranking
from counting.numbered import NumberedProfile
from counting.reading import INACTIVE_REASONS, BallotReader, Inactive, is_blank
from counting.result import EXHAUSTED, Number, TieBreakRecord
from counting.rules import RON, Rules
from counting.tiebreak import TieBreaker


class Piles:
    """Where every counted ballot sits, and the cumulative inactive ballots by reason."""

    def __init__(self, profile: Profile, reader: BallotReader, continuing: Sequence[str]) -> None:
        self.reader = reader
        self.names = profile.candidates
        self.numbers: list[Sequence[int]] = []
        """Numbered profiles only: each group's BLT line ``[weight, numbers..., 0]``."""
        self.careful: dict[int, Ranking] = {}
        """Groups ``reader`` must read by name: all of a named profile; of a numbered one,
        those repeating a name when repeats exhaust."""
        if isinstance(profile, NumberedProfile):
            self.counts = self._load_numbers(profile)
        else:
            groups = [b for b in profile.ballots if not is_blank(b.ranking)]
            self.careful = {i: b.ranking for i, b in enumerate(groups)}
            self.counts = [b.count for b in groups]
        self.pos = [0] * len(self.counts)
        self.blank = profile.total - sum(self.counts)
        self.order = tuple(continuing)
        self.continuing = set(continuing)
        self.piles: dict[str, list[int]] = {name: [] for name in continuing}
        self.votes: dict[str, int] = dict.fromkeys(continuing, 0)
        self.inactive: dict[str, int] = dict.fromkeys(INACTIVE_REASONS, 0)
        for index in range(len(self.counts)):
            self._place(index)

    def _load_numbers(self, profile: NumberedProfile) -> list[int]:
        """Counted groups' lines (blank ballots left out); returns their counts."""
        kept = [i for i, line in enumerate(profile.lines) if len(line) > 2]
        self.numbers = [profile.lines[i] for i in kept]
        if self.reader.exhaust_on_duplicate:
            for index, line in enumerate(self.numbers):
                if len(set(line[1:-1])) != len(line) - 2:
                    self.careful[index] = profile.named(kept[index])
        return [profile.counts[i] for i in kept]

    def _read(self, index: int) -> str | Inactive:
        """Where group ``index`` now counts. A plain ranking (one name per rank, no repeat
        that exhausts) resumes after the name it last counted for: the continuing set only
        shrinks, so that is where reading from rank 1 would stop too."""
        if index in self.careful:
            return self.reader.read(self.careful[index], self.continuing)
        line, names, continuing = self.numbers[index], self.names, self.continuing
        p = self.pos[index] + 1
        while number := line[p]:  # the closing 0 ends the ranking
            if names[number - 1] in continuing:
                self.pos[index] = p
                return names[number - 1]
            p += 1
        return Inactive.EXHAUSTED_CHOICES

    def _place(self, index: int) -> str:
        """Read ballot group ``index`` and put it on its pile; return where it went."""
        where = self._read(index)
        if isinstance(where, Inactive):
            self.inactive[where] += self.counts[index]
            return EXHAUSTED
        self.piles[where].append(index)
        self.votes[where] += self.counts[index]
        return where

    def tally(self) -> dict[str, int]:
        """Votes of each continuing candidate, in candidate-list order."""
        return {name: self.votes[name] for name in self.order if name in self.continuing}

    def remove(self, names: Iterable[str]) -> dict[str, dict[str, int]]:
        """Stop ``names`` continuing and move their ballots on; return the transfers made.

        All names leave the continuing set before any ballot is re-read, so a batch
        exclusion never passes a ballot from one excluded candidate to another.
        """
        wanted = set(names)
        leaving = [name for name in self.order if name in wanted]
        self.continuing.difference_update(leaving)
        transfers: dict[str, dict[str, int]] = {}
        for name in leaving:
            moves: dict[str, int] = {}
            for index in self.piles.pop(name):
                where = self._place(index)
                moves[where] = moves.get(where, 0) + self.counts[index]
            del self.votes[name]
            if moves:
                transfers[name] = moves
        return transfers

    def inactive_snapshot(self) -> dict[str, int]:
        return dict(self.inactive)


def check_names(profile: Profile, rules: Rules) -> None:
    """Reject rules that name candidates the profile does not have."""
    known = set(profile.candidates)
    unknown = sorted(rules.excluded - known)
    if unknown:
        raise ValueError(f"excluded candidate(s) not on the ballot: {', '.join(unknown)}")
    if rules.write_in is not None and rules.write_in not in known:
        raise ValueError(f"write-in candidate {rules.write_in!r} is not on the ballot")
    if rules.ron and RON not in known:
        raise ValueError(f"rules.ron is set but the ballot has no {RON!r} candidate")
    if not known - rules.excluded:
        raise ValueError("every candidate is excluded: nobody can be counted")


def batch_group(tally: Mapping[str, int], keep_two: bool) -> list[str]:
    """The largest group of lowest candidates whose combined votes are fewer than the next
    candidate's (only groups of two or more count; empty if none).

    With ``keep_two`` (continue until two remain) a group that would leave a single candidate
    gives way to the next smaller qualifying group, as RCTab does.
    """
    ranked = sorted(tally.items(), key=lambda item: item[1])
    sizes: list[int] = []
    running = 0
    for i, (_, votes) in enumerate(ranked):
        if i > 0 and running < votes:
            sizes.append(i)
        running += votes
    if keep_two and sizes and sizes[-1] == len(ranked) - 1:
        sizes.pop()
    if not sizes or sizes[-1] < 2:
        return []
    return [name for name, _ in ranked[: sizes[-1]]]


def lowest(
    tally: Mapping[str, int], tiebreaker: TieBreaker, round_number: int
) -> tuple[str, TieBreakRecord | None]:
    """The one candidate with the fewest votes, a tie broken by the tie-break rule."""
    fewest = min(tally.values())
    tied = [name for name, votes in tally.items() if votes == fewest]
    if len(tied) == 1:
        return tied[0], None
    return tiebreaker.choose_loser(tied, round_number)


def highest(
    tally: Mapping[str, int], names: Iterable[str], tiebreaker: TieBreaker, round_number: int
) -> tuple[str, TieBreakRecord | None]:
    """The one of ``names`` with the most votes, a tie broken by the tie-break rule."""
    pool = list(names)
    most = max(tally[name] for name in pool)
    tied = [name for name in pool if tally[name] == most]
    if len(tied) == 1:
        return tied[0], None
    return tiebreaker.choose_winner(tied, round_number)


def last_seat_tie(
    tally: Mapping[str, Number], seats_left: int, tiebreaker: TieBreaker, round_number: int
) -> tuple[str, TieBreakRecord] | None:
    """The winner when the last two continuing candidates tie for the last seat, else None.

    One rulebook for IRV and every STV variant (RCTab counts it so): a final-round tie for the
    last seat is a *winner* tie-break, never an exclusion, so one-seat STV elects the IRV
    winner under every tie-break mode and seed (a lot drawn for a winner and one drawn for a
    loser pick opposite names). ``tally`` holds the continuing candidates only.
    """
    if seats_left != 1 or len(tally) != 2:
        return None
    (first, a), (second, b) = tally.items()
    if a != b:
        return None
    return tiebreaker.choose_winner([first, second], round_number)


def below_quota_note(names: Sequence[str], seats_left: int, by_tie: bool) -> str:
    """Why STV elected ``names`` without the quota: they fill the seats left (or won the
    last-seat tie-break, ``by_tie``), so readers are not left wondering."""
    if by_tie:
        return (
            f"{names[0]} takes the last seat without reaching the quota: the last two "
            "continuing candidates were tied (winner tie-break)"
        )
    reason = "without reaching the quota: no more candidates continue than seats remain"
    if len(names) == 1 and seats_left == 1:
        return f"{names[0]} fills the last seat {reason}"
    listed = ", ".join(names[:-1]) + f" and {names[-1]}" if len(names) > 1 else names[0]
    return f"{listed} {'is' if len(names) == 1 else 'are'} elected {reason}"
