"""The slack-bolt ``AsyncApp``: one listener per slash command, the ballot modal, the upvote,
Moderate (with its modal: ``moderate``) and Next round buttons and the one error handler.

Before any listener, ``edge.EdgeGate`` drops requests from workspaces we do not serve and
repeats of requests already accepted; after its ack each listener awaits ``admitted``.

Listeners are generated from the command declarations: ``/rank``, ``/ballot``, ``/election``,
``/question`` … each receive their one text argument, which the shared text-form parser reads.
Every listener acknowledges first, before any Web API or database work (Slack gives three
seconds), and hands the rest to a task of its own (``after_ack``), so bolt answers Slack as
soon as the listener returns; that task builds the ``Actor`` (team → workspace; user groups →
roles; admins and owners are moderators), runs the command and delivers the outcome
(``deliver``).

``/ballot`` (and a bare ``/rank``) opens the ballot form while the election is open; otherwise
``/ballot`` shows the member's ballot as in the text form.

Commands, the form's cast and the upvote button all run through ``dispatch`` (``handlers``),
whose error mapping answers refusals, user errors and bugs in commands. The error handler
maps everything else the listeners raise (opening a form, say): a ``UserError``
becomes an ephemeral message to the member; anything else an apology with a reference, and
the traceback is logged with the same reference and the team, user, channel and request kind
(never option values: they may hold a ranking).
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable, Coroutine
from functools import partial
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.commands import BY_NAME, COMMANDS, Value
from bot.adapters.render.message import private
from bot.adapters.slack import moderate, next_round, reword
from bot.adapters.slack.actors import Directory
from bot.adapters.slack.after_ack import later
from bot.adapters.slack.answers import deliver_answer
from bot.adapters.slack.dedupe import admitted
from bot.adapters.slack.deliver import Outcome, Target, deliver, refresh_cards
from bot.adapters.slack.direct_files import direct_messages_refused
from bot.adapters.slack.edge import EdgeGate
from bot.adapters.slack.handlers import run_command, run_line
from bot.adapters.slack.modal import (
    CALLBACK_ID,
    Submission,
    ballot_modal,
    ranking_text,
    read_submission,
)
from bot.adapters.slack.render import MODERATE_ACTION, NEXT_ROUND_ACTION, UPVOTE_ACTION, unescape
from bot.adapters.slack.verify import is_verified, response_url_allowed
from bot.adapters.textform import parse_arguments
from bot.app import App
from bot.config import Settings
from bot.domain import Actor, BallotView, Place
from bot.errors import NotFound, UserError

log = logging.getLogger(__name__)

ButtonWork = Callable[[dict[str, Any], dict[str, Any], Any, Any], Coroutine[Any, Any, None]]
"""What a button press does once acknowledged: ``(body, action, client, respond)``."""

SLASH_COMMANDS = tuple(dict.fromkeys(c.path[0] for c in COMMANDS))
"""``rank``, ``ballot``, …, ``election``, ``question``: one Slack slash command each."""
RETRIES = 3
BOLT_LOGGER = "slack_bolt.hustings"


def bolt_logger() -> logging.Logger:
    """The base logger bolt's own loggers copy: never below WARNING."""
    logger = logging.getLogger(BOLT_LOGGER)
    logger.setLevel(max(logging.WARNING, logger.level))
    return logger


def web_client(settings: Settings, token: str | None = None) -> AsyncWebClient:
    """A Web API client at ``slack_api_url`` (if set) that retries 429s after Retry-After."""
    kwargs: dict[str, Any] = {"token": token}
    if settings.slack_api_url:
        kwargs["base_url"] = settings.slack_api_url
    client = AsyncWebClient(**kwargs)
    client.retry_handlers.append(AsyncRateLimitErrorRetryHandler(max_retry_count=RETRIES))
    return client


class SlackAdapter:
    """The listeners, holding the core and the member directory. Nothing a later click
    needs is kept here: question cards' locations are in the database (``cards``)."""

    def __init__(self, core: App, directory: Directory | None = None) -> None:
        self.core = core
        self.directory = directory or Directory()
        self.cards = core.question_cards

    def register(self, bolt: AsyncApp) -> None:
        for name in SLASH_COMMANDS:
            bolt.command(f"/{name}")(self.on_command)
        bolt.action(UPVOTE_ACTION)(self._button(self._upvote))
        bolt.action(NEXT_ROUND_ACTION)(self._button(self._next_round))
        for action in reword.COMMANDS:
            bolt.action(action)(self._button(self._reword))
        bolt.view(CALLBACK_ID)(self.on_ballot)
        bolt.action(MODERATE_ACTION)(self._button(self._moderate))
        bolt.view(moderate.CALLBACK_ID)(self.on_moderation)
        bolt.error(self.on_bolt_error)

    async def _actor(self, client: AsyncWebClient, team: str, user: str, name: str) -> Actor:
        return await self.directory.actor(client, team, user, name)

    # -- slash commands -------------------------------------------------------------------

    async def on_command(
        self, ack: Any, body: dict[str, Any], client: AsyncWebClient, respond: Any, context: Any
    ) -> None:
        await ack()
        self._after_ack(self._command(body, client, respond), body, client, context)

    def _button(self, work: ButtonWork) -> Callable[..., Coroutine[Any, Any, None]]:
        """A button's listener: ack, then ``work(body, action, client, respond)`` after it.
        bolt passes a listener's arguments by their names."""

        async def listener(  # noqa: PLR0917
            ack: Any,
            body: dict[str, Any],
            action: dict[str, Any],
            client: AsyncWebClient,
            respond: Any,
            context: Any,
        ) -> None:
            await ack()
            self._after_ack(work(body, action, client, respond), body, client, context)

        return listener

    def _after_ack(
        self, work: Coroutine[Any, Any, None], body: dict[str, Any], client: Any, context: Any
    ) -> None:
        """Hand a listener's work to its own task (``after_ack``): bolt answers Slack as soon
        as the listener returns, so the ack never waits for the work, nor for a poll."""
        later(self._guarded(work, body, client, context), "request")

    async def _guarded(
        self, work: Coroutine[Any, Any, None], body: dict[str, Any], client: Any, context: Any
    ) -> None:
        """Run a listener's work after its ack, sending any failure to ``on_error``.

        A request the edge finds was accepted before (``admitted``) is dropped unrun.
        """
        try:
            if await admitted(context):
                await work
        except Exception as exc:
            await self.on_error(exc, body, client)
        finally:
            work.close()  # unrun (dropped, or the check failed): never started

    async def _command(self, body: dict[str, Any], client: AsyncWebClient, respond: Any) -> None:
        team, user, channel = body["team_id"], body["user_id"], body["channel_id"]
        name, text = str(body["command"]).lstrip("/"), unescape(str(body.get("text") or ""))
        actor = await self._actor(client, team, user, str(body.get("user_name", "")))
        place = self.directory.place(team, channel)
        target = Target(client, team, channel, user, respond)
        if self._wants_form(name, text) and await self._open_form(
            client, body["trigger_id"], actor, place, text if name == "ballot" else ""
        ):
            return
        if moderate.is_moderation(name, text):  # as the Moderate button's form runs it
            line = f"/{name} {text}"
            await moderate.typed(self.core, actor, place, line, target=target, cards=self.cards)
            return
        if _is_remind(name, text) and (why := await direct_messages_refused(client, user)):
            await deliver(Outcome(private(f"No reminders were sent: {why}.")), target, self.cards)
            return
        outcome = await run_line(self.core, actor, place, f"/{name} {text}")
        if outcome.answer is not None:  # posted once, then updated in place
            await deliver_answer(self.core, place, outcome.answer, outcome.reply, target)
            await refresh_cards((outcome.answer,), target, self.cards)
            return
        await deliver(outcome, target, self.cards)

    @staticmethod
    def _wants_form(name: str, text: str) -> bool:
        return name == "ballot" or (name == "rank" and not text.strip())

    async def _open_form(
        self, client: AsyncWebClient, trigger: str, actor: Actor, place: Place, text: str
    ) -> bool:
        """Open the ballot form if the election is open; False lets the text form answer."""
        ref = parse_arguments(BY_NAME["ballot"], text).options.get("election")
        try:
            election = await self.core.elections.get(
                actor, place, ref if isinstance(ref, str) else None
            )
        except UserError:
            return False  # several, or none in progress: /ballot's text form says which
        if election.status != "open":
            return False
        current: BallotView | None = None
        try:
            current = await self.core.ballots.mine(actor, place, election.ref)
        except NotFound:
            current = None
        await client.views_open(
            trigger_id=trigger, view=ballot_modal(election, current, place.channel)
        )
        return True

    # -- the ballot form and the upvote button --------------------------------------------

    async def on_ballot(
        self,
        ack: Any,
        body: dict[str, Any],
        view: dict[str, Any],
        client: AsyncWebClient,
        context: Any,
    ) -> None:
        submission = read_submission(view)
        if submission.errors:
            await ack(response_action="errors", errors=submission.errors)
            return
        await ack()
        self._after_ack(self._cast(submission, body, client), body, client, context)

    async def _cast(self, submission: Submission, body: dict[str, Any], client: Any) -> None:
        team, user = body["team"]["id"], body["user"]["id"]
        actor = await self._actor(client, team, user, str(body["user"].get("name", "")))
        place = self.directory.place(team, submission.channel)
        options: dict[str, Value] = {"ranking": ranking_text(submission.ranking)}
        if submission.election_ref is not None:
            options["election"] = submission.election_ref
        outcome = await run_command(self.core, actor, place, "rank", options)
        target = Target(client, team, submission.channel, user)
        await deliver(outcome, target, self.cards)

    async def _upvote(
        self, body: dict[str, Any], action: dict[str, Any], client: Any, respond: Any
    ) -> None:
        team, user, channel, actor, place = await self._clicker(body, client)
        value = str(action.get("value") or "")  # a forged click may carry none
        outcome = await run_command(
            self.core, actor, place, "upvote", {"id": value, "toggle": True}
        )
        ts = body.get("container", {}).get("message_ts")
        await deliver(outcome, Target(client, team, channel, user, respond, card_ts=ts), self.cards)

    async def _clicker(
        self, body: dict[str, Any], client: Any
    ) -> tuple[str, str, str, Actor, Place]:
        """Team, user and channel of a button click, with the member and the place."""
        team, user, channel = body["team"]["id"], body["user"]["id"], body["channel"]["id"]
        actor = await self._actor(client, team, user, str(body["user"].get("name", "")))
        return team, user, channel, actor, self.directory.place(team, channel)

    # -- the Next round button under a paced count's step -----------------------------------

    async def _next_round(
        self, body: dict[str, Any], action: dict[str, Any], client: Any, respond: Any
    ) -> None:
        """Moderators only; one round per post (see ``next_round``)."""
        team, user, channel, actor, place = await self._clicker(body, client)
        ts = body.get("container", {}).get("message_ts")
        target = Target(client, team, channel, user, respond, card_ts=ts)
        value = str(action.get("value") or "")  # a forged click may carry none
        await next_round.press(self.core, actor, place, value, target=target, cards=self.cards)

    async def _reword(
        self, body: dict[str, Any], action: dict[str, Any], client: Any, respond: Any
    ) -> None:
        """Accept / keep-my-wording on a proposed rewording (``reword``)."""
        team, user, channel, actor, place = await self._clicker(body, client)
        command = reword.COMMANDS[str(action.get("action_id"))]
        value = str(action.get("value") or "")
        outcome = await run_command(self.core, actor, place, command, {"id": value})
        await deliver(outcome, Target(client, team, channel, user, respond), self.cards)

    # -- the Moderate button and its modal (``moderate``) ------------------------------------

    async def _moderate(
        self, body: dict[str, Any], action: dict[str, Any], client: Any, respond: Any
    ) -> None:
        team, user, channel, actor, place = await self._clicker(body, client)
        ts = body.get("container", {}).get("message_ts")
        target = Target(client, team, channel, user, respond, card_ts=ts)
        value, trigger = str(action.get("value") or ""), str(body.get("trigger_id") or "")
        await moderate.press(
            self.core, actor, place, value, trigger=trigger, target=target, cards=self.cards
        )

    async def on_moderation(
        self, ack: Any, body: dict[str, Any], view: dict[str, Any], client: Any, context: Any
    ) -> None:
        submitted = moderate.read_form(view)
        if submitted.form is None:
            await ack(response_action="errors", errors=submitted.errors)
            return
        await ack()
        self._after_ack(self._moderation(submitted.form, body, client), body, client, context)

    async def _moderation(self, form: moderate.Form, body: dict[str, Any], client: Any) -> None:
        team, user = body["team"]["id"], body["user"]["id"]
        actor = await self._actor(client, team, user, str(body["user"].get("name", "")))
        place = self.directory.place(team, form.channel)
        target = Target(client, team, form.channel, user)
        await moderate.submit(self.core, actor, place, form, target=target, cards=self.cards)

    # -- the one error mapping ------------------------------------------------------------

    async def on_bolt_error(
        self, error: Exception, body: dict[str, Any], client: AsyncWebClient, request: Any
    ) -> None:
        """bolt's error handler: only a verified request is answered (see ``verify``)."""
        secret = self.core.settings.slack_signing_secret
        if not is_verified(request, secret.get_secret_value() if secret else None):
            log.warning("unverified Slack request not answered (%s)", type(error).__name__)
            return
        await self.on_error(error, body, client)

    async def on_error(
        self, error: Exception, body: dict[str, Any], client: AsyncWebClient
    ) -> None:
        where = _where(body)
        if where is None:
            log.error("Slack request failed outside any interaction", exc_info=error)
            return
        team, user, channel, response_url = where
        respond = _responder(response_url, self.core.settings.slack_api_url)
        target = Target(client, team, channel, user, respond)
        if isinstance(error, UserError):
            await deliver(Outcome(private(error.message)), target, self.cards)
            return
        ref = secrets.token_hex(3).upper()
        log.error(
            "Slack %s failed (ref %s): team=%s channel=%s",  # no user id: see bot.logs
            body.get("type") or body.get("command") or "request",
            ref,
            team,
            channel,
            exc_info=error,
        )
        apology = private(f"Sorry, something went wrong (ref {ref}). Please tell a moderator.")
        await deliver(Outcome(apology), target, self.cards)


def _where(body: dict[str, Any]) -> tuple[str, str, str, str | None] | None:
    """(team, user, channel, response_url) of a slash command, click or form submission."""
    if "command" in body:
        return body["team_id"], body["user_id"], body["channel_id"], body.get("response_url")
    team = str((body.get("team") or {}).get("id") or "")
    user = str((body.get("user") or {}).get("id") or "")
    if body.get("type") == "view_submission":
        channel = read_submission(body.get("view") or {}).channel
    else:
        channel = str((body.get("channel") or {}).get("id") or "")
    if not (team and user and channel):
        return None
    return team, user, channel, body.get("response_url")


def _responder(response_url: str | None, api_url: str | None) -> AsyncRespond | None:
    """A responder for a ``response_url`` on the configured Slack host, else none (the
    apology then goes through the Web API with our token, to the verified user)."""
    if not response_url or not response_url_allowed(response_url, api_url):
        return None
    return AsyncRespond(response_url=response_url)


def build_bolt_app(
    core: App,
    settings: Settings,
    *,
    oauth_settings: AsyncOAuthSettings | None = None,
    directory: Directory | None = None,
) -> AsyncApp:
    """The bolt app: single-token mode by default, OAuth installs when given settings for it."""
    secret = settings.slack_signing_secret
    token = settings.slack_bot_token
    bot_token = token.get_secret_value() if token is not None and oauth_settings is None else None
    client = web_client(settings, bot_token)
    store = oauth_settings.installation_store if oauth_settings is not None else None
    gate = EdgeGate.build(core, client, store, partial(web_client, settings))
    bolt = AsyncApp(
        client=client,
        signing_secret=secret.get_secret_value() if secret else "",
        oauth_settings=oauth_settings,
        # bolt names its loggers after the app and sets each one's level from the root's at
        # start; under a base logger held at WARNING they inherit WARNING instead, so a DEBUG
        # root never turns on bolt's request dumps (``bot.logs`` gates the rest).
        name=BOLT_LOGGER,
        logger=bolt_logger(),
        # Socket Mode carries no signatures; over HTTP bolt verifies every request.
        request_verification_enabled=secret is not None or settings.slack_mode == "http",
        # after verification: our workspaces only, each request once (``edge``)
        before_authorize=gate,
        # Slack is answered when a listener returns; each one acks and hands its work to a
        # task first (``after_ack``), instead of bolt polling every 10 ms for the ack
        process_before_response=True,
    )
    SlackAdapter(core, directory).register(bolt)
    gate.register(bolt)
    return bolt


def _is_remind(name: str, text: str) -> bool:
    """``/election remind …``: the one command whose DMs must be possible before it runs."""
    return name == "election" and [w.casefold() for w in text.split(maxsplit=1)[:1]] == ["remind"]
