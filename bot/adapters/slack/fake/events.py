"""Events API deliveries, and the one pair of them the bot must act on: an uninstall.

When a workspace removes the app, Slack revokes its tokens and sends ``app_uninstalled`` and
``tokens_revoked`` (``{"tokens": {"bot": [bot user id], "oauth": [user ids]}}``) as
``event_callback`` payloads: signed JSON over HTTP, or ``events_api`` envelopes over Socket
Mode. ``uninstall`` does all three here: the token stops working at once (``invalid_auth``),
then both events are delivered.
"""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING

from bot.adapters.slack.fake.model import JSON, Ack

if TYPE_CHECKING:
    from bot.adapters.slack.fake.driver import Delivery, Driver, Mode


def event_callback(driver: Driver, team_id: str, event: JSON) -> JSON:
    """The Events API wrapper around ``event`` for ``team_id``."""
    now = int(driver.clock())
    return {
        "token": driver.verification_token,
        "team_id": team_id,
        "api_app_id": driver.app_id,
        "event": {**event, "event_ts": f"{now}.000100"},
        "type": "event_callback",
        "event_id": "Ev" + secrets.token_hex(6).upper(),
        "event_time": now,
        "authorizations": [],
    }


async def send_event(
    driver: Driver, team_id: str, event: JSON, *, mode: Mode | None = None
) -> tuple[Ack, Delivery]:
    """Deliver one event; (how the app acknowledged it, the delivery for a resend)."""
    delivery = driver.prepare("event_callback", event_callback(driver, team_id, event), mode=mode)
    return await driver.send(delivery), delivery


async def uninstall(
    driver: Driver, team_id: str, *, mode: Mode | None = None
) -> list[tuple[Ack, Delivery]]:
    """Remove the app from ``team_id``: revoke its bot token, then tell the app twice."""
    team = driver.team(team_id)
    if team.bot_token is not None:
        driver.tokens.pop(team.bot_token, None)
        team.bot_token = None
    revoked: JSON = {"type": "tokens_revoked", "tokens": {"bot": [team.bot_user_id], "oauth": []}}
    return [
        await send_event(driver, team_id, {"type": "app_uninstalled"}, mode=mode),
        await send_event(driver, team_id, revoked, mode=mode),
    ]
