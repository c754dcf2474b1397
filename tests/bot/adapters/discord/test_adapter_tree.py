"""The app-command tree is generated from the declarations and fits Discord's rules."""

from __future__ import annotations

import re
from typing import Any

import discord
import pytest

from bot.adapters.commands import COMMANDS, Permission
from bot.adapters.discord.autocomplete import suggest_names, suggest_rankings
from bot.adapters.discord.client import convert, intents
from bot.adapters.discord.lines import slash_for
from bot.adapters.discord.tree import MODERATOR_PERMISSIONS, HustingsTree, layout, populate
from bot.errors import InvalidInput

NAME = re.compile(r"^[-_\w]{1,32}$")
CANDIDATES = ("Liz Kendall", "Andy Burnham", "Yvette Cooper", "Jeremy Corbyn")


async def _nothing(*args: Any) -> None:
    return None


async def _no_choices(*args: Any) -> list[str]:
    return []


@pytest.fixture
def payload() -> list[dict[str, Any]]:
    client = discord.Client(intents=intents())
    tree = populate(HustingsTree(client), _nothing, _no_choices)
    return [command.to_dict(tree) for command in tree.get_commands()]


def _walk(commands: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for command in commands:
        out.append(command)
        out.extend(_walk([o for o in command.get("options", []) if o["type"] in (1, 2)]))
    return out


def test_every_declared_command_is_on_discord_once(payload: list[dict[str, Any]]) -> None:
    names: set[str] = set()
    for command in payload:
        subs = [o["name"] for o in command.get("options", []) if o["type"] == 1]
        names.update(f"{command['name']} {s}" for s in subs) if subs else names.add(command["name"])
    assert names == {e.qualified_name for e in layout()}
    assert len(names) == len(COMMANDS)


def test_names_and_descriptions_fit_discord(payload: list[dict[str, Any]]) -> None:
    for item in _walk(payload):
        assert NAME.match(item["name"]) and item["name"] == item["name"].lower()
        assert 1 <= len(item["description"]) <= 100
        options = item.get("options", [])
        assert len(options) <= 25
        for option in options:
            assert NAME.match(option["name"])
            assert 1 <= len(option["description"]) <= 100
            assert len(option.get("choices") or []) <= 25
        required = [o.get("required", False) for o in options if o["type"] not in (1, 2)]
        assert required == sorted(required, reverse=True), item["name"]


def test_moderator_commands_are_hidden_by_default_permissions(
    payload: list[dict[str, Any]],
) -> None:
    by_name = {c["name"]: c for c in payload}
    hidden = MODERATOR_PERMISSIONS.value
    assert by_name["election"]["default_member_permissions"] == hidden
    assert by_name["question"]["default_member_permissions"] == hidden
    assert by_name["premoderate"]["default_member_permissions"] == hidden
    for member in ("rank", "ballot", "ask", "upvote", "election-status", "election-list"):
        assert by_name[member]["default_member_permissions"] is None
    election_subs = {o["name"] for o in by_name["election"]["options"]}
    declared = {c.path[1] for c in COMMANDS if c.path[0] == "election"}
    moderator = {
        c.path[1]
        for c in COMMANDS
        if c.path[0] == "election" and c.permission is Permission.MODERATOR
    }
    assert election_subs == moderator and moderator < declared


def test_option_types_choices_and_autocomplete(payload: list[dict[str, Any]]) -> None:
    by_name = {c["name"]: c for c in payload}
    rank = {o["name"]: o for o in by_name["rank"]["options"]}
    assert rank["ranking"]["type"] == 3 and rank["ranking"]["required"]
    assert rank["ranking"]["autocomplete"] is True
    questions = {o["name"]: o for o in by_name["questions"]["options"]}
    assert [c["value"] for c in questions["order"]["choices"]] == ["top", "new"]
    assert questions["page"]["type"] == 4
    ask = {o["name"]: o for o in by_name["ask"]["options"]}
    assert ask["named"]["type"] == 5 and ask["to"]["autocomplete"] is True


def test_no_privileged_intents() -> None:
    chosen = intents()
    assert not (chosen.members or chosen.presences or chosen.message_content)
    assert chosen.guilds


def test_options_are_converted_by_their_declarations() -> None:
    from bot.adapters.commands import BY_NAME  # noqa: PLC0415

    create = BY_NAME["election create"]
    values = convert(create, {"title": "Leader", "candidates": "A, B", "seats": 2, "ron": None})
    assert values == {"title": "Leader", "candidates": ("A", "B"), "seats": 2}
    with pytest.raises(InvalidInput, match="--closes"):
        convert(create, {"title": "T", "candidates": "A, B", "closes": "soon"})


def test_console_lines_become_discord_slash_commands() -> None:
    assert slash_for("/election status 2") == ("election-status", {"election": "2"})
    assert slash_for("/rank 1. Burnham 2. Cooper") == ("rank", {"ranking": "1. Burnham 2. Cooper"})


def test_rank_suggestions_complete_the_name_being_typed() -> None:
    assert suggest_rankings("Corbyn, Bur", CANDIDATES) == ["Jeremy Corbyn, Andy Burnham"]
    assert suggest_rankings("corbyn bur", CANDIDATES) == ["Jeremy Corbyn, Andy Burnham"]


def test_rank_suggestions_offer_every_remaining_candidate_next() -> None:
    assert suggest_rankings("Jeremy Corbyn, ", CANDIDATES) == [
        "Jeremy Corbyn, Liz Kendall",
        "Jeremy Corbyn, Andy Burnham",
        "Jeremy Corbyn, Yvette Cooper",
    ]
    assert suggest_rankings("", CANDIDATES) == list(CANDIDATES)


def test_rank_suggestions_never_offer_what_does_not_parse() -> None:
    assert suggest_rankings("Nobody at all", CANDIDATES) == []
    assert suggest_rankings("Corbyn Corbyn", CANDIDATES) == []


def test_long_rankings_are_shortened_to_unambiguous_prefixes_within_100() -> None:
    names = tuple(f"Candidate Number{i:02d} Longname" for i in range(30))
    typed = ", ".join(names[:7]) + ", "
    found = suggest_rankings(typed, names)
    assert found and all(len(s) <= 100 for s in found)
    assert found[0].startswith("Number00, Number01")


def test_candidate_names_complete_by_any_word() -> None:
    assert suggest_names("co", CANDIDATES) == ["Yvette Cooper", "Jeremy Corbyn"]
    assert suggest_names("", CANDIDATES) == list(CANDIDATES)
