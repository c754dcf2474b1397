"""Member text reaches Discord as text: a corpus of hostile strings, and a round-trip property.

Each string would, unescaped, become markup in a message or embed: a masked link, bold, a
heading, a list, a quote, a spoiler, code, a mention. ``markdown.text`` must leave no markup
character unescaped, and a reader removing the escapes must see exactly the original.
"""

from __future__ import annotations

import re

import discord
import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.adapters.discord import markdown
from bot.adapters.discord.render import count_messages, plain, reply_messages, split_text
from bot.adapters.render import views
from bot.domain import CountOutcome, ElectionView
from counting.ballots import Ballot, Profile
from counting.engine import count
from counting.rules import Rules
from tests.bot.adapters.hostile import HOSTILE, question

_INLINE = set("\\*_~|`[]<>")


def unescaped_markup(escaped: str) -> list[str]:
    """Markup characters in ``escaped`` not preceded by an escaping backslash."""
    found = []
    index = 0
    while index < len(escaped):
        char = escaped[index]
        if char == "\\":
            index += 2  # an escape pair
            continue
        if char in _INLINE:
            found.append(char)
        index += 1
    for line in escaped.split("\n"):
        if re.match(r"[ \t]*(#|-|\+|\d+[.)])", line) and not re.match(r"[ \t]*\d+\\", line):
            found.append(line)
    if re.search(r"@(everyone|here|[!&]?\d{17,20})", escaped) or "://" in escaped:
        found.append("mention or link")
    return found


@pytest.mark.parametrize("hostile", HOSTILE)
def test_every_hostile_string_is_escaped_and_reads_back_exactly(hostile: str) -> None:
    escaped = markdown.text(hostile)
    assert unescaped_markup(escaped) == [], escaped
    assert markdown.shown(escaped) == hostile


@given(st.text(alphabet=st.characters(blacklist_characters="\u200b"), max_size=60))
def test_any_text_round_trips_with_no_markup_left(raw: str) -> None:
    escaped = markdown.text(raw)
    assert unescaped_markup(escaped) == []
    assert markdown.shown(escaped) == raw


def test_the_masked_link_question_card_has_no_link_and_no_bold() -> None:
    hostile = "[Vote here: official ballot](https://evil.example/login) **URGENT**"
    (message,) = reply_messages(views.approved(question(hostile)))
    assert message.content is not None
    body = message.content.split("\n", 1)[1]  # after the bot's own bold title
    assert "**" not in body.replace("\\*", "")
    assert "](" not in body.replace("\\]", "")
    assert r"\[Vote here: official ballot\]" in body
    assert markdown.shown(body).splitlines()[0].endswith(hostile)


def test_code_blocks_only_lose_their_closing_backticks() -> None:
    assert markdown.code("a ``` b *c*") == "a ˋˋˋ b *c*"


def test_discord_py_mention_escape_is_applied() -> None:
    assert markdown.text("@everyone") == discord.utils.escape_mentions("@everyone")


def test_a_long_escaped_line_is_never_split_inside_an_escape() -> None:
    for offset in range(4):
        raw = "x" * offset + "*" * 3000
        pieces = split_text(markdown.text(raw))
        assert all(len(p) <= 2000 for p in pieces)
        for piece in pieces:
            assert unescaped_markup(piece) == [], piece[-5:]
        assert markdown.shown("".join(pieces)) == raw


def test_candidate_names_in_a_count_are_escaped_in_fields_and_code() -> None:
    names = ("**Bold** [vote](https://evil.example)", "`Tick` @everyone", "Plain")
    ballots = (Ballot.of(names[0]), Ballot.of(names[1]), Ballot.of(names[0]), Ballot.of(names[2]))
    election = ElectionView(
        1, "1", "# Title **x**", names, 1, "irv", "counted", None, 0,
    )  # fmt: skip
    messages = count_messages(CountOutcome(election, count(Profile(names, ballots), Rules())))
    for message in messages:
        assert unescaped_markup((message.content or "").replace("**", "", 2)) == []
        for embed in message.embeds:
            code = (embed.description or "").removeprefix("```\n").removesuffix("\n```")
            assert "`" not in code
            for f in embed.fields:
                assert unescaped_markup(f"{f.name}\n{f.value}") == [], f.value
    text = "\n".join(plain(m) for m in messages)
    assert f"Elected: {names[0]}" in text and "ˋTickˋ @everyone" in text
