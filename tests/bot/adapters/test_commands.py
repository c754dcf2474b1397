"""Command declarations (inside Discord's limits) and the single-text form built from them."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from bot.adapters.commands import BY_NAME, CLEAR, COMMANDS, GROUPS, Kind, Permission, visible_to
from bot.adapters.textform import parse_line
from bot.errors import InvalidInput

_DISCORD_NAME = re.compile(r"^[-_a-z0-9]{1,32}$")


def invalid(line: str) -> str:
    with pytest.raises(InvalidInput) as info:
        parse_line(line)
    return info.value.message


# --- declarations -----------------------------------------------------------------------------


def test_every_command_the_issue_names_is_declared() -> None:
    expected = {
        "rank", "ballot", "withdraw", "ask", "upvote", "questions", "premoderate", "help",
        "election create", "election edit", "election alias", "election open", "election close",
        "election cancel", "election count", "election next", "election list", "election status",
        "election export", "question answer", "question dismiss", "question approve",
        "question pending", "question limits", "hustings start", "hustings end",
        "question merge", "question edit", "question accept", "question decline",
        "link", "unlink", "roll", "election remind", "election share", "election unshare",
    }  # fmt: skip
    assert set(BY_NAME) == expected


def test_each_command_is_declared_once() -> None:
    assert len(BY_NAME) == len(COMMANDS)


def test_names_fit_discord() -> None:
    for command in COMMANDS:
        for part in command.path:
            assert _DISCORD_NAME.match(part), command.name
        for option in command.options:
            assert _DISCORD_NAME.match(option.name), (command.name, option.name)


def test_descriptions_fit_discord() -> None:
    texts = [c.help for c in COMMANDS] + [o.help for c in COMMANDS for o in c.options]
    texts += list(GROUPS.values())
    for text in texts:
        assert 1 <= len(text) <= 100, text


def test_option_and_choice_counts_fit_discord() -> None:
    for command in COMMANDS:
        assert len(command.options) <= 25, command.name
        for option in command.options:
            assert len(option.choices) <= 25
            assert (option.kind is Kind.CHOICE) == bool(option.choices), option.name
    for group in GROUPS:
        assert len([c for c in COMMANDS if c.path[0] == group]) <= 25


def test_required_options_come_first_as_discord_demands() -> None:
    for command in COMMANDS:
        flags = [o.required for o in command.options]
        assert flags == sorted(flags, reverse=True), command.name


def test_option_names_are_unique_within_a_command() -> None:
    for command in COMMANDS:
        names = [o.name for o in command.options]
        assert len(names) == len(set(names)), command.name


def test_only_the_last_positional_takes_the_rest() -> None:
    for command in COMMANDS:
        positionals = [o for o in command.options if o.positional]
        assert all(not o.rest for o in positionals[:-1]), command.name


def test_groups_are_the_first_words_of_sub_commands() -> None:
    assert {c.path[0] for c in COMMANDS if len(c.path) == 2} == set(GROUPS)


def test_members_see_no_moderator_commands() -> None:
    member = {c.name for c in visible_to(is_moderator=False)}
    assert "rank" in member and "election status" in member
    assert "election create" not in member and "question answer" not in member


def test_moderators_see_everything() -> None:
    assert len(list(visible_to(is_moderator=True))) == len(COMMANDS)


def test_managing_commands_need_a_moderator() -> None:
    for name in ("election create", "election count", "election export", "premoderate"):
        assert BY_NAME[name].permission is Permission.MODERATOR


# --- the single-text form -----------------------------------------------------------------------


def test_create_in_one_line() -> None:
    line = (
        '/election create "Labour leader 2015" Kendall, Burnham, Cooper, Corbyn'
        " --seats 1 --method IRV --closes 2026-12-01T18:00Z"
    )
    parsed = parse_line(line)
    assert parsed.command.name == "election create"
    assert parsed.options == {
        "title": "Labour leader 2015",
        "candidates": ("Kendall", "Burnham", "Cooper", "Corbyn"),
        "seats": 1,
        "method": "irv",
        "closes": datetime(2026, 12, 1, 18, 0, tzinfo=UTC),
    }


def test_candidates_may_be_quoted_words_instead_of_commas() -> None:
    parsed = parse_line('/election create Test "Liz Kendall" "Andy Burnham" Cooper')
    assert parsed.options["candidates"] == ("Liz Kendall", "Andy Burnham", "Cooper")


def test_rank_keeps_the_ranking_text_for_the_ranking_parser() -> None:
    parsed = parse_line('/rank "Liz Kendall" > burnham, 3. cooper --election 2')
    assert parsed.options == {"ranking": '"Liz Kendall" > burnham, 3. cooper', "election": "2"}


def test_flags_may_come_first_and_use_equals() -> None:
    parsed = parse_line("/ask --to=Corbyn --named Will you renationalise rail?")
    assert parsed.options == {
        "to": "Corbyn",
        "named": True,
        "question": "Will you renationalise rail?",
    }


def test_a_bool_flag_may_take_yes_or_no() -> None:
    assert parse_line("/election edit 1 --ron no").options == {"election": "1", "ron": False}


def test_alias_takes_the_election_then_alias_then_candidate() -> None:
    parsed = parse_line('/election alias 1 JC "Jeremy Corbyn"')
    assert parsed.options == {"election": "1", "alias": "JC", "candidate": "Jeremy Corbyn"}


def test_the_election_may_be_left_out_where_one_can_be_picked() -> None:
    assert parse_line("/election count 2").options == {"election": "2"}
    for sub in ("count", "open", "close", "cancel", "status", "export"):
        assert parse_line(f"/election {sub}").options == {}
    assert parse_line("/election export --format json").options == {"format": "json"}
    assert BY_NAME["election count"].usage == (
        "/election count [<election>] [--paced] [--pace PACE]"
    )
    assert invalid("/election edit").startswith("Missing election.")
    assert invalid("/election alias").startswith("Missing election, alias, candidate.")
    assert parse_line("/rank Kendall").options == {"ranking": "Kendall"}


def test_the_slash_is_optional_and_case_does_not_matter() -> None:
    assert parse_line("ELECTION List").command.name == "election list"


@pytest.mark.parametrize(
    ("typed", "seconds"), [("+90s", 90), ("+30m", 1800), ("+2H", 7200), ("+1d", 86400)]
)
def test_closes_may_be_a_time_from_now(typed: str, seconds: int) -> None:
    before = datetime.now(UTC)
    closes = parse_line(f"/election edit 1 --closes {typed}").options["closes"]
    after = datetime.now(UTC)
    assert isinstance(closes, datetime)
    assert before + timedelta(seconds=seconds) <= closes <= after + timedelta(seconds=seconds)


@pytest.mark.parametrize("typed", ["+", "+5", "+5w", "+-5m", "+1.5h", "5m"])
def test_a_malformed_time_from_now_is_refused(typed: str) -> None:
    with pytest.raises(InvalidInput, match="like 2026-12-01T18:00Z or \\+2h"):
        parse_line(f"/election edit 1 --closes {typed}")


def test_datetime_without_zone_is_utc() -> None:
    parsed = parse_line("/election edit 1 --closes 2026-12-01 18:00")
    assert parsed.options["closes"] == datetime(2026, 12, 1, 18, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("/foo", 'There is no command "/foo". Type /help to see what you can do.'),
        ("", "Type a command, e.g. /help."),
        ("/rank", "Missing ranking. Usage: /rank <ranking> [--election ELECTION]"),
        ("/rank a --bogus 1", '/rank has no option "--bogus" (options: --election).'),
        ("/upvote 1 2", 'Unexpected "2". Usage: /upvote <id>'),
        ("/election edit --seats x", '--seats must be a whole number, not "x".'),
        (
            "/election edit --method borda",
            '--method must be one of irv, stv, college, not "borda".',
        ),
        ("/election edit --seats", "--seats needs a value."),
        ("/election edit --closes soon", "--closes must be a date and time like 2026-12-01T18:00Z"),
        ('/rank "unclosed', "A quote is not closed."),
        ("/ask --nmaed Why?", '/ask has no option "--nmaed" (options: --to, --named).'),
        ("/election", "/election needs a sub-command: create, edit"),
        ("/question frob 1", '/question has no sub-command "frob"; try one of: answer'),
    ],
)
def test_malformed_lines_say_what_is_wrong(line: str, expected: str) -> None:
    message = invalid(line)
    assert message.startswith(expected)


def test_a_bool_flag_followed_by_other_words_is_just_on() -> None:
    parsed = parse_line("/ask --named maybe later?")
    assert parsed.options == {"named": True, "question": "maybe later?"}


def test_usage_is_generated_from_the_declaration() -> None:
    assert BY_NAME["questions"].usage == (
        "/questions [<list|export|stats>] [--order top|new] "
        "[--status open|answered|pending|dismissed|all] [--to CANDIDATE] [--page N] "
        "[--hustings N]"
    )


def test_closes_takes_none_to_clear_it() -> None:
    assert parse_line("/election edit 1 --closes none").options == {
        "election": "1",
        "closes": CLEAR,
    }
    assert parse_line("/election edit 1 --closes=Never").options["closes"] == CLEAR
    assert invalid("/election edit 1 --seats none").startswith("--seats must be a whole number")


def test_a_flag_list_may_have_spaces_after_its_commas() -> None:
    parsed = parse_line(
        '/election create "L" A, B, C --method college --sections mp=MPs, member=Members'
        " --weights MPs=1, Members=2 --roles mp, member"
    )
    assert parsed.options["candidates"] == ("A", "B", "C")
    assert parsed.options["sections"] == "mp=MPs, member=Members"
    assert parsed.options["weights"] == "MPs=1, Members=2"
    assert parsed.options["roles"] == ("mp", "member")


def test_only_list_flags_continue_after_a_comma() -> None:
    parsed = parse_line("/ask --to Corbyn, What about rail?")
    assert parsed.options == {"to": "Corbyn,", "question": "What about rail?"}
