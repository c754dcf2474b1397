"""``hustings count`` loads counting and nothing of the chat stacks (DESIGN: entry points are lazy).

The process is real (``python -X importtime -m bot.cli count FILE``), so the test sees every
module the interpreter imported, whatever imports it indirectly.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HEAVY = ("discord", "slack_bolt", "slack_sdk", "sqlalchemy", "pydantic", "aiohttp", "alembic")

TINY = '3 1\n3 2 0\n1 1 0\n1 3 0\n0\n"Ann" "Red"\n"Bob" "Blue"\n"Cat" "Green"\n"Tiny ward"\n'


def _imported(*args: str) -> tuple[set[str], str]:
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "bot.cli", *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=Path(__file__).resolve().parents[1],
        check=False,
    )
    modules = set()
    for line in done.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            modules.add(line.rsplit("|", 1)[1].strip())
    return modules, done.stdout


def _top_level(modules: set[str]) -> set[str]:
    return {name.split(".")[0] for name in modules}


def test_count_imports_no_chat_stack(tmp_path: Path) -> None:
    path = tmp_path / "tiny.blt"
    path.write_text(TINY, encoding="utf-8")
    modules, out = _imported("count", str(path))
    assert "Elected: Bob" in out
    assert "counting.engine" in modules  # the measurement works: it sees what was imported
    assert not _top_level(modules) & set(HEAVY)


def test_help_imports_no_chat_stack() -> None:
    modules, out = _imported("--help")
    for name in ("count", "run", "fake", "db", "discord"):
        assert f"    {name} " in out
    assert not _top_level(modules) & set(HEAVY)


def test_run_still_loads_its_stack() -> None:
    """The other side of laziness: choosing ``fake`` does import what it needs."""
    modules, out = _imported("fake", "--help")
    assert "--script" in out
    assert "pydantic" in _top_level(modules)
