"""Phone dashes before an option name, on the console: every command refuses ``—option`` and
``——option`` with a hint naming ``--option``, and nothing is created, posted or changed."""

from __future__ import annotations

import pytest

from bot.adapters.fake.run import run_lines
from bot.app import App

SETUP = [
    '@mod +moderator: /election create "Leader" Kendall, Burnham',
    "@mod +moderator: /election open",
    "@bob: /ask Will you renationalise rail?",
]


async def _said(app: App, line: str) -> str:
    out: list[str] = []
    await run_lines(app, [*SETUP, line], out.append)
    return "\n".join(out[out.index(line) + 1 :])


@pytest.mark.parametrize(
    ("line", "option"),
    [
        ('@mod +moderator: /election create "T" Ann, Ben —electorate roll', "electorate"),
        ('@mod +moderator: /election create "T" Ann, Ben ——electorate roll', "electorate"),
        ('@mod +moderator: /election create "T" Ann, Ben –seats 2', "seats"),
        ("@alice: /upvote Q1 —undo", "undo"),
        ("@alice: /ask ——named Who are you?", "named"),
        ("@alice: /ask –-to Kendall Rail?", "to"),
        ("@alice: /rank Kendall Burnham —election 1", "election"),
        ("@alice: /questions —order top", "order"),
    ],
)
async def test_a_phone_dash_option_is_refused_with_a_hint(app: App, line: str, option: str) -> None:
    said = await _said(app, line)
    assert f"Did you mean --{option}?" in said, said
    assert "[#" not in said  # nothing posted: no election, no question
    assert "Unexpected" not in said


async def test_nothing_was_created_by_a_refused_line(app: App) -> None:
    said = await _said(app, '@mod +moderator: /election create "T" Ann, Ben —electorate roll')
    assert "Did you mean --electorate?" in said
    listed = await _said(app, "@mod +moderator: /election list")
    assert "Leader" in listed and "T (" not in listed and "Ben —electorate" not in listed


async def test_after_a_double_hyphen_a_dash_word_is_text(app: App) -> None:
    said = await _said(app, "@alice: /ask -- ——named is what the report says?")
    assert "——named is what the report says?" in said
