"""Running ``hustings roll …`` and ``hustings fake`` as real subprocesses on one database."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CLEARED = ("DISCORD_", "SLACK_", "HUSTINGS_", "PLATFORM", "LOG_LEVEL", "DATABASE_URL", "DATA_DIR")
ROLL = (
    "member_id,name,branch,section,joined,email,status\n"
    "M001,Alice Adams,North,members,2019-03-01,alice@example.org,active\n"
    "M002,Bob Brown,North,members,2021-11-20,,active\n"
    "M003,Carol Chen,South,affiliates,2024-01-15,carol@example.org,active\n"
    "M004,Dev Dutta,South,members,2026-06-10,,active\n"
    "M005,Eve Evans,North,members,2018-05-05,,lapsed\n"
)


def hustings(
    tmp_path: Path, *args: str, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    """``hustings ARGS`` in ``tmp_path`` with ``DATA_DIR`` there (the console's secret too)."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith(CLEARED)}
    environment.update({"PYTHONPATH": str(ROOT), "DATA_DIR": str(tmp_path / "data")})
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        cwd=tmp_path, env=environment, input=stdin, capture_output=True, text=True,
        timeout=120, check=False,
    )  # fmt: skip


def database(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path / 'roll.db'}"


def codes_by_member(path: Path) -> dict[str, str]:
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["member_id"]: row["code"] for row in csv.DictReader(handle)}
