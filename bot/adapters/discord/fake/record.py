"""What happened to one interaction, for tests to await and assert on.

The driver returns an ``InteractionRecord`` as soon as INTERACTION_CREATE is on the wire.
Await it (or ``settled()``) to let the bot answer: that waits for the first response (or for
Discord's deadline to pass), for a deferred "is thinking…" reply to be resolved or a deferred
update to be followed by what it promised (an edit, a followup), and then for the bot to go
quiet. The quiet spell only catches stragglers: every wait for a reply known to be coming is on
an event, so a loaded machine makes a test slower, not wrong. Timings use the event loop's
clock from the moment of dispatch, so ``ack_latency`` is what a latency benchmark wants.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from typing import Any, Literal

from bot.adapters.discord.fake.errors import JSON
from bot.adapters.discord.fake.model import Message

PING, APPLICATION_COMMAND, COMPONENT, AUTOCOMPLETE, MODAL_SUBMIT = 1, 2, 3, 4, 5
PONG, MESSAGE, DEFERRED_MESSAGE, DEFERRED_UPDATE, UPDATE, CHOICES, MODAL = 1, 4, 5, 6, 7, 8, 9

ReplyKind = Literal["callback", "followup", "edit", "delete"]

HANDLER_TASKS = (
    "CommandTree-invoker",
    "discord-ui-view-dispatch-",
    "discord-ui-dynamic-item-",
    "discord-ui-modal-dispatch-",
    "discord.py: on_interaction",
)
"""Names discord.py 2.x gives the tasks that run an interaction's handlers."""


async def handlers_done(within: float) -> None:
    """Until no discord.py interaction handler in this process is running, or ``within`` s.

    A bot in the same process (tests, the local console) is then done with every
    interaction it was given, so what it sends afterwards is not an answer to one of them.
    A bot elsewhere has no such tasks here: this returns at once and the quiet spell decides.
    """
    loop = asyncio.get_running_loop()
    end = loop.time() + within
    current = asyncio.current_task()
    while pending := [
        t
        for t in asyncio.all_tasks(loop)
        if t is not current and not t.done() and t.get_name().startswith(HANDLER_TASKS)
    ]:
        remaining = end - loop.time()
        if remaining <= 0:
            return
        await asyncio.wait(pending, timeout=remaining)


class InteractionFailedError(AssertionError):
    """The member would see "This interaction failed" (no response in time)."""


@dataclass(frozen=True)
class Reply:
    """One thing the bot did with the interaction token, ``at`` seconds after dispatch."""

    kind: ReplyKind
    at: float
    body: JSON
    callback_type: int | None = None
    message_id: int | None = None


@dataclass(frozen=True)
class Rejected:
    """A call the fake refused (the bot saw an ``HTTPException``)."""

    route: str
    status: int
    code: int
    message: str
    at: float
    errors: JSON | None = None


@dataclass(eq=False)
class InteractionRecord:
    id: int
    token: str
    type: int
    user_id: int
    guild_id: int | None
    channel_id: int
    payload: JSON
    dispatched_at: float
    deadline: float
    expires_at: float
    messages_by_id: dict[int, Message] = field(repr=False)
    quiet: float = 0.05
    replies: list[Reply] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    original_id: int | None = None
    source_message_id: int | None = None
    followup_ids: list[int] = field(default_factory=list)
    timed_out: bool = False
    shard: int | None = None
    """The gateway shard it was sent to (``(guild_id >> 22) % shard_count``; 0 for a DM)."""
    _changed: asyncio.Event = field(default_factory=asyncio.Event, repr=False)

    # -- facts ---------------------------------------------------------------------------------

    @property
    def ack(self) -> Reply | None:
        """The initial response (interaction callback), if the bot sent one in time."""
        return next((r for r in self.replies if r.kind == "callback"), None)

    @property
    def acked(self) -> bool:
        return self.ack is not None

    @property
    def ack_latency(self) -> float | None:
        """Seconds from dispatch to the accepted initial response."""
        ack = self.ack
        return None if ack is None else ack.at

    @property
    def callback_type(self) -> int | None:
        ack = self.ack
        return None if ack is None else ack.callback_type

    @property
    def deferred(self) -> bool:
        return self.callback_type in (DEFERRED_MESSAGE, DEFERRED_UPDATE)

    @property
    def error_codes(self) -> list[int]:
        return [r.code for r in self.rejected]

    @property
    def original(self) -> Message | None:
        """The interaction's own message: its reply, deferred reply or updated message."""
        mid = self.original_id
        return None if mid is None else self.messages_by_id.get(mid)

    @property
    def followups(self) -> list[Message]:
        return [self.messages_by_id[i] for i in self.followup_ids]

    @property
    def messages(self) -> list[Message]:
        """Everything the member saw from this interaction, original first, not deleted."""
        found = [self.original] if self.original is not None else []
        return [m for m in found + self.followups if not m.deleted]

    @property
    def ephemeral(self) -> bool:
        """Whether every message of the reply was private to the member."""
        return bool(self.messages) and all(m.ephemeral for m in self.messages)

    @property
    def texts(self) -> list[str]:
        return [m.text for m in self.messages]

    @property
    def choices(self) -> list[JSON]:
        """An autocomplete answer's choices (``name``/``value`` dicts)."""
        ack = self.ack
        if ack is None or ack.callback_type != CHOICES:
            return []
        return list(ack.body.get("data", {}).get("choices") or [])

    @property
    def modal(self) -> JSON | None:
        """The modal the bot opened (``custom_id``, ``title``, ``components``)."""
        ack = self.ack
        if ack is None or ack.callback_type != MODAL:
            return None
        return dict(ack.body.get("data") or {})

    # -- waiting -------------------------------------------------------------------------------

    def changed(self) -> None:
        event, self._changed = self._changed, asyncio.Event()
        event.set()

    async def wait_until(self, test: Callable[[], bool], within: float = 10.0) -> None:
        loop = asyncio.get_running_loop()
        end = loop.time() + within
        while not test():
            remaining = end - loop.time()
            if remaining <= 0:
                raise TimeoutError(f"interaction {self.id}: condition not met in {within}s")
            try:
                await asyncio.wait_for(self._changed.wait(), remaining)
            except TimeoutError:
                continue

    async def wait_ack(self, within: float = 10.0) -> Reply:
        """The initial response; raises ``InteractionFailedError`` if the deadline passed first."""
        await self.wait_until(lambda: self.acked or self.timed_out, within)
        ack = self.ack
        if ack is None:
            raise InteractionFailedError(f"interaction {self.id} was not answered in time")
        return ack

    async def wait_followups(self, count: int, within: float = 10.0) -> list[Message]:
        await self.wait_until(lambda: len(self.followup_ids) >= count, within)
        return self.followups

    async def settled(self, within: float = 10.0) -> InteractionRecord:
        """Acked (or failed), any "thinking" placeholder resolved, any deferred update
        followed by something, then ``quiet`` s of silence.

        A deferred update (``DEFERRED_UPDATE``, the button spinner) promises more: waiting
        only for quiet after it returned before a slow handler's edit arrived (issue 8).
        Raises ``TimeoutError`` if the promise is not kept within ``within`` seconds.
        """
        await self.wait_until(lambda: self.acked or self.timed_out, within)
        if self.callback_type == DEFERRED_UPDATE:
            await self.wait_until(
                lambda: any(r.kind != "callback" for r in self.replies) or bool(self.rejected),
                within,
            )
        if self.callback_type == DEFERRED_MESSAGE:
            await self.wait_until(
                lambda: self.original is None or not self.original.loading or self.original.deleted,
                within,
            )
        while True:
            await handlers_done(within)
            seen = len(self.replies) + len(self.rejected)
            await asyncio.sleep(self.quiet)
            if seen == len(self.replies) + len(self.rejected):
                return self

    def __await__(self) -> Generator[Any, None, InteractionRecord]:
        return self.settled().__await__()
