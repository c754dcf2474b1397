"""Hypothesis properties of IRV (kept to modest example counts so the suite stays fast)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from counting.ballots import Ballot, Profile
from counting.engine import count
from counting.result import Result
from counting.rules import Rules, TieBreak

NAMES = ("A", "B", "C", "D", "E")
FAST = settings(max_examples=60, deadline=None)


@st.composite
def profiles(draw: st.DrawFn) -> Profile:
    n = draw(st.integers(2, len(NAMES)))
    names = NAMES[:n]
    ranking = st.lists(st.sampled_from(names), min_size=1, max_size=n, unique=True)
    groups = draw(st.lists(st.tuples(ranking, st.integers(1, 30)), min_size=1, max_size=12))
    return Profile.from_ballots(names, [Ballot.of(*r, count=c) for r, c in groups])


rule_sets = st.builds(
    Rules,
    tiebreak=st.sampled_from(list(TieBreak.__members__.values())).filter(
        lambda t: t is not TieBreak.ASK
    ),
    seed=st.integers(0, 2**31),
    batch_elimination=st.booleans(),
    continue_until_two=st.booleans(),
    threshold_from_first_round=st.booleans(),
)


@FAST
@given(profiles(), rule_sets)
def test_votes_are_conserved_every_round(profile: Profile, rules: Rules) -> None:
    result = count(profile, rules)
    for r in result.rounds:
        assert sum(r.tally.values()) + r.exhausted == profile.total
        assert r.exhausted == sum(r.inactive.values())
    for before, after in zip(result.rounds, result.rounds[1:], strict=False):
        for source, moves in before.transfers.items():
            assert sum(moves.values()) == before.tally[source]
        assert after.exhausted >= before.exhausted


@FAST
@given(profiles(), rule_sets)
def test_majority_first_preference_wins_round_one(profile: Profile, rules: Rules) -> None:
    first = {c: 0 for c in profile.candidates}
    for b in profile.ballots:
        first[b.ranking[0][0]] += b.count
    leader = max(first, key=lambda c: first[c])
    result = count(profile, rules)
    if 2 * first[leader] > profile.total:
        assert result.winners == (leader,)
        assert result.rounds[0].elected == (leader,)


def beats(profile: Profile, x: str, y: str) -> int:
    """Ballots preferring x to y minus ballots preferring y to x (unranked = last)."""
    margin = 0
    for b in profile.ballots:
        names = b.names()
        rx = names.index(x) if x in names else len(names)
        ry = names.index(y) if y in names else len(names)
        margin += b.count * ((rx < ry) - (ry < rx))
    return margin


@FAST
@given(profiles(), rule_sets)
def test_condorcet_loser_never_wins(profile: Profile, rules: Rules) -> None:
    result = count(profile, rules)
    for loser in profile.candidates:
        others = [c for c in profile.candidates if c != loser]
        if all(beats(profile, other, loser) > 0 for other in others):
            assert loser not in result.winners


def reordered(result: Result) -> dict[str, object]:
    return result.to_dict()


@FAST
@given(profiles(), rule_sets, st.randoms(use_true_random=False))
def test_ballot_order_never_changes_the_result(profile: Profile, rules: Rules, rnd: object) -> None:
    ballots = list(profile.ballots)
    rnd.shuffle(ballots)  # type: ignore[attr-defined]
    shuffled = Profile(profile.candidates, tuple(ballots))
    expanded = Profile.from_ballots(
        profile.candidates, [Ballot(b.ranking) for b in ballots for _ in range(b.count)]
    )
    original = count(profile, rules).to_dict()
    assert count(shuffled, rules).to_dict() == original
    assert count(expanded, rules).to_dict() == original


@FAST
@given(profiles(), rule_sets)
def test_same_input_same_result(profile: Profile, rules: Rules) -> None:
    assert count(profile, rules).to_dict() == count(profile, rules).to_dict()
