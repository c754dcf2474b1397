"""The real ``hustings`` command as a subprocess: demo transcript, ``run`` without tokens."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "demo" / "leadership2015.txt"
TOKENS = ("DISCORD_TOKEN", "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET")


def hustings(
    tmp_path: Path, *args: str, stdin: str = "", **env: str
) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k not in TOKENS}
    environment.update(
        PYTHONPATH=str(ROOT),
        DATA_DIR=str(tmp_path / "data"),
        DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'data' / 'hustings.db'}",
        HUSTINGS_SECRET="",
        LOG_LEVEL="INFO",
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


def test_demo_script_prints_the_rounds_and_the_winner(tmp_path: Path) -> None:
    done = hustings(tmp_path, "fake", "--script", str(DEMO))
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert "[#general] Result: Labour leader 2015" in lines
    for expected in (
        "    Round 1 (threshold 7)",
        "      Corbyn   5   41.7%",
        "      Eliminated: Kendall",
        "    Round 2 (threshold 7)",
        "      Eliminated: Burnham",
        "    Round 3 (threshold 6)",
        "      Corbyn  6   54.5%",
        "    Elected: Corbyn",
    ):
        assert expected in lines
    assert (tmp_path / "data" / "hustings.db").exists()
    assert (tmp_path / "data" / "secret.key").exists()


def test_logs_never_contain_a_ranking(tmp_path: Path) -> None:
    script = tmp_path / "s.txt"
    script.write_text(
        '@m +moderator: /election create "L" Zebedee, Xanthippe\n'
        "@m +moderator: /election open 1\n"
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
