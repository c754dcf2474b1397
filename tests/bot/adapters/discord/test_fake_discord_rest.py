"""The fake's REST rules directly: headers, authentication, command and message limits,
and the one module that points discord.py at it."""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp
import discord
import pytest
from discord_test_bot import HarnessBot

from bot.adapters.discord import endpoints
from bot.adapters.discord.fake import ApiError, FakeDiscord, limits
from bot.adapters.discord.fake import __main__ as fake_main


async def test_replies_are_exactly_application_json(fake: FakeDiscord) -> None:
    headers = {"Authorization": f"Bot {fake.token}"}
    async with aiohttp.ClientSession() as http:
        async with http.get(f"{fake.api_url}/users/@me", headers=headers) as ok:
            assert ok.status == 200
            assert ok.headers["Content-Type"] == "application/json"
        async with http.get(f"{fake.api_url}/users/@me") as refused:
            assert refused.status == 401
            assert refused.headers["Content-Type"] == "application/json"
            assert (await refused.json())["message"] == "401: Unauthorized"


async def test_unserved_routes_are_listed(fake: FakeDiscord) -> None:
    headers = {"Authorization": f"Bot {fake.token}"}
    url = f"{fake.api_url}/guilds/1/audit-logs"
    async with aiohttp.ClientSession() as http, http.get(url, headers=headers) as missing:
        assert missing.status == 404
    assert fake.unserved == ["GET /api/v10/guilds/1/audit-logs"]


def _command(**changes: Any) -> dict[str, Any]:
    return {"name": "rank", "description": "Rank the candidates", "type": 1, **changes}


@pytest.mark.parametrize(
    ("command", "path"),
    [
        (_command(name="Rank Them"), "0.name"),
        (_command(description="d" * 101), "0.description"),
        (
            _command(options=[{"name": f"o{i}", "description": "x", "type": 3} for i in range(26)]),
            "0.options",
        ),
        (
            _command(
                options=[
                    {
                        "name": "c",
                        "description": "x",
                        "type": 3,
                        "choices": [{"name": str(i), "value": str(i)} for i in range(26)],
                    }
                ]
            ),
            "0.options.0.choices",
        ),
        (
            _command(
                options=[
                    {"name": "a", "description": "x", "type": 3},
                    {"name": "b", "description": "x", "type": 3, "required": True},
                ]
            ),
            "0.options.1.required",
        ),
    ],
)
async def test_invalid_commands_are_refused_with_50035(
    fake: FakeDiscord, bot: HarnessBot, command: dict[str, Any], path: str
) -> None:
    with pytest.raises(discord.HTTPException) as refused:
        await bot.client.http.bulk_upsert_global_commands(fake.application_id, [command])
    assert (refused.value.status, refused.value.code) == (400, 50035)
    assert f"In {path}:" in refused.value.text


def _paths(tree: dict[str, Any], prefix: str = "") -> list[str]:
    found = [prefix.rstrip(".")] if "_errors" in tree else []
    for key, value in tree.items():
        if key != "_errors" and isinstance(value, dict):
            found += _paths(value, f"{prefix}{key}.")
    return found


@pytest.mark.parametrize(
    ("message", "path"),
    [
        ({"content": "x" * 2001}, "content"),
        ({"embeds": [{"title": "t"}] * 11}, "embeds"),
        ({"embeds": [{"title": "t" * 257}]}, "embeds.0.title"),
        ({"embeds": [{"description": "d" * 4097}]}, "embeds.0.description"),
        ({"embeds": [{"fields": [{"name": "n", "value": "v"}] * 26}]}, "embeds.0.fields"),
        ({"embeds": [{"fields": [{"name": "n", "value": "v" * 1025}]}]}, "embeds.0.fields.0.value"),
        ({"embeds": [{"description": "d" * 3001}, {"description": "d" * 3000}]}, "embeds"),
        (
            {
                "components": [
                    {"type": 1, "components": [{"type": 2, "custom_id": f"b{i}", "label": "b"}]}
                    for i in range(6)
                ]
            },
            "components",
        ),
        (
            {
                "components": [
                    {
                        "type": 1,
                        "components": [
                            {
                                "type": 3,
                                "custom_id": "s",
                                "options": [{"label": str(i), "value": str(i)} for i in range(26)],
                            }
                        ],
                    }
                ]
            },
            "components.0.components.0.options",
        ),
    ],
)
def test_message_limits(message: dict[str, Any], path: str) -> None:
    with pytest.raises(ApiError) as refused:
        limits.check_message(message)
    assert (refused.value.status, refused.value.code) == (400, 50035)
    assert path in _paths(refused.value.errors or {})


def test_messages_at_the_limits_pass() -> None:
    embed = {
        "title": "t" * 256,
        "description": "d" * 3000,
        "fields": [{"name": "n", "value": "v"}] * 25,
    }
    limits.check_message({"content": "x" * 2000, "embeds": [embed, {"description": "d" * 2694}]})


def test_an_empty_message_is_refused() -> None:
    with pytest.raises(ApiError) as refused:
        limits.check_message({"content": ""})
    assert refused.value.code == 50006


def test_endpoints_self_check_catches_a_stray_base() -> None:
    try:
        endpoints.use("http://127.0.0.1:9/api/v10", "ws://127.0.0.1:9/")
        assert endpoints.current() == ("http://127.0.0.1:9/api/v10", "ws://127.0.0.1:9/")
        discord.http.Route.BASE = "https://discord.com/api/v10"
        with pytest.raises(endpoints.EndpointError):
            endpoints.check("http://127.0.0.1:9/api/v10", "ws://127.0.0.1:9/")
        with pytest.raises(endpoints.EndpointError):
            endpoints.use("http://127.0.0.1:9/api", "ws://127.0.0.1:9/")
    finally:
        endpoints.use_real_discord()
    assert endpoints.current() == (endpoints.REAL_API, endpoints.REAL_GATEWAY)


async def test_serve_forever_runs_a_populated_fake() -> None:
    described: asyncio.Future[str] = asyncio.get_running_loop().create_future()

    async def ready(fake: FakeDiscord, demo: fake_main.Demo) -> None:
        async with aiohttp.ClientSession() as http, http.get(f"{fake.api_url}/gateway") as reply:
            url = (await reply.json())["url"]
        assert fake.world.guild(demo.guild).members[demo.moderator].roles
        described.set_result(fake_main.describe(fake, demo) + "\n" + url)

    server = asyncio.create_task(fake_main.serve_forever(ready=ready))
    text = await asyncio.wait_for(described, 5)
    server.cancel()
    await asyncio.gather(server, return_exceptions=True)
    assert "DISCORD_TOKEN=" in text and "DISCORD_API_URL=http://127.0.0.1:" in text
    assert text.splitlines()[-1].startswith("ws://127.0.0.1:")
