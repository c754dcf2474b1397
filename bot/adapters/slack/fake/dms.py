"""Direct messages on the fake Slack: ``conversations.open``, as Slack documents it.

``users`` is a comma-separated list of 1 to 8 user ids (never the bot itself: Slack adds the
caller): one id opens the 1:1 DM with that member (``D…``, scope ``im:write``), more a group
DM (``G…``, scope ``mpim:write``). The same set of users always gets the same conversation
back, then with ``no_op`` and ``already_open`` true. ``channel`` resumes a DM or group DM by
id instead. The answer is ``{"channel": {"id": …}}``; ``return_im`` asks for the whole
conversation object. (``prevent_creation`` is not modelled.)

Refused as Slack refuses: neither ``users`` nor ``channel`` (``users_list_not_supplied``),
an unknown user (``user_not_found``), a deactivated one (``user_disabled``), more than 8
(``too_many_users``), an unknown ``channel`` (``channel_not_found``) or a channel that is not
a DM (``method_not_supported_for_channel_type``); without the scope, ``missing_scope`` with
``needed``. A DM is a ``Channel`` the bot is a member of, so ``chat.postMessage`` and
``files.completeUploadExternal`` accept its id; ``fake.direct_messages`` reads it back.
"""

from __future__ import annotations

import hashlib

from bot.adapters.slack.fake.model import JSON, Channel, Team
from bot.adapters.slack.fake.webapi import ApiError, Call, method

MAX_USERS = 8
IM_SCOPE, MPIM_SCOPE = "im:write", "mpim:write"


@method("conversations.open")
async def conversations_open(call: Call) -> JSON:
    team = call.bot_team
    raw_channel = call.args.get("channel")
    if raw_channel and not call.args.get("users"):
        found = _resume(call, team, str(raw_channel))
        return _answer(call, found, already=True)
    users = [u.strip() for u in str(call.args.get("users") or "").split(",") if u.strip()]
    if not users:
        raise ApiError("users_list_not_supplied")
    users = list(dict.fromkeys(u for u in users if u != team.bot_user_id))
    if len(users) > MAX_USERS:
        raise ApiError("too_many_users")
    if not users:
        raise ApiError("not_enough_users")
    call.require_scope(IM_SCOPE if len(users) == 1 else MPIM_SCOPE)
    for user_id in users:
        user = team.users.get(user_id)
        if user is None:
            raise ApiError("user_not_found")
        if user.deleted:
            raise ApiError("user_disabled")
    found, already = _open(call, team, users)
    return _answer(call, found, already=already)


def _resume(call: Call, team: Team, channel_id: str) -> Channel:
    found = team.channels.get(channel_id)
    if found is None:
        raise ApiError("channel_not_found")
    if not found.is_direct:
        raise ApiError("method_not_supported_for_channel_type")
    call.require_scope(IM_SCOPE if found.is_im else MPIM_SCOPE)
    return found


def _open(call: Call, team: Team, users: list[str]) -> tuple[Channel, bool]:
    """The conversation of exactly these users (plus the bot), created the first time."""
    channel_id = _dm_id(team, users)
    found = team.channels.get(channel_id)
    if found is not None:
        return found, True
    im = len(users) == 1
    created = Channel(
        channel_id,
        team.id,
        users[0] if im else "mpdm-" + "--".join(sorted(users)),
        is_private=True,
        is_im=im,
        is_mpim=not im,
        members=tuple(users),
        created=int(call.fake.clock()),
    )
    team.channels[channel_id] = created
    call.fake.changed()
    return created, False


def _dm_id(team: Team, users: list[str]) -> str:
    """A stable id per team and set of users: ``D…`` for a DM, ``G…`` for a group DM."""
    key = ",".join([team.id, *sorted(users)]).encode()
    prefix = "D" if len(users) == 1 else "G"
    return prefix + hashlib.sha256(key).hexdigest()[:10].upper()


def _answer(call: Call, found: Channel, *, already: bool) -> JSON:
    channel = found.to_api() if _truthy(call.args.get("return_im")) else {"id": found.id}
    return {"channel": channel, **({"no_op": True, "already_open": True} if already else {})}


def _truthy(value: object) -> bool:
    return str(value).lower() in {"1", "true"}
