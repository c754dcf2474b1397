"""JSON ballot files: our shape, the shared validation ballots, conformance vectors, errors."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import pytest

from counting.ballots import OVERVOTE, Ballot, Profile
from counting.formats import (
    BallotFile,
    BallotFileError,
    parse_ballot_file,
    parse_json,
    write_ballot_file,
    write_json,
)
from counting.rules import Method, Quota, Rules, StvVariant, TieBreak

DATA = Path(__file__).resolve().parents[1] / "data"


def _doc(**overrides: object) -> str:
    data: dict[str, object] = {
        "candidates": ["Kendall", "Burnham", "Cooper"],
        "seats": 1,
        "ballots": [
            {"ranking": ["Kendall", ["Burnham", "Cooper"]], "count": 3},
            {"ranking": ["Cooper", [], "Kendall"]},
            ["Burnham"],
        ],
    }
    data.update(overrides)
    return json.dumps(data)


def test_reads_names_equal_marks_skips_and_default_counts() -> None:
    file = parse_json(_doc(title="Leader 2015"))
    assert file.title == "Leader 2015"
    assert file.profile.candidates == ("Kendall", "Burnham", "Cooper")
    assert file.profile.ballots == (
        Ballot((("Kendall",), ("Burnham", "Cooper")), 3),
        Ballot((("Cooper",), (), ("Kendall",)), 1),
        Ballot((("Burnham",),), 1),
    )
    assert file.rules is None
    assert file.rules_for_count() == Rules()


def test_rules_are_our_rule_options_with_the_file_seats() -> None:
    file = parse_json(_doc(seats=2, rules={"tiebreak": "lot", "seed": 7}))
    assert file.rules == Rules(method=Method.STV, seats=2, tiebreak=TieBreak.LOT, seed=7)


def test_sections_weights_are_read_exactly() -> None:
    doc = _doc(
        ballots=[
            {"ranking": ["Kendall"], "section": "mps"},
            {"ranking": ["Cooper"], "count": 2, "section": "members"},
        ],
        sections={"mps": "1/3", "members": 0.5},
    )
    file = parse_json(doc)
    assert file.profile.sections == {"mps": Fraction(1, 3), "members": Fraction(1, 2)}
    assert file.rules_for_count().method is Method.COLLEGE


def test_sections_default_to_equal_weights() -> None:
    doc = _doc(ballots=[{"ranking": ["Kendall"], "section": "a"}, {"ranking": [], "section": "b"}])
    assert parse_json(doc).profile.sections == {"a": 1, "b": 1}


def test_labour_2010_validation_ballots() -> None:
    text = (DATA / "ballots" / "labour2010_mps_section.json").read_text()
    file = parse_ballot_file(text, "labour2010_mps_section.json")
    assert file.profile.total == 266
    assert file.title is not None and file.title.startswith("2010 UK Labour")
    assert file.rules_for_count().method is Method.IRV


def test_dublin_west_defaults_to_stv_for_three_seats() -> None:
    text = (DATA / "ballots" / "dublin_west_2002.json").read_text()
    rules = parse_ballot_file(text, "dublin.json").rules_for_count()
    assert (rules.method, rules.seats) == (Method.STV, 3)


def test_conformance_vector_rules_go_through_the_rctab_mapper() -> None:
    path = DATA / "conformance" / "rctab" / "test_set_multi_winner_whole_threshold.json"
    file = parse_ballot_file(path.read_text(), path.name)
    assert file.rules is not None
    assert file.rules.method is Method.STV
    assert file.rules.seats == 3
    assert file.rules.stv_variant is StvVariant.WIGM
    assert file.rules.quota is Quota.DROOP
    assert file.profile.total == 30


def test_vector_with_unsupported_rules_names_the_reason() -> None:
    data = json.loads((DATA / "conformance" / "rctab" / "tiebreak_seed_test.json").read_text())
    data["rules"]["winnerElectionMode"] = "somethingRCTabNeverHad"
    with pytest.raises(BallotFileError) as caught:
        parse_json(json.dumps(data))
    assert caught.value.location == "rules"


def test_vector_with_a_malformed_option_names_the_rules() -> None:
    data = json.loads((DATA / "conformance" / "rctab" / "tiebreak_seed_test.json").read_text())
    data["rules"]["randomSeed"] = "not a number"
    with pytest.raises(BallotFileError) as caught:
        parse_json(json.dumps(data))
    assert caught.value.location == "rules"
    assert "not supported" not in str(caught.value)


def test_trailing_skipped_ranks_are_dropped() -> None:
    file = parse_json(_doc(ballots=[{"ranking": ["Cooper", [], []]}]))
    assert file.profile.ballots[0].ranking == (("Cooper",),)


def test_vector_without_rules_is_an_error() -> None:
    with pytest.raises(BallotFileError, match=r"^rules: a conformance vector must carry"):
        parse_json(_doc(format="hustings-rcv-vector/1"))


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"candidates": []}, "candidates: must be a non-empty list of names"),
        ({"candidates": ["A", 3]}, "candidates[1]: must be a non-empty string, not 3"),
        ({"candidates": ["A", "A"]}, "candidates[1]: candidate 'A' is listed twice"),
        ({"candidates": [OVERVOTE]}, "candidates[0]: #OVERVOTE is the overvote marker"),
        ({"seats": 0}, "seats: must be at least 1, not 0"),
        ({"seats": "2"}, "seats: must be a whole number, not '2'"),
        ({"seats": True}, "seats: must be a whole number, not True"),
        ({"ballots": {}}, "ballots: must be a list"),
        (
            {"ballots": [{"ranking": ["Kendal"]}]},
            "ballots[0].ranking[0]: unknown candidate 'Kendal'",
        ),
        (
            {"ballots": [{"ranking": ["Cooper", ["Burnham", "Kendal"]]}]},
            "ballots[0].ranking[1][1]: unknown candidate 'Kendal'",
        ),
        ({"ballots": [{"ranking": [3]}]}, "ballots[0].ranking[0]: must be a name or a list"),
        ({"ballots": [{"ranking": [[3]]}]}, "ballots[0].ranking[0][0]: must be a candidate name"),
        ({"ballots": [{"ranking": "Cooper"}]}, "ballots[0].ranking: must be a list"),
        (
            {"ballots": [{"ranking": [[OVERVOTE, "Cooper"]]}]},
            "ballots[0].ranking[0]: #OVERVOTE cannot share a rank with names",
        ),
        ({"ballots": [3]}, "ballots[0]: must be an object with a ranking"),
        ({"ballots": [{"count": 2}]}, "ballots[0]: has no ranking"),
        ({"ballots": [{"ranking": [], "weight": 2}]}, "ballots[0]: unknown key(s): weight"),
        ({"ballots": [{"ranking": [], "count": 0}]}, "ballots[0].count: must be at least 1"),
        ({"ballots": [{"ranking": [], "section": 1}]}, "ballots[0].section: must be a name"),
        (
            {"ballots": [{"ranking": [], "section": "a"}, {"ranking": []}]},
            "ballots[1].section: missing; other ballots have one",
        ),
        ({"sections": []}, "sections: must be an object of section weights"),
        ({"sections": {"a": 0}}, "sections.a: must be positive"),
        ({"sections": {"a": "x"}}, "sections.a: must be a number, not 'x'"),
        ({"sections": {"a": None}}, "sections.a: must be a number, not None"),
        ({"sections": {"a": 1}}, "ballots[0].section: None is not one of the sections ['a']"),
        ({"withdrawn": ["Nobody"]}, "withdrawn: must be a list of candidate names"),
        ({"rules": []}, "rules: must be an object of rule options"),
        ({"rules": {"colour": "red"}}, "rules: unknown rule option(s): colour"),
        ({"rules": {"tiebreak": "coin"}}, "rules: rule option tiebreak:"),
    ],
)
def test_errors_name_the_entry(overrides: dict[str, object], message: str) -> None:
    with pytest.raises(BallotFileError) as caught:
        parse_json(_doc(**overrides))
    assert str(caught.value).startswith(message)


def test_invalid_json_names_the_line() -> None:
    with pytest.raises(BallotFileError) as caught:
        parse_json('{\n  "candidates": ["A"],\n  "seats": 1,,\n}')
    assert caught.value.line == 3
    assert "not valid JSON" in str(caught.value)


def test_top_level_must_be_an_object() -> None:
    with pytest.raises(BallotFileError, match="must be an object"):
        parse_json("[1, 2]")


def test_round_trip_keeps_ballots_sections_rules_and_withdrawn() -> None:
    profile = Profile(
        ("A", "B", "C"),
        (
            Ballot((("A", "B"), (), ("C",)), 2, "mps"),
            Ballot(((OVERVOTE,), ("A",)), 1, "members"),
            Ballot((), 5, "members"),
        ),
        {"mps": Fraction(1, 3), "members": Fraction(2)},
    )
    rules = Rules(method=Method.COLLEGE, tiebreak_order=("C", "B", "A"), excluded=frozenset("B"))
    file = BallotFile(profile, rules, "Leader", 1, ("C",))
    text = write_ballot_file(file, "out.JSON")
    assert parse_ballot_file(text, "anything") == file
    assert '"mps": "1/3"' in text
    assert '"members": 2' in text


def test_write_json_of_an_empty_ballot_list() -> None:
    file = BallotFile(Profile(("A",), ()))
    assert json.loads(write_json(file)) == {"candidates": ["A"], "seats": 1, "ballots": []}
    assert parse_json(write_json(file)) == file


def test_format_is_chosen_by_extension_then_content() -> None:
    blt = '1 1\n1 1 0\n0\n"A"\n'
    assert parse_ballot_file(blt, "x.blt").profile.total == 1
    assert parse_ballot_file(blt, "").profile.total == 1
    assert parse_ballot_file(" \n" + _doc(), "upload").profile.total == 5
    with pytest.raises(BallotFileError, match="not valid JSON"):
        parse_ballot_file(blt, "x.json")
    file = parse_ballot_file(blt, "x.blt")
    assert write_ballot_file(file, "y.blt").startswith("1 1\n")


def test_a_vector_with_zero_seats_is_read_only_for_a_bottoms_up_percentage() -> None:
    vectors = DATA / "conformance" / "rctab"
    path = vectors / "multi_seat_bottoms_up_with_static_threshold.json"
    data = json.loads(path.read_text())
    assert data["seats"] == 0
    file = parse_json(path.read_text())
    assert file.rules is not None and file.rules.bottoms_up_percentage is not None
    assert file.seats == file.rules.seats == 1
    other = json.loads((vectors / "tiebreak_seed_test.json").read_text())
    other["seats"] = 0
    with pytest.raises(BallotFileError, match=r"^seats: 0 seats needs a bottoms-up percentage"):
        parse_json(json.dumps(other))
    with pytest.raises(BallotFileError, match=r"^seats: must be at least 1, not 0"):
        parse_json(_doc(seats=0))
