"""Every RCTab conformance vector in ``tests/data/conformance/rctab``, recounted and compared.

For each vector we map RCTab's rules to ours (``counting.formats.rctab``), count its ballots and
compare, round by round: tallies, threshold, elected and eliminated (as sets, since order within
a round carries no meaning), inactive ballots by reason, the exhausted total and transfers; plus
winners, the ties RCTab had to break and the summary totals. Numbers are compared as decimals
(RCTab's BigDecimal scale wanders: "9452" vs "9452.0000").

Documented differences from a byte-for-byte comparison, and nothing else:
* transfers of zero value are dropped on both sides (RCTab does not list them);
* ``winners`` is compared as a set; the order of election is checked through each round's
  ``elected`` set (RCTab lists same-round winners in an order that carries no meaning);
* ``inactive`` may carry STV's ``finalRoundSurplus``, which is not an inactive ballot and so is
  not part of ``exhausted``.

Cases we cannot support are listed in ``UNSUPPORTED`` with the reason; a test checks that
exactly those cases fail, so nothing is skipped silently.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from fractions import Fraction
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from counting.ballots import Ballot, Profile, normalise_ranking
from counting.engine import count
from counting.formats.rctab import UnsupportedRules, rules_from_rctab
from counting.result import Result, Round
from counting.rules import Rules
from counting.tiebreak import java_shuffle

DATA = Path(__file__).resolve().parents[1] / "data"
CONFORMANCE = DATA / "conformance"
INDEX: dict[str, Any] = json.loads((CONFORMANCE / "rctab_index.json").read_text())
CASES: list[str] = [entry["case"] for entry in INDEX["converted"]]

UNSUPPORTED: dict[str, str] = {}
"""Vectors we do not reproduce, with the reason (checked to be exactly the failing ones)."""

FINAL_SURPLUS = "finalRoundSurplus"


@cache
def load(case: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((CONFORMANCE / "rctab" / f"{case}.json").read_text())
    return data


def profile_of(vector: Mapping[str, Any]) -> Profile:
    ballots = (Ballot(normalise_ranking(b["ranking"]), b["count"]) for b in vector["ballots"])
    return Profile.from_ballots(vector["candidates"], ballots)


def rules_of(vector: Mapping[str, Any]) -> Rules:
    return rules_from_rctab(vector["rules"], vector["candidates"], vector["tiebreak_order"])


def numbers(values: Mapping[str, Any]) -> dict[str, Fraction]:
    return {k: Fraction(str(v)) for k, v in values.items()}


def moves(transfers: Mapping[str, Mapping[str, Any]]) -> dict[str, dict[str, Fraction]]:
    out = {src: {d: v for d, v in numbers(m).items() if v != 0} for src, m in transfers.items()}
    return {src: m for src, m in out.items() if m}


def check_round(ours: Round, expected: Mapping[str, Any]) -> None:
    where = f"round {expected['round']}"
    assert ours.number == expected["round"], where
    assert numbers(ours.tally) == numbers(expected["tally"]), f"{where} tally"
    assert ours.threshold is not None, where
    assert Fraction(ours.threshold) == Fraction(expected["threshold"]), f"{where} threshold"
    assert set(ours.elected) == set(expected["elected"]), f"{where} elected"
    assert set(ours.eliminated) == set(expected["eliminated"]), f"{where} eliminated"
    assert numbers(ours.inactive) == numbers(expected["inactive"]), f"{where} inactive"
    assert Fraction(ours.exhausted) == Fraction(expected["exhausted"]), f"{where} exhausted"
    assert moves(ours.transfers) == moves(expected["transfers"]), f"{where} transfers"


def check_count(result: Result, expected: Mapping[str, Any], ballots: int) -> None:
    assert set(result.winners) == set(expected["winners"])
    assert len(result.rounds) == len(expected["rounds"]), "number of rounds"
    for ours, theirs in zip(result.rounds, expected["rounds"], strict=True):
        check_round(ours, theirs)
    summary = expected["summary"]
    assert ballots == int(summary["totalNumBallots"])
    last = result.rounds[-1].threshold
    assert last is not None
    assert Fraction(last) == Fraction(summary["finalThreshold"])


def check_ties(result: Result, vector: Mapping[str, Any]) -> None:
    ties: list[tuple[Any, ...]] = [
        (t.round, t.selecting, set(t.tied), t.selected) for t in result.tiebreaks
    ]
    for index, part in enumerate(result.passes, start=1):
        ties += [(index, t.round, t.selecting, set(t.tied), t.selected) for t in part.tiebreaks]
    wanted = [
        ((t["pass"],) if "pass" in t else ())
        + (t["round"], t["selecting"], set(t["tied"]), t["selected"])
        for t in vector["tiebreaks"]
    ]
    assert ties == wanted


def recount(case: str) -> None:
    """Count one vector and compare everything; raises on any difference."""
    vector = load(case)
    profile = profile_of(vector)
    result = count(profile, rules_of(vector))
    expected = vector["expected"]
    if "passes" in expected:
        assert list(result.winners) == expected["winners"]
        assert len(result.passes) == len(expected["passes"])
        for part, theirs in zip(result.passes, expected["passes"], strict=True):
            assert set(part.rules.excluded) >= set(theirs["excluded_winners"])
            check_count(part, theirs, profile.total)
    else:
        check_count(result, expected, profile.total)
    check_ties(result, vector)


@pytest.mark.parametrize("case", [c for c in CASES if c not in UNSUPPORTED])
def test_vector(case: str) -> None:
    recount(case)


def test_unsupported_list_is_exact() -> None:
    """Each listed case really fails (so the list cannot hide a case that now works)."""
    assert len(CASES) == 70
    assert set(UNSUPPORTED) <= set(CASES)
    for case, reason in UNSUPPORTED.items():
        assert reason.strip()
        with pytest.raises((UnsupportedRules, AssertionError)):
            recount(case)


def test_generated_permutation_matches_rctab() -> None:
    vector = load("tiebreak_generate_permutation_test")
    names = [c for c in vector["candidates"] if c not in vector["rules"]["excludedCandidates"]]
    seed = vector["rules"]["randomSeed"]
    assert list(java_shuffle(names, seed)) == vector["tiebreak_order"]
