"""``python -m bot.adapters.slack.fake``: run the fake Slack until interrupted.

``serve_forever`` is what ``hustings run --platform slack`` starts when no Slack token is
set: one demo workspace, a channel, a member and an admin, with the credentials the app
needs printed (or handed to ``ready``) so it can connect by Socket Mode or HTTP.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable

from bot.adapters.fake_main import print_settings, serve_main
from bot.adapters.slack.fake.server import FakeSlack

DEMO_TEAM, DEMO_CHANNEL = "T0DEMO", "C0HUSTINGS"
DEMO_MEMBER, DEMO_ADMIN = "U0MEMBER", "U0ADMIN"


def populate_demo(fake: FakeSlack) -> None:
    """The demo workspace the console talks in."""
    fake.add_team(DEMO_TEAM, "Hustings Demo")
    fake.add_channel(DEMO_TEAM, DEMO_CHANNEL, "hustings")
    fake.add_user(DEMO_TEAM, DEMO_MEMBER, "member")
    fake.add_user(DEMO_TEAM, DEMO_ADMIN, "admin", is_admin=True)
    fake.add_usergroup(DEMO_TEAM, "moderator", [DEMO_ADMIN])


def describe(fake: FakeSlack) -> str:
    """Settings an app needs to use this fake (the signing secret and tokens are throwaway)."""
    return "\n".join(
        [
            f"SLACK_API_URL={fake.api_url}",
            f"SLACK_BOT_TOKEN={fake.bot_token(DEMO_TEAM)}",
            f"SLACK_APP_TOKEN={fake.app_token}",
            f"SLACK_SIGNING_SECRET={fake.signing_secret}",
        ]
    )


async def serve_forever(
    *,
    host: str = "127.0.0.1",
    port: int = 0,
    ready: Callable[[FakeSlack], Awaitable[None]] | None = None,
) -> None:
    """Run a populated fake until cancelled; ``ready(fake)`` runs once it is listening."""
    async with FakeSlack(host=host, port=port) as fake:
        populate_demo(fake)
        if ready is not None:
            await ready(fake)
        await asyncio.Event().wait()


def main(argv: list[str] | None = None) -> int:
    async def announce(fake: FakeSlack) -> None:
        print_settings(describe(fake))

    return serve_main(
        "python -m bot.adapters.slack.fake",
        argv,
        lambda port: serve_forever(port=port, ready=announce),
    )


if __name__ == "__main__":
    sys.exit(main())
