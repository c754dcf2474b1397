"""``/link``, ``/unlink``, ``/roll`` and ``/election remind``: each calls one service method
(``LinkService``, ``ReminderService``) and says what happened, privately (declared in
``bot.adapters.commands.ROLL_COMMANDS``; ``dispatch`` merges ``HANDLERS`` into its own table, as
it does ``hustings_handlers``).

Nothing here repeats a code back: the reply to ``/link CODE`` says who the account now stands
for, never the code, so a screenshot of it gives nothing away.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from typing import TYPE_CHECKING

from bot.adapters.command_types import CLEAR
from bot.adapters.outcome import Options, Outcome, maybe_text
from bot.adapters.render.message import Reply, private
from bot.adapters.render.reminder_views import reminders_sent
from bot.domain import Actor, Place
from bot.services.common import account_name
from bot.services.reminders import Reachable, ReminderService
from bot.services.roll_addresses import Address
from bot.services.roll_links import LinkService, LinkStatus, RollCounts, platform_name
from bot.services.roll_rules_edit import RULE_FLAGS, ElectorateEdit

if TYPE_CHECKING:
    from bot.app import App

Handler = Callable[["App", Actor, Place, Options], Awaitable[Outcome]]
CONSOLE = "fake"


def long_date(iso: str) -> str:
    """``2026-06-08`` → ``8 June 2026``."""
    day = date.fromisoformat(iso)
    return f"{day.day} {day.strftime('%B %Y')}"


def link_status(actor: Actor, status: LinkStatus) -> Reply:
    where = account_name(actor.platform)
    if status.member_id is None:
        return private(
            f"This {where} account is not linked to a membership.",
            "Link it with /link CODE, using the code your organisation sent you.",
        )
    done = "Linked" if status.just_linked else "Your link"
    details = f"branch {status.branch}, section {status.section}"
    details += f", joined {long_date(status.joined or '')}"
    if status.status:
        details += f", status {status.status}"
    lines = [
        f"Accounts linked to this membership: {', '.join(status.platforms)}.",
        "In elections whose electorate is the roll you have one ballot, whichever linked "
        "account you use: ranking again from any of them replaces it.",
        "/unlink removes this account's link.",
    ]
    if status.departed:
        lines.insert(0, "You are no longer on the roll, so you cannot vote in roll elections.")
    return private(
        f"{done}: this {where} account stands for member {status.member_id} ({details}).",
        *lines,
    )


def roll_counts(counts: RollCounts) -> Reply:
    linked = (
        ", ".join(f"{platform_name(p)} {n}" for p, n in sorted(counts.linked.items())) or "none yet"
    )
    return private(
        f"The roll: {counts.members} member(s), {counts.departed} departed.",
        f"Members with a linked account: {linked}.",
        "Codes are never shown; the organisation holds the only copy (hustings roll codes).",
    )


async def _link(app: App, actor: Actor, place: Place, o: Options) -> Outcome:
    code = o.get("code")
    service = LinkService(app.context)
    if isinstance(code, str) and code.strip():
        status = await service.link(actor, code)
    else:
        status = await service.status(actor)
    return Outcome(link_status(actor, status), status)


async def _unlink(app: App, actor: Actor, place: Place, o: Options) -> Outcome:
    where = await LinkService(app.context).unlink(actor)
    reply = private(
        f"This {where} account is no longer linked to your membership.",
        "Ballots already cast stay as they are. Link again with /link CODE.",
    )
    return Outcome(reply, where)


async def _roll(app: App, actor: Actor, place: Place, o: Options) -> Outcome:
    counts = await LinkService(app.context).counts(actor)
    return Outcome(roll_counts(counts), counts)


def reachable_from(place: Place) -> Reachable:
    """The accounts an adapter in ``place`` can message: its own platform and workspace;
    the console (platform ``fake``) prints to every account, ``@alice/discord`` included."""
    if place.platform == CONSOLE:
        return lambda address: True
    return lambda a: (a.platform, a.workspace) == (place.platform, place.workspace)


def recipient_id(place: Place, address: Address) -> str:
    """The ``Reply.recipient`` for ``address``: its user id, or on the console the label of
    another platform's account (``alice/discord``), as the console's speakers are named."""
    if address.platform == place.platform:
        return address.user_id
    return f"{address.user_id}/{address.platform}"


def electorate_edit(o: Options) -> ElectorateEdit:
    """``/election edit``'s electorate options (``none`` clears a rule: ``CLEAR``)."""
    cleared = frozenset(flag for flag in RULE_FLAGS if o.get(flag) == CLEAR)

    def names(flag: str) -> tuple[str, ...] | None:
        value = o.get(flag)
        return value if isinstance(value, tuple) else None

    joined = None if "joined-before" in cleared else maybe_text(o, "joined-before")
    return ElectorateEdit(
        maybe_text(o, "electorate"), names("branch"), names("section"), names("status"),
        joined, cleared,
    )  # fmt: skip


async def _remind(app: App, actor: Actor, place: Place, o: Options) -> Outcome:
    done = await ReminderService(app.context).remind(
        actor, place, maybe_text(o, "election"), reachable_from(place)
    )
    recipients = tuple(recipient_id(place, a) for a in done.recipients)
    return Outcome(reminders_sent(done, recipients), done)


HANDLERS: dict[str, Handler] = {
    "link": _link,
    "unlink": _unlink,
    "roll": _roll,
    "election remind": _remind,
}
