"""Tie-breaking: every mode, the seeded lot (java.util.Random) and the records it leaves."""

from __future__ import annotations

import pytest

from counting.rules import Rules, TieBreak
from counting.tiebreak import (
    HASHSET_ORDER,
    JavaRandom,
    TieBreaker,
    TieNeedsDecisionError,
    java_hash_set_order,
    java_shuffle,
    java_string_hash,
)

NAMES = ("A", "B", "C", "D")


def breaker(mode: TieBreak, **kw: object) -> TieBreaker:
    tb = TieBreaker(Rules(tiebreak=mode, **kw), NAMES)  # type: ignore[arg-type]
    tb.record({"A": 5, "B": 3, "C": 3, "D": 3})
    tb.record({"A": 6, "B": 4, "C": 3, "D": 4})
    tb.record({"A": 6, "B": 4, "C": 4, "D": 4})
    return tb


def test_java_random_matches_the_jdk() -> None:
    # new Random(0).nextDouble() == 0.730967787376657 and new Random(42).nextInt(10) == 0, 3
    assert JavaRandom(0).next_double_bits() / 2**53 == 0.730967787376657
    rng = JavaRandom(42)
    assert [rng.next_int(10), rng.next_int(10)] == [0, 3]
    assert JavaRandom(7).next_int(8) == JavaRandom(7).next_bits(31) * 8 >> 31


def test_lot_index_rounds_like_a_java_double() -> None:
    # m = (2^54 - 1) / 3: m * 3 / 2^53 is just below 2 but rounds to 2.0 as a double.
    rng = JavaRandom(0)
    rng.next_double_bits = lambda: (2**54 - 1) // 3  # type: ignore[method-assign]
    assert rng.next_index(3) == 2


def test_string_hash_and_hash_set_order() -> None:
    assert java_string_hash("hello") == 99162322
    assert java_string_hash("") == 0
    names = ["Doc", "Dopey", "Sneezy", "Happy"]
    order = java_hash_set_order(names)
    assert sorted(order) == sorted(names)
    buckets = [(java_string_hash(n) ^ (java_string_hash(n) >> 16)) & 15 for n in order]
    assert buckets == sorted(buckets)


def test_shuffle_is_a_permutation_and_seeded() -> None:
    assert sorted(java_shuffle(NAMES, 3)) == list(NAMES)
    assert java_shuffle(NAMES, 3) == java_shuffle(NAMES, 3)


def test_backward_uses_most_recent_round_that_differs() -> None:
    name, record = breaker(TieBreak.BACKWARD).choose_loser(["B", "C", "D"], 3)
    assert name == "C"
    assert record.method == "backward"
    assert "round 2" in record.explanation
    assert record.tied == ("B", "C", "D")


def test_backward_winner_takes_most() -> None:
    name, _ = breaker(TieBreak.BACKWARD).choose_winner(["B", "C"], 3)
    assert name == "B"


def test_forward_uses_earliest_round_that_differs() -> None:
    tb = breaker(TieBreak.FORWARD)
    name, record = tb.choose_loser(["B", "C", "D"], 3)
    assert name == "C"
    assert "round 2" in record.explanation  # round 1 had them all equal


def test_look_back_falls_to_lot_when_no_round_separates() -> None:
    tb = breaker(TieBreak.BACKWARD, seed=5)
    name, record = tb.choose_loser(["B", "D"], 3)
    expected = ["B", "D"][JavaRandom(5).next_index(2)]
    assert name == expected
    assert record.method == "backward, then lot"


def test_round_one_tie_goes_to_lot() -> None:
    tb = TieBreaker(Rules(), NAMES)
    tb.record({"A": 1, "B": 1})
    _, record = tb.choose_loser(["A", "B"], 1)
    assert "No earlier round" in record.explanation


def test_lot_is_reproducible_and_explained() -> None:
    first = breaker(TieBreak.LOT, seed=9).choose_loser(["D", "B", "C"], 3)
    again = breaker(TieBreak.LOT, seed=9).choose_loser(["C", "B", "D"], 3)
    assert first == again
    assert "seed 9" in first[1].explanation
    assert "on 4 votes" in first[1].explanation


def test_candidate_order() -> None:
    tb = breaker(TieBreak.CANDIDATE_ORDER, tiebreak_order=("D", "C", "B", "A"))
    assert tb.choose_loser(["B", "C"], 3)[0] == "B"
    assert tb.choose_winner(["B", "C"], 3)[0] == "C"
    default = breaker(TieBreak.CANDIDATE_ORDER)
    assert default.choose_loser(["B", "C"], 3)[0] == "C"


def test_ask_raises_with_the_tie() -> None:
    with pytest.raises(TieNeedsDecisionError) as info:
        breaker(TieBreak.ASK).choose_loser(["B", "C"], 3)
    assert info.value.tied == ("B", "C")
    assert info.value.round == 3
    assert "B, C" in str(info.value)


def test_ask_with_the_returning_officers_order_decides_and_says_so() -> None:
    tb = breaker(TieBreak.ASK, tiebreak_order=("C", "B"))
    loser, record = tb.choose_loser(["B", "C"], 3)
    assert (loser, record.method) == ("B", "decided")
    assert record.explanation.endswith("The returning officer's order puts B last.")
    assert tb.choose_winner(["B", "C"], 3)[0] == "C"
    with pytest.raises(TieNeedsDecisionError) as info:
        tb.choose_loser(["B", "D"], 3)  # D was not in the decision
    assert info.value.tied == ("B", "D")


def test_hash_set_quirk_orders_the_survivors_before_the_lot() -> None:
    tied = ["Doc", "Dopey", "Sneezy", "Happy"]
    rules = Rules(seed=0, extra={HASHSET_ORDER: True})
    tb = TieBreaker(rules, tied)
    tb.record(dict.fromkeys(tied, 2))
    tb.record(dict.fromkeys(tied, 2))
    name, _ = tb.choose_loser(tied, 2)
    assert name == java_hash_set_order(sorted(tied))[JavaRandom(0).next_index(4)]


def test_a_tie_needs_two_names() -> None:
    with pytest.raises(ValueError, match="at least two"):
        breaker(TieBreak.LOT).choose_loser(["B"], 3)


def test_a_tie_without_recorded_rounds_still_breaks() -> None:
    tb = TieBreaker(Rules(tiebreak=TieBreak.LOT), NAMES)
    name, record = tb.choose_winner(["A", "B"], 1)
    assert name in {"A", "B"}
    assert "were tied for election" in record.explanation


def test_explanation_reads_as_plain_english() -> None:
    """One vote is "1 vote", and a loser tie is a tie for exclusion."""
    breaker = TieBreaker(Rules(tiebreak=TieBreak.LOT, seed=3), ("A", "B"))
    breaker.record({"A": 1, "B": 1})
    _, record = breaker.choose_loser(["A", "B"], 1)
    assert record.explanation.startswith("A and B were tied on 1 vote for exclusion.")
