"""``hustings run`` with a bad setting, database or secret: a line or two naming the setting,
exit code 2, no traceback (one with ``--debug``), and nothing written into the work tree."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
STRONG = "Zq8-vR2_kLw5Tn9yXb3MhC7pJd4sFg6A"
SLACK = {"SLACK_BOT_TOKEN": "xoxb-1-2", "SLACK_APP_TOKEN": "xapp-1-2"}
CLEARED = ("DISCORD_", "SLACK_", "HUSTINGS_", "PLATFORM", "LOG_LEVEL", "DATABASE_URL", "DATA_DIR")


def run(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(CLEARED)}
    environment.update({"PYTHONPATH": str(ROOT), "DATA_DIR": str(tmp_path / "data"), **env})
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", "run", *args],
        cwd=tmp_path, env=environment, stdin=subprocess.DEVNULL,
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip


def _key_file(path: Path, mode: int, text: str = STRONG) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text + "\n")
    path.chmod(mode)
    return path


CASES = {
    "unknown platform": ({"PLATFORM": "teams"}, "PLATFORM"),
    "unknown log level": ({"LOG_LEVEL": "loud"}, "LOG_LEVEL"),
    "unknown database kind": ({"DATABASE_URL": "foo://bar"}, "DATABASE_URL"),
    "not a URL": ({"DATABASE_URL": "::::"}, "DATABASE_URL"),
    "a sync driver": ({"DATABASE_URL": "sqlite:///x.db"}, "DATABASE_URL"),
    "no secret on Slack": (SLACK, "HUSTINGS_SECRET"),
    "placeholder secret": ({**SLACK, "HUSTINGS_SECRET": "changemechangeme"}, "HUSTINGS_SECRET"),
    "15 spaces and x": ({**SLACK, "HUSTINGS_SECRET": " " * 15 + "x"}, "HUSTINGS_SECRET"),
    "no secret on Discord": ({"DISCORD_TOKEN": "abc.def"}, "HUSTINGS_SECRET"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_bad_setting_stops_with_one_line(tmp_path: Path, case: str) -> None:
    env, setting = CASES[case]
    done = run(tmp_path, **env)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert 1 <= len(lines) <= 2, done.stderr
    assert "Traceback" not in done.stderr
    assert f"{setting}:" in lines[-1]
    assert not (tmp_path / "data").exists()  # nothing created before the settings were good


def test_a_garbage_database_file(tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"this is not a database\n" * 100)
    done = run(tmp_path, DATABASE_URL=f"sqlite+aiosqlite:///{garbage}")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "DATABASE_URL:" in done.stderr and "not a SQLite database" in done.stderr
    assert garbage.read_bytes() == b"this is not a database\n" * 100  # left alone


def test_a_data_dir_under_a_file(tmp_path: Path) -> None:
    (tmp_path / "plain").write_text("a file")
    done = run(tmp_path, DATA_DIR=str(tmp_path / "plain" / "data"))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "DATA_DIR:" in done.stderr and "is a file, not a folder" in done.stderr


def test_a_key_file_readable_by_others_is_refused(tmp_path: Path) -> None:
    key = _key_file(tmp_path / "keys" / "voter.key", 0o644)
    done = run(tmp_path, **SLACK, HUSTINGS_SECRET_FILE=str(key))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "HUSTINGS_SECRET_FILE:" in done.stderr and "chmod 600" in done.stderr


def test_a_key_file_beside_the_ballots_is_refused(tmp_path: Path) -> None:
    key = _key_file(tmp_path / "data" / "voter.key", 0o600)
    done = run(tmp_path, **SLACK, HUSTINGS_SECRET_FILE=str(key))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "inside DATA_DIR" in done.stderr


def test_debug_shows_the_traceback(tmp_path: Path) -> None:
    done = run(tmp_path, "--debug", DATABASE_URL="foo://bar")
    assert done.returncode == 2
    assert "Traceback" in done.stderr and "DATABASE_URL:" in done.stderr.splitlines()[-1]


def _one_clean_line(done: subprocess.CompletedProcess[str], setting: str) -> str:
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert 1 <= len(lines) <= 2 and f"{setting}:" in lines[-1], done.stderr
    return lines[-1]


def test_a_data_dir_that_cannot_be_created(tmp_path: Path) -> None:
    """/proc refuses new folders even to root, so no permission bits are needed to test it."""
    line = _one_clean_line(run(tmp_path, DATA_DIR="/proc/hustings-nope"), "DATA_DIR")
    assert "cannot create /proc/hustings-nope" in line


def test_a_database_from_an_unknown_schema_revision(tmp_path: Path) -> None:
    import sqlite3  # noqa: PLC0415

    db = tmp_path / "newer.db"
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) PRIMARY KEY)")
        conn.execute("INSERT INTO alembic_version VALUES ('deadbeef')")
    line = _one_clean_line(run(tmp_path, DATABASE_URL=f"sqlite+aiosqlite:///{db}"), "DATABASE_URL")
    assert "schema this version of Hustings does not know" in line and "deadbeef" in line


def test_an_env_file_that_is_not_utf8(tmp_path: Path) -> None:
    (tmp_path / ".env").write_bytes(b"PLATFORM=fake\nTITLE=caf\xe9\n")
    line = _one_clean_line(run(tmp_path), ".env")
    assert "not UTF-8" in line
