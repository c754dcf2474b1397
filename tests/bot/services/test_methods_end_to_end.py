"""College and STV elections through the services: create, vote with roles, count, export."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from bot.app import App
from bot.errors import NotAllowed
from counting.engine import count
from counting.formats.blt import parse_blt
from counting.formats.json_file import parse_json
from counting.rules import Method, Rules
from tests.bot.services.conftest import MOD, PLACE, member

SECTIONS = {"mp": "MPs", "member": "Members", "union": "Affiliates"}
COLLEGE_BALLOTS = [  # (role, ranking)
    ("mp", "A B"), ("mp", "A C"),
    ("member", "B A"), ("member", "B A"), ("member", "C B"),
    ("union", "C B"), ("union", "B C"),
]  # fmt: skip


async def college(app: App, weights: dict[str, int]) -> str:
    created = await app.elections.create(
        MOD, PLACE, "Leader", ("A", "B", "C"), method="college",
        sections=SECTIONS, section_weights=weights,
    )  # fmt: skip
    await app.elections.open(MOD, PLACE, created.ref)
    for n, (role, ranking) in enumerate(COLLEGE_BALLOTS):
        await app.ballots.rank(member(n, role), PLACE, ranking)
    return created.ref


async def test_college_counts_points_per_section_round_by_round(app: App) -> None:
    ref = await college(app, {"MPs": 1, "Members": 2, "Affiliates": 1})  # 25 / 50 / 25 points
    outcome = await app.elections.count(MOD, PLACE, ref)
    first, second = outcome.result.rounds
    assert first.tally == {"A": 25, "B": Fraction(275, 6), "C": Fraction(175, 6)}
    assert first.sections["Members"] == {"A": 0, "B": 2, "C": 1}
    assert first.eliminated == ("A",)  # lowest on points, though first among MPs
    assert second.tally == {"B": Fraction(175, 3), "C": Fraction(125, 3)}
    assert second.sections["MPs"] == {"B": 1, "C": 1}
    assert second.elected == ("B",) and outcome.result.winners == ("B",)


async def test_college_weights_change_the_count(app: App) -> None:
    ref = await college(app, {"MPs": 1, "Members": 1, "Affiliates": 1})
    outcome = await app.elections.count(MOD, PLACE, ref)
    first = outcome.result.rounds[0]
    assert first.tally == {"A": Fraction(100, 3), "B": Fraction(350, 9), "C": Fraction(250, 9)}
    assert first.eliminated == ("C",)
    assert outcome.result.rounds[1].tally["B"] == Fraction(200, 3)


async def test_college_export_keeps_sections_and_recounts_the_same(app: App) -> None:
    ref = await college(app, {"MPs": 1, "Members": 2, "Affiliates": 1})
    counted = await app.elections.count(MOD, PLACE, ref)
    exported = parse_json(await app.elections.export(MOD, PLACE, ref, "json"))
    per_section = Counter[str]()
    for ballot in exported.profile.ballots:
        per_section[ballot.section or ""] += ballot.count
    assert per_section == {"MPs": 2, "Members": 3, "Affiliates": 2}
    assert count(exported.profile, exported.rules).rounds == counted.result.rounds


async def test_college_voter_needs_a_sectioned_role(app: App) -> None:
    await college(app, {"MPs": 1, "Members": 1, "Affiliates": 1})
    with pytest.raises(NotAllowed, match="no section of this college"):
        await app.ballots.rank(member("x", "guest"), PLACE, "A")
    assert (await app.elections.get(MOD, PLACE, "1")).turnout == len(COLLEGE_BALLOTS)


ROOT = Path(__file__).resolve().parents[3]
STV_BALLOTS = ["A B"] * 8 + ["C D"] * 5 + ["D C"] * 4 + ["E B"] * 2 + ["B E"]


async def test_stv_fills_three_seats_with_transfers(app: App) -> None:
    created = await app.elections.create(
        MOD, PLACE, "Committee", ("A", "B", "C", "D", "E"), method="stv", seats=3
    )
    await app.elections.open(MOD, PLACE, created.ref)
    for n, ranking in enumerate(STV_BALLOTS):
        await app.ballots.rank(member(n), PLACE, ranking)
    outcome = await app.elections.count(MOD, PLACE)
    result = outcome.result
    assert result.winners == ("A", "C", "B")
    assert result.rounds[0].threshold == 6  # Droop: 20 // 4 + 1
    assert result.rounds[0].elected == ("A",)
    assert [name for r in result.rounds for name in r.eliminated][:2] == ["E", "D"]
    recount = await app.elections.count(MOD, PLACE, created.ref)
    assert recount.recount_of is not None and recount.result.winners == result.winners
    exported = parse_blt(await app.elections.export(MOD, PLACE, created.ref, "blt"))
    assert exported.seats == 3
    assert count(exported.profile, Rules(Method.STV, seats=3)).winners == ("A", "C", "B")


@pytest.mark.parametrize("fmt", ["json", "blt"])
async def test_an_export_recounts_to_the_announced_result_lot_included(
    app: App, tmp_path: Path, fmt: str
) -> None:
    """The export carries the rules and the seed drawn at the count, so ``hustings count`` of
    the file (a real subprocess) reproduces every round, the lot for a three-way tie included;
    the same file recounted with another seed would exclude someone else."""
    created = await app.elections.create(MOD, PLACE, "Tied", ("A", "B", "C", "D"))
    await app.elections.open(MOD, PLACE, created.ref)
    for n, ranking in enumerate(["A", "A", "B", "B", "C", "C", "D"]):
        await app.ballots.rank(member(n), PLACE, ranking)
    announced = (await app.elections.count(MOD, PLACE, created.ref)).result.to_dict()
    exported = tmp_path / f"tied.{fmt}"
    exported.write_text(await app.elections.export(MOD, PLACE, created.ref, fmt))
    if fmt == "json":
        assert json.loads(exported.read_text())["rules"]["seed"] == 2015
    else:
        assert '"seed":2015' in exported.read_text().splitlines()[-1]

    def recount(*options: str) -> dict[str, Any]:
        done = subprocess.run(
            [sys.executable, "-m", "bot.cli", "count", str(exported), "--json", *options],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        data: dict[str, Any] = json.loads(done.stdout)
        return data

    again = recount()
    assert (again["winners"], again["rounds"]) == (announced["winners"], announced["rounds"])
    assert again["rules"] == announced["rules"]
    assert announced["rounds"][1]["tiebreaks"][0]["method"] == "backward, then lot"
    other = recount("--seed", "0")
    assert other["rounds"][1]["eliminated"] != announced["rounds"][1]["eliminated"]
