"""A tiny real bolt app and workspace for exercising the fake Slack.

The app is deliberately not the Hustings adapter: it is the smallest ``AsyncApp`` that uses
every path the adapter will (ack, say, respond, chat.postEphemeral, views.open, actions,
view submissions), so these tests prove the fake speaks bolt's language.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from slack_bolt.async_app import AsyncApp
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.fake import FakeSlack, RateLimit

TEAM, MEMBER, ADMIN, CHANNEL = "T0LABOUR", "U0ALICE", "U0BOB", "C0HUSTINGS"
FAST_LIMIT = RateLimit(per_second=50.0, burst=3)
CANDIDATES = ("Burnham", "Cooper", "Corbyn", "Kendall")


@dataclass
class Seen:
    """What the test app's listeners actually ran (to prove a rejected request ran nothing)."""

    commands: list[str] = field(default_factory=list)
    actions: list[str] = field(default_factory=list)
    submissions: list[dict[str, Any]] = field(default_factory=list)


def populate(
    fake: FakeSlack, team: str = TEAM, name: str = "Labour Left", *, installed: bool = True
) -> None:
    fake.add_team(team, name, installed=installed)
    fake.add_user(team, MEMBER, "alice")
    fake.add_user(team, ADMIN, "bob", is_admin=True)
    fake.add_channel(team, CHANNEL, "hustings")


def web_client(fake: FakeSlack, token: str | None) -> AsyncWebClient:
    client = AsyncWebClient(token=token, base_url=fake.api_url)
    client.retry_handlers.append(AsyncRateLimitErrorRetryHandler(max_retry_count=3))
    return client


def ballot_modal() -> dict[str, Any]:
    options = [{"text": {"type": "plain_text", "text": c}, "value": c} for c in CANDIDATES]
    return {
        "type": "modal",
        "callback_id": "ballot",
        "title": {"type": "plain_text", "text": "Your ballot"},
        "submit": {"type": "plain_text", "text": "Cast"},
        "blocks": [
            {
                "type": "input",
                "block_id": f"pref{i}",
                "optional": i > 1,
                "label": {"type": "plain_text", "text": f"Preference {i}"},
                "element": {"type": "static_select", "action_id": "pick", "options": options},
            }
            for i in (1, 2)
        ],
    }


def register(app: AsyncApp, seen: Seen) -> None:
    """The test app's listeners."""

    @app.command("/echo")
    async def echo(ack: Any, command: dict[str, Any], say: Any, respond: Any, client: Any) -> None:
        await ack()
        seen.commands.append(command["text"])
        await say(
            blocks=[
                {"type": "section", "text": {"type": "mrkdwn", "text": f"echo: {command['text']}"}},
                {
                    "type": "actions",
                    "elements": [
                        {
                            "type": "button",
                            "action_id": "upvote",
                            "value": "q1",
                            "text": {"type": "plain_text", "text": "Upvote"},
                        }
                    ],
                },
            ],
            text=f"echo: {command['text']}",
        )
        await respond(f"only you: {command['text']}")
        await client.chat_postEphemeral(
            channel=command["channel_id"], user=command["user_id"], text="also only you"
        )

    @app.command("/quick")
    async def quick(ack: Any, command: dict[str, Any]) -> None:
        seen.commands.append(command["text"])
        await ack(f"acked: {command['text']}")

    @app.command("/slow")
    async def slow(ack: Any, command: dict[str, Any]) -> None:
        await asyncio.sleep(float(command["text"]))
        await ack()

    @app.command("/burst")
    async def burst(ack: Any, command: dict[str, Any], say: Any) -> None:
        await ack()
        for n in range(int(command["text"])):
            await say(f"round {n + 1}")

    @app.command("/vote")
    async def vote(ack: Any, body: dict[str, Any], client: Any) -> None:
        await ack()
        await client.views_open(trigger_id=body["trigger_id"], view=ballot_modal())

    @app.action("upvote")
    async def upvote(ack: Any, action: dict[str, Any], respond: Any) -> None:
        await ack()
        seen.actions.append(action["value"])
        await respond(replace_original=True, text=f"upvoted {action['value']}")

    @app.view("ballot")
    async def ballot(ack: Any, view: dict[str, Any], body: dict[str, Any], client: Any) -> None:
        values = view["state"]["values"]
        picks = [values[b]["pick"]["selected_option"] for b in ("pref1", "pref2")]
        chosen = [p["value"] for p in picks if p]
        if len(set(chosen)) != len(chosen):
            await ack(response_action="errors", errors={"pref2": "Already ranked"})
            return
        await ack()
        seen.submissions.append({"ranking": chosen, "user": body["user"]["id"]})
        await client.chat_postEphemeral(
            channel=CHANNEL, user=body["user"]["id"], text="ballot: " + " > ".join(chosen)
        )


def build_app(fake: FakeSlack, seen: Seen, *, token: str | None = None) -> AsyncApp:
    client = web_client(fake, token or fake.bot_token(TEAM))
    app = AsyncApp(client=client, signing_secret=fake.signing_secret)
    register(app, seen)
    return app


async def serve(app: AsyncApp) -> tuple[web.AppRunner, str]:
    """The bolt app's own aiohttp server on an ephemeral loopback port."""
    runner = web.AppRunner(app.web_app(path="/slack/events"), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    return runner, f"http://127.0.0.1:{runner.addresses[0][1]}"
