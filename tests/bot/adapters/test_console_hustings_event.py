"""Issue 13 items 4 and 5 on the fake console (the same scenario runs on Discord and Slack):
the scenario, the files the console saves, and the refusals around a hustings."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from bot.adapters.fake.console import Console
from bot.app import App
from tests.bot.adapters import hustings_event_scenario, scenarios
from tests.bot.adapters.console_chat import ConsoleChat


async def test_hustings_event_on_the_console(app: App) -> None:
    chat = ConsoleChat(app)
    await scenarios.play(chat, hustings_event_scenario.hustings_event())
    assert "[pinned in #general]" in chat.transcript


async def _feed(app: App, folder: Path, *lines: str) -> list[str]:
    out: list[str] = []
    console = Console(app, out.append, echo=False, attachments=folder)
    for line in lines:
        await console.feed(line)
    return out


async def test_the_console_saves_the_minutes_as_two_files(app: App, tmp_path: Path) -> None:
    folder = tmp_path / "files"
    out = await _feed(
        app,
        folder,
        "@mod +moderator: /hustings start",
        "@alice: /ask Line one, with a comma",
        "@mod +moderator: /hustings end",
        "@bob: /questions export",
    )
    saved = sorted(p.name for p in folder.iterdir())
    assert saved == ["hustings-1-minutes.csv", "hustings-1-minutes.md"]
    assert f"[attachment hustings-1-minutes.csv: {folder / 'hustings-1-minutes.csv'}]" in out
    rows = list(csv.reader(io.StringIO((folder / "hustings-1-minutes.csv").read_text("utf-8"))))
    assert rows[1][:4] == ["Q1", "1", "open", "Line one, with a comma"]
    assert rows[1][5] == ""  # anonymous: never named, not even in the moderators' copy


async def test_a_member_cannot_export_where_no_hustings_was_held(app: App, tmp_path: Path) -> None:
    out = await _feed(
        app,
        tmp_path / "f",
        "@alice: /ask Rail?",
        "@alice: /questions export",
        "@mod +moderator: /questions export",
    )
    assert any("No hustings has been held in this channel" in line for line in out)
    assert any("Minutes of all questions in this channel" in line for line in out)
    assert "\n    Q1,,open,Rail?," in "\n".join(out)


async def test_questions_outside_the_hustings_are_not_in_its_minutes(
    app: App, tmp_path: Path
) -> None:
    await _feed(
        app,
        tmp_path / "f",
        "@alice: /ask Before it started?",
        "@mod +moderator: /hustings start",
        "@alice: /ask During it?",
        "@mod +moderator: /hustings end",
        "@alice: /ask After it ended?",
        "@bob: /questions export",
    )
    text = (tmp_path / "f" / "hustings-1-minutes.csv").read_text("utf-8")
    assert "\nQ2,1,open,During it?," in text
    assert "Before it started" not in text and "After it ended" not in text


async def test_a_ballot_that_cannot_open_leaves_the_hustings_open(app: App, tmp_path: Path) -> None:
    out = await _feed(
        app,
        tmp_path / "f",
        '@mod +moderator: /election create "Snap" A, B',
        "@mod +moderator: /hustings start --ballot 1",
        "@mod +moderator: /election open 1",
        "@mod +moderator: /hustings end",
        "@alice: /questions export",
        "@mod +moderator: /hustings end --ballot 2",
    )
    assert any("Snap is already open" in line for line in out), out
    assert any("Hustings 1 is still going on" in line for line in out)
    assert any("There is no election '2' in this channel" in line for line in out), out


async def test_two_different_ballots_are_refused(app: App, tmp_path: Path) -> None:
    out = await _feed(
        app,
        tmp_path / "f",
        '@mod +moderator: /election create "First" A, B',
        '@mod +moderator: /election create "Second" C, D',
        "@mod +moderator: /hustings start --ballot First",
        "@mod +moderator: /hustings end --ballot Second",
        "@mod +moderator: /hustings end --ballot First",
    )
    assert any("it cannot also open 2 (Second)" in line for line in out), out
    assert any("Voting is open: First" in line for line in out), out
    assert not any("Voting is open: Second" in line for line in out)


async def test_a_question_never_published_is_only_in_the_moderators_minutes(
    app: App, tmp_path: Path
) -> None:
    out = await _feed(
        app,
        tmp_path / "f",
        "@mod +moderator: /premoderate on",
        "@mod +moderator: /hustings start",
        "@alice: /ask Held back?",
        "@alice: /ask Published?",
        "@mod +moderator: /question approve P2",
        "@mod +moderator: /hustings end",
        "@bob: /questions export",
        "@mod +moderator: /questions export",
    )
    text = "\n".join(out)
    members, moderators = text.split("[private to mod] Minutes of Hustings 1", 1)
    assert "Q1,1,open,Published?" in members and "Held back" not in members
    assert "1 question: 1 open." in members
    assert "P1,1,pending,Held back?" in moderators and "Q1,1,open,Published?" in moderators


async def test_ballot_none_ends_a_hustings_whose_ballot_cannot_open(
    app: App, tmp_path: Path
) -> None:
    out = await _feed(
        app,
        tmp_path / "f",
        '@mod +moderator: /election create "Snap" A, B',
        "@mod +moderator: /hustings start --ballot Snap",
        "@mod +moderator: /election cancel 1",
        "@mod +moderator: /hustings end",
        "@mod +moderator: /hustings end --ballot none",
    )
    assert any("/hustings end --ballot none ends it without opening" in line for line in out)
    assert any("Hustings 1 has ended" in line for line in out), out
    assert not any("Voting is open" in line for line in out)
