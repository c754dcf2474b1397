"""OAuth v2: the "Add to Slack" round trip that gives each workspace its own bot token.

A browser goes app ``/slack/install`` (bolt sets a state cookie) → Slack's authorize page
(here ``/oauth/v2/authorize``, which approves at once for the chosen team and user) →
the app's redirect URL with ``code`` and ``state`` → the app calls ``oauth.v2.access`` with
client id and secret (HTTP Basic) → a fresh ``xoxb-`` token for that team, holding exactly
the scopes the consent URL asked for. ``install``
plays the browser, cookie included.
"""

from __future__ import annotations

import base64
import html
import re
import secrets
from dataclasses import dataclass
from http.cookies import SimpleCookie
from typing import TYPE_CHECKING
from urllib.parse import urlencode, urlsplit

from aiohttp import web

from bot.adapters.slack.fake import scopes
from bot.adapters.slack.fake.webapi import ApiError, Call, method

if TYPE_CHECKING:
    from bot.adapters.slack.fake.model import JSON
    from bot.adapters.slack.fake.server import FakeSlack

CODE_LIFETIME = 600.0


@dataclass
class Grant:
    """A one-time ``code`` waiting to be exchanged."""

    team_id: str
    user_id: str
    scope: str
    redirect_uri: str | None
    issued_at: float


@dataclass(frozen=True)
class InstallResult:
    """What the installing browser ended on, and the token the fake issued."""

    status: int
    body: str
    team_id: str
    bot_token: str | None


async def authorize(fake: FakeSlack, request: web.Request) -> web.Response:
    """Slack's consent page, approved on the spot: redirect back with a code."""
    query = request.query
    if query.get("client_id") != fake.client_id:
        return web.Response(status=400, text="invalid_client_id")
    redirect = query.get("redirect_uri") or fake.oauth_redirect_url
    if not redirect or (fake.oauth_redirect_url and redirect != fake.oauth_redirect_url):
        return web.Response(status=400, text="bad_redirect_uri")
    team_id = query.get("team") or next(iter(fake.teams), "")
    if team_id not in fake.teams:
        return web.Response(status=400, text="unknown team")
    state = query.get("state", "")
    if query.get("deny"):
        raise web.HTTPFound(f"{redirect}?{urlencode({'error': 'access_denied', 'state': state})}")
    user_id = query.get("user") or _installer(fake, team_id)
    code = secrets.token_hex(12)
    fake.grants[code] = Grant(
        team_id, user_id, query.get("scope", ""), query.get("redirect_uri"), fake.clock()
    )
    raise web.HTTPFound(f"{redirect}?{urlencode({'code': code, 'state': state})}")


def _installer(fake: FakeSlack, team_id: str) -> str:
    users = list(fake.team(team_id).users.values())
    admins = [u for u in users if u.is_admin]
    return (admins or users)[0].id if users else "U0INSTALLER"


@method("oauth.v2.access")
async def oauth_v2_access(call: Call) -> JSON:
    fake = call.fake
    client_id, secret = _client_credentials(call)
    if client_id != fake.client_id:
        raise ApiError("invalid_client_id")
    if secret != fake.client_secret:
        raise ApiError("bad_client_secret")
    grant = fake.grants.pop(str(call.args.get("code", "")), None)
    if grant is None or fake.clock() - grant.issued_at > CODE_LIFETIME:
        raise ApiError("invalid_code")
    if grant.redirect_uri and call.args.get("redirect_uri") != grant.redirect_uri:
        raise ApiError("bad_redirect_uri")
    team = fake.team(grant.team_id)
    return {
        "access_token": fake.issue_bot_token(team.id, scopes.parse(grant.scope)),
        "token_type": "bot",
        "scope": grant.scope,
        "bot_user_id": team.bot_user_id,
        "app_id": fake.app_id,
        "team": {"id": team.id, "name": team.name},
        "enterprise": None,
        "is_enterprise_install": False,
        "authed_user": {"id": grant.user_id},
    }


def _client_credentials(call: Call) -> tuple[str, str]:
    header = call.headers.get("Authorization", "")
    if header.startswith("Basic "):
        decoded = base64.b64decode(header.removeprefix("Basic ")).decode()
        client_id, _, secret = decoded.partition(":")
        return client_id, secret
    return str(call.args.get("client_id", "")), str(call.args.get("client_secret", ""))


async def install(
    fake: FakeSlack,
    team_id: str,
    *,
    user_id: str | None = None,
    install_url: str | None = None,
    deny: bool = False,
) -> InstallResult:
    """Play the browser through the app's install path for ``team_id``."""
    url = install_url or _app_origin(fake) + "/slack/install"
    session = fake.http
    async with session.get(url, params={"team": team_id}, allow_redirects=False) as page:
        cookies = _cookies(page.headers.getall("Set-Cookie", []))
        authorize_url = page.headers.get("Location") or _link(await page.text(), fake.url)
    extra = {"user": user_id} if user_id else {}
    if deny:
        extra["deny"] = "1"
    if extra:
        authorize_url += ("&" if "?" in authorize_url else "?") + urlencode(extra)
    async with session.get(authorize_url, allow_redirects=False) as consent:
        if consent.status != 302:
            return InstallResult(consent.status, await consent.text(), team_id, None)
        callback = consent.headers["Location"]
    async with session.get(callback, headers={"Cookie": cookies}, allow_redirects=False) as done:
        body = await done.text()
    return InstallResult(done.status, body, team_id, fake.team(team_id).bot_token)


def _app_origin(fake: FakeSlack) -> str:
    if not fake.request_url:
        raise RuntimeError("set fake.request_url (or pass install_url) first")
    parts = urlsplit(fake.request_url)
    return f"{parts.scheme}://{parts.netloc}"


def _cookies(headers: list[str]) -> str:
    jar: SimpleCookie = SimpleCookie()
    for header in headers:
        jar.load(header)
    return "; ".join(f"{name}={morsel.value}" for name, morsel in jar.items())


def _link(page: str, fake_url: str) -> str:
    """The "Add to Slack" link on bolt's install page."""
    for href in re.findall(r'href="([^"]+)"', page):
        link = html.unescape(href)
        if link.startswith(fake_url):
            return link
    raise RuntimeError("install page has no link to the fake's authorize URL")
