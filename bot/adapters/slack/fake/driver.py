"""The driver: plays Slack's side of an interaction and records what the app did.

``slash``, ``click`` and ``submit_view`` build the payload Slack would send, deliver it over
HTTP (signed, or mis-signed on purpose) or Socket Mode, time the acknowledgement against
Slack's three seconds, apply what the ack says (an ephemeral reply, modal errors) and, after
the app goes quiet, hand back an ``Interaction`` listing the messages and modals that followed.
``redeliver`` sends an interaction's exact delivery again: the same Socket Mode envelope (as
Slack does when an ack was late) or the same signed HTTP request (as a replaying attacker
would, or Slack retrying with ``X-Slack-Retry-Num``).
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Literal
from urllib.parse import urlencode

import aiohttp

from bot.adapters.slack.fake import events, payloads
from bot.adapters.slack.fake.model import JSON, Ack, Message, View
from bot.adapters.slack.fake.signing import Signing, signed_headers
from bot.adapters.slack.fake.state import SlackState
from bot.adapters.slack.fake.webapi import ApiError, check_blocks

if TYPE_CHECKING:
    from bot.adapters.slack.fake.socket import SocketHub

Mode = Literal["http", "socket"]
Kind = Literal["slash_commands", "block_actions", "view_submission", "event_callback"]
ACK_GRACE = 5.0  # how long past ack_timeout the driver still waits, to measure lateness
ENVELOPES: dict[Kind, str] = {
    "slash_commands": "slash_commands",
    "block_actions": "interactive",
    "view_submission": "interactive",
    "event_callback": "events_api",
}


@dataclass(frozen=True)
class Delivery:
    """Exactly what went to the app, so that it can be sent again unchanged."""

    kind: Kind
    transport: Mode
    payload: JSON
    envelope_id: str = ""
    """Socket Mode: the envelope's id (a redelivery keeps it)."""
    body: str = ""
    """HTTP: the signed body, and the headers that went with it."""
    headers: Mapping[str, str] = field(default_factory=dict)


@dataclass
class Interaction:
    """One delivery and its consequences, for assertions."""

    kind: Kind
    team_id: str
    user_id: str
    channel: str | None
    payload: JSON
    ack: Ack
    trigger_id: str
    response_url: str | None
    start_seq: int
    error: str | None = None  # what Slack would show the member: operation_timeout, ...
    view: View | None = None
    state: SlackState | None = field(default=None, repr=False)
    delivery: Delivery | None = field(default=None, repr=False)

    def _since(self) -> list[Message]:
        assert self.state is not None
        return [
            m for m in self.state.messages if m.seq > self.start_seq and m.team_id == self.team_id
        ]

    @property
    def messages(self) -> list[Message]:
        """Channel-visible messages posted in this team since the delivery (not in DMs)."""
        assert self.state is not None
        direct = self.state.is_direct
        return [m for m in self._since() if not m.ephemeral and not direct(m.team_id, m.channel)]

    @property
    def direct(self) -> list[Message]:
        """Messages (and shared files) in the acting member's DM with the bot since the
        delivery (``conversations.open``)."""
        assert self.state is not None
        mine = {m.seq for m in self.state.direct_messages(self.team_id, self.user_id)}
        return [m for m in self._since() if m.seq in mine]

    @property
    def ephemerals(self) -> list[Message]:
        """Ephemeral messages shown to the acting member since the delivery."""
        return [m for m in self._since() if m.ephemeral_to == self.user_id]

    @property
    def views(self) -> list[View]:
        """Modals opened for the acting member since the delivery."""
        assert self.state is not None
        return [
            v
            for v in self.state.views.values()
            if v.seq > self.start_seq and v.user_id == self.user_id
        ]


class Driver(SlackState):
    """Slack's outgoing side; ``FakeSlack`` supplies the transport attributes below."""

    url: str
    request_url: str | None
    mode: Mode
    signing_secret: str
    verification_token: str
    ack_timeout: float
    settle_quiet: float
    hub: SocketHub

    @property
    def http(self) -> aiohttp.ClientSession:
        raise NotImplementedError

    async def slash(
        self,
        team_id: str,
        user_id: str,
        channel: str,
        command: str,
        text: str = "",
        *,
        signing: Signing = Signing.VALID,
        mode: Mode | None = None,
        settle: float | None = None,
    ) -> Interaction:
        """A member types ``command text`` in ``channel``."""
        payload = self.slash_payload(team_id, user_id, channel, command, text)
        return await self._run(
            "slash_commands",
            team_id,
            user_id,
            channel,
            payload,
            signing=signing,
            mode=mode,
            settle=settle,
        )

    def slash_payload(
        self, team_id: str, user_id: str, channel: str, command: str, text: str = ""
    ) -> dict[str, str]:
        """The form Slack posts when a member types ``command text`` (with a fresh trigger id
        and response URL), for a caller that sends it itself (``prepare``, then its own POST:
        the open-loop benchmark spreads requests over several app processes)."""
        team, user = self.team(team_id), self.team(team_id).users[user_id]
        trigger = self.issue_trigger(team_id, user_id)
        hook = self.issue_webhook(team_id, channel, user_id)
        return payloads.slash(
            team,
            user,
            channel,
            command,
            text,
            app_id=self.app_id,
            token=self.verification_token,
            trigger_id=trigger,
            response_url=self._hook_url(hook.id),
        )

    async def click(
        self,
        message: Message,
        action_id: str,
        *,
        user_id: str,
        value: str | None = None,
        block_id: str | None = None,
        selected: str | None = None,
        signing: Signing = Signing.VALID,
        mode: Mode | None = None,
        settle: float | None = None,
    ) -> Interaction:
        """A member clicks a button (or picks ``selected`` in a select) on ``message``."""
        if message.ephemeral and message.ephemeral_to != user_id:
            raise PermissionError("only its recipient can see an ephemeral message")
        element, found_block = payloads.find_element(
            message.blocks, action_id, value=value, block_id=block_id
        )
        team = self.team(message.team_id)
        trigger = self.issue_trigger(team.id, user_id)
        hook = self.issue_webhook(team.id, message.channel, user_id, source_ts=message.ts)
        payload = payloads.block_action(
            team,
            team.users[user_id],
            message,
            element=element,
            block_id=found_block,
            selected=selected,
            app_id=self.app_id,
            token=self.verification_token,
            trigger_id=trigger,
            response_url=self._hook_url(hook.id),
        )
        return await self._run(
            "block_actions",
            team.id,
            user_id,
            message.channel,
            payload,
            signing=signing,
            mode=mode,
            settle=settle,
        )

    async def submit_view(
        self,
        view: View,
        values: Mapping[str, payloads.Choice],
        *,
        signing: Signing = Signing.VALID,
        mode: Mode | None = None,
        settle: float | None = None,
    ) -> Interaction:
        """The member presses Submit on an open modal with ``{block_id: value}`` filled in."""
        if view.state != "open":
            raise RuntimeError(f"view {view.id} is not open")
        team = self.team(view.team_id)
        trigger = self.issue_trigger(team.id, view.user_id)
        payload = payloads.view_submission(
            team,
            team.users[view.user_id],
            view,
            values,
            app_id=self.app_id,
            token=self.verification_token,
            trigger_id=trigger,
        )
        done = await self._run(
            "view_submission",
            team.id,
            view.user_id,
            None,
            payload,
            signing=signing,
            mode=mode,
            settle=settle,
            view=view,
        )
        return done

    async def send_event(
        self, team_id: str, event: JSON, *, mode: Mode | None = None
    ) -> tuple[Ack, Delivery]:
        """An Events API event for ``team_id`` (see ``events``)."""
        return await events.send_event(self, team_id, event, mode=mode)

    async def uninstall(
        self, team_id: str, *, mode: Mode | None = None
    ) -> list[tuple[Ack, Delivery]]:
        """The workspace removes the app: token revoked, then both events sent."""
        return await events.uninstall(self, team_id, mode=mode)

    # -- delivery -----------------------------------------------------------------------

    def _hook_url(self, hook_id: str) -> str:
        return f"{self.url}/response/{hook_id}"

    async def _run(
        self,
        kind: Kind,
        team_id: str,
        user_id: str,
        channel: str | None,
        payload: JSON,
        *,
        signing: Signing,
        mode: Mode | None,
        settle: float | None,
        view: View | None = None,
    ) -> Interaction:
        delivery = self.prepare(kind, payload, signing=signing, mode=mode)
        done = Interaction(
            kind,
            team_id,
            user_id,
            channel,
            payload,
            Ack(delivery.transport, 0, "", 0.0, late=True),
            payload["trigger_id"],
            payload.get("response_url"),
            self.next_seq(),
            view=view,
            state=self,
            delivery=delivery,
        )
        return await self._complete(done, settle)

    async def redeliver(
        self, done: Interaction, *, retry: int | None = None, settle: float | None = None
    ) -> Interaction:
        """Send ``done``'s delivery again, unchanged (``retry``: Slack's retry number)."""
        if done.delivery is None:
            raise ValueError("this interaction was never delivered")
        again = replace(done, start_seq=self.next_seq(), error=None)
        if done.view is not None:
            done.view.state = "open"  # what the member submitted is submitted again
        return await self._complete(again, settle, retry=retry)

    async def _complete(
        self, done: Interaction, settle: float | None, *, retry: int | None = None
    ) -> Interaction:
        assert done.delivery is not None
        done.ack = await self.send(done.delivery, retry=retry)
        if done.ack.late:
            done.error = "operation_timeout"
        elif done.ack.status != 200:
            done.error = "dispatch_failed"
        else:
            self._apply_ack(done)
        quiet = self.settle_quiet if settle is None else settle
        self.touch()  # the quiet spell counts from the ack, not from the app's last call
        if quiet > 0:
            await self.settle(quiet)
        return done

    async def deliver(
        self,
        kind: Kind,
        payload: JSON,
        *,
        signing: Signing = Signing.VALID,
        mode: Mode | None = None,
    ) -> Ack:
        """Send one payload to the app and time its acknowledgement."""
        return await self.send(self.prepare(kind, payload, signing=signing, mode=mode))

    def prepare(
        self,
        kind: Kind,
        payload: JSON,
        *,
        signing: Signing = Signing.VALID,
        mode: Mode | None = None,
    ) -> Delivery:
        """What to send for ``payload``: an envelope, or a signed HTTP request."""
        if (mode or self.mode) == "socket":
            return Delivery(kind, "socket", payload, envelope_id=self.hub.new_envelope_id())
        if kind == "event_callback":  # the Events API posts JSON; interactions post forms
            body, content_type = json.dumps(payload), "application/json"
        else:
            fields = payload if kind == "slash_commands" else {"payload": json.dumps(payload)}
            body, content_type = urlencode(fields), "application/x-www-form-urlencoded"
        headers = {
            "Content-Type": content_type,
            "User-Agent": "Slackbot 1.0 (+https://api.slack.com/robots)",
            **signed_headers(self.signing_secret, body, signing),
        }
        return Delivery(kind, "http", payload, body=body, headers=headers)

    async def send(self, delivery: Delivery, *, retry: int | None = None) -> Ack:
        """Send a prepared delivery (again, if it was sent before) and time its ack."""
        if delivery.transport == "socket":
            ack, elapsed = await self.hub.deliver(
                ENVELOPES[delivery.kind],
                delivery.payload,
                accepts_response_payload=delivery.kind in ("slash_commands", "view_submission"),
                within=self.ack_timeout + ACK_GRACE,
                envelope_id=delivery.envelope_id,
                retry_attempt=retry,
            )
            if ack is None:
                return Ack("socket", 0, "", elapsed, late=True)
            body = json.dumps(ack["payload"]) if ack.get("payload") else ""
            return Ack("socket", 200, body, elapsed, late=elapsed > self.ack_timeout)
        headers = dict(delivery.headers)
        if retry is not None:
            headers.update({"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "timeout"})
        return await self._post(delivery.body, headers)

    async def _post(self, body: str, headers: Mapping[str, str]) -> Ack:
        if not self.request_url:
            raise RuntimeError("set fake.request_url to the app's events URL first")
        started = time.perf_counter()
        timeout = aiohttp.ClientTimeout(total=self.ack_timeout + ACK_GRACE)
        try:
            async with self.http.post(
                self.request_url, data=body, headers=dict(headers), timeout=timeout
            ) as response:
                text = await response.text()
                status = response.status
        except TimeoutError:
            return Ack("http", 0, "", time.perf_counter() - started, late=True)
        elapsed = time.perf_counter() - started
        return Ack("http", status, text, elapsed, late=elapsed > self.ack_timeout)

    # -- what an ack body means ---------------------------------------------------------

    def _apply_ack(self, done: Interaction) -> None:
        if done.kind == "slash_commands":
            self._slash_reply(done)
        elif done.kind == "view_submission" and done.view is not None:
            self._view_reply(done, done.view)

    def _slash_reply(self, done: Interaction) -> None:
        body, data = done.ack.body, done.ack.json
        if not body.strip():
            return
        reply = data if data is not None else {"text": body}
        try:
            text, blocks = check_blocks(reply)
        except ApiError as exc:
            done.error = exc.error
            return
        public = reply.get("response_type") == "in_channel"
        assert done.channel is not None
        self.record_message(
            done.team_id,
            done.channel,
            text=text,
            blocks=blocks,
            via="ack",
            ephemeral_to=None if public else done.user_id,
        )

    def _view_reply(self, done: Interaction, view: View) -> None:
        reply = done.ack.json or {}
        action = reply.get("response_action")
        if action == "errors":
            view.errors = dict(reply.get("errors", {}))
        elif action == "update":
            view.history.append(view.view)
            view.view, view.errors = dict(reply["view"]), {}
        elif action == "push":
            self.open_view(view.team_id, view.user_id, dict(reply["view"]))
        elif action == "clear":
            for other in self.open_views(view.team_id, view.user_id):
                other.state = "closed"
        else:
            view.state = "closed"
        self.changed()
