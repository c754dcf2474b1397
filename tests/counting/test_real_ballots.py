"""Real elections reproduce their official results (data in ``tests/data/ballots``, PrefLib)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from counting.ballots import Ballot, Profile, normalise_ranking
from counting.engine import count
from counting.rules import Overvote, Rules

BALLOTS = Path(__file__).resolve().parents[1] / "data" / "ballots"


def load(name: str) -> Profile:
    data: dict[str, Any] = json.loads((BALLOTS / name).read_text())
    ballots = (
        Ballot(
            normalise_ranking([e if isinstance(e, str) else tuple(e) for e in b["ranking"]]),
            b["count"],
        )
        for b in data["ballots"]
    )
    return Profile.from_ballots(data["candidates"], ballots)


def test_labour_2010_mps_section() -> None:
    profile = load("labour2010_mps_section.json")
    result = count(profile, Rules())
    first, last = result.rounds[0], result.rounds[-1]
    assert first.tally == {
        "D.Abbott": 7,
        "E.Balls": 40,
        "A.Burnhm": 24,
        "D.Milbnd": 111,
        "E.Milbnd": 84,
    }
    assert [r.eliminated for r in result.rounds] == [("D.Abbott",), ("A.Burnhm",), ("E.Balls",), ()]
    assert last.tally == {"D.Milbnd": 140, "E.Milbnd": 122}
    assert last.threshold == 132  # more than half of 262 non-exhausted votes
    assert result.winners == ("D.Milbnd",)
    assert last.exhausted == 4


def test_burlington_2009_with_batch_elimination() -> None:
    profile = load("burlington2009_mayor.json")
    rules = Rules(batch_elimination=True, overvote=Overvote.EXHAUST_IF_MULTIPLE)
    result = count(profile, rules)
    assert profile.total == 8980
    assert set(result.rounds[0].eliminated) == {"James Simpson", "Write-In", "Dan Smith"}
    assert result.rounds[1].tally == {"Bob Kiss": 2981, "Andy Montroll": 2554, "Kurt Wright": 3294}
    assert result.rounds[1].eliminated == ("Andy Montroll",)
    assert result.rounds[2].tally == {"Bob Kiss": 4313, "Kurt Wright": 4061}
    assert result.winners == ("Bob Kiss",)
    assert len(result.rounds) == 3


def test_burlington_2009_one_exclusion_per_round() -> None:
    profile = load("burlington2009_mayor.json")
    result = count(profile, Rules(overvote=Overvote.EXHAUST_IF_MULTIPLE))
    assert [r.eliminated for r in result.rounds[:4]] == [
        ("James Simpson",),
        ("Write-In",),
        ("Dan Smith",),
        ("Andy Montroll",),
    ]
    assert result.rounds[0].tally["Kurt Wright"] == 2951
    assert result.rounds[3].tally == {"Bob Kiss": 2981, "Andy Montroll": 2554, "Kurt Wright": 3294}
    assert result.rounds[4].tally == {"Bob Kiss": 4313, "Kurt Wright": 4061}
    assert sum(result.rounds[4].tally.values()) == 8374
    assert result.winners == ("Bob Kiss",)
