"""Fixtures: a running fake Slack with one workspace, and the test app served over HTTP or
connected over Socket Mode."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp
from slack_fake_app import FAST_LIMIT, Seen, build_app, populate, serve

from bot.adapters.slack.fake import FakeSlack


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    async with FakeSlack(rate_limit=FAST_LIMIT, settle_quiet=0.05) as running:
        populate(running)
        yield running


@pytest.fixture
def seen() -> Seen:
    return Seen()


@pytest.fixture
async def http_app(fake: FakeSlack, seen: Seen) -> AsyncIterator[AsyncApp]:
    app = build_app(fake, seen)
    runner, origin = await serve(app)
    fake.request_url = f"{origin}/slack/events"
    yield app
    await runner.cleanup()


@pytest.fixture
async def socket_app(fake: FakeSlack, seen: Seen) -> AsyncIterator[AsyncApp]:
    app = build_app(fake, seen)
    handler = AsyncSocketModeHandler(app, fake.app_token)
    await handler.connect_async()
    await fake.hub.wait_connected()
    fake.mode = "socket"
    yield app
    await handler.close_async()
