"""The real ``hustings`` command as a subprocess: demo transcript, ``run`` without tokens."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "demo" / "leadership2015.txt"
TOKENS = ("DISCORD_TOKEN", "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET")
SETTINGS = ("DATA_DIR", "DATABASE_URL", "HUSTINGS_SECRET", "LOG_LEVEL", "COUNT_SEED", "PLATFORM")


def hustings(
    tmp_path: Path, *args: str, stdin: str = "", defaults: bool = False, **env: str
) -> subprocess.CompletedProcess[str]:
    """``hustings ARGS`` in ``tmp_path``; its data under ``tmp_path/data``, named explicitly,
    or (``defaults``) left to the defaults, which are relative to the folder it runs in."""
    environment = {k: v for k, v in os.environ.items() if k not in TOKENS + SETTINGS}
    environment.update(PYTHONPATH=str(ROOT))
    if not defaults:
        environment.update(
            DATA_DIR=str(tmp_path / "data"),
            DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'data' / 'hustings.db'}",
        )
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=environment,
        timeout=120,
        check=False,
    )


def no_chatter(stderr: str) -> bool:
    """No INFO or DEBUG log line (the default level of the consoles is WARNING)."""
    return re.search(r" (INFO|DEBUG) ", stderr) is None


def test_demo_script_prints_the_rounds_and_the_winner(tmp_path: Path) -> None:
    done = hustings(tmp_path, "fake", "--script", str(DEMO))
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert "[#general] Result: Labour leader 2015" in lines
    for expected in (
        "    Round 1: threshold 7: more than half of the 12 continuing votes",
        "      Percentages are of continuing votes.",
        "      Corbyn   5   41.7%",
        "      Eliminated: Kendall",
        "    Round 2: threshold 7 (of 12 continuing votes)",
        "      Eliminated: Burnham",
        "    Round 3: threshold 6 (of 11 continuing votes)",
        "      Corbyn  6   54.5%",
        "      Elected: Corbyn",
        "    Winner: Corbyn",
        # the hustings before the vote: a merge, the figures in the open, the pinned answers
        "[#general] Q4 merged into Q1 (a duplicate)",
        "    4 received · 4 shown · 2 answered · 2 dismissed (1 duplicate, 1 off-topic)"
        " · 0 pending",
        "[pinned in #general]",
        # the paced declaration: one round a press, moderators only
        "    Round 2 of 3 follows on /election next.",
        "[private to bob] Only moderators can use /election next.",
    ):
        assert expected in lines
    # a throwaway database: nothing is left in the folder or in DATA_DIR
    assert sorted(p.name for p in tmp_path.iterdir()) == []
    # a quiet console: no log line interleaves with the transcript
    assert no_chatter(done.stderr)


CAST = re.compile(r"Cast \d{4}-\d\d-\d\d \d\d:\d\d UTC")
STAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")


def untimed(transcript: str) -> str:
    """``transcript`` with its real-time stamps replaced by ``<time>``."""
    return STAMP.sub("<time>", CAST.sub("Cast <time>", transcript))


def test_the_demo_tells_the_same_story_after_any_other_use(tmp_path: Path) -> None:
    """``run`` (the persistent ``./data`` file) leaves an open election in the folder; the
    demo, twice in the same folder, prints the same transcript, receipts included."""
    session = hustings(
        tmp_path,
        "run",
        stdin='@m +moderator: /election create "Labour leader 2015" Abbott, Burnham\n'
        "@m +moderator: /election open\n"
        "@zed: /rank Abbott\n",
        defaults=True,
    )
    assert session.returncode == 0, session.stderr
    assert "is recorded: 1. Abbott" in session.stdout
    assert (tmp_path / "data" / "hustings.db").exists()
    kept = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))

    first = hustings(tmp_path, "fake", "--script", str(DEMO), defaults=True)
    second = hustings(tmp_path, "fake", "--script", str(DEMO), defaults=True)

    assert first.returncode == 0 and second.returncode == 0, first.stderr + second.stderr
    # the real-time facts in the story: when alice's ballot was cast (to the minute) and the
    # times in the hustings minutes (to the second), which differ from run to run
    assert CAST.search(first.stdout) and CAST.search(second.stdout)
    assert STAMP.search(first.stdout) and STAMP.search(second.stdout)
    assert untimed(first.stdout) == untimed(second.stdout)
    assert "Election 1 created as a draft: Labour leader 2015" in first.stdout
    assert "Abbott" not in first.stdout
    assert first.stdout.count("— receipt ") == 15
    assert "    Winner: Corbyn" in first.stdout.splitlines()
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == kept


def test_fake_with_a_database_keeps_it(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'kept.db'}"
    script = tmp_path / "s.txt"
    script.write_text('@m +moderator: /election create "Kept" A, B\n', encoding="utf-8")
    hustings(tmp_path, "fake", "--script", str(script), "--database", url)
    again = hustings(tmp_path, "fake", "--database", url, stdin="@m +moderator: /election list\n")
    assert again.returncode == 0, again.stderr
    assert "Kept" in again.stdout


def test_logs_never_contain_a_ranking(tmp_path: Path) -> None:
    script = tmp_path / "s.txt"
    script.write_text(
        '@m +moderator: /election create "L" Zebedee, Xanthippe\n'
        "@m +moderator: /election open L\n"
        "@a: /rank Xanthippe Zebedee\n",
        encoding="utf-8",
    )
    done = hustings(tmp_path, "fake", "--script", str(script), LOG_LEVEL="DEBUG")
    assert done.returncode == 0, done.stderr
    assert "ballot cast" in done.stderr
    assert "Xanthippe" not in done.stderr


def test_run_without_tokens_starts_the_console_and_exits_on_eof(tmp_path: Path) -> None:
    done = hustings(tmp_path, "run", stdin="@alice: /election list\n")
    assert done.returncode == 0, done.stderr
    assert "Hustings fake chat." in done.stdout
    assert "[private to alice] There are no elections in this channel." in done.stdout
    assert no_chatter(done.stderr)  # the console is quiet: WARNING and up only, by default
    assert (tmp_path / "data" / "hustings.db").exists()  # ``run`` keeps its database


def test_local_discord_console_prints_no_voice_warnings(tmp_path: Path) -> None:
    """discord.py warns once per process that PyNaCl/davey (voice) are missing; the bot never
    uses voice, so the console stays quiet while other warnings would still show."""
    done = hustings(tmp_path, "run", "--platform", "discord", stdin="@alice: /help\n")
    assert done.returncode == 0, done.stderr
    assert "What you can do here" in done.stdout
    assert "PyNaCl" not in done.stderr and "davey" not in done.stderr
    assert no_chatter(done.stderr)


@pytest.mark.parametrize("platform", ["fake", "discord", "slack"])
def test_every_console_shows_a_private_message_to_another_member(
    tmp_path: Path, platform: str
) -> None:
    """A dismissal tells the asker privately (a DM on Discord): every console prints it."""
    lines = (
        '@m +moderator: /election create "L" Abbott, Burnham\n'
        "@alice: /ask Will you resign?\n"
        "@m +moderator: /question dismiss Q1 off topic\n"
    )
    done = hustings(tmp_path, "run", "--platform", platform, stdin=lines)
    assert done.returncode == 0, done.stderr
    told = [line for line in done.stdout.splitlines() if line.startswith("[private to alice]")]
    assert any("Q1 was dismissed by a moderator: Off-topic" in line for line in told), told


def test_run_logs_at_the_level_asked_for(tmp_path: Path) -> None:
    done = hustings(tmp_path, "run", stdin="@alice: /help\n", LOG_LEVEL="INFO")
    assert done.returncode == 0, done.stderr
    assert "INFO bot.run_cli: starting the fake chat console" in done.stderr


def test_run_platform_fake_ignores_tokens(tmp_path: Path) -> None:
    """Never a real platform here: with tokens set, ``--platform fake`` is the console."""
    done = hustings(
        tmp_path, "run", "--platform", "fake", stdin="@bob: /help\n", DISCORD_TOKEN="sekrit"
    )
    assert done.returncode == 0, done.stderr
    assert "[private to bob] What you can do here:" in done.stdout
    assert "sekrit" not in done.stdout + done.stderr


def test_db_upgrade_creates_the_database(tmp_path: Path) -> None:
    done = hustings(tmp_path, "db", "upgrade")
    assert done.returncode == 0, done.stderr
    assert "database is at the newest schema" in done.stdout
    assert (tmp_path / "data" / "hustings.db").exists()


def test_missing_script_is_a_clear_error(tmp_path: Path) -> None:
    done = hustings(tmp_path, "fake", "--script", str(tmp_path / "nope.txt"))
    assert done.returncode == 2
    assert "cannot read" in done.stderr
