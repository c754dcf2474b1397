"""The rules in words: one line for people, and which methods read each option."""

from __future__ import annotations

import pytest

from counting.rules import Method, Overvote, Quota, Rules, StvVariant, TieBreak
from counting.rules_words import applies, describe

BURLINGTON = Rules(overvote=Overvote.EXHAUST_IF_MULTIPLE, batch_elimination=True)


def test_default_irv_reads_as_one_sentence() -> None:
    assert describe(Rules()) == (
        "alternative vote (IRV), 1 seat; "
        "an over-vote exhausts the ballot; skipped ranks are passed over; "
        "a repeated name is passed over; "
        "ties: the most recent earlier round where they differed, then a lot (seed 0)"
    )


def test_burlingtons_rules_are_named() -> None:
    text = describe(BURLINGTON)
    assert "batch elimination" in text
    assert "exhausts the ballot only if it marks two or more continuing candidates" in text


def test_every_irv_option_and_reading_rule_is_described() -> None:
    rules = Rules(
        threshold_from_first_round=True,
        continue_until_two=True,
        stop_after_round=3,
        overvote=Overvote.SKIP,
        max_skipped_ranks=1,
        exhaust_on_duplicate=True,
        tiebreak=TieBreak.FORWARD,
        seed=7,
        excluded=frozenset({"Zed", "Amy"}),
        write_in="Write-in",
        ron=True,
    )
    text = describe(rules)
    for words in (
        "threshold fixed at round 1",
        "counting continues until two remain",
        "stops after round 3",
        "an over-voted rank is skipped",
        "more than 1 skipped rank in a row exhaust the ballot",
        "a repeated name exhausts the ballot",
        "ties: the earliest round where they differed, then a lot (seed 7)",
        "withdrawn before the count: Amy, Zed",
        "undeclared write-ins pooled as Write-in",
        "re-open nominations (RON) stands",
    ):
        assert words in text


@pytest.mark.parametrize(
    ("rules", "words"),
    [
        (
            Rules(method=Method.STV, seats=3),
            "STV, 3 seats (Scottish rules of SSI 2007/42, Droop quota",
        ),
        (
            Rules(
                method=Method.STV,
                seats=2,
                stv_variant=StvVariant.WIGM,
                quota=Quota.HARE,
                decimal_places=4,
                one_winner_per_round=True,
            ),
            "STV, 2 seats (weighted inclusive Gregory, Hare quota, transfer values to 4 places)"
            "; one winner per round",
        ),
        (Rules(method=Method.STV, seats=2, stv_variant=StvVariant.MEEK), "STV, 2 seats (Meek)"),
        (Rules(method=Method.COLLEGE), "Labour electoral college, 1 seat;"),
        (Rules(method=Method.MULTI_PASS_IRV, seats=2), "multi-pass IRV, 2 seats;"),
        (Rules(method=Method.BOTTOMS_UP, seats=2, batch_elimination=True), "batch elimination"),
        (Rules(tiebreak=TieBreak.LOT, seed=3), "ties: a lot (seed 3)"),
        (Rules(tiebreak=TieBreak.CANDIDATE_ORDER), "ties: candidate order (as listed)"),
        (
            Rules(tiebreak=TieBreak.CANDIDATE_ORDER, tiebreak_order=("B", "A")),
            "ties: candidate order (B > A)",
        ),
        (Rules(tiebreak=TieBreak.ASK), "ties: decided by the returning officer"),
        (
            Rules(tiebreak=TieBreak.ASK, tiebreak_order=("B", "A")),
            "ties: decided by the returning officer (B > A)",
        ),
    ],
)
def test_each_method_and_tie_rule_in_words(rules: Rules, words: str) -> None:
    assert words in describe(rules)


def test_options_a_method_does_not_read_are_not_described() -> None:
    scottish = Rules(method=Method.STV, seats=2, batch_elimination=True, quota=Quota.HARE)
    assert "batch elimination" not in describe(scottish)
    assert not applies("quota", scottish)
    assert applies("quota", Rules(method=Method.STV, stv_variant=StvVariant.WIGM))
    assert applies("quota", Rules(method=Method.BOTTOMS_UP))
    assert not applies("continue_until_two", Rules(method=Method.COLLEGE))
    assert applies("overvote", Rules(method=Method.COLLEGE))
    assert applies("seed", Rules(method=Method.COLLEGE))
