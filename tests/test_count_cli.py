"""``hustings count``: the auditors' CLI, run as a real subprocess (and a few paths in-process)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from bot import cli
from counting.formats import parse_blt

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
LABOUR = DATA / "ballots" / "labour2010_mps_section.json"
VECTORS = DATA / "conformance" / "rctab"


def hustings(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        cwd=ROOT,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def count_json(*args: str) -> dict[str, Any]:
    done = hustings("count", *args, "--json")
    assert done.returncode == 0, done.stderr
    data: dict[str, Any] = json.loads(done.stdout)
    return data


def _decimals(values: dict[str, str]) -> dict[str, Fraction]:
    return {k: Fraction(v) for k, v in values.items()}


@pytest.mark.parametrize(
    "case",
    [
        "test_set_1_exhaust_at_overvote",
        "tiebreak_seed_test",
        "test_set_multi_winner_whole_threshold",
        # RCTab's 0 seats: as many as pass the bottoms-up percentage
        "multi_seat_bottoms_up_with_cutoff_eliminate",
        "multi_seat_bottoms_up_with_dynamic_threshold",
        "multi_seat_bottoms_up_with_static_threshold",
    ],
)
def test_recounts_a_conformance_vector_to_rctabs_expected_rounds(case: str) -> None:
    path = VECTORS / f"{case}.json"
    expected = json.loads(path.read_text())["expected"]
    got = count_json(str(path))
    assert got["winners"] == expected["winners"]
    assert len(got["rounds"]) == len(expected["rounds"])
    for ours, theirs in zip(got["rounds"], expected["rounds"], strict=True):
        assert ours["round"] == theirs["round"]
        assert _decimals(ours["tally"]) == _decimals(theirs["tally"])
        assert Fraction(ours["threshold"]) == Fraction(theirs["threshold"])
        assert set(ours["elected"]) == set(theirs["elected"])
        assert set(ours["eliminated"]) == set(theirs["eliminated"])
        assert Fraction(ours["exhausted"]) == Fraction(theirs["exhausted"])
        assert all(isinstance(v, str) for v in ours["tally"].values())


def test_prints_the_round_by_round_table_for_people() -> None:
    done = hustings("count", str(LABOUR))
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert out.startswith("2010 UK Labour leadership election")
    assert "IRV, 1 seat, 266 ballots, 5 candidates" in out
    round_one = out.split("Round 1")[1].split("Round 2")[0]
    assert "D.Milbnd" in round_one and "111" in round_one and "41.73%" in round_one
    assert "Eliminated: D.Abbott" in round_one
    assert "Transfers from D.Abbott:" in round_one
    final = out.split("Round 4")[1]
    assert "140" in final and "122" in final and "Elected: D.Milbnd" in final
    assert "Round 1: threshold 134: more than half of the 266 continuing votes" in out
    assert "Round 2: threshold 133 (of 264 continuing votes)" in out
    assert out.count("% of continuing votes") == 4
    assert out.count("Elected") == 1
    assert "Winner: D.Milbnd" in out
    last = out.rstrip("\n").splitlines()[-1]
    assert last.startswith("Rules: alternative vote (IRV), 1 seat; an over-vote exhausts")
    assert "a lot (seed 0); counting version hustings-counting/" in last
    assert "{" not in last


def test_ties_are_explained_in_the_table() -> None:
    done = hustings("count", str(VECTORS / "tiebreak_seed_test.json"))
    assert done.returncode == 0, done.stderr
    assert "Tie-break:" in done.stdout
    assert "seed 1" in done.stdout


def test_options_override_the_files_rules() -> None:
    got = count_json(str(LABOUR), "--method", "stv", "--seats", "2", "--tiebreak", "lot")
    rules = got["rules"]
    assert (rules["method"], rules["seats"], rules["tiebreak"]) == ("stv", 2, "lot")
    assert len(got["winners"]) == 2
    seeded = count_json(str(LABOUR), "--method", "stv", "--seed", "99", "--stv-variant", "meek")
    assert (seeded["rules"]["seed"], seeded["rules"]["stv_variant"]) == (99, "meek")


def test_blt_round_trip_gives_the_same_count(tmp_path: Path) -> None:
    blt = tmp_path / "labour.blt"
    from_json = count_json(str(LABOUR), "--save", str(blt))
    text = blt.read_text()
    assert text.startswith("5 1\n")
    assert parse_blt(text).profile.total == 266
    from_blt = count_json(str(blt))
    assert from_blt == from_json
    again = tmp_path / "again.blt"
    assert hustings("count", str(blt), "--save", str(again)).returncode == 0
    assert again.read_text() == text


def test_reads_a_blt_file_from_stdin() -> None:
    blt = '3 1\n4 1 2 0\n3 2 0\n2 3 2 0\n0\n"Ann"\n"Bob"\n"Cy"\n"Stdin election"\n'
    done = hustings("count", "-", stdin=blt)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Stdin election\n")
    assert "Winner: Bob" in done.stdout


def test_analysis_in_the_table_and_in_json() -> None:
    done = hustings("count", str(LABOUR), "--analysis")
    assert done.returncode == 0, done.stderr
    assert "Plurality winner: D.Milbnd" in done.stdout
    assert "D.Milbnd 140 - 122 E.Milbnd" in done.stdout
    assert "Condorcet winner: D.Milbnd" in done.stdout
    data = count_json(str(LABOUR), "--analysis")
    assert data["analysis"]["pairwise"]["condorcet_loser"] == "D.Abbott"
    assert data["analysis"]["first_preferences"]["tally"]["E.Milbnd"] == "84"


def test_withdraw_recounts_as_if_the_candidate_had_not_stood() -> None:
    data = count_json(str(LABOUR), "--withdraw", "D.Milbnd", "--analysis")
    assert data["winners"] == ["E.Milbnd"]
    assert "D.Milbnd" not in data["rounds"][0]["tally"]
    assert "D.Milbnd" not in data["analysis"]["first_preferences"]["tally"]
    table = hustings("count", str(LABOUR), "--withdraw", "D.Milbnd")
    assert "What if D.Milbnd had not stood" in table.stdout


def _one_line_error(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 2
    assert done.stdout == ""
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("hustings count: ")
    return lines[0]


def test_bad_blt_file_names_the_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.blt"
    bad.write_text('2 1\n1 1 2 0\n1 1 7 0\n0\n"A"\n"B"\n')
    error = _one_line_error(hustings("count", str(bad)))
    assert error == (f"hustings count: {bad}: line 3: candidate number 7 is not between 1 and 2")


def test_bad_json_file_names_the_entry(tmp_path: Path) -> None:
    data = json.loads(LABOUR.read_text())
    data["ballots"][12]["ranking"][2] = "Kendal"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data))
    error = _one_line_error(hustings("count", str(bad)))
    assert error.endswith("ballots[12].ranking[2]: unknown candidate 'Kendal'")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["/nonexistent/ballots.blt"], "cannot read /nonexistent/ballots.blt"),
        ([str(LABOUR), "--seats", "0"], "--seats must be at least 1"),
        (
            [str(LABOUR), "--method", "stv", "--seats", "5"],
            "--seats 5 needs more than 5 candidates",
        ),
        ([str(LABOUR), "--withdraw", "Nobody"], "--withdraw: not a candidate: 'Nobody'"),
    ],
)
def test_other_mistakes_are_one_clear_line(args: list[str], message: str) -> None:
    assert message in _one_line_error(hustings("count", *args))


def test_unreadable_bytes_and_unwritable_save(tmp_path: Path) -> None:
    binary = tmp_path / "ballots.blt"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    assert "not UTF-8 text" in _one_line_error(hustings("count", str(binary)))
    target = tmp_path / "missing-dir" / "out.blt"
    assert "cannot write" in _one_line_error(hustings("count", str(LABOUR), "--save", str(target)))


def test_in_process_handler_returns_exit_codes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    college = tmp_path / "college.json"
    college.write_text(
        json.dumps(
            {
                "candidates": ["A", "B", "C"],
                "sections": {"mps": 1, "members": 1},
                "ballots": [
                    {"ranking": ["A", "B"], "count": 2, "section": "mps"},
                    {"ranking": ["B"], "count": 1, "section": "mps"},
                    {"ranking": ["C", "B"], "count": 2, "section": "members"},
                    {"ranking": ["B"], "count": 2, "section": "members"},
                    {"ranking": ["A"], "count": 1, "section": "members"},
                ],
            }
        )
    )
    assert cli.main(["count", str(college)]) == 0
    out = capsys.readouterr().out
    assert "COLLEGE, 1 seat, 8 ballots, 3 candidates" in out
    assert "section mps:" in out
    blt_target = tmp_path / "college.blt"
    assert cli.main(["count", str(college), "--save", str(blt_target)]) == 2
    assert "BLT cannot hold college sections" in capsys.readouterr().err


def test_rendering_of_fractions_passes_and_notes() -> None:
    from bot.count_table import _percent, _show, render_result  # noqa: PLC0415
    from counting.result import Result, Round, TieBreakRecord  # noqa: PLC0415
    from counting.rules import Rules  # noqa: PLC0415

    assert _show(Fraction(1, 3)) == "≈0.333333"
    assert _show(Fraction(-2, 3)) == "≈-0.666667"
    assert _show(Fraction(5, 4)) == "1.25"
    assert _percent(0, 0) == "-"
    assert _percent(1, 3) == "33.33%"
    assert _percent(2, 3) == "66.67%"
    tie = TieBreakRecord(1, "loser", ("A", "B"), "B", "lot", "A and B tied; the lot chose B.")
    first = Round(
        1,
        {"A": Fraction(1, 3), "B": Fraction(1, 3)},
        None,
        eliminated=("B",),
        transfers={"B": {}},
        tiebreaks=(tie,),
        note="RON stands",
    )
    sub = Result(("A",), (first,), Rules(), ("A", "B"), 2)
    text = render_result(Result(("A",), (first,), Rules(), ("A", "B"), 2, passes=(sub,)), None, [])
    assert text.startswith("IRV, 1 seat, 2 ballots, 2 candidates\n")
    assert "Round 1\n" in text
    assert "≈0.333333   50.00%" in text
    assert "Transfers from B: nothing moved" in text
    assert "Tie-break: A and B tied; the lot chose B." in text
    assert "Note: RON stands" in text
    assert "Pass 1: Winner: A" in text


def test_every_ballot_is_accounted_for_blank_and_withdrawn_included(tmp_path: Path) -> None:
    """Ballots with no preference for a continuing candidate are in no round's tally; the
    table says how many, so the ballots read = round 1 + exhausted + those."""
    blt = tmp_path / "blank.blt"
    blt.write_text('3 1\n2 0\n3 1 0\n2 2 0\n0\n"A"\n"B"\n"C"\n"Blank ballots"\n')
    table = hustings("count", str(blt)).stdout
    assert "7 ballots, 3 candidates" in table
    assert "2 ballots had no preference for a continuing candidate" in table
    assert count_json(str(blt))["ballotsInNoRound"] == 2  # the same figure for machines
    withdrawn = hustings("count", str(LABOUR), "--withdraw", "d.milbnd").stdout
    assert "34 ballots had no preference for a continuing candidate" in withdrawn
    assert "had no preference" not in hustings("count", str(LABOUR)).stdout


UNDERVOTED = [
    entry["case"]
    for entry in json.loads((DATA / "conformance" / "rctab_index.json").read_text())["converted"]
    if json.loads((VECTORS / f"{entry['case']}.json").read_text())["expected"]
    .get("summary", {})
    .get("undervotes")
]


@pytest.mark.parametrize("case", UNDERVOTED)
def test_ballots_in_no_round_are_rctabs_undervotes(case: str) -> None:
    """The count of ballots in no round equals RCTab's undervotes for every vector that has
    them (so the table's accounting agrees with a certified tabulator's)."""
    from bot.adapters.render.count_words import not_in_any_round  # noqa: PLC0415
    from counting.engine import count  # noqa: PLC0415
    from counting.formats import parse_ballot_file  # noqa: PLC0415
    from counting.result import ballots_in_no_round  # noqa: PLC0415

    path = VECTORS / f"{case}.json"
    expected = json.loads(path.read_text())["expected"]["summary"]["undervotes"]
    file = parse_ballot_file(path.read_text(), path.name)
    line = not_in_any_round(count(file.profile, file.rules))
    assert line is not None and line.startswith(f"{expected} ballot")
    assert ballots_in_no_round(count(file.profile, file.rules)) == expected


def test_table_words_alignment_and_transfer_order_for_people() -> None:
    """Why ballots exhausted is said in words (not RCTab's report keys); votes line up on the
    decimal point; a transfer lists candidates in ballot-paper order, exhausted last."""
    burlington = hustings("count", str(DATA / "ballots" / "burlington2009_mayor.json")).stdout
    assert "(over-votes 4, no choices left 147)" in burlington
    assert "exhaustedChoices" not in burlington and "overvotes" not in burlington
    assert (
        "Transfers from Andy Montroll: 1332 to Bob Kiss, 767 to Kurt Wright, 455 exhausted"
        in burlington
    )
    dublin = hustings("count", str(DATA / "ballots" / "dublin_west_2002.json")).stdout
    round_two = dublin.split("Round 2")[1].split("Round 3")[0].splitlines()
    votes = [re.search(r" (\d+)(\.\d+)? +\d+\.\d\d%$", line) for line in round_two]
    ends = {found.end(1) for found in votes if found}  # where each whole number ends
    assert sum(1 for found in votes if found) == 9 and len(ends) == 1, round_two
