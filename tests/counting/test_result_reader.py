"""``result_from_dict`` is the exact inverse of ``Result.to_dict`` for what the engine makes:
every method (one with passes, one with college sections and re-shared points), seeded
tie-breaks, fractional STV transfers, and after a trip through JSON text (as stored)."""

from __future__ import annotations

import json

import pytest

from counting.ballots import Ballot, Profile
from counting.engine import count
from counting.result import Result
from counting.result_reader import result_from_dict
from counting.rules import Method, Rules, StvVariant, TieBreak
from tests.counting.test_college import small_college

FIVE = "ABCDE"
BALLOTS = [
    Ballot.of("A", "B", count=7),
    Ballot.of("B", "C", "A", count=5),
    Ballot.of("C", "B", count=4),
    Ballot.of("D", "E", count=3),
    Ballot.of("E", count=3),
    Ballot.of("C", "D", "A", count=2),
]
TIED = [Ballot.of("A", count=2), Ballot.of("B", "A", count=2), Ballot.of("C", count=3)]


def _cases() -> list[tuple[str, Profile, Rules]]:
    five = Profile.from_ballots(FIVE, BALLOTS)
    tied = Profile.from_ballots("ABC", TIED)
    return [
        ("irv", five, Rules()),
        ("irv lot", tied, Rules(tiebreak=TieBreak.LOT, seed=7)),
        ("scottish", five, Rules(method=Method.STV, seats=2)),
        ("wigm", five, Rules(method=Method.STV, seats=3, stv_variant=StvVariant.WIGM)),
        ("meek", five, Rules(method=Method.STV, seats=2, stv_variant=StvVariant.MEEK)),
        ("multipass", five, Rules(method=Method.MULTI_PASS_IRV, seats=2)),
        ("college", small_college(), Rules(method=Method.COLLEGE)),
    ]


@pytest.mark.parametrize(("name", "profile", "rules"), _cases(), ids=[c[0] for c in _cases()])
def test_a_stored_result_reads_back_equal(name: str, profile: Profile, rules: Rules) -> None:
    result = count(profile, rules)
    stored = json.loads(json.dumps(result.to_dict()))
    back = result_from_dict(stored)
    assert back == result
    assert back.to_dict() == result.to_dict()


def test_the_cases_cover_passes_sections_tiebreaks_and_fractions() -> None:
    results = {name: count(p, r) for name, p, r in _cases()}
    assert results["multipass"].passes
    assert any(r.sections for r in results["college"].rounds)
    assert results["irv lot"].tiebreaks
    assert any(
        "/" in v or "." in v
        for r in results["meek"].to_dict()["rounds"]
        for v in r["tally"].values()
    )


def test_a_tiebreak_selecting_neither_loser_nor_winner_is_refused() -> None:
    result = count(Profile.from_ballots("ABC", TIED), Rules(tiebreak=TieBreak.LOT, seed=7))
    data = result.to_dict()
    tied_round = next(r for r in data["rounds"] if r["tiebreaks"])
    tied_round["tiebreaks"][0]["selecting"] = "middle"
    with pytest.raises(ValueError, match="loser or winner"):
        result_from_dict(data)


def test_rules_come_back_as_rules() -> None:
    result: Result = count(Profile.from_ballots(FIVE, BALLOTS), Rules(method=Method.STV, seats=2))
    assert result_from_dict(result.to_dict()).rules == result.rules
