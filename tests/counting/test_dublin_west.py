"""Dublin West 2002 (3 seats, 29,988 valid e-voting ballots): every STV variant elects
Lenihan, Higgins and Burton, with the Droop quota 7498 of the data set's derived check."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from counting.ballots import Ballot, Profile, normalise_ranking
from counting.engine import count
from counting.result import RESIDUAL
from counting.rules import Method, Rules, StvVariant

DATA = Path(__file__).resolve().parents[1] / "data"
DATA: dict[str, Any] = json.loads((DATA / "ballots" / "dublin_west_2002.json").read_text())


@cache
def profile() -> Profile:
    ballots = [Ballot(normalise_ranking(b["ranking"]), b["count"]) for b in DATA["ballots"]]
    return Profile.from_ballots(DATA["candidates"], ballots)


def test_the_file_holds_the_valid_poll() -> None:
    assert profile().total == DATA["official"]["valid_poll"] == 29988


@pytest.mark.parametrize("variant", list(StvVariant))
def test_every_variant_elects_the_official_winners(variant: StvVariant) -> None:
    rules = Rules(method=Method.STV, seats=DATA["seats"], stv_variant=variant)
    result = count(profile(), rules)
    assert set(result.winners) == set(DATA["official"]["elected"])


@pytest.mark.parametrize("variant", [StvVariant.SCOTTISH, StvVariant.WIGM])
def test_gregory_counts_match_the_derived_check(variant: StvVariant) -> None:
    check = DATA["derived_check"]
    rules = Rules(method=Method.STV, seats=3, stv_variant=variant)
    result = count(profile(), rules)
    assert {r.threshold for r in result.rounds} == {check["quota"]}
    assert list(result.winners) == check["elected"]
    first = result.rounds[0]
    assert first.tally["Brian Lenihan F.F."] == 8086
    assert first.elected == ("Brian Lenihan F.F.",)
    assert RESIDUAL in first.transfers["Brian Lenihan F.F."]
