"""``hustings discord sync`` run as a real subprocess against the local fake Discord."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

from bot.adapters.discord.fake import FakeDiscord


async def _hustings(*args: str, env: dict[str, str], cwd: Path) -> tuple[int, str, str]:
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.cli",
        *args,
        env=env,
        cwd=cwd,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(proc.communicate(), timeout=60)
    assert proc.returncode is not None
    return proc.returncode, out.decode(), err.decode()


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "SLACK_"))}
    repo = str(Path(__file__).resolve().parents[1])
    return {**keep, "PYTHONPATH": repo, "DATA_DIR": str(tmp_path), **extra}


async def test_sync_cli_registers_the_commands_in_one_guild(tmp_path: Path) -> None:
    async with FakeDiscord() as fake:
        guild = fake.add_guild(name="Branch").id
        env = _env(
            tmp_path,
            DISCORD_TOKEN=fake.token,
            DISCORD_API_URL=fake.api_url,
            DISCORD_GATEWAY_URL=fake.gateway_url,
        )
        code, out, err = await _hustings(
            "discord", "sync", "--guild", str(guild), env=env, cwd=tmp_path
        )
        assert code == 0, err
        assert f"to guild {guild}" in out
        names = {c["name"] for c in fake.commands(guild)}
        assert {"rank", "ballot", "election", "ask", "help"} <= names
        assert fake.commands(None) == []
        assert fake.token not in out + err


async def test_sync_cli_without_a_token_says_so(tmp_path: Path) -> None:
    code, out, err = await _hustings("discord", "sync", env=_env(tmp_path), cwd=tmp_path)
    assert code == 2
    assert "set DISCORD_TOKEN first" in err
    assert out == ""
