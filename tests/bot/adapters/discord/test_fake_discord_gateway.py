"""The fake gateway with the real discord.py client: login, READY, heartbeats, resume."""

from __future__ import annotations

import asyncio
import math

import discord
import pytest
from discord_test_bot import MEMBER, HarnessBot, Place, Seen

from bot.adapters.discord.fake import FakeDiscord


async def test_login_reaches_ready_with_guilds_channels_and_roles(
    fake: FakeDiscord, place: Place, bot: HarnessBot
) -> None:
    client = bot.client
    assert client.user is not None and client.user.id == fake.application_id
    assert client.application_id == fake.application_id
    guild = client.get_guild(place.guild)
    assert guild is not None and not guild.unavailable
    assert [c.name for c in guild.text_channels] == ["hustings"]
    assert {r.name for r in guild.roles} >= {"@everyone", "moderator"}
    assert ("GET", "/api/v10/users/@me", 200) in fake.requests
    assert fake.unserved == []


async def test_gateway_speaks_zlib_stream_when_asked(fake: FakeDiscord, bot: HarnessBot) -> None:
    assert fake.gateway.compressed == [True]
    assert fake.gateway.identifies == 1


async def test_heartbeats_are_acknowledged(fake: FakeDiscord, bot: HarnessBot) -> None:
    # Every 0.25 s; waited for (generously), not slept on, so a loaded machine cannot fail it.
    await fake.gateway.wait_heartbeats(2, within=30)
    # discord.py's latency is inf until it has read an ACK: give it heartbeats until it has
    async with asyncio.timeout(30):
        while not math.isfinite(bot.client.latency):
            await fake.gateway.wait_heartbeats(fake.gateway.heartbeats + 1, within=30)


async def test_dropped_connection_resumes_and_replays_missed_events(
    fake: FakeDiscord, place: Place, bot: HarnessBot
) -> None:
    await fake.gateway.drop()
    record = await fake.slash(MEMBER, place.channel, "whisper", {"text": "during the blip"})
    await fake.gateway.wait_connected(resumes=1)
    await record
    assert record.texts == ["psst: during the blip"]
    assert fake.gateway.identifies == 1
    assert fake.gateway.resume_paths == ["/resume/"]


async def test_reconnect_request_resumes(fake: FakeDiscord, place: Place, bot: HarnessBot) -> None:
    await fake.gateway.send_reconnect()
    await fake.gateway.wait_connected(resumes=1)
    record = await fake.slash(MEMBER, place.channel, "whisper", {"text": "after"})
    await record
    assert record.texts == ["psst: after"]


async def test_invalid_session_makes_the_client_identify_again(
    fake: FakeDiscord, place: Place, bot: HarnessBot
) -> None:
    await fake.gateway.invalidate(resumable=False)
    await fake.gateway.wait_connected(identifies=2)
    record = await fake.slash(MEMBER, place.channel, "whisper", {"text": "fresh"})
    await record
    assert record.texts == ["psst: fresh"]


async def test_wrong_token_fails_login(fake: FakeDiscord) -> None:
    client = discord.Client(intents=discord.Intents.default())
    with pytest.raises(discord.LoginFailure):
        await client.login("not-the-token")
    await client.close()


async def test_privileged_intents_are_refused(fake: FakeDiscord, place: Place, seen: Seen) -> None:
    harness = HarnessBot(fake, seen, intents=discord.Intents.all())
    with pytest.raises(discord.PrivilegedIntentsRequired):
        await harness.start(sync=False)
    await harness.close()
