"""BLT as written in the wild: party labels, CSV quoting, PrefLib comments, droop options.

The name layouts are copied in shape (not content) from published files: the Scottish council
corpus (mggg/scot-elex, from David McCune's BLT files), droop's test files, PrefLib's headers.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from counting.ballots import Ballot, Profile
from counting.engine import count
from counting.formats import BallotFile, BallotFileError, parse_blt, write_blt
from counting.rules import Method, Rules, TieBreak

BALLOTS = "3 1\n3 2 0\n1 1 0\n1 3 0\n0\n"
"""Bob (candidate 2) has 3 of the 5 first preferences."""


def _winners(text: str) -> list[str]:
    file = parse_blt(text)
    return list(count(file.profile, file.rules_for_count()).winners)


def test_name_party_pairs_elect_bob_and_keep_the_party_as_a_label() -> None:
    text = BALLOTS + '"Ann" "Red Party"\n"Bob" "Blue Party"\n"Cat" "Green Party"\n"Tiny ward"\n'
    file = parse_blt(text)
    assert file.profile.candidates == ("Ann", "Bob", "Cat")
    assert file.labels == {"Ann": "Red Party", "Bob": "Blue Party", "Cat": "Green Party"}
    assert file.title == "Tiny ward"
    assert _winners(text) == ["Bob"]


def test_csv_doubled_quotes_name_then_party_in_one_string() -> None:
    text = BALLOTS + (
        '"Neil ALEXANDER ""Scottish Liberal Democrats"""\n'
        '"Amber DUNBAR ""Scottish Conservative and Unionist"""\n'
        '"Graham JARVIS ""Independent"""\n'
        "Ward 6 - Elgin City North\n"
    )
    file = parse_blt(text)
    assert file.profile.candidates == ("Neil ALEXANDER", "Amber DUNBAR", "Graham JARVIS")
    assert file.labels["Amber DUNBAR"] == "Scottish Conservative and Unionist"
    assert file.title == "Ward 6 - Elgin City North"
    assert _winners(text) == ["Amber DUNBAR"]


def test_csv_doubled_quotes_party_code_then_name() -> None:
    """2012 council files put a one-word party code first and quote the name."""
    text = BALLOTS + '"LD ""Alison ANDREWS"""\n"SNP ""Iain GAUL"""\n"SNP ""Jean GAUL"""\nWard\n'
    file = parse_blt(text)
    assert file.profile.candidates == ("Alison ANDREWS", "Iain GAUL", "Jean GAUL")
    assert file.labels == {"Alison ANDREWS": "LD", "Iain GAUL": "SNP", "Jean GAUL": "SNP"}
    assert _winners(text) == ["Iain GAUL"]


def test_party_first_and_name_first_in_one_file_is_refused() -> None:
    text = BALLOTS + '"LD ""Alison ANDREWS"""\n"Iain GAUL ""SNP"""\n"Con ""Jo BLOGGS"""\nW\n'
    with pytest.raises(BallotFileError, match="line 7: ambiguous name and party: line 6 reads"):
        parse_blt(text)


def test_csv_quoted_pairs_and_title() -> None:
    text = BALLOTS + (
        '"""Robin BAWA"" ""Scottish Conservative and Unionist"" "\n'
        '"""Peter MABON"" ""Scottish Labour Party"" "\n'
        '"""Keyrin James VON-DÖRING"" ""Scottish Libertarian Party"" "\n'
        '"""Ward 5 - Kilmarnock South"" "\n'
    )
    file = parse_blt(text)
    assert file.profile.candidates == ("Robin BAWA", "Peter MABON", "Keyrin James VON-DÖRING")
    assert file.labels["Peter MABON"] == "Scottish Labour Party"
    assert file.title == "Ward 5 - Kilmarnock South"


def test_unquoted_names_one_per_line() -> None:
    text = (
        BALLOTS + "Rose-Ann CUNINGHAME (Con)\nGreg FOSTER (LD)\nJohn MILLER(Soc)\nWard 1 Annick\n"
    )
    file = parse_blt(text)
    assert file.profile.candidates == (
        "Rose-Ann CUNINGHAME (Con)",
        "Greg FOSTER (LD)",
        "John MILLER(Soc)",
    )
    assert file.title == "Ward 1 Annick"
    assert file.labels == {}


def test_a_quoted_nickname_inside_one_name_is_kept() -> None:
    text = BALLOTS + '"Ann"\n"Jim ""Jimbo"" Smith"\n"Cat"\n"T"\n'
    assert parse_blt(text).profile.candidates == ("Ann", 'Jim "Jimbo" Smith', "Cat")


def test_one_csv_name_party_line_among_plain_names_is_one_name() -> None:
    text = BALLOTS + '"Ann"\n"Bob ""Blue"""\n"Cat"\n"T"\n'
    assert parse_blt(text).profile.candidates == ("Ann", 'Bob "Blue"', "Cat")


@pytest.mark.parametrize(
    ("names", "line"),
    [
        ('"Ann" "Red"\n"Bob"\n"Cat" "Green"\n"Tiny ward"\n', 6),
        ('"Ann" "Red" "Bob"\n"Blue" "Cat" "Green"\n"T"\n', 6),
    ],
)
def test_strings_that_do_not_pair_cleanly_are_refused_naming_the_line(
    names: str, line: int
) -> None:
    with pytest.raises(BallotFileError) as caught:
        parse_blt(BALLOTS + names)
    assert caught.value.line == line
    assert "ambiguous names" in str(caught.value)
    assert "3 candidates" in str(caught.value)


def test_a_pair_where_the_title_should_be_is_refused() -> None:
    text = BALLOTS + '"Ann" "Red"\n"Bob" "Blue"\n"Cat" "Green"\n"Dan" "Gold"\n"T"\n'
    with pytest.raises(BallotFileError, match=r"line 9: expected the title after 3 name-and"):
        parse_blt(text)


def test_names_only_in_preflib_comments() -> None:
    text = (
        "# ALTERNATIVE NAME 1: Ann\n# ALTERNATIVE NAME 2: Bob\n# ALTERNATIVE NAME 3: Cat\n"
        + BALLOTS
        + '"Tiny ward"\n'
    )
    file = parse_blt(text)
    assert file.profile.candidates == ("Ann", "Bob", "Cat")
    assert file.title == "Tiny ward"
    assert _winners(text) == ["Bob"]


def test_preflib_comments_must_agree_with_the_names() -> None:
    text = "# ALTERNATIVE NAME 2: Bill\n" + BALLOTS + '"Ann"\n"Bob"\n"Cat"\n'
    with pytest.raises(BallotFileError, match="line 1: '# ALTERNATIVE NAME 2' says 'Bill'"):
        parse_blt(text)
    agreeing = "# ALTERNATIVE NAME 2: BOB\n" + BALLOTS + '"Ann"\n"Bob"\n"Cat"\n'
    assert parse_blt(agreeing).profile.candidates == ("Ann", "Bob", "Cat")


def test_missing_comment_names_say_which() -> None:
    text = "# ALTERNATIVE NAME 1: Ann\n# ALTERNATIVE NAME 3: Cat\n" + BALLOTS
    with pytest.raises(BallotFileError, match="found none for candidate 2"):
        parse_blt(text)


@pytest.mark.parametrize("header", ["3,1", "3, 1", "3 ,1", "3\t1"])
def test_header_separators(header: str) -> None:
    text = header + BALLOTS[3:] + '"Ann"\n"Bob"\n"Cat"\n'
    file = parse_blt(text)
    assert (len(file.profile.candidates), file.seats) == (3, 1)


def test_droop_options_withdrawn_tie_and_nicknames_matched_with_fold() -> None:
    text = (
        "3 1\n[nick a b c]\n[withdrawn C]\n[tie 3 b 1]\n-1\n"
        "3 B 0\n1 a=b 0\n1 c - a 0\n0\n"
        '"Ann"\n"Bob"\n"Cat"\n"T"\n'
    )
    file = parse_blt(text)
    assert file.withdrawn == ("Ann", "Cat")
    assert file.tie_order == ("Cat", "Bob", "Ann")
    rankings = {b.ranking: b.count for b in file.profile.ballots}
    assert rankings == {(("Bob",),): 3, (("Ann", "Bob"),): 1, (("Cat",), (), ("Ann",)): 1}
    rules = file.rules_for_count()
    assert rules.tiebreak_order == ("Cat", "Bob", "Ann")
    assert rules.excluded == frozenset({"Ann", "Cat"})


def test_withdrawn_by_name_is_matched_with_fold() -> None:
    text = '3 1\n[withdrawn rory_o’brien]\n1 1 0\n0\n"Ann"\n"Rory_O\'Brien"\n"Cat"\n'
    assert parse_blt(text).withdrawn == ("Rory_O'Brien",)


def test_weights_above_one_and_identical_lines_are_summed() -> None:
    text = '2 1\n5 1 2 0\n5 1 2 0\n1 1 2 0\n2 2 0\n0\n"A"\n"B"\n'
    file = parse_blt(text)
    assert {b.ranking: b.count for b in file.profile.ballots} == {
        (("A",), ("B",)): 11,
        (("B",),): 2,
    }


def test_a_rules_comment_is_read_and_a_bad_one_names_its_line() -> None:
    text = BALLOTS + '"Ann"\n"Bob"\n"Cat"\n"T"\n# hustings-rules: {"tiebreak": "lot", "seed": 7}\n'
    rules = parse_blt(text).rules
    assert rules is not None
    assert (rules.tiebreak, rules.seed, rules.seats) == (TieBreak.LOT, 7, 1)
    bad = BALLOTS + '"Ann"\n"Bob"\n"Cat"\n# hustings-rules: {"colour": 1}\n'
    with pytest.raises(BallotFileError, match="line 9: # hustings-rules: unknown rule option"):
        parse_blt(bad)


def test_lines_may_come_from_an_iterable_such_as_an_open_file() -> None:
    text = BALLOTS + '"Ann"\n"Bob"\n"Cat"\n"T"\n'
    assert parse_blt(iter(text.splitlines(keepends=True))) == parse_blt(text)


# Round trip: whatever we write, we read back as the same file (DESIGN: fidelity; tomli-style).

_NAME = st.text(alphabet=st.sampled_from("AbcdéØ'#-. 12"), min_size=1, max_size=8).filter(
    lambda s: s.strip() != ""
)


@st.composite
def ballot_files(draw: st.DrawFn) -> BallotFile:
    names = draw(st.lists(_NAME, min_size=1, max_size=5, unique=True))
    mark = st.one_of(
        st.sampled_from(names).map(lambda n: (n,)),
        st.lists(st.sampled_from(names), min_size=2, max_size=2).map(tuple),
        st.just(()),
    )
    rankings = st.lists(mark, max_size=4).map(
        lambda r: tuple(r[: max((i + 1 for i, p in enumerate(r) if p), default=0)])
    )
    ballots = draw(st.lists(st.tuples(rankings, st.integers(1, 5)), max_size=6))
    profile = Profile.from_ballots(names, [Ballot(r, n) for r, n in ballots])
    seats = draw(st.integers(1, len(names)))
    withdrawn = tuple(n for n in names if draw(st.booleans()))
    labels = draw(st.dictionaries(st.sampled_from(names), _NAME, max_size=len(names)))
    tie_order = draw(st.one_of(st.none(), st.permutations(names).map(tuple)))
    rules = draw(
        st.one_of(
            st.none(),
            st.builds(
                Rules,
                method=st.sampled_from([Method.IRV, Method.STV]),
                seats=st.just(seats),
                tiebreak=st.sampled_from(list(TieBreak)),
                seed=st.integers(0, 2**31),
                excluded=st.frozensets(st.sampled_from(withdrawn))
                if withdrawn
                else st.just(frozenset()),
            ),
        )
    )
    title = draw(st.one_of(st.none(), _NAME))
    return BallotFile(profile, rules, title, seats, withdrawn, labels, tie_order)


@given(ballot_files())
@settings(max_examples=300, deadline=None)
def test_what_we_write_we_read_back_exactly(file: BallotFile) -> None:
    text = write_blt(file)
    assert parse_blt(text) == file
    assert parse_blt(iter(text.splitlines(keepends=True))) == file


# Both ways of counting lines (plain text in memory, any iterable) give the same file and the
# same line numbers in errors.

_FAULTY = '3 1\n2 1 2 0\n2 1 2 0\n# ALTERNATIVE NAME 2: Bob\n1 3 9 0\n0\n"Ann"\n"Bob"\n"Cat"\n'


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_text_and_lines_agree_on_errors_and_line_numbers(newline: str) -> None:
    text = _FAULTY.replace("\n", newline)
    exotic = text + '"T\x0c"'  # a form feed: not plain text, read line by line
    for source in (text, iter(text.splitlines(keepends=True)), exotic):
        with pytest.raises(BallotFileError) as caught:
            parse_blt(source)
        assert caught.value.line == 5
        assert "candidate number 9 is not between 1 and 3" in str(caught.value)


def test_comments_among_the_ballots_are_read_in_both_ways() -> None:
    text = _FAULTY.replace("1 3 9 0", "1 3 0")
    for source in (text, iter(text.splitlines())):
        file = parse_blt(source)
        assert file.profile.total == 5
        bad = text.replace("NAME 2: Bob", "NAME 2: Bill")
        with pytest.raises(BallotFileError, match="line 4: '# ALTERNATIVE NAME 2' says 'Bill'"):
            parse_blt(bad if isinstance(source, str) else iter(bad.splitlines()))


@pytest.mark.parametrize("text", ['2 1\n0\n"A"\n"B"\n', "2 1\n0", '2 1\r\n0\r\n"A"\r\n"B"'])
def test_no_ballots_at_all(text: str) -> None:
    if text == "2 1\n0":
        with pytest.raises(BallotFileError, match="line 2: expected 2 candidate names"):
            parse_blt(text)
        return
    assert parse_blt(text).profile.ballots == ()


def test_end_marker_with_spaces_and_comment_ends_the_ballots() -> None:
    text = '2 1\n1 1 0\n 0  # end\n"A"\n"B"\n'
    for source in (text, iter(text.splitlines())):
        assert parse_blt(source).profile.total == 1


def test_missing_end_marker_names_the_last_line() -> None:
    for source in ("2 1\n1 1 0\n1 2 0\n", iter(["2 1", "1 1 0", "1 2 0"])):
        with pytest.raises(
            BallotFileError, match="line 3: the file ends before the end-of-ballots 0"
        ):
            parse_blt(source)


def test_wichmann_source_and_comment_after_the_title() -> None:
    file = parse_blt(BALLOTS + '"Ann"\n"Bob"\n"Cat"\n"Title"\n"Source"\n"Comment"\n')
    assert (file.profile.candidates, file.title) == (("Ann", "Bob", "Cat"), "Title")


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("2 1\n-1\n", 2, "the file ends before the end-of-ballots 0"),
        ('2 1\n[nick a b]\n[nick c d]\n0\n"A"\n"B"\n', 3, "found a second"),
        ('2 1\n[tie]\n0\n"A"\n"B"\n', 2, "[tie] lists no candidates"),
        ('2 1\n(abc 1 1 0\n0\n"A"\n"B"\n', 2, "expected a ballot id closed by ')'"),
        ('2 1\n1 1= 0\n0\n"A"\n"B"\n', 2, "expected candidates joined by '=', found '1='"),
        ('# ALTERNATIVE NAME 3: Cy\n2 1\n0\n"A"\n"B"\n', 1, "the header says 2 candidates"),
        ('2 1\n0\n"A"\n"B"\n# hustings-rules: {"seats": "two"}\n', 5, "hustings-rules:"),
        ('2 1\n0\n"A"\n"B"\n# hustings-rules: {"seats": \n', 5, "not valid JSON"),
        ('2 1\n0\n"A"\n"B"\n# hustings-rules: [1]\n', 5, "must be a JSON object, found list"),
    ],
)
def test_more_faults_name_their_line(text: str, line: int, message: str) -> None:
    with pytest.raises(BallotFileError) as caught:
        parse_blt(text)
    assert caught.value.line == line
    assert message in str(caught.value)


def test_labels_must_name_candidates() -> None:
    with pytest.raises(ValueError, match="label"):
        BallotFile(Profile(("A",), ()), labels={"Z": "Red"})


def test_blank_and_repeated_lines_among_the_ballots() -> None:
    text = '2 1\n1 1 2 0\n\n1 1 2 0\n   \n3 2 0\n0\n"A"\n"B"\n'
    for source in (text, iter(text.splitlines())):
        assert {b.ranking: b.count for b in parse_blt(source).profile.ballots} == {
            (("A",), ("B",)): 2,
            (("B",),): 3,
        }
