"""``python -m bot.adapters.slack.fake`` serves a demo workspace a real client can use."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from slack_sdk.web.async_client import AsyncWebClient

ROOT = Path(__file__).resolve().parents[4]


async def test_module_serves_the_demo_workspace() -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.adapters.slack.fake",
        cwd=ROOT,
        stdout=asyncio.subprocess.PIPE,
    )
    try:
        assert process.stdout is not None
        settings = {}
        async with asyncio.timeout(15):
            while len(settings) < 4:
                key, _, value = (await process.stdout.readline()).decode().strip().partition("=")
                settings[key] = value
        client = AsyncWebClient(
            token=settings["SLACK_BOT_TOKEN"], base_url=settings["SLACK_API_URL"]
        )
        me = await client.auth_test()
        admin = await client.users_info(user="U0ADMIN")
    finally:
        process.terminate()
        await process.wait()
    assert me["team_id"] == "T0DEMO"
    assert admin["user"]["is_admin"] is True
    assert settings["SLACK_APP_TOKEN"].startswith("xapp-")
