"""``/questions export`` on Slack: the minutes arrive as two files in the requester's direct
message with the app (``conversations.open`` + ``files_upload_v2``), the same bytes as the
files the console saves for the same scenario (but for the wall-clock "last changed"
stamps, see ``_settled``); the ephemeral reply says where they went, or, when
the workspace's token lacks ``im:write`` or ``files:write``, that they could not be sent and
why, with the text (the requester's own copy) in the ephemeral instead.

Everything runs through the real slack-bolt app and slack_sdk against the fake Slack.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest
from hustings_slack import (
    CHANNEL,
    FAST_LIMIT,
    TEAM,
    SlackChat,
    oauth_served,
    running,
    texts,
    user_id,
    workspace,
)

from bot.adapters.fake.console import Console
from bot.adapters.slack.console import SlackConsole
from bot.adapters.slack.fake import FakeSlack, Message
from bot.adapters.slack.fake.scopes import ALL_SCOPES
from bot.app import App
from tests.bot.adapters import hustings_event_scenario, scenarios
from tests.bot.adapters.conftest import Clock
from tests.bot.adapters.scenarios import Step

MOD = frozenset({"moderator"})
NAMES = ["hustings-1-minutes.md", "hustings-1-minutes.csv"]


def shared_files(fake: FakeSlack, message: Message) -> dict[str, bytes]:
    """``{filename: bytes}`` of the files ``message`` shares, in order."""
    found = [fake.file_store.files[i] for i in message.files]
    return {f.filename: f.data or b"" for f in found}


async def test_the_minutes_reach_the_requester_as_files_in_a_dm(tmp_path: Path) -> None:
    async with running(tmp_path, "http") as slack:
        fake = slack.fake
        await scenarios.play(SlackChat(fake), hustings_event_scenario.hustings_event())

        (to_mod,) = fake.direct_messages(TEAM, user_id("mod"))
        (to_erin,) = fake.direct_messages(TEAM, user_id("erin"))
        assert fake.direct_messages(TEAM, user_id("alice")) == []  # refused: nothing sent
        assert to_mod.text.startswith("Minutes of Hustings 1 (Leadership hustings) (asked for in")
        mod_files, erin_files = shared_files(fake, to_mod), shared_files(fake, to_erin)
        assert list(mod_files) == NAMES and list(erin_files) == NAMES
        assert b"Q3,1,dismissed,Off-topic rubbish," in mod_files[NAMES[1]]
        assert b"rubbish" in mod_files[NAMES[0]]  # Markdown escapes the "-"
        assert all(b"rubbish" not in data for data in erin_files.values())
        for stored in fake.file_store.files.values():  # each DM's files, nowhere else
            assert stored.channels in ([to_mod.channel], [to_erin.channel])
            assert not stored.public
        assert to_mod.channel != to_erin.channel
        assert not any(m.files for m in fake.channel_messages(TEAM, CHANNEL))
        said = [m.text for m in fake.ephemerals(TEAM, user_id("erin"))]
        assert said == ["Minutes of Hustings 1 (Leadership hustings)"]
        (shown,) = texts(fake.ephemerals(TEAM, user_id("erin")))
        assert "Sent to you as files in a direct message: " + " and ".join(NAMES) in shown
        assert "Q1,1,answered" not in shown  # the files are not repeated as text
        opened = [c for c in fake.calls if c.method == "conversations.open"]
        assert [c.args["users"] for c in opened] == [user_id("mod"), user_id("erin")]


def _console_line(step: Step) -> str:
    flags = "".join(f" +{r}" for r in sorted(step.roles))
    return f"@{step.who}{flags}: {step.line}"


async def test_the_dm_files_are_what_the_console_saves(
    app: App, clock: Clock, tmp_path: Path
) -> None:
    steps = hustings_event_scenario.hustings_event()
    folder = tmp_path / "console-files"
    console = Console(app, [].append, echo=False, attachments=folder)
    for step in steps:
        await console.feed(_console_line(step))
    saved = {p.name: p.read_bytes() for p in folder.iterdir()}
    assert sorted(saved) == sorted([*NAMES, "hustings-1-minutes-2.md", "hustings-1-minutes-2.csv"])

    async with running(tmp_path / "slack", "http", clock=clock) as slack:
        fake = slack.fake
        chat = SlackChat(fake)
        for step in steps:
            await chat.say(step)
        (to_mod,) = fake.direct_messages(TEAM, user_id("mod"))
        (to_erin,) = fake.direct_messages(TEAM, user_id("erin"))
        mod_files, erin_files = shared_files(fake, to_mod), shared_files(fake, to_erin)

    console_mod = {name: saved[name] for name in NAMES}  # the moderator's, mid-hustings
    console_erin = {name: saved[name.replace("-minutes", "-minutes-2")] for name in NAMES}
    assert _settled(mod_files) == _settled(console_mod)
    assert _settled(erin_files) == _settled(console_erin)
    assert mod_files != erin_files  # the member's copy withholds the dismissed text


WALL_CLOCK = re.compile(rb"(\*\*Last changed:\*\* |,)\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ(\r?\n)")


def _settled(files: dict[str, bytes]) -> dict[str, bytes]:
    """The files with each question's "last changed" time (CSV ``updated_at``, the last
    column; Markdown "Last changed") replaced by ``<T>``: the storage layer stamps a
    changed question with the wall clock, not the core's injected clock, so only those
    differ between two runs. Everything else must be equal byte for byte."""
    out = {}
    for name, data in files.items():
        settled, n = WALL_CLOCK.subn(rb"\1<T>\2", data)
        assert n == 3, (name, n)  # one per question: Q1, Q2, Q3
        out[name] = settled
    return out


async def test_without_im_write_the_reply_says_so_and_shows_the_text(tmp_path: Path) -> None:
    async with running(tmp_path, "http") as slack:
        fake, chat = slack.fake, SlackChat(slack.fake)
        await chat.slash("mod", "/hustings start", MOD)
        await chat.slash("alice", "/ask Rail, or roads?")
        fake.set_bot_scopes(TEAM, ALL_SCOPES - {"im:write"})
        done = await chat.slash("mod", "/questions export", MOD)

        shown = "\n".join(texts(done.ephemerals))
        assert "Could not send " + " and ".join(NAMES) + " to you in a direct message" in shown
        assert (
            "this Slack app may not open direct messages (it lacks the im:write permission" in shown
        )
        assert "reinstalling the app" in shown
        assert 'Q1,1,open,"Rail, or roads?"' in shown  # the requester's copy, as text
        assert done.direct == [] and fake.file_store.files == {}
        refused = [(c.method, c.error) for c in fake.calls if c.error]
        assert refused == [("conversations.open", "missing_scope")]
        assert not any(c.method.startswith("files.") for c in fake.calls)
        assert done.messages == []  # nothing in the channel


async def test_without_files_write_the_reply_says_so_and_nothing_is_stored(
    tmp_path: Path,
) -> None:
    async with running(tmp_path, "http") as slack:
        fake, chat = slack.fake, SlackChat(slack.fake)
        await chat.slash("mod", "/hustings start", MOD)
        await chat.slash("alice", "/ask Rail?")
        fake.set_bot_scopes(TEAM, ALL_SCOPES - {"files:write"})
        done = await chat.slash("mod", "/questions export", MOD)

        shown = "\n".join(texts(done.ephemerals))
        assert "this Slack app may not upload files (it lacks the files:write permission" in shown
        assert "Q1,1,open,Rail?" in shown
        assert done.direct == [] and fake.file_store.files == {}
        refused = [(c.method, c.error) for c in fake.calls if c.error]
        assert refused == [("files.getUploadURLExternal", "missing_scope")]
        assert done.messages == []


async def test_an_oauth_install_asks_for_every_scope_the_minutes_need(tmp_path: Path) -> None:
    """The real "Add to Slack" path (``transport.SCOPES``) grants ``im:write`` and
    ``files:write``: with no scope set by hand, the minutes reach the DM."""
    async with FakeSlack(rate_limit=FAST_LIMIT, settle_quiet=0.05) as fake:
        workspace(fake, installed=False)
        async with oauth_served(fake, tmp_path):
            assert (await fake.install(TEAM)).status == 200
            chat = SlackChat(fake)
            await chat.slash("mod", "/hustings start", MOD)
            await chat.slash("alice", "/ask Rail?")
            done = await chat.slash("mod", "/questions export", MOD)

            (shared,) = done.direct
            assert list(shared_files(fake, shared)) == [
                "hustings-1-minutes.md",
                "hustings-1-minutes.csv",
            ]
            assert [c.error for c in fake.calls if c.error] == []


async def test_the_slack_console_prints_the_dm_and_its_files(tmp_path: Path) -> None:
    async with running(tmp_path, "http") as slack:
        out: list[str] = []
        console = SlackConsole(slack.fake, TEAM, CHANNEL, out.append)
        for line in (
            "@mod +moderator: /hustings start",
            "@alice: /ask Rail?",
            "@mod +moderator: /questions export",
        ):
            await console.feed(line)

        text = "\n".join(out)
        assert "[private to mod] Minutes of Hustings 1" in text
        assert "[direct message to mod] Minutes of Hustings 1 (asked for in" in text
        assert "[attachment hustings-1-minutes.csv]\n    question,hustings,state," in text
        assert "\n    Q1,1,open,Rail?," in text


async def test_a_count_without_files_write_posts_its_whole_text_and_no_chart_claim(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The count's charts only illustrate its text, which never mentions them: without
    ``files:write`` the text stands complete and nothing says charts follow."""
    async with running(tmp_path, "http") as slack:
        fake, chat = slack.fake, SlackChat(slack.fake)
        await chat.slash("mod", '/election create "Leader" Kendall, Corbyn', MOD)
        await chat.slash("mod", "/election open", MOD)
        for n, ranking in enumerate(["Corbyn", "Corbyn", "Kendall"]):
            await chat.slash(f"voter{n}", f"/rank {ranking}")
        fake.set_bot_scopes(TEAM, ALL_SCOPES - {"files:write"})
        with caplog.at_level(logging.WARNING):
            counted = await chat.slash("mod", "/election count", MOD)

        text = "\n".join(texts(counted.messages))
        assert "Elected: Corbyn" in text and "chart" not in text.lower()
        assert not any(m.files for m in counted.messages) and fake.file_store.files == {}
        assert any("refused 2 uploads: missing_scope" in r.getMessage() for r in caplog.records)


async def test_a_dm_slack_will_not_open_is_named_with_slacks_reason(tmp_path: Path) -> None:
    async with running(tmp_path, "http") as slack:
        fake, chat = slack.fake, SlackChat(slack.fake)
        await chat.slash("mod", "/hustings start", MOD)
        await chat.slash("alice", "/ask Rail?")
        fake.team(TEAM).users[user_id("mod")].deleted = True  # conversations.open refuses
        done = await chat.slash("mod", "/questions export", MOD)

        shown = "\n".join(texts(done.ephemerals))
        assert "in a direct message: Slack would not open one (user_disabled)." in shown
        assert "Q1,1,open,Rail?" in shown and done.direct == []
