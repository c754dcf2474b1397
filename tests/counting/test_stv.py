"""STV as a whole (all three variants) and RCTab's WIGM count in particular.

The RCTab vectors themselves run in ``test_conformance.py``; here are the properties every
STV count must have, the ballot piles' reading fast path, and WIGM behaviours the vectors do
not pin down on their own.
"""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from counting import irv, quota
from counting.ballots import OVERVOTE, Ballot, Profile
from counting.engine import count
from counting.reading import BallotReader
from counting.result import RESIDUAL, Result
from counting.rules import Method, Overvote, Quota, Rules, StvVariant, TieBreak
from counting.stv_piles import Piles
from counting.wigm import FINAL_ROUND_SURPLUS

NAMES = ("A", "B", "C", "D", "E", "F")
FAST = settings(max_examples=50, deadline=None)
VARIANTS = list(StvVariant)


@st.composite
def profiles(draw: st.DrawFn, names: tuple[str, ...] = NAMES) -> Profile:
    n = draw(st.integers(2, len(names)))
    pool = names[:n]
    ranking = st.lists(st.sampled_from(pool), min_size=1, max_size=n, unique=True)
    groups = draw(st.lists(st.tuples(ranking, st.integers(1, 20)), min_size=1, max_size=12))
    return Profile.from_ballots(pool, [Ballot.of(*r, count=c) for r, c in groups])


def stv(variant: StvVariant, seats: int, **options: object) -> Rules:
    return Rules(method=Method.STV, seats=seats, stv_variant=variant, **options)  # type: ignore[arg-type]


def residual_before(result: Result, number: int) -> Fraction:
    """Truncation loss reported in transfers of rounds before ``number``."""
    return sum(
        (
            Fraction(moves.get(RESIDUAL, 0))
            for r in result.rounds[: number - 1]
            for moves in r.transfers.values()
        ),
        Fraction(0),
    )


# -- properties of every variant ----------------------------------------------------------


@FAST
@given(profiles(), st.integers(1, 4), st.sampled_from(VARIANTS))
def test_never_more_winners_than_seats(profile: Profile, seats: int, variant: StvVariant) -> None:
    result = count(profile, stv(variant, seats))
    assert len(result.winners) <= seats
    assert len(set(result.winners)) == len(result.winners)
    assert len(result.winners) == min(seats, len(profile.candidates))


AUTOMATIC_TIES = [mode for mode in TieBreak if mode is not TieBreak.ASK]


@settings(max_examples=200, deadline=None)
@given(
    profiles(),
    st.sampled_from(VARIANTS),
    st.sampled_from(AUTOMATIC_TIES),
    st.integers(0, 2**31),
)
def test_one_seat_stv_elects_the_irv_winner(
    profile: Profile, variant: StvVariant, mode: TieBreak, seed: int
) -> None:
    """One rulebook: every variant, every automatic tie-break mode, any seed (lots included)."""
    expected = irv.count(profile, Rules(tiebreak=mode, seed=seed)).winners
    assert count(profile, stv(variant, 1, tiebreak=mode, seed=seed)).winners == expected


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("mode", AUTOMATIC_TIES)
@pytest.mark.parametrize("seed", range(8))
def test_a_final_tie_for_the_last_seat_is_a_winner_tie_break(
    variant: StvVariant, mode: TieBreak, seed: int
) -> None:
    """A×3, B×2, (C, B)×1: A and B tie 3–3 once C is excluded; IRV elects by a winner tie-break
    (B with the lot), and one-seat STV must too, never exclude one of them by a loser lot."""
    profile = Profile.from_ballots(
        "ABC", [Ballot.of("A", count=3), Ballot.of("B", count=2), Ballot.of("C", "B")]
    )
    expected = irv.count(profile, Rules(tiebreak=mode, seed=seed))
    result = count(profile, stv(variant, 1, tiebreak=mode, seed=seed))
    assert result.winners == expected.winners
    (tie,) = [t for r in result.rounds for t in r.tiebreaks]
    assert (tie.selecting, tie.tied, tie.selected) == ("winner", ("A", "B"), result.winners[0])
    assert not any("A" in r.eliminated or "B" in r.eliminated for r in result.rounds)
    if mode is TieBreak.LOT:
        assert expected.winners == ("B",)


@FAST
@given(profiles(), st.integers(1, 4), st.sampled_from(VARIANTS))
def test_votes_are_conserved_every_round(profile: Profile, seats: int, variant: StvVariant) -> None:
    """tallies + exhausted + truncation loss (+ RCTab's final-round surplus) = valid ballots."""
    result = count(profile, stv(variant, seats))
    for r in result.rounds:
        final = Fraction(r.inactive.get(FINAL_ROUND_SURPLUS, 0))
        held = sum(r.tally.values(), Fraction(0)) + r.exhausted + final
        assert held + residual_before(result, r.number) == profile.total


@FAST
@given(profiles(), st.integers(1, 3), st.sampled_from(VARIANTS), st.randoms())
def test_ballot_order_never_changes_the_result(
    profile: Profile, seats: int, variant: StvVariant, rng: object
) -> None:
    ballots = list(profile.ballots)
    rng.shuffle(ballots)  # type: ignore[attr-defined]
    shuffled = Profile(profile.candidates, tuple(ballots))
    rules = stv(variant, seats)
    assert count(shuffled, rules).to_dict() == count(profile, rules).to_dict()


@FAST
@given(profiles(), st.integers(1, 3), st.sampled_from(VARIANTS))
def test_split_groups_count_like_grouped_ones(
    profile: Profile, seats: int, variant: StvVariant
) -> None:
    """A group of n ballots behaves exactly like n separate ballots."""
    single = [Ballot(b.ranking) for b in profile.ballots for _ in range(b.count)]
    split = Profile(profile.candidates, tuple(single))
    rules = stv(variant, seats)
    assert count(split, rules).to_dict() == count(profile, rules).to_dict()


# -- the ballot piles ---------------------------------------------------------------------


marks = st.one_of(
    st.sampled_from([("A",), ("B",), ("C",), ("D",), ()]),
    st.sampled_from([("A", "B"), ("C", "D"), (OVERVOTE,)]),
)


@settings(max_examples=80, deadline=None)
@given(
    st.lists(st.lists(marks, min_size=1, max_size=6), min_size=1, max_size=15),
    st.sampled_from(list(Overvote)),
    st.sampled_from([None, 0, 1]),
    st.booleans(),
    st.lists(st.sampled_from("ABCD"), unique=True),
)
def test_every_pile_holds_only_ballots_that_read_to_it(
    rankings: list[list[tuple[str, ...]]],
    overvote: Overvote,
    skipped: int | None,
    repeats: bool,
    leaving: list[str],
) -> None:
    """The plain-ballot fast path and ``BallotReader.read`` agree after every move."""
    profile = Profile.from_ballots("ABCD", [Ballot(tuple(r)) for r in rankings if any(r)])
    rules = Rules(overvote=overvote, max_skipped_ranks=skipped, exhaust_on_duplicate=repeats)
    piles = Piles(profile, rules, 1)
    reader = BallotReader.from_rules(rules)
    piles.first_count()
    for name in leaving:
        c = piles.index[name]
        piles.retire(c)
        piles.move(piles.take(c))
        piles.tally[c] = 0
        for holder in piles.continuing():
            for _, ids in piles.piles[holder].items():
                for b in ids:
                    assert reader.read(piles.ranking(b), piles.live_names) == piles.names[holder]
    counted = sum(piles.tally) + piles.exhausted
    assert counted == profile.total - piles.blank


def test_blank_ballots_are_not_counted_or_inactive() -> None:
    profile = Profile.from_ballots("AB", [Ballot(()), Ballot(((), ())), Ballot.of("A")])
    piles = Piles(profile, Rules(), 10)
    piles.first_count()
    assert piles.blank == 2
    assert piles.tally == [10, 0]
    assert piles.exhausted == 0


# -- quotas -------------------------------------------------------------------------------


def test_quotas() -> None:
    assert quota.droop(100, 3) == 26
    assert quota.droop(99, 2) == 34
    assert quota.droop_fractional(9, 3, 4) == Fraction("2.2501")
    assert quota.hare(100, 3) == 34
    assert quota.hare(99, 3) == 33
    assert quota.quota(Quota.HARE, 10, 4, 2) == 3
    assert quota.quota(Quota.DROOP_FRACTIONAL, 10, 2, 2) == Fraction("3.34")
    assert quota.quota(Quota.DROOP, 10, 2, 2) == 4


# -- WIGM as RCTab counts it --------------------------------------------------------------

WIGM = StvVariant.WIGM


def test_wigm_truncates_each_ballots_transfer_value() -> None:
    """T = 9, threshold 7 (2 seats, V = 18 → floor(18/3)+1): f = trunc(2/9, 4) = 0.2222;
    each of A's 9 ballots moves 0.2222, leaving 2 − 1.9998 = 0.0002 residual."""
    ballots = [Ballot.of("A", "B", count=9), Ballot.of("C", count=5), Ballot.of("B", count=4)]
    profile = Profile.from_ballots("ABC", ballots)
    result = count(profile, stv(WIGM, 2, decimal_places=4))
    first = result.rounds[0]
    assert first.threshold == 7
    assert first.elected == ("A",)
    assert first.transfers == {"A": {"B": Fraction("1.9998"), RESIDUAL: Fraction("0.0002")}}
    second = result.rounds[1]
    assert second.tally == {"A": 7, "B": Fraction("5.9998"), "C": 5}
    assert result.winners == ("A", "B")


def test_wigm_one_winner_per_round_takes_the_highest() -> None:
    ballots = [Ballot.of("A", "C", count=6), Ballot.of("B", "C", count=5), Ballot.of("C")]
    profile = Profile.from_ballots("ABC", ballots)
    result = count(profile, stv(WIGM, 2, one_winner_per_round=True))
    assert result.rounds[0].elected == ("A",)
    assert result.rounds[1].elected == ("B",)
    assert result.winners == ("A", "B")


def test_wigm_one_winner_per_round_breaks_a_tie_for_the_top() -> None:
    ballots = [Ballot.of("A", count=4), Ballot.of("B", count=4), Ballot.of("C")]
    profile = Profile.from_ballots("ABC", ballots)
    rules = stv(WIGM, 2, one_winner_per_round=True, tiebreak=TieBreak.CANDIDATE_ORDER)
    result = count(profile, rules)
    assert result.rounds[0].elected == ("A",)
    assert result.rounds[0].tiebreaks[0].selecting == "winner"


def test_wigm_write_in_pool_cannot_win_and_goes_first() -> None:
    ballots = [Ballot.of("W", count=6), Ballot.of("A", count=5), Ballot.of("B", count=3)]
    profile = Profile.from_ballots("ABW", ballots)
    result = count(profile, stv(WIGM, 1, write_in="W"))
    assert result.rounds[0].eliminated == ("W",)
    assert result.rounds[0].elected == ()
    assert "W" not in result.winners


def test_wigm_excluded_candidates_never_count() -> None:
    ballots = [Ballot.of("X", "A", count=6), Ballot.of("A", count=1), Ballot.of("B", count=4)]
    profile = Profile.from_ballots("ABX", ballots)
    result = count(profile, stv(WIGM, 1, excluded=frozenset({"X"})))
    assert "X" not in result.rounds[0].tally
    assert result.rounds[0].tally["A"] == 7
    assert result.winners == ("A",)


def test_wigm_counts_overvotes_by_the_rules() -> None:
    ballots = [Ballot((("A", "B"), ("C",)), 3), Ballot.of("A", count=2), Ballot.of("B", count=2)]
    profile = Profile.from_ballots("ABC", ballots)
    skip = count(profile, stv(WIGM, 1, overvote=Overvote.SKIP))
    assert skip.rounds[0].tally == {"A": 2, "B": 2, "C": 3}
    exhaust = count(profile, stv(WIGM, 1, overvote=Overvote.EXHAUST))
    assert exhaust.rounds[0].inactive["overvotes"] == 3


def test_wigm_more_seats_than_candidates_stops_at_once() -> None:
    profile = Profile.from_ballots("AB", [Ballot.of("A", count=3), Ballot.of("B")])
    result = count(profile, stv(WIGM, 3))
    assert result.winners == ("A", "B")
    assert len(result.rounds) == 1
    assert result.rounds[0].inactive[FINAL_ROUND_SURPLUS] == 0


def test_wigm_stops_when_nobody_is_left_to_count() -> None:
    """Only the write-in pool and nothing else: it is eliminated and the count ends empty."""
    profile = Profile.from_ballots("AW", [Ballot.of("W", count=3)])
    result = count(profile, stv(WIGM, 2, write_in="W", excluded=frozenset({"A"})))
    assert result.winners == ()
    assert result.rounds[0].eliminated == ("W",)
    assert result.rounds[-1].tally == {}


def test_stv_rejects_rules_naming_unknown_candidates() -> None:
    profile = Profile.from_ballots("AB", [Ballot.of("A")])
    with pytest.raises(ValueError, match="excluded"):
        count(profile, stv(WIGM, 1, excluded=frozenset({"Z"})))


@pytest.mark.parametrize("variant", [StvVariant.SCOTTISH, StvVariant.WIGM])
def test_the_last_seat_filled_below_quota_is_explained(variant: StvVariant) -> None:
    """Quota 5 of 13: A is elected, D then C are excluded with nowhere to go, and B (4) is
    the only one left for the last seat."""
    ballots = [
        Ballot.of("A", "C", count=6),
        Ballot.of("B", count=4),
        Ballot.of("C", count=2),
        Ballot.of("D", count=1),
    ]
    result = count(Profile.from_ballots("ABCD", ballots), stv(variant, 2))
    assert result.winners == ("A", "B")
    (round_,) = [r for r in result.rounds if "B" in r.elected]
    assert "B fills the last seat without reaching the quota" in round_.note
    assert "no more candidates continue than seats remain" in round_.note


@pytest.mark.parametrize("variant", VARIANTS)
def test_a_last_seat_tie_says_the_seat_went_by_tie_break(variant: StvVariant) -> None:
    ballots = [Ballot.of("B", count=7), Ballot.of("D", count=8)]
    result = count(Profile.from_ballots("ABCD", ballots), stv(variant, 3))
    (round_,) = [r for r in result.rounds if r.tiebreaks]
    winner = round_.tiebreaks[0].selected
    assert f"{winner} takes the last seat without reaching the quota" in round_.note


@pytest.mark.parametrize("variant", VARIANTS)
def test_several_candidates_filling_the_seats_are_listed_together(variant: StvVariant) -> None:
    """Four seats, votes for B and D only: once one of the zero-vote A, C and E is excluded,
    the other two fill the last two seats."""
    ballots = [Ballot.of("B", count=7), Ballot.of("D", count=8)]
    result = count(Profile.from_ballots("ABCDE", ballots), stv(variant, 4))
    last_two = " and ".join(sorted(set("ACE") - {n for r in result.rounds for n in r.eliminated}))
    notes = [r.note for r in result.rounds]
    assert any(f"{last_two} are elected without reaching the quota" in n for n in notes), notes


def test_a_repeated_name_that_exhausts_takes_the_careful_reading_path() -> None:
    """Deterministic cover for what the property above reaches only by chance."""
    profile = Profile.from_ballots("AB", [Ballot.of("A", "B", "A")])
    careful = Piles(profile, Rules(exhaust_on_duplicate=True), 1)
    assert careful.ranks == [(0, careful.slow)]
    assert careful.careful == {0: profile.ballots[0].ranking}
    plain = Piles(profile, Rules(), 1)
    assert plain.ranks == [(0, 1, 2, 1, 0)]
    assert plain.careful == {}
