"""``hustings count``: every counting rule as an option, the file's own rules honoured, ties
decided by the returning officer, and refusals that say what to do."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from bot import cli

ROOT = Path(__file__).resolve().parents[1]
BURLINGTON = ROOT / "tests" / "data" / "ballots" / "burlington2009_mayor.json"
TIE = {"candidates": ["A", "B", "C"], "ballots": [["A"]] * 3 + [["B"]] * 2 + [["C", "B"]]}


def write(tmp_path: Path, data: dict[str, Any], name: str = "ballots.json") -> str:
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.main(["count", *args])
    out, err = capsys.readouterr()
    return code, out, err


def counted(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, Any]:
    code, out, err = run(capsys, *args, "--json")
    assert code == 0, err
    data: dict[str, Any] = json.loads(out)
    return data


def refused(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    code, out, err = run(capsys, *args)
    assert (code, out) == (2, "")
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("hustings count: ")
    return lines[0]


def test_burlington_with_no_flags_gives_the_official_count() -> None:
    """The file carries Burlington's rules (over-votes exhaust only when two continuing
    candidates are marked; batch elimination): a plain recount must match the city's."""
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", "count", str(BURLINGTON), "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    rounds = json.loads(done.stdout)["rounds"]
    second = rounds[1]["tally"]
    assert (second["Kurt Wright"], second["Bob Kiss"], second["Andy Montroll"]) == (
        "3294",
        "2981",
        "2554",
    )
    final = rounds[-1]
    assert final["tally"] == {"Bob Kiss": "4313", "Kurt Wright": "4061"}
    assert final["exhausted"] == "606"
    assert final["elected"] == ["Bob Kiss"]


def test_flags_override_the_files_rules_one_by_one(capsys: pytest.CaptureFixture[str]) -> None:
    data = counted(capsys, str(BURLINGTON), "--overvote", "exhaust", "--no-batch-elimination")
    assert data["rules"]["overvote"] == "exhaust" and not data["rules"]["batch_elimination"]
    final = data["rounds"][-1]
    assert final["tally"] == {"Bob Kiss": "4313", "Kurt Wright": "4060"}
    assert final["exhausted"] == "607"
    kept = counted(capsys, str(BURLINGTON), "--seed", "5")
    assert kept["rules"]["overvote"] == "exhaust-if-multiple" and kept["rules"]["seed"] == 5


def test_every_rule_has_an_option(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = write(tmp_path, TIE)
    irv = counted(
        capsys,
        path,
        "--overvote=skip",
        "--max-skipped-ranks=1",
        "--exhaust-on-duplicate",
        "--batch-elimination",
        "--threshold-basis=first-round",
        "--continue-until-two",
        "--stop-after-round=5",
        "--tiebreak=forward",
        "--seed=3",
    )["rules"]
    assert (irv["overvote"], irv["max_skipped_ranks"], irv["exhaust_on_duplicate"]) == (
        "skip",
        1,
        True,
    )
    assert irv["batch_elimination"] and irv["threshold_from_first_round"]
    assert irv["continue_until_two"] and irv["stop_after_round"] == 5
    assert (irv["tiebreak"], irv["seed"]) == ("forward", 3)
    unlimited = counted(capsys, path, "--max-skipped-ranks", "unlimited")["rules"]
    assert unlimited["max_skipped_ranks"] is None
    stv = counted(
        capsys,
        path,
        "--method=stv",
        "--seats=2",
        "--stv-variant=wigm",
        "--quota=hare",
        "--decimal-places=4",
        "--one-winner-per-round",
    )["rules"]
    assert (stv["stv_variant"], stv["quota"], stv["decimal_places"]) == ("wigm", "hare", 4)
    assert stv["one_winner_per_round"]
    bottoms = counted(
        capsys,
        path,
        "--method=bottoms-up",
        "--bottoms-up-percentage=20",
        "--cutoff-elimination",
    )["rules"]
    assert (bottoms["bottoms_up_percentage"], bottoms["cutoff_elimination"]) == ("20", True)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--quota", "hare", "--method", "stv"], "--quota applies only to --stv-variant wigm"),
        (["--stv-variant", "meek"], "--stv-variant does not apply to irv"),
        (["--continue-until-two", "--method", "college"], "--continue-until-two does not"),
        (["--tie-order", "A,B"], "--tie-order needs --tiebreak ask or candidate-order"),
        (["--tie-order", "A,Zed", "--tiebreak", "ask"], "--tie-order: not a candidate: 'Zed'"),
        (["--tie-order", "a,A", "--tiebreak", "ask"], "--tie-order: A is named twice"),
        (["--decimal-places", "13", "--method", "stv", "--stv-variant", "wigm"], "0..12"),
        (["--write-in", "Nobody"], "--write-in: not a candidate"),
    ],
)
def test_options_that_cannot_apply_are_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, args: list[str], message: str
) -> None:
    assert message in refused(capsys, write(tmp_path, TIE), *args)


def test_one_seat_stv_and_irv_elect_the_same_on_a_final_tie(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = write(tmp_path, TIE)
    assert counted(capsys, path, "--tiebreak", "lot")["winners"] == ["B"]
    for variant in ("scottish", "wigm", "meek"):
        for seed in range(8):
            stv = counted(
                capsys,
                path,
                "--method=stv",
                "--seats=1",
                f"--stv-variant={variant}",
                "--tiebreak=lot",
                f"--seed={seed}",
            )
            irv = counted(capsys, path, "--tiebreak=lot", f"--seed={seed}")
            assert stv["winners"] == irv["winners"]


def test_ask_names_the_tie_and_the_option_that_decides_it(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = write(tmp_path, TIE)
    error = refused(capsys, path, "--tiebreak", "ask")
    assert error == (
        "hustings count: round 2: A and B are tied for election and --tiebreak ask needs a "
        "decision: recount with --tie-order naming them, most preferred first "
        "(e.g. --tie-order 'A,B')"
    )
    decided = counted(capsys, path, "--tiebreak", "ask", "--tie-order", "b, a")
    assert decided["winners"] == ["B"]
    assert decided["rules"]["tiebreak_order"] == ["B", "A"]
    (tie,) = decided["rounds"][-1]["tiebreaks"]
    assert "The returning officer's order puts B first." in tie["explanation"]
    code, out, _ = run(capsys, path, "--tiebreak", "ask", "--tie-order", "B,A")
    assert code == 0
    assert "ties: decided by the returning officer (B > A)" in out


def test_a_file_with_no_ballots_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    empty = write(tmp_path, {"candidates": ["A", "B"], "ballots": []})
    assert "no ballots with any preference" in refused(capsys, empty, "--tiebreak", "lot")
    blank = write(tmp_path, {"candidates": ["A", "B"], "ballots": [[], []]}, "blank.json")
    assert "nobody can be elected" in refused(capsys, blank)


def test_withdraw_matches_names_as_people_type_them(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    data = {"candidates": ["Zoë O'Neil", "Bob", "Cat"], "ballots": [["Zoë O'Neil", "Cat"]] * 3}
    data["ballots"] += [["Bob"]] * 2 + [["Cat", "Bob"]]
    path = write(tmp_path, data)
    result = counted(capsys, path, "--withdraw", "zoe o’neil")
    assert result["winners"] == ["Cat"]
    code, out, _ = run(capsys, path, "--withdraw", "ZOË O'NEIL")
    assert code == 0 and "What if Zoë O'Neil had not stood" in out
    twins = write(tmp_path, {"candidates": ["Ann", "ANN"], "ballots": [["Ann"]]}, "twins.json")
    assert "could be any of Ann, ANN" in refused(capsys, twins, "--withdraw", "ann")


def test_save_carries_the_rules_and_seed_in_force(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    saved = tmp_path / "saved.json"
    first = counted(capsys, str(BURLINGTON), "--seed", "42", "--save", str(saved))
    stored = json.loads(saved.read_text())["rules"]
    assert stored["seed"] == 42 and stored["overvote"] == "exhaust-if-multiple"
    again = counted(capsys, str(saved))
    assert again == first
